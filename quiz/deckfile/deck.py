"""Loading deck files (docs/authoring.md): bytes in; a checked `Deck` out, or every problem found.

`load_deck` raises only `DeckError`, whatever the bytes: each problem is reported as
`PATH:LINE:COL: error: MESSAGE` in words a teacher understands. Parsing uses the standard
library's C scanner; positions are worked out only for a file that has problems.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.core.model import Card, Deck, Option
from quiz.deckfile.findings import DeckError, Finding, Skipped

# The checker (deckcheck, schemalite with jsonschema-rs, jsonpos, deckwarn: heavy imports) is
# imported where it is used: a start whose decks all come from the deck cache
# (quiz.services.deck_cache) never parses or checks a deck, so it never needs it.
if TYPE_CHECKING:
    from quiz.deckfile.deckcheck import Issue, deck_schema, schema_text
    from quiz.deckfile.deckwarn import warnings

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "DeckError",
    "Finding",
    "Skipped",
    "check_deck",
    "deck_files",
    "deck_schema",
    "load_deck",
    "load_deck_text",
    "load_decks",
    "parse_deck",
    "parse_deck_text",
    "schema_text",
    "warnings",
]

MAX_BYTES = 16 * 1024 * 1024
"""Largest deck file read (a 10,000-card deck is about 4 MB)."""
MAX_DEPTH = 100
"""Deepest nesting of [ and { reported as such (a deck needs 5 levels)."""

PathLike = str | os.PathLike[str]


def __getattr__(name: str) -> Any:
    """The checker's public names, imported when first asked for."""
    if name in ("deck_schema", "schema_text"):
        from quiz.deckfile import deckcheck

        return getattr(deckcheck, name)
    if name == "warnings":
        from quiz.deckfile.deckwarn import warnings

        return warnings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _BadToken(Exception):
    """NaN, Infinity or an integer too long to read: not JSON that quiz accepts."""


def load_deck(path: PathLike) -> Deck:
    """Read and check one deck file.

    Raises:
        DeckError: the file cannot be read or has problems; `errors` lists them all.
    """
    return load_deck_text(path)[0]


def load_deck_text(path: PathLike) -> tuple[Deck, str]:
    """Like `load_deck`, also returning the decoded text (for positions of warnings)."""
    shown = os.fspath(path)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):  # a pipe would hang the read, a device fill memory
            raise DeckError.at(
                shown, 1, 1, "not a regular file (a pipe, a device or a socket); give a deck file"
            )
        if info.st_size > MAX_BYTES:
            raise _too_large(shown, info.st_size)
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise DeckError.at(shown, 1, 1, "no such file") from None
    except IsADirectoryError:
        raise DeckError.at(shown, 1, 1, "this is a folder, not a deck file") from None
    except PermissionError:
        raise DeckError.at(shown, 1, 1, "cannot read the file: permission denied") from None
    except OSError as exc:
        raise DeckError.at(shown, 1, 1, f"cannot read the file: {exc.strerror or exc}") from None
    return parse_deck_text(data, shown)


def parse_deck(data: str | bytes, path: PathLike = "<deck>") -> Deck:
    """Check a deck held in memory; `path` is only used to name it in messages.

    Raises:
        DeckError: the deck has problems; `errors` lists them all.
    """
    return parse_deck_text(data, path)[0]


def parse_deck_text(data: str | bytes, path: PathLike = "<deck>") -> tuple[Deck, str]:
    """Like `parse_deck`, also returning the decoded text."""
    value, text = _checked(data, path)
    deck = _build(value, Path(os.fspath(path)), text)
    deck.note_pictures("![" in text)
    return deck, text


def check_deck(data: str | bytes, path: PathLike = "<deck>") -> None:
    """Check a deck held in memory as `parse_deck` does, without making its cards (for a
    caller that wants only the problems: `quiz import`).

    Raises:
        DeckError: the deck has problems; `errors` lists them all.
    """
    _checked(data, path)


def _checked(data: str | bytes, path: PathLike) -> tuple[Any, str]:
    """The parsed JSON of a deck that has no problems, and its decoded text."""
    from quiz.deckfile import deckcheck

    shown = os.fspath(path)
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise _too_large(shown, len(data))
        text = _decode(data, shown)
    else:
        if len(data) > MAX_BYTES:
            raise _too_large(shown, len(data.encode("utf-8", "surrogatepass")))
        text = data.removeprefix("\ufeff")
    parsed = _parse_json(text, shown)
    issues = deckcheck.check(parsed.value, text)
    if parsed.duplicates:
        issues.extend(_duplicate_keys(parsed.value, text))
    if issues:
        raise DeckError(deckcheck.position(issues, text, shown))
    return parsed.value, text


Loader = Callable[[Path], tuple[Deck, str | None]]
"""Loads one deck file as `load_deck_text` does; the text may be None (e.g. from a cache)."""


def load_decks(
    paths: Iterable[PathLike], *, load: Loader = load_deck_text
) -> tuple[list[Deck], list[Skipped]]:
    """Load every deck file given, and every `*.json` file in the folders given.

    A deck with problems is skipped with its errors; so is a deck whose id another deck loaded
    before it has taken. One bad deck never stops the others. `load` reads each file (the
    app passes `quiz.services.deck_cache.DeckCache.load`).
    """
    decks: list[Deck] = []
    skipped: list[Skipped] = []
    taken: dict[str, Path] = {}
    seen: set[Path] = set()
    for path in deck_files(paths, skipped):
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        try:
            deck, text = load(path)
        except DeckError as exc:
            skipped.append(Skipped(path, tuple(exc.errors)))
            continue
        if deck.id in taken:
            if text is None:
                text = load_deck_text(path)[1]
            skipped.append(Skipped(path, (id_taken(deck, text, path, taken[deck.id]),)))
            continue
        taken[deck.id] = path
        decks.append(deck)
    return decks, skipped


def deck_files(paths: Iterable[PathLike], problems: list[Skipped]) -> list[Path]:
    """The deck files named, with each folder's `*.json` files in name order.

    A path that is neither a file nor a readable folder is added to `problems`.
    """
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            try:
                names = sorted(os.listdir(path))
            except OSError as exc:
                reason = f"cannot read the folder: {exc.strerror or exc}"
                problems.append(Skipped(path, (Finding(str(path), 1, 1, "error", reason),)))
                continue
            files.extend(
                path / name
                for name in names
                if name.endswith(".json") and not name.startswith(".") and (path / name).is_file()
            )
        elif path.exists():
            files.append(path)
        else:
            message = "no such file or folder"
            problems.append(Skipped(path, (Finding(str(path), 1, 1, "error", message),)))
    return files


def id_taken(deck: Deck, text: str, path: Path, owner: Path, *, skipped: bool = True) -> Finding:
    """The error for a deck whose id another deck file (`owner`) already has, at its "id"."""
    from quiz.deckfile import deckcheck
    from quiz.deckfile.jsonpos import line_col, locate

    spot = locate(text, [("id",)]).get(("id",))
    line, column = line_col(text, spot.value if spot else 0)
    message = f"deck id {deckcheck.show(deck.id)} is already used by {owner}"
    if skipped:
        message += "; this deck was skipped"
    return Finding(str(path), line, column, "error", message)


# --- bytes to text ---


def _too_large(shown: str, size: int) -> DeckError:
    message = (
        f"the file is too large ({size / 1024 / 1024:.1f} MB; a deck may be at most "
        f"{MAX_BYTES // 1024 // 1024} MB): split it into several decks"
    )
    return DeckError.at(shown, 1, 1, message)


def _decode(data: bytes, shown: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise DeckError.at(shown, 1, 1, _not_utf8("UTF-32"))
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        len(data) >= 2 and (data[0] == 0) != (data[1] == 0)
    ):
        raise DeckError.at(shown, 1, 1, _not_utf8("UTF-16"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", "replace")) + 1
        message = (
            f"the file is not UTF-8 text (byte 0x{data[start]:02X} here; was it saved as "
            "Latin-1 or Windows-1252?): save it as UTF-8"
        )
        raise DeckError.at(shown, line, column, message) from None


def _not_utf8(encoding: str) -> str:
    return f"the file is {encoding} text; quiz reads UTF-8 only: save it as UTF-8"


# --- text to JSON ---


class _Parsed:
    __slots__ = ("duplicates", "value")

    def __init__(self) -> None:
        self.value: object = None
        self.duplicates = False


def _parse_json(text: str, shown: str) -> _Parsed:
    from quiz.deckfile.jsonpos import MAX_NUMBER_LENGTH, line_col, scan

    parsed = _Parsed()

    def pairs(members: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(members)
        if len(result) != len(members):
            parsed.duplicates = True
        return result

    def constant(word: str) -> object:
        raise _BadToken(word)

    def integer(digits: str) -> int:
        if len(digits) > MAX_NUMBER_LENGTH:
            raise _BadToken(digits)
        return int(digits)

    try:
        parsed.value = json.loads(
            text, object_pairs_hook=pairs, parse_constant=constant, parse_int=integer
        )
    except json.JSONDecodeError as exc:
        message, offset = _syntax_message(text, exc)
        line, column = line_col(text, offset)
        raise DeckError.at(shown, line, column, message) from None
    except RecursionError:
        report = scan(text, max_depth=MAX_DEPTH)
        offset = report.too_deep or 0
        line, column = line_col(text, offset)
        message = f"nested too deeply (more than {MAX_DEPTH} levels of [ and {{); a deck needs 5"
        raise DeckError.at(shown, line, column, message) from None
    except _BadToken:
        report = scan(text, max_depth=1_000_000)
        token, offset = report.bad_token or ("", 0)
        line, column = line_col(text, offset)
        if token.lstrip("-") in ("NaN", "Infinity"):
            message = f"{token} is not allowed in JSON"
        else:
            message = f"a number of {len(token)} digits is too long"
        raise DeckError.at(shown, line, column, message) from None
    return parsed


def _syntax_message(text: str, exc: json.JSONDecodeError) -> tuple[str, int]:
    """A syntax error in words, and where to point (usually where the parser stopped)."""
    before = text[: exc.pos].rstrip(" \t\r\n")
    if exc.pos < len(text) and text[exc.pos] in "]}" and before.endswith(","):
        return f'trailing comma before "{text[exc.pos]}": remove this ","', len(before) - 1
    return _syntax_words(text, exc), exc.pos


def _syntax_words(text: str, exc: json.JSONDecodeError) -> str:
    from quiz.deckfile import deckcheck

    pos = exc.pos
    here = text[pos : pos + 1]
    if exc.msg == "Expecting value" or exc.msg.startswith("Expecting property name"):
        if not text.strip():
            return "the file is empty: a deck is a JSON object { ... }"
        if pos >= len(text.rstrip(" \t\r\n")):
            return "the file ends too early: a value, ] or } is missing"
        if text.startswith(("//", "/*"), pos) or here == "#":
            return "comments are not allowed in JSON"
        if here == "'":
            return "use double quotes \" around text and field names, not single quotes '"
        if exc.msg.startswith("Expecting property name"):
            return 'expected a field name in double quotes, like "front"'
        word = (text[pos : pos + 12].split(None, 1) or [""])[0].rstrip(",]}:")
        if word[:1].isalpha():
            return (
                f"unknown word {deckcheck.show(word)}: put text in double quotes "
                "(JSON's only words are true, false and null)"
            )
        return "expected a value: text in double quotes, a number, true, false, null, [ or {"
    if exc.msg == "Expecting ',' delimiter":
        if pos >= len(text):
            return "the file ends too early: a ] or } is missing"
        if here == "}":
            return 'unexpected "}": a list is still open here (is a "]" missing?)'
        if here == "]":
            return 'unexpected "]": an object is still open here (is a "}" missing?)'
        return 'expected a "," here (is a comma missing at the end of the line before?)'
    if exc.msg == "Expecting ':' delimiter":
        return 'expected ":" after the field name'
    if exc.msg == "Extra data":
        return "more text after the end of the deck: a file holds one deck, a single { ... }"
    if exc.msg.startswith("Unterminated string"):
        return 'text is not closed: a " is missing'
    if exc.msg.startswith("Invalid control character"):
        if here == "\n" or here == "\r":
            return 'a line break inside text: close the text with " or write \\n for a new line'
        if here == "\t":
            return "a tab inside text: write \\t instead"
        return f"a control character (U+{ord(here or chr(0)):04X}) inside text is not allowed"
    if exc.msg.startswith("Invalid \\escape"):
        return "unknown escape after \\ in text: write \\\\ for a backslash"
    if exc.msg.startswith("Invalid \\uXXXX"):
        return "\\u must be followed by 4 hex digits, like \\u00e9"
    return f"not valid JSON: {exc.msg}"


def _duplicate_keys(data: object, text: str) -> list[Issue]:
    from quiz.deckfile import deckcheck
    from quiz.deckfile.deckcheck import Issue
    from quiz.deckfile.jsonpos import scan

    issues: list[Issue] = []
    for path, key, offset in scan(text, max_depth=1_000_000).duplicates:
        subject, rest = deckcheck._subject(data, path)
        where = f"{subject}: " if not rest else f"{subject}: in {deckcheck._field(rest)}: "
        message = f"{where}field {deckcheck.show(key)} appears twice"
        issues.append(Issue(path, message, offset=offset))
    return issues


# --- JSON to a Deck ---


def _build(data: Any, path: Path, text: str) -> Deck:
    from quiz.deckfile import deckcheck

    deck_id: str = data["id"]
    cards = data["cards"]
    lines = deckcheck.card_lines(text, len(cards))
    review_by = data.get("review_by")
    return Deck(
        id=deck_id,
        title=data["title"],
        cards=tuple(_card(deck_id, card, line) for card, line in zip(cards, lines, strict=True)),
        path=path,
        description=data.get("description", ""),
        authors=tuple(data.get("authors", ())),
        tags=tuple(data.get("tags", ())),
        review_by=date.fromisoformat(review_by) if review_by else None,
    )


def _card(deck_id: str, card: dict[str, Any], line: int) -> Card:
    # The schema has admitted exactly the fields Card has, under the same names.
    fields = dict(card)
    if "options" in fields:
        fields["options"] = tuple(Option(**option) for option in fields["options"])
    if "tags" in fields:
        fields["tags"] = tuple(fields["tags"])
    return Card(deck_id=deck_id, line=line, **fields)
