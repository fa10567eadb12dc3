"""The end of a session: what was done, how well, and when the next reviews are due."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from quiz.core.session import Summary


def day_name(day: date) -> str:
    """A study day as students say it: "Thu 3 Dec"."""
    return f"{day:%a} {day.day} {day:%b}"


def duration(ms: int) -> str:
    """ "45 s", "4 min 12 s", "1 h 5 min"."""
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def next_reviews(day: date | None, count: int) -> str:
    if day is None:
        return "none scheduled"
    return f"{day_name(day)} ({plural(count, 'card')})"


def plural(count: int, word: str) -> str:
    """'1 card', '2 cards'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_rows(summary: Summary, *, practice: bool) -> list[tuple[str, str]]:
    """The figures of a session, as (label, value) rows."""
    percent = round(100 * summary.correct_rate)
    rows = [
        ("Cards reviewed", f"{summary.reviewed} ({plural(summary.answers, 'answer')})"),
        ("Correct", f"{percent}% ({summary.correct} of {plural(summary.answers, 'answer')})"),
        ("Time spent", duration(summary.elapsed_ms)),
        ("Re-drilled", plural(summary.redrilled, "card")),
    ]
    if practice:
        rows.append(("Practice", "nothing was scheduled or saved"))
    else:
        rows.append(("Next reviews", next_reviews(summary.next_due, summary.next_due_count)))
    return rows


class SummaryScreen(Screen[str]):
    """Returns "done" to go back to the decks, or "undo" to take back the last answer."""

    DEFAULT_CSS = """
    #summary-box {
        height: auto;
        margin: 1 2;
        padding: 1 2;
        border: round $primary;
        .dim {
            margin-top: 1;
        }
    }
    #summary-title {
        margin-bottom: 1;
    }
    #summary-note {
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close('done')", "Back to decks"),
        Binding("escape", "close('done')", "Back to decks", show=False),
        Binding("q", "close('done')", "Back to decks", show=False),
        Binding("u", "close('undo')", "Undo last answer"),
    ]

    def __init__(
        self, summary: Summary, *, practice: bool, early: bool, note: str | None = None
    ) -> None:
        super().__init__(id="summary")
        self.summary = summary
        self.practice = practice
        self.early = early
        self.note = note
        """A line on how the session ended (the last answer saved with its suggested grade)."""

    def compose(self) -> ComposeResult:
        title = "Session ended early" if self.early else "Session complete"
        if self.practice:
            title = f"Practice: {title.lower()}"
        with Vertical(id="summary-box"):
            yield Static(Content.styled(title, "bold"), id="summary-title")
            for label, value in summary_rows(self.summary, practice=self.practice):
                yield Static(Content.assemble(Content.styled(f"{label:<16}", "bold"), value))
            if self.note:
                yield Static(Content(self.note), id="summary-note")
            saved = (
                "Nothing from practice is saved."
                if self.practice
                else "Every answer is saved. Come back when the next reviews are due."
            )
            yield Static(Content(saved), classes="dim")
        yield Footer(compact=True)

    def action_close(self, result: str) -> None:
        self.dismiss(result)
