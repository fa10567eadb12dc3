"""`quiz stats` (text and JSON) and `quiz report` from the command line, bad input included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from quiz.commands.cli import main
from quiz.core.progress import MemoryStore
from tests.stats_helpers import TODAY, ago, known_log, sample_decks, write_decks, write_log

ENV = {"QUIZ_TODAY": TODAY.isoformat()}


@pytest.fixture
def folders(tmp_path: Path) -> list[str]:
    """Global options for a progress folder holding the known log, over the sample decks."""
    store = MemoryStore()
    known_log(store)
    data = write_log(tmp_path / "data", store)
    decks = write_decks(tmp_path / "decks", sample_decks())
    return ["--data", str(data), "--no-bundled", "--decks", str(decks)]


def stats_json(folders: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main([*folders, "stats", "--json"], ENV) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def run(args: list[str]) -> tuple[int, str, str]:
    """Run quiz in a fresh process, as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **ENV},
    )
    return result.returncode, result.stdout, result.stderr


def test_stats_json_shape(folders: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    data = stats_json(folders, capsys)
    assert {"decks", "forecast", "history", "retention", "streak", "tags"} <= set(data)
    assert data["today"] == "2026-03-10"
    assert data["decks"]["mlcf"] == {
        "total": 5, "new": 0, "due": 1, "learning": 3, "young": 1, "mature": 1,
        "suspended": 0, "due_tomorrow": 2,
    }  # fmt: skip
    assert len(data["forecast"]) == 30
    assert {d: n for d, n in data["forecast"].items() if n} == {
        "2026-03-10": 2, "2026-03-11": 3, "2026-03-25": 1,
    }  # fmt: skip
    assert data["history"] == {
        ago(30).isoformat(): 1, ago(29).isoformat(): 1, ago(2).isoformat(): 2,
        ago(1).isoformat(): 1, "2026-03-10": 4,
    }  # fmt: skip
    assert data["time"] == {"today_s": 31, "last_30_days_s": 115, "last_90_days_s": 135}
    assert data["reviews"] == {"today": 4, "last_30_days": 8, "last_90_days": 9}
    assert data["retention"]["young"] == {"correct": 1, "total": 2, "rate": 0.5}
    assert data["retention"]["mature"] == {"correct": 1, "total": 1, "rate": 1.0}
    assert data["streak"] == {"current": 3, "longest": 3, "study_days": 5, "last_year": 5}
    assert list(data["tags"])[:2] == ["[red]team[/]", "mlcf-improving-services"]
    assert data["tags"]["[red]team[/]"] == {
        "items": 1, "answers": 1, "correct": 0, "accuracy": 0.0,
    }  # fmt: skip
    assert data["scenarios"]["sjt"]["mean_grade"] == 3.0


def test_stats_json_on_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    decks = write_decks(tmp_path / "decks", sample_decks())
    data = stats_json(["--data", str(tmp_path / "d"), "--no-bundled", "--decks", str(decks)],
                      capsys)  # fmt: skip
    assert data["history"] == {}
    assert set(data["forecast"].values()) == {0}
    assert data["retention"]["all"] == {"correct": 0, "total": 0, "rate": None}
    assert data["streak"]["current"] == 0
    assert all(t["accuracy"] is None for t in data["tags"].values())


def test_stats_text(folders: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*folders, "stats"], ENV) == 0
    out = capsys.readouterr().out
    assert "due today 2, tomorrow 3, next 7 days 5, next 30 days 6" in out
    assert "retention (last 30 days): young 50% (1 of 2), mature 100% (1 of 1)" in out
    assert "streak 3 days (longest 3)" in out
    assert "[red]team[/]" in out


def test_report_writes_a_dated_markdown_file(
    folders: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "progress.md"
    assert main([*folders, "report", "-o", str(target)], ENV) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Revision progress, 2026-03-10\n")
    assert "| young | 2 | 1 | 50% |" in text
    assert "| \\[red\\]team\\[/\\] | 1 | 1 | 0 | 0% |" in text
    assert "| Situational judgement \\[bold\\]practice\\[/\\] | 3 | 3 | 3 | 67% | 3.0 |" in text
    assert "front " not in text  # no card text


def test_report_to_standard_output(folders: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*folders, "report", "-o", "-"], ENV) == 0
    assert capsys.readouterr().out.startswith("# Revision progress, 2026-03-10")


@pytest.mark.parametrize(
    ("output", "code", "message"),
    [
        (None, 2, "quiz: the following arguments are required: -o/--output"),
        ("{tmp}", 1, "quiz: {tmp}: is a folder; give a file name, e.g. progress.md"),
        (
            "{tmp}/no/such/folder/p.md",
            1,
            "quiz: {tmp}/no/such/folder/p.md: cannot write: the folder {tmp}/no/such/folder does"
            " not exist",
        ),
        (
            "/etc/passwd/p.md",
            1,
            "quiz: /etc/passwd/p.md: cannot write: the folder /etc/passwd does not exist",
        ),
    ],
)
def test_report_bad_output_is_one_line(
    tmp_path: Path, output: str | None, code: int, message: str
) -> None:
    args = ["--data", str(tmp_path / "data"), "--no-bundled", "report"]
    if output is not None:
        args += ["-o", output.format(tmp=tmp_path)]
    got, out, err = run(args)
    assert got == code
    assert err.startswith(message.format(tmp=tmp_path))
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert out == ""


def test_stats_name_the_scheduler_and_under_fsrs_the_recall_predicted_today(
    folders: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = stats_json(folders, capsys)
    assert data["scheduler"] == "sm2" and data["predicted_recall"] is None
    assert main([*folders, "stats"], ENV) == 0
    assert "scheduled by sm2" in capsys.readouterr().out

    settings = Path(folders[1]) / "settings.toml"
    settings.write_text('scheduler = "fsrs"\ndesired_retention = 0.85\n')
    assert main([*folders, "stats", "--json"], ENV) == 0
    out, err = capsys.readouterr()
    assert "scheduler changed from sm2 to fsrs" in err  # the states were recomputed
    data = json.loads(out)
    assert data["scheduler"] == "fsrs"
    recall = data["predicted_recall"]
    assert 0 < recall["all"] < 1
    assert set(recall["decks"]) <= set(data["decks"]) and recall["decks"]
    assert main([*folders, "stats"], ENV) == 0
    out = capsys.readouterr().out
    assert "scheduled by fsrs" in out and "predicted recall today (fsrs):" in out
