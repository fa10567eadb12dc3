"""Closed screens are freed: nothing keeps a screen alive after it is dismissed."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from quiz.core.progress import MemoryStore
from quiz.ui.app import make_app
from quiz.ui.screens.decks import DeckListScreen
from quiz.ui.screens.review import ReviewScreen
from tests.ui.helpers import context


async def test_closed_statistics_screens_are_freed(data_dir: Path, store: MemoryStore) -> None:
    """Three times: open the statistics, close them, and start and end a practice session
    (a session start once froze every object alive, closed screens included)."""
    from quiz.ui.screens.stats import StatsScreen

    app = make_app(context(data_dir, "flashcards"), store)
    closed: list[weakref.ref[StatsScreen]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(3):
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(app.screen, StatsScreen)
            closed.append(weakref.ref(app.screen))
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DeckListScreen)
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DeckListScreen)
        gc.collect()
        alive = sum(1 for ref in closed if ref() is not None)
        assert alive == 0, f"{alive} of 3 closed statistics screens are still alive"
