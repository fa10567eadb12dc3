"""Record one answer through an installed quiz (not the checkout), headless, as a student would.

Run by .ci/run with the fresh venv's python, from a folder outside the checkout:
    python installed_answer.py DATA_DIR
It studies the first card of the bundled decks, shows the answer and grades it Good.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from quiz.services.context import build
from quiz.storage.store import FileStore
from quiz.ui.app import make_app
from quiz.ui.screens.review import ReviewScreen


async def answer_one(data: Path) -> int:
    ctx = build(data=str(data), env=os.environ)
    store = FileStore.open(ctx.data_dir)
    try:
        app = make_app(ctx, store, start="study", deck_ids=["leadership-basics"])
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            if not isinstance(screen, ReviewScreen):
                print(f"expected the review screen, got {type(screen).__name__}", file=sys.stderr)
                return 1
            await pilot.press("space")
            await pilot.pause()
            await pilot.press("3")
            await pilot.pause()
            done = screen.session.done
    finally:
        store.close()
    print(f"answered {done} card(s) with quiz from {Path(sys.modules['quiz'].__file__).parent}")
    return 0 if done == 1 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(answer_one(Path(sys.argv[1]))))
