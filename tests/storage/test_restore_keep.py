"""`quiz restore` keeps what came after the backup: the live log's later entries, verbatim, on
top of it; or the backup exactly, with the reason, when they cannot be read safely."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from quiz.core.progress import CardState, LogEntry, MemoryStore, ProgressStore, StoreError
from quiz.core.sm2 import Sm2State
from quiz.storage.folder import RESTORE_JOURNAL, backups, finish_restore, restore
from quiz.storage.segments import LOG_FILE
from quiz.storage.store import FileStore

DAY = date(2026, 11, 26)
T = "2026-11-26T10:00:00+00:00"
NOW = datetime(2026, 11, 29, 10, 15)

History = tuple[dict[str, CardState], list[LogEntry]]


def state(n: int) -> CardState:
    return CardState.from_sm2(Sm2State(n % 9, 2.5, n, DAY), first=DAY, last=DAY)


def answer(stores: tuple[ProgressStore, ...], start: int, count: int) -> None:
    for i in range(start, start + count):
        for store in stores:
            store.record(f"d/{i % 5}", "review", day=DAY, time=T, after=state(i), quality=4)


def seen(folder: Path) -> History:
    with FileStore.open(folder) as store:
        assert not store.notices
        return dict(store.states()), list(store.entries())


def of(twin: MemoryStore) -> History:
    return dict(twin.states()), list(twin.entries())


@pytest.fixture
def session(tmp_path: Path) -> tuple[Path, History, History]:
    """Ten answers, a backup at the start of a session, four answers after it: the folder, and
    the history at the backup and now."""
    twin = MemoryStore()
    with FileStore.open(tmp_path) as store:
        answer((store, twin), 0, 10)
    at_backup = of(twin)
    with FileStore.open(tmp_path) as store:
        store.backup(NOW - timedelta(days=1))
        answer((store, twin), 10, 4)
    return tmp_path, at_backup, of(twin)


def test_the_answers_after_the_backup_are_kept_on_top(
    session: tuple[Path, History, History],
) -> None:
    folder, at_backup, now = session
    done = restore(folder, None, NOW)
    assert (done.kept, done.not_kept) == (4, None)
    assert seen(folder) == now
    again = restore(folder, None, NOW, exact=True)
    assert again.kept is None and seen(folder) == at_backup


def test_a_line_damaged_before_the_backup_is_healed_by_it_and_the_later_ones_kept(
    session: tuple[Path, History, History],
) -> None:
    folder, _, now = session
    log = folder / LOG_FILE
    lines = log.read_bytes().split(b"\n")
    lines[5] = b'{"id": 5, "k": "d/4", "kind": "rev'  # one line damaged mid-log
    log.write_bytes(b"\n".join(lines))
    with pytest.raises(StoreError, match="is damaged in the middle"):
        FileStore.open(folder)
    done = restore(folder, None, NOW)
    assert (done.kept, done.not_kept) == (4, None)
    assert seen(folder) == now  # the backup's copy of that line, and all four answers after it


def test_a_torn_last_line_is_no_answer_and_an_undo_is_kept_as_it_was(
    session: tuple[Path, History, History],
) -> None:
    folder, _, _ = session
    with FileStore.open(folder) as store:
        last = list(store.entries())[-1]
        store.cancel(last, time=T)
        expected = dict(store.states()), list(store.entries())
    with open(folder / LOG_FILE, "ab") as handle:
        handle.write(b'{"id": 16, "k": "d/1", "ki')  # a kill mid-append
    done = restore(folder, None, NOW)
    assert (done.kept, done.not_kept) == (3, None)  # four answers, the last one undone
    assert seen(folder) == expected


@pytest.mark.parametrize(
    ("where", "why"),
    [
        (-3, "the line at byte {at} does not parse"),  # an answer after the backup
        ("gap", "entry #12 is missing (byte {at} holds #13)"),
    ],
)
def test_answers_after_the_backup_that_cannot_be_read_leave_it_exact_and_say_why(
    session: tuple[Path, History, History], where: object, why: str
) -> None:
    folder, at_backup, _ = session
    log = folder / LOG_FILE
    lines = log.read_bytes().split(b"\n")  # header, 14 entries, ""
    index = -4 if where == "gap" else -3
    at = len(b"\n".join(lines[:index])) + 1
    if where == "gap":
        del lines[index]
    else:
        lines[index] = b"garbage"
    log.write_bytes(b"\n".join(lines))
    done = restore(folder, None, NOW)
    assert done.kept is None
    assert done.not_kept == f"{done.aside / LOG_FILE}: " + why.format(at=at)
    assert seen(folder) == at_backup
    assert (done.aside / LOG_FILE).read_bytes() == b"\n".join(lines)  # set aside as it was


def test_answers_of_another_history_are_not_put_on_top(tmp_path: Path) -> None:
    """A backup of ten answers restored after an older one was brought back exactly and three
    answers given since: those three are not on top of it (their ids are its own)."""
    with FileStore.open(tmp_path) as store:
        answer((store,), 0, 5)
        store.backup(NOW - timedelta(days=2))
        answer((store,), 5, 5)
        store.backup(NOW - timedelta(days=1))
    older, newer = backups(tmp_path)
    at_newer = seen(tmp_path)
    restore(tmp_path, older.name, NOW, exact=True)
    with FileStore.open(tmp_path) as store:
        answer((store,), 100, 3)  # ids 6, 7, 8: another history
    done = restore(tmp_path, newer.name, NOW + timedelta(seconds=1))
    assert done.kept is None and done.not_kept is not None
    assert done.not_kept.endswith(
        "does not hold the backup's last answer (#10) as the backup has it: its answers are"
        " not on top of this backup"
    )
    assert seen(tmp_path) == at_newer


def test_a_journal_without_keep_finishes_exactly(session: tuple[Path, History, History]) -> None:
    """An older quiz's restore, cut short, finishes as it began: the backup exactly."""
    folder, at_backup, _ = session
    (name,) = [b.name for b in backups(folder)]
    journal = {"quiz_restore": 1, "backup": name, "aside": "older", "phase": "aside"}
    (folder / RESTORE_JOURNAL).write_bytes(orjson.dumps(journal))
    assert finish_restore(folder) == name
    assert seen(folder) == at_backup
