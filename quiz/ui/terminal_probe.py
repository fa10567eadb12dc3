"""Asking the terminal what pictures it can draw, in a thread, while the app is still loading.

Importing `textual_image.widget` sends the terminal a few queries (Sixel, Kitty's graphics
protocol, the cell size) and waits for the answers, up to 0.1 s each for a terminal that
does not answer. It must be done before Textual starts reading the keyboard. Started here as
soon as the decks are known to hold pictures, it waits while the app's own modules are
imported and the progress folder is opened; `quiz.ui.widgets.picture.prepare` then joins it.
This module imports nothing of Textual's, so that starting the thread costs nothing.
"""

from __future__ import annotations

import sys
import threading

MODULE = "textual_image.widget"
_asking: threading.Thread | None = None


def start() -> None:
    """Start asking the terminal (once); a failure leaves pictures as alt text."""
    global _asking
    if _asking is not None or MODULE in sys.modules:
        return

    def ask() -> None:
        try:
            __import__(MODULE)
        except Exception:  # a terminal that answers oddly: alt text, never a failed start
            return

    _asking = threading.Thread(target=ask, name="quiz-terminal-probe", daemon=True)
    _asking.start()


def wait() -> bool:
    """Wait for the terminal's answers, if they were asked for; True if pictures can be drawn."""
    if _asking is not None:
        _asking.join()
    return MODULE in sys.modules
