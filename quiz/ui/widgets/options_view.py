"""The options of a scenario question drawn by one widget: fast to update, wrapped with a
hanging indent so long options stay clear of their numbers and marks.

One widget, not one per option: picking or moving an option redraws a few lines instead of
restyling and re-laying out a tree of widgets, so a key press answers at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.widget import Widget

from quiz.ui.text import inline

PREFIX_WIDTH = 10
"""Cells for "▸✓[x] 1." / "▸ 1. [3]" and a space."""


MARKS = {"✓": "right", "✗": "wrong"}
"""A verdict symbol's `Row.mark` (other symbols, such as ~ or a space, colour nothing)."""


def verdict_note(verdict: str, why: str | None) -> Content:
    """After answering: the verdict in bold, then the option's `why` (inline Markdown)."""
    return Content.assemble(Content.styled(verdict, "bold"), *((" ", inline(why)) if why else ()))


@dataclass(frozen=True, slots=True)
class Row:
    """How one option is drawn."""

    prefix: str
    text: Content
    note: Content | None = None
    """After answering: the verdict and the option's `why`."""
    mark: str = ""
    """"right" or "wrong": colours the prefix (the prefix's marks say the same in symbols)."""
    highlighted: bool = False
    picked: bool = False


class OptionsView(Widget, can_focus=True):
    """A status line and a list of rows, one highlighted; subclasses say what the rows are."""

    DEFAULT_CSS = """
    OptionsView {
        height: auto;
        text-wrap: nowrap;  /* its lines are wrapped already, with a hanging indent */

        & > .options--status, & > .options--note {
            color: $text-muted;
        }
        & > .options--highlight {
            background: $primary 10%;
        }
        &:focus > .options--highlight {
            background: $primary 30%;
        }
        & > .options--right {
            color: $success;
            text-style: bold;
        }
        & > .options--wrong {
            color: $error;
            text-style: bold;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "options--status",
        "options--highlight",
        "options--right",
        "options--wrong",
        "options--note",
    }

    class Clicked(Message):
        """An option was clicked."""

        def __init__(self, options: OptionsView, index: int) -> None:
            super().__init__()
            self.options = options
            self.index = index
            """The row clicked (its place in the list as shown)."""

    def __init__(self, *, classes: str = "") -> None:
        super().__init__(classes=f"options {classes}".strip())
        self.answered = False
        self._row_of_line: list[int] = []
        self._drawn: dict[int, tuple[list[Content], list[int]]] = {}
        """Lines drawn at each width since the last change (layout asks more than once)."""

    def rows(self) -> list[Row]:
        """The rows to draw, top to bottom."""
        raise NotImplementedError

    def status(self) -> str:
        """The line above the options: what to do now ("" once answered)."""
        return ""

    def show_feedback(self) -> None:
        """After submitting: every row shows its verdict and its `why` (see `rows`)."""
        self.answered = True
        self.redraw()
        self.refresh_bindings()

    # --- drawing ---

    def _lines(self, width: int) -> tuple[list[Content], list[int]]:
        """The lines at `width`, and the row each line belongs to (-1 for none)."""
        if width not in self._drawn:
            self._drawn[width] = self._draw(width)
        return self._drawn[width]

    def _draw(self, width: int) -> tuple[list[Content], list[int]]:
        width = max(width, PREFIX_WIDTH + 10)
        text_width = width - PREFIX_WIDTH
        lines: list[Content] = []
        owners: list[int] = []
        status = self.status()
        if status:
            muted = self.get_visual_style("options--status")
            for line in Content(status).wrap(width):
                lines.append(line.stylize(muted))
                owners.append(-1)
            lines.append(Content(""))
            owners.append(-1)
        for index, row in enumerate(self.rows()):
            if self.answered and index:
                lines.append(Content(""))
                owners.append(-1)
            text = row.text.stylize("bold") if row.picked else row.text
            body = text.wrap(text_width)
            if row.note is not None:
                body += row.note.stylize(self.get_visual_style("options--note")).wrap(text_width)
            prefix = Content(row.prefix.ljust(PREFIX_WIDTH))
            if row.mark:
                prefix = prefix.stylize(self.get_visual_style(f"options--{row.mark}"))
            for number, part in enumerate(body):
                line = (prefix if number == 0 else Content(" " * PREFIX_WIDTH)) + part
                line = line.pad_right(max(0, width - line.cell_length))
                if row.highlighted:
                    line = line.stylize_before(self.get_visual_style("options--highlight"))
                lines.append(line)
                owners.append(index)
        return lines, owners

    def notify_style_update(self) -> None:
        self._drawn.clear()  # the theme or focus changed the component styles
        super().notify_style_update()

    def render(self) -> Content:
        lines, self._row_of_line = self._lines(self.content_size.width)
        return Content("\n").join(lines)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width)[0])

    def redraw(self) -> None:
        """Draw again after a change (the height may change too)."""
        self._drawn.clear()
        self.refresh(layout=True)

    def scroll_to_row(self, index: int) -> None:
        """Scroll the nearest scrolling container so the row is in view (after layout)."""
        self.call_after_refresh(self._scroll_to_row, index)

    def _scroll_to_row(self, index: int) -> None:
        lines = [y for y, owner in enumerate(self._row_of_line) if owner == index]
        scroller = next(
            (
                node
                for node in self.ancestors
                if isinstance(node, Widget) and node.styles.overflow_y in ("auto", "scroll")
            ),
            None,
        )
        if not lines or scroller is None:
            return
        if index == 0:  # the first option: show the question above it too, if it fits
            scroller.scroll_home(animate=False, immediate=True)
        # Where this widget's content starts, in the scroller's scrolled coordinates.
        top = self.content_region.y - scroller.content_region.y + int(scroller.scroll_y)
        row = Region(0, top + lines[0], scroller.content_region.width, len(lines))
        scroller.scroll_to_region(row, animate=False, immediate=True)

    # --- mouse ---

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not 0 <= offset.y < len(self._row_of_line):
            return
        index = self._row_of_line[offset.y]
        if index >= 0:
            event.stop()
            self.post_message(self.Clicked(self, index))
