"""The command line: one clear line and a non-zero exit for every bad input, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quiz import __version__
from quiz.commands.cli import main

DECK = {
    "format": 1,
    "id": "tiny",
    "title": "Tiny",
    "cards": [
        {"id": "a", "type": "basic", "front": "A?", "back": "A.", "reverse": True},
        {"id": "b", "type": "cloze", "text": "{{c1::B}} and {{c2::C}}"},
    ],
}


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "tiny.json").write_text(json.dumps(DECK), encoding="utf-8")
    return folder


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run quiz in a fresh process, as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "QUIZ_TODAY": "2026-11-26", **(env or {})},
    )
    return result.returncode, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run(["--version"])
    assert (code, out.strip()) == (0, f"quiz {__version__}")


def test_help_lists_the_commands() -> None:
    code, out, _ = run(["--help"])
    assert code == 0
    for command in ("study", "practice", "validate", "stats", "backup", "restore"):
        assert command in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["teleport"], "invalid choice: 'teleport'"),
        (["stats", "--json", "extra"], "unrecognized arguments: extra"),
        (["validate"], "the following arguments are required: PATH"),
    ],
)
def test_bad_flags_are_one_line_exit_2(args: list[str], message: str) -> None:
    code, _out, err = run(args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unknown_deck(tmp_path: Path, decks: Path) -> None:
    code, _, err = run(["--data", str(tmp_path / "d"), "--no-bundled", "--decks", str(decks),
                        "study", "nosuch"])  # fmt: skip
    assert code == 2
    assert err.strip() == 'quiz: no deck "nosuch"; the decks are: tiny'


def test_bad_quiz_today(tmp_path: Path) -> None:
    code, _, err = run(["--data", str(tmp_path), "stats"], env={"QUIZ_TODAY": "tomorrow"})
    assert code == 2
    assert "QUIZ_TODAY='tomorrow' is not a date" in err and "Traceback" not in err


def test_quiz_today_out_of_range(tmp_path: Path) -> None:
    code, _, err = run(["--data", str(tmp_path), "stats"], env={"QUIZ_TODAY": "9999-12-31"})
    assert code == 2
    assert err.strip() == (
        "quiz: QUIZ_TODAY='9999-12-31' is out of range; use a date from 1900-01-01 to 9899-12-31"
    )


def test_data_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    code, _, err = run(["--data", str(tmp_path / "f"), "--no-bundled", "stats"])
    assert code == 1
    assert err.strip() == f"quiz: {tmp_path / 'f'}: the progress folder is a file, not a folder"


def test_damaged_progress_is_rebuilt_and_said_once_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "progress.json").write_text("{not json")
    code, out, err = run(["--data", str(tmp_path), "--no-bundled", "stats", "--json"])
    assert code == 0 and json.loads(out)["reviews"]["today"] == 0
    (line,) = err.splitlines()
    assert line.startswith(f"quiz: {tmp_path / 'progress.json'}: could not be used, it is not")
    assert "rebuilt from the review log (0 answers, nothing lost)" in line
    (aside,) = (tmp_path / "replaced").iterdir()
    assert (aside / "progress.json").read_text() == "{not json"
    code, _, err = run(["--data", str(tmp_path), "--no-bundled", "stats"])
    assert (code, err) == (0, "")  # said once: the checkpoint is whole again


def test_stats_json_counts_every_item(
    tmp_path: Path, decks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {"QUIZ_TODAY": "2026-11-26"}
    code = main(
        ["--data", str(tmp_path), "--no-bundled", "--decks", str(decks), "stats", "--json"], env
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["decks"]["tiny"]["total"] == 4  # a, a~reverse, b~c1, b~c2
    assert data["decks"]["tiny"]["new"] == 4
    assert data["decks"]["tiny"]["due"] == 0


def test_backup_then_restore(tmp_path: Path, decks: Path) -> None:
    data = tmp_path / "data"
    common = ["--data", str(data), "--no-bundled", "--decks", str(decks)]
    assert run([*common, "backup"])[1].strip().endswith("no progress to back up yet")
    assert run(["--data", str(data), "restore"])[0] == 1
    data.mkdir()
    (data / "log.jsonl").write_text('{"quiz_log":1}\n')
    code, out, _ = run([*common, "backup"])
    assert code == 0 and out.startswith("backed up to ")
    (data / "log.jsonl").write_text("damaged\n")
    code, out, _ = run(["--data", str(data), "restore"])
    assert code == 0 and out.startswith("restored ")
    assert (data / "log.jsonl").read_text() == '{"quiz_log":1}\n'
    code, out, _ = run(["--data", str(data), "restore", "--list"])
    assert code == 0 and len(out.strip().splitlines()) == 1


def test_four_answers_after_the_backup_survive_a_damaged_checkpoint_and_a_restore(
    tmp_path: Path, decks: Path
) -> None:
    """The issue's scenario: a study session backs up at its start, four answers follow, then
    progress.json is damaged. quiz opens with the four reviews of today; `quiz restore` keeps
    them on top of the backup; `quiz restore --exact` gives the backup's moment."""
    from datetime import date, datetime

    from quiz.core.progress import CardState
    from quiz.core.sm2 import Sm2State
    from quiz.storage.store import FileStore

    data = tmp_path / "data"
    common = ["--data", str(data), "--no-bundled", "--decks", str(decks)]
    keys = ["tiny/a", "tiny/a~reverse", "tiny/b~c1", "tiny/b~c2"]
    yesterday, today = date(2026, 11, 25), date(2026, 11, 26)
    with FileStore.open(data) as store:
        for key in keys[:2]:
            after = CardState.from_sm2(Sm2State(1, 2.5, 1, today), first=yesterday, last=yesterday)
            store.record(key, "review", day=yesterday, time="t", after=after, quality=4)
    with FileStore.open(data) as store:
        made = store.backup(datetime(2026, 11, 26, 10, 15))
        for key in keys:
            after = CardState.from_sm2(
                Sm2State(2, 2.5, 6, date(2026, 12, 2)), first=today, last=today
            )
            store.record(key, "review", day=today, time="t", after=after, quality=4)
    assert made is not None

    def reviews_today() -> tuple[int, str]:
        code, out, err = run([*common, "stats", "--json"])
        assert code == 0, err
        return json.loads(out)["reviews"]["today"], err

    assert reviews_today() == (4, "")
    checkpoint = data / "progress.json"
    checkpoint.write_bytes(checkpoint.read_bytes()[:40])  # damaged: cut short
    count, err = reviews_today()
    assert count == 4 and "rebuilt from the review log (6 answers, nothing lost)" in err

    checkpoint.write_bytes(b"garbage")  # and damaged again: restore as the old advice said
    code, out, err = run([*common, "restore"])
    assert (code, err) == (0, "")
    assert out.startswith(f"restored {made.name}, with the 4 answers made after it on top;")
    assert reviews_today() == (4, "")

    code, out, err = run([*common, "restore", "--exact"])
    assert (code, err) == (0, "")
    assert out.startswith(f"restored {made.name} exactly as it was; the files it replaced are in")
    assert reviews_today() == (0, "")
    assert len(list((data / "replaced").iterdir())) == 3  # the rebuild's, and each restore's


def test_restore_says_when_the_answers_after_the_backup_cannot_be_read(
    tmp_path: Path, decks: Path
) -> None:
    from datetime import date, datetime

    from quiz.core.progress import CardState
    from quiz.storage.store import FileStore

    data = tmp_path / "data"
    with FileStore.open(data) as store:
        store.record("tiny/a", "review", day=date(2026, 11, 26), time="t", after=CardState())
        made = store.backup(datetime(2026, 11, 26, 10, 15))
        store.record("tiny/b~c1", "review", day=date(2026, 11, 26), time="t", after=CardState())
        store.record("tiny/b~c2", "review", day=date(2026, 11, 26), time="t", after=CardState())
    assert made is not None
    log = data / "log.jsonl"
    lines = log.read_bytes().split(b"\n")
    lines[-3] = b"garbage"  # the first answer after the backup
    log.write_bytes(b"\n".join(lines))
    at = len(b"\n".join(lines[:-3])) + 1
    code, out, err = run(["--data", str(data), "restore"])
    assert code == 0
    aside = data / "replaced" / out.split("/replaced/")[1].strip()
    assert out == f"restored {made.name} exactly as it was; the files it replaced are in {aside}\n"
    assert err == (
        f"quiz: {aside / 'log.jsonl'}: the line at byte {at} does not parse; so the answers"
        f" made after {made.name} were not kept (they are still in {aside})\n"
    )
