"""A scenario question (`choice` or `rank`): vignette, question, options, then the feedback."""

from __future__ import annotations

import random

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Rule, Static

from quiz.core.model import Item
from quiz.core.responses import unsafe_chosen
from quiz.core.scoring import Score
from quiz.ui.text import literal
from quiz.ui.widgets.choice import ChoiceList
from quiz.ui.widgets.deck_markdown import DeckText, folder_of
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
    """The question side of a `choice` or `rank` card; `show_feedback` adds the verdict.

    Made once per session and loaded with each question, like `FlashCard`.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="scenario-card")
        self.item: Item | None = None

    def compose(self) -> ComposeResult:
        yield DeckText(id="scenario", classes="scenario")
        yield DeckText(id="question", classes="question")
        yield ChoiceList()
        yield RankList()
        yield Rule(id="feedback-rule")
        yield DeckText(id="scenario-explanation", classes="explanation")
        yield Static(id="source", classes="source")

    @property
    def options(self) -> ChoiceList | RankList:
        """The options of the question on show."""
        if self.item is not None and self.item.kind == "rank":
            return self.query_one(RankList)
        return self.query_one(ChoiceList)

    async def load(self, item: Item, seed: str) -> None:
        """Show a question, its options in a fixed shuffle.

        Args:
            item: a `choice` or `rank` item.
            seed: fixes the order the options are shown in (e.g. the item's key and the day).
        """
        self.item = item
        card = item.card
        folder = folder_of(self, card.deck_id)
        await self.query_one("#scenario", DeckText).show(card.scenario, folder)
        await self.query_one("#question", DeckText).show(card.question, folder)
        order = shuffled(len(card.options), seed)
        choices, ranking = self.query_one(ChoiceList), self.query_one(RankList)
        choices.display = item.kind != "rank"
        ranking.display = item.kind == "rank"
        self.options.load(card.options, order)
        self.query_one("#feedback-rule").display = False
        await self.query_one("#scenario-explanation", DeckText).show(None)
        self.query_one("#source").display = False

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

    def chosen(self) -> tuple[int, ...]:
        """The answer as indexes of the card's options: for a rank, the option at each place
        (first place first); for a choice, those picked, in file order."""
        options = self.options
        if isinstance(options, RankList):
            return tuple(options.placed)
        return tuple(sorted(options.picked))

    def unsafe_chosen(self) -> tuple[int, ...]:
        """The unsafe options the answer chose (`quiz.core.responses.unsafe_chosen`)."""
        if self.item is None:
            return ()
        return unsafe_chosen(self.item.card, self.chosen())

    async def show_feedback(self) -> None:
        """Mark the options, then show the card's explanation and source."""
        self.options.show_feedback()
        if self.item is None:
            return
        card = self.item.card
        self.query_one("#feedback-rule").display = bool(card.explanation or card.source)
        folder = folder_of(self, card.deck_id)
        await self.query_one("#scenario-explanation", DeckText).show(card.explanation, folder)
        source = self.query_one("#source", Static)
        source.display = bool(card.source)
        source.update(literal(f"Source: {card.source}" if card.source else ""))
