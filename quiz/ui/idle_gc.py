"""Python's full garbage collection, run while the student reads instead of on a key press.

With thousands of cards loaded a full collection takes some 40 ms here. Left to itself it
falls due every few cards, often in the middle of drawing the next one; during a session it
is instead run a moment after each card appears, when the student is reading it. Young
objects are still collected as usual.
"""

from __future__ import annotations

import gc

from textual.timer import Timer
from textual.widget import Widget

IDLE_S = 0.6
"""How long after a card appears (with no key pressed) the collection runs."""
_NEVER = 1_000_000


class IdleCollector:
    """Holds off automatic full collections while active; `soon()` runs one when idle."""

    def __init__(self, owner: Widget) -> None:
        self._owner = owner
        self._timer: Timer | None = None
        self._saved: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Stop automatic full collections (the two younger generations carry on)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, _ = self._saved
            gc.set_threshold(young, middle, _NEVER)

    def stop(self) -> None:
        """Give the collector back its own schedule."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def soon(self) -> None:
        """Collect in full once nothing has happened for a moment."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._owner.set_timer(IDLE_S, self._collect)

    def _collect(self) -> None:
        self._timer = None
        gc.collect()
