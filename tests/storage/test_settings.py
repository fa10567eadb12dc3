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


def test_the_scheduler_settings_are_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        'scheduler = "fsrs"\ndesired_retention = 0.85\nmaximum_interval = 365\nfuzz = true\n'
    )
    settings, problems = load(path)
    assert problems == []
    assert (settings.scheduler, settings.desired_retention) == ("fsrs", 0.85)
    assert (settings.maximum_interval, settings.fuzz) == (365, True)
    assert load(tmp_path / "none.toml")[0].scheduler == "sm2"  # the default: SM-2 as published


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ('scheduler = "anki"', 'scheduler must be "sm2" or "sm2-revised" or "fsrs"'),
        ("desired_retention = 0.99", "desired_retention must be from 0.70 to 0.97, not 0.99"),
        ('desired_retention = "high"', "desired_retention must be a number from 0.70 to 0.97"),
        ("maximum_interval = 0", "maximum_interval must be from 1 to 36500, not 0"),
        ("fuzz = 1", "fuzz must be true or false"),
    ],
)
def test_a_bad_scheduler_setting_is_named_and_the_default_used(
    tmp_path: Path, line: str, named: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(line + "\n")
    settings, problems = load(path)
    assert problems == [f"{path}: {named}; using the default"]
    assert settings == Settings()


def test_fitted_parameters_that_cannot_be_used_are_named(tmp_path: Path) -> None:
    from quiz.services.scheduling import scheduler_for

    (tmp_path / "fsrs-parameters.json").write_text('{"format": 1, "parameters": [1, 2]}')
    scheduler, notices = scheduler_for(Settings(scheduler="fsrs"), tmp_path)
    assert scheduler.name == "fsrs"
    assert len(notices) == 1 and "fsrs-parameters.json: not usable" in notices[0]
    assert "using FSRS's default parameters" in notices[0]
