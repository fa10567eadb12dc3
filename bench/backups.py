"""B8: the session-start backup with a long history, and the disk ten of them take.

Ten study sessions, one after the other, on one progress folder, as a student has them: the
store is opened, the session's backup taken (`FileStore.backup`, the call the app makes when a
study session starts: timed on its own), `answers` cards answered through a `Session` (each
through `ProgressStore.record`, durable, as in bench/answer.py), and the store closed.

Then the disk: the blocks allocated (`st_blocks * 512`) to every file under `backups/`, each
inode counted once (a file hard-linked into several backups, or from the live folder, is one
file on the disk), against the same for the live files (everything in the folder but
`backups/`, `replaced/` and `lock`). Nothing here knows how a backup is laid out: whatever the
store writes is measured.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.answer import QuizAnswerer
from bench.peers import ratings
from quiz.core.model import Item
from quiz.storage.folder import BACKUP_DIR, LOCK_FILE
from quiz.storage.store import FileStore

SESSIONS = 10
LEFT_OUT = (BACKUP_DIR, "replaced", LOCK_FILE)


def _files(root: Path) -> Iterator[os.stat_result]:
    for folder, _, names in os.walk(root):
        for name in names:
            yield os.lstat(os.path.join(folder, name))


def disk_bytes(paths: Sequence[Path]) -> int:
    """Bytes allocated to the files under `paths` (files or folders), each inode once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for path in paths:
        stats = _files(path) if path.is_dir() else [os.lstat(path)]
        for st in stats:
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return total


def live_paths(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if path.name not in LEFT_OUT]


def sessions(folder: Path, items: Sequence[Item], answers: int) -> dict[str, Any]:
    """Ten sessions on `folder` (the module's docstring); returns the backup times (ms), the
    answers given, and the disk used by backups and by the live files."""
    backup_ms: list[float] = []
    given: list[int] = []
    first = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    for number in range(SESSIONS):
        answerer = QuizAnswerer("quiz", folder, items)
        try:
            store = answerer.store
            assert isinstance(store, FileStore)
            started = time.perf_counter()
            store.backup(first + timedelta(minutes=30 * number))
            backup_ms.append((time.perf_counter() - started) * 1000)
            count = 0
            for rating in ratings(answers, seed=number + 1):
                if answerer.session.current is None:
                    break
                answerer.step(rating)
                count += 1
            given.append(count)
        finally:
            answerer.close()
    backups = disk_bytes([folder / BACKUP_DIR])
    live = disk_bytes(live_paths(folder))
    return {
        "backup_ms": backup_ms,
        "answers": given,
        "backups_bytes": backups,
        "live_bytes": live,
        "backups": len(list((folder / BACKUP_DIR).iterdir())),
    }
