"""One option of a scenario question: a prefix (marks, number), its text, and later its feedback."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from quiz.core.model import Option
from quiz.ui.text import inline


class OptionRow(Horizontal):
    """An option laid out with a hanging indent, so wrapped text stays clear of the prefix."""

    class Clicked(Message):
        """The student clicked this option."""

        def __init__(self, row: OptionRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, option: Option, index: int, number: int) -> None:
        """
        Args:
            option: the option as written in the deck.
            index: its index in the card's options (for a rank card, its ideal place - 1).
            number: its number as shown to the student (the shuffled order), fixed for the card.
        """
        super().__init__(classes="option")
        self.option = option
        self.index = index
        self.number = number

    def compose(self) -> ComposeResult:
        yield Static(classes="prefix")
        with Vertical(classes="body"):
            yield Static(inline(self.option.text), classes="text")
            yield Static(classes="feedback")

    def set_prefix(self, prefix: str) -> None:
        self.query_one(".prefix", Static).update(Content(prefix))

    def set_feedback(self, verdict: str, why: str | None) -> None:
        """Show the verdict (in words) and the option's `why` under its text."""
        parts = [Content.styled(verdict, "bold")]
        if why:
            parts += [Content(" "), inline(why)]
        self.query_one(".feedback", Static).update(Content.assemble(*parts))
        self.add_class("-answered")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self))
