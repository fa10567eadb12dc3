"""`quiz panel`: a panellist keys the scenario questions blind; each answer is saved at once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from quiz.commands.cli import main
from quiz.commands.panel import prepare
from quiz.deckfile.deck import load_deck
from quiz.deckfile.layout import dumps
from quiz.storage import durable
from quiz.ui.screens.panel import PanelApp
from quiz.ui.widgets.choice import ChoiceList
from quiz.ui.widgets.rank import RankList
from tests.ui.helpers import T, flowing

SnapCompare = Callable[..., bool]
SECRETS = ("WHY-", "EXPLAINED-", "Correct", "marks", "Score")
"""Text of the key (whys, explanations, verdicts) that must never be on a panel screen."""


def option(text: str, *, correct: bool = False, id: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"text": text, "why": f"WHY-{text}"}
    if id:
        found["id"] = id
    if correct:
        found["correct"] = True
    return found


def deck_json() -> dict[str, Any]:
    """A flashcard (never keyed), a rank card and a choose-3 card."""
    return {
        "format": 1,
        "id": "panel-demo",
        "title": "Panel demo",
        "cards": [
            {"id": "plain", "type": "basic", "front": "A front", "back": "A back"},
            {
                "id": "order",
                "type": "rank",
                "scenario": "A patient on the ward is unwell.",
                "question": "Rank these actions.",
                "explanation": "EXPLAINED-rank",
                "options": [
                    option("Call the registrar", id="call"),
                    option("Check the obs"),
                    option("Wait and see", id="wait"),
                    option("Ask a nurse"),
                    option("Write a note"),
                ],
            },
            {
                "id": "three",
                "type": "choice",
                "scenario": "A drug chart is unclear.",
                "question": "Which three are appropriate?",
                "explanation": "EXPLAINED-choice",
                "options": [
                    option("Ask the prescriber", correct=True, id="ask"),
                    option("Guess the dose"),
                    option("Check the BNF", correct=True),
                    option("Give it anyway"),
                    option("Ask a pharmacist", correct=True),
                    option("Skip the dose"),
                ],
            },
        ],
    }


def write_deck(path: Path, deck: dict[str, Any]) -> None:
    path.write_text(dumps(deck), encoding="utf-8")


def app_for(deck_path: Path, panel_path: Path, name: str = "alice") -> PanelApp:
    deck, panel = prepare(deck_path, name, panel_path)
    return PanelApp(deck, panel, panel_path, now=lambda: T)


async def rank(pilot: Pilot[int], app: PanelApp, indexes: list[int]) -> None:
    """Type the ranking that puts these options (by index in the file) in this order."""
    ranking = app.panel_screen.query_one(RankList)
    for index in indexes:
        await pilot.press(str(ranking.number[index]))


async def pick(pilot: Pilot[int], app: PanelApp, indexes: list[int]) -> None:
    """Pick these options (by index in the file) by their numbers on screen."""
    choices = app.panel_screen.query_one(ChoiceList)
    for index in indexes:
        await pilot.press(str(choices.order.index(index) + 1))


def assert_blind(app: PanelApp) -> str:
    text = flowing(app)
    for secret in SECRETS:
        assert secret not in text, text
    return text


@pytest.fixture
def deck_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.json"
    write_deck(path, deck_json())
    return path


async def test_panel_keys_rank_and_choose_3_blind(deck_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "alice.json"
    cards = {card.id: card for card in load_deck(deck_path).cards}
    app = app_for(deck_path, out)
    async with app.run_test(size=(80, 24)) as pilot:
        text = assert_blind(app)
        assert "0 of 2 keyed" in text and "Rank these actions." in text and "Rank all 5" in text
        await rank(pilot, app, [2, 0, 4, 1, 3])
        await pilot.press("enter")
        saved = json.loads(out.read_text(encoding="utf-8"))
        assert list(saved["answers"]) == ["order"]

        text = assert_blind(app)
        assert "1 of 2 keyed" in text and "Choose 3 of 6" in text
        await pick(pilot, app, [4, 0])
        await pilot.press("enter")  # two of three picked: nothing is saved
        assert list(json.loads(out.read_text(encoding="utf-8"))["answers"]) == ["order"]
        await pick(pilot, app, [2])
        assert_blind(app)
        await pilot.press("enter")

        text = assert_blind(app)
        assert "2 of 2 keyed" in text and "All 2 questions keyed" in text
        assert str(out) in str(app.panel_screen.query_one("#done", Static).render())
    assert json.loads(out.read_text(encoding="utf-8")) == {
        "format": 1,
        "kind": "quiz-panel",
        "deck": "panel-demo",
        "panellist": "alice",
        "answers": {
            "order": {
                "digest": cards["order"].digest,
                "type": "rank",
                "options": ["wait", "call", "#5", "#2", "#4"],
                "time": T,
            },
            "three": {
                "digest": cards["three"].digest,
                "type": "choice",
                "options": ["ask", "#3", "#5"],
                "time": T,
            },
        },
    }


async def test_panel_resumes_where_it_stopped(deck_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "alice.json"
    app = app_for(deck_path, out)
    async with app.run_test(size=(80, 24)) as pilot:
        order = list(app.panel_screen.query_one(RankList).placed)
        await rank(pilot, app, [0, 1, 2, 3, 4])
        await pilot.press("enter", "q")
    first = json.loads(out.read_text(encoding="utf-8"))

    again = app_for(deck_path, out)
    async with again.run_test(size=(80, 24)) as pilot:
        text = assert_blind(again)
        assert "1 of 2 keyed" in text and "Which three are appropriate?" in text
        assert json.loads(out.read_text(encoding="utf-8")) == first
    again_rank = app_for(deck_path, tmp_path / "alice-2.json")  # same name: same shuffle
    async with again_rank.run_test(size=(80, 24)):
        assert list(again_rank.panel_screen.query_one(RankList).placed) == order


async def test_a_changed_question_is_keyed_again(deck_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "alice.json"
    app = app_for(deck_path, out)
    async with app.run_test(size=(80, 24)) as pilot:
        await rank(pilot, app, [0, 1, 2, 3, 4])
        await pilot.press("enter")
        await pick(pilot, app, [0, 2, 4])
        await pilot.press("enter")
    before = json.loads(out.read_text(encoding="utf-8"))["answers"]

    changed = deck_json()
    changed["cards"][1]["options"][1]["text"] = "Check the obs and the NEWS"
    write_deck(deck_path, changed)
    again = app_for(deck_path, out)
    async with again.run_test(size=(80, 24)) as pilot:
        text = assert_blind(again)
        assert "1 of 2 keyed" in text and "Check the obs and the NEWS" in text
        await rank(pilot, again, [4, 3, 2, 1, 0])
        await pilot.press("enter")
        assert "All 2 questions keyed" in flowing(again)
    after = json.loads(out.read_text(encoding="utf-8"))["answers"]
    assert after["three"] == before["three"]
    assert after["order"]["digest"] == load_deck(deck_path).cards[1].digest
    assert after["order"]["digest"] != before["order"]["digest"]
    assert after["order"]["options"] == ["#5", "#4", "wait", "#2", "call"]


async def test_an_answer_not_saved_is_not_counted(
    deck_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "alice.json"
    app = app_for(deck_path, out)

    def full(path: Path, data: bytes, *, durable: bool = True) -> None:
        raise OSError(28, "No space left on device")

    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        monkeypatch.setattr(durable, "write_atomic", full)
        await rank(pilot, app, [0, 1, 2, 3, 4])
        await pilot.press("enter")
        await pilot.pause()
        text = flowing(app)
        assert "0 of 2 keyed" in text and "Rank these actions." in text
        assert "Not saved" in text and "No space left on device" in text
        assert app.panel_screen.panel.answers == {} and not out.exists()
        monkeypatch.undo()
        await pilot.press("enter")
        assert "1 of 2 keyed" in flowing(app) and out.exists()


PANEL = {"format": 1, "kind": "quiz-panel", "deck": "panel-demo", "panellist": "bob", "answers": {}}

REFUSED = [
    ("another panellist", json.dumps(PANEL), 'for panellist "bob", not "alice"'),
    ("another deck", json.dumps({**PANEL, "deck": "other"}), 'for deck "other"'),
    ("not JSON", '{"format": 1, "kind": "quiz-pa', "not a usable panel file"),
    ("not a panel", json.dumps({"format": 1, "answers": {}}), "not a usable panel file"),
    (
        "a bad answer",
        json.dumps({**PANEL, "panellist": "alice", "answers": {"order": {"digest": 3}}}),
        'card "order" is malformed',
    ),
]


@pytest.mark.parametrize(("name", "content", "says"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_panel_file_it_cannot_use_is_refused_and_left_alone(
    deck_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str,
    says: str,
) -> None:
    out = tmp_path / "panel.json"
    out.write_text(content, encoding="utf-8")
    code = main(["panel", str(deck_path), "--as", "alice", "-o", str(out)], {})
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1, err
    assert err.startswith(f"quiz: {out}: ") and says in err
    assert out.read_text(encoding="utf-8") == content


BAD_INPUT = [
    ("no --as", ["-o", "p.json"], 2, "--as"),
    ("no -o", ["--as", "alice"], 2, "-o"),
    ("an empty name", ["--as", " ", "-o", "p.json"], 1, "--as needs"),
]


@pytest.mark.parametrize(("name", "args", "code", "says"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_arguments_are_one_line(
    deck_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    args: list[str],
    code: int,
    says: str,
) -> None:
    assert main(["panel", str(deck_path), *args], {}) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "Traceback" not in err


def test_bad_decks_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "p.json")
    missing = tmp_path / "missing.json"
    assert main(["panel", str(missing), "--as", "a", "-o", out], {}) == 1
    assert capsys.readouterr().err == f"quiz: {missing}:1:1: error: no such file\n"

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 1, "id": "x", "cards": [}', encoding="utf-8")
    assert main(["panel", str(broken), "--as", "a", "-o", out], {}) == 1
    assert capsys.readouterr().err.startswith(f"quiz: {broken}:1:")

    flash = tmp_path / "flash.json"
    deck = deck_json()
    deck["cards"] = deck["cards"][:1]
    write_deck(flash, deck)
    assert main(["panel", str(flash), "--as", "a", "-o", out], {}) == 1
    assert capsys.readouterr().err == f"quiz: {flash}: no choice or rank card to key\n"
    assert not Path(out).exists()

    nowhere = tmp_path / "no-such-folder" / "p.json"
    assert main(["panel", str(flash), "--as", "a", "-o", str(nowhere)], {}) == 1
    assert (
        capsys.readouterr().err == f"quiz: {nowhere}: no folder {nowhere.parent} to write it in\n"
    )


def test_the_panel_screen(snap_compare: SnapCompare, deck_path: Path, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()
        await pilot.press("down", "shift+down")
        await pilot.pause()

    app = app_for(deck_path, tmp_path / "alice.json")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
