"""Reading a progress folder for `quiz repair`: the log's lines and segments as they are on
the disk, and every copy of their bytes (backups, files set aside in replaced/) that a repair
may take a damaged stretch from. Nothing here changes a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from quiz.core.progress import ENTRY_KINDS, state_from_dict
from quiz.storage import compressed, durable, segments
from quiz.storage.checkpoint import quarantined_ids
from quiz.storage.folder import (
    MANIFEST,
    PACKED_LOG,
    REPLACED_DIR,
    backups,
)
from quiz.storage.segments import LOG_FILE, SEGMENT_DIR


@dataclass(frozen=True, slots=True)
class Line:
    offset: int
    raw: bytes
    """The line's bytes, its newline included (none: the last line of a file)."""
    doc: dict[str, Any] | None
    """The line read; None when it is unreadable."""

    @property
    def entry_id(self) -> int | None:
        return None if self.doc is None or "quiz_log" in self.doc else int(self.doc["id"])


def read_line(raw: bytes) -> dict[str, Any] | None:
    """A log line read and checked as a header, an entry or an undo record (the fields the
    store needs, of the right kinds); None if it is not one."""
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(doc, dict):
        return None
    if "quiz_log" in doc:
        return doc
    if not isinstance(doc.get("id"), int) or not isinstance(doc.get("k"), str):
        return None
    if not _is_state(doc.get("a")):
        return None
    if doc.get("kind") == "undo":
        return doc if isinstance(doc.get("of"), int) else None
    if (
        doc.get("kind") not in ENTRY_KINDS
        or not _is_day(doc.get("d"))
        or not isinstance(doc.get("t"), str)
        or not _is_state(doc.get("b"))
    ):
        return None
    return doc


def _is_day(value: Any) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _is_state(doc: Any) -> bool:
    return (
        isinstance(doc, dict)
        and isinstance(doc.get("n"), int)
        and isinstance(doc.get("ef"), int)
        and isinstance(doc.get("i"), int)
    )


def split_lines(data: bytes) -> list[Line]:
    lines: list[Line] = []
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end + 1
        raw = data[start:end]
        lines.append(Line(start, raw, read_line(raw) if raw.strip() else {"quiz_log": 0}))
        start = end
    return lines


@dataclass
class LiveSegment:
    number: int
    path: Path
    digest: str | None
    """A closed segment's digest, from its name; None for the open one."""
    data: bytes
    lines: list[Line] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.digest is not None

    def torn(self, line: Line) -> bool:
        """The last line of the open segment, unreadable and without its newline: an answer a
        kill cut short, never acknowledged (the store cuts it off at open)."""
        return (
            not self.closed
            and line.doc is None
            and not line.raw.endswith(b"\n")
            and line is self.lines[-1]
        )

    def bad(self, line: Line) -> bool:
        return line.doc is None and not self.torn(line)


@dataclass(frozen=True, slots=True)
class Copy:
    number: int
    path: Path
    data: bytes
    verified: bool
    """Its bytes match the digest they were saved with."""


@dataclass
class Layout:
    """The live log as found: its segments, the numbers missing, the files in log/ that are
    not segments (or a second file of one number)."""

    segments: list[LiveSegment]
    missing: list[int]
    strays: list[Path]


def _inode(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_dev, stat.st_ino


def read_layout(folder: Path) -> Layout:
    """The live segments, read whole, tolerating what `segments.all_segments` refuses.

    Raises:
        OSError: a file cannot be read.
    """
    by_number: dict[int, list[tuple[Path, str]]] = {}
    strays: list[Path] = []
    root = folder / SEGMENT_DIR
    if root.is_dir():
        for path in sorted(root.iterdir()):
            parsed = segments.parse_closed_name(path.name)
            if parsed is None:
                if not (path.name.startswith(".") and path.name.endswith(durable.TEMP_SUFFIX)):
                    strays.append(path)
                continue
            by_number.setdefault(parsed[0], []).append((path, parsed[1]))
    found: list[LiveSegment] = []
    for number, files in sorted(by_number.items()):
        # A second file of one number is what a repair cut short leaves: keep the whole one.
        datas = [(path, name_digest, path.read_bytes()) for path, name_digest in files]
        if len(datas) > 1:
            datas.sort(key=lambda f: (segments.digest(f[2]) != f[1], _unreadable(f[2])))
        path, name_digest, data = datas[0]
        strays.extend(other[0] for other in datas[1:])
        found.append(LiveSegment(number, path, name_digest, data))
    last = found[-1].number if found else 0
    live = folder / LOG_FILE
    if live.is_file():
        data = live.read_bytes()
        try:
            number = segments.number_of(data.split(b"\n", 1)[0])
        except ValueError:
            number = last + 1
        if read_line(data.split(b"\n", 1)[0]) is None and last:
            number = last + 1  # its header is damaged: it follows the closed ones
        if number > last:
            found.append(LiveSegment(number, live, None, data))
    present = {segment.number for segment in found}
    top = max(present, default=0)
    missing = [n for n in range(1, top + 1) if n not in present]
    for segment in found:
        segment.lines = split_lines(segment.data)
    return Layout(found, missing, strays)


def _unreadable(data: bytes) -> int:
    return sum(1 for line in split_lines(data) if line.doc is None)


class Copies:
    """Every copy of a log segment on the disk that is not one of the live files, read only
    when a segment needs it (where there are no hard links, each backup holds a copy of every
    closed segment): checked copies first, then the longest."""

    def __init__(self, folder: Path, layout: Layout) -> None:
        self._seen = {_inode(segment.path) for segment in layout.segments}
        self._files: dict[int, list[Path]] = {}
        self._packed: list[tuple[Path, Path]] = []
        """(backup, its packed open segment): read at the first `get`."""
        self._read: dict[int, list[Copy]] | None = None
        for made in reversed(backups(folder)):  # newest first: the longest open segments
            if (made / PACKED_LOG).is_file():
                self._packed.append((made, made / PACKED_LOG))
            if (made / SEGMENT_DIR).is_dir():
                for path in sorted((made / SEGMENT_DIR).iterdir()):
                    self._note(path)
            if not (made / MANIFEST).is_file():
                self._note(made / LOG_FILE)  # an older quiz's plain copy
        replaced = folder / REPLACED_DIR
        if replaced.is_dir() and not replaced.is_symlink():
            for path in sorted(replaced.rglob("*.jsonl"), reverse=True):
                if not path.name.startswith("quarantine-"):
                    self._note(path)

    def _note(self, path: Path) -> None:
        try:
            if path.is_symlink() or not path.is_file() or _inode(path) in self._seen:
                return  # a hard link to a live file holds its damage too
            self._seen.add(_inode(path))
            parsed = segments.parse_closed_name(path.name)
            number = parsed[0] if parsed else segments.read_number(path)
        except (OSError, ValueError):
            return  # an unreadable copy is no copy
        self._files.setdefault(number, []).append(path)

    def get(self, number: int) -> list[Copy]:
        if self._read is None:
            self._read = {}
            for made, packed in self._packed:
                try:
                    data = compressed.unpack(packed.read_bytes())
                    found = segments.number_of(data.split(b"\n", 1)[0])
                except (OSError, ValueError):
                    continue
                self._read.setdefault(found, []).append(
                    Copy(found, packed, data, _packed_verified(made, data))
                )
        copies = self._read.setdefault(number, [])
        for path in self._files.pop(number, []):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            parsed = segments.parse_closed_name(path.name)
            verified = parsed is not None and segments.digest(data) == parsed[1]
            copies.append(Copy(number, path, data, verified))
        unique: dict[str, Copy] = {}
        for copy in copies:
            unique.setdefault(segments.digest(copy.data), copy)
        copies[:] = sorted(unique.values(), key=lambda c: (not c.verified, -len(c.data)))
        return copies


def _packed_verified(made: Path, data: bytes) -> bool:
    try:
        manifest = orjson.loads((made / MANIFEST).read_bytes())
        return bool(manifest["log"]["size"] == len(data))  # unpacking checked zstd's checksum
    except (OSError, ValueError, KeyError, TypeError, orjson.JSONDecodeError):
        return False


def known_lost(folder: Path) -> set[int]:
    """The ids earlier repairs quarantined (named in replaced/*/quarantine-*.jsonl)."""
    return quarantined_ids(folder)


def checkpoint_claim(path: Path) -> int | None:
    """The last entry id the checkpoint at `path` covers; None if it is absent or unreadable."""
    try:
        doc = orjson.loads(path.read_bytes())
        last = doc["meta"]["1"]["last_id"]
    except (OSError, ValueError, KeyError, TypeError, orjson.JSONDecodeError):
        return None
    return last if type(last) is int and last >= 0 else None


def first_ids(layout: Layout) -> dict[int, int]:
    first: dict[int, int] = {}
    for segment in layout.segments:
        for line in segment.lines:
            if line.entry_id is not None:
                first[segment.number] = line.entry_id
                break
    return first


def checkpoint_damaged(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        raw = path.read_bytes()
        doc = orjson.loads(raw) if raw.strip() else {}
        if not isinstance(doc, dict):
            return True
        meta = doc.get("meta", {}).get("1", {})
        if int(meta.get("format", 2)) > 2:
            return False  # a newer quiz's: not ours to mend
        int(meta.get("last_id", 0))
        for state in doc.get("states", {}).values():
            state_from_dict(state)
    except OSError:
        return False
    except (ValueError, TypeError, KeyError, AttributeError, orjson.JSONDecodeError):
        return True
    return False
