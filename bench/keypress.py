"""Key press -> next frame in a review with 5,000 cards loaded (a benchmark, not a test).

    python bench/keypress.py [--cards 5000] [--answers 60]

Builds decks of every card type in memory, starts a study session in a headless app at 80x24
and presses the keys a student would: reveal and grade flashcards, pick and submit scenario
answers, accept the grade, pausing briefly on each new card as a reader does. For each key
it records the time from sending the key to

- the first frame drawn after it: the card, answer or feedback the key asked for (when tried,
  its text was already the final one; only a scrollbar's thumb moved after it), and
- the last frame drawn because of it, once layout has settled (the scrollbar included),

and prints the median and 95th percentile in ms, per kind of key and overall. It also times
the deck list's first frame with the bundled decks. Target: p95 <= 50 ms; deck list < 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual import events
from textual._wait import wait_for_idle
from textual.pilot import Pilot

from quiz.core.model import Card, Deck, Option
from quiz.core.progress import CardState, MemoryStore
from quiz.core.sm2 import Sm2State
from quiz.services.context import Context, build
from quiz.storage.settings import Settings
from quiz.ui.app import QuizApp, make_app
from quiz.ui.screens.review import ReviewScreen

TODAY = date(2026, 12, 3)
READ_S = 0.8
"""A student's pause to read each new card."""
SETTLE_S = 0.05
"""After the app is idle, how long to wait for a frame still due (timestamps are what count)."""


def make_decks(n: int) -> list[Deck]:
    """Ten decks of n/10 cards, cycling through basic, cloze, choice and rank."""
    decks = []
    for d in range(10):
        deck_id = f"bench-{d}"
        cards = []
        for i in range(n // 10):
            kind = i % 4
            card_id = f"c{i}"
            if kind == 0:
                cards.append(
                    Card(
                        deck_id,
                        card_id,
                        "basic",
                        front=f"Question **{i}**?",
                        back=f"Answer {i}, with *some* Markdown.",
                        reverse=True,
                    )
                )
            elif kind == 1:
                cards.append(
                    Card(
                        deck_id,
                        card_id,
                        "cloze",
                        text=f"Fact {i}: {{{{c1::one}}}} and {{{{c2::two::hint}}}}.",
                    )
                )
            else:
                options = tuple(
                    Option(
                        f"Option {j} of card {i}",
                        correct=(j in (1, 3)) if kind == 2 else False,
                        why=f"Because {j}.",
                    )
                    for j in range(5)
                )
                cards.append(
                    Card(
                        deck_id,
                        card_id,
                        "choice" if kind == 2 else "rank",
                        scenario=f"A scenario for card {i}.",
                        question="What now?",
                        options=options,
                        explanation="An explanation.",
                        source="A source",
                    )
                )
        decks.append(Deck(deck_id, f"Bench deck {d}", tuple(cards)))
    return decks  # fmt: skip


def seeded_store(decks: list[Deck]) -> MemoryStore:
    """Half the items answered before; a tenth of those due today."""
    store = MemoryStore()
    items = [item for deck in decks for item in deck.items()]
    for number, item in enumerate(items[: len(items) // 2]):
        due = TODAY if number % 7 == 0 else TODAY + timedelta(days=1 + number % 30)
        state = CardState.from_sm2(Sm2State(2, 2.5, 6, due), first=TODAY - timedelta(days=40))
        store.record(item.key, "review", day=TODAY - timedelta(days=40), time="t", after=state)
    return store


class FrameClock:
    """Records the time of every frame the app renders."""

    def __init__(self, app: QuizApp) -> None:
        self.frames: list[float] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                self.frames.append(time.perf_counter())
            original(screen, renderable)

        app._display = display  # type: ignore[method-assign]


async def press(pilot: Pilot[None], clock: FrameClock, key: str) -> tuple[float, float] | None:
    """Send one key; return ms until the first and the last frame it caused (None: no frame)."""
    app = pilot.app
    assert app._driver is not None
    seen = len(clock.frames)
    start = time.perf_counter()
    app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
    await wait_for_idle(0)
    await pilot._wait_for_screen()
    await wait_for_idle(0)
    await asyncio.sleep(SETTLE_S)
    frames = clock.frames[seen:]
    return ((frames[0] - start) * 1000, (frames[-1] - start) * 1000) if frames else None


def next_keys(app: QuizApp) -> list[tuple[str, str]]:
    """The keys a student presses for the card on screen, labelled by what they do."""
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    item = screen.session.current
    assert item is not None
    if item.kind == "choice":
        return [("pick", "2"), ("pick", "4"), ("submit", "enter"), ("accept", "enter")]
    if item.kind == "rank":
        return [("type", "2"), ("move", "shift+down"), ("submit", "enter"), ("accept", "enter")]
    return [("reveal", "space"), ("grade", "3")]


Timings = dict[str, list[tuple[float, float]]]


async def review_latency(cards: int, answers: int) -> Timings:
    decks = make_decks(cards)
    ctx = Context(Path(tempfile.mkdtemp()), [], TODAY, Settings(new_per_day=9999), [], decks, [])
    app = make_app(ctx, seeded_store(decks), start="study")
    times: Timings = defaultdict(list)
    async with app.run_test(size=(80, 24)) as pilot:
        clock = FrameClock(app)
        await pilot.pause()
        for _ in range(answers):
            for label, key in next_keys(app):
                ms = await press(pilot, clock, key)
                if ms is not None:
                    times[label].append(ms)
            await asyncio.sleep(READ_S)
    return times


async def deck_list_first_frame() -> float:
    start = time.perf_counter()
    data = Path(tempfile.mkdtemp())
    ctx = build(data=str(data), env={"QUIZ_TODAY": TODAY.isoformat()})
    app = make_app(ctx, MemoryStore())
    async with app.run_test(size=(80, 24)) as pilot:
        clock = FrameClock(app)
        await pilot.pause()
        first = clock.frames[0] if clock.frames else time.perf_counter()
        print(f"deck list: {len(ctx.decks)} bundled decks,"
              f" {sum(len(d.items()) for d in ctx.decks)} items")  # fmt: skip
    return (first - start) * 1000


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"median {statistics.median(values):5.1f}  p95 {p95:5.1f}  max {values[-1]:5.1f}"


def report(label: str, timings: list[tuple[float, float]]) -> None:
    first = percentiles([f for f, _ in timings])
    last = percentiles([s for _, s in timings])
    print(f"{label:>7} n={len(timings):4d} | first frame: {first} | settled: {last}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--answers", type=int, default=60)
    args = parser.parse_args()
    times = asyncio.run(review_latency(args.cards, args.answers))
    print(f"key press -> frame (ms), review with {args.cards} cards loaded, 80x24:")
    for label, values in sorted(times.items()):
        report(label, values)
    report("all", [v for values in times.values() for v in values])
    print(
        f"deck list first frame: {asyncio.run(deck_list_first_frame()):.0f} ms (includes loading)"
    )


if __name__ == "__main__":
    main()
