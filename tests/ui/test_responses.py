"""A scenario answer is logged with what was answered, and `q` after submitting does not lose it."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from quiz.core.progress import MemoryStore, Response
from quiz.core.scoring import score_choice, score_rank
from quiz.ui.app import QuizApp, make_app
from quiz.ui.screens.review import ReviewScreen
from quiz.ui.screens.summary import SummaryScreen
from quiz.ui.widgets.choice import ChoiceList
from quiz.ui.widgets.rank import RankList
from tests.ui.helpers import context, flowing


def review(app: QuizApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


def answers(store: MemoryStore) -> list[tuple[str, int | None, Response | None]]:
    """The answers in the store (buries left out): key, quality, response."""
    return [(e.key, e.quality, e.response) for e in store.entries() if e.quality is not None]


async def test_q_after_submitting_a_ranking_saves_it_with_the_suggested_grade(
    data_dir: Path, store: MemoryStore
) -> None:
    app = make_app(context(data_dir, "scenarios"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b", "b")  # bury the two choice questions: the ranking comes
        await pilot.pause()
        screen = review(app)
        item = screen.session.current
        assert item is not None and item.key == "scenarios/discharge"
        ranking = screen.query_one(RankList)
        await pilot.press("2", "1", "3", "4", "5")
        await pilot.pause()
        placed = [ranking.first_order[n - 1] for n in (2, 1, 3, 4, 5)]
        assert ranking.placed == placed
        await pilot.press("enter")
        await pilot.pause()
        assert screen.stage == "feedback"
        grade = screen.suggested
        assert grade is not None
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = flowing(app)
        assert (
            f"Your last answer was saved with its suggested grade ({grade.key} {grade.label})."
            in text
        )
        assert "Cards reviewed 1 (1 answer)" in text
    card = item.card
    score = score_rank(placed)
    names = tuple(f"#{index + 1}" for index in placed)  # the fixture's options have no ids
    response = Response(card.digest, names, score.points, 20)
    assert answers(store) == [("scenarios/discharge", grade.quality, response)]
    assert store.state("scenarios/discharge").first is not None  # no longer new


async def test_q_after_submitting_a_choice_saves_it_with_the_suggested_grade(
    data_dir: Path, store: MemoryStore
) -> None:
    app = make_app(context(data_dir, "scenarios"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")  # bury the first: the choose-2 question comes
        await pilot.pause()
        screen = review(app)
        item = screen.session.current
        assert item is not None and item.key == "scenarios/handover"
        choices = screen.query_one(ChoiceList)
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        picked = set(choices.picked)
        grade = screen.suggested
        assert grade is not None and len(picked) == 2
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert f"suggested grade ({grade.key} {grade.label})." in flowing(app)
    score = score_choice(picked, item.card.correct_indexes)
    names = tuple(f"#{index + 1}" for index in sorted(picked))
    response = Response(item.card.digest, names, score.points, 8)
    assert answers(store) == [("scenarios/handover", grade.quality, response)]


async def test_a_grade_given_after_the_feedback_is_logged_with_the_response(
    data_dir: Path, store: MemoryStore
) -> None:
    """Enter (the suggested grade) and a grade key (another) both log what was answered."""
    app = make_app(context(data_dir, "scenarios"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        choices = review(app).query_one(ChoiceList)
        right = next(n for n, i in enumerate(choices.order, 1) if i in choices.correct)
        await pilot.press(str(right), "enter", "enter")  # accept the suggested grade
        await pilot.pause()
        choices = review(app).query_one(ChoiceList)
        first_two = sorted(choices.order[:2])
        await pilot.press("1", "2", "enter", "1")  # graded Again whatever the score
        await pilot.pause()
    logged = answers(store)
    allergy = context(data_dir, "scenarios").decks[0].cards[0]
    assert logged[0] == (
        "scenarios/allergy",
        5,
        Response(allergy.digest, ("#2",), 1, 1),
    )
    key, quality, response = logged[1]
    assert (key, quality) == ("scenarios/handover", 1)
    assert response is not None and response.options == tuple(f"#{i + 1}" for i in first_two)


async def test_q_before_submitting_saves_nothing(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "scenarios"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "q")  # picked, not submitted
        await pilot.pause()
        assert not isinstance(app.screen, (ReviewScreen, SummaryScreen))
    assert answers(store) == []


async def test_q_after_submitting_in_practice_counts_the_answer_and_saves_nothing(
    data_dir: Path, store: MemoryStore
) -> None:
    app = make_app(context(data_dir, "scenarios"), store, start="practice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        choices = review(app).query_one(ChoiceList)
        right = next(n for n, i in enumerate(choices.order, 1) if i in choices.correct)
        await pilot.press(str(right), "enter", "q")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = flowing(app)
        assert "Your last answer was counted with its suggested grade (4 Easy)." in text
        assert "Cards reviewed 1 (1 answer)" in text and "Nothing from practice is saved." in text
    assert store.log == []


async def _at_a_scored_choice(app: QuizApp, pilot: object) -> tuple[str, int]:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("b")  # bury the first: the choose-2 question comes
    await pilot.pause()
    screen = review(app)
    item = screen.session.current
    assert item is not None
    await pilot.press("1", "2", "enter")
    await pilot.pause()
    assert screen.stage == "feedback" and screen.suggested is not None
    return item.key, screen.suggested.quality


async def test_ctrl_q_after_submitting_saves_the_answer_first(
    data_dir: Path, store: MemoryStore
) -> None:
    app = make_app(context(data_dir, "scenarios"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        key, quality = await _at_a_scored_choice(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert [(k, q) for k, q, _ in answers(store)] == [(key, quality)]


async def test_a_signal_after_submitting_saves_the_answer_and_ends_the_app(
    data_dir: Path, store: MemoryStore
) -> None:
    """SIGTERM or SIGHUP (the terminal closed): the handler the app installs saves the
    answer on screen, then exits as `ctrl+q` does, which restores the terminal."""
    app = make_app(context(data_dir, "scenarios"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        key, quality = await _at_a_scored_choice(app, pilot)
        os.kill(os.getpid(), signal.SIGTERM)
        await pilot.pause()
        os.kill(os.getpid(), signal.SIGHUP)  # a second signal saves nothing twice
        await pilot.pause()
    assert app.return_code == 1
    assert [(k, q) for k, q, _ in answers(store)] == [(key, quality)]
