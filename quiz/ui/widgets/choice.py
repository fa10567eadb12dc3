"""The options of a `choice` card: single best answer, or "choose k of m"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message

from quiz.core.model import Option
from quiz.core.scoring import Score, score_choice
from quiz.ui.text import inline
from quiz.ui.widgets.options_view import MARKS, OptionsView, Row, verdict_note


class ChoiceList(OptionsView):
    """Pick options by number, with the arrows and space, or with the mouse.

    With k correct options exactly k can be picked, and the status line says how many are
    left; with one, picking another option moves the pick. `show_feedback` then marks each
    option right or wrong, in words and symbols as well as colour.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous option", show=False),
        Binding("down", "move(1)", "Next option", show=False),
        Binding("space", "pick_highlighted", "Pick"),
        *(Binding(str(n), f"pick({n})", f"Pick option {n}", show=False) for n in range(1, 10)),
    ]

    class Changed(Message):
        """The set of picked options changed."""

        def __init__(self, choice_list: ChoiceList) -> None:
            super().__init__()
            self.choice_list = choice_list

    def __init__(self) -> None:
        super().__init__(classes="choices")
        self.options: tuple[Option, ...] = ()
        self.order: tuple[int, ...] = ()
        self.texts: list[Content] = []
        self.correct: frozenset[int] = frozenset()
        self.k = 0
        self.picked: set[int] = set()
        self.highlighted = 0
        self._refused = False

    def load(self, options: Sequence[Option], order: Sequence[int]) -> None:
        """Show a new question's options, none picked.

        Args:
            options: the card's options.
            order: the order to show them in (indexes into `options`).
        """
        self.options = tuple(options)
        self.order = tuple(order)
        self.texts = [inline(self.options[index].text) for index in self.order]
        self.correct = frozenset(i for i, option in enumerate(options) if option.correct)
        self.k = len(self.correct)
        self.picked = set()
        self.highlighted = 0
        self._refused = False
        self.answered = False
        self.redraw()
        self.refresh_bindings()

    @property
    def ready(self) -> bool:
        """Exactly k options are picked."""
        return len(self.picked) == self.k

    def status(self) -> str:
        """What to do next, in words: how many are left to pick."""
        if self.answered:
            return ""
        count = len(self.options)
        if self.k == 1:
            left = "picked; Enter to submit" if self.picked else "none picked yet"
            return f"Single best answer: pick 1 of {count}: {left}."
        remaining = self.k - len(self.picked)
        left = f"{remaining} left to pick" if remaining else "all picked; Enter to submit"
        if self._refused:
            left = f"already {self.k} picked; unpick one first"
        return f"Choose {self.k} of {count}: {left}."

    def rows(self) -> list[Row]:
        rows = []
        for place, index in enumerate(self.order):
            picked = index in self.picked
            box = ("(•)" if picked else "( )") if self.k == 1 else ("[x]" if picked else "[ ]")
            here = place == self.highlighted and not self.answered
            mark, note, verdict = " ", None, ""
            if self.answered:
                mark, verdict = self._verdict(index)
                note = verdict_note(verdict, self.options[index].why)
            rows.append(
                Row(
                    prefix=f"{'▸' if here else ' '}{mark}{box} {place + 1}.",
                    text=self.texts[place],
                    note=note,
                    mark=MARKS.get(mark, ""),
                    highlighted=here,
                    picked=picked,
                )
            )
        return rows

    def _verdict(self, index: int) -> tuple[str, str]:
        """The mark (✓ a correct option, ✗ a wrong pick) and the verdict in words."""
        picked = index in self.picked
        if self.options[index].unsafe:
            return ("✗", "UNSAFE: you picked it.") if picked else (" ", "Unsafe: rightly left.")
        if index in self.correct:
            return "✓", "Correct: you picked it." if picked else "Correct: you missed it."
        return ("✗", "Wrong: you picked it.") if picked else (" ", "Wrong: rightly left.")

    # --- picking ---

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if (self.answered or not self.options) and action in ("move", "pick_highlighted", "pick"):
            return False
        too_far = action == "pick" and int(str(parameters[0])) > len(self.options)
        return not too_far

    def action_move(self, step: int) -> None:
        self.highlighted = (self.highlighted + step) % len(self.options)
        self.redraw()
        self.scroll_to_row(self.highlighted)

    def action_pick_highlighted(self) -> None:
        self._toggle(self.highlighted)

    def action_pick(self, number: int) -> None:
        self.highlighted = number - 1
        self._toggle(number - 1)
        self.scroll_to_row(self.highlighted)

    @on(OptionsView.Clicked)
    def _clicked(self, event: OptionsView.Clicked) -> None:
        event.stop()
        if self.answered:
            return
        self.focus()
        self.highlighted = event.index
        self._toggle(event.index)

    def _toggle(self, place: int) -> None:
        index = self.order[place]
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
        self.redraw()
        self.post_message(self.Changed(self))

    # --- after submitting ---

    def score(self) -> Score:
        return score_choice(self.picked, self.correct)
