"""Pictures in cards: drawn (half-blocks where the terminal has no graphics protocol, as under
the tests), their alt text where they cannot be, or with pictures turned off."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quiz.core.images import MARK
from quiz.core.progress import MemoryStore
from quiz.deckfile.deck import load_deck
from quiz.services.context import Context
from quiz.storage.settings import Settings
from quiz.ui.app import QuizApp, make_app
from quiz.ui.widgets import picture
from quiz.ui.widgets.picture import Picture, decode
from tests.ui.helpers import TODAY, flowing, shown

DECK = Path(__file__).parent / "pictures" / "pictures.json"
ALT = "five bars: red, blue, green, a tall yellow one, purple"


def picture_app(data_dir: Path, *, pictures: bool = True) -> QuizApp:
    ctx = Context(data_dir, [], TODAY, Settings(pictures=pictures), [], [load_deck(DECK)], [])
    return make_app(ctx, MemoryStore(), start="study")


async def test_a_cards_picture_is_drawn_in_half_blocks(data_dir: Path) -> None:
    app = picture_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = shown(app)
        assert "Which bar is tallest?" in screen
        assert screen.count("▀") > 200  # the picture, in coloured half-blocks
        assert ALT not in flowing(app)  # drawn, so its alt text is not needed
        picture = app.screen.query_one(Picture)
        assert picture.drawn
        rows = [line for line in screen.splitlines() if "▀" in line]
        assert 4 <= len(rows) <= 24 * 0.4  # never taller than the screen leaves room for
        await pilot.press("space")
        await pilot.pause()
        assert "The yellow one, fourth from the left." in flowing(app)  # the answer fits too


async def test_pictures_off_show_the_alt_text(data_dir: Path) -> None:
    app = picture_app(data_dir, pictures=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"{MARK} {ALT}" in flowing(app)
        assert "▀" not in shown(app)
        assert not app.screen.query_one(Picture).drawn


async def test_a_missing_picture_shows_its_alt_text_as_written(data_dir: Path) -> None:
    app = picture_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "3")  # the second card: its picture file is not there
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = flowing(app)
        assert "A picture that is not there:" in text
        assert f"{MARK} a [bold]chart[/] that is gone" in text  # data, never markup
        assert "▀" not in shown(app)


def test_snapshot_of_a_card_with_a_picture(
    snap_compare: Callable[..., bool], tmp_path: Path
) -> None:
    app = picture_app(tmp_path)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_a_revealed_cloze_draws_its_picture_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The picture decoded for the question is drawn again with the answer without being
    decoded again (it is kept decoded: no moment of alt text in between)."""
    decoded: list[Path] = []

    def counting(path: Path) -> Any:
        decoded.append(path)
        return decode(path)

    monkeypatch.setattr(picture, "decode", counting)
    (tmp_path / "bars.png").write_bytes((DECK.parent / "images" / "bars.png").read_bytes())
    card = {"id": "c", "type": "cloze", "text": "![five bars](bars.png)\n\nTallest: {{c1::yellow}}"}
    deck_file = tmp_path / "cloze.json"
    deck_file.write_text(json.dumps({"format": 1, "id": "cl", "title": "Cl", "cards": [card]}))
    ctx = Context(tmp_path / "data", [], TODAY, Settings(), [], [load_deck(deck_file)], [])
    app = make_app(ctx, MemoryStore(), start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one(Picture).drawn
        await pilot.press("space")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one(Picture).drawn and "yellow" in flowing(app)
        assert decoded == [tmp_path / "bars.png"]  # once, for the question
