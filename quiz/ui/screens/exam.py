"""Setting an exam from the deck list: its name, date, the decks and tags it covers and how
many days before it every card should have been seen; saved to exams.json as `quiz exam add`
saves it, with the same checks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar, Static

from quiz.core.exams import SEEN_BY_DAYS, Exam
from quiz.core.model import Item
from quiz.core.progress import ProgressStore, StoreError
from quiz.core.schedulers import Scheduler
from quiz.services import exams
from quiz.ui.screens.decks import parse_tags
from quiz.ui.text import literal


class ExamScreen(ModalScreen[Exam | None]):
    """Set an exam; returns the exam saved, or None if cancelled or one was removed (ctrl+r
    removes the exam named in the Name field, as `quiz exam remove` does).

    Saving recomputes every card's state from the log under the new exam rules, with its
    progress shown (what the next start would do after `quiz exam add`); `scheduler` is then
    the scheduler with them.

    Args:
        store: the open progress store.
        scheduler: the scheduler its states are computed under.
        data_dir: the progress folder (exams.json).
        today: the study day (the date must be after it).
        items: every item loaded (what the exams cover is worked out from them).
        decks: the deck ids loaded, for the check.
        tags: every tag a student can study by, for the check.
        covers: the deck ids and tags the fields start with.
    """

    DEFAULT_CSS = """
    .exam-field {
        height: 1;
        Input {
            width: 1fr;
        }
    }
    .exam-name {
        width: 10;
    }
    #exam-help {
        margin-top: 1;
    }
    #exam-error {
        color: $error;
        height: auto;
    }
    #exam-replaying {
        display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+r", "remove", "Remove"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        store: ProgressStore,
        scheduler: Scheduler,
        data_dir: Path,
        today: date,
        items: Sequence[Item],
        decks: Sequence[str],
        tags: Sequence[str],
        covers: tuple[Sequence[str], Sequence[str]],
    ) -> None:
        super().__init__(id="exam", classes="dialog")
        self.store = store
        self.scheduler = scheduler
        self.items = items
        self.data_dir = data_dir
        self.today = today
        self.decks = list(decks)
        self.tags = list(tags)
        self.covers = covers

    def compose(self) -> ComposeResult:
        decks, tags = self.covers
        fields = [
            ("Name", "exam-title", "", "e.g. Finals"),
            ("Date", "exam-date", "", "YYYY-MM-DD, after today"),
            ("Decks", "exam-decks", " ".join(decks), "deck ids, separated by spaces"),
            ("Tags", "exam-tags", " ".join(tags), "and/or tags, separated by spaces"),
            ("Seen by", "exam-seen-by", str(SEEN_BY_DAYS), "days before the exam"),
        ]
        with VerticalScroll(classes="dialog-box"):
            yield Static(Content.styled("Set an exam", "bold"), classes="dialog-title")
            for label, field, value, hint in fields:
                with Horizontal(classes="exam-field"):
                    yield Static(Content(label), classes="exam-name")
                    yield Input(value, placeholder=hint, id=field, compact=True)
            yield Static(
                Content(
                    "Until the date, its new cards come first, in time for all to be seen"
                    " the days set before it, and each gets a review in its last week."
                    " Tab moves between fields."
                ),
                id="exam-help",
                classes="dim",
            )
            yield Static(self._set_line(), classes="dim")
            yield ProgressBar(id="exam-replaying", show_eta=False)
            yield Static(id="exam-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Save (ctrl+s)"), id="save", variant="primary")
                yield Button(Content("Cancel (esc)"), id="cancel")
                yield Button(Content("Remove (ctrl+r)"), id="remove")

    def _set_line(self) -> Content:
        """The exams already set, so that one can be removed by its name."""
        try:
            found = exams.load(self.data_dir)
        except exams.ExamsError as exc:
            return literal(str(exc))
        if not found:
            return Content("No exam set yet.")
        names = "; ".join(f"{e.name} {e.day.isoformat()}" for e in found)
        return literal(f"Set: {names}. Ctrl+r removes the one named above.")

    def on_mount(self) -> None:
        self.query_one("#exam-title", Input).focus()

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def read(self) -> Exam:
        """The exam the fields describe.

        Raises:
            ValueError: the date or the number of days is not one.
        """
        day = exams.parse_day(self._value("exam-date"))
        seen_by = self._value("exam-seen-by").strip()
        try:
            days = int(seen_by)
        except ValueError:
            raise ValueError(f'seen by "{seen_by}" is not a whole number of days') from None
        return Exam(
            self._value("exam-title").strip(),
            day,
            tuple(parse_tags(self._value("exam-decks"))),
            tuple(parse_tags(self._value("exam-tags"))),
            days,
        )

    def action_save(self) -> None:
        error = self.query_one("#exam-error", Static)
        try:
            exam = self.read()
            exams.add(self.data_dir, exam, self.today, self.decks, self.tags)
        except (ValueError, exams.ExamsError) as exc:
            error.update(literal(f"Not saved: {exc}"))
            error.scroll_visible()
            return
        self.query_one("#exam-replaying", ProgressBar).display = True
        error.update(Content("Saved. Recomputing every card's state from your log..."))
        self._reschedule(exam)

    def action_remove(self) -> None:
        error = self.query_one("#exam-error", Static)
        name = self._value("exam-title").strip()
        try:
            exams.remove(self.data_dir, name)
        except (ValueError, exams.ExamsError) as exc:
            error.update(literal(f"Not removed: {exc}"))
            error.scroll_visible()
            return
        self.app.notify(f'Removed the exam "{name}".', markup=False, timeout=4)
        self.query_one("#exam-replaying", ProgressBar).display = True
        error.update(Content("Removed. Recomputing every card's state from your log..."))
        self._reschedule(None)

    @work(thread=True, exclusive=True, group="reschedule")
    def _reschedule(self, exam: Exam | None) -> None:
        bar = self.query_one("#exam-replaying", ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, progress=done, total=max(1, total))

        try:
            self.scheduler, problems = exams.reschedule(
                self.store, self.scheduler, self.data_dir, self.items, progress
            )
        except StoreError as exc:  # the states are recomputed again at the next start
            problems = [str(exc)]
        for problem in problems:
            self.app.call_from_thread(self.app.notify, problem, severity="warning")
        self.app.call_from_thread(self.dismiss, exam)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#remove")
    def _remove(self) -> None:
        self.action_remove()
