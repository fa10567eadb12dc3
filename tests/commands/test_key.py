"""`quiz key`: a panel's consensus on each scenario key, flags, older versions, --apply, and one
line and exit 1 for every bad panel file. Panel files are made by hand here, as SPEC13 lays
them out, with digests from Card.digest of the loaded fixture deck."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from quiz.commands.cli import main
from quiz.commands.key import backup_path
from quiz.core.model import Deck
from quiz.deckfile.deck import load_deck
from quiz.deckfile.layout import dumps


def _option(option_id: str, correct: bool | None = None) -> dict[str, Any]:
    option: dict[str, Any] = {"id": option_id, "text": f"Do {option_id}."}
    if correct is not None:
        option["correct"] = correct
    option["why"] = f"Because of {option_id}."
    return option


DECK: dict[str, Any] = {
    "format": 1,
    "id": "panel-test",
    "title": "Panel test",
    "cards": [
        {
            "id": "basic-one",
            "type": "basic",
            "front": "A?",
            "back": "A.",
            "source": "Test",
        },
        {
            "id": "ranked",
            "type": "rank",
            "scenario": "A scenario.",
            "question": "Rank these.",
            "options": [_option(o) for o in ("a", "b", "c", "d", "e")],
            "source": "Test",
            "explanation": "A, then B.",
        },
        {
            "id": "best",
            "type": "choice",
            "question": "Which one?",
            "options": [_option("x", True), _option("y", False), _option("z")],
            "source": "Test",
            "explanation": "X.",
        },
        {
            "id": "two",
            "type": "choice",
            "question": "Which two?",
            "options": [_option("p", True), _option("q", True), _option("r"), _option("s")],
            "source": "Test",
            "explanation": "P and Q.",
        },
    ],
}


@pytest.fixture
def deck_path(tmp_path: Path) -> Path:
    path = tmp_path / "panel-test.json"
    path.write_text(dumps(copy.deepcopy(DECK)), encoding="utf-8")
    return path


def _panel(
    folder: Path, deck: Deck, name: str, answers: dict[str, list[str]], **extra: Any
) -> Path:
    cards = {card.id: card for card in deck.cards}
    data: dict[str, Any] = {
        "format": 1,
        "kind": "quiz-panel",
        "deck": deck.id,
        "panellist": name,
        "answers": {
            card_id: {
                "digest": cards[card_id].digest,
                "type": cards[card_id].type,
                "options": options,
                "time": "2026-11-29T10:00:00Z",
            }
            for card_id, options in answers.items()
        },
    }
    data.update(extra)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _three(folder: Path, deck: Deck) -> list[Path]:
    """Three panellists.

    ranked: b a c d e / b a c e d / b a c d e
      places a: 2 2 2, b: 1 1 1, c: 3 3 3, d: 4 5 4, e: 5 4 5
      rank sums 6, 3, 9, 13, 14; mean 3 * 6 / 2 = 9; deviations -3 -6 0 4 5
      S = 9 + 36 + 0 + 16 + 25 = 86; W = 12 * 86 / (9 * 120) = 1032 / 1080 = 0.9556
      consensus b a c d e: the author's a b c d e has one pair swapped of 10: tau-a = 0.8
      -> agreed, key differs
    best: x y x -> modal x with 2/3: agreed, same key
    two: {p,r} {q,r} {p,s} -> counts p 2, q 1, r 2, s 1; consensus p, r; r has 2/3 and
      p has 2/3: not low; differs from p, q
    """
    return [
        _panel(folder, deck, "ann", {"ranked": list("bacde"), "best": ["x"], "two": ["p", "r"]}),
        _panel(folder, deck, "bob", {"ranked": list("baced"), "best": ["y"], "two": ["q", "r"]}),
        _panel(folder, deck, "cat", {"ranked": list("bacde"), "best": ["x"], "two": ["p", "s"]}),
    ]


def test_json_report_figures(
    deck_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = load_deck(deck_path)
    panels = _three(tmp_path, deck)
    assert main(["key", str(deck_path), *map(str, panels), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    by_card = {q["card"]: q for q in report["questions"]}
    ranked = by_card["ranked"]
    assert ranked["kendall_w"] == pytest.approx(1032 / 1080)
    assert ranked["tau_a"] == pytest.approx(0.8)
    assert ranked["consensus"] == list("bacde")
    assert ranked["mean_places"] == pytest.approx(
        {"a": 2.0, "b": 1.0, "c": 3.0, "d": 13 / 3, "e": 14 / 3}
    )
    assert ranked["flags"] == ["key differs"]
    best = by_card["best"]
    assert best["modal"] == "x"
    assert best["modal_share"] == pytest.approx(2 / 3)
    assert best["flags"] == []
    two = by_card["two"]
    assert two["consensus"] == ["p", "r"]
    assert two["shares"] == pytest.approx({"p": 2 / 3, "q": 1 / 3, "r": 2 / 3, "s": 1 / 3})
    assert two["flags"] == ["key differs"]
    # worst first: flagged before agreed
    assert report["questions"][-1]["card"] == "best"
    assert "applied" not in report


def test_markdown_report(
    deck_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = load_deck(deck_path)
    panels = _three(tmp_path, deck)
    out = tmp_path / "report.md"
    assert main(["key", str(deck_path), *map(str, panels), "-o", str(out)]) == 0
    assert "report written" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Panel check of the keys of Panel test (`panel-test`)")
    assert "## `ranked` (rank): key differs" in text
    assert "Kendall's W = 0.96" in text
    assert "tau-a = 0.80" in text
    assert "## `best` (choice): agreed" in text
    assert "Modal option: `x`, 67 %." in text
    assert text.index("`ranked`") < text.index("`best`")


def test_low_agreement_and_split_flagged(
    deck_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = load_deck(deck_path)
    # ranked: a b c d e / e d c b a: every rank sum 6, W = 0; all tied
    # best: x / y: modal x with 1/2 < 2/3, tied with y
    panels = [
        _panel(tmp_path, deck, "ann", {"ranked": list("abcde"), "best": ["x"]}),
        _panel(tmp_path, deck, "bob", {"ranked": list("edcba"), "best": ["y"]}),
    ]
    assert main(["key", str(deck_path), *map(str, panels), "--format", "json"]) == 0
    by_card = {q["card"]: q for q in json.loads(capsys.readouterr().out)["questions"]}
    assert by_card["ranked"]["kendall_w"] == 0.0
    assert by_card["ranked"]["flags"] == ["low agreement", "tie in the consensus"]
    assert by_card["best"]["flags"] == ["low agreement", "tie in the consensus"]
    assert by_card["two"]["panellists"] == 0


def test_older_version_reported_apart(
    deck_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = load_deck(deck_path)
    panels = _three(tmp_path, deck)
    # three more panellists answered an older version of "best" (another digest): they would
    # make y the modal option if they were counted
    for name in ("dan", "eve", "fay"):
        path = _panel(tmp_path, deck, name, {"best": ["y"]})
        data = json.loads(path.read_text(encoding="utf-8"))
        data["answers"]["best"]["digest"] = "0123456789abcdef"
        path.write_text(json.dumps(data), encoding="utf-8")
        panels.append(path)
    assert main(["key", str(deck_path), *map(str, panels)]) == 0
    text = capsys.readouterr().out
    assert "3 answers to an older version of this question, not counted" in text
    assert main(["key", str(deck_path), *map(str, panels), "--format", "json"]) == 0
    best = next(q for q in json.loads(capsys.readouterr().out)["questions"] if q["card"] == "best")
    assert best["older"] == 3
    assert best["panellists"] == 3
    assert best["modal"] == "x"


def test_apply_changes_exactly_the_reported_keys(
    deck_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = load_deck(deck_path)
    panels = _three(tmp_path, deck)
    before = deck_path.read_bytes()
    assert main(["key", str(deck_path), *map(str, panels), "--apply", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [a["card"] for a in report["applied"]] == ["ranked", "two"]
    assert report["applied"][0]["change"] == "options reordered: a, b, c, d, e -> b, a, c, d, e"
    assert report["applied"][1]["change"] == "correct: p, q -> p, r"
    backup = Path(report["backup"])
    assert backup.parent == deck_path.parent
    assert backup.name.startswith("panel-test.json.bak-")
    assert backup.read_bytes() == before
    # exactly those keys changed; everything else as it was
    expected = copy.deepcopy(DECK)
    ranked = expected["cards"][1]
    ranked["options"] = [ranked["options"][i] for i in (1, 0, 2, 3, 4)]
    two = expected["cards"][3]
    del two["options"][1]["correct"]  # an unmarked option is not correct
    two["options"][2]["correct"] = True
    assert deck_path.read_text(encoding="utf-8") == dumps(expected)
    assert main(["validate", "--strict", str(deck_path)]) == 0
    capsys.readouterr()
    # the keys now agree with the panel's (whose answers are to the older versions now)
    assert main(["key", str(deck_path), *map(str, panels), "--apply"]) == 0
    assert "Nothing changed" in capsys.readouterr().out


def test_apply_leaves_low_agreement_alone(
    deck_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = load_deck(deck_path)
    # best: y y x z -> modal y with 2/4 < 2/3: low agreement, though the key (x) differs
    panels = [
        _panel(tmp_path, deck, name, {"best": [pick]})
        for name, pick in (("ann", "y"), ("bob", "y"), ("cat", "x"), ("dan", "z"))
    ]
    before = deck_path.read_bytes()
    assert main(["key", str(deck_path), *map(str, panels), "--apply"]) == 0
    assert "Nothing changed" in capsys.readouterr().out
    assert deck_path.read_bytes() == before
    assert not list(deck_path.parent.glob("*.bak-*"))


def test_backup_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "deck.json"
    now = datetime(2026, 11, 29, 15, 0, 0)
    first = backup_path(path, now)
    assert first.name == "deck.json.bak-20261129T150000"
    first.write_text("old", encoding="utf-8")
    assert backup_path(path, now).name == "deck.json.bak-20261129T150000-2"


def _bad(folder: Path, deck: Deck, case: str) -> Path:
    path = folder / f"bad-{case}.json"
    good = _panel(folder, deck, "good", {"best": ["x"]})
    data = json.loads(good.read_text(encoding="utf-8"))
    good.unlink()
    if case == "other-deck":
        data["deck"] = "another-deck"
    elif case == "results":
        data["kind"] = "quiz-results"
    elif case == "format":
        data["format"] = 2
    elif case == "no-answers":
        del data["answers"]
    elif case == "unknown-option":
        data["answers"]["best"]["options"] = ["w"]
    elif case == "two-picks":
        data["answers"]["best"]["options"] = ["x", "y"]
    elif case == "wrong-type":
        data["answers"]["best"]["type"] = "rank"
    elif case == "list":
        data = [data]
    if case == "truncated":
        path.write_text(json.dumps(data)[:40], encoding="utf-8")
    elif case == "binary":
        path.write_bytes(b"\xff\xfe\x00garbage")
    elif case != "missing":
        path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("other-deck", 'a panel for deck "another-deck", not "panel-test"'),
        ("results", 'not a panel file (its "kind" is "quiz-results"'),
        ("format", "panel file format 2"),
        ("no-answers", '"answers" is not an object'),
        ("unknown-option", 'names no option of it ("w")'),
        ("two-picks", "picks 2 options; the question asks for 1"),
        ("wrong-type", "is a rank answer to a choice question"),
        ("list", 'not a panel file (it has no "kind"'),
        ("truncated", "not JSON"),
        ("binary", "not UTF-8"),
        ("missing", "no such panel file"),
    ],
)
def test_bad_panel_file_is_one_line_and_exit_1(
    deck_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    words: str,
) -> None:
    deck = load_deck(deck_path)
    good = _panel(tmp_path, deck, "ann", {"best": ["x"]})
    bad = _bad(tmp_path, deck, case)
    before = deck_path.read_bytes()
    assert main(["key", str(deck_path), str(good), str(bad), "--apply"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"quiz: {bad}: ")
    assert words in lines[0]
    assert deck_path.read_bytes() == before


def test_same_panellist_twice(
    deck_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = load_deck(deck_path)
    first = _panel(tmp_path, deck, "ann", {"best": ["x"]})
    second = tmp_path / "copy.json"
    second.write_bytes(first.read_bytes())
    assert main(["key", str(deck_path), str(first), str(second)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f'quiz: {second}: panellist "ann" has answered already, in {first}']


def test_answers_to_no_scenario_question_are_listed_apart(
    deck_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = load_deck(deck_path)
    path = _panel(tmp_path, deck, "ann", {"best": ["x"]})
    data = json.loads(path.read_text(encoding="utf-8"))
    data["answers"]["gone"] = dict(data["answers"]["best"])
    data["answers"]["basic-one"] = dict(data["answers"]["best"])
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["key", str(deck_path), str(path)]) == 0
    text = capsys.readouterr().out
    assert "## Answers to no scenario question of this deck (not counted)" in text
    assert f"- `gone`: {path}" in text
    assert f"- `basic-one`: {path}" in text
    assert main(["key", str(deck_path), str(path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["not_in_deck"] == {"gone": [str(path)], "basic-one": [str(path)]}
