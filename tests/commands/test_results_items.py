"""`quiz results` (a student's first scheduled scenario answers) and `quiz items` (the
teacher's item analysis of them), end to end through the command line."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.commands.cli import main
from quiz.core.model import Card, Item
from quiz.core.progress import CardState
from quiz.core.responses import scenario_response
from quiz.core.scoring import score_choice, score_rank
from quiz.core.session import Session
from quiz.deckfile.deck import load_deck
from quiz.storage.store import FileStore
from tests.core.test_question_analysis import OPTIONS, simulated_class

TODAY = date(2026, 11, 26)
ENV = {"QUIZ_TODAY": TODAY.isoformat()}
T = "2026-11-26T10:00:00+00:00"

DECK = {
    "format": 1,
    "id": "sjt",
    "title": "Ward scenarios",
    "cards": [
        {"id": "flash", "type": "basic", "front": "F?", "back": "F."},
        {
            "id": "rank1",
            "type": "rank",
            "scenario": "A patient wants to leave.",
            "question": "Rank these.",
            "options": [
                {"text": "Assess capacity.", "id": "capacity"},
                {"text": "Explain."},
                {"text": "Inform."},
            ],
        },
        {
            "id": "pick1",
            "type": "choice",
            "question": "Which first?",
            "options": [
                {"text": "Call senior.", "correct": True},
                {"text": "Wait."},
                {"text": "Go."},
            ],
        },
        {
            "id": "pick2",
            "type": "choice",
            "question": "Which next?",
            "options": [
                {"text": "Document.", "correct": True},
                {"text": "Leave."},
                {"text": "Hide."},
            ],
        },
    ],
}


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    path = folder / "sjt.json"
    path.write_text(json.dumps(DECK), encoding="utf-8")
    return path


def _answer(session: Session, chosen: dict[str, list[int]], quality: int) -> None:
    """Answer the session's current item; a scenario card with the indexes in `chosen`."""
    item = session.current
    assert item is not None
    card = item.card
    response = None
    if card.type == "rank":
        placed = chosen[card.id]
        response = scenario_response(card, placed, score_rank(placed))
    elif card.type == "choice":
        picked = chosen[card.id]
        response = scenario_response(card, picked, score_choice(set(picked), card.correct_indexes))
    session.answer(quality, time=T, response=response)


def _items(deck_file: Path) -> list[Item]:
    return list(load_deck(deck_file).items())


def _study(data: Path, items: list[Item], day: date, chosen: dict[str, list[int]], q: int) -> None:
    with FileStore.open(data) as store:
        session = Session(items, store, day)
        while not session.finished:
            _answer(session, chosen, q)


def _export(data: Path, deck_file: Path, target: Path, *extra: str) -> int:
    folders = ["--data", str(data), "--no-bundled", "--decks", str(deck_file.parent)]
    return main([*folders, "results", "-o", str(target), *extra], ENV)


def test_results_holds_only_the_first_scheduled_attempts(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    items = _items(deck_file)
    cards: dict[str, Card] = {i.card.id: i.card for i in items}
    with FileStore.open(data) as store:
        # an old log line: a scheduled answer to pick2 from before responses were logged
        store.record("sjt/pick2", "review", day=TODAY - timedelta(days=3), time=T,
                     after=CardState(), quality=4)  # fmt: skip
    # day 1: rank1 badly (quality 1: re-drilled, as a drill, with another answer)
    first = {"rank1": [1, 0, 2], "pick1": [1], "pick2": [0]}
    with FileStore.open(data) as store:
        session = Session(items, store, TODAY - timedelta(days=2))
        while not session.finished:
            current = session.current
            assert current is not None
            drill = session.current_is_drill
            answers = {**first, "rank1": [0, 1, 2]} if drill else first
            _answer(session, answers, 1 if current.card.id == "rank1" and not drill else 4)
    # day 2: all due again, answered otherwise (not exported); practice answers are never logged
    _study(
        data, items, TODAY - timedelta(days=1), {"rank1": [0, 1, 2], "pick1": [0], "pick2": [1]}, 5
    )
    with FileStore.open(data) as store:
        practice = Session(items, store, TODAY, practice=True)
        while not practice.finished:
            _answer(practice, {"rank1": [0, 1, 2], "pick1": [0], "pick2": [1]}, 5)
        kinds = [(e.key, e.kind, e.response is not None) for e in store.entries()]
    assert ("sjt/rank1", "drill", True) in kinds
    assert kinds.count(("sjt/rank1", "review", True)) == 2
    assert ("sjt/pick2", "review", False) in kinds

    target = tmp_path / "results.json"
    assert _export(data, deck_file, target) == 0
    assert "wrote 3 answers to scenario questions" in capsys.readouterr().out
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc == {
        "format": 1,
        "kind": "quiz-results",
        "name": None,
        "answers": [
            {"deck": "sjt", "card": "rank1", "digest": cards["rank1"].digest, "type": "rank",
             "options": ["#2", "capacity", "#3"], "points": 4, "maximum": 6},
            {"deck": "sjt", "card": "pick1", "digest": cards["pick1"].digest, "type": "choice",
             "options": ["#2"], "points": 0, "maximum": 1},
            {"deck": "sjt", "card": "pick2", "digest": cards["pick2"].digest, "type": "choice",
             "options": ["#1"], "points": 1, "maximum": 1},
        ],
    }  # fmt: skip

    assert _export(data, deck_file, target, "--as", "Ann Lee") == 0
    assert json.loads(target.read_text(encoding="utf-8"))["name"] == "Ann Lee"


def test_results_with_no_scenario_answers_writes_an_empty_file(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "results.json"
    assert _export(tmp_path / "data", deck_file, target) == 0
    assert "no scenario answers yet" in capsys.readouterr().out
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc == {"format": 1, "kind": "quiz-results", "name": None, "answers": []}


def test_results_of_an_unknown_deck_is_a_usage_error(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _export(tmp_path / "data", deck_file, tmp_path / "r.json", "nosuch") == 2
    assert 'no deck "nosuch"' in capsys.readouterr().err


def test_results_while_the_folder_is_in_use(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    with FileStore.open(data):
        assert _export(data, deck_file, tmp_path / "r.json") == 1
    err = capsys.readouterr().err
    assert err.startswith("quiz: ") and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r.json").exists()


# --- quiz items ---


def _results(path: Path, answers: list[dict[str, Any]], **doc: Any) -> Path:
    body = {"format": 1, "kind": "quiz-results", "name": None, "answers": answers, **doc}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def _class_files(tmp_path: Path) -> tuple[Path, list[Path]]:
    """The simulated class of 45 (tests/core/test_question_analysis.py) as a deck and results
    files."""
    questions, students = simulated_class()
    cards = [
        {"id": q.card, "type": "choice", "question": f"{q.card}?",
         "options": [{"text": f"option {o}", "correct": o in q.keyed} for o in OPTIONS]}
        for q in questions
    ]  # fmt: skip
    deck_path = tmp_path / "class.json"
    deck_path.write_text(json.dumps({"format": 1, "id": "cls", "title": "Class", "cards": cards}))
    digests = {c.id: c.digest for c in load_deck(deck_path).cards}
    paths = []
    for n, student in enumerate(students):
        answers = [
            {"deck": "cls", "card": card, "digest": digests[card], "type": "choice",
             "options": list(a.options), "points": a.points, "maximum": a.maximum}
            for card, a in student.items()
        ]  # fmt: skip
        paths.append(_results(tmp_path / f"s{n}.json", answers))
    return deck_path, paths


def test_items_markdown_report_worst_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck_path, paths = _class_files(tmp_path)
    report = tmp_path / "report.md"
    code = main(["items", str(deck_path), *map(str, paths), "-o", str(report)], ENV)
    assert code == 0
    assert "wrote the item analysis of 8 questions" in capsys.readouterr().out
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Item analysis: Class (cls)")
    assert "rest score, the mean score fraction over the other current questions" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "choice" in line]
    assert rows[0].startswith("| miskeyed | choice | 45 |")
    assert "negative discrimination" in rows[0]
    assert rows[1].startswith("| ambiguous |")
    assert "### miskeyed (choice)" in text
    assert "| #2 | option #2 | yes |" in text  # each option named, with its text


def test_items_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck_path, paths = _class_files(tmp_path)
    assert main(["items", str(deck_path), *map(str, paths), "--format", "json"], ENV) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["deck"] == "cls" and doc["files"] == 45
    first = doc["items"][0]
    assert first["card"] == "miskeyed" and first["discrimination"] < 0
    assert {o["name"]: o["keyed"] for o in first["options"]} == {
        "#1": False, "#2": True, "#3": False, "#4": False,
    }  # fmt: skip
    good = [i for i in doc["items"] if i["card"].startswith("good")]
    assert len(good) == 6 and all(not i["flags"] for i in good)


def test_items_keeps_older_versions_apart(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cards = {c.id: c for c in load_deck(deck_file).cards}

    def answer(card: str, points: int, digest: str | None = None) -> dict[str, Any]:
        return {"deck": "sjt", "card": card, "digest": digest or cards[card].digest,
                "type": "choice", "options": ["#1" if points else "#2"], "points": points,
                "maximum": 1}  # fmt: skip

    paths = [
        _results(tmp_path / "a.json", [answer("pick1", 1), answer("pick2", 1)]),
        _results(tmp_path / "b.json", [answer("pick1", 0), answer("pick2", 1)]),
        _results(tmp_path / "c.json", [answer("pick1", 1, "0123456789abcdef")]),
        _results(tmp_path / "d.json", [{**answer("pick1", 1), "deck": "other"}]),
    ]
    assert main(["items", str(deck_file), *map(str, paths), "--format", "json"], ENV) == 0
    doc = json.loads(capsys.readouterr().out)
    by_card = {i["card"]: i for i in doc["items"]}
    assert by_card["pick1"]["n"] == 2 and by_card["pick1"]["facility"] == 0.5
    assert doc["older_versions"] == [
        {"card": "pick1", "digest": "0123456789abcdef", "n": 1, "facility": 1.0}
    ]
    assert any(str(paths[3]) in note and "no answers" in note for note in doc["notes"])
    assert any("rank1" in note for note in doc["notes"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "damaged: not JSON"),
        ('{"format": 1, "kind": "quiz-panel", "answers": {}}', "not a results file"),
        ('{"format": 2, "kind": "quiz-results", "answers": []}', "results format 2"),
        ('{"format": 1, "kind": "quiz-results", "answers": {}}', '"answers" is not a list'),
        (
            '{"format": 1, "kind": "quiz-results", "answers": [{"deck": "sjt", "card": "x"}]}',
            'answer 1: "digest" is missing',
        ),
    ],
)
def test_items_refuses_a_bad_results_file_in_one_line(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    good = _results(tmp_path / "good.json", [])
    assert main(["items", str(deck_file), str(good), str(bad)], ENV) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"quiz: {bad}: ") and message in lines[0]


def test_items_of_a_missing_results_file(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.json"
    assert main(["items", str(deck_file), str(missing)], ENV) == 1
    assert capsys.readouterr().err.startswith(f"quiz: {missing}: cannot read")


def test_items_rank_mean_places_in_markdown(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = next(c.digest for c in load_deck(deck_file).cards if c.id == "rank1")
    # Three students; the first named the option with an id by its place (#1) before it had
    # one: the digest is the same, so it counts as "capacity".
    # Places of capacity: 1, 2, 1 -> 1.33; #2: 2, 1, 3 -> 2.00; #3: 3, 3, 2 -> 2.67
    orders = [(["#1", "#2", "#3"], 6), (["#2", "capacity", "#3"], 4), (["capacity", "#3", "#2"], 4)]
    paths = [
        _results(tmp_path / f"r{n}.json", [
            {"deck": "sjt", "card": "rank1", "digest": digest, "type": "rank",
             "options": options, "points": points, "maximum": 6},
        ])
        for n, (options, points) in enumerate(orders)
    ]  # fmt: skip
    assert main(["items", str(deck_file), *map(str, paths)], ENV) == 0
    text = capsys.readouterr().out
    assert "| rank1 | rank | 3 | 0.78 | - |" in text
    rows = {line.split(" | ")[0]: line for line in text.splitlines() if line.startswith("| ")}
    assert rows["| capacity"].endswith("| 1 | 1.33 |")
    assert rows["| #2"].endswith("| 2 | 2.00 |") and rows["| #3"].endswith("| 3 | 2.67 |")
    assert rows["| #3"] == "| #3 | Inform. | 3 | 2.67 |"  # the option's text beside its name
