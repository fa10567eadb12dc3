"""Where quiz keeps things. Every location here can be overridden by a flag or a variable."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "quiz"
DATA_ENV = "QUIZ_DATA"


def bundled_decks_dir() -> Path:
    """The decks shipped with quiz (the repository's `decks/` folder)."""
    return Path(__file__).resolve().parent.parent / "decks"


def schema_path() -> Path:
    """The deck format's JSON Schema."""
    return Path(__file__).resolve().parent / "schema" / "deck.schema.json"


def data_dir(flag: str | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The progress folder: `--data`, else `$QUIZ_DATA`, else the platform's user data dir."""
    environ = os.environ if env is None else env
    chosen = flag or environ.get(DATA_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def settings_path(data: Path) -> Path:
    """The hand-editable settings file inside a progress folder."""
    return data / "settings.toml"
