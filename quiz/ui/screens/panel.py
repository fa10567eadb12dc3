"""`quiz panel`: a panellist keys a deck's scenario questions blind, one card at a time.

No key, no marks, no `why`, no explanation and nothing scheduled: the question and its
options in a shuffle fixed by the panellist and the card (a resumed panel shows the same
order). Enter saves the card's answer to the panel file at once; cards already keyed for
their current version are skipped, so reopening the file carries on where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from quiz.core.model import Card, Deck
from quiz.services import clock, panel_file
from quiz.services.panel_file import Panel
from quiz.ui.text import literal
from quiz.ui.widgets.choice import ChoiceList
from quiz.ui.widgets.key_bar import KeyBar
from quiz.ui.widgets.rank import RankList
from quiz.ui.widgets.scenario import ScenarioCard

HINT = "Enter: save this answer and go on.  q: quit (every saved answer stays saved)."


class PanelScreen(Screen[None]):
    """The next card not yet keyed; Enter saves its answer, then the next one shows."""

    AUTO_FOCUS = ""

    DEFAULT_CSS = """
    PanelScreen #where { height: 1; background: $panel; padding: 0 1; text-wrap: nowrap; }
    PanelScreen #done { height: auto; margin: 1 2; padding: 1 2; border: round $primary; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save and next"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "app.quit", "Quit", show=False),
        Binding("up", "scroll(-1)", "Scroll up", show=False),
        Binding("down", "scroll(1)", "Scroll down", show=False),
    ]

    def __init__(
        self,
        deck: Deck,
        panel: Panel,
        path: Path,
        *,
        now: Callable[[], str] = clock.timestamp,
    ) -> None:
        """
        Args:
            deck: the deck keyed (it has at least one choice or rank card).
            panel: the answers so far (read from `path`, or new).
            path: the panel file each answer is written to.
            now: the time an answer is saved, ISO 8601.
        """
        super().__init__()
        self.deck = deck
        self.panel = panel
        self.path = path
        self.now = now
        self.cards = panel_file.scenario_cards(deck)
        self.card: Card | None = None
        """The card on show (None once all are keyed)."""

    def compose(self) -> ComposeResult:
        yield Static(id="where")
        with VerticalScroll(id="card") as area:
            area.can_focus = False
            yield ScenarioCard(id="scenario-card")
            yield Static(id="done")
        with Vertical(id="answer"):
            yield Static(Content(HINT), id="hint")
        yield KeyBar()

    async def on_mount(self) -> None:
        await self.show_next()

    @property
    def keyed(self) -> int:
        """How many of the deck's scenario cards are keyed in their current version."""
        return sum(self.panel.is_keyed(card) for card in self.cards)

    @property
    def scenario(self) -> ScenarioCard:
        return self.query_one(ScenarioCard)

    async def show_next(self) -> None:
        """Show the first card not keyed yet, or the closing words."""
        self.card = next((c for c in self.cards if not self.panel.is_keyed(c)), None)
        where = self.query_one("#where", Static)
        progress = f"{self.keyed} of {len(self.cards)} keyed"
        where.update(
            Content.assemble(
                literal(self.deck.title, "bold"),
                "  ",
                progress,
                "  ",
                literal(self.panel.panellist, "dim"),
            )
        )
        done = self.query_one("#done", Static)
        scenario = self.scenario
        scenario.display = self.card is not None
        done.display = self.card is None
        self.query_one("#answer").display = self.card is not None
        if self.card is None:
            done.update(
                Content.assemble(
                    Content.styled(f"All {len(self.cards)} questions keyed.", "bold"),
                    "\n\nYour answers are saved in ",
                    literal(str(self.path), "bold"),
                    ".\n\nPress q to quit.",
                )
            )
            self.set_focus(None)
            self.refresh_bindings()
            return
        seed = f"{self.panel.panellist}/{self.card.key}"
        [item] = self.card.items()  # a scenario question is one item
        await scenario.load(item, seed)
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)
        self.set_focus(scenario.options, scroll_visible=False)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.card is not None
        return True

    async def action_save(self) -> None:
        card = self.card
        if card is None:
            return
        problem = self.scenario.problem()
        if problem:
            self.notify(problem, severity="warning", timeout=3)
            return
        options = self.scenario.options
        indexes = options.placed if isinstance(options, RankList) else self._picked(options)
        answer = panel_file.answer_for(card, list(indexes), self.now())
        before = self.panel.answers.get(card.id)
        self.panel.answers[card.id] = answer
        try:
            panel_file.write(self.path, self.panel)
        except OSError as exc:
            if before is None:
                del self.panel.answers[card.id]
            else:
                self.panel.answers[card.id] = before
            self.notify(
                f"Not saved: {self.path}: {exc.strerror or exc}", severity="error", timeout=8
            )
            return
        await self.show_next()

    @staticmethod
    def _picked(options: ChoiceList) -> list[int]:
        return sorted(options.picked)

    def action_scroll(self, step: int) -> None:
        self.query_one("#card", VerticalScroll).scroll_relative(y=step, animate=False)


class PanelApp(App[int]):
    """The app in panel mode: one screen, no progress folder; only the panel file is written."""

    CSS_PATH = "../app.tcss"
    TITLE = "quiz panel"

    def __init__(
        self, deck: Deck, panel: Panel, path: Path, *, now: Callable[[], str] = clock.timestamp
    ) -> None:
        super().__init__()
        self.panel_screen = PanelScreen(deck, panel, path, now=now)

    def get_default_screen(self) -> Screen[None]:
        return self.panel_screen


def run_panel(deck: Deck, panel: Panel, path: Path) -> int:
    """Key the deck until every card is keyed or the panellist quits; returns the exit status."""
    app = PanelApp(deck, panel, path)
    app.run()
    return app.return_code or 0
