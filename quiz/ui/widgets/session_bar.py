"""The line above a card: which deck and kind of card, and how far through the session."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

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


class ProgressLine(Static):
    """A progress bar drawn as one line of text (no timers, unlike Textual's ProgressBar)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"progress-line--done", "progress-line--to-go"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.done = 0
        self.remaining = 0

    def set_progress(self, done: int, remaining: int) -> None:
        self.done, self.remaining = done, remaining
        self.refresh()

    def render(self) -> Content:
        done, to_go = progress_line(self.done, self.remaining, self.content_size.width)
        return Content.assemble(
            Content.styled(done, self.get_visual_style("progress-line--done")),
            Content.styled(to_go, self.get_visual_style("progress-line--to-go")),
        )


class SessionBar(Vertical):
    """Deck, card kind and state; below, the progress bar and the counts."""

    def compose(self) -> ComposeResult:
        yield Static(id="where")
        with Horizontal(id="progress-row"):
            yield ProgressLine(id="progress")
            yield Static(id="counts")

    def show(self, item: Item, deck_title: str, state: str, *, done: int, remaining: int) -> None:
        """Describe the current item and the session's progress (re-drills included)."""
        where = Content.assemble(literal(deck_title, "bold"), f" · {kind_label(item)} · {state}")
        self.query_one("#where", Static).update(where)
        self.query_one(ProgressLine).set_progress(done, remaining)
        self.query_one("#counts", Static).update(Content(f"{done} done · {remaining} left"))
