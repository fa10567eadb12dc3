"""Opening a progress folder: its checkpoint read and checked, the log replayed after it.

`LogStore` is the part of `quiz.storage.store.FileStore` that opens a folder and keeps the log
laid out on the disk (its segments, a torn last line cut off, rotation); `FileStore` adds
writing answers and checkpoints, closing and backups. A checkpoint that does not parse, or
that the log contradicts where that is cheap to see, is moved to replaced/ and rebuilt from the
whole log, without asking; `notices` says so.
"""

from __future__ import annotations

import contextlib
import os
import threading
from abc import abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from quiz.core.progress import ProgressStore, StoreError, state_from_dict
from quiz.core.schedulers import Scheduler
from quiz.storage import clock, durable, segments
from quiz.storage.checkpoint import Unusable, check_place, runs_on, shortfall
from quiz.storage.folder import (
    LOCK_FILE,
    PROGRESS_FILE,
    TMP_MARK,
    acquire_lock,
    finish_restore,
    newest_backup,
    reason,
    remove_half_backups,
    set_aside,
)
from quiz.storage.progress_db import ProgressDB
from quiz.storage.segments import LOG_FILE, SEGMENT_DIR, Segment, SegmentError

APPEND_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)

FORMAT = 2
"""The checkpoint's format: 2 notes the log segment it covers; 1 (a single-file log) reads as
segment 1."""


class LogStore(ProgressStore):
    """A progress folder's log and checkpoint as opening finds them (`FileStore` opens it)."""

    def __init__(
        self,
        folder: Path,
        cache_dir: Path | None = None,
        scheduler: Scheduler | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        super().__init__()
        self.scheduler = scheduler
        """The scheduler the states must be computed under (None: as the checkpoint has them)."""
        self.progress = progress
        """Told (entries done, in all) while the log is replayed under a new scheduler."""
        self.under: str | None = None
        """The identity of the scheduler the states were computed under (None: not known)."""
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
        if self.scheduler is not None and self._computed_under() != self.scheduler.identity:
            self._recompute(self.scheduler)
        if self.notices:  # rebuilt or recomputed: write the new checkpoint now
            with contextlib.suppress(StoreError):  # else at the next checkpoint
                self._checkpoint()

    def _computed_under(self) -> str:
        """The scheduler the states were computed under: the checkpoint's, or after a rebuild
        from the log's own states, FSRS if any state has its fields, else SM-2."""
        if self.under is not None:
            return self.under
        if any(state.stability is not None for state in self._states.values()):
            return "fsrs"
        return "sm2"

    def _recompute(self, scheduler: Scheduler) -> None:
        """Recompute every state from the log under `scheduler` (the setting changed since
        the checkpoint was written), and say so."""
        under = self._computed_under()
        before = under.split(" ", 1)[0]
        answers = self.reschedule(scheduler, self.progress)
        exams_only = under.split(" exams=")[0] == scheduler.identity.split(" exams=")[0]
        if exams_only:
            change = "the exams changed"
        elif before != scheduler.name:
            change = f"scheduler changed from {before} to {scheduler.name}"
        else:
            change = f"scheduler changed under {scheduler.name} with its new settings or parameters"
        self.notices.append(
            f"{self.progress_path}: {change}; the card states were"
            f" recomputed from the review log ({answers} card{'' if answers == 1 else 's'})"
        )

    def _rescheduled(self, keys: set[str], scheduler: Scheduler) -> None:
        self._changed |= keys
        self.under = scheduler.identity
        self._unsaved = True

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
        under = meta.get("scheduler", "sm2")
        self.under = under if isinstance(under, str) else None
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
        checks the lines after it. A checkpoint covering more entries than the log holds (a
        folder with no log at all, or a log cut short) is kept: it is the only record of them.

        Raises:
            Unusable: the checkpoint disagrees with the log.
        """
        parts = self._segments()
        try:
            short = shortfall(self.folder, parts, last_id, segment, log_size)
            if short is not None:  # the checkpoint is the only record of what the log lost
                self._say_missing(*short, last_id)
                return
            if not parts:
                return
            self._checking = check_place(parts, len(self._states), last_id, segment, log_size)
        except OSError as exc:
            raise StoreError(f"{self.log_path}: cannot read: {reason(exc)}") from None

    def _say_missing(self, end: int, missing: int, last_id: int) -> None:
        """Keep a checkpoint that covers entries the log no longer holds, and say so while no
        repair has named them lost."""
        if missing == 0:
            return
        self.notices.append(
            f"{self.log_path}: the review log holds entries up to #{end}, but"
            f" {self.progress_path.name} covers up to #{last_id}: {missing} answer"
            f"{'' if missing == 1 else 's'} missing from the log. Your card states are kept"
            " from the checkpoint; run `quiz repair` to mend the log from the copies on the"
            " disk and name what no copy holds"
        )

    def _rebuild(self, what: str, claimed: int | None) -> None:
        """Replay the whole log into fresh states, then move the checkpoint that could not be
        used to replaced/ and tell the user (`notices`); `_open` writes the new one. If the
        log itself is damaged, this raises its StoreError before anything is moved.

        Args:
            what: why the checkpoint could not be used.
            claimed: the last entry it said it covered, if it could be read.
        """
        self._checking = False
        self.under = None
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
        if doc.get("kind") != "undo":
            date.fromisoformat(doc["d"])  # a day that is not a date: damage, as a bad line
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
            self._log_fd = os.open(self.log_path, APPEND_FLAGS, 0o644)
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
            self._log_fd = os.open(self.log_path, APPEND_FLAGS, 0o644)
            self._log_size = os.fstat(self._log_fd).st_size
        except OSError as exc:
            raise StoreError(f"{self.log_path}: cannot write: {reason(exc)}") from None

    @abstractmethod
    def _checkpoint(self) -> None:
        """Write the checkpoint now (`FileStore`'s)."""
