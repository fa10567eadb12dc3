"""Where things are in a JSON text: lines and columns, worked out only when there is a problem.

Parsing is done by the standard library's C scanner, which knows no positions. When a deck has
problems, `locate` walks the text again down exactly the paths that need a position, skipping
everything else at C speed, and `scan` walks the whole text token by token (iteratively, so no
nesting depth can overflow the stack) for the rare problems the C scanner cannot place: duplicate
keys, NaN/Infinity, numbers too long to read, nesting too deep.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

JsonPath = tuple[str | int, ...]
"""Where a value sits in a document: object keys and array indexes from the root."""

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
        (?P<string>"[^"\\]*(?:\\.[^"\\]*)*")
      | (?P<punct>[{}\[\]:,])
      | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)
      | (?P<word>true|false|null|NaN|Infinity|-Infinity)
    )""",
    re.VERBOSE | re.DOTALL,
)
_SCAN_ONCE: Callable[[str, int], tuple[object, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]

MAX_NUMBER_LENGTH = 100
"""Longest number literal accepted (Python refuses to read integers of over 4300 digits)."""


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of `offset` in `text`."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class LineIndex:
    """Lines and columns of offsets in any order, in one text: its line starts found once.

    `line_col` counts the lines before its offset each time: for the thousands of findings of
    a large deck (30,000 cards without a source) that is quadratic, minutes instead of a
    fraction of a second.
    """

    def __init__(self, text: str) -> None:
        self._length = len(text)
        self._starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def line_col(self, offset: int) -> tuple[int, int]:
        """`line_col(text, offset)`."""
        offset = max(0, min(offset, self._length))
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


class LineCounter:
    """Line numbers of increasing offsets, counting each stretch of text once."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def line(self, offset: int) -> int:
        """The 1-based line of `offset`; offsets must not decrease between calls."""
        if offset < self._offset:
            return line_col(self._text, offset)[0]
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line


@dataclass(frozen=True, slots=True)
class Spot:
    """Offsets of a value and, for an object member, of its key."""

    value: int
    key: int | None = None


def _decode_key(raw: str) -> str:
    if "\\" not in raw:
        return raw[1:-1]
    key = json.loads(raw)
    return key if isinstance(key, str) else raw


class _Found(Exception):
    """Every target has been found: stop walking."""


class _Locator:
    def __init__(self, text: str, targets: Iterable[JsonPath]) -> None:
        self.text = text
        self.targets = set(targets)
        self.prefixes = {path[:k] for path in self.targets for k in range(len(path))}
        self.found: dict[JsonPath, Spot] = {}

    def ws(self, i: int) -> int:
        match = _WS.match(self.text, i)
        return match.end() if match else i

    def record(self, path: JsonPath, value: int, key: int | None) -> None:
        if path in self.targets and path not in self.found:
            self.found[path] = Spot(value, key)
            if len(self.found) == len(self.targets):
                raise _Found

    def value(self, i: int, path: JsonPath, key: int | None) -> int:
        """Walk the value at `i`; return the offset just after it."""
        text = self.text
        i = self.ws(i)
        self.record(path, i, key)
        if path not in self.prefixes or text[i] not in "{[":
            return skip_value(text, i)
        if text[i] == "{":
            i = self.ws(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                match = _STRING.match(text, i)
                if match is None:
                    raise ValueError("expected a key")
                name = _decode_key(match.group())
                i = self.ws(match.end()) + 1  # past ':'
                i = self.ws(self.value(i, (*path, name), match.start()))
                i += 1
                if text[i - 1] == "}":
                    return i
                i = self.ws(i)
        i = self.ws(i + 1)
        if text[i] == "]":
            return i + 1
        index = 0
        while True:
            i = self.ws(self.value(i, (*path, index), None))
            i += 1
            if text[i - 1] == "]":
                return i
            index += 1


def locate(text: str, targets: Iterable[JsonPath]) -> dict[JsonPath, Spot]:
    """Offsets of the values at `targets` in a valid JSON `text`.

    Only the paths leading to a target are walked; everything else is skipped by the C scanner.
    A target that is not in the text is left out of the result.
    """
    locator = _Locator(text, targets)
    if locator.targets:
        try:
            locator.value(0, (), None)
        except _Found:
            pass
        except (ValueError, IndexError):
            pass  # not valid JSON after all: return what was found
    return locator.found


def skip_value(text: str, i: int) -> int:
    """The offset just after the JSON value starting at `i` (no leading whitespace)."""
    try:
        return int(_SCAN_ONCE(text, i)[1])
    except StopIteration:
        raise ValueError("not JSON") from None
    except RecursionError:
        pass
    depth = 0
    pos = i
    while True:
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ValueError("not JSON")
        pos = match.end()
        punct = match.group("punct")
        if punct in ("{", "["):
            depth += 1
        elif punct in ("}", "]"):
            depth -= 1
        if depth == 0:
            return pos


def string_offset(text: str, start: int, index: int) -> int:
    """Offset in `text` of character `index` of the decoded JSON string literal at `start`."""
    pos = start + 1
    for _ in range(index):
        if text.startswith("\\u", pos):
            high = int(text[pos + 2 : pos + 6], 16)
            pair = 0xD800 <= high < 0xDC00 and text.startswith("\\u", pos + 6)
            pos += 12 if pair and 0xDC00 <= int(text[pos + 8 : pos + 12], 16) < 0xE000 else 6
        elif text.startswith("\\", pos):
            pos += 2
        else:
            pos += 1
    return pos


@dataclass(slots=True)
class ScanReport:
    """What a full token-by-token walk of a JSON text found."""

    duplicates: list[tuple[JsonPath, str, int]] = field(default_factory=list)
    """(path of the object, repeated key, offset of the repeat) for each repeated key."""
    too_deep: int | None = None
    """Offset of the first bracket nested deeper than the limit."""
    bad_token: tuple[str, int] | None = None
    """The first NaN/Infinity or overlong number, and its offset."""


def scan(text: str, *, max_depth: int) -> ScanReport:
    """Walk a JSON text iteratively; stop at nesting deeper than `max_depth` or a bad token.

    The text is assumed to be valid JSON up to the first problem; a walk stops quietly where it
    cannot go on.
    """
    report = ScanReport()
    # Per open container: its path, whether it is an object, the keys seen, the next index.
    paths: list[JsonPath] = []
    is_object: list[bool] = []
    keys: list[set[str]] = []
    indexes: list[int] = []
    expect_key = False
    member: str | int | None = None
    pos = 0
    while True:
        match = _TOKEN.match(text, pos)
        if match is None:
            return report
        pos = match.end()
        kind = match.lastgroup
        if kind == "string" and expect_key:
            name = _decode_key(match.group("string"))
            if name in keys[-1]:
                report.duplicates.append((paths[-1], name, match.start("string")))
            keys[-1].add(name)
            member = name
            expect_key = False
        elif kind == "punct":
            punct = match.group("punct")
            if punct in "{[":
                if len(paths) >= max_depth:
                    report.too_deep = match.start("punct")
                    return report
                where = "" if member is None else member
                parent: JsonPath = (*paths[-1], where) if paths else ()
                paths.append(parent)
                is_object.append(punct == "{")
                keys.append(set())
                indexes.append(0)
                expect_key = punct == "{"
                member = 0 if punct == "[" else None
            elif punct in "}]":
                for stack in (paths, is_object, keys, indexes):
                    stack.pop()
                expect_key = False
                member = indexes[-1] if indexes and not is_object[-1] else member
            elif punct == ",":
                if is_object and is_object[-1]:
                    expect_key = True
                elif indexes:
                    indexes[-1] += 1
                    member = indexes[-1]
        elif kind == "number" and _overlong_int(match.group("number")):
            report.bad_token = (match.group("number"), match.start("number"))
            return report
        elif kind == "word" and match.group("word") in ("NaN", "Infinity", "-Infinity"):
            report.bad_token = (match.group("word"), match.start("word"))
            return report


def _overlong_int(number: str) -> bool:
    return len(number) > MAX_NUMBER_LENGTH and not any(c in number for c in ".eE")
