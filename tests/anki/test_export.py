"""Export to Anki: an .apkg whose SQLite collection holds the right notes, and notes as text."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

from quiz.anki.export import csv_text, run, shown_order, stable_id, to_notes
from quiz.anki.text_notes import read_text_notes
from quiz.core.model import Card, Deck, Option

DECK_ID = "sjt-demo"


def demo_deck() -> Deck:
    def card(card_id: str, kind: str, **fields: object) -> Card:
        return Card(DECK_ID, card_id, kind, **fields)  # type: ignore[arg-type]

    rank_options = tuple(Option(f"rank option {i}", why=f"rank why {i}") for i in range(5))
    choice_options = tuple(
        Option(f"pick {i}", correct=i in (1, 4, 6), why=f"choice why {i}") for i in range(8)
    )
    return Deck(
        DECK_ID,
        "SJT demo",
        (
            card(
                "sbar", "basic", front="What is **SBAR**?", back="A handover tool", tags=("comm",)
            ),
            card(
                "candour",
                "basic",
                front="Duty of candour",
                back="Be open",
                reverse=True,
                explanation="GMC guidance",
                source="GMC 2015",
            ),
            card("gmc", "cloze", text="The {{c1::GMC}} regulates {{c2::doctors::who?}}."),
            card(
                "alcohol",
                "choice",
                scenario="Night shift.",
                question="Choose three.",
                options=choice_options,
            ),
            card(
                "gentamicin",
                "rank",
                scenario="Wrong dose.",
                question="Rank these.",
                options=rank_options,
                explanation="Patient first",
            ),
        ),
        tags=("sjt",),
        description="A demo",
    )


def collection(path: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(path) as package:
        assert set(package.namelist()) == {"collection.anki2", "media"}
        db = tmp_path / "opened.anki2"
        db.write_bytes(package.read("collection.anki2"))
    return sqlite3.connect(db)


def test_exported_apkg_holds_the_right_notes(tmp_path: Path) -> None:
    out = io.StringIO()
    path = tmp_path / "demo.apkg"
    assert run(demo_deck(), path, "apkg", out=out, err=io.StringIO(), timestamp=1.7e9) == 0
    assert out.getvalue().splitlines()[:2] == [
        f"wrote {path}: 5 notes",
        "  basic 2 (1 also reversed), cloze 1, choice 1 and rank 1 as basic notes",
    ]
    connection = collection(path, tmp_path)
    models = {
        int(k): v
        for k, v in json.loads(connection.execute("SELECT models FROM col").fetchone()[0]).items()
    }
    decks = json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
    notes = connection.execute("SELECT guid, mid, tags, flds FROM notes ORDER BY id").fetchall()
    cards = connection.execute("SELECT nid, ord FROM cards").fetchall()
    connection.close()

    ours = [m for m in models.values() if m["name"].endswith(f"(quiz: {DECK_ID})")]
    assert {m["name"]: m["type"] for m in ours} == {
        f"Basic (quiz: {DECK_ID})": 0,
        f"Basic (and reversed card) (quiz: {DECK_ID})": 0,
        f"Cloze (quiz: {DECK_ID})": 1,
    }
    assert stable_id(DECK_ID, "deck") in {int(d) for d in decks}
    assert decks[str(stable_id(DECK_ID, "deck"))]["name"] == "SJT demo"
    kinds = [models[mid]["name"].split(" (quiz")[0] for _, mid, _, _ in notes]
    assert kinds == ["Basic", "Basic (and reversed card)", "Cloze", "Basic", "Basic"]
    fields = [flds.split("\x1f") for _, _, _, flds in notes]
    assert fields[0] == ["What is <strong>SBAR</strong>?", "A handover tool", ""]
    assert fields[1][2] == "GMC guidance<br><br><small>Source: GMC 2015</small>"
    assert fields[2] == ["The {{c1::GMC}} regulates {{c2::doctors::who?}}.", ""]
    assert notes[0][2].split() == ["sjt", "comm"]
    # Anki makes one card per side and per cloze number: 1 + 2 + 2 + 1 + 1
    assert len(cards) == 7

    choice_front, choice_back, _ = fields[3]
    assert "Night shift." in choice_front and "Choose 3." in choice_front
    assert (
        choice_back.count("&#10003; correct") == 3
        and choice_back.count("&#10007; not correct") == 5
    )
    assert "out of 12" in choice_back and all(f"choice why {i}" in choice_back for i in range(8))
    rank_front, rank_back, rank_extra = fields[4]
    listed = [rank_front.index(f"rank option {i}") for i in range(5)]
    assert listed != sorted(listed)  # the front never shows the ideal order
    order = shown_order(demo_deck().cards[4])
    letters = " ".join("ABCDE"[order.index(i)] for i in range(5))
    assert f"Ideal order: {letters}" in rank_back and "20 in all" in rank_back
    assert rank_extra == "Patient first"


def test_export_again_gives_the_same_ids(tmp_path: Path) -> None:
    ids = []
    for name in ("one.apkg", "two.apkg"):
        path = tmp_path / name
        run(demo_deck(), path, "apkg", out=io.StringIO(), err=io.StringIO(), timestamp=1.8e9)
        connection = collection(path, tmp_path)
        ids.append(connection.execute("SELECT guid, mid FROM notes ORDER BY guid").fetchall())
        connection.close()
    assert ids[0] == ids[1]
    assert stable_id("a") != stable_id("b") and 1 << 30 <= stable_id("a") < 1 << 31


def test_text_export_reads_back_as_the_same_kinds_of_card() -> None:
    text, notices = csv_text(to_notes(demo_deck()))
    assert text.startswith("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n")
    assert notices == [
        "left out the explanation and source of 1 reversed card(s): Anki would show them with "
        "the question (the .apkg keeps them)"
    ]
    back = read_text_notes(text.encode(), Path("demo.txt"))
    assert back.skipped == []
    assert [(c["type"], c.get("reverse", False)) for c in back.cards] == [
        ("basic", False),
        ("basic", True),
        ("cloze", False),
        ("basic", False),
        ("basic", False),
    ]
    assert back.cards[0]["front"] == "What is **SBAR**?"
    assert back.cards[0]["tags"] == ["sjt", "comm"]
