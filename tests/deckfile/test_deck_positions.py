"""Positions in JSON text, and the loader's promise: any bytes give a Deck or a DeckError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.deckfile.deck import DeckError, parse_deck
from quiz.deckfile.jsonpos import (
    LineIndex,
    Spot,
    line_col,
    locate,
    scan,
    skip_value,
    string_offset,
)

TEXT = '{\n  "a": [1, {"b": "x"}],\n  "c": {"d": null}\n}'
VALID = (
    Path(__file__).parents[1] / "fixtures" / "decks" / "valid" / "design-example.json"
).read_text()


def test_line_col() -> None:
    assert [line_col(TEXT, i) for i in (0, 2, 10)] == [(1, 1), (2, 1), (2, 9)]


@given(st.text(alphabet="a\n\r\u2028é", max_size=40))
def test_a_line_index_places_offsets_as_line_col_does(text: str) -> None:
    index = LineIndex(text)
    for offset in range(-2, len(text) + 3):
        assert index.line_col(offset) == line_col(text, offset)


def test_many_findings_are_placed_as_few_are() -> None:
    """Over `FEW` findings go through a LineIndex: the same lines and columns."""
    from quiz.deckfile import deckcheck

    issues = [deckcheck.Issue(("cards", i % 3, "front"), f"m{i}") for i in range(deckcheck.FEW)]
    few = deckcheck.position(issues, VALID, "x")
    many = deckcheck.position(issues * 3, VALID, "x")
    assert sorted(map(str, few * 3)) == sorted(map(str, many))


def test_locate_values_and_keys() -> None:
    spots = locate(TEXT, [("a", 1, "b"), ("c",), ("a",), ("nope",)])
    assert spots[("a", 1, "b")] == Spot(TEXT.index('"x"'), TEXT.index('"b"'))
    assert spots[("c",)] == Spot(TEXT.index('{"d"'), TEXT.index('"c"'))
    assert spots[("a",)].value == TEXT.index("[1")
    assert ("nope",) not in spots


def test_locate_keys_with_escapes() -> None:
    text = '{"\\u0061": 1, "b": 2}'
    assert locate(text, [("a",), ("b",)])[("b",)].value == text.index("2")


def test_string_offset_counts_escapes_and_pairs() -> None:
    text = '"\\"q\\" \\u00e9 \\ud83d\\ude00 {{c1::}}"'
    decoded = json.loads(text)
    index = decoded.index("{{c1")
    assert text[string_offset(text, 0, index) :].startswith("{{c1")


def test_scan_finds_duplicate_keys_with_their_paths() -> None:
    text = '{"cards": [{"id": "a", "id": "b"}, {"x": {"y": 1, "y": 2}}], "cards": []}'
    report = scan(text, max_depth=10)
    assert [(path, key) for path, key, _ in report.duplicates] == [
        (("cards", 0), "id"),
        (("cards", 1, "x"), "y"),
        ((), "cards"),
    ]
    assert [text[offset : offset + 4] for _, _, offset in report.duplicates] == [
        '"id"',
        '"y":',
        '"car',
    ]


def test_scan_stops_at_depth_and_bad_tokens() -> None:
    assert scan("[[[[1]]]]", max_depth=3).too_deep == 3
    assert scan('["NaN", -Infinity]', max_depth=9).bad_token == ("-Infinity", 8)
    assert scan("[" + "9" * 101 + "]", max_depth=9).bad_token == ("9" * 101, 1)
    assert scan("[" + "9" * 101 + ".5]", max_depth=9).bad_token is None


def test_skip_value_survives_any_depth() -> None:
    text = "[" * 50_000 + "]" * 50_000 + " tail"
    assert skip_value(text, 0) == 100_000


def _mutations() -> st.SearchStrategy[str]:
    """The valid deck with a few characters deleted, replaced or inserted."""

    @st.composite
    def mutate(draw: st.DrawFn) -> str:
        text = VALID
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(text)))
            insert = draw(
                st.sampled_from(['"', ",", "{", "}", "[", "]", ":", "", "x", "1", "\\", "\n", "é"])
            )
            cut = draw(st.integers(0, 3))
            text = text[:at] + insert + text[at + cut :]
        return text

    return mutate()


def _check_outcome(data: str | bytes) -> None:
    try:
        parse_deck(data, "f.json")
    except DeckError as exc:
        assert exc.errors
        for finding in exc.errors:
            assert finding.line >= 1 and finding.column >= 1 and finding.message
            assert "Traceback" not in finding.message and "\n" not in finding.message


@settings(max_examples=300, deadline=None)
@given(_mutations())
def test_mutated_decks_give_a_deck_or_a_deck_error(text: str) -> None:
    _check_outcome(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_deck_or_a_deck_error(data: bytes) -> None:
    _check_outcome(data)


@pytest.mark.parametrize(
    "data",
    [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"{" * 3000, b'"' + b"\\" * 3, b"[" * 999 + b"]" * 999],
)
def test_odd_inputs(data: bytes) -> None:
    _check_outcome(data)
