"""SuperMemo 2 (Wozniak, 1990) exactly, with the easiness factor held in integer hundredths."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

MIN_EASINESS_100 = 130
START_EASINESS_100 = 250


@dataclass(frozen=True, slots=True)
class Sm2State:
    """A card's SM-2 state.

    `easiness` is always a multiple of 0.01 (it moves in steps of 0.02 from 2.5), so it is
    stored rounded to two places and all arithmetic is done on `easiness_100`, an exact integer.
    """

    repetitions: int = 0
    easiness: float = 2.5
    interval: int = 0
    due: date | None = None

    def __post_init__(self) -> None:
        if self.repetitions < 0 or self.interval < 0:
            raise ValueError("repetitions and interval cannot be negative")
        object.__setattr__(self, "easiness", round(self.easiness, 2))

    @property
    def easiness_100(self) -> int:
        """The easiness factor in exact integer hundredths (2.5 -> 250)."""
        return round(self.easiness * 100)


def add_days(day: date, days: int) -> date:
    """`day + days`, held at the last representable date instead of overflowing.

    SM-2's intervals grow without bound (fifteen perfect answers take one past 9999-12-31);
    such a card is simply due at the end of the calendar.
    """
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


def next_easiness_100(easiness_100: int, quality: int) -> int:
    """SM-2's EF' = EF + 0.1 - (5-q)(0.08 + (5-q)0.02), floored at 1.3, in hundredths."""
    miss = 5 - quality
    return max(MIN_EASINESS_100, easiness_100 + 10 - miss * (8 + miss * 2))


def review(state: Sm2State, quality: int, today: date) -> Sm2State:
    """Return the state after a review graded `quality` (0..5) on `today`.

    Raises:
        ValueError: if quality is not an integer from 0 to 5.
    """
    if isinstance(quality, bool) or not isinstance(quality, int) or not 0 <= quality <= 5:
        raise ValueError(f"SM-2 quality must be an integer from 0 to 5, not {quality!r}")
    if quality < 3:
        return replace(state, repetitions=0, interval=1, due=add_days(today, 1))
    easiness_100 = next_easiness_100(state.easiness_100, quality)
    repetitions = state.repetitions + 1
    if repetitions == 1:
        interval = 1
    elif repetitions == 2:
        interval = 6
    else:
        interval = -(-state.interval * easiness_100 // 100)  # exact ceil(I * EF)
    return Sm2State(repetitions, easiness_100 / 100, interval, add_days(today, interval))
