"""The pure schedulers (sm2, sm2-revised) and the log's replay under any scheduler."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from fractions import Fraction

import pytest

from quiz.core.card_state import NEW_STATE
from quiz.core.progress import MemoryStore
from quiz.core.replay import replay
from quiz.core.schedulers import SM2, SM2_REVISED, Scheduler, answered, revised_review
from quiz.core.scoring import Score
from quiz.core.session import Session
from quiz.core.sm2 import Sm2State, review
from tests.core.helpers import basic_deck
from tests.core.schedule_helpers import START, study

DAY = date(2026, 3, 1)


def reference_revised(
    qualities: list[int],
) -> list[tuple[int, Fraction, int]]:
    """sm2-revised written from its rule text (docs/schedulers.md), with exact fractions:
    q < 3: n := 0, I := 1, EF := max(1.3, EF - 0.2);
    q >= 3: EF := max(1.3, EF + 0.1 - (5-q)(0.08 + (5-q)0.02)), n := n + 1,
            I := 1, 6, then ceil(I * EF)."""
    n, ef, interval = 0, Fraction(5, 2), 0
    out = []
    floor = Fraction(13, 10)
    for q in qualities:
        if q < 3:
            n, interval, ef = 0, 1, max(floor, ef - Fraction(1, 5))
        else:
            miss = 5 - q
            ef = max(
                floor, ef + Fraction(1, 10) - miss * (Fraction(8, 100) + miss * Fraction(2, 100))
            )
            n += 1
            interval = 1 if n == 1 else 6 if n == 2 else math.ceil(interval * ef)
        out.append((n, ef, interval))
    return out


def test_sm2_revised_matches_its_rule_text_on_random_sequences() -> None:
    rng = random.Random(23)
    for _ in range(1000):
        qualities = [rng.randint(0, 5) for _ in range(rng.randint(1, 25))]
        state = Sm2State()
        for (n, ef, interval), q in zip(reference_revised(qualities), qualities, strict=True):
            state = revised_review(state, q, DAY)
            assert (state.repetitions, state.easiness_100, state.interval) == (
                n,
                int(ef * 100),
                interval,
            ), qualities
            assert state.due == DAY + timedelta(days=interval)


def test_sm2_revised_differs_from_sm2_only_on_a_lapse() -> None:
    state = Sm2State(4, 2.5, 40)
    for q in (3, 4, 5):
        assert revised_review(state, q, DAY) == review(state, q, DAY)
    assert review(state, 1, DAY).easiness == 2.5
    assert revised_review(state, 1, DAY).easiness == 2.3
    assert revised_review(Sm2State(2, 1.4, 6), 0, DAY).easiness == 1.3


@pytest.mark.parametrize(("scheduler", "drilled"), [(SM2, {0, 1, 2, 3}), (SM2_REVISED, {0, 1, 2})])
def test_the_same_day_redrill_follows_each_schedulers_rule(
    scheduler: Scheduler, drilled: set[int]
) -> None:
    for quality in range(6):
        store = MemoryStore()
        session = Session(basic_deck("d", 1).items(), store, DAY, scheduler=scheduler)
        outcome = session.answer(quality, time="t")
        assert outcome.redrill == (quality in drilled)


@pytest.mark.parametrize("scheduler", [SM2, SM2_REVISED])
def test_an_unsafe_answer_is_capped_at_again_under_every_scheduler(scheduler: Scheduler) -> None:
    store = MemoryStore()
    session = Session(basic_deck("d", 1).items(), store, DAY, scheduler=scheduler)
    grade = session.suggest(Score(4, 4), "anki", unsafe=True)
    assert grade.quality < 3
    outcome = session.answer(grade.quality, time="t")
    assert outcome.state.lapses == 1 and outcome.state.interval == 1


@pytest.mark.parametrize("scheduler", [SM2, SM2_REVISED])
def test_replaying_the_log_gives_the_states_the_sessions_made(scheduler: Scheduler) -> None:
    store = MemoryStore()
    items = basic_deck("d", 40).items()
    study(store, items, scheduler, days=60, seed=7)
    assert store.log  # something happened
    assert replay(store.log, scheduler) == dict(store.states())


def test_switching_scheduler_and_back_gives_the_states_back() -> None:
    store = MemoryStore()
    items = basic_deck("d", 30).items()
    study(store, items, SM2, days=40, seed=3)
    before = dict(store.states())
    store.reschedule(SM2_REVISED)
    assert dict(store.states()) != before  # lapses lowered EF under the revised rule
    store.reschedule(SM2)
    assert dict(store.states()) == before


def test_answered_keeps_lapses_first_and_last_for_every_scheduler() -> None:
    state = answered(SM2_REVISED, NEW_STATE, 1, START)
    assert (state.lapses, state.first, state.last, state.easiness_100) == (1, START, START, 230)
