"""A student studying day after day with random grades, undo, bury and suspend, for tests of
what the schedulers and the log's replay make of it."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from quiz.core.model import Item
from quiz.core.progress import ProgressStore
from quiz.core.schedulers import Scheduler
from quiz.core.session import Limits, Session

START = date(2026, 1, 5)


def study(
    store: ProgressStore,
    items: Sequence[Item],
    scheduler: Scheduler,
    *,
    days: int,
    seed: int,
    start: date = START,
) -> date:
    """Study `items` for `days` days from `start`; returns the day after the last."""
    rng = random.Random(seed)
    day = start
    for _ in range(days):
        session = Session(items, store, day, limits=Limits(5, 50), scheduler=scheduler)
        while not session.finished:
            roll = rng.random()
            time = f"{day.isoformat()}T10:00:00+00:00"
            if roll < 0.03:
                session.bury(time=time)
            elif roll < 0.04:
                session.suspend(time=time)
            else:
                session.answer(rng.choice((0, 1, 2, 3, 3, 4, 4, 4, 4, 5)), time=time)
                if rng.random() < 0.05:
                    session.undo(time=time)
        day += timedelta(days=rng.choice((1, 1, 1, 2, 3)))
    return day
