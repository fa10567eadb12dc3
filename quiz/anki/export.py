"""`quiz export`: a deck as an Anki package (.apkg, with genanki) or as Anki's notes text.

Basic, reversed and cloze cards become notes of Anki's own kinds (Front/Back, Front/Back with
a reversed card, Text/Back Extra), plus an Extra field for the explanation and source. Choice
and rank cards become basic notes: the scenario, question and options (in a fixed shuffled
order) on the front; the answer, a mark and a word for every option, the `why`s and the
scoring on the back. Model, deck and note ids derive from the deck and card ids, so
exporting again updates the notes a student already has instead of adding copies.

A card's pictures go into the package as Anki media, under flat names made from the deck id
and the picture's path (`cardio-images-ecg.png`), which the note's `<img src>` names; a
picture whose file cannot be shown (see `quiz validate`) is exported as its alt text.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import random
import re
import sqlite3
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

from markdown_it import MarkdownIt

from quiz.core.images import IMAGE_RE, card_images
from quiz.core.model import SLUG_RE, Card, Deck
from quiz.storage.user_files import AuthoringError, write_atomic, write_atomic_with

Target = Literal["apkg", "csv"]
NoteKind = Literal["basic", "reversed", "cloze"]

_MARKDOWN = MarkdownIt("gfm-like", {"html": False})
_CSS = (
    ".card { font-family: sans-serif; font-size: 20px; text-align: left; color: black;"
    " background-color: white; }\n.cloze { font-weight: bold; color: blue; }\n"
    ".nightMode .cloze { color: lightblue; }\n.extra { font-size: 16px; }\n"
)
_ANSWER = "{{FrontSide}}\n\n<hr id=answer>\n\n"
_EXTRA = '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}'

CSV_NOTETYPES: dict[NoteKind, str] = {
    "basic": "Basic",
    "reversed": "Basic (and reversed card)",
    "cloze": "Cloze",
}
"""Anki's own note types, by the names every Anki collection has them under."""


def html(text: str) -> str:
    """Deck Markdown as HTML for an Anki field (raw HTML in the deck shows as text)."""
    rendered = str(_MARKDOWN.render(text)).strip()
    if rendered.count("<p>") == 1 and rendered.startswith("<p>") and rendered.endswith("</p>"):
        rendered = rendered[3:-4]
    return rendered


def stable_id(*parts: str) -> int:
    """A 31-bit id from text: the same deck always gets the same Anki ids."""
    digest = hashlib.sha256("\x1f".join(("quiz", *parts)).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def letter(index: int) -> str:
    """A, B, ... Z, then 27, 28..."""
    return chr(ord("A") + index) if index < 26 else str(index + 1)


@dataclass(frozen=True, slots=True)
class AnkiNote:
    """One note to write: its kind, its fields (HTML), tags and a stable guid."""

    kind: NoteKind
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    guid: str
    card_type: str
    """The quiz card type it comes from (for the summary)."""


@dataclass
class Exported:
    notes: list[AnkiNote] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    media: dict[str, Path] = field(default_factory=dict)
    """The pictures to pack: Anki's flat name -> the file."""


def _with_media(card: Card, folder: Path | None, result: Exported) -> Card:
    """The card with each picture's path replaced by its Anki media name (the file noted in
    `result.media`), or the picture by its alt text where its file cannot be shown."""
    from quiz.deckfile.images import picture_file

    names = {path: name for name, path in result.media.items()}

    def flat(match: re.Match[str]) -> str:
        alt, given = match.group(1).strip(), match.group(2)
        found = picture_file(folder, given) if folder is not None else None
        if found is None:
            result.notices.append(
                f'card "{card.id}": picture "{given}" cannot be shown; exported as its alt text'
            )
            return alt
        name = names.get(found)
        if name is None:
            base = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{card.deck_id}-{given.replace('/', '-')}")
            name, number = base, 1
            while name.lower() in {n.lower() for n in result.media}:
                number += 1
                stem, dot, suffix = base.rpartition(".")
                name = f"{stem}-{number}{dot}{suffix}" if dot else f"{base}-{number}"
            result.media[name] = found
            names[found] = name
        return f"![{alt}]({name})"

    def fix(text: str) -> str:
        return IMAGE_RE.sub(flat, text) if "![" in text else text

    def fix_or_none(text: str | None) -> str | None:
        return fix(text) if text else text

    options = tuple(
        dataclasses.replace(option, text=fix(option.text), why=fix_or_none(option.why))
        for option in card.options
    )
    return dataclasses.replace(
        card,
        front=fix(card.front),
        back=fix(card.back),
        text=fix(card.text),
        scenario=fix_or_none(card.scenario),
        question=fix(card.question),
        explanation=fix_or_none(card.explanation),
        options=options,
    )


def shown_order(card: Card) -> list[int]:
    """The option indexes in the order the front lists them (fixed per card, not the ideal)."""
    order = list(range(len(card.options)))
    random.Random(card.key).shuffle(order)
    if card.type == "rank" and order == sorted(order) and len(order) > 1:
        order = order[1:] + order[:1]  # never list a rank question in its ideal order
    return order


def _extra(card: Card) -> str:
    parts = []
    if card.explanation:
        parts.append(html(card.explanation))
    if card.source:
        parts.append(f"<small>Source: {html(card.source)}</small>")
    return "<br><br>".join(parts)


def _question_front(card: Card, order: list[int]) -> str:
    parts = []
    if card.scenario:
        parts.append(f"<div>{html(card.scenario)}</div>")
    parts.append(f"<p><b>{html(card.question)}</b></p>")
    if card.type == "choice":
        k = len(card.correct_indexes)
        parts.append(f"<p><i>Choose {k}.</i></p>" if k > 1 else "<p><i>Choose one.</i></p>")
    else:
        parts.append("<p><i>Rank from most to least appropriate.</i></p>")
    items = "".join(f"<li>{html(card.options[i].text)}</li>" for i in order)
    parts.append(f'<ol type="A">{items}</ol>')
    return "\n".join(parts)


def _choice_back(card: Card, order: list[int]) -> str:
    correct = card.correct_indexes
    letters = ", ".join(letter(p) for p, i in enumerate(order) if i in correct)
    k = len(correct)
    lines = [f"<p><b>Answer: {letters}</b></p>"]
    if k > 1:
        lines.append(
            f"<p>4 marks per correct pick, out of {4 * k}; picking more than {k} scores 0.</p>"
        )
    items = []
    for place, index in enumerate(order):
        option = card.options[index]
        mark = "&#10003; correct" if index in correct else "&#10007; not correct"
        why = f" &mdash; {html(option.why)}" if option.why else ""
        items.append(f"<li>{letter(place)}. <b>{mark}</b>: {html(option.text)}{why}</li>")
    lines.append(f"<ul>{''.join(items)}</ul>")
    return "\n".join(lines)


def _rank_back(card: Card, order: list[int]) -> str:
    n = len(card.options)
    letters = " ".join(letter(order.index(i)) for i in range(n))
    lines = [f"<p><b>Ideal order: {letters}</b></p>"]
    items = []
    for index, option in enumerate(card.options):
        why = f" &mdash; {html(option.why)}" if option.why else ""
        items.append(f"<li>{letter(order.index(index))}. {html(option.text)}{why}</li>")
    lines.append(f"<ol>{''.join(items)}</ol>")
    lines.append(
        f"<p>Each option scores {n - 1} minus how far it is from its ideal place (never below 0),"
        f" {n * (n - 1)} in all; a near miss still scores.</p>"
    )
    return "\n".join(lines)


def card_has_images(card: Card) -> bool:
    """Whether any text of the card holds a picture."""
    return bool(card_images(card))


def to_notes(deck: Deck) -> Exported:
    """The Anki notes of a deck, in deck order."""
    from genanki import guid_for  # type: ignore[import-untyped,unused-ignore]

    result = Exported()
    folder = deck.path.parent if deck.path is not None else None
    for card in deck.cards:
        if card_has_images(card):
            card = _with_media(card, folder, result)
        tags = tuple(deck.all_tags(card))
        guid = str(guid_for(deck.id, card.id))
        extra = _extra(card)
        fields: tuple[str, ...]
        if card.type == "basic":
            kind: NoteKind = "reversed" if card.reverse else "basic"
            fields = (html(card.front), html(card.back), extra)
        elif card.type == "cloze":
            kind = "cloze"
            fields = (html(card.text), extra)
        else:
            kind = "basic"
            order = shown_order(card)
            back = _choice_back(card, order) if card.type == "choice" else _rank_back(card, order)
            fields = (_question_front(card, order), back, extra)
        result.notes.append(AnkiNote(kind, fields, tags, guid, card.type))
    return result


def summary(exported: Exported) -> str:
    """`12 notes: basic 5 (2 also reversed), cloze 3, choice 2 and rank 2 as basic notes`."""
    kinds = Counter(note.card_type for note in exported.notes)
    reversed_ = sum(1 for note in exported.notes if note.kind == "reversed")
    parts = []
    if kinds["basic"]:
        parts.append(
            f"basic {kinds['basic']}" + (f" ({reversed_} also reversed)" if reversed_ else "")
        )
    if kinds["cloze"]:
        parts.append(f"cloze {kinds['cloze']}")
    questions = [f"{kind} {kinds[kind]}" for kind in ("choice", "rank") if kinds[kind]]
    if questions:
        parts.append(" and ".join(questions) + " as basic notes")
    return f"{len(exported.notes)} notes: " + ", ".join(parts)


# --- .apkg ---


def _models(deck_id: str) -> dict[NoteKind, Any]:
    import genanki

    extra_field = {"name": "Extra"}
    basic = genanki.Model(
        stable_id(deck_id, "model", "basic"),
        f"Basic (quiz: {deck_id})",
        fields=[{"name": "Front"}, {"name": "Back"}, dict(extra_field)],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": _ANSWER + "{{Back}}" + _EXTRA}],
        css=_CSS,
    )
    reversed_ = genanki.Model(
        stable_id(deck_id, "model", "reversed"),
        f"Basic (and reversed card) (quiz: {deck_id})",
        fields=[{"name": "Front"}, {"name": "Back"}, dict(extra_field)],
        templates=[
            {"name": "Card 1", "qfmt": "{{Front}}", "afmt": _ANSWER + "{{Back}}" + _EXTRA},
            {"name": "Card 2", "qfmt": "{{Back}}", "afmt": _ANSWER + "{{Front}}" + _EXTRA},
        ],
        css=_CSS,
    )
    cloze = genanki.Model(
        stable_id(deck_id, "model", "cloze"),
        f"Cloze (quiz: {deck_id})",
        model_type=genanki.Model.CLOZE,
        fields=[{"name": "Text"}, {"name": "Back Extra"}],
        templates=[
            {
                "name": "Cloze",
                "qfmt": "{{cloze:Text}}",
                "afmt": '{{cloze:Text}}<br>\n<div class="extra">{{Back Extra}}</div>',
            }
        ],
        css=_CSS,
    )
    return {"basic": basic, "reversed": reversed_, "cloze": cloze}


def write_apkg(deck: Deck, exported: Exported, path: Path, timestamp: float) -> None:
    """Write the notes as an Anki package (the collection is SQLite, as genanki makes it)."""
    import itertools

    import genanki

    models = _models(deck.id)
    anki_deck = genanki.Deck(stable_id(deck.id, "deck"), deck.title, description=deck.description)
    for note in exported.notes:
        anki_deck.add_note(
            genanki.Note(
                model=models[note.kind],
                fields=list(note.fields),
                tags=list(note.tags),
                guid=note.guid,
            )
        )
    package = genanki.Package(anki_deck)
    with tempfile.TemporaryDirectory(prefix="quiz-export-") as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            package.write_to_db(
                connection.cursor(), timestamp, itertools.count(int(timestamp * 1000))
            )
            connection.commit()
        finally:
            connection.close()

        def write(tmp: Path) -> None:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(database, "collection.anki2")
                # Anki's legacy media layout: members "0", "1"... and a map to their names
                for number, source in enumerate(exported.media.values()):
                    archive.write(source, str(number))
                names = {str(number): name for number, name in enumerate(exported.media)}
                archive.writestr("media", json.dumps(names))

        write_atomic_with(path, write)


# --- notes as text ---


def csv_text(exported: Exported) -> tuple[str, list[str]]:
    """Anki's notes-as-text form (tab-separated, HTML), and notices of what it leaves out."""
    buffer = io.StringIO()
    buffer.write("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#tags column:5\n")
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    left_out = 0
    for note in exported.notes:
        first, second, *rest = note.fields
        extra = rest[0] if rest else ""
        if extra and note.kind == "reversed":
            left_out += 1  # it would show on the reversed card's question side
        elif extra:
            second = f"{second}<br><br>{extra}" if second else extra
        writer.writerow([note.guid, CSV_NOTETYPES[note.kind], first, second, " ".join(note.tags)])
    notices = []
    if left_out:
        notices.append(
            f"left out the explanation and source of {left_out} reversed card(s): Anki would "
            "show them with the question (the .apkg keeps them)"
        )
    return buffer.getvalue(), notices


# --- the command ---


def target_for(given: str | None, output: Path) -> Target:
    """`--to`, else the output file's suffix (.apkg, or .csv/.txt/.tsv)."""
    if given in ("apkg", "csv"):
        return given  # type: ignore[return-value]
    suffix = output.suffix.lower()
    if suffix == ".apkg":
        return "apkg"
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    raise AuthoringError(f"-o {output}: say --to apkg or --to csv (or name the file .apkg or .txt)")


def run(
    deck: Deck, output: Path, target: Target, *, out: TextIO, err: TextIO, timestamp: float
) -> int:
    """Export `deck` to `output`; returns the exit status."""
    if output.is_dir():
        raise AuthoringError(f"-o {output}: this is a folder; give a file name")
    exported = to_notes(deck)
    if target == "apkg":
        if output.suffix.lower() != ".apkg":
            raise AuthoringError(f"-o {output}: an Anki package's name ends in .apkg")
        write_apkg(deck, exported, output, timestamp)
    else:
        text, notices = csv_text(exported)
        exported.notices.extend(notices)
        if exported.media:
            exported.notices.append(
                f"{len(exported.media)} picture(s) are named but not carried by a text export "
                "(put them in Anki's media folder, or export --to apkg, which packs them)"
            )
        write_atomic(output, text)
    for notice in exported.notices:
        print(f"{output}: note: {notice}", file=err)
    count, kinds = summary(exported).split(": ", 1)
    print(f"wrote {output}: {count}", file=out)
    print(f"  {kinds}", file=out)
    if exported.media and target == "apkg":
        pictures = len(exported.media)
        print(f"  {pictures} picture{'s' if pictures != 1 else ''} packed with them", file=out)
    if target == "apkg":
        print("  open it in Anki or AnkiDroid (File > Import)", file=out)
    else:
        print("  in Anki: File > Import, then pick this file", file=out)
    return 0


def find_deck(given: str, loaded: Callable[[], Sequence[Deck]]) -> Deck:
    """The deck to export: a deck file, else the loaded deck with that id.

    Raises:
        DeckError: the deck file has problems.
        AuthoringError: no such file, and no loaded deck has that id.
    """
    from quiz.deckfile.deck import load_deck

    path = Path(given)
    if path.exists() or path.suffix.lower() == ".json" or not SLUG_RE.match(given):
        return load_deck(path)
    decks = loaded()
    for deck in decks:
        if deck.id == given:
            return deck
    if path.with_name(f"{path.name}.json").exists():
        return load_deck(path.with_name(f"{path.name}.json"))
    known = f"the decks are {', '.join(d.id for d in decks)}" if decks else "no deck is loaded"
    raise AuthoringError(f"{given}: no such deck file or deck id ({known})")
