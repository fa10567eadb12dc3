"""settings.toml: written by tomli-w, read by tomllib; whatever a value holds, it comes back."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from quiz.storage.settings import Settings, load, save

AWKWARD = [
    ("backslash", "C:\\Users\\me\\theme"),
    ("quote", 'my "dark" theme'),
    ("both", 'a\\"b'),
    ("non-ASCII", "thème sombre ☾"),
    ("newline and tab", "two\nlines\tand a tab"),
    ("TOML syntax", 'x" \nnew_per_day = 5 # ['),
]


@pytest.mark.parametrize(("what", "theme"), AWKWARD, ids=[what for what, _ in AWKWARD])
def test_a_theme_holding_awkward_text_round_trips(tmp_path: Path, what: str, theme: str) -> None:
    path = tmp_path / "settings.toml"
    chosen = Settings(new_per_day=7, theme=theme)
    save(path, chosen)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["theme"] == theme  # valid TOML
    assert load(path) == (chosen, [])


def test_the_file_explains_each_setting_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save(path, Settings(grade_keys="supermemo", day_starts_at=0))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# quiz settings.")
    assert '# "anki" (keys 1-4: Again, Hard, Good, Easy) or "supermemo" (keys 0-5).' in text
    assert 'grade_keys = "supermemo"' in text and "day_starts_at = 0" in text
    assert load(path) == (Settings(grade_keys="supermemo", day_starts_at=0), [])


def test_saving_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save(path, Settings(theme="a" * 5000))
    save(path, Settings(theme="b"))
    assert load(path) == (Settings(theme="b"), [])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.toml"]  # no temp file left
