"""`quiz repair --check`: read the whole progress folder and say what is wrong, changing nothing.

Unreadable and missing stretches of the log (and what `quiz repair` would do with each), closed
segments whose bytes do not match their name, the checkpoint against a replay of the whole log,
undo records whose target is missing, backups that fail to read; and, as a note, progress of
cards that no loaded deck holds (kept: it comes back with the card).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from quiz.core.progress import StoreError, state_from_dict
from quiz.storage import segments
from quiz.storage.folder import PROGRESS_FILE, acquire_lock, backups, read_backup
from quiz.storage.recovery.reading import Layout, known_lost, read_layout
from quiz.storage.recovery.repair import Plan, describe_path, plan, span

SHOWN = 5
"""Keys named in a finding before "and N more"."""


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    """The file, relative to the progress folder where it is inside it."""
    what: str

    def line(self) -> str:
        return f"{self.path}: {self.what}"


@dataclass
class Report:
    folder: Path
    problems: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    segments: int = 0
    entries: int = 0
    backups: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check(folder: Path, deck_keys: Collection[str] | None) -> Report:
    """Check the progress folder under its lock; `deck_keys`: the progress keys of every
    loaded deck's items (None: do not compare).

    Raises:
        StoreError: another quiz uses the folder, or it cannot be read.
    """
    if not folder.is_dir():
        raise StoreError(f"{folder}: no such progress folder")
    lock = acquire_lock(folder)
    try:
        try:
            return _check(folder, deck_keys)
        except OSError as exc:
            where = exc.filename or folder
            raise StoreError(f"{where}: cannot read: {exc.strerror or exc}") from None
    finally:
        lock.release()


def _check(folder: Path, deck_keys: Collection[str] | None) -> Report:
    report = Report(folder)
    layout = read_layout(folder)
    report.segments = len(layout.segments)
    _log(report, layout, plan(folder, layout))
    replayed, last_id, open_number, open_size, ids = _replay(layout)
    report.entries = len(ids)
    _undos(report, layout, ids)
    states = _checkpoint(report, folder, layout, last_id, open_number, open_size)
    if deck_keys is not None:
        known = set(deck_keys)
        orphans = sorted(key for key in set(replayed) | set(states or {}) if key not in known)
        if orphans:
            report.notes.append(
                Finding(
                    PROGRESS_FILE,
                    f"{len(orphans)} card(s) with progress are in no loaded deck"
                    f" ({_some(orphans)}); their progress is kept and comes back with the card",
                )
            )
    for made in backups(folder):
        report.backups += 1
        try:
            read_backup(made)
        except StoreError as exc:
            report.problems.append(Finding(describe_path(folder, made), _after_path(exc, made)))
    return report


def _after_path(exc: StoreError, made: Path) -> str:
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text and str(made) in text else text


def _some(keys: list[str]) -> str:
    shown = ", ".join(keys[:SHOWN])
    return shown if len(keys) <= SHOWN else f"{shown} and {len(keys) - SHOWN} more"


def _log(report: Report, layout: Layout, found: Plan) -> None:
    folder = report.folder
    for stray in layout.strays:
        report.problems.append(
            Finding(
                describe_path(folder, stray),
                "is not a segment of the review log, or repeats one; `quiz repair` sets it aside",
            )
        )
    for mend in found.mends:
        where = describe_path(folder, mend.path) if mend.path else f"segment {mend.number}"
        if mend.path is None:
            report.problems.append(Finding(where, "is missing"))
        for s in mend.stretches:
            if s.damaged:
                what = f"line {s.first_line} (bytes {s.start}-{s.end}) cannot be read"
            else:
                what = f"{span(s.ids)} missing (at byte {s.start})"
            if s.source is not None and not s.lost:
                fix = f"a copy holds it ({describe_path(folder, s.source)})"
            elif s.lost:
                fix = "no copy on the disk holds " + ", ".join(x.describe() for x in s.lost)
            else:
                fix = "it holds no answer"
            report.problems.append(Finding(where, f"{what}; {fix}"))
        if mend.path is not None and mend.closed and not mend.stretches:
            report.problems.append(
                Finding(where, "its bytes do not match its name; an exact copy restores them")
            )
    mended = {mend.number for mend in found.mends}
    for segment in layout.segments:
        if (
            segment.closed
            and segment.number not in mended
            and segments.digest(segment.data) != segment.digest
        ):
            report.problems.append(
                Finding(
                    describe_path(folder, segment.path),
                    "its bytes do not match its name (they changed after it was closed), and"
                    " no copy on the disk has the bytes it was closed with",
                )
            )
    lost = known_lost(folder)
    if lost:
        report.notes.append(
            Finding("replaced", f"{len(lost)} entries were lost in an earlier repair (quarantined)")
        )


def _replay(layout: Layout) -> tuple[dict[str, Any], int, int, int, set[int]]:
    """The states a replay of the whole log gives, by key (as log dicts); the last id; the
    open segment's number and size; every entry id."""
    states: dict[str, Any] = {}
    ids: set[int] = set()
    last = 0
    for segment in layout.segments:
        for line in segment.lines:
            if line.doc is None or line.entry_id is None:
                continue
            states[str(line.doc["k"])] = line.doc["a"]
            ids.add(line.entry_id)
            last = max(last, line.entry_id)
    open_segment = layout.segments[-1] if layout.segments else None
    number = open_segment.number if open_segment and not open_segment.closed else 0
    size = len(open_segment.data) if open_segment and not open_segment.closed else 0
    return states, last, number, size, ids


def _undos(report: Report, layout: Layout, ids: set[int]) -> None:
    for segment in layout.segments:
        for number, line in enumerate(segment.lines, start=1):
            doc = line.doc
            if doc is None or doc.get("kind") != "undo":
                continue
            if int(doc["of"]) not in ids:
                report.problems.append(
                    Finding(
                        describe_path(report.folder, segment.path),
                        f"line {number}: the undo #{doc['id']} cancels answer #{doc['of']},"
                        " which is not in the log",
                    )
                )


def _checkpoint(
    report: Report, folder: Path, layout: Layout, log_last: int, open_number: int, size: int
) -> dict[str, Any] | None:
    """Compare progress.json with the log replayed up to the id it covers; its states."""
    path = folder / PROGRESS_FILE
    where = PROGRESS_FILE
    if not path.is_file():
        if layout.segments:
            report.notes.append(Finding(where, "is absent; quiz rebuilds it from the log"))
        return None
    try:
        doc = orjson.loads(path.read_bytes())
        meta = dict(doc.get("meta", {}).get("1", {}))
        raw_states = doc.get("states", {})
        states = {str(k): state_from_dict(v) for k, v in raw_states.items()}
        last_id = int(meta.get("last_id", 0))
        segment = int(meta.get("segment", 1))
        log_size = int(meta.get("log_size", 0))
    except (ValueError, TypeError, KeyError, AttributeError, orjson.JSONDecodeError):
        report.problems.append(
            Finding(where, "cannot be read (it is damaged); `quiz repair` rebuilds it from the log")
        )
        return None
    rebuild = "; `quiz repair` rebuilds it from the log"
    beyond = range(log_last + 1, last_id + 1) if last_id > log_last else range(0)
    named = sum(1 for i in known_lost(folder) if log_last < i <= last_id)
    kept = bool(beyond) and named == len(beyond)  # what the log lost, named by a repair
    if beyond and not kept:
        report.problems.append(
            Finding(
                where,
                f"covers answers up to #{last_id}, but the log ends at #{log_last}: quiz keeps"
                " its states (the only record of those answers); `quiz repair` mends the log"
                " from the copies on the disk",
            )
        )
        rebuild = ""
    elif kept:
        report.notes.append(
            Finding(
                where,
                f"covers answers up to #{last_id}, beyond the log's #{log_last}: it keeps the"
                " states of the answers an earlier repair could not recover",
            )
        )
    beyond_place = open_number and (
        segment > open_number or (segment == open_number and log_size > size)
    )
    if beyond_place and not beyond:  # with `beyond`, said above
        report.problems.append(
            Finding(
                where,
                f"covers segment {segment} up to byte {log_size}, beyond the log"
                f" (segment {open_number}, {size} bytes){rebuild}",
            )
        )
    expected: dict[str, Any] = {}
    for part in layout.segments:
        for line in part.lines:
            if line.doc is not None and line.entry_id is not None and line.entry_id <= last_id:
                expected[str(line.doc["k"])] = line.doc["a"]
    differ = sorted(
        key
        for key in set(expected) | set(states)
        if key not in expected or key not in states or _state(expected[key]) != states[key]
    )
    if differ and kept:
        report.notes.append(
            Finding(
                where,
                f"{len(differ)} card state(s) differ from the log ({_some(differ)}): they hold"
                " the answers no copy on the disk held",
            )
        )
    elif differ:
        report.problems.append(
            Finding(
                where,
                f"{len(differ)} card state(s) disagree with the log ({_some(differ)}){rebuild}",
            )
        )
    if log_last > last_id:
        report.notes.append(
            Finding(
                where,
                f"answers #{last_id + 1}-#{log_last} are in the log only"
                " (the next start applies them)",
            )
        )
    return states


def _state(doc: Any) -> Any:
    try:
        return state_from_dict(doc)
    except (ValueError, TypeError, KeyError):
        return None


def as_json(report: Report) -> bytes:
    return orjson.dumps(
        {
            "folder": str(report.folder),
            "ok": report.ok,
            "problems": [{"path": f.path, "what": f.what} for f in report.problems],
            "notes": [{"path": f.path, "what": f.what} for f in report.notes],
            "segments": report.segments,
            "entries": report.entries,
            "backups": report.backups,
        },
        option=orjson.OPT_INDENT_2,
    )
