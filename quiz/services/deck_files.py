"""A deck file read for a teacher's preview: the deck and its warnings, or every problem."""

from __future__ import annotations

from quiz.deckfile.deck import DeckError, Finding, load_deck_text, warnings

__all__ = ["DeckError", "Finding", "load_deck_text", "warnings"]
