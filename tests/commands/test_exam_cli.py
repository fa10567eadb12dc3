"""`quiz exam add|list|remove`: good input kept in exams.json, bad input one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quiz.commands.cli import main
from tests.core.helpers import basic_deck
from tests.stats_helpers import write_decks

ENV = {"QUIZ_TODAY": "2027-01-01"}


@pytest.fixture
def options(tmp_path: Path) -> list[str]:
    decks = write_decks(tmp_path / "decks", [basic_deck("alpha", 30), basic_deck("beta", 10)])
    return ["--data", str(tmp_path / "data"), "--decks", str(decks), "--no-bundled"]


def test_add_list_and_remove(
    options: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*options, "exam", "add", "Finals", "2027-01-31", "alpha", "beta"], ENV) == 0
    out = capsys.readouterr().out
    assert 'set the exam "Finals" on 2027-01-31' in out
    assert "Finals: 2027-01-31 (in 30 days), 40 cards, 40 not yet seen" in out
    assert "2 new a day to see all 40 by 24 Jan" in out
    saved = json.loads((tmp_path / "data" / "exams.json").read_text())
    assert saved["exams"] == [
        {
            "name": "Finals",
            "date": "2027-01-31",
            "decks": ["alpha", "beta"],
            "tags": [],
            "seen_by": 7,
        }
    ]
    args = [*options, "exam", "add", "PSA", "2027-03-01", "beta", "--seen-by", "14"]
    assert main(args, ENV) == 0
    capsys.readouterr()
    assert main([*options, "exam", "list"], ENV) == 0
    out = capsys.readouterr().out
    assert out.index("Finals:") < out.index("PSA:")
    assert "1 new a day to see all 10 by 15 Feb" in out
    assert main([*options, "exam", "remove", "Finals"], ENV) == 0
    names = [e["name"] for e in json.loads((tmp_path / "data" / "exams.json").read_text())["exams"]]
    assert names == ["PSA"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "X", "2026-12-31", "alpha"], "2026-12-31 is not after today (2027-01-01)"),
        (["add", "X", "2027-01-01", "alpha"], "is not after today"),
        (["add", "X", "2027-02-30", "alpha"], '"2027-02-30" is not a date (YYYY-MM-DD)'),
        (["add", "X", "2027-02-01", "gamma"], "no deck 'gamma'; the decks are: alpha, beta"),
        (["add", "X", "2027-02-01"], "name the decks the exam covers, or a tag with --tag"),
        (["add", "X", "2027-02-01", "--tag", "nope"], "no card has the tag 'nope'"),
        (["add", "X", "2027-01-05", "alpha", "--seen-by", "7"], "--seen-by 7: must be from 0"),
        (["remove", "Y"], 'no exam "Y"; the exams are: none'),
        ([], "the following arguments are required: ACTION"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    options: list[str], args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*options, "exam", *args], ENV) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_name_already_set_is_refused(
    options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*options, "exam", "add", "Finals", "2027-02-01", "alpha"], ENV) == 0
    assert main([*options, "exam", "add", "Finals", "2027-03-01", "beta"], ENV) == 2
    assert 'an exam "Finals" is set already' in capsys.readouterr().err


def test_a_damaged_file_is_named_and_never_overwritten(
    options: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data" / "exams.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"format": 1, "exams": [')
    assert main([*options, "exam", "add", "Finals", "2027-02-01", "alpha"], ENV) == 1
    err = capsys.readouterr().err
    assert f"{path}: not usable" in err
    assert path.read_text() == '{"format": 1, "exams": ['
    assert main([*options, "exam", "list"], ENV) == 1
    assert main([*options, "stats"], ENV) == 0
    assert "studying without the exam rules" in capsys.readouterr().err
    assert path.read_text() == '{"format": 1, "exams": ['


def test_the_global_options_may_follow_the_action(
    options: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["exam", "add", "Finals", "2027-02-01", "alpha", *options], ENV) == 0
    assert (tmp_path / "data" / "exams.json").exists()
    assert main(["exam", "list", *options], ENV) == 0
    assert "Finals: 2027-02-01" in capsys.readouterr().out
