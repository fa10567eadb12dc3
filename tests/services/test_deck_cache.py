"""The cache of checked decks: what a start loads from it is exactly what the files say.

A kept deck must never stand in for a file that changed, and a damaged, foreign or unwritable
cache must cost nothing but speed.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import orjson
import platformdirs
import pytest

from quiz.deckfile.deck import load_decks
from quiz.services import deck_cache
from quiz.services.context import build
from quiz.services.deck_cache import FOLDER, KEEP, DeckCache, _digest
from quiz.storage import paths

FIXTURES = Path(__file__).parents[1] / "fixtures" / "decks"
BUNDLED = Path(__file__).resolve().parents[2] / "decks"


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    """A folder with copies of the bundled decks."""
    folder = tmp_path / "decks"
    shutil.copytree(BUNDLED, folder)
    return folder


def load(data: Path, *folders: Path) -> tuple[list[object], list[str]]:
    decks, skipped = load_decks(folders, load=DeckCache(data).load)
    return list(decks), [str(s) for s in skipped]


def test_a_kept_deck_is_the_deck_the_file_holds(tmp_path: Path, decks: Path) -> None:
    fresh = load_decks([decks])
    first = load(tmp_path / "data", decks)
    assert len(list((tmp_path / "data" / FOLDER).iterdir())) == len(fresh[0])
    second = load(tmp_path / "data", decks)  # from the cache now
    assert first == second == (fresh[0], [])


def test_a_kept_deck_keeps_its_option_ids(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    shutil.copy(FIXTURES / "valid" / "option-ids.json", folder)
    fresh = load_decks([folder])[0]
    load(tmp_path / "data", folder)
    kept, _ = load(tmp_path / "data", folder)  # from the cache now
    assert kept == fresh
    assert [o.id for o in fresh[0].cards[0].options][:3] == [
        "assess-capacity",
        "explain-risks",
        None,
    ]


def test_an_edited_deck_is_read_again_even_with_the_same_size_and_time(
    tmp_path: Path, decks: Path
) -> None:
    path = decks / "mlcf.json"
    load(tmp_path / "data", decks)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    at = text.index('"title": "') + len('"title": "')
    edited = text[:at] + "X" + text[at + 1 :]  # one letter of the title: the same size
    assert len(edited.encode()) == before.st_size and edited != text
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    loaded, _ = load(tmp_path / "data", decks)
    deck = next(d for d in load_decks([path])[0])
    assert deck in loaded and deck.title.startswith("X")


def test_a_deck_with_problems_is_reported_at_every_start(tmp_path: Path) -> None:
    folder = FIXTURES / "mixed"
    expected = [str(s) for s in load_decks([folder])[1]]
    assert expected  # a deck id taken twice, and a trailing comma
    assert load(tmp_path / "data", folder)[1] == expected
    assert load(tmp_path / "data", folder)[1] == expected  # the good decks now from the cache


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # torn
        lambda b: b"\0" * len(b),  # zeroed
        lambda b: b"",  # empty
        lambda b: b.replace(b'"cards":[[', b'"cards":[["surplus",', 1),  # payload changed
    ],
    ids=["torn", "zeroed", "empty", "changed"],
)
def test_a_damaged_cache_file_is_ignored_and_rewritten(
    tmp_path: Path, decks: Path, damage: object
) -> None:
    fresh = load_decks([decks])[0]
    load(tmp_path / "data", decks)
    entries = sorted((tmp_path / "data" / FOLDER).iterdir())
    for entry in entries:
        entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert load(tmp_path / "data", decks) == (fresh, [])
    assert load(tmp_path / "data", decks) == (fresh, [])


def test_a_cache_of_another_shape_with_a_good_stamp_is_not_trusted(
    tmp_path: Path, decks: Path
) -> None:
    fresh = load_decks([decks])[0]
    load(tmp_path / "data", decks)
    for entry in (tmp_path / "data" / FOLDER).iterdir():
        header, _, _ = entry.read_bytes().partition(b"\n")
        payload = orjson.dumps({"id": "x", "cards": [[1, 2]]})
        stamp = orjson.loads(header)
        stamp["payload"] = _digest(payload)
        entry.write_bytes(orjson.dumps(stamp) + b"\n" + payload)
    assert load(tmp_path / "data", decks) == (fresh, [])


def test_a_cache_from_another_loader_is_not_used(tmp_path: Path, decks: Path) -> None:
    load(tmp_path / "data", decks)
    path = decks / "mlcf.json"
    entry = DeckCache(tmp_path / "data")._entry(path)
    header, _, payload = entry.read_bytes().partition(b"\n")
    stamp = orjson.loads(header)
    stamp["loader"] = "0" * 32  # as an older quiz would have written it
    kept = orjson.loads(payload)
    kept["title"] = "Kept by an older quiz"
    payload = orjson.dumps(kept)
    stamp["payload"] = _digest(payload)
    entry.write_bytes(orjson.dumps(stamp) + b"\n" + payload)
    loaded, _ = load(tmp_path / "data", decks)
    assert "Kept by an older quiz" not in [getattr(d, "title", "") for d in loaded]


def test_an_unwritable_progress_folder_only_costs_speed(tmp_path: Path, decks: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / FOLDER).write_text("a file where the cache folder would be")
    assert load(data, decks) == (load_decks([decks])[0], [])


def test_a_deck_id_taken_twice_is_placed_exactly_from_the_cache_too(tmp_path: Path) -> None:
    folder = FIXTURES / "mixed"
    load(tmp_path / "data", folder)
    _, skipped = load(tmp_path / "data", folder)
    assert any(':2:8: error: deck id "alpha" is already used' in line for line in skipped)


def test_the_app_keeps_checked_decks_in_the_cache_folder_not_the_progress_folder(
    tmp_path: Path, decks: Path
) -> None:
    env = {"QUIZ_TODAY": "2026-11-26", "QUIZ_CACHE": str(tmp_path / "cache")}
    data = tmp_path / "data"
    first = build(data=str(data), decks=[str(decks)], bundled=False, env=env)
    kept = paths.cache_dir(data, env) / FOLDER
    assert kept.is_dir() and kept.is_relative_to(tmp_path / "cache")
    assert first.cache_dir == paths.cache_dir(data, env)
    assert not (data / FOLDER).exists()
    second = build(data=str(data), decks=[str(decks)], bundled=False, env=env)
    assert first.decks == second.decks and not second.skipped


def test_each_progress_folder_has_its_own_cache_folder(tmp_path: Path) -> None:
    env = {"QUIZ_CACHE": str(tmp_path / "cache")}
    one, other = tmp_path / "a" / "data", tmp_path / "b" / "data"
    assert paths.cache_dir(one, env) != paths.cache_dir(other, env)
    assert paths.cache_dir(one, env) == paths.cache_dir(one, env)
    assert paths.cache_dir(one, env).parent.parent == tmp_path / "cache"


def test_without_quiz_cache_the_platform_cache_folder_is_used(tmp_path: Path) -> None:
    where = paths.cache_dir(tmp_path / "data", {})  # no QUIZ_CACHE
    assert where.is_relative_to(Path(platformdirs.user_cache_dir("quiz", appauthor=False)))


def test_where_the_platform_cache_is_inside_the_data_folder_it_is_kept_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows, platformdirs puts the cache at %LOCALAPPDATA%\\quiz\\Cache, inside the
    default progress folder %LOCALAPPDATA%\\quiz."""
    data = tmp_path / "quiz"
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda *a, **k: str(data / "Cache"))
    where = paths.cache_dir(data, {})
    assert not where.is_relative_to(data)
    assert where.is_relative_to(tmp_path / "quiz-cache")


def test_caches_an_older_quiz_left_in_the_progress_folder_are_removed(
    tmp_path: Path, decks: Path
) -> None:
    env = {"QUIZ_TODAY": "2026-11-26", "QUIZ_CACHE": str(tmp_path / "cache")}
    data = tmp_path / "data"
    (data / FOLDER).mkdir(parents=True)
    (data / FOLDER / "0123abcd.json").write_bytes(b"{}")
    (data / "stats-cache.json").write_bytes(b"{}")
    (data / "log.jsonl").write_bytes(b'{"quiz_log": 1}\n')
    build(data=str(data), decks=[str(decks)], bundled=False, env=env)
    assert sorted(p.name for p in data.iterdir()) == ["log.jsonl"]  # progress only, kept


def test_the_cache_keeps_at_most_a_hundred_decks(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    template = (BUNDLED / "mlcf.json").read_text(encoding="utf-8")
    for number in range(KEEP + 5):
        text = template.replace('"id": "mlcf"', f'"id": "mlcf-{number:03d}"', 1)
        (folder / f"deck-{number:03d}.json").write_text(text, encoding="utf-8")
    decks, skipped = load(tmp_path / "data", folder)
    assert len(decks) == KEEP + 5 and not skipped
    assert len(list((tmp_path / "data" / FOLDER).iterdir())) == KEEP
    assert load(tmp_path / "data", folder) == (decks, [])  # the 5 evicted are checked again


def test_a_settled_unchanged_deck_is_not_read_again(
    tmp_path: Path, decks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deck_cache, "SETTLED_NS", 0)  # the copies count as settled at once
    fresh = load_decks([decks])[0]
    load(tmp_path / "data", decks)

    def read(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged deck file was read")

    monkeypatch.setattr(DeckCache, "_check", read)
    assert load(tmp_path / "data", decks) == (fresh, [])


def test_a_settled_deck_edited_with_its_size_and_time_kept_is_read_again(
    tmp_path: Path, decks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deck_cache, "SETTLED_NS", 0)
    path = decks / "mlcf.json"
    load(tmp_path / "data", decks)
    before = path.stat()
    time.sleep(0.05)  # past a tick of the file system's clock: the inode's time moves
    text = path.read_text(encoding="utf-8")
    at = text.index('"title": "') + len('"title": "')
    path.write_text(text[:at] + "X" + text[at + 1 :], encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    loaded, _ = load(tmp_path / "data", decks)
    assert next(d for d in loaded if d.path == path).title.startswith("X")  # type: ignore[attr-defined]


def test_a_touched_deck_is_hashed_once_and_then_trusted_again(
    tmp_path: Path, decks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deck_cache, "SETTLED_NS", 0)
    fresh = load_decks([decks])[0]
    load(tmp_path / "data", decks)
    time.sleep(0.05)
    for path in decks.iterdir():
        os.utime(path)  # new times, the same bytes
    assert load(tmp_path / "data", decks) == (fresh, [])  # hashed: the same, noted anew

    def read(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged deck file was read")

    monkeypatch.setattr(DeckCache, "_check", read)
    assert load(tmp_path / "data", decks) == (fresh, [])


def test_a_kept_deck_makes_the_items_its_cards_make(tmp_path: Path, decks: Path) -> None:
    load(tmp_path / "data", decks)
    kept, _ = load(tmp_path / "data", decks)  # from the cache: the items made with the cards
    assert kept
    for deck in kept:
        made = deck.items()  # type: ignore[attr-defined]
        assert deck.made_items is made  # type: ignore[attr-defined]
        expected = tuple(item for card in deck.cards for item in card.items())  # type: ignore[attr-defined]
        assert made == expected
        assert [item.key for item in made] == [item.key for item in expected]
    assert any(item.kind == "reverse" for deck in kept for item in deck.items())  # type: ignore[attr-defined]
    assert any(item.kind == "cloze" for deck in kept for item in deck.items())  # type: ignore[attr-defined]
