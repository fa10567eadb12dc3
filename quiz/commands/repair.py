"""`quiz repair` and `quiz repair --check`: mend a damaged log from the copies on the disk, or
only say what is wrong."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from pathlib import Path
from typing import TextIO

from quiz.commands import EXIT_FAIL, EXIT_OK
from quiz.storage.recovery.check import Report, as_json, check
from quiz.storage.recovery.repair import Outcome, describe_path, repair, span


def run_check(
    folder: Path, deck_keys: Callable[[], Collection[str]], *, fmt: str, out: TextIO
) -> int:
    """Report what is wrong in `folder`; exit 0 when all is well, 1 otherwise."""
    report = check(folder, deck_keys())
    if fmt == "json":
        out.write(as_json(report).decode() + "\n")
    else:
        _print_check(report, out)
    return EXIT_OK if report.ok else EXIT_FAIL


def _print_check(report: Report, out: TextIO) -> None:
    for finding in report.problems:
        print(finding.line(), file=out)
    for finding in report.notes:
        print(f"note: {finding.line()}", file=out)
    figures = (
        f"{report.segments} log segment(s), {report.entries} entries,"
        f" {report.backups} backup(s) read"
    )
    if report.ok:
        print(f"{report.folder}: all is well ({figures})", file=out)
    else:
        print(
            f"{report.folder}: {len(report.problems)} problem(s) found ({figures});"
            " `quiz repair` mends the log and the checkpoint, nothing else is changed",
            file=out,
        )


def run_repair(folder: Path, *, now: datetime, reopen: Callable[[Path], int], out: TextIO) -> int:
    """Mend the log, then rebuild the checkpoint with `reopen` (which opens the folder and
    returns how many entries the log holds). Exit 1 when an answer was lost."""
    outcome = repair(folder, now)
    if outcome.plan.empty:
        print(f"{folder}: nothing to repair (the log and the checkpoint read whole)", file=out)
        return EXIT_OK
    _print_repair(folder, outcome, out)
    entries = reopen(folder)
    assert outcome.aside is not None
    aside = describe_path(folder, outcome.aside)
    if outcome.plan.keeps_checkpoint:
        print(
            f"progress.json: kept, as the only record of the answers up to"
            f" #{outcome.plan.claim} that no copy holds (the log holds {entries} entries)",
            file=out,
        )
    else:
        print(f"progress.json: rebuilt from the log ({entries} entries)", file=out)
    recovered = sum(len(s.recovered) for s in outcome.plan.stretches)
    lost = outcome.plan.lost
    summary = f"repaired: {recovered} entries taken from copies on the disk, {len(lost)} lost"
    print(f"{summary}; the damaged files are in {aside}", file=out)
    return EXIT_FAIL if lost else EXIT_OK


def _print_repair(folder: Path, outcome: Outcome, out: TextIO) -> None:
    quarantine = {path.name: describe_path(folder, path) for path in outcome.quarantined}
    for mend in outcome.plan.mends:
        where = describe_path(folder, mend.path) if mend.path else f"segment {mend.number}"
        if mend.path is None:
            print(f"{where}: was missing; put back", file=out)
        if not mend.stretches:
            print(f"{where}: put back as it was closed (from an exact copy)", file=out)
        for s in mend.stretches:
            if s.damaged:
                what = f"line {s.first_line} (bytes {s.start}-{s.end}) could not be read"
            else:
                what = f"{span(s.ids)} missing"
            if s.recovered:
                source = describe_path(folder, s.source) if s.source else "?"
                what += f"; {span(s.recovered)} taken from {source}"
            kept = quarantine.get(f"quarantine-{mend.number:06d}.jsonl", "replaced/")
            if s.lost:
                rest = "the rest" if s.recovered else "it"
                what += f"; no copy on the disk holds {rest}: its bytes are kept in {kept}"
            elif s.damaged and not s.ids:
                what += f"; it held no entry (the ids run on around it): its bytes are in {kept}"
            print(f"{where}: {what}", file=out)
            for lost in s.lost:
                print(f"  lost: {lost.describe()}", file=out)
    for stray in outcome.plan.strays:
        print(f"{describe_path(folder, stray)}: not a segment of the log; set aside", file=out)
    if not outcome.plan.lost:
        print("no answer was lost", file=out)
