"""Notes exported from Anki as plain text (`Notes in Plain Text`, .txt/.csv/.tsv) read as cards.

The file may begin with Anki's header lines: `#separator:tab`, `#html:true`, `#tags column:3`,
`#notetype column:1`, `#deck column:2`, `#guid column:1`, `#tags:...`. Columns that are not
meta columns are the note's fields in order: front and back (or cloze text and extra).
Without `#tags column`, a third field column holds the tags (as Anki reads it). The deck
column, when the rows are in more than one deck, becomes tags (`Converted.decks_to_tags`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from quiz.anki.notes import (
    Converted,
    Note,
    Skip,
    guess_html,
    kind_of,
    reduce,
    split_tags,
)
from quiz.storage.user_files import AuthoringError

SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "pipe": "|",
    "colon": ":",
    "space": " ",
}


MAX_COLUMN = 1000
"""The largest column number a header may name (a row with more columns is not a card)."""


@dataclass
class Header:
    """What the `#key:value` lines at the top of the file say."""

    separator: str | None = None
    html: bool | None = None
    tags: tuple[str, ...] = ()
    columns: dict[str, int] = field(default_factory=dict)
    """1-based column of `tags`, `notetype`, `deck`, `guid`, when given."""
    lines: int = 0
    """How many lines the header takes."""


def read_header(lines: list[str], where: Path) -> Header:
    """Parse the header lines; an unknown separator or a bad column number is an error."""
    header = Header()
    for number, line in enumerate(lines, start=1):
        stripped = line.rstrip("\r\n")
        if number == 1 and stripped.startswith("tags:"):
            header.tags = split_tags(stripped[5:])
        elif not stripped.startswith("#"):
            break
        elif ":" in stripped:
            key, value = (part.strip() for part in stripped[1:].split(":", 1))
            _header_value(header, key.lower(), value, f"{where}:{number}")
        header.lines = number
    return header


def _header_value(header: Header, key: str, value: str, place: str) -> None:
    if key == "separator":
        chosen = SEPARATORS.get(value.lower(), value if len(value) == 1 else None)
        if chosen is None:
            names = ", ".join(SEPARATORS)
            raise AuthoringError(f"{place}: unknown separator {value!r}; use one of {names}")
        header.separator = chosen
    elif key == "html":
        if value.lower() not in ("true", "false"):
            raise AuthoringError(f"{place}: #html must be true or false, not {value!r}")
        header.html = value.lower() == "true"
    elif key == "tags":
        header.tags = split_tags(value)
    elif key.endswith(" column"):
        name = key.removesuffix(" column")
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_COLUMN:
            raise AuthoringError(
                f"{place}: #{key} must be a column number from 1 to {MAX_COLUMN}, not {value!r}"
            )
        header.columns[name] = int(value)


def guess_separator(lines: list[str], path: Path) -> str:
    """Anki's text exports use tabs; else the commonest of , ; | on the first line."""
    sample = "".join(lines[:20])
    if "\t" in sample:
        return "\t"
    first = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    counts = {candidate: first.count(candidate) for candidate in (",", ";", "|")}
    best = max(counts, key=lambda candidate: counts[candidate])
    if counts[best]:
        return best
    return "," if path.suffix.lower() == ".csv" else "\t"


class _Lines:
    """Feeds csv.reader the data lines, skipping comments and blank lines between records.

    `start` is the 1-based line number where the record being read began.
    """

    def __init__(self, lines: list[str], first: int) -> None:
        self.lines = lines
        self.next = first
        self.at_record_start = True
        self.start = first + 1

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        while self.next < len(self.lines):
            line = self.lines[self.next]
            self.next += 1
            if self.at_record_start:
                if line.startswith("#") or not line.strip():
                    continue
                self.start = self.next
                self.at_record_start = False
            return line
        raise StopIteration


def decode(data: bytes, path: Path) -> str:
    """The file's text (UTF-8, with or without a byte order mark)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise AuthoringError(
            f"{path}:{line}: the file is not UTF-8 text; in Anki, export as plain text "
            "(Anki writes UTF-8), or save the file as UTF-8"
        ) from None


def read_text_notes(data: bytes, path: Path) -> Converted:
    """The cards of an Anki plain-text export, and every row that could not become one."""
    text = decode(data, path)
    lines = text.splitlines(keepends=True)
    header = read_header(lines, path)
    separator = header.separator or guess_separator(lines[header.lines :], path)
    source = _Lines(lines, header.lines)
    reader = csv.reader(source, delimiter=separator, quotechar='"', strict=True)
    rows: list[tuple[int, list[str]]] = []
    result = Converted()
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if source.next - source.start >= 1 and (
                source.next >= len(lines) or "field limit" in str(exc)
            ):
                # A quote never closed swallows every later line into this row: importing
                # the rest would drop them silently, guessing would make cards of halves.
                raise AuthoringError(
                    f'{path}:{source.start}: a quote (") opened in this row is never closed, so'
                    f" every line after it (to line {source.next}) would be read as part of it;"
                    " close the quote, or remove it, and import again (nothing was written)"
                ) from None
            result.skipped.append(Skip(f"line {source.start}", f"not readable as CSV: {exc}"))
            source.at_record_start = True
            continue
        source.at_record_start = True
        if row and any(value.strip() for value in row):
            rows.append((source.start, row))
    html = header.html
    if html is None:
        html = guess_html([value for _, row in rows for value in row])
    meta = {column - 1: name for name, column in header.columns.items()}
    tags_column = header.columns.get("tags")
    if rows and _headings([v for i, v in enumerate(rows[0][1]) if i not in meta]):
        names = ", ".join(value.strip() for value in rows[0][1])
        result.skipped.append(Skip(f"line {rows[0][0]}", f"column headings ({names}), not a card"))
        rows = rows[1:]
    deck_column = header.columns.get("deck")
    if deck_column is not None:
        decks = {row[deck_column - 1] for _, row in rows if deck_column <= len(row)}
        if len(decks) == 1:
            result.title = decks.pop() or None
    for number, row in rows:
        field_values = [value for i, value in enumerate(row) if i not in meta]
        tags = list(header.tags)
        if tags_column is not None:
            if tags_column <= len(row):
                tags.extend(split_tags(row[tags_column - 1]))
        elif len(field_values) == 3 and "notetype" not in header.columns:
            tags.extend(split_tags(field_values.pop()))
        notetype_column = header.columns.get("notetype")
        notetype = ""
        if notetype_column is not None and notetype_column <= len(row):
            notetype = row[notetype_column - 1]
        where = f"line {number}"
        if len(field_values) < 2 and not _cloze_alone(notetype, field_values):
            sep = {"\t": "a tab"}.get(separator, repr(separator))
            result.skipped.append(
                Skip(
                    where,
                    f"only {len(field_values)} field(s); expected a front and a back "
                    f"separated by {sep} (is #separator right?)",
                )
            )
            continue
        fields = tuple(reduce(value, html) for value in field_values)
        kind = kind_of(notetype, fields[0].text if fields else "")
        deck = row[deck_column - 1].strip() if deck_column and deck_column <= len(row) else ""
        result.add(Note(where, kind, fields, tuple(tags), (deck,) if deck else ()))
    result.decks_to_tags()
    return result


_FIRST_HEADINGS = frozenset(("front", "question", "text", "q", "prompt"))
_SECOND_HEADINGS = frozenset(("back", "answer", "a", "extra", "back extra", "response"))


def _headings(values: list[str]) -> bool:
    """Whether a first row names the columns (`Front,Back`, `Question;Answer`) instead."""
    names = [value.strip().lower() for value in values]
    return len(names) >= 2 and names[0] in _FIRST_HEADINGS and names[1] in _SECOND_HEADINGS


def _cloze_alone(notetype: str, values: list[str]) -> bool:
    """A cloze note needs only its text."""
    return len(values) == 1 and kind_of(notetype, values[0]) == "cloze"
