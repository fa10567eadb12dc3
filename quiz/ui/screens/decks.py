"""The first screen: every deck with its counts, the decks that were skipped, and a tag filter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Footer, Input, Static

from quiz.core.model import Deck, Item
from quiz.core.progress import ProgressStore
from quiz.core.session import Limits, queue_counts
from quiz.core.text import one_line
from quiz.services.exams import daily_lines
from quiz.ui.text import clean, literal

if TYPE_CHECKING:
    from quiz.ui.app import QuizApp


@dataclass(frozen=True, slots=True)
class Counts:
    """What a deck holds for today."""

    new: int
    """New items today's session would introduce (within the daily limit)."""
    due: int
    """Reviews due today (within the daily limit)."""
    total: int


def count(items: Sequence[Item], store: ProgressStore, today: date, limits: Limits) -> Counts:
    """Today's new and due items among `items`, as a study session would choose them."""
    [(new, due)] = queue_counts([items], store, today, limits)
    return Counts(new, due, len(items))


def parse_tags(text: str) -> list[str]:
    """Tags typed in the filter: separated by spaces or commas."""
    return [tag for tag in text.replace(",", " ").split() if tag]


class DeckTable(DataTable[Text]):
    """The decks, one row each; Enter is left to the screen (its binding names the action)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return False
        return super().check_action(action, parameters)


class DeckListScreen(Screen[None]):
    """Choose what to study: a deck, every deck, or practice; narrowed by tags."""

    DEFAULT_CSS = """
    #title {
        height: 1;
        padding: 0 1;
        background: $primary 30%;
        text-style: bold;
    }
    #tags {
        margin: 1 1 0 1;
        width: 1fr;
    }
    #deck-table {
        height: auto;
        max-height: 1fr;
        margin: 1 1 0 1;
    }
    #deck-status {
        margin: 1 1 0 1;
        height: auto;
    }
    #exams {
        margin: 0 1;
        height: auto;
        color: $accent;
    }
    #problems {
        height: auto;
        max-height: 8;
        margin: 1 1 0 1;
        overflow-y: auto;
        .notice {
            color: $warning;
        }
        .skipped {
            color: $error;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "study", "Study", tooltip="Study the highlighted deck"),
        Binding("a", "study_all", "Study all", tooltip="Study every deck"),
        Binding(
            "p", "practice", "Practise", tooltip="Practise the highlighted deck (no scheduling)"
        ),
        Binding("slash", "tags", "Tags", key_display="/", tooltip="Filter by tag"),
        Binding("f", "tags", "Tags", show=False, tooltip="Filter by tag"),
        Binding("t", "statistics", "Stats", tooltip="Statistics of every deck"),
        Binding("x", "exam", "Exam", tooltip="Set an exam on this deck or the tags filtered"),
        Binding(
            "T", "deck_statistics", "Deck stats", show=False, tooltip="Statistics of this deck"
        ),
        Binding("escape", "leave_tags", "Back to decks", show=False),
        Binding("comma", "app.settings", "Settings", key_display=",", show=False),
        Binding("q", "app.quit", "Quit"),
    ]
    """The footer shows the keys not marked `show=False`, and the app's "? Help" and "^p
    palette": no more fit 80 columns. The others are in the help (?) and the command palette."""

    def __init__(self, *, deferred: bool = False) -> None:
        """`deferred`: build the list only when it is first shown, not when the app starts.

        `quiz study` starts with a session over an empty deck list; building the list (a table,
        the tag filter, the footer) would make the first card wait for a screen not yet seen.
        """
        super().__init__(id="decks")
        self._built = not deferred

    @property
    def quiz(self) -> QuizApp:
        from quiz.ui.app import QuizApp

        assert isinstance(self.app, QuizApp)
        return self.app

    def compose(self) -> ComposeResult:
        if not self._built:
            return
        ctx = self.quiz.ctx
        tags = ctx.study_tags()
        day = f"{ctx.today:%a} {ctx.today.day} {ctx.today:%b %Y}"
        yield Static(Content(f"quiz · today is {day}"), id="title")
        yield Input(
            placeholder=one_line(
                "Filter by tag (e.g. " + ", ".join(tags[:3] or ["hlm"]) + "); / to edit"
            ),
            id="tags",
            compact=True,
            suggester=SuggestFromList([clean(tag) for tag in tags], case_sensitive=False),
        )
        yield DeckTable(id="deck-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="deck-status")
        exams = Static(id="exams")
        exams.display = False  # shown by refresh_counts when an exam is set
        yield exams
        with Vertical(id="problems"):
            for notice in self.quiz.notices:
                yield Static(literal(f"⚠ {notice}"), classes="notice")
            for line in self.quiz.skipped_lines():
                yield Static(literal(f"✗ Skipped: {line}"), classes="skipped")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self._built:
            self._set_up_table()

    def _set_up_table(self) -> None:
        table = self.query_one(DeckTable)
        table.add_column("Deck", key="deck")
        for name in ("New", "Due", "Total"):
            table.add_column(Text(name, justify="right"), key=name.lower())
        table.focus()

    async def on_screen_resume(self) -> None:
        # Counted here only, once each time the list is shown (it is resumed right after it
        # mounts); not while a session started from the command line covers it.
        if self.app.screen is not self:
            return
        if not self._built:
            self._built = True
            await self.recompose()
            self._set_up_table()
        self.refresh_counts()
        self.call_after_refresh(self.quiz.prepare_statistics)

    @property
    def tags(self) -> list[str]:
        return parse_tags(self.query_one("#tags", Input).value)

    def refresh_counts(self) -> None:
        """Recount every deck (after a session, or when the tag filter changes)."""
        table = self.query_one(DeckTable)
        row = table.cursor_row
        table.clear()
        app = self.quiz
        tags = self.tags
        items = [app.ctx.items([deck.id], tags) for deck in app.ctx.decks]
        counts = queue_counts(items, app.store, app.ctx.today, app.limits)
        for deck, deck_items, (new, due) in zip(app.ctx.decks, items, counts, strict=True):
            table.add_row(
                Text(clean(deck.title)),
                *(Text(str(n), justify="right") for n in (new, due, len(deck_items))),
                key=deck.id,
            )
        if app.ctx.decks:
            table.move_cursor(row=min(max(row, 0), len(app.ctx.decks) - 1))
        table.display = bool(app.ctx.decks)
        self._show_status()
        exams = self.query_one("#exams", Static)
        lines = daily_lines(app.ctx, app.store)
        exams.update(literal("\n".join(f"◷ {line}" for line in lines)))
        exams.display = bool(lines)

    @property
    def highlighted(self) -> Deck | None:
        decks = self.quiz.ctx.decks
        row = self.query_one(DeckTable).cursor_row
        return decks[row] if decks and 0 <= row < len(decks) else None

    def _show_status(self) -> None:
        status = self.query_one("#deck-status", Static)
        deck = self.highlighted
        if deck is None:
            status.update(
                Content(
                    "No decks loaded. Add a folder of deck files with `quiz --decks FOLDER`,"
                    " or start one with `quiz new-deck my-deck.json`."
                )
            )
            return
        status.update(literal(self.quiz.study_status([deck.id], self.tags, deck.title)))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_status()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_study()

    @on(Input.Changed, "#tags")
    def _tags_changed(self) -> None:
        self.refresh_counts()

    @on(Input.Submitted, "#tags")
    def _tags_submitted(self) -> None:
        self.set_focus(self.query_one(DeckTable))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_tags":
            return self.focused is self.query_one("#tags", Input)
        if action in ("study", "practice"):
            return self.highlighted is not None
        if action == "study_all":
            return bool(self.quiz.ctx.decks)
        return True

    def action_study(self) -> None:
        if deck := self.highlighted:
            self.quiz.start_session([deck.id], self.tags, practice=False)

    def action_study_all(self) -> None:
        self.quiz.start_session(None, self.tags, practice=False)

    def action_practice(self) -> None:
        if deck := self.highlighted:
            self.quiz.start_session([deck.id], self.tags, practice=True)

    def action_statistics(self) -> None:
        """Statistics of every deck; the student may pick a tag there to study."""
        self.quiz.show_statistics(None)

    def action_deck_statistics(self) -> None:
        if deck := self.highlighted:
            self.quiz.show_statistics(deck.id)

    def action_exam(self) -> None:
        """The exam dialog, covering the tags filtered if any, else the highlighted deck."""
        deck = self.highlighted
        tags = self.tags
        covers = ((), tags) if tags else ([deck.id] if deck else [], [])
        self.quiz.set_exam(covers)

    def action_tags(self) -> None:
        self.set_focus(self.query_one("#tags", Input))  # at once: typing follows

    def action_leave_tags(self) -> None:
        self.set_focus(self.query_one(DeckTable))
