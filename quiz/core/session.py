"""A review session: which items to show today, in what order, and what each answer does.

The queue holds due reviews first (most overdue first), then new items up to the day's limit.
An item graded below the scheduler's threshold (4 under SM-2 as published: its same-day
re-drill) comes back a few items later until it is graded at or above it; those re-drill
answers are logged but change nothing. Every answer is in the
store before `answer` returns, and any number of answers can be undone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from quiz.core.card_state import NEW_STATE, CardState, is_leech_lapse
from quiz.core.exams import exam_cards_first, weakest_first_in_last_week
from quiz.core.grades import Grade, grade_for_quality
from quiz.core.model import Item
from quiz.core.progress import LogEntry, ProgressStore, Response
from quiz.core.schedulers import PASS_QUALITY, SM2, Scheduler, WithExams, answered, bury_until
from quiz.core.scoring import Score, capped_quality

__all__ = ["PASS_QUALITY", "REDRILL_BELOW", "Limits", "Outcome", "Session", "Summary"]

REDRILL_BELOW = SM2.redrill_below
"""Items graded below this come back in the same session under SM-2 as published (each
scheduler says its own: `Scheduler.redrill_below`)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Daily limits; today's earlier answers count against them."""

    new_per_day: int = 20
    reviews_per_day: int = 200


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an answer did."""

    item: Item
    quality: int
    drill: bool
    """It was a re-drill answer (logged, but the schedule is unchanged)."""
    redrill: bool
    """The item will come back later in this session."""
    leech: bool
    """This lapse made the item a leech."""
    state: CardState
    """The item's state after the answer."""
    elapsed_ms: int = 0


@dataclass(frozen=True, slots=True)
class Summary:
    """The end-of-session figures."""

    answers: int
    reviewed: int
    """Distinct items answered."""
    correct: int
    """Answers graded 3 or more."""
    redrilled: int
    """Distinct items that came back for a re-drill."""
    elapsed_ms: int
    next_due: date | None
    next_due_count: int

    @property
    def correct_rate(self) -> float:
        return self.correct / self.answers if self.answers else 0.0


@dataclass(frozen=True, slots=True)
class _Slot:
    item: Item
    drill: bool = False


@dataclass(frozen=True, slots=True)
class _Step:
    """Enough to undo one action: the queue as it was and what the store logged."""

    queue: tuple[_Slot, ...]
    entry: LogEntry | None
    outcome: Outcome | None


def build_queue(
    items: Iterable[Item],
    states: ProgressStore,
    today: date,
    limits: Limits = Limits(),
) -> list[Item]:
    """Today's items: due reviews (most overdue first), then new items, within the limits.

    Suspended and buried items are left out, and so is any item with a sibling shown today
    (answered today, or earlier in this queue).
    """
    return _select(items, states, today, limits, _answered_today(states, today))


def queue_counts(
    groups: Iterable[Iterable[Item]],
    states: ProgressStore,
    today: date,
    limits: Limits = Limits(),
) -> list[tuple[int, int]]:
    """(new, due) of `build_queue` over each group of items, as if each were studied alone.

    Today's answers are tallied once for all the groups, not once per group.
    """
    answered = _answered_today(states, today)
    state = states.states().get
    counts: list[tuple[int, int]] = []
    for items in groups:
        queue = _select(items, states, today, limits, answered)
        new = sum(1 for item in queue if state(item.key, NEW_STATE).first is None)
        counts.append((new, len(queue) - new))
    return counts


@dataclass(frozen=True, slots=True)
class _Answered:
    """What today's earlier answers take from the limits, and the siblings they showed."""

    introduced: int
    reviewed: int
    siblings: frozenset[str]


def _answered_today(states: ProgressStore, today: date) -> _Answered:
    introduced_today = reviewed_today = 0
    answered_siblings: set[str] = set()
    for key, state in states.states().items():
        if state.last != today:
            continue
        answered_siblings.add(key.split("~", 1)[0])
        if state.first == today:
            introduced_today += 1
        else:
            reviewed_today += 1
    return _Answered(introduced_today, reviewed_today, frozenset(answered_siblings))


def _select(
    items: Iterable[Item],
    states: ProgressStore,
    today: date,
    limits: Limits,
    answered: _Answered,
) -> list[Item]:
    due: list[tuple[date, Item]] = []
    new: list[Item] = []
    state_of = states.states().get
    # hot: runs for every item of the chosen decks at each start and each drawing of the
    # deck list, so the fields are read here rather than through CardState's methods
    for item in items:
        state = state_of(item.key)
        if state is None:
            new.append(item)
            continue
        if state.suspended:
            continue
        buried = state.buried_until
        if buried is not None and buried > today:
            continue
        if state.first is None:
            new.append(item)
        elif state.due is not None and state.due <= today:
            due.append((state.due, item))
    due.sort(key=_first)  # stable: items due the same day stay in deck order
    queue: list[Item] = []
    shown = set(answered.siblings)
    review_budget = max(0, limits.reviews_per_day - answered.reviewed)
    for _, item in due:
        if review_budget == 0:
            break
        if item.sibling_key not in shown:
            queue.append(item)
            shown.add(item.sibling_key)
            review_budget -= 1
    new_budget = max(0, limits.new_per_day - answered.introduced)
    for item in new:
        if new_budget == 0:
            break
        if item.sibling_key not in shown:
            queue.append(item)
            shown.add(item.sibling_key)
            new_budget -= 1
    return queue


_first = itemgetter(0)


def practice_queue(items: Iterable[Item], states: ProgressStore, today: date) -> list[Item]:
    """Every item not suspended: due ones first, then the rest in deck order."""
    state_of = states.states().get
    due: list[Item] = []
    rest: list[Item] = []
    for item in items:
        state = state_of(item.key, NEW_STATE)
        if state.suspended:
            continue
        day = state.due
        is_due = not (state.is_new or state.is_buried(today)) and day is not None and day <= today
        (due if is_due else rest).append(item)
    return due + rest


def next_due(items: Iterable[Item], states: ProgressStore, after: date) -> tuple[date, int] | None:
    """The first day after `after` with reviews due, and how many are due that day."""
    days: dict[date, int] = {}
    state_of = states.states().get
    for item in items:
        state = state_of(item.key)
        if state is None or state.first is None or state.suspended or state.due is None:
            continue
        day = max(state.due, state.buried_until or state.due)
        if day > after:
            days[day] = days.get(day, 0) + 1
    if not days:
        return None
    first = min(days)
    return first, days[first]


def unseen(items: Iterable[Item], states: ProgressStore) -> int:
    """How many of the items were never answered."""
    state_of = states.states().get
    return sum(1 for item in items if state_of(item.key, NEW_STATE).first is None)


class Session:
    """One sitting of reviews over a set of items on one study day.

    Args:
        items: the items of the chosen decks, in deck order.
        store: where answers go (a FileStore, or a MemoryStore in tests).
        today: the study day.
        limits: daily limits for new items and reviews.
        practice: if True, nothing is scheduled or written: every item not suspended is shown.
        redrill_gap: how many items come between a failed item and its re-drill.
        scheduler: what an answer does to a card's schedule (SM-2 as published by default).
    """

    def __init__(
        self,
        items: Sequence[Item],
        store: ProgressStore,
        today: date,
        *,
        limits: Limits = Limits(),
        practice: bool = False,
        redrill_gap: int = 3,
        scheduler: Scheduler = SM2,
    ) -> None:
        self.store = store
        self.scheduler = scheduler
        self.today = today
        self.practice = practice
        self.redrill_gap = redrill_gap
        self._items = list(items)
        plan = scheduler.plan if isinstance(scheduler, WithExams) else None
        if plan is not None and not practice:
            self._items = exam_cards_first(plan, self._items, today)
        chosen = (
            practice_queue(self._items, store, today)
            if practice
            else build_queue(self._items, store, today, limits)
        )
        if plan is not None and not practice:
            chosen = weakest_first_in_last_week(plan, chosen, store.state, today, scheduler.recall)
        self._queue: list[_Slot] = [_Slot(item) for item in chosen]
        self._history: list[_Step] = []
        self._outcomes: list[Outcome] = []

    # --- what is shown ---

    @property
    def current(self) -> Item | None:
        """The item to show now, or None when the session is over."""
        return self._queue[0].item if self._queue else None

    @property
    def current_is_drill(self) -> bool:
        return bool(self._queue) and self._queue[0].drill

    @property
    def finished(self) -> bool:
        return not self._queue

    @property
    def done(self) -> int:
        """Answers given so far (re-drills included)."""
        return len(self._outcomes)

    @property
    def remaining(self) -> int:
        """Items still to answer, re-drills already queued included."""
        return len(self._queue)

    def state(self, item: Item | None = None) -> CardState:
        """The stored state of an item (the current one by default)."""
        target = item or self.current
        return self.store.state(target.key) if target else NEW_STATE

    def intervals(self, qualities: Sequence[int]) -> dict[int, int]:
        """Days until the current item would next be due, for each quality (0 = today again)."""
        item = self.current
        if item is None:
            return {}
        if self.practice or self.current_is_drill:
            return {q: 0 for q in qualities}
        state = self.state(item)
        return {q: self._scheduled(state, q, item.key).interval for q in qualities}

    # --- answering ---

    def suggest(self, score: Score, scheme: str, *, unsafe: bool = False) -> Grade:
        """The grade a scenario answer earns, offered to the student to accept or change.

        The score's fraction becomes an SM-2 quality (`scoring.quality`: all right 5, at
        least 80% 4, ...), at most `scoring.UNSAFE_CAP` (Again) when the answer chose an
        unsafe option, then the grade scheme's grade nearest to it (in Anki's four,
        qualities 0-2 are all Again).

        Args:
            score: the answer's score.
            scheme: the grade keys, "anki" or "supermemo" (settings can change them mid-session).
            unsafe: the answer picked an unsafe option, or ranked one first or second.
        """
        return grade_for_quality(scheme, capped_quality(score.fraction, unsafe))

    def answer(
        self,
        quality: int,
        *,
        time: str,
        elapsed_ms: int = 0,
        response: Response | None = None,
    ) -> Outcome:
        """Grade the current item with an SM-2 quality (0..5); saved before this returns.

        Args:
            quality: SM-2 quality 0..5.
            time: the wall-clock time to log (ISO 8601); core never reads the clock.
            elapsed_ms: time spent on the item, for the statistics.
            response: for a scenario question, what was answered and its score
                (`quiz.core.responses.scenario_response`); logged with the answer.

        Raises:
            ValueError: bad quality, or no current item.
            StoreError: the answer could not be saved; the session is unchanged.
        """
        if not self._queue:
            raise ValueError("the session has no item left to answer")
        if isinstance(quality, bool) or quality not in range(6):
            raise ValueError(f"SM-2 quality must be an integer from 0 to 5, not {quality!r}")
        slot = self._queue[0]
        item = slot.item
        before = self.state(item)
        after = before
        entry: LogEntry | None = None
        leech = False
        if not self.practice:
            if not slot.drill:
                after = self._scheduled(before, quality, item.key)
                leech = after.lapses > before.lapses and is_leech_lapse(after.lapses)
            entry = self.store.record(
                item.key,
                "drill" if slot.drill else "review",
                day=self.today,
                time=time,
                after=after,
                quality=quality,
                elapsed_ms=elapsed_ms,
                response=response,
            )
        redrill = quality < self.scheduler.redrill_below
        outcome = Outcome(item, quality, slot.drill, redrill, leech, after, max(0, elapsed_ms))
        self._history.append(_Step(tuple(self._queue), entry, outcome))
        self._queue.pop(0)
        if redrill:
            self._queue.insert(min(self.redrill_gap, len(self._queue)), _Slot(item, drill=True))
        self._outcomes.append(outcome)
        return outcome

    def _scheduled(self, before: CardState, quality: int, key: str | None = None) -> CardState:
        return answered(self.scheduler, before, quality, self.today, key)

    # --- other actions on the current item ---

    def bury(self, *, time: str) -> None:
        """Hide the current item (and its re-drills) until tomorrow."""
        self._set_aside("bury", time)

    def suspend(self, *, time: str, item: Item | None = None) -> None:
        """Take an item (the current one by default) out of all reviews until unsuspended.

        Passing the item suspends one answered a moment ago, such as a leech queued for its
        re-drill.
        """
        self._set_aside("suspend", time, item)

    def _set_aside(self, kind: str, time: str, item: Item | None = None) -> None:
        item = item or self.current
        if item is None:
            raise ValueError("the session has no current item")
        entry: LogEntry | None = None
        if not self.practice:
            before = self.state(item)
            if kind == "bury":
                after = before._replace(buried_until=bury_until(self.today))
                entry = self.store.record(item.key, "bury", day=self.today, time=time, after=after)
            else:
                after = before._replace(suspended=True)
                entry = self.store.record(
                    item.key, "suspend", day=self.today, time=time, after=after
                )
        self._history.append(_Step(tuple(self._queue), entry, None))
        self._queue = [slot for slot in self._queue if slot.item.key != item.key]

    # --- undo ---

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def undo(self, *, time: str) -> Item | None:
        """Take back the last answer, bury or suspension; returns the item shown again.

        The item's exact prior state is restored and its log entry cancelled.

        Raises:
            StoreError: the undo could not be saved; the session is unchanged.
        """
        if not self._history:
            return None
        step = self._history[-1]
        if step.entry is not None:
            self.store.cancel(step.entry, time=time)
        self._history.pop()
        self._queue = list(step.queue)
        if step.outcome is not None:
            self._outcomes.pop()
        return self.current

    # --- summary ---

    def summary(self) -> Summary:
        """Figures for the end-of-session screen."""
        outcomes = self._outcomes
        upcoming = next_due(self._items, self.store, self.today)
        return Summary(
            answers=len(outcomes),
            reviewed=len({o.item.key for o in outcomes}),
            correct=sum(1 for o in outcomes if o.quality >= PASS_QUALITY),
            redrilled=len({o.item.key for o in outcomes if o.redrill}),
            elapsed_ms=sum(o.elapsed_ms for o in outcomes),
            next_due=upcoming[0] if upcoming else None,
            next_due_count=upcoming[1] if upcoming else 0,
        )
