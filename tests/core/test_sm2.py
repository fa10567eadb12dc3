"""SM-2 exactly as Wozniak wrote it: the worked example, the float trap, and a property test."""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.core.sm2 import Sm2State, review

DAY = date(2026, 11, 26)

WORKED = [5, 5, 4, 3, 5, 2, 4, 4, 5, 3, 0, 3, 4, 5]
WORKED_STATES = [
    (1, 2.60, 1), (2, 2.70, 6), (3, 2.70, 17), (4, 2.56, 44), (5, 2.66, 118),
    (0, 2.66, 1), (1, 2.66, 1), (2, 2.66, 6), (3, 2.76, 17), (4, 2.62, 45),
    (0, 2.62, 1), (1, 2.48, 1), (2, 2.48, 6), (3, 2.58, 16),
]  # fmt: skip


def run(grades: list[int]) -> list[Sm2State]:
    state, states = Sm2State(), []
    for quality in grades:
        state = review(state, quality, DAY)
        states.append(state)
    return states


def test_worked_example_from_design() -> None:
    got = [(s.repetitions, s.easiness, s.interval) for s in run(WORKED)]
    assert got == WORKED_STATES


CASES = [
    # (name, grades, expected (repetitions, easiness, interval) after the last grade)
    ("new card graded good", [4], (1, 2.5, 1)),
    ("second success is six days", [4, 4], (2, 2.5, 6)),
    ("float trap: 5,5,5,5,4 is 145 not 146", [5, 5, 5, 5, 4], (5, 2.9, 145)),
    ("perfect run", [5, 5, 5], (3, 2.8, 17)),
    ("lapse resets repetitions, keeps EF", [5, 5, 1], (0, 2.7, 1)),
    ("blackout on a new card", [0], (0, 2.5, 1)),
    ("grade 3 lowers EF by 0.14", [3], (1, 2.36, 1)),
    # 2.36 2.22 2.08 1.94 1.80 1.66 1.52 1.38 then 1.24 -> 1.30;
    # intervals 1, 6, ceil(6*2.08)=13, 26, 47, 79, 121, 167, ceil(167*1.3)=218
    ("EF floors at 1.3", [3] * 9, (9, 1.3, 218)),
    ("after a lapse the steps start again", [5, 5, 5, 2, 4, 4], (2, 2.8, 6)),
]


@pytest.mark.parametrize(("name", "grades", "expected"), CASES, ids=[c[0] for c in CASES])
def test_table(name: str, grades: list[int], expected: tuple[int, float, int]) -> None:
    last = run(grades)[-1]
    assert (last.repetitions, last.easiness, last.interval) == expected


def test_due_is_today_plus_interval() -> None:
    state = review(review(Sm2State(), 4, DAY), 4, DAY + timedelta(days=1))
    assert state.due == DAY + timedelta(days=7)


@pytest.mark.parametrize("bad", [-1, 6, 10, True, 3.0])
def test_quality_outside_0_to_5_raises(bad: object) -> None:
    with pytest.raises(ValueError, match="0 to 5"):
        review(Sm2State(), bad, DAY)  # type: ignore[arg-type]


def test_easiness_reads_as_two_places() -> None:
    state = run([3, 3])[-1]
    assert state.easiness == 2.22
    assert repr(state.easiness) == "2.22"


def exact_sm2(grades: list[int]) -> tuple[int, Fraction, int]:
    """An independent SM-2 on Fractions: no rounding anywhere."""
    n, ef, interval = 0, Fraction(5, 2), 0
    for q in grades:
        if q < 3:
            n, interval = 0, 1
            continue
        miss = 5 - q
        ef = max(
            Fraction(13, 10),
            ef + Fraction(1, 10) - miss * (Fraction(8, 100) + miss * Fraction(2, 100)),
        )
        n += 1
        interval = 1 if n == 1 else 6 if n == 2 else math.ceil(interval * ef)
    return n, ef, interval


@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=40))
def test_matches_exact_arithmetic(grades: list[int]) -> None:
    n, ef, interval = exact_sm2(grades)
    last = run(grades)[-1]
    assert last.repetitions == n
    assert Fraction(last.easiness_100, 100) == ef
    assert last.interval == interval
    assert last.due == DAY + timedelta(days=interval)


def test_due_is_held_at_the_end_of_the_calendar() -> None:
    state = Sm2State(30, 2.5, 10_000_000, date(9999, 1, 1))
    after = review(state, 5, date(9999, 1, 1))
    assert after.interval == 26_000_000  # the interval itself stays exact
    assert after.due == date.max
    assert review(Sm2State(), 1, date.max).due == date.max
