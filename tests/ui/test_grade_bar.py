"""The grade buttons: what they say, and that a click on one saves its grade.

The bar is one widget that draws its buttons; these tests find each button by its label on
the screen, as a student would, and click there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from quiz.core.progress import MemoryStore
from quiz.storage.settings import Settings
from quiz.ui.app import QuizApp, make_app
from quiz.ui.widgets.grade_bar import button_spans
from tests.ui.helpers import context, shown

FOUR = ("1 Again", "4 Easy")
SIX = ("0 Blackout", "5 Perfect")


def grade_row(app: QuizApp, first: str, last: str) -> tuple[int, str]:
    """The screen row of the grade buttons (found by the first and last labels) and its text."""
    rows = shown(app).splitlines()
    y = next(y for y, row in enumerate(rows) if first in row and last in row)
    return y, rows[y]


async def click_label(pilot: Pilot[None], label: str, *, six: bool = False) -> None:
    """Click the middle of the button showing `label`, where it is on the screen."""
    app = pilot.app
    assert isinstance(app, QuizApp)
    y, row = grade_row(app, *(SIX if six else FOUR))
    x = row.index(label) + len(label) // 2
    await pilot.click(offset=(x, y))
    await pilot.pause()


@pytest.mark.parametrize(
    ("label", "quality"),
    [("1 Again", 1), ("2 Hard", 3), ("3 Good", 4), ("4 Easy", 5)],
)
async def test_clicking_a_grade_saves_it(
    data_dir: Path, store: MemoryStore, label: str, quality: int
) -> None:
    app = make_app(context(data_dir, "flashcards"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        await click_label(pilot, label)
        assert "Space or Enter: show the answer" in shown(app)  # the next card's front
    assert [(e.key, e.quality) for e in store.entries()] == [("flashcards/capital", quality)]


@pytest.mark.parametrize(("label", "quality"), [("0 Blackout", 0), ("3 Hard", 3), ("5 Perfect", 5)])
async def test_clicking_one_of_six_grades_saves_it(
    data_dir: Path, store: MemoryStore, label: str, quality: int
) -> None:
    settings = Settings(grade_keys="supermemo")
    app = make_app(context(data_dir, "flashcards", settings=settings), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        y, row = grade_row(app, *SIX)
        names = ["0 Blackout", "1 Wrong", "2 Almost", "3 Hard", "4 Good", "5 Perfect"]
        assert [row.index(name) for name in names] == sorted(row.index(name) for name in names)
        assert shown(app).splitlines()[y + 1].split() == ["1d"] * 6  # intervals below
        await click_label(pilot, label, six=True)
    assert [e.quality for e in store.entries()] == [quality]


async def test_a_click_between_buttons_grades_nothing(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        y, _ = grade_row(app, *FOUR)
        (start, width), _, _, _ = button_spans(78, 4, gap=1)
        await pilot.click(offset=(1 + start + width, y))  # the bar starts after one cell
        await pilot.pause()
        assert "1 Again" in shown(app)
    assert list(store.entries()) == []


@pytest.mark.parametrize(
    ("keys", "suggested"),
    [(("1",), "4 Easy"), (("down", "space"), "1 Again")],
)
async def test_the_computed_grade_is_marked_and_enter_saves_it(
    data_dir: Path, store: MemoryStore, keys: tuple[str, ...], suggested: str
) -> None:
    app = make_app(context(data_dir, "scenarios"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys, "enter")
        await pilot.pause()
        _, row = grade_row(app, *FOUR)
        assert row.count("▸") == 1
        assert f"▸ {suggested}" in row
        await pilot.press("enter")
        await pilot.pause()
    quality = {"4 Easy": 5, "1 Again": 1}[suggested]
    assert [e.quality for e in store.entries()] == [quality]


def test_buttons_share_the_width_evenly() -> None:
    spans = button_spans(78, 4, gap=1)
    assert [width for _, width in spans] == [18, 19, 18, 19]
    assert [start for start, _ in spans] == [0, 19, 39, 58]
    assert button_spans(78, 6, gap=0) == [(0, 13), (13, 13), (26, 13), (39, 13), (52, 13), (65, 13)]
