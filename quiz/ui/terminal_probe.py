"""Asking the terminal what pictures it can draw, in a thread, while the app is still loading.

Importing `textual_image.widget` sends the terminal a few queries (Sixel, Kitty's graphics
protocol, the cell size) and waits for the answers, up to 0.1 s each for a terminal that
does not answer. It must be done before Textual starts reading the keyboard. Started here as
soon as the decks are known to hold pictures, it waits while the app's own modules are
imported and the progress folder is opened; `quiz.ui.widgets.picture.prepare` then joins it.

The answers are remembered in the cache folder (`quiz.services.terminal_answers`), keyed by
what the environment tells of the terminal: the next start in the same terminal imports
textual-image without asking (as if no terminal were there) and then sets what was answered,
so a student's usual start does not wait for the terminal at all.
This module imports nothing of Textual's, so that starting the thread costs nothing.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from pathlib import Path

from quiz.services import terminal_answers
from quiz.services.terminal_answers import Answer

MODULE = "textual_image.widget"
_asking: threading.Thread | None = None


def start(remembered: Path | None = None) -> None:
    """Start asking the terminal (once); a failure leaves pictures as alt text.

    Args:
        remembered: where the terminal's answers are kept between starts (None: ask).
    """
    global _asking
    if _asking is not None or MODULE in sys.modules:
        return
    key = terminal_answers.terminal_key(os.environ)

    def ask() -> None:
        try:
            known = terminal_answers.recall(remembered, key) if remembered else None
            if known is not None:
                _import_without_asking()
                _apply(known)
                return
            __import__(MODULE)
            if remembered is not None and sys.__stdout__ is not None and sys.__stdout__.isatty():
                terminal_answers.remember(remembered, key, _answered())
        except Exception:  # a terminal that answers oddly: alt text, never a failed start
            return

    _asking = threading.Thread(target=ask, name="quiz-terminal-probe", daemon=True)
    _asking.start()


def wait() -> bool:
    """Wait for the terminal's answers, if they were asked for; True if pictures can be drawn."""
    if _asking is not None:
        _asking.join()
    return MODULE in sys.modules


class _NoTerminal(io.StringIO):
    """Stands for standard output while textual-image is imported: not a terminal, so it asks
    nothing (and assumes half-blocks and a default cell, which `_apply` then corrects)."""

    def isatty(self) -> bool:
        return False


def _import_without_asking() -> None:
    # setattr: sys.__stdout__ is final to type checkers; textual-image's import reads it
    real = sys.__stdout__
    setattr(sys, "__stdout__", _NoTerminal())  # noqa: B010
    try:
        __import__(MODULE)
    finally:
        setattr(sys, "__stdout__", real)  # noqa: B010


def _apply(known: Answer) -> None:
    from textual_image import _terminal, renderable

    kinds = {
        "sixel": renderable.SixelImage,
        "tgp": renderable.TGPImage,
        "halfcell": renderable.HalfcellImage,
    }
    renderable.Image = kinds[known.kind]
    _terminal.get_cell_size._result = _terminal.CellSize(*known.cell)  # type: ignore[attr-defined]


def _answered() -> Answer:
    from textual_image import renderable
    from textual_image._terminal import get_cell_size

    if renderable.Image is renderable.SixelImage:
        kind = "sixel"
    elif renderable.Image is renderable.TGPImage:
        kind = "tgp"
    else:
        kind = "halfcell"
    cell = get_cell_size()
    return Answer(kind, (cell.width, cell.height))
