"""B10 and B11: switching scheduler on a large folder, and fitting FSRS-6 to a long log.

B10: a progress folder of B7's size (50,000 cards, 1,000,000 answers) opened under another
scheduler, so that every state is recomputed from the log (`FileStore.open(..., scheduler=)`),
and the replay alone (the log's records already read). B11: `quiz optimize`'s fitting
(`quiz.services.optimize.optimise`) over a log of 100,000 answers.

    python -m bench.replay_fit b10 FOLDER
    python -m bench.replay_fit b11 FOLDER
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def b10(folder: Path) -> dict[str, Any]:
    """Open `folder` (checkpointed under sm2) under FSRS, then under sm2-revised: seconds each,
    and the replay alone under each scheduler."""
    from quiz.core.replay import replay
    from quiz.core.schedulers import SM2, SM2_REVISED, Scheduler
    from quiz.services.fsrs_scheduler import Fsrs
    from quiz.storage.store import FileStore

    figures: dict[str, Any] = {}
    for label, scheduler in (("fsrs", Fsrs()), ("sm2_revised", SM2_REVISED)):
        started = time.perf_counter()
        with FileStore.open(folder, scheduler=scheduler) as store:
            figures[f"B10_open_{label}_s"] = time.perf_counter() - started
            figures["B10_cards"] = len(store.states())
        figures[f"B10_switch_{label}_s"] = time.perf_counter() - started  # checkpoint written
    with FileStore.open(folder) as store:
        started = time.perf_counter()
        records = list(store.answers())
        figures["B10_read_s"] = time.perf_counter() - started
    figures["B10_records"] = len(records)
    every: tuple[tuple[str, Scheduler], ...] = (
        ("sm2", SM2),
        ("sm2_revised", SM2_REVISED),
        ("fsrs", Fsrs()),
    )
    for label, rule in every:
        started = time.perf_counter()
        replay(records, rule)
        figures[f"B10_replay_{label}_s"] = time.perf_counter() - started
    return figures


def b11(folder: Path) -> dict[str, Any]:
    """Fit FSRS-6 to `folder`'s log, as `quiz optimize` does (without saving)."""
    from quiz.services.optimize import lines, optimise
    from quiz.storage.store import FileStore

    with FileStore.open(folder) as store:
        records = list(store.records())
    started = time.perf_counter()
    report = optimise(records, now="2026-12-07T00:00:00+00:00")
    figures: dict[str, Any] = {
        "B11_fit_s": time.perf_counter() - started,
        "B11_optimiser_s": report.seconds,
        "B11_reviews": report.reviews,
        "B11_cards": report.cards,
    }
    for label, fit in report.fits.items():
        figures[f"B11_{label.replace(' ', '_').replace('(', '').replace(')', '')}_log_loss"] = (
            fit.log_loss
        )
        figures[f"B11_{label.replace(' ', '_').replace('(', '').replace(')', '')}_rmse"] = (
            fit.rmse_bins
        )
    print("\n".join(lines(report)), file=sys.stderr)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    which, folder = (argv or sys.argv[1:])[:2]
    figures = b10(Path(folder)) if which == "b10" else b11(Path(folder))
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
