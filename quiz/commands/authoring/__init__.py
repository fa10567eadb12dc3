"""Tools for teachers who write decks: new-deck, schema, fmt, preview, import and export.

Every command here reports bad input by raising `AuthoringError` with one line that names the
file and the place; the command line prints it and exits non-zero.
"""

from __future__ import annotations

import os
from pathlib import Path

from quiz.storage.inputs import not_regular
from quiz.storage.user_files import AuthoringError

__all__ = ["AuthoringError", "check_preview_path"]


def check_preview_path(path: Path) -> None:
    """A preview needs a deck file that exists (it may have errors: the preview shows them).

    Raises:
        AuthoringError: `path` is a folder or does not exist.
    """
    if path.is_dir():
        raise AuthoringError(f"{path}: this is a folder; give a deck file")
    if not path.exists():
        raise AuthoringError(f"{path}: no such file (make one with `quiz new-deck {path}`)")
    try:
        problem = not_regular(os.stat(path).st_mode)
    except OSError as exc:
        raise AuthoringError(f"{path}: cannot read: {(exc.strerror or str(exc)).lower()}") from None
    if problem is not None:  # a pipe would hang the preview's reads
        raise AuthoringError(f"{path}: {problem.strerror}")
