"""A scenario question (`choice` or `rank`): vignette, question, options, then the feedback."""

from __future__ import annotations

import random

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Rule, Static

from quiz.core.model import Item
from quiz.core.scoring import Score
from quiz.ui.text import literal
from quiz.ui.widgets.choice import ChoiceList
from quiz.ui.widgets.deck_markdown import DeckMarkdown
from quiz.ui.widgets.rank import RankList


def shuffled(count: int, seed: str) -> list[int]:
    """A fixed shuffle of range(count) for `seed`, never the identity (for count > 1).

    Seeded with a string, `random.Random` gives the same order on every run and machine.
    """
    order = list(range(count))
    random.Random(seed).shuffle(order)
    if count > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return order


class ScenarioCard(Vertical):
    """The question side of a `choice` or `rank` card; `show_feedback` adds the verdict."""

    def __init__(self, item: Item, seed: str, *, id: str | None = None) -> None:
        """
        Args:
            item: a `choice` or `rank` item.
            seed: fixes the order the options are shown in (e.g. the item's key and the day).
        """
        super().__init__(id=id, classes="scenario-card")
        self.item = item
        order = shuffled(len(item.card.options), seed)
        self.options: ChoiceList | RankList = (
            RankList(item.card.options, order)
            if item.kind == "rank"
            else ChoiceList(item.card.options, order)
        )

    def compose(self) -> ComposeResult:
        card = self.item.card
        if card.scenario:
            yield DeckMarkdown(card.scenario, classes="scenario")
        yield DeckMarkdown(card.question, classes="question")
        yield self.options

    def problem(self) -> str | None:
        """Why the answer cannot be submitted yet, or None."""
        options = self.options
        if isinstance(options, ChoiceList) and not options.ready:
            if options.k == 1:
                return "Pick an option first (its number, or ↑↓ and space)."
            left = options.k - len(options.picked)
            return f"Pick {left} more: this question asks for exactly {options.k}."
        return None

    def score(self) -> Score:
        return self.options.score()

    async def show_feedback(self) -> None:
        """Mark the options, then add the card's explanation and source."""
        self.options.show_feedback()
        card = self.item.card
        parts: list[Static | DeckMarkdown | Rule] = []
        if card.explanation or card.source:
            parts.append(Rule())
        if card.explanation:
            parts.append(DeckMarkdown(card.explanation, classes="explanation"))
        if card.source:
            parts.append(Static(literal(f"Source: {card.source}"), classes="source"))
        await self.mount_all(parts)
