"""Settings: daily limits, the hour the day starts, grade keys, theme, pictures and scheduler,
saved to settings.toml.

Choosing another scheduler shows first what it would change for this collection (due today,
reviews over the next 30 days, predicted recall), the current and the chosen side by side;
saving recomputes every card's state from the log under it, with its progress shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar, Select, Static

from quiz.core.progress import StoreError
from quiz.services.scheduling import Chooser
from quiz.services.settings import DESCRIPTIONS, Settings, check, save

NUMBER_KEYS = ("new_per_day", "reviews_per_day", "day_starts_at")
FSRS_NUMBER_KEYS = ("maximum_interval",)
SCHEDULER_CHOICES = [
    ("sm2: SM-2 as published", "sm2"),
    ("sm2-revised: lapses lower EF, re-drill lapses only", "sm2-revised"),
    ("fsrs: FSRS-6, predicts recall", "fsrs"),
]
FUZZ_CHOICES = [("off", "off"), ("on: spread intervals a little", "on")]
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
        if key == "fuzz":
            value = value == "on"
        elif key == "desired_retention":
            try:
                value = float(value)
            except ValueError:
                given = f"not {value!r}" if value else "it is empty"
                problems.append(f"{key} {check(key, None)} ({given})")
                continue
        elif key in (*NUMBER_KEYS, *FSRS_NUMBER_KEYS):
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
    #outlook {
        height: auto;
    }
    #replaying {
        display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        settings: Settings,
        path: Path,
        themes: Sequence[str],
        chooser: Chooser | None = None,
    ) -> None:
        super().__init__(id="settings", classes="dialog")
        self.settings = settings
        self.path = path
        self.themes = sorted(set(themes) | {settings.theme})
        self.chooser = chooser
        """The scheduler's figures, switch and fitting (None: the scheduler rows are
        saved as they are, nothing recomputed)."""

    def compose(self) -> ComposeResult:
        s = self.settings
        with VerticalScroll(classes="dialog-box"):
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
            with Horizontal(classes="setting"):
                yield Static(Content("scheduler"), classes="setting-name")
                yield Select(
                    SCHEDULER_CHOICES,
                    id="scheduler",
                    value=s.scheduler,
                    allow_blank=False,
                    compact=True,
                )
            with Horizontal(classes="setting"):
                yield Static(Content("desired_retention"), classes="setting-name")
                yield Input(f"{s.desired_retention:.2f}", id="desired_retention", compact=True)
            with Horizontal(classes="setting"):
                yield Static(Content("maximum_interval"), classes="setting-name")
                yield Input(
                    str(s.maximum_interval), id="maximum_interval", type="integer", compact=True
                )
            with Horizontal(classes="setting"):
                yield Static(Content("fuzz"), classes="setting-name")
                yield Select(
                    FUZZ_CHOICES,
                    id="fuzz",
                    value="on" if s.fuzz else "off",
                    allow_blank=False,
                    compact=True,
                )
            yield Static(
                Content(
                    "The last three are FSRS's: retention 0.70-0.97, the longest interval in"
                    " days. docs/schedulers.md says what each scheduler does."
                ),
                classes="setting-help dim",
            )
            yield Static(id="outlook")
            yield ProgressBar(id="replaying", show_eta=False)
            yield Static(
                Content(f"Tab moves between fields. Saved in {self.path}"),
                classes="setting-help dim",
            )
            yield Static(id="settings-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Save (ctrl+s)"), id="save", variant="primary")
                yield Button(Content("Cancel (esc)"), id="cancel")
                if self.chooser is not None:
                    yield Button(Content("Fit FSRS to my log"), id="optimize")

    def form(self) -> dict[str, str]:
        keys = (*NUMBER_KEYS, "desired_retention", *FSRS_NUMBER_KEYS)
        values = {key: self.query_one(f"#{key}", Input).value for key in keys}
        for key in (*SELECT_KEYS, "scheduler", "fuzz"):
            values[key] = str(self.query_one(f"#{key}", Select).value)
        return values

    # --- the scheduler: what switching changes, the switch, fitting ---

    @on(Select.Changed, "#scheduler, #fuzz")
    @on(Input.Changed, "#desired_retention, #maximum_interval")
    def _scheduler_changed(self) -> None:
        """Show what the chosen scheduler would change, computed from the student's log."""
        if self.chooser is None:
            return
        settings, problems = read_form(self.form(), self.settings)
        outlook = self.query_one("#outlook", Static)
        if problems or not self.chooser.changes(settings):
            outlook.update("")
            return
        outlook.update(Content("Working out what it changes, from your own log..."))
        self._outlook(settings)

    @work(thread=True, exclusive=True, group="outlook")
    def _outlook(self, settings: Settings) -> None:
        assert self.chooser is not None
        lines = self.chooser.outlook_lines(settings)
        heading = "Before you switch, from your own collection (now, then the choice):"
        text = "\n".join([heading, *lines])
        outlook = self.query_one("#outlook", Static)
        self.app.call_from_thread(outlook.update, Content(text))
        self.app.call_from_thread(outlook.call_after_refresh, outlook.scroll_visible)

    @on(Button.Pressed, "#optimize")
    def _optimize(self) -> None:
        settings, problems = read_form(self.form(), self.settings)
        if problems:
            return
        self.query_one("#outlook", Static).update(Content("Fitting FSRS-6 to your log..."))
        self._fit(settings)

    @work(thread=True, exclusive=True, group="fit")
    def _fit(self, settings: Settings) -> None:
        assert self.chooser is not None
        outlook = self.query_one("#outlook", Static)

        def tell(line: str) -> None:
            self.app.call_from_thread(outlook.update, Content(line))

        try:
            lines = self.chooser.optimise(settings, tell)
        except Exception as exc:
            lines = [f"Not fitted: {exc}"]
        self.app.call_from_thread(outlook.update, Content("\n".join(lines)))
        self.app.call_from_thread(outlook.call_after_refresh, outlook.scroll_visible)

    def action_save(self) -> None:
        settings, problems = read_form(self.form(), self.settings)
        error = self.query_one("#settings-error", Static)
        if problems:
            error.update(Content("Not saved: " + "; ".join(problems) + "."))
            error.scroll_visible()
            return
        try:
            save(self.path, settings)
        except OSError as exc:
            error.update(Content(f"Not saved: {self.path}: {exc.strerror or exc}"))
            error.scroll_visible()
            return
        if self.chooser is not None and self.chooser.changes(settings):
            self.query_one("#replaying", ProgressBar).display = True
            error.update(Content("Recomputing every card's state from your log..."))
            error.scroll_visible()
            self._switch(settings)
            return
        self.dismiss(settings)

    @work(thread=True, exclusive=True, group="switch")
    def _switch(self, settings: Settings) -> None:
        assert self.chooser is not None
        bar = self.query_one("#replaying", ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, progress=done, total=max(1, total))

        try:
            self.chooser.switch(settings, progress)
        except StoreError as exc:  # the states are recomputed again at the next start
            self.app.call_from_thread(self.app.notify, str(exc), severity="warning")
        self.app.call_from_thread(self.dismiss, settings)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
