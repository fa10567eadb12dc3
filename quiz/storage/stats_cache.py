"""The review log folded for the statistics, kept between runs so opening them stays fast.

Parsing a log of 100,000 answers takes longer than the statistics screen may take to open, so
the fold (`quiz.core.fold.LogTally`) is saved in `stats-cache.json` in the progress folder's
cache folder (`quiz.storage.paths.cache_dir`), with the log segment and offset it covers
(quiz.storage.segments) and a fingerprint of the bytes before that point. Next time the log is
read from there: only the lines appended since (and the fingerprint's few hundred bytes) are
read, through any segments closed meanwhile. An undo of an answer already folded
in is taken back out using the recent answers the cache keeps; anything the cache cannot
account for (a restored backup, a damaged or foreign cache, an undo reaching too far back)
means one full re-read. The cache is derived data: deleting it loses nothing, and failing to
write it is not an error.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import zlib
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from quiz.core.fold import Answer, LogTally
from quiz.storage import durable
from quiz.storage.fold_file import tally_from_dict, tally_to_dict
from quiz.storage.segments import Segment

CACHE_FILE = "stats-cache.json"
VERSION = 4
"""4: the per-deck rows saved as JSON text inside the document, with their CRC-32."""
KEEP_RECENT = 5000
"""Log entries remembered for undo; a session's answers are well within it."""
FINGERPRINT_BYTES = 512
CHUNK_BYTES = 1 << 20
"""A long log is read this much at a time (in whole lines)."""


_day = functools.cache(date.fromisoformat)
"""A study day from its text, each day parsed once (a log holds thousands of answers a day)."""


def answer_from_doc(doc: dict[str, Any]) -> Answer | None:
    """`Answer.of(entry_from_dict(doc))`, without building the entry's two card states."""
    kind = doc.get("kind")
    quality = doc.get("q")
    if kind not in ("review", "drill") or quality is None:
        return None
    before = doc["b"]
    return Answer(
        int(doc["id"]),
        str(doc["k"]),
        kind == "drill",
        _day(doc["d"]),
        int(quality),
        max(0, int(doc.get("ms", 0))),
        before.get("first") is not None,
        int(before["i"]),
    )


def _answer_row(answer: Answer) -> list[Any]:
    return [
        answer.key,
        answer.drill,
        answer.day.isoformat(),
        answer.quality,
        answer.elapsed_ms,
        answer.seen,
        answer.interval,
    ]


def _answer_of_row(entry_id: int, row: list[Any]) -> Answer:
    key, drill, day, quality, ms, seen, interval = row
    return Answer(
        entry_id, str(key), bool(drill), date.fromisoformat(day), int(quality), int(ms),
        bool(seen), int(interval),
    )  # fmt: skip


def _fingerprint(log: BinaryIO, end: int) -> str:
    """A hash of the log's bytes just before `end`: another log (a restored backup) differs."""
    start = max(0, end - FINGERPRINT_BYTES)
    log.seek(start)
    return hashlib.blake2b(log.read(end - start), digest_size=16).hexdigest()


class StatsCache:
    """The fold of one progress folder's log, kept in `cache_dir/stats-cache.json`."""

    def __init__(self, cache_dir: Path, parts: list[Segment]) -> None:
        self.path = cache_dir / CACHE_FILE
        self.parts = parts
        """The log's segments in order (`quiz.storage.segments.all_segments`)."""
        self.fold = LogTally()
        self.recent: dict[int, Answer | None] = {}
        self._saved_recent: dict[str, Any] | None = None
        """`recent` as the cache holds it, made into answers only when lines are folded in."""
        """Recent entry ids and their answers (None: an entry that is not an answer)."""
        self.segment = parts[0].number if parts else 1
        self.offset = 0
        """Where the fold ends: an offset in segment number `segment`."""

    def tally(self) -> LogTally:
        """The log folded: the kept fold and the lines appended since, read from its end."""
        if not self.parts:
            return LogTally()
        loaded = self._load()
        if not loaded:
            self._reset()
        folded = self._fold_all()
        if folded is None:  # an undo the cache cannot take back: read it all again
            self._reset()
            folded = self._fold_all()
        if folded or not loaded:
            self._save()
        return self.fold

    def _reset(self) -> None:
        self.fold, self.recent, self._saved_recent = LogTally(), {}, None
        self.segment, self.offset = self.parts[0].number, 0

    def _part(self, number: int) -> Segment | None:
        return next((part for part in self.parts if part.number == number), None)

    def _load(self) -> bool:
        """Take up the saved fold if it still describes the start of this log."""
        try:
            doc = orjson.loads(self.path.read_bytes())
            if doc.get("version") != VERSION:
                return False
            part = self._part(int(doc["segment"]))
            offset = int(doc["log_size"])
            if part is None or offset <= 0:
                return False
            with open(part.path, "rb") as log:
                size = os.fstat(log.fileno()).st_size
                if offset > size or doc["fingerprint"] != _fingerprint(log, offset):
                    return False
            # The per-deck rows are a JSON text inside the document, parsed only if needed
            # (`tally_from_dict`): orjson passes over a string at memcpy speed. The CRC
            # stands for checking them here: a cache that is not as written is read again.
            rows = doc["rows"].encode()
            if zlib.crc32(rows) != doc["rows_crc"]:
                return False
            self.fold = tally_from_dict(doc["tally"], functools.partial(orjson.loads, rows))
            if not isinstance(doc["recent"], dict):
                return False
            self._saved_recent = doc["recent"]
            self.segment, self.offset = part.number, offset
            return True
        except (OSError, ValueError, KeyError, TypeError, AttributeError, orjson.JSONDecodeError):
            return False

    def _fold_all(self) -> bool | None:
        """Fold in the whole lines after the fold's end, segment by segment; True if any,
        None if it needs a re-read."""
        any_folded = False
        for part in self.parts:
            if part.number < self.segment:
                continue
            if part.number > self.segment:
                self.segment, self.offset = part.number, 0
            try:
                with open(part.path, "rb") as log:
                    folded = self._fold(log, os.fstat(log.fileno()).st_size)
            except FileNotFoundError:
                return None  # a segment closed under us (another quiz rotated): read again
            if folded is None:
                return None
            any_folded = any_folded or folded
        return any_folded

    def _fold(self, log: BinaryIO, size: int) -> bool | None:
        """Fold in the whole lines after the offset; True if any, None if it needs a re-read.

        Read in chunks of whole lines, each line parsed and folded as it comes: a first pass
        gathers the cancelled ids from the few lines that are undos, a second folds the rest.
        A long tail (a first fold of 1,000,000 answers) is read twice rather than held: the
        whole of it at once, as dicts, took 2.2 GB."""
        if size - self.offset <= CHUNK_BYTES:  # the usual case: one read serves both passes
            chunks = list(_whole_lines(log, self.offset, size))
            return self._fold_chunks(iter(chunks), iter(chunks))
        return self._fold_chunks(
            _whole_lines(log, self.offset, size), _whole_lines(log, self.offset, size)
        )

    def _fold_chunks(self, undo_pass: Iterator[bytes], fold_pass: Iterator[bytes]) -> bool | None:
        """`_fold` over the same whole lines twice: for the undos, then for the answers."""
        end = self.offset
        cancelled: set[int] = set()
        for chunk in undo_pass:
            end += len(chunk)
            if b'"undo"' in chunk:
                cancelled.update(_undone(chunk))
        if end == self.offset:  # nothing, or a last line without its newline: it may be
            return False  # half written, and waits for its newline
        try:
            _ = self.fold.days  # the saved per-deck rows, read now that answers join them
        except (ValueError, KeyError, TypeError):
            return None  # a damaged cache: read it all again
        if self._saved_recent is not None:
            try:
                self.recent = {
                    int(i): _answer_of_row(int(i), row) if row else None
                    for i, row in self._saved_recent.items()
                }
            except (ValueError, KeyError, TypeError):
                return None  # a damaged cache: read it all again
            self._saved_recent = None
        for entry_id in [i for i in cancelled if i in self.recent]:  # folded on an earlier run
            cancelled.discard(entry_id)
            earlier = self.recent.pop(entry_id)
            if earlier is not None:
                self.fold.remove(earlier)
        recent, add, of = self.recent, self.fold.add, answer_from_doc
        for chunk in fold_pass:
            for doc in _docs(_lines(chunk)):
                if doc.get("kind") == "undo":
                    continue
                entry_id = int(doc["id"])
                if entry_id in cancelled:
                    cancelled.discard(entry_id)
                    continue
                answer = recent[entry_id] = of(doc)
                if answer is not None:
                    add(answer)
            if len(recent) > 2 * KEEP_RECENT:
                self._trim()
        if cancelled:  # an undo of an entry neither here nor remembered
            return None
        self._trim()
        self.offset = end
        return True

    def _trim(self) -> None:
        """Keep the newest `KEEP_RECENT` entries for undo (the same dict, cut in place)."""
        if len(self.recent) > KEEP_RECENT:
            for entry_id in sorted(self.recent)[:-KEEP_RECENT]:
                del self.recent[entry_id]

    def _save(self) -> None:
        part = self._part(self.segment)
        if part is None or self.offset == 0:
            return
        try:
            with open(part.path, "rb") as log:
                fingerprint = _fingerprint(log, self.offset)
        except OSError:
            return
        fold = tally_to_dict(self.fold)
        rows = orjson.dumps(fold.pop("rows"))
        doc = {
            "version": VERSION,
            "segment": self.segment,
            "log_size": self.offset,
            "fingerprint": fingerprint,
            "tally": fold,
            "rows": rows.decode(),
            "rows_crc": zlib.crc32(rows),
            "recent": self._saved_recent
            if self._saved_recent is not None
            else {str(i): _answer_row(a) if a else None for i, a in self.recent.items()},
        }
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            durable.write_atomic(self.path, orjson.dumps(doc), durable=False)


def _whole_lines(log: BinaryIO, start: int, size: int) -> Iterator[bytes]:
    """The bytes from `start` to the last newline before `size`, in chunks of whole lines."""
    log.seek(start)
    left = size - start
    carry = b""
    while left > 0:
        data = log.read(min(CHUNK_BYTES, left))
        if not data:
            return
        left -= len(data)
        data = carry + data if carry else data
        cut = data.rfind(b"\n") + 1
        carry = data[cut:]
        if cut:
            yield data[:cut]


def _undone(chunk: bytes) -> Iterator[int]:
    """The ids the undos among `chunk`'s lines cancel (only lines naming "undo" parsed)."""
    found = chunk.find(b'"undo"')
    while found >= 0:
        start = chunk.rfind(b"\n", 0, found) + 1
        end = chunk.find(b"\n", found)  # a chunk ends with a newline
        for doc in _docs([chunk[start:end]]):
            if doc.get("kind") == "undo":
                yield int(doc["of"])
        found = chunk.find(b'"undo"', end)


def _lines(chunk: bytes) -> Iterator[memoryview]:
    """`chunk`'s lines, as views: no list of a chunk's lines (short-lived objects between the
    fold's lasting ones kept the freed memory from going back, 390 MB at 1,000,000 lines)."""
    view = memoryview(chunk)
    start = 0
    find = chunk.find
    while (end := find(b"\n", start)) >= 0:
        yield view[start:end]
        start = end + 1


def _docs(lines: Iterable[bytes | memoryview]) -> Iterator[dict[str, Any]]:
    """The log records among `lines` (the header, blank and unreadable lines left out)."""
    for line in lines:
        try:
            doc = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(doc, dict) and "id" in doc:
            yield doc
