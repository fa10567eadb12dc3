"""The grade buttons under a card, each showing its key, its name and what it would schedule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button

from quiz.core.grades import Grade, format_interval
from quiz.core.session import REDRILL_BELOW


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


class GradeBar(Horizontal):
    """One button per grade; a pressed button posts `GradeBar.Graded`.

    The buttons take no focus: the keys 1-4 (or 0-5) grade from anywhere on the screen. They
    are made once and relabelled for each card (`show`), which is much cheaper than new ones.
    """

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

    def compose(self) -> ComposeResult:
        for grade in self.grades:
            button = Button(
                Content(grade_label(grade, None)),
                id=f"grade-{grade.key}",
                classes=f"grade quality-{grade.quality}",
                compact=True,
            )
            button.can_focus = False
            yield button

    def show(
        self,
        intervals: Mapping[int, int] | None,
        *,
        drill: bool = False,
        suggested: int | None = None,
    ) -> None:
        """Label the buttons for the current card.

        Args:
            intervals: days each quality would schedule, or None in practice.
            drill: the card is a re-drill (its schedule will not change).
            suggested: the quality of the computed grade of a scenario answer, marked with ▸.
        """
        for grade in self.grades:
            days = None if intervals is None else intervals.get(grade.quality, 0)
            text = grade_label(grade, days, drill=drill, two_lines=len(self.grades) > 4)
            is_suggested = grade.quality == suggested
            button = self.query_one(f"#grade-{grade.key}", Button)
            label = Content(f"▸ {text}" if is_suggested else text)
            if str(label) != str(button.label):
                button.label = label
            button.set_class(is_suggested, "-suggested")

    @on(Button.Pressed, ".grade")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        key = (event.button.id or "").removeprefix("grade-")
        grade = next(g for g in self.grades if g.key == key)
        self.post_message(self.Graded(grade.quality))
