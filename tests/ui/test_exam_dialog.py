"""Setting an exam from the deck list: the dialog, its checks, and the figure it leaves."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input

from quiz.core.exams import Exam
from quiz.core.progress import MemoryStore
from quiz.storage import exams
from quiz.ui.app import make_app
from quiz.ui.screens.decks import DeckListScreen
from quiz.ui.screens.exam import ExamScreen
from tests.ui.helpers import TODAY, context, shown


async def test_an_exam_set_from_the_deck_list_is_saved_and_shown(
    data_dir: Path, store: MemoryStore
) -> None:
    app = make_app(context(data_dir, "flashcards", "scenarios"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert app.screen.query_one("#exam-decks", Input).value == "flashcards"
        await pilot.press(*"Finals", "tab", *"2026-12-15", "tab", "end", *" scenarios", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        [exam] = exams.load(data_dir)
        assert (exam.name, exam.day.isoformat()) == ("Finals", "2026-12-15")
        assert (exam.decks, exam.tags, exam.seen_by) == (("flashcards", "scenarios"), (), 7)
        # 8 items over the 6 days to 8 Dec, deadline day included
        assert "Finals 15 Dec (12 days): 2 new a day to see all 8 by 8 Dec" in shown(app)
        assert "exams=" in app.scheduler.identity  # today's session already follows the rules


async def test_a_bad_date_is_named_and_nothing_is_written(
    data_dir: Path, store: MemoryStore
) -> None:
    app = make_app(context(data_dir, "flashcards"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"Finals", "tab", *"2026-02-30", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert 'Not saved: "2026-02-30" is not a date (YYYY-MM-DD)' in shown(app)
        assert not exams.exams_path(data_dir).exists()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        assert "◷" not in shown(app)


async def test_the_tag_filter_fills_the_tags(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"mlcf", "enter", "x")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert screen.query_one("#exam-decks", Input).value == ""
        assert screen.query_one("#exam-tags", Input).value == "mlcf"


async def test_ctrl_r_removes_the_exam_named(data_dir: Path, store: MemoryStore) -> None:
    exams.save(data_dir, [Exam("Finals", TODAY + timedelta(days=12), ("flashcards",))])
    app = make_app(context(data_dir, "flashcards"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "◷ Finals" in shown(app)
        await pilot.press("x")
        await pilot.pause()
        assert "Set: Finals 2026-12-15." in shown(app)
        await pilot.press(*"PSA", "ctrl+r")
        await pilot.pause()
        assert 'Not removed: no exam "PSA"; the exams are: "Finals"' in shown(app)
        await pilot.press(*("backspace",) * 3, *"Finals", "ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        assert exams.load(data_dir) == []
        assert "◷" not in shown(app)
        assert "exams=" not in app.scheduler.identity
