"""A small, fast interpreter of the subset of JSON Schema 2020-12 that the deck schema uses.

The schema is compiled once into closures. Validating a 10,000-card deck this way is many times
faster than a general validator, and the errors come back as data (where, which keyword, which
subschema) for the loader to put into words. A keyword outside the subset is refused when the
schema is compiled, so the schema file cannot silently ask for something this does not check.
Patterns follow ECMA-262 as the standard asks: `$` means the end of the text, not "before a
final newline" as in Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from quiz.core.jsonpos import JsonPath

Schema = Mapping[str, Any]
Check = Callable[[object, JsonPath, list["SchemaError"]], None]
"""Appends the errors of a value at a path to a list."""
Pred = Callable[[object], bool]
"""True when a value passes (the fast path: no paths, no errors built)."""

ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "examples", "default", "deprecated"}
)
ASSERTIONS = frozenset(
    {
        "$ref",
        "$defs",
        "type",
        "properties",
        "required",
        "additionalProperties",
        "const",
        "enum",
        "minLength",
        "pattern",
        "format",
        "items",
        "minItems",
        "allOf",
        "if",
        "then",
        "else",
    }
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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


def _is_integer(value: object) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


_TYPES: dict[str, Pred] = {
    "string": lambda value: isinstance(value, str),
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "integer": _is_integer,
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
}


def json_equal(a: object, b: object) -> bool:
    """Equality as JSON Schema means it: 1 == 1.0, but true != 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a schema pattern with `$` meaning the very end of the text."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append(r"\Z")
            continue
        out.append(char)
    return re.compile("".join(out))


def is_date(value: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD."""
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Compiled:
    """A schema node as two functions: a fast yes/no, and the errors."""

    pred: Pred
    check: Check


@dataclass(frozen=True, slots=True)
class _Members(Compiled):
    preds: dict[str, Pred]
    closed: bool


@dataclass(frozen=True, slots=True)
class _Required(Compiled):
    names: list[str]


def _all(preds: Sequence[Pred]) -> Pred:
    if not preds:
        return lambda value: True
    if len(preds) == 1:
        return preds[0]
    if len(preds) == 2:
        first, second = preds
        return lambda value: first(value) and second(value)

    def every(value: object) -> bool:
        return all(pred(value) for pred in preds)

    return every


class Validator:
    """A compiled schema; `errors(instance)` lists every failed keyword."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._refs: dict[str, Compiled | None] = {}
        self._root = self._compile(schema)

    def errors(self, instance: object) -> list[SchemaError]:
        """Every failed keyword, in document order (a failed `type` hides its siblings)."""
        out: list[SchemaError] = []
        self._root.check(instance, (), out)
        return out

    def is_valid(self, instance: object) -> bool:
        """True when the instance passes the schema."""
        return self._root.pred(instance)

    # --- compiling ---

    def _ref(self, ref: str) -> Compiled:
        prefix = "#/$defs/"
        name = ref[len(prefix) :]
        if not ref.startswith(prefix) or name not in self.schema.get("$defs", {}):
            raise ValueError(f"unsupported $ref {ref!r}")
        if name not in self._refs:
            self._refs[name] = None  # being compiled: a cycle gets the lazy form below
            self._refs[name] = self._compile(self.schema["$defs"][name])
        compiled = self._refs[name]
        if compiled is not None:
            return compiled

        def pred(value: object) -> bool:
            done = self._refs[name]
            assert done is not None
            return done.pred(value)

        def check(value: object, path: JsonPath, out: list[SchemaError]) -> None:
            done = self._refs[name]
            assert done is not None
            done.check(value, path, out)

        return Compiled(pred, check)

    def _compile(self, node: Schema) -> Compiled:
        unknown = set(node) - ASSERTIONS - ANNOTATIONS
        if unknown:
            raise ValueError(f"schema keyword(s) not supported: {sorted(unknown)}")
        parts: list[Compiled] = []
        if "$ref" in node:
            parts.append(self._ref(node["$ref"]))
        if "properties" in node or "additionalProperties" in node:
            parts.append(self._members(node))
        if "required" in node:
            parts.append(_required(node))
        for keyword, factory in _SIMPLE.items():
            if keyword in node:
                parts.append(factory(node))
        if "items" in node:
            parts.append(_items(self._compile(node["items"])))
        if "allOf" in node:
            parts.append(self._all_of(node["allOf"]))
        if "if" in node:
            parts.append(self._conditional(node))
        raw_types = node.get("type", [])
        types: list[str] = [raw_types] if isinstance(raw_types, str) else list(raw_types)
        compiled = _node(node, types, parts)
        if types == ["string"] and set(node) & ASSERTIONS <= {"type", "minLength", "pattern"}:
            return Compiled(_text_pred(node), compiled.check)
        return compiled

    def _members(self, node: Schema) -> Compiled:
        props = {name: self._compile(sub) for name, sub in node.get("properties", {}).items()}
        preds = {name: sub.pred for name, sub in props.items()}
        extra = node.get("additionalProperties", True)
        if extra is not False and extra is not True:
            raise ValueError("additionalProperties must be true or false here")
        closed = extra is False

        def pred(value: object) -> bool:
            if not isinstance(value, dict):
                return True
            for name, member in value.items():
                sub = preds.get(name)
                if sub is None:
                    if closed:
                        return False
                elif not sub(member):
                    return False
            return True

        def check(value: object, path: JsonPath, out: list[SchemaError]) -> None:
            if not isinstance(value, dict):
                return
            for name, member in value.items():
                sub = props.get(name)
                if sub is None:
                    if closed:
                        out.append(SchemaError(path, "additionalProperties", node, value, name))
                else:
                    sub.check(member, (*path, name), out)

        return _Members(pred, check, preds, closed)

    def _all_of(self, subs: Sequence[Schema]) -> Compiled:
        table = _discriminator(subs)
        if table is None:
            parts = [self._compile(sub) for sub in subs]
            return _node({}, [], parts)
        key, branches = table
        compiled = {value: self._compile(then) for value, then in branches.items()}

        def pick(value: object) -> Compiled | None:
            if isinstance(value, dict):
                chosen = value.get(key)
                if isinstance(chosen, str):
                    return compiled.get(chosen)
            return None

        def pred(value: object) -> bool:
            branch = pick(value)
            return branch is None or branch.pred(value)

        def check(value: object, path: JsonPath, out: list[SchemaError]) -> None:
            branch = pick(value)
            if branch is not None:
                branch.check(value, path, out)

        return Compiled(pred, check)

    def _conditional(self, node: Schema) -> Compiled:
        test = self._compile(node["if"]).pred
        then = self._compile(node["then"]) if "then" in node else None
        other = self._compile(node["else"]) if "else" in node else None

        def pred(value: object) -> bool:
            chosen = then if test(value) else other
            return chosen is None or chosen.pred(value)

        def check(value: object, path: JsonPath, out: list[SchemaError]) -> None:
            chosen = then if test(value) else other
            if chosen is not None:
                chosen.check(value, path, out)

        return Compiled(pred, check)


def _discriminator(subs: Sequence[Schema]) -> tuple[str, dict[str, Schema]] | None:
    """`allOf: [{if: {properties: {K: {const: C}}, required: [K]}, then: S}, ...]` as K, {C: S}.

    That pattern picks a branch by the string value of one member; a table lookup does it.
    """
    key: str | None = None
    branches: dict[str, Schema] = {}
    for sub in subs:
        test = sub.get("if")
        if set(sub) != {"if", "then"} or not isinstance(test, Mapping):
            return None
        props = test.get("properties")
        if set(test) != {"properties", "required"} or not isinstance(props, Mapping):
            return None
        if len(props) != 1 or list(test["required"]) != list(props):
            return None
        ((name, condition),) = props.items()
        if set(condition) != {"const"} or not isinstance(condition["const"], str):
            return None
        if key not in (None, name) or condition["const"] in branches:
            return None
        key = name
        branches[condition["const"]] = sub["then"]
    return (key, branches) if key is not None else None


def _node(node: Schema, types: list[str], parts: list[Compiled]) -> Compiled:
    for name in types:
        if name not in _TYPES:
            raise ValueError(f"unknown type {name!r}")
    preds = [part.pred for part in parts]
    checks = [part.check for part in parts]
    if not types:
        if len(parts) == 1:
            return parts[0]

        def check_all(value: object, path: JsonPath, out: list[SchemaError]) -> None:
            for check in checks:
                check(value, path, out)

        return Compiled(_all(preds), check_all)
    typed = _TYPES[types[0]] if len(types) == 1 else _any([_TYPES[name] for name in types])
    if types == ["object"] and parts and isinstance(parts[0], _Members):
        return Compiled(_object_pred(parts), _typed_check(node, typed, checks))
    return Compiled(_all([typed, *preds]), _typed_check(node, typed, checks))


def _object_pred(parts: list[Compiled]) -> Pred:
    """An object node's yes/no in one function: members, then required, then the rest."""
    members = parts[0]
    assert isinstance(members, _Members)
    member_preds, closed = members.preds, members.closed
    rest = parts[1:]
    required: list[str] = []
    if rest and isinstance(rest[0], _Required):
        required = rest[0].names
        rest = rest[1:]
    others = _all([part.pred for part in rest])
    texts = frozenset(name for name, sub in member_preds.items() if sub in _NON_BLANK)

    def pred(value: object) -> bool:
        if not isinstance(value, dict):
            return False
        for name, member in value.items():
            if name in texts:  # the commonest member, checked inline
                if not isinstance(member, str) or not member or member.isspace():
                    return False
                continue
            sub = member_preds.get(name)
            if sub is None:
                if closed:
                    return False
            elif not sub(member):
                return False
        for name in required:
            if name not in value:
                return False
        return others(value)

    return pred


def _typed_check(node: Schema, typed: Pred, checks: list[Check]) -> Check:

    def check_typed(value: object, path: JsonPath, out: list[SchemaError]) -> None:
        if not typed(value):
            out.append(SchemaError(path, "type", node, value))
            return
        for check in checks:
            check(value, path, out)

    return check_typed


_NON_BLANK: set[Pred] = set()
"""Predicates that mean exactly "a string with a non-space character" (checked inline)."""


def _text_pred(node: Schema) -> Pred:
    """One function for the commonest node, a string with a length and a pattern."""
    least: int = node.get("minLength", 0)
    search = ecma_pattern(node.get("pattern", "")).search
    if node.get("pattern") == "\\S":
        # Python's \S is exactly "not str.isspace()", which runs much faster than a search.
        def non_blank(value: object) -> bool:
            return (
                isinstance(value, str)
                and len(value) >= least
                and value != ""
                and not value.isspace()
            )

        if least <= 1:
            _NON_BLANK.add(non_blank)
        return non_blank

    def pred(value: object) -> bool:
        return isinstance(value, str) and len(value) >= least and search(value) is not None

    return pred


def _any(preds: list[Pred]) -> Pred:
    return lambda value: any(pred(value) for pred in preds)


def _simple(node: Schema, keyword: str, pred: Pred) -> Compiled:
    """A keyword that fails as a whole: the error is the value itself."""

    def check(value: object, path: JsonPath, out: list[SchemaError]) -> None:
        if not pred(value):
            out.append(SchemaError(path, keyword, node, value))

    return Compiled(pred, check)


def _required(node: Schema) -> Compiled:
    names: list[str] = list(node["required"])

    def pred(value: object) -> bool:
        if isinstance(value, dict):
            for name in names:
                if name not in value:
                    return False
        return True

    def check(value: object, path: JsonPath, out: list[SchemaError]) -> None:
        if isinstance(value, dict):
            for name in names:
                if name not in value:
                    out.append(SchemaError(path, "required", node, value, name))

    return _Required(pred, check, names)


def _items(sub: Compiled) -> Compiled:
    sub_pred, sub_check = sub.pred, sub.check

    def pred(value: object) -> bool:
        if isinstance(value, list):
            for item in value:
                if not sub_pred(item):
                    return False
        return True

    def check(value: object, path: JsonPath, out: list[SchemaError]) -> None:
        if isinstance(value, list):
            for index, item in enumerate(value):
                if not sub_pred(item):
                    sub_check(item, (*path, index), out)

    return Compiled(pred, check)


def _const(node: Schema) -> Compiled:
    expected = node["const"]
    if isinstance(expected, str):
        return _simple(node, "const", lambda value: isinstance(value, str) and value == expected)
    return _simple(node, "const", lambda value: json_equal(value, expected))


def _enum(node: Schema) -> Compiled:
    allowed: list[object] = list(node["enum"])
    if all(isinstance(choice, str) for choice in allowed):
        names = frozenset(allowed)
        return _simple(node, "enum", lambda value: isinstance(value, str) and value in names)
    return _simple(node, "enum", lambda value: any(json_equal(value, c) for c in allowed))


def _min_length(node: Schema) -> Compiled:
    least: int = node["minLength"]
    return _simple(
        node, "minLength", lambda value: not isinstance(value, str) or len(value) >= least
    )


def _pattern(node: Schema) -> Compiled:
    search = ecma_pattern(node["pattern"]).search
    return _simple(
        node, "pattern", lambda value: not isinstance(value, str) or search(value) is not None
    )


def _format(node: Schema) -> Compiled:
    if node["format"] != "date":
        raise ValueError(f"format {node['format']!r} not supported")
    return _simple(node, "format", lambda value: not isinstance(value, str) or is_date(value))


def _min_items(node: Schema) -> Compiled:
    least: int = node["minItems"]
    return _simple(
        node, "minItems", lambda value: not isinstance(value, list) or len(value) >= least
    )


_SIMPLE: dict[str, Callable[[Schema], Compiled]] = {
    "const": _const,
    "enum": _enum,
    "minLength": _min_length,
    "pattern": _pattern,
    "format": _format,
    "minItems": _min_items,
}
