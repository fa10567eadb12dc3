"""Progress: card states, the review log's entries, and the store interface with an in-memory twin.

The review log is the record of truth: every answer, suspension and bury is an entry, and a
card's state is what the last effective entry for its key left behind. Undo appends an entry
that cancels an earlier one; readers of the log skip cancelled entries.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, Self

from quiz.core.card_state import (
    NEW_STATE,
    CardState,
    is_leech_lapse,
    state_from_dict,
    state_to_dict,
    states_from_saved,
)
from quiz.core.replay import replay

if TYPE_CHECKING:
    from quiz.core.fold import LogTally
    from quiz.core.schedulers import Scheduler

EntryKind = Literal["review", "drill", "suspend", "unsuspend", "bury"]
ENTRY_KINDS: frozenset[str] = frozenset({"review", "drill", "suspend", "unsuspend", "bury"})

__all__ = [
    "ENTRY_KINDS",
    "NEW_STATE",
    "CardState",
    "EntryKind",
    "LogEntry",
    "MemoryStore",
    "ProgressStore",
    "Response",
    "StoreError",
    "entry_from_dict",
    "entry_to_dict",
    "is_leech_lapse",
    "state_from_dict",
    "state_to_dict",
    "undo_to_dict",
]


@dataclass(frozen=True, slots=True)
class Response:
    """What a student answered to a scenario question, and its score (the log's `"r"`).

    Options are named by `Card.option_name`: their `id`, else `#` and their place in the file;
    `digest` (`Card.digest`) says which version of the question they were answered against.
    """

    digest: str
    options: tuple[str, ...]
    """A rank: the options in the order the student placed them. A choice: those picked, in
    file order."""
    points: int
    maximum: int
    unsafe: tuple[str, ...] = ()
    """The unsafe options the answer picked (a choice) or ranked first or second (a rank),
    named as in `options`: the grade was capped at Again for them. Empty in older entries."""


def response_to_dict(response: Response) -> dict[str, Any]:
    """A response as the log's `"r"` object: `{"v", "o", "p", "m"}`, and `"u"` (the unsafe
    options chosen) when there are any."""
    doc: dict[str, Any] = {
        "v": response.digest,
        "o": list(response.options),
        "p": response.points,
        "m": response.maximum,
    }
    if response.unsafe:
        doc["u"] = list(response.unsafe)
    return doc


def response_from_dict(doc: Mapping[str, Any]) -> Response:
    """Rebuild a Response from `response_to_dict`'s output.

    Raises:
        ValueError, KeyError, TypeError: if the dict is not such output.
    """
    options = doc["o"]
    if not isinstance(options, list):
        raise TypeError("a response's options are a list")
    unsafe = doc.get("u", [])
    if not isinstance(unsafe, list):
        raise TypeError("a response's unsafe options are a list")
    return Response(
        str(doc["v"]),
        tuple(str(o) for o in options),
        int(doc["p"]),
        int(doc["m"]),
        tuple(str(o) for o in unsafe),
    )


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One effective record of the review log."""

    id: int
    key: str
    kind: EntryKind
    day: date
    """The study day it was made on (the day starts at 04:00; see quiz.storage.clock)."""
    time: str
    """Wall-clock time, ISO 8601 with offset."""
    before: CardState
    after: CardState
    quality: int | None = None
    elapsed_ms: int = 0
    response: Response | None = None
    """A scenario answer's response and score; None for flashcards and older entries."""


def entry_to_dict(entry: LogEntry) -> dict[str, Any]:
    """A log entry as one JSON object (one line of the log)."""
    doc: dict[str, Any] = {
        "id": entry.id,
        "k": entry.key,
        "kind": entry.kind,
        "d": entry.day.isoformat(),
        "t": entry.time,
        "b": state_to_dict(entry.before),
        "a": state_to_dict(entry.after),
    }
    if entry.quality is not None:
        doc["q"] = entry.quality
    if entry.elapsed_ms:
        doc["ms"] = entry.elapsed_ms
    if entry.response is not None:
        doc["r"] = response_to_dict(entry.response)
    return doc


def entry_from_dict(doc: Mapping[str, Any]) -> LogEntry:
    """Rebuild a LogEntry from `entry_to_dict`'s output."""
    kind = doc["kind"]
    if kind not in ENTRY_KINDS:
        raise ValueError(f"unknown log entry kind {kind!r}")
    quality = doc.get("q")
    response = doc.get("r")
    return LogEntry(
        id=int(doc["id"]),
        key=str(doc["k"]),
        kind=kind,
        day=date.fromisoformat(doc["d"]),
        time=str(doc["t"]),
        before=state_from_dict(doc["b"]),
        after=state_from_dict(doc["a"]),
        quality=int(quality) if quality is not None else None,
        elapsed_ms=int(doc.get("ms", 0)),
        response=response_from_dict(response) if response is not None else None,
    )


def undo_to_dict(entry_id: int, cancelled: LogEntry, time: str) -> dict[str, Any]:
    """The log line that cancels `cancelled`: it carries the state to restore."""
    return {
        "id": entry_id,
        "kind": "undo",
        "of": cancelled.id,
        "k": cancelled.key,
        "t": time,
        "a": state_to_dict(cancelled.before),
    }


# --- the store interface ---


class StoreError(Exception):
    """Progress could not be read or saved; the message says which file and why."""


class ProgressStore(ABC):
    """Card states kept up to date from an append-only review log.

    Subclasses provide `_append` (durable before it returns) and `_read_log`; the states
    themselves live in memory here, so reading a state never touches the disk.
    """

    def __init__(self) -> None:
        self._states: dict[str, CardState] = {}
        """Every item's state but those never seen, by progress key."""
        self._next_id = 1
        self.notices: list[str] = []
        """What the store did by itself that the user should hear of, one line each (a
        damaged checkpoint rebuilt from the log when it opened)."""

    def state(self, key: str) -> CardState:
        """The item's state (`NEW_STATE` for an item never seen)."""
        return self._states.get(key, NEW_STATE)

    def states(self) -> Mapping[str, CardState]:
        """Every known item's state, by progress key (read-only: only `record` and `cancel`
        change a state). An item never seen is not in it."""
        return self._states

    def load_states(self, docs: Mapping[str, Any]) -> None:
        """Take saved states (`state_to_dict`'s dicts by key, a checkpoint's) as the states of
        every item, read and checked at once (`states_from_saved`).

        Raises:
            ValueError, KeyError, TypeError: if a dict is not `state_to_dict`'s output.
        """
        self._states = states_from_saved(docs)

    def record(
        self,
        key: str,
        kind: EntryKind,
        *,
        day: date,
        time: str,
        after: CardState,
        quality: int | None = None,
        elapsed_ms: int = 0,
        response: Response | None = None,
    ) -> LogEntry:
        """Log an entry durably, then make `after` the item's state.

        `response` is what a scenario answer was (its options and score), for item analysis.

        Raises:
            StoreError: if it could not be saved; the state is then unchanged.
        """
        entry = LogEntry(
            self._next_id,
            key,
            kind,
            day,
            time,
            self.state(key),
            after,
            quality,
            elapsed_ms,
            response,
        )
        self._append(entry_to_dict(entry))
        self._next_id += 1
        self._states[key] = after
        self._written()
        return entry

    def cancel(self, entry: LogEntry, *, time: str) -> None:
        """Undo `entry` (the item's latest effective entry): restore its state before it.

        Raises:
            StoreError: if the cancellation could not be saved; nothing changes then.
        """
        self._append(undo_to_dict(self._next_id, entry, time))
        self._next_id += 1
        self._states[entry.key] = entry.before
        self._written()

    def records(self) -> Iterator[dict[str, Any]]:
        """Every record of the log as it is saved, undo records included, in order (what a
        replay under a scheduler reads: `quiz.core.replay`)."""
        return self._read_log()

    def answers(self) -> Iterator[dict[str, Any]]:
        """The log's records as a replay under a scheduler reads them: `records`, of which a
        store may leave out the states before and after (a replay recomputes them)."""
        return self.records()

    def entries(self) -> Iterator[LogEntry]:
        """Every effective entry in log order (cancelled ones and undo records left out)."""
        docs = list(self._read_log())
        cancelled = {doc["of"] for doc in docs if doc.get("kind") == "undo"}
        for doc in docs:
            if doc.get("kind") != "undo" and doc["id"] not in cancelled:
                try:
                    entry = entry_from_dict(doc)
                except (ValueError, TypeError, KeyError, AttributeError):
                    continue  # a damaged line: `quiz repair --check` names it
                yield entry

    def reschedule(
        self, scheduler: Scheduler, progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Recompute every state from the log under `scheduler` (`quiz.core.replay`): what
        switching scheduler does. Returns how many cards have a state.

        Args:
            progress: told (entries done, in all) while the log is replayed.
        """
        states = replay(self.answers(), scheduler, progress)
        changed = set(self._states) | set(states)
        self._states = states
        self._rescheduled(changed, scheduler)
        return len(states)

    def _rescheduled(self, keys: set[str], scheduler: Scheduler) -> None:  # noqa: B027
        """Called once `reschedule` has replaced the states of `keys`."""

    def log_tally(self) -> LogTally:
        """The review log folded for the statistics. A store on disk may keep the fold
        between runs; this one folds every entry."""
        from quiz.core.fold import LogTally  # the fold builds on this module

        return LogTally.of(self.entries())

    def back_up(self, now: datetime) -> None:  # noqa: B027 - optional hook
        """Copy the progress aside (at the start of a study session); a store in memory keeps
        nothing on disk, so has nothing to copy.

        Raises:
            StoreError: the copy could not be made.
        """

    def checkpoint(self) -> None:  # noqa: B027 - optional hook: a store in memory has none
        """Save the states so that opening need not replay the whole log."""

    def _written(self) -> None:  # noqa: B027 - optional hook
        """Called once a record is logged and the states reflect it."""

    def close(self) -> None:
        """Checkpoint and release the store."""
        self.checkpoint()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def _append(self, doc: dict[str, Any]) -> None:
        """Append one log record durably."""

    @abstractmethod
    def _read_log(self) -> Iterator[dict[str, Any]]:
        """Every record of the log, in order, including undo records."""


class MemoryStore(ProgressStore):
    """The in-memory twin of the file store, for tests and for practice."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[dict[str, Any]] = []

    def _append(self, doc: dict[str, Any]) -> None:
        self.log.append(doc)

    def _read_log(self) -> Iterator[dict[str, Any]]:
        return iter(list(self.log))
