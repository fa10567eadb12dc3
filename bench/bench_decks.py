"""Time deck loading and `quiz validate` at 10,000 cards (not a test; run by hand).

    python bench/bench_decks.py [--runs N]

Prints the best and median wall time, and the best CPU time, of: validating one 10,000-card
deck (clean, and with an error near its end), `--strict` on it, and loading 20 decks of 500
cards with `load_decks`.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz.commands import validate
from quiz.deckfile.deck import load_decks


def make_deck(deck_id: str, n: int) -> dict[str, object]:
    """A deck of `n` cards, the four types in turn, with every optional field used somewhere."""
    cards: list[dict[str, object]] = []
    for i in range(n):
        common = {"id": f"c{i}", "tags": ["t"], "source": "Bench"}
        kind = i % 4
        if kind == 0:
            cards.append({**common, "type": "basic", "front": f"Question {i}? " * 3,
                          "back": f"Answer {i}.", "reverse": i % 8 == 0})  # fmt: skip
        elif kind == 1:
            text = f"Fact {i}: {{{{c1::one}}}} and {{{{c2::two::hint}}}}."
            cards.append({**common, "type": "cloze", "text": text})
        elif kind == 2:
            options = [
                {"text": f"Option {k}", "correct": k == 1, "why": "Because."} for k in range(4)
            ]
            cards.append({**common, "type": "choice", "scenario": "On the ward... " * 4,
                          "question": f"What first ({i})?", "options": options,
                          "explanation": "Safety first."})  # fmt: skip
        else:
            options = [{"text": f"Action {k}", "why": "Because."} for k in range(5)]
            cards.append({**common, "type": "rank", "question": f"Rank ({i}).",
                          "options": options, "explanation": "Ideal order."})  # fmt: skip
    return {"format": 1, "id": deck_id, "title": f"Bench {deck_id}", "cards": cards}


def timed(action: Callable[[], object], runs: int) -> str:
    """Wall time and CPU time (the CPU time holds steadier on a shared machine)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return (
        f"wall best {min(wall):.3f} s, median {statistics.median(wall):.3f} s; "
        f"CPU best {min(cpu):.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = folder / "big.json"
        text = json.dumps(make_deck("big", 10_000), indent=2)
        big.write_text(text, encoding="utf-8")
        broken = folder / "broken.json"
        broken.write_text(text.replace('"back": "Answer 9996."', '"bakc": "x"'), encoding="utf-8")
        many = folder / "many"
        many.mkdir()
        for d in range(20):
            (many / f"d{d:02}.json").write_text(json.dumps(make_deck(f"d{d}", 500), indent=2))

        def check(path: Path, strict: bool = False) -> None:
            sink = io.StringIO()
            validate.run([str(path)], strict=strict, fmt="text", out=sink, err=sink)

        print(f"10,000-card deck, {len(text) / 1e6:.1f} MB")
        print(f"  validate (clean):          {timed(lambda: check(big), runs)}")
        print(f"  validate (2 errors):       {timed(lambda: check(broken), runs)}")
        print(f"  validate --strict:         {timed(lambda: check(big, True), runs)}")
        loaded, _ = load_decks([many])
        assert sum(len(deck.cards) for deck in loaded) == 10_000
        print(f"  load_decks, 20 x 500:      {timed(lambda: load_decks([many]), runs)}")


if __name__ == "__main__":
    main()
