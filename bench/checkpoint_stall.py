"""The answer that calls for the automatic checkpoint, at a collection's size.

    python bench/checkpoint_stall.py PROGRESS_COPY [ANSWERS]

Opens a progress folder (use a copy: answers are written to it), records ANSWERS (400)
answers through `FileStore.record` to the first ANSWERS keys of its checkpoint, timing each,
and prints the median, the p95, the slowest, the answers that called for a checkpoint (every
`CHECKPOINT_EVERY`) and closing. At B7's size the checkpoint's answer took 89-143 ms before
the checkpoint was written in a thread (bench/README.md, B7).
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz.core.progress import CardState
from quiz.core.sm2 import Sm2State
from quiz.storage import store as store_module
from quiz.storage.store import FileStore

DAY = date(2026, 11, 26)


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    answers = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    gc.disable()  # as the command line has it while it starts
    store = FileStore.open(Path(sys.argv[1]))
    after = CardState.from_sm2(Sm2State(3, 2.5, 10, date(2026, 12, 6)), first=DAY, last=DAY)
    times = []
    for key in list(store.states())[:answers]:
        started = time.perf_counter()
        store.record(key, "review", day=DAY, time=f"{DAY}T10:00:00+00:00", after=after, quality=4)
        times.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    store.close()
    closing = (time.perf_counter() - started) * 1000
    every = store_module.CHECKPOINT_EVERY
    calling = " / ".join(f"{times[n]:.1f}" for n in range(every - 1, len(times), every))
    ordered = sorted(times)
    print(
        f"median {statistics.median(times):.2f} ms  p95 {ordered[int(len(ordered) * 0.95)]:.2f} ms"
        f"  slowest {ordered[-1]:.1f} ms  checkpoint's answers {calling} ms"
        f"  close {closing:.0f} ms"
    )


if __name__ == "__main__":
    main()
