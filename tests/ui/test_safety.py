"""Deck text is shown literally: markup and terminal escapes can neither crash nor act."""

from __future__ import annotations

from pathlib import Path

from quiz.core.progress import MemoryStore
from quiz.ui.app import make_app
from quiz.ui.screens.dialogs import SourceScreen
from quiz.ui.screens.review import ReviewScreen
from quiz.ui.text import clean, inline
from quiz.ui.widgets.deck_markdown import plain_paragraphs
from tests.ui.helpers import context, shown

CLEAN_CASES = [
    ("escape sequence", "a\x1b[31mb", "a␛[31mb"),
    ("osc title and bell", "\x1b]0;x\x07", "␛]0;x␇"),
    ("c1 control", "a\x9bb", "a\\u009bb"),
    ("delete", "a\x7f", "a␡"),
    ("windows line end", "a\r\nb", "a\nb"),
    ("lone carriage return", "a\rb", "a␍b"),
    ("tab and newline kept", "a\tb\nc", "a\tb\nc"),
    ("markup untouched", "[bold]x[/]", "[bold]x[/]"),
]

INLINE_CASES = [
    ("markup is text", "[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
    ("bold", "**b** c", "b c"),
    ("link keeps its address, no action", "[x](http://a)", "x (http://a)"),
    ("html is text", "<y and z>", "<y and z>"),
    ("escape made visible", "\x1b[2J", "␛[2J"),
]


def test_clean() -> None:
    for name, text, expected in CLEAN_CASES:
        assert clean(text) == expected, name


def test_inline_markdown() -> None:
    for name, text, expected in INLINE_CASES:
        content = inline(text)
        assert content.plain == expected, name
        assert all("@click" not in str(span.style) for span in content.spans), name


def test_structured_markdown_goes_to_the_markdown_widget() -> None:
    assert plain_paragraphs("one\n\ntwo") == ["one", "two"]
    assert plain_paragraphs("- a list") is None
    assert plain_paragraphs("[/] [bold]") == ["[/] [bold]"]


async def test_a_deck_full_of_markup_shows_literally(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "markup"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = shown(app)
        assert "Markup [bold]trap[/] [@click=app.quit]x[/]" in text
        await pilot.press("enter")
        await pilot.pause()
        text = shown(app)
        assert "Front [/] [bold]not bold[/bold] [@click=app.quit]click me[/]" in text
        await pilot.click(offset=(45, 3))  # on "[@click=app.quit]click me[/]"
        await pilot.press("space")
        await pilot.pause()
        text = shown(app)
        assert "Back ␛[31mred?␛[0m ␛]0;pwned␇ ␛]8;;https://evil.example␇link" in text
        assert "<y and z> [b]x[/b] \\u009b31m" in text
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert "[@click=app.quit]source[/] ␛[2J" in shown(app)
        await pilot.press("escape", "3")
        await pilot.pause()
        assert "Cloze [/] [[@click=app.quit]hint[/]] ␛[5m" in shown(app)
        await pilot.press("space", "3")
        await pilot.pause()
        text = shown(app)
        assert "[@click=app.quit]scenario[/]" in text and "[bold]Which?[/]" in text
        row = next(y for y, line in enumerate(text.splitlines()) if "2.  [@click" in line)
        await pilot.click(offset=(20, row))  # picks option 2; its markup attaches nothing
        await pilot.press("enter")
        await pilot.pause()
        text = shown(app)
        assert "Correct: you picked it. [/] ␛[31m" in text
        assert "[@click=app.bell]bell[/]" in text
        assert isinstance(app.screen, ReviewScreen)
        assert app.is_running
    assert [e.key for e in store.entries()] == ["markup/brackets", "markup/cloze-trap~c1"]


async def test_structured_markdown_is_rendered_and_literal(
    data_dir: Path, store: MemoryStore
) -> None:
    app = make_app(context(data_dir, "long"), store, start="study", tags=[])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b", "b", "space")  # bury the first two cards; reveal the third
        await pilot.pause()
        text = shown(app)
        assert "• Working with others" in text
        assert "[bold]not markup[/]" in text
        assert "A heading [@click=app.quit]x[/]" in text
        assert "quoted ␛[31m" in text and "\x1b" not in text
