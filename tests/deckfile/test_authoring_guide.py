"""The examples in docs/authoring.md are real: every JSON card and deck in it loads."""

from __future__ import annotations

import json
import re
from pathlib import Path

from quiz.deckfile.deck import parse_deck

GUIDE = Path(__file__).parents[2] / "docs" / "authoring.md"


def examples() -> list[dict[str, object]]:
    blocks = re.findall(r"```json\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    found = []
    for block in blocks:
        try:
            found.append(json.loads(block))
        except json.JSONDecodeError:
            assert "..." in block, block  # only an elided example may be incomplete
    return found


def test_every_example_in_the_guide_loads() -> None:
    found = examples()
    decks = [e for e in found if "cards" in e]
    cards = [e for e in found if "type" in e]
    assert len(decks) == 1 and len(cards) == 5
    for deck in decks:
        parse_deck(json.dumps(deck), "guide-deck.json")
    deck = {"format": 1, "id": "guide", "title": "Guide", "cards": cards}
    loaded = parse_deck(json.dumps(deck), "guide-cards.json")
    assert [card.type for card in loaded.cards] == ["basic", "cloze", "choice", "rank", "choice"]
