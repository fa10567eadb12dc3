"""The statistics screen: snapshots at 80x24 (empty and rich history), its keys, and deck text
shown literally."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from quiz.core.progress import MemoryStore, ProgressStore
from quiz.services.context import Context
from quiz.ui.screens.stats import StatsScreen
from tests.stats_helpers import TODAY, known_log, rich_decks, rich_log, sample_decks

SnapCompare = Callable[..., bool]
_NOT_YET = object()


class Host(App[None]):
    """Pushes the statistics screen and keeps what it dismissed with."""

    def __init__(self, ctx: Context, store: ProgressStore, deck_id: str | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.store = store
        self.deck_id = deck_id
        self.chosen: object = _NOT_YET

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(self.ctx, self.store, self.deck_id), self._chosen)

    def _chosen(self, tag: str | None) -> None:
        self.chosen = tag


def host(rich: bool = True, deck_id: str | None = None) -> Host:
    store = MemoryStore()
    if rich:
        rich_log(store)
    ctx = Context(Path("/nonexistent"), [], TODAY, decks=rich_decks() if rich else sample_decks())
    return Host(ctx, store, deck_id)


async def loaded(pilot: Pilot[None]) -> None:
    """Wait for the figures, and for the tables to size their columns to them."""
    await pilot.app.workers.wait_for_complete()
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen) and screen.stats is not None
    for _ in range(3):
        await pilot.pause()


def on_tab(key: str) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        await pilot.press(key)
        await pilot.pause()

    return run_before


# --- snapshots (look at each SVG before accepting it) ---


def test_snapshot_empty_overview(snap_compare: SnapCompare) -> None:
    assert snap_compare(host(rich=False), terminal_size=(80, 24), run_before=loaded)


def test_snapshot_empty_history(snap_compare: SnapCompare) -> None:
    assert snap_compare(host(rich=False), terminal_size=(80, 24), run_before=on_tab("3"))


@pytest.mark.parametrize("tab", ["1", "2", "3", "4", "5"])
def test_snapshot_rich(snap_compare: SnapCompare, tab: str) -> None:
    assert snap_compare(host(), terminal_size=(80, 24), run_before=on_tab(tab))


# --- behaviour ---


async def test_w_studies_the_weakest_tag() -> None:
    app = host()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("w")
        await pilot.pause()
    assert app.chosen == "hlm-holding-to-account"


async def test_enter_on_a_competency_studies_its_tag() -> None:
    app = host()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("5")
        table = app.screen.query_one("#tags", DataTable)
        assert str(table.get_row_at(0)[0]) == "MLCF domains and elements"
        await pilot.press("enter")  # on the framework's heading: nothing to study
        await pilot.pause()
        assert app.chosen is _NOT_YET
        await pilot.press("down")
        assert str(table.get_row_at(1)[0]) == "Improving Services"  # the weakest domain
        await pilot.press("enter")
        await pilot.pause()
    assert app.chosen == "mlcf-improving-services"


async def test_w_without_answers_says_why_and_stays() -> None:
    app = host(rich=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert any("No tag answered yet" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
    assert app.chosen is None


async def test_deck_text_is_never_markup() -> None:
    store = MemoryStore()
    known_log(store)
    ctx = Context(Path("/nonexistent"), [], TODAY, decks=sample_decks())
    app = Host(ctx, store, "sjt")
    async with app.run_test(size=(100, 24)) as pilot:
        await loaded(pilot)
        title = app.screen.query_one("#stats-title", Static)
        assert "Situational judgement [bold]practice[/]" in str(title.content)
        await pilot.press("5")
        await pilot.pause()
        tags = app.screen.query_one("#tags", DataTable)
        assert str(tags.get_row_at(0)[0]) == "[red]team[/]"
        assert "Weakest: [red]team[/], 0% right" in str(
            app.screen.query_one("#summary", Static).content
        )
