"""Item analysis: figures worked by hand on a tiny class, and a simulated class of 45."""

from __future__ import annotations

import math
import random

import pytest

from quiz.core.question_analysis import Answer, Question, analyse, analyse_item, rest_scores, thirds

# Five students, three questions.
#   A: choice, options a (keyed), b, c; 1 point.   picks a, a, a, b, c  -> 1, 1, 1, 0, 0
#   B: choice, options x (keyed), y; 1 point.      picks x, y, x, y, y  -> 1, 0, 1, 0, 0
#   C: rank of #1 #2 #3 (ideal order); 6 points (marks 2 - |place - ideal| each).
#      placed (ideal index at each place):
#        S1 [0,1,2] -> 2+2+2 = 6   (1)
#        S2 [1,0,2] -> 1+1+2 = 4   (2/3)
#        S3 [0,2,1] -> 2+1+1 = 4   (2/3)
#        S4 [2,1,0] -> 0+2+0 = 2   (1/3)
#        S5 [1,2,0] -> 1+1+0 = 2   (1/3)
A = Question("A", "choice", ("a", "b", "c"), frozenset({"a"}))
B = Question("B", "choice", ("x", "y"), frozenset({"x"}))
C = Question("C", "rank", ("#1", "#2", "#3"))
RANKS = [(0, 1, 2), (1, 0, 2), (0, 2, 1), (2, 1, 0), (1, 2, 0)]
POINTS_C = [6, 4, 4, 2, 2]
PICKS_A = ["a", "a", "a", "b", "c"]
PICKS_B = ["x", "y", "x", "y", "y"]


def _class() -> list[dict[str, Answer]]:
    students = []
    for s in range(5):
        students.append(
            {
                "A": Answer((PICKS_A[s],), int(PICKS_A[s] == "a"), 1),
                "B": Answer((PICKS_B[s],), int(PICKS_B[s] == "x"), 1),
                "C": Answer(tuple(f"#{i + 1}" for i in RANKS[s]), POINTS_C[s], 6),
            }
        )
    return students


def test_facility_is_the_mean_fraction() -> None:
    figures = {f.card: f for f in analyse([A, B, C], _class())}
    # A: 3/5; B: 2/5; C: (1 + 2/3 + 2/3 + 1/3 + 1/3) / 5 = 3/5
    assert figures["A"].facility == pytest.approx(0.6)
    assert figures["B"].facility == pytest.approx(0.4)
    assert figures["C"].facility == pytest.approx(0.6)
    assert [figures[c].n for c in "ABC"] == [5, 5, 5]


def test_corrected_item_total_correlation_by_hand() -> None:
    # Rest score for A: mean of B and C.
    #   S1 (1 + 1)/2 = 1;  S2 (0 + 2/3)/2 = 1/3;  S3 (1 + 2/3)/2 = 5/6;  S4, S5 (0 + 1/3)/2 = 1/6
    # x = 1 1 1 0 0 (mean .6), 6y = 6 2 5 1 1 (mean 3; r does not change with the scale)
    # dx = .4 .4 .4 -.6 -.6, dy = 3 -1 2 -2 -2
    # Sxy = 1.2 - .4 + .8 + 1.2 + 1.2 = 4;  Sxx = 3(.16) + 2(.36) = 1.2;  Syy = 9+1+4+4+4 = 22
    # r = 4 / sqrt(1.2 * 22) = 0.7785
    rests = rest_scores(_class(), "A")
    assert [p[1] for p in rests if p] == pytest.approx([1, 1 / 3, 5 / 6, 1 / 6, 1 / 6])
    figures = analyse_item(A, _class())
    assert figures.discrimination == pytest.approx(4 / math.sqrt(26.4))
    assert figures.discrimination == pytest.approx(0.7785, abs=1e-4)
    assert figures.paired == 5


def test_thirds_and_option_shares_by_hand() -> None:
    # Five students with a rest score: thirds of 5 // 3 = 1. On A, the top is S1 (rest 1), the
    # bottom S4 (rest 1/6, tied with S5: the earlier student comes first).
    assert thirds(_class(), "A") == ([3], [0])
    figures = analyse_item(A, _class())
    shares: dict[str, object] = {
        o.name: (o.keyed, o.share, o.top, o.bottom) for o in figures.options
    }
    # overall a 3/5, b 1/5, c 1/5; the top third (S1) chose a, the bottom (S4) b
    assert shares == {
        "a": (True, pytest.approx(0.6), 1.0, 0.0),
        "b": (False, pytest.approx(0.2), 0.0, 1.0),
        "c": (False, pytest.approx(0.2), 0.0, 0.0),
    }
    assert figures.thirds == 1


def test_mean_places_of_a_rank_by_hand() -> None:
    # Place given to #1: 1, 2, 1, 3, 3 -> 2.0; #2: 2, 1, 3, 2, 1 -> 1.8; #3: 3, 3, 2, 1, 2 -> 2.2
    figures = analyse_item(C, _class())
    places: dict[str, object] = {o.name: (o.ideal_place, o.mean_place) for o in figures.options}
    assert places == {
        "#1": (1, pytest.approx(2.0)),
        "#2": (2, pytest.approx(1.8)),
        "#3": (3, pytest.approx(2.2)),
    }


def test_a_student_with_no_other_answer_counts_for_facility_only() -> None:
    students = [*_class(), {"A": Answer(("a",), 1, 1)}]
    figures = analyse_item(A, students)
    assert (figures.n, figures.paired) == (6, 5)
    assert figures.facility == pytest.approx(4 / 6)
    assert figures.discrimination == pytest.approx(0.7785, abs=1e-4)


def test_no_correlation_without_variation() -> None:
    students = [{"A": Answer(("a",), 1, 1), "B": Answer(("x",), s % 2, 1)} for s in range(6)]
    figures = analyse_item(A, students)
    assert figures.discrimination is None
    assert figures.flags == ("too easy",)


# --- a simulated class ---

OPTIONS = ("#1", "#2", "#3", "#4")
GOOD = [f"good{i}" for i in range(6)]


def _p(ability: float, difficulty: float) -> float:
    return 1 / (1 + math.exp(-2.5 * (ability - difficulty)))


def simulated_class(
    seed: int = 13, size: int = 45
) -> tuple[list[Question], list[dict[str, Answer]]]:
    """Six good questions (#1 right, chosen more the abler the student), a mis-keyed one (the
    deck keys #2, the answer weak students pick; the able pick #1), and an ambiguous one (#1
    keyed, but able students split between #1 and #2)."""
    rng = random.Random(seed)
    questions = [Question(c, "choice", OPTIONS, frozenset({"#1"})) for c in GOOD]
    questions.append(Question("miskeyed", "choice", OPTIONS, frozenset({"#2"})))
    questions.append(Question("ambiguous", "choice", OPTIONS, frozenset({"#1"})))
    difficulties = [-0.6, -0.3, 0.0, 0.0, 0.3, 0.6]
    students = []
    for _ in range(size):
        ability = rng.uniform(-2, 2)
        answers: dict[str, Answer] = {}
        for card, difficulty in zip(GOOD, difficulties, strict=True):
            pick = "#1" if rng.random() < _p(ability, difficulty) else rng.choice(OPTIONS[1:])
            answers[card] = Answer((pick,), int(pick == "#1"), 1)
        pick = "#1" if rng.random() < _p(ability, 0.0) else "#2"
        answers["miskeyed"] = Answer((pick,), int(pick == "#2"), 1)
        able = rng.random() < _p(ability, 0.0)
        pick = rng.choice(("#1", "#2") if able else OPTIONS)
        answers["ambiguous"] = Answer((pick,), int(pick == "#1"), 1)
        students.append(answers)
    return questions, students


def test_simulated_class_flags_the_miskeyed_and_ambiguous_questions_only() -> None:
    questions, students = simulated_class()
    figures = analyse(questions, students)
    by_card = {f.card: f for f in figures}
    miskeyed = by_card["miskeyed"]
    assert miskeyed.discrimination is not None and miskeyed.discrimination < 0
    assert "negative discrimination" in miskeyed.flags
    assert figures[0].card == "miskeyed"  # worst first
    ambiguous = by_card["ambiguous"]
    assert any(f.startswith("distractor #2") for f in ambiguous.flags)
    for card in GOOD:
        assert by_card[card].flags == (), (card, by_card[card])
        assert (by_card[card].discrimination or 0) >= 0.2
    assert {f.card for f in figures[:2]} == {"miskeyed", "ambiguous"}


@pytest.mark.parametrize("seed", range(5))
def test_the_miskeyed_question_is_negative_for_other_classes_too(seed: int) -> None:
    questions, students = simulated_class(seed=100 + seed, size=60)
    miskeyed = next(f for f in analyse(questions, students) if f.card == "miskeyed")
    assert "negative discrimination" in miskeyed.flags
