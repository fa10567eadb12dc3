"""Snapshots of every screen and modal at 80x24 (pytest-textual-snapshot); each SVG was looked at.

Fixed decks, a fixed today and a fixed option shuffle (seeded by item key and day) keep them
stable; the stopwatch is stopped so the summary's time is always "0 s".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from quiz.commands.panel import prepare
from quiz.core.progress import CardState, MemoryStore
from quiz.core.sm2 import Sm2State
from quiz.deckfile.deck import load_deck, load_decks
from quiz.storage.settings import Settings
from quiz.ui.app import QuizApp, Start, make_app
from quiz.ui.screens.decks import DeckListScreen
from quiz.ui.screens.dialogs import LeechScreen, SourceScreen
from quiz.ui.screens.help import HelpScreen
from quiz.ui.screens.panel import PanelApp, PanelScreen
from quiz.ui.screens.preview import PreviewApp, PreviewScreen
from quiz.ui.screens.review import ReviewScreen
from quiz.ui.screens.settings import SettingsScreen
from quiz.ui.screens.stats import StatsScreen
from quiz.ui.screens.summary import SummaryScreen
from tests.ui.helpers import TODAY, T, context, seed

ROOT = Path(__file__).resolve().parents[2]
SnapCompare = Callable[..., bool]


def app_for(
    tmp_path: Path, deck: str | None, start: Start = "study", settings: Settings | None = None
) -> QuizApp:
    ctx = context(tmp_path, *([deck] if deck else []), settings=settings)
    app = make_app(ctx, MemoryStore(), start=start)
    app.stopwatch = lambda: 0.0
    return app


def pressing(*keys: str) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()

    return run_before


def test_deck_list(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # skipped decks are named by the path they were loaded from
    app = app_for(tmp_path, None, start="decks")
    app.ctx.skipped = list(load_decks([Path("tests/ui/fixtures")])[1])
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing())


FLOWS: list[tuple[str, str, Sequence[str]]] = [
    ("flashcard_front", "flashcards", ()),
    ("flashcard_back", "flashcards", ("space",)),
    ("choice_question", "scenarios", ("down", "space")),
    ("choice_feedback", "scenarios", ("down", "space", "enter")),
    ("rank_question", "scenarios", ("1", "enter", "3", "1", "2", "enter", "3", "3", "1")),
    ("rank_feedback", "scenarios", ("1", "enter", "3", "1", "2", "enter", "3", "3", "1", "enter")),
    ("summary", "flashcards", ("space", "1", "space", "3", "space", "3", "space", "4")),
    ("help", "flashcards", ("space", "question_mark")),
]


@pytest.mark.parametrize(("name", "deck", "keys"), FLOWS, ids=[name for name, _, _ in FLOWS])
def test_screens(
    snap_compare: SnapCompare, tmp_path: Path, name: str, deck: str, keys: Sequence[str]
) -> None:
    app = app_for(tmp_path, deck)
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing(*keys))


def test_choice_feedback_in_the_light_theme(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = app_for(tmp_path, "scenarios", settings=Settings(theme="textual-light"))
    keys = ("2", "enter")
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing(*keys))


def test_settings(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the dialog names the settings file by the data folder's path
    app = app_for(Path("data"), None, start="decks")
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("comma"))


def test_exam_dialog(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = app_for(tmp_path, "flashcards", start="decks")
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("x", *"Finals"))


def test_source(snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the dialog names the deck file by the path it was loaded from
    app = app_for(tmp_path, "flashcards")
    app.ctx.decks = [load_deck(Path("tests/ui/fixtures/flashcards.json"))]
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("space", "e"))


def test_leech(snap_compare: SnapCompare, tmp_path: Path) -> None:
    store = MemoryStore()
    lapsing = CardState.from_sm2(
        Sm2State(3, 2.0, 10, TODAY), lapses=7, first=TODAY - timedelta(days=90)
    )
    seed(store, "flashcards/sm2", lapsing)
    app = make_app(context(tmp_path, "flashcards"), store, start="study")
    app.stopwatch = lambda: 0.0
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("space", "1"))


def test_deck_list_after_the_statistics(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """The statistics screen's styles stay on it: the deck list looks as it did before."""
    app = app_for(tmp_path, None, start="decks")
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("t", "escape"))


async def test_the_deck_list_does_not_move_after_the_statistics(tmp_path: Path) -> None:
    app = app_for(tmp_path, None, start="decks")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = [(w.id, w.region) for w in app.screen.query("#tags, #deck-table, #deck-status")]
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        after = [(w.id, w.region) for w in app.screen.query("#tags, #deck-table, #deck-status")]
    assert after == before


def test_preview(snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the preview names the deck file by the path it was given
    app = PreviewApp(Path("tests/ui/fixtures/scenarios.json"), TODAY, poll=None)
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("right"))


def test_panel(snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the panel file is named as given
    deck, panel = prepare(ROOT / "tests/ui/fixtures/scenarios.json", "alice", Path("panel.json"))
    app = PanelApp(deck, panel, Path("panel.json"), now=lambda: T)
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing())


def test_no_screen_loads_a_stylesheet_app_wide() -> None:
    """A Screen's CSS_PATH goes into the app's stylesheet, where its rules reach every screen;
    a screen's own rules belong in its DEFAULT_CSS, which Textual keeps to that screen."""
    screens: list[type[Screen[Any]]] = [DeckListScreen, ReviewScreen, SummaryScreen, StatsScreen]
    screens += [PreviewScreen, PanelScreen, HelpScreen, SettingsScreen, LeechScreen, SourceScreen]
    assert [s.__name__ for s in screens if s.CSS_PATH is not None] == []
    assert all(s.DEFAULT_CSS.strip() for s in screens if s not in (LeechScreen, SourceScreen))
