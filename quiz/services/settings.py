"""The student's settings as the app edits them: each one described and checked, and saved."""

from __future__ import annotations

from quiz.storage.paths import settings_path
from quiz.storage.settings import DESCRIPTIONS, Settings, check, save

__all__ = ["DESCRIPTIONS", "Settings", "check", "save", "settings_path"]
