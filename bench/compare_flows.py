"""B7 before and after: the study flow (bench/flow.py) of several checkouts, in turns.

    python bench/compare_flows.py OLD_CHECKOUT NEW_CHECKOUT --data HISTORY --decks DECKS
    python bench/compare_flows.py OLD NEW --data "$W/templates/data-collection-"*[0-9a-f] \
        --decks "$W/templates/collection-"*[0-9a-f] --flows 5

As bench/compare_starts.py does for B3: each checkout gets its own copy of the progress folder
and its own cache folder, and one untimed first flow (its deck cache and statistics cache are
filled); then each checkout's flow runs `--flows` times, the checkouts in turns (the order
turning each round), and the medians of the start, deck list and statistics times and the
largest peak memory are printed.
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

from bench.flow import FlowTimes, study_flow  # noqa: E402
from bench.startup import compile_package, first_item, marker, study_argv  # noqa: E402
from bench.synth import TODAY  # noqa: E402
from quiz.services.context import build  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="+", type=Path, help="folders holding quiz/")
    parser.add_argument("--flows", type=int, default=5)
    parser.add_argument("--data", type=Path, required=True, help="a progress folder (copied)")
    parser.add_argument("--decks", type=Path, action="append", required=True)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--each", action="store_true", help="also print every flow's times")
    args = parser.parse_args()
    env = {**os.environ, "QUIZ_TODAY": TODAY.isoformat()}
    folders: dict[Path, Path] = {}
    caches: dict[Path, str] = {}
    for checkout in args.checkouts:
        compile_package(checkout / "quiz")
        folder = Path(tempfile.mkdtemp(dir=args.work)) / "data"
        shutil.copytree(args.data, folder)
        folders[checkout] = folder
        caches[checkout] = tempfile.mkdtemp(prefix="quiz-cache-", dir=args.work)
    first = args.checkouts[0]
    mark = marker(first_item(folders[first], args.decks, False, env))
    ctx = build(data=str(folders[first]), decks=[str(d) for d in args.decks], bundled=False,
                env={**env, "QUIZ_CACHE": caches[first]})  # fmt: skip
    title = ctx.decks[0].title

    def flow(checkout: Path) -> FlowTimes:
        argv = study_argv(folders[checkout], args.decks, False)
        chosen = {**env, "QUIZ_CACHE": caches[checkout]}
        return study_flow(argv, mark, title, env=chosen, cwd=checkout)

    for checkout in args.checkouts:
        flow(checkout)  # the first flow: both caches filled
    times: dict[Path, list[FlowTimes]] = {checkout: [] for checkout in args.checkouts}
    for turn in range(args.flows):
        order = args.checkouts if turn % 2 == 0 else args.checkouts[::-1]
        for checkout in order:
            times[checkout].append(flow(checkout))
    for checkout, flows in times.items():
        if args.each:
            print(
                f"{checkout!s:40} starts {' '.join(f'{f.start_s:.2f}' for f in flows)}"
                f"  deck lists {' '.join(f'{f.decklist_s:.2f}' for f in flows)}"
            )
        print(
            f"{checkout!s:40} start {statistics.median(f.start_s for f in flows):.3f} s"
            f"  deck list {statistics.median(f.decklist_s for f in flows):.3f} s"
            f"  statistics {statistics.median(f.stats_s for f in flows):.3f} s"
            f"  peak {max(f.peak_rss_mb for f in flows):.0f} MB"
        )
    for folder in folders.values():
        shutil.rmtree(folder.parent, ignore_errors=True)
    for cache in caches.values():
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
