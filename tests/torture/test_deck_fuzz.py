"""Deck fuzzing: whatever the bytes, `load_deck` gives a deck or a `DeckError` whose every
finding points inside the file; never another exception, a RecursionError or a hang.

tests/deckfile/test_deck_positions.py already throws 300 character-level mutations of one deck
and 300
random byte strings at the loader. Here: thousands more, built with structure (arbitrary JSON
values; deck-shaped documents with every field right, wrong, missing or unknown; token soups),
positions checked against the text, pathological nesting of every shape, and decks at and far
beyond the size limit, through the loader and through `quiz validate`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from quiz.core.model import Deck
from quiz.deckfile.deck import MAX_BYTES, DeckError, load_deck, load_decks, parse_deck

from .conftest import ROOT


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )


def outcome(data: str | bytes) -> Deck | DeckError:
    """Parse; a DeckError is returned after checking every finding lies inside the text."""
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    lines = text.split("\n")
    try:
        return parse_deck(data, "fuzz.json")
    except DeckError as error:
        assert error.errors and (error.line, error.column) == (
            error.errors[0].line,
            error.errors[0].column,
        )
        for finding in error.errors:
            assert 1 <= finding.line <= len(lines), (finding, len(lines))
            assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, finding
            assert finding.message and "\n" not in finding.message
            assert str(finding).startswith(f"fuzz.json:{finding.line}:{finding.column}: ")
        return error


def check_deck(deck: Deck) -> None:
    items = deck.items()
    assert len({item.key for item in items}) == len(items)  # progress keys never collide
    for card in deck.cards:
        assert card.items(), card  # every valid card can be studied


# --- generated documents ---

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=15,
)


@fuzz(1000)
@given(json_values)
def test_any_json_value(value: object) -> None:
    outcome(json.dumps(value))


texts = st.text(max_size=30) | st.sampled_from(["", " ", "[bold]x[/]", "\u202eabc", "a\x00b"])
wrong = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | texts
    | st.lists(st.integers(), max_size=3)
    | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
)
"""Values of the wrong kind for a field, lighter to make than any JSON value."""
slugs = st.text("az09-", min_size=1, max_size=6) | st.sampled_from(["", "A", "a b", "é", "a/b"])
cloze_texts = st.sampled_from(
    ["{{c1::a}} and {{c2::b::hint}}", "{{c1::}}", "{{c1::a", "no deletion", "{{c0::a}}",
     "{{c99999999999999999999::a}}", "{{c1::a}}{{c1::b}}", "{{c1::{{c2::a}}}}", "{{c1:::}}"]
) | texts  # fmt: skip


class Fields:
    """Draws a document's fields: all right in a clean document; in a faulty one, each field
    is now and then of the wrong kind, or missing."""

    def __init__(self, draw: st.DrawFn, faulty: bool) -> None:
        self.draw = draw
        self.faulty = faulty

    def text(self, prefix: str) -> str:
        """Good text: never blank, otherwise any characters (markup, RTL, controls...)."""
        return prefix + self.draw(st.text(max_size=12))

    def fill(
        self, target: dict[str, object], fields: list[tuple[str, object, st.SearchStrategy[Any]]]
    ) -> None:
        for name, good, bad in fields:
            choice = self.draw(st.integers(0, 11)) if self.faulty else 0
            if choice < 10:
                target[name] = good
            elif choice == 10:
                target[name] = self.draw(bad)
            # else: left out

    def options(self, kind: str) -> list[object]:
        low = 0 if self.faulty else (2 if kind == "choice" else 3)
        result: list[object] = []
        for index in range(self.draw(st.integers(low, 6))):
            option: dict[str, object] = {}
            fields: list[tuple[str, object, st.SearchStrategy[Any]]] = [
                ("text", self.text(f"option {index} "), texts | st.integers()),
                ("why", self.text("because "), texts | st.lists(st.integers(), max_size=2)),
            ]
            if kind == "choice":
                fields.append(("correct", index == 0, st.sampled_from([None, 1, "yes"])))
            self.fill(option, fields)
            result.append(option)
        return result

    def card(self, number: int) -> dict[str, object]:
        kinds = ["basic", "cloze", "choice", "rank"] + (["other"] if self.faulty else [])
        kind = self.draw(st.sampled_from(kinds))
        card: dict[str, object] = {}
        fields: list[tuple[str, object, st.SearchStrategy[Any]]] = [
            ("id", f"c{number}", slugs),
            ("type", kind, st.sampled_from(["Basic", "", 3, None])),
            ("tags", ["t"], st.lists(texts, max_size=3) | texts),
        ]
        if kind in ("basic", "other"):
            fields += [
                ("front", self.text("F"), texts),
                ("back", self.text("B"), texts),
                ("reverse", self.draw(st.booleans()), wrong),
            ]
        if kind in ("cloze", "other"):
            fields += [("text", self.text("{{c1::x}} {{c2::y::hint}} "), cloze_texts)]
        if kind in ("choice", "rank", "other"):
            fields += [
                ("scenario", self.text("On the ward "), texts | st.integers()),
                ("question", self.text("What now? "), texts),
                ("options", self.options(kind), wrong),
            ]
        fields += [("explanation", self.text("why "), texts), ("source", "s", texts)]
        self.fill(card, fields)
        if self.faulty and self.draw(st.integers(0, 14)) == 0:
            card[self.draw(st.text(max_size=8))] = self.draw(wrong)  # an unknown field
        return card


@st.composite
def deck_texts(draw: st.DrawFn) -> tuple[bool, str]:
    """(faulty, text): a third of the documents are clean decks, the rest have faults."""
    faulty = draw(st.integers(0, 2)) > 0
    fields = Fields(draw, faulty)
    cards = [fields.card(n) for n in range(draw(st.integers(0 if faulty else 1, 5)))]
    if faulty and len(cards) >= 2 and draw(st.booleans()):
        cards[1]["id"] = cards[0].get("id")  # a repeated card id
    deck: dict[str, object] = {}
    fields.fill(deck, [
        ("format", 1, st.sampled_from([2, 0, "1", 1.5, True, None])),
        ("id", "deck", slugs),
        ("title", fields.text("Title "), texts),
        ("description", fields.text("About "), texts),
        ("authors", ["A"], st.lists(texts, max_size=2) | texts),
        ("tags", ["t"], st.lists(texts, max_size=2)),
        ("review_by", "2027-09-01", st.sampled_from(["2027-13-01", "2027-02-30", "tomorrow"])),
        ("cards", cards, wrong),
    ])  # fmt: skip
    indent = draw(st.sampled_from([None, 1, 2, "\t"]))
    return faulty, json.dumps(deck, indent=indent, ensure_ascii=draw(st.booleans()))


@fuzz(500)  # each one is many draws: slower to make than to check
@given(deck_texts())
def test_deck_shaped_documents(case: tuple[bool, str]) -> None:
    faulty, text = case
    result = outcome(text)
    event("loaded" if isinstance(result, Deck) else "refused")
    if not faulty:
        assert isinstance(result, Deck), result  # a clean deck always loads
    if isinstance(result, Deck):
        check_deck(result)


TOKENS = [b"{", b"}", b"[", b"]", b",", b":", b'"', b'"id"', b'"cards"', b'"type"', b'"basic"',
          b'"front"', b'"x"', b"1", b"-0.5e9", b"true", b"null", b"NaN", b" ", b"\n", b"\r\n",
          b"\\", b"\\u00", b"\xef\xbb\xbf", b"\xc3", b"\xa9", b"\x00", b"/*", b"//"]  # fmt: skip


@fuzz(2000)
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map(b"".join))
def test_token_soup(data: bytes) -> None:
    outcome(data)


# --- nesting ---

DEEP = 10_000


@pytest.mark.parametrize(
    "text",
    [
        "[" * DEEP,
        "[" * DEEP + "]" * DEEP,
        '{"a":' * DEEP + "1" + "}" * DEEP,
        '{"a":' * DEEP,
        '{"format": 1, "id": "d", "title": "T", "cards": ' + "[" * DEEP + "]" * DEEP + "}",
        '{"format": 1, "id": "d", "title": "T", "cards": [{"id": "c", "type": "basic", '
        '"front": ' + '{"x": [' * DEEP + "]}" * DEEP + ', "back": "B"}]}',
        "[" * 100_000 + "]" * 100_000,
        '["' + "\\" * 100_001 + '"]',
        "[" * DEEP + "1,]" + "]" * (DEEP - 1),
    ],
    ids=[
        "open arrays",
        "arrays",
        "objects",
        "open objects",
        "in cards",
        "in a card's front",
        "100k arrays",
        "100k backslashes",
        "trailing comma deep down",
    ],
)
def test_deep_nesting_is_a_clear_error(text: str) -> None:
    error = outcome(text)
    assert isinstance(error, DeckError)


def test_deep_deck_among_good_ones_is_skipped_alone(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * DEEP + "]" * DEEP)
    (tmp_path / "good.json").write_text(
        '{"format": 1, "id": "good", "title": "T", '
        '"cards": [{"id": "c", "type": "basic", "front": "F", "back": "B"}]}'
    )
    decks, skipped = load_decks([tmp_path])
    assert [d.id for d in decks] == ["good"]
    assert [s.path.name for s in skipped] == ["deep.json"]


# --- size ---


def big_deck_text(min_bytes: int) -> tuple[str, int]:
    """A real deck (the bundled decks' cards, of every type, under unique ids) of at least
    `min_bytes`; and its card count."""
    cards = []
    for path in sorted((ROOT / "decks").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for card in document["cards"]:
            renamed = {**card, "id": f"{{}}-{document['id']}-{card['id']}"}
            cards.append(json.dumps(renamed, indent=2, ensure_ascii=False))
    size = sum(len(card) for card in cards)
    rounds = -(-min_bytes // size)
    body = ",\n".join(card.replace("{}", f"r{n}", 1) for n in range(rounds) for card in cards)
    head = json.dumps({"format": 1, "id": "big", "title": "Every bundled card, many times"})[:-1]
    return f'{head}, "cards": [\n{body}\n]}}\n', rounds * len(cards)


def test_a_deck_just_under_the_limit_with_an_error_at_its_end(tmp_path: Path) -> None:
    text, count = big_deck_text(MAX_BYTES // 2)
    cut = text.rindex('"id": ')  # the last card loses its id
    text = text[:cut] + '"idd": ' + text[cut + len('"id": ') :]
    assert len(text.encode()) < MAX_BYTES
    path = tmp_path / "big.json"
    path.write_text(text)
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    line = text.count("\n", 0, cut) + 1
    assert any(finding.line == line for finding in caught.value.errors), caught.value.errors
    fixed = tmp_path / "fixed.json"
    fixed.write_text(text.replace('"idd": ', '"id": '))
    assert len(load_deck(fixed).cards) == count


def test_a_real_50_mb_deck_is_refused_by_validate(tmp_path: Path) -> None:
    text, _ = big_deck_text(50 * 1024 * 1024)
    path = tmp_path / "huge.json"
    path.write_text(text)
    done = subprocess.run(
        [sys.executable, "-m", "quiz", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr == "" or "Traceback" not in done.stderr
    output = done.stdout + done.stderr
    assert f"{path}:1:1: error: the file is too large (" in output
    assert "Traceback" not in output
