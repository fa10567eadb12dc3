"""SIGKILL a process that is answering, at random moments: every acknowledged answer survives.

The child acknowledges an answer on stdout only after `record` returned, i.e. after its log line
was fsync'd. It checkpoints often, so kills also land mid-checkpoint and mid-replay.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from quiz.store import FileStore

TRIALS = int(os.environ.get("QUIZ_KILL_TRIALS", "60"))
DAY = date(2026, 11, 26)

CHILD = """
import sys
from datetime import date
from pathlib import Path
from quiz import store as store_module
from quiz.core.progress import CardState
from quiz.core.sm2 import Sm2State
store_module.CHECKPOINT_EVERY = 7
store = store_module.FileStore.open(Path(sys.argv[1]))
start = int(sys.argv[2])
print("open", flush=True)
i = start
while True:
    key = f"d/{i % 23}"
    after = CardState(Sm2State(i % 50, 2.5, i, date(2026, 11, 26)), first=date(2026, 11, 26))
    store.record(key, "review", day=date(2026, 11, 26), time="t", after=after, quality=4)
    print(i, flush=True)
    i += 1
"""


def expected_state_of(i: int) -> tuple[int, int]:
    return i % 50, i


@pytest.mark.parametrize("seed", [0])
def test_every_acknowledged_answer_survives_sigkill(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    latest: dict[str, int] = {}
    next_i = 0
    for _trial in range(TRIALS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(tmp_path), str(next_i)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        wanted = rng.randint(-1, 40)  # -1: kill while it opens and replays
        if wanted >= 0:
            assert child.stdout.readline().strip() == "open"
            for _ in range(wanted):
                line = child.stdout.readline()
                i = int(line)
                latest[f"d/{i % 23}"] = i
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()
        for line in rest.split("\n"):
            if line.strip().isdigit():
                i = int(line)
                latest[f"d/{i % 23}"] = i
        next_i = max(latest.values(), default=-1) + 1000  # later answers never reuse a value

        reopened = FileStore.open(tmp_path)
        try:
            for key, i in latest.items():
                got = reopened.state(key)
                # A later answer may have reached the disk without its acknowledgement.
                assert got.sm2.interval >= i, (key, i, got)
                if got.sm2.interval == i:
                    assert got.sm2.repetitions == expected_state_of(i)[0]
                latest[key] = got.sm2.interval
        finally:
            reopened._release()  # leave the files exactly as the kill left them
