"""The answers a log holds after a backup's last one: what `quiz restore` keeps on top of it.

The log is append-only, so a log that goes on from a backup holds the backup's last entry line,
byte for byte, and after it the entries made since, their ids running on one by one. Those
lines are kept verbatim (ids, undo records and all) at the end of the restored open segment.
A log that does not hold that line (it was restored from an older backup since, or is damaged
there), or whose lines after it do not all parse and run on, has nothing that can be kept
safely: `NotKept` says why, and the backup is restored as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from quiz.storage import segments
from quiz.storage.segments import LOG_FILE, SegmentError


class NotKept(Exception):
    """The answers after the backup cannot be read safely; the message says where and why."""


@dataclass(frozen=True, slots=True)
class LastEntry:
    """A backup's last log entry."""

    id: int
    line: bytes
    """Its line, without the newline."""


def last_entry(closed: Sequence[Path], log: bytes | None) -> LastEntry | None:
    """The last entry of a backup's log: its open segment `log`, else its closed segments
    `closed` (oldest first) from the newest back; None if it holds no entry.

    Raises:
        NotKept: a whole line at its end does not parse (the backup was saved damaged).
    """
    if log is not None:
        found = _last_in(log, Path(LOG_FILE))
        if found is not None:
            return found
    for path in reversed(closed):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise NotKept(f"{path}: cannot read: {exc.strerror or exc}") from None
        found = _last_in(data, path)
        if found is not None:
            return found
    return None


def _last_in(data: bytes, path: Path) -> LastEntry | None:
    """The last entry among the whole lines of `data` (a torn last line is left out)."""
    for line in reversed(data.split(b"\n")[:-1]):
        if not line.strip():
            continue
        doc = _parse(line)
        if doc is None:
            raise NotKept(f"{path}: its last line does not parse")
        if "quiz_log" in doc:
            return None  # the header: no entry in this segment
        entry_id = doc.get("id")
        if type(entry_id) is not int:
            raise NotKept(f"{path}: its last line is not a log entry")
        return LastEntry(entry_id, line)
    return None


def _parse(line: bytes) -> dict[str, object] | None:
    try:
        doc = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return doc if isinstance(doc, dict) else None


def lines_after(folder: Path, last: LastEntry | None) -> list[bytes]:
    """The log lines of the progress folder (or set-aside copy of one) `folder` after `last`,
    each with its newline, in order; a torn last line of the open segment (never
    acknowledged) is left out. The segment holding `last` is found from the newest back by
    their first lines; those before it are not read.

    Raises:
        NotKept: the log there does not go on from `last`, or a line after it does not parse
        or is not the next entry.
    """
    try:
        parts = segments.all_segments(folder)
    except SegmentError as exc:
        raise NotKept(f"{exc.path}: {exc.what}") from None
    except ValueError as exc:
        raise NotKept(f"{folder / LOG_FILE}: written by a newer quiz (log format {exc})") from None
    except OSError as exc:
        raise NotKept(f"{folder / LOG_FILE}: cannot read: {exc.strerror or exc}") from None
    found = last is None
    expected = last.id + 1 if last is not None else 1
    damage: str | None = None
    kept: list[bytes] = []
    for part in parts[_first_to_read(parts, last) :]:
        try:
            data = part.path.read_bytes()
        except OSError as exc:
            raise NotKept(f"{part.path}: cannot read: {exc.strerror or exc}") from None
        lines = data.split(b"\n")
        if lines[-1].strip() and part.closed:
            raise NotKept(f"{part.path}: ends in the middle of a line")
        offset = 0
        for line in lines[:-1]:
            at, offset = offset, offset + len(line) + 1
            if not line.strip():
                continue
            if not found:
                assert last is not None
                found = line == last.line
                if not found and damage is None and _parse(line) is None:
                    damage = f"{part.path}: the line at byte {at} does not parse"
                continue
            doc = _parse(line)
            if doc is None:
                raise NotKept(f"{part.path}: the line at byte {at} does not parse")
            if "quiz_log" in doc:
                continue
            if doc.get("id") != expected:
                raise NotKept(
                    f"{part.path}: entry #{expected} is missing (byte {at} holds #{doc.get('id')})"
                )
            expected += 1
            kept.append(line + b"\n")
    if not found and parts:
        assert last is not None
        raise NotKept(
            damage
            or f"{parts[-1].path}: does not hold the backup's last answer (#{last.id}) as the"
            " backup has it: its answers are not on top of this backup"
        )
    return kept


def _first_to_read(parts: Sequence[segments.Segment], last: LastEntry | None) -> int:
    """The index of the segment that holds `last`: the newest whose first entry is no later
    than it (ids only grow along the log). Only the first lines of the newer ones are read;
    a segment whose first entry cannot be read is read whole."""
    if last is None:
        return 0
    for index in range(len(parts) - 1, -1, -1):
        first = _first_id(parts[index].path)
        if first is not None and (first < 0 or first <= last.id):
            return index
    return 0


def _first_id(path: Path) -> int | None:
    """The id of the first entry of a segment: None if it has none, -1 if it cannot be read."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(1 << 16)
    except OSError:
        return -1
    for line in start.split(b"\n")[:-1]:
        if not line.strip():
            continue
        doc = _parse(line)
        if doc is None:
            return -1
        if "quiz_log" in doc:
            continue
        entry_id = doc.get("id")
        return entry_id if type(entry_id) is int else -1
    return None if len(start) < 1 << 16 else -1


def answers(lines: Sequence[bytes]) -> int:
    """How many answers (entries not cancelled) `lines` add: undo records cancel one each (an
    undo of an answer before them takes none away from these)."""
    entries = undos = 0
    for line in lines:
        doc = _parse(line)
        if doc is not None and doc.get("kind") == "undo":
            undos += 1
        else:
            entries += 1
    return max(0, entries - undos)


def on_top(log: bytes | None, closed: int, later: Sequence[bytes]) -> bytes:
    """The restored open segment: the backup's (`log`, after `closed` closed segments; a torn
    last line of it left out, as the store would cut it) with `later` appended."""
    base = segments.header(closed + 1) if log is None else log[: log.rfind(b"\n") + 1]
    return base + b"".join(later)
