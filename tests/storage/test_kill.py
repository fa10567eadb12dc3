"""SIGKILL a process that is answering, at random moments: every acknowledged answer survives.

The child acknowledges an answer only after `record` returned, i.e. after its log line was
fsync'd. It checkpoints often, closes a log segment every twenty answers or so and backs up
every tenth answer, so kills also land mid-checkpoint, mid-rotation, mid-backup (and
mid-removal of the oldest backup) and mid-replay. Children are forked, so a trial costs
milliseconds, not a new interpreter: 150 trials in CI, as three tests of 50 on folders of their
own (every step of a backup, a rotation and a restore is also killed in turn in
test_kill_restore.py); `QUIZ_KILL_TRIALS=1000` (or more) by hand.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
from datetime import date, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

import orjson
import pytest

from quiz.core.progress import CardState
from quiz.core.sm2 import Sm2State
from quiz.storage import segments
from quiz.storage import store as store_module
from quiz.storage.folder import backups, read_backup
from quiz.storage.store import FileStore

TRIALS = int(os.environ.get("QUIZ_KILL_TRIALS", "150"))
RUNS = 3
"""The trials are run as this many tests of TRIALS / RUNS kills each, on their own folders, so
that the test workers share them (one run of 150 was the suite's longest test, 15 s)."""
DAY = date(2026, 11, 26)
OPENED = -1
SEGMENT_BYTES = 5000
"""A segment closes about every twenty answers: in most trials, as a real one does every
14,000, without a backup linking hundreds of segments by the end."""
BACKUP_EVERY = 10


def answer_forever(folder: str, start: int, acks: Connection) -> None:
    """The child: open the store, then answer and acknowledge each answer, until killed."""
    store_module.CHECKPOINT_EVERY = 7
    segments.SEGMENT_BYTES = SEGMENT_BYTES
    store = FileStore.open(Path(folder))
    acks.send(OPENED)
    i = start
    while True:
        key = f"d/{i % 23}"
        after = CardState.from_sm2(Sm2State(i % 50, 2.5, i, DAY), first=DAY)
        store.record(key, "review", day=DAY, time="t", after=after, quality=4)
        acks.send(i)
        if i % BACKUP_EVERY == 0:
            store.backup(datetime(2026, 11, 26) + timedelta(seconds=i))
        i += 1


def receive(receiver: Connection) -> int:
    if not receiver.poll(60):
        pytest.fail("the answering child went silent for 60 s")
    message = receiver.recv()
    assert isinstance(message, int)
    return message


def expected_state_of(i: int) -> tuple[int, int]:
    return i % 50, i


@pytest.mark.parametrize("seed", range(RUNS))
def test_every_acknowledged_answer_survives_sigkill(tmp_path: Path, seed: int) -> None:
    # Forked from this process, which has quiz imported: a trial costs no interpreter start.
    # The child touches only quiz, orjson and os, all imported before the fork.
    context = multiprocessing.get_context("fork")
    rng = random.Random(seed)
    latest: dict[str, int] = {}
    next_i = 0
    killed_while_opening = 0
    trials = max(1, TRIALS // RUNS)
    for _trial in range(trials):
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=answer_forever, args=(str(tmp_path), next_i, sender))
        child.start()
        sender.close()
        wanted = rng.randint(-1, 24)  # -1: kill while it opens and replays
        acknowledged: list[int] = []
        if wanted >= 0:
            assert receive(receiver) == OPENED
            acknowledged = [receive(receiver) for _ in range(wanted)]
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        assert child.exitcode == -signal.SIGKILL
        while receiver.poll():  # acknowledgements sent before the kill landed
            try:
                message = receiver.recv()
            except EOFError:
                break
            if message == OPENED:
                continue
            acknowledged.append(message)
        receiver.close()
        killed_while_opening += not acknowledged
        for i in acknowledged:
            latest[f"d/{i % 23}"] = i
        next_i = max(latest.values(), default=-1) + 1000  # later answers never reuse a value

        reopened = FileStore.open(tmp_path)
        try:
            assert not reopened.notices  # a kill never leaves a checkpoint that needs rebuilding
            for key, i in latest.items():
                got = reopened.state(key)
                # A later answer may have reached the disk without its acknowledgement.
                assert got.sm2.interval >= i, (key, i, got)
                if got.sm2.interval == i:
                    assert got.sm2.repetitions == expected_state_of(i)[0]
                latest[key] = got.sm2.interval
            # Nothing unreadable: every log line and the checkpoint parse.
            assert len(list(reopened.entries())) >= len(acknowledged)
            progress = tmp_path / "progress.json"
            if progress.exists():
                assert isinstance(orjson.loads(progress.read_bytes()), dict)
            for made in backups(tmp_path):  # every backup listed is whole
                read_backup(made)
        finally:
            reopened._release()  # leave the files exactly as the kill left them
    assert 0 < killed_while_opening < trials  # both kinds of moment were hit
    assert len(list((tmp_path / "log").iterdir())) > trials // 20  # segments were closed
    assert len(backups(tmp_path)) == 10
