"""Checking parsed deck data: the schema, the rules it cannot express, and each problem in words.

Problems are collected as `Issue`s (a JSON path and a message); only when there are some are the
paths turned into lines and columns (see `position`), so a clean deck costs no position work.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from quiz.core.images import alt_problem, find_images, path_problem
from quiz.core.model import CLOZE_RE, SLUG_PATTERN
from quiz.deckfile.findings import Finding, Severity
from quiz.deckfile.jsonpos import (
    JsonPath,
    LineCounter,
    LineIndex,
    line_col,
    locate,
    skip_value,
    string_offset,
)
from quiz.deckfile.schemalite import SchemaError, Validator, json_type

LINE_OF = "\x00line\x00"
"""Placeholder in a message for the line of an Issue's `related` path (never in shown text)."""

_CLOZE_START = re.compile(r"\{\{c(\d+)::")
MAX_CLOZE = 999
"""The largest cloze number: each number is a card of its own, and the deck's checks list
the numbers up to the largest."""
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BETWEEN = re.compile(r"[ \t\n\r,]*")


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem at a JSON path, not yet given a line and column."""

    path: JsonPath
    message: str
    at_key: bool = False
    """Point at the member's key rather than its value (an unknown or repeated field)."""
    inner: int | None = None
    """Point at this character of the string value."""
    related: JsonPath | None = None
    """A second place whose line replaces LINE_OF in the message."""
    offset: int | None = None
    """Already known offset in the text (overrides `path`)."""


@functools.cache
def schema_text() -> str:
    """The deck format's JSON Schema, as shipped in `quiz/schema/deck.schema.json`."""
    return resources.files("quiz").joinpath("schema/deck.schema.json").read_text("utf-8")


@functools.cache
def deck_schema() -> Mapping[str, Any]:
    """The deck format's JSON Schema, parsed."""
    schema: Mapping[str, Any] = json.loads(schema_text())
    return schema


@functools.cache
def validator() -> Validator:
    """The compiled deck schema."""
    return Validator(deck_schema())


# --- words ---


def show(value: object, limit: int = 60) -> str:
    """A short, safe rendering of a value from a deck, for a message."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 1] + "…"
        quoted = json.dumps(text, ensure_ascii=False)
        return quoted.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        shown = json.dumps(value)
        return shown if len(shown) <= limit else "a very long number"
    return "a list" if isinstance(value, list) else "an object"


_EXPECTED = {
    "string": "text",
    "boolean": "true or false",
    "array": "a list [...]",
    "object": "an object {...}",
    "integer": "a whole number",
    "number": "a number",
    "null": "null",
}
_ACTUAL = {
    "string": "text",
    "integer": "a number",
    "number": "a number",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


def _actual(value: object) -> str:
    if isinstance(value, bool):
        return json.dumps(value)
    return _ACTUAL[json_type(value)]


def card_label(card: object, index: int) -> str:
    """`card "id"` when the card has a usable id, else `card #N` (1-based)."""
    if isinstance(card, dict):
        card_id = card.get("id")
        if isinstance(card_id, str) and card_id.strip():
            return f"card {show(card_id, 40)}"
    return f"card #{index + 1}"


def _subject(data: object, path: JsonPath) -> tuple[str, JsonPath]:
    """Who a path belongs to (`deck`, `card "x"`, `card "x": option 2`) and the path left."""
    if len(path) >= 2 and path[0] == "cards" and isinstance(path[1], int):
        card = _get(data, path[:2])
        subject, rest = card_label(card, path[1]), path[2:]
        if len(rest) >= 2 and rest[0] == "options" and isinstance(rest[1], int):
            return f"{subject}: option {rest[1] + 1}", rest[2:]
        return subject, rest
    return "deck", path


def _get(data: object, path: JsonPath) -> object:
    for step in path:
        in_list = isinstance(step, int) and isinstance(data, list) and 0 <= step < len(data)
        in_object = isinstance(step, str) and isinstance(data, dict) and step in data
        if not (in_list or in_object):
            return None
        data = data[step]  # type: ignore[index]
    return data


def _field(rest: JsonPath) -> str:
    """How a member is named in a message: `"front"`, `tag 2`, `author 1`."""
    if not rest:
        return ""
    if len(rest) == 2 and isinstance(rest[1], int) and rest[0] in ("tags", "authors"):
        return f"{str(rest[0])[:-1]} {rest[1] + 1}"
    return ".".join(show(step) if isinstance(step, str) else f"[{step}]" for step in rest)


def _sentence(subject: str, field: str, predicate: str) -> str:
    if field:
        return f"{subject}: {field} {predicate}"
    return f"{'the deck' if subject == 'deck' else subject} {predicate}"


def _schema_issue(data: object, error: SchemaError) -> Issue:
    subject, rest = _subject(data, error.path)
    field = _field(rest)
    schema, value, keyword = error.schema, error.value, error.keyword
    if keyword == "required":
        return Issue(error.path, f"{subject}: missing {show(error.name)}")
    if keyword == "additionalProperties":
        return Issue((*error.path, error.name), _unknown_field(subject, schema, error.name), True)
    if keyword == "type":
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        expected = " or ".join(_EXPECTED[name] for name in types)
        if not error.path:
            expected = "a JSON object { ... }"
        return Issue(
            error.path, _sentence(subject, field, f"must be {expected}, not {_actual(value)}")
        )
    if keyword == "const" and rest == ("format",):
        message = f"must be 1, not {show(value)} (this version of quiz reads deck format 1)"
        return Issue(error.path, _sentence(subject, field, message))
    if keyword == "const":
        return Issue(error.path, _sentence(subject, field, f"must be {show(schema['const'])}"))
    if keyword == "enum" and rest == ("type",):
        allowed = ", ".join(schema["enum"][:-1]) + " or " + schema["enum"][-1]
        return Issue(error.path, f"{subject}: unknown card type {show(value)}: use {allowed}")
    if keyword == "enum":
        allowed = ", ".join(show(choice) for choice in schema["enum"])
        return Issue(error.path, _sentence(subject, field, f"must be one of {allowed}"))
    if keyword == "pattern" and schema.get("pattern") == SLUG_PATTERN:
        message = (
            "must be lowercase letters, digits and dashes, starting with a letter or digit "
            f'(like "heart-failure"), not {show(value)}'
        )
        return Issue(error.path, _sentence(subject, field, message))
    if keyword == "pattern" and rest and rest[0] == "tags":
        message = f"{show(value)} must be one word, without spaces"
        return Issue(error.path, _sentence(subject, field, message))
    if keyword in ("pattern", "minLength"):
        return Issue(error.path, _sentence(subject, field, "is empty"))
    if keyword == "format":
        message = f"must be a date like 2027-09-01 (year-month-day), not {show(value)}"
        return Issue(error.path, _sentence(subject, field, message))
    if keyword == "minItems" and rest == ("options",):
        kind = _get(data, (*error.path[:2], "type"))
        least = schema["minItems"]
        count = len(value) if isinstance(value, list) else 0
        message = f"a {kind} card needs at least {least} options, not {count}"
        return Issue(error.path, f"{subject}: {message}")
    if keyword == "minItems" and rest == ("cards",):
        return Issue(error.path, 'the deck has no cards: add at least one to "cards"')
    if keyword == "minItems":
        message = f"needs at least {schema['minItems']} items"
        return Issue(error.path, _sentence(subject, field, message))
    return Issue(error.path, _sentence(subject, field, f"is not allowed here ({keyword})"))


def _unknown_field(subject: str, schema: Mapping[str, Any], name: str) -> str:
    message = f"{subject}: unknown field {show(name)}"
    if name == "correct" and "correct" not in schema.get("properties", {}):
        return (
            f"{message}: a rank card has no correct option; list its options "
            "from most to least appropriate"
        )
    known = list(schema.get("properties", {}))
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"{message} (did you mean {show(close[0])}?)"
    card_type = schema.get("properties", {}).get("type", {}).get("const")
    if isinstance(card_type, str) and name in _ALL_CARD_FIELDS:
        return f"{message}: a {card_type} card has no {show(name)}"
    return message


_ALL_CARD_FIELDS = frozenset(
    {"front", "back", "reverse", "text", "scenario", "question", "options"}
)


# --- checks ---


def check(data: object, text: str) -> list[Issue]:
    """Every schema and semantic problem of parsed deck data (`text` is its source)."""
    seen: set[tuple[JsonPath, str]] = set()
    issues: list[Issue] = []
    for error in validator().errors(data):
        issue = _schema_issue(data, error)
        if (issue.path, issue.message) not in seen:
            seen.add((issue.path, issue.message))
            issues.append(issue)
    issues.extend(semantic(data))
    if _SURROGATE_ESCAPE.search(text):
        issues.extend(_surrogates(data, ()))
    return issues


def semantic(data: object) -> list[Issue]:
    """The rules the schema cannot express: unique card and option ids, cloze syntax, choice
    and rank."""
    issues: list[Issue] = []
    cards = data.get("cards") if isinstance(data, dict) else None
    if not isinstance(cards, list):
        return issues
    first_with: dict[str, int] = {}
    for index, card in enumerate(cards):
        if not isinstance(card, dict):
            continue
        card_id = card.get("id")
        if isinstance(card_id, str):
            if card_id in first_with:
                label = card_label(card, index)
                message = f"{label}: duplicate id: the card on line {LINE_OF} has it already"
                where = ("cards", first_with[card_id])
                issues.append(Issue(("cards", index, "id"), message, related=where))
            else:
                first_with[card_id] = index
        kind = card.get("type")
        if kind == "cloze" and isinstance(card.get("text"), str):
            found = _cloze(card["text"], ("cards", index, "text"), "\x00card\x00")
            if found:  # the label is made only for a card with something to say
                label = card_label(card, index)
                issues.extend(
                    replace(i, message=i.message.replace("\x00card\x00", label)) for i in found
                )
        options = card.get("options")
        if kind in ("choice", "rank") and isinstance(options, list):
            found = _options(kind, options, ("cards", index, "options"), "\x00card\x00")
            found += _option_ids(options, ("cards", index, "options"), "\x00card\x00")
            label = card_label(card, index)
            issues.extend(
                replace(i, message=i.message.replace("\x00card\x00", label)) for i in found
            )
        for path, value in text_fields(card, index):
            if "![" in value:
                issues.extend(_pictures(value, path, card_label(card, index)))
    return issues


TEXT_FIELDS = ("front", "back", "text", "scenario", "question", "explanation")
"""A card's fields that hold Markdown (an option's `text` and `why` do too)."""


def text_fields(card: Mapping[str, Any], index: int) -> Iterable[tuple[JsonPath, str]]:
    """Each Markdown string of a card (parsed JSON, at `cards[index]`), with its JSON path."""
    for name in TEXT_FIELDS:
        value = card.get(name)
        if isinstance(value, str):
            yield ("cards", index, name), value
    options = card.get("options")
    if isinstance(options, list):
        for number, option in enumerate(options):
            if isinstance(option, dict):
                for name in ("text", "why"):
                    value = option.get(name)
                    if isinstance(value, str):
                        yield ("cards", index, "options", number, name), value


def _pictures(text: str, path: JsonPath, label: str) -> list[Issue]:
    """A picture without alt text, or with a path that leaves the deck's folder."""
    issues: list[Issue] = []
    for ref in find_images(text):
        problem = alt_problem(ref.alt) or path_problem(ref.path)
        if problem:
            issues.append(Issue(path, f"{label}: {problem}", inner=ref.start))
    return issues


def _cloze(text: str, path: JsonPath, label: str) -> list[Issue]:
    issues: list[Issue] = []
    deletions = CLOZE_RE.findall(text)
    if (
        deletions
        and len(deletions) == text.count("{{c")
        and all(
            answer.strip() and 0 < len(number.lstrip("0")) <= len(str(MAX_CLOZE))
            for number, answer, _ in deletions
        )
    ):
        return issues  # the common case: every "{{c" starts a well-formed deletion
    found = False
    pos = text.find("{{c")
    while pos != -1:
        match = CLOZE_RE.match(text, pos)
        start = _CLOZE_START.match(text, pos)
        if match is None or start is None:
            if start is not None:
                message = f"{label}: cloze {{{{c{start.group(1)}:: is not closed: end it with }}}}"
            else:
                end = text.find("}}", pos, pos + 40)
                shown = show(text[pos : end + 2] if end != -1 else text[pos : pos + 12])
                message = f"{label}: {shown} is not a cloze deletion: write {{{{c1::answer}}}}"
            issues.append(Issue(path, message, inner=pos))
            pos = text.find("{{c", pos + 3)
            continue
        number, answer = match.group(1), match.group(2)
        nested = answer.find("{{c")
        if nested != -1:
            message = f"{label}: cloze {{{{c{number}:: is not closed before the next one starts"
            issues.append(Issue(path, message, inner=pos))
            pos = text.find("{{c", pos + 3)
            continue
        found = True
        if not answer.strip():
            message = (
                f"{label}: empty cloze {show(match.group(0))}: put the answer after {{{{c{number}::"
            )
            issues.append(Issue(path, message, inner=pos))
        digits = number.lstrip("0")
        if not digits:
            message = f"{label}: cloze numbers start at 1: {{{{c{number}:: should be {{{{c1::"
            issues.append(Issue(path, message, inner=pos))
        elif len(digits) > len(str(MAX_CLOZE)) or int(digits) > MAX_CLOZE:
            shown = number if len(number) <= 12 else f"{number[:6]}...{number[-3:]}"
            message = (
                f"{label}: cloze number c{shown} is larger than {MAX_CLOZE}, the most quiz takes"
            )
            issues.append(Issue(path, message, inner=pos))
        pos = text.find("{{c", match.end())
    if not found and not issues and text.strip():
        message = f"{label}: no cloze deletion: mark each answer like {{{{c1::answer}}}}"
        issues.append(Issue(path, message))
    return issues


UNSAFE_RANK_FROM = 4
"""The highest place (1-based) a rank card may key an unsafe option at."""


def _options(kind: str, options: list[Any], path: JsonPath, label: str) -> list[Issue]:
    issues = _unsafe(kind, options, path, label)
    if kind == "choice":
        for option in options:
            if isinstance(option, dict) and option.get("correct") is True:
                return issues
        if len(options) >= 2:
            issues.append(Issue(path, f'{label}: no option is marked "correct": true'))
        return issues
    texts = [option.get("text") if isinstance(option, dict) else None for option in options]
    keys = [" ".join(text.split()).casefold() if isinstance(text, str) else "" for text in texts]
    if len(set(keys)) == len(keys):
        return issues
    first_at: dict[str, int] = {}
    for index, (text, key) in enumerate(zip(texts, keys, strict=True)):
        if not key:
            continue
        if key in first_at:
            message = (
                f"{label}: option {index + 1} repeats option {first_at[key] + 1} ({show(text)})"
            )
            issues.append(Issue((*path, index, "text"), message))
        else:
            first_at[key] = index
    return issues


def _unsafe(kind: str, options: list[Any], path: JsonPath, label: str) -> list[Issue]:
    """A keyed answer may not be unsafe: a correct choice option, or a rank option keyed
    above fourth place (DESIGN section 3)."""
    issues: list[Issue] = []
    for index, option in enumerate(options):
        if not isinstance(option, dict) or option.get("unsafe") is not True:
            continue
        where = (*path, index, "unsafe")
        if kind == "choice" and option.get("correct") is True:
            message = (
                f"{label}: option {index + 1} is both correct and unsafe: a keyed answer may "
                "not be unsafe (unmark one)"
            )
            issues.append(Issue(where, message))
        elif kind == "rank" and index + 1 < UNSAFE_RANK_FROM:
            message = (
                f"{label}: option {index + 1} is unsafe but keyed in place {index + 1}: an unsafe "
                f"option is keyed in place {UNSAFE_RANK_FROM} or lower (move it down the list)"
            )
            issues.append(Issue(where, message))
    return issues


def _option_ids(options: list[Any], path: JsonPath, label: str) -> list[Issue]:
    """Each option id is unique within its card: a repeat is reported where it is."""
    issues: list[Issue] = []
    first_at: dict[str, int] = {}
    for index, option in enumerate(options):
        option_id = option.get("id") if isinstance(option, dict) else None
        if not isinstance(option_id, str):
            continue
        if option_id in first_at:
            first = first_at[option_id]
            message = (
                f"{label}: option {index + 1}: duplicate id {show(option_id)}: option "
                f"{first + 1} (line {LINE_OF}) has it already"
            )
            issues.append(Issue((*path, index, "id"), message, related=(*path, first)))
        else:
            first_at[option_id] = index
    return issues


def _surrogates(data: object, path: JsonPath) -> Iterable[Issue]:
    """Text holding half of a \\uD83D\\uDE00 pair cannot be shown or saved."""
    stack: list[tuple[object, JsonPath]] = [(data, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str) and _SURROGATE.search(value):
            subject, rest = _subject(data, where)
            message = (
                "holds a broken \\u escape (half of a surrogate pair): type the character itself"
            )
            yield Issue(where, _sentence(subject, _field(rest) or "text", message))
        elif isinstance(value, dict):
            for key, member in value.items():
                if _SURROGATE.search(key):
                    yield Issue((*where, key), "a field name holds a broken \\u escape", True)
                stack.append((member, (*where, key)))
        elif isinstance(value, list):
            stack.extend((member, (*where, i)) for i, member in enumerate(value))


# --- positions ---


FEW = 8
"""Up to this many findings, each is placed by counting lines; more, through a `LineIndex`."""


def position(
    issues: Iterable[Issue], text: str, shown: str, severity: Severity = "error"
) -> list[Finding]:
    """Findings for issues, with lines and columns, in the order they appear in the file."""
    issues = list(issues)
    paths = [issue.path for issue in issues if issue.offset is None]
    paths += [issue.related for issue in issues if issue.related is not None]
    targets = {path[:k] for path in paths for k in range(len(path) + 1)}
    spots = locate(text, targets)
    where = LineIndex(text).line_col if len(issues) > FEW else functools.partial(line_col, text)
    placed: list[tuple[int, Finding]] = []
    for issue in issues:
        offset = issue.offset
        if offset is None:
            offset = _offset(issue, text, spots)
        message = issue.message
        if issue.related is not None:
            related = spots.get(issue.related)
            message = message.replace(LINE_OF, str(where(related.value)[0] if related else "?"))
        line, column = where(offset)
        placed.append((offset, Finding(shown, line, column, severity, message)))
    placed.sort(key=lambda pair: pair[0])
    return [finding for _, finding in placed]


def _offset(issue: Issue, text: str, spots: Mapping[JsonPath, Any]) -> int:
    path = issue.path
    spot = spots.get(path)
    while spot is None and path:
        path = path[:-1]
        spot = spots.get(path)
    if spot is None:
        return 0
    if issue.at_key and spot.key is not None and path == issue.path:
        return int(spot.key)
    if issue.inner is not None and path == issue.path and text.startswith('"', spot.value):
        return string_offset(text, spot.value, issue.inner)
    return int(spot.value)


def card_lines(text: str, count: int) -> list[int]:
    """The line on which each of the deck's `count` cards starts (0 where not found)."""
    spot = locate(text, [("cards",)]).get(("cards",))
    lines: list[int] = []
    if spot is not None and text.startswith("[", spot.value):
        counter = LineCounter(text)
        pos = spot.value + 1
        try:
            for _ in range(count):
                pos = _BETWEEN.match(text, pos).end()  # type: ignore[union-attr]
                lines.append(counter.line(pos))
                pos = skip_value(text, pos)
        except (ValueError, IndexError):
            pass
    return lines + [0] * (count - len(lines))
