"""A card's schedule state: one flat record, its saved form, and many saved states read at once.

`CardState` is the only shape a state has: queues, counts, statistics, the log and the
checkpoint all read it by field name. `FIELDS` says how each field is saved (its name in the
log and the checkpoint, how it is read back and written); it is the one place that knows the
saved form, so a scheduler that keeps more per card adds a field to `CardState` with a default
and a line to `FIELDS`, and nothing that reads states by name changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import repeat
from typing import Any, NamedTuple, cast

from quiz.core.sm2 import START_EASINESS_100, Sm2State

LEECH_LAPSES = 8
"""A card that lapses this many times is a leech (Anki's default); again every 4 lapses after."""
MATURE_DAYS = 21
"""An interval of this many days or more makes a card mature (Anki's threshold)."""


class CardState(NamedTuple):
    """Everything the scheduler knows of one item.

    A named tuple: immutable, read by name, and made from columns of saved values by
    `tuple.__new__` without a Python call per state (`states_from_saved`).
    """

    repetitions: int = 0
    """SM-2's n: correct answers in a row."""
    easiness_100: int = START_EASINESS_100
    """SM-2's easiness factor in exact hundredths (2.5 -> 250)."""
    interval: int = 0
    """Days between the last scheduled answer and the next."""
    due: date | None = None
    lapses: int = 0
    first: date | None = None
    """The study day of the item's first answer; None while it is new."""
    last: date | None = None
    """The study day of its last scheduled answer."""
    suspended: bool = False
    buried_until: date | None = None
    leech: bool = False
    stability: float | None = None
    """FSRS's stability in days (the interval at which recall falls to 90%); None under SM-2."""
    difficulty: float | None = None
    """FSRS's difficulty, 1 to 10; None under SM-2."""

    @classmethod
    def from_sm2(cls, sm2: Sm2State, **fields: Any) -> CardState:
        """A state whose SM-2 fields are `sm2`'s and the others `fields` (or their defaults)."""
        return cls(sm2.repetitions, sm2.easiness_100, sm2.interval, sm2.due, **fields)

    @property
    def sm2(self) -> Sm2State:
        """The SM-2 part of the state, as `quiz.core.sm2.review` takes it."""
        return Sm2State(self.repetitions, self.easiness_100 / 100, self.interval, self.due)

    def with_sm2(self, sm2: Sm2State, **fields: Any) -> CardState:
        """This state with `sm2`'s SM-2 fields, and `fields` changed too."""
        return self._replace(
            repetitions=sm2.repetitions,
            easiness_100=sm2.easiness_100,
            interval=sm2.interval,
            due=sm2.due,
            **fields,
        )

    @property
    def is_new(self) -> bool:
        return self.first is None

    def is_buried(self, today: date) -> bool:
        return self.buried_until is not None and self.buried_until > today


NEW_STATE = CardState()
"""The state of every item never seen (states are immutable: one serves them all)."""


def is_leech_lapse(lapses: int) -> bool:
    """True when a lapse count makes a card a leech: at 8 lapses, then every 4 more."""
    return lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % (LEECH_LAPSES // 2) == 0


# --- the saved form: compact (defaults left out, days as ISO strings, EF in hundredths) ---


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(day: date) -> str:
    return day.isoformat()


def _count(value: Any) -> int:
    """A whole number of at least 0 (SM-2 refuses a negative count or interval)."""
    number = int(value)
    if number < 0:
        raise ValueError(f"{number} is negative")
    return number


def _real(value: Any) -> float | None:
    """A finite number above 0 (FSRS's stability and difficulty), or None (its default)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{value!r} is not a number")
    number = float(value)
    if not 0 < number < float("inf"):
        raise ValueError(f"{number} is not a finite number above 0")
    return number


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class SavedField:
    """How one field of `CardState` is saved in the log and the checkpoint."""

    name: str
    """The field of `CardState`."""
    saved: str
    """Its name in a saved state."""
    read: Callable[[Any], Any]
    """A saved value to the field's value; raises ValueError, TypeError on a bad one."""
    write: Callable[[Any], Any] = _same
    """The field's value to a saved one (only called on a value other than the default)."""
    required: bool = False
    """Always saved, and a saved state without it is refused."""


FIELDS: tuple[SavedField, ...] = (
    SavedField("repetitions", "n", _count, required=True),
    SavedField("easiness_100", "ef", int, required=True),
    SavedField("interval", "i", _count, required=True),
    SavedField("due", "due", _day, _iso),
    SavedField("lapses", "lapses", int),
    SavedField("first", "first", _day, _iso),
    SavedField("last", "last", _day, _iso),
    SavedField("suspended", "suspended", bool),
    SavedField("buried_until", "buried", _day, _iso),
    SavedField("leech", "leech", bool),
    SavedField("stability", "s", _real),
    SavedField("difficulty", "d", _real),
)
if tuple(field.name for field in FIELDS) != CardState._fields:
    raise AssertionError("every field of CardState needs its saved form in FIELDS, in order")

_DEFAULTS: tuple[Any, ...] = tuple(NEW_STATE)
_SAVED = tuple(zip(FIELDS, _DEFAULTS, strict=True))
_ABSENT: Any = object()
"""A field left out of a saved state."""


def state_to_dict(state: CardState) -> dict[str, Any]:
    """A state as a small JSON-ready dict; inverse of `state_from_dict`."""
    doc: dict[str, Any] = {}
    for (field, default), value in zip(_SAVED, state, strict=True):
        if field.required or value != default:
            doc[field.saved] = field.write(value)
    return doc


def state_from_dict(doc: Mapping[str, Any]) -> CardState:
    """Rebuild a state from `state_to_dict`'s output.

    Raises:
        ValueError, KeyError, TypeError: if the dict is not such output.
    """
    values: list[Any] = []
    for field, default in _SAVED:
        value = doc[field.saved] if field.required else doc.get(field.saved, _ABSENT)
        values.append(default if value is _ABSENT else field.read(value))
    return CardState._make(values)


_record = cast(Callable[[tuple[Any, ...]], CardState], partial(tuple.__new__, CardState))
"""A state from a tuple of its field values, without a Python call (as `CardState._make`)."""


def with_schedule(
    state: CardState,
    repetitions: int,
    interval: int,
    due: date,
    stability: float | None,
    difficulty: float | None,
) -> CardState:
    """`state` with a new schedule (its easiness kept): the same as `state._replace(...)` of
    those fields, made in one step."""
    return _record((repetitions, state[1], interval, due, *state[4:10], stability, difficulty))


def after_answer(
    scheduled: CardState, lapses: int, first: date, last: date, leech: bool
) -> CardState:
    """`scheduled` with its lapse count, first and last days and leech flag set: the same as
    `scheduled._replace(lapses=..., first=..., last=..., leech=...)`, made in one step (a
    replay of a long log makes a million of them)."""
    return _record((*scheduled[:4], lapses, first, last, *scheduled[7:9], leech, *scheduled[10:]))


if CardState._fields[:4] != ("repetitions", "easiness_100", "interval", "due") or CardState._fields[
    4:
] != ("lapses", "first", "last", "suspended", "buried_until", "leech", "stability", "difficulty"):
    raise AssertionError("with_schedule and after_answer make states by the fields' places")


def states_from_saved(docs: Mapping[str, Any]) -> dict[str, CardState]:
    """Many saved states (`state_to_dict`'s dicts, by progress key) read at once, as when the
    store opens: the same states as `state_from_dict` of each, checked the same way.

    Built a field at a time over every state (a column), in C loops: each distinct value of
    a column is read once (a checkpoint's thousands of states share a few thousand days and
    counts), so a state that could not be read is refused here, never later.

    Raises:
        ValueError, KeyError, TypeError: if a dict is not `state_to_dict`'s output.
    """
    saved = list(docs.values())
    if not all(issubclass(kind, dict) for kind in set(map(type, saved))):
        raise TypeError("a card state is not an object")
    columns: list[Any] = []
    for field, default in _SAVED:
        # An optional field left out reads as its default (reading a default gives itself).
        absent = _ABSENT if field.required else default
        raw = list(map(dict.get, saved, repeat(field.saved), repeat(absent)))
        read: dict[Any, Any] = {}
        for value in set(raw):
            if value is _ABSENT:
                raise KeyError(field.saved)
            read[value] = field.read(value)
        if all(type(value) is type(made) and value == made for value, made in read.items()):
            columns.append(raw)  # saved as they are read (counts, flags): nothing to make
        else:
            columns.append(list(map(read.__getitem__, raw)))
    return dict(zip(docs, map(_record, zip(*columns, strict=True)), strict=True))
