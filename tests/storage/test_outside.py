"""quiz deletes and moves only what it made, inside the progress folder: a backup is a
folder with quiz's manifest, never a link; every name read from restoring.json or a backup is
a plain name, and no step of the way is a symbolic link."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from quiz.core.progress import CardState, ProgressStore, StoreError
from quiz.core.sm2 import Sm2State
from quiz.storage.folder import (
    BACKUP_DIR,
    KEEP_BACKUPS,
    REPLACED_DIR,
    RESTORE_JOURNAL,
    backups,
    restore,
)
from quiz.storage.recovery.repair import repair
from quiz.storage.segments import SEGMENT_DIR
from quiz.storage.store import FileStore

DAY = date(2026, 11, 26)
T = "2026-11-26T10:00:00+00:00"
NOW = datetime(2026, 11, 26, 10)


def answer(store: ProgressStore, start: int, count: int) -> None:
    for i in range(start, start + count):
        after = CardState.from_sm2(Sm2State(1, 2.5, 1 + i, DAY), first=DAY, last=DAY)
        store.record(f"d/c{i}", "review", day=DAY, time=T, after=after, quality=4)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder of the user's, outside the progress folder, with a file in it."""
    mine = tmp_path / "mine"
    (mine / "2020-01-01T000000").mkdir(parents=True)
    (mine / "2020-01-01T000000" / "thesis.txt").write_text("years of work", encoding="utf-8")
    (mine / "notes.txt").write_text("keep", encoding="utf-8")
    return mine


def untouched(mine: Path) -> bool:
    return (mine / "notes.txt").read_text(encoding="utf-8") == "keep" and (
        mine / "2020-01-01T000000" / "thesis.txt"
    ).read_text(encoding="utf-8") == "years of work"


def test_backup_rotation_removes_only_quizs_own_backups(tmp_path: Path) -> None:
    data = tmp_path / "data"
    user = data / BACKUP_DIR / "2000-01-01T000000"
    user.mkdir(parents=True)
    (user / "mine.txt").write_text("mine", encoding="utf-8")
    with FileStore.open(data) as store:
        for n in range(KEEP_BACKUPS + 3):
            answer(store, n, 1)
            store.backup(NOW + timedelta(minutes=n))
    assert (user / "mine.txt").read_text(encoding="utf-8") == "mine"
    assert len(backups(data)) == KEEP_BACKUPS  # the user's folder is not a backup


def test_a_linked_backups_folder_is_refused_and_nothing_outside_is_removed(
    tmp_path: Path, outside: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / BACKUP_DIR).symlink_to(outside, target_is_directory=True)
    with FileStore.open(data) as store:
        answer(store, 0, 1)
        with pytest.raises(StoreError, match="backups: is a symbolic link"):
            store.backup(NOW)
        assert backups(data) == []
    assert untouched(outside) and sorted(p.name for p in outside.iterdir()) == [
        "2020-01-01T000000",
        "notes.txt",
    ]


@pytest.mark.parametrize(
    "journal",
    [
        {"aside": "{outside}", "backup": "2026-11-26T090000"},
        {"aside": "../../mine", "backup": "2026-11-26T090000"},
        {"aside": "2026-11-27T000000", "backup": "{outside}/2020-01-01T000000"},
        {"aside": "2026-11-27T000000", "backup": "../../mine/2020-01-01T000000"},
        {"aside": "2026-11-27T000000", "backup": "no-such-backup"},
        {"aside": 7, "backup": "2026-11-26T090000"},
    ],
)
def test_a_restoring_note_naming_a_place_outside_is_refused(
    tmp_path: Path, outside: Path, journal: dict[str, object]
) -> None:
    data = tmp_path / "data"
    with FileStore.open(data) as store:
        answer(store, 0, 3)
        store.backup(datetime(2026, 11, 26, 9))
    note = {
        k: v.replace("{outside}", str(outside)) if isinstance(v, str) else v
        for k, v in journal.items()
    }
    (data / RESTORE_JOURNAL).write_bytes(
        orjson.dumps({"quiz_restore": 1, "phase": "aside", "keep": True, **note})
    )
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file() and p.name != "lock"}
    with pytest.raises(StoreError) as caught:
        FileStore.open(data)
    assert "\n" not in str(caught.value)
    after = {p: p.read_bytes() for p in data.rglob("*") if p.is_file() and p.name != "lock"}
    assert after == before and untouched(outside)


def test_a_backup_segment_that_is_a_link_out_is_not_restored(tmp_path: Path, outside: Path) -> None:
    data = tmp_path / "data"
    store = FileStore.open(data)
    answer(store, 0, 3)
    store._rotate()  # a closed segment, which a backup holds as a file of its own
    made = store.backup(NOW)
    store.close()
    assert made is not None
    (part,) = (made / SEGMENT_DIR).iterdir()
    (outside / "fake.jsonl").write_bytes(part.read_bytes())
    part.unlink()
    part.symlink_to(outside / "fake.jsonl")
    with pytest.raises(StoreError, match="is a symbolic link"):
        restore(data, made.name, NOW)
    assert not (data / REPLACED_DIR).exists()


def test_a_linked_replaced_folder_is_refused(tmp_path: Path, outside: Path) -> None:
    data = tmp_path / "data"
    with FileStore.open(data) as store:
        answer(store, 0, 3)
    (data / REPLACED_DIR).symlink_to(outside, target_is_directory=True)
    (data / "progress.json").write_bytes(b"{damaged")
    with pytest.raises(StoreError, match="replaced: is a symbolic link"):
        FileStore.open(data)
    with pytest.raises(StoreError, match="replaced: is a symbolic link"):
        repair(data, NOW)
    assert (data / "progress.json").read_bytes() == b"{damaged"
    assert untouched(outside) and len(list(outside.iterdir())) == 2


def test_a_packed_copy_is_unpacked_only_within_its_stated_size() -> None:
    from quiz.storage import compressed

    frame = compressed.pack(b"x" * 100_000)
    assert compressed.unpack(frame, 100_000) == b"x" * 100_000
    with pytest.raises(ValueError, match="more than 1,000 bytes"):
        compressed.unpack(frame, 1000)  # refused from its header, before unpacking


def test_a_backup_whose_copy_unpacks_beyond_its_manifest_is_not_restored(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    with FileStore.open(data) as store:
        answer(store, 0, 3)
        made = store.backup(NOW)
    assert made is not None
    manifest = orjson.loads((made / "backup.json").read_bytes())
    manifest["log"]["size"] = 10
    (made / "backup.json").write_bytes(orjson.dumps(manifest))
    with pytest.raises(StoreError, match=r"log\.jsonl\.zst: is damaged"):
        restore(data, made.name, NOW)
    assert not (data / REPLACED_DIR).exists()
