"""Help: every key of the screen underneath, in the order they are declared."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def key_rows(
    screen: Screen[object],
    app: App[object],
    describe: Callable[[str], str] | None = None,
) -> list[tuple[str, str]]:
    """The keys that do something on `screen` now, as (keys, description) rows.

    Keys with the same description share a row ("space, enter"); a run of digits shows as
    a range ("1-4").

    Args:
        screen: the screen whose keys to list (its focused widget's keys included).
        app: the app, which knows how each key is displayed.
        describe: rewrites a description (e.g. "Grade" into "Grade: 1 Again, 2 Hard, ...").
    """
    grouped: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        if not active.enabled:
            continue
        description = active.binding.description or active.binding.action
        if describe is not None:
            description = describe(description)
        grouped.setdefault(description, []).append(app.get_key_display(active.binding))
    return [(_join_keys(keys), description) for description, keys in grouped.items()]


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

    BINDINGS = [
        Binding("escape", "close", "Close help"),
        Binding("question_mark", "close", "Close help", show=False),
        Binding("f1", "close", "Close help", show=False),
        Binding("q", "close", "Close help", show=False),
        Binding("enter", "close", "Close help", show=False),
    ]

    def __init__(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        super().__init__(id="help", classes="dialog")
        self.title_text = title
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        width = max((len(keys) for keys, _ in self.rows), default=4)
        with Vertical(classes="dialog-box"):
            yield Static(Content.styled(f"Keys: {self.title_text}", "bold"), classes="dialog-title")
            with VerticalScroll(id="help-keys"):
                for keys, description in self.rows:
                    yield Static(
                        Content.assemble(Content.styled(keys.rjust(width), "bold"), "  ", description),
                        classes="help-row",
                    )
            yield Static(
                Content("Every action is also in the command palette (ctrl+p). Escape closes."),
                classes="dim",
            )

    def action_close(self) -> None:
        self.dismiss(None)
