"""Progress: card states, the review log's entries, and the store interface with an in-memory twin.

The review log is the record of truth: every answer, suspension and bury is an entry, and a
card's state is what the last effective entry for its key left behind. Undo appends an entry
that cancels an earlier one; readers of the log skip cancelled entries.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import compress, repeat
from operator import eq
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from quiz.core.sm2 import Sm2State

if TYPE_CHECKING:
    from quiz.core.stats import LogTally

EntryKind = Literal["review", "drill", "suspend", "unsuspend", "bury"]
ENTRY_KINDS: frozenset[str] = frozenset({"review", "drill", "suspend", "unsuspend", "bury"})

LEECH_LAPSES = 8
"""A card that lapses this many times is a leech (Anki's default); again every 4 lapses after."""


@dataclass(frozen=True, slots=True)
class CardState:
    """Everything the scheduler knows of one item."""

    sm2: Sm2State = field(default_factory=Sm2State)
    lapses: int = 0
    first: date | None = None
    """The study day of the item's first answer; None while it is new."""
    last: date | None = None
    """The study day of its last scheduled answer."""
    suspended: bool = False
    buried_until: date | None = None
    leech: bool = False

    @property
    def is_new(self) -> bool:
        return self.first is None

    @property
    def due(self) -> date | None:
        return self.sm2.due

    def is_due(self, today: date) -> bool:
        """Due for review on `today` (new, suspended and buried items are not)."""
        return (
            not self.is_new
            and not self.suspended
            and not self.is_buried(today)
            and self.sm2.due is not None
            and self.sm2.due <= today
        )

    def is_buried(self, today: date) -> bool:
        return self.buried_until is not None and self.buried_until > today


NEW_STATE = CardState()
"""The state of every item never seen. States are immutable, so one serves them all: making
a fresh one for each new item a session or the deck list looks at cost 0.1 s at 50,000 cards."""

Maturity = Literal["new", "learning", "young", "mature"]
MATURE_DAYS = 21


def maturity(state: CardState) -> Maturity:
    """new: never answered; learning: not yet past SM-2's first two steps (1 and 6 days);
    young: interval under 21 days; mature: 21 days or more."""
    if state.is_new:
        return "new"
    if state.sm2.repetitions < 2:
        return "learning"
    return "mature" if state.sm2.interval >= MATURE_DAYS else "young"


def is_leech_lapse(lapses: int) -> bool:
    """True when a lapse count makes a card a leech: at 8 lapses, then every 4 more."""
    return lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % (LEECH_LAPSES // 2) == 0


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


# --- serialisation (compact: defaults are left out, dates as ISO strings, EF in hundredths) ---


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def state_to_dict(state: CardState) -> dict[str, Any]:
    """A CardState as a small JSON-ready dict; inverse of `state_from_dict`."""
    sm2 = state.sm2
    doc: dict[str, Any] = {"n": sm2.repetitions, "ef": sm2.easiness_100, "i": sm2.interval}
    if sm2.due is not None:
        doc["due"] = sm2.due.isoformat()
    if state.lapses:
        doc["lapses"] = state.lapses
    if state.first is not None:
        doc["first"] = state.first.isoformat()
    if state.last is not None:
        doc["last"] = state.last.isoformat()
    if state.suspended:
        doc["suspended"] = True
    if state.buried_until is not None:
        doc["buried"] = state.buried_until.isoformat()
    if state.leech:
        doc["leech"] = True
    return doc


def state_from_dict(doc: Mapping[str, Any]) -> CardState:
    """Rebuild a CardState from `state_to_dict`'s output.

    Raises:
        ValueError, KeyError, TypeError: if the dict is not such output.
    """
    sm2 = Sm2State(int(doc["n"]), int(doc["ef"]) / 100, int(doc["i"]), _day(doc.get("due")))
    return CardState(
        sm2=sm2,
        lapses=int(doc.get("lapses", 0)),
        first=_day(doc.get("first")),
        last=_day(doc.get("last")),
        suspended=bool(doc.get("suspended", False)),
        buried_until=_day(doc.get("buried")),
        leech=bool(doc.get("leech", False)),
    )


def states_from_dicts(docs: Mapping[str, Any]) -> dict[str, CardState]:
    """`state_from_dict` over many states at once (a checkpoint's): `SavedStates`, all made.

    Raises:
        ValueError, KeyError, TypeError: if a dict is not `state_to_dict`'s output.
    """
    saved = SavedStates(docs)
    return {key: saved.make(doc) for key, doc in saved.docs.items()}


class _Days(dict[Any, "date | None"]):
    """Days as a checkpoint writes them (ISO strings, or None) to dates, each parsed once:
    50,000 states name a few thousand days."""

    def __missing__(self, value: Any) -> date | None:
        day = self[value] = _day(value)
        return day


Brief = tuple[bool, "date | None", "date | None", "date | None", "date | None", int, int]
"""What queues and counts need of a card state, as a plain tuple: suspended, buried until,
first day, due day, last day, repetitions, interval (`brief`). A checkpoint's states are read
as briefs (`SavedStates`), made a column at a time, where making them into CardState objects
one by one took 0.25-0.3 s at 50,000 cards; a plain tuple, not a named one, as zip makes them
(wrapping each in a NamedTuple took 0.02 s more). Readers unpack it."""


def brief(state: CardState) -> Brief:
    sm2 = state.sm2
    return (
        state.suspended,
        state.buried_until,
        state.first,
        sm2.due,
        state.last,
        sm2.repetitions,
        sm2.interval,
    )


_MISSING = object()
"""A required field left out of a saved state."""
_CHECKS: dict[str, Callable[[Any], object]] = {
    # Each field alone, through the very code that makes a state (Sm2State checks each field
    # on its own: a negative count or interval is refused).
    "n": lambda n: Sm2State(repetitions=int(n)),
    "ef": lambda ef: Sm2State(easiness=int(ef) / 100),
    "i": lambda interval: Sm2State(interval=int(interval)),
}


class SavedStates:
    """A checkpoint's card states (`state_to_dict`'s dicts), checked whole when read and made
    into CardState objects only as they are asked for.

    Making all 55,526 states of B7's checkpoint took 0.25-0.3 s of every start, and nothing
    needs them all as objects: queues, the deck list's counts and the statistics read each
    state's `Brief`, made here a column at a time (0.03 s); a session makes the states of the
    cards it shows. Checking is done on the distinct values of each field (a few thousand), with
    the code that makes a state, so a state that could not be made is refused here, when the
    store opens, never later.
    """

    __slots__ = ("_sm2s", "answered", "briefs", "days", "docs")

    def __init__(self, docs: Mapping[str, Any]) -> None:
        """Raises:
        ValueError, KeyError, TypeError: if a dict is not `state_to_dict`'s output.
        """
        self.docs: dict[str, dict[str, Any]] = dict(docs)
        """By progress key. A copy: the checkpoint writer replaces documents in its own."""
        self.days = _Days({None: None})
        """Every day the states name, parsed."""
        self.briefs: dict[str, Brief] = {}
        """By progress key, every state's `Brief`."""
        self.answered: tuple[list[str], list[date | None], list[date | None]] = ([], [], [])
        """Every state's key, last day and first day, in order: `ProgressStore.answered_on`
        picks a day's keys out of them in a C loop."""
        self._sm2s: dict[tuple[Any, ...], Sm2State] = {}
        """Made SM-2 states, by their saved values: thousands of cards share each."""
        self._read()

    def _read(self) -> None:
        """Check every state and make its brief, a column (one field of every state) at a
        time, in C loops (`map`): a Python loop over B7's 55,526 states took 0.06 s just to
        look at each once."""
        docs = self.docs
        if any(kind is not dict for kind in set(map(type, docs.values()))):
            raise TypeError("a card state is not an object")
        keys, states = list(docs), list(docs.values())
        day = self.days.__getitem__

        def column(name: str, default: Any, check: Callable[[Any], object] | None) -> list[Any]:
            """The field of every state (`default` where it is left out), each distinct
            value put through `check`, as making a state would."""
            values = list(map(dict.get, states, repeat(name), repeat(default)))
            if check is not None:
                for value in set(values):
                    if value is _MISSING:
                        raise KeyError(name)
                    check(value)
            return values

        def whole(values: list[Any]) -> list[Any]:
            """`int` of each value; the column itself when they are all ints already."""
            if all(type(value) is int for value in set(values)):
                return values
            return list(map(int, values))

        column("ef", _MISSING, _CHECKS["ef"])
        column("lapses", 0, int)
        firsts = list(map(day, column("first", None, day)))
        lasts = list(map(day, column("last", None, day)))
        self.briefs = dict(
            zip(
                keys,
                zip(
                    map(bool, column("suspended", False, None)),
                    map(day, column("buried", None, day)),
                    firsts,
                    map(day, column("due", None, day)),
                    lasts,
                    whole(column("n", _MISSING, _CHECKS["n"])),
                    whole(column("i", _MISSING, _CHECKS["i"])),
                    strict=True,
                ),
                strict=True,
            )
        )
        self.answered = (keys, lasts, firsts)

    def make(self, doc: Mapping[str, Any]) -> CardState:
        """The CardState of one of `docs`' values (checked: this cannot fail)."""
        days = self.days
        get = doc.get
        sm2_key = (doc["n"], doc["ef"], doc["i"], get("due"))
        sm2 = self._sm2s.get(sm2_key)
        if sm2 is None:
            n, ef, interval, due = sm2_key
            sm2 = self._sm2s[sm2_key] = Sm2State(int(n), int(ef) / 100, int(interval), days[due])
        return _new_state(
            sm2,
            int(get("lapses", 0)),
            days[get("first")],
            days[get("last")],
            bool(get("suspended", False)),
            days[get("buried")],
            bool(get("leech", False)),
        )


_SLOTS = tuple(CardState.__dict__[name].__set__ for name in CardState.__slots__)


def _new_state(*values: Any) -> CardState:
    """`CardState(*values)` (every field, in order), made without the frozen dataclass's
    `__init__`, which sets each field through `object.__setattr__`: setting the slots
    directly makes 50,000 states in 0.15 s instead of 0.3 s. Nothing else differs (CardState
    has no `__post_init__`; tests/core check the states equal `state_from_dict`'s)."""
    state = object.__new__(CardState)
    for put, value in zip(_SLOTS, values, strict=True):
        put(state, value)
    return state


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
        """The states made so far; an item's state here is newer than any in `_saved`."""
        self._saved: SavedStates | None = None
        """The checkpoint's states, until `states()` makes them all."""
        self._next_id = 1
        self.notices: list[str] = []
        """What the store did by itself that the user should hear of, one line each (a
        damaged checkpoint rebuilt from the log when it opened)."""

    def state(self, key: str) -> CardState:
        """The item's state (a fresh one for an item never seen)."""
        state = self._states.get(key)
        if state is not None:
            return state
        saved = self._saved
        doc = saved.docs.get(key) if saved is not None else None
        if saved is None or doc is None:
            return NEW_STATE
        state = self._states[key] = saved.make(doc)
        return state

    def states(self) -> Mapping[str, CardState]:
        """Every known item's state, by progress key (read-only view); the checkpoint's
        states not made yet are made now."""
        saved = self._saved
        if saved is not None:
            made = self._states
            for key, doc in saved.docs.items():
                if key not in made:
                    made[key] = saved.make(doc)
            self._saved = None
        return self._states

    def keep_saved(self, docs: Mapping[str, Any]) -> None:
        """Take a checkpoint's states (`state_to_dict`'s dicts by key) as the states of every
        item: checked now, made into CardState objects as they are needed (`SavedStates`).

        Raises:
            ValueError, KeyError, TypeError: if a dict is not `state_to_dict`'s output.
        """
        self._saved = SavedStates(docs)
        self._states = {}

    def standings(self, today: date) -> Callable[[str], date | bool]:
        """What building a queue needs of each item's state on `today`, without making the
        states still saved: True for a new item, the day it fell due for an item due for
        review, False for one that is neither (suspended, buried, or not due yet).

        `CardState.is_new`, `is_buried` and `is_due`, written out for both forms of a state
        (tests/core check they agree): this runs for every item of the chosen decks at each
        start and each drawing of the deck list, 65,325 at 50,000 cards."""
        made = self._states.get
        saved = self._saved
        briefs = (saved.briefs if saved is not None else {}).get

        def standing(key: str) -> date | bool:
            state = made(key)
            if state is not None:
                suspended, buried, first = state.suspended, state.buried_until, state.first
                due = state.sm2.due
            else:
                brief = briefs(key)
                if brief is None:
                    return True  # never seen
                suspended, buried, first, due = brief[:4]
            if suspended:
                return False
            if buried is not None and buried > today:
                return False
            if first is None:
                return True
            return due if due is not None and due <= today else False

        return standing

    def briefs(self) -> dict[str, Brief]:
        """Every known item's `Brief`, by progress key (a new dict), without making the
        states still saved."""
        saved = self._saved
        out = dict(saved.briefs) if saved is not None else {}
        made = list(self._states.items())  # a copy: the statistics read it in their thread
        out.update((key, brief(state)) for key, state in made)
        return out

    def answered_on(self, day: date) -> list[tuple[str, bool]]:
        """The items last answered on `day` (a scheduled answer), each with whether that was
        its first answer."""
        made = self._states.items()
        out = [(key, state.first == day) for key, state in made if state.last == day]
        saved = self._saved
        if saved is not None:
            known = self._states
            keys, lasts, firsts = saved.answered
            on_day = map(eq, lasts, repeat(day))
            for key, first in compress(zip(keys, firsts, strict=True), on_day):
                if key not in known:
                    out.append((key, first == day))
        return out

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

    def log_tally(self, cache_dir: Path | None = None) -> LogTally:
        """The review log folded for the statistics. A store on disk may keep the fold in
        `cache_dir` between runs; this one folds every entry."""
        from quiz.core.stats import LogTally  # stats builds on this module

        return LogTally.of(self.entries())

    def backup(self, now: datetime) -> Path | None:
        """Copy the progress aside (at the start of a study session); returns where, or None
        when there is nothing to copy (a store in memory keeps nothing on disk).

        Raises:
            StoreError: the copy could not be made.
        """
        return None

    def checkpoint(self) -> None:  # noqa: B027 - optional hook: a store in memory has none
        """Save the states so that opening need not replay the whole log."""

    def _written(self) -> None:  # noqa: B027 - optional hook
        """Called once a record is logged and the states reflect it."""

    def close(self) -> None:
        """Checkpoint and release the store."""
        self.checkpoint()

    def __enter__(self) -> ProgressStore:
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
