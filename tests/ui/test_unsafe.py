"""An answer that chooses an unsafe option: the feedback says so first, naming the option; the
grade is capped at Again (the points still shown and logged); a lower grade may be given, a
higher one is refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from quiz.core.progress import MemoryStore
from quiz.deckfile.deck import load_deck
from quiz.services.context import Context
from quiz.storage.settings import GradeKeys, Settings
from quiz.ui.app import QuizApp, make_app
from quiz.ui.screens.review import ReviewScreen
from quiz.ui.widgets.rank import RankList
from quiz.ui.widgets.scenario import shuffled
from tests.ui.helpers import TODAY, flowing

DECKS = Path(__file__).parent / "unsafe"
USUAL_DOSE = "Give the usual dose now and check the level in the morning."
SnapCompare = Callable[..., bool]


def app_for(data_dir: Path, store: MemoryStore, scheme: GradeKeys = "anki") -> QuizApp:
    decks = [load_deck(DECKS / "unsafe-demo.json")]
    settings = Settings(grade_keys=scheme)
    ctx = Context(data_dir, [DECKS], TODAY, settings, [], decks, [])
    app = make_app(ctx, store, start="study")
    app.stopwatch = lambda: 0.0
    return app


def rank_keys(order: list[int]) -> list[str]:
    """The numbers to type to rank the options (ideal indexes) in `order`, as shown today."""
    shown = shuffled(5, f"unsafe-demo/gent-level@{TODAY}")
    return [str(shown.index(index) + 1) for index in order]


UNSAFE_FIRST = [3, 0, 1, 2, 4]
"""The usual dose (keyed 4th, unsafe) ranked first, the rest in the ideal order: 14 / 20."""


def review(app: QuizApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def test_ranking_an_unsafe_option_first_caps_the_grade_at_again(
    data_dir: Path, store: MemoryStore
) -> None:
    app = app_for(data_dir, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*rank_keys(UNSAFE_FIRST), "enter")
        await pilot.pause()
        screen = review(app)
        assert screen.stage == "feedback"
        text = flowing(app)
        verdict = text[text.index("UNSAFE You ranked") :]
        assert verdict.startswith(f"UNSAFE You ranked “{USUAL_DOSE}” 1st: it would put")
        assert verdict.index("capped at Again") < verdict.index("Score 14 / 20 (70%)")
        assert "grade 1 Again. Enter accepts it." in verdict
        assert screen.suggested is not None and screen.suggested.quality == 1
        await pilot.press("3")  # Good: refused, nothing saved
        await pilot.pause()
        assert screen.stage == "feedback" and not list(store.entries())
        await pilot.press("enter")
        await pilot.pause()
    [entry] = [e for e in store.entries() if e.quality is not None]
    assert entry.quality == 1
    assert entry.response is not None
    assert (entry.response.points, entry.response.maximum) == (14, 20)
    assert entry.response.unsafe == ("#4",)


async def test_an_unsafe_option_ranked_third_caps_nothing(
    data_dir: Path, store: MemoryStore
) -> None:
    app = app_for(data_dir, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*rank_keys([0, 1, 3, 2, 4]), "enter")
        await pilot.pause()
        assert "UNSAFE You" not in flowing(app)
        assert "UNSAFE. Ideal place 4" in flowing(app)  # its row still says what it is
        suggested = review(app).suggested
        assert suggested is not None and suggested.label == "Good"  # 18 / 20


async def test_in_supermemos_grades_a_lower_grade_is_taken_a_higher_refused(
    data_dir: Path, store: MemoryStore
) -> None:
    app = app_for(data_dir, store, scheme="supermemo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*rank_keys(UNSAFE_FIRST), "enter")
        await pilot.pause()
        screen = review(app)
        assert screen.suggested is not None and screen.suggested.quality == 1
        assert "0-1 lowers it" in flowing(app)
        await pilot.press("2")
        await pilot.pause()
        assert not list(store.entries())
        await pilot.press("0")
        await pilot.pause()
    assert [e.quality for e in store.entries() if e.quality is not None] == [0]


async def test_picking_an_unsafe_option_in_a_choose_k_caps_the_grade(
    data_dir: Path, store: MemoryStore
) -> None:
    app = app_for(data_dir, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")  # bury the ranking: the choose 3 comes
        await pilot.pause()
        screen = review(app)
        assert screen.session.current is not None
        assert screen.session.current.key == "unsafe-demo/handover-three"
        options = screen.query_one("ChoiceList")
        order = list(options.order)  # type: ignore[attr-defined]
        picks = [str(order.index(index) + 1) for index in (0, 1, 3)]  # two right, one unsafe
        await pilot.press(*picks, "enter")
        await pilot.pause()
        text = flowing(app)
        assert "UNSAFE You picked “Stop the patient's fluids to see what happens.”" in text
        assert "Score 8 / 12 (67%) · grade 1 Again" in text  # Hard, without the cap
        assert "UNSAFE: you picked it." in text
        await pilot.press("enter")
        await pilot.pause()
    [entry] = [e for e in store.entries() if e.quality is not None]
    assert entry.quality == 1 and entry.response is not None
    assert entry.response.unsafe == ("#4",)


def test_unsafe_rank_feedback_snapshot(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = app_for(tmp_path / "data", MemoryStore())

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press(*rank_keys(UNSAFE_FIRST), "enter")
        await pilot.pause()
        assert review(app).query_one(RankList).answered

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
