"""The chosen scheduler, and what switching to another would change for this collection.

`scheduler_for` builds the scheduler the settings name (FSRS with the parameters fitted to the
student's log where `quiz optimize` has saved them); `compare` replays the student's own log
under the current and the chosen scheduler and sets the figures side by side: cards due today,
reviews over the next 30 days, and (for FSRS) the predicted recall today.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from quiz.core.card_state import CardState
from quiz.core.progress import ProgressStore
from quiz.core.replay import replay
from quiz.core.schedulers import SM2, SM2_REVISED, Scheduler, WithExams, base_of
from quiz.core.sm2 import add_days
from quiz.storage import clock, fsrs_parameters
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


class Chooser:
    """What the settings screen needs to change the scheduler: the figures before switching,
    the switch itself (every state recomputed from the log) and fitting FSRS to the log.

    Args:
        store: the open progress store.
        current: the scheduler its states are computed under.
        data_dir: the progress folder (for the fitted parameters).
        today: the study day.
    """

    def __init__(
        self, store: ProgressStore, current: Scheduler, data_dir: Path, today: date
    ) -> None:
        self.store = store
        self.current = current
        self.data_dir = data_dir
        self.today = today

    def scheduler(self, settings: Settings) -> Scheduler:
        """The chosen scheduler, under the exam rules the current one has."""
        chosen = scheduler_for(settings, self.data_dir)[0]
        current = self.current
        return WithExams(chosen, current.plan) if isinstance(current, WithExams) else chosen

    def changes(self, settings: Settings) -> bool:
        """The settings choose another scheduler, or FSRS with other settings."""
        return self.scheduler(settings).identity != self.current.identity

    def outlook_lines(self, settings: Settings) -> list[str]:
        """The current and the chosen scheduler's figures, side by side, as lines of text."""
        chosen = self.scheduler(settings)
        mine, theirs = compare(self.store.records(), self.current, chosen, self.today)
        width = max(len(label(self.current)), len(label(chosen)), len("scheduler"))
        rows = [
            f"{'scheduler':<{width}}  due today  reviews, 30 days  predicted recall",
            *(
                f"{label(s):<{width}}  {o.due_today:>9}  {o.reviews_30_days:>16}"
                f"  {'-' if o.recall is None else f'{o.recall:.0%}':>16}"
                for s, o in ((self.current, mine), (chosen, theirs))
            ),
        ]
        return rows

    def switch(self, settings: Settings, progress: Callable[[int, int], None]) -> int:
        """Recompute every state from the log under the chosen scheduler and checkpoint them;
        returns how many cards have a state.

        Raises:
            StoreError: the checkpoint could not be written (the states are recomputed
            again at the next start).
        """
        chosen = self.scheduler(settings)
        cards = self.store.reschedule(chosen, progress)
        self.current = chosen
        self.store.checkpoint()
        return cards

    def optimise(self, settings: Settings, progress: Callable[[str], None]) -> list[str]:
        """Fit FSRS-6 to the log and save the parameters; the report's lines.

        Raises:
            TooFew, NoOptimiser: as `quiz.services.optimize.optimise`.
            OSError: the parameters could not be saved.
        """
        from quiz.services import optimize

        report = optimize.optimise(
            self.store.records(),
            now=clock.now().isoformat(timespec="seconds"),
            retention=settings.desired_retention,
            progress=progress,
        )
        path = optimize.save(self.data_dir, report.fitted)
        return [*optimize.lines(report), f"Saved in {path}."]


def label(scheduler: Scheduler) -> str:
    """A scheduler as the figures name it: FSRS with its desired retention."""
    retention = getattr(base_of(scheduler), "desired_retention", None)
    return scheduler.name if retention is None else f"{scheduler.name} {retention:.2f}"
