"""Anki notes on their way into a deck: the parts both importers (text and package) share."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from quiz.anki.html_text import Reduced, looks_like_html, reduce_html, reduce_plain
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
    decks: tuple[str, ...] = ()
    """The Anki decks its cards are in (`Med::Cardio::ECG`), when the file tells them."""


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
    card_decks: list[tuple[str, ...]] = field(default_factory=list)
    """The Anki decks of each card (`Note.decks`), until `decks_to_tags` has used them."""
    deck_tags: list[str] = field(default_factory=list)
    """The tags `decks_to_tags` gave the cards for their Anki decks, sorted."""

    def add(self, note: Note) -> None:
        """Turn a note into a card, or record why it cannot be one."""
        card = to_card(note)
        if isinstance(card, str):
            self.skipped.append(Skip(note.where, card))
            return
        self.cards.append(card)
        self.places.append(note.where)
        self.card_decks.append(note.decks)
        if any(part.media for part in note.fields):
            self.media.append(note.where)

    def decks_to_tags(self) -> None:
        """Tag each card with its Anki deck, when the cards are in more than one deck.

        A card in `Med::Cardio::Heart failure` gets `Med::Cardio::Heart_failure` and the tag
        of each deck above it, `Med::Cardio`, down from the deck every card is in (`Med`, not
        a tag): the deck list's tag filter then selects Cardio, or only its heart failure.
        Spaces, which a tag cannot hold, become `_`, as in Anki's own tags.
        """
        card_decks, self.card_decks = self.card_decks, []
        found = {name for decks in card_decks for name in decks}
        if len(found) < 2:
            return
        paths = {name: tuple("_".join(part.split()) for part in name.split("::")) for name in found}
        common = _common_length(list(paths.values()))
        tags_of = {
            name: [
                tag
                for tag in ("::".join(parts[:end]) for end in range(common + 1, len(parts) + 1))
                if tag.strip(":")
            ]
            for name, parts in paths.items()
        }
        given: set[str] = set()
        for card, decks in zip(self.cards, card_decks, strict=True):
            if not decks:
                continue
            tags = tags_of[decks[0]] if len(decks) == 1 else [t for d in decks for t in tags_of[d]]
            if tags:
                given.update(tags)
                card["tags"] = list(dict.fromkeys([*card.get("tags", ()), *tags]))
        self.deck_tags = sorted(given)


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


def _common_length(paths: list[tuple[str, ...]]) -> int:
    """How many parts, from the first, all the paths share."""
    shortest = min(paths, key=len)
    for index, part in enumerate(shortest):
        if any(path[index] != part for path in paths):
            return index
    return len(shortest)


def split_tags(text: str) -> tuple[str, ...]:
    """Anki's tags: separated by spaces."""
    return tuple(text.split())
