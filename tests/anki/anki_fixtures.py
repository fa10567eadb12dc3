"""Anki packages built in the test, with genanki and sqlite3: no network, no Anki needed."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import genanki

THREE_TEMPLATES = genanki.Model(
    1607392319,
    "Vocabulary (3 cards)",
    fields=[{"name": "Word"}, {"name": "Meaning"}, {"name": "Example"}],
    templates=[
        {"name": "Recognise", "qfmt": "{{Word}}", "afmt": "{{Meaning}}"},
        {"name": "Recall", "qfmt": "{{Meaning}}", "afmt": "{{Word}}"},
        {"name": "Use", "qfmt": "{{Example}}", "afmt": "{{Word}}"},
    ],
)


def build_apkg(path: Path) -> dict[str, int]:
    """An .apkg with good and bad notes; returns the note ids of the bad ones by name."""
    deck = genanki.Deck(2059400110, "Cardiology basics")
    notes = [
        (
            "basic",
            genanki.BASIC_MODEL,
            ["What is the <b>first</b> heart sound?", "Mitral and tricuspid valves closing"],
        ),
        (
            "reversed",
            genanki.BASIC_AND_REVERSED_CARD_MODEL,
            ["Tachycardia", "Heart rate over 100/min"],
        ),
        (
            "optional-on",
            genanki.BASIC_OPTIONAL_REVERSED_CARD_MODEL,
            ["Bradycardia", "Heart rate under 60/min", "y"],
        ),
        (
            "optional-off",
            genanki.BASIC_OPTIONAL_REVERSED_CARD_MODEL,
            ["QRS width", "Under 120 ms", ""],
        ),
        (
            "cloze",
            genanki.CLOZE_MODEL,
            ["The {{c1::SA node}} sets the {{c2::rhythm}}.", "Extra <i>facts</i>"],
        ),
        ("empty-back", genanki.BASIC_MODEL, ["A question without an answer", ""]),
        ("no-deletion", genanki.CLOZE_MODEL, ["A cloze text with no deletion", ""]),
        ("three", THREE_TEMPLATES, ["Syncope", "Fainting", "She had an episode of syncope."]),
    ]
    for name, model, fields in notes:
        deck.add_note(genanki.Note(model=model, fields=fields, tags=["cardio", name]))
    genanki.Package(deck).write_to_file(str(path), timestamp=1_700_000_000)
    with zipfile.ZipFile(path) as package, package.open("collection.anki2") as db:
        data = db.read()
    folder = path.parent / "unzipped"
    folder.mkdir(exist_ok=True)
    (folder / "collection.anki2").write_bytes(data)
    connection = sqlite3.connect(folder / "collection.anki2")
    try:
        ids = {}
        for note_id, tags in connection.execute("SELECT id, tags FROM notes"):
            for name in ("empty-back", "no-deletion", "three"):
                if f" {name} " in f" {tags} ":
                    ids[name] = note_id
    finally:
        connection.close()
    return ids


def rewrite_collection(path: Path, sql: str) -> None:
    """Run SQL on the collection inside an .apkg, in place."""
    with zipfile.ZipFile(path) as package:
        name = next(n for n in package.namelist() if n.startswith("collection"))
        data = package.read(name)
        others = {n: package.read(n) for n in package.namelist() if n != name}
    db = path.parent / f"{path.stem}-edit.anki2"
    db.write_bytes(data)
    connection = sqlite3.connect(db)
    connection.executescript(sql)
    connection.commit()
    connection.close()
    with zipfile.ZipFile(path, "w") as package:
        package.write(db, name)
        for other, content in others.items():
            package.writestr(other, content)


def models_of(path: Path) -> dict[str, object]:
    """The models JSON of an .apkg's collection."""
    with zipfile.ZipFile(path) as package:
        data = package.read("collection.anki2")
    db = path.parent / f"{path.stem}-read.anki2"
    db.write_bytes(data)
    connection = sqlite3.connect(db)
    try:
        (models,) = connection.execute("SELECT models FROM col").fetchone()
    finally:
        connection.close()
    result: dict[str, object] = json.loads(models)
    return result
