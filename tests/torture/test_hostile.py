"""Every command, given hostile files of each kind, in place of each file it reads: one clear
line naming the file, a non-zero exit (or, where quiz goes on without it, a warning naming
it), never a traceback, nothing hung, nothing already saved lost and nothing written outside.

The limits are set small here (module constants patched), so no test needs a large file.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from types import FrameType

import pytest

from quiz.anki import package as anki_package
from quiz.commands.cli import main
from quiz.core.card_state import CardState
from quiz.core.sm2 import Sm2State
from quiz.deckfile import deck as deck_module
from quiz.services import deck_cache
from quiz.storage import inputs, settings
from quiz.storage.store import FileStore

ROOT = Path(__file__).resolve().parent.parent.parent
DECK = ROOT / "tests" / "fixtures" / "decks" / "valid" / "choose-k.json"
LIMIT = 4096
"""The size limit the tests set for every file input."""
DAY = date(2026, 11, 26)


class Hung(Exception):
    """A command took longer than any bounded one may."""


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_INPUT", LIMIT)
    monkeypatch.setattr(settings, "MAX_SETTINGS", LIMIT)
    monkeypatch.setattr(deck_module, "MAX_BYTES", LIMIT * 4)
    monkeypatch.setattr(deck_cache, "MAX_BYTES", LIMIT * 4)
    monkeypatch.setattr(anki_package, "MAX_COLLECTION", 64 * 1024)


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail, rather than hang, a command that blocks (a pipe read with no writer)."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise Hung

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """A deck, and a progress folder holding three answers."""
    (tmp_path / "decks").mkdir()
    shutil.copy(DECK, tmp_path / "decks" / "deck.json")
    with FileStore.open(tmp_path / "data") as store:
        for i in range(3):
            after = CardState.from_sm2(Sm2State(1, 2.5, 1 + i, DAY), first=DAY, last=DAY)
            store.record("sjt-choose/ward-busy", "review", day=DAY, time="t", after=after)
    (tmp_path / "cache").mkdir()
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file under `root` but the caches and the lock (what a command may not change)."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if name.startswith("cache") or path.name == "lock" or name.startswith("hostile"):
            continue
        if path.is_symlink() or not path.is_file():
            found[name] = "link" if path.is_symlink() else "folder"
        else:
            found[name] = path.read_bytes()
    return found


# --- the hostile files ---


def fifo(path: Path) -> None:
    os.mkfifo(path)


def device(path: Path) -> None:
    path.symlink_to("/dev/zero")


def folder(path: Path) -> None:
    path.mkdir()


def huge(path: Path) -> None:
    path.write_bytes(b'{"a": "' + b"x" * (LIMIT * 8) + b'"}')


def deep(path: Path) -> None:
    if path.suffix == ".toml":
        path.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    else:
        path.write_text("[" * 3000 + "]" * 3000, encoding="utf-8")


def long_number(path: Path) -> None:
    if path.suffix == ".toml":
        path.write_text(f"new_per_day = {'9' * 5000}\n", encoding="utf-8")
    else:
        path.write_text('{"format": ' + "9" * 5000 + ', "kind": "quiz-panel"}', encoding="utf-8")


def escapes(path: Path) -> None:
    text = '{"format": 1, "kind": "quiz-\x1b]2;PWNED\x07", "panellist": "\x1b[31mX"}'
    path.write_text(text, encoding="utf-8")


KINDS: list[Callable[[Path], None]] = [fifo, device, folder, huge, deep, long_number, escapes]

COMMANDS = [
    # name, arguments ({x}: the hostile file, {d}: the folder), quiz may go on without it
    ("validate", "validate {x}", False),
    ("fmt", "fmt {x}", False),
    ("import", "import {x} -o {d}/new.json", False),
    ("export", "export {x} -o {d}/out.csv", False),
    ("key panel", "key {d}/decks/deck.json {x}", False),
    ("items results", "items {d}/decks/deck.json {x}", False),
    ("panel file", "panel {d}/decks/deck.json --as A -o {x}", False),
    ("preview", "preview {x}", False),
    ("--decks", "--decks {x} stats", True),
    ("results with --decks", "--decks {x} results -o {d}/r.json", True),
]


FOLDERS_TAKEN = {"validate", "fmt", "--decks", "results with --decks"}
"""Commands for which a folder is a folder of decks, not a hostile file."""
CASES = [
    pytest.param(kind, args, goes_on, id=f"{name}-{kind.__name__}")
    for name, args, goes_on in COMMANDS
    for kind in KINDS
    if not (kind is folder and name in FOLDERS_TAKEN)
    and not (kind is escapes and name == "import")  # a line of text: a fine text export
    and not (kind in (huge, deep, long_number, escapes) and name == "preview")  # its screen says
]


@pytest.mark.parametrize(("kind", "args", "goes_on"), CASES)
@pytest.mark.usefixtures("deadline")
def test_every_command_given_a_hostile_file(
    place: Path,
    kind: Callable[[Path], None],
    args: str,
    goes_on: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hostile = place / "hostile" / ("input.toml" if "settings" in args else "input.json")
    hostile.parent.mkdir()
    kind(hostile)
    before = snapshot(place)
    argv = ["--data", str(place / "data"), "--no-bundled"]
    argv += args.format(x=hostile, d=place).split()
    code = main(argv, {"QUIZ_TODAY": "2026-11-27", "QUIZ_CACHE": str(place / "cache")})
    out, err = capsys.readouterr()
    said = [line for line in (out + err).splitlines() if str(hostile) in line]
    assert said, (out, err)  # the file is named
    assert "Traceback" not in out + err
    assert not any(c in out + err for c in "\x1b\x07\x9b")  # its text is shown, not obeyed
    if goes_on:
        assert err.count("\n") == 1 and err.startswith(f"quiz: {hostile}")
    else:
        assert code != 0
        assert all(str(hostile) in line for line in err.splitlines())  # no stray lines
        if kind in (fifo, device, folder, huge):  # unreadable: one line says why
            assert err.count("\n") + out.count("\n") <= 2
    after = snapshot(place)
    if "results" in args and code == 0:
        after.pop("r.json")
    assert after == before  # nothing lost, nothing written


SETTINGS_KINDS = [fifo, device, folder, huge, deep, long_number]


@pytest.mark.parametrize("kind", SETTINGS_KINDS, ids=[k.__name__ for k in SETTINGS_KINDS])
@pytest.mark.parametrize("command", ["stats", "stats --json", "repair --check", "report -o -"])
@pytest.mark.usefixtures("deadline")
def test_hostile_settings_are_named_and_the_defaults_used(
    place: Path, kind: Callable[[Path], None], command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = place / "data" / "settings.toml"
    kind(path)
    before = snapshot(place)
    argv = ["--data", str(place / "data"), "--no-bundled", "--decks", str(place / "decks")]
    code = main([*argv, *command.split()], {"QUIZ_TODAY": "2026-11-27", "QUIZ_CACHE": "c"})
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in out + err
    if command != "repair --check":  # repair reads no settings
        assert err.startswith(f"quiz: {path}: ") and "using the default" in err
        assert err.count("\n") == 1
    assert snapshot(place) == before
    shutil.rmtree("c", ignore_errors=True)


# --- Anki packages ---


def _package(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)


def _collection(folder: Path, sql: str) -> bytes:
    db = folder / "c.anki2"
    connection = sqlite3.connect(db)
    connection.executescript(sql)
    connection.commit()
    connection.close()
    data = db.read_bytes()
    db.unlink()
    return data


ANKI = """
CREATE TABLE col (id integer primary key, models text, decks text);
INSERT INTO col VALUES (1, '{"1": {"name": "B", "type": 0, "tmpls": [{}],
    "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}]}}', '{}');
CREATE TABLE cards (id integer primary key, nid integer, ord integer, did integer);
INSERT INTO cards VALUES (1, 1, 0, 1);
"""


def zstd_bomb(folder: Path) -> dict[str, bytes]:
    import zstandard

    return {"collection.anki21b": zstandard.ZstdCompressor().compress(b"\0" * (1 << 20))}


def big_member(folder: Path) -> dict[str, bytes]:
    return {"collection.anki2": b"\0" * (1 << 20)}


def view_for_notes(folder: Path) -> dict[str, bytes]:
    sql = ANKI + "CREATE VIEW notes AS SELECT 1 AS id, 1 AS mid, '' AS tags, 'a\x1fb' AS flds;"
    return {"collection.anki2": _collection(folder, sql)}


def endless_view(folder: Path) -> dict[str, bytes]:
    sql = ANKI + (
        "CREATE VIEW notes AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)"
        " SELECT x AS id, 1 AS mid, '' AS tags, 'a' AS flds FROM n;"
    )
    return {"collection.anki2": _collection(folder, sql)}


def odd_note_types(folder: Path) -> dict[str, bytes]:
    sql = (
        ANKI.replace('"tmpls": [{}]', '"tmpls": 7').replace(
            '"flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}]', '"flds": [3, "x"]'
        )
        + "CREATE TABLE notes (id integer primary key, mid integer, tags text, flds text);"
    )
    sql += "INSERT INTO notes VALUES (1, 1, '', 'a\x1fb');"
    return {"collection.anki2": _collection(folder, sql)}


PACKAGES = [
    (zstd_bomb, "larger than 65,536 bytes"),
    (big_member, "larger than 65,536 bytes"),
    (view_for_notes, "notes is a view, not a table"),
    (endless_view, "notes is a view, not a table"),
    (odd_note_types, "note 1"),
]


@pytest.mark.parametrize(("make", "says"), PACKAGES, ids=[p[0].__name__ for p in PACKAGES])
@pytest.mark.usefixtures("deadline")
def test_hostile_anki_packages(
    tmp_path: Path,
    make: Callable[[Path], dict[str, bytes]],
    says: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package = tmp_path / "in.apkg"
    _package(package, make(tmp_path))
    before = sorted(tmp_path.iterdir())
    code = main(["import", str(package), "-o", str(tmp_path / "out.json")], {})
    out, err = capsys.readouterr()
    assert says in out + err and "Traceback" not in out + err
    if make is odd_note_types:  # every note skipped, named: no deck of nothing
        assert "not shaped as Anki writes one" in out + err
    else:
        assert code == 1 and err.count("\n") == 1
        assert sorted(tmp_path.iterdir()) == before


@pytest.mark.usefixtures("deadline")
def test_sql_that_runs_too_long_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table is read with a time bound too (a query over a huge or crafted table)."""
    monkeypatch.setattr(anki_package, "MAX_SQL_SECONDS", 0.0)
    sql = ANKI + "CREATE TABLE notes (id integer primary key, mid integer, tags text, flds text);"
    sql += "".join(f"INSERT INTO notes VALUES ({i}, 1, '', 'a\x1fb');" for i in range(1, 2000))
    _package(tmp_path / "in.apkg", {"collection.anki2": _collection(tmp_path, sql)})
    code = main(["import", str(tmp_path / "in.apkg"), "-o", str(tmp_path / "o.json")], {})
    err = capsys.readouterr().err
    assert code == 1 and "took longer than 0 s" in err and err.count("\n") == 1


# --- other inputs ---


@pytest.mark.usefixtures("deadline")
def test_a_cloze_number_without_bound_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = {"format": 1, "id": "h", "title": "H", "cards": [
        {"id": "a", "type": "cloze", "text": "x {{c99999999999999999999::y}}"}]}  # fmt: skip
    (tmp_path / "h.json").write_text(json.dumps(deck), encoding="utf-8")
    assert main(["validate", "--strict", str(tmp_path / "h.json")], {}) == 1
    assert "is larger than 999" in capsys.readouterr().out


def test_the_app_without_a_terminal_says_so_and_stops(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quiz", "--data", str(tmp_path / "d"), "--no-bundled"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QUIZ_CACHE": str(tmp_path / "c")},
    )
    assert result.returncode == 2
    assert result.stderr.startswith("quiz: the screens need a terminal")
    assert result.stderr.count("\n") == 1


# --- a progress folder that others have tampered with ---


def linked_backups(data: Path, outside: Path) -> None:
    (data / "backups").symlink_to(outside, target_is_directory=True)


def linked_replaced(data: Path, outside: Path) -> None:
    (data / "replaced").symlink_to(outside, target_is_directory=True)
    (data / "progress.json").write_bytes(b"{damaged")


def restoring_out(data: Path, outside: Path) -> None:
    note = {"quiz_restore": 1, "phase": "aside", "backup": "x", "aside": str(outside)}
    (data / "restoring.json").write_text(json.dumps(note), encoding="utf-8")


def restoring_up(data: Path, outside: Path) -> None:
    note = {"quiz_restore": 1, "phase": "fill", "backup": "../../outside", "aside": "a"}
    (data / "restoring.json").write_text(json.dumps(note), encoding="utf-8")


FOLDERS = [linked_backups, linked_replaced, restoring_out, restoring_up]


@pytest.mark.parametrize("tamper", FOLDERS, ids=[f.__name__ for f in FOLDERS])
@pytest.mark.parametrize("command", ["stats", "backup", "restore", "repair", "report -o -"])
@pytest.mark.usefixtures("deadline")
def test_a_tampered_progress_folder_moves_nothing_outside(
    place: Path,
    tamper: Callable[[Path, Path], None],
    command: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    outside = place / "outside"
    outside.mkdir()
    (outside / "mine.txt").write_text("mine", encoding="utf-8")
    tamper(place / "data", outside)
    before = snapshot(place)
    argv = ["--data", str(place / "data"), "--no-bundled", *command.split()]
    code = main(argv, {"QUIZ_TODAY": "2026-11-27", "QUIZ_CACHE": str(place / "cache")})
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if (tamper is linked_backups and command in ("stats", "report -o -", "repair")) or (
        tamper is linked_replaced and command == "backup"
    ):
        assert code == 0  # nothing goes through the link here: nothing to refuse
    else:
        assert code != 0 and err.count("\n") == 1 and err.startswith("quiz: ")
    after = snapshot(place)
    if code == 0 and command == "backup":  # a backup made, inside backups/: quiz's own
        after = {k: v for k, v in after.items() if not k.startswith("data/backups")}
    assert after == before
    assert [p.name for p in outside.iterdir()] == ["mine.txt"]


@pytest.mark.usefixtures("deadline")
def test_a_log_line_whose_day_is_not_a_date_is_named_not_a_traceback(
    place: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = place / "data" / "log.jsonl"
    day = b'"d":"2026-99-99"'  # the same length: the checkpoint still covers the log
    log.write_bytes(log.read_bytes().replace(b'"d":"2026-11-26"', day, 1))
    argv = ["--data", str(place / "data"), "--no-bundled", "--decks", str(place / "decks")]
    env = {"QUIZ_TODAY": "2026-11-27", "QUIZ_CACHE": str(place / "cache")}
    for command in (["stats"], ["stats", "--json"], ["report", "-o", "-"]):
        assert main([*argv, *command], env) == 0
        assert "Traceback" not in "".join(capsys.readouterr())
    assert main([*argv, "repair", "--check"], env) == 1
    out = capsys.readouterr().out
    assert "log.jsonl: line 2 (bytes" in out and "cannot be read" in out


def test_a_decks_path_that_is_not_there_is_named_in_stats(
    place: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = place / "typo"
    argv = ["--data", str(place / "data"), "--no-bundled", "--decks", str(typo)]
    env = {"QUIZ_TODAY": "2026-11-27", "QUIZ_CACHE": str(place / "cache")}
    assert main([*argv, "stats"], env) == 0
    err = capsys.readouterr().err
    assert err == f"quiz: {typo}:1:1: error: no such file or folder; this deck is not loaded\n"
    assert main([*argv, "stats", "--json"], env) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["skipped"] == [
        {"file": str(typo), "problem": f"{typo}:1:1: error: no such file or folder"}
    ]
