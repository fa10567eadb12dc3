"""Warnings of `validate --strict`: one case per rule, each at its line and column."""

from __future__ import annotations

from datetime import date

import pytest

from quiz.deckfile.deck import parse_deck_text, warnings
from tests.deckfile.deck_cases import deck

TODAY = date(2026, 11, 26)
SOURCE = '"source": "S"'
CLEAN = [
    '{"id": "a", "type": "basic", "front": "F", "back": "B", "source": "S"}',
    '{"id": "b", "type": "cloze", "text": "{{c1::x}} {{c2::y}}", "source": "S"}',
    '{"id": "c", "type": "choice", "question": "Q?", "explanation": "E", "source": "S", '
    '"options": [{"text": "x", "correct": true, "why": "w"}, {"text": "y", "why": "w"}]}',
    '{"id": "d", "type": "rank", "question": "Q?", "explanation": "E", "source": "S", "options": ['
    + ", ".join(f'{{"text": "{n}", "why": "w"}}' for n in range(5))
    + "]}",
]

CASES = [
    (
        "option without why",
        [CLEAN[2].replace(', "why": "w"}]', "}]")],
        [(6, '{"text": "y"}', 'card "c": option 2 has no "why"')],
    ),
    (
        "card without source",
        [CLEAN[0].replace(', "source": "S"', "")],
        [(6, "{", 'card "a": no "source"')],
    ),
    (
        "choice without explanation",
        [CLEAN[2].replace('"explanation": "E", ', "")],
        [(6, "{", 'card "c": no "explanation"')],
    ),
    (
        "rank without explanation",
        [CLEAN[3].replace('"explanation": "E", ', "")],
        [(6, "{", 'card "d": no "explanation"')],
    ),
    (
        "duplicate fronts",
        [CLEAN[0], CLEAN[0].replace('"a"', '"a2"').replace('"F"', '" f "')],
        [(7, '" f "', 'card "a2": same front as the card on line 6')],
    ),
    (
        "duplicate questions",
        [CLEAN[2], CLEAN[2].replace('"c"', '"c2"')],
        [(7, '"Q?"', 'card "c2": same question as the card on line 6')],
    ),
    (
        "same question, other scenario",
        [
            CLEAN[2],
            CLEAN[2].replace('"c"', '"c2"').replace('"question"', '"scenario": "S2", "question"'),
        ],
        [],
    ),
    (
        "very long front",
        [CLEAN[0].replace('"F"', '"' + "x" * 301 + '"')],
        [(6, '"xxx', 'card "a": the front is 301 characters long; keep it under 300')],
    ),
    (
        "cloze numbers with gaps",
        [CLEAN[1].replace("{{c2::y}}", "{{c3::y}} {{c5::z}}")],
        [(6, '"{{c1', 'card "b": cloze numbers skip c2, c4 (the text has c1, c3, c5)')],
    ),
    (
        "rank with four options",
        [CLEAN[3].replace(', {"text": "4", "why": "w"}', "")],
        [
            (
                6,
                '[{"text": "0"',
                'card "d": this rank card has 4 options; SJT ranking questions have 5',
            )
        ],
    ),
    (
        "every option correct",
        [CLEAN[2].replace('"y", "why"', '"y", "correct": true, "why"')],
        [(6, '[{"text": "x"', 'card "c": every option is correct')],
    ),
]


@pytest.mark.parametrize(("name", "cards", "expected"), CASES, ids=[case[0] for case in CASES])
def test_warning(name: str, cards: list[str], expected: list[tuple[int, str, str]]) -> None:
    loaded, text = parse_deck_text(deck(*cards), "w.json")
    found = warnings(loaded, text, TODAY)
    lines = text.split("\n")
    assert [(f.line, f.column) for f in found] == [
        (line, lines[line - 1].index(anchor) + 1) for line, anchor, _ in expected
    ]
    for finding, (_, _, message) in zip(found, expected, strict=True):
        assert finding.severity == "warning" and finding.path == "w.json"
        assert finding.message.startswith(message)
        assert str(finding).startswith(f"w.json:{finding.line}:{finding.column}: warning: ")


def test_a_clean_deck_has_no_warnings() -> None:
    loaded, text = parse_deck_text(deck(*CLEAN))
    assert warnings(loaded, text, TODAY) == []


@pytest.mark.parametrize(("review_by", "count"), [("2026-11-25", 1), ("2026-11-26", 0)])
def test_review_by_in_the_past(review_by: str, count: int) -> None:
    text = deck(*CLEAN).replace('"title": "T",', f'"title": "T",\n  "review_by": "{review_by}",')
    loaded, text = parse_deck_text(text, "r.json")
    found = warnings(loaded, text, TODAY)
    assert len(found) == count
    if count:
        assert str(found[0]) == (
            'r.json:5:16: warning: deck: "review_by" 2026-11-25 has passed: check the deck is '
            "still current, then set a new date"
        )
