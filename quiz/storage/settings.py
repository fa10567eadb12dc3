"""Settings in `settings.toml` in the progress folder, editable by hand or in the app.

A bad value never stops quiz: it is reported (naming the file and key) and the default is used.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal

import tomli_w

from quiz.core.schedulers import SCHEDULER_NAMES
from quiz.storage import durable
from quiz.storage.inputs import MAX_SETTINGS, read_input

GradeKeys = Literal["anki", "supermemo"]
SchedulerName = Literal["sm2", "sm2-revised", "fsrs"]


@dataclass(frozen=True, slots=True)
class Settings:
    new_per_day: int = 20
    """New cards introduced per day."""
    reviews_per_day: int = 200
    """Reviews shown per day at most."""
    day_starts_at: int = 4
    """The hour (0-23) at which a new study day begins."""
    grade_keys: GradeKeys = "anki"
    """"anki": keys 1-4 (Again, Hard, Good, Easy); "supermemo": keys 0-5 (SM-2 qualities)."""
    theme: str = "textual-dark"
    """Textual theme name, e.g. "textual-dark" or "textual-light"."""
    pictures: bool = True
    """Draw the pictures of cards (false: their alt text only)."""
    scheduler: SchedulerName = "sm2"
    """"sm2" (SM-2 as published), "sm2-revised" or "fsrs" (FSRS-6); docs/schedulers.md."""
    desired_retention: float = 0.9
    """FSRS: the chance of recalling a card when it comes due (0.70-0.97)."""
    maximum_interval: int = 36500
    """FSRS: the longest interval, in days."""
    fuzz: bool = False
    """FSRS: spread intervals a little so cards learnt together do not stay together."""


DESCRIPTIONS = {
    "new_per_day": "New cards introduced per day (0-9999).",
    "reviews_per_day": "Most reviews shown per day (0-99999).",
    "day_starts_at": "Hour (0-23) at which a new study day begins.",
    "grade_keys": '"anki" (keys 1-4: Again, Hard, Good, Easy) or "supermemo" (keys 0-5).',
    "theme": "Colour theme: any Textual theme name, e.g. textual-dark or textual-light.",
    "pictures": "Draw the pictures in cards: true, or false for their alt text only.",
    "scheduler": '"sm2" (SM-2 as published), "sm2-revised" or "fsrs" (FSRS-6).',
    "desired_retention": "FSRS only: chance of recall when a card comes due (0.70-0.97).",
    "maximum_interval": "FSRS only: the longest interval in days (1-36500).",
    "fuzz": "FSRS only: true spreads intervals a little (off by default).",
}

_RANGES = {
    "new_per_day": (0, 9999),
    "reviews_per_day": (0, 99999),
    "day_starts_at": (0, 23),
    "maximum_interval": (1, 36500),
}
RETENTION_RANGE = (0.70, 0.97)


def check(key: str, value: Any) -> str | None:
    """Why `value` is not acceptable for `key`, or None if it is."""
    if key in _RANGES:
        low, high = _RANGES[key]
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be a whole number from {low} to {high}"
        if not low <= value <= high:
            return f"must be from {low} to {high}, not {value}"
    elif key == "grade_keys":
        if value not in ("anki", "supermemo"):
            return 'must be "anki" or "supermemo"'
    elif key == "scheduler":
        if value not in SCHEDULER_NAMES:
            return "must be " + " or ".join(f'"{name}"' for name in SCHEDULER_NAMES)
    elif key == "desired_retention":
        least, most = RETENTION_RANGE
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a number from {least:.2f} to {most:.2f}"
        if not least <= value <= most:
            return f"must be from {least:.2f} to {most:.2f}, not {value}"
    elif key in ("fuzz", "pictures"):
        if not isinstance(value, bool):
            return "must be true or false"
    elif key == "theme":
        if not isinstance(value, str) or not value.strip():
            return 'must be a theme name in quotes, e.g. "textual-light"'
    else:
        return "is not a setting quiz knows"
    return None


def load(path: Path) -> tuple[Settings, list[str]]:
    """Read settings; returns them with one message per problem (defaults used for those)."""
    try:
        raw = read_input(path, MAX_SETTINGS)
    except (FileNotFoundError, NotADirectoryError):  # no settings (or no folder: the store says)
        return Settings(), []
    except OSError as exc:
        return Settings(), [f"{path}: cannot read ({exc.strerror}); using the default settings"]
    try:
        table = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return Settings(), [f"{path}: not valid TOML ({exc}); using the default settings"]
    except (RecursionError, ValueError):  # nested thousands deep, a number too long
        return Settings(), [
            f"{path}: not valid TOML (nested too deeply, or a number too long); using the"
            " default settings"
        ]
    settings = Settings()
    problems = []
    for key, value in table.items():
        why = check(key, value)
        if why:
            problems.append(f"{path}: {key} {why}; using the default")
        else:
            if key == "desired_retention":
                value = float(value)
            settings = replace(settings, **{key: value})
    return settings, problems


def dumps(settings: Settings) -> str:
    """The settings as TOML (written by tomli-w), each key under a comment saying what it is."""
    lines = ["# quiz settings. Edit by hand or in the app (key ,).", ""]
    for field in fields(Settings):
        lines.append(f"# {DESCRIPTIONS[field.name]}")
        lines.append(tomli_w.dumps({field.name: getattr(settings, field.name)}))
    return "\n".join(lines)


def save(path: Path, settings: Settings) -> None:
    """Write settings atomically.

    Raises:
        OSError: if the file could not be written (the old one is then intact).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    durable.write_atomic(path, dumps(settings).encode("utf-8"))
