"""The log in segments and backups by reference: rotation, an older quiz's single-file log,
a rotation cut short, missing or stray segments, hard links (and copies where there are none),
and ten backups each restored and compared with the history at its moment."""

from __future__ import annotations

import errno
import os
from datetime import date, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from quiz.core.progress import CardState, ProgressStore, StoreError
from quiz.core.sm2 import Sm2State
from quiz.storage import segments
from quiz.storage.folder import (
    BACKUP_DIR,
    KEEP_BACKUPS,
    PACKED_LOG,
    backups,
    read_backup,
    restore,
)
from quiz.storage.segments import LOG_FILE, SEGMENT_DIR
from quiz.storage.store import FileStore

DAY = date(2026, 11, 26)
T = "2026-11-26T10:00:00+00:00"
NOW = datetime(2026, 11, 26, 10, 0, 0)
SMALL = 1500
"""A segment size that closes one every few answers."""


def state(n: int) -> CardState:
    return CardState.from_sm2(Sm2State(n % 9, 2.5, n, DAY), first=DAY, last=DAY)


@pytest.fixture
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segments, "SEGMENT_BYTES", SMALL)


def answer(store: ProgressStore, start: int, count: int) -> None:
    for i in range(start, start + count):
        store.record(f"d/{i % 7}", "review", day=DAY, time=T, after=state(i), quality=4)


def closed_files(folder: Path) -> list[Path]:
    root = folder / SEGMENT_DIR
    return sorted(root.iterdir()) if root.is_dir() else []


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "lock"
    }


def view(folder: Path) -> tuple[dict[str, CardState], list[int]]:
    """The states and the effective entries' ids, as a reopened store sees them."""
    with FileStore.open(folder) as store:
        assert not store.notices  # the checkpoint agreed with the log: nothing was rebuilt
        return dict(store.states()), [entry.id for entry in store.entries()]


# --- rotation ---


@pytest.mark.usefixtures("small_segments")
def test_the_log_is_closed_into_segments_that_read_as_one_log(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as store:
        answer(store, 0, 60)
        live = dict(store.states())
        assert [entry.id for entry in store.entries()] == list(range(1, 61))
    closed = closed_files(tmp_path)
    assert len(closed) >= 5
    for number, path in enumerate(closed, start=1):
        data = path.read_bytes()
        assert data.startswith(segments.header(number))
        assert path.name == segments.closed_name(number, data)  # its name is its digest
        assert len(data) >= SMALL
    assert (tmp_path / LOG_FILE).read_bytes().startswith(segments.header(len(closed) + 1))
    assert view(tmp_path) == (live, list(range(1, 61)))
    (tmp_path / "progress.json").unlink()  # replayed from segment 1 on: the same states
    assert view(tmp_path) == (live, list(range(1, 61)))


def test_an_older_single_file_log_becomes_segment_1_at_first_open(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as store:
        answer(store, 0, 5)
        store.checkpoint()
        at_5 = (tmp_path / "progress.json").read_bytes()
        answer(store, 5, 7)
        live = dict(store.states())
    # What an older quiz left: one log with the format-1 header, a format-1 checkpoint.
    log = tmp_path / LOG_FILE
    lines = log.read_bytes().splitlines(keepends=True)
    old_log = b'{"quiz_log":1}\n' + b"".join(lines[1:])
    log.write_bytes(old_log)
    checkpoint = orjson.loads(at_5)
    checkpoint["meta"]["1"] = {"format": 1, "last_id": 5, "log_size": len(b"".join(lines[:6]))}
    checkpoint["meta"]["1"]["log_size"] = len(b'{"quiz_log":1}\n' + b"".join(lines[1:6]))
    (tmp_path / "progress.json").write_bytes(orjson.dumps(checkpoint))
    os.link(log, tmp_path / "inode-check")

    assert view(tmp_path) == (live, list(range(1, 13)))
    (first,) = closed_files(tmp_path)
    assert first.read_bytes() == old_log and first.name == segments.closed_name(1, old_log)
    assert first.stat().st_ino == (tmp_path / "inode-check").stat().st_ino  # linked, not copied
    assert log.read_bytes() == segments.header(2)


def test_a_rotation_cut_short_is_finished_at_open(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as store:
        answer(store, 0, 5)
        live = dict(store.states())
    log = tmp_path / LOG_FILE
    data = log.read_bytes()
    (tmp_path / SEGMENT_DIR).mkdir()
    os.link(log, tmp_path / SEGMENT_DIR / segments.closed_name(1, data))  # killed right here
    assert view(tmp_path) == (live, list(range(1, 6)))  # no entry twice
    assert log.read_bytes() == segments.header(2)


def test_a_missing_segment_is_named_and_nothing_changes(tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(segments, "SEGMENT_BYTES", SMALL)
        with FileStore.open(tmp_path) as store:
            answer(store, 0, 40)
    second = closed_files(tmp_path)[1]
    second.unlink()
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as caught:
        FileStore.open(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / SEGMENT_DIR / '000002-....jsonl'}: segment 2 of")
    assert "is missing" in message and "quiz has not changed it" in message
    assert snapshot(tmp_path) == before


def test_a_stray_file_among_the_segments_is_named(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as store:
        answer(store, 0, 2)
    (tmp_path / SEGMENT_DIR).mkdir()
    (tmp_path / SEGMENT_DIR / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match=r"notes\.txt: is not a segment of the review log"):
        FileStore.open(tmp_path)
    assert (tmp_path / SEGMENT_DIR / "notes.txt").read_text() == "mine"


def test_without_hard_links_segments_and_backups_are_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FAT and exFAT (a USB stick), some network shares: os.link is refused."""

    def no_links(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(segments, "SEGMENT_BYTES", SMALL)
    monkeypatch.setattr(os, "link", no_links)
    with FileStore.open(tmp_path) as store:
        answer(store, 0, 40)
        live = dict(store.states())
        made = store.backup(NOW)
    assert made is not None
    closed = closed_files(tmp_path)
    kept = sorted((made / SEGMENT_DIR).iterdir())
    assert [p.name for p in kept] == [p.name for p in closed]
    assert all(a.stat().st_ino != b.stat().st_ino for a, b in zip(kept, closed, strict=True))
    assert view(tmp_path) == (live, list(range(1, 41)))


# --- backups by reference ---


@pytest.mark.usefixtures("small_segments")
def test_a_backup_links_the_closed_segments_and_packs_the_rest(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as store:
        answer(store, 0, 40)
    with FileStore.open(tmp_path) as store:  # a session starts: its backup first
        made = store.backup(NOW)
    assert made is not None
    closed = closed_files(tmp_path)
    kept = sorted((made / SEGMENT_DIR).iterdir())
    assert [p.stat().st_ino for p in kept] == [p.stat().st_ino for p in closed]
    content = read_backup(made)
    assert content.log == (tmp_path / LOG_FILE).read_bytes()
    assert content.progress == (tmp_path / "progress.json").read_bytes()
    assert (made / PACKED_LOG).stat().st_size < len(content.log or b"")


def test_a_damaged_or_missing_part_of_a_backup_is_named_and_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segments, "SEGMENT_BYTES", SMALL)
    with FileStore.open(tmp_path) as store:
        answer(store, 0, 40)
        made = store.backup(NOW)
        answer(store, 40, 3)
    assert made is not None
    before = snapshot(tmp_path)
    part = sorted((made / SEGMENT_DIR).iterdir())[2]
    saved = part.read_bytes()
    part.unlink()  # the link only: the live segment is untouched
    part.write_bytes(saved[:100] + b"X" + saved[101:])
    with pytest.raises(StoreError, match=rf"^{part}: is damaged .* cannot be restored"):
        restore(tmp_path, None, NOW)
    part.unlink()
    with pytest.raises(StoreError, match=rf"^{part}: is missing; this backup cannot be restored"):
        restore(tmp_path, None, NOW)
    (made / PACKED_LOG).write_bytes(b"not zstd")
    part.write_bytes(saved)
    with pytest.raises(StoreError, match=rf"^{made / PACKED_LOG}: is damaged"):
        restore(tmp_path, None, NOW)
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith(BACKUP_DIR)} == {
        k: v for k, v in before.items() if not k.startswith(BACKUP_DIR)
    }


def test_a_backup_made_by_an_older_quiz_is_still_restored(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as store:
        answer(store, 0, 6)
        live = dict(store.states())
    old = tmp_path / BACKUP_DIR / "2026-11-20T090000"
    old.mkdir(parents=True)
    log = (tmp_path / LOG_FILE).read_bytes()
    old_log = b'{"quiz_log":1}\n' + log.split(b"\n", 1)[1]
    (old / LOG_FILE).write_bytes(old_log)
    checkpoint = orjson.loads((tmp_path / "progress.json").read_bytes())
    checkpoint["meta"]["1"] = {"format": 1, "last_id": 6, "log_size": len(old_log)}
    (old / "progress.json").write_bytes(orjson.dumps(checkpoint))
    with FileStore.open(tmp_path) as store:
        answer(store, 6, 4)
        final = dict(store.states())
    restore(tmp_path, "2026-11-20T090000", NOW, exact=True)
    assert view(tmp_path) == (live, list(range(1, 7)))
    with FileStore.open(tmp_path) as store:
        answer(store, 6, 4)
    done = restore(tmp_path, "2026-11-20T090000", NOW + timedelta(seconds=1))
    assert done.kept == 4  # the single-file log, with the four answers after it appended
    assert view(tmp_path) == (final, list(range(1, 11)))


@pytest.mark.usefixtures("small_segments")
def test_ten_backups_each_restore_exactly_their_moment(tmp_path: Path) -> None:
    """Twelve study sessions, each backed up at its start: the ten kept backups, restored one
    after another, each give back the states and the log of the moment it was taken."""
    moments: dict[str, tuple[dict[str, CardState], list[int]]] = {}
    given = 0
    for session in range(12):
        with FileStore.open(tmp_path) as store:
            at = dict(store.states()), [entry.id for entry in store.entries()]
            made = store.backup(NOW + timedelta(days=session))
            if made is not None:
                moments[made.name] = at
            answer(store, given, 7 + session)  # rotations fall inside and between sessions
            given += 7 + session
    kept = backups(tmp_path)
    assert len(kept) == KEEP_BACKUPS
    assert [b.name for b in kept] == sorted(moments)[-KEEP_BACKUPS:]
    final = view(tmp_path)
    for number, made in enumerate(kept):
        restore(tmp_path, made.name, NOW + timedelta(days=30, seconds=number), exact=True)
        assert view(tmp_path) == moments[made.name], made.name
    assert len(list((tmp_path / "replaced").iterdir())) == KEEP_BACKUPS
    assert final[1] == list(range(1, given + 1))


@pytest.mark.usefixtures("small_segments")
def test_each_of_ten_backups_restored_with_the_answers_after_it_gives_the_whole_history(
    tmp_path: Path,
) -> None:
    """The same twelve sessions; each backup restored in turn, keeping what came after it: the
    folder holds every answer each time, its closed segments those of the backup."""
    given = 0
    at: dict[str, int] = {}
    for session in range(12):
        with FileStore.open(tmp_path) as store:
            made = store.backup(NOW + timedelta(days=session))
            if made is not None:
                at[made.name] = given
            answer(store, given, 7 + session)
            given += 7 + session
    final = view(tmp_path)
    for number, made in enumerate(backups(tmp_path)):
        names = orjson.loads((made / "backup.json").read_bytes())["segments"]
        done = restore(tmp_path, made.name, NOW + timedelta(days=30, seconds=number))
        assert (done.kept, done.not_kept) == (given - at[made.name], None), made.name
        assert [path.name for path in closed_files(tmp_path)] == names, made.name
        assert view(tmp_path) == final, made.name  # opening closes the long open segment
    assert final[1] == list(range(1, given + 1))
