"""The deck schema's checks, made by jsonschema-rs, with errors as data for the loader to word.

jsonschema-rs (a maintained validator written in Rust) does the validating, faster than the
hand-written interpreter this module once was.
This module exists for what the loader needs around it:

- errors as data: where (a JSON path), which keyword, which subschema, which value, and the
  missing or unknown member's name, one error per member; a failed `type` hides every other
  error of its subschema, so a wrong value gets one message;
- the subset: a keyword outside what deckcheck can put into words is refused when the schema
  is compiled, so the schema file cannot silently ask for something no message explains;
- the same meaning as the rest of quiz: `\\s` and `\\S` in patterns are Python's whitespace
  (`str.isspace`, as `str.strip` and the other checks use; ECMA-262 differs on U+001C-U+001F,
  U+0085 and U+FEFF), and format "date" is a real calendar date that `datetime.date` reads.
  Patterns otherwise follow ECMA-262: `$` is the end of the text, not before a final newline;
- what jsonschema-rs cannot take (text holding half of a surrogate pair, nesting deeper than
  about 255 levels): a copy is checked instead (see `_Clean`), and the errors name the
  original's members and values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import jsonschema_rs

from quiz.deckfile.jsonpos import JsonPath

Schema = Mapping[str, Any]

ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "examples", "default", "deprecated"}
)
ASSERTIONS = frozenset(
    {"$ref", "$defs", "type", "properties", "required", "additionalProperties", "const", "enum"}
    | {"minLength", "pattern", "format", "items", "minItems", "allOf", "if", "then", "else"}
)
_SUBSCHEMA = ("items", "if", "then", "else")
_SUBSCHEMAS = ("properties", "$defs")
_SPACE = (
    "\\t-\\r\\u001c-\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
)
"""Python's whitespace (every character whose `isspace()` is true) as a regex class body."""
_TOKEN = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|.", re.DOTALL)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_DEEP = 64


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One failed keyword.

    `path` is where the failing value is; for `required` and `additionalProperties` it is the
    object, and `name` is the missing or unknown member.
    """

    path: JsonPath
    keyword: str
    schema: Schema
    value: object
    name: str = ""


def json_type(value: object) -> str:
    """The JSON type name of a parsed value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def is_date(value: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD."""
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def python_spaces(pattern: str) -> str:
    """A pattern with `\\s` and `\\S` (outside a [...] class) meaning Python's whitespace."""
    out: list[str] = []
    for token in _TOKEN.findall(pattern):
        if token in ("\\s", "\\S"):
            out.append(("[" if token == "\\s" else "[^") + _SPACE + "]")
        elif token.startswith("[") and ("\\s" in token or "\\S" in token):
            raise ValueError(f"\\s inside a [...] class is not supported: {pattern!r}")
        else:
            out.append(token)
    return "".join(out)


def _subset(node: object, where: str) -> Any:
    """The schema for jsonschema-rs, refusing what deckcheck cannot word."""
    if not isinstance(node, Mapping):
        raise ValueError(f"{where}: a subschema must be an object")
    unknown = set(node) - ASSERTIONS - ANNOTATIONS
    if unknown:
        raise ValueError(f"schema keyword(s) not supported: {sorted(unknown)}")
    if not str(node.get("$ref", "#/$defs/")).startswith("#/$defs/"):
        raise ValueError(f"unsupported $ref {node['$ref']!r}")
    if node.get("format", "date") != "date":
        raise ValueError(f"format {node['format']!r} not supported")
    if node.get("additionalProperties", True) not in (True, False):
        raise ValueError("additionalProperties must be true or false here")
    out = dict(node)
    if node.get("additionalProperties") is False and "properties" not in node:
        out["properties"] = {}  # else jsonschema-rs reports no names
    if "pattern" in node:
        out["pattern"] = python_spaces(node["pattern"])
    for key in _SUBSCHEMA:
        if key in node:
            out[key] = _subset(node[key], f"{where}/{key}")
    for key in _SUBSCHEMAS:
        if key in node:
            out[key] = {k: _subset(v, f"{where}/{key}/{k}") for k, v in node[key].items()}
    if "allOf" in node:
        out["allOf"] = [_subset(v, f"{where}/allOf/{i}") for i, v in enumerate(node["allOf"])]
    return out


class Validator:
    """A compiled schema; `errors(instance)` lists every failed keyword."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._rs = jsonschema_rs.Draft202012Validator(
            _subset(schema, "#"),
            formats={"date": is_date},
            validate_formats=True,
            mask="(value)",  # no message shows a value: writing a whole deck into one is slow
        )

    def is_valid(self, instance: object) -> bool:
        """True when the instance passes the schema."""
        try:
            return self._rs.is_valid(instance)
        except ValueError:  # a lone surrogate, or deep nesting: check a copy
            return self._rs.is_valid(_Clean(instance).value)

    def errors(self, instance: object) -> list[SchemaError]:
        """Every failed keyword (a failed `type` hides the rest of its subschema)."""
        clean = None
        try:
            found = list(self._rs.iter_errors(instance))
        except ValueError:  # a lone surrogate, or deep nesting: check a copy
            clean = _Clean(instance)
            found = list(self._rs.iter_errors(clean.value))
        failed = {
            (tuple(e.instance_path), tuple(e.evaluation_path[:-1]))
            for e in found
            if e.kind.name == "type"
        }
        out: list[SchemaError] = []
        for error in found:
            keyword, where, trail = (
                error.kind.name,
                tuple(error.instance_path),
                tuple(error.evaluation_path),
            )
            own = len(trail) - 1 if keyword == "type" else len(trail)
            if failed and any(
                (where[:j], trail[:k]) in failed for k in range(own) for j in range(len(where) + 1)
            ):
                continue
            names: list[str] = [""]
            if keyword == "required":
                names = [error.kind.value]
            elif keyword == "additionalProperties":
                names = list(error.kind.value)
            path: JsonPath = where
            if clean is not None:
                path, names = clean.restore(where), [clean.original(where, n) for n in names]
            value: Any = instance
            for step in path:
                value = value[step]
            node: Any = self.schema
            for step in error.schema_path[:-1]:
                node = node[step]
            out.extend(SchemaError(path, keyword, node, value, name) for name in names)
        return out


class _Clean:
    """A copy of a value that jsonschema-rs can take, and the way back to the original's names.

    Lone surrogates become U+FFFD, which is as long, as far from blank, a slug or a date (in a
    member name, a unique stand-in, mapped back in `original`); a list or object nested
    deeper than `_DEEP` levels becomes an empty one (jsonschema-rs stops at about 255 levels
    when it returns an error; the deck schema looks 6 levels down).
    """

    def __init__(self, value: object) -> None:
        self.renamed: dict[int, dict[str, str]] = {}  # id of a copied object: stand-in: name
        self.value = self._copy(value, 0)

    def _copy(self, value: object, depth: int) -> object:
        if isinstance(value, str):
            return value if value.isascii() else _SURROGATE.sub("\ufffd", value)
        if isinstance(value, list):
            return [self._copy(item, depth + 1) for item in value] if depth < _DEEP else []
        if not isinstance(value, dict) or depth >= _DEEP:
            return {} if isinstance(value, dict) else value
        out: dict[str, object] = {}
        names: dict[str, str] = {}
        for key, member in value.items():
            stand_in = key
            if _SURROGATE.search(key):
                stand_in = _SURROGATE.sub("\ufffd", key)
                while stand_in in value or stand_in in out:
                    stand_in += "\ufffd"
                names[stand_in] = key
            out[stand_in] = self._copy(member, depth + 1)
        self.renamed[id(out)] = names
        return out

    def restore(self, path: JsonPath) -> JsonPath:
        """The original's path for a path in the copy."""
        return tuple(
            self.original(path[:i], step) if isinstance(step, str) else step
            for i, step in enumerate(path)
        )

    def original(self, path: JsonPath, name: str) -> str:
        """The original name of a member of the copy's object at `path`."""
        node: Any = self.value
        for step in path:
            node = node[step]
        return self.renamed.get(id(node), {}).get(name, name)
