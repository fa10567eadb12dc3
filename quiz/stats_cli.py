"""`quiz stats`: progress figures as a text table or as JSON (shape documented in README.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

import orjson

from quiz.core.progress import ProgressStore
from quiz.core.stats import Rate, Stats, compute

if TYPE_CHECKING:
    from quiz.context import Context

COLUMNS = ("total", "new", "due", "learning", "young", "mature", "suspended")


def load(ctx: Context, store: ProgressStore, deck_id: str | None = None) -> Stats:
    """Every figure for today, for all decks or one."""
    return compute(ctx.decks, store.states(), store.log_tally(ctx.cache_dir), ctx.today, deck_id)


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


_CONTROL = dict.fromkeys([*range(0x20), 0x7F], "?")


def plain(value: str) -> str:
    """Deck text made safe to print: control characters (escape sequences) become "?"."""
    return value.translate(_CONTROL)


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


def text(stats: Stats) -> str:
    """The figures as plain text tables (for a terminal; no colour, no markup)."""
    lines: list[str] = [f"Statistics for {stats.today.isoformat()}", ""]
    rows = [(plain(d), c) for d, c in stats.decks.items()] + [("all decks", stats.total)]
    columns = (*COLUMNS, "due_tomorrow")
    heads = [c.replace("_", " ") for c in columns]
    width = max(len("deck"), *(len(name) for name, _ in rows))
    lines.append(f"{'deck':<{width}}  " + "  ".join(f"{h:>{len(h)}}" for h in heads))
    for name, counts in rows:
        row = counts.as_dict()
        lines.append(
            f"{name:<{width}}  "
            + "  ".join(f"{row[c]:>{len(h)}}" for c, h in zip(columns, heads, strict=True))
        )
    reviews_30, ms_30 = stats.window(30)
    reviews_90, ms_90 = stats.window(90)
    upcoming = list(stats.forecast.values())
    r = stats.retention
    s = stats.streak
    lines += [
        "",
        f"due today {upcoming[0]}, tomorrow {upcoming[1] if len(upcoming) > 1 else 0}, "
        f"next 7 days {sum(upcoming[:7])}, next 30 days {sum(upcoming)}",
        f"reviews today {stats.reviews_on(stats.today)}, last 30 days {reviews_30}, "
        f"last 90 days {reviews_90}",
        f"time spent last 30 days {duration(ms_30)}, last 90 days {duration(ms_90)}",
        f"retention (last {r.days} days): young {rate_text(r.young)}, "
        f"mature {rate_text(r.mature)}, all {rate_text(r.all)}",
        f"streak {s.current} days (longest {s.longest}); studied on {s.last_year} days "
        f"in the last year, {s.study_days} in all",
    ]
    answered = [t for t in stats.tags if t.answers]
    if answered:
        tag_width = max(len("tag"), *(len(plain(t.tag)) for t in answered))
        lines += ["", f"{'tag':<{tag_width}}  accuracy  answers  items   (weakest first)"]
        for t in answered:
            accuracy = percent(t.accuracy)
            lines.append(
                f"{plain(t.tag):<{tag_width}}  {accuracy:>8}  {t.answers:>7}  {t.items:>5}"
            )
    return "\n".join(lines) + "\n"


def run(ctx: Context, store: ProgressStore, *, as_json: bool, out: TextIO) -> int:
    stats = load(ctx, store)
    if as_json:
        out.write(orjson.dumps(to_json(stats), option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        out.write(text(stats))
    return 0
