"""Scenario answers in the log: the card's digest, option names, the response and its line."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from typing import Any

import orjson
import pytest

from quiz.core.model import Card, Option
from quiz.core.progress import (
    CardState,
    LogEntry,
    MemoryStore,
    Response,
    entry_from_dict,
    entry_to_dict,
)
from quiz.core.responses import scenario_response
from quiz.core.scoring import score_choice, score_rank
from quiz.core.session import Session
from quiz.core.sm2 import Sm2State
from tests.core.helpers import basic

TODAY = date(2026, 11, 26)
T = "2026-11-26T10:00:00+00:00"

RANK = Card(
    "sjt",
    "discharge",
    "rank",
    scenario="A patient wants to self-discharge.",
    question="Rank these actions.",
    options=(
        Option("Assess capacity.", why="First.", id="capacity"),
        Option("Explain the risks."),
        Option("Inform your senior.", id="senior"),
        Option("Ask them to sign a form."),
        Option("Let them go.", id="let-go"),
    ),
)
CHOOSE_3 = Card(
    "sjt",
    "handover",
    "choice",
    question="Choose the three most appropriate actions.",
    options=tuple(Option(f"action {i}", correct=i in (1, 4, 6)) for i in range(8)),
)


# --- the digest ---


def test_digest_is_blake2b_of_the_canonical_content() -> None:
    """Other tools compute it too: this is the documented recipe, byte for byte."""
    card = Card(
        "d", "c", "choice", scenario="Ward — night", question="Q?",
        options=(Option("yes", True, "why", "yes"), Option("no")),
    )  # fmt: skip
    canonical = (
        '{"options":[{"correct":true,"text":"yes"},{"correct":false,"text":"no"}],'
        '"question":"Q?","scenario":"Ward — night","type":"choice"}'
    )
    expected = hashlib.blake2b(canonical.encode("utf-8")).hexdigest()[:16]
    assert card.digest == expected
    assert card.digest == "0665c6028c83e360"  # the same on every run and machine
    assert len(RANK.digest) == 16 and int(RANK.digest, 16) >= 0


FIRST, SECOND, *REST = RANK.options
WITH_IDS = tuple(replace(o, id=f"o{i}") for i, o in enumerate(RANK.options))
DIGEST_CASES: list[tuple[str, dict[str, Any], bool]] = [
    ("the scenario reworded", {"scenario": "A patient wants to leave."}, True),
    ("no scenario", {"scenario": None}, True),
    ("the question reworded", {"question": "Rank them."}, True),
    ("an option reworded", {"options": (Option("Assess their capacity."), SECOND, *REST)}, True),
    ("options reordered", {"options": (SECOND, FIRST, *REST)}, True),
    ("a why added", {"options": tuple(replace(o, why="w") for o in RANK.options)}, False),
    ("ids added", {"options": WITH_IDS}, False),
    ("tags, source, explanation", {"tags": ("x",), "source": "s", "explanation": "e"}, False),
    ("another deck and card id", {"deck_id": "other", "id": "other", "line": 12}, False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "change", "differs"), DIGEST_CASES, ids=[c[0] for c in DIGEST_CASES]
)
def test_digest_changes_with_what_scoring_depends_on(
    name: str, change: dict[str, Any], differs: bool
) -> None:
    assert (replace(RANK, **change).digest != RANK.digest) == differs, name


def test_digest_tells_a_choice_from_a_rank_and_a_right_option_from_a_wrong_one() -> None:
    marked = replace(
        CHOOSE_3, options=tuple(replace(o, correct=not o.correct) for o in CHOOSE_3.options)
    )
    assert marked.digest != CHOOSE_3.digest
    as_rank = replace(
        CHOOSE_3, type="rank", options=tuple(replace(o, correct=False) for o in CHOOSE_3.options)
    )
    unmarked = replace(CHOOSE_3, options=as_rank.options)
    assert as_rank.digest != unmarked.digest


# --- option names ---


def test_option_names_are_ids_or_places_in_the_file() -> None:
    assert [RANK.option_name(i) for i in range(5)] == ["capacity", "#2", "senior", "#4", "let-go"]
    assert [CHOOSE_3.option_name(i) for i in (0, 7)] == ["#1", "#8"]
    with pytest.raises(IndexError):
        RANK.option_name(5)
    with pytest.raises(IndexError):
        RANK.option_name(-1)


# --- the response ---


def test_a_ranking_names_the_options_in_the_order_placed() -> None:
    placed = [1, 0, 2, 4, 3]
    response = scenario_response(RANK, placed, score_rank(placed))
    assert response == Response(RANK.digest, ("#2", "capacity", "senior", "let-go", "#4"), 16, 20)


def test_a_choice_names_the_options_picked_in_file_order() -> None:
    picked = {6, 1, 3}
    response = scenario_response(CHOOSE_3, picked, score_choice(picked, CHOOSE_3.correct_indexes))
    assert response == Response(CHOOSE_3.digest, ("#2", "#4", "#7"), 8, 12)


@pytest.mark.parametrize(
    ("card", "chosen"),
    [(RANK, [0, 1, 2, 3]), (RANK, [0, 0, 1, 2, 3]), (CHOOSE_3, [8]), (basic("d", "b"), [0])],
)
def test_a_response_that_does_not_fit_the_card_is_refused(card: Card, chosen: list[int]) -> None:
    with pytest.raises(ValueError):
        scenario_response(card, chosen, score_rank([0, 1, 2]))


# --- in the session and the log ---


def test_a_session_logs_the_response_of_a_ranking_and_of_a_choose_3() -> None:
    store = MemoryStore()
    session = Session([*RANK.items(), *CHOOSE_3.items()], store, TODAY)
    placed = [4, 3, 2, 1, 0]
    rank_score = score_rank(placed)
    session.answer(1, time=T, response=scenario_response(RANK, placed, rank_score))
    picked = {1, 4, 6}
    choice_score = score_choice(picked, CHOOSE_3.correct_indexes)
    session.answer(5, time=T, response=scenario_response(CHOOSE_3, picked, choice_score))
    again = [0, 1, 2, 3, 4]  # the ranking graded Again comes back as a re-drill
    assert session.current == RANK.items()[0] and session.current_is_drill
    session.answer(5, time=T, response=scenario_response(RANK, again, score_rank(again)))
    assert [doc["r"] for doc in store.log] == [
        {"v": RANK.digest, "o": ["let-go", "#4", "senior", "#2", "capacity"], "p": 8, "m": 20},
        {"v": CHOOSE_3.digest, "o": ["#2", "#5", "#7"], "p": 12, "m": 12},
        {"v": RANK.digest, "o": ["capacity", "#2", "senior", "#4", "let-go"], "p": 20, "m": 20},
    ]
    entries = list(store.entries())
    assert [e.kind for e in entries] == ["review", "review", "drill"]
    assert entries[1].response == Response(CHOOSE_3.digest, ("#2", "#5", "#7"), 12, 12)


def test_a_flashcard_answer_has_no_response() -> None:
    store = MemoryStore()
    Session(basic("d", "b").items(), store, TODAY).answer(4, time=T)
    assert "r" not in store.log[0]
    assert next(store.entries()).response is None


LINE_BEFORE_RESPONSES = (
    b'{"id":1,"k":"sjt/discharge","kind":"review","d":"2026-11-02",'
    b'"t":"2026-11-02T09:15:00+00:00","b":{"n":0,"ef":250,"i":0},'
    b'"a":{"n":1,"ef":250,"i":1,"due":"2026-11-03","first":"2026-11-02","last":"2026-11-02"},'
    b'"q":4,"ms":23400}'
)
"""A scenario answer as quiz logged it before responses were (written by the code of then)."""


def test_a_line_from_before_responses_reads_as_before() -> None:
    doc = orjson.loads(LINE_BEFORE_RESPONSES)
    entry = entry_from_dict(doc)
    after = CardState.from_sm2(
        Sm2State(1, 2.5, 1, date(2026, 11, 3)), first=date(2026, 11, 2), last=date(2026, 11, 2)
    )
    assert entry == LogEntry(
        1, "sjt/discharge", "review", date(2026, 11, 2), "2026-11-02T09:15:00+00:00",
        CardState(), after, 4, 23400,
    )  # fmt: skip
    assert entry.response is None
    assert orjson.dumps(entry_to_dict(entry)) == LINE_BEFORE_RESPONSES


def test_a_response_goes_to_the_log_line_and_comes_back() -> None:
    entry = entry_from_dict(orjson.loads(LINE_BEFORE_RESPONSES))
    answered = replace(entry, response=Response("0123456789abcdef", ("a", "#2"), 3, 4))
    doc = orjson.loads(orjson.dumps(entry_to_dict(answered)))
    assert doc["r"] == {"v": "0123456789abcdef", "o": ["a", "#2"], "p": 3, "m": 4}
    assert entry_from_dict(doc) == answered


@pytest.mark.parametrize("bad", [{"v": "x", "o": "a", "p": 1, "m": 1}, {"v": "x", "o": []}])
def test_a_response_that_is_not_one_is_refused(bad: dict[str, Any]) -> None:
    doc = orjson.loads(LINE_BEFORE_RESPONSES) | {"r": bad}
    with pytest.raises((ValueError, KeyError, TypeError)):
        entry_from_dict(doc)
