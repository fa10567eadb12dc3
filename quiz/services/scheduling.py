"""The chosen scheduler, and what switching to another would change for this collection.

`scheduler_for` builds the scheduler the settings name (FSRS with the parameters fitted to the
student's log where `quiz optimize` has saved them); `compare` replays the student's own log
under the current and the chosen scheduler and sets the figures side by side: cards due today,
reviews over the next 30 days, and (for FSRS) the predicted recall today.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from quiz.core.card_state import CardState
from quiz.core.replay import replay
from quiz.core.schedulers import SM2, SM2_REVISED, Scheduler
from quiz.core.sm2 import add_days
from quiz.storage import fsrs_parameters
from quiz.storage.settings import Settings

HORIZON_DAYS = 30
"""How far ahead the comparison counts reviews."""


def scheduler_for(settings: Settings, data_dir: Path) -> tuple[Scheduler, list[str]]:
    """The scheduler the settings choose, and a line for each problem met on the way (a
    parameters file that could not be used: FSRS's defaults are used instead)."""
    if settings.scheduler == "sm2":
        return SM2, []
    if settings.scheduler == "sm2-revised":
        return SM2_REVISED, []
    from quiz.services.fsrs_scheduler import Fsrs  # the fsrs package only when chosen

    fitted, problem = fsrs_parameters.load(data_dir)
    notices = [problem] if problem else []
    options: dict[str, Any] = {
        "desired_retention": settings.desired_retention,
        "maximum_interval": settings.maximum_interval,
        "fuzz": settings.fuzz,
    }
    if fitted is not None:
        try:
            return Fsrs(fitted.parameters, **options), notices
        except ValueError as exc:
            notices.append(
                f"{fsrs_parameters.parameters_path(data_dir)}: not usable"
                f" ({str(exc).splitlines()[0]}); using FSRS's default parameters"
            )
    return Fsrs(**options), notices


@dataclass(frozen=True, slots=True)
class Outlook:
    """What a scheduler makes of the collection: the figures shown before switching."""

    name: str
    due_today: int
    reviews_30_days: int
    """Reviews due in the next 30 days, today's included, each card counted once per time it
    would come due if every review were answered Good."""
    recall: float | None
    """The mean predicted recall today of the cards seen (FSRS only)."""


def outlook(
    states: Mapping[str, CardState], scheduler: Scheduler, today: date, keys: Iterable[str]
) -> Outlook:
    """The figures for `states` (of the cards `keys` names) under `scheduler`."""
    due_today = reviews = 0
    recalls: list[float] = []
    end = add_days(today, HORIZON_DAYS)
    for key in keys:
        state = states.get(key)
        if state is None or state.first is None or state.suspended or state.due is None:
            continue
        if state.due <= today:
            due_today += 1
        recall = scheduler.recall(state, today)
        if recall is not None:
            recalls.append(recall)
        day = max(state.due, today)
        seen = 0
        while day < end and seen < HORIZON_DAYS:
            reviews += 1
            seen += 1
            state = scheduler.schedule(state, 4, day)
            day = state.due or end
    mean = sum(recalls) / len(recalls) if recalls else None
    return Outlook(scheduler.name, due_today, reviews, mean)


def compare(
    log: Iterable[Mapping[str, Any]],
    current: Scheduler,
    chosen: Scheduler,
    today: date,
) -> tuple[Outlook, Outlook]:
    """The current and the chosen scheduler's figures, each from the whole log replayed."""
    docs = list(log)
    mine = replay(docs, current)
    theirs = replay(docs, chosen)
    keys = set(mine) | set(theirs)
    return outlook(mine, current, today, keys), outlook(theirs, chosen, today, keys)
