"""`quiz repair`: mend a damaged review log from the copies of its bytes that the disk holds.

The log is append-only, so any copy of segment N (a backup's packed open segment, a backup's
closed segment that is a copy rather than a link, an older quiz's backup, a file set aside in
replaced/) agrees byte for byte with the live segment up to the copy's length. A damaged
stretch of the live log (lines that do not parse, entry ids that jump, a segment missing) is
taken from a copy whose bytes before the stretch are the repaired log's and whose bytes after
it agree with the live log's. What no copy holds is written to a quarantine file with its byte
offsets, and each answer it held is named.

Steps, each safe to cut short (a second `quiz repair` finishes the work):
1. the quarantine files are written to replaced/<time>/;
2. progress.json is moved there (the log's offsets may change, and a store opening without
   a checkpoint replays the whole log);
3. each damaged segment is set aside there and its mended bytes put in its place (a closed
   one under the digest of its new bytes);
4. the checkpoint is rebuilt by opening the folder (the caller does it, once the lock is
   released).
Quarantine files name the ids they hold, so ids quarantined once are not reported again.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import orjson

from quiz.core.progress import StoreError
from quiz.storage import durable, segments
from quiz.storage.folder import (
    PROGRESS_FILE,
    REPLACED_DIR,
    aside_name,
    own_path,
    reason,
)
from quiz.storage.recovery.reading import (
    Copies,
    Copy,
    Layout,
    LiveSegment,
    checkpoint_claim,
    checkpoint_damaged,
    first_ids,
    known_lost,
    read_layout,
    read_line,
    split_lines,
)
from quiz.storage.segments import LOG_FILE, SEGMENT_DIR

QUARANTINE = "quarantine-{:06d}.jsonl"
QUARANTINE_FORMAT = 1
MAX_GAP = 1_000_000
"""The most entry ids one damaged stretch may lack: ids that jump further are not a log quiz
wrote (a repair names each id it lost, so this bounds what it holds in memory)."""
_FIELD = {
    name: re.compile(pattern)
    for name, pattern in (
        ("id", rb'"id":(\d+)'),
        ("k", rb'k":"([^"\n]{1,200})"'),  # only the key "k" ends in k
        ("t", rb'"t":"([^"\n]{1,40})"'),
        ("kind", rb'"kind":"([a-z]{1,12})"'),
    )
}


# --- mending ---


@dataclass(frozen=True, slots=True)
class Lost:
    """An answer (or undo) no copy on the disk holds."""

    id: int
    key: str | None
    time: str | None
    kind: str | None

    def describe(self) -> str:
        what = "undo" if self.kind == "undo" else "answer"
        card = f"card {self.key}" if self.key is not None else "card unreadable"
        when = f" at {self.time}" if self.time else ""
        return f"{what} #{self.id}, {card}{when}"


@dataclass
class Stretch:
    """A damaged stretch of one segment and what became of it."""

    segment: int
    start: int
    end: int
    """Byte offsets in the damaged file (equal for a missing stretch)."""
    first_line: int
    """1-based number of its first line in the damaged file."""
    ids: list[int]
    """The entry ids it should hold (those an earlier repair quarantined left out)."""
    source: Path | None = None
    """The copy it was taken from, if any."""
    recovered: list[int] = field(default_factory=list)
    lost: list[Lost] = field(default_factory=list)
    damaged: bytes = b""


@dataclass
class Mend:
    """A segment's new bytes (or a missing one's), and the stretches that were mended."""

    number: int
    path: Path | None
    """The live file; None for a missing segment."""
    digest: str | None
    data: bytes
    stretches: list[Stretch]

    @property
    def closed(self) -> bool:
        return self.path is None or self.digest is not None


@dataclass
class Plan:
    mends: list[Mend]
    strays: list[Path]
    checkpoint_damaged: bool
    claim: int | None = None
    """The last entry id a readable checkpoint covers, if the log holds fewer."""

    @property
    def empty(self) -> bool:
        return not self.mends and not self.strays and not self.checkpoint_damaged

    @property
    def stretches(self) -> list[Stretch]:
        return [s for mend in self.mends for s in mend.stretches]

    @property
    def lost(self) -> list[Lost]:
        return [lost for s in self.stretches for lost in s.lost]

    @property
    def keeps_checkpoint(self) -> bool:
        """The checkpoint is the only record of an answer no copy holds: it is kept, not
        rebuilt from the mended log."""
        return self.claim is not None and any(lost.id <= self.claim for lost in self.lost)


def plan(folder: Path, layout: Layout | None = None) -> Plan:
    """What `quiz repair` would do: read everything, change nothing (`layout`: the live log,
    if it was read already).

    Raises:
        OSError: a live file cannot be read.
    """
    layout = layout or read_layout(folder)
    copies = Copies(folder, layout)
    already = known_lost(folder)
    firsts = first_ids(layout)
    mends: list[Mend] = []
    prev = 0
    live = {segment.number: segment for segment in layout.segments}
    top = max(list(live) + layout.missing, default=0)
    damaged = checkpoint_damaged(folder / PROGRESS_FILE)
    claim = None if damaged else checkpoint_claim(folder / PROGRESS_FILE)
    if claim is not None and claim > max(firsts.values(), default=0):
        top = max(top, 1)  # the log may be gone: its first segment is looked for in copies
    else:
        claim = None
    for number in range(1, top + 1):
        after = next((firsts[n] for n in sorted(firsts) if n > number), None)
        tail = claim + 1 if number == top and claim is not None else None
        if number in live:
            mend, prev = _mend_segment(live[number], copies, prev, after, already, tail)
        else:  # the checkpoint covers entries after the log's end: looked for in copies
            mend, prev = _mend_missing(number, copies, prev, after or tail, already)
        if mend is not None:
            mends.append(mend)
    return Plan(mends, layout.strays, damaged, claim)


class _Mender:
    """Mends one segment line by line: `out` is the repaired bytes so far."""

    def __init__(self, number: int, copies: Copies, prev: int, already: set[int]) -> None:
        self.number = number
        self.copies = copies
        self.prev = prev
        self.already = already
        self.out = bytearray()
        self.stretches: list[Stretch] = []

    def next_id(self, after: int) -> int:
        """The id the entry after id `after` has, but for those quarantined before."""
        after += 1
        while after in self.already:
            after += 1
        return after

    def stretch(
        self, start: int, end: int, line_no: int, damaged: bytes, rest: bytes, q: int
    ) -> None:
        """Mend the stretch [start, end) holding ids prev+1 .. q-1, `rest` the live bytes
        after it."""
        if q - self.prev - 1 > MAX_GAP:
            raise StoreError(
                f"segment {self.number} of the review log: the entry ids jump from"
                f" #{self.prev} to #{q}, more than {MAX_GAP} entries; quiz did not write this"
                " and has changed nothing"
            )
        ids = [i for i in range(self.prev + 1, q) if i not in self.already]
        if not damaged and not ids:
            self.prev = max(self.prev, q - 1)
            return  # quarantined by an earlier repair
        item = Stretch(self.number, start, end, line_no, ids, damaged=damaged)
        best: tuple[list[bytes], bool, Copy] | None = None
        for copy in self.copies.get(self.number):
            taken = _take(copy.data, bytes(self.out), start == 0, ids, rest, damaged)
            if taken is None:
                continue
            if taken[1]:
                best = (taken[0], True, copy)
                break
            if best is None or len(taken[0]) > len(best[0]):
                best = (taken[0], False, copy)
        got: list[int] = []
        if best is not None:
            for raw in best[0]:
                self.out += raw
                doc = read_line(raw)
                if doc is not None and "quiz_log" not in doc:
                    got.append(int(doc["id"]))
            item.source = best[2].path
        elif start == 0 and b"quiz_log" in damaged.split(b"\n", 1)[0]:
            self.out += segments.header(self.number)  # the header alone: quiz knows it
        item.recovered = got
        missed = [i for i in ids if i not in got]
        item.lost = _name_lost(missed, damaged)
        self.stretches.append(item)
        self.prev = max(self.prev, q - 1)


def _take(
    copy: bytes, out: bytes, at_start: bool, ids: list[int], rest: bytes, damaged: bytes
) -> tuple[list[bytes], bool] | None:
    """The lines of `copy` that fill the stretch after `out` with the entries `ids`: (lines,
    whole). None if the copy does not agree with the log around the stretch."""
    if len(copy) < len(out) or copy[: len(out)] != out:
        return None
    pos, wanted, taken = len(out), iter(ids), []
    want = next(wanted, None)
    if at_start and pos == 0:
        end = copy.find(b"\n")
        doc = read_line(copy[: end + 1]) if end >= 0 else None
        if doc is None or "quiz_log" not in doc:
            return None
        taken.append(copy[: end + 1])
        pos = end + 1
    while True:
        if want is None:
            after = copy[pos:]
            common = min(len(after), len(rest))
            if after[:common] != rest[:common]:
                return None
            break
        end = copy.find(b"\n", pos)
        if end < 0:
            if not taken:
                return None
            return (taken, False) if _plausible(taken, damaged) else None
        doc = read_line(copy[pos : end + 1])
        if doc is None or doc.get("id") != want:
            return None
        taken.append(copy[pos : end + 1])
        pos, want = end + 1, next(wanted, None)
    return (taken, True) if _plausible(taken, damaged) else None


def _plausible(taken: list[bytes], damaged: bytes) -> bool:
    """The copy's lines could be what the damaged bytes were: the fields still readable in the
    damaged bytes (id, card, time, kind) agree with the copy's, but for a byte or two that the
    damage may have changed. A copy from another history (a log set aside by a restore holds
    other answers under the same ids) does not."""
    if not damaged:
        return True
    lines = [line for line in damaged.splitlines() if line.strip()]
    theirs = [_fields(raw) for raw in taken]
    by_id = {found["id"]: found for found in theirs if "id" in found}
    differ = 0
    for number, line in enumerate(lines):
        found = _fields(line)
        other = by_id.get(found["id"]) if "id" in found else None
        if other is None and len(lines) == len(theirs):
            other = theirs[number]
        if other is None:
            continue
        for name in ("k", "t", "kind"):
            if name in found and name in other:
                mine, copy = found[name], other[name]
                if len(mine) != len(copy):
                    return False
                differ += sum(a != b for a, b in zip(mine, copy, strict=True))
    return differ <= 2


def _fields(raw: bytes) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, pattern in _FIELD.items():
        match = pattern.search(raw)
        if match:
            text = match.group(1).decode("utf-8", "replace")
            found[name] = "".join(c if c.isprintable() else "?" for c in text)
    return found


def span(ids: list[int]) -> str:
    """`entry #3`, `entries #3-#5`, `entries #3, #5`."""
    if len(ids) == 1:
        return f"entry #{ids[0]}"
    if ids == list(range(ids[0], ids[-1] + 1)):
        return f"entries #{ids[0]}-#{ids[-1]}"
    return "entries " + ", ".join(f"#{i}" for i in ids)


def _name_lost(ids: list[int], damaged: bytes) -> list[Lost]:
    """Each lost id named from what is readable of the damaged bytes."""
    if not ids:
        return []
    lines = [line for line in damaged.splitlines() if line.strip()]
    known: dict[int, dict[str, str]] = {}
    for line in lines:
        found = _fields(line)
        if "id" in found and int(found["id"]) in ids:
            known[int(found["id"])] = found
    if not known and len(lines) == len(ids):  # ids unreadable: the lines in order
        known = {i: _fields(line) for i, line in zip(ids, lines, strict=True)}
    named = []
    for i in ids:
        found = known.get(i, {})
        named.append(Lost(i, found.get("k"), found.get("t"), found.get("kind")))
    return named


def _mend_segment(
    segment: LiveSegment,
    copies: Copies,
    prev: int,
    after: int | None,
    already: set[int],
    tail: int | None = None,
) -> tuple[Mend | None, int]:
    """Mend one live segment; `after` is the first id of the next one, `tail` (for the last)
    the id after the last one the checkpoint covers, where it covers more than the log holds.
    """
    mender = _Mender(segment.number, copies, prev, already)
    lines = segment.lines
    i = 0
    while i < len(lines):
        line = lines[i]
        if segment.torn(line):
            mender.out += line.raw  # the store cuts it off at open
            break
        if not segment.bad(line):
            eid = line.entry_id
            if eid is not None and eid > mender.next_id(mender.prev):  # a missing stretch
                mender.stretch(
                    line.offset, line.offset, i + 1, b"", segment.data[line.offset :], eid
                )
            mender.out += line.raw
            if eid is not None:
                mender.prev = max(mender.prev, eid)
            i += 1
            continue
        j = i
        while j < len(lines) and segment.bad(lines[j]):
            j += 1
        start, end = line.offset, lines[j - 1].offset + len(lines[j - 1].raw)
        damaged = segment.data[start:end]
        following = [ln.entry_id for ln in lines[j:] if ln.entry_id is not None]
        q = following[0] if following else after
        count = sum(1 for ln in lines[i:j] if b'"id"' in ln.raw or b"quiz_log" not in ln.raw)
        if q is None or q <= mender.prev:
            q = mender.prev
            for _ in range(max(count, 1)):
                q = mender.next_id(q)
            q += 1
        mender.stretch(start, end, i + 1, damaged, segment.data[end:], q)
        i = j
    torn = bool(lines) and segment.torn(lines[-1])
    if segment.closed or tail is None:
        tail = after if segment.closed else None
    if not torn and tail is not None and tail > mender.next_id(mender.prev):  # end gone
        size = len(segment.data)
        mender.stretch(size, size, len(lines) + 1, b"", b"", tail)
    if not mender.stretches and (
        not segment.closed or segment.digest == segments.digest(segment.data)
    ):
        return None, mender.prev
    data = bytes(mender.out)
    if segment.closed and not mender.stretches:
        exact = next(
            (c for c in copies.get(segment.number) if segments.digest(c.data) == segment.digest),
            None,
        )
        if exact is None:
            return None, mender.prev  # its bytes read, but differ from its name: reported
        data = exact.data
    return Mend(segment.number, segment.path, segment.digest, data, mender.stretches), mender.prev


def _mend_missing(
    number: int, copies: Copies, prev: int, after: int | None, already: set[int]
) -> tuple[Mend | None, int]:
    """A missing segment, rebuilt from its copies (a header alone where there is none)."""
    whole = next(
        (c for c in copies.get(number) if c.verified and c.path.name.endswith(".jsonl")), None
    )
    mender = _Mender(number, copies, prev, already)
    if whole is not None:
        ids = [ln.entry_id for ln in split_lines(whole.data) if ln.entry_id is not None]
        item = Stretch(number, 0, 0, 1, list(ids))
        item.source, item.recovered = whole.path, ids
        mender.stretches.append(item)
        return Mend(number, None, None, whole.data, mender.stretches), ids[-1] if ids else prev
    q = after if after is not None else prev + 1
    mender.stretch(0, 0, 1, b"", b"", q)
    if not mender.out:
        mender.out += segments.header(number)
    return Mend(number, None, None, bytes(mender.out), mender.stretches), mender.prev


# --- carrying it out ---


@dataclass
class Outcome:
    plan: Plan
    aside: Path | None
    quarantined: list[Path]


def repair(folder: Path, now: datetime) -> Outcome:
    """Mend the log as `plan` says, holding the folder's lock; the caller then rebuilds the
    checkpoint by opening the folder (see the module's docstring).

    Raises:
        StoreError: the folder is in use, or a file cannot be read or written.
    """
    from quiz.storage.folder import acquire_lock, finish_restore

    if not folder.is_dir():
        raise StoreError(f"{folder}: no such progress folder")
    lock = acquire_lock(folder)
    try:
        finish_restore(folder)
        try:
            found = plan(folder)
        except OSError as exc:
            raise StoreError(f"{exc.filename or folder}: cannot read: {reason(exc)}") from None
        if found.empty:
            return Outcome(found, None, [])
        own_path(folder, REPLACED_DIR)
        aside = own_path(folder, REPLACED_DIR, aside_name(folder, now))
        try:
            quarantined = _carry_out(folder, found, aside, now)
        except OSError as exc:
            raise StoreError(
                f"{exc.filename or folder}: cannot repair: {reason(exc)}; nothing is lost:"
                f" run `quiz repair` again (what it set aside is in {aside})"
            ) from None
        return Outcome(found, aside, quarantined)
    finally:
        lock.release()


def _carry_out(folder: Path, found: Plan, aside: Path, now: datetime) -> list[Path]:
    aside.mkdir(parents=True)
    durable.sync_folder(aside.parent)
    quarantined = []
    for mend in found.mends:  # 1. what no copy holds, named, before anything changes
        lost = [s for s in mend.stretches if s.lost or (s.damaged and not s.recovered)]
        if lost:
            path = aside / QUARANTINE.format(mend.number)
            durable.write_atomic(path, _quarantine(mend, lost, now))
            quarantined.append(path)
    progress = folder / PROGRESS_FILE  # 2. no checkpoint: the next open replays the whole log
    if progress.is_file() and found.keeps_checkpoint:
        _keep_checkpoint(progress, aside)
    elif progress.is_file():
        durable.replace(progress, aside / PROGRESS_FILE)
        durable.sync_folder(folder)
    for mend in found.mends:  # 3. each segment mended
        _put(folder, mend, aside)
    for stray in found.strays:
        (aside / SEGMENT_DIR).mkdir(exist_ok=True)
        durable.replace(stray, aside / SEGMENT_DIR / stray.name)
    if found.strays:
        durable.sync_folder(folder / SEGMENT_DIR)
    durable.sync_folder(aside)
    return quarantined


def _keep_checkpoint(progress: Path, aside: Path) -> None:
    """Keep the checkpoint's states (the only record of answers no copy holds), a copy set
    aside first; it now says to replay the whole mended log, skipping the entries it covers
    by their ids (its offsets may no longer be the log's)."""
    data = progress.read_bytes()
    durable.write_atomic(aside / PROGRESS_FILE, data)
    doc = orjson.loads(data)
    doc["meta"]["1"].update({"segment": 1, "log_size": 0})
    durable.write_atomic(progress, orjson.dumps(doc))


def _quarantine(mend: Mend, stretches: list[Stretch], now: datetime) -> bytes:
    head = {
        "quiz_quarantine": QUARANTINE_FORMAT,
        "segment": mend.number,
        "file": mend.path.name if mend.path else None,
        "made": now.isoformat(timespec="seconds"),
    }
    lines = [orjson.dumps(head)]
    for s in stretches:
        doc = {
            "offset": s.start,
            "end": s.end,
            "line": s.first_line,
            "lost": [lost.id for lost in s.lost],
            "text": s.damaged.decode("utf-8", "replace"),
            "bytes": base64.b64encode(s.damaged).decode("ascii"),
        }
        lines.append(orjson.dumps(doc))
    return b"\n".join(lines) + b"\n"


def _put(folder: Path, mend: Mend, aside: Path) -> None:
    root = folder / SEGMENT_DIR
    if not mend.closed:  # the open segment: set aside, replaced atomically
        assert mend.path is not None
        segments.link_or_copy(mend.path, aside / LOG_FILE)
        durable.sync_folder(aside)
        durable.write_atomic(mend.path, mend.data)
        return
    root.mkdir(exist_ok=True)
    target = root / segments.closed_name(mend.number, mend.data)
    (aside / SEGMENT_DIR).mkdir(exist_ok=True)
    if mend.path is not None and mend.path == target:  # mended back to the bytes of its name
        segments.link_or_copy(mend.path, aside / SEGMENT_DIR / mend.path.name)
        durable.sync_folder(aside / SEGMENT_DIR)
        durable.write_atomic(target, mend.data)
        return
    if not target.exists():
        durable.write_atomic_with(target, lambda tmp: tmp.write_bytes(mend.data), exclusive=True)
    durable.sync_folder(root)
    if mend.path is not None:
        durable.replace(mend.path, aside / SEGMENT_DIR / mend.path.name)
        durable.sync_folder(root)


def describe_path(folder: Path, path: Path) -> str:
    """`path` relative to the progress folder, where it is inside it."""
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)
