"""The one layout of a deck file: 2-space indent, fields in the documented order, UTF-8.

`dumps` is what `quiz fmt`, `quiz new-deck` and `quiz import` write, so every deck made or
tidied by quiz looks the same and diffs stay small. Short lists of plain values (tags,
authors) stay on one line; everything else gets a line of its own.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any

DECK_KEYS = ("$schema", "format", "id", "title", "description", "authors", "tags", "review_by")
DECK_KEYS_END = ("cards",)
CARD_KEYS = (
    "id",
    "type",
    "front",
    "back",
    "reverse",
    "text",
    "scenario",
    "question",
    "options",
    "tags",
    "source",
    "explanation",
)
OPTION_KEYS = ("id", "text", "correct", "why")

INDENT = "  "
INLINE_WIDTH = 100
"""A list of plain values goes on one line if the line stays within this width."""


def _ordered(obj: Mapping[str, Any], first: Sequence[str], last: Sequence[str] = ()) -> list[str]:
    """Keys in the documented order; unknown keys keep their place after the known ones."""
    return _order_of(tuple(obj), tuple(first), tuple(last))


@functools.lru_cache(maxsize=256)
def _order_of(keys: tuple[str, ...], first: tuple[str, ...], last: tuple[str, ...]) -> list[str]:
    """`_ordered` for objects with these keys in this order (the cards of a deck have a few
    such shapes, so each is worked out once). Callers must not change the list returned."""
    known = [key for key in first if key in keys]
    ending = [key for key in last if key in keys]
    rest = [key for key in keys if key not in first and key not in last]
    return known + rest + ending


def normalise(deck: Any) -> Any:
    """The deck with every object's keys in the documented order (values untouched)."""
    if not isinstance(deck, dict):
        return deck
    out = {key: deck[key] for key in _ordered(deck, DECK_KEYS, DECK_KEYS_END)}
    cards = out.get("cards")
    if isinstance(cards, list):
        out["cards"] = [_card(card) for card in cards]
    return out


def _card(card: Any) -> Any:
    if not isinstance(card, dict):
        return card
    out = {key: card[key] for key in _ordered(card, CARD_KEYS)}
    options = out.get("options")
    if isinstance(options, list):
        out["options"] = [
            {key: option[key] for key in _ordered(option, OPTION_KEYS)}
            if isinstance(option, dict)
            else option
            for option in options
        ]
    return out


def dumps(deck: Any) -> str:
    """The deck as text in the one layout, keys ordered, ending with a newline."""
    return _value(normalise(deck), 0, 0) + "\n"


def _scalar(value: Any) -> str:
    if type(value) is str:  # most values: json.dumps's own string encoder, without its set-up
        return encode_basestring(value)
    return json.dumps(value, ensure_ascii=False)


def _value(value: Any, depth: int, used: int) -> str:
    """`value` as text at nesting `depth`; `used` columns are taken on its first line already."""
    if type(value) is str:
        return encode_basestring(value)
    pad = INDENT * (depth + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = []
        for key, item in value.items():
            head = f"{pad}{_scalar(key)}: "
            if type(item) is str:  # most members: no call for them
                lines.append(head + encode_basestring(item))
            else:
                lines.append(head + _value(item, depth + 1, len(head)))
        return "{\n" + ",\n".join(lines) + "\n" + INDENT * depth + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(not isinstance(item, dict | list) for item in value):
            inline = "[" + ", ".join(_scalar(item) for item in value) + "]"
            if used + len(inline) + 1 <= INLINE_WIDTH:
                return inline
        items = [pad + _value(item, depth + 1, len(pad)) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + INDENT * depth + "]"
    return _scalar(value)
