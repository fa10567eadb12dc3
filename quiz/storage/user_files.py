"""Writing files so that a crash or a full disk never leaves half a deck behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from quiz.storage import durable, inputs


class AuthoringError(Exception):
    """Bad input to an authoring command: one clear line, exit status 1."""


def why(exc: OSError) -> str:
    """The reason of an OS error in a few words ("permission denied")."""
    return (exc.strerror or str(exc)).lower()


def read_input(path: Path, *, missing: str, folder: str, head: int | None = None) -> bytes:
    """The bytes of a file a command was given; a problem is one line naming it.

    Args:
        missing: what to say when there is no such file ("no such file").
        folder: what to say when `path` is a folder ("this is a folder; give a deck file").
        head: read only this many bytes from the start (to tell the file's kind).

    Raises:
        AuthoringError: the file is missing, a folder, or unreadable.
    """
    try:
        return inputs.read_input(path) if head is None else inputs.read_head(path, head)
    except FileNotFoundError:
        raise AuthoringError(f"{path}: {missing}") from None
    except IsADirectoryError:
        raise AuthoringError(f"{path}: {folder}") from None
    except OSError as exc:
        raise AuthoringError(f"{path}: cannot read: {why(exc)}") from None


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
    try:
        durable.write_atomic_with(path, write, exclusive=exclusive)
    except FileExistsError:
        raise AuthoringError(f"{path}: already exists; choose another name") from None
    except OSError as exc:
        raise AuthoringError(f"{path}: cannot write: {why(exc)}") from None


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data
