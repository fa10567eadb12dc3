"""FSRS-6 as the `fsrs` package computes it, behind core's `Scheduler` protocol.

quiz schedules in whole study days, so the package's scheduler runs without learning or
relearning steps (a card goes straight to its first interval in days), each answer is dated
at midnight UTC of its study day, and a same-day re-drill is the session's, as under SM-2:
logged, never scheduled. Qualities map to FSRS's four ratings as Anki's keys do: 0-2 Again,
3 Hard, 4 Good, 5 Easy.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import (
    DEFAULT_PARAMETERS,
    FUZZ_RANGES,
    MAX_DIFFICULTY,
    MIN_DIFFICULTY,
    STABILITY_MIN,
)

from quiz.core.card_state import CardState, with_schedule
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
        self._retention_term = (desired_retention ** (1 / self._decay)) - 1
        self._easy_difficulty = self._initial_difficulty(4, clamp=False)
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
        stability, difficulty, interval = self.step(
            state.stability,
            state.difficulty,
            (today - state.last).days if state.last is not None else 0,
            int(rating(quality)),
        )
        if self.fuzz:
            interval = self._fuzzed(interval, stability, today)
        repetitions = 0 if quality < PASS_QUALITY else state.repetitions + 1
        return with_schedule(
            state, repetitions, interval, add_days(today, interval), stability, difficulty
        )

    def step(
        self, stability: float | None, difficulty: float | None, elapsed: int, grade: int
    ) -> tuple[float, float, int]:
        """The package's `Scheduler.review_card` without learning steps, on plain numbers:
        the new stability, difficulty and interval (days) after a review `elapsed` days
        after the last, rated `grade` (1 Again .. 4 Easy).

        The same expressions as the package's, in the same order, so the same floats (the
        differential tests compare them on thousands of histories); a replay of a long log
        then costs a few microseconds an answer, not the package's objects and dates.
        """
        w = self.parameters
        if stability is None or difficulty is None:
            new_stability = max(w[grade - 1], STABILITY_MIN)
            new_difficulty = self._initial_difficulty(grade)
        else:
            if elapsed < 1:
                growth = (math.e ** (w[17] * (grade - 3 + w[18]))) * (stability ** -w[19])
                if grade > 1:
                    growth = max(growth, 1.0)
                new_stability = stability * growth
            else:
                recall = (1 + self._factor * elapsed / stability) ** self._decay
                if grade == 1:
                    new_stability = min(
                        w[11]
                        * (difficulty ** -w[12])
                        * (((stability + 1) ** (w[13])) - 1)
                        * (math.e ** ((1 - recall) * w[14])),
                        stability / (math.e ** (w[17] * w[18])),
                    )
                else:
                    hard_penalty = w[15] if grade == 2 else 1
                    easy_bonus = w[16] if grade == 4 else 1
                    new_stability = stability * (
                        1
                        + (math.e ** (w[8]))
                        * (11 - difficulty)
                        * (stability ** -w[9])
                        * ((math.e ** ((1 - recall) * w[10])) - 1)
                        * hard_penalty
                        * easy_bonus
                    )
            new_stability = max(new_stability, STABILITY_MIN)
            delta = -(w[6] * (grade - 3))
            damped = difficulty + (10.0 - difficulty) * delta / 9.0
            reverted = w[7] * self._easy_difficulty + (1 - w[7]) * damped
            new_difficulty = min(max(reverted, MIN_DIFFICULTY), MAX_DIFFICULTY)
        days = (new_stability / self._factor) * self._retention_term
        interval = min(max(round(days), 1), self.maximum_interval)
        return new_stability, new_difficulty, interval

    def _initial_difficulty(self, grade: int, *, clamp: bool = True) -> float:
        w = self.parameters
        difficulty: float = w[4] - (math.e ** (w[5] * (grade - 1))) + 1
        return min(max(difficulty, MIN_DIFFICULTY), MAX_DIFFICULTY) if clamp else difficulty

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
