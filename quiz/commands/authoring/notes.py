"""Anki notes on their way into a deck: the parts both importers (text and package) share."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from quiz.commands.authoring.html_text import Reduced, looks_like_html, reduce_html, reduce_plain
from quiz.core.model import CLOZE_RE

_CLOZE_START = re.compile(r"\{\{c\d+::")


@dataclass(frozen=True, slots=True)
class Skip:
    """A row or note that was not imported: where it is (`line 12`, `note 1690000000`) and why."""

    where: str
    reason: str


@dataclass(frozen=True, slots=True)
class Note:
    """One Anki note, its fields already reduced to text."""

    where: str
    kind: str
    """`basic`, `reversed`, `optional-reversed` or `cloze`."""
    fields: tuple[Reduced, ...]
    tags: tuple[str, ...] = ()


@dataclass
class Converted:
    """What came out of a file: card objects (no ids yet), each with its place, and the skips."""

    cards: list[dict[str, Any]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    """Places of cards that name images or sounds (kept as text: quiz cannot show them)."""
    title: str | None = None
    """The Anki deck's name, when the file tells it."""

    def add(self, note: Note) -> None:
        """Turn a note into a card, or record why it cannot be one."""
        card = to_card(note)
        if isinstance(card, str):
            self.skipped.append(Skip(note.where, card))
            return
        self.cards.append(card)
        self.places.append(note.where)
        if any(part.media for part in note.fields):
            self.media.append(note.where)


def reduce(value: str, html: bool) -> Reduced:
    """A field's text: HTML reduced when the field is HTML, else taken as written."""
    return reduce_html(value) if html else reduce_plain(value)


def guess_html(values: Sequence[str]) -> bool:
    """Whether the fields hold HTML (when the file does not say), as Anki guesses it."""
    return any(looks_like_html(value) for value in values)


def kind_of(notetype: str, first_field: str) -> str:
    """The kind of note from its note type's name, or from its text when there is no name."""
    name = notetype.lower()
    if "cloze" in name:
        return "cloze"
    if "optional reversed" in name:
        return "optional-reversed"
    if "reversed" in name:
        return "reversed"
    if not name and _CLOZE_START.search(first_field):
        return "cloze"
    return "basic"


def to_card(note: Note) -> dict[str, Any] | str:
    """The card object of a note, or the reason it cannot be imported."""
    texts = [part.text for part in note.fields]
    while len(texts) < 2:
        texts.append("")
    first, second, extra = texts[0], texts[1], texts[2:]
    card: dict[str, Any]
    if note.kind == "cloze":
        if not first:
            return "the cloze text (first field) is empty"
        if not CLOZE_RE.search(first):
            return "a cloze note without a deletion like {{c1::answer}}"
        card = {"type": "cloze", "text": first}
        explanation = [t for t in (second, *extra) if t]
    else:
        if not first:
            return "the front (first field) is empty"
        if not second:
            return "the back (second field) is empty"
        card = {"type": "basic", "front": first, "back": second}
        if note.kind == "reversed" or (note.kind == "optional-reversed" and extra and extra[0]):
            card["reverse"] = True
        if note.kind == "optional-reversed":
            extra = extra[1:]
        explanation = [t for t in extra if t]
    if note.tags:
        card["tags"] = list(dict.fromkeys(note.tags))
    if explanation:
        card["explanation"] = "\n\n".join(explanation)
    return card


def split_tags(text: str) -> tuple[str, ...]:
    """Anki's tags: separated by spaces."""
    return tuple(text.split())
