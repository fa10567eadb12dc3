"""`quiz stats`: progress figures as a text table or as JSON (shape documented in README.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

import orjson

from quiz.core.progress import ProgressStore
from quiz.core.schedulers import SM2, Scheduler
from quiz.core.stats import Stats
from quiz.services.exams import collection_readiness, readiness_lines
from quiz.services.stats import (
    COLUMNS,
    duration,
    load,
    percent,
    plain,
    rate_text,
    recall_line,
    to_json,
)

if TYPE_CHECKING:
    from quiz.services.context import Context


def text(stats: Stats) -> str:
    """The figures as plain text tables (for a terminal; no colour, no markup)."""
    lines: list[str] = [
        f"Statistics for {stats.today.isoformat()}, scheduled by {stats.scheduler}",
        "",
    ]
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
    if stats.recall:
        lines.append(recall_line(stats))
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


def run(
    ctx: Context,
    store: ProgressStore,
    *,
    as_json: bool,
    out: TextIO,
    scheduler: Scheduler = SM2,
) -> int:
    stats = load(ctx, store, scheduler=scheduler)
    ready, exams, problem = collection_readiness(ctx, store, scheduler)
    if problem:
        ctx.notices.append(problem)
    if as_json:
        doc = to_json(stats)
        doc["exams"] = [r.to_json() for r in ready]
        doc["skipped"] = [  # decks not loaded, so not in the figures: said, not left out
            {"file": str(s.path), "problem": str(s.errors[0]) if s.errors else ""}
            for s in ctx.skipped
        ]
        doc["notices"] = list(ctx.notices)
        out.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        out.write(text(stats))
        if exams:
            lines = ["", "exams", *readiness_lines(ready, exams, ctx.today)]
            out.write("\n".join(lines) + "\n")
    return 0
