"""The schedulers a student can choose, behind one small protocol.

A scheduler turns a card's state and a graded answer into the card's next schedule. The
session, the log's replay and the statistics see only `Scheduler`; the two SM-2 rules are
here (pure), and FSRS-6, which needs the `fsrs` package, is `quiz.services.fsrs_scheduler`'s.

Every scheduler takes SM-2 qualities 0..5 (what the log holds): a scenario answer's score
becomes a quality (`quiz.core.scoring`) before any scheduler sees it, so the cap on an unsafe
answer applies to all of them alike.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Final, Protocol

from quiz.core.card_state import CardState, after_answer, is_leech_lapse
from quiz.core.exams import ExamPlan
from quiz.core.sm2 import MIN_EASINESS_100, Sm2State, add_days, review

SCHEDULER_NAMES: Final = ("sm2", "sm2-revised", "fsrs")
"""The values of the `scheduler` setting; the first is the default."""
PASS_QUALITY: Final = 3
"""Answers graded at least this count as correct (SM-2: 3 is a correct recall)."""
LAPSE_EASINESS_100: Final = 20
"""What a lapse takes off the easiness factor under sm2-revised (0.20), floored at 1.3."""


class Scheduler(Protocol):
    """What the session, the replay and the statistics need of a scheduler."""

    @property
    def name(self) -> str:
        """Its name in settings.toml: one of `SCHEDULER_NAMES`."""
        ...

    @property
    def identity(self) -> str:
        """Everything its states depend on (name, and for FSRS the retention, maximum
        interval, fuzz and parameters): states computed under another identity are
        recomputed from the log."""
        ...

    @property
    def redrill_below(self) -> int:
        """An answer graded below this comes back later in the same session."""
        ...

    def schedule(self, state: CardState, quality: int, today: date) -> CardState:
        """`state` with its schedule (repetitions, easiness, interval, due and any fields of
        the scheduler's own) after an answer graded `quality` (0..5) on `today`; the lapse
        count, first and last days are the caller's (`answered`)."""
        ...

    def recall(self, state: CardState, today: date) -> float | None:
        """The predicted probability of recalling the card on `today`; None when the
        scheduler makes no such prediction (SM-2) or the card is new."""
        ...


class Sm2:
    """SuperMemo 2 exactly as published (DESIGN section 4): `quiz.core.sm2.review`."""

    name = "sm2"
    identity = "sm2"
    redrill_below = 4

    def schedule(self, state: CardState, quality: int, today: date) -> CardState:
        return state.with_sm2(review(state.sm2, quality, today))

    def recall(self, state: CardState, today: date) -> float | None:
        return None


def revised_review(state: Sm2State, quality: int, today: date) -> Sm2State:
    """SM-2 with a lapse (quality < 3) also taking 0.20 off the easiness factor (floor 1.3);
    otherwise exactly `quiz.core.sm2.review`.

    Raises:
        ValueError: if quality is not an integer from 0 to 5.
    """
    after = review(state, quality, today)
    if quality >= PASS_QUALITY:
        return after
    lowered = max(MIN_EASINESS_100, state.easiness_100 - LAPSE_EASINESS_100)
    return replace(after, easiness=lowered / 100)


class Sm2Revised:
    """SM-2 with two rules changed: a lapse lowers the easiness factor by 0.20, and only a
    lapse (not quality 3) comes back for a same-day re-drill."""

    name = "sm2-revised"
    identity = "sm2-revised"
    redrill_below = PASS_QUALITY

    def schedule(self, state: CardState, quality: int, today: date) -> CardState:
        return state.with_sm2(revised_review(state.sm2, quality, today))

    def recall(self, state: CardState, today: date) -> float | None:
        return None


SM2: Final = Sm2()
SM2_REVISED: Final = Sm2Revised()


class WithExams:
    """A scheduler with the exam rules on top (`quiz.core.exams`): the same schedule, with a
    covered card's due date brought into an exam's last week where it would pass the exam.

    Its identity adds the exams and the cards they cover, so states computed without them (or
    under other exams) are recomputed from the log.
    """

    def __init__(self, base: Scheduler, plan: ExamPlan) -> None:
        self.base = base
        self.plan = plan
        self.name = base.name
        self.identity = f"{base.identity} exams={plan.identity}"
        self.redrill_below = base.redrill_below

    def schedule(self, state: CardState, quality: int, today: date) -> CardState:
        return self.base.schedule(state, quality, today)

    def recall(self, state: CardState, today: date) -> float | None:
        return self.base.recall(state, today)


def base_of(scheduler: Scheduler) -> Scheduler:
    """The scheduler under any exam rules."""
    return scheduler.base if isinstance(scheduler, WithExams) else scheduler


def answered(
    scheduler: Scheduler, before: CardState, quality: int, today: date, key: str | None = None
) -> CardState:
    """A card's state after a scheduled answer: the scheduler's schedule, with the lapse
    count, the leech flag and the first and last days kept up to date (the same for every
    scheduler); under exam rules, the due date of the card `key` settled by them."""
    scheduled = scheduler.schedule(before, quality, today)
    if key is not None and isinstance(scheduler, WithExams):
        scheduled = scheduler.plan.settle(key, scheduled, today)
    if quality >= PASS_QUALITY:
        return after_answer(scheduled, before.lapses, before.first or today, today, before.leech)
    lapses = before.lapses + 1
    leech = before.leech or is_leech_lapse(lapses)
    return after_answer(scheduled, lapses, before.first or today, today, leech)


def bury_until(today: date) -> date:
    """The day a card buried on `today` comes back."""
    return add_days(today, 1)
