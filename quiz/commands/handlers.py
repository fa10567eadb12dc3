"""What each command of the command line does, once `quiz.commands.cli` has parsed it.

Every handler takes the parsed arguments and the environment and returns the exit status;
bad input from the user raises `UsageError` (one line, exit status 2).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from quiz.commands import EXIT_FAIL, EXIT_OK
from quiz.services import collector
from quiz.storage import clock, paths

if TYPE_CHECKING:
    from quiz.core.schedulers import Scheduler
    from quiz.deckfile.findings import Skipped
    from quiz.services.context import Context
    from quiz.storage.store import FileStore


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


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


def _open_store(
    data_dir: Path,
    *,
    tell: bool = True,
    cache_dir: Path | None = None,
    scheduler: Scheduler | None = None,
) -> FileStore:
    """Open the progress store; with `tell`, print what it repaired by itself to stderr (the
    app shows it instead). `cache_dir`: where the statistics keep the log's fold. With
    `scheduler`, states computed under another are recomputed from the log under it, with
    its progress on stderr."""
    from quiz.storage.store import FileStore

    store = FileStore.open(data_dir, cache_dir, scheduler=scheduler, progress=_replay_progress)
    if tell:
        for notice in store.notices:
            print(f"quiz: {notice}", file=sys.stderr)
    return store


def _replay_progress(done: int, total: int) -> None:
    """The replay's progress on one line of stderr (a large log takes seconds)."""
    end = "\n" if done >= total else "\r"
    print(f"quiz: recomputing card states from the log: {done}/{total}", end=end, file=sys.stderr)


def _scheduler(ctx: Context, *, tell: bool = True) -> Scheduler:
    """The scheduler the settings choose; with `tell`, a problem with it on stderr."""
    from quiz.services.exams import with_exams
    from quiz.services.scheduling import scheduler_for

    scheduler, notices = scheduler_for(ctx.settings, ctx.data_dir)
    scheduler, problems = with_exams(scheduler, ctx.data_dir, ctx.items())
    notices += problems
    if tell:
        for notice in notices:
            print(f"quiz: {notice}", file=sys.stderr)
    else:
        ctx.notices.extend(notices)
    return scheduler


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

        scheduler = _scheduler(ctx, tell=False)
        store = _open_store(ctx.data_dir, tell=False, cache_dir=ctx.cache_dir, scheduler=scheduler)
        try:
            app = make_app(
                ctx,
                store,
                start=start,
                deck_ids=deck_ids or None,
                tags=getattr(args, "tag", []),
                scheduler=scheduler,
            )
            app.run()
        finally:
            store.close()
    return app.return_code or EXIT_OK


def browse(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    return _run_app(args, env, "decks")


def study(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    return _run_app(args, env, "study")


def practice(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    return _run_app(args, env, "practice")


def validate(args: argparse.Namespace, env: Mapping[str, str]) -> int:
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


def key(args: argparse.Namespace, env: Mapping[str, str]) -> int:
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


def new_deck(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands.authoring import new_deck

    today = clock.today(env)
    path = Path(args.path)
    return new_deck.run(path, deck_id_given=args.id, title=args.title, today=today, out=sys.stdout)


def schema(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands.authoring import schema_cmd

    output = Path(args.output) if args.output else None
    return schema_cmd.run(output, out=sys.stdout, err=sys.stderr)


def fmt(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands.authoring import fmt

    paths = [Path(p) for p in args.paths]
    return fmt.run(paths, ids=args.add_ids, check=args.check, out=sys.stdout, err=sys.stderr)


def preview(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands.authoring import check_preview_path
    from quiz.ui.screens.preview import run_preview

    path = Path(args.path)
    check_preview_path(path)
    _need_terminal()
    return run_preview(path, today=clock.today(env))


def panel(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import panel

    return panel.run(Path(args.path), args.name, Path(args.output), ready=_need_terminal)


def import_notes(args: argparse.Namespace, env: Mapping[str, str]) -> int:
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


def export(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.anki import export as anki_export

    output = Path(args.output)
    deck = anki_export.find_deck(args.deck, lambda: _context(args, env).decks)
    target = anki_export.target_for(args.to, output)
    return anki_export.run(
        deck, output, target, out=sys.stdout, err=sys.stderr, timestamp=clock.now().timestamp()
    )


def stats(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import stats as stats_command

    ctx = _context(args, env)
    scheduler = _scheduler(ctx)
    store = _open_store(ctx.data_dir, cache_dir=ctx.cache_dir, scheduler=scheduler)
    try:
        with collector.paused():  # the fold's many objects hold no cycles
            return stats_command.run(
                ctx, store, as_json=args.json, out=sys.stdout, scheduler=scheduler
            )
    finally:
        store.close()


def report(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import report

    ctx = _context(args, env)
    scheduler = _scheduler(ctx)
    store = _open_store(ctx.data_dir, cache_dir=ctx.cache_dir, scheduler=scheduler)
    try:
        with collector.paused():  # the fold's many objects hold no cycles
            return report.run(ctx, store, args.output, out=sys.stdout, scheduler=scheduler)
    finally:
        store.close()


def results(args: argparse.Namespace, env: Mapping[str, str]) -> int:
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


def items(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import question_analysis as items

    output = Path(args.output) if args.output else None
    return items.run(
        Path(args.deck),
        [Path(p) for p in args.results],
        fmt=args.format,
        output=output,
        out=sys.stdout,
    )


def backup(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.storage import folder

    data_dir = paths.data_dir(args.data, env)
    made = folder.backup_now(data_dir, clock.now())
    print(f"backed up to {made}" if made else f"{data_dir}: no progress to back up yet")
    return EXIT_OK


def optimize(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.services import optimize as fitting

    ctx = _context(args, env)
    store = _open_store(ctx.data_dir)
    try:
        log = list(store.records())
    finally:
        store.close()

    def tell(line: str) -> None:
        print(f"quiz optimize: {line}", file=sys.stderr)

    try:
        report = fitting.optimise(
            log,
            now=clock.now().isoformat(timespec="seconds"),
            retention=ctx.settings.desired_retention,
            progress=tell,
        )
    except (fitting.TooFew, fitting.NoOptimiser) as exc:
        print(f"quiz: {ctx.data_dir}: {exc}", file=sys.stderr)
        return EXIT_FAIL
    try:
        path = fitting.save(ctx.data_dir, report.fitted)
    except OSError as exc:
        print(f"quiz: {ctx.data_dir}: cannot save the parameters: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print("\n".join(fitting.lines(report)))
    using = ctx.settings.scheduler == "fsrs"
    print(
        f"Saved in {path}."
        + (
            " quiz uses them from the next start (the card states are recomputed then)."
            if using
            else ' Choose scheduler = "fsrs" in the settings to use them.'
        )
    )
    return EXIT_OK


def exam(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.core.exams import Exam
    from quiz.services import exams

    ctx = _context(args, env)
    try:
        if args.exam_action == "add":
            try:
                day = exams.parse_day(args.day)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            wanted = Exam(args.name, day, tuple(args.deck_ids), tuple(args.tag), args.seen_by)
            try:
                path = exams.add(
                    ctx.data_dir,
                    wanted,
                    ctx.today,
                    [deck.id for deck in ctx.decks],
                    ctx.study_tags(),
                )
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            print(f'set the exam "{wanted.name}" on {day.isoformat()} (in {path})')
            return _exam_list(ctx, only=wanted.name)
        if args.exam_action == "remove":
            try:
                exams.remove(ctx.data_dir, args.name)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            print(f'removed the exam "{args.name}"')
            return EXIT_OK
        return _exam_list(ctx)
    except exams.ExamsError as exc:
        print(f"quiz: {exc}", file=sys.stderr)
        return EXIT_FAIL


def _exam_list(ctx: Context, only: str | None = None) -> int:
    from quiz.services import exams

    set_ = exams.load(ctx.data_dir)
    if not set_:
        print("no exam set (quiz exam add NAME DATE DECK...)")
        return EXIT_OK
    scheduler = _scheduler(ctx)
    store = _open_store(ctx.data_dir, cache_dir=ctx.cache_dir, scheduler=scheduler)
    try:
        chosen = [e for e in set_ if only is None or e.name == only]
        found = exams.context_readiness(ctx, store, scheduler, chosen)
    finally:
        store.close()
    for line in exams.readiness_lines(found, set_ if only is None else [], ctx.today):
        print(line)
    return EXIT_OK


def restore(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.storage import folder

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


def repair(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from quiz.commands import repair

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
