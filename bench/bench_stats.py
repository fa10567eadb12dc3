"""How long the statistics take with a long history: `python bench/bench_stats.py [N]`.

Writes a progress folder whose log holds N answers (default 100,000) over 2,000 items and a
year and a half of study days, then times: the first fold of the log (no cache yet), the next
fold (cache, no new lines), every figure from the fold, `quiz stats --json` as a process, and
the statistics screen from being pushed until its figures are on screen.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import orjson
from textual.app import App

from quiz.core.model import Card, Deck
from quiz.core.progress import CardState, state_to_dict
from quiz.core.sm2 import review
from quiz.core.stats import compute
from quiz.services.context import Context
from quiz.storage.stats_cache import CACHE_FILE
from quiz.storage.store import FileStore
from quiz.ui.screens.stats import StatsScreen

TODAY = date(2026, 3, 10)
ITEMS = 2_000
TAGS = ("leading-with-care", "holding-to-account", "engaging-the-team", "sharing-the-vision")


def decks() -> list[Deck]:
    return [
        Deck(
            f"d{d}",
            f"Deck {d}",
            tuple(
                Card(f"d{d}", f"c{i}", "basic", front="f", back="b", tags=(TAGS[i % len(TAGS)],))
                for i in range(ITEMS // 5)
            ),
        )
        for d in range(5)
    ]


def write_log(folder: Path, n: int) -> None:
    """`n` answers, each to a random item, spread over 500 days up to TODAY."""
    rng = random.Random(1)
    states: dict[str, CardState] = {}
    lines = [orjson.dumps({"quiz_log": 1})]
    per_day = n // 500 + 1
    for i in range(n):
        day = TODAY - timedelta(days=499 - i // per_day)
        key = f"d{rng.randrange(5)}/c{rng.randrange(ITEMS // 5)}"
        before = states.get(key, CardState())
        quality = rng.choice([1, 3, 4, 4, 5])
        sm2 = before.sm2 if before.sm2.interval < 3000 else CardState().sm2
        after = before.with_sm2(review(sm2, quality, day), first=before.first or day, last=day)
        states[key] = after
        doc = {"id": i + 1, "k": key, "kind": "review", "d": day.isoformat(),
               "t": f"{day.isoformat()}T10:00:00+00:00", "b": state_to_dict(before),
               "a": state_to_dict(after), "q": quality, "ms": rng.randint(3000, 30000)}  # fmt: skip
        lines.append(orjson.dumps(doc))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "log.jsonl").write_bytes(b"\n".join(lines) + b"\n")


class Host(App[None]):
    def __init__(self, ctx: Context, store: FileStore) -> None:
        super().__init__()
        self.ctx, self.store = ctx, store


async def screen_seconds(ctx: Context, store: FileStore) -> float:
    app = Host(ctx, store)
    async with app.run_test(size=(80, 24)) as pilot:
        start = time.perf_counter()
        screen = StatsScreen(ctx, store)
        await app.push_screen(screen)
        while screen.stats is None:
            await pilot.pause(0.005)
        await pilot.pause()
        return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        write_log(folder, n)
        size = (folder / "log.jsonl").stat().st_size
        print(f"log: {n:,} answers, {size / 1e6:.1f} MB")
        with FileStore.open(folder) as opened:
            store = opened
            assert isinstance(store, FileStore)
            t = time.perf_counter()
            cache = store.cache_dir = Path(tmp) / "cache"
            tally = store.log_tally()
            print(f"first fold of the log (no cache): {time.perf_counter() - t:.3f} s")
            t = time.perf_counter()
            tally = store.log_tally()
            print(f"fold from the cache:              {time.perf_counter() - t:.3f} s")
            t = time.perf_counter()
            compute(decks(), store.states(), tally, TODAY)
            print(f"every figure from the fold:       {time.perf_counter() - t:.3f} s")
            ctx = Context(folder, [], TODAY, decks=decks(), cache_dir=cache)
            print(
                f"screen open, cache warm:          {asyncio.run(screen_seconds(ctx, store)):.3f} s"
            )
            (cache / CACHE_FILE).unlink()
            print(
                f"screen open, no cache:            {asyncio.run(screen_seconds(ctx, store)):.3f} s"
            )
        t = time.perf_counter()
        command = ["-m", "quiz", "--data", str(folder), "--no-bundled", "stats", "--json"]
        env = {"QUIZ_TODAY": TODAY.isoformat(), "PATH": "/usr/bin"}
        subprocess.run([sys.executable, *command], check=True, capture_output=True, env=env)
        print(f"`quiz stats --json` (a process):  {time.perf_counter() - t:.3f} s")


if __name__ == "__main__":
    main()
