"""The saved form of the log's fold (`quiz.core.fold.LogTally`), as the statistics cache keeps it.

In columns: the decks and the dates named once, then the per-(deck, day) rows and the per-day
sums as columns of indexes and counts, and the per-item sums as four columns. A fold read back
makes its per-deck rows into objects only when they are first needed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from quiz.core.fold import DayTally, KeyTallies, LogTally


def tally_to_dict(tally: LogTally) -> dict[str, Any]:
    """A fold in JSON-ready form, in columns; inverse of `tally_from_dict`."""
    days = tally.days
    decks = sorted({deck_id for deck_id, _ in days})
    dates = sorted({day for _, day in days})
    deck_at = {deck_id: i for i, deck_id in enumerate(decks)}
    date_at = {day: i for i, day in enumerate(dates)}
    totals = tally.per_day()
    return {
        "decks": decks,
        "dates": [day.isoformat() for day in dates],
        "rows": [
            [deck_at[deck_id] for deck_id, _ in days],
            [date_at[day] for _, day in days],
            *_columns(days.values()),
        ],
        "totals": [[date_at[day] for day in totals], *_columns(totals.values())],
        "keys": tally.keys.in_columns(),
        "capped": dict(tally.keys.capped),
    }


def tally_from_dict(doc: Mapping[str, Any], rows: Callable[[], Any] | None = None) -> LogTally:
    """The fold `tally_to_dict` wrote.

    Args:
        doc: `tally_to_dict`'s output; without its `rows` if `rows` is given.
        rows: gives `doc["rows"]`, called only when the per-deck rows are first needed
            (one deck's figures, an answer folded in) and checked then. The figures of all
            decks need none of them, and parsing and checking them all would be paid at
            every opening of the statistics.

    Raises:
        ValueError, KeyError or TypeError: `doc` is not `tally_to_dict`'s output (for the rows
        given by `rows`, when they are read).
    """
    decks = [str(deck_id) for deck_id in doc["decks"]]
    dates = [date.fromisoformat(text) for text in doc["dates"]]
    if rows is None:
        rows = functools.partial(_checked_rows, doc["rows"], len(decks), len(dates))
        rows()
    totals = _numbers(doc["totals"], 1 + _FIELDS)
    _indexes(totals[0], len(dates))
    key_names, *key_columns = doc["keys"]
    capped = doc.get("capped", {})
    if not isinstance(capped, dict) or any(type(n) is not int for n in capped.values()):
        raise ValueError("not a saved fold")
    answers, correct, quality = _numbers(key_columns, 3)
    per_day = map(DayTally, *totals[1:])
    return _SavedTally(
        _Rows(decks, dates, rows),
        KeyTallies(map(str, key_names), answers, correct, quality, capped),
        dict(zip(map(dates.__getitem__, totals[0]), per_day, strict=True)),
    )


_FIELDS = 8
"""DayTally's fields, each a column of a saved fold."""


def _columns(tallies: Iterable[DayTally]) -> list[list[int]]:
    rows = [t.row() for t in tallies]
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * _FIELDS


def _numbers(columns: Any, width: int) -> list[list[int]]:
    """`columns` as `tally_to_dict` wrote them: `width` lists of whole numbers of one length; else
    ValueError (or TypeError)."""
    if not isinstance(columns, list) or len(columns) != width:
        raise ValueError("not a saved fold")
    for column in columns:
        if not isinstance(column, list) or len(column) != len(columns[0]):
            raise ValueError("columns of unequal lengths")
        if type(sum(column)) is not int:  # a float is not a count
            raise ValueError("not whole numbers")
    return columns


def _indexes(column: list[int], bound: int) -> None:
    if column and (min(column) < 0 or max(column) >= bound):
        raise ValueError("an index out of range")


def _checked_rows(columns: Any, decks: int, dates: int) -> list[list[int]]:
    """A saved fold's per-deck rows, checked: deck and date indexes in range, then counts."""
    rows = _numbers(columns, 2 + _FIELDS)
    _indexes(rows[0], decks)
    _indexes(rows[1], dates)
    return rows


@dataclass(frozen=True, slots=True)
class _Rows:
    """A saved fold's per-(deck, day) rows, in columns (deck index, date index, then
    DayTally's fields), as `read` gives them."""

    decks: list[str]
    dates: list[date]
    read: Callable[[], Any]

    def days(self) -> dict[tuple[str, date], DayTally]:
        deck_ids, day_ids, *fields = _checked_rows(self.read(), len(self.decks), len(self.dates))
        where = zip(
            map(self.decks.__getitem__, deck_ids), map(self.dates.__getitem__, day_ids), strict=True
        )
        return dict(zip(where, map(DayTally, *fields), strict=True))


class _SavedTally(LogTally):
    """A fold read from the cache: its per-deck rows are made into objects only when first
    needed (one deck's figures, an answer folded in). The figures of all decks read only the
    per-day sums, and making every (deck, day) row would be paid at every opening."""

    __slots__ = ("_rows",)

    def __init__(self, rows: _Rows, keys: KeyTallies, totals: dict[date, DayTally]) -> None:
        super().__init__(None, keys, totals)
        self._rows: _Rows | None = rows

    @property
    def days(self) -> dict[tuple[str, date], DayTally]:
        if self._rows is not None:
            self._days, self._rows = self._rows.days(), None
        return self._days
