"""Deck ids and titles when the teacher does not give them: from the file's name."""

from __future__ import annotations

from pathlib import Path

from quiz.commands.authoring import AuthoringError
from quiz.commands.authoring.slug import slugify
from quiz.core.model import SLUG_RE


def deck_id(given: str | None, path: Path) -> str:
    """`--id` if given (it must be a slug), else a slug of the file's name."""
    if given is not None:
        if not SLUG_RE.match(given):
            raise AuthoringError(
                f"--id {given!r}: an id is lowercase letters, digits and dashes, "
                'starting with a letter or digit, like "cardiology-2"'
            )
        return given
    made = slugify(path.stem, max_length=60, drop_small_words=False)
    if not made:
        raise AuthoringError(f"{path}: cannot make a deck id from the file name; give --id")
    return made


def deck_title(given: str | None, path: Path, fallback: str | None = None) -> str:
    """`--title` if given, else `fallback`, else the file's name in words ("Heart failure")."""
    if given is not None:
        if not given.strip():
            raise AuthoringError("--title: the title is empty")
        return given.strip()
    if fallback and fallback.strip():
        return fallback.strip()
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else "New deck"
