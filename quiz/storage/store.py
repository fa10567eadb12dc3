"""Progress on disk: an fsync'd append-only review log, checkpointed into a TinyDB file.

The review log, one JSON object per line and the record of truth, is log.jsonl (the open
segment) after the closed segments in log/ (quiz.storage.segments); progress.json is the
TinyDB checkpoint (quiz.storage.progress_db); the folder's other files, its lock and its
backups are quiz.storage.folder's.

An answer is durable once its log line is written and flushed to the disk. progress.json is a
checkpoint of the states, rewritten atomically every `CHECKPOINT_EVERY` answers (in a thread:
that answer does not wait for the disk) and on close, noting the segment and offset it covers;
on open it is brought up to date by replaying the log lines written after that point.

A checkpoint that does not parse, or that the log contradicts where that is cheap to see (it
covers more of the log than there is, or the lines after it do not run on from its states),
is moved to replaced/ and rebuilt from the whole log at open, without asking; `notices` says
so. A checkpoint of a newer format is refused, never rebuilt.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from quiz.core.progress import (
    ProgressStore,
    StoreError,
    state_from_dict,
    state_to_dict,
)
from quiz.storage import clock, durable, segments
from quiz.storage.checkpoint import Unusable, check_place, runs_on
from quiz.storage.folder import (
    LOCK_FILE,
    PROGRESS_FILE,
    TMP_MARK,
    acquire_lock,
    backup,
    finish_restore,
    newest_backup,
    reason,
    remove_half_backups,
    set_aside,
)
from quiz.storage.progress_db import Pending, ProgressDB
from quiz.storage.segments import LOG_FILE, SEGMENT_DIR, Segment, SegmentError

if TYPE_CHECKING:
    from quiz.core.fold import LogTally  # the statistics: not needed to study

_APPEND_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)

FORMAT = 2
"""The checkpoint's format: 2 notes the log segment it covers; 1 (a single-file log) reads as
segment 1."""
CHECKPOINT_EVERY = 200
"""Answers between automatic checkpoints (each one rewrites progress.json)."""


class FileStore(ProgressStore):
    """The durable store of one data folder. Open it with `FileStore.open(folder)`."""

    def __init__(self, folder: Path, cache_dir: Path | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.cache_dir = cache_dir  # for the log's fold (None: folded afresh each time)
        self.progress_path = folder / PROGRESS_FILE
        self.log_path = folder / LOG_FILE
        self._lock: durable.FolderLock | None = None
        self._log_fd: int | None = None
        self._segment = 1
        """The number of the open segment, log.jsonl."""
        self._log_size = 0
        """Its size: it is closed once it reaches `segments.SEGMENT_BYTES`."""
        self._since_checkpoint = 0
        self._changed: set[str] = set()
        """Keys whose state changed since the checkpoint's table last took them in."""
        self._db: ProgressDB | None = None
        self._saving: threading.Thread | None = None
        """The automatic checkpoint being written, if any (`_written`)."""
        self._unsaved = False
        """The last checkpoint was not written: the next one is, whatever the count says."""
        self._file = threading.Lock()
        """Held while progress.json is written (in `_saving`'s thread too) or copied."""
        self._checking = False
        """While the log after a checkpoint is replayed: each line must run on from it."""
        self._replayed: Counter[str] = Counter()
        """Entries and undo records replayed, for the notice of a rebuild."""
        self._writing = threading.RLock()
        """Held while the folder's files are written: an answer, a checkpoint, closing, and a
        backup, which the app takes in a thread so the first card need not wait for it (an
        answer given meanwhile waits for the copy to finish)."""

    @classmethod
    def open(cls, folder: Path, cache_dir: Path | None = None) -> FileStore:
        """Lock the folder, read the checkpoint and replay the log after it; `cache_dir` is
        where the statistics may keep the log's fold (`log_tally`).

        Raises:
            StoreError: folder unusable, in use by another quiz, or a file damaged or too new.
        """
        store = cls(folder, cache_dir)
        try:
            store._open()
        except BaseException:
            store._release()
            raise
        return store

    # --- opening ---

    def _open(self) -> None:
        self._prepare_folder()
        self._lock = acquire_lock(self.folder)
        self._remove_leftover_temp_files()
        self._finish_interrupted()
        claimed: int | None = None
        try:
            last_id, segment, log_size = self._read_checkpoint()
            claimed = last_id
            self._next_id = last_id + 1
            self._check_checkpoint(last_id, segment, log_size)
            self._replay(segment, log_size, last_id)
        except Unusable as exc:
            self._rebuild(exc.what, claimed)
        finally:
            self._checking = False
        self._open_log()
        if self.notices:  # rebuilt: write the new checkpoint now
            with contextlib.suppress(StoreError):  # else at the next checkpoint
                self._checkpoint()

    def _prepare_folder(self) -> None:
        if self.folder.exists() and not self.folder.is_dir():
            raise StoreError(f"{self.folder}: the progress folder is a file, not a folder")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"{self.folder}: cannot create the progress folder: {reason(exc)}"
            ) from None
        for path in (self.progress_path, self.log_path, self.folder / LOCK_FILE):
            if path.is_dir():
                raise StoreError(f"{path}: is a folder, but quiz keeps its progress in a file here")
        if (self.folder / SEGMENT_DIR).is_file():
            raise StoreError(
                f"{self.folder / SEGMENT_DIR}: is a file, but quiz keeps the log's closed"
                " segments in a folder here"
            )

    def _remove_leftover_temp_files(self) -> None:
        for pattern in (f"*{TMP_MARK}*", f".*{durable.TEMP_SUFFIX}"):  # older quiz, this one
            for leftover in self.folder.glob(pattern):
                if leftover.is_file():
                    leftover.unlink(missing_ok=True)
        segments.remove_temp_files(self.folder)
        remove_half_backups(self.folder)

    def _finish_interrupted(self) -> None:
        """Complete a restore or a log rotation that a kill cut short."""
        finish_restore(self.folder)
        with self._reading_segments():
            segments.finish_rotation(self.folder)

    @contextlib.contextmanager
    def _reading_segments(self) -> Iterator[None]:
        """The log's segments read: a damaged one, a newer format or an unreadable file said
        as a StoreError naming the file."""
        try:
            yield
        except SegmentError as exc:
            raise self._damaged(exc.path, exc.what) from None
        except ValueError as exc:
            raise self._newer_log(self.log_path, str(exc)) from None
        except OSError as exc:
            raise StoreError(f"{self.log_path}: cannot read: {reason(exc)}") from None

    def _newer_log(self, path: Path, version: object) -> StoreError:
        return StoreError(
            f"{path}: written by a newer quiz (log format {version}); update quiz to open it"
        )

    def _damaged(self, path: Path, what: str) -> StoreError:
        newest = newest_backup(self.folder)
        hint = (
            f", or `quiz restore` to bring back the newest backup ({newest.name})"
            if newest
            else " (there is no backup to restore)"
        )
        return StoreError(
            f"{path}: {what}. quiz has not changed it; run `quiz repair` to mend it from the"
            f" copies on the disk{hint}"
        )

    def _read_checkpoint(self) -> tuple[int, int, int]:
        """Load states from the TinyDB file; returns the last log id, the log segment and the
        offset in it that it covers.

        Raises:
            Unusable: the file does not parse, or is not laid out as quiz writes it.
            StoreError: it cannot be read, or a newer quiz wrote it.
        """
        self._db = ProgressDB(self.progress_path)
        if not self.progress_path.exists():
            return 0, 1, 0
        try:
            tables = self._db.file.read()
        except OSError as exc:
            raise StoreError(f"{self.progress_path}: cannot read: {reason(exc)}") from None
        except orjson.JSONDecodeError:
            raise Unusable("it is not valid JSON (cut short or garbled)") from None
        except ValueError:
            raise Unusable("it is not a JSON object") from None
        if tables is None:
            raise Unusable("it is empty")
        try:
            meta = self._db.meta()
        except (ValueError, TypeError, AttributeError):
            meta = None
        if meta is None:
            raise Unusable("its meta table is missing or damaged")
        fmt = meta.get("format", FORMAT)
        if not isinstance(fmt, int) or fmt > FORMAT:
            raise StoreError(
                f"{self.progress_path}: written by a newer quiz (progress format {fmt});"
                " update quiz to open it"
            )
        covered = [meta.get("last_id", 0), meta.get("segment", 1), meta.get("log_size", 0)]
        if not all(type(value) is int and value >= 0 for value in covered):
            raise Unusable("its meta table is damaged")
        try:
            self.load_states(self._db.states())
        except (ValueError, TypeError, KeyError, AttributeError):
            raise Unusable("a card state in it is damaged") from None
        return covered[0], covered[1], covered[2]

    def _check_checkpoint(self, last_id: int, segment: int, log_size: int) -> None:
        """Refuse a checkpoint that the log contradicts (quiz.storage.checkpoint); replay then
        checks the lines after it. A folder with no log at all keeps its checkpoint: it is
        the only record left.

        Raises:
            Unusable: the checkpoint disagrees with the log.
        """
        parts = self._segments()
        if not parts:
            return
        try:
            self._checking = check_place(parts, len(self._states), last_id, segment, log_size)
        except OSError as exc:
            raise StoreError(f"{self.log_path}: cannot read: {reason(exc)}") from None

    def _rebuild(self, what: str, claimed: int | None) -> None:
        """Replay the whole log into fresh states, then move the checkpoint that could not be
        used to replaced/ and tell the user (`notices`); `_open` writes the new one. If the
        log itself is damaged, this raises its StoreError before anything is moved.

        Args:
            what: why the checkpoint could not be used.
            claimed: the last entry it said it covered, if it could be read.
        """
        self._checking = False
        self._states = {}
        self._changed = set()
        self._next_id = 1
        self._since_checkpoint = 0
        self._replayed.clear()
        self._replay(1, 0, 0)
        try:
            aside = set_aside(self.folder, [self.progress_path], clock.now())
        except OSError as exc:
            raise StoreError(
                f"{self.progress_path}: could not be used, {what}, nor moved aside to rebuild"
                f" it from the review log: {reason(exc)}; quiz has not changed it"
            ) from None
        self._db = ProgressDB(self.progress_path)
        answers = self._replayed["entry"] - self._replayed["undo"]
        rebuilt = f"rebuilt from the review log ({answers} answer{'' if answers == 1 else 's'}"
        kept, ends = aside / PROGRESS_FILE, self._next_id - 1
        if claimed is not None and claimed > ends:
            outcome = (
                f"{rebuilt}); the old file, kept in {kept}, covered {claimed - ends} entries"
                " more: if answers are missing, a backup may hold them (`quiz restore --list`)"
            )
        else:
            outcome = f"{rebuilt}, nothing lost); the old file is kept in {kept}"
        self.notices.append(f"{self.progress_path}: could not be used, {what}; {outcome}")

    def _segments(self) -> list[Segment]:
        with self._reading_segments():
            return segments.all_segments(self.folder)

    def _replay(self, segment: int, offset: int, last_id: int) -> None:
        """Apply the log lines written after the checkpoint: from `offset` in segment
        `segment`, then every later segment; cut off a torn last line of the open one."""
        for part in self._segments():
            if part.number < segment:
                continue
            start = offset if part.number == segment else 0
            self._replay_file(part, start, last_id)

    def _replay_file(self, part: Segment, start: int, last_id: int) -> None:
        try:
            with open(part.path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                start = start if 0 < start <= size else 0
                handle.seek(start)
                tail = handle.read()
        except OSError as exc:
            raise StoreError(f"{part.path}: cannot read: {reason(exc)}") from None
        good_end = start
        lines = tail.split(b"\n")
        for number, line in enumerate(lines):
            is_last = number == len(lines) - 1
            if not line.strip():
                if not is_last:
                    good_end += len(line) + 1
                continue
            if is_last and not part.closed:
                break  # no newline after it: a kill mid-append, never acknowledged
            try:
                doc = orjson.loads(line)
                if not isinstance(doc, dict):
                    raise ValueError("not an object")
                self._apply(doc, last_id, part.path)
            except (ValueError, TypeError, KeyError, orjson.JSONDecodeError):
                # A kill mid-append leaves a last line without its newline (or, after a power
                # cut, zeros): that answer was never acknowledged. A whole line that does not
                # parse is damage, even the last: cutting it could lose an answer.
                torn = is_last or b"\x00" in line
                if torn and not part.closed:
                    break
                last = is_last or number == len(lines) - 2
                where = "at its last line" if last else "in the middle"
                raise self._damaged(part.path, f"is damaged {where}") from None
            if is_last:
                break  # a closed segment's last line without its newline: whole, kept as is
            good_end += len(line) + 1
        else:
            good_end = size
        if good_end < size and not part.closed:
            self._truncate_log(good_end)

    def _apply(self, doc: dict[str, Any], last_id: int, path: Path) -> None:
        if doc.get("quiz_log") is not None:
            if int(doc["quiz_log"]) > segments.FORMAT:
                raise self._newer_log(path, doc["quiz_log"])
            return
        entry_id = int(doc["id"])
        if entry_id <= last_id:
            if self._checking:
                raise Unusable(
                    f"it ends at entry #{last_id}, but entry #{entry_id} comes after its place"
                    " in the log"
                )
            return
        key = str(doc["k"])
        after = state_from_dict(doc["a"])
        if self._checking:
            if entry_id != self._next_id:
                self._checking = False  # a gap in the log: its damage, not the checkpoint's
            elif not runs_on(doc, self.state):
                raise Unusable(
                    f"its state of {key} is not the one the log's entry #{entry_id} starts from"
                )
        self._states[key] = after
        self._changed.add(key)
        self._next_id = max(self._next_id, entry_id + 1)
        self._since_checkpoint += 1
        self._replayed["undo" if doc.get("kind") == "undo" else "entry"] += 1

    def _truncate_log(self, size: int) -> None:
        try:
            durable.truncate(self.log_path, size)
        except OSError as exc:
            raise StoreError(
                f"{self.log_path}: cannot repair a torn last line: {reason(exc)}"
            ) from None

    def _open_log(self) -> None:
        """Open the open segment for appending: a new folder's first, the next one after the
        closed ones, or an older quiz's single-file log closed first (it becomes segment 1)."""
        try:
            closed = segments.closed_segments(self.folder)
            first = b""
            if self.log_path.is_file():
                with open(self.log_path, "rb") as handle:
                    first = handle.readline(256)
            if not first:
                self._segment = closed[-1].number + 1 if closed else 1
                segments_header = segments.header(self._segment)
                durable.write_atomic(self.log_path, segments_header)
            else:
                self._segment = segments.number_of(first.rstrip(b"\n"))
                if first != segments.header(self._segment):  # an older quiz's single file
                    self._migrate(len(first))
            self._log_fd = os.open(self.log_path, _APPEND_FLAGS, 0o644)
            self._log_size = os.fstat(self._log_fd).st_size
        except SegmentError as exc:
            raise self._damaged(exc.path, exc.what) from None
        except OSError as exc:
            raise StoreError(f"{self.log_path}: cannot write: {reason(exc)}") from None
        if self._log_size >= segments.SEGMENT_BYTES:
            self._rotate()

    def _migrate(self, header_size: int) -> None:
        """Make an older quiz's single-file log segment 1 of this layout: closed as it is if
        it holds any entry (a hard link: no byte is rewritten), else given the new header."""
        if self.log_path.stat().st_size > header_size:
            segments.rotate(self.folder)
            self._segment += 1
        else:
            durable.write_atomic(self.log_path, segments.header(self._segment))

    def _rotate(self) -> None:
        """Close the open segment and open the next (quiz.storage.segments). The answers are
        safe whatever happens here: a failure leaves the open segment as it was (or a
        rotation that the next open completes) and answering goes on in it."""
        if self._log_fd is None:
            return
        os.close(self._log_fd)
        self._log_fd = None
        try:
            segments.rotate(self.folder)
            self._segment += 1
        except (OSError, ValueError):
            pass  # tried again at the next answer; the open segment simply grows meanwhile
        try:
            self._log_fd = os.open(self.log_path, _APPEND_FLAGS, 0o644)
            self._log_size = os.fstat(self._log_fd).st_size
        except OSError as exc:
            raise StoreError(f"{self.log_path}: cannot write: {reason(exc)}") from None

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

    def _read_log(self) -> Iterator[dict[str, Any]]:
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
                        doc = orjson.loads(line)
                    except orjson.JSONDecodeError:
                        continue  # a torn last line (replay refuses damage after the checkpoint)
                    if isinstance(doc, dict) and "id" in doc:
                        yield doc

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
