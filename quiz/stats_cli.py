"""`quiz stats`: progress figures as a text table or as JSON."""

from __future__ import annotations

from typing import Any, TextIO

import orjson

from quiz.context import Context
from quiz.core.progress import ProgressStore
from quiz.core.stats import deck_counts

COLUMNS = ("total", "new", "due", "learning", "young", "mature", "suspended")


def figures(ctx: Context, store: ProgressStore) -> dict[str, Any]:
    """Everything `quiz stats --json` prints (the shape is documented in README.md)."""
    counts = deck_counts(ctx.decks, store.states(), ctx.today)
    return {
        "today": ctx.today.isoformat(),
        "decks": {deck_id: c.as_dict() for deck_id, c in counts.items()},
    }


def run(ctx: Context, store: ProgressStore, *, as_json: bool, out: TextIO) -> int:
    data = figures(ctx, store)
    if as_json:
        out.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    width = max([len("deck"), *(len(deck_id) for deck_id in data["decks"])])
    out.write(f"{'deck':<{width}}  " + "  ".join(f"{c:>9}" for c in COLUMNS) + "\n")
    for deck_id, row in data["decks"].items():
        out.write(f"{deck_id:<{width}}  " + "  ".join(f"{row[c]:>9}" for c in COLUMNS) + "\n")
    return 0
