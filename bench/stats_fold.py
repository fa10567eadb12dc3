"""The statistics cache at B7's size: the first fold of a whole log, and a warm read.

    python bench/stats_fold.py DATA          # DATA: a progress folder (read, never written)

Prints the time and peak memory of `StatsCache(...).tally()` with no cache (the first
statistics a student opens, `B7_first_stats_s`'s largest part), then of three reads of the
cache it saved (the fold read back, as each opening of the statistics does). Run it in a
fresh process: the peak is the process's.
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from quiz.storage.segments import all_segments  # noqa: E402
from quiz.storage.stats_cache import StatsCache  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    data = Path(sys.argv[1])
    cache = Path(tempfile.mkdtemp(prefix="quiz-stats-fold-"))
    try:
        started, cpu = time.perf_counter(), time.process_time()
        tally = StatsCache(cache, all_segments(data)).tally()
        print(
            f"first fold {time.perf_counter() - started:.2f} s "
            f"(cpu {time.process_time() - cpu:.2f} s), peak {peak_mb():.0f} MB, "
            f"{len(tally.days)} (deck, day) rows, {len(tally.keys)} keys"
        )
        for _ in range(3):
            started = time.perf_counter()
            StatsCache(cache, all_segments(data)).tally()
            print(f"warm read {time.perf_counter() - started:.3f} s")
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
