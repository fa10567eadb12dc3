"""Help, the command palette, settings and theme, and a store that fails to save."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from textual.widgets import Input

from quiz.core.progress import CardState, MemoryStore, StoreError
from quiz.storage.settings import Settings
from quiz.storage.store import FileStore
from quiz.ui.app import make_app
from quiz.ui.screens.decks import DeckListScreen
from quiz.ui.screens.help import HelpScreen
from quiz.ui.screens.review import ReviewScreen
from quiz.ui.screens.settings import SettingsScreen, read_form
from tests.ui.helpers import TODAY, T, context, flowing


async def test_help_lists_the_keys_of_the_screen(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = flowing(app)
        rows = ("Keys: Decks", "⏎ Study the highlighted deck", "a Study every deck", ", Settings")
        for row in (*rows, "t Statistics of every deck", "/, f Filter by tag"):
            assert row in text
        await pilot.press("escape", "enter", "space", "3", "space", "f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = flowing(app)
        assert "Keys: Session" in text
        assert "1-4 Grade: 1 Again, 2 Hard, 3 Good, 4 Easy" in text
        assert "u Undo the last answer" in text and "s Suspend this card" in text
        assert "q, esc End the session (answers are saved)" in text


async def test_every_action_is_in_the_command_palette(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for title in (
            "Grade: 3 Good",
            "Suspend this card",
            "Bury this card until tomorrow",
            "Help",
        ):
            assert title in titles
        assert "Focus Next" not in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Grade: 4", "enter")
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Show answer", "Undo the last answer, bury or suspension", "Settings"} <= titles
    assert [e.quality for e in store.entries()] == [5]


async def test_settings_are_saved_and_applied(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("comma")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#new_per_day", Input).value = "1"
        screen.query_one("#grade_keys").value = "supermemo"  # type: ignore[attr-defined]
        screen.query_one("#theme").value = "textual-light"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        assert app.theme == "textual-light"
        assert "Flashcards 1 0 5" in flowing(app)
        await pilot.press("enter", "space")
        await pilot.pause()
        assert "0 Blackout" in flowing(app) and "5 Perfect" in flowing(app)
        await pilot.press("0")
        await pilot.pause()
    saved = tomllib.loads((data_dir / "settings.toml").read_text())
    assert saved["new_per_day"] == 1
    assert saved["grade_keys"] == "supermemo"
    assert saved["theme"] == "textual-light"
    assert [e.quality for e in store.entries()] == [0]


async def test_a_bad_setting_is_named_and_not_saved(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("comma")
        await pilot.pause()
        app.screen.query_one("#day_starts_at", Input).value = "24"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert "Not saved: day_starts_at must be from 0 to 23, not 24." in flowing(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
    assert not (data_dir / "settings.toml").exists()


def test_read_form_names_each_bad_key() -> None:
    values = {"new_per_day": "", "reviews_per_day": "50", "grade_keys": "anki", "theme": "x"}
    settings, problems = read_form(values, Settings())
    assert settings.reviews_per_day == 50
    assert problems == ["new_per_day must be a whole number from 0 to 9999 (it is empty)"]


async def test_theme_from_settings_and_unknown_theme(data_dir: Path, store: MemoryStore) -> None:
    light = context(data_dir, "flashcards", settings=Settings(theme="textual-light"))
    async with make_app(light, store).run_test(size=(80, 24)) as pilot:
        assert pilot.app.theme == "textual-light"
    odd = context(data_dir, "flashcards", settings=Settings(theme="no-such-theme"))
    async with make_app(odd, store).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert pilot.app.theme == "textual-dark"
        assert 'theme "no-such-theme" is not a theme quiz knows' in flowing(pilot.app)


class FullDisk(MemoryStore):
    """A store whose disk is full: every save fails."""

    def _append(self, doc: dict[str, Any]) -> None:
        raise StoreError("log.jsonl: your last answer was NOT saved: No space left on device")

    def _read_log(self) -> Iterator[dict[str, Any]]:
        return iter(())


async def test_a_failed_save_is_shown_and_the_card_stays(data_dir: Path) -> None:
    app = make_app(context(data_dir, "flashcards"), FullDisk(), start="study")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("space", "3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.stage == "back" and screen.session.done == 0
        assert "Not saved" in flowing(app) and "No space left on device" in flowing(app)


async def test_a_backup_that_cannot_be_made_is_said_and_the_session_goes_on(
    data_dir: Path,
) -> None:
    data_dir.mkdir()
    (data_dir / "backups").write_text("a file where the backups folder would be")
    with FileStore.open(data_dir) as store:
        store.record("flashcards/sm2", "review", day=TODAY, time=T, after=CardState(), quality=3)
        app = make_app(context(data_dir, "flashcards"), store, start="study")
        told: list[tuple[str, str, str]] = []
        notify = app.notify

        def noting(message: str, **options: Any) -> None:
            told.append((options.get("title", ""), options.get("severity", ""), message))
            notify(message, **options)

        app.notify = noting  # type: ignore[method-assign]
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await app.workers.wait_for_complete()  # the backup is taken in a thread
            await pilot.pause()
            ((title, severity, message),) = told
            assert (title, severity) == ("No backup", "warning")
            assert message.startswith(f"{data_dir / 'backups'}: cannot back up progress: ")
            assert "No backup" in flowing(app)  # the toast is on screen
            await pilot.press("space", "3")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen) and screen.session.done == 1
    with FileStore.open(data_dir) as reopened:
        assert len(list(reopened.entries())) == 2


async def test_a_checkpoint_rebuilt_at_open_is_told_at_the_start(data_dir: Path) -> None:
    """Straight into a session, with the deck list behind it: the notice is a toast."""
    with FileStore.open(data_dir) as store:
        store.record("flashcards/sm2", "review", day=TODAY, time=T, after=CardState(), quality=3)
    (data_dir / "progress.json").write_bytes(b'{"states": {"flashcards/sm2": {"n"')  # cut short
    with FileStore.open(data_dir) as store:
        app = make_app(context(data_dir, "flashcards"), store, start="study")
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            toast = flowing(app).replace(" ▌", "")  # the toast's left edge on each line
            assert "Please note" in toast
            assert "rebuilt from the review log (1 answer, nothing lost)" in toast
        assert app.notices == store.notices  # and on the deck list, behind


async def test_a_theme_chosen_in_the_palette_is_kept(data_dir: Path, store: MemoryStore) -> None:
    app = make_app(context(data_dir, "flashcards"), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not (data_dir / "settings.toml").exists()
        app.theme = "textual-light"  # what the palette's "Theme" command does
        await pilot.pause()
    assert tomllib.loads((data_dir / "settings.toml").read_text())["theme"] == "textual-light"
