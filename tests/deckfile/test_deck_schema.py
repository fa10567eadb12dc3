"""The deck JSON Schema: valid 2020-12, documented for editors, and checked the same way by
quiz's own fast interpreter and by the `jsonschema` library."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from quiz.deckfile.deckcheck import deck_schema, schema_text, validator
from quiz.deckfile.schemalite import Validator
from tests.deckfile.deck_cases import CASES

FIXTURES = Path(__file__).parents[1] / "fixtures" / "decks"
SCHEMA_FILE = Path(__file__).parents[2] / "quiz" / "schema" / "deck.schema.json"
LIBRARY = Draft202012Validator(deck_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)

DIVERGENT = {"card id ending in a newline"}
"""Cases where `jsonschema` is knowingly wrong: it runs patterns with Python's `re`, whose `$`
also matches before a final newline, so it takes "a\\n" for a slug. ECMA-262 (which JSON Schema
names) and quiz do not."""


def test_schema_is_valid_2020_12() -> None:
    assert deck_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(deck_schema())
    assert json.loads(SCHEMA_FILE.read_text("utf-8")) == json.loads(schema_text())


def _properties(node: object, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}/properties/{name}", sub
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{where}/{index}")


def test_every_property_has_a_title_and_a_description() -> None:
    found = list(_properties(deck_schema()))
    assert len(found) > 40
    lacking = [where for where, sub in found if "if" not in where and not (
        sub.get("title") and sub.get("description"))]  # fmt: skip
    assert lacking == []


def test_each_card_type_has_its_own_definition() -> None:
    defs = deck_schema()["$defs"]
    for card_type in ("basic", "cloze", "choice", "rank"):
        assert defs[card_type]["properties"]["type"]["const"] == card_type
        assert defs[card_type]["additionalProperties"] is False
    assert deck_schema()["additionalProperties"] is False


def _documents() -> Iterator[tuple[str, object]]:
    """Every fixture and case that is JSON, and one-value mutations of the valid fixtures."""
    texts = [(path.name, path.read_text("utf-8-sig")) for path in FIXTURES.glob("*/*.json")]
    texts += [(case.name, case.text) for case in CASES if case.name not in DIVERGENT]
    for name, text in texts:
        try:
            yield name, json.loads(text)
        except ValueError:
            continue  # not JSON: nothing for a schema to say
    replacements: list[object] = [
        None,
        0,
        1,
        1.5,
        True,
        "",
        " ",
        "x",
        "Bad Id",
        "2027-02-30",
        [],
        {},
    ]
    for path in sorted((FIXTURES / "valid").glob("*.json")):
        data = json.loads(path.read_text("utf-8-sig"))
        for where in _paths(data):
            for value in replacements:
                mutated = copy.deepcopy(data)
                _set(mutated, where, value)
                yield f"{path.name}:{where}={value!r}", mutated
            if where and isinstance(where[-1], str):
                mutated = copy.deepcopy(data)
                _delete(mutated, where)
                yield f"{path.name}:{where} removed", mutated


def _paths(data: object, where: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield where
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*where, index))


def _parent(data: Any, where: tuple[str | int, ...]) -> Any:
    for step in where[:-1]:
        data = data[step]
    return data


def _set(data: Any, where: tuple[str | int, ...], value: object) -> None:
    if where:
        _parent(data, where)[where[-1]] = value


def _delete(data: Any, where: tuple[str | int, ...]) -> None:
    del _parent(data, where)[where[-1]]


def test_quiz_and_jsonschema_agree_on_every_document() -> None:
    documents = list(_documents())
    verdicts = [LIBRARY.is_valid(document) for _, document in documents]
    assert len(documents) > 1000
    assert verdicts.count(True) > 50 and verdicts.count(False) > 500
    disagree = [
        name
        for (name, document), verdict in zip(documents, verdicts, strict=True)
        if validator().is_valid(document) != verdict
        or bool(validator().errors(document)) == verdict
    ]
    assert disagree == []


def test_divergent_cases_are_as_documented() -> None:
    for case in CASES:
        if case.name in DIVERGENT:
            data = json.loads(case.text)
            assert LIBRARY.is_valid(data) and not validator().is_valid(data)


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [("^a$", "a", True), ("^a$", "a\n", False), ("^[$]$", "$", True), ("\\$", "$", True)],
)
def test_patterns_follow_ecma_262(pattern: str, text: str, matches: bool) -> None:
    assert Validator({"pattern": pattern}).is_valid(text) is matches


@pytest.mark.parametrize(
    "schema",
    [{"anyOf": [{}]}, {"$ref": "other.json"}, {"format": "email"}, {"additionalProperties": {}}],
)
def test_keywords_outside_the_subset_are_refused(schema: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Validator(schema)


@pytest.mark.parametrize(
    ("value", "schema", "valid"),
    [
        (1.0, {"const": 1}, True),
        (True, {"const": 1}, False),
        (1, {"type": "integer"}, True),
        (1.0, {"type": "integer"}, True),
        (True, {"type": "integer"}, False),
        ("b", {"enum": ["a", "b"]}, True),
        (["b"], {"enum": ["a", "b"]}, False),
        ({"k": 1}, {"if": {"required": ["k"]}, "then": {"required": ["j"]}}, False),
        ({}, {"if": {"required": ["k"]}, "then": {"required": ["j"]}}, True),
    ],
)
def test_interpreter_keywords(value: object, schema: dict[str, Any], valid: bool) -> None:
    assert Validator(schema).is_valid(value) is valid
    assert Draft202012Validator(schema).is_valid(value) is valid
