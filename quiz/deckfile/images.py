"""The picture files a deck names: there, a picture, not too large, inside the deck's folder.

A deck's text is checked when it is loaded (`quiz.deckfile.deckcheck`: alt text, a path that
cannot leave the folder as written); the files themselves are checked by `quiz validate` and by
whoever is about to show one (`picture_file`), never when a deck is loaded: a missing picture
shows its alt text, it does not stop a deck.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from quiz.core.images import find_images, path_problem
from quiz.deckfile.findings import Finding

MAX_PICTURE_BYTES = 5 * 1024 * 1024
"""Largest picture file a deck may name (a chart is tens of kB; a good X-ray photo 1-2 MB)."""

KINDS = ("PNG", "JPEG", "GIF", "WebP")
"""The picture formats a deck may use (told by the file's first bytes, not its name)."""


def picture_kind(head: bytes) -> str | None:
    """The format of a file from its first 12 bytes, if it is one of `KINDS`."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return None


def picture_problem(folder: Path, path: str) -> str | None:
    """Why the picture at `path` (as written in a deck in `folder`) cannot be shown; None if
    it can."""
    return _checked(folder, path)[1]


def picture_file(folder: Path, path: str) -> Path | None:
    """The file of a picture a deck in `folder` names, if it can be shown."""
    return _checked(folder, path)[0]


def _checked(folder: Path, path: str) -> tuple[Path | None, str | None]:
    problem = path_problem(path)
    if problem:
        return None, problem
    named = folder / path
    try:
        real = named.resolve()
        home = folder.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return None, f"cannot follow the picture's path {_show(path)}"
    if not real.is_relative_to(home):
        return None, f"the picture {_show(path)} is a link that leads out of the deck's folder"
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return None, f"no picture file {_show(path)} beside the deck"
    except OSError as exc:
        return None, f"cannot read the picture {_show(path)}: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        return None, f"the picture {_show(path)} is not a file"
    if info.st_size > MAX_PICTURE_BYTES:
        size = f"{info.st_size / 1024 / 1024:.1f} MB"
        limit = f"{MAX_PICTURE_BYTES // 1024 // 1024} MB"
        return None, f"the picture {_show(path)} is too large ({size}; at most {limit})"
    try:
        with open(real, "rb") as file:
            head = file.read(12)
    except OSError as exc:
        return None, f"cannot read the picture {_show(path)}: {exc.strerror or exc}"
    if picture_kind(head) is None:
        kinds = ", ".join(KINDS[:-1]) + " or " + KINDS[-1]
        return None, f"the file {_show(path)} is not a picture quiz can show ({kinds})"
    return real, None


def check_pictures(text: str, deck_path: Path, shown: str) -> list[Finding]:
    """A finding for each picture of a deck (its checked source `text`) that cannot be shown."""
    if "![" not in text:
        return []
    from quiz.deckfile import deckcheck

    data = json.loads(text)
    folder = deck_path.parent
    issues: list[deckcheck.Issue] = []
    for index, card in enumerate(data.get("cards", [])):
        label = deckcheck.card_label(card, index)
        for path, value in deckcheck.text_fields(card, index):
            for ref in find_images(value):
                problem = picture_problem(folder, ref.path)
                if problem:
                    issues.append(deckcheck.Issue(path, f"{label}: {problem}", inner=ref.start))
    return deckcheck.position(issues, text, shown) if issues else []


def _show(path: str) -> str:
    from quiz.deckfile.deckcheck import show

    return show(path)
