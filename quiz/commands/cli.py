"""The command line: sub-commands, global options, and one clear line for every bad input.

This is the only module that reads argv and the environment.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from quiz import __version__
from quiz.commands import EXIT_FAIL, EXIT_OK, EXIT_USAGE, REPORT_FORMATS
from quiz.core.text import visible
from quiz.services import collector
from quiz.storage import clock, paths

if TYPE_CHECKING:
    from quiz.deckfile.findings import Skipped
    from quiz.services.context import Context
    from quiz.storage.store import FileStore

Handler = Callable[[argparse.Namespace, Mapping[str, str]], int]


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the problem, not a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--data, --decks, --no-bundled: accepted before or after the sub-command."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=default,
        help="progress folder (default: $QUIZ_DATA, else your user data folder)",
    )
    parser.add_argument(
        "--decks",
        metavar="DIR",
        action="append",
        default=argparse.SUPPRESS if suppress else [],
        help="also load the decks in DIR (a folder or a .json file); repeatable",
    )
    parser.add_argument(
        "--no-bundled",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="leave out the decks that come with quiz",
    )


def _force_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--force", action="store_true", help="replace the output if it exists")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="quiz",
        description="Spaced-repetition trainer for the terminal: flashcards and scenario "
        "questions, scheduled with SM-2. With no command, opens the deck list.",
        epilog="Environment: QUIZ_DATA (progress folder), QUIZ_TODAY=YYYY-MM-DD (study day).",
    )
    parser.add_argument("--version", action="version", version=f"quiz {__version__}")
    _global_options(parser, suppress=False)
    common = Parser(add_help=False)
    _global_options(common, suppress=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def command(name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

    for name, help_text, handler in (
        ("study", "study due and new cards (all decks, or the decks named)", _study),
        ("practice", "go through cards without scheduling anything", _practice),
    ):
        sub = command(name, help_text, handler)
        sub.add_argument("deck_ids", nargs="*", metavar="DECK", help="deck id (default: all)")
        sub.add_argument(
            "--tag", action="append", default=[], help="only cards with this tag; repeatable"
        )

    sub = command("validate", "check deck files; exit 0 clean, 1 errors, 2 usage", _validate)
    sub.add_argument("paths", nargs="+", metavar="PATH", help="deck file or folder of decks")
    sub.add_argument("--strict", action="store_true", help="also warn, and fail on warnings")
    sub.add_argument("--format", choices=REPORT_FORMATS, default="text", help="output form")
    sub.add_argument(
        "--cues",
        action="store_true",
        help="also report each deck's cue figures for scenario questions (docs/authoring.md)",
    )

    _authoring_commands(command)

    sub = command("key", "check a deck's scenario keys against a panel's answers", _key)
    sub.add_argument("deck", metavar="DECK.json", help="the deck file")
    sub.add_argument("panels", nargs="+", metavar="PANEL.json", help="panel files (quiz panel)")
    sub.add_argument("--format", choices=("markdown", "json"), default="markdown")
    sub.add_argument("-o", "--output", metavar="REPORT.md", help="write the report to a file")
    _force_option(sub)
    sub.add_argument(
        "--apply",
        action="store_true",
        help="set the keys the panel agrees on to its consensus (the old file is kept)",
    )

    sub = command("stats", "show progress figures per deck", _stats)
    sub.add_argument("--json", action="store_true", help="print JSON instead of a table")

    sub = command("report", "write a Markdown summary of your progress, for a supervisor", _report)
    sub.add_argument(
        "-o", "--output", required=True, metavar="FILE.md", help="file to write (-: print)"
    )
    _force_option(sub)

    sub = command(
        "results", "export your scenario answers for your teacher's item analysis", _results
    )
    sub.add_argument("deck_ids", nargs="*", metavar="DECK", help="deck id (default: all)")
    sub.add_argument(
        "-o", "--output", required=True, metavar="RESULTS.json", help="the file to write"
    )
    _force_option(sub)
    sub.add_argument("--as", dest="name", metavar="NAME", help="put NAME in the file")

    sub = command("items", "item analysis of a deck's scenario questions from results", _items)
    sub.add_argument("deck", metavar="DECK.json", help="the deck file")
    sub.add_argument("results", nargs="+", metavar="RESULTS.json", help="students' results")
    sub.add_argument("--format", choices=("markdown", "json"), default="markdown")
    sub.add_argument("-o", "--output", metavar="REPORT", help="write the report to this file")
    _force_option(sub)

    command("backup", "copy the progress files into the progress folder's backups/", _backup)
    sub = command(
        "restore",
        "bring back a backup of the progress files (the newest), with the answers made after"
        " it on top",
        _restore,
    )
    sub.add_argument("name", nargs="?", help="the backup to restore (see `quiz restore --list`)")
    sub.add_argument("--list", action="store_true", help="list the backups and stop")
    sub.add_argument(
        "--exact",
        action="store_true",
        help="bring the backup back exactly as it was, without the answers made after it",
    )
    sub = command("repair", "mend a damaged review log from the copies on the disk", _repair)
    sub.add_argument(
        "--check", action="store_true", help="only read everything and report; change nothing"
    )
    sub.add_argument("--format", choices=REPORT_FORMATS, default="text", help="--check's output")
    return parser


def _authoring_commands(command: Callable[[str, str, Handler], argparse.ArgumentParser]) -> None:
    """new-deck, schema, fmt, preview, panel, import, export: the teachers' toolkit."""
    sub = command("new-deck", "write a starter deck: one card of each kind, explained", _new_deck)
    sub.add_argument("path", metavar="PATH", help="the new deck file (.json); never overwritten")
    sub.add_argument("--id", help="deck id (default: made from the file name)")
    sub.add_argument("--title", help="deck title (default: made from the file name)")

    sub = command("schema", "print the deck format's JSON Schema, for your editor", _schema)
    sub.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead")
    _force_option(sub)

    sub = command("fmt", "lay deck files out the standard way (indent, field order)", _fmt)
    sub.add_argument("paths", nargs="+", metavar="DECK", help="deck file or folder of decks")
    sub.add_argument(
        "--add-ids",
        action="store_true",
        help="give each card and option without an id one from its text",
    )
    sub.add_argument("--check", action="store_true", help="change nothing; exit 1 if any would")

    sub = command("preview", "see every card of a deck file; reloads when it is saved", _preview)
    sub.add_argument("path", metavar="DECK.json", help="the deck file")

    sub = command("panel", "key a deck's scenario questions blind, as one panellist", _panel)
    sub.add_argument("path", metavar="DECK.json", help="the deck file")
    sub.add_argument("--as", dest="name", required=True, metavar="NAME", help="the panellist")
    sub.add_argument(
        "-o", "--output", required=True, metavar="PANEL.json", help="answers file (resumed)"
    )

    sub = command("import", "make a deck from an Anki export (.apkg, or notes as text)", _import)
    sub.add_argument("source", metavar="FILE", help="an .apkg, or notes exported as text")
    sub.add_argument("-o", "--output", required=True, metavar="DECK.json", help="the new deck")
    sub.add_argument("--id", help="deck id (default: made from the output file name)")
    sub.add_argument("--title", help="deck title (default: the Anki deck's name or file name)")
    sub.add_argument("--force", action="store_true", help="replace the output if it exists")

    sub = command("export", "write a deck for Anki or AnkiDroid (.apkg or notes as text)", _export)
    sub.add_argument("deck", metavar="DECK", help="a deck file, or the id of a loaded deck")
    sub.add_argument("--to", choices=("apkg", "csv"), help="format (default: from -o's suffix)")
    sub.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    _force_option(sub)


# --- handlers ---


def _context(args: argparse.Namespace, env: Mapping[str, str], *, tell: bool = True) -> Context:
    """The run's context; with `tell`, each problem found on the way (a settings value, a deck
    skipped, a --decks path that is not there) is one line on stderr (the app shows them)."""
    from quiz.services.context import build

    ctx = build(data=args.data, decks=args.decks, bundled=not args.no_bundled, env=env)
    if tell:
        for line in [*ctx.notices, *(skipped_line(s) for s in ctx.skipped)]:
            print(f"quiz: {line}", file=sys.stderr)
    return ctx


def skipped_line(skipped: Skipped) -> str:
    """A deck not loaded, in one line: its first problem, and how many more there are."""
    first = str(skipped.errors[0]) if skipped.errors else f"{skipped.path}: not loaded"
    more = len(skipped.errors) - 1
    rest = f" ({more} more: `quiz validate {skipped.path}` lists them)" if more > 0 else ""
    return f"{first}; this deck is not loaded{rest}"


def _open_store(data_dir: Path, *, tell: bool = True, cache_dir: Path | None = None) -> FileStore:
    """Open the progress store; with `tell`, print what it repaired by itself to stderr (the
    app shows it instead). `cache_dir`: where the statistics keep the log's fold."""
    from quiz.storage.store import FileStore

    store = FileStore.open(data_dir, cache_dir)
    if tell:
        for notice in store.notices:
            print(f"quiz: {notice}", file=sys.stderr)
    return store


def _check_deck_ids(ctx: Context, deck_ids: Sequence[str]) -> None:
    known = [deck.id for deck in ctx.decks]
    for deck_id in deck_ids:
        if deck_id not in known:
            raise UsageError(f'no deck "{deck_id}"; the decks are: {", ".join(known) or "none"}')


def _need_terminal() -> None:
    """The screens read keys from a terminal: without one (a pipe, a file, a closed input)
    the app would wait on input that never comes.

    Raises:
        UsageError: standard input or output is not a terminal.
    """
    for name, stream in (("input", sys.__stdin__), ("error", sys.__stderr__)):
        try:
            ok = stream is not None and stream.isatty()
        except (ValueError, OSError):  # closed
            ok = False
        if not ok:
            raise UsageError(
                f"the screens need a terminal, and standard {name} is not one; run quiz in a"
                " terminal, or use a command that prints (quiz stats, quiz validate, ...)"
            )


def _run_app(
    args: argparse.Namespace,
    env: Mapping[str, str],
    start: Literal["decks", "study", "practice"],
) -> int:
    # No collection while decks and progress load: the app freezes them and collects again
    # once its first screen is drawn (quiz.services.collector).
    with collector.paused():
        ctx = _context(args, env, tell=False)
        deck_ids = list(getattr(args, "deck_ids", []) or [])
        _check_deck_ids(ctx, deck_ids)
        _need_terminal()
        if ctx.settings.pictures and any(deck.pictures for deck in ctx.decks):
            from quiz.services.terminal_answers import FILE
            from quiz.ui import terminal_probe

            # asked while the app is imported and the store opened; remembered for next time
            terminal_probe.start(ctx.cache_dir / FILE if ctx.cache_dir else None)
        from quiz.ui.app import make_app

        store = _open_store(ctx.data_dir, tell=False, cache_dir=ctx.cache_dir)
        try:
            app = make_app(
                ctx, store, start=start, deck_ids=deck_ids or None, tags=getattr(args, "tag", [])
            )
            app.run()
        finally:
            store.close()
    return app.return_code or EXIT_OK


def _browse(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    return _run_app(args, env, "decks")


def _study(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    return _run_app(args, env, "study")


def _practice(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    return _run_app(args, env, "practice")


def _validate(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import validate

    today = clock.today(env)
    return validate.run(
        args.paths,
        strict=args.strict,
        fmt=args.format,
        out=sys.stdout,
        err=sys.stderr,
        today=today,
        cue_figures=args.cues,
    )


def _key(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import key

    return key.run(
        Path(args.deck),
        [Path(p) for p in args.panels],
        fmt=args.format,
        output=Path(args.output) if args.output else None,
        apply_keys=args.apply,
        out=sys.stdout,
        now=clock.now(),
    )


def _new_deck(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands.authoring import new_deck

    today = clock.today(env)
    path = Path(args.path)
    return new_deck.run(path, deck_id_given=args.id, title=args.title, today=today, out=sys.stdout)


def _schema(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands.authoring import schema_cmd

    output = Path(args.output) if args.output else None
    return schema_cmd.run(output, out=sys.stdout, err=sys.stderr)


def _fmt(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands.authoring import fmt

    paths = [Path(p) for p in args.paths]
    return fmt.run(paths, ids=args.add_ids, check=args.check, out=sys.stdout, err=sys.stderr)


def _preview(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands.authoring import check_preview_path
    from quiz.ui.screens.preview import run_preview

    path = Path(args.path)
    check_preview_path(path)
    _need_terminal()
    return run_preview(path, today=clock.today(env))


def _panel(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import panel

    return panel.run(Path(args.path), args.name, Path(args.output), ready=_need_terminal)


def _import(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands.authoring import anki_import

    return anki_import.run(
        Path(args.source),
        Path(args.output),
        deck_id_given=args.id,
        title=args.title,
        force=args.force,
        out=sys.stdout,
        err=sys.stderr,
    )


def _export(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.anki import export as anki_export

    output = Path(args.output)
    deck = anki_export.find_deck(args.deck, lambda: _context(args, env).decks)
    target = anki_export.target_for(args.to, output)
    return anki_export.run(
        deck, output, target, out=sys.stdout, err=sys.stderr, timestamp=clock.now().timestamp()
    )


def _stats(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import stats as stats_command

    ctx = _context(args, env)
    store = _open_store(ctx.data_dir, cache_dir=ctx.cache_dir)
    try:
        with collector.paused():  # the fold's many objects hold no cycles
            return stats_command.run(ctx, store, as_json=args.json, out=sys.stdout)
    finally:
        store.close()


def _report(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import report

    ctx = _context(args, env)
    store = _open_store(ctx.data_dir, cache_dir=ctx.cache_dir)
    try:
        with collector.paused():  # the fold's many objects hold no cycles
            return report.run(ctx, store, args.output, out=sys.stdout)
    finally:
        store.close()


def _results(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import results

    ctx = _context(args, env)
    _check_deck_ids(ctx, args.deck_ids)
    decks = [d for d in ctx.decks if not args.deck_ids or d.id in args.deck_ids]
    store = _open_store(ctx.data_dir)
    try:
        return results.run(
            decks, store.entries(), Path(args.output), name=args.name, out=sys.stdout
        )
    finally:
        store.close()


def _items(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import question_analysis as items

    output = Path(args.output) if args.output else None
    return items.run(
        Path(args.deck),
        [Path(p) for p in args.results],
        fmt=args.format,
        output=output,
        out=sys.stdout,
    )


def _backup(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.storage import folder, paths

    data_dir = paths.data_dir(args.data, env)
    made = folder.backup_now(data_dir, clock.now())
    print(f"backed up to {made}" if made else f"{data_dir}: no progress to back up yet")
    return EXIT_OK


def _restore(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.storage import folder, paths

    data_dir = paths.data_dir(args.data, env)
    if args.list:
        found = folder.backups(data_dir)
        for backup in found:
            print(backup.name)
        if not found:
            print(f"{data_dir}: no backups yet", file=sys.stderr)
        return EXIT_OK
    done = folder.restore(data_dir, args.name, clock.now(), exact=args.exact)
    name, aside = done.backup.name, done.aside
    if done.kept is None:
        print(f"restored {name} exactly as it was; the files it replaced are in {aside}")
    elif done.kept == 0:
        print(
            f"restored {name} (no answers were made after it); the files it replaced are in {aside}"
        )
    else:
        answers = "the answer" if done.kept == 1 else f"the {done.kept} answers"
        print(
            f"restored {name}, with {answers} made after it on top; the files it replaced are"
            f" in {aside}"
        )
    if done.not_kept:
        print(
            f"quiz: {done.not_kept}; so the answers made after {name} were not kept (they are"
            f" still in {aside})",
            file=sys.stderr,
        )
    return EXIT_OK


def _repair(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import repair
    from quiz.storage import paths

    data_dir = paths.data_dir(args.data, env)
    if args.check:

        def deck_keys() -> set[str]:
            return {item.key for item in _context(args, env).items()}

        return repair.run_check(data_dir, deck_keys, fmt=args.format, out=sys.stdout)

    def reopen(folder: Path) -> int:
        store = _open_store(folder)
        try:
            return sum(1 for _ in store.entries())
        finally:
            store.close()

    return repair.run_repair(data_dir, now=clock.now(), reopen=reopen, out=sys.stdout)


# --- what no command may write over ---

INPUTS = ("deck", "path", "source", "panels", "results", "paths")
"""The arguments naming files a command reads."""
RESUMED = {"panel"}
"""Commands whose -o file is read and added to, not replaced."""


def _check_paths(args: argparse.Namespace, env: Mapping[str, str]) -> None:
    """Refuse an empty argument (`--data ""` would else mean the default folder), and an
    output that is inside the progress folder (only the store writes there), the file the
    command reads, or a file that exists (without --force).

    Raises:
        UsageError: an empty argument.
        AuthoringError: an output that must not be written, saying why.
    """
    from quiz.commands.authoring import AuthoringError

    for name in ("data", "decks", "output", *INPUTS):
        value = getattr(args, name, None)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and not v.strip() for v in values):
            option = name.upper() if name in INPUTS else f"--{name}"
            raise UsageError(f"{option}: is an empty path; give a file or a folder")
    made = args.path if args.command == "new-deck" else None  # it refuses to overwrite
    raw = getattr(args, "output", None) or made
    if raw is None or raw == "-":
        return
    output = Path(raw)
    target = output.resolve()
    data = paths.data_dir(args.data, env).resolve()
    if target == data or target.is_relative_to(data):
        raise AuthoringError(
            f"{output}: is inside the progress folder {data}, where only quiz's store writes;"
            " choose a path outside it"
        )
    if made is not None:
        return
    for name in INPUTS:
        given = getattr(args, name, None)
        for each in given if isinstance(given, list) else [given]:
            if isinstance(each, str) and _same_file(Path(each), output):
                raise AuthoringError(
                    f"{output}: is the file this command reads; choose another output"
                )
    exists = (output.exists() and not output.is_dir()) or output.is_symlink()
    if exists and args.command not in RESUMED and not getattr(args, "force", False):
        raise AuthoringError(f"{output}: already exists; give --force to replace it")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


# --- entry point ---


class Shown(io.TextIOBase):
    """A text stream whose control characters are made visible on the way out
    (quiz.core.text): file names, deck text, panellists' names and backup names reach the
    terminal as text, never as escape sequences. quiz's own output has none; JSON keeps its
    meaning (its C0 controls are escaped already, C1 controls become `\\u009b`)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(visible(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()


def _fail(message: str, code: int, err: TextIO) -> int:
    print(f"quiz: {message}", file=err)
    return code


SCREENS: frozenset[Handler] = frozenset({_browse, _study, _practice, _preview, _panel})
"""The commands that open screens (Textual writes to the terminal itself)."""


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run quiz; returns the exit status. Never lets a traceback reach the user for bad input."""
    from quiz.commands.authoring import AuthoringError
    from quiz.core.progress import StoreError
    from quiz.deckfile.deck import DeckError

    environ = dict(os.environ if env is None else env)
    streams = sys.stdout, sys.stderr
    try:
        args = build_parser().parse_args(argv)
        _check_paths(args, environ)
        handler: Handler = getattr(args, "handler", _browse)
        if handler not in SCREENS:  # the screens show file text through quiz.ui.text
            sys.stdout, sys.stderr = Shown(streams[0]), Shown(streams[1])
        return handler(args, environ)
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE, sys.stderr)
    except clock.ClockError as exc:
        return _fail(str(exc), EXIT_USAGE, sys.stderr)
    except (StoreError, DeckError, AuthoringError) as exc:
        return _fail(str(exc), EXIT_FAIL, sys.stderr)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}", EXIT_FAIL, sys.stderr)
    except KeyboardInterrupt:
        return 130
    finally:
        sys.stdout, sys.stderr = streams
