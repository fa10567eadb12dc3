"""Key press -> next frame on cards with pictures (B5's measure; a benchmark, not a test).

    python bench/picture_answer.py [--cards 30] [--answers 20]

Writes a deck of basic cards each showing its own picture (a 1600x1200 JPEG photo-like
noise and a 480x260 PNG chart, in turns), starts a study session in a headless app at 80x24
with pictures on (half-blocks: there is no terminal), and reveals and grades each card as
`bench/keypress.py` does. For each key it prints the time to the first and the last frame it
caused, and, for a grade, the time until the next card's picture was on screen (it is decoded
in a thread: the card itself shows before it). Target: p95 <= 50 ms to the first frame.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from bench.keypress import TODAY, FrameClock, percentiles, press, report
from quiz.core.progress import MemoryStore
from quiz.deckfile.deck import load_deck
from quiz.services.context import Context
from quiz.storage.settings import Settings
from quiz.ui.app import make_app
from quiz.ui.widgets.picture import Picture

READ_S = 0.8


def write_deck(folder: Path, cards: int) -> Path:
    """A deck file of `cards` basic cards, each with a picture of its own beside it."""
    import json
    import random

    (folder / "images").mkdir(parents=True)
    chart = Path(__file__).resolve().parents[1] / "decks" / "images" / "spc-chart.png"
    rng = random.Random(0)
    made = []
    for number in range(cards):
        if number % 2:
            name = f"images/chart-{number}.png"
            (folder / name).write_bytes(chart.read_bytes())
        else:
            name = f"images/photo-{number}.jpg"
            noise = bytes(rng.getrandbits(8) for _ in range(160 * 120 * 3))
            photo = Image.frombytes("RGB", (160, 120), noise).resize((1600, 1200))
            photo.save(folder / name, quality=85)
        made.append(
            {
                "id": f"card-{number}",
                "type": "basic",
                "front": f"Card {number}: what does it show?\n\n![picture {number}]({name})",
                "back": f"Answer {number}.",
            }
        )
    path = folder / "pictures.json"
    path.write_text(json.dumps({"format": 1, "id": "pics", "title": "Pics", "cards": made}))
    return path


async def answers(cards: int, count: int) -> dict[str, list[tuple[float, float]]]:
    from quiz.ui.widgets.picture import prepare

    prepare(True)
    deck = load_deck(write_deck(Path(tempfile.mkdtemp()), cards))
    ctx = Context(Path(tempfile.mkdtemp()), [], TODAY, Settings(new_per_day=9999), [], [deck], [])
    app = make_app(ctx, MemoryStore(), start="study")
    times: dict[str, list[tuple[float, float]]] = {"reveal": [], "grade": [], "picture": []}
    async with app.run_test(size=(80, 24)) as pilot:
        clock = FrameClock(app)
        await pilot.pause()
        for _ in range(count):
            for label, key in (("reveal", "space"), ("grade", "3")):
                start = time.perf_counter()
                ms = await press(pilot, clock, key)
                if ms is not None:
                    times[label].append(ms)
                if label == "grade":  # the next card's picture (there is always a next card)
                    while not any(p.drawn for p in app.screen.query(Picture)):
                        if time.perf_counter() - start > 10:
                            raise RuntimeError("the next card's picture was never drawn")
                        await asyncio.sleep(0.005)
                    drawn = (time.perf_counter() - start) * 1000
                    times["picture"].append((drawn, drawn))
            await asyncio.sleep(READ_S)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=30)
    parser.add_argument("--answers", type=int, default=20)
    args = parser.parse_args()
    if args.answers >= args.cards:
        parser.error("--answers must be fewer than --cards (each grade waits for a next card)")
    times = asyncio.run(answers(args.cards, args.answers))
    print("key press -> frame (ms), cards with pictures, 80x24:")
    for label in ("reveal", "grade"):
        report(label, times[label])
    report("all", times["reveal"] + times["grade"])
    drawn = percentiles([f for f, _ in times["picture"]])
    print(f"grade -> next card's picture drawn (ms): {drawn}")


if __name__ == "__main__":
    main()
