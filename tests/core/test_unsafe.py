"""Unsafe options: which answers choose one, the grade they cap, and how they are logged."""

from __future__ import annotations

from datetime import date
from itertools import permutations

import pytest

from quiz.core.model import Card, Option
from quiz.core.progress import MemoryStore, Response, response_from_dict, response_to_dict
from quiz.core.responses import scenario_response, unsafe_chosen
from quiz.core.scoring import (
    UNSAFE_CAP,
    Score,
    capped_quality,
    quality,
    score_choice,
    score_rank,
    unsafe_picked,
    unsafe_ranked,
)
from quiz.core.session import Session

TODAY = date(2026, 12, 7)


def rank_card(unsafe: tuple[int, ...] = (3, 4)) -> Card:
    options = tuple(Option(f"option {i}", unsafe=i in unsafe) for i in range(5))
    return Card("d", "r", "rank", question="Rank", options=options)


def choose_three() -> Card:
    options = tuple(
        Option(f"option {i}", correct=i < 3, unsafe=i == 4, id=f"o{i}") for i in range(6)
    )
    return Card("d", "c", "choice", question="Choose three", options=options)


def test_the_score_is_never_changed_only_the_grade() -> None:
    for placed in permutations(range(5)):
        score = score_rank(placed)
        unsafe = bool(unsafe_ranked(placed, {3, 4}))
        assert score == score_rank(placed)  # the points stand whatever the cap
        graded = capped_quality(score.fraction, unsafe)
        assert graded == (
            min(quality(score.fraction), UNSAFE_CAP) if unsafe else quality(score.fraction)
        )


@pytest.mark.parametrize(
    ("placed", "capped_by"),
    [
        ((0, 1, 2, 3, 4), ()),
        ((3, 0, 1, 2, 4), (3,)),  # ranked first
        ((0, 4, 1, 2, 3), (4,)),  # ranked second
        ((4, 3, 0, 1, 2), (4, 3)),
        ((0, 1, 3, 4, 2), ()),  # third and fourth: no cap
    ],
)
def test_an_unsafe_option_ranked_first_or_second(
    placed: tuple[int, ...], capped_by: tuple[int, ...]
) -> None:
    assert unsafe_ranked(placed, {3, 4}) == capped_by
    assert unsafe_chosen(rank_card(), placed) == capped_by


def test_ranked_first_a_near_miss_still_scores_but_is_graded_again() -> None:
    score = score_rank((3, 0, 1, 2, 4))
    assert (score.points, score.maximum) == (14, 20)
    assert quality(score.fraction) == 3
    assert capped_quality(score.fraction, True) == 1


def test_an_unsafe_option_picked() -> None:
    card = choose_three()
    assert unsafe_picked({0, 1, 4}, card.unsafe_indexes) == (4,)
    assert unsafe_picked({0, 1, 2}, card.unsafe_indexes) == ()
    score = score_choice({0, 1, 4}, card.correct_indexes)
    assert score == Score(8, 12)  # 0.67: Hard without the cap
    assert capped_quality(score.fraction, True) == 1
    assert capped_quality(0.0, True) == 0  # a lower grade stays lower


@pytest.mark.parametrize(("scheme", "label"), [("anki", "Again"), ("supermemo", "Wrong")])
def test_the_session_suggests_at_most_again(scheme: str, label: str) -> None:
    session = Session([], MemoryStore(), TODAY)
    assert session.suggest(Score(20, 20), scheme).quality == 5
    capped = session.suggest(Score(20, 20), scheme, unsafe=True)
    assert (capped.quality, capped.label) == (1, label)


def test_the_response_names_the_unsafe_options_and_keeps_the_points() -> None:
    card = choose_three()
    response = scenario_response(card, [4, 0, 1], score_choice({0, 1, 4}, card.correct_indexes))
    assert response == Response(card.digest, ("o0", "o1", "o4"), 8, 12, ("o4",))
    assert response_to_dict(response)["u"] == ["o4"]
    assert response_from_dict(response_to_dict(response)) == response
    safe = scenario_response(card, [0, 1, 2], Score(12, 12))
    assert "u" not in response_to_dict(safe)  # older readers see the same entry as before
    assert response_from_dict(response_to_dict(safe)).unsafe == ()


def test_unsafe_is_not_part_of_the_digest() -> None:
    """Marking an option unsafe changes the grade, never the points: logged answers stay
    answers to the same version of the question."""
    assert rank_card(()).digest == rank_card((3, 4)).digest
