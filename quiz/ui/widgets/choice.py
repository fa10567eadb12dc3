"""The options of a `choice` card: single best answer, or "choose k of m"."""

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
from quiz.core.scoring import Score, score_choice
from quiz.ui.widgets.option_row import OptionRow


class ChoiceList(Vertical, can_focus=True):
    """Pick options by number, with the arrows and space, or with the mouse.

    With k correct options exactly k can be picked, and the status line says how many are
    left; with one, picking another option moves the pick. `show_feedback` then marks each
    option right or wrong, in words as well as colour.
    """

    BINDINGS = [
        Binding("up", "move(-1)", "Previous option", show=False),
        Binding("down", "move(1)", "Next option", show=False),
        Binding("space", "toggle", "Pick"),
        *(Binding(str(n), f"pick({n})", f"Pick option {n}", show=False) for n in range(1, 10)),
    ]

    class Changed(Message):
        """The set of picked options changed."""

        def __init__(self, choice_list: ChoiceList) -> None:
            super().__init__()
            self.choice_list = choice_list

    def __init__(self, options: Sequence[Option], order: Sequence[int]) -> None:
        """
        Args:
            options: the card's options.
            order: the order to show them in (indexes into `options`).
        """
        super().__init__(classes="choices")
        self.options = tuple(options)
        self.order = tuple(order)
        self.correct = frozenset(i for i, option in enumerate(options) if option.correct)
        self.k = len(self.correct)
        self.picked: set[int] = set()
        self.highlighted = 0
        self.answered = False
        self._refused = False

    @property
    def ready(self) -> bool:
        """Exactly k options are picked."""
        return len(self.picked) == self.k

    def compose(self) -> ComposeResult:
        yield Static(classes="status")
        for number, index in enumerate(self.order, 1):
            yield OptionRow(self.options[index], index, number)

    def on_mount(self) -> None:
        self._render_rows()

    @property
    def rows(self) -> list[OptionRow]:
        return list(self.query(OptionRow))

    def status(self) -> str:
        """What to do next, in words: how many are left to pick."""
        if self.answered:
            return ""
        count = len(self.options)
        if self.k == 1:
            ask = f"Single best answer: pick 1 of {count}"
            left = "picked; Enter to submit" if self.picked else "none picked yet"
        else:
            ask = f"Choose {self.k} of {count}"
            remaining = self.k - len(self.picked)
            left = f"{remaining} left to pick" if remaining else "all picked; Enter to submit"
            if self._refused:
                left = f"already {self.k} picked; unpick one first"
        return f"{ask}: {left}."

    def _render_rows(self) -> None:
        single = self.k == 1
        for row in self.rows:
            picked = row.index in self.picked
            box = ("(•)" if picked else "( )") if single else ("[x]" if picked else "[ ]")
            here = "▸" if row.number - 1 == self.highlighted and not self.answered else " "
            mark = self._mark(row.index) if self.answered else " "
            row.set_prefix(f"{here}{mark}{box} {row.number}.")
            row.set_class(picked, "-picked")
            row.set_class(row.number - 1 == self.highlighted and not self.answered, "-highlight")
        self.query_one(".status", Static).update(Content(self.status()))

    def _mark(self, index: int) -> str:
        if index in self.correct:
            return "✓"
        return "✗" if index in self.picked else " "

    # --- picking ---

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.answered and action in ("move", "toggle", "pick"):
            return False
        if action == "pick" and parameters and int(str(parameters[0])) > len(self.options):
            return False
        return True

    def action_move(self, step: int) -> None:
        self.highlighted = (self.highlighted + step) % len(self.options)
        self._render_rows()
        self.rows[self.highlighted].scroll_visible()

    def action_toggle(self) -> None:
        self._toggle(self.order[self.highlighted])

    def action_pick(self, number: int) -> None:
        self.highlighted = number - 1
        self._toggle(self.order[number - 1])

    @on(OptionRow.Clicked)
    def _clicked(self, event: OptionRow.Clicked) -> None:
        event.stop()
        if self.answered:
            return
        self.focus()
        self.highlighted = event.row.number - 1
        self._toggle(event.row.index)

    def _toggle(self, index: int) -> None:
        self._refused = False
        if index in self.picked:
            self.picked.discard(index)
        elif self.k == 1:
            self.picked = {index}
        elif len(self.picked) >= self.k:
            self._refused = True
            self.app.bell()
        else:
            self.picked.add(index)
        self._render_rows()
        self.post_message(self.Changed(self))

    # --- after submitting ---

    def score(self) -> Score:
        return score_choice(self.picked, self.correct)

    def show_feedback(self) -> None:
        """Mark every option: right or wrong, picked or missed, with its `why`."""
        self.answered = True
        self.add_class("-answered")
        for row in self.rows:
            picked, correct = row.index in self.picked, row.index in self.correct
            if correct:
                verdict = "Correct: you picked it." if picked else "Correct: you missed it."
            else:
                verdict = "Wrong: you picked it." if picked else "Not correct."
            row.set_feedback(verdict, row.option.why)
            row.set_class(correct, "-right")
            row.set_class(picked and not correct, "-wrong")
        self._render_rows()
        self.refresh_bindings()
