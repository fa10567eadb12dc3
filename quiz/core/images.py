"""Pictures in deck text: Markdown's `![alt text](path)`, found and checked as text.

A picture's path is relative to the deck file and must stay inside the deck's folder. What can
be told from the text alone (alt text present, a relative path with no `..`, no drive, no
address) is checked here; whether the file is there and is a picture is the deck file layer's
(`quiz.deckfile.images`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.core.model import Card

IMAGE_RE = re.compile(r"!\[([^\[\]\n]*)\]\(\s*<?([^()<>\s]*)>?\s*\)")
"""`![alt](path)`: the alt text (no brackets, one line) and the path (no spaces or parentheses;
a path with spaces is written `<a b.png>` or with `%20` in Markdown, which quiz does not
take: a picture's name is a plain file name)."""

MARK = "\U0001f5bc"
"""What stands for a picture in one line of text: the frame with picture."""


@dataclass(frozen=True, slots=True)
class ImageRef:
    """One picture in a text: its alt text, its path as written, and where it is."""

    alt: str
    path: str
    start: int
    end: int


def find_images(text: str) -> list[ImageRef]:
    """The pictures in `text`, in order."""
    if "![" not in text:
        return []
    return [
        ImageRef(m.group(1).strip(), m.group(2), m.start(), m.end())
        for m in IMAGE_RE.finditer(text)
    ]


def has_images(text: str | None) -> bool:
    """Whether `text` holds a picture."""
    return text is not None and "![" in text and IMAGE_RE.search(text) is not None


def path_problem(path: str) -> str | None:
    """Why a picture's path cannot be used, from its text alone; None if it can.

    The path is relative to the deck file, with `/` between folders, and stays below the
    deck's folder: no `..`, no absolute path, no drive (`C:`), no backslash, no address.
    """
    if not path:
        return "the picture has no file name: write ![alt text](file.png)"
    if "://" in path or path.startswith(("data:", "mailto:")):
        return "the picture must be a file beside the deck, not an address"
    if "\\" in path:
        return "write / between folders in a picture's path, not \\"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "the picture's path must be relative to the deck file, not absolute"
    parts = path.split("/")
    if ".." in parts:
        return "the picture's path must stay inside the deck's folder (no ..)"
    if any(part == "" for part in parts[:-1]) or parts[-1] in ("", "."):
        return "the picture's path must name a file"
    return None


def alt_problem(alt: str) -> str | None:
    """Why a picture's alt text is not enough; None if it is."""
    if not alt.strip():
        return (
            "the picture has no alt text: write what it shows between the brackets, "
            "![a run chart with a shift](chart.png)"
        )
    return None


def one_line(text: str) -> str:
    """`text` with each picture replaced by its alt text after a picture sign, for a
    one-line summary of a card (a list, a report, a notice)."""
    if "![" not in text:
        return text
    return IMAGE_RE.sub(lambda m: f"{MARK} {m.group(1).strip()}", text)


def split(text: str) -> list[str | ImageRef]:
    """`text` cut into its runs of text and its pictures, in order (empty runs left out)."""
    parts: list[str | ImageRef] = []
    position = 0
    for ref in find_images(text):
        if text[position : ref.start].strip():
            parts.append(text[position : ref.start])
        parts.append(ref)
        position = ref.end
    if text[position:].strip():
        parts.append(text[position:])
    return parts


def card_texts(card: Card) -> Iterator[str]:
    """Every Markdown text of a card: its sides, cloze text, scenario, question, options,
    whys and explanation."""
    for text in (card.front, card.back, card.text, card.scenario, card.question):
        if text:
            yield text
    for option in card.options:
        yield option.text
        if option.why:
            yield option.why
    if card.explanation:
        yield card.explanation


def card_images(card: Card) -> list[ImageRef]:
    """The pictures of a card, in the order of `card_texts`."""
    return [ref for text in card_texts(card) if "![" in text for ref in find_images(text)]
