"""Card states recomputed from the review log under a scheduler.

The log is the record of truth: what was answered (key, kind, day, quality), not any
scheduler's arithmetic. Replaying it under a scheduler gives the states that scheduler would
have made from the first answer on, so switching scheduler and switching back gives the same
states as never switching.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from quiz.core.card_state import NEW_STATE, CardState
from quiz.core.schedulers import Scheduler, answered, bury_until

PROGRESS_EVERY = 10_000
"""Entries between two calls of a replay's progress callback."""


def effective(docs: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The log's records that count, in order: undo records and the entries they cancel left
    out."""
    records = [doc for doc in docs if "id" in doc and "quiz_log" not in doc]
    cancelled = {doc.get("of") for doc in records if doc.get("kind") == "undo"}
    return [doc for doc in records if doc.get("kind") != "undo" and doc["id"] not in cancelled]


def replay(
    docs: Iterable[Mapping[str, Any]],
    scheduler: Scheduler,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, CardState]:
    """Every card's state after the log's effective entries, computed under `scheduler`.

    A review answer is scheduled by `scheduler`; a re-drill changes nothing; suspend,
    unsuspend and bury set their flag, as the session does. A line that cannot be read (a
    damaged one, which `quiz repair --check` names) is skipped, as the statistics skip it.

    Args:
        docs: the log's records (`entry_to_dict`'s and `undo_to_dict`'s dicts), in order.
        scheduler: the scheduler to compute every schedule with.
        progress: called with (entries done, entries in all) now and then, and at the end.
    """
    entries = effective(docs)
    states: dict[str, CardState] = {}
    state_of = states.get
    total = len(entries)
    days: dict[str, date] = {}
    # hot: a switch replays every answer of the log (a million for a student of some years)
    for done, doc in enumerate(entries, 1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
        try:
            key = doc["k"]
            kind = doc["kind"]
            day = days.get(doc["d"])
            if day is None:
                day = days[doc["d"]] = date.fromisoformat(doc["d"])
            state = state_of(key, NEW_STATE)
            if kind == "review":
                quality = doc["q"]
                if type(quality) is int and 0 <= quality <= 5:
                    states[key] = answered(scheduler, state, quality, day, key)
            elif kind == "suspend":
                states[key] = state._replace(suspended=True)
            elif kind == "unsuspend":
                states[key] = state._replace(suspended=False)
            elif kind == "bury":
                states[key] = state._replace(buried_until=bury_until(day))
            elif kind == "drill":
                states.setdefault(key, state)
        except (KeyError, TypeError, ValueError):
            continue
    if progress is not None:
        progress(total, total)
    return states
