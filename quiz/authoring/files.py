"""Writing files so that a crash or a full disk never leaves half a deck behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from quiz.authoring import AuthoringError


def why(exc: OSError) -> str:
    """The reason of an OS error in a few words ("permission denied")."""
    return (exc.strerror or str(exc)).lower()


def write_atomic(path: Path, data: bytes | str, *, exclusive: bool = False) -> None:
    """Write `data` to `path` via a temporary file in the same folder, then rename it in place.

    Args:
        exclusive: refuse if `path` exists (checked again just before the rename).

    Raises:
        AuthoringError: the file exists (with `exclusive`) or cannot be written.
    """
    write_atomic_with(path, lambda tmp: tmp.write_bytes(_bytes(data)), exclusive=exclusive)


def write_atomic_with(
    path: Path, write: Callable[[Path], object], *, exclusive: bool = False
) -> None:
    """Like `write_atomic`, with `write(temporary_path)` producing the file's content.

    A symbolic link is followed: the file it points to is replaced, the link stays.
    """
    if path.is_symlink():
        path = path.resolve()
    if exclusive and path.exists():
        raise AuthoringError(f"{path}: already exists; choose another name or move it away first")
    folder = path.parent
    if not folder.is_dir():
        raise AuthoringError(f"{path}: cannot write: the folder {folder} does not exist")
    mode = _mode(path)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise AuthoringError(f"{path}: cannot write: {why(exc)}") from None
    tmp = Path(name)
    try:
        os.close(handle)
        write(tmp)
        with open(tmp, "rb+") as file:
            os.fsync(file.fileno())
        os.chmod(tmp, mode)
        if exclusive:
            try:  # os.link fails if the name is taken meanwhile; rename would replace it
                os.link(tmp, path)
            except FileExistsError:
                raise AuthoringError(f"{path}: already exists; choose another name") from None
            except OSError:  # a file system without hard links
                os.replace(tmp, path)
        else:
            os.replace(tmp, path)
        _fsync_folder(folder)
    except OSError as exc:
        raise AuthoringError(f"{path}: cannot write: {why(exc)}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _mode(path: Path) -> int:
    """Permissions for the new file: those of the file it replaces, else 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
