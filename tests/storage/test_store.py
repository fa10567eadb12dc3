"""The progress store: the same behaviour from the file store and its in-memory twin, then
what only the disk can show (reopening, torn lines, damage, locks, full disks)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import orjson
import pytest

from quiz.core.progress import CardState, MemoryStore, ProgressStore, StoreError
from quiz.core.sm2 import Sm2State
from quiz.storage import compressed, durable
from quiz.storage.folder import backup, backups, read_backup, restore
from quiz.storage.store import FileStore

DAY = date(2026, 11, 26)
T = "2026-11-26T10:00:00+00:00"
NOW = datetime(2026, 11, 26, 10, 0, 0)


def state(n: int) -> CardState:
    return CardState.from_sm2(Sm2State(n, 2.5, n * 3, DAY), first=DAY, last=DAY)


@pytest.fixture(params=["memory", "file"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ProgressStore]:
    opened: ProgressStore = MemoryStore() if request.param == "memory" else FileStore.open(tmp_path)
    yield opened
    opened.close()


def test_record_then_read(any_store: ProgressStore) -> None:
    entry = any_store.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    assert any_store.state("d/a") == state(1)
    assert entry.before == CardState()
    assert [e.key for e in any_store.entries()] == ["d/a"]


def test_unknown_key_is_new(any_store: ProgressStore) -> None:
    assert any_store.state("d/none").is_new


def test_cancel_restores_and_hides_entry(any_store: ProgressStore) -> None:
    any_store.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    second = any_store.record("d/a", "review", day=DAY, time=T, after=state(2), quality=5)
    any_store.cancel(second, time=T)
    assert any_store.state("d/a") == state(1)
    assert [e.quality for e in any_store.entries()] == [4]


# --- the file store only ---


def test_reopen_replays_log_without_checkpoint(tmp_path: Path) -> None:
    first = FileStore.open(tmp_path)
    first.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    first.record("d/b", "review", day=DAY, time=T, after=state(2), quality=4)
    first._release()  # as if killed: no checkpoint was written
    assert not (tmp_path / "progress.json").exists()
    again = FileStore.open(tmp_path)
    assert again.state("d/a") == state(1) and again.state("d/b") == state(2)
    again.close()


def test_checkpoint_then_more_answers(tmp_path: Path) -> None:
    first = FileStore.open(tmp_path)
    first.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    first.checkpoint()
    entry = first.record("d/a", "review", day=DAY, time=T, after=state(2), quality=4)
    first.cancel(entry, time=T)
    first.record("d/b", "review", day=DAY, time=T, after=state(3), quality=4)
    first._release()
    again = FileStore.open(tmp_path)
    assert again.state("d/a") == state(1) and again.state("d/b") == state(3)
    third = again.record("d/c", "review", day=DAY, time=T, after=state(4), quality=4)
    assert third.id == 5  # ids go on after the replayed ones
    again.close()
    doc = orjson.loads((tmp_path / "progress.json").read_bytes())
    assert set(doc["states"]) == {"d/a", "d/b", "d/c"}


def test_states_are_tinydb_documents_keyed_by_progress_key(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as opened:
        opened.record("deck/card~reverse", "review", day=DAY, time=T, after=state(1), quality=4)
    doc = orjson.loads((tmp_path / "progress.json").read_bytes())
    assert doc["states"]["deck/card~reverse"]["n"] == 1
    assert doc["meta"]["1"]["format"] == 2


TINYDB_ALONE = """
import json, sys
from tinydb import TinyDB
from tinydb.table import Table
Table.document_id_class = str
db = TinyDB(sys.argv[1])
state = db.table("states").get(doc_id=sys.argv[2])
meta = db.table("meta").get(doc_id="1")
assert not any(name.startswith("quiz") for name in sys.modules)
print(json.dumps({"state": state, "meta": meta}))
"""


def test_tinydb_alone_reads_a_progress_folder_the_app_wrote(tmp_path: Path) -> None:
    """No quiz code: TinyDB opens progress.json and finds a card's state by its key."""
    from quiz.core.session import Session
    from tests.core.helpers import basic_deck

    with FileStore.open(tmp_path) as opened:
        session = Session(basic_deck("d", 3).items(), opened, DAY)
        key = session.current.key if session.current else ""
        session.answer(5, time=T)
        session.answer(4, time=T)
    done = subprocess.run(
        [sys.executable, "-c", TINYDB_ALONE, str(tmp_path / "progress.json"), key],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    found = orjson.loads(done.stdout)
    assert found["state"] == {
        "n": 1,
        "ef": 260,
        "i": 1,
        "due": "2026-11-27",
        "first": DAY.isoformat(),
        "last": DAY.isoformat(),
    }
    assert found["meta"]["format"] == 2 and found["meta"]["last_id"] == 2


def test_torn_last_line_is_ignored_and_cut(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as opened:
        opened.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    log = tmp_path / "log.jsonl"
    whole = log.read_bytes()
    with open(log, "ab") as handle:
        handle.write(b'{"id":2,"k":"d/a","kind":"rev')
    again = FileStore.open(tmp_path)
    assert again.state("d/a") == state(1)
    assert log.read_bytes() == whole
    again.record("d/b", "review", day=DAY, time=T, after=state(2), quality=4)
    again.close()
    reopened = FileStore.open(tmp_path)
    assert reopened.state("d/b") == state(2)
    reopened.close()


def test_damage_in_the_middle_of_the_log_is_refused_untouched(tmp_path: Path) -> None:
    opened = FileStore.open(tmp_path)
    for n in range(3):
        opened.record(f"d/{n}", "review", day=DAY, time=T, after=state(n), quality=4)
    opened._release()
    log = tmp_path / "log.jsonl"
    lines = log.read_bytes().split(b"\n")
    lines[2] = b"garbage"
    log.write_bytes(b"\n".join(lines))
    damaged = log.read_bytes()
    with pytest.raises(StoreError, match=r"log\.jsonl: is damaged in the middle"):
        FileStore.open(tmp_path)
    assert log.read_bytes() == damaged


def test_a_damaged_whole_last_line_is_refused_not_cut(tmp_path: Path) -> None:
    """A flipped byte in the last answer (its newline intact) is damage, not a kill's torn
    write: cutting it would lose an answer that was saved."""
    with FileStore.open(tmp_path) as opened:
        for n in range(2):
            opened.record(f"d/{n}", "review", day=DAY, time=T, after=state(n), quality=4)
    (tmp_path / "progress.json").unlink()  # the checkpoint no longer covers the last line
    log = tmp_path / "log.jsonl"
    damaged = log.read_bytes()[:-10] + b"#" + log.read_bytes()[-9:]
    log.write_bytes(damaged)
    with pytest.raises(StoreError, match=r"log\.jsonl: is damaged at its last line.*quiz repair"):
        FileStore.open(tmp_path)
    assert log.read_bytes() == damaged


def test_zeros_after_a_power_cut_are_cut_like_a_torn_line(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as opened:
        opened.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    log = tmp_path / "log.jsonl"
    whole = log.read_bytes()
    log.write_bytes(whole + b"\x00" * 40 + b"\n")
    with FileStore.open(tmp_path) as again:
        assert again.state("d/a") == state(1)
    assert log.read_bytes() == whole


def test_unparseable_progress_file_is_set_aside_never_overwritten(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as opened:
        opened.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    (tmp_path / "progress.json").write_bytes(b'{"states": {"d/a": ')
    with FileStore.open(tmp_path) as reopened:
        assert reopened.state("d/a") == state(1)  # rebuilt from the log
        assert len(reopened.notices) == 1
    (aside,) = (tmp_path / "replaced").iterdir()
    assert (aside / "progress.json").read_bytes() == b'{"states": {"d/a": '


def test_restore_brings_back_the_newest_backup_and_keeps_the_files_it_replaces(
    tmp_path: Path,
) -> None:
    with FileStore.open(tmp_path) as opened:
        opened.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    backup(tmp_path, NOW)
    (tmp_path / "progress.json").write_bytes(b"not json")
    done = restore(tmp_path, None, datetime(2026, 11, 27, 9, 0))
    assert done.backup.name == "2026-11-26T100000" and done.kept == 0
    assert done.aside == tmp_path / "replaced" / "2026-11-27T090000"
    assert (done.aside / "progress.json").read_bytes() == b"not json"
    with FileStore.open(tmp_path) as reopened:
        assert reopened.state("d/a") == state(1)
        assert not reopened.notices


def test_backups_keep_the_last_ten(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as opened:
        opened.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    for minute in range(12):
        backup(tmp_path, datetime(2026, 11, 26, 10, minute))
    names = [b.name for b in backups(tmp_path)]
    assert len(names) == 10 and names[0] == "2026-11-26T100200"


def test_newer_format_is_refused(tmp_path: Path) -> None:
    (tmp_path / "progress.json").write_bytes(b'{"meta": {"1": {"format": 9}}, "states": {}}')
    with pytest.raises(StoreError, match="newer quiz"):
        FileStore.open(tmp_path)


def test_newer_log_format_is_refused(tmp_path: Path) -> None:
    (tmp_path / "log.jsonl").write_bytes(b'{"quiz_log": 7}\n')
    with pytest.raises(StoreError, match="newer quiz"):
        FileStore.open(tmp_path)


def test_progress_file_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "progress.json").mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        FileStore.open(tmp_path)


def test_data_folder_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="cannot create the progress folder"):
        FileStore.open(tmp_path / "file" / "data")


def test_leftover_temp_files_are_removed(tmp_path: Path) -> None:
    (tmp_path / "progress.json.tmp-12345").write_bytes(b"half")  # an older quiz's
    (tmp_path / ".progress.json.k2j4x9.tmp").write_bytes(b"half")  # this one's
    FileStore.open(tmp_path).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lock", "log.jsonl", "progress.json"]


def test_second_opener_in_this_process_is_refused(tmp_path: Path) -> None:
    first = FileStore.open(tmp_path)
    with pytest.raises(StoreError, match=f"another quiz \\(pid {os.getpid()}\\)"):
        FileStore.open(tmp_path)
    first.close()
    FileStore.open(tmp_path).close()  # free again once closed


def failing(errno_code: int) -> Callable[..., int]:
    def write(fd: int, data: bytes) -> int:
        raise OSError(errno_code, os.strerror(errno_code))

    return write


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_failed_append_says_so_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    opened = FileStore.open(tmp_path)
    opened.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    log_before = (tmp_path / "log.jsonl").read_bytes()
    monkeypatch.setattr(os, "write", failing(code))
    with pytest.raises(StoreError, match="NOT saved"):
        opened.record("d/a", "review", day=DAY, time=T, after=state(2), quality=4)
    monkeypatch.undo()
    assert opened.state("d/a") == state(1)
    assert (tmp_path / "log.jsonl").read_bytes() == log_before
    opened.close()


def test_failed_checkpoint_keeps_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = FileStore.open(tmp_path)
    opened.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    opened.checkpoint()
    previous = (tmp_path / "progress.json").read_bytes()
    opened.record("d/a", "review", day=DAY, time=T, after=state(2), quality=4)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(durable, "write_atomic", full)
    with pytest.raises(StoreError, match="answers are safe"):
        opened.checkpoint()
    monkeypatch.undo()
    assert (tmp_path / "progress.json").read_bytes() == previous
    opened._release()
    with FileStore.open(tmp_path) as reopened:
        assert reopened.state("d/a") == state(2)


def test_state_round_trip_keeps_every_field(tmp_path: Path) -> None:
    full = CardState.from_sm2(Sm2State(7, 1.3, 200, DAY), lapses=9, first=DAY, last=DAY,
                              suspended=True, buried_until=DAY, leech=True)  # fmt: skip
    with FileStore.open(tmp_path) as opened:
        opened.record("d/a", "suspend", day=DAY, time=T, after=full)
    with FileStore.open(tmp_path) as reopened:
        assert reopened.state("d/a") == full
        assert full._replace(leech=False) != reopened.state("d/a")


LOCK_HOLDER = """
import sys, time
from pathlib import Path
from quiz.storage.store import FileStore
store = FileStore.open(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
store.close()
"""


def test_second_process_gets_the_lock_message(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        second = subprocess.run(
            [sys.executable, "-m", "quiz", "--data", str(tmp_path), "stats", "--no-bundled"],
            capture_output=True,
            text=True,
        )
        assert second.returncode == 1
        assert second.stderr.strip() == (
            f"quiz: {tmp_path}: another quiz (pid {holder.pid}) is using this progress folder;"
            " close it first, or use another folder with --data"
        )
        assert "Traceback" not in second.stderr
    finally:
        if holder.stdin:
            holder.stdin.write("\n")
            holder.stdin.flush()
        holder.wait(timeout=10)


def test_an_answer_given_during_a_backup_waits_for_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app backs up in a thread; an answer meanwhile must neither tear the copy nor be
    lost: it waits, then lands in the log (not in the backup)."""
    store = FileStore.open(tmp_path)
    store.record("d/a", "review", day=DAY, time=T, after=state(1), quality=4)
    copying, go = threading.Event(), threading.Event()
    pack = compressed.pack

    def slow_pack(data: bytes) -> bytes:
        copying.set()
        go.wait()
        return pack(data)

    monkeypatch.setattr(compressed, "pack", slow_pack)
    backing_up = threading.Thread(target=store.backup, args=(NOW,))
    backing_up.start()
    copying.wait()
    answering = threading.Thread(
        target=store.record,
        args=("d/b", "review"),
        kwargs={"day": DAY, "time": T, "after": state(2), "quality": 5},
    )
    answering.start()
    answering.join(timeout=0.5)
    assert answering.is_alive()  # held until the copy is made
    go.set()
    backing_up.join()
    answering.join()
    store.close()
    (made,) = backups(tmp_path)
    log = read_backup(made).log
    assert log is not None
    lines = [orjson.loads(line) for line in log.splitlines()]
    assert [line["k"] for line in lines if "k" in line] == ["d/a"]  # whole lines, no d/b
    with FileStore.open(tmp_path) as reopened:
        assert [e.key for e in reopened.entries()] == ["d/a", "d/b"]


def test_the_automatic_checkpoint_is_written_without_holding_up_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quiz.storage.store as store_module

    monkeypatch.setattr(store_module, "CHECKPOINT_EVERY", 3)
    opened = FileStore.open(tmp_path)
    writing, release = threading.Event(), threading.Event()
    write_atomic = durable.write_atomic

    def slow_disk(path: Path, data: bytes, **kwargs: bool) -> None:
        if path.name == "progress.json" and not release.is_set():
            writing.set()
            assert release.wait(10)
        write_atomic(path, data, **kwargs)

    monkeypatch.setattr(durable, "write_atomic", slow_disk)
    for n in range(3):  # the third calls for a checkpoint
        opened.record(f"d/{n}", "review", day=DAY, time=T, after=state(n), quality=4)
    assert writing.wait(10)  # the checkpoint is being written, and the answer came back
    opened.record("d/3", "review", day=DAY, time=T, after=state(3), quality=4)  # nor waits
    assert not (tmp_path / "progress.json").exists()
    release.set()
    opened._wait_for_saving()
    doc = orjson.loads((tmp_path / "progress.json").read_bytes())
    assert set(doc["states"]) == {"d/0", "d/1", "d/2"}  # what the three answers made
    assert doc["meta"]["1"]["last_id"] == 3
    opened.close()
    with FileStore.open(tmp_path) as reopened:
        assert all(reopened.state(f"d/{n}") == state(n) for n in range(4))
