"""A deck file read for a teacher's preview: the deck and its warnings, or every problem."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from quiz.core.model import Deck
from quiz.deckfile import images
from quiz.deckfile.cuewarn import Checked, across, deck_warnings
from quiz.deckfile.deck import DeckError, Finding, load_deck_text, warnings

__all__ = ["DeckError", "Finding", "card_warnings", "load_deck_text", "picture_file"]


def card_warnings(deck: Deck, text: str, today: date) -> list[Finding]:
    """The warnings the preview shows beside the cards, in file order: `quiz validate
    --strict`'s, and the cues of each scenario question (a near-duplicate scenario within the
    deck too). The targets over a collection of decks are `quiz validate --strict`'s to
    report: they belong to no card."""
    checked = Checked(deck, text)
    cued = [w for w in [*deck_warnings(checked), *across([checked])] if w.line]
    return sorted([*warnings(deck, text, today), *cued], key=lambda w: (w.line, w.column))


def picture_file(folder: Path, path: str) -> Path | None:
    """The picture file a card names, if it may be shown: the deck file checker's rule
    (`quiz.deckfile.images.picture_file`), for the app to ask before it decodes one."""
    return images.picture_file(folder, path)
