"""The garbage collector's switches: in one place, and thrown on the main thread only.

A start loads decks and progress: hundreds of thousands of objects that live as long as the
run, none in a cycle, and the collector's passes over them would stall it. So collection is
off while a run loads (`paused`), and the app freezes what its start made and collects from
then on once its first screen is drawn (`settle`). The switch is the whole process's: a worker
thread turning it back on would undo the main thread's pause, so only the main thread may.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def _main_thread_only() -> None:
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("the garbage collector is switched on the main thread only")


@contextmanager
def paused() -> Iterator[None]:
    """No collection inside the block (unless `settle` turns it on); as it was after."""
    _main_thread_only()
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def settle() -> None:
    """Collect the start's garbage, freeze what is left (it lives as long as the app, and
    frozen it is left out of the full passes that would stall a key press now and then), and
    collect from now on. Once: a later freeze would keep closed screens alive for good."""
    _main_thread_only()
    gc.collect()
    gc.freeze()
    gc.enable()
