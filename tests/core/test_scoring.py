"""SJT scoring rules: rank by distance from the ideal place, choose-k by correct picks."""

from __future__ import annotations

import pytest

from quiz.core.scoring import Score, quality, rank_marks, score_choice, score_rank

RANK_CASES = [
    ("perfect order of 5", [0, 1, 2, 3, 4], 20, 20),
    ("reversed order of 5 scores 8", [4, 3, 2, 1, 0], 8, 20),
    ("one adjacent swap (near miss)", [1, 0, 2, 3, 4], 18, 20),
    ("first and last swapped", [4, 1, 2, 3, 0], 12, 20),
    ("perfect order of 3", [0, 1, 2], 6, 6),
    ("reversed order of 3", [2, 1, 0], 2, 6),
]


@pytest.mark.parametrize(("name", "placed", "points", "maximum"), RANK_CASES)
def test_score_rank(name: str, placed: list[int], points: int, maximum: int) -> None:
    assert score_rank(placed) == Score(points, maximum)


def test_rank_marks_per_option() -> None:
    assert rank_marks([4, 3, 2, 1, 0]) == [0, 2, 4, 2, 0]


@pytest.mark.parametrize("bad", [[0, 0, 1], [1, 2, 3], [0, 2]])
def test_rank_rejects_non_permutation(bad: list[int]) -> None:
    with pytest.raises(ValueError, match="exactly once"):
        score_rank(bad)


CHOICE_CASES = [
    ("single best answer, right", {2}, {2}, 1, 1),
    ("single best answer, wrong", {1}, {2}, 0, 1),
    ("single best answer, two picked", {1, 2}, {2}, 0, 1),
    ("single best answer, nothing picked", set(), {2}, 0, 1),
    ("choose 3 of 8, all right", {0, 3, 5}, {0, 3, 5}, 12, 12),
    ("choose 3 of 8, two right", {0, 3, 6}, {0, 3, 5}, 8, 12),
    ("choose 3 of 8, none right", {1, 2, 4}, {0, 3, 5}, 0, 12),
    ("choose 3 of 8, only two picked", {0, 3}, {0, 3, 5}, 8, 12),
    ("choose 3 of 8, four picked scores 0", {0, 3, 5, 6}, {0, 3, 5}, 0, 12),
]


@pytest.mark.parametrize(("name", "picked", "correct", "points", "maximum"), CHOICE_CASES)
def test_score_choice(
    name: str, picked: set[int], correct: set[int], points: int, maximum: int
) -> None:
    assert score_choice(picked, correct) == Score(points, maximum)


def test_choice_needs_a_correct_option() -> None:
    with pytest.raises(ValueError):
        score_choice({0}, set())


QUALITY_CASES = [
    (1.0, 5), (19 / 20, 4), (16 / 20, 4), (12 / 15, 4), (15 / 20, 3), (12 / 20, 3),
    (3 / 5, 3), (11 / 20, 2), (8 / 20, 2), (7 / 20, 1), (1 / 20, 1), (0.0, 0),
]  # fmt: skip


@pytest.mark.parametrize(("fraction", "expected"), QUALITY_CASES)
def test_quality(fraction: float, expected: int) -> None:
    assert quality(fraction) == expected


def test_score_fraction_and_text() -> None:
    score = score_rank([1, 0, 2, 3, 4])
    assert score.fraction == 0.9
    assert str(score) == "18 / 20"
    assert quality(score_rank([4, 3, 2, 1, 0]).fraction) == 2
