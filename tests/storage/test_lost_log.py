"""A checkpoint that covers more answers than the log holds (the log deleted, emptied or cut
short) is the only record of them: quiz keeps its states, says what is missing, and `quiz
repair` mends the log from every copy on the disk and names what none holds."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from quiz.commands.cli import main
from quiz.core.progress import CardState, ProgressStore
from quiz.core.sm2 import Sm2State
from quiz.storage.segments import LOG_FILE
from quiz.storage.store import FileStore

DAY = date(2026, 11, 26)
T = "2026-11-26T10:00:00+00:00"


def answer(store: ProgressStore, start: int, count: int) -> None:
    for i in range(start, start + count):
        after = CardState.from_sm2(Sm2State(1 + i % 5, 2.5, 1 + i, DAY), first=DAY, last=DAY)
        store.record(f"d/c{i}", "review", day=DAY, time=T, after=after, quality=4)


def states(folder: Path) -> tuple[dict[str, CardState], list[str]]:
    with FileStore.open(folder) as store:
        return dict(store.states()), list(store.notices)


def emptied(log: Path) -> None:
    log.write_bytes(b"")


def deleted(log: Path) -> None:
    log.unlink()


def halved(log: Path) -> None:
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[: len(lines) // 2]))


@pytest.mark.parametrize("damage", [deleted, emptied, halved])
def test_a_shorter_log_never_resets_the_answers_the_checkpoint_holds(
    tmp_path: Path, damage: object, capsys: pytest.CaptureFixture[str]
) -> None:
    with FileStore.open(tmp_path) as store:
        answer(store, 0, 60)
    before, _ = states(tmp_path)
    assert callable(damage)
    damage(tmp_path / LOG_FILE)
    code, out, _err = cli(["--data", str(tmp_path), "--no-bundled", "repair", "--check"], capsys)
    assert code == 1 and "quiz keeps its states (the only record of those answers)" in out
    for _ in range(3):  # every open, not only the first
        after, notices = states(tmp_path)
        assert after == before
        (notice,) = notices
        assert "progress.json covers up to #60" in notice
        assert "missing from the log" in notice and "quiz repair" in notice


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args, {"QUIZ_TODAY": "2026-11-26"})
    out, err = capsys.readouterr()
    return code, out, err


def test_repair_takes_what_a_backup_holds_and_keeps_the_checkpoint_for_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FileStore.open(tmp_path) as store:
        answer(store, 0, 20)
        store.backup(datetime(2026, 11, 26, 9))  # holds answers 1-20
        answer(store, 20, 40)
    before, _ = states(tmp_path)
    (tmp_path / LOG_FILE).unlink()
    code, out, _err = cli(["--data", str(tmp_path), "--no-bundled", "repair"], capsys)
    assert code == 1  # answers were lost from the log
    assert "entries #1-#20 taken from backups/" in out
    assert "lost: answer #21, card unreadable" in out and "lost: answer #60" in out
    assert "progress.json: kept, as the only record of the answers up to #60" in out
    after, notices = states(tmp_path)
    assert after == before and notices == []
    code, out, _err = cli(["--data", str(tmp_path), "--no-bundled", "repair", "--check"], capsys)
    assert code == 0 and "it keeps the states of the answers an earlier repair" in out
    with FileStore.open(tmp_path) as store:
        assert [e.id for e in store.entries()] == list(range(1, 21))
        answer(store, 60, 1)  # the log runs on after the ids it lost
    after, notices = states(tmp_path)
    assert notices == [] and after["d/c60"].sm2.interval == 61
    assert cli(["--data", str(tmp_path), "--no-bundled", "repair"], capsys)[0] == 0


def test_repair_refuses_ids_that_jump_without_bound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FileStore.open(tmp_path) as store:
        answer(store, 0, 2)
    log = tmp_path / LOG_FILE
    log.write_bytes(log.read_bytes().replace(b'{"id":2,', b'{"id":1000000000000,'))
    code, _out, err = cli(["--data", str(tmp_path), "--no-bundled", "repair"], capsys)
    assert code != 0 and "jump from #1 to #1000000000000" in err
    assert err.count("\n") == 1
