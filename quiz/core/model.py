"""The deck's data model: decks, cards, and the reviewable items a card expands into."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter, eq
from pathlib import Path
from typing import Literal

from quiz.core.competencies import with_domains

CardType = Literal["basic", "cloze", "choice", "rank"]
ItemKind = Literal["basic", "reverse", "cloze", "choice", "rank"]

SLUG_PATTERN = "^[a-z0-9][a-z0-9-]*$"
"""The form of every id in a deck (deck, card, option): lowercase letters, digits and dashes,
starting with a letter or digit. The schema (quiz/schema/deck.schema.json) says the same."""
SLUG_RE = re.compile(SLUG_PATTERN)

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
"""A cloze deletion: `{{c1::answer}}` or `{{c1::answer::hint}}`."""
_CLOZE_NUMBER_RE = re.compile(CLOZE_RE.pattern.replace("(.*?)", "(?:.*?)"), re.DOTALL)
"""`CLOZE_RE` capturing only the number: `findall` then gives the numbers alone (a quarter of
the time of reading them off `finditer`'s matches, over 22,000 cloze cards)."""


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a `choice` or `rank` card."""

    text: str
    correct: bool = False
    why: str | None = None
    id: str | None = None
    """A slug unique within its card: the option's name in logged responses (optional)."""
    unsafe: bool = False
    """Doing this would put a patient or colleague at risk: choosing it (a choice), or ranking
    it first or second (a rank), caps the grade at Again (`scoring.UNSAFE_CAP`)."""


@dataclass(frozen=True, slots=True)
class Card:
    """One card as written in a deck file (it may expand into several items)."""

    deck_id: str
    id: str
    type: CardType
    front: str = ""
    back: str = ""
    reverse: bool = False
    text: str = ""
    scenario: str | None = None
    question: str = ""
    options: tuple[Option, ...] = ()
    tags: tuple[str, ...] = ()
    source: str | None = None
    explanation: str | None = None
    line: int = 0
    """1-based line of the card in its file (0 when unknown)."""

    @property
    def key(self) -> str:
        """The card's own progress key, `deck-id/card-id`."""
        return f"{self.deck_id}/{self.id}"

    def cloze_numbers(self) -> tuple[int, ...]:
        """The distinct cloze numbers in the text, in ascending order."""
        return tuple(sorted(set(map(int, _CLOZE_NUMBER_RE.findall(self.text)))))

    @property
    def digest(self) -> str:
        """What a scenario answer is scored against, as 16 hex digits: the first 16 of the
        blake2b digest of the card's canonical JSON content (`type`, `scenario`, `question`,
        and each option's `text` and `correct` in file order; keys sorted, no whitespace,
        UTF-8). Rewording, reordering or re-marking an option changes it; a `why`, a tag, an
        option id or the explanation does not.
        """
        content = {
            "type": self.type,
            "scenario": self.scenario,
            "question": self.question,
            "options": [{"text": o.text, "correct": o.correct} for o in self.options],
        }
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.blake2b(canonical.encode("utf-8")).hexdigest()[:16]

    def option_name(self, index: int) -> str:
        """How a response names the option at `index` (0-based, in file order): its `id`,
        else `#` and its 1-based place in the file (`#1`, `#2`, ...).

        Raises:
            IndexError: the card has no option at `index`.
        """
        if not 0 <= index < len(self.options):
            raise IndexError(f"card {self.key} has no option {index}")
        return self.options[index].id or f"#{index + 1}"

    @property
    def unsafe_indexes(self) -> frozenset[int]:
        """Indexes of the options marked unsafe."""
        return frozenset(i for i, option in enumerate(self.options) if option.unsafe)

    @property
    def correct_indexes(self) -> frozenset[int]:
        """Indexes of the correct options of a `choice` card."""
        return frozenset(i for i, option in enumerate(self.options) if option.correct)

    def items(self) -> tuple[Item, ...]:
        """The reviewable items this card expands into, each with its own progress key."""
        key = self.key
        if self.type == "basic":
            basic = Item(self, "basic", None, key)
            return (
                (basic, Item(self, "reverse", None, f"{key}~reverse")) if self.reverse else (basic,)
            )
        if self.type == "cloze":
            return tuple(Item(self, "cloze", n, f"{key}~c{n}") for n in self.cloze_numbers())
        return (Item(self, self.type, None, key),)


@dataclass(frozen=True, slots=True)
class Item:
    """A reviewable unit: a card, its reverse, or one cloze number of a card."""

    card: Card
    kind: ItemKind
    cloze: int | None
    key: str = field(repr=False, compare=False)
    """Progress key: `deck-id/card-id`, plus `~reverse` or `~cN` for generated items.

    Made once, by `Card.items` (the only maker of items): the queue, the deck list and the
    statistics each read the key of every item (65,000 at 50,000 cards), and formatting it at
    each read cost as much as making the item."""

    @property
    def sibling_key(self) -> str:
        """Items sharing this key are siblings (not shown on the same day)."""
        return self.card.key


@dataclass(frozen=True, slots=True)
class ItemKeys:
    """A deck's item keys, with their places grouped the ways the statistics count them
    (`Deck.item_keys`)."""

    keys: tuple[str, ...]
    """Every item's progress key, in deck order."""
    by_tag: dict[str, Sequence[int]]
    """For each study tag (`Deck.study_tags`) of any card: the places in `keys` of the items
    of the cards it is a study tag of, each once."""
    by_kind: dict[ItemKind, tuple[int, ...]]
    """The places in `keys` of each kind of item."""


_KEY = attrgetter("key")


@dataclass(frozen=True, slots=True)
class Deck:
    """A loaded, valid deck."""

    id: str
    title: str
    cards: tuple[Card, ...]
    path: Path | None = None
    description: str = ""
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    review_by: date | None = None
    made_items: tuple[Item, ...] | None = field(default=None, init=False, repr=False, compare=False)
    """The items, when whoever made the deck made them with its cards (`keep_items`)."""
    made_keys: ItemKeys | None = field(default=None, init=False, repr=False, compare=False)
    """`item_keys`, once asked for."""
    pictures: bool = field(default=False, init=False, repr=False, compare=False)
    """Whether the deck's text may hold a picture (`![`): set by whoever loads it, from the
    file's text (a start without pictures never imports what draws them)."""

    def items(self) -> tuple[Item, ...]:
        """Every reviewable item of the deck, in deck order."""
        if self.made_items is not None:
            return self.made_items
        return tuple(item for card in self.cards for item in card.items())

    def note_pictures(self, found: bool) -> None:
        """Say whether the deck's text may hold a picture (see `pictures`)."""
        object.__setattr__(self, "pictures", found)

    def keep_items(self, items: tuple[Item, ...]) -> None:
        """Keep the deck's items, made with its cards: exactly what `Card.items` makes of each
        card in turn (the deck cache makes them so, from cloze numbers it kept; at 50,000
        cards, about half the time)."""
        object.__setattr__(self, "made_items", items)

    def item_keys(self) -> ItemKeys:
        """The items' keys, with their places by study tag and by kind; made once and kept
        (a deck does not change once loaded).

        Made from each card's own tags, not card by card through `study_tags`: the deck's
        study tags hold every item, and a domain the items of its elements' cards."""
        if self.made_keys is not None:
            return self.made_keys
        items = self.items()
        keys = tuple(map(_KEY, items))
        tagged: defaultdict[str, list[int]] = defaultdict(list)
        for place, item in enumerate(items):
            for tag in item.card.tags:
                tagged[tag].append(place)
        by_tag: dict[str, Sequence[int]] = {}
        for tag, at in tagged.items():
            # A tag written twice on one card counts once (its places are then side by side).
            by_tag[tag] = list(dict.fromkeys(at)) if any(map(eq, at, at[1:])) else at
        for tag, at in tagged.items():
            for domain in with_domains((tag,))[1:]:  # an element tag's domain
                # A card with two elements of one domain (or an element and the domain
                # itself) counts once in the domain.
                by_tag[domain] = sorted({*by_tag.get(domain, ()), *at})
        if keys:
            by_tag.update(dict.fromkeys(with_domains(self.tags), range(len(keys))))
        of_kind: defaultdict[ItemKind, list[int]] = defaultdict(list)
        for place, item in enumerate(items):
            of_kind[item.kind].append(place)
        by_kind = {kind: tuple(at) for kind, at in of_kind.items()}
        made = ItemKeys(keys, by_tag, by_kind)
        object.__setattr__(self, "made_keys", made)
        return made

    def all_tags(self, card: Card) -> tuple[str, ...]:
        """A card's tags together with the deck's own, without repeats."""
        return tuple(dict.fromkeys((*self.tags, *card.tags)))

    def study_tags(self, card: Card) -> tuple[str, ...]:
        """`all_tags`, with the MLCF domain of each element tag: what studying or counting a
        tag goes by, so a domain covers the cards of its four elements."""
        return with_domains(self.all_tags(card))
