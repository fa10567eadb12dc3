"""Every test, and every quiz a test starts, keeps its caches and progress out of the real user
folders: QUIZ_CACHE and the XDG folders point into a temporary folder for the whole run."""

from __future__ import annotations

import os
import tempfile

import pytest


def pytest_configure(config: pytest.Config) -> None:
    home = tempfile.mkdtemp(prefix="quiz-tests-")
    os.environ["QUIZ_CACHE"] = os.path.join(home, "cache")
    os.environ["XDG_CACHE_HOME"] = os.path.join(home, "xdg-cache")
    os.environ["XDG_DATA_HOME"] = os.path.join(home, "xdg-data")
    os.environ["XDG_CONFIG_HOME"] = os.path.join(home, "xdg-config")
