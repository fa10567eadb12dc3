"""The clock as the app reads it: the time now, and timestamps for the log."""

from __future__ import annotations

from quiz.storage.clock import now, timestamp

__all__ = ["now", "timestamp"]
