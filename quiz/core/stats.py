"""Progress figures, computed from card states and the review log; pure, `today` passed in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date

from quiz.core.model import Deck, Item
from quiz.core.progress import CardState, maturity


@dataclass(frozen=True, slots=True)
class DeckCounts:
    """How a deck's items stand on one day."""

    total: int = 0
    new: int = 0
    due: int = 0
    """Reviews due today (new items not included)."""
    learning: int = 0
    young: int = 0
    mature: int = 0
    suspended: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def item_counts(items: Iterable[Item], states: Mapping[str, CardState], today: date) -> DeckCounts:
    """Count items by where they stand: new, due today, learning, young, mature, suspended."""
    counts = {"total": 0, "new": 0, "due": 0, "learning": 0, "young": 0, "mature": 0}
    suspended = 0
    blank = CardState()
    for item in items:
        state = states.get(item.key, blank)
        counts["total"] += 1
        counts[maturity(state)] += 1
        if state.suspended:
            suspended += 1
        elif state.is_due(today):
            counts["due"] += 1
    return DeckCounts(**counts, suspended=suspended)


def deck_counts(
    decks: Iterable[Deck], states: Mapping[str, CardState], today: date
) -> dict[str, DeckCounts]:
    """`item_counts` for each deck, by deck id."""
    return {deck.id: item_counts(deck.items(), states, today) for deck in decks}
