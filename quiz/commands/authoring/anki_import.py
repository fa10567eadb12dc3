"""`quiz import`: an Anki text export or .apkg becomes a deck file that validates.

Every row or note that cannot become a card is reported with its line or note id, and so is
every card the deck checker would refuse: nothing is dropped silently. A package's pictures
are written beside the new deck (`quiz.anki.media`), and every sound or
file it could not take is named. Cards of a text export naming images or sounds are listed,
one line each when they are few, in one line when they are many (a line each would bury the
notes not imported). The summary counts the cards of each type
and the Anki decks kept as tags.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from quiz.anki.notes import Converted, Skip
from quiz.commands.authoring import AuthoringError
from quiz.commands.authoring.naming import deck_id, deck_title
from quiz.commands.authoring.slug import card_ids
from quiz.core.model import CLOZE_RE
from quiz.deckfile.layout import dumps
from quiz.storage.user_files import read_input, write_atomic

PACKAGE_SUFFIXES = (".apkg", ".colpkg")


@dataclass
class Outcome:
    """The deck made, its text as written, and what did not make it into it."""

    deck: dict[str, Any]
    text: str
    converted: Converted


def read_source(source: Path) -> Converted:
    """Cards from an .apkg or a plain-text export, chosen by the file's content."""
    missing, folder = "no such file", "this is a folder; give an Anki export file"
    start = read_input(source, missing=missing, folder=folder, head=16)
    if start.startswith(b"PK\x03\x04") or source.suffix.lower() in PACKAGE_SUFFIXES:
        from quiz.anki.package import read_package

        return read_package(source)
    if start.startswith(b"SQLite format 3\x00"):
        raise AuthoringError(
            f"{source}: an Anki collection file, not a package; in Anki, use File > Export "
            "to make an .apkg"
        )
    from quiz.anki.text_notes import read_text_notes

    return read_text_notes(read_input(source, missing=missing, folder=folder), source)


def _is_package(source: Path) -> bool:
    """Whether `read_source` read `source` as a package (a zip), not a text export."""
    try:
        with open(source, "rb") as file:
            head = file.read(4)
    except OSError:
        return False
    return head == b"PK\x03\x04" or source.suffix.lower() in PACKAGE_SUFFIXES


def build(
    converted: Converted, output: Path, deck_id_given: str | None, title: str | None, source: Path
) -> Outcome:
    """The deck object: ids given to the cards, then cards the checker refuses taken out."""
    cards = converted.cards
    for card, new_id in zip(cards, card_ids(cards), strict=True):
        card["id"] = new_id
    deck: dict[str, Any] = {
        "format": 1,
        "id": deck_id(deck_id_given, output),
        "title": deck_title(title, output, converted.title),
        "description": f"Imported from {source.name}.",
        "cards": cards,
    }
    return Outcome(deck, _drop_refused(deck, converted, output), converted)


def _drop_refused(deck: dict[str, Any], converted: Converted, output: Path) -> str:
    """Take out the cards the deck checker refuses, each reported at its row or note.

    Returns:
        The deck's text as checked (what `dumps` makes of it), or "" when no card is left.
    """
    from quiz.deckfile.deck import DeckError, check_deck

    while deck["cards"]:
        text = dumps(deck)
        try:
            check_deck(text, output)
            return text
        except DeckError as exc:
            starts = _card_lines(text)
            refused: dict[int, str] = {}
            for finding in exc.errors:
                index = _card_at(starts, finding.line)
                if index is None:  # not in a card: a problem of the deck as a whole
                    raise AuthoringError(f"cannot make a deck: {finding.message}") from None
                refused.setdefault(index, finding.message)
            for index in sorted(refused, reverse=True):
                converted.skipped.append(Skip(converted.places[index], refused[index]))
                del deck["cards"][index], converted.places[index]
    return ""


def _card_lines(text: str) -> list[int]:
    """1-based line where each card starts in text written by `dumps`."""
    return [n for n, line in enumerate(text.split("\n"), start=1) if line == "    {"]


def _card_at(starts: list[int], line: int) -> int | None:
    """The index of the card whose text holds `line` (None: before the first card)."""
    index = bisect_right(starts, line) - 1
    return index if index >= 0 else None


def counts(cards: list[dict[str, Any]]) -> str:
    """`basic 10 (3 also reversed), cloze 4 (9 gaps)`: the cards of each type."""
    types = Counter(str(card["type"]) for card in cards)
    parts = []
    for kind in ("basic", "cloze", "choice", "rank"):
        if not types[kind]:
            continue
        if kind == "basic":
            reversed_ = sum(1 for card in cards if card.get("reverse"))
            extra = f" ({reversed_} also reversed)" if reversed_ else ""
        elif kind == "cloze":
            gaps = sum(
                len({m.group(1) for m in CLOZE_RE.finditer(card["text"])})
                for card in cards
                if card["type"] == "cloze"
            )
            extra = f" ({gaps} gaps, each its own card)"
        else:
            extra = ""
        parts.append(f"{kind} {types[kind]}{extra}")
    return ", ".join(parts) or "none"


def run(
    source: Path,
    output: Path,
    *,
    deck_id_given: str | None,
    title: str | None,
    force: bool,
    out: TextIO,
    err: TextIO,
) -> int:
    """Import `source` into a new deck file `output`; returns the exit status."""
    if output.suffix.lower() != ".json":
        raise AuthoringError(f"-o {output}: a deck file name ends in .json")
    if output.exists() and not force:
        raise AuthoringError(f"{output}: already exists; give --force to replace it")
    if not output.parent.is_dir():
        raise AuthoringError(f"{output}: cannot write: the folder {output.parent} does not exist")
    converted = read_source(source)
    pictures = None
    if _is_package(source):
        from quiz.anki import media as anki_media

        pictures = anki_media.collect(source, converted.cards, output)
    outcome = build(converted, output, deck_id_given, title, source)
    for skip in sorted(converted.skipped, key=lambda skip: _number(skip.where)):
        print(f"{_place(source, skip.where)}: not imported: {skip.reason}", file=err)
    if pictures is not None:
        for line in pictures.reports:
            print(f"{source}: note: {line}", file=err)
    else:
        kept = set(converted.places)
        media = [place for place in converted.media if place in kept]
        note_on(source, media, MEDIA, err)
    cards = outcome.deck["cards"]
    if not cards:
        raise AuthoringError(f"{source}: no card could be imported (the reasons are above)")
    if pictures is not None:
        anki_media.write(pictures, force=force)
    write_atomic(output, outcome.text, exclusive=not force)
    skipped = len(converted.skipped)
    print(f'wrote {output}: deck "{outcome.deck["id"]}", {len(cards)} cards', file=out)
    print(f"  {counts(cards)}", file=out)
    if pictures is not None and pictures.files:
        count = len(pictures.files)
        print(
            f"  {count} picture{'s' if count != 1 else ''} written to {pictures.folder}", file=out
        )
    if skipped:
        what = "note" if source.suffix.lower() in PACKAGE_SUFFIXES else "row"
        print(f"  {skipped} {what}(s) not imported, each listed above with the reason", file=out)
    for line in deck_tags(converted.deck_tags) if converted.deck_tags else []:
        print(f"  {line}", file=out)
    print(f"next: quiz preview {output}", file=out)
    return 0


MANY = 5
"""More cards than this with the same note are told in one line, not one line each."""
MEDIA = (
    "names an image or sound",
    "name an image or sound",
    "which quiz cannot show (kept as [image: ...] or [sound: ...] text)",
)
"""A note on a card: (what one card does, what several do, the rest of the sentence)."""


def note_on(source: Path, places: list[str], note: tuple[str, str, str], err: TextIO) -> None:
    """Say `note` of the cards at `places`: a line each when they are few, else one line.

    `deck.apkg: note: 3,885 notes name an image or sound, which quiz cannot show (...);
    notes 123, 456, 789 and 3,882 more`.
    """
    one, several, rest = note
    if len(places) <= MANY:
        for where in places:
            print(f"{_place(source, where)}: note: {one}, {rest}", file=err)
        return
    ordered = sorted(places, key=_number)
    unit, what = ("lines", "rows") if ordered[0].startswith("line ") else ("notes", "notes")
    first = ", ".join(str(_number(where)) for where in ordered[:3])
    print(
        f"{source}: note: {len(places):,} {what} {several}, {rest}; "
        f"{unit} {first} and {len(places) - 3:,} more",
        file=err,
    )


def deck_tags(tags: list[str]) -> list[str]:
    """The summary's lines on the tags the cards got for their Anki decks."""
    shown = ", ".join(tags[:2]) + (", ..." if len(tags) > 2 else "")
    return [
        f"{len(tags)} Anki {'deck' if len(tags) == 1 else 'decks'} kept as card tags: {shown}",
        f"(study one with / in the deck list, or quiz study --tag {tags[0]})",
    ]


def _number(where: str) -> int:
    """The line or note number of a place, for putting reports in file order."""
    digits = where.rsplit(" ", 1)[-1]
    return int(digits) if digits.isdigit() else 0


def _place(source: Path, where: str) -> str:
    """`notes.txt:12` for a line, `deck.apkg: note 123` for a note."""
    if where.startswith("line "):
        return f"{source}:{where.removeprefix('line ')}"
    return f"{source}: {where}"
