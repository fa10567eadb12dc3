"""The clock going backwards (QUIZ_TODAY before the last review, a laptop's clock reset):
no crash, no negative interval, and every answer still saved and replayed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.core.model import Card, Deck
from quiz.core.progress import MemoryStore, ProgressStore
from quiz.core.session import Limits, Session
from quiz.storage.store import FileStore

LAST_REVIEW = date(2026, 11, 26)
T = "2026-11-26T10:00:00+00:00"


def deck(n: int) -> Deck:
    cards = tuple(
        Card("d", f"c{i}", "basic", front=f"q{i}", back=f"a{i}", reverse=i % 3 == 0)
        for i in range(n)
    )
    return Deck("d", "Deck", cards)


def study(store: ProgressStore, today: date, qualities: list[int]) -> list[int]:
    """One session on `today`, answering with `qualities` in turn; returns the intervals."""
    session = Session(deck(8).items(), store, today, limits=Limits(new_per_day=5))
    intervals = []
    for quality in qualities:
        if session.current is None:
            break
        assert all(days >= 0 for days in session.intervals((1, 3, 4, 5)).values())
        outcome = session.answer(quality, time=T)
        sm2 = outcome.state.sm2
        intervals.append(sm2.interval)
        if not outcome.drill:
            assert sm2.due is not None and sm2.due > today  # never due before it was answered
    session.summary()
    check(store)
    return intervals


def check(store: ProgressStore) -> None:
    for state in store.states().values():
        sm2 = state.sm2
        assert sm2.interval >= 0 and sm2.repetitions >= 0 and sm2.easiness >= 1.3
        assert state.lapses >= 0


def test_studying_a_month_before_the_last_review(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as store:
        study(store, LAST_REVIEW, [5, 4, 3, 1, 4, 4, 5, 2, 4, 4])
    with FileStore.open(tmp_path) as store:
        earlier = LAST_REVIEW - timedelta(days=30)
        # Cards answered "in the future" are not due; new ones are still introduced.
        session = Session(deck(8).items(), store, earlier, limits=Limits(new_per_day=5))
        assert session.current is not None and store.state(session.current.key).is_new
        intervals = study(store, earlier, [4, 1, 4, 5, 3, 4, 4, 4])
        assert intervals and min(intervals) >= 0
        check(store)
    with FileStore.open(tmp_path) as store:  # the log replays whatever order its days are in
        check(store)
        assert len(list(store.entries())) >= 10


days = st.integers(min_value=-400, max_value=400).map(lambda d: LAST_REVIEW + timedelta(days=d))
sessions = st.lists(
    st.tuples(days, st.lists(st.integers(min_value=0, max_value=5), max_size=12)),
    min_size=1,
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(sessions)
def test_any_order_of_study_days(plan: list[tuple[date, list[int]]]) -> None:
    store = MemoryStore()
    for today, qualities in plan:
        study(store, today, qualities)
        check(store)
