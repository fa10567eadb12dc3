"""The review log on disk: closed segments that never change, and the open one written to.

log.jsonl                      the open segment: answers are appended here
log/000001-<digest>.jsonl      closed segments, oldest first; never written again

Each segment starts with a header line, `{"quiz_log": 2, "segment": N}`; the entries' ids run
on from one segment to the next, so the segments read in order are the whole log. When the
open segment reaches `SEGMENT_BYTES` it is closed: hard-linked (copied, where the file system
has no hard links) into log/ under its number and the digest of its bytes, then replaced by a
new open segment holding only its header. A closed segment is immutable, so a backup can hold
a hard link to it instead of a copy, and its name says what its bytes must hash to.

A log written before segments (header `{"quiz_log": 1}`, or none) is segment 1; the store
closes it at first open, so every folder opened since has this layout.

A kill between the two steps of closing leaves log.jsonl and its closed twin with the same
bytes and number; `finish_rotation` completes it (the store calls it at open, with the folder
locked).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import orjson

from quiz.storage import durable

LOG_FILE = "log.jsonl"
SEGMENT_DIR = "log"
FORMAT = 2
"""The log format: 2 has segments; 1 is the single file of older quiz versions."""
SEGMENT_BYTES = 4 << 20
"""The open segment is closed once it holds this much: about 14,000 answers. A backup copies
only the open segment, so this bounds its cost."""

_CLOSED = re.compile(r"(\d{6,})-([0-9a-f]{32})\.jsonl")


class SegmentError(Exception):
    """The log's segments are not what the folder's own writes leave (one missing, a stray
    file in log/, an open segment that disagrees with its closed twin)."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(f"{path}: {what}")
        self.path = path
        self.what = what


@dataclass(frozen=True, slots=True)
class Segment:
    number: int
    path: Path
    digest: str | None
    """What a closed segment's bytes hash to (`digest`), from its name; None for the open one."""

    @property
    def closed(self) -> bool:
        return self.digest is not None


def header(number: int) -> bytes:
    """The first line of segment `number`."""
    return orjson.dumps({"quiz_log": FORMAT, "segment": number}) + b"\n"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digest(path: Path) -> str:
    """`digest` of a file's bytes, read a megabyte at a time (an older quiz's log may be
    hundreds of megabytes).

    Raises:
        OSError: it cannot be read.
    """
    hasher = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


def closed_name(number: int, data: bytes) -> str:
    return f"{number:06d}-{digest(data)}.jsonl"


def parse_closed_name(name: str) -> tuple[int, str] | None:
    """(number, digest) of a closed segment's file name, or None for any other name."""
    match = _CLOSED.fullmatch(name)
    return (int(match.group(1)), match.group(2)) if match else None


def number_of(first_line: bytes) -> int:
    """The segment number a log file's first line declares (1 for an older quiz's log).

    Raises:
        ValueError: the header declares a log format newer than this quiz reads (the message
        is the format number).
    """
    try:
        doc = orjson.loads(first_line)
    except orjson.JSONDecodeError:
        return 1  # no header: a log older than headers, or an entry: a single-file log
    if not isinstance(doc, dict) or "quiz_log" not in doc:
        return 1
    version = doc["quiz_log"]
    if not isinstance(version, int) or version > FORMAT:
        raise ValueError(str(version))
    number = doc.get("segment", 1)
    return number if isinstance(number, int) and number > 0 else 1


def read_number(path: Path) -> int:
    """The segment number in the header of the log file at `path`.

    Raises:
        OSError: it cannot be read. ValueError: see `number_of`.
    """
    with open(path, "rb") as handle:
        return number_of(handle.readline(256))


def closed_segments(folder: Path) -> list[Segment]:
    """The closed segments in `folder`/log/, oldest first, checked to run 1, 2, 3, ...

    Raises:
        SegmentError: one is missing, or log/ holds a file that is not a segment.
        OSError: log/ cannot be listed.
    """
    root = folder / SEGMENT_DIR
    if not root.is_dir():
        if root.exists():
            raise SegmentError(root, "is a file, but quiz keeps the log's closed segments here")
        return []
    found: list[Segment] = []
    for path in root.iterdir():
        parsed = parse_closed_name(path.name)
        if parsed is None:
            if path.name.startswith(".") and path.name.endswith(durable.TEMP_SUFFIX):
                continue  # a copy a kill interrupted; removed at open
            raise SegmentError(path, "is not a segment of the review log (it was put there)")
        found.append(Segment(parsed[0], path, parsed[1]))
    found.sort(key=lambda segment: segment.number)
    for expected, segment in enumerate(found, start=1):
        if segment.number != expected:
            missing = root / f"{expected:06d}-....jsonl"
            raise SegmentError(missing, f"segment {expected} of the review log is missing")
    return found


def all_segments(folder: Path) -> list[Segment]:
    """Every segment in reading order: the closed ones, then the open log.jsonl if any.

    An open segment that repeats the last closed one (a rotation cut short, before
    `finish_rotation`) is left out: its bytes are the closed one's.

    Raises:
        SegmentError, OSError, ValueError: see `closed_segments` and `read_number`.
    """
    segments = closed_segments(folder)
    live = folder / LOG_FILE
    if live.is_file():
        number = read_number(live)
        last = segments[-1].number if segments else 0
        if number == last + 1:
            segments.append(Segment(number, live, None))
        elif number != last:
            raise SegmentError(
                live, f"is segment {number} of the review log, but the last closed one is {last}"
            )
    return segments


def link_or_copy(source: Path, target: Path) -> None:
    """Give `target` the bytes of the immutable file `source`: a hard link where the file system
    has them, else a durable copy (made under a temporary name, so `target` is whole or absent).

    Raises:
        OSError: neither could be made.
    """
    try:
        os.link(source, target)
        return
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    durable.write_atomic_with(target, lambda tmp: _copy_into(source, tmp), exclusive=True)


_NO_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EACCES}
"""Why a file system refuses a hard link (FAT and exFAT, some network shares, another device)."""


def _copy_into(source: Path, tmp: Path) -> None:
    with open(source, "rb") as reader, open(tmp, "wb") as writer:
        while chunk := reader.read(1 << 20):
            writer.write(chunk)


def rotate(folder: Path) -> None:
    """Close the open segment and start the next one. The caller holds the folder's lock and
    has no descriptor open on log.jsonl (Windows cannot replace an open file).

    Raises:
        OSError: a step failed; the log is then as before, or as `finish_rotation` completes.
        ValueError: see `number_of`.
    """
    live = folder / LOG_FILE
    number = read_number(live)
    root = folder / SEGMENT_DIR
    if not root.is_dir():
        root.mkdir()
        durable.sync_folder(folder)
    target = root / f"{number:06d}-{file_digest(live)}.jsonl"
    made = not target.exists()
    if made:
        link_or_copy(live, target)
        durable.sync_folder(root)
    try:
        durable.write_atomic(live, header(number + 1))
    except OSError:
        # Answering goes on in log.jsonl: a link left in log/ would grow with it (a hard
        # link is the same file) and no longer match its name, and the folder would not open.
        if made:
            with contextlib.suppress(OSError):
                target.unlink()
                durable.sync_folder(root)
        raise


def finish_rotation(folder: Path) -> bool:
    """Complete a rotation a kill cut short; True if there was one.

    Raises:
        SegmentError: log.jsonl declares a closed segment's number but holds other bytes.
        OSError, ValueError: see `rotate`.
    """
    live = folder / LOG_FILE
    if not live.is_file():
        return False
    closed = closed_segments(folder)
    if not closed:
        return False
    number = read_number(live)
    last = closed[-1]
    if number != last.number:
        return False
    if file_digest(live) != last.digest:
        raise SegmentError(
            live,
            f"is segment {number} of the review log, which is already closed as"
            f" {SEGMENT_DIR}/{last.path.name}, but its bytes differ",
        )
    durable.write_atomic(live, header(number + 1))
    return True


def remove_temp_files(folder: Path) -> None:
    """Remove the temporary copies a kill left in log/."""
    root = folder / SEGMENT_DIR
    if root.is_dir():
        for leftover in root.glob(f".*{durable.TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                leftover.unlink()
