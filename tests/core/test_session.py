"""Review sessions: queue order, limits, re-drill, undo, bury, suspend, practice, siblings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quiz.core.model import Item
from quiz.core.progress import CardState, MemoryStore
from quiz.core.scoring import Score
from quiz.core.session import Limits, Session, build_queue, next_due, queue_counts
from quiz.core.sm2 import Sm2State
from tests.core.helpers import basic, basic_deck, cloze, deck

TODAY = date(2026, 11, 26)
T = "2026-11-26T10:00:00+00:00"
AGAIN, HARD, GOOD, EASY = 1, 3, 4, 5


def keys(items: list[Item]) -> list[str]:
    return [item.key for item in items]


def reviewed(days_ago_due: int, interval: int = 6) -> CardState:
    """A card in review, due `days_ago_due` days ago."""
    due = TODAY - timedelta(days=days_ago_due)
    return CardState.from_sm2(Sm2State(2, 2.5, interval, due), first=TODAY - timedelta(days=30),
                     last=due - timedelta(days=interval))  # fmt: skip


def seed(store: MemoryStore, key: str, state: CardState) -> None:
    store.record(key, "review", day=TODAY - timedelta(days=40), time=T, after=state, quality=4)


def test_due_first_most_overdue_first_then_new_in_deck_order() -> None:
    d = basic_deck("d", 5)
    store = MemoryStore()
    seed(store, "d/c3", reviewed(1))
    seed(store, "d/c1", reviewed(5))
    assert keys(build_queue(d.items(), store, TODAY)) == ["d/c1", "d/c3", "d/c0", "d/c2", "d/c4"]


def test_new_limit_counts_cards_introduced_today() -> None:
    d = basic_deck("d", 10)
    store = MemoryStore()
    session = Session(d.items(), store, TODAY, limits=Limits(new_per_day=3))
    assert session.remaining == 3
    session.answer(GOOD, time=T)
    later = Session(d.items(), store, TODAY, limits=Limits(new_per_day=3))
    assert keys([later.current] if later.current else []) == ["d/c1"]
    assert later.remaining == 2


def test_review_limit_caps_due_cards() -> None:
    d = basic_deck("d", 6)
    store = MemoryStore()
    for i in range(6):
        seed(store, f"d/c{i}", reviewed(i + 1))
    queue = build_queue(d.items(), store, TODAY, Limits(new_per_day=0, reviews_per_day=4))
    assert keys(queue) == ["d/c5", "d/c4", "d/c3", "d/c2"]


def test_answer_schedules_and_logs() -> None:
    d = basic_deck("d", 1)
    store = MemoryStore()
    session = Session(d.items(), store, TODAY)
    outcome = session.answer(GOOD, time=T, elapsed_ms=4000)
    assert not outcome.redrill
    state = store.state("d/c0")
    assert (state.sm2.repetitions, state.sm2.interval, state.due) == (1, 1, TODAY + timedelta(1))
    assert state.first == TODAY and state.last == TODAY
    assert [(e.kind, e.quality) for e in store.entries()] == [("review", GOOD)]
    assert session.finished


def test_redrill_comes_back_later_and_does_not_change_schedule() -> None:
    d = basic_deck("d", 5)
    store = MemoryStore()
    session = Session(d.items(), store, TODAY, redrill_gap=2)
    assert session.current is not None and session.current.key == "d/c0"
    outcome = session.answer(HARD, time=T)
    assert outcome.redrill
    after_first = store.state("d/c0")
    order = []
    while session.current is not None:
        order.append((session.current.key, session.current_is_drill))
        session.answer(GOOD, time=T)
    assert order == [("d/c1", False), ("d/c2", False), ("d/c0", True), ("d/c3", False),
                     ("d/c4", False)]  # fmt: skip
    assert store.state("d/c0") == after_first
    kinds = [(e.key, e.kind) for e in store.entries() if e.key == "d/c0"]
    assert kinds == [("d/c0", "review"), ("d/c0", "drill")]
    assert session.summary().redrilled == 1


def test_redrill_repeats_until_good() -> None:
    d = basic_deck("d", 1)
    session = Session(d.items(), MemoryStore(), TODAY)
    grades = [AGAIN, AGAIN, HARD, GOOD]
    for quality in grades:
        assert session.current is not None
        session.answer(quality, time=T)
    assert session.finished
    assert session.done == 4


def test_undo_restores_exact_state_and_cancels_log_entry() -> None:
    d = basic_deck("d", 3)
    store = MemoryStore()
    seed(store, "d/c0", reviewed(2))
    before = store.state("d/c0")
    session = Session(d.items(), store, TODAY)
    session.answer(EASY, time=T)
    session.answer(AGAIN, time=T)
    assert session.undo(time=T) is not None
    assert session.undo(time=T) is not None
    assert store.state("d/c0") == before
    assert store.state("d/c1").is_new
    assert [e.quality for e in store.entries()] == [4]  # only the seeded one remains
    assert session.current is not None and session.current.key == "d/c0"
    assert session.done == 0
    assert session.undo(time=T) is None


def test_undo_of_a_failed_answer_removes_its_redrill() -> None:
    d = basic_deck("d", 2)
    session = Session(d.items(), MemoryStore(), TODAY)
    session.answer(AGAIN, time=T)
    assert session.remaining == 2  # c1 and the re-drill of c0
    session.undo(time=T)
    assert session.remaining == 2
    assert session.current is not None and session.current.key == "d/c0"
    assert not session.current_is_drill


def test_practice_writes_nothing() -> None:
    d = basic_deck("d", 3)
    store = MemoryStore()
    session = Session(d.items(), store, TODAY, practice=True)
    while not session.finished:
        session.answer(AGAIN if session.done == 0 else GOOD, time=T)
    assert store.log == []
    assert all(store.state(i.key).is_new for i in d.items())


def test_bury_hides_until_tomorrow_and_suspend_until_unsuspended() -> None:
    d = basic_deck("d", 3)
    store = MemoryStore()
    session = Session(d.items(), store, TODAY)
    session.bury(time=T)
    session.suspend(time=T)
    assert session.current is not None and session.current.key == "d/c2"
    assert keys(build_queue(d.items(), store, TODAY)) == ["d/c2"]
    tomorrow = build_queue(d.items(), store, TODAY + timedelta(days=1))
    assert keys(tomorrow) == ["d/c0", "d/c2"]
    session.undo(time=T)
    assert store.state("d/c1").suspended is False


def test_siblings_not_shown_on_the_same_day() -> None:
    d = deck("d", basic("d", "a", reverse=True), cloze("d", "z", "{{c1::x}} and {{c2::y}}"))
    store = MemoryStore()
    assert keys(build_queue(d.items(), store, TODAY)) == ["d/a", "d/z~c1"]
    session = Session(d.items(), store, TODAY)
    session.answer(GOOD, time=T)
    session.answer(GOOD, time=T)
    assert keys(build_queue(d.items(), store, TODAY)) == []
    # Tomorrow the two answered today are due; their new siblings wait for another day.
    assert keys(build_queue(d.items(), store, TODAY + timedelta(days=1))) == ["d/a", "d/z~c1"]
    suspended = store.state("d/a")._replace(suspended=True)
    store.record("d/a", "suspend", day=TODAY, time=T, after=suspended)
    in_two_days = build_queue(d.items(), store, TODAY + timedelta(days=2))
    assert keys(in_two_days) == ["d/z~c1", "d/a~reverse"]


def test_leech_flagged_at_eighth_lapse() -> None:
    d = basic_deck("d", 1)
    store = MemoryStore()
    seed(
        store,
        "d/c0",
        CardState.from_sm2(Sm2State(0, 2.5, 1, TODAY), lapses=7, first=TODAY - timedelta(9)),
    )
    session = Session(d.items(), store, TODAY)
    outcome = session.answer(AGAIN, time=T)
    assert outcome.leech
    assert store.state("d/c0").leech and store.state("d/c0").lapses == 8
    drill = session.answer(AGAIN, time=T)
    assert not drill.leech  # a re-drill is not a lapse


def test_intervals_preview() -> None:
    d = basic_deck("d", 1)
    store = MemoryStore()
    seed(store, "d/c0", reviewed(0))
    session = Session(d.items(), store, TODAY)
    # From (n=2, EF 2.5, I=6): Hard -> EF 2.36, ceil(14.16); Good -> ceil(15.0); Easy -> ceil(15.6)
    assert session.intervals([1, 3, 4, 5]) == {1: 1, 3: 15, 4: 15, 5: 16}


def test_summary_and_next_due() -> None:
    d = basic_deck("d", 3)
    store = MemoryStore()
    session = Session(d.items(), store, TODAY)
    session.answer(GOOD, time=T, elapsed_ms=1000)
    session.answer(AGAIN, time=T, elapsed_ms=3000)
    session.answer(EASY, time=T, elapsed_ms=2000)
    session.answer(GOOD, time=T, elapsed_ms=500)
    summary = session.summary()
    assert (summary.answers, summary.reviewed, summary.correct, summary.redrilled) == (4, 3, 3, 1)
    assert summary.elapsed_ms == 6500
    assert (summary.next_due, summary.next_due_count) == (TODAY + timedelta(days=1), 3)
    assert next_due(d.items(), store, TODAY + timedelta(days=1)) is None


@pytest.mark.parametrize("bad", [-1, 6])
def test_bad_quality_changes_nothing(bad: int) -> None:
    d = basic_deck("d", 1)
    store = MemoryStore()
    session = Session(d.items(), store, TODAY)
    with pytest.raises(ValueError):
        session.answer(bad, time=T)
    assert store.log == [] and session.remaining == 1


def test_clock_going_backwards_gives_no_negative_interval() -> None:
    d = basic_deck("d", 1)
    store = MemoryStore()
    Session(d.items(), store, TODAY).answer(GOOD, time=T)
    earlier = TODAY - timedelta(days=10)
    session = Session(d.items(), store, earlier)
    assert session.finished  # not due before it was scheduled
    assert next_due(d.items(), store, earlier) == (TODAY + timedelta(days=1), 1)


def test_suspending_a_leech_after_its_answer_drops_its_redrill() -> None:
    d = basic_deck("d", 3)
    store = MemoryStore()
    seed(
        store,
        "d/c0",
        CardState.from_sm2(Sm2State(0, 2.5, 1, TODAY), lapses=7, first=TODAY - timedelta(9)),
    )
    session = Session(d.items(), store, TODAY)
    outcome = session.answer(AGAIN, time=T)
    assert outcome.leech and session.remaining == 3  # c1, c2 and the re-drill of c0
    session.suspend(time=T, item=outcome.item)
    assert store.state("d/c0").suspended
    seen = []
    while session.current is not None:
        seen.append(session.current.key)
        session.answer(GOOD, time=T)
    assert seen == ["d/c1", "d/c2"]
    session.undo(time=T)
    session.undo(time=T)
    session.undo(time=T)  # the suspension
    assert not store.state("d/c0").suspended


def test_queue_counts_are_each_groups_own_queue() -> None:
    """The deck list's counts: one tally of today's answers, the same numbers as a queue each."""
    a, b = basic_deck("a", 30), deck("b", basic("b", "x", reverse=True), basic("b", "y"))
    store = MemoryStore()
    for n in range(1, 8):
        seed(store, f"a/c{n}", reviewed(n % 3))
    seed(store, "b/x", reviewed(2))
    store.record("a/c9", "review", day=TODAY, time=T, after=reviewed(-3), quality=4)
    limits = Limits(new_per_day=12, reviews_per_day=4)
    groups = [a.items(), b.items(), a.items() + b.items(), ()]
    expected = []
    for items in groups:
        queue = build_queue(items, store, TODAY, limits)
        new = sum(1 for item in queue if store.state(item.key).is_new)
        expected.append((new, len(queue) - new))
    assert queue_counts(groups, store, TODAY, limits) == expected
    assert expected[0] != (0, 0) and expected[1] != (0, 0)


SUGGESTIONS = [
    # (name, score, grade scheme, expected grade "key label")
    ("all right, anki", Score(12, 12), "anki", "4 Easy"),
    ("80%, anki", Score(16, 20), "anki", "3 Good"),
    ("60%, anki", Score(6, 10), "anki", "2 Hard"),
    ("40% is a lapse in anki", Score(4, 10), "anki", "1 Again"),
    ("a little right, anki", Score(1, 12), "anki", "1 Again"),
    ("nothing right, anki", Score(0, 1), "anki", "1 Again"),
    ("all right, supermemo", Score(1, 1), "supermemo", "5 Perfect"),
    ("80%, supermemo", Score(8, 10), "supermemo", "4 Good"),
    ("40%, supermemo", Score(4, 10), "supermemo", "2 Almost"),
    ("a little right, supermemo", Score(1, 12), "supermemo", "1 Wrong"),
    ("nothing right, supermemo", Score(0, 12), "supermemo", "0 Blackout"),
    ("an empty maximum scores nothing", Score(0, 0), "supermemo", "0 Blackout"),
]


@pytest.mark.parametrize(
    ("score", "scheme", "expected"),
    [case[1:] for case in SUGGESTIONS],
    ids=[case[0] for case in SUGGESTIONS],
)
def test_suggested_grade_of_a_scenario_score(score: Score, scheme: str, expected: str) -> None:
    session = Session(basic_deck("d", 1).items(), MemoryStore(), TODAY)
    grade = session.suggest(score, scheme)
    assert f"{grade.key} {grade.label}" == expected
