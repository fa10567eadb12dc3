"""Choosing the scheduler in the settings: the figures before switching, then the switch."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Select

from quiz.core.progress import MemoryStore
from quiz.core.replay import replay
from quiz.core.schedulers import SM2
from quiz.services.fsrs_scheduler import Fsrs
from quiz.ui.app import QuizApp, make_app
from quiz.ui.screens.decks import DeckListScreen
from quiz.ui.screens.settings import SettingsScreen
from tests.core.schedule_helpers import study
from tests.ui.helpers import TODAY, context, flowing


async def settled(app: QuizApp, pilot: Pilot[None], done: Callable[[], bool]) -> str:
    """Let the app's messages and workers run until `done()` (a message posted from a worker
    thread may land after `wait_for_complete` returns); at most 200 rounds. The screen's text."""
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if done():
            break
    return flowing(app)


async def test_choosing_fsrs_shows_what_it_changes_then_recomputes_the_states(
    data_dir: Path,
) -> None:
    ctx = context(data_dir, "flashcards")
    store = MemoryStore()
    study(store, ctx.items(), SM2, days=12, seed=1, start=TODAY - timedelta(days=40))
    sm2_states = dict(store.states())
    app = make_app(ctx, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("comma")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#scheduler", Select).value = "fsrs"
        # the outlook is written from a thread, then scrolled into view after a refresh
        text = await settled(app, pilot, lambda: "fsrs 0.90" in flowing(app))
        assert "Before you switch" in text
        assert "sm2" in text and "fsrs 0.90" in text and "%" in text  # recall predicted
        assert dict(store.states()) == sm2_states  # nothing changed before saving
        await pilot.press("ctrl+s")
        await settled(app, pilot, lambda: isinstance(app.screen, DeckListScreen))
        assert isinstance(app.screen, DeckListScreen)
        assert app.scheduler.name == "fsrs"
    saved = tomllib.loads((data_dir / "settings.toml").read_text())
    assert saved["scheduler"] == "fsrs" and saved["desired_retention"] == 0.9
    assert dict(store.states()) == replay(store.log, Fsrs())
    assert any(state.stability is not None for state in store.states().values())
