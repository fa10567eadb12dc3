"""How well a scheduler's predictions of recall fit a student's own history.

Each review answered on a later day than the card's previous one is a test: the scheduler, having
seen the answers before it (replayed from the log), predicts the chance of recall that day, and
the answer says whether the card was recalled (graded 3 or more). Two figures, as srs-benchmark
defines them: the log loss (mean binary cross-entropy), and the RMSE over bins (predictions and
outcomes averaged in bins of the days elapsed, the review's number and the lapses before it, each
on srs-benchmark's logarithmic scale; the bins weighted by their reviews).

SM-2 predicts no recall: as srs-benchmark reads it, an interval is the day recall falls to 90%,
so the recall after t days of an interval of I days is 0.9 ** (t / I).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from quiz.core.card_state import NEW_STATE, CardState
from quiz.core.replay import effective
from quiz.core.schedulers import PASS_QUALITY, Scheduler, answered

EPSILON = 1e-7
"""Predictions are held within [EPSILON, 1 - EPSILON] so the log loss stays finite."""


@dataclass(frozen=True, slots=True)
class Test:
    """One review the scheduler predicted."""

    elapsed: int
    """Days since the card's previous review."""
    number: int
    """The review's number in the card's history (2 for the first predicted)."""
    lapses: int
    """Reviews graded below 3 before it, the card's first answer left out."""
    recalled: bool
    predicted: float


@dataclass(frozen=True, slots=True)
class Fit:
    log_loss: float
    rmse_bins: float
    reviews: int


def reviews(docs: Iterable[Mapping[str, Any]]) -> list[tuple[str, date, int]]:
    """The log's effective review answers, (key, day, quality), in order."""
    found: list[tuple[str, date, int]] = []
    for doc in effective(docs):
        quality = doc.get("q")
        if doc.get("kind") != "review" or type(quality) is not int or quality not in range(6):
            continue
        try:
            found.append((str(doc["k"]), date.fromisoformat(doc["d"]), quality))
        except (KeyError, TypeError, ValueError):
            continue
    return found


def tests(answers: Iterable[tuple[str, date, int]], scheduler: Scheduler) -> list[Test]:
    """Every review predicted, the scheduler's states replayed answer by answer."""
    states: dict[str, CardState] = {}
    counts: dict[str, tuple[int, int]] = {}
    made: list[Test] = []
    for key, day, quality in answers:
        state = states.get(key, NEW_STATE)
        number, lapses = counts.get(key, (0, 0))
        if state.last is not None and day > state.last:
            elapsed = (day - state.last).days
            predicted = scheduler.recall(state, day)
            if predicted is None:
                predicted = 0.9 ** (elapsed / max(1, state.interval))
            made.append(Test(elapsed, number + 1, lapses, quality >= PASS_QUALITY, predicted))
        lapsed = number > 0 and quality < PASS_QUALITY
        counts[key] = (number + 1, lapses + lapsed)
        states[key] = answered(scheduler, state, quality, day)
    return made


def _bin(value: float, scale: float, base: float, digits: int) -> float:
    return round(scale * base ** math.floor(math.log(value) / math.log(base)), digits)


def fit(made: Iterable[Test]) -> Fit | None:
    """The log loss and RMSE (bins) of the predictions; None when there are none."""
    total = 0.0
    count = 0
    bins: dict[tuple[float, float, float], list[float]] = {}
    for test in made:
        p = min(max(test.predicted, EPSILON), 1 - EPSILON)
        y = 1.0 if test.recalled else 0.0
        total -= y * math.log(p) + (1 - y) * math.log(1 - p)
        count += 1
        where = (
            _bin(test.elapsed, 2.48, 3.62, 2),
            _bin(test.number, 1.99, 1.89, 0),
            _bin(test.lapses, 1.65, 1.73, 0) if test.lapses else 0.0,
        )
        tally = bins.setdefault(where, [0.0, 0.0, 0.0])
        tally[0] += y
        tally[1] += test.predicted
        tally[2] += 1
    if count == 0:
        return None
    squares = sum(n * (ys / n - ps / n) ** 2 for ys, ps, n in bins.values())
    return Fit(total / count, math.sqrt(squares / count), count)
