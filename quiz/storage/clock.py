"""The study day: the local date, with the day starting at 04:00 (as in Anki).

Core never reads the clock; this module does, and hands `today` and timestamps to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

TODAY_ENV = "QUIZ_TODAY"
EARLIEST, LATEST = date(1900, 1, 1), date(9899, 12, 31)
"""QUIZ_TODAY's range: a century of room on each side for statistics and schedules."""


class ClockError(ValueError):
    """QUIZ_TODAY is not a date."""


def study_day(moment: datetime, day_starts_at: int = 4) -> date:
    """The study day a moment belongs to: before `day_starts_at` o'clock it is still yesterday."""
    return (moment - timedelta(hours=day_starts_at)).date()


def now() -> datetime:
    """The local time, with its UTC offset."""
    return datetime.now().astimezone()


def timestamp(moment: datetime | None = None) -> str:
    """An ISO 8601 timestamp for the review log."""
    return (moment or now()).isoformat(timespec="seconds")


def today(env: Mapping[str, str], day_starts_at: int = 4) -> date:
    """`$QUIZ_TODAY` if set, else the study day of the local time now.

    Raises:
        ClockError: QUIZ_TODAY is set but is not a YYYY-MM-DD date.
    """
    fixed = env.get(TODAY_ENV, "").strip()
    if fixed:
        try:
            day = date.fromisoformat(fixed)
        except ValueError:
            raise ClockError(
                f"{TODAY_ENV}={fixed!r} is not a date; use the form YYYY-MM-DD, e.g. 2026-12-03"
            ) from None
        if not EARLIEST <= day <= LATEST:
            raise ClockError(
                f"{TODAY_ENV}={fixed!r} is out of range; use a date from {EARLIEST} to {LATEST}"
            )
        return day
    return study_day(now(), day_starts_at)
