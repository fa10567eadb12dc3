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
from typing import TextIO

from quiz import __version__
from quiz.commands import EXIT_FAIL, EXIT_USAGE, REPORT_FORMATS, handlers
from quiz.commands.handlers import UsageError
from quiz.core.text import visible
from quiz.storage import clock, paths

Handler = Callable[[argparse.Namespace, Mapping[str, str]], int]


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
        ("study", "study due and new cards (all decks, or the decks named)", handlers.study),
        ("practice", "go through cards without scheduling anything", handlers.practice),
    ):
        sub = command(name, help_text, handler)
        sub.add_argument("deck_ids", nargs="*", metavar="DECK", help="deck id (default: all)")
        sub.add_argument(
            "--tag", action="append", default=[], help="only cards with this tag; repeatable"
        )

    sub = command(
        "validate", "check deck files; exit 0 clean, 1 errors, 2 usage", handlers.validate
    )
    sub.add_argument("paths", nargs="+", metavar="PATH", help="deck file or folder of decks")
    sub.add_argument("--strict", action="store_true", help="also warn, and fail on warnings")
    sub.add_argument("--format", choices=REPORT_FORMATS, default="text", help="output form")
    sub.add_argument(
        "--cues",
        action="store_true",
        help="also report each deck's cue figures for scenario questions (docs/authoring.md)",
    )

    _authoring_commands(command)

    sub = command("key", "check a deck's scenario keys against a panel's answers", handlers.key)
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

    sub = command("stats", "show progress figures per deck", handlers.stats)
    sub.add_argument("--json", action="store_true", help="print JSON instead of a table")

    sub = command(
        "report", "write a Markdown summary of your progress, for a supervisor", handlers.report
    )
    sub.add_argument(
        "-o", "--output", required=True, metavar="FILE.md", help="file to write (-: print)"
    )
    _force_option(sub)

    sub = command(
        "results", "export your scenario answers for your teacher's item analysis", handlers.results
    )
    sub.add_argument("deck_ids", nargs="*", metavar="DECK", help="deck id (default: all)")
    sub.add_argument(
        "-o", "--output", required=True, metavar="RESULTS.json", help="the file to write"
    )
    _force_option(sub)
    sub.add_argument("--as", dest="name", metavar="NAME", help="put NAME in the file")

    sub = command(
        "items", "item analysis of a deck's scenario questions from results", handlers.items
    )
    sub.add_argument("deck", metavar="DECK.json", help="the deck file")
    sub.add_argument("results", nargs="+", metavar="RESULTS.json", help="students' results")
    sub.add_argument("--format", choices=("markdown", "json"), default="markdown")
    sub.add_argument("-o", "--output", metavar="REPORT", help="write the report to this file")
    _force_option(sub)

    command(
        "backup", "copy the progress files into the progress folder's backups/", handlers.backup
    )
    command("optimize", "fit FSRS-6's parameters to your own review log", handlers.optimize)
    _exam_commands(
        command("exam", "set, list or remove the exams you revise for", handlers.exam), common
    )
    sub = command(
        "restore",
        "bring back a backup of the progress files (the newest), with the answers made after"
        " it on top",
        handlers.restore,
    )
    sub.add_argument("name", nargs="?", help="the backup to restore (see `quiz restore --list`)")
    sub.add_argument("--list", action="store_true", help="list the backups and stop")
    sub.add_argument(
        "--exact",
        action="store_true",
        help="bring the backup back exactly as it was, without the answers made after it",
    )
    sub = command(
        "repair", "mend a damaged review log from the copies on the disk", handlers.repair
    )
    sub.add_argument(
        "--check", action="store_true", help="only read everything and report; change nothing"
    )
    sub.add_argument("--format", choices=REPORT_FORMATS, default="text", help="--check's output")
    return parser


def _exam_commands(exam: argparse.ArgumentParser, common: Parser) -> None:
    """`quiz exam add|list|remove`, each taking the global options too."""
    actions = exam.add_subparsers(
        dest="exam_action", metavar="ACTION", parser_class=Parser, required=True
    )
    add = actions.add_parser(
        "add", help="set an exam: its name, date and the decks it covers", parents=[common]
    )
    add.add_argument("name", metavar="NAME", help="the exam's name")
    add.add_argument("day", metavar="DATE", help="the exam's date, YYYY-MM-DD")
    add.add_argument("deck_ids", nargs="*", metavar="DECK", help="a deck the exam covers")
    add.add_argument(
        "--tag", action="append", default=[], metavar="T", help="also cover cards tagged T"
    )
    add.add_argument(
        "--seen-by",
        type=int,
        default=7,
        metavar="DAYS",
        help="see every card at least DAYS days before the exam (default 7)",
    )
    actions.add_parser(
        "list", help="the exams set, and how ready you are for each", parents=[common]
    )
    remove = actions.add_parser("remove", help="remove an exam", parents=[common])
    remove.add_argument("name", metavar="NAME", help="the exam's name")


def _authoring_commands(command: Callable[[str, str, Handler], argparse.ArgumentParser]) -> None:
    """new-deck, schema, fmt, preview, panel, import, export: the teachers' toolkit."""
    sub = command(
        "new-deck", "write a starter deck: one card of each kind, explained", handlers.new_deck
    )
    sub.add_argument("path", metavar="PATH", help="the new deck file (.json); never overwritten")
    sub.add_argument("--id", help="deck id (default: made from the file name)")
    sub.add_argument("--title", help="deck title (default: made from the file name)")

    sub = command("schema", "print the deck format's JSON Schema, for your editor", handlers.schema)
    sub.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead")
    _force_option(sub)

    sub = command("fmt", "lay deck files out the standard way (indent, field order)", handlers.fmt)
    sub.add_argument("paths", nargs="+", metavar="DECK", help="deck file or folder of decks")
    sub.add_argument(
        "--add-ids",
        action="store_true",
        help="give each card and option without an id one from its text",
    )
    sub.add_argument("--check", action="store_true", help="change nothing; exit 1 if any would")

    sub = command(
        "preview", "see every card of a deck file; reloads when it is saved", handlers.preview
    )
    sub.add_argument("path", metavar="DECK.json", help="the deck file")

    sub = command(
        "panel", "key a deck's scenario questions blind, as one panellist", handlers.panel
    )
    sub.add_argument("path", metavar="DECK.json", help="the deck file")
    sub.add_argument("--as", dest="name", required=True, metavar="NAME", help="the panellist")
    sub.add_argument(
        "-o", "--output", required=True, metavar="PANEL.json", help="answers file (resumed)"
    )

    sub = command(
        "import", "make a deck from an Anki export (.apkg, or notes as text)", handlers.import_notes
    )
    sub.add_argument("source", metavar="FILE", help="an .apkg, or notes exported as text")
    sub.add_argument("-o", "--output", required=True, metavar="DECK.json", help="the new deck")
    sub.add_argument("--id", help="deck id (default: made from the output file name)")
    sub.add_argument("--title", help="deck title (default: the Anki deck's name or file name)")
    sub.add_argument("--force", action="store_true", help="replace the output if it exists")

    sub = command(
        "export", "write a deck for Anki or AnkiDroid (.apkg or notes as text)", handlers.export
    )
    sub.add_argument("deck", metavar="DECK", help="a deck file, or the id of a loaded deck")
    sub.add_argument("--to", choices=("apkg", "csv"), help="format (default: from -o's suffix)")
    sub.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    _force_option(sub)


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


SCREENS: frozenset[Handler] = frozenset(
    {handlers.browse, handlers.study, handlers.practice, handlers.preview, handlers.panel}
)
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
        handler: Handler = getattr(args, "handler", handlers.browse)
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
