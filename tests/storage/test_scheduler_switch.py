"""Switching scheduler on a progress folder: the states are recomputed from the log, so
switching back gives exactly the states of a folder that never switched."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson

from quiz.core.replay import replay
from quiz.core.schedulers import SM2, SM2_REVISED, Scheduler
from quiz.services.fsrs_scheduler import Fsrs
from quiz.storage.store import FileStore
from tests.core.helpers import basic_deck
from tests.core.schedule_helpers import study

ITEMS = basic_deck("d", 40).items()


def states(folder: Path, scheduler: Scheduler | None) -> tuple[dict[str, object], list[str]]:
    with FileStore.open(folder, scheduler=scheduler) as store:
        return dict(store.states()), list(store.notices)


def test_sm2_fsrs_sm2_gives_the_states_of_a_folder_that_never_switched(tmp_path: Path) -> None:
    folder, copy = tmp_path / "switched", tmp_path / "never"
    with FileStore.open(folder, scheduler=SM2) as store:
        study(store, ITEMS, SM2, days=50, seed=1)
    shutil.copytree(folder, copy)

    under_fsrs, notices = states(folder, Fsrs())
    assert any("from sm2 to fsrs" in line for line in notices)
    assert all(s.stability is not None for s in under_fsrs.values() if s.first)  # type: ignore[attr-defined]
    meta = orjson.loads((folder / "progress.json").read_bytes())["meta"]
    assert "fsrs" in str(meta)
    again, notices = states(folder, Fsrs())
    assert again == under_fsrs and notices == []  # recomputed once, then kept

    back, notices = states(folder, SM2)
    assert any("from fsrs to sm2" in line for line in notices)
    assert back == states(copy, SM2)[0]


def test_answers_given_under_fsrs_are_rescheduled_by_sm2_as_if_always_sm2(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    with FileStore.open(folder, scheduler=SM2) as store:
        end = study(store, ITEMS, SM2, days=20, seed=4)
    fsrs = Fsrs(desired_retention=0.85)
    with FileStore.open(folder, scheduler=fsrs) as store:
        study(store, ITEMS, fsrs, days=20, seed=5, start=end)
        log = list(store.records())
        assert dict(store.states()) == replay(log, fsrs)
    back, _ = states(folder, SM2)
    assert back == replay(log, SM2)


def test_a_store_opened_without_a_scheduler_keeps_the_states_as_they_are(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    with FileStore.open(folder, scheduler=SM2_REVISED) as store:
        study(store, ITEMS, SM2_REVISED, days=15, seed=8)
        kept = dict(store.states())
    assert states(folder, None) == (kept, [])  # quiz backup, repair...: nothing recomputed
    assert states(folder, SM2_REVISED) == (kept, [])


def test_a_lost_checkpoint_is_rebuilt_under_the_chosen_scheduler(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    fsrs = Fsrs()
    with FileStore.open(folder, scheduler=fsrs) as store:
        study(store, ITEMS, fsrs, days=15, seed=9)
        kept = dict(store.states())
    (folder / "progress.json").write_bytes(b"{torn")
    rebuilt, notices = states(folder, fsrs)
    assert rebuilt == kept and notices


def test_a_replay_reads_the_same_records_without_their_states(tmp_path: Path) -> None:
    from quiz.core.progress import Response
    from quiz.storage.store import without_states

    folder = tmp_path / "p"
    with FileStore.open(folder, scheduler=SM2) as store:
        study(store, ITEMS, SM2, days=10, seed=2)
        tricky = Response("abc", ('},"a":{', ',"b":{'), 3, 4, ('}"',))
        day = max(s.last for s in store.states().values() if s.last)
        store.record("d/c0", "review", day=day, time="t", after=store.state("d/c0"),
                     quality=4, response=tricky)  # fmt: skip
        full = list(store.records())
        lean = list(store.answers())
    assert len(lean) == len(full)
    for whole, cut in zip(full, lean, strict=True):
        assert cut == {key: value for key, value in whole.items() if key not in ("b", "a")} or (
            whole.get("kind") == "undo" and cut == whole
        )
    assert lean[-1]["r"]["o"] == ['},"a":{', ',"b":{']
    assert without_states(b'{"id":1,"kind":"undo"}') == b'{"id":1,"kind":"undo"}'
