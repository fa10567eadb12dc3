"""Cloze cards and scenario questions: choosing, ranking, feedback, and the grade."""

from __future__ import annotations

from pathlib import Path

from quiz.core.progress import MemoryStore
from quiz.ui.app import QuizApp, make_app
from quiz.ui.screens.review import ReviewScreen
from quiz.ui.widgets.choice import ChoiceList
from quiz.ui.widgets.flashcard import cloze_markdown
from quiz.ui.widgets.rank import RankList
from quiz.ui.widgets.scenario import shuffled
from tests.ui.helpers import context, flowing, shown

CLOZE_CASES = [
    ("blank", "a {{c1::b}} c", 1, False, "a **\\[...\\]** c"),
    ("hint", "a {{c1::b::letter}} c", 1, False, "a **\\[letter\\]** c"),
    ("answer in bold", "a {{c1::b::letter}} c", 1, True, "a **b** c"),
    ("other clozes answered", "{{c1::x}} {{c2::y}}", 2, False, "x **\\[...\\]**"),
]


def test_cloze_markdown() -> None:
    for name, text, number, revealed, expected in CLOZE_CASES:
        assert cloze_markdown(text, number, revealed=revealed) == expected, name


def test_shuffle_is_fixed_and_never_the_ideal_order() -> None:
    assert shuffled(5, "d/c@2026-12-03") == shuffled(5, "d/c@2026-12-03")
    for seed in range(50):
        assert shuffled(3, str(seed)) != [0, 1, 2]
        assert sorted(shuffled(3, str(seed))) == [0, 1, 2]


def review(app: QuizApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def test_cloze_shows_hint_then_answer_in_context(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store, start="study", tags=["mlcf"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = flowing(app)
        assert "The MLCF has [...] domains and twenty elements." in text
        await pilot.press("enter")
        await pilot.pause()
        assert "The MLCF has five domains and twenty elements." in flowing(app)


async def test_single_best_answer(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "scenarios"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        choices = review(app).query_one(ChoiceList)
        right = next(n for n, i in enumerate(choices.order, 1) if i in choices.correct)
        await pilot.press("enter")  # nothing picked: not submitted
        await pilot.pause()
        assert review(app).stage == "question"
        await pilot.press(str(right), "enter")
        await pilot.pause()
        text = flowing(app)
        assert "Score 1 / 1 (100%) · grade 4 Easy" in text
        assert "Correct: you picked it." in text
        assert "Safety first" in text
        await pilot.press("enter")  # accept the computed grade
        await pilot.pause()
    assert [(e.key, e.quality) for e in store.entries()] == [("scenarios/allergy", 5)]


async def test_choose_k_allows_exactly_k(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "scenarios"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter", "3")  # past the first question
        await pilot.pause()
        choices = review(app).query_one(ChoiceList)
        assert choices.k == 2
        assert "Choose 2 of 4: 2 left to pick." in flowing(app)
        await pilot.press("down", "space")
        await pilot.pause()
        assert "Choose 2 of 4: 1 left to pick." in flowing(app)
        await pilot.press("enter")
        await pilot.pause()
        assert review(app).stage == "question"
        await pilot.press("3", "4")
        await pilot.pause()
        assert len(choices.picked) == 2
        assert "already 2 picked; unpick one first" in flowing(app)
        await pilot.press("3", "4", "enter")
        await pilot.pause()
        assert review(app).stage == "feedback"
        score = choices.score()
        text = flowing(app)
        assert f"Score {score.points} / 8" in text
        await pilot.press("1")  # override: Again, whatever the score
        await pilot.pause()
    assert [e.quality for e in store.entries()][-1] == 1


async def test_rank_by_typing_and_by_moving(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "scenarios"), store, start="study", tags=[])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter", "3", "1", "2", "enter", "3")
        await pilot.pause()
        ranking = review(app).query_one(RankList)
        ideal = "".join(str(ranking.first_order.index(i) + 1) for i in range(5))
        await pilot.press(*ideal[:4])
        await pilot.pause()
        assert ranking.placed == [0, 1, 2, 3, 4]
        await pilot.press("up", "shift+up")  # from place 4 up to 3, then move it to 2
        await pilot.pause()
        assert ranking.placed == [0, 2, 1, 3, 4]
        await pilot.press("enter")
        await pilot.pause()
        text = flowing(app)
        assert "Score 18 / 20 (90%) · grade 3 Good" in text
        assert "Right place: 4 of 4 marks." in text
        assert "Ideal place 3: 3 of 4 marks." in text
        assert "Capacity comes first." in text
        await pilot.press("enter")
        await pilot.pause()
    assert [(e.key, e.quality) for e in store.entries()][-1] == ("scenarios/discharge", 4)


async def test_rank_by_typing_all_five_then_a_new_order(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "scenarios"), store, start="study", tags=[])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter", "3", "1", "2", "enter", "3")
        await pilot.pause()
        ranking = review(app).query_one(RankList)
        ideal = "".join(str(ranking.first_order.index(i) + 1) for i in range(5))
        await pilot.press(*ideal)  # all five typed, the last one too
        await pilot.pause()
        assert ranking.placed == [0, 1, 2, 3, 4]
        reverse = ideal[::-1]
        await pilot.press(*reverse)  # a full order typed again starts afresh
        await pilot.pause()
        assert ranking.placed == [4, 3, 2, 1, 0]
        await pilot.press("enter")
        await pilot.pause()
        assert "Score 8 / 20 (40%)" in flowing(app)


async def test_long_cards_scroll(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "long"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert "THE END" not in flowing(app)
        await pilot.press("end")
        await pilot.pause()
        assert "THE END" in flowing(app)
        await pilot.press("3", *["down"] * 7)
        await pilot.pause()
        assert "▸ [ ] 8." in flowing(app)  # the highlighted last option is scrolled into view
        await pilot.press("down")  # round to the first again
        await pilot.pause()
        assert "▸ [ ] 1." in flowing(app)
        assert "Choose the three most appropriate actions." in flowing(app)


async def test_a_question_without_a_scenario_starts_at_the_top(
    data_dir: Path, store: MemoryStore
) -> None:
    """No blank lines where the missing vignette would be (nor the flashcard's empty texts)."""
    app = make_app(context(data_dir, "flashcards", "scenarios"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(5):  # bury cards until the question comes (flashcards come first)
            item = review(app).session.current
            assert item is not None
            if item.key == "scenarios/handover":
                break
            await pilot.press("b")
            await pilot.pause()
        rows = shown(app).splitlines()
        assert rows[2].strip() == ""
        assert rows[3].strip() == "Choose the two most appropriate actions at handover."
