"""FSRS-6 in quiz against the `fsrs` package's own scheduler, and under the log's replay."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler

from quiz.core.card_state import NEW_STATE, state_from_dict, state_to_dict
from quiz.core.progress import MemoryStore
from quiz.core.replay import replay
from quiz.core.schedulers import SM2, answered
from quiz.core.scoring import Score
from quiz.core.session import Session
from quiz.services.fsrs_scheduler import Fsrs
from tests.core.helpers import basic_deck
from tests.core.schedule_helpers import START, study

RATINGS = {0: Rating.Again, 1: Rating.Again, 2: Rating.Again, 3: Rating.Hard, 4: Rating.Good,
           5: Rating.Easy}  # fmt: skip


@pytest.mark.parametrize("retention", [0.85, 0.9, 0.95])
def test_intervals_equal_the_fsrs_packages_on_random_review_sequences(retention: float) -> None:
    """1,000 random histories per retention: every interval, stability and difficulty the app
    keeps (through its saved form, as the checkpoint holds it) equals the package's."""
    ours = Fsrs(desired_retention=retention, maximum_interval=36500)
    theirs = Scheduler(
        desired_retention=retention,
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=36500,
        enable_fuzzing=False,
    )
    rng = random.Random(int(retention * 100))
    for _ in range(1000):
        state = NEW_STATE
        card = Card(card_id=1, due=datetime(2026, 1, 5, tzinfo=UTC))
        day = START
        for _ in range(rng.randint(1, 15)):
            quality = rng.randint(0, 5)
            state = state_from_dict(state_to_dict(answered(ours, state, quality, day)))
            when = datetime(day.year, day.month, day.day, tzinfo=UTC)
            card, _ = theirs.review_card(card, RATINGS[quality], when)
            assert state.due == card.due.date()
            assert state.interval == (card.due - when).days
            assert (state.stability, state.difficulty) == (card.stability, card.difficulty)
            assert ours.recall(state, day) == pytest.approx(
                theirs.get_card_retrievability(card, when)
            )
            late = rng.choice((0, 0, 1, 3, 10))
            early = rng.random() < 0.2
            gap = max(1, state.interval // 2) if early else state.interval + late
            if rng.random() < 0.05:
                gap = 0  # the same day again (a practice-free second review)
            day = day + timedelta(days=gap)


def test_replaying_the_log_under_fsrs_gives_the_states_the_sessions_made() -> None:
    fsrs = Fsrs()
    store = MemoryStore()
    study(store, basic_deck("d", 40).items(), fsrs, days=60, seed=11)
    states = dict(store.states())
    assert any(state.stability is not None for state in states.values())
    assert replay(store.log, fsrs) == states


def test_switching_sm2_fsrs_sm2_gives_the_sm2_states_back() -> None:
    store = MemoryStore()
    study(store, basic_deck("d", 30).items(), SM2, days=40, seed=5)
    before = dict(store.states())
    store.reschedule(Fsrs(desired_retention=0.85))
    assert all(s.stability is not None for s in store.states().values() if s.first)
    store.reschedule(SM2)
    assert dict(store.states()) == before


def test_fuzz_spreads_intervals_but_replays_the_same() -> None:
    plain, fuzzed = Fsrs(), Fsrs(fuzz=True)
    assert plain.identity != fuzzed.identity
    store = MemoryStore()
    study(store, basic_deck("d", 40).items(), fuzzed, days=80, seed=2)
    assert replay(store.log, fuzzed) == dict(store.states())
    assert replay(store.log, fuzzed) != replay(store.log, plain)


def test_an_unsafe_answer_is_capped_at_again_under_fsrs() -> None:
    session = Session(basic_deck("d", 1).items(), MemoryStore(), START, scheduler=Fsrs())
    grade = session.suggest(Score(4, 4), "anki", unsafe=True)
    outcome = session.answer(grade.quality, time="t")
    assert outcome.state.lapses == 1 and outcome.redrill
    again = Fsrs().package.parameters[0]  # FSRS-6's first stability after Again
    assert outcome.state.stability == pytest.approx(again)
