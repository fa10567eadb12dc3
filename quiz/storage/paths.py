"""Where quiz keeps things. Every location here can be overridden by a flag or a variable."""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import re
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "quiz"
DATA_ENV = "QUIZ_DATA"
CACHE_ENV = "QUIZ_CACHE"
PACKAGED_DECKS = "bundled_decks"
"""The folder inside the installed package that the wheel build fills from `decks/`."""


def bundled_decks_dir() -> Path:
    """The decks shipped with quiz.

    Installed from a wheel (pip, pipx), they are inside the package, `quiz/bundled_decks/`,
    found through importlib.resources; in a checkout (an editable install, `python run.py`)
    they are the repository's `decks/` folder.
    """
    packaged = importlib.resources.files("quiz") / PACKAGED_DECKS
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "decks"


def schema_path() -> Path:
    """The deck format's JSON Schema."""
    return Path(__file__).resolve().parents[1] / "schema" / "deck.schema.json"


def data_dir(flag: str | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The progress folder: `--data`, else `$QUIZ_DATA`, else the platform's user data dir."""
    environ = os.environ if env is None else env
    chosen = flag or environ.get(DATA_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir(data: Path, env: Mapping[str, str] | None = None) -> Path:
    """Where the caches of the progress folder `data` live, never inside it.

    `$QUIZ_CACHE`, else the platform's user cache folder, holds one folder per progress folder
    (named after its path), so two progress folders never share a cache, and a progress folder
    copied or synced elsewhere carries only progress. Deleting it costs only speed.
    """
    environ = os.environ if env is None else env
    chosen = environ.get(CACHE_ENV)
    if chosen:
        root = Path(chosen).expanduser()
    else:
        root = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
        if root.is_relative_to(data):  # Windows: %LOCALAPPDATA%\quiz\Cache, inside the data
            root = data.with_name(f"{data.name}-cache")
    where = os.fsencode(os.path.abspath(data))
    digest = hashlib.blake2b(where, digest_size=8).hexdigest()
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", data.name)[:40] or "data"
    return root / "progress" / f"{name}-{digest}"


def settings_path(data: Path) -> Path:
    """The hand-editable settings file inside a progress folder."""
    return data / "settings.toml"
