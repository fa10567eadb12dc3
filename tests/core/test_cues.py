"""The item-writing checks of scenario questions (quiz.core.cues), one rule at a time."""

from __future__ import annotations

import pytest

from quiz.core import cues
from quiz.core.model import Card, Option


def rank(*texts: str, whys: dict[int, str] | None = None, explanation: str | None = None) -> Card:
    whys = whys or {}
    options = tuple(Option(text, why=whys.get(i)) for i, text in enumerate(texts))
    return Card("d", "r", "rank", scenario="s", options=options, explanation=explanation)


def choice(*texts: str, correct: tuple[int, ...] = (0,), scenario: str | None = "s") -> Card:
    options = tuple(Option(text, correct=i in correct) for i, text in enumerate(texts))
    return Card("d", "c", "choice", scenario=scenario, options=options)


@pytest.mark.parametrize(
    ("card", "kind"),
    [
        (rank("a", "b", "c"), "rank"),
        (choice("a", "b", "c", correct=(0, 1)), "choose-k"),
        (choice("a", "b"), "scenario-sba"),
        (choice("a", "b", scenario=None), None),  # a knowledge SBA is no SJT item
        (Card("d", "b", "basic", front="f", back="b"), None),
    ],
)
def test_which_cards_are_sjt_items(card: Card, kind: str | None) -> None:
    assert cues.sjt_kind(card) == kind


def test_length_folds_runs_of_whitespace() -> None:
    assert cues.length("  Call   the\n registrar ") == len("Call the registrar")


@pytest.mark.parametrize(
    ("card", "cue"),
    [
        (rank("Call the registrar now", "Ask", "Wait"), True),
        (rank("Call them", "Call them", "Wait"), True),  # a tie for the longest counts
        (rank("Call", "Ask the nurse", "Wait"), False),
        (choice("Check consent first", "Tell", "Go"), True),
        (choice("Check", "Tell her the results", "Go"), False),
    ],
)
def test_the_length_cue(card: Card, cue: bool) -> None:
    assert cues.longest_keyed(card) is cue


def test_choose_k_counts_keyed_picks_among_the_k_longest() -> None:
    card = choice("long keyed one", "short", "longer keyed one", "mid one", correct=(0, 1))
    assert cues.among_longest(card) == 1  # "long keyed one" is; "short" is not


@pytest.mark.parametrize(
    ("lengths", "tau"),
    [
        ([50, 40, 30, 20, 10], 1.0),  # longer options keyed higher
        ([10, 20, 30, 40, 50], -1.0),
        ([30, 30, 30, 30, 30], None),
    ],
)
def test_kendall_tau_b_of_length_against_the_key(lengths: list[int], tau: float | None) -> None:
    card = rank(*("x" * n for n in lengths))
    assert cues.length_tau(card) == tau


def test_kendall_tau_b_with_ties() -> None:
    # x has a tie: pairs (1,2),(1,3),(2,3) -> concordant 2, one tie in x; tau-b = 2 / sqrt(3*2)
    assert cues.kendall_tau_b([1, 2, 2], [1, 2, 3]) == pytest.approx(2 / 6**0.5)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Decline if it is not safe", ("if",)),
        ("Go along with it unless she objects", ("unless",)),
        ("Sign it as long as   the notes agree", ("as long as",)),
        ("Escalate only after the ward round", ("only after",)),
        ("Act depending on the results", ("depending on",)),
        ("Once he is stable, tell the family", ("once",)),
        ("Call the consultant in case of doubt", ("in case",)),
        ("Sign it provided it is countersigned", ("provided",)),
        ("Write the shift rota", ()),  # "shift" holds "if" but not as a word
        ("Explain the difference", ()),
    ],
)
def test_conditions(text: str, found: tuple[str, ...]) -> None:
    assert cues.conditions(text) == found


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Call the registrar.", 1),
        ("Call the registrar and ask for help.", 2),
        ("Call the registrar, and document it.", 2),
        ("Examine her; then call the registrar.", 3),
        ("Hold the dose or ring the lab.", 2),
        ("Call the registrar and the consultant.", 1),  # "and" joins nouns, not actions
    ],
)
def test_actions(text: str, count: int) -> None:
    assert cues.actions(text) == count


def test_a_compound_key_does_more_than_every_other_option() -> None:
    assert cues.compound_keyed(rank("Examine her and call the registrar", "Wait", "Go")) == (0,)
    # "and" before a word that is no action verb joins no action
    assert cues.compound_keyed(rank("Examine her and call him", "Stand by and watch", "Go")) == (0,)
    # a distractor of two steps too: no longer compound
    assert cues.compound_keyed(rank("Examine her and call him", "Wait and see", "Go")) == ()
    card = choice("Stop and check", "Check", "Ask", "Go", correct=(0, 1))
    assert cues.compound_keyed(card) == (0,)


@pytest.mark.parametrize(
    ("last", "phrase"),
    [
        ("Say nothing and carry on", "say nothing"),
        ("Sign it as instructed", "as instructed"),
        ("Ignore the remark", "ignore"),
        ("It is not your place to comment", "not your place"),
        ("Accept the consultant's decision", "accept"),
        ("Report it to the lead", None),
    ],
)
def test_the_passive_last_option(last: str, phrase: str | None) -> None:
    assert cues.passive_last(rank("Call", "Ask", last)) == phrase


def test_an_option_placing_itself_against_the_key() -> None:
    card = rank(
        "Call the registrar",
        "Ask the nurse",
        "Wait",
        whys={1: "It ranks first: the nurse knows her.", 2: "Patient safety comes first."},
    )
    [claim] = cues.orders_against_key(card)
    assert (claim.option, claim.stated) == (1, "ranks first")
    assert cues.orders_against_key(rank("a", "b", "c", whys={2: "This comes last."})) == []


def test_comparisons_against_the_key_in_whys_and_the_explanation() -> None:
    options = ("Call the registrar now", "Ask the ward nurse", "Document the event")
    wrong = rank(
        *options,
        whys={2: "It ranks above asking the ward nurse."},
        explanation="Asking the nurse sits just above calling the registrar.",
    )
    claims = cues.orders_against_key(wrong)
    assert [(c.option, c.stated) for c in claims] == [
        (2, "ranks above asking the ward nurse"),
        (None, "sits just above calling the registrar"),
    ]
    right = rank(
        *options,
        whys={1: "It ranks below calling the registrar."},
        explanation="Calling the registrar comes before documenting the event.",
    )
    assert cues.orders_against_key(right) == []


def test_near_duplicate_scenarios() -> None:
    def sba(scenario: str) -> Card:
        return Card("d", "c", "choice", scenario=scenario, options=(Option("a", True),))

    cards = [
        sba("A relative phones asking for her father's scan results."),
        sba("A relative phones the ward asking for her father's scan results."),
        sba("A nurse reports that a patient fell out of bed overnight."),
    ]
    assert [(i, j) for i, j, _ in cues.near_duplicates(cards)] == [(0, 1)]


def test_figures_and_the_collection_targets() -> None:
    cards = [
        rank("Call the registrar now", "Ask", "Say nothing"),
        rank("Call", "Ask the nurse now", "Say nothing"),
        choice("Check the notes first", "Tell", "Go"),
    ]
    figures = cues.figures(cards)
    assert (figures.rank, figures.rank_longest, figures.passive_last) == (2, 1, 2)
    assert (figures.sba, figures.sba_longest) == (1, 1)
    missed = cues.over_targets(figures)
    assert len(missed) == 3
    assert missed[0].startswith("1 of 2 rank items (50%) key their longest option first")
    assert cues.over_targets(cues.figures(cards[1:2])) == [
        "1 of 1 rank items (100%) end with the passive option (say nothing, do as told); "
        "keep it under 50%"
    ]
