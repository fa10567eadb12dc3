"""new-deck, schema, fmt, import and export as a teacher runs them: output, files, exit status."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from quiz.commands.authoring import anki_import
from quiz.commands.authoring.anki_import import note_on
from quiz.commands.cli import main
from quiz.deckfile.deck import load_deck
from quiz.deckfile.layout import dumps
from quiz.storage import paths
from tests.anki.anki_fixtures import build_apkg

FIXTURES = Path(__file__).parents[1] / "anki" / "fixtures"


class Run:
    """Runs quiz in this process, with a fixed day and a throwaway progress folder."""

    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.env = {"QUIZ_TODAY": "2026-11-26", "QUIZ_DATA": str(tmp_path / "data")}
        self.capsys = capsys

    def __call__(self, *args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args], self.env)
        captured = self.capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err


@pytest.fixture
def quiz(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    return Run(tmp_path, capsys)


def one_line(err: str) -> str:
    assert err.count("\n") == 1, err
    return err.strip()


# --- new-deck ---


def test_new_deck_validates_clean_even_strictly(quiz: Run, tmp_path: Path) -> None:
    path = tmp_path / "heart_failure-2.json"
    code, out, _ = quiz("new-deck", path)
    assert code == 0 and out.startswith(f'wrote {path}: deck "heart-failure-2"')
    deck = load_deck(path)
    assert (deck.id, deck.title) == ("heart-failure-2", "Heart failure 2")
    assert [card.type for card in deck.cards] == ["basic", "cloze", "choice", "choice", "rank"]
    assert deck.cards[0].reverse and "::" in deck.cards[1].text
    assert [len(deck.cards[3].correct_indexes), len(deck.cards[3].options)] == [3, 8]
    assert len(deck.cards[4].options) == 5 and deck.cards[4].scenario
    code, out, _ = quiz("validate", "--strict", path)
    assert (code, out.strip()) == (0, "1 deck checked: no errors, no warnings")
    assert quiz("fmt", "--check", path)[0] == 0  # written in the one layout already


def test_new_deck_takes_id_and_title(quiz: Run, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    assert quiz("new-deck", path, "--id", "sjt-2027", "--title", "SJT practice")[0] == 0
    assert (load_deck(path).id, load_deck(path).title) == ("sjt-2027", "SJT practice")


def test_new_deck_never_overwrites(quiz: Run, tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text("my work", encoding="utf-8")
    code, _, err = quiz("new-deck", path)
    assert code == 1
    assert (
        one_line(err) == f"quiz: {path}: already exists; choose another name or move it away first"
    )
    assert path.read_text(encoding="utf-8") == "my work"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deck.txt"], "deck.txt: a deck file name ends in .json"),
        (["existing"], "existing.json: already exists"),
        (["no/such/folder/d.json"], "no/such/folder/d.json: cannot write: the folder"),
        (["d.json", "--id", "Bad Id"], "--id 'Bad Id': an id is lowercase letters"),
        (["d.json", "--colour"], "unrecognized arguments: --colour"),
    ],
)
def test_new_deck_bad_input_is_one_line(
    quiz: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "existing.json").write_text("{}", encoding="utf-8")
    code, _, err = quiz("new-deck", *args)
    assert code != 0 and one_line(err).startswith(f"quiz: {message}")


# --- schema ---


def test_schema_prints_or_writes_the_deck_schema(quiz: Run, tmp_path: Path) -> None:
    schema = paths.schema_path().read_text(encoding="utf-8")
    code, out, _ = quiz("schema")
    assert code == 0 and json.loads(out) == json.loads(schema)
    target = tmp_path / "deck.schema.json"
    code, _, err = quiz("schema", "-o", target)
    assert code == 0 and json.loads(target.read_text(encoding="utf-8")) == json.loads(schema)
    assert '"$schema": "../deck.schema.json"' in err and "note:" not in err
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "a.json").write_text('{"cards": []}', encoding="utf-8")
    code, _, err = quiz("schema", "-o", tmp_path / "decks" / "deck.schema.json")
    assert code == 0 and "holds decks; move deck.schema.json out of it" in err
    code, _, err = quiz("schema", "-o", tmp_path / "nope" / "s.json")
    assert code == 1 and "cannot write" in one_line(err)


# --- fmt ---

MESSY = (
    '{"cards": [{"back": "B", "type": "basic", "front": "What is **SBAR**?"},\n'
    ' {"type": "cloze", "id": "kept-id", "text": "{{c1::x}}", "tags": ["a","b"]},\n'
    ' {"options": [{"why": "w", "text": "o1", "correct": true}, {"text": "o2"}],'
    ' "question": "What is SBAR?", "type": "choice"},\n'
    ' {"front": "What is SBAR?", "back": "again", "type": "basic"}],\n'
    ' "title": "Messy", "format": 1, "id": "messy"}'
)


def test_fmt_add_ids_keeps_ids_and_is_idempotent(quiz: Run, tmp_path: Path) -> None:
    path = tmp_path / "messy.json"
    path.write_text(MESSY, encoding="utf-8")
    code, out, _ = quiz("fmt", "--add-ids", path)
    assert code == 0
    added = "ids added: sbar, sbar-2, sbar-3; 2 option ids added to 1 card"
    assert out == f"{path}: formatted ({added})\n"
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == ["format", "id", "title", "cards"]
    assert [card["id"] for card in data["cards"]] == ["sbar", "kept-id", "sbar-2", "sbar-3"]
    assert list(data["cards"][2]) == ["id", "type", "question", "options"]
    assert list(data["cards"][2]["options"][0]) == ["id", "text", "correct", "why"]
    assert [option["id"] for option in data["cards"][2]["options"]] == ["o1", "o2"]
    assert '      "tags": ["a", "b"]\n' in text and text.endswith("}\n")
    assert quiz("fmt", "--add-ids", path) == (0, f"{path}: already formatted\n", "")
    assert path.read_text(encoding="utf-8") == text
    assert quiz("validate", path)[0] == 0


def test_fmt_check_reports_without_writing(quiz: Run, tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    deck = {"format": 1, "id": "d", "title": "D", "cards": [{"id": "a", "type": "basic",
            "front": "F", "back": "B"}]}  # fmt: skip
    path.write_text(json.dumps(deck), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert quiz("fmt", "--check", path) == (1, f"{path}: would be reformatted\n", "")
    assert path.read_text(encoding="utf-8") == before
    assert quiz("fmt", path)[0] == 0
    assert path.read_text(encoding="utf-8") == dumps(deck)
    assert quiz("fmt", "--check", path)[0] == 0


HEAD = '{"format": 1, "id": "d", "title": "D", "cards": '


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (HEAD + "[],}", ""),  # trailing comma
        (HEAD + '[{"type": "basic", "front": "F"}]}', ""),  # no id, no back
        (HEAD + '[{"type": "basic", "front": "F"}]}', "--add-ids"),  # an id would not mend it
        (HEAD + '[{"type": "basic", "front": "F", "back": "B", "back": "C"}]}', "--add-ids"),
    ],
)
def test_fmt_never_rewrites_a_deck_that_does_not_load(
    quiz: Run, tmp_path: Path, text: str, flag: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = quiz("fmt", *([flag] if flag else []), path)
    assert code == 1 and out == ""
    assert err.startswith(f"{path}:1:") and ": error: " in err
    assert err.endswith(f"{path}: not formatted: fix the errors above first\n")
    assert path.read_text(encoding="utf-8") == text


def test_fmt_add_ids_mends_only_missing_ids(quiz: Run, tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    text = HEAD + '[{"type": "basic", "front": "F", "back": "B"}]}'
    path.write_text(text, encoding="utf-8")
    assert quiz("fmt", "--add-ids", path)[0] == 0
    assert load_deck(path).cards[0].id == "f"


OPTIONS = (
    HEAD + '[{"id": "r", "type": "rank", "question": "Q?", "options": [\n'
    '  {"text": "Assess the patient\'s capacity to decide.", "why": "w"},\n'
    '  {"why": "w", "text": "Explain the risks", "id": "risks"},\n'
    '  {"text": "Explain the risks!"},\n'
    '  {"text": "Assess capacity"},\n'
    '  {"text": "Hmm..."},\n'
    '  {"text": "Ne rien dire à personne, jamais, en aucune circonstance, même pas au chef"}]},\n'
    ' {"id": "c", "type": "choice", "question": "Q?", "options": [\n'
    '  {"text": "Explain the risks", "correct": true}, {"text": "No", "id": "assess-capacity"}]}]}'
)


def test_fmt_add_ids_names_every_option_and_keeps_option_ids(quiz: Run, tmp_path: Path) -> None:
    """An option id is a slug of its text, unique within its card (not across cards), and
    one that exists is kept; the options' order is untouched."""
    path = tmp_path / "options.json"
    path.write_text(OPTIONS, encoding="utf-8")
    code, out, _ = quiz("fmt", "--add-ids", path)
    assert (code, out) == (0, f"{path}: formatted (6 option ids added to 2 cards)\n")
    data = json.loads(path.read_text(encoding="utf-8"))
    rank, choice = data["cards"]
    assert [option["id"] for option in rank["options"]] == [
        "assess-patient-s-capacity",  # within 30 characters, small words left out
        "risks",  # kept
        "explain-risks",
        "assess-capacity",
        "hmm",
        "ne-rien-dire-personne-jamais",
    ]
    assert [option["id"] for option in choice["options"]] == ["explain-risks", "assess-capacity"]
    assert all(next(iter(option)) == "id" for card in data["cards"] for option in card["options"])
    assert [option["text"] for option in rank["options"]][1] == "Explain the risks"
    deck = load_deck(path)
    assert [deck.cards[0].option_name(i) for i in (0, 1)] == ["assess-patient-s-capacity", "risks"]
    assert quiz("fmt", "--add-ids", path) == (0, f"{path}: already formatted\n", "")


def test_fmt_add_ids_makes_an_option_id_even_of_text_without_letters(
    quiz: Run, tmp_path: Path
) -> None:
    path = tmp_path / "signs.json"
    options = '[{"text": "?!", "correct": true}, {"text": "…"}, {"text": "option"}]'
    path.write_text(
        HEAD + f'[{{"id": "c", "type": "choice", "question": "Q?", "options": {options}}}]}}'
    )
    assert quiz("fmt", "--add-ids", path)[0] == 0
    ids = [o.id for o in load_deck(path).cards[0].options]
    assert ids == ["option", "option-2", "option-3"]


def test_fmt_takes_folders_and_tidies_encoding(quiz: Run, tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    deck = {"format": 1, "id": "d", "title": "Café", "cards": [{"id": "a", "type": "basic",
            "front": "F", "back": "B"}]}  # fmt: skip
    crlf = json.dumps(deck, indent=4, ensure_ascii=True).replace("\n", "\r\n")
    (folder / "a.json").write_bytes(b"\xef\xbb\xbf" + crlf.encode("utf-8"))
    (folder / "b.json").write_text(dumps(deck | {"id": "e"}), encoding="utf-8")
    code, out, _ = quiz("fmt", folder)
    assert code == 0
    assert out == f"{folder / 'a.json'}: formatted\n{folder / 'b.json'}: already formatted\n"
    assert (folder / "a.json").read_bytes() == dumps(deck).encode("utf-8")  # no BOM, LF, "é"


def test_fmt_keeps_a_symlinked_deck_a_link(quiz: Run, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text(json.dumps({"format": 1, "id": "d", "title": "D", "cards": [
        {"id": "a", "type": "basic", "front": "F", "back": "B"}]}), encoding="utf-8")  # fmt: skip
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert quiz("fmt", link)[0] == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("{\n  ")


def test_fmt_missing_file(quiz: Run, tmp_path: Path) -> None:
    code, _, err = quiz("fmt", tmp_path / "gone.json")
    assert code == 1 and err.startswith(f"{tmp_path / 'gone.json'}: no such file\n")


# --- import ---


def test_import_anki_text_export(quiz: Run, tmp_path: Path) -> None:
    out_path = tmp_path / "sjt.json"
    code, out, err = quiz("import", FIXTURES / "anki-notes.txt", "-o", out_path, "--title", "SJT")
    assert code == 0
    source = FIXTURES / "anki-notes.txt"
    assert err.splitlines() == [
        f"{source}:8: not imported: the back (second field) is empty",
        f"{source}:11: not imported: a cloze note without a deletion like {{{{c1::answer}}}}",
        f"{source}:12: not imported: only 1 field(s); expected a front and a back separated by "
        "a tab (is #separator right?)",
        f"{source}:15: note: names an image or sound, which quiz cannot show (kept as "
        "[image: ...] or [sound: ...] text)",
    ]
    assert out.splitlines()[:3] == [
        f'wrote {out_path}: deck "sjt", 5 cards',
        "  basic 4 (1 also reversed), cloze 1 (2 gaps, each its own card)",
        "  3 row(s) not imported, each listed above with the reason",
    ]
    deck = load_deck(out_path)
    assert (deck.id, deck.title, len(deck.cards)) == ("sjt", "SJT", 5)
    assert deck.cards[0].id == "sbar-stand" and deck.cards[0].tags == ("communication", "handover")
    assert quiz("validate", out_path)[0] == 0
    code, _, err = quiz("import", FIXTURES / "anki-notes.txt", "-o", out_path)
    assert (
        code == 1
        and one_line(err) == f"quiz: {out_path}: already exists; give --force to replace it"
    )
    assert quiz("import", FIXTURES / "anki-notes.txt", "-o", out_path, "--force")[0] == 0


MEDIA = "which quiz cannot show (kept as [image: ...] or [sound: ...] text)"
MEDIA_NOTES = [
    ("none", "d.apkg", [], []),
    ("one", "d.apkg", ["note 7"], [f"d.apkg: note 7: note: names an image or sound, {MEDIA}"]),
    (
        "five: a line each, as always",
        "n.txt",
        [f"line {n}" for n in (9, 2, 3, 4, 5)],
        [f"n.txt:{n}: note: names an image or sound, {MEDIA}" for n in (9, 2, 3, 4, 5)],
    ),
    (
        "six rows: one line, the first three named",
        "n.txt",
        [f"line {n}" for n in (9, 2, 3, 4, 5, 6)],
        [f"n.txt: note: 6 rows name an image or sound, {MEDIA}; lines 2, 3, 4 and 3 more"],
    ),
    (
        "thousands of notes",
        "d.apkg",
        [f"note {n}" for n in range(1700000003885, 1700000000000, -1)],
        [
            f"d.apkg: note: 3,885 notes name an image or sound, {MEDIA}; "
            "notes 1700000000001, 1700000000002, 1700000000003 and 3,882 more"
        ],
    ),
]


@pytest.mark.parametrize(
    ("source", "places", "lines"),
    [case[1:] for case in MEDIA_NOTES],
    ids=[case[0] for case in MEDIA_NOTES],
)
def test_cards_naming_media_are_listed_one_by_one_only_when_few(
    source: str, places: list[str], lines: list[str]
) -> None:
    err = io.StringIO()
    note_on(Path(source), places, anki_import.MEDIA, err)
    assert err.getvalue().splitlines() == lines


def test_many_media_notes_come_after_the_notes_not_imported(quiz: Run, tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    rows = [f"q{n}\t<img src='{n}.png'>" for n in range(1, 8)]
    source.write_text("\n".join([*rows[:3], "lost\t", *rows[3:]]) + "\n", encoding="utf-8")
    code, out, err = quiz("import", source, "-o", tmp_path / "d.json")
    assert code == 0 and "7 cards" in out
    assert err.splitlines() == [
        f"{source}:4: not imported: the back (second field) is empty",
        f"{source}: note: 7 rows name an image or sound, {MEDIA}; lines 1, 2, 3 and 4 more",
    ]


def test_import_apkg(quiz: Run, tmp_path: Path) -> None:
    package = tmp_path / "cardio.apkg"
    bad = build_apkg(package)
    out_path = tmp_path / "cardio.json"
    code, out, err = quiz("import", package, "-o", out_path)
    assert code == 0
    assert out.splitlines()[:3] == [
        f'wrote {out_path}: deck "cardio", 5 cards',
        "  basic 4 (2 also reversed), cloze 1 (2 gaps, each its own card)",
        "  3 note(s) not imported, each listed above with the reason",
    ]
    assert sorted(err.splitlines()) == sorted(
        f"{package}: note {bad[name]}: not imported: {reason}"
        for name, reason in [
            ("empty-back", "the back (second field) is empty"),
            ("no-deletion", "a cloze note without a deletion like {{c1::answer}}"),
            ("three", 'its note type "Vocabulary (3 cards)" has 3 card templates; quiz imports '
             "basic, reversed and cloze notes"),
        ]
    )  # fmt: skip
    deck = load_deck(out_path)
    assert deck.title == "Cardiology basics"
    assert len(deck.items()) == 4 + 2 + 2  # 4 basic, 2 of them reversed, 2 cloze gaps


def test_import_a_damaged_compressed_collection_is_one_line(quiz: Run, tmp_path: Path) -> None:
    package = tmp_path / "current.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki21b", b"\x28\xb5\x2f\xfd" + b"damaged" * 50)
        archive.writestr("collection.anki2", b"the stub a current Anki writes beside it")
    out_path = tmp_path / "current.json"
    code, out, err = quiz("import", package, "-o", out_path)
    assert code != 0 and out == ""
    assert one_line(err).startswith(
        f"quiz: {package} (collection.anki21b): the compressed collection is damaged ("
    )
    assert err.rstrip().endswith("; export it from Anki again")
    assert not out_path.exists()


def test_cards_the_checker_refuses_are_reported_not_dropped(quiz: Run, tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("ok\tfine\nThe {{c1::}} is empty\t\nx\ty\tbad\ttags\n", encoding="utf-8")
    code, out, err = quiz("import", source, "-o", tmp_path / "d.json")
    assert code == 0 and "2 cards" in out
    assert err.startswith(f"{source}:2: not imported: ") and "empty" in err


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.write_bytes(b"PK\x03\x04 broken"), "not a zip file"),
        (lambda p: p.write_text("#separator:nope\na\tb\n"), "unknown separator"),
        (lambda p: p.write_text("only\n"), "no card could be imported"),
    ],
)
def test_import_bad_input_is_one_line(
    quiz: Run, tmp_path: Path, make: object, message: str
) -> None:
    source = tmp_path / "input.txt"
    make(source)  # type: ignore[operator]
    code, _, err = quiz("import", source, "-o", tmp_path / "out.json")
    assert code == 1 and message in err.splitlines()[-1] and str(source) in err.splitlines()[-1]
    assert not (tmp_path / "out.json").exists()


# --- export ---


def test_export_by_path_and_by_deck_id(
    quiz: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck_path = tmp_path / "decks" / "sjt.json"
    deck_path.parent.mkdir()
    assert quiz("new-deck", deck_path)[0] == 0
    target = tmp_path / "sjt.apkg"
    code, out, _ = quiz("export", deck_path, "--to", "apkg", "-o", target)
    assert code == 0 and out.startswith(f"wrote {target}: 5 notes\n")
    with zipfile.ZipFile(target) as package:
        (tmp_path / "c.anki2").write_bytes(package.read("collection.anki2"))
    connection = sqlite3.connect(tmp_path / "c.anki2")
    assert connection.execute("SELECT count(*) FROM notes").fetchone() == (5,)
    connection.close()
    text = tmp_path / "sjt.txt"
    code, out, err = quiz("export", "sjt", "--decks", deck_path.parent, "--no-bundled", "-o", text)
    assert code == 0 and text.read_text(encoding="utf-8").startswith("#separator:tab\n")
    assert "1 reversed card(s)" in err
    assert quiz("export", "sjt", "--no-bundled", "-o", tmp_path / "x.apkg")[0] == 1
    monkeypatch.chdir(deck_path.parent)  # a deck file named without its .json
    assert quiz("export", "sjt", "--no-bundled", "-o", tmp_path / "x.apkg")[0] == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["nope", "--no-bundled", "-o", "x.apkg"], 1, "nope: no such deck file or deck id (no"),
        (["missing.json", "-o", "x.apkg"], 1, "missing.json:1:1: error: no such file"),
        (["DECK", "-o", "x.pdf"], 1, "-o x.pdf: say --to apkg or --to csv"),
        (["DECK", "--to", "pdf", "-o", "x.pdf"], 2, "argument --to: invalid choice: 'pdf'"),
        (["DECK", "--to", "apkg", "-o", "x.txt"], 1, "-o x.txt: an Anki package's name ends"),
        (["DECK", "-o", "no/such/dir/x.apkg"], 1, "no/such/dir/x.apkg: cannot write: the folder"),
    ],
)  # fmt: skip
def test_export_bad_input_is_one_line(
    quiz: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    code: int,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    quiz("new-deck", "deck.json")
    args = ["deck.json" if a == "DECK" else a for a in args]
    result, _, err = quiz("export", *args)
    assert result == code and one_line(err).startswith(f"quiz: {message}")
