"""A study or practice session: one card at a time, graded and saved, until none is left.

Each card goes through two stages: a flashcard shows its front, then (after space) its back
and the grade buttons; a scenario question takes an answer, then (after Enter) shows the
feedback with a computed grade the student may accept or change. Every answer is saved by the
session before the next card is put on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from quiz.core.grades import Grade, grades
from quiz.core.model import Item
from quiz.core.progress import Response, StoreError
from quiz.core.responses import scenario_response
from quiz.core.scoring import UNSAFE_CAP, Score
from quiz.core.session import Outcome, Session
from quiz.services import clock
from quiz.ui.screens.dialogs import LeechScreen, SourceScreen
from quiz.ui.screens.summary import SummaryScreen
from quiz.ui.text import literal
from quiz.ui.widgets.flashcard import FlashCard
from quiz.ui.widgets.grade_bar import GradeBar
from quiz.ui.widgets.key_bar import KeyBar
from quiz.ui.widgets.scenario import ScenarioCard
from quiz.ui.widgets.session_bar import SessionBar, state_label

if TYPE_CHECKING:
    from quiz.ui.app import QuizApp

Stage = Literal["front", "back", "question", "feedback"]
HINTS = {"front": "Space or Enter: show the answer", "question": "Enter: submit your answer"}
"""Below the card before the answer is shown."""
MAX_ANSWER_MS = 60_000
"""Time on a card counts up to a minute (Anki's default), so a walk away is not "study"."""


class ReviewScreen(Screen[None]):
    """Shows the session's current item and turns key presses into answers."""

    AUTO_FOCUS = ""
    """Focus is given to a question's options, and taken away for flashcards."""

    DEFAULT_CSS = """
    #verdict {
        height: auto;
    }
    #verdict.unsafe {
        color: $text-error;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Show answer"),
        Binding("enter", "reveal", "Show answer", show=False),
        Binding("enter", "submit", "Submit"),
        Binding("enter", "accept", "Accept grade"),
        *(Binding(str(q), f"grade('{q}')", "Grade", show=False) for q in range(6)),
        Binding("u", "undo", "Undo", tooltip="Undo the last answer, bury or suspension"),
        Binding("e", "source", "Source", tooltip="Show where this card comes from"),
        Binding("s", "suspend", "Suspend", tooltip="Suspend this card"),
        Binding("b", "bury", "Bury", tooltip="Bury this card until tomorrow"),
        Binding("q", "end", "End", tooltip="End the session (answers are saved)"),
        Binding("escape", "end", "End", show=False, tooltip="End the session (answers are saved)"),
        Binding("up", "scroll(-1)", "Scroll up", show=False),
        Binding("down", "scroll(1)", "Scroll down", show=False),
        Binding("home", "scroll_to(0)", "Top of the card", show=False),
        Binding("end", "scroll_to(1)", "End of the card", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
    ]

    stage: reactive[Stage] = reactive[Stage]("front", always_update=True)
    """Where the card on show is: its front or back, a question or its feedback. Which keys
    work depends on it (`check_action`); set again for each new card, as the session's own
    keys (undo, ...) may have changed with it."""

    def __init__(self, session: Session) -> None:
        super().__init__(id="review")
        self.session = session
        self.score: Score | None = None
        """The score of a scenario answer (once submitted)."""
        self.suggested: Grade | None = None
        """The grade the session suggests for it (asked again if the grade keys change)."""
        self.response: Response | None = None
        """What was answered (logged with the grade, for item analysis)."""
        self.unsafe: tuple[int, ...] = ()
        """The unsafe options the answer chose (indexes in the file): the grade is capped."""
        self._shown_at = 0.0

    @property
    def quiz(self) -> QuizApp:
        from quiz.ui.app import QuizApp

        assert isinstance(self.app, QuizApp)
        return self.app

    @property
    def grades(self) -> tuple[Grade, ...]:
        return grades(self.quiz.ctx.settings.grade_keys)

    def compose(self) -> ComposeResult:
        yield SessionBar(id="session-bar")
        with VerticalScroll(id="card") as card:
            card.can_focus = False  # the screen scrolls it: moving focus restyles the whole card
        with Vertical(id="answer"):
            yield Static(id="hint")
            yield Static(id="verdict")
            yield GradeBar(self.grades, id="grade-bar")
        yield KeyBar(id="keys")

    async def on_mount(self) -> None:
        await self.show_current()

    # --- showing ---

    async def show_current(self) -> None:
        """Put the session's current item on screen, front first; or end the session."""
        item = self.session.current
        if item is None:
            self.finish(early=False)
            return
        with self.app.batch_update():  # one frame for the whole change
            await self._show(item)

    async def _show(self, item: Item) -> None:
        area = self.query_one("#card", VerticalScroll)
        is_scenario = item.kind in ("choice", "rank")
        card = await self._card_for(area, scenario=is_scenario)
        for shown in area.children:
            shown.display = shown is card
        if isinstance(card, ScenarioCard):
            await card.load(item, f"{item.key}@{self.session.today}")
            self.stage = "question"
        else:
            await card.load(item)
            self.stage = "front"
        self.suggested = None
        self.score = None
        self.response = None
        self.unsafe = ()
        area.scroll_home(animate=False)
        self._show_answer_bar()
        self._show_progress(item)
        if isinstance(card, ScenarioCard):
            self.set_focus(
                card.options, scroll_visible=False
            )  # at once, and the vignette stays in view
        else:
            self.set_focus(None)
        self._shown_at = self.quiz.stopwatch()

    async def _card_for(self, area: VerticalScroll, *, scenario: bool) -> FlashCard | ScenarioCard:
        """The card widget for a scenario question or a flashcard, mounted when first needed.

        A session of flashcards never builds the scenario widgets (and the other way round),
        and the first card is drawn sooner.
        """
        kind = ScenarioCard if scenario else FlashCard
        for child in area.children:
            if isinstance(child, kind):
                return child
        card = ScenarioCard(id="scenario-card") if scenario else FlashCard(id="flashcard")
        await area.mount(card)
        return card

    def _show_progress(self, item: Item) -> None:
        deck = self.quiz.ctx.deck(item.card.deck_id)
        state = state_label(
            self.session.state(item),
            drill=self.session.current_is_drill,
            practice=self.session.practice,
        )
        self.query_one(SessionBar).show(
            item,
            deck.title if deck else item.card.deck_id,
            state,
            done=self.session.done,
            remaining=self.session.remaining,
        )

    def _show_answer_bar(self) -> None:
        """Below the card: a hint before the answer; after it, the verdict and the grades."""
        hint = self.query_one("#hint", Static)
        hint.display = self.stage in ("front", "question")
        if self.stage in HINTS and str(hint.content) != HINTS[self.stage]:
            hint.update(Content(HINTS[self.stage]))
        verdict = self.query_one("#verdict", Static)
        verdict.display = self.stage == "feedback"
        if self.score is not None and self.suggested is not None:
            verdict.update(self._verdict(self.score, self.suggested))
        verdict.set_class(bool(self.unsafe), "unsafe")
        bar = self.query_one(GradeBar)
        bar.display = self.stage in ("back", "feedback")
        if bar.display:
            intervals = None
            if not self.session.practice:
                intervals = self.session.intervals([g.quality for g in self.grades])
            bar.show(
                intervals,
                drill=self.session.current_is_drill,
                suggested=self.suggested.quality if self.suggested else None,
                ceiling=UNSAFE_CAP if self.unsafe else None,
            )

    def _verdict(self, score: Score, grade: Grade) -> Content:
        allowed = [g for g in self.grades if not self.unsafe or g.quality <= UNSAFE_CAP]
        keys = f"{allowed[0].key}-{allowed[-1].key}" if len(allowed) > 1 else allowed[0].key
        parts: list[Content | str] = []
        if self.unsafe:
            parts += [self._unsafe_words(grade), "\n"]
        parts += [
            Content.styled(f"Score {score} ({round(100 * score.fraction)}%)", "bold"),
            " · grade ",
            Content.styled(f"{grade.key} {grade.label}", "bold"),
            f". Enter accepts it; {keys} {'lowers' if self.unsafe else 'changes'} it."
            if len(allowed) > 1
            else ". Enter accepts it.",
        ]
        return Content.assemble(*parts)

    def _unsafe_words(self, grade: Grade) -> Content:
        """The unsafe options chosen, named (in the words of the deck, never markup), and
        the cap on the grade."""
        card = self.card
        if not isinstance(card, ScenarioCard) or card.item is None:
            return Content("")
        options = card.item.card.options
        ranked = card.item.card.type == "rank"
        chosen = card.chosen()
        named: list[Content | str] = []
        for number, index in enumerate(self.unsafe):
            if number:
                named.append(" and ")
            named.append(_quoted(options[index].text))
            if ranked:
                named.append(f" {_ORDINALS.get(chosen.index(index) + 1, '')}")
        it = "it" if len(self.unsafe) == 1 else "each"
        return Content.assemble(
            Content.styled(" UNSAFE ", "bold reverse"),
            f" You {'ranked' if ranked else 'picked'} ",
            *named,
            f": {it} would put a patient or colleague at risk, so ",
            Content.styled(f"the grade is capped at {grade.label}", "bold"),
            ", whatever the score.",
        )

    @property
    def card(self) -> FlashCard | ScenarioCard:
        """The card on show."""
        if self.stage in ("question", "feedback"):
            return self.query_one(ScenarioCard)
        return self.query_one(FlashCard)

    # --- which keys do something now ---

    def watch_stage(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return self.stage == "front"
        if action == "submit":
            return self.stage == "question"
        if action == "accept":
            return self.stage == "feedback"
        if action == "grade":
            keys = {g.key for g in self.grades}
            return self.stage in ("back", "feedback") and str(parameters[0]) in keys
        if action == "undo":
            return self.session.can_undo
        if action in ("source", "suspend", "bury"):
            return self.session.current is not None
        return True

    async def settings_changed(self) -> None:
        """The grade keys may have changed: show the grade buttons again."""
        if self.score is not None:
            self.suggested = self.session.suggest(
                self.score, self.quiz.ctx.settings.grade_keys, unsafe=bool(self.unsafe)
            )
        bar = self.query_one(GradeBar)
        if bar.grades != self.grades:
            await bar.remove()
            await self.query_one("#answer", Vertical).mount(GradeBar(self.grades, id="grade-bar"))
        self._show_answer_bar()
        self.refresh_bindings()

    def grade_help(self) -> str:
        """The grade keys in words, for the help screen: "1 Again, 2 Hard, ..."."""
        return ", ".join(f"{g.key} {g.label}" for g in self.grades)

    # --- actions ---

    async def action_reveal(self) -> None:
        card = self.card
        if isinstance(card, FlashCard):
            with self.app.batch_update():
                await card.reveal()
                self.stage = "back"
                self._show_answer_bar()

    async def action_submit(self) -> None:
        card = self.card
        if not isinstance(card, ScenarioCard):
            return
        if problem := card.problem():
            self.notify(problem, severity="warning", markup=False, timeout=4)
            return
        self.score = card.score()
        self.unsafe = card.unsafe_chosen()
        self.suggested = self.session.suggest(
            self.score, self.quiz.ctx.settings.grade_keys, unsafe=bool(self.unsafe)
        )
        if card.item is not None:
            self.response = scenario_response(card.item.card, card.chosen(), self.score)
        with self.app.batch_update():
            await card.show_feedback()
            self.stage = "feedback"
            self._show_answer_bar()
            self.query_one("#card", VerticalScroll).scroll_home(animate=False)

    async def action_accept(self) -> None:
        if self.suggested is not None:
            await self.answer(self.suggested.quality)

    async def action_grade(self, key: str) -> None:
        grade = next(g for g in self.grades if g.key == key)
        await self.answer(grade.quality)

    @on(GradeBar.Graded)
    async def _graded(self, event: GradeBar.Graded) -> None:
        event.stop()
        if self.stage in ("back", "feedback"):
            await self.answer(event.quality)

    async def answer(self, quality: int) -> None:
        """Grade the current item; it is saved before the next item is shown.

        An answer that chose an unsafe option may be graded lower than suggested, never
        higher than `UNSAFE_CAP`: a higher grade is refused, and why is said."""
        if self.stage == "feedback" and self.unsafe and quality > UNSAFE_CAP:
            self.app.bell()
            cap = next(g for g in reversed(self.grades) if g.quality <= UNSAFE_CAP)
            message = (
                f"An unsafe option was chosen: the grade can be at most {cap.key} {cap.label}."
            )
            self.notify(message, severity="warning", markup=False, timeout=4)
            return
        outcome = self._save(quality)
        if outcome is None:
            return
        await self.show_current()
        if outcome.leech:
            self.app.push_screen(LeechScreen(outcome.item), lambda keep: self._leech(outcome, keep))

    def _save(self, quality: int) -> Outcome | None:
        """Grade the current item, with its response if it is an answered question; None
        (and the reason on screen) if it could not be saved."""
        elapsed = min(MAX_ANSWER_MS, int((self.quiz.stopwatch() - self._shown_at) * 1000))
        response = self.response if self.stage == "feedback" else None
        try:
            return self.session.answer(
                quality, time=clock.timestamp(), elapsed_ms=elapsed, response=response
            )
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=15)
            return None

    def _leech(self, outcome: Outcome, suspend: bool | None) -> None:
        if not suspend:
            return
        try:
            self.session.suspend(time=clock.timestamp(), item=outcome.item)
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        self.notify("Leech suspended: it will not come up again. u undoes it.", timeout=4)
        self.call_later(self.show_current)

    async def action_undo(self) -> None:
        try:
            item = self.session.undo(time=clock.timestamp())
        except StoreError as exc:
            self.notify(str(exc), title="Not undone", severity="error", markup=False)
            return
        if item is not None:
            self.notify("Undone: the card is back.", timeout=2)
        await self.show_current()

    async def action_bury(self) -> None:
        await self._set_aside("bury")

    async def action_suspend(self) -> None:
        await self._set_aside("suspend")

    async def _set_aside(self, kind: Literal["bury", "suspend"]) -> None:
        try:
            if kind == "bury":
                self.session.bury(time=clock.timestamp())
            else:
                self.session.suspend(time=clock.timestamp())
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        if not self.session.practice:
            done = "Buried until tomorrow." if kind == "bury" else "Suspended."
            self.notify(f"{done} u undoes it.", timeout=3)
        await self.show_current()

    def action_source(self) -> None:
        item = self.session.current
        if item is not None:
            self.app.push_screen(SourceScreen(item, self.quiz.ctx.deck(item.card.deck_id)))

    def action_scroll(self, direction: int) -> None:
        area = self.query_one("#card", VerticalScroll)
        if direction < 0:
            area.scroll_up(animate=False)
        else:
            area.scroll_down(animate=False)

    def action_scroll_to(self, end: int) -> None:
        area = self.query_one("#card", VerticalScroll)
        if end:
            area.scroll_end(animate=False)
        else:
            area.scroll_home(animate=False)

    def action_page(self, direction: int) -> None:
        area = self.query_one("#card", VerticalScroll)
        if direction < 0:
            area.scroll_page_up(animate=False)
        else:
            area.scroll_page_down(animate=False)

    def action_end(self) -> None:
        """End the session. A question answered and marked, its grade not yet given, is
        graded as suggested and saved first, exactly as Enter would: the answer is not lost."""
        saved = self.save_pending()
        if saved is False:
            return  # not saved, and said so: the answer stays on screen
        self.finish(early=not self.session.finished, note=saved if isinstance(saved, str) else None)

    def save_pending(self) -> str | bool:
        """Save a question answered and marked whose grade is not given yet, with its
        suggested grade: what every way out of the session (`q`, quitting the app, a signal)
        does first.

        Returns:
            A line for the summary if it was saved; True if there was nothing to save; False
            if it could not be saved (the reason is on screen).
        """
        if self.stage != "feedback" or self.suggested is None:
            return True
        grade = self.suggested
        if self._save(grade.quality) is None:
            return False
        self.suggested = None
        kept = "counted" if self.session.practice else "saved"
        return f"Your last answer was {kept} with its suggested grade ({grade.key} {grade.label})."

    # --- the end ---

    def finish(self, *, early: bool, note: str | None = None) -> None:
        """Show the summary; nothing needs saving (every answer already is).

        Args:
            early: the session ends with items left.
            note: a line for the summary about the end (the last answer, graded on the way out).
        """
        if self.session.done == 0 and not self.session.can_undo:
            self.dismiss()
            return
        summary = SummaryScreen(
            self.session.summary(), practice=self.session.practice, early=early, note=note
        )
        self.app.push_screen(summary, self._after_summary)

    async def _after_summary(self, result: str | None) -> None:
        if result == "undo":
            await self.action_undo()
        else:
            self.dismiss()


_ORDINALS = {1: "1st", 2: "2nd"}
UNSAFE_SHOWN = 70
"""Characters of an unsafe option's text named in the verdict (its row shows it all)."""


def _quoted(text: str) -> Content:
    """An option's text in quotes, cut short: shown as written, never as markup."""
    words = " ".join(text.split())
    if len(words) > UNSAFE_SHOWN:
        words = words[: UNSAFE_SHOWN - 1].rstrip() + "…"
    return literal(f"“{words}”")
