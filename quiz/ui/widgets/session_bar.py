"""The line above a card: which deck and kind of card, and how far through the session."""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.widget import Widget

from quiz.core.model import Item
from quiz.core.progress import CardState
from quiz.ui.text import literal


def kind_label(item: Item) -> str:
    """The kind of card in words: "Cloze 2", "Choose 3 of 8", "Scenario · Ranking of 5"."""
    card = item.card
    if item.kind == "basic":
        label = "Flashcard"
    elif item.kind == "reverse":
        label = "Flashcard, reversed"
    elif item.kind == "cloze":
        label = f"Cloze {item.cloze}"
    elif item.kind == "rank":
        label = f"Ranking of {len(card.options)}"
    else:
        k = len(card.correct_indexes)
        label = "Single best answer" if k == 1 else f"Choose {k} of {len(card.options)}"
    return f"Scenario · {label}" if card.scenario else label


def state_label(state: CardState, *, drill: bool, practice: bool) -> str:
    if practice:
        return "practice: nothing is saved"
    if drill:
        return "re-drill"
    if state.is_new:
        return "new"
    return f"review, {state.lapses} lapses" if state.lapses else "review"


def progress_line(done: int, remaining: int, width: int) -> tuple[str, str]:
    """The bar's two parts: the cells done ("━" each) and the cells to go."""
    total = done + remaining
    filled = round(width * done / total) if total else width
    return "━" * filled, "━" * (width - filled)


class SessionBar(Widget):
    """Deck, card kind and state; below, the progress bar and the counts.

    One widget drawing its two lines: it changes with every card, and five widgets (two of
    them containers) made each of those changes a layout of their own.
    """

    DEFAULT_CSS = """
    SessionBar {
        height: 2;
        text-wrap: nowrap;
        padding: 0 1;
        background: $primary 30%;

        & > .session-bar--done {
            color: $primary;
        }
        & > .session-bar--to-go {
            color: $foreground 20%;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"session-bar--done", "session-bar--to-go"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.where = Content("")
        self.done = 0
        self.remaining = 0

    def show(self, item: Item, deck_title: str, state: str, *, done: int, remaining: int) -> None:
        """Describe the current item and the session's progress (re-drills included)."""
        self.where = Content.assemble(
            literal(deck_title, "bold"), f" · {kind_label(item)} · {state}"
        )
        self.done, self.remaining = done, remaining
        self.refresh()

    def render(self) -> Content:
        width = self.content_size.width
        counts = f" {self.done} done · {self.remaining} left"
        done, to_go = progress_line(self.done, self.remaining, max(0, width - len(counts)))
        progress = Content.assemble(
            Content.styled(done, self.get_visual_style("session-bar--done")),
            Content.styled(to_go, self.get_visual_style("session-bar--to-go")),
            counts,
        )
        return Content("\n").join([self.where.truncate(width, ellipsis=True), progress])
