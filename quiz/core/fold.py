"""The review log folded for the statistics: per deck and study day, and per item.

The log is folded once into a `LogTally`, which holds no notion of "today" (the figures,
`quiz.core.stats`, read it for a given day). A tally can be grown entry by entry and an entry
taken back out (an undo), so a caller may keep one between runs and fold in only the entries
logged since (`quiz.storage.stats_cache` keeps one on disk).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from typing import Any, NamedTuple

from quiz.core.card_state import MATURE_DAYS
from quiz.core.progress import LogEntry
from quiz.core.session import PASS_QUALITY


class Answer(NamedTuple):
    """What the statistics need of one answer in the log.

    A named tuple, not a frozen dataclass: a first fold makes one per answer (a million in a
    few years' log), and a frozen dataclass's `__init__` sets each field through
    `object.__setattr__`."""

    id: int
    key: str
    drill: bool
    day: date
    quality: int
    elapsed_ms: int
    seen: bool
    """The item had been answered before (a review, not a first sight)."""
    interval: int
    """The item's interval before this answer (young < 21 days <= mature)."""
    capped: bool = False
    """A scenario answer that chose an unsafe option (its grade capped at Again)."""

    @classmethod
    def of(cls, entry: LogEntry) -> Answer | None:
        """The answer an entry records, or None for a suspend, bury or unsuspend."""
        if entry.kind not in ("review", "drill") or entry.quality is None:
            return None
        return cls(
            entry.id,
            entry.key,
            entry.kind == "drill",
            entry.day,
            entry.quality,
            max(0, entry.elapsed_ms),
            not entry.before.is_new,
            entry.before.interval,
            entry.response is not None and bool(entry.response.unsafe),
        )

    @property
    def deck_id(self) -> str:
        return self.key.split("/", 1)[0]

    @property
    def correct(self) -> bool:
        return self.quality >= PASS_QUALITY


@dataclass(slots=True)
class DayTally:
    """The answers of one deck on one study day."""

    answers: int = 0
    """Every answer, same-day re-drills included."""
    reviews: int = 0
    """Scheduled answers (re-drills left out); `first` of them were first sights."""
    first: int = 0
    ms: int = 0
    young: int = 0
    young_correct: int = 0
    mature: int = 0
    mature_correct: int = 0

    def add(self, answer: Answer, sign: int = 1) -> None:
        """Count one answer in (`sign=-1` takes it back out)."""
        self.answers += sign
        self.ms += sign * answer.elapsed_ms
        if answer.drill:
            return
        self.reviews += sign
        if not answer.seen:
            self.first += sign
        elif answer.interval < MATURE_DAYS:
            self.young += sign
            self.young_correct += sign if answer.correct else 0
        else:
            self.mature += sign
            self.mature_correct += sign if answer.correct else 0

    def merge(self, t: DayTally) -> None:
        """Add another tally's counts to this one's."""
        # Written out: hot, once per (deck, day) row of years of answers.
        self.answers += t.answers
        self.reviews += t.reviews
        self.first += t.first
        self.ms += t.ms
        self.young += t.young
        self.young_correct += t.young_correct
        self.mature += t.mature
        self.mature_correct += t.mature_correct

    def row(self) -> tuple[int, int, int, int, int, int, int, int]:
        """The fields in order (a saved fold's columns)."""
        return (
            self.answers, self.reviews, self.first, self.ms,
            self.young, self.young_correct, self.mature, self.mature_correct,
        )  # fmt: skip

    def copy(self) -> DayTally:
        return DayTally(*self.row())


@dataclass(slots=True)
class KeyTally:
    """The scheduled answers (no re-drills) ever given to one item."""

    answers: int = 0
    correct: int = 0
    quality_sum: int = 0


class KeyTallies(Mapping[str, KeyTally]):
    """Every item's `KeyTally`, kept in columns: a dict from progress key to a place, and the
    answers, correct answers and sum of qualities at each place (place 0: none, for keys
    never answered).

    A `KeyTally` is made only for a key asked for: a saved fold holds one key per item ever
    answered, and an object each would be a large part of opening the statistics, where the
    dict is made by `dict(zip(...))` at C speed. `columns` reads many keys' figures at once,
    each key looked up once (with tens of thousands of keys, the lookups themselves count)."""

    __slots__ = ("_at", "answers", "capped", "correct", "quality")

    def __init__(
        self,
        keys: Iterable[str] = (),
        answers: Iterable[int] = (),
        correct: Iterable[int] = (),
        quality: Iterable[int] = (),
        capped: Mapping[str, int] | None = None,
    ) -> None:
        """Raises ValueError if the columns are not as long as `keys`."""
        self.capped: dict[str, int] = dict(capped or {})
        """Scheduled answers capped for an unsafe option, by key (only keys with any: they
        are few)."""
        self.answers = [0, *answers]
        self.correct = [0, *correct]
        self.quality = [0, *quality]
        # A key listed twice takes its last place, as `dict(zip(keys, ...))` would.
        self._at = dict(zip(keys, range(1, len(self.answers)), strict=True))
        if not len(self.answers) == len(self.correct) == len(self.quality):
            raise ValueError("columns of unequal lengths")

    def __getitem__(self, key: str) -> KeyTally:
        at = self._at[key]
        return KeyTally(self.answers[at], self.correct[at], self.quality[at])

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KeyTallies):
            return super().__eq__(other)
        return self._rows() == other._rows() and self.capped == other.capped

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"KeyTallies({len(self)} keys)"

    def _rows(self) -> dict[str, tuple[int, int, int]]:
        return {
            key: (self.answers[at], self.correct[at], self.quality[at])
            for key, at in self._at.items()
        }

    def add(
        self, key: str, correct: bool, quality: int, sign: int = 1, capped: bool = False
    ) -> None:
        """Count one scheduled answer to `key` in (`sign=-1` takes it back out); a key left
        with no answers is dropped (its place is left empty)."""
        if capped:
            left = self.capped.get(key, 0) + sign
            if left:
                self.capped[key] = left
            else:
                self.capped.pop(key, None)
        at = self._at.get(key)
        if at is None:
            at = self._at[key] = len(self.answers)
            self.answers.append(0)
            self.correct.append(0)
            self.quality.append(0)
        self.answers[at] += sign
        self.correct[at] += sign if correct else 0
        self.quality[at] += sign * quality
        if self.answers[at] == 0:
            del self._at[key]
            self.correct[at] = self.quality[at] = 0

    def in_columns(self) -> list[list[Any]]:
        """The keys and their three figures, in four lists (a saved fold's columns)."""
        places = self._at.values()
        return [
            list(self._at),
            *(list(map(column.__getitem__, places)) for column in self._figures()),
        ]

    def columns(self, keys: Iterable[str]) -> tuple[list[int], list[int], list[int]]:
        """The answers, correct answers and quality sums of each of `keys`, in order (zeros
        for a key never answered): each key looked up once, and no Python code run per
        key."""
        places = list(map(self._at.get, keys, repeat(0)))
        answers, correct, quality = self._figures()
        return (
            list(map(answers.__getitem__, places)),
            list(map(correct.__getitem__, places)),
            list(map(quality.__getitem__, places)),
        )

    def _figures(self) -> tuple[list[int], list[int], list[int]]:
        return self.answers, self.correct, self.quality


class LogTally:
    """The review log folded into per-(deck, day) and per-item sums; no `today` in it.

    Beside the per-(deck, day) sums, the per-day sums over every deck are kept once asked
    for (`per_day()`): the statistics of all decks, the usual case, read a few thousand days,
    not every (deck, day) row."""

    __slots__ = ("_days", "_totals", "keys")

    def __init__(
        self,
        days: dict[tuple[str, date], DayTally] | None = None,
        keys: KeyTallies | None = None,
        totals: dict[date, DayTally] | None = None,
    ) -> None:
        """
        Args:
            days: the per-(deck, day) sums.
            keys: the per-item sums.
            totals: the per-day sums over every deck, if known (else made when first asked).
        """
        self._days = {} if days is None else days
        self._totals = totals
        """Per-day sums over every deck, kept up to date once made."""
        self.keys = KeyTallies() if keys is None else keys

    @property
    def days(self) -> dict[tuple[str, date], DayTally]:
        """The per-(deck, day) sums (a subclass may make them when first asked)."""
        return self._days

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LogTally):
            return NotImplemented
        return self.days == other.days and self.keys == other.keys

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"LogTally({len(self.days)} (deck, day) rows, {len(self.keys)} keys)"

    @classmethod
    def of(cls, entries: Iterable[LogEntry]) -> LogTally:
        """Fold a log's effective entries (as `ProgressStore.entries()` yields them)."""
        tally = cls()
        for entry in entries:
            answer = Answer.of(entry)
            if answer is not None:
                tally.add(answer)
        return tally

    def add(self, answer: Answer, sign: int = 1) -> None:
        """Fold one answer in (`sign=-1` takes it back out, for an undo)."""
        days = self.days
        where = (answer.deck_id, answer.day)
        day = days.get(where)
        if day is None:
            day = days[where] = DayTally()
        day.add(answer, sign)
        if day.answers == 0:
            del days[where]
        if self._totals is not None:
            total = self._totals.get(answer.day)
            if total is None:
                total = self._totals[answer.day] = DayTally()
            total.add(answer, sign)
            if total.answers == 0:
                del self._totals[answer.day]
        if not answer.drill:
            self.keys.add(answer.key, answer.correct, answer.quality, sign, answer.capped)

    def remove(self, answer: Answer) -> None:
        self.add(answer, -1)

    def per_day(self, deck_ids: Iterable[str] | None = None) -> dict[date, DayTally]:
        """Day sums over the chosen decks (all by default), in date order (copies: the
        tally's own are not handed out)."""
        sums = self.day_sums(deck_ids)
        return {day: t.copy() for day, t in sums.items()} if deck_ids is None else sums

    def day_sums(self, deck_ids: Iterable[str] | None = None) -> dict[date, DayTally]:
        """`per_day`, but for all decks the tally's own sums: to be read, not changed (the
        figures keep a year of days; copying years of them is wasted)."""
        if deck_ids is None:
            if self._totals is None:
                self._totals = _sum_by_day(self.days.items(), None)
            return dict(sorted(self._totals.items()))
        return _sum_by_day(sorted(self.days.items(), key=_by_day), set(deck_ids))


def _by_day(row: tuple[tuple[str, date], DayTally]) -> date:
    return row[0][1]


def _sum_by_day(
    rows: Iterable[tuple[tuple[str, date], DayTally]], wanted: set[str] | None
) -> dict[date, DayTally]:
    out: dict[date, DayTally] = {}
    for (deck_id, day), t in rows:
        if wanted is not None and deck_id not in wanted:
            continue
        total = out.get(day)
        if total is None:
            out[day] = total = DayTally()
        total.merge(t)
    return out
