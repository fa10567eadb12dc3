"""A session, walked with the keyboard: what is shown, and what the store holds afterwards."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from quiz.core.progress import CardState, MemoryStore
from quiz.core.sm2 import Sm2State
from quiz.storage.store import FileStore
from quiz.ui.app import QuizApp, make_app
from quiz.ui.screens.decks import DeckListScreen
from quiz.ui.screens.dialogs import LeechScreen
from quiz.ui.screens.review import ReviewScreen
from quiz.ui.screens.summary import SummaryScreen
from tests.ui.helpers import TODAY, context, seed, shown


def review(app: QuizApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen), f"on {screen!r}"
    return screen


def current_key(app: QuizApp) -> str:
    item = review(app).session.current
    assert item is not None
    return item.key


async def test_answer_is_saved_and_the_next_card_shown(data_dir: Path) -> None:
    with FileStore.open(data_dir) as store:
        app = make_app(context(data_dir, "flashcards"), store, start="study")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert current_key(app) == "flashcards/capital"
            text = shown(app)
            assert "What is the capital of France?" in text
            assert "Paris" not in text
            await pilot.press("space")
            await pilot.pause()
            text = shown(app)
            assert "Paris" in text and "3 Good · 1d" in text
            await pilot.press("3")
            await pilot.pause()
            assert current_key(app) == "flashcards/domains~c1"
            assert "1 done · 2 left" in shown(app)
    with FileStore.open(data_dir) as reopened:
        state = reopened.state("flashcards/capital")
        assert (state.sm2.repetitions, state.sm2.interval, state.first) == (1, 1, TODAY)
        assert [e.quality for e in reopened.entries()] == [4]
        assert len(list((data_dir / "backups").iterdir())) == 1  # taken as the session began


async def test_undo_is_repeatable(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "3", "space", "4")
        await pilot.pause()
        assert current_key(app) == "flashcards/sm2"
        assert not store.state("flashcards/domains~c1").is_new
        await pilot.press("u")
        await pilot.pause()
        assert current_key(app) == "flashcards/domains~c1"
        assert store.state("flashcards/domains~c1").is_new
        await pilot.press("u")
        await pilot.pause()
        assert current_key(app) == "flashcards/capital"
        assert store.states().get("flashcards/capital", CardState()).is_new
        assert list(store.entries()) == []


async def test_again_comes_back_as_a_redrill(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "1")  # Again on capital: back after the other two
        await pilot.pause()
        assert "1 done · 3 left" in shown(app)
        await pilot.press("space", "3", "space", "3")
        await pilot.pause()
        assert current_key(app) == "flashcards/capital"
        assert "re-drill" in shown(app)
        await pilot.press("space")
        await pilot.pause()
        assert "3 Good · done" in shown(app)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = shown(app)
        assert "Re-drilled      1 card" in text
        assert "Cards reviewed  3 (4 answers)" in text
    kinds = [(e.key, e.kind, e.quality) for e in store.entries()]
    assert kinds[0] == ("flashcards/capital", "review", 1)
    assert kinds[-1] == ("flashcards/capital", "drill", 4)
    assert store.state("flashcards/capital").sm2.interval == 1  # the drill changed nothing


async def test_practice_leaves_the_store_unchanged(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store, start="practice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "practice: nothing is saved" in shown(app)
        await pilot.press("space")
        await pilot.pause()
        assert "3 Good" in shown(app) and "· 1d" not in shown(app)
        await pilot.press("3", "space", "1", "b", "s")
        await pilot.pause()
        assert review(app).session.done == 2
    assert store.log == []
    assert not (data_dir / "backups").exists()


async def test_bury_and_suspend(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert current_key(app) == "flashcards/domains~c1"
        await pilot.press("space", "s")
        await pilot.pause()
        assert current_key(app) == "flashcards/sm2"
    assert store.state("flashcards/capital").buried_until == TODAY + timedelta(days=1)
    assert store.state("flashcards/domains~c1").suspended
    tomorrow = make_app(context(data_dir, "flashcards", today=TODAY + timedelta(days=1)), store)
    async with tomorrow.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert current_key(tomorrow) == "flashcards/capital"


async def test_a_leech_can_be_suspended(data_dir: Path, store: MemoryStore) -> None:
    lapsing = CardState.from_sm2(
        Sm2State(3, 2.0, 10, TODAY), lapses=7, first=TODAY - timedelta(days=90)
    )
    seed(store, "flashcards/sm2", lapsing)
    app = make_app(context(data_dir, "flashcards"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert current_key(app) == "flashcards/sm2"  # due reviews come first
        await pilot.press("space", "1")
        await pilot.pause()
        assert isinstance(app.screen, LeechScreen)
        assert "This card is a leech" in shown(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert review(app).session.remaining == 2  # its re-drill is gone with it
        assert "1 done · 2 left" in shown(app)
    state = store.state("flashcards/sm2")
    assert state.leech and state.suspended and state.lapses == 8


async def test_a_leech_can_be_kept(data_dir: Path, store: MemoryStore) -> None:
    lapsing = CardState.from_sm2(
        Sm2State(3, 2.0, 10, TODAY), lapses=7, first=TODAY - timedelta(days=90)
    )
    seed(store, "flashcards/sm2", lapsing)
    app = make_app(context(data_dir, "flashcards"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "1", "k")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    state = store.state("flashcards/sm2")
    assert state.leech and not state.suspended


async def test_quit_mid_session_then_resume(data_dir: Path) -> None:
    with FileStore.open(data_dir) as store:
        app = make_app(context(data_dir, "flashcards"), store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter", "space", "4", "q")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            assert "Session ended early" in shown(app)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, DeckListScreen)
            await pilot.press("q")
        assert app.return_code == 0
    assert len(list((data_dir / "backups").iterdir())) == 1
    with FileStore.open(data_dir) as store:
        assert store.state("flashcards/capital").first == TODAY
        app = make_app(context(data_dir, "flashcards"), store, start="study")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert current_key(app) == "flashcards/domains~c1"
            assert "0 done · 2 left" in shown(app)
        assert len(list((data_dir / "backups").iterdir())) == 2  # one per study session


async def test_a_command_line_session_ends_on_the_deck_list(
    data_dir: Path, store: MemoryStore
) -> None:
    app = make_app(context(data_dir, "flashcards"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "What is the capital of France?" in shown(app)
        await pilot.press("space", "3", "q", "enter")  # one answer, end, leave the summary
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        rows = [line.split() for line in shown(app).splitlines() if "Flashcards" in line]
        assert rows and rows[0][-3:] == ["2", "0", "5"]  # 2 new left today, 0 due, 5 in all
        await pilot.press("enter")  # the list works: Enter studies the highlighted deck
        await pilot.pause()
        assert current_key(app) == "flashcards/domains~c1"


async def test_next_day_shows_the_cards_due(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "3", "space", "3", "space", "3")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Next reviews    Fri 4 Dec (3 cards)" in shown(app)
    tomorrow = context(data_dir, "flashcards", today=TODAY + timedelta(days=1))
    app = make_app(tomorrow, store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown_keys = []
        for _ in range(3):
            shown_keys.append(current_key(app))
            await pilot.press("space", "4")
            await pilot.pause()
        assert shown_keys == ["flashcards/capital", "flashcards/domains~c1", "flashcards/sm2"]


async def test_undo_from_the_summary_goes_back_to_the_card(data_dir: Path) -> None:
    store = MemoryStore()
    app = make_app(context(data_dir, "flashcards"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "3", "space", "3", "space", "3")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("u")
        await pilot.pause()
        assert current_key(app) == "flashcards/sm2"
        assert store.state("flashcards/sm2").is_new


async def test_grading_with_the_mouse(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await pilot.click(offset=(shown(app).splitlines()[22].index("4 Easy"), 22))
        await pilot.pause()
        assert current_key(app) == "flashcards/domains~c1"
    assert [e.quality for e in store.entries()] == [5]


async def test_flashcards_and_questions_take_turns(data_dir: Path, store: MemoryStore) -> None:
    """Each kind of card is drawn right after the other kind (each is built when first met)."""
    app = make_app(context(data_dir, "scenarios", "flashcards"), store, start="study")
    kinds = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(12):
            if not isinstance(app.screen, ReviewScreen):
                break
            item = review(app).session.current
            assert item is not None
            text = " ".join(shown(app).split())
            if item.kind in ("choice", "rank"):
                assert item.card.question.replace("**", "") in text
                assert "Enter: submit your answer" in text
                picks = [str(n + 1) for n in range(len(item.card.correct_indexes))]
                keys = [*(picks if item.kind == "choice" else []), "enter", "3"]
            else:
                assert "Space or Enter: show the answer" in text
                assert "Enter: submit" not in text and "Pick" not in text
                keys = ["space", "3"]
            kinds.append(item.kind in ("choice", "rank"))
            await pilot.press(*keys)
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    assert True in kinds and False in kinds
    assert len(list(store.entries())) == len(kinds)
