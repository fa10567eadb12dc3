"""Panel agreement on a scenario key: Kendall's W, tau, choice shares, flags; figures by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quiz.core.agreement import (
    KEY_DIFFERS,
    LOW_AGREEMENT,
    TIED,
    Split,
    choice_agreement,
    kendall_tau,
    kendall_w,
    mean_places,
    rank_agreement,
)

# 3 panellists, 4 options (orders, best first):
#   P1: 0 1 2 3 -> places 1 2 3 4
#   P2: 0 1 3 2 -> places 1 2 4 3
#   P3: 1 0 2 3 -> places 2 1 3 4
# rank sums: 4, 5, 10, 11; their mean m (n + 1) / 2 = 7.5
# deviations -3.5, -2.5, 2.5, 3.5 -> S = 12.25 + 6.25 + 6.25 + 12.25 = 37
# W = 12 * 37 / (3^2 * (4^3 - 4)) = 444 / 540 = 37 / 45 = 0.8222...
THREE_BY_FOUR = [[0, 1, 2, 3], [0, 1, 3, 2], [1, 0, 2, 3]]


def test_kendall_w_worked_example() -> None:
    assert kendall_w(THREE_BY_FOUR, 4) == pytest.approx(37 / 45)


def test_kendall_w_identical_rankings_is_one() -> None:
    # every rank sum is m * place: S is the most it can be, W = 1
    assert kendall_w([[2, 0, 1, 3]] * 3, 4) == pytest.approx(1.0)


def test_kendall_w_opposite_rankings_is_zero() -> None:
    # 0 1 2 3 and 3 2 1 0: every rank sum is 1 + 4 = 5 = the mean, so S = 0 and W = 0
    assert kendall_w([[0, 1, 2, 3], [3, 2, 1, 0]], 4) == 0.0


def test_kendall_w_one_panellist_is_one() -> None:
    # one ranking: sums 1..n around (n + 1) / 2, S = (n^3 - n) / 12, W = 1
    assert kendall_w([[1, 0, 2]], 3) == pytest.approx(1.0)


@pytest.mark.parametrize("bad", [[[0, 0, 1]], [[0, 1]], []])
def test_kendall_w_rejects_bad_rankings(bad: list[list[int]]) -> None:
    with pytest.raises(ValueError):
        kendall_w(bad, 3)


def test_mean_places_worked_example() -> None:
    # rank sums 4, 5, 10, 11 over 3 panellists
    assert mean_places(THREE_BY_FOUR, 4) == [
        Fraction(4, 3),
        Fraction(5, 3),
        Fraction(10, 3),
        Fraction(11, 3),
    ]


def test_tau_identical_is_one() -> None:
    assert kendall_tau([0, 1, 2, 3], [0, 1, 2, 3]) == 1.0


def test_tau_reversed_is_minus_one() -> None:
    assert kendall_tau([0, 1, 2, 3], [3, 2, 1, 0]) == -1.0


def test_tau_one_adjacent_swap() -> None:
    # 6 pairs of 4 options; swapping 1 and 2 makes 1 pair discordant: (5 - 1) / 6 = 2/3
    assert kendall_tau([0, 1, 2, 3], [0, 2, 1, 3]) == pytest.approx(2 / 3)


def test_tau_first_and_last_swapped() -> None:
    # 0 1 2 3 against 3 1 2 0: discordant pairs (0,1) (0,2) (0,3) (1,3) (2,3) = 5,
    # concordant (1,2) = 1: (1 - 5) / 6 = -2/3
    assert kendall_tau([0, 1, 2, 3], [3, 1, 2, 0]) == pytest.approx(-2 / 3)


def test_rank_agreement_worked_example_agrees_with_the_author() -> None:
    found = rank_agreement(THREE_BY_FOUR, 4)
    assert found.consensus == (0, 1, 2, 3)
    assert found.tau == 1.0
    # adjacent pairs: 0 over 1 by 2 of 3, 1 over 2 by 3 of 3, 2 over 3 by 2 of 3: 2/3 is
    # outside 1/2 +- 1/10, so no splits
    assert found.splits == ()
    assert found.flags == ()


def test_rank_agreement_consensus_differs_from_the_author() -> None:
    # all three put option 1 first: places of 0 are 2, 2, 2; of 1: 1, 1, 1 -> consensus 1 0 2
    found = rank_agreement([[1, 0, 2], [1, 0, 2], [1, 0, 2]], 3)
    assert found.consensus == (1, 0, 2)
    # author 0 1 2 against 1 0 2: one discordant pair of 3 -> (2 - 1) / 3
    assert found.tau == pytest.approx(1 / 3)
    assert found.flags == (KEY_DIFFERS,)


def test_rank_agreement_tie_and_split() -> None:
    # 4 panellists, 3 options: 0 1 2, 1 0 2, 0 1 2, 1 0 2
    # places of 0: 1 2 1 2 (mean 3/2), of 1: 2 1 2 1 (3/2), of 2: 3 3 3 3 (3)
    # rank sums 6, 6, 12, mean 8: S = 4 + 4 + 16 = 24; W = 12 * 24 / (16 * 24) = 0.75
    orders = [[0, 1, 2], [1, 0, 2], [0, 1, 2], [1, 0, 2]]
    found = rank_agreement(orders, 3)
    assert found.w == pytest.approx(0.75)
    assert found.consensus == (0, 1, 2)  # the tie keeps file order
    assert found.ties == ((0, 1),)
    assert found.splits == (Split(0, 1, Fraction(1, 2)),)
    assert found.flags == (TIED,)


def test_rank_agreement_low() -> None:
    # 0 1 2 3 and 3 2 1 0: W = 0, and every mean place is 5/2: all four tied
    found = rank_agreement([[0, 1, 2, 3], [3, 2, 1, 0]], 4)
    assert found.w == 0.0
    assert found.flags == (LOW_AGREEMENT, TIED)


def test_single_best_answer_modal_share() -> None:
    # 3 panellists pick option 1, 1, 0 of 3: counts 1 2 0, modal 1 with 2/3 (not under 2/3)
    found = choice_agreement([{1}, {1}, {0}], 3, {1})
    assert found.counts == (1, 2, 0)
    assert found.shares == (Fraction(1, 3), Fraction(2, 3), Fraction(0))
    assert found.modal == 1
    assert found.modal_share == Fraction(2, 3)
    assert found.consensus == (1,)
    assert found.flags == ()


def test_single_best_answer_low_and_differs() -> None:
    # 4 panellists: 0, 1, 1, 2 -> modal 1 with 2/4 = 1/2 < 2/3; the author said 0
    found = choice_agreement([{0}, {1}, {1}, {2}], 3, {0})
    assert found.modal == 1
    assert found.modal_share == Fraction(1, 2)
    assert found.flags == (LOW_AGREEMENT, KEY_DIFFERS)


def test_single_best_answer_tie() -> None:
    # 2 panellists, one each for 0 and 2: counts 1 0 1, tie at the top; modal is 0 (file order)
    found = choice_agreement([{0}, {2}], 3, {0})
    assert found.modal == 0
    assert found.tied
    assert found.flags == (LOW_AGREEMENT, TIED)


def test_choose_k_consensus() -> None:
    # choose 2 of 4, key {0, 1}; picks {0,1} {0,2} {0,2}: counts 3 1 2 0
    # consensus: the 2 most picked, 0 (3/3) and 2 (2/3); weakest 2/3 is not low; differs
    found = choice_agreement([{0, 1}, {0, 2}, {0, 2}], 4, {0, 1})
    assert found.counts == (3, 1, 2, 0)
    assert found.consensus == (0, 2)
    assert found.weakest == Fraction(2, 3)
    assert found.flags == (KEY_DIFFERS,)


def test_choose_k_low_on_one_pick() -> None:
    # choose 2 of 3, key {0, 1}; picks {0,1} {0,2} {0,1} {0,2}: counts 4 2 2
    # consensus 0 (4/4) and 1 (2/4, tied with 2 at 2/4): low, tied, same as the key
    found = choice_agreement([{0, 1}, {0, 2}, {0, 1}, {0, 2}], 3, {0, 1})
    assert found.consensus == (0, 1)
    assert found.weakest == Fraction(1, 2)
    assert found.flags == (LOW_AGREEMENT, TIED)


def test_choice_rejects_wrong_number_of_picks() -> None:
    with pytest.raises(ValueError, match="must pick 2"):
        choice_agreement([{0}], 3, {0, 1})
