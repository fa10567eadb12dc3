"""Against Anki itself, when it is installed (`pip install anki`, the bench extra).

Anki writes the text export and the packages that quiz imports, and imports the package
that quiz exports. Skipped when the anki package is not there.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from quiz.anki.export import run as export
from quiz.anki.notes import Converted
from quiz.anki.package import read_package
from quiz.anki.text_notes import read_text_notes
from quiz.commands.authoring.anki_import import run as import_
from quiz.commands.authoring.new_deck import starter
from quiz.commands.validate import run as validate
from quiz.deckfile.deck import load_deck, parse_deck
from quiz.deckfile.layout import dumps

anki_collection: Any = pytest.importorskip("anki.collection")
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
"""A 1x1 PNG."""


def made_by_anki(folder: Path) -> None:
    """A collection with Anki's stock note types, exported as text and as packages."""
    col = anki_collection.Collection(str(folder / "source.anki2"))
    try:
        deck_id = col.decks.id("Cardio real")
        notes = [
            ("Basic", ["What is the <b>first</b> heart sound?", "Mitral &amp; tricuspid<br>(S1)"]),
            ("Basic (and reversed card)", ["Tachycardia", "Rate &gt; 100/min"]),
            ("Basic (optional reversed card)", ["Bradycardia", "Rate &lt; 60/min", "y"]),
            ("Basic (optional reversed card)", ["QRS", "Under 120 ms", ""]),
            ("Cloze", ["The {{c1::SA node}} sets the {{c2::rhythm::what?}}.", "<i>Extra</i>"]),
            ("Basic (type in the answer)", ["Capital of France?", "Paris"]),
            (
                "Basic",
                ['Where is the apex beat? <img src="heart.png">', "5th space [sound:beat.mp3]"],
            ),
        ]
        (folder / "heart.png").write_bytes(PNG)
        col.media.add_file(str(folder / "heart.png"))
        (folder / "beat.mp3").write_bytes(b"ID3 not really")
        col.media.add_file(str(folder / "beat.mp3"))
        for name, fields in notes:
            note = col.new_note(col.models.by_name(name))
            for index, value in enumerate(fields):
                note.fields[index] = value
            note.tags = ["cardio"]
            col.add_note(note, deck_id)
        limit = anki_collection.DeckIdLimit(deck_id)
        col.export_note_csv(
            out_path=str(folder / "notes.txt"), limit=limit, with_html=True, with_tags=True,
            with_deck=True, with_notetype=True, with_guid=True,
        )  # fmt: skip
        for name, legacy in (("legacy.apkg", True), ("new.apkg", False)):
            options = anki_collection.ExportAnkiPackageOptions(
                with_scheduling=False, with_media=True, legacy=legacy
            )
            col.export_anki_package(out_path=str(folder / name), options=options, limit=limit)
    finally:
        col.close()


def summary(converted: Converted) -> list[tuple[str, bool, str]]:
    return [
        (c["type"], bool(c.get("reverse")), c.get("front", c.get("text", "")))
        for c in converted.cards
    ]


def test_what_anki_exports_imports_the_same_from_text_and_package(tmp_path: Path) -> None:
    made_by_anki(tmp_path)
    text = read_text_notes((tmp_path / "notes.txt").read_bytes(), tmp_path / "notes.txt")
    package = read_package(tmp_path / "legacy.apkg")
    expected = [
        ("basic", False, "What is the **first** heart sound?"),
        ("basic", True, "Tachycardia"),
        ("basic", True, "Bradycardia"),
        ("basic", False, "QRS"),
        ("cloze", False, "The {{c1::SA node}} sets the {{c2::rhythm::what?}}."),
        ("basic", False, "Capital of France?"),
        ("basic", False, "Where is the apex beat? [image: heart.png]"),
    ]
    assert summary(text) == summary(package) == expected
    assert text.cards == package.cards
    assert text.cards[0]["back"] == "Mitral & tricuspid\n(S1)"
    assert text.title == package.title == "Cardio real"
    assert text.skipped == package.skipped == []
    assert len(text.media) == len(package.media) == 1


def test_the_current_package_format_imports_like_the_legacy_one(tmp_path: Path) -> None:
    """Anki's default export (collection.anki21b: zstd, the newest schema) gives the same deck."""
    made_by_anki(tmp_path)
    with zipfile.ZipFile(tmp_path / "new.apkg") as package:
        assert "collection.anki21b" in package.namelist()
    with zipfile.ZipFile(tmp_path / "legacy.apkg") as package:
        assert "collection.anki21b" not in package.namelist()
    new, legacy = read_package(tmp_path / "new.apkg"), read_package(tmp_path / "legacy.apkg")
    assert new.cards == legacy.cards and len(new.cards) == 7
    assert summary(new) == summary(legacy)
    assert new.title == legacy.title == "Cardio real"
    assert new.skipped == legacy.skipped == []
    assert new.media == legacy.media and len(new.media) == 1
    assert new.cards[4]["explanation"] == "*Extra*"
    # through the command, the decks and the reports are the same but for the file names
    reports = []
    for name in ("new", "legacy"):
        printed, reported = io.StringIO(), io.StringIO()
        code = import_(
            tmp_path / f"{name}.apkg", tmp_path / f"{name}.json", deck_id_given="cardio",
            title=None, force=False, out=printed, err=reported,
        )  # fmt: skip
        assert code == 0
        deck = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
        deck.pop("description")  # "Imported from new.apkg."
        shown = json.dumps(deck).replace(name, "X")
        reports.append(
            (shown, printed.getvalue().replace(name, "X"), reported.getvalue().replace(name, "X"))
        )
        # the picture is beside the deck, byte for byte, and the card shows it
        assert (tmp_path / f"{name}.media" / "heart.png").read_bytes() == PNG
        assert sorted(p.name for p in (tmp_path / f"{name}.media").iterdir()) == ["heart.png"]
    assert reports[0] == reports[1]
    deck_text, out, err = reports[0]
    assert "Where is the apex beat? ![picture heart](X.media/heart.png)" in deck_text
    assert "[sound: beat.mp3]" in deck_text
    assert err.endswith('note: sound "beat.mp3" not imported: quiz plays no sounds\n')
    assert err.count("\n") == 1
    assert "7 cards" in out and "1 picture written to" in out
    validated = io.StringIO()
    assert (
        validate(
            [str(tmp_path / "new.json")], strict=False, fmt="text", out=validated, err=io.StringIO()
        )
        == 0
    )


def test_anki_imports_what_quiz_exports(tmp_path: Path) -> None:
    deck = parse_deck(dumps(starter("sjt", "SJT", date(2026, 11, 26))))
    path = tmp_path / "sjt.apkg"
    export(deck, path, "apkg", out=io.StringIO(), err=io.StringIO(), timestamp=1.7e9)
    col = anki_collection.Collection(str(tmp_path / "student.anki2"))
    try:
        request = anki_collection.ImportAnkiPackageRequest(
            package_path=str(path),
            options=anki_collection.ImportAnkiPackageOptions(with_scheduling=False),
        )
        col.import_anki_package(request)
        notes = [col.get_note(nid) for nid in col.find_notes("")]
        kinds = sorted((n.note_type()["name"].split(" (quiz")[0], len(n.cards())) for n in notes)
        assert kinds == [
            ("Basic", 1),
            ("Basic", 1),
            ("Basic", 1),
            ("Basic (and reversed card)", 2),
            ("Cloze", 2),
        ]
        assert "SJT" in [d.name for d in col.decks.all_names_and_ids()]
        # exported again after an edit, the notes are updated, not added twice
        edited = dumps(starter("sjt", "SJT", date(2026, 11, 26))).replace(
            "the answer, shown when", "THE EDITED answer, shown when"
        )
        export(
            parse_deck(edited), path, "apkg", out=io.StringIO(), err=io.StringIO(), timestamp=1.8e9
        )
        col.import_anki_package(request)
        assert len(col.find_notes("")) == 5
        assert len(col.find_notes('"back:*THE EDITED answer*"')) == 1
    finally:
        col.close()


def test_an_exported_picture_round_trips_through_anki(tmp_path: Path) -> None:
    """quiz exports a deck with pictures; Anki imports the package with its media; Anki's own
    export of that imports back into quiz with the same picture, byte for byte."""
    (tmp_path / "decks" / "images").mkdir(parents=True)
    (tmp_path / "decks" / "images" / "ecg.png").write_bytes(PNG)
    (tmp_path / "decks" / "chart.gif").write_bytes(GIF)
    deck_file = tmp_path / "decks" / "ecg.json"
    cards = [
        {"id": "ecg", "type": "basic", "front": "Rhythm? ![an ECG strip](images/ecg.png)",
         "back": "Sinus", "explanation": "See ![a run chart](chart.gif)"},
        {"id": "gap", "type": "cloze", "text": "![an ECG strip](images/ecg.png) is {{c1::sinus}}"},
        {"id": "gone", "type": "basic", "front": "![a lost chart](gone.png)", "back": "x"},
    ]  # fmt: skip
    deck_file.write_text(
        json.dumps({"format": 1, "id": "ecg", "title": "ECG", "cards": cards}), encoding="utf-8"
    )
    path = tmp_path / "ecg.apkg"
    printed, reported = io.StringIO(), io.StringIO()
    export(load_deck(deck_file), path, "apkg", out=printed, err=reported, timestamp=1.7e9)
    assert "2 pictures packed with them" in printed.getvalue()
    assert 'picture "gone.png" cannot be shown; exported as its alt text' in reported.getvalue()
    student = tmp_path / "student"
    student.mkdir()
    col = anki_collection.Collection(str(student / "student.anki2"))
    try:
        request = anki_collection.ImportAnkiPackageRequest(
            package_path=str(path),
            options=anki_collection.ImportAnkiPackageOptions(with_scheduling=False),
        )
        col.import_anki_package(request)
        media = Path(col.media.dir())
        assert (media / "ecg-images-ecg.png").read_bytes() == PNG
        assert (media / "ecg-chart.gif").read_bytes() == GIF
        assert col.media.check().missing == []  # every <img> of every note has its file
        fronts = {col.get_note(nid).fields[0] for nid in col.find_notes("")}
        assert 'Rhythm? <img src="ecg-images-ecg.png" alt="an ECG strip" />' in fronts
        assert "a lost chart" in fronts
        again = tmp_path / "again.apkg"
        options = anki_collection.ExportAnkiPackageOptions(with_scheduling=False, with_media=True)
        col.export_anki_package(out_path=str(again), options=options, limit=None)
    finally:
        col.close()
    code = import_(
        again, tmp_path / "back.json", deck_id_given="ecg-back", title=None, force=False,
        out=io.StringIO(), err=io.StringIO(),
    )  # fmt: skip
    assert code == 0
    assert (tmp_path / "back.media" / "ecg-images-ecg.png").read_bytes() == PNG
    back = (tmp_path / "back.json").read_text(encoding="utf-8")
    assert "![picture ecg images ecg](back.media/ecg-images-ecg.png)" in back


def nested_by_anki(folder: Path) -> None:
    """Notes in nested decks, as a medical school's package has them, exported three ways."""
    col = anki_collection.Collection(str(folder / "nested.anki2"))
    try:
        decks = {
            name: col.decks.id(name)
            for name in ("Med", "Med::Cardio::Heart failure", "Med::Cardio::ECG", "Med::Resp")
        }
        notes = [
            ("Basic", "Med::Cardio::Heart failure", ["First-line in HFrEF?", "ACE inhibitor"]),
            ("Basic", "Med::Cardio::ECG", ["Normal PR interval?", "120-200 ms"]),
            ("Cloze", "Med::Resp", ["{{c1::Salbutamol}} is a {{c2::beta-2}} agonist", ""]),
            ("Basic (and reversed card)", "Med::Cardio::ECG", ["Delta wave", "WPW"]),
        ]
        for kind, deck, fields in notes:
            note = col.new_note(col.models.by_name(kind))
            for index, value in enumerate(fields):
                note.fields[index] = value
            note.tags = ["year2"]
            col.add_note(note, decks[deck])
        reverse = note.cards()[1]  # the reversed card of the last note, in another deck
        col.set_deck([reverse.id], decks["Med::Resp"])
        limit = anki_collection.DeckIdLimit(decks["Med"])
        col.export_note_csv(
            out_path=str(folder / "nested.txt"), limit=limit, with_html=True, with_tags=True,
            with_deck=True, with_notetype=True, with_guid=True,
        )  # fmt: skip
        for name, legacy in (("nested-legacy.apkg", True), ("nested.apkg", False)):
            options = anki_collection.ExportAnkiPackageOptions(with_scheduling=False, legacy=legacy)
            col.export_anki_package(out_path=str(folder / name), options=options, limit=limit)
    finally:
        col.close()


def test_nested_anki_decks_become_tags_in_every_format(tmp_path: Path) -> None:
    nested_by_anki(tmp_path)
    new = read_package(tmp_path / "nested.apkg")
    legacy = read_package(tmp_path / "nested-legacy.apkg")
    heart_failure = ["year2", "Med::Cardio", "Med::Cardio::Heart_failure"]
    ecg = ["year2", "Med::Cardio", "Med::Cardio::ECG"]
    resp = ["year2", "Med::Resp"]
    both = [*ecg, "Med::Resp"]  # its cards are in two decks
    assert [card["tags"] for card in new.cards] == [heart_failure, ecg, resp, both]
    assert new.cards == legacy.cards
    assert new.deck_tags == legacy.deck_tags == [
        "Med::Cardio", "Med::Cardio::ECG", "Med::Cardio::Heart_failure", "Med::Resp"
    ]  # fmt: skip
    # the text export names one deck a note (its first card's): the rest is the same
    text = read_text_notes((tmp_path / "nested.txt").read_bytes(), tmp_path / "nested.txt")
    assert [card["tags"] for card in text.cards] == [heart_failure, ecg, resp, ecg]
    assert text.deck_tags == new.deck_tags
    # through the command: the summary says so, and a tag selects a subdeck's cards
    printed = io.StringIO()
    code = import_(
        tmp_path / "nested.apkg", tmp_path / "med.json", deck_id_given=None, title=None,
        force=False, out=printed, err=io.StringIO(),
    )  # fmt: skip
    assert code == 0
    assert printed.getvalue().splitlines()[2:4] == [
        "  4 Anki decks kept as card tags: Med::Cardio, Med::Cardio::ECG, ...",
        "  (study one with / in the deck list, or quiz study --tag Med::Cardio)",
    ]
    deck = parse_deck((tmp_path / "med.json").read_text(encoding="utf-8"))
    cardio = [card.front for card in deck.cards if "Med::Cardio" in deck.study_tags(card)]
    assert cardio == ["First-line in HFrEF?", "Normal PR interval?", "Delta wave"]
