"""Every statistic against a hand-built log with known answers (tests/stats_helpers.py
`known_log`, worked out in the comments there), and against an empty history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quiz.core.fold import Answer, LogTally
from quiz.core.progress import MemoryStore
from quiz.core.stats import DeckCounts, Rate, Stats, Streak, compute, streak
from quiz.storage.fold_file import tally_from_dict, tally_to_dict
from tests.stats_helpers import TODAY, ago, answer, at, known_log, sample_decks


def known() -> Stats:
    store = MemoryStore()
    known_log(store)
    return compute(sample_decks(), store.states(), LogTally.of(store.entries()), TODAY)


def empty() -> Stats:
    return compute(sample_decks(), MemoryStore().states(), LogTally(), TODAY)


# --- counts and forecast (from the card states) ---


def test_counts_per_deck() -> None:
    # a, b, d learning (n < 2); c young (15 d); e mature (78 d); b due today, a and d tomorrow.
    assert known().decks["mlcf"] == DeckCounts(
        total=5, new=0, due=1, learning=3, young=1, mature=1, suspended=0, due_tomorrow=2
    )
    # p1 overdue; p2 buried until tomorrow; p3 suspended (still counted as learning).
    assert known().decks["sjt"] == DeckCounts(
        total=3, new=0, due=1, learning=3, young=0, mature=0, suspended=1, due_tomorrow=1
    )
    assert known().total == DeckCounts(8, 0, 2, 6, 1, 1, 1, 3)


def test_forecast() -> None:
    forecast = known().forecast
    assert list(forecast) == [TODAY + timedelta(days=i) for i in range(30)]
    assert {day: n for day, n in forecast.items() if n} == {
        TODAY: 2,  # mlcf/b, sjt/p1 (overdue)
        TODAY + timedelta(days=1): 3,  # mlcf/a, mlcf/d, sjt/p2 (buried today)
        TODAY + timedelta(days=15): 1,  # mlcf/c; mlcf/e is due in 49 days, past the 30
    }


def test_due_today_and_tomorrow_agree_with_forecast() -> None:
    stats = known()
    assert stats.total.due == stats.forecast[TODAY]
    assert stats.total.due_tomorrow == stats.forecast[TODAY + timedelta(days=1)]


# --- log figures ---


def test_history_counts_answers_per_study_day_with_redrills_and_without_undone() -> None:
    history = known().history
    assert {day: t.answers for day, t in history.items()} == {
        ago(30): 1,
        ago(29): 1,
        ago(2): 2,
        ago(1): 1,  # the answer at 03:59 today belongs to yesterday's study day
        TODAY: 4,  # 04:00 answer, its re-drill, two reviews; the undone answer not at all
    }
    assert history[TODAY].reviews == 3
    assert history[TODAY].ms == 10_000 + 5_000 + 7_000 + 9_000


def test_windows_of_reviews_and_time() -> None:
    stats = known()
    assert stats.window(1) == (4, 31_000)
    assert stats.window(30) == (8, 8_000 + 30_000 + 40_000 + 6_000 + 31_000)
    assert stats.window(90) == (9, 135_000)
    assert stats.daily(3) == [(ago(2), 2), (ago(1), 1), (TODAY, 4)]


def test_retention_young_and_mature_last_30_days_reviews_only() -> None:
    retention = known().retention
    # young: mlcf/c good, mlcf/d lapse; the re-drill and the first sights do not count.
    assert retention.young == Rate(correct=1, total=2)
    # mature: mlcf/e 29 days ago counts; sjt/p3 30 days ago is outside the window.
    assert retention.mature == Rate(correct=1, total=1)
    assert retention.all == Rate(2, 3)
    assert retention.all.rate == pytest.approx(2 / 3)


def test_streak_from_the_log() -> None:
    # study days: 30 and 29 days ago, then the day before yesterday, yesterday, today.
    assert known().streak == Streak(current=3, longest=3, study_days=5, last_year=5)


def test_tags_weakest_first() -> None:
    rows = [(t.tag, t.items, t.answers, t.correct) for t in known().tags]
    assert rows == [
        ("[red]team[/]", 1, 1, 0),
        ("mlcf-improving-services", 2, 2, 1),
        ("mlcf-working-with-others", 2, 2, 1),
        ("medical-leadership", 5, 5, 3),  # the deck's own tag, on all its cards
        ("patient-focus", 2, 2, 2),  # more answers first among equals
        ("mlcf-setting-direction", 1, 1, 1),
    ]
    weakest = known().weakest
    assert weakest is not None and weakest.tag == "[red]team[/]"


def test_scenario_scores() -> None:
    scenarios = known().scenarios
    assert scenarios["sjt"].as_dict() == {
        "items": 3,
        "answered": 3,
        "answers": 3,
        "correct": 2,
        "accuracy": 0.6667,
        "mean_grade": 3.0,  # 5, 3 and 1
    }
    assert scenarios["mlcf"].items == 0


def test_one_deck_only() -> None:
    store = MemoryStore()
    known_log(store)
    stats = compute(sample_decks(), store.states(), LogTally.of(store.entries()), TODAY, "sjt")
    assert list(stats.decks) == ["sjt"]
    assert {day: t.answers for day, t in stats.history.items()} == {ago(30): 1, ago(2): 2}
    assert stats.retention.mature == Rate(0, 0)
    assert stats.streak == Streak(current=0, longest=1, study_days=2, last_year=2)
    assert {t.tag for t in stats.tags} == {"patient-focus", "[red]team[/]"}


# --- an empty history ---


def test_empty_history() -> None:
    stats = empty()
    assert stats.total == DeckCounts(total=8, new=8)
    assert set(stats.forecast.values()) == {0}
    assert stats.history == {}
    assert stats.window(30) == (0, 0)
    assert stats.retention.young.rate is None and stats.retention.mature.rate is None
    assert stats.streak == Streak(0, 0, 0, 0)
    assert [t.answers for t in stats.tags] == [0] * 6
    assert [t.accuracy for t in stats.tags] == [None] * 6
    assert stats.weakest is None


# --- the 04:00 day boundary, streaks ---


@pytest.mark.parametrize(
    ("hour", "minute", "day"),
    [
        (3, 59, date(2026, 3, 9)),
        (4, 0, date(2026, 3, 10)),
        (23, 59, date(2026, 3, 10)),
        (0, 0, date(2026, 3, 9)),
    ],
)
def test_day_boundary(hour: int, minute: int, day: date) -> None:
    store = MemoryStore()
    study, time = at(hour, minute, TODAY)
    answer(store, "mlcf/a", 4, study, time=time)
    stats = compute(sample_decks(), store.states(), LogTally.of(store.entries()), TODAY)
    assert list(stats.history) == [day]


STREAKS = [
    ("never", [], Streak(0, 0, 0, 0)),
    ("today only", [0], Streak(1, 1, 1, 1)),
    ("yesterday only", [1], Streak(1, 1, 1, 1)),
    ("two days ago breaks it", [2, 3], Streak(0, 2, 2, 2)),
    ("ends today", [0, 1, 2, 4], Streak(3, 3, 4, 4)),
    ("ends yesterday", [1, 2, 3, 10, 11, 12, 13], Streak(3, 4, 7, 7)),
    ("over a year ago", [400, 401], Streak(0, 2, 2, 0)),
    ("a future day is ignored", [-1, 0], Streak(1, 1, 1, 1)),
]


@pytest.mark.parametrize(
    ("days_ago", "expected"), [c[1:] for c in STREAKS], ids=[c[0] for c in STREAKS]
)
def test_streak(days_ago: list[int], expected: Streak) -> None:
    assert streak([ago(n) for n in days_ago], TODAY) == expected


# --- the tally ---


def test_tally_undo_takes_an_answer_back_out() -> None:
    store = MemoryStore()
    known_log(store)
    entries = list(store.entries())
    full = LogTally.of(entries)
    tally = LogTally.of(entries)
    last = Answer.of(entries[-5])  # an answer (the last entries are a suspend and a bury)
    assert last is not None
    tally.remove(last)
    tally.add(last)
    assert tally == full
    for entry in entries:
        answer_ = Answer.of(entry)
        if answer_ is not None:
            tally.remove(answer_)
    assert tally == LogTally()


def test_tally_round_trips_through_a_dict() -> None:
    store = MemoryStore()
    known_log(store)
    tally = LogTally.of(store.entries())
    assert tally_from_dict(tally_to_dict(tally)) == tally


def test_a_saved_tally_keeps_its_day_sums_as_answers_come_and_go() -> None:
    """The per-day sums saved beside the per-deck rows, read back, stay equal to summing the
    rows afresh as answers are folded in and taken out."""
    store = MemoryStore()
    known_log(store)
    loaded = tally_from_dict(tally_to_dict(LogTally.of(store.entries())))
    assert loaded.per_day() == LogTally.of(store.entries()).per_day()
    entry = answer(store, "mlcf/a", 2, TODAY)
    added = Answer.of(entry)
    assert added is not None
    loaded.add(added)
    fresh = LogTally.of(store.entries())
    assert loaded == fresh
    assert loaded.per_day() == fresh.per_day()
    assert loaded.per_day(["mlcf"]) == fresh.per_day(["mlcf"])
    loaded.remove(added)
    assert loaded.per_day()[TODAY].answers == fresh.per_day()[TODAY].answers - 1


def _damaged(change: str) -> dict[str, object]:
    store = MemoryStore()
    known_log(store)
    doc = tally_to_dict(LogTally.of(store.entries()))
    rows, totals, keys = doc["rows"], doc["totals"], doc["keys"]
    if change == "short column":
        rows[3].pop()
    elif change == "deck out of range":
        rows[0][0] = len(doc["decks"])
    elif change == "negative date":
        totals[0][0] = -1
    elif change == "text count":
        rows[4][0] = "1"
    elif change == "fraction":
        keys[1][0] = 1.5
    elif change == "key without counts":
        keys[0].append("mlcf/zz")
    elif change == "missing column":
        totals.pop()
    return doc


@pytest.mark.parametrize(
    "change",
    ["short column", "deck out of range", "negative date", "text count", "fraction",
     "key without counts", "missing column"],
)  # fmt: skip
def test_a_damaged_saved_tally_is_refused(change: str) -> None:
    with pytest.raises((ValueError, TypeError)):
        tally_from_dict(_damaged(change))
