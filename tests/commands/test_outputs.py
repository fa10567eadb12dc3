"""No command writes over what is not its to replace: an -o inside the progress folder, the
file the command reads, or an existing file without --force is refused in one line, and
nothing changes. Empty paths are errors, never the default folder."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from quiz.commands.cli import main
from quiz.core.progress import CardState
from quiz.core.sm2 import Sm2State
from quiz.storage.store import FileStore
from tests.commands.test_cli import DECK

ENV = {"QUIZ_TODAY": "2026-11-26"}
DAY = date(2026, 11, 26)
STATE = CardState.from_sm2(Sm2State(1, 2.5, 1, DAY), first=DAY, last=DAY)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "tiny.json").write_text(json.dumps(DECK), encoding="utf-8")
    FileStore.open(tmp_path / "data").close()
    (tmp_path / "old.md").write_text("mine\n", encoding="utf-8")
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "lock"
    }


CASES = [
    # name, arguments ({d}: the folder), the start of the message
    ("report over the live log", "report -o {d}/data/log.jsonl", "is inside the progress folder"),
    ("results over the checkpoint", "results -o {d}/data/progress.json", "is inside the progress"),
    ("key over its deck", "key {d}/decks/tiny.json {d}/p.json -o {d}/decks/tiny.json", "reads"),
    ("items over its deck", "items {d}/decks/tiny.json {d}/r.json -o {d}/decks/tiny.json", "reads"),
    ("panel over its deck", "panel {d}/decks/tiny.json --as A -o {d}/decks/tiny.json", "reads"),
    ("new deck in the folder", "new-deck {d}/data/deck.json", "is inside the progress"),
    ("import into the folder", "import {d}/old.md -o {d}/data/d.json", "is inside the progress"),
    ("schema over a file", "schema -o {d}/old.md", "already exists; give --force"),
    ("report over a file", "report -o {d}/old.md", "already exists; give --force"),
    ("results over a file", "results -o {d}/old.md", "already exists; give --force"),
    ("export over a file", "export {d}/decks/tiny.json -o {d}/old.md --to csv", "already exists"),
    ("items over a file", "items {d}/decks/tiny.json {d}/r.json -o {d}/old.md", "already exists"),
    ("key over a file", "key {d}/decks/tiny.json {d}/p.json -o {d}/old.md", "already exists"),
]


@pytest.mark.parametrize(("args", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_output_that_is_not_the_commands_to_replace_is_refused(
    folder: Path, args: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(folder)
    argv = ["--data", str(folder / "data"), "--no-bundled", *args.format(d=folder).split()]
    assert main(argv, ENV) == 1
    err = capsys.readouterr().err
    assert err.startswith("quiz: ") and message in err and err.count("\n") == 1
    assert snapshot(folder) == before


def test_force_replaces_an_existing_output_atomically(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "-o", str(folder / "old.md"), "--force"], ENV) == 0
    assert json.loads((folder / "old.md").read_text(encoding="utf-8"))["$schema"]
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temp file left


@pytest.mark.parametrize(
    "args",
    [["--data", "", "stats"], ["--decks", "", "stats"], ["validate", ""], ["stats", "--data", " "]],
)
def test_an_empty_path_is_an_error_not_the_default(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args, ENV) == 2
    err = capsys.readouterr().err
    assert "is an empty path" in err and err.count("\n") == 1


def test_names_from_the_disk_reach_the_terminal_as_text(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backup folder named with escape sequences (a window title, a C1 CSI) is listed as
    text: the command line's output passes through the one sanitiser."""
    data = folder / "data"
    with FileStore.open(data) as store:
        store.record("d/a", "review", day=DAY, time="t", after=STATE)
        made = store.backup(datetime(2026, 11, 26, 9))
    assert made is not None
    made.rename(made.with_name("2026\x1b]2;PWNED\x07\x9b31m"))
    assert main(["--data", str(data), "restore", "--list"], ENV) == 0
    out = capsys.readouterr().out
    assert out == "2026␛]2;PWNED␇\\u009b31m\n"
