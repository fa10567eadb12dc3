"""Revising for an exam date: the rules, on plain data (DESIGN section 6).

An exam is a name, a date and the decks or tags it covers. Until its date, for the cards it
covers:

- new cards come in time for every card to be seen `seen_by` days before the date: the daily
  number is the cards not yet seen over the days left until then (`pace`); the student's
  new-card limit still holds, and `pace` says when the limit makes the goal impossible;
- a card answered before the exam's last week whose next review would fall on or after the
  date is brought forward into the last week (`ExamPlan.settle`), on a day picked by a stable
  hash of its progress key, so those reviews are spread evenly over the week;
- in the last week a session can put the covered cards with the lowest predicted recall
  first (`weakest_first`).

The rules act when a state is computed (the due date of an answer given on a day) and in the
session's queue; the log is unchanged. They depend only on the answer's day and the exams, so
replaying the log with the same exams gives the same states. After the date nothing changes:
the reviews brought forward were real reviews, so no card is left overdue.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from quiz.core.card_state import CardState
from quiz.core.model import Item

LAST_WEEK_DAYS = 7
"""The exam's last week: the seven days before its date."""
SEEN_BY_DAYS = 7
"""By default every covered card is seen this many days before the exam."""


@dataclass(frozen=True, slots=True)
class Exam:
    """One exam: what it is called, its date, and the decks and tags it covers."""

    name: str
    day: date
    """The exam's date."""
    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    seen_by: int = SEEN_BY_DAYS

    @property
    def last_week(self) -> date:
        """The first day of the exam's last week."""
        return self.day - timedelta(days=LAST_WEEK_DAYS)

    @property
    def deadline(self) -> date:
        """The day by which every covered card should have been seen."""
        return self.day - timedelta(days=self.seen_by)

    def covers(self, deck_id: str, tags: Collection[str]) -> bool:
        """The exam covers a card of `deck_id` with `tags` (no decks and no tags: nothing)."""
        return deck_id in self.decks or any(tag in tags for tag in self.tags)


def landing_day(key: str, exam: Exam) -> date:
    """The day of the last week a card's brought-forward review lands on: a stable hash of
    its progress key spreads the cards evenly over the week."""
    digest = hashlib.blake2b(key.encode(), digest_size=4).digest()
    return exam.last_week + timedelta(days=int.from_bytes(digest) % LAST_WEEK_DAYS)


@dataclass(frozen=True, slots=True)
class ExamPlan:
    """The exams and the progress keys each covers, as the scheduling rules read them.

    Args:
        exams: every exam set, past ones included (answers given before a past exam were
            scheduled under it, and a replay must schedule them the same way).
        covered: for each exam (by name), the progress keys of the items it covers.
    """

    exams: tuple[Exam, ...]
    covered: Mapping[str, frozenset[str]]

    @property
    def identity(self) -> str:
        """Everything the states computed under the plan depend on, in a short digest."""
        digest = hashlib.sha256()
        for exam in sorted(self.exams, key=lambda e: (e.day, e.name)):
            digest.update(f"{exam.name}\0{exam.day.isoformat()}\0".encode())
            for key in sorted(self.covered.get(exam.name, ())):
                digest.update(key.encode() + b"\0")
        return digest.hexdigest()[:16]

    def settle(self, key: str, state: CardState, today: date) -> CardState:
        """`state`, just scheduled by an answer on `today`, with its due date brought forward
        into the last week of the earliest exam covering `key` that it would otherwise pass
        without a review there; unchanged if no exam needs it."""
        due = state.due
        if due is None:
            return state
        for exam in sorted(self.exams, key=lambda e: e.day):
            if today >= exam.last_week or due < exam.day:
                continue
            if key not in self.covered.get(exam.name, ()):
                continue
            landing = landing_day(key, exam)
            return state._replace(interval=(landing - today).days, due=landing)
        return state


def settle(plan: ExamPlan | None, key: str, state: CardState, today: date) -> CardState:
    """`plan.settle`, or `state` unchanged when no exam is set."""
    return state if plan is None or not plan.exams else plan.settle(key, state, today)


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast an exam's new cards must come in, for one study day."""

    unseen: int
    days: int
    """Study days left until the deadline, today and the deadline day included; 0 when it
    has passed."""
    per_day: int
    """New cards a day needed to see them all by the deadline."""
    limit: int
    """The student's new-card limit."""

    @property
    def possible(self) -> bool:
        return self.unseen == 0 or (self.days > 0 and self.per_day <= self.limit)

    @property
    def left_unseen(self) -> int:
        """Cards still unseen at the deadline if the limit is kept to every day."""
        return max(0, self.unseen - self.limit * self.days)


def pace(exam: Exam, unseen: int, today: date, limit: int) -> Pace:
    """The daily number of new cards that sees all `unseen` cards by the exam's deadline."""
    days = max(0, (exam.deadline - today).days + 1)  # the deadline day is a study day too
    per_day = math.ceil(unseen / days) if days else unseen
    return Pace(unseen, days, per_day, limit)


def pace_line(exam: Exam, p: Pace) -> str:
    """The daily figure in words: "14 new a day to see all 380 by 1 Mar", or why it cannot
    be done."""
    by = short_date(exam.deadline)
    if p.unseen == 0:
        return f"all {exam.name} cards seen"
    if p.days == 0:
        return f"{p.unseen} not yet seen, and the day to have seen them all ({by}) has passed"
    if p.possible:
        return f"{p.per_day} new a day to see all {p.unseen} by {by}"
    return (
        f"{p.per_day} new a day needed to see all {p.unseen} by {by}, above your limit of"
        f" {p.limit}: at {p.limit} a day, {p.left_unseen} will still be unseen then"
    )


def short_date(day: date) -> str:
    """A day as "1 Mar"."""
    return f"{day.day} {day.strftime('%b')}"


def in_last_week(exam: Exam, today: date) -> bool:
    return exam.last_week <= today < exam.day


def upcoming(plan: ExamPlan, today: date) -> list[Exam]:
    """The exams not yet past, soonest first."""
    return sorted((e for e in plan.exams if e.day > today), key=lambda e: e.day)


def exam_cards_first(plan: ExamPlan, items: Sequence[Item], today: date) -> list[Item]:
    """The items with those of the coming exams first (soonest exam first), each group in
    its order: a day's new cards then go to the exams before anything else."""
    exams = upcoming(plan, today)
    if not exams:
        return list(items)

    def rank(item: Item) -> int:
        for n, exam in enumerate(exams):
            if item.key in plan.covered.get(exam.name, ()):
                return n
        return len(exams)

    return sorted(items, key=rank)


def estimated_recall(state: CardState, today: date) -> float | None:
    """A card's chance of recall on `today` without a predictive model: as srs-benchmark
    reads an SM-2 interval, recall falls to 90% at its end, so 0.9 ^ (t / I)."""
    if state.last is None or state.interval <= 0:
        return None
    return float(0.9 ** (max(0, (today - state.last).days) / state.interval))


def weakest_first_in_last_week(
    plan: ExamPlan,
    queue: Sequence[Item],
    state_of: Callable[[str], CardState],
    today: date,
    recall: Callable[[CardState, date], float | None],
) -> list[Item]:
    """In an exam's last week, the queue with the exam's cards lowest predicted recall first
    (`recall`, else `estimated_recall`); the rest after them in their order."""
    covered: set[str] = set()
    for exam in plan.exams:
        if in_last_week(exam, today):
            covered |= plan.covered.get(exam.name, frozenset())
    if not covered:
        return list(queue)
    known: list[tuple[float, int]] = []
    for i, item in enumerate(queue):
        if item.key not in covered:
            continue
        state = state_of(item.key)
        chance = recall(state, today)
        if chance is None:
            chance = estimated_recall(state, today)
        if chance is not None:
            known.append((chance, i))
    known.sort()
    first = {i for _, i in known}
    return [queue[i] for _, i in known] + [item for i, item in enumerate(queue) if i not in first]


def planned_reviews(
    states: Mapping[str, CardState],
    schedule: Callable[[str, CardState, date], CardState],
    today: date,
    until: date,
    most: int = 60,
) -> int:
    """Reviews planned from `today` until the day before `until`, each answered Good:
    `schedule(key, state, day)` is the card's state after an answer graded Good on `day`."""
    reviews = 0
    for key, state in states.items():
        if state.first is None or state.suspended or state.due is None:
            continue
        day = max(state.due, today)
        count = 0
        while day < until and count < most:
            reviews += 1
            count += 1
            state = schedule(key, state, day)
            if state.due is None:
                break
            day = max(state.due, day + timedelta(days=1))
    return reviews
