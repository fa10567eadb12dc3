"""Notes read from an Anki package (.apkg): a zip holding an SQLite collection.

The collection is `collection.anki21` (or `collection.anki2` from older Anki and genanki).
Note types come from the models JSON in the `col` table: a cloze type (type 1) gives cloze
cards; a standard type with one card template gives basic cards, with two templates
basic cards with `reverse` (when the note has its second card). Other note types are
reported note by note.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from quiz.commands.authoring import AuthoringError
from quiz.commands.authoring.notes import Converted, Note, Skip, reduce, split_tags

COLLECTIONS = ("collection.anki21", "collection.anki2")
NEW_FORMAT = "collection.anki21b"
FIELD_SEPARATOR = "\x1f"


def read_package(path: Path) -> Converted:
    """The cards of an .apkg, and every note that could not become one.

    Raises:
        AuthoringError: the file is not a package quiz can read.
    """
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            chosen = next((name for name in COLLECTIONS if name in names), None)
            if NEW_FORMAT in names:
                raise AuthoringError(
                    f"{path}: made in Anki's newest package format, which quiz cannot read; "
                    'in Anki, export again with "Support older Anki versions" ticked'
                )
            if chosen is None:
                raise AuthoringError(
                    f"{path}: no Anki collection inside (expected {' or '.join(COLLECTIONS)}); "
                    "is this an .apkg exported by Anki?"
                )
            with tempfile.TemporaryDirectory(prefix="quiz-import-") as folder:
                database = Path(package.extract(chosen, folder))
                return _read_collection(database, f"{path} ({chosen})")
    except zipfile.BadZipFile:
        raise AuthoringError(f"{path}: not an Anki package (.apkg): not a zip file") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise AuthoringError(f"{path}: cannot unpack: {exc}") from None


def _read_collection(database: Path, shown: str) -> Converted:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        models, decks = _col(connection, shown)
        note_rows = connection.execute(
            "SELECT id, mid, tags, flds FROM notes ORDER BY id"
        ).fetchall()
        ords: dict[int, set[int]] = defaultdict(set)
        deck_ids: set[int] = set()
        for note_id, card_ord, deck_id in connection.execute("SELECT nid, ord, did FROM cards"):
            ords[note_id].add(card_ord)
            deck_ids.add(deck_id)
    except sqlite3.DatabaseError as exc:
        raise AuthoringError(f"{shown}: not a readable Anki collection: {exc}") from None
    finally:
        connection.close()
    result = Converted()
    names = [decks[d] for d in sorted(deck_ids) if d in decks]
    if len(set(names)) == 1:
        result.title = names[0]
    for note_id, model_id, tags, fields_text in note_rows:
        where = f"note {note_id}"
        model = models.get(str(model_id))
        if model is None:
            result.skipped.append(Skip(where, f"its note type ({model_id}) is not in the package"))
            continue
        kind = _kind(model, ords.get(note_id, set()))
        if kind.startswith("!"):
            result.skipped.append(Skip(where, kind[1:]))
            continue
        values = str(fields_text).split(FIELD_SEPARATOR)
        fields = tuple(reduce(value, html=True) for value in _ordered(model, values, kind))
        result.add(Note(where, kind, fields, split_tags(str(tags or ""))))
    return result


def _col(connection: sqlite3.Connection, shown: str) -> tuple[dict[str, Any], dict[int, str]]:
    row = connection.execute("SELECT models, decks FROM col").fetchone()
    if row is None:
        raise AuthoringError(f"{shown}: the collection has no note types (empty col table)")
    try:
        models = json.loads(row[0] or "{}")
        decks = json.loads(row[1] or "{}")
    except json.JSONDecodeError:
        raise AuthoringError(f"{shown}: the note types (col.models) are not JSON") from None
    if not isinstance(models, dict) or not models:
        raise AuthoringError(
            f"{shown}: no note types in col.models (a newer collection format?); in Anki, "
            'export again with "Support older Anki versions" ticked'
        )
    names: dict[int, str] = {}
    if isinstance(decks, dict):
        for value in decks.values():
            if isinstance(value, dict) and isinstance(value.get("id"), int):
                names[value["id"]] = str(value.get("name", ""))
    return {str(key): value for key, value in models.items() if isinstance(value, dict)}, names


def _kind(model: dict[str, Any], card_ords: set[int]) -> str:
    """`basic`, `reversed`, `cloze`, or `!reason` for a note type quiz does not import."""
    name = str(model.get("name", "?"))
    if model.get("type") == 1:
        return "cloze"
    templates = model.get("tmpls") or []
    if len(templates) == 1:
        return "basic"
    if len(templates) == 2:
        return "reversed" if 1 in card_ords else "basic"
    return (
        f'!its note type "{name}" has {len(templates)} card templates; quiz imports basic, '
        "reversed and cloze notes"
    )


def _ordered(model: dict[str, Any], values: list[str], kind: str) -> list[str]:
    """Field values with the question field first and the answer second, the rest after."""
    fields = sorted(model.get("flds") or [], key=lambda f: f.get("ord", 0))
    names = [str(f.get("name", "")) for f in fields]
    wanted = ("Text", "Back Extra") if kind == "cloze" else ("Front", "Back")
    order = [names.index(name) for name in wanted if name in names]
    flag = names.index("Add Reverse") if "Add Reverse" in names else None  # read from the cards
    order += [i for i in range(len(values)) if i not in order and i != flag]
    return [values[i] for i in order if i < len(values)]
