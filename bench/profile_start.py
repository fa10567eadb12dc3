"""Profile B3 in one process: imports, decks, store, app, until the first card is on screen.

    python bench/profile_start.py DATA_DIR [DECK_DIR ...]     # no DECK_DIR: bundled decks

Prints pyinstrument's tree (pip install -e '.[bench]'). The profiler roughly doubles the
times; read the shares. Use a copy of a data folder: the store is opened and a backup taken.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from pyinstrument import Profiler

    if len(sys.argv) < 2:
        sys.exit(__doc__)
    started = time.perf_counter()
    profiler = Profiler(interval=0.001)
    profiler.start()
    from quiz.services.context import build
    from quiz.storage.store import FileStore
    from quiz.ui.app import make_app
    from quiz.ui.screens.review import ReviewScreen

    data, decks = sys.argv[1], sys.argv[2:]
    ctx = build(data=data, decks=decks, bundled=not decks, env={"QUIZ_TODAY": "2026-11-26"})
    store = FileStore.open(ctx.data_dir)
    app = make_app(ctx, store, start="study")

    async def first_card() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen), "no card to study"

    try:
        asyncio.run(first_card())
    finally:
        profiler.stop()
        store.close()
    print(f"{time.perf_counter() - started:.2f} s in all, profiled")
    print(profiler.output_text(color=False))


if __name__ == "__main__":
    main()
