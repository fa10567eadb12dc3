"""A flashcard: basic, reversed or cloze; the front first, then the answer."""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Rule

from quiz.core.model import CLOZE_RE, Item
from quiz.ui.widgets.deck_markdown import DeckText, folder_of


def cloze_markdown(text: str, number: int, *, revealed: bool) -> str:
    """The Markdown of one cloze item: its own deletions blanked (or, revealed, in bold).

    The other deletions of the card show their answers, as in Anki. A blank shows its hint,
    if any: `[...]` or `[two words]`.
    """

    def replace(match: re.Match[str]) -> str:
        answer, hint = match.group(2), match.group(3)
        if int(match.group(1)) != number:
            return answer
        if revealed:
            return f"**{answer.strip()}**" if answer.strip() else answer
        return f"**\\[{hint.strip() if hint and hint.strip() else '...'}\\]**"

    return CLOZE_RE.sub(replace, text)


def card_front(item: Item) -> str:
    """The Markdown shown before the answer."""
    card = item.card
    if item.kind == "reverse":
        return card.back
    if item.kind == "cloze" and item.cloze is not None:
        return cloze_markdown(card.text, item.cloze, revealed=False)
    return card.front


def card_back(item: Item) -> str:
    """The Markdown of the answer (for a cloze, the whole text with the answer in bold)."""
    card = item.card
    if item.kind == "reverse":
        return card.front
    if item.kind == "cloze" and item.cloze is not None:
        return cloze_markdown(card.text, item.cloze, revealed=True)
    return card.back


class FlashCard(Vertical):
    """Shows an item's front (`load`); `reveal` adds the answer and the card's explanation.

    Made once per session and loaded with each flashcard: changing text in place is much
    cheaper than building new widgets for every card.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="flashcard")
        self.item: Item | None = None
        self.revealed = False
        self.folder: Path | None = None
        """The folder of the item's deck (its pictures' paths start there)."""

    def compose(self) -> ComposeResult:
        yield DeckText(id="front")
        yield Rule(id="answer-rule")
        yield DeckText(id="back")
        yield DeckText(id="explanation", classes="explanation")

    async def load(self, item: Item) -> None:
        """Show the front of `item`."""
        self.item = item
        self.revealed = False
        self.folder = folder_of(self, item.card.deck_id)
        await self.query_one("#front", DeckText).show(card_front(item), self.folder)
        self.query_one("#answer-rule").display = False
        await self.query_one("#back", DeckText).show(None)
        await self.query_one("#explanation", DeckText).show(None)

    async def reveal(self) -> None:
        """Show the answer: below the question, or for a cloze, in place of the blanked text."""
        if self.revealed or self.item is None:
            return
        self.revealed = True
        if self.item.kind == "cloze":
            await self.query_one("#front", DeckText).show(card_back(self.item), self.folder)
        else:
            self.query_one("#answer-rule").display = True
            await self.query_one("#back", DeckText).show(card_back(self.item), self.folder)
        explanation = self.item.card.explanation
        await self.query_one("#explanation", DeckText).show(explanation, self.folder)
