"""The options of a `rank` card: put them in order, by moving them or by typing the order."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from quiz.core.model import Option
from quiz.core.scoring import Score, rank_marks, score_rank
from quiz.ui.widgets.option_row import OptionRow


class RankList(Vertical, can_focus=True):
    """A ranking, from most appropriate (place 1) to least.

    Each option keeps the number it was first shown with. The arrows highlight an option and
    shift+arrows move it; typing numbers puts those options in that order from the top, so
    typing `31524` ranks option 3 first, then 1, 5, 2 and 4.
    """

    BINDINGS = [
        Binding("up", "highlight(-1)", "Previous option", show=False),
        Binding("down", "highlight(1)", "Next option", show=False),
        Binding("shift+up", "move(-1)", "Move option up", show=False),
        Binding("shift+down", "move(1)", "Move option down", show=False),
        Binding("backspace", "untype", "Undo typed number", show=False),
        *(Binding(str(n), f"type({n})", f"Place option {n} next", show=False) for n in range(1, 10)),
    ]

    class Changed(Message):
        """The ranking changed."""

        def __init__(self, rank_list: RankList) -> None:
            super().__init__()
            self.rank_list = rank_list

    def __init__(self, options: Sequence[Option], order: Sequence[int]) -> None:
        """
        Args:
            options: the card's options, in the ideal order.
            order: the order to show them in first (indexes into `options`).
        """
        super().__init__(classes="ranking")
        self.options = tuple(options)
        self.first_order = tuple(order)
        self.highlighted = 0
        self.typed: list[int] = []
        self.answered = False

    def compose(self) -> ComposeResult:
        yield Static(classes="status")
        for number, index in enumerate(self.first_order, 1):
            yield OptionRow(self.options[index], index, number)

    def on_mount(self) -> None:
        self._render_rows()

    @property
    def rows(self) -> list[OptionRow]:
        """The options in their current places."""
        return list(self.query(OptionRow))

    @property
    def placed(self) -> list[int]:
        """The ideal index of the option at each place (what `score_rank` takes)."""
        return [row.index for row in self.rows]

    def status(self) -> str:
        if self.answered:
            return ""
        count = len(self.options)
        typed = f" Typed so far: {' '.join(str(n) for n in self.typed)}." if self.typed else ""
        example = "".join(str(n) for n in range(count, 0, -1))
        return (
            f"Rank all {count}, most appropriate first: shift+↑↓ moves the highlighted option,"
            f" or type the order (e.g. {example}).{typed}"
        )

    def _render_rows(self) -> None:
        marks = rank_marks(self.placed) if self.answered else []
        for place, row in enumerate(self.rows):
            here = place == self.highlighted and not self.answered
            mark = self._mark(marks[place]) if self.answered else ("▸" if here else " ")
            row.set_prefix(f"{mark} {place + 1}. [{row.number}]")
            row.set_class(here, "-highlight")
        self.query_one(".status", Static).update(Content(self.status()))

    def _mark(self, marks: int) -> str:
        best = len(self.options) - 1
        return "✓" if marks == best else ("✗" if marks == 0 else "~")

    # --- ranking ---

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.answered and action in ("highlight", "move", "untype", "type"):
            return False
        if action == "type" and parameters and int(str(parameters[0])) > len(self.options):
            return False
        return True

    def action_highlight(self, step: int) -> None:
        self.highlighted = (self.highlighted + step) % len(self.options)
        self._render_rows()
        self.rows[self.highlighted].scroll_visible()

    def action_move(self, step: int) -> None:
        rows = self.rows
        place = self.highlighted
        target = place + step
        if not 0 <= target < len(rows):
            self.app.bell()
            return
        if step < 0:
            self.move_child(rows[place], before=rows[target])
        else:
            self.move_child(rows[place], after=rows[target])
        self.highlighted = target
        self.typed.clear()
        self._changed()

    def action_type(self, number: int) -> None:
        """Put the option shown as `number` at the next typed place."""
        if number in self.typed:
            self.app.bell()
            return
        rows = self.rows
        row = next(r for r in rows if r.number == number)
        place = len(self.typed)
        if rows[place] is not row:
            self.move_child(row, before=rows[place])
        self.typed.append(number)
        self.highlighted = place
        if len(self.typed) >= len(self.options) - 1:
            self.typed.clear()  # the last option's place follows: the order is complete
        self._changed()

    def action_untype(self) -> None:
        if self.typed:
            self.typed.pop()
            self._render_rows()

    @on(OptionRow.Clicked)
    def _clicked(self, event: OptionRow.Clicked) -> None:
        event.stop()
        if self.answered:
            return
        self.focus()
        self.highlighted = self.rows.index(event.row)
        self._render_rows()

    def _changed(self) -> None:
        self._render_rows()
        self.rows[self.highlighted].scroll_visible()
        self.post_message(self.Changed(self))

    # --- after submitting ---

    def score(self) -> Score:
        return score_rank(self.placed)

    def show_feedback(self) -> None:
        """Give each option its ideal place, its marks, and its `why`."""
        self.answered = True
        self.add_class("-answered")
        best = len(self.options) - 1
        for place, (row, marks) in enumerate(zip(self.rows, rank_marks(self.placed), strict=True)):
            where = "Right place" if row.index == place else f"Ideal place {row.index + 1}"
            verdict = f"{where}: {marks} of {best} marks."
            row.set_feedback(verdict, row.option.why)
            row.set_class(marks == best, "-right")
            row.set_class(marks == 0, "-wrong")
        self._render_rows()
        self.refresh_bindings()
