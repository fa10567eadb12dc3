"""The review log folded for the statistics, kept between runs so opening them stays fast.

Parsing a log of 100,000 answers takes longer than the statistics screen may take to open, so
the fold (`quiz.core.stats.LogTally`) is saved in `stats-cache.json` in the progress folder's
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
import hashlib
import os
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from quiz.core.stats import Answer, LogTally
from quiz.storage import durable
from quiz.storage.segments import Segment

CACHE_FILE = "stats-cache.json"
VERSION = 2
KEEP_RECENT = 5000
"""Log entries remembered for undo; a session's answers are well within it."""
FINGERPRINT_BYTES = 512


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
        date.fromisoformat(doc["d"]),
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
        self.tally_ = LogTally()
        self.recent: dict[int, Answer | None] = {}
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
        return self.tally_

    def _reset(self) -> None:
        self.tally_, self.recent = LogTally(), {}
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
            self.tally_ = LogTally.from_dict(doc["tally"])
            self.recent = {
                int(i): _answer_of_row(int(i), row) if row else None
                for i, row in doc["recent"].items()
            }
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
        """Fold in the whole lines after the offset; True if any, None if it needs a re-read."""
        log.seek(self.offset)
        added = log.read(size - self.offset)
        end = self.offset + added.rfind(b"\n") + 1  # a last line without its newline may be
        if end <= self.offset:  # half written: it waits for its newline
            return False
        docs = list(_docs(added[: end - self.offset].split(b"\n")))
        cancelled = {int(doc["of"]) for doc in docs if doc.get("kind") == "undo"}
        for doc in docs:
            if doc.get("kind") == "undo":
                continue
            entry_id = int(doc["id"])
            if entry_id in cancelled:
                cancelled.discard(entry_id)
                continue
            answer = answer_from_doc(doc)
            self.recent[entry_id] = answer
            if answer is not None:
                self.tally_.add(answer)
        for entry_id in cancelled:  # undos of entries folded in on an earlier run
            if entry_id not in self.recent:
                return None
            answer = self.recent.pop(entry_id)
            if answer is not None:
                self.tally_.remove(answer)
        if len(self.recent) > KEEP_RECENT:
            keep = sorted(self.recent)[-KEEP_RECENT:]
            self.recent = {i: self.recent[i] for i in keep}
        self.offset = end
        return True

    def _save(self) -> None:
        part = self._part(self.segment)
        if part is None or self.offset == 0:
            return
        try:
            with open(part.path, "rb") as log:
                fingerprint = _fingerprint(log, self.offset)
        except OSError:
            return
        doc = {
            "version": VERSION,
            "segment": self.segment,
            "log_size": self.offset,
            "fingerprint": fingerprint,
            "tally": self.tally_.to_dict(),
            "recent": {
                str(i): _answer_row(a) if a is not None else None for i, a in self.recent.items()
            },
        }
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            durable.write_atomic(self.path, orjson.dumps(doc), durable=False)


def _docs(lines: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    """The log records among `lines` (the header and unreadable lines left out)."""
    for line in lines:
        if not line.strip():
            continue
        try:
            doc = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(doc, dict) and "id" in doc:
            yield doc
