"""B3 before and after: `quiz study` from several checkouts, in turns with Textual's floor.

    python bench/compare_starts.py OLD_CHECKOUT NEW_CHECKOUT [--starts 5]
    python bench/compare_starts.py OLD NEW --data HISTORY --decks DECKS   # the 10k start

This machine's speed changes from minute to minute, so two figures taken apart cannot be
compared; these are taken in turns. Each checkout gets its own progress folder (a copy of
`--data`, or an empty one) and one untimed first start, which fills its deck cache; then
each of the floor and the checkouts is started `--starts` times, in turns, and the median,
fastest and slowest are printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench.startup import (  # noqa: E402
    compile_package,
    first_item,
    marker,
    study_argv,
    time_floor,
    time_to_text,
)
from bench.synth import TODAY  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="+", type=Path, help="folders holding quiz/")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--data", type=Path, help="a progress folder to start from (copied)")
    parser.add_argument("--decks", type=Path, action="append", default=[])
    args = parser.parse_args()
    caches = tempfile.mkdtemp(prefix="quiz-bench-cache-")  # not the user's cache folder
    env = {"QUIZ_CACHE": caches, **os.environ, "QUIZ_TODAY": TODAY.isoformat()}
    folders: dict[Path, Path] = {}
    for checkout in args.checkouts:
        compile_package(checkout / "quiz")
        folder = Path(tempfile.mkdtemp())
        if args.data:
            shutil.copytree(args.data, folder, dirs_exist_ok=True)
        folders[checkout] = folder
    bundled = not args.decks
    mark = marker(first_item(next(iter(folders.values())), args.decks, bundled, env))

    def start(checkout: Path | None) -> float:
        if checkout is None:
            return time_floor(env, ROOT)[0]
        argv = study_argv(folders[checkout], args.decks, bundled)
        return time_to_text(argv, mark, env=env, cwd=checkout)[0]

    for checkout in args.checkouts:
        start(checkout)  # the first start: decks checked and kept
    kinds: list[Path | None] = [None, *args.checkouts]
    seconds: dict[Path | None, list[float]] = {kind: [] for kind in kinds}
    for turn in range(args.starts):
        for kind in kinds if turn % 2 == 0 else kinds[::-1]:
            seconds[kind].append(start(kind))
    for kind in kinds:
        times = seconds[kind]
        name = "floor (Textual's smallest app)" if kind is None else str(kind)
        print(
            f"{name:40} median {statistics.median(times):.3f} s"
            f"  fastest {min(times):.3f}  slowest {max(times):.3f}"
        )


if __name__ == "__main__":
    main()
