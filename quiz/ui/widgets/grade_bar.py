"""The grade buttons under a card, each showing its key, its name and what it would schedule.

One widget draws them all, as coloured blocks that read as buttons, and maps a click to the
grade under it. Four Textual `Button`s were relabelled and restyled for every card, which cost
a few milliseconds of restyling and layout on every key that shows them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import events
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widget import Widget

from quiz.core.grades import Grade, format_interval
from quiz.core.session import REDRILL_BELOW

MARK = "▸ "
"""Before the suggested grade's label (which is also underlined, and its button lighter)."""
UNDERLINE = Style(underline=True)


def grade_label(
    grade: Grade, days: int | None, *, drill: bool = False, two_lines: bool = False
) -> str:
    """A button's text: "3 Good · 6d".

    Args:
        grade: the grade.
        days: the interval it would give, or None in practice (nothing is scheduled).
        drill: the card is a same-day re-drill: it comes back "soon" unless graded 4 or more.
        two_lines: put the interval on a line of its own (six buttons are narrow).
    """
    if days is None:
        return f"{grade.key} {grade.label}"
    if drill:
        then = "done" if grade.quality >= REDRILL_BELOW else "soon"
    else:
        then = format_interval(days)
    return f"{grade.key} {grade.label}{chr(10) if two_lines else ' · '}{then}"


def button_spans(width: int, count: int, gap: int) -> list[tuple[int, int]]:
    """Where each of `count` equal buttons goes in `width` cells: (first cell, width).

    Each button is followed by `gap` blank cells (the last one too, as a margin would be);
    cells that do not divide evenly go to the buttons spread across the bar.
    """
    free = max(0, width - gap * count)
    edges = [i * free // count for i in range(count + 1)]
    return [(edges[i] + gap * i, edges[i + 1] - edges[i]) for i in range(count)]


def centred(text: Content, width: int) -> Content:
    """`text` in the middle of `width` cells (cut short with an ellipsis if it is longer).

    A label that fits keeps at least a blank cell each side, as a button's padding.
    """
    content = text.truncate(width, ellipsis=True)
    left = (width - content.cell_length) // 2
    return content.pad(left, width - left - content.cell_length)


class GradeBar(Widget):
    """One button per grade; a clicked button posts `GradeBar.Graded`.

    It takes no focus: the keys 1-4 (or 0-5) grade from anywhere on the screen. Four grades
    fit one line; six are narrow, so each shows its interval on a second line. Colours come
    from the component classes (`grade-bar--quality-N`, `grade-bar--suggested`), so they
    follow the theme.
    """

    DEFAULT_CSS = """
    GradeBar {
        height: 1;
        pointer: pointer;

        &.grades-6 {
            height: 2;
        }
        & > .grade-bar--quality-0, & > .grade-bar--quality-1 {
            background: $error 40%;
            text-style: bold;
        }
        & > .grade-bar--quality-2, & > .grade-bar--quality-3 {
            background: $warning 30%;
            text-style: bold;
        }
        & > .grade-bar--quality-4 {
            background: $success 30%;
            text-style: bold;
        }
        & > .grade-bar--quality-5 {
            background: $primary 40%;
            text-style: bold;
        }
        & > .grade-bar--suggested {
            background: $foreground 25%;
        }
        & > .grade-bar--barred {
            background: $surface;
            color: $text-disabled;
            text-style: strike;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"grade-bar--quality-{quality}" for quality in range(6)),
        "grade-bar--suggested",
        "grade-bar--barred",
    }

    class Graded(Message):
        """The student chose a grade with the mouse."""

        def __init__(self, quality: int) -> None:
            super().__init__()
            self.quality = quality

    def __init__(self, grades: Sequence[Grade], *, id: str | None = None) -> None:
        """
        Args:
            grades: the grade scheme's grades, in key order.
        """
        super().__init__(id=id, classes=f"grades-{len(grades)}")
        self.grades = tuple(grades)
        self.labels = tuple(grade_label(grade, None) for grade in self.grades)
        """Each button's text, as on screen but for the suggested grade's mark."""
        self.suggested: int | None = None
        """The quality of the grade marked as suggested, if any."""
        self.ceiling: int | None = None
        """The highest quality that may be given (an unsafe option was chosen), if any."""

    @property
    def two_lines(self) -> bool:
        return len(self.grades) > 4

    def show(
        self,
        intervals: Mapping[int, int] | None,
        *,
        drill: bool = False,
        suggested: int | None = None,
        ceiling: int | None = None,
    ) -> None:
        """Label the buttons for the current card (drawn again only if a label changed).

        Args:
            intervals: days each quality would schedule, or None in practice.
            drill: the card is a re-drill (its schedule will not change).
            suggested: the quality of the computed grade of a scenario answer, marked with ▸.
            ceiling: the highest quality that may be given; the grades above it are struck out.
        """
        labels = tuple(
            grade_label(
                grade,
                None if intervals is None else intervals.get(grade.quality, 0),
                drill=drill,
                two_lines=self.two_lines,
            )
            for grade in self.grades
        )
        if (labels, suggested, ceiling) != (self.labels, self.suggested, self.ceiling):
            self.labels, self.suggested, self.ceiling = labels, suggested, ceiling
            self.refresh()

    @property
    def gap(self) -> int:
        """Blank cells after each button (six buttons need every cell)."""
        return 0 if self.two_lines else 1

    def spans(self, width: int) -> list[tuple[int, int]]:
        """Each grade's button at `width` cells: (first cell, width)."""
        return button_spans(width, len(self.grades), self.gap)

    def grade_at(self, x: int) -> Grade | None:
        """The grade whose button covers cell `x` of the content (None: a gap)."""
        spans = self.spans(self.content_size.width)
        for grade, (start, width) in zip(self.grades, spans, strict=True):
            if start <= x < start + width:
                return grade
        return None

    def render(self) -> Content:
        rows: list[list[Content]] = [[] for _ in range(2 if self.two_lines else 1)]
        gap = Content(" " * self.gap)
        spans = self.spans(self.content_size.width)
        for grade, label, (_, width) in zip(self.grades, self.labels, spans, strict=True):
            suggested = grade.quality == self.suggested
            classes = [f"grade-bar--quality-{grade.quality}"]
            if suggested:
                classes.append("grade-bar--suggested")
            if self.ceiling is not None and grade.quality > self.ceiling:
                classes.append("grade-bar--barred")
            style = self.get_visual_style(*classes)
            lines = f"{MARK if suggested else ''}{label}".split("\n")
            for number, row in enumerate(rows):
                line = lines[number] if number < len(lines) else ""
                text = Content(line).stylize(UNDERLINE) if suggested else Content(line)
                row.append(centred(text, width).stylize_before(style))
                row.append(gap)
        return Content("\n").join(Content.assemble(*row) for row in rows)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        grade = None if offset is None else self.grade_at(offset.x)
        if grade is not None:
            event.stop()
            self.post_message(self.Graded(grade.quality))
