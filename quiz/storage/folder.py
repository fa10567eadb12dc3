"""A progress folder's files, its lock, its backups and bringing one back.

progress.json   the checkpoint of the card states (quiz.storage.store)
log.jsonl       the review log, one JSON object per line; the record of truth
lock            held by the process using the folder (quiz.storage.durable.FolderLock)
backups/        copies of both files, taken at the start of each study session
replaced/       files set aside by a restore, never deleted
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

from quiz.core.progress import StoreError
from quiz.storage import durable

PROGRESS_FILE = "progress.json"
LOG_FILE = "log.jsonl"
LOCK_FILE = "lock"
BACKUP_DIR = "backups"
KEEP_BACKUPS = 10
TMP_MARK = ".tmp-"
"""In the name of a backup being made (and of an older quiz's temporary files)."""


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


def backups(folder: Path) -> list[Path]:
    """The backups of a data folder, oldest first."""
    root = folder / BACKUP_DIR
    if not root.is_dir():
        return []
    return sorted(path for path in root.iterdir() if path.is_dir() and TMP_MARK not in path.name)


def newest_backup(folder: Path) -> Path | None:
    found = backups(folder)
    return found[-1] if found else None


def backup(folder: Path, now: datetime) -> Path | None:
    """Copy progress.json and log.jsonl into backups/<timestamp>/; keep the last ten.

    Returns None when there is nothing to back up yet.
    """
    sources = [folder / name for name in (PROGRESS_FILE, LOG_FILE) if (folder / name).is_file()]
    if not sources:
        return None
    name = now.strftime("%Y-%m-%dT%H%M%S")
    target = folder / BACKUP_DIR / name
    suffix = 1
    while target.exists():
        suffix += 1
        target = folder / BACKUP_DIR / f"{name}-{suffix}"
    staging = target.with_name(f"{target.name}{TMP_MARK}{os.getpid()}")
    try:
        staging.mkdir(parents=True)
        for source in sources:
            durable.copy_file(source, staging / source.name)
        durable.replace(staging, target)
        durable.sync_folder(target.parent)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreError(f"{target.parent}: cannot back up progress: {reason(exc)}") from None
    for old in backups(folder)[:-KEEP_BACKUPS]:
        shutil.rmtree(old, ignore_errors=True)
    return target


def backup_now(folder: Path, now: datetime) -> Path | None:
    """`backup`, holding the folder's lock (for `quiz backup`, with no store open).

    Raises:
        StoreError: another quiz uses the folder, or the copy could not be made.
    """
    if not folder.is_dir():
        return None
    lock = acquire_lock(folder)
    try:
        return backup(folder, now)
    finally:
        lock.release()


def restore(folder: Path, name: str | None, now: datetime) -> Path:
    """Bring back a backup (the newest, or the one named); the current files are set aside.

    The files being replaced are moved to replaced/<timestamp>/, never deleted. The caller
    holds the folder's lock (see `FileStore.open`), so no quiz is writing meanwhile.

    Raises:
        StoreError: no such backup, or the files could not be copied.
    """
    if not folder.is_dir():
        raise StoreError(f"{folder}: no such progress folder")
    lock = acquire_lock(folder)
    try:
        return _restore(folder, name, now)
    finally:
        lock.release()


def _restore(folder: Path, name: str | None, now: datetime) -> Path:
    found = backups(folder)
    if name:
        chosen = next((b for b in found if b.name == name), None)
    else:
        chosen = found[-1] if found else None
    if chosen is None:
        available = ", ".join(b.name for b in found) or "none"
        wanted = f'"{name}"' if name else "any"
        raise StoreError(f"{folder / BACKUP_DIR}: no backup {wanted} (backups: {available})")
    aside = folder / "replaced" / now.strftime("%Y-%m-%dT%H%M%S")
    try:
        aside.mkdir(parents=True, exist_ok=True)
        for file_name in (PROGRESS_FILE, LOG_FILE):
            current = folder / file_name
            if current.is_file():
                durable.replace(current, aside / file_name)
            if (chosen / file_name).is_file():
                durable.copy_file(chosen / file_name, folder / file_name)
        durable.sync_folder(folder)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot restore {chosen.name}: {reason(exc)}") from None
    return chosen
