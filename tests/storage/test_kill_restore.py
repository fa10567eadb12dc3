"""A kill at every step of a restore, of a backup and of closing a log segment: the folder then
opens whole, with nothing acknowledged lost.

Each step that changes the disk (a rename, a hard link, a removal, a flush, a new folder) is a
place where a kill can land. A forked child counts those steps; the test first runs the action
once to count them, then once per step with the child SIGKILLing itself just before that
step, and checks what a quiz opening the folder afterwards sees. (test_kill.py kills at random
moments instead, while the child answers, rotates and backs up.)
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.core.progress import CardState, ProgressStore
from quiz.core.sm2 import Sm2State
from quiz.storage import durable, segments
from quiz.storage.folder import REPLACED_DIR, RESTORE_JOURNAL, backups, read_backup, restore
from quiz.storage.store import FileStore

DAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 10, 0)
SMALL = 900

Moment = tuple[tuple[tuple[str, CardState], ...], tuple[int, ...]]


def answer(store: ProgressStore, start: int, count: int) -> None:
    for i in range(start, start + count):
        after = CardState.from_sm2(Sm2State(i % 9, 2.5, i, DAY), first=DAY)
        store.record(f"d/{i % 11}", "review", day=DAY, time="t", after=after, quality=4)


def moment(folder: Path) -> Moment:
    """The states and the effective entries' ids a store opened on `folder` sees."""
    with FileStore.open(folder) as store:
        assert not store.notices  # its checkpoint agreed with its log: nothing was rebuilt
        return tuple(sorted(store.states().items())), tuple(e.id for e in store.entries())


# --- killing a child at its n-th step ---

STEPS: list[tuple[Any, str]] = [
    (durable, "replace"),
    (durable, "sync_folder"),
    (durable, "sync_file"),
    (segments, "link_or_copy"),
    (shutil, "rmtree"),
    (os, "unlink"),
    (os, "mkdir"),
]


def run_child(kill_at: int | None, action: Callable[[], None], counted: Any) -> None:
    """In the child: count the steps of `action`, SIGKILL before step `kill_at`."""
    count = 0
    for owner, name in STEPS:
        real = getattr(owner, name)

        def step(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
            nonlocal count
            if count == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            count += 1
            return _real(*args, **kwargs)

        setattr(owner, name, step)
    segments.SEGMENT_BYTES = SMALL
    action()
    counted.value = count


def kill_at(step: int | None, action: Callable[[], None]) -> int:
    """Run `action` in a forked child killed before `step` (None: not killed); returns the
    number of steps it took when it ran to the end, else -1."""
    context = multiprocessing.get_context("fork")
    counted = context.Value("i", -1)
    child = context.Process(target=run_child, args=(step, action, counted))
    child.start()
    child.join(60)
    assert child.exitcode == (0 if step is None else -signal.SIGKILL), child.exitcode
    return int(counted.value)


# --- restore ---


@pytest.fixture
def two_backups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with two backups (of 0 and 15 answers... made at session starts), and 30
    answers since, over several segments."""
    monkeypatch.setattr(segments, "SEGMENT_BYTES", SMALL)
    folder = tmp_path / "progress"
    given = 0
    for session in range(3):
        with FileStore.open(folder) as store:
            store.backup(NOW - timedelta(days=3 - session))
            answer(store, given, 15)
            given += 15
    assert len(backups(folder)) == 3
    return folder


def test_a_kill_at_any_step_of_a_restore_loses_nothing(two_backups: Path, tmp_path: Path) -> None:
    folder = two_backups
    names = [made.name for made in backups(folder)][1:]  # of 15 and 30 answers
    wanted = {name: moment_of_backup(folder, name, tmp_path) for name in names}
    pristine = tmp_path / "pristine"
    shutil.copytree(folder, pristine)
    live = moment(pristine)
    assert live not in wanted.values()

    def restoring(name: str) -> Callable[[], None]:
        def run() -> None:
            restore(folder, name, NOW, exact=True)

        return run

    steps = kill_at(None, restoring(names[0]))
    assert steps > 10
    shutil.rmtree(folder)
    cut_short = 0
    for step in range(steps):
        shutil.copytree(pristine, folder)
        kill_at(step, restoring(names[0]))
        cut_short += (folder / RESTORE_JOURNAL).exists()
        after = moment(folder)  # finishes a restore cut short
        assert after in (live, wanted[names[0]]), step
        assert not (folder / RESTORE_JOURNAL).exists()
        # What the restore replaced is whole, set aside.
        if after != live:
            (aside,) = (folder / REPLACED_DIR).iterdir()
            assert moment_of_copy(aside, tmp_path) == live, step
        # A second restore on top of the first works as ever.
        restore(folder, names[1], NOW + timedelta(hours=1), exact=True)
        assert moment(folder) == wanted[names[1]]
        shutil.rmtree(folder)
    assert cut_short > steps // 2


def test_a_kill_at_any_step_of_a_restore_keeping_later_answers_loses_nothing(
    two_backups: Path, tmp_path: Path
) -> None:
    """The backup of 15 answers restored with the 30 answers after it (and an undo record)
    kept on top: a kill before any step leaves the folder as it was or restored with every
    later answer, never the backup alone nor a mixture, and the files set aside whole."""
    folder = two_backups
    with FileStore.open(folder) as store:
        answer(store, 200, 3)
        last = list(store.entries())[-1]
        store.cancel(last, time="t")
    name = backups(folder)[1].name
    backup_ids = moment_of_backup(folder, name, tmp_path)[1]
    assert backup_ids == tuple(range(1, 16))
    pristine = tmp_path / "pristine"
    shutil.copytree(folder, pristine)
    live = moment(pristine)
    assert live[1] == tuple(range(1, 48)) and last.id == 48  # undone by record 49
    backup_segments = sorted(p.name for p in (folder / "backups" / name / "log").iterdir())

    def run() -> None:
        done = restore(folder, name, NOW)
        assert (done.kept, done.not_kept) == (32, None)  # 33 answers, one of them undone

    steps = kill_at(None, run)
    assert steps > 10
    shutil.rmtree(folder)
    cut_short = 0
    for step in [*range(steps), None]:
        shutil.copytree(pristine, folder)
        kill_at(step, run)
        cut_short += (folder / RESTORE_JOURNAL).exists()  # the next open finishes it
        if step is None:  # the backup's closed segments, the later answers in log.jsonl
            closed = sorted(p.name for p in (folder / segments.SEGMENT_DIR).iterdir())
            assert closed == backup_segments
        assert moment(folder) == live, step  # every answer, the undone one still undone
        assert not (folder / RESTORE_JOURNAL).exists()
        for aside in (folder / REPLACED_DIR).glob("*"):  # what it set aside is whole
            if any(aside.iterdir()):
                assert moment_of_copy(aside, tmp_path) == live, step
        shutil.rmtree(folder)
    assert cut_short > steps // 2


def moment_of_backup(folder: Path, name: str, scratch: Path) -> Moment:
    """The moment backup `name` holds, restored in a copy of the folder."""
    copy = scratch / f"copy-{name}"
    shutil.copytree(folder, copy)
    restore(copy, name, NOW, exact=True)
    try:
        return moment(copy)
    finally:
        shutil.rmtree(copy)


def moment_of_copy(path: Path, scratch: Path) -> Moment:
    copy = scratch / f"aside-{path.name}"
    shutil.copytree(path, copy)
    try:
        return moment(copy)
    finally:
        shutil.rmtree(copy)


# --- a backup, and closing a segment ---


def test_a_kill_at_any_step_of_a_backup_or_a_rotation_loses_nothing(
    two_backups: Path, tmp_path: Path
) -> None:
    """The child opens the store (which finishes what a kill cut short), backs up, and answers
    until a segment closes; a kill before any step of it leaves every answer given before
    it, every backup listed whole, and a folder that opens."""
    folder = two_backups
    pristine = tmp_path / "pristine"
    shutil.copytree(folder, pristine)
    live = moment(pristine)
    closed = len(list((pristine / segments.SEGMENT_DIR).iterdir()))

    def session() -> None:
        with FileStore.open(folder) as store:
            store.backup(NOW + timedelta(days=1))
            answer(store, 100, 6)  # at least one segment closes
        assert len(list((folder / segments.SEGMENT_DIR).iterdir())) > closed

    steps = kill_at(None, session)
    shutil.rmtree(folder)
    for step in range(steps):
        shutil.copytree(pristine, folder)
        kill_at(step, session)
        _states, ids = moment(folder)
        assert ids[: len(live[1])] == live[1], step  # nothing given before was lost
        assert ids == tuple(range(1, len(ids) + 1)) and len(ids) <= len(live[1]) + 6
        for made in backups(folder):
            read_backup(made)
        shutil.rmtree(folder)
