"""Every durable file operation of quiz, on Linux, macOS and Windows, in one place.

- `sync(fd)`: the file's data reaches the disk, not only the system's cache. Linux has
  `os.fdatasync`; macOS has no `fdatasync`, and its `fsync` stops at the drive's cache, so
  there `fcntl.F_FULLFSYNC` is asked for (as SQLite's `fullfsync` does); elsewhere `os.fsync`
  (on Windows, `FlushFileBuffers`).
- `sync_folder(folder)`: a new name or a rename in `folder` is durable. Windows cannot open a
  folder as a file and makes renames durable itself, so there it does nothing.
- `replace(src, dst)`: `os.replace`, retried for a moment on Windows while a virus scanner or
  an indexer holds `dst` open (`PermissionError`).
- `write_atomic(path, data)`: the new content, whole, or the old file untouched.
- `append(fd, data)`: a durable append that leaves no torn line behind on failure.
- `FolderLock`: one process at a time in a progress folder, through `filelock`'s native lock
  (`flock` on Unix, `LockFileEx` on Windows); it dies with its process, so a killed quiz
  leaves nothing to clean up.

Nothing else in quiz calls `fcntl`, `os.fsync`, `os.fdatasync` or `os.replace` (a test holds
every other module to that).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

TEMP_SUFFIX = ".tmp"
"""Temporary files are named `.<name>.<random>.tmp` beside the file they will replace."""
_F_FULLFSYNC = 51
"""`fcntl.F_FULLFSYNC` on macOS (sys/fcntl.h); `fcntl` names it there, and only there."""
REPLACE_TRIES = 10
REPLACE_WAIT = 0.05
"""Seconds before the first retry of a refused replace on Windows; doubled each time, capped."""


def _windows() -> bool:
    return sys.platform == "win32"


def sync(fd: int) -> None:
    """Flush `fd`'s data (and the size, which reading it back needs) to the disk itself.

    Raises:
        OSError: the system reports that the data may not have reached the disk.
    """
    if sys.platform == "darwin":
        _full_sync(fd)
    elif hasattr(os, "fdatasync"):
        os.fdatasync(fd)
    else:
        os.fsync(fd)


def sync_file(fd: int) -> None:
    """Flush `fd`'s data and all its metadata to the disk (for a whole new file).

    Raises:
        OSError: the system reports that the file may not have reached the disk.
    """
    if sys.platform == "darwin":
        _full_sync(fd)
    else:
        os.fsync(fd)


def _full_sync(fd: int) -> None:
    """macOS: `fsync` stops at the drive's cache; F_FULLFSYNC asks the drive to write it."""
    import fcntl  # macOS only: the one place quiz touches fcntl

    try:
        fcntl.fcntl(fd, getattr(fcntl, "F_FULLFSYNC", _F_FULLFSYNC))
    except OSError:  # a file system without it (some network shares): fsync is the best there
        os.fsync(fd)


def sync_folder(folder: Path) -> None:
    """Make a new file or a rename in `folder` durable, where the system allows it.

    Raises:
        OSError: the folder could not be flushed (never on Windows, where it is skipped).
    """
    if _windows():
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)  # F_FULLFSYNC is for files; a folder's entries go with fsync on macOS too
    finally:
        os.close(fd)


def replace(source: Path, target: Path) -> None:
    """`os.replace(source, target)`, retried briefly on Windows while `target` is held open.

    Raises:
        OSError: the rename failed (for good, or for longer than about a second on Windows).
    """
    wait = REPLACE_WAIT
    for attempt in range(REPLACE_TRIES):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if not _windows() or attempt == REPLACE_TRIES - 1:
                raise
        time.sleep(wait)
        wait = min(wait * 2, 0.2)


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace `path` with `data`: a crash leaves either the old file or the new one, whole.

    Args:
        durable: flush the data and the folder to the disk (False for caches, which a crash
            may lose at no cost but speed).

    Raises:
        OSError: the data could not be written; `path` is then untouched.
    """

    def put(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            handle.write(data)

    write_atomic_with(path, put, durable=durable)


def write_atomic_with(
    path: Path,
    write: Callable[[Path], object],
    *,
    durable: bool = True,
    exclusive: bool = False,
) -> None:
    """`write_atomic`, with `write(temporary_path)` producing the content.

    The new file keeps the permission bits of the file it replaces (a new one: 0o666 less the
    umask).

    Args:
        exclusive: fail with FileExistsError if `path` exists, even if it appears meanwhile.

    Raises:
        FileExistsError: with `exclusive`, `path` exists.
        OSError: anything else; `path` is then untouched and no temporary file is left.
    """
    import tempfile  # here: only commands that write whole files pay for its import

    folder = path.parent
    mode = _mode(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        if durable:
            with open(tmp, "rb+") as file:
                sync_file(file.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        if exclusive:
            _link_exclusive(tmp, path)
        else:
            replace(tmp, path)
        if durable:
            sync_folder(folder)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _link_exclusive(tmp: Path, path: Path) -> None:
    if path.exists():
        raise FileExistsError(errno.EEXIST, "File exists", str(path))
    try:  # a hard link fails if the name is taken meanwhile; a rename would replace it
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links (FAT): as good as it gets there
        replace(tmp, path)


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def append(fd: int, data: bytes) -> None:
    """Append `data` to the file open (for appending) at `fd`, and flush it to the disk.

    On any failure the file is cut back to its former length, so no torn line is left.

    Raises:
        OSError: the data is not on the disk (a short write counts as a full disk).
    """
    size = os.fstat(fd).st_size
    try:
        written = os.write(fd, data)
        if written != len(data):
            raise OSError(errno.ENOSPC, "No space left on device (short write)")
        sync(fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        raise


def truncate(path: Path, size: int) -> None:
    """Cut the file at `path` to `size` bytes, durably.

    Raises:
        OSError: the file could not be cut or flushed.
    """
    with open(path, "r+b") as handle:
        handle.truncate(size)
        handle.flush()
        sync_file(handle.fileno())


_PID_AT = 1
"""Where the holder's pid starts in the lock file: after byte 0, which the lock covers on
Windows, where another process cannot read a locked byte."""


class LockError(OSError):
    """The system could not lock the file (not that another process holds it)."""


class LockedError(Exception):
    """Another process holds the lock; `holder` is its pid as it wrote it, or "unknown"."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


class FolderLock:
    """An exclusive lock on `path` for this process, released by `release` or by its death."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock without waiting, and write this process's pid into the file.

        Raises:
            LockedError: another process holds it.
            LockError: the system cannot lock this file (a file system without locks).
            OSError: the lock file cannot be opened.
        """
        import filelock  # here: only what opens a progress folder pays for its import

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        try:
            locked = filelock.lock_descriptor(fd, blocking=False)
        except OSError as exc:
            os.close(fd)
            raise LockError(exc.errno, exc.strerror) from None
        except BaseException:
            os.close(fd)
            raise
        if not locked:
            holder = _read_at(fd, _PID_AT) or "unknown"
            os.close(fd)
            raise LockedError(holder)
        self._fd = fd
        with contextlib.suppress(OSError):  # the pid is only a courtesy for LockedError
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f" {os.getpid():<20}\n".encode("ascii"))  # byte 0: the lock's

    def release(self) -> None:
        """Release the lock (closing the descriptor releases it on every system)."""
        if self._fd is not None:
            import filelock

            with contextlib.suppress(OSError):
                filelock.unlock_descriptor(self._fd)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def _read_at(fd: int, offset: int) -> str:
    try:
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, 64).decode("ascii", "replace").strip("\x00 \n")
    except OSError:
        return ""
