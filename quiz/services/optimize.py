"""FSRS-6 parameters fitted to the student's own log (`quiz optimize`, and the settings' button).

The fitting is fsrs-rs-python's (the optimiser Anki uses); how well each scheduler predicts the
student's history, before and after, is `quiz.core.recall_fit`'s, the same for every scheduler.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from quiz.core.recall_fit import Fit, fit, reviews, tests
from quiz.core.schedulers import SM2, SM2_REVISED, Scheduler
from quiz.storage import fsrs_parameters
from quiz.storage.fsrs_parameters import Fitted

MIN_REVIEWS = 400
"""Fewer review answers than this (on a later day than the card's previous one) are too few
to fit 21 parameters; Anki asks for the same."""
RATING = (1, 1, 1, 2, 3, 4)
"""FSRS's rating (Again 1 .. Easy 4) for each SM-2 quality 0..5."""


class TooFew(Exception):
    """Too few reviews to fit: the message gives the count and the minimum."""


class NoOptimiser(Exception):
    """The optimiser is not installed here: the message says how to get it."""


@dataclass(frozen=True, slots=True)
class Report:
    """What fitting found: each scheduler's fit to the history, FSRS's before and after."""

    reviews: int
    cards: int
    fits: dict[str, Fit]
    """By label: "sm2", "sm2-revised", "fsrs (default)", "fsrs (fitted)"."""
    fitted: Fitted
    seconds: float


def optimise(
    log: Iterable[Mapping[str, Any]],
    *,
    now: str,
    retention: float = 0.9,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Fit FSRS-6 to the log's review answers and measure every scheduler on them.

    Args:
        log: the review log's records.
        now: the time to note as when the parameters were fitted (ISO 8601).
        retention: the desired retention FSRS is measured at (it does not change predictions).
        progress: told what is being done, now and then (a line of text).

    Raises:
        TooFew: below `MIN_REVIEWS` reviews.
        NoOptimiser: fsrs-rs-python is missing.
    """
    tell = progress or (lambda _line: None)
    answers = reviews(log)
    histories: dict[str, list[tuple[date, int]]] = {}
    for key, day, quality in answers:
        histories.setdefault(key, []).append((day, quality))
    usable = sum(
        1
        for history in histories.values()
        for before, after in pairwise(history)
        if after[0] > before[0]
    )
    if usable < MIN_REVIEWS:
        raise TooFew(
            f"{usable} review{'' if usable == 1 else 's'} on a later day than the card's"
            f" previous one; fitting FSRS needs at least {MIN_REVIEWS}"
        )
    try:
        import fsrs_rs_python as optimiser
    except ImportError:
        raise NoOptimiser(
            "the FSRS optimiser (fsrs-rs-python) is not installed here; install it with"
            " `pip install fsrs-rs-python` (wheels for Linux, macOS and Windows)"
        ) from None
    from quiz.services.fsrs_scheduler import Fsrs

    tell(f"building {usable} reviews of {len(histories)} cards")
    items = []
    for history in histories.values():
        made: list[Any] = []
        last: date | None = None
        for day, quality in history:
            if last is not None and day == last:
                continue  # same-day answers are never scheduled here
            made.append(optimiser.FSRSReview(RATING[quality], (day - last).days if last else 0))
            last = day
            if len(made) > 1:
                items.append(optimiser.FSRSItem(list(made)))
    started = time.perf_counter()
    result: list[list[float]] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            model = optimiser.FSRS(optimiser.DEFAULT_PARAMETERS)
            result.append(list(model.compute_parameters(items)))
        except Exception as exc:
            failure.append(exc)

    worker = threading.Thread(target=run, name="quiz-optimise", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(1.0)
        tell(f"fitting FSRS-6 to {usable} reviews: {time.perf_counter() - started:.0f} s")
    if failure:
        raise failure[0]
    parameters = tuple(result[0])
    seconds = time.perf_counter() - started
    tell("measuring each scheduler on the history")
    default = Fsrs(desired_retention=retention)
    try:
        fitted_scheduler = Fsrs(parameters, desired_retention=retention)
    except ValueError:
        fitted_scheduler = default  # out of the package's bounds: measured as the default
    measured: dict[str, Scheduler] = {
        "sm2": SM2,
        "sm2-revised": SM2_REVISED,
        "fsrs (default)": default,
        "fsrs (fitted)": fitted_scheduler,
    }
    fits = {}
    for label, scheduler in measured.items():
        found = fit(tests(answers, scheduler))
        if found is not None:
            fits[label] = found
    after = fits["fsrs (fitted)"]
    fitted = Fitted(parameters, usable, now, after.log_loss, after.rmse_bins)
    return Report(usable, len(histories), fits, fitted, seconds)


def save(data_dir: Path, fitted: Fitted) -> Path:
    """Write `fsrs-parameters.json` atomically.

    Raises:
        OSError: it could not be written (an older file is intact).
    """
    return fsrs_parameters.save(data_dir, fitted)


def lines(report: Report) -> list[str]:
    """The report as the command prints it (and the settings screen shows it)."""
    out = [
        f"Fitted FSRS-6 to {report.reviews} reviews of {report.cards} cards"
        f" in {report.seconds:.1f} s.",
        "How well each scheduler predicts your own history (lower is better):",
        f"  {'scheduler':<16}{'log loss':>10}{'RMSE (bins)':>13}",
    ]
    for label, found in report.fits.items():
        out.append(f"  {label:<16}{found.log_loss:>10.4f}{found.rmse_bins:>13.4f}")
    out.append(
        "SM-2's figures read each interval as the day recall falls to 90%; they do not change"
        " with fitting."
    )
    return out
