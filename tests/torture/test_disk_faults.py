"""Writes that fail half-way (ENOSPC, EIO): a clear message, the previous file intact, and no
answer lost without the student being told.

tests/storage/test_store.py covers a write refused outright and a checkpoint refused outright;
here the failures come mid-way: a short write, a sync that fails after the bytes went out, a
temp file half written, a rename or a backup copy that fails, and a real full file system.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from quiz.core.model import Card, Deck
from quiz.core.progress import CardState, StoreError
from quiz.core.session import Session
from quiz.core.sm2 import Sm2State
from quiz.storage import durable
from quiz.storage import folder as folder_module
from quiz.storage import store as store_module
from quiz.storage.folder import backup, backups
from quiz.storage.store import FileStore

from .conftest import RunInTmpfs

DAY = date(2026, 11, 26)
T = "2026-11-26T10:00:00+00:00"


def state(n: int) -> CardState:
    return CardState.from_sm2(Sm2State(n % 40, 2.5, n, DAY), first=DAY, last=DAY)


def log_lines(folder: Path) -> list[dict[str, Any]]:
    """Every line of the log, parsed: fails if any line is torn or damaged."""
    raw = (folder / "log.jsonl").read_bytes()
    assert raw.endswith(b"\n")
    return [orjson.loads(line) for line in raw.splitlines()]


def oserror(code: int) -> OSError:
    return OSError(code, os.strerror(code))


# --- the answer path: the log line ---


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_short_write_then_failure_leaves_no_torn_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    opened = FileStore.open(tmp_path)
    opened.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    before = (tmp_path / "log.jsonl").read_bytes()
    real_write = os.write

    def half(fd: int, data: bytes) -> int:
        real_write(fd, data[: len(data) // 2])  # half the line reaches the file
        if code == errno.ENOSPC:
            return len(data) // 2  # a short write, as a full disk gives
        raise oserror(code)

    monkeypatch.setattr(os, "write", half)
    with pytest.raises(StoreError, match="your last answer was NOT saved") as caught:
        opened.record("d/a", "review", day=DAY, time=T, after=state(2), quality=4)
    monkeypatch.undo()
    assert "log.jsonl" in str(caught.value)
    assert (tmp_path / "log.jsonl").read_bytes() == before  # the half line was cut off
    assert opened.state("d/a") == state(1)
    opened.record("d/b", "review", day=DAY, time=T, after=state(3), quality=4)  # disk is back
    opened.close()
    with FileStore.open(tmp_path) as reopened:
        assert reopened.state("d/a") == state(1) and reopened.state("d/b") == state(3)
        assert [e.key for e in reopened.entries()] == ["d/a", "d/b"]


def test_sync_failing_after_the_write_takes_the_line_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EIO from fdatasync: the bytes may be in the page cache but are not known to be on disk,
    so the answer is reported unsaved and its line removed, never left to surface later."""
    opened = FileStore.open(tmp_path)
    opened.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    before = (tmp_path / "log.jsonl").read_bytes()

    def broken(fd: int) -> None:
        raise oserror(errno.EIO)

    monkeypatch.setattr(os, "fdatasync", broken)
    with pytest.raises(StoreError, match=r"NOT saved: Input/output error"):
        opened.record("d/a", "review", day=DAY, time=T, after=state(2), quality=4)
    monkeypatch.undo()
    assert (tmp_path / "log.jsonl").read_bytes() == before
    assert opened.state("d/a") == state(1)
    opened.close()
    with FileStore.open(tmp_path) as reopened:
        assert reopened.state("d/a") == state(1)


# --- the checkpoint: the TinyDB file ---


def _fail_write_half_way(monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = open

    class HalfFile:
        def __init__(self, path: Path, mode: str) -> None:
            self.handle = real_open(path, mode)

        def __enter__(self) -> HalfFile:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise oserror(errno.ENOSPC)

    monkeypatch.setattr(durable, "open", HalfFile, raising=False)


def _fail_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(fd: int) -> None:
        raise oserror(errno.EIO)

    monkeypatch.setattr(os, "fsync", broken)


def _fail_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(src: object, dst: object) -> None:
        raise oserror(errno.EIO)

    monkeypatch.setattr(os, "replace", broken)


@pytest.mark.parametrize(
    ("where", "fail", "reason"),
    [
        ("temp file half written", _fail_write_half_way, "No space left on device"),
        ("sync of the temp file", _fail_fsync, "Input/output error"),
        ("rename over the old file", _fail_rename, "Input/output error"),
    ],
)
def test_checkpoint_failing_mid_save_keeps_the_previous_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    fail: Callable[[pytest.MonkeyPatch], None],
    reason: str,
) -> None:
    opened = FileStore.open(tmp_path)
    opened.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    opened.checkpoint()
    previous = (tmp_path / "progress.json").read_bytes()
    opened.record("d/a", "review", day=DAY, time=T, after=state(2), quality=4)
    opened.record("d/b", "review", day=DAY, time=T, after=state(3), quality=4)
    fail(monkeypatch)
    with pytest.raises(StoreError) as caught:
        opened.checkpoint()
    monkeypatch.undo()
    message = str(caught.value)
    assert "progress.json" in message and "answers are safe in log.jsonl" in message, where
    assert reason in message
    assert (tmp_path / "progress.json").read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lock", "log.jsonl", "progress.json"]
    assert opened.state("d/a") == state(2)  # nothing changed in memory either
    opened.checkpoint()  # the disk is back: the next checkpoint goes through
    opened._release()
    with FileStore.open(tmp_path) as reopened:
        assert reopened.state("d/a") == state(2) and reopened.state("d/b") == state(3)


def test_automatic_checkpoint_failing_does_not_fail_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "CHECKPOINT_EVERY", 3)
    opened = FileStore.open(tmp_path)
    with monkeypatch.context() as broken:
        _fail_fsync(broken)
        broken.setattr(os, "fdatasync", lambda fd: None)  # the log itself still syncs fine
        for n in range(7):  # two automatic checkpoints fail on the way
            opened.record(f"d/{n}", "review", day=DAY, time=T, after=state(n), quality=4)
            opened._wait_for_saving()  # each written in its thread: failed while still broken
    assert not (tmp_path / "progress.json").exists()
    opened._release()
    with FileStore.open(tmp_path) as reopened:
        assert all(reopened.state(f"d/{n}") == state(n) for n in range(7))


def test_close_failing_says_so_releases_the_folder_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = FileStore.open(tmp_path)
    opened.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    _fail_write_half_way(monkeypatch)
    with pytest.raises(StoreError, match=r"answers are safe in log\.jsonl"):
        opened.close()
    monkeypatch.undo()
    with FileStore.open(tmp_path) as reopened:  # the lock was let go all the same
        assert reopened.state("d/a") == state(1)


# --- the session tells the student ---


def basic_deck(n: int) -> Deck:
    cards = tuple(Card("d", f"c{i}", "basic", front=f"q{i}", back=f"a{i}") for i in range(n))
    return Deck("d", "Deck", cards)


def test_session_says_which_answer_was_not_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FileStore.open(tmp_path)
    session = Session(basic_deck(5).items(), store, DAY)
    session.answer(4, time=T)
    shown = session.current
    assert shown is not None

    def full(fd: int) -> None:
        raise oserror(errno.ENOSPC)

    monkeypatch.setattr(os, "fdatasync", full)
    with pytest.raises(StoreError, match="your last answer was NOT saved: No space left"):
        session.answer(5, time=T)
    with pytest.raises(StoreError, match="NOT saved"):
        session.undo(time=T)  # the undo record cannot be written either
    monkeypatch.undo()
    # Nothing moved on: the same card is shown, and the earlier answer can still be undone.
    assert session.current == shown and session.done == 1 and session.can_undo
    assert store.state(shown.key).is_new
    session.answer(5, time=T)  # answered again once the disk has room
    store.close()
    with FileStore.open(tmp_path) as reopened:
        assert [(e.key, e.quality) for e in reopened.entries()] == [
            ("d/c0", 4),
            (shown.key, 5),
        ]


# --- backups ---


def test_backup_failing_mid_write_leaves_no_half_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FileStore.open(tmp_path) as opened:
        opened.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    first = backup(tmp_path, datetime(2026, 11, 26, 9, 0))
    assert first is not None
    real_write = folder_module._write_new
    writes: list[str] = []

    def write_then_fail(path: Path, data: bytes) -> None:
        writes.append(path.name)
        if len(writes) == 2:  # the packed log is written, the packed checkpoint fails
            path.write_bytes(data[:10])
            raise oserror(errno.ENOSPC)
        real_write(path, data)

    monkeypatch.setattr(folder_module, "_write_new", write_then_fail)
    with pytest.raises(StoreError, match="cannot back up progress: No space left on device"):
        backup(tmp_path, datetime(2026, 11, 26, 10, 0))
    monkeypatch.undo()
    assert backups(tmp_path) == [first]
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [first.name]


# --- a real full file system ---

FULL_DISK = """
import json, sys
from datetime import date
from pathlib import Path
from quiz.core.progress import CardState, StoreError
from quiz.core.sm2 import Sm2State
from quiz.storage.store import FileStore

DAY = date(2026, 11, 26)
folder = Path(sys.argv[1]) / "data"

def state(n):
    return CardState.from_sm2(Sm2State(n % 40, 2.5, n, DAY), first=DAY, last=DAY)

store = FileStore.open(folder)
for n in range(5):
    store.record(f"d/{n}", "review", day=DAY, time="t", after=state(n), quality=4)
store.checkpoint()
saved, count, answer_error = {}, 0, None
for n in range(5, 100_000):
    key = f"d/{n % 50}"
    try:
        store.record(key, "review", day=DAY, time="t", after=state(n), quality=4)
    except StoreError as exc:
        answer_error = str(exc)
        break
    saved[key] = n
    count += 1
store._wait_for_saving()  # an automatic checkpoint may still be being written
checkpoint = (folder / "progress.json").read_bytes()  # the last one made while there was room
try:
    store.checkpoint()
    checkpoint_error = None
except StoreError as exc:
    checkpoint_error = str(exc)
try:
    store.close()
    close_error = None
except StoreError as exc:
    close_error = str(exc)
log = (folder / "log.jsonl").read_bytes()
reopened = FileStore.open(folder)
lost = [key for key, n in saved.items() if reopened.state(key) != state(n)]
entries = len(list(reopened.entries()))
reopened._release()
print(json.dumps({
    "saved": count, "answer_error": answer_error, "checkpoint_error": checkpoint_error,
    "close_error": close_error, "lost": lost, "entries": entries,
    "log_whole": log.endswith(b"\\n") and all(json.loads(l) for l in log.splitlines()),
    "checkpoint_intact": (folder / "progress.json").read_bytes() == checkpoint,
    "leftovers": [p.name for p in folder.iterdir() if ".tmp-" in p.name],
}))
"""


def test_a_really_full_disk(run_in_tmpfs: RunInTmpfs) -> None:
    got = run_in_tmpfs(FULL_DISK, 64)
    assert got["saved"] > 100  # it filled up while answering, not before
    unsaved = "log.jsonl: your last answer was NOT saved: No space left on device"
    assert unsaved in got["answer_error"]
    for error in (got["checkpoint_error"], got["close_error"]):
        assert "progress.json: cannot save (your answers are safe in log.jsonl)" in error
    assert got["lost"] == []  # every answer acknowledged before the disk filled is there
    assert got["entries"] == got["saved"] + 5
    assert got["log_whole"] and got["checkpoint_intact"] and got["leftovers"] == []
