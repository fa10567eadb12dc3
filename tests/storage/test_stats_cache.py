"""The cached fold of the review log always equals a fresh fold of `store.entries()`."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest

from quiz.core.fold import Answer, LogTally
from quiz.core.progress import Response, entry_from_dict
from quiz.core.stats import compute
from quiz.storage import stats_cache
from quiz.storage.fold_file import tally_to_dict
from quiz.storage.segments import all_segments
from quiz.storage.stats_cache import CACHE_FILE, FINGERPRINT_BYTES, VERSION, answer_from_doc
from quiz.storage.store import FileStore
from tests.stats_helpers import TODAY, ago, answer, known_log, sample_decks, stamp


@contextmanager
def opened(folder: Path) -> Iterator[FileStore]:
    store = FileStore.open(folder)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FileStore]:
    with opened(tmp_path) as store:
        yield store


def cache_of(store: FileStore) -> Path:
    """The cache folder of the store's progress folder: beside it, as in the user cache folder."""
    return store.folder.with_name(f"{store.folder.name}-cache")


def tally(store: FileStore) -> LogTally:
    store.cache_dir = cache_of(store)
    return store.log_tally()


def test_the_cache_is_kept_outside_the_progress_folder(store: FileStore) -> None:
    known_log(store)
    tally(store)
    assert (cache_of(store) / CACHE_FILE).is_file()
    assert not (store.folder / CACHE_FILE).exists()


def fresh(store: FileStore) -> LogTally:
    return LogTally.of(store.entries())


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Ids of the log records the cache parses into answers."""
    seen: list[int] = []

    def counting(doc: dict[str, object]) -> Answer | None:
        seen.append(int(str(doc["id"])))
        return answer_from_doc(doc)

    monkeypatch.setattr(stats_cache, "answer_from_doc", counting)
    return seen


def test_answer_from_doc_agrees_with_the_log_entry(store: FileStore) -> None:
    known_log(store)
    for line in store.log_path.read_bytes().splitlines()[1:]:
        doc = orjson.loads(line)
        if doc["kind"] != "undo":
            assert answer_from_doc(doc) == Answer.of(entry_from_dict(doc))


def test_scenario_responses_in_the_log_fold_as_any_answer(store: FileStore) -> None:
    """The cache reads only the fields it knows: a line with a response ("r") folds as the
    same line without it, and the cached fold stays equal to a fresh one."""
    known_log(store)
    tally(store)
    response = Response("0123456789abcdef", ("capacity", "#2", "#3", "#4", "#5"), 18, 20)
    before = store.state("mlcf/e")
    after = before._replace(last=TODAY)
    store.record("mlcf/e", "review", day=TODAY, time=stamp(TODAY), after=after, quality=4,
                 elapsed_ms=9000, response=response)  # fmt: skip
    doc = orjson.loads(store.log_path.read_bytes().splitlines()[-1])
    assert doc["r"] == {"v": "0123456789abcdef", "o": list(response.options), "p": 18, "m": 20}
    assert answer_from_doc(doc) == answer_from_doc({k: v for k, v in doc.items() if k != "r"})
    assert tally(store) == fresh(store)
    store.close()
    with opened(store.folder) as again:
        assert list(again.entries())[-1].response == response
        assert tally(again) == fresh(again)


def test_first_run_folds_everything_and_saves(store: FileStore) -> None:
    known_log(store)
    assert tally(store) == fresh(store)
    assert (cache_of(store) / CACHE_FILE).exists()


def test_next_run_reads_only_the_new_lines(store: FileStore, parsed: list[int]) -> None:
    known_log(store)
    tally(store)
    parsed.clear()
    entry = answer(store, "mlcf/e", 3, TODAY)
    assert tally(store) == fresh(store)
    assert parsed == [entry.id]
    parsed.clear()
    assert tally(store) == fresh(store)
    assert parsed == []


def test_undo_of_an_answer_folded_on_an_earlier_run(store: FileStore) -> None:
    known_log(store)
    entry = answer(store, "mlcf/e", 1, TODAY)
    with_it = tally(store)
    store.cancel(entry, time=stamp(TODAY))
    without = tally(store)
    assert without == fresh(store)
    assert without != with_it


def test_undo_reaching_past_the_remembered_entries_reads_it_all_again(
    store: FileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stats_cache, "KEEP_RECENT", 1)
    early = answer(store, "mlcf/a", 4, ago(3))
    answer(store, "mlcf/b", 4, ago(3))
    tally(store)
    store.cancel(early, time=stamp(TODAY))
    assert tally(store) == fresh(store)


def test_a_different_log_is_not_taken_for_the_cached_one(tmp_path: Path) -> None:
    with opened(tmp_path) as store:
        known_log(store)
        tally(store)
        backup = store.log_path.read_bytes()
    (tmp_path / "progress.json").unlink()
    (tmp_path / "log.jsonl").unlink()
    with opened(tmp_path) as store:  # a different history, at least as long
        for n in range(30):
            answer(store, "sjt/p1", 1 + n % 5, ago(n), ms=1)
        assert len(store.log_path.read_bytes()) >= len(backup) // 2
        assert tally(store) == fresh(store)


def test_a_shorter_log_after_a_restore(tmp_path: Path) -> None:
    with opened(tmp_path) as store:
        answer(store, "mlcf/a", 4, ago(3))
        earlier = store.log_path.read_bytes()
        known_log(store)
        tally(store)
    (tmp_path / "progress.json").unlink()
    (tmp_path / "log.jsonl").write_bytes(earlier)
    with opened(tmp_path) as store:
        assert tally(store) == fresh(store)
        assert sum(t.answers for t in tally(store).days.values()) == 1


@pytest.mark.parametrize(
    "garbage", [b"", b"not json", b"[]", b'{"version": 1}', b'{"version": 99, "log_size": 1}']
)
def test_a_damaged_cache_is_rebuilt(store: FileStore, garbage: bytes) -> None:
    known_log(store)
    cache_of(store).mkdir()
    (cache_of(store) / CACHE_FILE).write_bytes(garbage)
    assert tally(store) == fresh(store)
    assert orjson.loads((cache_of(store) / CACHE_FILE).read_bytes())["version"] == VERSION


def test_a_cache_that_cannot_be_written_is_no_error(store: FileStore) -> None:
    (cache_of(store) / CACHE_FILE).mkdir(parents=True)
    known_log(store)
    assert tally(store) == fresh(store)


def test_a_half_written_last_line_waits_for_its_newline(store: FileStore) -> None:
    known_log(store)
    with open(store.log_path, "ab") as handle:
        handle.write(b'{"id": 999, "k": "mlcf/a", "kind": "rev')
    assert tally(store) == fresh(store)


def test_empty_log(store: FileStore) -> None:
    assert tally(store) == LogTally()
    assert tally(store) == LogTally()


def test_a_warm_cache_reads_only_the_end_of_the_log(
    store: FileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    known_log(store)
    for i in range(300):
        answer(store, f"mlcf/x{i}", 4, TODAY)
    tally(store)
    answer(store, "mlcf/a", 4, TODAY)
    size = store.log_path.stat().st_size
    read: list[int] = []
    real_open = open

    class Counting:
        def __init__(self, path: Path, mode: str) -> None:
            self.handle = real_open(path, mode)

        def __enter__(self) -> Counting:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def fileno(self) -> int:
            return self.handle.fileno()

        def seek(self, offset: int) -> int:
            return self.handle.seek(offset)

        def read(self, n: int = -1) -> bytes:
            data: bytes = self.handle.read(n)
            read.append(len(data))
            return data

    monkeypatch.setattr(stats_cache, "open", Counting, raising=False)
    assert tally(store) == fresh(store)
    assert size > 20 * FINGERPRINT_BYTES
    assert 0 < sum(read) < 4 * FINGERPRINT_BYTES  # the fingerprints and the one new line


def test_a_long_log_is_folded_in_chunks_with_undos_across_them(
    store: FileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first fold longer than a chunk: read a chunk of whole lines at a time, an undo in a
    later chunk than its answer, and only the newest `KEEP_RECENT` entries remembered."""
    monkeypatch.setattr(stats_cache, "CHUNK_BYTES", 700)
    monkeypatch.setattr(stats_cache, "KEEP_RECENT", 4)
    known_log(store)
    early = answer(store, "mlcf/a", 2, ago(1))
    for n in range(12):
        answer(store, f"mlcf/x{n}", 1 + n % 5, ago(n % 3), drill=n % 4 == 0)
    store.cancel(early, time=stamp(TODAY))
    last = answer(store, "mlcf/b", 4, TODAY)
    store.cancel(last, time=stamp(TODAY))
    with open(store.log_path, "ab") as handle:
        handle.write(b'{"id": 999, "k": "mlcf/a", "kind": "rev')  # half written: waits
    assert store.log_path.stat().st_size > 4 * 700
    cache = stats_cache.StatsCache(cache_of(store), all_segments(store.folder))
    assert cache.tally() == fresh(store)
    assert len(cache.recent) == 4
    assert sorted(cache.recent)[-1] < last.id
    assert tally(store) == fresh(store)


def test_remembered_answers_are_read_only_when_lines_are_folded_in(store: FileStore) -> None:
    """The cache's recent answers are made into answers only when new lines come: a damaged
    one is then taken for a damaged cache (one full re-read), never for a wrong fold."""
    known_log(store)
    tally(store)
    path = cache_of(store) / CACHE_FILE
    doc = orjson.loads(path.read_bytes())
    doc["recent"] = {i: "garbage" for i in doc["recent"]}
    path.write_bytes(orjson.dumps(doc))
    assert tally(store) == fresh(store)  # nothing new: the damaged rows are not read
    entry = answer(store, "mlcf/e", 3, TODAY)
    store.cancel(entry, time=stamp(TODAY))
    assert tally(store) == fresh(store)
    assert "garbage" not in orjson.loads(path.read_bytes())["recent"].values()


def test_a_fold_read_back_equals_the_one_folded_after_undos(store: FileStore) -> None:
    """An undo can leave a key with no answers (an empty place in the fold's columns): what is
    saved and read back is still the fold of the log, keys and their order included."""
    known_log(store)
    entry = answer(store, "mlcf/new", 4, TODAY)
    tally(store)
    store.cancel(entry, time=stamp(TODAY))
    folded = tally(store)  # the undo taken out of the kept fold, and saved
    assert "mlcf/new" not in folded.keys
    read_back = tally(store)  # nothing new: the saved fold alone
    assert read_back == folded == fresh(store)
    assert tally_to_dict(read_back) == tally_to_dict(fresh(store))


class CountingLoads:
    """orjson for the cache module, counting the parses of saved per-deck rows."""

    JSONDecodeError = orjson.JSONDecodeError
    dumps = staticmethod(orjson.dumps)

    def __init__(self) -> None:
        self.rows = 0

    def loads(self, data: bytes | memoryview) -> object:
        if bytes(data[:2]) == b"[[":
            self.rows += 1
        return orjson.loads(data)


def test_all_decks_figures_read_no_per_deck_rows(
    store: FileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The saved per-deck rows are parsed only when needed: for one deck's figures, or to
    fold new answers into them; and they are then the fold's."""
    known_log(store)
    tally(store)
    counting = CountingLoads()
    monkeypatch.setattr(stats_cache, "orjson", counting)
    decks = sample_decks()
    everything = compute(decks, store.states(), tally(store), TODAY)
    assert counting.rows == 0
    assert everything == compute(decks, store.states(), fresh(store), TODAY)
    one_deck = compute(decks, store.states(), tally(store), TODAY, "mlcf")
    assert counting.rows == 1
    assert one_deck == compute(decks, store.states(), fresh(store), TODAY, "mlcf")
    answer(store, "mlcf/a", 4, TODAY)
    assert tally(store) == fresh(store)
    assert counting.rows == 2


def _rewrite(store: FileStore, rows: bytes, crc: int | None = None) -> None:
    path = cache_of(store) / CACHE_FILE
    doc = orjson.loads(path.read_bytes())
    doc["rows"] = rows.decode()
    doc["rows_crc"] = zlib.crc32(rows) if crc is None else crc
    path.write_bytes(orjson.dumps(doc))


def test_saved_rows_not_as_written_are_read_again(store: FileStore) -> None:
    known_log(store)
    tally(store)
    rows = orjson.loads((cache_of(store) / CACHE_FILE).read_bytes())["rows"].encode()
    _rewrite(store, rows.replace(b"1", b"2", 1), zlib.crc32(rows))  # one digit changed
    assert tally(store) == fresh(store)
    assert tally_to_dict(tally(store)) == tally_to_dict(fresh(store))


def test_saved_rows_that_do_not_read_as_a_fold_are_read_again(store: FileStore) -> None:
    """Rows whose checksum holds but that are no fold's (a writer's bug) are found when they
    are needed, and the log is then read again rather than the fold failing."""
    known_log(store)
    tally(store)
    _rewrite(store, b"[[0],[0]]")
    answer(store, "mlcf/a", 4, TODAY)
    assert tally(store) == fresh(store)
