"""`quiz validate`: findings as text or JSON, a summary, and exit 0 / 1 / 2."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from quiz.commands import validate
from quiz.commands.cli import main
from tests.deckfile.deck_cases import CASES, GOOD, Case, deck
from tests.deckfile.test_deck_load import expected_lines

FIXTURES = Path(__file__).parents[1] / "fixtures" / "decks"
TODAY = date(2026, 11, 26)


def run(*paths: str | Path, strict: bool = False, fmt: str = "text") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = validate.run(
        [str(p) for p in paths], strict=strict, fmt=fmt, out=out, err=err, today=TODAY
    )
    return code, out.getvalue(), err.getvalue()


def test_clean_folder() -> None:
    code, out, err = run(FIXTURES / "valid")
    assert (code, out, err) == (0, "5 decks checked: no errors\n", "")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_malformed_deck_file(tmp_path: Path, case: Case) -> None:
    path = tmp_path / "bad.json"
    path.write_text(case.text, encoding="utf-8", newline="")
    code, out, err = run(path)
    lines = out.splitlines()
    assert code == 1 and err == "" and "Traceback" not in out
    for line, wanted in zip(lines, expected_lines(case, str(path)), strict=False):
        assert line.startswith(wanted)
    errors = len(case.expected)
    assert lines[-1] == f"1 deck checked: {errors} error{'s' if errors > 1 else ''} in 1 file"


def test_errors_in_several_files_and_a_taken_id() -> None:
    code, out, _ = run(FIXTURES / "mixed", FIXTURES / "valid" / "minimal.json")
    assert code == 1
    assert out.splitlines() == [
        f'{FIXTURES / "mixed" / "also-alpha.json"}:2:8: error: deck id "alpha" is already used '
        f"by {FIXTURES / 'mixed' / 'a.json'}",
        f'{FIXTURES / "mixed" / "broken.json"}:1:114: error: trailing comma before "}}": '
        'remove this ","',
        "5 decks checked: 2 errors in 2 files",
    ]


def test_strict_turns_warnings_into_failure(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(deck(GOOD), encoding="utf-8")
    assert run(path) == (0, "1 deck checked: no errors\n", "")
    code, out, _ = run(path, strict=True)
    assert code == 1
    assert out.splitlines() == [
        f'{path}:6:5: warning: card "ok": no "source": say where the content comes from',
        "1 deck checked: 0 errors, 1 warning in 1 file",
    ]


def test_strict_clean_deck() -> None:
    code, out, _ = run(FIXTURES / "valid" / "minimal.json", strict=True)
    assert code == 1  # minimal has no source
    clean = FIXTURES / "valid" / "design-example.json"
    code, out, _ = run(clean, strict=True)
    assert "warning" in out and code == 1


def test_json_format(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(deck('{"id": "a", "type": "basic", "front": "F"}'), encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(deck(GOOD).replace('"id": "d"', '"id": "e"'), encoding="utf-8")
    code, out, err = run(tmp_path, strict=True, fmt="json")
    assert code == 1 and err == ""
    assert json.loads(out) == [
        {
            "path": str(bad),
            "line": 6,
            "column": 5,
            "severity": "error",
            "message": 'card "a": missing "back"',
        },
        {
            "path": str(good),
            "line": 6,
            "column": 5,
            "severity": "warning",
            "message": 'card "ok": no "source": say where the content comes from',
        },
    ]


def test_json_format_clean() -> None:
    code, out, _ = run(FIXTURES / "valid" / "minimal.json", fmt="json")
    assert (code, json.loads(out)) == (0, [])


def test_a_missing_path_is_a_usage_error() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert validate.run(["nowhere.json"], strict=False, fmt="text", out=out, err=err) == 2
    assert err.getvalue().strip() == "quiz validate: nowhere.json: no such file or folder"
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["validate"], "the following arguments are required: PATH"),
        (["validate", "x.json", "--format", "xml"], "argument --format: invalid choice: 'xml'"),
    ],
)
def test_the_command_line_refuses_bad_usage(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert err.startswith("quiz: ") and message in err and "Traceback" not in err


def test_folder_without_decks(tmp_path: Path) -> None:
    code, out, err = run(tmp_path)
    assert code == 2 and out == ""
    assert err.strip() == f"quiz validate: {tmp_path}: no *.json deck files in this folder"


def test_non_json_files_in_a_folder_are_ignored() -> None:
    code, out, _ = run(FIXTURES / "mixed")
    assert "notes.txt" not in out and code == 1
