"""The deck list: counts, skipped decks, the tag filter, empty states."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from quiz.core.exams import Exam
from quiz.core.progress import CardState, MemoryStore
from quiz.core.sm2 import Sm2State
from quiz.storage import exams
from quiz.ui.app import make_app
from quiz.ui.screens.decks import DeckListScreen, DeckTable
from quiz.ui.screens.review import ReviewScreen
from tests.ui.helpers import TODAY, context, seed, shown


def row_texts(table: DeckTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_every_deck_with_new_due_and_total_counts(data_dir: Path, store: MemoryStore) -> None:
    due = CardState.from_sm2(Sm2State(2, 2.5, 6, TODAY), first=TODAY - timedelta(days=30))
    seed(store, "flashcards/sm2", due)
    app = make_app(context(data_dir, with_skipped=True), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = row_texts(app.screen.query_one(DeckTable))
        # flashcards: 5 items, siblings held back: capital (1 of 2), domains (1 of 2) new, sm2 due
        assert rows[0] == ["Flashcards", "2", "1", "5"]
        assert ["Scenarios", "3", "0", "3"] in rows
        text = shown(app)
        assert "Skipped" in text and "broken.json" in text
        assert "Flashcards: 2 new and 1 due today" in text


async def test_tag_filter_narrows_counts_and_study(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"mlcf", "enter")
        await pilot.pause()
        assert row_texts(app.screen.query_one(DeckTable))[0] == ["Flashcards", "1", "0", "2"]
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.session.remaining == 1
        assert screen.session.current is not None
        assert screen.session.current.key == "flashcards/domains~c1"


async def test_nothing_due_says_when_the_next_review_is(data_dir: Path, store: MemoryStore) -> None:
    later = CardState.from_sm2(Sm2State(2, 2.5, 6, TODAY + timedelta(days=4)), first=TODAY)
    for key in ("scenarios/allergy", "scenarios/handover", "scenarios/discharge"):
        seed(store, key, later)
    app = make_app(context(data_dir, "scenarios"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Nothing due today. Next review: Mon 7 Dec (3 cards)." in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.practice


async def test_no_decks_says_what_to_do(data_dir: Path, store: MemoryStore) -> None:
    ctx = context(data_dir, "flashcards")
    ctx.decks.clear()
    app = make_app(ctx, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "a")
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        assert "No decks loaded" in shown(app)


async def test_notices_are_shown(data_dir: Path, store: MemoryStore) -> None:
    notice = "settings.toml: new_per_day must be from 0 to 9999, not -1; using the default"
    app = make_app(context(data_dir, "flashcards", notices=[notice]), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "new_per_day must be from 0 to 9999" in shown(app)


async def test_statistics_from_the_deck_list(data_dir: Path, store: MemoryStore) -> None:
    from quiz.ui.screens.stats import StatsScreen

    app = make_app(context(data_dir, "flashcards"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert app.screen.deck_id is None
        await pilot.press("escape", "T")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert app.screen.deck_id == "flashcards"
        app.screen.dismiss("mlcf")  # as if the weakest tag were chosen
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.current is not None
        assert app.screen.session.current.key == "flashcards/domains~c1"


async def test_every_key_of_the_footer_is_readable_at_80_columns(
    data_dir: Path, store: MemoryStore
) -> None:
    app = make_app(context(data_dir, "flashcards"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = shown(app).splitlines()[-1]
        keys = [
            f"{app.get_key_display(active.binding)} {active.binding.description}"
            for active in app.screen.active_bindings.values()
            if active.binding.show
        ]
        assert "? Help" in keys
        for key in [*keys, "^p palette"]:
            assert key in footer, f"{key!r} is not whole in {footer!r}"
        assert "Settings" not in footer  # in the help and the command palette instead


@pytest.mark.parametrize(
    "action", ["screen.study_all", "screen.statistics", "screen.exam", "app.settings", "app.help"]
)
async def test_q_then_another_key_at_once_closes_without_opening_anything(
    data_dir: Path, store: MemoryStore, action: str
) -> None:
    """`q` then `a`, `t`, `x`, `,` or `?` before the app has gone: it closes, nothing opens
    (a screen mounted while the app shuts down raised NoMatches)."""
    app = make_app(context(data_dir, "flashcards"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screens = len(app.screen_stack)
        await app.run_action("app.quit")
        await app.run_action(action)
        assert len(app.screen_stack) == screens
    assert app.return_code == 0


async def test_an_exam_shows_its_daily_figure(data_dir: Path, store: MemoryStore) -> None:
    exams.save(data_dir, [Exam("Finals", TODAY + timedelta(days=12), ("flashcards",))])
    app = make_app(context(data_dir, "flashcards", "scenarios"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # 5 items over the 6 days to 8 Dec, deadline day included
        assert "Finals 15 Dec (12 days): 1 new a day to see all 5 by 8 Dec" in shown(app)


async def test_no_exam_no_exam_line(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "◷" not in shown(app)
