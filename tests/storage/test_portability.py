"""quiz on the systems students own, proved on Linux by taking away what the others lack.

Windows has no `fcntl` and no `os.fdatasync`, cannot open a folder to flush it, and refuses a
rename while a scanner holds the file; macOS has no `os.fdatasync` and needs `F_FULLFSYNC` for
data to reach the disk. Each test runs quiz in a fresh interpreter set up like that system, so
an import or a call that only Linux has fails there as it would on a student's laptop.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from quiz.storage import durable

ROOT = Path(__file__).resolve().parents[2]

AS_WINDOWS = """
import os, sys
# What Windows lacks: `import fcntl` fails and there is no os.fdatasync.
sys.modules["fcntl"] = None
del os.fdatasync
import warnings
with warnings.catch_warnings():  # filelock's note that Unix without fcntl has only soft locks
    warnings.simplefilter("ignore")
    import filelock._native._descriptor as native

# Stand-in for Windows' LockFileEx on byte 0 (filelock's lock there): POSIX lockf on byte 0,
# which lives in `os`, is held by the process and dies with it, as LockFileEx's lock does.
def lock_byte_zero(fd):
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        os.lockf(fd, os.F_TLOCK, 1)
    except OSError:
        return False
    return True

def unlock_byte_zero(fd):
    os.lseek(fd, 0, os.SEEK_SET)
    os.lockf(fd, os.F_ULOCK, 1)

native.lock_fd_nonblocking = lock_byte_zero
native.unlock_fd = unlock_byte_zero
from quiz.commands import cli
from quiz.storage import store  # everything imported as on Windows, then the system is Windows
sys.platform = "win32"
"""

ANSWER = """
from datetime import date
from pathlib import Path
from quiz.core.progress import CardState
from quiz.core.sm2 import Sm2State
from quiz.storage.store import FileStore

store.CHECKPOINT_EVERY = 5  # kills land mid-checkpoint too
opened = FileStore.open(Path(sys.argv[1]))
print("open", flush=True)
day = date(2026, 11, 26)
i = 0
while True:
    after = CardState.from_sm2(Sm2State(i % 7 + 1, 2.5, i + 1, day), first=day)
    opened.record(f"d/{i % 11}", "review", day=day, time="t", after=after, quality=4)
    print(i, flush=True)  # acknowledged: the answer is on the disk
    i += 1
"""

READ = """
from pathlib import Path
from quiz.storage.store import FileStore
with FileStore.open(Path(sys.argv[1])) as opened:
    states = {key: opened.state(key).sm2.interval for key in opened.states()}
    entries = [entry.key for entry in opened.entries()]
print(json.dumps({"states": states, "entries": len(entries)}))
"""

HOLD = """
from pathlib import Path
from quiz.storage.store import FileStore
opened = FileStore.open(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
opened.close()
"""

CLI = """
sys.exit(cli.main(sys.argv[1:]))
"""


def run(script: str, *args: str, **options: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", AS_WINDOWS + "import json\n" + script, *args],
        cwd=ROOT,
        text=True,
        **options,
    )


def read_back(folder: Path) -> dict[str, object]:
    reader = run(READ, str(folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    result: dict[str, object] = json.loads(out)
    return result


@pytest.mark.parametrize("kill_after", [1, 4, 9, 23])
def test_without_fcntl_or_fdatasync_a_sigkill_loses_no_acknowledged_answer(
    tmp_path: Path, kill_after: int
) -> None:
    folder = tmp_path / "data"
    entries_before = 0
    for _ in range(2):  # the second run starts from the folder the first one left
        child = run(ANSWER, str(folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "open", child.stderr and child.stderr.read()
        acknowledged = [int(child.stdout.readline()) for _ in range(kill_after)]
        child.send_signal(signal.SIGKILL)  # between answers, or in the middle of the next one
        child.wait(timeout=30)
        after = read_back(folder)
        states, entries = after["states"], after["entries"]
        assert isinstance(states, dict) and isinstance(entries, int)
        # Intervals grow with each answer of a run: a key holds at least its last acknowledged.
        last = {f"d/{i % 11}": i + 1 for i in acknowledged}
        assert all(states[key] >= interval for key, interval in last.items())
        assert entries >= entries_before + len(acknowledged)
        entries_before = entries


def test_without_fcntl_a_second_process_gets_the_lock_message(tmp_path: Path) -> None:
    holder = run(HOLD, str(tmp_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        second = run(
            CLI,
            "--data",
            str(tmp_path),
            "stats",
            "--no-bundled",
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        _, err = second.communicate(timeout=60)
        assert second.returncode == 1
        assert err.strip() == (
            f"quiz: {tmp_path}: another quiz (pid {holder.pid}) is using this progress folder;"
            " close it first, or use another folder with --data"
        )
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    assert holder.returncode == 0
    # The holder has gone: the folder is free again, and its answers readable.
    assert read_back(tmp_path)["entries"] == 0


def test_a_killed_holders_lock_is_taken_over_without_fcntl(tmp_path: Path) -> None:
    holder = run(HOLD, str(tmp_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert read_back(tmp_path)["entries"] == 0  # opened: no "another quiz" message


AS_MACOS = """
import json, os, sys
from datetime import date
from pathlib import Path
del os.fdatasync  # macOS has none
import fcntl
from quiz.core.progress import CardState
from quiz.core.sm2 import Sm2State
from quiz.storage.store import FileStore

requests = []

def observed(fd, cmd, arg=0):
    requests.append((os.readlink(f"/proc/self/fd/{fd}"), cmd))
    os.fsync(fd)  # what F_FULLFSYNC does on a Mac, as near as Linux comes
    return 0

fcntl.fcntl = observed
sys.platform = "darwin"
folder = Path(sys.argv[1])
day = date(2026, 11, 26)
with FileStore.open(folder) as opened:
    before = len(requests)
    for i in range(int(sys.argv[2])):
        opened.record(f"d/{i}", "review", day=day, time="t", after=CardState(), quality=4)
    answers = [cmd for path, cmd in requests[before:] if path.endswith("log.jsonl")]
print(json.dumps({"answers": answers, "all": [cmd for _, cmd in requests]}))
"""


def test_as_on_macos_every_answer_asks_for_a_full_fsync(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", AS_MACOS, str(tmp_path / "data"), "12"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    f_fullfsync = 51  # <sys/fcntl.h> on macOS
    assert seen["answers"] == [f_fullfsync] * 12  # one for each answer's log line
    # The checkpoint written on close asks for it too: no write reaches the disk without it.
    assert len(seen["all"]) > 12 and set(seen["all"]) == {f_fullfsync}


def test_on_windows_a_replace_refused_by_a_scanner_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "progress.json"
    target.write_bytes(b"old")
    real_replace = os.replace
    refusals = [PermissionError(13, "Access is denied")] * 3
    waits: list[float] = []

    def held_by_a_scanner(source: object, destination: object) -> None:
        if refusals:
            raise refusals.pop()
        real_replace(source, destination)  # type: ignore[arg-type]

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "replace", held_by_a_scanner)
    monkeypatch.setattr(time, "sleep", waits.append)
    durable.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert len(waits) == 3 and sum(waits) < 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json"]


def test_on_windows_a_replace_refused_for_good_says_so_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "progress.json"
    target.write_bytes(b"old")

    def always_refused(source: object, destination: object) -> None:
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "replace", always_refused)
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    with pytest.raises(PermissionError):
        durable.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json"]


def test_on_linux_a_refused_replace_is_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []

    def refused(source: object, destination: object) -> None:
        calls.append(source)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(PermissionError):
        durable.write_atomic(tmp_path / "x", b"new")
    assert len(calls) == 1


def test_on_windows_folders_are_not_opened_to_be_flushed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def no_folders(path: str | Path, flags: int, *args: int) -> int:
        if Path(path).is_dir():
            raise PermissionError(13, "Access is denied")  # what Windows says
        return real_open(path, flags, *args)

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "open", no_folders)
    durable.write_atomic(tmp_path / "settings.toml", b"theme = 'x'\n")
    assert (tmp_path / "settings.toml").read_bytes() == b"theme = 'x'\n"


def test_nothing_but_the_file_safety_module_calls_the_system_specific_functions() -> None:
    """ruff's banned-api rule (pyproject.toml) is the check: it fails on a deliberate os.fsync
    in a quiz module, and passes on the real tree."""

    def ruff(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--select", "TID251", *args],
            cwd=ROOT,
            input=code,
            capture_output=True,
            text=True,
        )

    for call in ("os.fsync(fd)", "os.fdatasync(fd)", "os.replace(a, b)", "import fcntl"):
        code = f"import os\n\n\ndef f(fd: int, a: str, b: str) -> None:\n    {call}\n"
        found = ruff("--stdin-filename", "quiz/ui/widgets/probe.py", "-", code=code)
        assert found.returncode == 1, call
        assert "TID251" in found.stdout
        allowed = ruff("--stdin-filename", "quiz/storage/durable.py", "-", code=code)
        assert allowed.returncode == 0, allowed.stdout
    clean = ruff("quiz")
    assert clean.returncode == 0, clean.stdout


def test_the_lock_file_names_its_holder_after_the_locked_byte(tmp_path: Path) -> None:
    lock = durable.FolderLock(tmp_path / "lock")
    lock.acquire()
    try:
        raw = (tmp_path / "lock").read_bytes()
        assert raw[1:].decode().strip() == str(os.getpid())
    finally:
        lock.release()
