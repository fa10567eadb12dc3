"""`quiz optimize`: FSRS-6 fitted to the student's own log, or a clear refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quiz.commands.cli import main
from quiz.core.schedulers import SM2
from quiz.services.fsrs_scheduler import Fsrs
from quiz.services.optimize import MIN_REVIEWS
from quiz.storage.store import FileStore
from tests.core.helpers import basic_deck
from tests.core.schedule_helpers import study

ENV = {"QUIZ_TODAY": "2026-09-01"}


def folder_with(tmp_path: Path, cards: int, days: int) -> list[str]:
    data = tmp_path / "data"
    with FileStore.open(data, scheduler=SM2) as store:
        study(store, basic_deck("d", cards).items(), SM2, days=days, seed=1)
    return ["--data", str(data), "--no-bundled"]


def test_too_few_reviews_are_refused_with_the_count_and_the_minimum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = folder_with(tmp_path, 5, 6)
    assert main([*options, "optimize"], ENV) == 1
    err = capsys.readouterr().err
    assert f"fitting FSRS needs at least {MIN_REVIEWS}" in err
    assert "reviews on a later day" in err
    assert not (tmp_path / "data" / "fsrs-parameters.json").exists()


def test_fitted_parameters_are_saved_and_each_scheduler_measured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = folder_with(tmp_path, 200, 120)
    assert main([*options, "optimize"], ENV) == 0
    out = capsys.readouterr().out
    for label in ("sm2", "sm2-revised", "fsrs (default)", "fsrs (fitted)"):
        assert f"  {label} " in out
    saved = json.loads((tmp_path / "data" / "fsrs-parameters.json").read_text())
    assert set(saved) == {"format", "parameters", "reviews", "fitted", "log_loss", "rmse"}
    assert saved["format"] == 1 and len(saved["parameters"]) == 21
    assert saved["reviews"] >= MIN_REVIEWS and 0 < saved["rmse"] < 1 and saved["log_loss"] > 0
    Fsrs(saved["parameters"])  # within FSRS-6's bounds

    (tmp_path / "data" / "settings.toml").write_text('scheduler = "fsrs"\n')
    assert main([*options, "stats", "--json"], ENV) == 0
    assert "scheduler changed from sm2 to fsrs" in capsys.readouterr().err
