"""The statistics of one run: computed for a context, and put into words and numbers.

The statistics screen, `quiz stats` and `quiz report` all take their figures from here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quiz.core.progress import ProgressStore
from quiz.core.stats import Rate, Stats, compute
from quiz.core.text import one_line

if TYPE_CHECKING:
    from quiz.services.context import Context

COLUMNS = ("total", "new", "due", "learning", "young", "mature", "suspended")


def load(ctx: Context, store: ProgressStore, deck_id: str | None = None) -> Stats:
    """Every figure for today, for all decks or one (the app calls this in a worker thread:
    the command line pauses the collector around it, `collector.paused`)."""
    tally = store.log_tally()
    return compute(ctx.decks, store.states(), tally, ctx.today, deck_id, items=ctx.deck_items)


def to_json(stats: Stats) -> dict[str, Any]:
    """The figures in the shape `quiz stats --json` prints."""
    history_days = stats.window(30), stats.window(90)
    return {
        "today": stats.today.isoformat(),
        "decks": {deck_id: c.as_dict() for deck_id, c in stats.decks.items()},
        "total": stats.total.as_dict(),
        "forecast": {day.isoformat(): n for day, n in stats.forecast.items()},
        "history": {day.isoformat(): t.answers for day, t in stats.history.items()},
        "time": {
            "today_s": seconds(
                stats.history[stats.today].ms if stats.today in stats.history else 0
            ),
            "last_30_days_s": seconds(history_days[0][1]),
            "last_90_days_s": seconds(history_days[1][1]),
        },
        "reviews": {
            "today": stats.reviews_on(stats.today),
            "last_30_days": history_days[0][0],
            "last_90_days": history_days[1][0],
        },
        "retention": stats.retention.as_dict(),
        "streak": stats.streak.as_dict(),
        "tags": {t.tag: t.as_dict() for t in stats.tags},
        "competencies": stats.competencies.as_dict(),
        "scenarios": {deck_id: s.as_dict() for deck_id, s in stats.scenarios.items()},
    }


plain = one_line
"""Deck text made safe to print on one line (quiz.core.text, the one sanitiser)."""


def seconds(ms: int) -> int:
    return round(ms / 1000)


def duration(ms: int) -> str:
    """A time spent, as a person says it: "0 min", "12 min", "3 h 05 min"."""
    minutes = round(ms / 60000)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def percent(rate: Rate | float | None) -> str:
    value = rate.rate if isinstance(rate, Rate) else rate
    return "-" if value is None else f"{value:.0%}"


def rate_text(rate: Rate, none: str = "-") -> str:
    """A rate as a person reads it: "87% (26 of 30)"; `none` when there was nothing to rate."""
    return f"{percent(rate)} ({rate.correct} of {rate.total})" if rate.total else none
