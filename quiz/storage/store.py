"""Progress on disk: an fsync'd append-only review log, checkpointed into a TinyDB file.

The review log, one JSON object per line and the record of truth, is log.jsonl (the open
segment) after the closed segments in log/ (quiz.storage.segments); progress.json is the
TinyDB checkpoint (quiz.storage.progress_db); the folder's other files, its lock and its
backups are quiz.storage.folder's.

An answer is durable once its log line is written and flushed to the disk. progress.json is a
checkpoint of the states, rewritten atomically every `CHECKPOINT_EVERY` answers (in a thread:
that answer does not wait for the disk) and on close, noting the segment and offset it covers;
on open it is brought up to date by replaying the log lines written after that point.

Opening (the checkpoint read and checked, the log replayed after it, a checkpoint the log
contradicts rebuilt from the whole log) is quiz.storage.opening's `LogStore`, which this store
extends with writing answers and checkpoints, closing and backups.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from quiz.core.progress import StoreError, state_to_dict
from quiz.core.schedulers import Scheduler
from quiz.storage import durable, segments
from quiz.storage.folder import backup, reason
from quiz.storage.opening import FORMAT, LogStore
from quiz.storage.progress_db import Pending
from quiz.storage.segments import LOG_FILE

if TYPE_CHECKING:
    from quiz.core.fold import LogTally  # the statistics: not needed to study

CHECKPOINT_EVERY = 200
"""Answers between automatic checkpoints (each one rewrites progress.json)."""


class FileStore(LogStore):
    """The durable store of one data folder. Open it with `FileStore.open(folder)`."""

    @classmethod
    def open(
        cls,
        folder: Path,
        cache_dir: Path | None = None,
        *,
        scheduler: Scheduler | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> FileStore:
        """Lock the folder, read the checkpoint and replay the log after it; `cache_dir` is
        where the statistics may keep the log's fold (`log_tally`). With `scheduler`, states
        the checkpoint holds under another scheduler (or its other settings) are recomputed
        from the whole log under it, telling `progress` (entries done, in all) on the way,
        and `notices` says so.

        Raises:
            StoreError: folder unusable, in use by another quiz, or a file damaged or too new.
        """
        store = cls(folder, cache_dir, scheduler, progress)
        try:
            store._open()
        except BaseException:
            store._release()
            raise
        return store

    # --- writing ---

    def _append(self, doc: dict[str, Any]) -> None:
        if self._log_fd is None:
            raise StoreError(f"{self.log_path}: the progress store is closed")
        line = orjson.dumps(doc) + b"\n"
        with self._writing:
            try:
                durable.append(self._log_fd, line)  # cut back on failure: no torn line
            except OSError as exc:
                raise StoreError(
                    f"{self.log_path}: your last answer was NOT saved: {reason(exc)}"
                ) from None
            self._log_size += len(line)
        self._changed.add(str(doc["k"]))

    def _written(self) -> None:
        self._since_checkpoint += 1
        if self._log_size >= segments.SEGMENT_BYTES:
            with self._writing, contextlib.suppress(StoreError):
                self._rotate()
        if self._since_checkpoint >= CHECKPOINT_EVERY and not self._still_saving():
            # The answer is safe in the log: the checkpoint is written in a thread, so the
            # answer that calls for it does not wait for the disk. A failed one is simply
            # tried again later.
            with self._writing:
                data = self._checkpoint_data()
            if data is not None:
                self._saving = threading.Thread(
                    target=self._save_quietly, args=(data,), name="quiz-checkpoint"
                )
                self._saving.start()

    def _still_saving(self) -> bool:
        return self._saving is not None and self._saving.is_alive()

    def _wait_for_saving(self) -> None:
        """Let an automatic checkpoint being written finish (before another, a backup or
        closing)."""
        saving = self._saving
        if saving is not None:
            saving.join()

    def checkpoint(self) -> None:
        """Rewrite the TinyDB file from the states, atomically, and note the log it covers.

        Raises:
            StoreError: if it could not be written; the previous file is intact and the log
            still holds every answer.
        """
        self._wait_for_saving()
        with self._writing:
            self._checkpoint()

    def _checkpoint(self) -> None:
        data = self._checkpoint_data()
        if data is not None:
            self._save(data)

    def _checkpoint_data(self) -> Pending | None:
        """The states changed since the last checkpoint, to write (None if none); under
        `_writing`, with no automatic checkpoint being written."""
        db = self._db
        if db is None or self._log_fd is None:
            return None
        if self._since_checkpoint == 0 and not self._unsaved and self.progress_path.exists():
            return None
        pending = Pending(
            db,
            {key: state_to_dict(self.state(key)) for key in sorted(self._changed)},
            {
                "format": FORMAT,
                "scheduler": self._computed_under(),
                "last_id": self._next_id - 1,
                "segment": self._segment,
                "log_size": os.fstat(self._log_fd).st_size,
            },
        )
        self._changed.clear()
        self._since_checkpoint = 0
        self._unsaved = True
        return pending

    def _save(self, pending: Pending) -> None:
        """Write the checkpoint (`Pending.write`), atomically and durably.

        Raises:
            StoreError: it could not be written (the next checkpoint tries again).
        """
        try:
            with self._file:
                pending.write()
        except OSError as exc:
            raise StoreError(
                f"{self.progress_path}: cannot save (your answers are safe in {LOG_FILE}):"
                f" {reason(exc)}"
            ) from None
        if pending.db is self._db:
            self._unsaved = False

    def _save_quietly(self, pending: Pending) -> None:
        with contextlib.suppress(StoreError):
            self._save(pending)

    def _read_log(self, *, lean: bool = False) -> Iterator[dict[str, Any]]:
        for part in self._segments():
            try:
                handle = open(part.path, "rb")  # noqa: SIM115 - closed below
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise StoreError(f"{part.path}: cannot read: {reason(exc)}") from None
            with handle:  # line by line: an older quiz's whole log may be segment 1
                for line in handle:
                    if not line.strip():
                        continue
                    try:
                        doc = orjson.loads(without_states(line) if lean else line)
                    except orjson.JSONDecodeError:
                        if not lean:
                            continue  # a torn last line (replay refuses damage after it)
                        try:
                            doc = orjson.loads(line)
                        except orjson.JSONDecodeError:
                            continue
                    if isinstance(doc, dict) and "id" in doc:
                        yield doc

    def answers(self) -> Iterator[dict[str, Any]]:
        """The log's records without the states before and after each entry: what a replay
        under a scheduler reads (it recomputes them), parsed at a third of the cost."""
        return self._read_log(lean=True)

    # --- closing, backups ---

    def close(self) -> None:
        self._wait_for_saving()
        with self._writing:  # after a backup still being taken
            try:
                self.checkpoint()
            finally:
                self._release()

    def _release(self) -> None:
        if self._log_fd is not None:
            os.close(self._log_fd)
            self._log_fd = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def log_tally(self) -> LogTally:
        """The log folded: from the fold kept in `cache_dir` and the lines since, if any."""
        if self.cache_dir is None:
            return super().log_tally()
        from quiz.storage.stats_cache import StatsCache

        return StatsCache(self.cache_dir, self._segments()).tally()

    def back_up(self, now: datetime) -> None:
        self.backup(now)

    def backup(self, now: datetime) -> Path | None:
        """Copy the progress files into backups/, keeping the newest ten; safe to call from
        another thread (answers wait until the copy is made).

        Raises:
            StoreError: if the copy could not be made.
        """
        with self._writing, self._file:  # a checkpoint being written is copied once written
            return backup(self.folder, now)


_STATE_BEFORE = b',"b":{'
_STATE_AFTER = b'},"a":{'


def without_states(line: bytes) -> bytes:
    """A log line with its `b` and `a` states cut out, when it has them where quiz writes
    them (`entry_to_dict`: after `t`, before `q`; a state holds no object, so its first `}`
    ends it); else the line as it is."""
    before = line.find(_STATE_BEFORE)
    if before < 0:
        return line
    after = line.find(_STATE_AFTER, before)
    if after < 0:
        return line
    end = line.find(b"}", after + len(_STATE_AFTER))
    if end < 0:
        return line
    return line[:before] + line[end + 1 :]
