"""B1/B2: quiz answering cards durably, through the same path as the app (`Session.answer`).

Each timed step is what happens between two key presses in a review: the wall-clock time is
read, the current item is graded (its log line appended and fdatasync'd before `answer`
returns; re-drills queued), and the next item is taken. Checkpoints happen on their own every
`CHECKPOINT_EVERY` answers inside that path, as they would for a student, and are timed with it.

The contenders answer in turns, one answer each per round, in one process: a burst of disk
latency from other work on the machine then falls on all of them alike.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from bench.peers import QUALITY_OF_RATING, ratings
from bench.synth import TODAY
from quiz.core.model import Item
from quiz.core.schedulers import SM2, SM2_REVISED, Scheduler
from quiz.core.session import Limits, Session
from quiz.storage import clock
from quiz.storage.store import FileStore


class Answerer(Protocol):
    name: str
    info: dict[str, Any]

    def step(self, rating: int) -> None: ...

    def close(self) -> None: ...


def bench_scheduler() -> Scheduler:
    """The scheduler the answers are timed under: `QUIZ_BENCH_SCHEDULER` (sm2, sm2-revised or
    fsrs; sm2 when unset). A folder checkpointed under another is recomputed when it opens,
    which `open_s` counts and the answer times do not."""
    name = os.environ.get("QUIZ_BENCH_SCHEDULER", "sm2")
    if name == "fsrs":
        from quiz.services.fsrs_scheduler import Fsrs

        return Fsrs()
    return SM2_REVISED if name == "sm2-revised" else SM2


class QuizAnswerer:
    """A study session over every item, on a progress folder."""

    def __init__(self, name: str, data: Path, items: Sequence[Item]) -> None:
        self.name = name
        scheduler = bench_scheduler()
        started = time.perf_counter()
        self.store = FileStore.open(data, scheduler=scheduler)
        opened = time.perf_counter()
        limits = Limits(new_per_day=20, reviews_per_day=9999)
        self.session = Session(items, self.store, TODAY, limits=limits, scheduler=scheduler)
        self.info: dict[str, Any] = {
            "open_s": opened - started,
            "session_s": time.perf_counter() - opened,
            "queued": self.session.remaining,
        }

    def step(self, rating: int) -> None:
        if self.session.current is None:
            raise RuntimeError(f"{self.name}: the session ran out of cards")
        self.session.answer(QUALITY_OF_RATING[rating], time=clock.timestamp(), elapsed_ms=5000)
        _shown_next = self.session.current

    def close(self) -> None:
        self.store.close()


def answer_in_turns(answerers: Sequence[Answerer], count: int) -> dict[str, list[int]]:
    """Each answerer answers `count` cards, one per round, the order turning each round.

    Returns the time of each answer in nanoseconds, by answerer name.
    """
    times: dict[str, list[int]] = {a.name: [] for a in answerers}
    for number, rating in enumerate(ratings(count)):
        turn = number % len(answerers)
        for answerer in (*answerers[turn:], *answerers[:turn]):
            start = time.perf_counter_ns()
            answerer.step(rating)
            times[answerer.name].append(time.perf_counter_ns() - start)
    return times
