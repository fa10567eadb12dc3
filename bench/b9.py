"""B9: `quiz import` of a 30,000-note Anki package, Anki's own import of it, and the first start.

    python bench/b9.py                          # this checkout, 3 rounds
    python bench/b9.py OLD_CHECKOUT NEW_CHECKOUT --rounds 5   # before and after, in turns
    python bench/b9.py OLD_CHECKOUT NEW_CHECKOUT --stages     # the import's stages, in turns

- **import**: `python -m quiz import MED.apkg -o med.json`, the whole command in a subprocess
  (the checkout's code), wall clock, as a teacher or student runs it. The deck it writes must
  then pass `quiz validate`.
- **Anki's import** (the reference): a subprocess that opens a new collection with Anki's own
  library and imports the same package into it (`Collection.import_anki_package`, as File >
  Import does, media included), wall clock of the whole process.
- **first start**: `quiz --no-bundled --decks FOLDER study` on the imported deck in a pty
  (bench/startup.py), with a new progress folder (so the deck is checked and its deck cache
  written, as on a student's first start), to the first card on screen.

The package (bench/apkg.py, written with Anki's library) is made once into the work folder.
`bench/run.py` calls `run_b9` for its B9 rows; run this file for before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make `quiz` and `bench` importable
    sys.path.insert(0, str(ROOT))

NOTES = 30_000
ROUNDS = 2
"""Rounds per run of bench/run.py: quiz's import, Anki's and the first start, in turns."""
DECK = "med.json"

ANKI_IMPORT = """
import sys, time
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
col = Collection(sys.argv[1])
started = time.perf_counter()
request = ImportAnkiPackageRequest(
    package_path=sys.argv[2], options=ImportAnkiPackageOptions(with_scheduling=False)
)
log = col.import_anki_package(request).log
took = time.perf_counter() - started
notes = col.note_count()
col.close()
print(notes, took, len(log.new))
"""


STAGES = """
import json, sys, time
from pathlib import Path
from quiz.commands.authoring import anki_import, slug
from quiz.deckfile import layout
from quiz.deckfile import deck as deckfile
times = {}
started = time.perf_counter()
converted = anki_import.read_source(Path(sys.argv[1]))
times["read"] = time.perf_counter() - started
cards = converted.cards
started = time.perf_counter()
if hasattr(slug, "card_ids"):
    ids = slug.card_ids(cards)
else:  # before this work (6f0756e)
    ids = slug.card_ids(cards)
times["ids"] = time.perf_counter() - started
for card, new_id in zip(cards, ids):
    card["id"] = new_id
deck = {"format": 1, "id": "x", "title": "x", "description": "x", "cards": cards}
started = time.perf_counter()
text = layout.dumps(deck)
times["dumps"] = time.perf_counter() - started
started = time.perf_counter()
getattr(deckfile, "check_deck", deckfile.parse_deck)(text, "x.json")
times["check"] = time.perf_counter() - started
if "text" not in anki_import.Outcome.__dataclass_fields__:  # written by a second dumps
    started = time.perf_counter()
    layout.dumps(deck)
    times["dumps again"] = time.perf_counter() - started
print(json.dumps(times))
"""
"""`quiz import`'s stages, timed in one process of a checkout (`--stages`)."""


def stages(checkouts: Sequence[Path], apkg: Path, rounds: int, env: Mapping[str, str]) -> None:
    """Print the median time of each stage of the import, for each checkout, in turns."""
    import json

    times: dict[str, dict[str, list[float]]] = {}
    for turn in range(rounds):
        for checkout in checkouts if turn % 2 == 0 else checkouts[::-1]:
            argv = [sys.executable, "-c", STAGES, str(apkg)]
            done = subprocess.run(
                argv, cwd=checkout, env=_env(checkout, env), capture_output=True, text=True
            )
            if done.returncode != 0:
                raise RuntimeError(f"stages failed in {checkout}:\n{done.stderr[-2000:]}")
            for stage, seconds in json.loads(done.stdout).items():
                times.setdefault(str(checkout), {}).setdefault(stage, []).append(seconds)
    for name, row in times.items():
        every = ", ".join(f"{key} {statistics.median(values):.2f}" for key, values in row.items())
        print(f"{name}: {every} (s, medians of {rounds})")


def package(work: Path, notes: int = NOTES, seed: int = 0) -> Path:
    """The package, made once into `work` (remade when bench/apkg.py changes)."""
    import hashlib

    digest = hashlib.sha256((ROOT / "bench" / "apkg.py").read_bytes()).hexdigest()[:8]
    folder = work / f"apkg-{notes}n-s{seed}-{digest}"
    path = folder / "med.apkg"
    if not (folder / "complete").exists():
        from bench.apkg import write_package

        for stale in work.glob(f"apkg-{notes}n-s{seed}-*"):
            shutil.rmtree(stale, ignore_errors=True)
        folder.mkdir(parents=True)
        started = time.perf_counter()
        write_package(path, notes, seed=seed)
        (folder / "complete").write_text(f"{time.perf_counter() - started:.1f}s\n")
        print(f"  made {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def _env(checkout: Path, env: Mapping[str, str]) -> dict[str, str]:
    """The environment that makes `python -m quiz` run the checkout's code."""
    return {**env, "PYTHONPATH": str(checkout)}


def time_import(checkout: Path, apkg: Path, folder: Path, env: Mapping[str, str]) -> float:
    """Seconds for `quiz import APKG -o FOLDER/med.json`, the whole process; checked after."""
    folder.mkdir(parents=True, exist_ok=True)
    output = folder / DECK
    output.unlink(missing_ok=True)
    argv = [sys.executable, "-m", "quiz", "import", str(apkg), "-o", str(output)]
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=checkout, env=_env(checkout, env), capture_output=True)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"quiz import failed in {checkout}:\n{done.stderr.decode()[-2000:]}")
    return took


def validate(checkout: Path, deck: Path, env: Mapping[str, str]) -> None:
    """`quiz validate` of the imported deck must pass."""
    argv = [sys.executable, "-m", "quiz", "validate", str(deck)]
    done = subprocess.run(argv, cwd=checkout, env=_env(checkout, env), capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(f"the imported deck does not validate:\n{done.stdout.decode()[-2000:]}")


def time_anki_import(apkg: Path, scratch: Path) -> tuple[float, float]:
    """Anki's own import into a new collection: seconds for the process, and for the import."""
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        argv = [sys.executable, "-c", ANKI_IMPORT, str(Path(folder) / "c.anki2"), str(apkg)]
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True)
        took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"Anki's import failed:\n{done.stderr[-2000:]}")
    notes, inside, _new = done.stdout.split()
    if int(notes) < NOTES // 2:
        raise RuntimeError(f"Anki imported only {notes} notes")
    return took, float(inside)


def time_first_start(
    checkout: Path, decks: Path, mark: str, scratch: Path, env: Mapping[str, str]
) -> tuple[float, float]:
    """Seconds to the first card of `quiz study` with a new progress folder, and peak MB."""
    from bench.startup import study_argv, time_to_text

    data = Path(tempfile.mkdtemp(dir=scratch, prefix="progress-"))
    argv = study_argv(data, [decks], bundled=False)
    return time_to_text(argv, mark, env=_env(checkout, env), cwd=checkout)


def first_mark(decks: Path, scratch: Path, env: Mapping[str, str]) -> str:
    """The text of the first card `quiz study` shows on these decks (worked out with quiz)."""
    from bench.startup import first_item, marker

    probe = Path(tempfile.mkdtemp(dir=scratch, prefix="probe-"))
    return marker(first_item(probe, [decks], False, env))


def measure(
    checkouts: Sequence[Path], apkg: Path, scratch: Path, rounds: int, env: Mapping[str, str]
) -> dict[str, dict[str, list[float]]]:
    """Each checkout's import and first start, and Anki's import, `rounds` times in turns."""
    from bench.startup import compile_package

    times: dict[str, dict[str, list[float]]] = {}
    decks: dict[Path, Path] = {}
    for number, checkout in enumerate(checkouts):
        compile_package(checkout / "quiz")
        decks[checkout] = scratch / f"decks-{number}"
    marks: dict[Path, str] = {}
    kinds: list[Path | None] = [None, *checkouts]
    for turn in range(rounds):
        for kind in kinds if turn % 2 == 0 else kinds[::-1]:
            if kind is None:
                process, inside = time_anki_import(apkg, scratch)
                anki = times.setdefault("anki", {})
                anki.setdefault("import_s", []).append(process)
                anki.setdefault("import_inside_s", []).append(inside)
                continue
            row = times.setdefault(str(kind), {})
            row.setdefault("import_s", []).append(time_import(kind, apkg, decks[kind], env))
            if kind not in marks:
                validate(kind, decks[kind] / DECK, env)
                marks[kind] = first_mark(decks[kind], scratch, env)
            seconds, rss = time_first_start(kind, decks[kind], marks[kind], scratch, env)
            row.setdefault("first_start_s", []).append(seconds)
            row.setdefault("first_start_peak_rss_mb", []).append(rss)
    return times


def run_b9(work: Path, scratch: Path, rounds: int = ROUNDS) -> dict[str, float]:
    """bench/run.py's B9 figures for this checkout: medians of `rounds` in turns."""
    from bench.synth import TODAY

    folder = scratch / "b9"
    folder.mkdir()
    # Each first start has a new progress folder, so a new deck cache (9 MB): kept in the
    # scratch folder, which goes at the end of the run.
    env = {**os.environ, "QUIZ_TODAY": TODAY.isoformat(), "QUIZ_CACHE": str(folder / "cache")}
    apkg = package(work / "templates")
    times = measure([ROOT], apkg, folder, rounds, env)
    quiz, anki = times[str(ROOT)], times["anki"]
    return {
        "B9_import_s": statistics.median(quiz["import_s"]),
        "B9_anki_import_s": statistics.median(anki["import_s"]),
        "B9_anki_import_inside_s": statistics.median(anki["import_inside_s"]),
        "B9_first_start_s": statistics.median(quiz["first_start_s"]),
        "B9_first_start_peak_rss_mb": max(quiz["first_start_peak_rss_mb"]),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="*", type=Path, help="folders holding quiz/")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "quiz-bench")
    parser.add_argument("--stages", action="store_true", help="time the import's stages only")
    args = parser.parse_args(argv)
    from bench.synth import TODAY

    checkouts = [path.resolve() for path in args.checkouts] or [ROOT]
    caches = tempfile.mkdtemp(prefix="quiz-bench-cache-")  # not the user's cache folder
    env = {"QUIZ_CACHE": caches, **os.environ, "QUIZ_TODAY": TODAY.isoformat()}
    apkg = package(args.work / "templates")
    if args.stages:
        stages(checkouts, apkg, args.rounds, env)
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="quiz-bench-b9-"))
    try:
        times = measure(checkouts, apkg, scratch, args.rounds, env)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(caches, ignore_errors=True)
    print(f"B9, {args.rounds} round(s) in turns; {apkg}")
    for name, row in times.items():
        for key, values in row.items():
            figure: Any = statistics.median(values)
            every = " ".join(f"{v:.2f}" for v in values)
            print(f"{name:40} {key:24} median {figure:7.2f}   ({every})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
