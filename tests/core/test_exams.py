"""The exam rules: every card seen in time, a review in the last week, normal after the date."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from quiz.core.exams import (
    Exam,
    ExamPlan,
    exam_cards_first,
    landing_day,
    pace,
    pace_line,
)
from quiz.core.model import Item
from quiz.core.progress import MemoryStore
from quiz.core.replay import replay
from quiz.core.schedulers import SM2, SM2_REVISED, Scheduler, WithExams
from quiz.core.session import Limits, Session
from quiz.services.fsrs_scheduler import Fsrs
from tests.core.helpers import basic_deck
from tests.core.schedule_helpers import study

START = date(2027, 1, 4)
EXAM = Exam("Finals", START + timedelta(days=60), ("exam",))
SCHEDULERS: list[Scheduler] = [SM2, SM2_REVISED, Fsrs()]


def plan(items: list[Item], exam: Exam = EXAM) -> ExamPlan:
    keys = frozenset(i.key for i in items if i.card.deck_id in exam.decks)
    return ExamPlan((exam,), {exam.name: keys})


def good_student(store: MemoryStore, items: list[Item], scheduler: Scheduler, days: int) -> None:
    """Answers every card Good each day from START, 10 new a day."""
    for n in range(days):
        day = START + timedelta(days=n)
        session = Session(items, store, day, limits=Limits(10, 9999), scheduler=scheduler)
        while not session.finished:
            session.answer(4, time=f"{day.isoformat()}T10:00:00+00:00")


@pytest.mark.parametrize("base", SCHEDULERS, ids=lambda s: s.name)
def test_every_card_seen_before_the_last_week_has_a_review_in_it(base: Scheduler) -> None:
    items = list(basic_deck("exam", 300).items())
    store = MemoryStore()
    rules = WithExams(base, plan(items))
    good_student(store, items, rules, days=(EXAM.last_week - START).days)
    states = store.states()
    seen = [s for s in states.values() if s.first is not None]
    assert len(seen) == 300
    for state in seen:
        assert state.due is not None and EXAM.last_week <= state.due < EXAM.day
    # spread over the week, not piled on the eve
    per_day = Counter(s.due for s in seen)
    assert len(per_day) == 7
    assert max(per_day.values()) <= 2 * 300 / 7


@pytest.mark.parametrize("base", SCHEDULERS, ids=lambda s: s.name)
def test_without_the_rules_intervals_carry_cards_past_the_exam(base: Scheduler) -> None:
    items = list(basic_deck("exam", 300).items())
    store = MemoryStore()
    good_student(store, items, base, days=(EXAM.last_week - START).days)
    dues = [s.due for s in store.states().values() if s.due is not None]
    assert any(due >= EXAM.day for due in dues)


@pytest.mark.parametrize("base", SCHEDULERS, ids=lambda s: s.name)
def test_after_the_date_nothing_piles_up(base: Scheduler) -> None:
    items = list(basic_deck("exam", 300).items())
    store = MemoryStore()
    rules = WithExams(base, plan(items))
    good_student(store, items, rules, days=(EXAM.day - START).days)
    day_after = EXAM.day + timedelta(days=1)
    states = store.states().values()
    overdue = [s for s in states if s.due is not None and s.due < EXAM.day]
    assert overdue == []
    due_day_after = sum(1 for s in states if s.due is not None and s.due <= day_after)
    assert due_day_after < 300 / 7
    # an answer after the date is scheduled exactly as without exams
    state = next(iter(store.states().values()))
    assert rules.schedule(state, 4, day_after) == base.schedule(state, 4, day_after)


def test_cards_outside_the_exam_and_answers_in_the_last_week_are_untouched() -> None:
    exam_items = list(basic_deck("exam", 20).items())
    other = list(basic_deck("other", 20).items())
    rules = WithExams(SM2, plan(exam_items + other))
    store = MemoryStore()
    good_student(store, exam_items + other, rules, days=(EXAM.last_week - START).days)
    for key, state in store.states().items():
        if key.startswith("other/") and state.due is not None:
            replayed = replay(store.records(), SM2)[key]
            assert state == replayed


@pytest.mark.parametrize("base", SCHEDULERS, ids=lambda s: s.name)
def test_replaying_the_log_under_the_same_exams_gives_the_same_states(base: Scheduler) -> None:
    items = list(basic_deck("exam", 40).items())
    rules = WithExams(base, plan(items))
    store = MemoryStore()
    study(store, items, rules, days=70, seed=3, start=START)
    assert replay(store.records(), rules) == dict(store.states())


def test_no_exam_changes_nothing() -> None:
    items = list(basic_deck("exam", 40).items())
    store = MemoryStore()
    study(store, items, SM2, days=40, seed=5, start=START)
    empty = WithExams(SM2, ExamPlan((), {}))
    assert replay(store.records(), empty) == replay(store.records(), SM2)


def test_landing_days_spread_evenly_over_the_week() -> None:
    days = Counter(landing_day(f"d/c{i}", EXAM) for i in range(7000))
    assert set(days) == {EXAM.last_week + timedelta(days=n) for n in range(7)}
    assert all(900 <= count <= 1100 for count in days.values())


@pytest.mark.parametrize(
    ("unseen", "today", "limit", "line"),
    [
        (380, date(2027, 2, 1), 20, "14 new a day to see all 380 by 1 Mar"),
        (
            380,
            date(2027, 2, 1),
            10,
            "14 new a day needed to see all 380 by 1 Mar, above your"
            " limit of 10: at 10 a day, 90 will still be unseen then",
        ),
        (0, date(2027, 2, 1), 20, "all Finals cards seen"),
        (
            5,
            date(2027, 3, 2),
            20,
            "5 not yet seen, and the day to have seen them all (1 Mar) has passed",
        ),
    ],
)
def test_the_daily_figure(unseen: int, today: date, limit: int, line: str) -> None:
    exam = Exam("Finals", date(2027, 3, 8), ("exam",))
    assert pace_line(exam, pace(exam, unseen, today, limit)) == line


@pytest.mark.parametrize(("limit", "all_seen"), [(10, True), (3, False)])
def test_all_cards_seen_by_the_deadline_when_the_limit_allows(limit: int, all_seen: bool) -> None:
    exam_items = list(basic_deck("exam", 400).items())
    other = list(basic_deck("other", 400).items())
    items = other + exam_items  # the exam's deck last: the rules still bring it first
    rules = WithExams(SM2, plan(items))
    figure = pace(EXAM, 400, START, limit)
    assert figure.possible is all_seen
    store = MemoryStore()
    for n in range((EXAM.deadline - START).days + 1):
        day = START + timedelta(days=n)
        session = Session(items, store, day, limits=Limits(limit, 9999), scheduler=rules)
        while not session.finished:
            session.answer(4, time=f"{day.isoformat()}T10:00:00+00:00")
    seen = sum(1 for i in exam_items if store.state(i.key).first is not None)
    assert (seen == 400) is all_seen
    if not all_seen:
        assert 400 - seen == figure.left_unseen


def test_exam_cards_come_first_only_until_the_exam() -> None:
    exam_items = list(basic_deck("exam", 3).items())
    other = list(basic_deck("other", 3).items())
    p = plan(other + exam_items)
    before = exam_cards_first(p, other + exam_items, START)
    assert [i.card.deck_id for i in before] == ["exam"] * 3 + ["other"] * 3
    after = exam_cards_first(p, other + exam_items, EXAM.day)
    assert [i.card.deck_id for i in after] == ["other"] * 3 + ["exam"] * 3


def test_in_the_last_week_the_weakest_cards_come_first() -> None:
    items = list(basic_deck("exam", 30).items())
    rules = WithExams(Fsrs(), plan(items))
    store = MemoryStore()
    good_student(store, items, rules, days=(EXAM.last_week - START).days)
    day = EXAM.day - timedelta(days=1)
    session = Session(items, store, day, limits=Limits(0, 9999), scheduler=rules)
    recalls = []
    while not session.finished:
        current = session.current
        assert current is not None
        chance = rules.recall(store.state(current.key), day)
        assert chance is not None
        recalls.append(chance)
        session.answer(4, time=f"{day.isoformat()}T10:00:00+00:00")
    assert len(recalls) == 30
    assert len(set(recalls)) > 1
    assert recalls == sorted(recalls)
