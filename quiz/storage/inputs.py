"""Reading a file someone gave quiz (settings, a panel or results file, an Anki export, a
deck): a regular file, no larger than a stated limit, read without blocking.

A pipe, a device (/dev/zero) or a folder given where a file is expected would otherwise
hang quiz or fill its memory. Each problem is an OSError with a readable `strerror`, so the
callers' existing handling says it in one line.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import orjson

MAX_INPUT = 64 * 1024 * 1024
"""The most bytes quiz reads of a file it is given (settings, panel, results, an Anki text
export); an Anki package has its own limits (quiz.anki.package)."""
MAX_SETTINGS = 1024 * 1024
"""The most bytes of settings.toml read (a hand-written file of a few lines)."""


def not_regular(mode: int) -> OSError | None:
    """The error for a file of mode `mode` that is not a regular file, None if it is one."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return IsADirectoryError(errno.EISDIR, "is a folder, not a file")
    return OSError(
        errno.EINVAL, "is not a regular file (a pipe, a device or a socket); give a file"
    )


def too_large(size: int, limit: int) -> OSError:
    return OSError(
        errno.EFBIG, f"is larger than {limit:,} bytes ({size:,}), the most quiz reads of it"
    )


def read_head(path: Path, size: int) -> bytes:
    """The first `size` bytes of the regular file at `path` (to tell its kind).

    Raises:
        OSError: as `read_input`, but for its size.
    """
    return read_input(path, size, whole=False)


def read_input(path: Path, limit: int | None = None, *, whole: bool = True) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` (MAX_INPUT if None).

    Raises:
        FileNotFoundError, PermissionError, ...: as reading it raises.
        IsADirectoryError: it is a folder.
        OSError: it is not a regular file, or larger than the limit (`strerror` says which).
    """
    bound = MAX_INPUT if limit is None else limit
    problem = not_regular(os.stat(path).st_mode)
    if problem is not None:
        raise problem
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        problem = not_regular(info.st_mode)  # swapped for a pipe since the check
        if problem is not None:
            raise problem
        if whole and info.st_size > bound:
            raise too_large(info.st_size, bound)
        data = handle.read(bound + 1 if whole else bound)
    if len(data) > bound:  # grew while read
        raise too_large(len(data), bound)
    return data


def read_document(path: Path, limit: int, version: int) -> dict[str, Any] | None:
    """The JSON object quiz wrote at `path` with `"format": version`, read within `limit`;
    None where there is no such file (nor its folder).

    Raises:
        OSError: it cannot be read (see `read_input`).
        ValueError: it is not JSON, not an object, or of another format.
    """
    try:
        raw = read_input(path, limit)
    except (FileNotFoundError, NotADirectoryError):
        return None
    doc = orjson.loads(raw)  # orjson.JSONDecodeError is a ValueError
    if not isinstance(doc, dict):
        raise ValueError("not an object")
    if doc.get("format") != version:
        raise ValueError(f"format {doc.get('format')!r}, not {version}")
    return doc
