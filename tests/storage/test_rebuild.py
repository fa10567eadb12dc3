"""A damaged checkpoint, or one the log contradicts, is rebuilt from the log at open: the states
and entries are exactly those of the history that made the folder, the old file is kept in
replaced/, and a notice says so. A damaged log is not the checkpoint's to fix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from quiz.core.progress import CardState, LogEntry, MemoryStore, ProgressStore, StoreError
from quiz.core.sm2 import Sm2State
from quiz.storage import clock, segments
from quiz.storage.segments import LOG_FILE
from quiz.storage.store import FileStore

DAY = date(2026, 11, 26)
T = "2026-11-26T10:00:00+00:00"
SMALL = 1500
"""Segments close every few answers, so the history spans several."""

History = tuple[dict[str, CardState], list[LogEntry]]


def state(n: int) -> CardState:
    return CardState.from_sm2(Sm2State(n % 9, 2.5, n, DAY), first=DAY, last=DAY)


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> History:
    """40 answers and an undo (41 entries) over several segments, checkpointed at entry 32 and
    then, as if
    quiz were killed, not again: the states and entries a store in memory gets from the same
    answers."""
    monkeypatch.setattr(segments, "SEGMENT_BYTES", SMALL)
    twin = MemoryStore()
    store = FileStore.open(tmp_path)
    both: tuple[ProgressStore, ProgressStore] = (store, twin)
    for i in range(40):
        made = [s.record(f"d/{i % 7}", "review", day=DAY, time=T, after=state(i)) for s in both]
        if i == 25:
            for s, entry in zip(both, made, strict=True):
                s.cancel(entry, time=T)
        if i == 30:
            store.checkpoint()
    store._release()
    assert len(list((tmp_path / segments.SEGMENT_DIR).iterdir())) >= 3
    return dict(twin.states()), list(twin.entries())


def checkpoint(folder: Path) -> dict[str, Any]:
    doc = orjson.loads((folder / "progress.json").read_bytes())
    assert isinstance(doc, dict) and doc["meta"]["1"]["last_id"] == 32
    return doc


def edited(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], bytes]:
    def damage(folder: Path) -> bytes:
        doc = checkpoint(folder)
        doc["_parts"] = segments.all_segments(folder)
        change(doc)
        doc.pop("_parts", None)
        return orjson.dumps(doc)

    return damage


def meta(**values: Any) -> Callable[[Path], bytes]:
    def change(doc: dict[str, Any]) -> None:
        for name, value in values.items():
            doc["meta"]["1"][name] = value(doc["meta"]["1"][name]) if callable(value) else value

    return edited(change)


def raw(data: bytes | Callable[[bytes], bytes]) -> Callable[[Path], bytes]:
    def damage(folder: Path) -> bytes:
        old = (folder / "progress.json").read_bytes()
        return data(old) if callable(data) else data

    return damage


def more_states(doc: dict[str, Any]) -> None:
    for n in range(40):
        doc["states"][f"x/{n}"] = {"n": 1, "ef": 250, "i": 1}


def unexplained(doc: dict[str, Any]) -> None:
    doc["states"]["d/3"]["i"] += 1  # d/3 is answered again after the checkpoint (entry 33)


def state_damaged(doc: dict[str, Any]) -> None:
    doc["states"]["d/0"] = {"n": "many"}


def a_line_early(doc: dict[str, Any]) -> None:
    """The place one line before the one the checkpoint covers to."""
    covered = doc["meta"]["1"]
    (part,) = [p for p in doc["_parts"] if p.number == covered["segment"]]
    data = part.path.read_bytes()[: covered["log_size"]]
    covered["log_size"] = data.rfind(b"\n", 0, len(data) - 1) + 1
    del doc["_parts"]


def no_meta(doc: dict[str, Any]) -> None:
    del doc["meta"]


CASES: list[tuple[str, Callable[[Path], bytes], str, bool]] = [
    # name, what is done to progress.json, what the notice says of it, nothing lost
    ("truncated", raw(lambda old: old[: len(old) // 2]), "it is not valid JSON", True),
    ("emptied", raw(b""), "it is empty", True),
    ("garbage", raw(b"\x00\x17garbage\xff\n"), "it is not valid JSON", True),
    ("not an object", raw(b"[1, 2, 3]"), "it is not a JSON object", True),
    ("no meta", edited(no_meta), "its meta table is missing or damaged", True),
    ("meta not numbers", meta(last_id="32"), "its meta table is damaged", True),
    ("a state damaged", edited(state_damaged), "a card state in it is damaged", True),
    (
        "more states than answers",
        edited(more_states),
        "it holds the states of 47 cards but covers only 32 answers",
        True,
    ),
    (
        "last id beyond the log",
        meta(last_id=lambda n: n + 100),
        "it ends at entry #132, but the log has entry #32 there",
        False,
    ),
    ("segment beyond the log", meta(segment=99), "it covers log segment 99, but the log has", True),
    ("log size beyond its segment", meta(log_size=lambda n: n + 10_000), "it covers", True),
    ("log size mid-line", meta(log_size=lambda n: n - 5), "is not a line's end", True),
    ("log size before the newline", meta(log_size=lambda n: n - 1), "is not a line's end", True),
    (
        "log size a line early",
        edited(a_line_early),
        "it ends at entry #32, but the log has entry #31 there",
        True,
    ),
    (
        "a state the log does not explain",
        edited(unexplained),
        "its state of d/3 is not the one the log's entry #33 starts from",
        True,
    ),
]


@pytest.mark.parametrize(
    ("damage", "what", "nothing_lost"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_checkpoint_that_cannot_be_used_is_rebuilt_from_the_log(
    tmp_path: Path,
    history: History,
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[Path], bytes],
    what: str,
    nothing_lost: bool,
) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 29, 10, 15))
    bad = damage(tmp_path)
    (tmp_path / "progress.json").write_bytes(bad)
    with FileStore.open(tmp_path) as store:
        assert (dict(store.states()), list(store.entries())) == history
        (notice,) = store.notices
    kept = tmp_path / "replaced" / "2026-11-29T101500" / "progress.json"
    assert kept.read_bytes() == bad  # set aside as it was, never deleted
    assert notice.startswith(f"{tmp_path / 'progress.json'}: could not be used, ")
    assert what in notice.split(";")[0]
    assert "; rebuilt from the review log (39 answers" in notice  # 40, one of them undone
    assert ("nothing lost" in notice) == nothing_lost
    assert f"the old file is kept in {kept}" in notice or f"the old file, kept in {kept}" in notice
    assert "\n" not in notice
    with FileStore.open(tmp_path) as again:  # the new checkpoint is whole and agrees
        assert not again.notices
        assert (dict(again.states()), list(again.entries())) == history
    rebuilt = orjson.loads((tmp_path / "progress.json").read_bytes())
    assert rebuilt["meta"]["1"]["last_id"] == 41


def test_the_notice_of_a_checkpoint_beyond_the_log_says_what_may_be_missing(
    tmp_path: Path, history: History
) -> None:
    (tmp_path / "progress.json").write_bytes(meta(last_id=lambda n: n + 100)(tmp_path))
    with FileStore.open(tmp_path) as store:
        (notice,) = store.notices
    assert notice.endswith(
        "progress.json, covered 91 entries more: if answers are missing, a backup may hold"
        " them (`quiz restore --list`)"
    )


def test_a_second_rebuild_in_the_same_second_is_kept_apart(
    tmp_path: Path, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 29, 10, 15))
    for damaged in (b"{", b"[]"):
        (tmp_path / "progress.json").write_bytes(damaged)
        FileStore.open(tmp_path).close()
    kept = sorted((tmp_path / "replaced").iterdir())
    assert [path.name for path in kept] == ["2026-11-29T101500", "2026-11-29T101500-2"]
    assert [(path / "progress.json").read_bytes() for path in kept] == [b"{", b"[]"]


def test_a_damaged_log_is_not_rebuilt_over_and_nothing_moves(
    tmp_path: Path, history: History
) -> None:
    (tmp_path / "progress.json").write_bytes(b"{garbage")
    log = tmp_path / LOG_FILE
    lines = log.read_bytes().split(b"\n")
    lines[1] = b"garbage"
    log.write_bytes(b"\n".join(lines))
    with pytest.raises(StoreError, match=r"log\.jsonl: is damaged in the middle"):
        FileStore.open(tmp_path)
    assert (tmp_path / "progress.json").read_bytes() == b"{garbage"
    assert not (tmp_path / "replaced").exists()


def test_a_newer_checkpoint_is_refused_not_rebuilt(tmp_path: Path, history: History) -> None:
    (tmp_path / "progress.json").write_bytes(meta(format=3)(tmp_path))
    with pytest.raises(StoreError, match="written by a newer quiz"):
        FileStore.open(tmp_path)
    assert not (tmp_path / "replaced").exists()


def test_a_checkpoint_with_no_log_at_all_is_kept(tmp_path: Path) -> None:
    """With the log gone, the checkpoint is the only record: kept, and the log starts again."""
    with FileStore.open(tmp_path) as store:
        store.record("d/a", "review", day=DAY, time=T, after=state(1))
    (tmp_path / LOG_FILE).unlink()
    with FileStore.open(tmp_path) as store:
        assert store.state("d/a") == state(1) and not store.notices
        entry = store.record("d/b", "review", day=DAY, time=T, after=state(2))
    assert entry.id == 2
    with FileStore.open(tmp_path) as store:
        assert store.state("d/b") == state(2) and not store.notices


def test_a_last_line_without_its_newline_was_never_acknowledged(tmp_path: Path) -> None:
    with FileStore.open(tmp_path) as store:
        store.record("d/a", "review", day=DAY, time=T, after=state(1))
        line = orjson.dumps(
            {"id": 2, "k": "d/a", "kind": "review", "d": "2026-11-26", "t": T, "b": {}, "a": {}}
        )
    whole = (tmp_path / LOG_FILE).read_bytes()
    (tmp_path / LOG_FILE).write_bytes(whole + line)  # a power cut before the newline
    with FileStore.open(tmp_path) as store:
        assert store.state("d/a") == state(1) and [e.id for e in store.entries()] == [1]
        assert not store.notices
    assert (tmp_path / LOG_FILE).read_bytes() == whole
