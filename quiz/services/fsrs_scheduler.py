"""FSRS-6 as the `fsrs` package computes it, behind core's `Scheduler` protocol.

quiz schedules in whole study days, so the package's scheduler runs without learning or
relearning steps (a card goes straight to its first interval in days), each answer is dated
at midnight UTC of its study day, and a same-day re-drill is the session's, as under SM-2:
logged, never scheduled. Qualities map to FSRS's four ratings as Anki's keys do: 0-2 Again,
3 Hard, 4 Good, 5 Easy.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES

from quiz.core.card_state import CardState
from quiz.core.schedulers import PASS_QUALITY
from quiz.core.sm2 import add_days

__all__ = ["DEFAULT_PARAMETERS", "Fsrs", "rating"]

_RATINGS = (Rating.Again, Rating.Again, Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)


def rating(quality: int) -> Rating:
    """FSRS's rating for an SM-2 quality 0..5."""
    return _RATINGS[quality]


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


class Fsrs:
    """FSRS-6: stability and difficulty per card, intervals for a desired retention.

    Args:
        parameters: FSRS-6's 21 parameters (the package's defaults, or fitted to the log).
        desired_retention: the chance of recall when a card comes due (0.70-0.97).
        maximum_interval: the longest interval, in days.
        fuzz: spread intervals of 3 days or more a little, by FSRS's ranges; the spread is
            drawn from the card's own state and day, so replaying the log gives it again.
    """

    name = "fsrs"
    redrill_below = PASS_QUALITY

    def __init__(
        self,
        parameters: Sequence[float] = DEFAULT_PARAMETERS,
        desired_retention: float = 0.9,
        maximum_interval: int = 36500,
        *,
        fuzz: bool = False,
    ) -> None:
        self.parameters = tuple(float(p) for p in parameters)
        self.desired_retention = desired_retention
        self.maximum_interval = maximum_interval
        self.fuzz = fuzz
        self.package = Scheduler(
            self.parameters,
            desired_retention=desired_retention,
            learning_steps=(),
            relearning_steps=(),
            maximum_interval=maximum_interval,
            enable_fuzzing=False,
        )
        self._decay = -self.parameters[20]
        self._factor = 0.9 ** (1 / self._decay) - 1
        digest = hashlib.sha256(repr(self.parameters).encode()).hexdigest()[:16]
        self.identity = (
            f"fsrs retention={desired_retention:.2f} maximum={maximum_interval}"
            f" fuzz={'on' if fuzz else 'off'} parameters={digest}"
        )

    def card(self, state: CardState, today: date) -> Card:
        """The package's card for a state (card_id given: the package sleeps to make one)."""
        if state.stability is None or state.difficulty is None:
            return Card(card_id=1, state=State.Learning, step=0, due=midnight(today))
        return Card(
            card_id=1,
            state=State.Review,
            step=None,
            stability=state.stability,
            difficulty=state.difficulty,
            due=midnight(state.due or today),
            last_review=midnight(state.last or today),
        )

    def schedule(self, state: CardState, quality: int, today: date) -> CardState:
        before = self.card(state, today)
        card, _ = self.package.review_card(before, rating(quality), midnight(today))
        assert card.stability is not None and card.difficulty is not None
        interval = (card.due.date() - today).days
        if self.fuzz:
            interval = self._fuzzed(interval, card.stability, today)
        return state._replace(
            repetitions=0 if quality < PASS_QUALITY else state.repetitions + 1,
            interval=interval,
            due=add_days(today, interval),
            stability=card.stability,
            difficulty=card.difficulty,
        )

    def recall(self, state: CardState, today: date) -> float | None:
        if state.stability is None or state.last is None:
            return None
        elapsed = max(0, (today - state.last).days)
        recall: float = (1 + self._factor * elapsed / state.stability) ** self._decay
        return recall

    def _fuzzed(self, interval: int, stability: float, today: date) -> int:
        """FSRS's fuzz (its ranges), drawn from the card's stability and the day, not a
        global random source: the same history always gets the same intervals."""
        if interval < 3:
            return interval
        delta = 1.0
        for low, high, factor in ((r["start"], r["end"], r["factor"]) for r in FUZZ_RANGES):
            delta += factor * max(min(interval, high) - low, 0.0)
        least = max(2, round(interval - delta))
        most = min(round(interval + delta), self.maximum_interval)
        least = min(least, most)
        draw = random.Random(f"{stability!r} {today.toordinal()}")
        return draw.randint(least, most)
