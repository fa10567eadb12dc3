"""The options of a `rank` card: put them in order, by moving them or by typing the order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message

from quiz.core.model import Option
from quiz.core.scoring import Score, rank_marks, score_rank
from quiz.ui.text import inline
from quiz.ui.widgets.options_view import MARKS, OptionsView, Row, verdict_note


class RankList(OptionsView):
    """A ranking, from most appropriate (place 1) to least.

    Each option keeps the number it was first shown with. The arrows highlight an option and
    shift+arrows move it; typing numbers puts those options in that order from the top, so
    typing `31524` ranks option 3 first, then 1, 5, 2 and 4.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "highlight(-1)", "Previous option", show=False),
        Binding("down", "highlight(1)", "Next option", show=False),
        Binding("shift+up", "move(-1)", "Move option up", show=False),
        Binding("shift+down", "move(1)", "Move option down", show=False),
        Binding("backspace", "untype", "Forget the last typed number", show=False),
        *(
            Binding(str(n), f"type({n})", f"Place option {n} next", show=False)
            for n in range(1, 10)
        ),
    ]

    class Changed(Message):
        """The ranking changed."""

        def __init__(self, rank_list: RankList) -> None:
            super().__init__()
            self.rank_list = rank_list

    def __init__(self) -> None:
        super().__init__(classes="ranking")
        self.options: tuple[Option, ...] = ()
        self.first_order: tuple[int, ...] = ()
        self.texts: dict[int, Content] = {}
        self.number: dict[int, int] = {}
        """Each option's fixed number: where it was first shown."""
        self.placed: list[int] = []
        """The ideal index of the option at each place (what `score_rank` takes)."""
        self.highlighted = 0
        self.typed: list[int] = []

    def load(self, options: Sequence[Option], order: Sequence[int]) -> None:
        """Show a new question's options.

        Args:
            options: the card's options, in the ideal order.
            order: the order to show them in first (indexes into `options`).
        """
        self.options = tuple(options)
        self.first_order = tuple(order)
        self.texts = {index: inline(option.text) for index, option in enumerate(options)}
        self.number = {index: place + 1 for place, index in enumerate(order)}
        self.placed = list(order)
        self.highlighted = 0
        self.typed = []
        self.answered = False
        self.redraw()
        self.refresh_bindings()

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

    def rows(self) -> list[Row]:
        best = len(self.options) - 1
        marks = rank_marks(self.placed) if self.answered else [0] * len(self.placed)
        rows = []
        for place, index in enumerate(self.placed):
            here = place == self.highlighted and not self.answered
            lead, note, mark = ("▸" if here else " "), None, ""
            if self.answered:
                lead = "✓" if marks[place] == best else ("✗" if marks[place] == 0 else "~")
                where = "Right place" if index == place else f"Ideal place {index + 1}"
                verdict = f"{where}: {marks[place]} of {best} marks."
                if self.options[index].unsafe:
                    verdict = f"UNSAFE. {verdict}"
                note = verdict_note(verdict, self.options[index].why)
                mark = MARKS.get(lead, "")
            rows.append(
                Row(
                    prefix=f"{lead} {place + 1}. [{self.number[index]}]",
                    text=self.texts[index],
                    note=note,
                    mark=mark,
                    highlighted=here,
                )
            )
        return rows

    # --- ranking ---

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if (self.answered or not self.options) and action in (
            "highlight",
            "move",
            "untype",
            "type",
        ):
            return False
        too_far = action == "type" and int(str(parameters[0])) > len(self.options)
        return not too_far

    def action_highlight(self, step: int) -> None:
        self.highlighted = (self.highlighted + step) % len(self.options)
        self.redraw()
        self.scroll_to_row(self.highlighted)

    def action_move(self, step: int) -> None:
        place, target = self.highlighted, self.highlighted + step
        if not 0 <= target < len(self.placed):
            self.app.bell()
            return
        placed = self.placed
        placed[place], placed[target] = placed[target], placed[place]
        self.highlighted = target
        self.typed.clear()
        self._changed()

    def action_type(self, number: int) -> None:
        """Put the option numbered `number` at the next typed place.

        Once all but one are typed the order is complete (the last takes the last place), but
        typing that last number too is accepted; a number typed after a full order starts a
        new one.
        """
        if len(self.typed) >= len(self.options):
            self.typed.clear()
        if number in self.typed:
            self.app.bell()
            return
        index = next(i for i, n in self.number.items() if n == number)
        place = len(self.typed)
        self.placed.remove(index)
        self.placed.insert(place, index)
        self.typed.append(number)
        self.highlighted = place
        self._changed()

    def action_untype(self) -> None:
        if self.typed:
            self.typed.pop()
            self.redraw()

    @on(OptionsView.Clicked)
    def _clicked(self, event: OptionsView.Clicked) -> None:
        event.stop()
        if self.answered:
            return
        self.focus()
        self.highlighted = event.index
        self.redraw()

    def _changed(self) -> None:
        self.redraw()
        self.scroll_to_row(self.highlighted)
        self.post_message(self.Changed(self))

    # --- after submitting ---

    def score(self) -> Score:
        return score_rank(self.placed)
