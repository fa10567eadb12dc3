"""`quiz repair` and `quiz repair --check` on folders damaged in each way, against the history
that made them: the exact answers kept and lost ("lost" only where no copy on the disk holds
the bytes), a second run that finds nothing, a kill at every step, and the command line."""

from __future__ import annotations

import errno
import os
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from quiz.commands.cli import main
from quiz.core.progress import CardState, ProgressStore, StoreError
from quiz.core.sm2 import Sm2State
from quiz.storage import segments
from quiz.storage.folder import BACKUP_DIR, PACKED_LOG, REPLACED_DIR, backups
from quiz.storage.recovery.check import check
from quiz.storage.recovery.repair import Lost, plan, repair
from quiz.storage.segments import LOG_FILE, SEGMENT_DIR
from quiz.storage.store import FileStore
from tests.storage.test_kill_restore import kill_at

DAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 29, 9, 0)
SMALL = 900
"""A segment size that closes one every four answers or so."""

History = dict[int, dict[str, Any]]
"""Entry id -> the log line that entry was, as the store wrote it."""


def time_of(i: int) -> str:
    return f"2026-11-26T10:{i // 60:02d}:{i % 60:02d}+00:00"


def answer(store: ProgressStore, start: int, count: int) -> None:
    for i in range(start, start + count):
        after = CardState.from_sm2(Sm2State(1 + i % 5, 2.5, 1 + i, DAY), first=DAY, last=DAY)
        store.record(f"d/c{i}", "review", day=DAY, time=time_of(i), after=after, quality=4)


def history(folder: Path) -> History:
    """Every entry of the (whole) log, by id."""
    found: History = {}
    for part in segments.all_segments(folder):
        for raw in part.path.read_bytes().splitlines():
            doc = orjson.loads(raw)
            if "id" in doc:
                found[int(doc["id"])] = doc
    return found


def view(folder: Path) -> tuple[dict[str, CardState], list[dict[str, Any]]]:
    """What a quiz opening the folder sees: the states and every entry, as dicts."""
    with FileStore.open(folder) as store:
        entries = [doc for doc in store._read_log() if "kind" in doc]
        return dict(store.states()), entries


def expected(made: History, lost: set[int]) -> list[dict[str, Any]]:
    return [doc for i, doc in sorted(made.items()) if i not in lost]


def mend(folder: Path) -> tuple[int, list[Lost]]:
    """`quiz repair` as the command does it: the log mended, then the checkpoint rebuilt."""
    outcome = repair(folder, NOW)
    with FileStore.open(folder) as store:
        count = sum(1 for _ in store.entries())
    return count, outcome.plan.lost


def flip(path: Path, entry_id: int, at: int = 2) -> None:
    """Flip a byte `at` bytes into the line of entry `entry_id` (at 2: its "id" key)."""
    data = bytearray(path.read_bytes())
    start = data.index(b'{"id":%d,' % entry_id)
    data[start + at] ^= 0x20
    path.write_bytes(bytes(data))


def closed_holding(folder: Path, entry_id: int) -> Path:
    """The segment file that holds entry `entry_id`."""
    for path in [*sorted((folder / SEGMENT_DIR).iterdir()), folder / LOG_FILE]:
        if b'{"id":%d,' % entry_id in path.read_bytes():
            return path
    raise AssertionError(entry_id)


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segments, "SEGMENT_BYTES", SMALL)


def sessions(folder: Path, counts: list[int], *, backup: bool = True) -> History:
    """Study sessions of `counts` answers, each starting with a backup (as the app does)."""
    given = 0
    for number, count in enumerate(counts):
        with FileStore.open(folder) as store:
            if backup:
                store.backup(datetime(2026, 11, 26, 8) + timedelta(hours=number))
            answer(store, given, count)
            given += count
    return history(folder)


# --- the damaged folders, each against its history ---


def test_a_flipped_byte_in_the_open_segment_is_taken_from_the_backup(tmp_path: Path) -> None:
    made = sessions(tmp_path, [6, 3])  # the second backup holds answers 1-6
    flip(tmp_path / LOG_FILE, 4)
    assert mend(tmp_path) == (9, [])
    states, entries = view(tmp_path)
    assert entries == expected(made, set())
    assert states["d/c3"] == CardState.from_sm2(Sm2State(4, 2.5, 4, DAY), first=DAY, last=DAY)
    (aside,) = (tmp_path / REPLACED_DIR).iterdir()
    assert sorted(p.name for p in aside.iterdir()) == [LOG_FILE, "progress.json"]
    assert b'{"id":4,' not in (aside / LOG_FILE).read_bytes()  # the damaged file, kept


def test_a_line_no_copy_holds_is_quarantined_and_named(tmp_path: Path) -> None:
    made = sessions(tmp_path, [6, 3])
    flip(tmp_path / LOG_FILE, 8)  # written after the last backup: nowhere else
    count, lost = mend(tmp_path)
    assert (count, lost) == (8, [Lost(8, "d/c7", time_of(7), "review")])
    assert lost[0].describe() == "answer #8, card d/c7 at 2026-11-26T10:00:07+00:00"
    assert view(tmp_path)[1] == expected(made, {8})
    (quarantine,) = (tmp_path / REPLACED_DIR).glob("*/quarantine-000001.jsonl")
    head, stretch = (orjson.loads(line) for line in quarantine.read_bytes().splitlines())
    assert head["segment"] == 1 and stretch["lost"] == [8]
    damaged = (quarantine.parent / LOG_FILE).read_bytes()
    assert damaged[stretch["offset"] : stretch["end"]].startswith(b'{"Id":8,')


@pytest.mark.usefixtures("small")
def test_a_flipped_byte_in_a_closed_segment_comes_from_a_backup_of_it_open(
    tmp_path: Path,
) -> None:
    made = sessions(tmp_path, [2, 2, 2, 2, 2, 2, 2])  # a backup every two answers
    damaged = closed_holding(tmp_path, 3)
    flip(damaged, 3)
    assert mend(tmp_path) == (14, [])
    assert view(tmp_path)[1] == expected(made, set())
    assert damaged.exists()  # mended back to the bytes of its name
    assert segments.digest(damaged.read_bytes()) == segments.parse_closed_name(damaged.name)[1]  # type: ignore[index]


@pytest.mark.usefixtures("small")
def test_a_closed_segment_no_copy_holds_gets_its_new_name(tmp_path: Path) -> None:
    made = sessions(tmp_path, [14], backup=False)
    damaged = closed_holding(tmp_path, 2)
    name = damaged.name
    flip(damaged, 2, at=30)  # in the card's key: the id is still readable
    count, lost = mend(tmp_path)
    assert count == 13 and [x.id for x in lost] == [2]
    assert lost[0].describe().startswith("answer #2, card ")
    assert view(tmp_path)[1] == expected(made, {2})
    assert not damaged.exists()
    mended = closed_holding(tmp_path, 3)
    assert mended.name.startswith("000001-") and mended.name != name
    assert segments.digest(mended.read_bytes()) == mended.name[7:39]
    assert list((tmp_path / REPLACED_DIR).glob(f"*/{SEGMENT_DIR}/{name}"))


def test_a_missing_stretch_of_log_is_taken_from_the_backup(tmp_path: Path) -> None:
    made = sessions(tmp_path, [7, 2])
    log = tmp_path / LOG_FILE
    lines = log.read_bytes().splitlines(keepends=True)
    del lines[3:5]  # entries 3 and 4
    log.write_bytes(b"".join(lines))
    assert [(s.ids, s.damaged) for s in plan(tmp_path).stretches] == [([3, 4], b"")]
    assert mend(tmp_path) == (9, [])
    assert view(tmp_path)[1] == expected(made, set())


def test_a_missing_stretch_no_copy_holds_is_named_by_id(tmp_path: Path) -> None:
    made = sessions(tmp_path, [7], backup=False)
    log = tmp_path / LOG_FILE
    lines = log.read_bytes().splitlines(keepends=True)
    del lines[3:5]
    log.write_bytes(b"".join(lines))
    count, lost = mend(tmp_path)
    assert count == 5
    assert [x.describe() for x in lost] == [
        "answer #3, card unreadable",
        "answer #4, card unreadable",
    ]
    assert view(tmp_path)[1] == expected(made, {3, 4})


@pytest.mark.usefixtures("small")
def test_a_missing_segment_is_put_back_from_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*_: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    with monkeypatch.context() as patch:  # a file system without hard links: copies
        patch.setattr(os, "link", no_links)
        made = sessions(tmp_path, [10, 2])
    gone = closed_holding(tmp_path, 5)
    gone.unlink()
    with pytest.raises(StoreError, match="quiz repair"):
        FileStore.open(tmp_path)
    assert mend(tmp_path) == (12, [])
    assert view(tmp_path)[1] == expected(made, set())
    assert (tmp_path / SEGMENT_DIR / gone.name).exists()


@pytest.mark.usefixtures("small")
def test_a_missing_segment_no_copy_holds_loses_its_answers(tmp_path: Path) -> None:
    made = sessions(tmp_path, [14], backup=False)
    gone = closed_holding(tmp_path, 5)
    ids = {i for i in made if b'{"id":%d,' % i in gone.read_bytes()}
    gone.unlink()
    count, lost = mend(tmp_path)
    assert {x.id for x in lost} == ids and count == 14 - len(ids)
    assert view(tmp_path)[1] == expected(made, ids)
    assert mend(tmp_path)[1] == []  # known: not reported again


def test_a_damaged_backup_is_reported_and_a_damaged_line_no_other_copy_holds_is_lost(
    tmp_path: Path,
) -> None:
    made = sessions(tmp_path, [6, 3])
    newest = backups(tmp_path)[-1]
    packed = newest / PACKED_LOG
    packed.write_bytes(packed.read_bytes()[:-3] + b"xyz")
    report = check(tmp_path, None)
    assert [f.path for f in report.problems] == [f"{BACKUP_DIR}/{newest.name}"]
    assert "damaged" in report.problems[0].what
    flip(tmp_path / LOG_FILE, 5)  # only the damaged backup held it
    _count, lost = mend(tmp_path)
    assert [x.id for x in lost] == [5]
    assert view(tmp_path)[1] == expected(made, {5})


def test_a_copy_set_aside_by_a_restore_mends_the_log(tmp_path: Path) -> None:
    made = sessions(tmp_path, [3, 4], backup=False)
    aside = tmp_path / REPLACED_DIR / "2026-11-27T090000"
    aside.mkdir(parents=True)
    shutil.copyfile(tmp_path / LOG_FILE, aside / LOG_FILE)
    flip(tmp_path / LOG_FILE, 6)
    assert mend(tmp_path) == (7, [])
    assert view(tmp_path)[1] == expected(made, set())


def test_an_older_quiz_s_backup_mends_segment_one(tmp_path: Path) -> None:
    made = sessions(tmp_path, [5], backup=False)
    old = tmp_path / BACKUP_DIR / "2026-11-20T100000"
    old.mkdir(parents=True)
    data = (tmp_path / LOG_FILE).read_bytes()
    (old / LOG_FILE).write_bytes(data)  # a plain copy, as an older quiz made them
    flip(tmp_path / LOG_FILE, 2)
    assert mend(tmp_path) == (5, [])
    assert view(tmp_path)[1] == expected(made, set())


def test_a_copy_from_another_history_is_not_taken(tmp_path: Path) -> None:
    """A restore brings back an earlier backup; the log set aside then holds other answers
    under the same ids. Such a line must not stand in for a damaged one."""
    sessions(tmp_path, [3, 3])
    aside = tmp_path / REPLACED_DIR / "2026-11-27T090000"
    aside.mkdir(parents=True)
    shutil.copyfile(tmp_path / LOG_FILE, aside / LOG_FILE)
    log = tmp_path / LOG_FILE
    lines = log.read_bytes().splitlines(keepends=True)
    other = lines[5].replace(b'"k":"d/c4"', b'"k":"d/zz"').replace(b"10:00:04", b"11:30:00")
    log.write_bytes(b"".join([*lines[:5], other]))  # entry 5 is another answer here
    made = history(tmp_path)
    flip(log, 5)
    _count, lost = mend(tmp_path)
    assert [x.describe() for x in lost] == ["answer #5, card d/zz at 2026-11-26T11:30:00+00:00"]
    assert view(tmp_path)[1] == expected(made, {5})


def test_damage_after_an_earlier_loss_is_still_taken_from_a_copy(tmp_path: Path) -> None:
    """Ids quarantined by a first repair are skipped: the next damaged line, which a backup
    holds, is taken from it and nothing is reported lost twice."""
    made = sessions(tmp_path, [3, 3])
    flip(tmp_path / LOG_FILE, 5)
    assert [x.id for x in mend(tmp_path)[1]] == [5]
    with FileStore.open(tmp_path) as store:
        store.backup(NOW)  # holds 1-4 and 6
    flip(tmp_path / LOG_FILE, 6)
    assert mend(tmp_path) == (5, [])
    assert view(tmp_path)[1] == expected(made, {5})
    assert repair(tmp_path, NOW).plan.empty


def test_a_damaged_checkpoint_is_rebuilt(tmp_path: Path) -> None:
    made = sessions(tmp_path, [4], backup=False)
    (tmp_path / "progress.json").write_bytes(b'{"states": {"d/c1": ')
    assert mend(tmp_path) == (4, [])
    assert view(tmp_path)[1] == expected(made, set())
    assert list((tmp_path / REPLACED_DIR).glob("*/progress.json"))


def test_a_whole_folder_has_nothing_to_repair(tmp_path: Path) -> None:
    sessions(tmp_path, [3, 2])
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    assert repair(tmp_path, NOW).plan.empty
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
    assert check(tmp_path, None).ok


# --- repair --check ---


def test_check_reports_each_kind_and_changes_nothing(tmp_path: Path) -> None:
    sessions(tmp_path, [6, 3])
    with FileStore.open(tmp_path) as store:
        (entry,) = [e for e in store.entries() if e.id == 9]
        store.cancel(entry, time=time_of(99))
    log = tmp_path / LOG_FILE
    data = log.read_bytes()
    log.write_bytes(data.replace(b'"of":9', b'"of":90'))
    flip(log, 3)
    doc = orjson.loads((tmp_path / "progress.json").read_bytes())
    doc["states"]["d/c1"]["i"] = 99
    (tmp_path / "progress.json").write_bytes(orjson.dumps(doc))
    files = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p.name != "lock"}
    report = check(tmp_path, {"d/c0", "d/c1", "d/c2", "d/c3", "d/c4", "d/c5", "d/c6"})
    lines = [f.line() for f in report.problems]
    assert lines[0].startswith("log.jsonl: line 4 (bytes ")
    assert lines[0].endswith(
        f"a copy holds it ({BACKUP_DIR}/{backups(tmp_path)[-1].name}/{PACKED_LOG})"
    )
    assert any("the undo #10 cancels answer #90, which is not in the log" in x for x in lines)
    assert any(
        x.startswith("progress.json: ") and "disagree with the log (d/c1" in x for x in lines
    )
    assert [n.what.split(" (")[0] for n in report.notes] == [
        "2 card(s) with progress are in no loaded deck"
    ]
    assert not report.ok
    assert files == {p: p.read_bytes() for p in files}


@pytest.mark.usefixtures("small")
def test_check_names_a_closed_segment_whose_bytes_changed(tmp_path: Path) -> None:
    sessions(tmp_path, [10], backup=False)
    damaged = closed_holding(tmp_path, 2)
    data = damaged.read_bytes()
    damaged.write_bytes(data.replace(b'"q":4', b'"q":5', 1))  # still reads
    (problem,) = check(tmp_path, None).problems
    assert problem.path == f"{SEGMENT_DIR}/{damaged.name}"
    assert problem.what.startswith("its bytes do not match its name")


# --- a kill at every step ---


@pytest.mark.usefixtures("small")
def test_a_kill_at_any_step_of_a_repair_is_finished_by_a_second_one(tmp_path: Path) -> None:
    folder = tmp_path / "progress"
    made = sessions(folder, [2, 2, 2, 2, 6])  # the last backup holds 1-8
    assert closed_holding(folder, 9).parent.name == SEGMENT_DIR
    assert closed_holding(folder, 13).name == LOG_FILE
    flip(closed_holding(folder, 3), 3)  # closed, taken from a backup of it open
    flip(closed_holding(folder, 9), 9)  # closed, in no copy: lost, a new name
    flip(closed_holding(folder, 13), 13)  # open, in no copy: lost
    pristine = tmp_path / "pristine"
    shutil.copytree(folder, pristine)

    def run() -> None:
        mend(folder)

    steps = kill_at(None, run)
    assert steps > 6
    assert view(folder)[1] == expected(made, {9, 13})
    for step in range(steps):
        shutil.rmtree(folder)
        shutil.copytree(pristine, folder)
        kill_at(step, run)
        try:
            opened = view(folder)[1]
        except StoreError as exc:  # refused, naming `quiz repair` first
            assert "run `quiz repair`" in str(exc), step
        else:  # it opens: every answer acknowledged is there, but those no copy holds
            ids = {e["id"] for e in opened}
            assert set(made) - {3, 9, 13} <= ids <= set(made), step
        _count, lost = mend(folder)
        assert {x.id for x in lost} <= {9, 13}, step
        assert view(folder)[1] == expected(made, {9, 13}), step
        assert mend(folder)[1] == [] and repair(folder, NOW).plan.empty, step


# --- the command line ---


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args, {"QUIZ_TODAY": "2026-11-26"})
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data", str(tmp_path), "--no-bundled"]
    made = sessions(tmp_path, [6, 3])
    assert cli([*data, "repair"], capsys) == (
        0,
        f"{tmp_path}: nothing to repair (the log and the checkpoint read whole)\n",
        "",
    )
    code, out, _ = cli([*data, "repair", "--check"], capsys)
    assert code == 0 and out.splitlines()[-1].startswith(f"{tmp_path}: all is well (")
    flip(tmp_path / LOG_FILE, 4)
    flip(tmp_path / LOG_FILE, 8)
    code, out, err = cli([*data, "repair", "--check", "--format", "json"], capsys)
    report = orjson.loads(out)
    assert code == 1 and not report["ok"] and len(report["problems"]) == 3
    code, out, err = cli([*data, "repair"], capsys)
    assert code == 1 and err == ""
    assert "  lost: answer #8, card d/c7 at 2026-11-26T10:00:07+00:00\n" in out
    assert out.splitlines()[-1].startswith(
        "repaired: 1 entries taken from copies on the disk, 1 lost"
    )
    assert view(tmp_path)[1] == expected(made, {8})
    assert cli([*data, "repair"], capsys)[0] == 0


def test_the_message_on_a_damaged_log_names_repair_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions(tmp_path, [3], backup=False)
    store = FileStore.open(tmp_path)
    answer(store, 3, 2)
    store._release()  # killed: the checkpoint does not cover these answers
    flip(tmp_path / LOG_FILE, 4)
    code, _out, err = cli(["--data", str(tmp_path), "--no-bundled", "stats"], capsys)
    assert code == 1 and "Traceback" not in err
    assert err == (
        f"quiz: {tmp_path / LOG_FILE}: is damaged in the middle. quiz has not changed it; run"
        " `quiz repair` to mend it from the copies on the disk (there is no backup to"
        " restore)\n"
    )
    assert cli(["--data", str(tmp_path), "repair"], capsys)[0] == 1
    assert cli(["--data", str(tmp_path), "--no-bundled", "stats"], capsys)[0] == 0


def test_repair_of_a_folder_in_use_or_missing_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(["--data", str(tmp_path / "nope"), "repair"], capsys)
    assert (code, err) == (1, f"quiz: {tmp_path / 'nope'}: no such progress folder\n")
    with FileStore.open(tmp_path):
        code, _, err = cli(["--data", str(tmp_path), "repair", "--check"], capsys)
    assert code == 1 and "another quiz (pid" in err and len(err.splitlines()) == 1
