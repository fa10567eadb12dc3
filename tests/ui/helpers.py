"""Helpers for the app's tests: fixture decks, a fixed today, and what the screen shows."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.app import App

from quiz.core.progress import CardState, ProgressStore
from quiz.deckfile.deck import load_deck, load_decks
from quiz.services.context import Context
from quiz.storage.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 12, 3)
"""A Thursday: "Thu 3 Dec"."""
T = "2026-12-03T10:00:00+00:00"


def context(
    data_dir: Path,
    *deck_names: str,
    settings: Settings | None = None,
    today: date = TODAY,
    notices: Sequence[str] = (),
    with_skipped: bool = False,
) -> Context:
    """A Context over some fixture decks (all the good ones if none is named)."""
    if deck_names:
        decks = [load_deck(FIXTURES / f"{name}.json") for name in deck_names]
        skipped = list(load_decks([FIXTURES])[1]) if with_skipped else []
    else:
        loaded, found = load_decks([FIXTURES])
        decks, skipped = list(loaded), list(found) if with_skipped else []
    return Context(
        data_dir, [FIXTURES], today, settings or Settings(), list(notices), decks, skipped
    )


def seed(store: ProgressStore, key: str, state: CardState, day: date = TODAY) -> None:
    """Put an item into a state, as if it had been answered long ago."""
    store.record(key, "review", day=day - timedelta(days=60), time=T, after=state, quality=4)


def shown(app: App[Any]) -> str:
    """The text on the terminal now, as a person would read it (styles dropped).

    Renders the screen the way `App.export_screenshot` does, but exports text, not SVG.
    """
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True, record=True,
        color_system="truecolor", legacy_windows=False, safe_box=False,
    )  # fmt: skip
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False)


def flowing(app: App[Any]) -> str:
    """`shown`, with every run of spaces and line breaks made one space (wrapped text joins)."""
    return " ".join(shown(app).split())
