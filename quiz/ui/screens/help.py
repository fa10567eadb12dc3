"""Help: every key of the screen underneath, in the order they are declared."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

SCREEN_BASE_ACTIONS = {
    binding.action for binding in Screen.BINDINGS if isinstance(binding, Binding)
}
"""Textual's own screen keys (focus next, copy): listed under "Anywhere"."""

Section = tuple[str, list[tuple[str, str]]]
"""A heading and its (keys, description) rows."""


def key_rows(
    screen: Screen[object],
    app: App[Any],
    describe: Callable[[str], str] | None = None,
) -> list[Section]:
    """The keys that do something on `screen` now: the screen's own, then those of the
    focused widget, then those that work anywhere.

    Keys with the same description share a row ("space, enter"); a run of digits shows as
    a range ("1-4").

    Args:
        screen: the screen whose keys to list (its focused widget's keys included).
        app: the app, which knows how each key is displayed.
        describe: rewrites a description (e.g. "Grade" into "Grade: 1 Again, 2 Hard, ...").
    """
    sections: dict[str, dict[str, list[str]]] = {"On this screen": {}, "Moving around": {}}
    sections["Anywhere"] = {}
    for active in screen.active_bindings.values():
        if not active.enabled:
            continue
        binding = active.binding
        description = binding.tooltip or binding.description or binding.action
        if describe is not None:
            description = describe(description)
        if active.node is screen and active.binding.action not in SCREEN_BASE_ACTIONS:
            heading = "On this screen"
        elif isinstance(active.node, App):
            heading = "Anywhere"
        else:
            heading = "Moving around"
        keys = sections[heading].setdefault(description, [])
        keys.append(app.get_key_display(active.binding))
    return [
        (heading, [(_join_keys(keys), description) for description, keys in rows.items()])
        for heading, rows in sections.items()
        if rows
    ]


def _join_keys(keys: Sequence[str]) -> str:
    digits = sorted(int(k) for k in keys if k.isdigit())
    others = [k for k in keys if not k.isdigit()]
    if len(digits) > 2 and digits == list(range(digits[0], digits[-1] + 1)):
        others.append(f"{digits[0]}-{digits[-1]}")
    else:
        others += [str(d) for d in digits]
    return ", ".join(dict.fromkeys(others))


class HelpScreen(ModalScreen[None]):
    """Lists keys given by the app; any of escape, ?, F1, q or Enter closes it."""

    DEFAULT_CSS = """
    #help-keys {
        height: auto;
        max-height: 18;
    }
    .help-row {
        height: auto;
    }
    .help-heading {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close help"),
        Binding("question_mark", "close", "Close help", show=False),
        Binding("f1", "close", "Close help", show=False),
        Binding("q", "close", "Close help", show=False),
        Binding("enter", "close", "Close help", show=False),
    ]

    def __init__(self, title: str, sections: Sequence[Section]) -> None:
        super().__init__(id="help", classes="dialog")
        self.title_text = title
        self.sections = list(sections)

    def compose(self) -> ComposeResult:
        width = max((len(keys) for _, rows in self.sections for keys, _ in rows), default=4)
        with Vertical(classes="dialog-box"):
            yield Static(Content.styled(f"Keys: {self.title_text}", "bold"), classes="dialog-title")
            with VerticalScroll(id="help-keys"):
                for heading, rows in self.sections:
                    yield Static(Content.styled(heading, "italic"), classes="help-heading")
                    for keys, description in rows:
                        line = Content.assemble(
                            Content.styled(keys.rjust(width), "bold"), "  ", description
                        )
                        yield Static(line, classes="help-row")
            yield Static(
                Content("Every action is also in the command palette (ctrl+p). Escape closes."),
                classes="dim",
            )

    def action_close(self) -> None:
        self.dismiss(None)
