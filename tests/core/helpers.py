"""Small decks built in code, for tests that need no files."""

from __future__ import annotations

from quiz.core.model import Card, Deck, Option


def basic(deck_id: str, card_id: str, *, reverse: bool = False, tags: tuple[str, ...] = ()) -> Card:
    return Card(deck_id, card_id, "basic", front=f"front {card_id}", back=f"back {card_id}",
                reverse=reverse, tags=tags)  # fmt: skip


def cloze(deck_id: str, card_id: str, text: str) -> Card:
    return Card(deck_id, card_id, "cloze", text=text)


def choice(deck_id: str, card_id: str, correct: tuple[int, ...] = (0,), n: int = 4) -> Card:
    options = tuple(Option(f"option {i}", i in correct, f"why {i}") for i in range(n))
    return Card(deck_id, card_id, "choice", question="What now?", options=options)


def deck(deck_id: str, *cards: Card) -> Deck:
    return Deck(deck_id, f"Deck {deck_id}", tuple(cards))


def basic_deck(deck_id: str, n: int) -> Deck:
    return deck(deck_id, *(basic(deck_id, f"c{i}") for i in range(n)))
