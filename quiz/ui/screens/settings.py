"""Settings: daily limits, the hour the day starts, grade keys, theme and pictures, saved to
settings.toml."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from quiz.services.settings import DESCRIPTIONS, Settings, check, save

NUMBER_KEYS = ("new_per_day", "reviews_per_day", "day_starts_at")
GRADE_KEY_CHOICES = [
    ("Anki's four: 1 Again, 2 Hard, 3 Good, 4 Easy", "anki"),
    ("SuperMemo's six: 0-5", "supermemo"),
]
PICTURE_CHOICES = [
    ("Draw them (from the next start, if they were off)", "true"),
    ("Alt text only", "false"),
]
SELECT_KEYS = ("grade_keys", "theme", "pictures")


def read_form(values: dict[str, str], base: Settings) -> tuple[Settings, list[str]]:
    """Settings from the form's text, with one message per bad value (naming its key).

    Args:
        values: the text of each field, by setting name.
        base: the settings to change.

    Returns:
        The new settings (bad values left as they were in `base`) and the problems.
    """
    settings = base
    problems = []
    for key, text in values.items():
        value: Any = text.strip()
        if key in NUMBER_KEYS:
            try:
                value = int(value)
            except ValueError:
                given = f"not {value!r}" if value else "it is empty"
                problems.append(f"{key} {check(key, None)} ({given})")
                continue
        elif key == "pictures":
            value = {"true": True, "false": False}.get(value, value)
        why = check(key, value)
        if why:
            problems.append(f"{key} {why}")
        else:
            settings = replace(settings, **{key: value})
    return settings, problems


class SettingsScreen(ModalScreen[Settings | None]):
    """Edit the settings; returns the saved settings, or None if cancelled."""

    DEFAULT_CSS = """
    .setting {
        height: 1;
        Input, Select {
            width: 1fr;
        }
    }
    .setting-name {
        width: 18;
    }
    .setting-help {
        margin-bottom: 1;
        padding-left: 18;
    }
    #settings-error {
        color: $error;
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, settings: Settings, path: Path, themes: Sequence[str]) -> None:
        super().__init__(id="settings", classes="dialog")
        self.settings = settings
        self.path = path
        self.themes = sorted(set(themes) | {settings.theme})

    def compose(self) -> ComposeResult:
        s = self.settings
        with Vertical(classes="dialog-box"):
            yield Static(Content.styled("Settings", "bold"), classes="dialog-title")
            for key in NUMBER_KEYS:
                with Horizontal(classes="setting"):
                    yield Static(Content(key), classes="setting-name")
                    yield Input(str(getattr(s, key)), id=key, type="integer", compact=True)
                yield Static(Content(DESCRIPTIONS[key]), classes="setting-help dim")
            with Horizontal(classes="setting"):
                yield Static(Content("grade_keys"), classes="setting-name")
                yield Select(
                    GRADE_KEY_CHOICES,
                    id="grade_keys",
                    value=s.grade_keys,
                    allow_blank=False,
                    compact=True,
                )
            with Horizontal(classes="setting"):
                yield Static(Content("theme"), classes="setting-name")
                yield Select(
                    [(name, name) for name in self.themes],
                    id="theme",
                    value=s.theme,
                    allow_blank=False,
                    compact=True,
                )
            with Horizontal(classes="setting"):
                yield Static(Content("pictures"), classes="setting-name")
                yield Select(
                    PICTURE_CHOICES,
                    id="pictures",
                    value="true" if s.pictures else "false",
                    allow_blank=False,
                    compact=True,
                )
            yield Static(
                Content(f"Tab moves between fields. Saved in {self.path}"),
                classes="setting-help dim",
            )
            yield Static(id="settings-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Save (ctrl+s)"), id="save", variant="primary")
                yield Button(Content("Cancel (esc)"), id="cancel")

    def form(self) -> dict[str, str]:
        values = {key: self.query_one(f"#{key}", Input).value for key in NUMBER_KEYS}
        for key in SELECT_KEYS:
            values[key] = str(self.query_one(f"#{key}", Select).value)
        return values

    def action_save(self) -> None:
        settings, problems = read_form(self.form(), self.settings)
        error = self.query_one("#settings-error", Static)
        if problems:
            error.update(Content("Not saved: " + "; ".join(problems) + "."))
            return
        try:
            save(self.path, settings)
        except OSError as exc:
            error.update(Content(f"Not saved: {self.path}: {exc.strerror or exc}"))
            return
        self.dismiss(settings)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
