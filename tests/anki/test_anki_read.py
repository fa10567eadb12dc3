"""Reading Anki exports: the text form with its headers, and .apkg packages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from quiz.anki.html_text import Reduced, reduce_html
from quiz.anki.notes import Converted, Note
from quiz.anki.package import read_package
from quiz.anki.protobuf import varint
from quiz.anki.text_notes import read_text_notes
from quiz.commands.authoring import AuthoringError
from tests.anki.anki_fixtures import build_apkg, rewrite_collection

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("plain", "plain"),
        ("a<br>b", "a\nb"),
        ("<div>one</div><div>two</div>", "one\ntwo"),
        ("<b>bold</b> and <i>it</i>", "**bold** and *it*"),
        ("<ul><li>x</li><li>y</li></ul>", "- x\n- y"),
        ("<ol><li>x</li></ol>", "1. x"),
        ('<ol type="A"><li>x</li><li>y</li></ol>', "- A. x\n- B. y"),
        ("a&nbsp;&amp;&lt;b&gt;", "a &<b>"),
        ('<a href="https://nice.org.uk">NICE</a>', "NICE (https://nice.org.uk)"),
        ('<img src="x.png">', "[image: x.png]"),
        ("[sound:beat.mp3]", "[sound: beat.mp3]"),
        ("<style>.x{}</style>text", "text"),
        ("[bold]not markup[/]", "[bold]not markup[/]"),
    ],
)
def test_html_is_reduced_to_text(html: str, text: str) -> None:
    assert reduce_html(html).text == text


def test_anki_text_export_reads_with_counts_and_bad_rows() -> None:
    path = FIXTURES / "anki-notes.txt"
    result = read_text_notes(path.read_bytes(), path)
    kinds = [(card["type"], bool(card.get("reverse"))) for card in result.cards]
    assert kinds == [
        ("basic", False),
        ("basic", True),
        ("cloze", False),
        ("basic", False),
        ("basic", False),
    ]
    assert result.places == ["line 5", "line 6", "line 7", "line 9", "line 15"]
    assert [(s.where, s.reason.split(";")[0]) for s in result.skipped] == [
        ("line 8", "the back (second field) is empty"),
        ("line 11", "a cloze note without a deletion like {{c1::answer}}"),
        ("line 12", "only 1 field(s)"),
    ]
    sbar, candour, cloze, quoted, image = result.cards
    assert sbar == {
        "type": "basic",
        "front": "What does **SBAR** stand for?",
        "back": "Situation, Background,\nAssessment, Recommendation",
        "tags": ["communication", "handover"],
    }
    assert candour["back"].endswith("go wrong")
    assert (
        cloze["text"]
        == "The {{c1::GMC}} publishes {{c2::Good medical practice::a guidance document}}."
    )
    assert cloze["explanation"] == "*Updated 2024*"
    assert quoted["front"] == "A quoted front over two lines"  # HTML: a new line is a space
    assert quoted["back"] == 'Back with a "quote"'
    assert image["back"] == "[image: heart.png] the heart"
    assert result.media == ["line 15"]


def basic(front: str, back: str, *tags: str) -> dict[str, object]:
    card: dict[str, object] = {"type": "basic", "front": front, "back": back}
    return card | {"tags": list(tags)} if tags else card


SMALL_FILES = [
    ("front,back\n", [], ["line 1"]),  # column headings, reported
    ("Question;Answer;Tags\nq;a;t\n", [basic("q", "a", "t")], ["line 1"]),
    ("fronts,back\n", [basic("fronts", "back")], []),
    ("a;b;t1 t2\n", [basic("a", "b", "t1", "t2")], []),
    ("{{c1::x}} y\n", [{"type": "cloze", "text": "{{c1::x}} y"}], []),
    ("#separator:comma\n#html:false\na,<b>b</b>\n", [basic("a", "<b>b</b>")], []),
    ('a,"unclosed\n', [], ["line 1"]),
    ("tags:deckwide\na\tb\n", [basic("a", "b", "deckwide")], []),
    ("#separator:tab\n#guid column:1\n#tags column:4\nG1\ta\tb\tt\n", [basic("a", "b", "t")], []),
]


@pytest.mark.parametrize(("text", "cards", "skipped"), SMALL_FILES)
def test_small_text_files(text: str, cards: list[dict[str, object]], skipped: list[str]) -> None:
    result = read_text_notes(text.encode(), Path("notes.csv"))
    assert result.cards == cards
    assert [s.where for s in result.skipped] == skipped


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"#separator:wiggle\na\tb\n", "notes.txt:1: unknown separator 'wiggle'"),
        (b"#html:maybe\na\tb\n", "notes.txt:1: #html must be true or false"),
        (b"#tags column:zero\na\tb\n", "notes.txt:1: #tags column must be a column number"),
        (b"a\tb\n\xff\n", "notes.txt:2: the file is not UTF-8 text"),
    ],
)
def test_bad_text_files_name_the_place(data: bytes, message: str) -> None:
    with pytest.raises(AuthoringError) as caught:
        read_text_notes(data, Path("notes.txt"))
    assert str(caught.value).startswith(message)


def test_apkg_reads_basic_reversed_and_cloze_and_reports_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "cardio.apkg"
    bad = build_apkg(path)
    result = read_package(path)
    assert result.title == "Cardiology basics"
    summary = [
        (c["type"], c.get("reverse", False), c.get("front", c.get("text"))) for c in result.cards
    ]
    assert summary == [
        ("basic", False, "What is the **first** heart sound?"),
        ("basic", True, "Tachycardia"),
        ("basic", True, "Bradycardia"),
        ("basic", False, "QRS width"),
        ("cloze", False, "The {{c1::SA node}} sets the {{c2::rhythm}}."),
    ]  # fmt: skip
    assert result.cards[4]["explanation"] == "Extra *facts*"
    assert "explanation" not in result.cards[2]  # "Add Reverse" is a switch, not content
    assert result.cards[0]["tags"] == ["cardio", "basic"]
    reasons = {s.where: s.reason for s in result.skipped}
    assert reasons == {
        f"note {bad['empty-back']}": "the back (second field) is empty",
        f"note {bad['no-deletion']}": "a cloze note without a deletion like {{c1::answer}}",
        f"note {bad['three']}": 'its note type "Vocabulary (3 cards)" has 3 card templates; '
        "quiz imports basic, reversed and cloze notes",
    }


def test_apkg_note_with_a_missing_note_type_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cardio.apkg"
    build_apkg(path)
    rewrite_collection(path, "UPDATE notes SET mid = 42 WHERE flds LIKE 'Tachycardia%';")
    result = read_package(path)
    assert [s.reason for s in result.skipped if "42" in s.reason] == [
        "its note type (42) is not in the package"
    ]


def test_bad_packages_are_one_clear_line(tmp_path: Path) -> None:
    not_zip = tmp_path / "a.apkg"
    not_zip.write_text("hello")
    not_zstd = tmp_path / "b.apkg"
    with zipfile.ZipFile(not_zstd, "w") as package:
        package.writestr("collection.anki21b", b"zstd..." * 100)
        package.writestr("collection.anki2", b"dummy")
    cut_short = tmp_path / "e.apkg"
    with zipfile.ZipFile(cut_short, "w") as package:
        package.writestr("collection.anki21b", zstd_compress(b"SQLite format 3\x00" * 999)[:-9])
    not_sqlite = tmp_path / "f.apkg"
    with zipfile.ZipFile(not_sqlite, "w") as package:
        package.writestr("collection.anki21b", zstd_compress(b"not sqlite at all" * 100))
    empty = tmp_path / "c.apkg"
    with zipfile.ZipFile(empty, "w") as package:
        package.writestr("media", "{}")
    broken = tmp_path / "d.apkg"
    with zipfile.ZipFile(broken, "w") as package:
        package.writestr("collection.anki2", b"not sqlite at all" * 100)
    expected = {
        not_zip: "not a zip file",
        not_zstd: "(collection.anki21b): the compressed collection is damaged",
        cut_short: "(collection.anki21b): the compressed collection is cut short",
        not_sqlite: "(collection.anki21b): not a readable Anki collection",
        empty: "no Anki collection inside",
        broken: "not a readable Anki collection",
    }
    for path, words in expected.items():
        with pytest.raises(AuthoringError) as caught:
            read_package(path)
        message = str(caught.value)
        assert message.startswith(str(path)) and words in message and "\n" not in message


def zstd_compress(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor().compress(data)


@pytest.mark.parametrize(
    ("message", "value"),
    [
        (b"", 0),  # absent: protobuf's default
        (b"\x08\x01", 1),  # Anki's cloze note type config starts so
        (b"\x1a\x03css\x08\x02", 2),  # after a length-delimited field
        (b"\x08\x01\x08\x96\x01", 150),  # repeated: the last; a two-byte varint
        (b"\x11" + bytes(8) + b"\x1d" + bytes(4) + b"\x08\x05", 5),  # 64- and 32-bit fields
        (b"\x10\x07", 0),  # another field only
    ],
)
def test_protobuf_varint_reads_one_field(message: bytes, value: int) -> None:
    assert varint(message, 1) == value


@pytest.mark.parametrize("message", [b"\x08", b"\x08\x80", b"\x1a\x05ab", b"\x0b"])
def test_protobuf_varint_refuses_a_damaged_message(message: bytes) -> None:
    with pytest.raises(ValueError):
        varint(message, 1)


def decked(*decks: str, tags: tuple[str, ...] = ()) -> Note:
    """A basic note whose cards are in `decks`."""
    return Note("note 1", "basic", (Reduced("q"), Reduced("a")), tags, decks)


DECKS_TO_TAGS = [
    ("one deck: no tags", [decked("Med"), decked("Med")], [[], []]),
    (
        "nested: each deck below the one they share, and those above it",
        [decked("Med::Cardio::ECG"), decked("Med::Cardio::Valves"), decked("Med::Resp")],
        [
            ["Med::Cardio", "Med::Cardio::ECG"],
            ["Med::Cardio", "Med::Cardio::Valves"],
            ["Med::Resp"],
        ],
    ),
    (
        "spaces become _",
        [decked("Med::Heart  failure"), decked("Med::Upper GI bleed")],
        [["Med::Heart_failure"], ["Med::Upper_GI_bleed"]],
    ),
    (
        "no deck in common: from the top",
        [decked("Default"), decked("French::Verbs")],
        [["Default"], ["French", "French::Verbs"]],
    ),
    (
        "a card in the deck they share has none",
        [decked("Med"), decked("Med::Cardio")],
        [[], ["Med::Cardio"]],
    ),
    (
        "a note with cards in two decks, its own tags first and not repeated",
        [decked("A::B", "C", tags=("C", "mine")), decked("A")],
        [["C", "mine", "A", "A::B"], ["A"]],
    ),
    ("no deck told (a text export without the column)", [decked(), decked()], [[], []]),
    ("a row without a deck among others", [decked("X"), decked(), decked("Y")], [["X"], [], ["Y"]]),
]


@pytest.mark.parametrize(
    ("notes", "tags"),
    [case[1:] for case in DECKS_TO_TAGS],
    ids=[case[0] for case in DECKS_TO_TAGS],
)
def test_anki_decks_become_tags(notes: list[Note], tags: list[list[str]]) -> None:
    converted = Converted()
    for note in notes:
        converted.add(note)
    converted.decks_to_tags()
    assert [card.get("tags", []) for card in converted.cards] == tags
    given = {tag for card in tags for tag in card} - {"mine"}  # "mine": a note's own tag
    assert converted.deck_tags == sorted(given)
    assert converted.card_decks == []
