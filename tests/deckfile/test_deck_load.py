"""Loading decks: valid ones load; a malformed one fails with each error at its line and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from quiz.deckfile.deck import (
    MAX_BYTES,
    DeckError,
    load_deck,
    load_decks,
    parse_deck,
)
from tests.deckfile.deck_cases import CASES, GOOD, Case, deck

FIXTURES = Path(__file__).parents[1] / "fixtures" / "decks"
VALID = sorted((FIXTURES / "valid").glob("*.json"))


def expected_lines(case: Case, path: str) -> list[str]:
    """Each expected error as `PATH:LINE:COL: error: MESSAGE` (the message may go on)."""
    lines = case.text.split("\n")
    out = []
    for line, where, message in case.expected:
        column = where if isinstance(where, int) else lines[line - 1].index(where) + 1
        out.append(f"{path}:{line}:{column}: error: {message}")
    return out


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_fixtures_load(path: Path) -> None:
    loaded = load_deck(path)
    assert loaded.cards and loaded.path == path


def test_design_example_in_full() -> None:
    loaded = load_deck(FIXTURES / "valid" / "design-example.json")
    assert (loaded.id, loaded.title, loaded.review_by) == ("mlcf", loaded.title, date(2027, 9, 1))
    assert loaded.tags == ("medical-leadership",) and loaded.authors == ("A. Teacher",)
    domains, cloze, choice, rank = loaded.cards
    assert (domains.type, domains.reverse, domains.tags, domains.line) == (
        "basic",
        True,
        ("mlcf",),
        10,
    )
    assert [item.key for item in cloze.items()] == [
        "mlcf/elements-improving~c1",
        "mlcf/elements-improving~c2",
    ]
    assert cloze.line == 12
    assert choice.correct_indexes == {0} and choice.scenario and choice.options[0].why
    assert [option.correct for option in rank.options] == [False, False, False]
    assert rank.line == 18


def test_option_ids_are_read_where_given() -> None:
    rank, choice = load_deck(FIXTURES / "valid" / "option-ids.json").cards
    ids = ["assess-capacity", "explain-risks", None, "form", "let-go"]
    assert [option.id for option in rank.options] == ids
    assert [rank.option_name(i) for i in range(5)] == [*ids[:2], "#3", *ids[3:]]
    assert [option.id for option in choice.options] == ["give", "hold-and-check"]
    design = load_deck(FIXTURES / "valid" / "design-example.json")
    assert all(o.id is None for card in design.cards for o in card.options)


def test_bom_is_accepted_and_positions_ignore_it() -> None:
    loaded = load_deck(FIXTURES / "valid" / "with-bom.json")
    assert loaded.cards[0].text.startswith("Café")
    data = (
        (FIXTURES / "valid" / "with-bom.json").read_bytes().replace(b'"format": 1', b'"format": 7')
    )
    with pytest.raises(DeckError) as caught:
        parse_deck(data, "bom.json")
    assert (caught.value.line, caught.value.column) == (1, 12)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_malformed_deck(case: Case) -> None:
    with pytest.raises(DeckError) as caught:
        parse_deck(case.text, "decks/bad.json")
    error = caught.value
    reported = str(error).splitlines()
    expected = expected_lines(case, "decks/bad.json")
    assert len(reported) == len(expected), reported
    for line, wanted in zip(reported, expected, strict=True):
        assert line.startswith(wanted), (line, wanted)
    first = error.errors[0]
    assert (error.path, error.line, error.column, error.message) == (
        first.path,
        first.line,
        first.column,
        first.message,
    )
    assert "Traceback" not in str(error) and "\\x" not in str(error)


def test_cases_cover_enough_ground() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


def test_every_error_in_a_file_is_reported() -> None:
    text = deck(
        '{"id": "a", "type": "basic", "front": "F"}',
        '{"id": "b", "type": "basic", "front": 1, "back": "B", "bakc": "x"}',
        '{"id": "a", "type": "cloze", "text": "no gaps"}',
        '{"id": "c", "type": "rank", "question": "Q?", "options": [{"text": "x"}, {"text": "x"}]}',
    ).replace('"format": 1', '"format": 2')
    with pytest.raises(DeckError) as caught:
        parse_deck(text, "many.json")
    assert [f"{e.line}:{e.column}" for e in caught.value.errors] == [
        "2:13", "6:5", "7:43", "7:59", "8:12", "8:42", "9:62", "9:87",
    ]  # fmt: skip
    assert [e.message for e in caught.value.errors] == [
        'deck: "format" must be 1, not 2 (this version of quiz reads deck format 1)',
        'card "a": missing "back"',
        'card "b": "front" must be text, not a number',
        'card "b": unknown field "bakc" (did you mean "back"?)',
        'card "a": duplicate id: the card on line 6 has it already',
        'card "a": no cloze deletion: mark each answer like {{c1::answer}}',
        'card "c": a rank card needs at least 3 options, not 2',
        'card "c": option 2 repeats option 1 ("x")',
    ]


def test_utf16_file_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "utf16.json"
    path.write_text(deck(GOOD), encoding="utf-16")
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    assert str(caught.value) == (
        f"{path}:1:1: error: the file is UTF-16 text; quiz reads UTF-8 only: save it as UTF-8"
    )


def test_utf16_without_bom_is_refused_clearly() -> None:
    with pytest.raises(DeckError, match="UTF-16"):
        parse_deck(deck(GOOD).encode("utf-16-le"))


def test_latin1_byte_gives_its_line_and_column() -> None:
    data = deck('{"id": "a", "type": "basic", "front": "Café", "back": "B"}').encode("latin-1")
    with pytest.raises(DeckError) as caught:
        parse_deck(data, "latin.json")
    error = caught.value
    assert (error.line, error.column) == (6, 47)
    assert error.message.startswith("the file is not UTF-8 text (byte 0xE9 here")


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    text = '{"format": 1, "tags": ' + "[" * 10_000 + "]" * 10_000 + "}"
    with pytest.raises(DeckError) as caught:
        parse_deck(text, "deep.json")
    assert str(caught.value) == (
        "deep.json:1:122: error: nested too deeply (more than 100 levels of [ and {); "
        "a deck needs 5"
    )


def test_nesting_the_parser_accepts_is_still_reported_by_position() -> None:
    text = deck('{"id": "a", "type": "basic", "front": ' + "[" * 500 + "]" * 500 + ', "back": "B"}')
    with pytest.raises(DeckError) as caught:
        parse_deck(text, "deep.json")
    assert str(caught.value) == 'deep.json:6:43: error: card "a": "front" must be text, not a list'


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NUL bytes, cheap to make
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    assert str(caught.value).startswith(f"{path}:1:1: error: the file is too large (50.0 MB;")
    with pytest.raises(DeckError, match="too large"):
        parse_deck(b" " * (MAX_BYTES + 1))


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing.json", "no such file"), (".", "this is a folder, not a deck file")],
)
def test_unreadable_paths(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(DeckError) as caught:
        load_deck(tmp_path / name)
    assert caught.value.message == message and caught.value.line == 1


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.json"
    path.write_text(deck(GOOD))
    real_open = open

    def denied(file: object, *args: Any, **kwargs: Any) -> Any:
        if file == path:  # as root, chmod 0 would not stop the read
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", denied)
    with pytest.raises(DeckError, match="permission denied"):
        load_deck(path)


def test_load_decks_skips_bad_and_taken_decks_and_loads_the_rest() -> None:
    decks, skipped = load_decks([FIXTURES / "mixed", FIXTURES / "valid" / "minimal.json"])
    assert [d.id for d in decks] == ["alpha", "beta", "min"]
    assert [s.path.name for s in skipped] == ["also-alpha.json", "broken.json"]
    taken, broken = skipped
    assert str(taken) == (
        f'{FIXTURES / "mixed" / "also-alpha.json"}:2:8: error: deck id "alpha" is already used '
        f"by {FIXTURES / 'mixed' / 'a.json'}; this deck was skipped"
    )
    assert broken.message == 'trailing comma before "}": remove this ","'
    assert broken.errors[0].line == 1


def test_load_decks_reports_a_missing_folder_and_goes_on(tmp_path: Path) -> None:
    decks, skipped = load_decks([tmp_path / "nowhere", FIXTURES / "valid"])
    assert len(decks) == len(VALID)
    assert [(s.path, s.message) for s in skipped] == [
        (tmp_path / "nowhere", "no such file or folder")
    ]


def test_load_decks_reads_a_folder_named_twice_once() -> None:
    decks, skipped = load_decks([FIXTURES / "valid", FIXTURES / "valid"])
    assert len(decks) == len(VALID) and not skipped


def test_a_big_deck_loads_with_card_lines() -> None:
    cards = [
        f'{{"id": "c{i}", "type": "basic", "front": "F{i}", "back": "B"}}' for i in range(3000)
    ]
    loaded = parse_deck(deck(*cards))
    assert len(loaded.cards) == 3000
    assert [card.line for card in loaded.cards[:2]] == [6, 7] and loaded.cards[-1].line == 3005
