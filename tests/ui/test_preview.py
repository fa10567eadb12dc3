"""The preview walks every card, shows marks, order and whys, and reloads when the file changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Markdown, Static

from quiz.commands.authoring import AuthoringError
from quiz.commands.authoring import check_preview_path as check_path
from quiz.commands.authoring.new_deck import starter
from quiz.deckfile.layout import dumps
from quiz.ui.screens.preview import PreviewApp, PreviewScreen
from quiz.ui.widgets.card_sheet import CardSheet

TODAY = date(2026, 11, 26)


def write(path: Path, deck: dict[str, Any]) -> None:
    path.write_text(dumps(deck), encoding="utf-8")


def shown(screen: PreviewScreen) -> str:
    """All the text on the screen's body: Static contents and Markdown sources."""
    parts = []
    for widget in screen.query("#where, #deck-notes, #body Static, #body Markdown"):
        if isinstance(widget, Markdown):
            parts.append(widget.source)
        elif isinstance(widget, Static):
            parts.append(str(widget.render()))
    return "\n".join(parts)


async def test_preview_walks_every_card_and_reloads_live(tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    deck = starter("demo", "Demo", TODAY)
    write(path, deck)
    app = PreviewApp(path, TODAY, poll=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.preview
        seen = []
        for _ in range(len(deck["cards"])):
            seen.append(screen.card_id)
            sheet = screen.query_one(CardSheet)
            assert sheet.card.id == screen.card_id
            await pilot.press("right")
        assert seen == [card["id"] for card in deck["cards"]]
        assert "card 5 of 5" in shown(screen)

        await pilot.press("home")
        text = shown(screen)
        assert "card 1 of 5" in text and "Front" in text and "Back" in text
        assert "demo/what-a-basic-card-is~reverse" in text

        await pilot.press("right")  # the cloze card: each gap blanked with its hint, then filled
        text = shown(screen)
        assert "**\\[what goes here?\\]**" in text and "**hint**" in text

        await pilot.press("right")  # single best answer: the correct option has a mark and a word
        text = shown(screen)
        assert text.count("✓ correct") == 1 and text.count("✗ wrong") == 4
        assert "why: Consent is a process" in text

        await pilot.press("end")  # rank: the ideal order, numbered, with whys
        text = shown(screen)
        assert "Ideal order" in text and "20 in all" in text
        assert text.index("Review the patient and check") < text.index("Wait for the consultant")

        # The author edits the file: the same card stays on screen, with the new text.
        deck["cards"][4]["options"][0]["why"] = "Safety first, always."
        deck["cards"].insert(0, {"id": "new-first", "type": "basic", "front": "F", "back": "B"})
        write(path, deck)
        assert await screen.check_file() is True
        await pilot.pause()
        assert screen.card_id == "wrong-gentamicin-dose"
        assert "why: Safety first, always." in shown(screen)
        assert "card 6 of 6" in shown(screen)
        assert await screen.check_file() is False  # nothing changed since

        # A mistake shows the errors with their places instead of the card...
        path.write_text(dumps(deck).replace('"type": "rank",', '"type": "rank"'), "utf-8")
        await screen.check_file()
        await pilot.pause()
        text = shown(screen)
        assert f"{path}:" in text and "error" in text and not screen.query(CardSheet)
        await pilot.press("right")  # nothing to step through; no crash

        # ...and fixing it brings the same card back.
        write(path, deck)
        await screen.check_file()
        await pilot.pause()
        assert screen.card_id == "wrong-gentamicin-dose"


async def test_preview_shows_strict_warnings_with_the_card(tmp_path: Path) -> None:
    path = tmp_path / "warned.json"
    deck = starter("warned", "Warned", TODAY)
    del deck["cards"][0]["source"]
    deck["review_by"] = "2020-01-01"
    write(path, deck)
    async with PreviewApp(path, TODAY, poll=None).run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, PreviewScreen)
        text = shown(screen)
        assert "has passed" in text  # a deck-level warning, above the card
        assert '⚠ warning line 10:5: card "what-a-basic-card-is": no "source"' in text
        await pilot.press("right")
        assert 'no "source"' not in shown(screen)


MARKUP = "[bold]x[/] [/] [@click=app.quit]click[/] \x1b[31mred"


async def test_deck_text_is_never_markup(tmp_path: Path) -> None:
    path = tmp_path / "markup.json"
    card = {
        "id": "traps",
        "type": "choice",
        "scenario": MARKUP,
        "question": MARKUP,
        "options": [
            {"text": MARKUP, "correct": True, "why": MARKUP},
            {"text": "[red]plain[/red]", "why": "[/]"},
        ],
        "source": MARKUP,
    }
    write(path, {"format": 1, "id": "markup", "title": "[b]Title[/b]", "cards": [card]})
    async with PreviewApp(path, TODAY, poll=None).run_test(size=(80, 24)) as pilot:
        for widget in pilot.app.screen.query("#body Static"):
            widget.render()  # would raise MarkupError if parsed as markup
        text = shown(pilot.app.screen)  # type: ignore[arg-type]
        assert "[@click=app.quit]click[/]" in text and "␛[31mred" in text
        assert "[b]Title[/b]" in text and "[red]plain[/red]" in text
        await pilot.click("#body", offset=(10, 5))
        assert pilot.app.is_running


def test_preview_needs_a_file(tmp_path: Path) -> None:
    with pytest.raises(AuthoringError, match="no such file"):
        check_path(tmp_path / "missing.json")
    with pytest.raises(AuthoringError, match="this is a folder"):
        check_path(tmp_path)


async def test_a_broken_deck_opens_with_its_errors(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": 1, "id": "b", "title": "B", "cards": [],}', encoding="utf-8")
    check_path(path)  # it exists: the preview opens and shows what is wrong
    async with PreviewApp(path, TODAY, poll=None).run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, PreviewScreen) and screen.card_id is None
        assert f"{path}:1:" in shown(screen) and "trailing comma" in shown(screen)
        await pilot.press("right", "end", "r")
        assert pilot.app.is_running


async def test_preview_shows_the_cues_of_a_scenario_question(tmp_path: Path) -> None:
    path = tmp_path / "cued.json"
    deck = starter("cued", "Cued", TODAY)
    deck["cards"][4]["options"][0]["text"] = (
        "Review the patient now and, if the registrar agrees, check their renal function."
    )
    write(path, deck)
    app = PreviewApp(path, TODAY, poll=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end")
        text = shown(app.preview)
        assert 'card "wrong-gentamicin-dose": length cue: its best option' in text
        assert 'option 1 holds a condition ("if")' in text


async def test_preview_draws_a_picture_and_reloads_when_it_changes(tmp_path: Path) -> None:
    from PIL import Image

    from quiz.ui.widgets.picture import Picture, prepare

    assert prepare(True)  # what `quiz preview` does before the app starts (no terminal here)
    (tmp_path / "images").mkdir()
    chart = tmp_path / "images" / "chart.png"
    Image.new("RGB", (40, 20), (200, 0, 0)).save(chart)
    path = tmp_path / "pics.json"
    card = {"id": "c", "type": "basic", "front": "See ![a red box](images/chart.png)", "back": "B"}
    write(path, {"format": 1, "id": "pics", "title": "Pics", "cards": [card]})
    app = PreviewApp(path, TODAY, poll=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.preview
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one(Picture).drawn
        assert await screen.check_file() is False
        Image.new("RGB", (40, 30), (0, 0, 200)).save(chart)  # the author redraws the chart
        assert await screen.check_file() is True
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one(Picture).drawn
        chart.unlink()  # gone: its alt text shows
        assert await screen.check_file() is True
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.query_one(Picture).drawn
        assert "a red box" in str(screen.query_one(Picture).query_one(".alt", Static).render())
