"""Snapshots of each screen at 80x24 (pytest-textual-snapshot); each SVG was looked at.

Fixed decks, a fixed today and a fixed option shuffle (seeded by item key and day) keep them
stable; the stopwatch is stopped so the summary's time is always "0 s".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from textual.pilot import Pilot

from quiz.core.progress import MemoryStore
from quiz.deckfile.deck import load_decks
from quiz.storage.settings import Settings
from quiz.ui.app import QuizApp, Start, make_app
from tests.ui.helpers import context

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
