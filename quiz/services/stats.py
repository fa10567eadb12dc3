"""The statistics of one run: computed for a context, and put into words and numbers.

The statistics screen, `quiz stats` and `quiz report` all take their figures from here."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from quiz.core.progress import ProgressStore
from quiz.core.schedulers import SM2, Scheduler
from quiz.core.stats import Rate, Stats, compute
from quiz.core.text import one_line

if TYPE_CHECKING:
    from quiz.services.context import Context

COLUMNS = ("total", "new", "due", "learning", "young", "mature", "suspended")


def load(
    ctx: Context, store: ProgressStore, deck_id: str | None = None, scheduler: Scheduler = SM2
) -> Stats:
    """Every figure for today, for all decks or one (the app calls this in a worker thread:
    the command line pauses the collector around it, `collector.paused`), named with the
    scheduler and, for one that predicts recall (FSRS), the recall predicted today."""
    tally = store.log_tally()
    stats = compute(ctx.decks, store.states(), tally, ctx.today, deck_id, items=ctx.deck_items)
    return replace(
        stats, scheduler=scheduler.name, recall=predicted_recall(ctx, store, scheduler, deck_id)
    )


def predicted_recall(
    ctx: Context, store: ProgressStore, scheduler: Scheduler, deck_id: str | None = None
) -> dict[str, float]:
    """The mean recall `scheduler` predicts today of the cards seen: for all decks (`""`)
    and each deck with a card seen; empty when it predicts none (SM-2)."""
    state_of = store.states().get
    totals: dict[str, list[float]] = {"": []}
    for deck in ctx.decks:
        if deck_id is not None and deck.id != deck_id:
            continue
        for item in ctx.deck_items(deck):
            state = state_of(item.key)
            recall = None if state is None else scheduler.recall(state, ctx.today)
            if recall is not None:
                totals.setdefault(deck.id, []).append(recall)
                totals[""].append(recall)
    return {key: sum(values) / len(values) for key, values in totals.items() if values}


def to_json(stats: Stats) -> dict[str, Any]:
    """The figures in the shape `quiz stats --json` prints."""
    history_days = stats.window(30), stats.window(90)
    return {
        "today": stats.today.isoformat(),
        "scheduler": stats.scheduler,
        "predicted_recall": {
            "all": stats.recall.get(""),
            "decks": {key: value for key, value in stats.recall.items() if key},
        }
        if stats.recall
        else None,
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


def recall_line(stats: Stats) -> str:
    """The recall the scheduler predicts today, for all decks and each deck (FSRS only)."""
    decks = [f"{plain(key)} {percent(value)}" for key, value in stats.recall.items() if key]
    each = f" ({', '.join(decks)})" if len(decks) > 1 else ""
    return f"predicted recall today ({stats.scheduler}): {percent(stats.recall[''])}{each}"
