"""Objective scoring of scenario answers by the SJT rules.

The rules, for teachers: docs/authoring.md, "How scenario questions are scored".
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from fractions import Fraction

CHOOSE_K_MARKS = 4
"""Marks for each correct pick in a "choose k of m" question."""


@dataclass(frozen=True, slots=True)
class Score:
    """Points out of a maximum."""

    points: int
    maximum: int

    @property
    def fraction(self) -> float:
        """points / maximum, or 0.0 for an empty maximum."""
        return self.points / self.maximum if self.maximum else 0.0

    def __str__(self) -> str:
        return f"{self.points} / {self.maximum}"


def rank_marks(placed: Sequence[int]) -> list[int]:
    """Marks of each placed option: (n-1) - |place - ideal place|, never below 0."""
    n = len(placed)
    return [max(0, (n - 1) - abs(place - ideal)) for place, ideal in enumerate(placed)]


def score_rank(placed: Sequence[int]) -> Score:
    """Score a ranking; `placed[p]` is the ideal index of the option put at place p.

    Raises:
        ValueError: if `placed` is not a permutation of 0..n-1.
    """
    n = len(placed)
    if sorted(placed) != list(range(n)):
        raise ValueError(f"a ranking must place each of the {n} options exactly once")
    return Score(sum(rank_marks(placed)), n * (n - 1))


def score_choice(picked: Set[int], correct: Set[int]) -> Score:
    """Score a choice: single best answer is 1 or 0; choose k scores 4 a correct pick.

    Picking more than k options scores 0.

    Raises:
        ValueError: if there is no correct option.
    """
    k = len(correct)
    if k == 0:
        raise ValueError("a choice question needs at least one correct option")
    if k == 1:
        return Score(1 if set(picked) == set(correct) else 0, 1)
    if len(picked) > k:
        return Score(0, CHOOSE_K_MARKS * k)
    return Score(CHOOSE_K_MARKS * len(set(picked) & set(correct)), CHOOSE_K_MARKS * k)


def quality(fraction: float | Fraction) -> int:
    """Map a score fraction to SM-2 quality: 1.0->5, >=0.8->4, >=0.6->3, >=0.4->2, >0->1, 0->0."""
    if not 0 <= fraction <= 1:
        raise ValueError(f"a score fraction lies between 0 and 1, not {fraction}")
    if fraction >= 1:
        return 5
    for threshold, grade in ((0.8, 4), (0.6, 3), (0.4, 2)):
        if fraction >= threshold:
            return grade
    return 1 if fraction > 0 else 0


UNSAFE_CAP = 1
"""The highest SM-2 quality an answer that chose an unsafe option can earn (Again; in
SuperMemo's six grades, 1)."""
UNSAFE_RANK_PLACES = 2
"""A rank answer that puts an unsafe option in one of the first this many places is capped."""


def unsafe_ranked(placed: Sequence[int], unsafe: Set[int]) -> tuple[int, ...]:
    """The unsafe options (ideal indexes) a ranking puts first or second, in placed order.

    Args:
        placed: as `score_rank` takes it.
        unsafe: the ideal indexes of the options marked unsafe.
    """
    return tuple(index for index in placed[:UNSAFE_RANK_PLACES] if index in unsafe)


def unsafe_picked(picked: Set[int], unsafe: Set[int]) -> tuple[int, ...]:
    """The unsafe options a choice answer picked, in index order."""
    return tuple(sorted(set(picked) & set(unsafe)))


def capped_quality(fraction: float | Fraction, unsafe: bool) -> int:
    """`quality(fraction)`, at most `UNSAFE_CAP` when the answer chose an unsafe option."""
    grade = quality(fraction)
    return min(grade, UNSAFE_CAP) if unsafe else grade
