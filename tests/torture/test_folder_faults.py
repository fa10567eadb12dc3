"""A progress folder that is missing, read-only, oddly shaped, locked by a dead process, or
written by a newer quiz: a clear message naming the file, and nothing changed or lost.

Already in tests/storage/test_store.py: progress.json as a folder, a folder under a file, newer
format numbers in progress.json and log.jsonl, a second opener in this process and another.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from quiz.core.progress import CardState, StoreError
from quiz.core.sm2 import Sm2State
from quiz.storage.folder import backup
from quiz.storage.store import FileStore

from .conftest import ROOT, RunInTmpfs

DAY = date(2026, 11, 26)
T = "2026-11-26T10:00:00+00:00"
DONE = CardState.from_sm2(Sm2State(1, 2.5, 1, DAY), first=DAY, last=DAY)


def make_progress(folder: Path) -> None:
    with FileStore.open(folder) as opened:
        opened.record("d/a", "review", day=DAY, time=T, after=DONE, quality=4)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# --- missing ---


def test_missing_folder_is_made_with_its_parents(tmp_path: Path) -> None:
    folder = tmp_path / "not" / "yet" / "there"
    make_progress(folder)
    with FileStore.open(folder) as reopened:
        assert reopened.state("d/a") == DONE


def test_files_removed_under_a_closed_store_start_afresh(tmp_path: Path) -> None:
    make_progress(tmp_path)
    for name in ("progress.json", "log.jsonl", "lock"):
        (tmp_path / name).unlink()
    with FileStore.open(tmp_path) as reopened:
        assert reopened.state("d/a").is_new


# --- read-only ---


def test_read_only_folder_is_refused_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root, chmod stops nothing: the file system's answer (EROFS) is injected instead.
    test_a_really_read_only_file_system gets it from a real one."""
    make_progress(tmp_path)
    before = snapshot(tmp_path)
    real_open = os.open
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def read_only(path: str | Path, flags: int, *args: int, **kwargs: object) -> int:
        if flags & writing and Path(path).is_relative_to(tmp_path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(StoreError) as caught:
        FileStore.open(tmp_path)
    monkeypatch.undo()
    assert str(caught.value) == (
        f"{tmp_path}: cannot write to the progress folder: Read-only file system"
    )
    assert snapshot(tmp_path) == before


READ_ONLY = """
import json, subprocess, sys
from datetime import date
from pathlib import Path
from quiz.core.progress import CardState, StoreError
from quiz.core.sm2 import Sm2State
from quiz.storage.store import FileStore

mount = Path(sys.argv[1])
folder = mount / "data"
DAY = date(2026, 11, 26)
with FileStore.open(folder) as store:
    after = CardState.from_sm2(Sm2State(1, 2.5, 1, DAY))
    store.record("d/a", "review", day=DAY, time="t", after=after)
before = {p.name: p.read_bytes().hex() for p in folder.iterdir() if p.is_file()}
subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
errors = []
for target in (folder, mount / "new" / "data"):
    try:
        FileStore.open(target).close()
        errors.append(None)
    except StoreError as exc:
        errors.append(str(exc))
after = {p.name: p.read_bytes().hex() for p in folder.iterdir() if p.is_file()}
print(json.dumps({"errors": errors, "unchanged": before == after, "folder": str(folder),
                  "new": str(mount / "new" / "data")}))
"""


def test_a_really_read_only_file_system(run_in_tmpfs: RunInTmpfs) -> None:
    got = run_in_tmpfs(READ_ONLY, 256)
    existing, missing = got["errors"]
    assert existing == (
        f"{got['folder']}: cannot write to the progress folder: Read-only file system"
    )
    assert missing == (f"{got['new']}: cannot create the progress folder: Read-only file system")
    assert got["unchanged"]


# --- odd shapes ---


@pytest.mark.parametrize("name", ["log.jsonl", "lock"])
def test_a_file_that_is_a_folder_is_named(tmp_path: Path, name: str) -> None:
    (tmp_path / name).mkdir()
    with pytest.raises(StoreError) as caught:
        FileStore.open(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / name}: is a folder")
    assert (tmp_path / name).is_dir()


def test_backups_that_is_a_file(tmp_path: Path) -> None:
    make_progress(tmp_path)
    (tmp_path / "backups").write_text("not a folder")
    with pytest.raises(StoreError, match=r"backups: cannot back up progress: Not a directory"):
        backup(tmp_path, datetime(2026, 11, 26, 10, 0))
    assert (tmp_path / "backups").read_text() == "not a folder"


# --- locks ---

HOLDER = """
import sys
from pathlib import Path
from quiz.storage.store import FileStore
store = FileStore.open(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
"""


def test_lock_of_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    make_progress(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    with pytest.raises(StoreError, match=f"another quiz \\(pid {holder.pid}\\)"):
        FileStore.open(tmp_path)  # alive: refused
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (tmp_path / "lock").read_text().strip() == str(holder.pid)  # the stale lock file
    with FileStore.open(tmp_path) as taken_over:
        assert taken_over.state("d/a") == DONE
        assert (tmp_path / "lock").read_text().strip() == str(os.getpid())


def test_lock_file_with_rubbish_in_it_is_taken_over(tmp_path: Path) -> None:
    make_progress(tmp_path)
    (tmp_path / "lock").write_bytes(b"\x00\xffnot a pid\n" * 100)
    with FileStore.open(tmp_path) as opened:
        assert opened.state("d/a") == DONE


def test_file_system_without_locks_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    with pytest.raises(StoreError, match=r"lock: cannot lock: No locks available"):
        FileStore.open(tmp_path)


# --- newer formats ---


@pytest.mark.parametrize(
    ("name", "content", "named"),
    [
        ("progress.json", b'{"meta": {"1": {"format": 3, "last_id": 0}}, "states": {}}', 3),
        ("progress.json", b'{"meta": {"1": {"format": "3"}}, "states": {}}', "3"),
        ("log.jsonl", b'{"quiz_log": 3}\n{"id": 1, "k": "d/a", "future": true}\n', 3),
    ],
)
def test_newer_format_is_refused_and_left_alone(
    tmp_path: Path, name: str, content: bytes, named: object
) -> None:
    make_progress(tmp_path)
    (tmp_path / name).write_bytes(content)
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as caught:
        FileStore.open(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / name}: written by a newer quiz")
    assert f"format {named})" in str(caught.value) and "update quiz" in str(caught.value)
    assert snapshot(tmp_path) == before
    # The refusal let go of the folder: a newer quiz (here, a fixed file) can open it.
    (tmp_path / name).unlink()
    FileStore.open(tmp_path).close()
