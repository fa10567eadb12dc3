"""Helpers for the torture tests: real small or read-only file systems, where the machine allows.

As root on Linux, a script can run in its own mount namespace on a tmpfs of a few pages: its
writes then really fail with ENOSPC, or with EROFS once it is remounted read-only. The mount
vanishes with the namespace, whatever happens to the script. Elsewhere those tests are skipped;
the same failures are also injected by monkeypatching in tests that run everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

RunInTmpfs = Callable[[str, int], dict[str, Any]]

_can_mount: bool | None = None


def can_mount() -> bool:
    """True if this process may make a private mount namespace and mount a tmpfs in it."""
    global _can_mount
    if _can_mount is None:
        _can_mount = False
        if sys.platform == "linux" and os.geteuid() == 0 and shutil.which("unshare"):
            probe = subprocess.run(
                ["unshare", "--mount", "--propagation", "private",
                 "mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", "/mnt"],
                capture_output=True,
            )  # fmt: skip
            _can_mount = probe.returncode == 0
    return _can_mount


@pytest.fixture
def run_in_tmpfs(tmp_path: Path) -> RunInTmpfs:
    """Run a Python script with a fresh tmpfs of `size_kb` mounted at sys.argv[1].

    The script prints one JSON object as its last line of output; that object is returned.
    """
    if not can_mount():
        pytest.skip("needs root and mount namespaces (unshare) for a real small file system")

    def run(script: str, size_kb: int) -> dict[str, Any]:
        mount_point = tmp_path / "mnt"
        mount_point.mkdir(exist_ok=True)
        done = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c",
             'mount -t tmpfs -o "size=$1k" tmpfs "$2" && exec "$3" -c "$4" "$2"',
             "sh", str(size_kb), str(mount_point), sys.executable, script],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    return run
