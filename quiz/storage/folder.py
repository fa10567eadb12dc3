"""A progress folder's files, its lock, its backups and bringing one back.

progress.json   the checkpoint of the card states (quiz.storage.store)
log.jsonl       the open segment of the review log, the record of truth
log/            its closed segments (quiz.storage.segments)
lock            held by the process using the folder (quiz.storage.durable.FolderLock)
backups/        one folder per backup, taken at the start of each study session
replaced/       files set aside (by a restore, or a checkpoint rebuilt), never deleted
restoring.json  only while a restore is under way (see `restore`)

A backup holds the log by reference: a hard link to each closed segment (which never changes)
and a zstd copy (with zstd's content checksum) of the open segment and of the checkpoint,
with `backup.json` naming them. Ten backups of a million answers cost about the disk of the
log once, not ten times (bench/README.md). Where the file system has no hard links,
closed segments are copied. Backups of older quiz versions (plain copies of progress.json and
log.jsonl) are still read.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from quiz.core.progress import StoreError
from quiz.storage import compressed, durable, segments
from quiz.storage.recovery import later_answers as later
from quiz.storage.segments import LOG_FILE, SEGMENT_DIR, SegmentError

PROGRESS_FILE = "progress.json"
LOCK_FILE = "lock"
BACKUP_DIR = "backups"
KEEP_BACKUPS = 10
TMP_MARK = ".tmp-"
"""In the name of a backup being made (and of an older quiz's temporary files)."""
REPLACED_DIR = "replaced"
RESTORE_JOURNAL = "restoring.json"
MANIFEST = "backup.json"
PACKED_LOG = "log.jsonl.zst"
PACKED_PROGRESS = "progress.json.zst"
BACKUP_FORMAT = 1


def reason(exc: OSError) -> str:
    """An OS error's reason in a few words ("Permission denied")."""
    return exc.strerror or str(exc)


def acquire_lock(folder: Path) -> durable.FolderLock:
    """Lock a data folder for this process.

    The lock dies with the process, so a lock left by a killed quiz is simply taken over.

    Raises:
        StoreError: another process holds it, or the folder cannot be written.
    """
    lock = durable.FolderLock(folder / LOCK_FILE)
    try:
        lock.acquire()
    except durable.LockedError as exc:
        raise StoreError(
            f"{folder}: another quiz (pid {exc.holder}) is using this progress folder;"
            " close it first, or use another folder with --data"
        ) from None
    except durable.LockError as exc:
        raise StoreError(f"{folder / LOCK_FILE}: cannot lock: {reason(exc)}") from None
    except OSError as exc:
        raise StoreError(f"{folder}: cannot write to the progress folder: {reason(exc)}") from None
    return lock


def own_path(folder: Path, *names: str) -> Path:
    """`folder`/names..., checked to be a place of quiz's own: each name a plain file name
    (no separator, not `..`, as a note such as restoring.json may hold any text), and no
    step of the way a symbolic link (which could lead out of the progress folder).

    Raises:
        StoreError: a name is not plain, or the way passes through a link.
    """
    path = folder
    for name in names:
        if (
            not name
            or name in (".", "..")
            or "/" in name
            or "\\" in name
            or "\x00" in name
            or Path(name).is_absolute()
        ):
            raise StoreError(f"{folder}: {name!r} is not a name quiz gives; nothing was changed")
        path = path / name
        if path.is_symlink():
            raise StoreError(
                f"{path}: is a symbolic link; quiz keeps only its own files and folders there"
                " and follows no link out of the progress folder (move the link away)"
            )
    return path


def aside_name(folder: Path, now: datetime) -> str:
    """A name for a new folder in replaced/: `now`'s time, with -2, -3... if it is taken."""
    stamp = now.strftime("%Y-%m-%dT%H%M%S")
    name, suffix = stamp, 1
    while (folder / REPLACED_DIR / name).exists():
        suffix += 1
        name = f"{stamp}-{suffix}"
    return name


def set_aside(folder: Path, paths: Sequence[Path], now: datetime) -> Path:
    """Move the files `paths` of `folder` into a new folder replaced/<now>/, durably (the
    caller holds the folder's lock); returns that folder. Nothing there is ever deleted.

    Raises:
        OSError: a move failed; what was not moved is where it was.
    """
    own_path(folder, REPLACED_DIR)
    aside = own_path(folder, REPLACED_DIR, aside_name(folder, now))
    aside.mkdir(parents=True)
    for path in paths:
        durable.replace(path, aside / path.name)
    durable.sync_folder(aside)
    durable.sync_folder(aside.parent)
    durable.sync_folder(folder)
    return aside


def backups(folder: Path) -> list[Path]:
    """The backups of a data folder, oldest first: the folders in backups/ that quiz made
    (a manifest, or an older quiz's plain copies), none of them a link, nor backups/ itself."""
    root = folder / BACKUP_DIR
    if root.is_symlink() or not root.is_dir():
        return []
    return sorted(path for path in root.iterdir() if TMP_MARK not in path.name and is_backup(path))


def is_backup(path: Path) -> bool:
    """A folder quiz made as a backup: not a link, holding its manifest (or, made by an older
    quiz, a plain log.jsonl or progress.json)."""
    if path.is_symlink() or not path.is_dir():
        return False
    return any(
        (path / name).is_file() and not (path / name).is_symlink()
        for name in (MANIFEST, LOG_FILE, PROGRESS_FILE)
    )


def newest_backup(folder: Path) -> Path | None:
    found = backups(folder)
    return found[-1] if found else None


def backup(folder: Path, now: datetime) -> Path | None:
    """Back up the progress into backups/<timestamp>/; keep the last ten.

    The caller holds the folder's lock. Returns None when there is nothing to back up yet.

    Raises:
        StoreError: the backup could not be made (none is left half made).
    """
    try:
        closed = segments.closed_segments(folder)
        tail = _read_if_file(folder / LOG_FILE)
        if tail is not None and closed:
            number = segments.number_of(tail.split(b"\n", 1)[0])
            if number == closed[-1].number:
                tail = None  # a rotation cut short: those bytes are the closed segment's
        checkpoint = _read_if_file(folder / PROGRESS_FILE)
    except SegmentError as exc:
        raise StoreError(f"{exc.path}: {exc.what}; quiz cannot back it up") from None
    except (OSError, ValueError) as exc:
        raise StoreError(f"{folder}: cannot read the progress to back it up: {exc}") from None
    if not closed and tail is None and checkpoint is None:
        return None
    own_path(folder, BACKUP_DIR)
    name = now.strftime("%Y-%m-%dT%H%M%S")
    target = folder / BACKUP_DIR / name
    suffix = 1
    while target.exists():
        suffix += 1
        target = folder / BACKUP_DIR / f"{name}-{suffix}"
    staging = target.with_name(f"{target.name}{TMP_MARK}{os.getpid()}")
    manifest: dict[str, Any] = {
        "quiz_backup": BACKUP_FORMAT,
        "made": now.isoformat(timespec="seconds"),
        "segments": [segment.path.name for segment in closed],
    }
    try:
        staging.mkdir(parents=True)
        if closed:
            (staging / SEGMENT_DIR).mkdir()
            for segment in closed:
                segments.link_or_copy(segment.path, staging / SEGMENT_DIR / segment.path.name)
            durable.sync_folder(staging / SEGMENT_DIR)
        packs = ((PACKED_LOG, tail, "log"), (PACKED_PROGRESS, checkpoint, "progress"))
        for packed, data, key in packs:
            if data is not None:
                _write_new(staging / packed, compressed.pack(data))
                manifest[key] = {"size": len(data)}  # zstd's own checksum guards the bytes
        _write_new(staging / MANIFEST, orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
        durable.sync_folder(staging)
        durable.replace(staging, target)
        durable.sync_folder(target.parent)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreError(f"{target.parent}: cannot back up progress: {reason(exc)}") from None
    made = [old for old in backups(folder) if (old / MANIFEST).is_file()]
    for old in made[:-KEEP_BACKUPS]:
        _remove_backup(old)
    return target


def _remove_backup(path: Path) -> None:
    """Remove an old backup (one with quiz's manifest: nothing else in backups/ is ever
    removed): renamed out of the list first, so a kill midway never leaves a half-removed
    backup that looks whole."""
    gone = path.with_name(f"{path.name}{TMP_MARK}gone")
    try:
        durable.replace(path, gone)
    except OSError:
        return  # kept: tried again at the next backup
    shutil.rmtree(gone, ignore_errors=True)


def remove_half_backups(folder: Path) -> None:
    """Remove what a kill left of a backup being made or removed (the caller holds the lock).

    They hold only links to the log's closed segments and packed copies of live files."""
    root = folder / BACKUP_DIR
    if root.is_dir() and not root.is_symlink():
        for path in root.iterdir():
            half = TMP_MARK in path.name and path.is_dir() and not path.is_symlink()
            if half and (path.name.endswith(f"{TMP_MARK}gone") or _holds_only_quiz_files(path)):
                shutil.rmtree(path, ignore_errors=True)


def _holds_only_quiz_files(path: Path) -> bool:
    """A backup being made holds only what `backup` puts there."""
    allowed = {MANIFEST, PACKED_LOG, PACKED_PROGRESS, SEGMENT_DIR}
    try:
        return all(child.name in allowed for child in path.iterdir())
    except OSError:
        return False


def _read_if_file(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _write_new(path: Path, data: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        durable.sync_file(handle.fileno())


@dataclass(frozen=True)
class Backup:
    """What a backup holds, read and checked: every segment matches the digest in its name,
    every packed copy its checksum and size."""

    path: Path
    segments: list[Path]
    """Its closed log segments, oldest first."""
    log: bytes | None
    """The open segment (or an older quiz's whole log)."""
    progress: bytes | None
    """The checkpoint."""


def read_backup(path: Path) -> Backup:
    """Read a backup and check every part of it (digests, checksums, sizes; no part a link).

    Raises:
        StoreError: a part is missing or damaged; the message names it.
    """
    for name in (MANIFEST, LOG_FILE, PROGRESS_FILE, PACKED_LOG, PACKED_PROGRESS):
        own_path(path, name)
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():  # made by an older quiz: plain copies
        try:
            log, progress = _read_if_file(path / LOG_FILE), _read_if_file(path / PROGRESS_FILE)
        except OSError as exc:
            raise StoreError(f"{path}: cannot read the backup: {reason(exc)}") from None
        if log is None and progress is None:
            raise StoreError(f"{path}: is not a backup (it has no {MANIFEST})")
        return Backup(path, [], log, progress)
    try:
        manifest = orjson.loads(manifest_path.read_bytes())
        names = [str(name) for name in manifest["segments"]]
        if int(manifest["quiz_backup"]) > BACKUP_FORMAT:
            raise StoreError(
                f"{manifest_path}: written by a newer quiz (backup format"
                f" {manifest['quiz_backup']}); update quiz to restore it"
            )
    except OSError as exc:
        raise StoreError(f"{manifest_path}: cannot read: {reason(exc)}") from None
    except (ValueError, KeyError, TypeError, orjson.JSONDecodeError):
        raise StoreError(f"{manifest_path}: is damaged; this backup cannot be restored") from None
    parts: list[Path] = []
    for name in names:
        parsed = segments.parse_closed_name(name)
        if parsed is None:
            raise StoreError(f"{manifest_path}: is damaged; this backup cannot be restored")
        part = own_path(path, SEGMENT_DIR, name)
        try:
            found = segments.file_digest(part)
        except FileNotFoundError:
            raise StoreError(f"{part}: is missing; this backup cannot be restored") from None
        except OSError as exc:
            raise StoreError(f"{part}: cannot read: {reason(exc)}") from None
        if found != parsed[1]:
            raise StoreError(
                f"{part}: is damaged (its bytes are not the ones it was saved with);"
                " this backup cannot be restored"
            )
        parts.append(part)
    log = _read_packed(path / PACKED_LOG, manifest.get("log"))
    progress = _read_packed(path / PACKED_PROGRESS, manifest.get("progress"))
    return Backup(path, parts, log, progress)


def _read_packed(path: Path, expected: Any) -> bytes | None:
    if expected is None:
        return None
    try:
        size = expected.get("size") if isinstance(expected, dict) else None
        data = compressed.unpack(path.read_bytes(), size if type(size) is int else 0)
    except FileNotFoundError:
        raise StoreError(f"{path}: is missing; this backup cannot be restored") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {reason(exc)}") from None
    except ValueError:
        data = None
    if data is None or not isinstance(expected, dict) or len(data) != expected.get("size"):
        raise StoreError(f"{path}: is damaged; this backup cannot be restored")
    return data


def backup_now(folder: Path, now: datetime) -> Path | None:
    """`backup`, holding the folder's lock (for `quiz backup`, with no store open).

    Raises:
        StoreError: another quiz uses the folder, or the copy could not be made.
    """
    if not folder.is_dir():
        return None
    lock = acquire_lock(folder)
    try:
        finish_restore(folder)
        return backup(folder, now)
    finally:
        lock.release()


@dataclass(frozen=True)
class Restored:
    """What `restore` did."""

    backup: Path
    aside: Path
    """Where the files it replaced are."""
    kept: int | None
    """The answers made after the backup that it kept on top of it; None: the backup was
    restored exactly as it was."""
    not_kept: str | None = None
    """Why the answers made after the backup were not kept, when they were to be."""


def restore(folder: Path, name: str | None, now: datetime, *, exact: bool = False) -> Restored:
    """Bring back a backup (the newest, or the one named), with the answers of the live log
    made after it on top (`quiz.storage.recovery.later_answers`), or exactly as it was made.

    The backup is read and checked whole before anything changes. The files it replaces are
    moved to replaced/<timestamp>/, never deleted; the answers kept are read from them there.
    The steps are written down first in restoring.json, so a restore a kill cuts short is
    finished at the next open (`finish_restore`): the folder holds either what it held or the
    backup (with the later answers, when kept), never a mixture.

    Args:
        exact: the backup as it was, without the answers made after it.

    Raises:
        StoreError: another quiz uses the folder, no such backup, the backup is damaged (and
        nothing changed), or the files could not be written.
    """
    if not folder.is_dir():
        raise StoreError(f"{folder}: no such progress folder")
    lock = acquire_lock(folder)
    try:
        finish_restore(folder)
        return _restore(folder, name, now, keep=not exact)
    finally:
        lock.release()


def _restore(folder: Path, name: str | None, now: datetime, *, keep: bool) -> Restored:
    found = backups(folder)
    if name:
        chosen = next((b for b in found if b.name == name), None)
    else:
        chosen = found[-1] if found else None
    if chosen is None:
        available = ", ".join(b.name for b in found) or "none"
        wanted = f'"{name}"' if name else "any"
        raise StoreError(f"{folder / BACKUP_DIR}: no backup {wanted} (backups: {available})")
    read_backup(chosen)  # refuse a damaged backup before anything changes
    aside = aside_name(folder, now)
    journal = {
        "quiz_restore": 1,
        "backup": chosen.name,
        "aside": aside,
        "phase": "aside",
        "keep": keep,
    }
    try:
        durable.write_atomic(folder / RESTORE_JOURNAL, orjson.dumps(journal))
    except OSError as exc:
        raise StoreError(f"{folder}: cannot restore {chosen.name}: {reason(exc)}") from None
    kept, not_kept = _carry_out(folder, journal)
    return Restored(chosen, folder / REPLACED_DIR / aside, kept, not_kept)


def finish_restore(folder: Path) -> str | None:
    """Finish a restore that a kill cut short (the caller holds the lock); returns the name of
    the backup it restored, or None when there was none under way.

    Raises:
        StoreError: it cannot be finished; the message says where the replaced files are.
    """
    path = folder / RESTORE_JOURNAL
    if not path.is_file():
        return None
    try:
        journal = orjson.loads(path.read_bytes())
        if not isinstance(journal, dict) or journal.get("phase") not in ("aside", "fill"):
            raise ValueError("not a journal")
        if not all(isinstance(journal.get(key), str) for key in ("aside", "backup")):
            raise ValueError("not a journal")
    except (OSError, ValueError, orjson.JSONDecodeError):
        raise StoreError(
            f"{path}: a restore was under way, but its notes cannot be read; the files it"
            f" replaced are in {folder / REPLACED_DIR}"
        ) from None
    _carry_out(folder, journal)
    return str(journal["backup"])


def _carry_out(folder: Path, journal: dict[str, Any]) -> tuple[int | None, str | None]:
    """The restore's two steps, each safe to repeat: set the current files aside, then fill
    the folder from the backup and, if the journal says "keep", the answers after it read
    from the files set aside (which never change, so a repeat writes the same bytes).

    Returns:
        The answers kept on top of the backup (None: restored exactly), and why none were
        kept when they were to be.
    """
    aside = own_path(folder, REPLACED_DIR, str(journal["aside"]))
    chosen = own_path(folder, BACKUP_DIR, str(journal["backup"]))
    if not is_backup(chosen):
        raise StoreError(
            f"{folder / RESTORE_JOURNAL}: names {chosen}, which is not one of quiz's backups;"
            " nothing was changed"
        )
    try:
        if journal["phase"] == "aside":
            aside.mkdir(parents=True, exist_ok=True)
            for file_name in (PROGRESS_FILE, LOG_FILE, SEGMENT_DIR):
                if (folder / file_name).exists():
                    durable.replace(folder / file_name, aside / file_name)
            durable.sync_folder(aside)
            durable.sync_folder(folder)
            journal = {**journal, "phase": "fill"}
            durable.write_atomic(folder / RESTORE_JOURNAL, orjson.dumps(journal))
        try:
            content = read_backup(chosen)
        except StoreError as exc:
            raise StoreError(f"{exc}; the files it was replacing are in {aside}") from None
        log, kept, not_kept = content.log, None, None
        if journal.get("keep") is True:  # absent in an older quiz's journal: exactly
            try:
                after = later.lines_after(aside, later.last_entry(content.segments, content.log))
                kept = later.answers(after)
                if after:
                    log = later.on_top(content.log, len(content.segments), after)
            except later.NotKept as exc:
                not_kept = str(exc)
        segment_dir = folder / SEGMENT_DIR
        if segment_dir.exists():  # a fill a kill cut short: links to the backup's own files
            shutil.rmtree(segment_dir)
        if content.segments:
            segment_dir.mkdir()
            for part in content.segments:
                segments.link_or_copy(part, segment_dir / part.name)
            durable.sync_folder(segment_dir)
        for file_name, data in ((LOG_FILE, log), (PROGRESS_FILE, content.progress)):
            if data is not None:
                durable.write_atomic(folder / file_name, data)
            else:
                (folder / file_name).unlink(missing_ok=True)
        durable.sync_folder(folder)
        (folder / RESTORE_JOURNAL).unlink()
        durable.sync_folder(folder)
    except OSError as exc:
        raise StoreError(
            f"{folder}: cannot restore {chosen.name}: {reason(exc)}; run `quiz restore` again"
            f" to finish it (the files it replaces are in {aside})"
        ) from None
    return kept, not_kept
