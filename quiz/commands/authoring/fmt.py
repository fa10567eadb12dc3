"""`quiz fmt`: every deck in the one layout, and with `--add-ids` an id for every card and
every option of a choice or rank card.

A deck that does not load is never rewritten: its errors are shown instead. Ids that exist
are never changed (students' progress is kept by card ids, and their logged answers name
options by their ids). Writing is atomic, and running it twice changes nothing the second time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from quiz.commands.authoring.slug import card_text, slugify, unique
from quiz.deckfile.layout import dumps
from quiz.storage.inputs import read_input
from quiz.storage.user_files import why, write_atomic


@dataclass(frozen=True, slots=True)
class Result:
    """What `fmt` makes of one file: the new text (None if it cannot), ids added, errors."""

    path: Path
    old: str
    new: str | None
    added: tuple[str, ...] = ()
    options_added: tuple[tuple[str, str], ...] = ()
    """(card id, option id) of each option id added."""
    errors: str = ""
    read: bool = True
    """False when the file could not be read at all (`errors` is then one line)."""

    @property
    def changed(self) -> bool:
        return self.new is not None and self.new != self.old


def add_ids(deck: Any) -> list[str]:
    """Give every card without an id one made from its text; returns the new ids."""
    if not isinstance(deck, dict) or not isinstance(deck.get("cards"), list):
        return []
    cards = [card for card in deck["cards"] if isinstance(card, dict)]
    taken = {card["id"] for card in cards if isinstance(card.get("id"), str)}
    added = []
    for card in cards:
        if "id" not in card:
            card["id"] = unique(slugify(card_text(card)), taken)
            added.append(card["id"])
    return added


OPTION_ID_LENGTH = 30
"""Longest option id made from its text (a suffix like `-2` may follow): ids are logged
with every answer, so they are kept shorter than card ids."""


def add_option_ids(deck: Any) -> list[tuple[str, str]]:
    """Give every option without an id one made from its text, unique within its card.

    Returns:
        (card id, option id) of each id added, in file order.
    """
    if not isinstance(deck, dict) or not isinstance(deck.get("cards"), list):
        return []
    added = []
    for card in deck["cards"]:
        options = card.get("options") if isinstance(card, dict) else None
        if not isinstance(options, list):
            continue
        options = [option for option in options if isinstance(option, dict)]
        taken = {option["id"] for option in options if isinstance(option.get("id"), str)}
        for option in options:
            if "id" not in option:
                text = option.get("text")
                base = slugify(text, OPTION_ID_LENGTH) if isinstance(text, str) else ""
                option["id"] = unique(base, taken, fallback="option")
                added.append((str(card.get("id", "")), option["id"]))
    return added


def format_text(text: str, path: Path, *, ids: bool) -> Result:
    """The formatted text of a deck, or the loader's errors if it does not load."""
    from quiz.deckfile.deck import DeckError, parse_deck

    try:
        parse_deck(text, path)
        problems = None
    except DeckError as exc:
        problems = exc
    if problems is not None and not ids:
        return Result(path, text, None, errors=str(problems))
    duplicates = False

    def pairs(members: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicates
        result = dict(members)
        duplicates = duplicates or len(result) != len(members)
        return result

    try:
        data = json.loads(text.removeprefix("\ufeff"), object_pairs_hook=pairs)
    except (ValueError, RecursionError):  # ValueError: also a number of thousands of digits
        return Result(path, text, None, errors=str(problems))
    if duplicates:  # rewriting would silently keep only one of the two values
        return Result(path, text, None, errors=str(problems))
    added = add_ids(data) if ids else []
    options_added = add_option_ids(data) if ids else []
    new = dumps(data)
    if problems is not None:
        try:  # with the ids added, does it load?
            parse_deck(new, path)
        except DeckError:
            return Result(path, text, None, errors=str(problems))
    return Result(path, text, new, tuple(added), tuple(options_added))


def format_file(path: Path, *, ids: bool) -> Result:
    """`format_text` of a file; a file that cannot be read is an error result."""
    try:
        raw = read_input(path)
    except FileNotFoundError:
        return Result(path, "", None, errors=f"{path}: no such file", read=False)
    except IsADirectoryError:
        return Result(path, "", None, errors=f"{path}: a folder; give deck files", read=False)
    except OSError as exc:
        return Result(path, "", None, errors=f"{path}: cannot read: {why(exc)}", read=False)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        from quiz.deckfile.deck import DeckError, parse_deck

        try:
            parse_deck(raw, path)
        except DeckError as exc:
            return Result(path, "", None, errors=str(exc))
        return Result(path, "", None, errors=f"{path}: not UTF-8 text")
    return format_text(text, path, ids=ids)


def expand(paths: Sequence[Path]) -> list[Path]:
    """The files given, and the `*.json` files of the folders given (in name order)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.glob("*.json") if p.is_file() and not p.name.startswith("."))
            )
        else:
            files.append(path)
    return files


def _added(result: Result) -> str:
    """What `--add-ids` added, for the file's line: `(ids added: a, b; 7 option ids added
    to 2 cards)`, or nothing."""
    parts = []
    if result.added:
        parts.append(f"ids added: {', '.join(result.added)}")
    if result.options_added:
        count = len(result.options_added)
        cards = len({card for card, _ in result.options_added})
        parts.append(
            f"{count} option id{'s' if count > 1 else ''} added to "
            f"{cards} card{'s' if cards > 1 else ''}"
        )
    return f" ({'; '.join(parts)})" if parts else ""


def run(paths: Sequence[Path], *, ids: bool, check: bool, out: TextIO, err: TextIO) -> int:
    """Format the decks (files, or every `*.json` in folders); with `check`, only report.

    Returns:
        0, or 1 if any deck could not be formatted or (with `check`) would change.
    """
    status = 0
    for path in expand(paths):
        result = format_file(path, ids=ids)
        if result.new is None:
            print(result.errors, file=err)
            if result.read:
                print(f"{path}: not formatted: fix the errors above first", file=err)
            status = 1
            continue
        added = _added(result)
        if not result.changed:
            print(f"{path}: already formatted", file=out)
        elif check:
            print(f"{path}: would be reformatted{added}", file=out)
            status = 1
        else:
            write_atomic(path, result.new)
            print(f"{path}: formatted{added}", file=out)
    return status
