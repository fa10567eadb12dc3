"""Readiness for an exam: in `quiz stats` (text and JSON) and `quiz report`, predicted with
FSRS-6's memory model whatever the scheduler, fitted parameters named when they are used."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.commands.cli import main
from quiz.core.schedulers import SM2
from quiz.services.fsrs_scheduler import DEFAULT_PARAMETERS
from quiz.storage.fsrs_parameters import Fitted, save
from quiz.storage.store import FileStore
from tests.core.helpers import basic_deck
from tests.core.schedule_helpers import study
from tests.stats_helpers import write_decks

START = date(2027, 1, 4)


def folder(tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    decks = [basic_deck("alpha", 40), basic_deck("beta", 20)]
    data = tmp_path / "data"
    with FileStore.open(data, scheduler=SM2) as store:
        after = study(store, decks[0].items(), SM2, days=12, seed=2, start=START)
    options = [
        "--data",
        str(data),
        "--decks",
        str(write_decks(tmp_path / "decks", decks)),
        "--no-bundled",
    ]
    return options, {"QUIZ_TODAY": after.isoformat()}


def exams_json(options: list[str], env: dict[str, str], capsys: Any) -> list[dict[str, Any]]:
    assert main([*options, "stats", "--json"], env) == 0
    found: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["exams"]
    return found


def test_no_exam_means_an_empty_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    options, env = folder(tmp_path)
    assert exams_json(options, env, capsys) == []
    assert main([*options, "stats"], env) == 0
    assert "exams" not in capsys.readouterr().out


def test_readiness_in_stats_json_text_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options, env = folder(tmp_path)
    today = date.fromisoformat(env["QUIZ_TODAY"])
    day = today + timedelta(days=30)
    assert main([*options, "exam", "add", "Finals", day.isoformat(), "alpha", "beta"], env) == 0
    capsys.readouterr()
    [finals] = exams_json(options, env, capsys)
    assert finals["name"] == "Finals"
    assert finals["date"] == day.isoformat()
    assert finals["days_left"] == 30
    assert finals["cards"] == 60
    assert 20 <= finals["unseen"] < 60  # beta never studied, alpha partly
    assert finals["reviews_planned"] > 0
    assert 0 < finals["predicted_recall"] < (60 - finals["unseen"]) / 60
    assert finals["model"] == "default"
    assert main([*options, "stats"], env) == 0
    text = capsys.readouterr().out
    assert f"Finals: {day.isoformat()} (in 30 days), 60 cards" in text
    assert "(FSRS-6, default parameters)" in text
    assert main([*options, "report", "-o", "-"], env) == 0
    assert "## Exams" in capsys.readouterr().out


@pytest.mark.parametrize(("reviews", "model"), [(1000, "fitted"), (100, "default")])
def test_the_model_says_whether_fitted_parameters_were_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], reviews: int, model: str
) -> None:
    options, env = folder(tmp_path)
    today = date.fromisoformat(env["QUIZ_TODAY"])
    save(tmp_path / "data", Fitted(tuple(DEFAULT_PARAMETERS), reviews, "2027-01-01", 0.3, 0.05))
    day = (today + timedelta(days=20)).isoformat()
    assert main([*options, "exam", "add", "Finals", day, "alpha"], env) == 0
    capsys.readouterr()
    [finals] = exams_json(options, env, capsys)
    assert finals["model"] == model
