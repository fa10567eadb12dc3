"""Fixtures for the app's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.progress import MemoryStore


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
