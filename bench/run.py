"""Run quiz's benchmarks and print one table, or with --json one JSON object.

    python bench/run.py            # every benchmark, 3 runs, medians; about 5 minutes
    python bench/run.py --json     # the same figures as JSON
    python bench/run.py --only B1 --runs 1

Generated decks, histories and the Anki collection are kept in --work (default: a folder in
the system's temp dir) and reused while the generator is unchanged; every run copies them,
so each run starts from the same files. Anki comes from the `bench` extra:
`pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.answer import Answerer
    from quiz.core.model import Item

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make `quiz` and `bench` importable
    sys.path.insert(0, str(ROOT))

KEYS = (
    "B1_median_ms",
    "B1_p95_ms",
    "B1_anki_median_ms",
    "B1_anki_p95_ms",
    "B1_naive_median_ms",
    "B2_median_ms",
    "B3_bundled_s",
    "B3_10k_s",
    "B4_validate_s",
    "B4_load_s",
    "B5_p95_ms",
    "B6_peak_rss_mb",
    "B7_start_s",
    "B7_answer_median_ms",
    "B7_answer_p95_ms",
    "B7_anki_median_ms",
    "B7_anki_p95_ms",
    "B7_stats_s",
    "B7_decklist_s",
    "B7_peak_rss_mb",
    "B8_backup_ms",
    "B8_disk_ratio",
    "B8_50k_backup_ms",
    "B8_50k_disk_ratio",
    "B9_import_s",
    "B9_anki_import_s",
    "B9_first_start_s",
    "B10_switch_fsrs_s",
    "B10_replay_fsrs_s",
    "B11_fit_s",
)
GROUPS = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10", "B11")
B3_STARTS = 3
"""Starts of each kind per run for B3 (in turns); the table shows the median of them all."""
B7_FLOWS = 3
"""Timed flows per run for B7 (start, deck list, statistics), after one untimed first start."""


@dataclass(frozen=True)
class Config:
    cards: int = 10_000
    decks: int = 20
    reviews: int = 100_000
    big_reviews: int = 1_000_000
    answers: int = 500
    naive_answers: int = 20
    collection_cards: int = 50_000
    """B7: a medical student's collection (`bench.synth.collection_documents`)."""
    collection_reviews: int = 1_000_000
    session_answers: int = 300
    """B8: answers in each of the ten sessions."""
    runs: int = 3
    seed: int = 0
    work: Path = Path(tempfile.gettempdir()) / "quiz-bench"
    only: tuple[str, ...] = GROUPS


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """The 95th percentile, nearest rank: 95% of the values are at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def spread(prefix: str, ms: Sequence[float]) -> dict[str, float]:
    """The median, p95 and largest of answer times (milliseconds), as `PREFIX_median_ms`,
    `PREFIX_p95_ms` and `PREFIX_max_ms`."""
    return {f"{prefix}_median_ms": median(ms), f"{prefix}_p95_ms": p95(ms),
            f"{prefix}_max_ms": max(ms)}  # fmt: skip


def has_anki() -> bool:
    try:
        import anki  # noqa: F401
    except ImportError:
        return False
    return True


def has_app() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("quiz.ui.app") is not None
    except ModuleNotFoundError:  # no quiz.ui at all
        return False


# --- children: each benchmark runs in a fresh interpreter ---


def child(name: str, *args: Any, timeout: float = 600) -> dict[str, Any]:
    """Run CHILDREN[name](*args) in a fresh interpreter; returns its JSON result."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--child", name, json.dumps(args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench child {name} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB."""
    from bench.startup import peak_rss_mb as of

    return of(os.getpid())


def _answers(
    data: str, big_data: str | None, anki: str | None, cards: int, decks: int, count: int, seed: int
) -> dict[str, Any]:
    from bench.answer import QuizAnswerer
    from bench.synth import deck_documents, to_decks

    items = [i for deck in to_decks(deck_documents(cards, decks, seed)) for i in deck.items()]
    answerers: list[Answerer] = [QuizAnswerer("quiz", Path(data), items)]
    if big_data:
        answerers.append(QuizAnswerer("quiz_1m", Path(big_data), items))
    if anki:
        from bench.peers import AnkiAnswerer

        answerers.append(AnkiAnswerer(Path(anki)))
    return _in_turns(answerers, count)


def _in_turns(answerers: list[Answerer], count: int) -> dict[str, Any]:
    """`count` answers from each answerer in turns (bench/answer.py), then each closed."""
    from bench.answer import answer_in_turns

    try:
        times = answer_in_turns(answerers, count)
    finally:
        for answerer in answerers:
            answerer.close()
    return {"times_ns": times, "info": {a.name: a.info for a in answerers}}


def _collection_items(cards: int, seed: int) -> list[Item]:
    from bench.synth import collection_documents, to_decks

    return [i for deck in to_decks(collection_documents(cards, seed)) for i in deck.items()]


def _collection_answers(data: str, anki: str | None, cards: int, count: int, seed: int
                        ) -> dict[str, Any]:  # fmt: skip
    """B7's answers: quiz over the collection and its 1M-review history, Anki in turns."""
    from bench.answer import QuizAnswerer

    answerers: list[Answerer] = [QuizAnswerer("quiz", Path(data), _collection_items(cards, seed))]
    if anki:
        from bench.peers import AnkiAnswerer

        answerers.append(AnkiAnswerer(Path(anki)))
    return _in_turns(answerers, count)


def _sessions(data: str, collection: bool, cards: int, decks: int, seed: int, answers: int
              ) -> dict[str, Any]:  # fmt: skip
    """B8: ten sessions, each backed up at its start (bench/backups.py)."""
    from bench.backups import sessions
    from bench.synth import deck_documents, to_decks

    if collection:
        items = _collection_items(cards, seed)
    else:
        items = [i for deck in to_decks(deck_documents(cards, decks, seed)) for i in deck.items()]
    return sessions(Path(data), items, answers)


def _naive(folder: str, count: int) -> dict[str, Any]:
    from bench.peers import answer_naive

    return answer_naive(Path(folder), count)


def _memory(data: str, cards: int, decks: int, seed: int, count: int) -> dict[str, Any]:
    """B6 without the app: decks, the store and a session answering `count` cards."""
    from bench.answer import QuizAnswerer
    from bench.peers import ratings
    from bench.synth import deck_documents, to_decks

    items = [i for deck in to_decks(deck_documents(cards, decks, seed)) for i in deck.items()]
    answerer = QuizAnswerer("quiz", Path(data), items)
    try:
        for rating in ratings(count):
            answerer.step(rating)
    finally:
        answerer.close()
    return {"peak_rss_mb": peak_rss_mb(), "items": len(items)}


def _load(folder: str, cache: str | None = None) -> dict[str, Any]:
    """B4: every deck of a folder, loaded and checked, in a fresh interpreter (imports done).

    With `cache` (a progress folder whose deck cache already holds them): loaded as a usual
    start of the app loads them, from the cache.
    """
    from quiz.deckfile.deck import load_decks
    from quiz.services.deck_cache import DeckCache

    load = DeckCache(Path(cache)).load if cache else None
    started, cpu = time.perf_counter(), time.process_time()
    decks, skipped = load_decks([Path(folder)], load=load) if load else load_decks([Path(folder)])
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    if skipped:
        raise RuntimeError(f"synthetic decks were skipped: {skipped[0]}")
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "cards": sum(len(deck.cards) for deck in decks),
        "bytes": sum(path.stat().st_size for path in Path(folder).iterdir()),
    }


def _keypress(cards: int, answers: int) -> dict[str, Any]:
    """B5: the tui's own benchmark (bench/keypress.py), key press to the next frame.

    It times each key to the first frame and to the last frame the key caused (a single
    figure in its first version: both then).
    """
    import asyncio

    from bench.keypress import review_latency  # type: ignore[import-not-found,unused-ignore]

    times: dict[str, list[Any]] = asyncio.run(review_latency(cards, answers))
    every = [value for values in times.values() for value in values]
    first = [v[0] if isinstance(v, tuple | list) else v for v in every]
    last = [v[-1] if isinstance(v, tuple | list) else v for v in every]
    return {"p95_ms": p95(first), "median_ms": median(first), "last_p95_ms": p95(last),
            "keys": len(every)}  # fmt: skip


def has_keypress() -> bool:
    return (ROOT / "bench" / "keypress.py").exists() and has_app()


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "keypress": _keypress,
    "load": _load,
    "answers": _answers,
    "naive": _naive,
    "memory": _memory,
    "collection_answers": _collection_answers,
    "sessions": _sessions,
}


# --- prepared files, kept between invocations ---


def _version(*names: str) -> str:
    """A digest of the bench modules that make a template: a changed generator remakes it."""
    digest = hashlib.sha256()
    for name in names:
        digest.update((ROOT / "bench" / name).read_bytes())
    return digest.hexdigest()[:8]


class Templates:
    """Generated inputs in the work folder, made once and copied for each run."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = config.work / "templates"

    def _made(self, base: str, make: Callable[[Path], object], *sources: str) -> Path:
        name = f"{base}-{_version('synth.py', *sources)}"
        folder = self.root / name
        if not (self.root / f"{name}.complete").exists():
            for stale in self.root.glob(f"{base}-*"):  # made by an older generator
                shutil.rmtree(stale, ignore_errors=True)
                stale.unlink(missing_ok=True)
            started = time.perf_counter()
            make(folder)
            (self.root / f"{name}.complete").write_text(f"{time.perf_counter() - started:.1f}s\n")
            log(f"  made {name} in {time.perf_counter() - started:.1f} s")
        return folder

    def keys(self) -> list[str]:
        from bench.synth import deck_documents, item_keys, to_decks

        c = self.config
        return item_keys(to_decks(deck_documents(c.cards, c.decks, c.seed)))

    def history(self, reviews: int) -> Path:
        from bench.synth import make_data_folder

        c = self.config
        return self._made(
            f"data-{c.cards}c-{reviews}r-s{c.seed}",
            lambda folder: make_data_folder(folder, self.keys(), reviews, seed=c.seed),
        )

    def anki(self) -> Path:
        from bench.peers import build_anki

        c = self.config
        log_path = self.history(c.reviews)  # its log's segments
        return self._made(
            f"anki-{c.cards}c-{c.reviews}r-s{c.seed}",
            lambda folder: build_anki(folder, self.keys(), log_path, c.decks),
            "peers.py",
        )

    def naive(self) -> Path:
        from bench.peers import build_naive

        c = self.config
        log_path = self.history(c.reviews)  # its log's segments
        return self._made(
            f"naive-{c.cards}c-{c.reviews}r-s{c.seed}",
            lambda folder: build_naive(folder, log_path),
            "peers.py",
        )

    def decks(self) -> Path:
        """The decks of every benchmark, as files: `cards` cards in `decks` decks."""
        from bench.synth import deck_documents, write_decks

        c = self.config
        return self._made(
            f"decks-{c.cards}c-{c.decks}d-s{c.seed}",
            lambda folder: write_decks(folder, deck_documents(c.cards, c.decks, c.seed)),
        )

    def collection_keys(self) -> list[str]:
        from bench.synth import collection_documents, item_keys, to_decks

        c = self.config
        return item_keys(to_decks(collection_documents(c.collection_cards, c.seed)))

    def collection_decks(self) -> Path:
        """B7's decks: a medical student's collection of `collection_cards` cards."""
        from bench.synth import collection_documents, write_decks

        c = self.config
        return self._made(
            f"collection-{c.collection_cards}c-s{c.seed}",
            lambda folder: write_decks(folder, collection_documents(c.collection_cards, c.seed)),
        )

    def collection_history(self) -> Path:
        """B7's progress folder: `collection_reviews` answers over the collection."""
        from bench.synth import make_data_folder

        c = self.config
        return self._made(
            f"data-collection-{c.collection_cards}c-{c.collection_reviews}r-s{c.seed}",
            lambda folder: make_data_folder(
                folder, self.collection_keys(), c.collection_reviews, seed=c.seed
            ),
        )

    def collection_anki(self) -> Path:
        """Anki with B7's collection (one note per quiz card) and the same history."""
        from bench.peers import build_anki
        from bench.synth import SUBJECTS

        c = self.config
        log_path = self.collection_history()  # its log's segments
        return self._made(
            f"anki-collection-{c.collection_cards}c-{c.collection_reviews}r-s{c.seed}",
            lambda folder: build_anki(
                folder, self.collection_keys(), log_path, len(SUBJECTS), notes_as_cards=True
            ),
            "peers.py",
        )

    def one_deck(self) -> Path:
        """One deck file of `cards` cards."""
        from bench.synth import deck_documents, write_decks

        c = self.config
        return (
            self._made(
                f"deck-{c.cards}c-s{c.seed}",
                lambda folder: write_decks(folder, deck_documents(c.cards, 1, c.seed)),
            )
            / "bench-01.json"
        )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- one run ---


def one_run(config: Config, templates: Templates, scratch: Path) -> dict[str, Any]:
    """Every chosen benchmark once; returns figures by key (and extra ones for the notes)."""
    figures: dict[str, Any] = {}

    def copy(template: Path) -> str:
        target = scratch / template.name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(template, target)
        return str(target)

    if "B1" in config.only or "B2" in config.only:
        data = copy(templates.history(config.reviews))
        big = copy(templates.history(config.big_reviews)) if "B2" in config.only else None
        anki = copy(templates.anki()) if "B1" in config.only and has_anki() else None
        result = child(
            "answers", data, big, anki, config.cards, config.decks, config.answers, config.seed
        )
        ms = {name: [t / 1e6 for t in times] for name, times in result["times_ns"].items()}
        figures.update(spread("B1", ms["quiz"]))
        figures["B1_open_s"] = result["info"]["quiz"]["open_s"]
        if "anki" in ms:
            figures.update(spread("B1_anki", ms["anki"]))
        if "quiz_1m" in ms:
            figures["B2_median_ms"] = median(ms["quiz_1m"])
            figures["B2_p95_ms"] = p95(ms["quiz_1m"])
            figures["B2_open_s"] = result["info"]["quiz_1m"]["open_s"]
        if "B1" in config.only:
            naive = child("naive", copy(templates.naive()), config.naive_answers)
            figures["B1_naive_median_ms"] = median([t / 1e6 for t in naive["times_ns"]])
    if "B4" in config.only:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "quiz", "validate", str(templates.one_deck())],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        figures["B4_validate_s"] = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"quiz validate failed on the synthetic deck:\n{done.stdout}")
        loaded = child("load", str(templates.decks()))
        figures["B4_load_s"] = loaded["seconds"]
        figures["B4_load_cpu_s"] = loaded["cpu_seconds"]
        kept = scratch / "deck-cache-home"
        child("load", str(templates.decks()), str(kept))  # fills the cache
        figures["B4_load_cached_s"] = child("load", str(templates.decks()), str(kept))["seconds"]
    if ("B3" in config.only or "B6" in config.only) and has_app():
        figures.update(startup(config, templates, scratch, copy))
    if "B5" in config.only and has_keypress():
        keys = child("keypress", 5000, 60)
        figures["B5_p95_ms"] = keys["p95_ms"]
        figures["B5_median_ms"] = keys["median_ms"]
        figures["B5_last_frame_p95_ms"] = keys["last_p95_ms"]
    if "B7" in config.only and has_app():
        figures.update(collection_flows(config, templates, scratch, copy))
    if "B7" in config.only:
        anki = copy(templates.collection_anki()) if has_anki() else None
        data = copy(templates.collection_history())
        result = child("collection_answers", data, anki, config.collection_cards,
                       config.answers, config.seed, timeout=1800)  # fmt: skip
        ms = {name: [t / 1e6 for t in times] for name, times in result["times_ns"].items()}
        figures.update(spread("B7_answer", ms["quiz"]))
        figures["B7_open_s"] = result["info"]["quiz"]["open_s"]
        if "anki" in ms:
            figures.update(spread("B7_anki", ms["anki"]))
    if "B8" in config.only:
        for prefix, template, collection in (
            ("B8", templates.history(config.big_reviews), False),
            ("B8_50k", templates.collection_history(), True),
        ):
            data = copy(template)
            cards = config.collection_cards if collection else config.cards
            ran = child("sessions", data, collection, cards, config.decks, config.seed,
                         config.session_answers, timeout=1800)  # fmt: skip
            figures[f"{prefix}_backup_ms"] = median(ran["backup_ms"])
            figures[f"{prefix}_backup_max_ms"] = max(ran["backup_ms"])
            figures[f"{prefix}_disk_ratio"] = ran["backups_bytes"] / ran["live_bytes"]
            figures[f"{prefix}_live_mb"] = ran["live_bytes"] / 1e6
            shutil.rmtree(data, ignore_errors=True)
    if "B6" in config.only:
        data = copy(templates.history(config.reviews))
        memory = child("memory", data, config.cards, config.decks, config.seed, 50)
        figures["B6_core_peak_rss_mb"] = memory["peak_rss_mb"]
        figures["B6_peak_rss_mb"] = max(
            memory["peak_rss_mb"], figures.get("B3_10k_peak_rss_mb", 0.0)
        )
    if "B9" in config.only:
        figures.update(b9(config, scratch))
    if "B10" in config.only:
        from bench.replay_fit import b10

        figures.update(b10(Path(copy(templates.collection_history()))))
    if "B11" in config.only:
        from bench.replay_fit import b11

        figures.update(b11(Path(copy(templates.history(config.reviews)))))
    return figures


def b9(config: Config, scratch: Path) -> dict[str, float]:
    """B9 (bench/b9.py): import of a 30,000-note .apkg, Anki's import of it, the first start."""
    if not has_anki() or not has_app():
        log("B9 needs anki (it writes the package) and the app: not run")
        return {}
    from bench.b9 import run_b9

    return run_b9(config.work, scratch)


def startup(
    config: Config, templates: Templates, scratch: Path, copy: Callable[[Path], str]
) -> dict[str, float]:
    """B3 (and the app's share of B6): `quiz study` in a terminal, to its first card.

    Each start is timed `B3_STARTS` times a run, in turns with Textual's floor (the smallest
    app, `bench/floor_app.py`), so that all three meet the machine in the same moods. Each
    is a student's usual start: the same progress folder every time, so the decks checked at
    the first start are in its deck cache. That first start (a newcomer's, or the first after
    the decks changed), which parses and checks every deck, is timed once and reported on its
    own (`B3_bundled_first_s`, `B3_10k_first_s`).
    """
    from bench.startup import first_item, marker, study_argv, time_floor, time_to_text
    from bench.synth import TODAY

    env = {**os.environ, "QUIZ_TODAY": TODAY.isoformat()}
    newcomer = Path(tempfile.mkdtemp(dir=scratch))
    student = Path(copy(templates.history(config.reviews)))
    starts: list[tuple[str, Path | None, list[Path], bool]] = [
        ("B3_floor", None, [], True),
        ("B3_bundled", newcomer, [], True),
        ("B3_10k", student, [templates.decks()], False),
    ]
    marks: dict[str, str] = {}
    seconds: dict[str, list[float]] = {key: [] for key, *_ in starts}
    rss: dict[str, list[float]] = {key: [] for key, *_ in starts}

    def start(key: str, data: Path | None, decks: list[Path], bundled: bool) -> None:
        if data is None:
            took = time_floor(env, ROOT)
        else:
            if key not in marks:
                marks[key] = marker(first_item(data, decks, bundled, env))
            took = time_to_text(study_argv(data, decks, bundled), marks[key], env=env, cwd=ROOT)
        seconds.setdefault(key, []).append(took[0])
        rss.setdefault(key, []).append(took[1])

    for key, data, decks, bundled in starts[1:]:
        start(f"{key}_first", data, decks, bundled)
        marks[key] = marks[f"{key}_first"]
    for turn in range(B3_STARTS):
        for key, data, decks, bundled in starts if turn % 2 == 0 else starts[::-1]:
            start(key, data, decks, bundled)
    figures: dict[str, float] = {}
    for key in seconds:
        figures[f"{key}_s"] = median(seconds[key])
        figures[f"{key}_peak_rss_mb"] = max(rss[key])
    return figures


def collection_flows(
    config: Config, templates: Templates, scratch: Path, copy: Callable[[Path], str]
) -> dict[str, float]:
    """B7 in a terminal (bench/flow.py): `quiz study` over the collection and its history, to
    the first card, then the deck list (q) and the statistics (t), and the peak memory.

    The first flow is a first start: no deck cache, no statistics cache (both deleted before
    it); it fills both and is reported on its own (`B7_first_*`: its statistics fold the
    whole log). Then `B7_FLOWS` usual ones, on the same progress folder, are timed, and their
    peak memory is B7's.
    """
    from bench.flow import study_flow
    from bench.startup import first_item, marker, study_argv
    from bench.synth import TODAY
    from quiz.services.context import build

    env = {**os.environ, "QUIZ_TODAY": TODAY.isoformat()}
    data = Path(copy(templates.collection_history()))
    decks = [templates.collection_decks()]
    mark = marker(first_item(data, decks, False, env))
    argv = study_argv(data, decks, False)
    ctx = build(data=str(data), decks=[str(d) for d in decks], bundled=False, env=env)
    title = ctx.decks[0].title
    if ctx.cache_dir is not None:  # a first start: decks checked, the whole log folded
        shutil.rmtree(ctx.cache_dir, ignore_errors=True)
    first = study_flow(argv, mark, title, env=env, cwd=ROOT)
    flows = [study_flow(argv, mark, title, env=env, cwd=ROOT) for _ in range(B7_FLOWS)]
    shutil.rmtree(data, ignore_errors=True)
    return {
        "B7_first_start_s": first.start_s,
        "B7_first_stats_s": first.stats_s,
        "B7_first_peak_rss_mb": first.peak_rss_mb,
        "B7_start_s": median([f.start_s for f in flows]),
        "B7_decklist_s": median([f.decklist_s for f in flows]),
        "B7_stats_s": median([f.stats_s for f in flows]),
        "B7_peak_rss_mb": max(f.peak_rss_mb for f in flows),
        "B7_quit_s": median([f.exit_s for f in flows]),
    }


# --- the table ---


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def rows(f: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(benchmark, measured, target, verdict) for each row of the table."""

    def num(key: str, unit: str, digits: int = 2) -> str:
        value = f.get(key)
        return f"{value:.{digits}f} {unit}" if value is not None else "not run"

    def verdict(ok: bool | None, note: str = "") -> str:
        mark = "n/a" if ok is None else ("met" if ok else "MISSED")
        return f"{mark} {note}".strip()

    def at_most(key: str, limit: float) -> bool | None:
        value = f.get(key)
        return None if value is None else value <= limit

    def above(key: str) -> str:
        value, floor = f.get(key), f.get("B3_floor_s")
        return f"(floor + {value - floor:.2f} s)" if value is not None and floor else ""

    r_median = ratio(f.get("B1_median_ms"), f.get("B1_anki_median_ms"))
    r_p95 = ratio(f.get("B1_p95_ms"), f.get("B1_anki_p95_ms"))
    r_b2 = ratio(f.get("B2_median_ms"), f.get("B1_median_ms"))
    r_naive = ratio(f.get("B1_naive_median_ms"), f.get("B1_median_ms"))
    r7_median = ratio(f.get("B7_answer_median_ms"), f.get("B7_anki_median_ms"))
    r7_p95 = ratio(f.get("B7_answer_p95_ms"), f.get("B7_anki_p95_ms"))
    table = [
        ("B1 answer, median (10k cards, 100k reviews)", num("B1_median_ms", "ms", 3),
         f"<= Anki's {num('B1_anki_median_ms', 'ms', 3)}",
         verdict(None if r_median is None else r_median <= 1.0,
                 f"(quiz/Anki {r_median:.2f})" if r_median else "")),
        ("B1 answer, p95", num("B1_p95_ms", "ms", 3),
         f"<= 2 x Anki's {num('B1_anki_p95_ms', 'ms', 3)}",
         verdict(None if r_p95 is None else r_p95 <= 2.0,
                 f"(quiz/Anki {r_p95:.2f})" if r_p95 else "")),
        ("B1 naive TinyDB answer, median", num("B1_naive_median_ms", "ms", 1), "(baseline)",
         f"quiz is {r_naive:,.0f}x faster" if r_naive else "n/a"),
        ("B2 answer, median (1M reviews)", num("B2_median_ms", "ms", 3),
         "<= 1.2 x B1 median",
         verdict(None if r_b2 is None else r_b2 <= 1.2, f"(B2/B1 {r_b2:.2f})" if r_b2 else "")),
        ("B3 floor: Textual's smallest app, same moments", num("B3_floor_s", "s"),
         "(reference)", "n/a"),
        ("B3 start to first card, bundled decks", num("B3_bundled_s", "s"), "<= 0.5 s",
         verdict(at_most("B3_bundled_s", 0.5), above("B3_bundled_s"))),
        ("B3 start to first card, 10k + 100k", num("B3_10k_s", "s"), "<= 1.0 s",
         verdict(at_most("B3_10k_s", 1.0), above("B3_10k_s"))),
        ("B3 bundled, first start (new data folder)", num("B3_bundled_first_s", "s"),
         "(reported)", above("B3_bundled_first_s") or "n/a"),
        ("B3 10k + 100k, first start after decks changed", num("B3_10k_first_s", "s"),
         "(reported)", above("B3_10k_first_s") or "n/a"),
        ("B4 quiz validate, one 10k-card deck", num("B4_validate_s", "s"), "<= 1.0 s",
         verdict(at_most("B4_validate_s", 1.0))),
        ("B4 load all decks, 10k cards (full check)", num("B4_load_s", "s"), "<= 0.5 s",
         verdict(at_most("B4_load_s", 0.5))),
        ("B4 load all decks, 10k, from the deck cache", num("B4_load_cached_s", "s"),
         "(reported)", "n/a"),
        ("B5 key press to next frame, p95", num("B5_p95_ms", "ms", 1), "<= 50 ms",
         verdict(at_most("B5_p95_ms", 50))),
        ("B6 peak memory, 10k + 100k", num("B6_peak_rss_mb", "MB", 0), "<= 150 MB",
         verdict(at_most("B6_peak_rss_mb", 150))),
        ("B7 start to first card (50k cards, 1M reviews)", num("B7_start_s", "s"), "<= 1.5 s",
         verdict(at_most("B7_start_s", 1.5))),
        ("B7 answer, median", num("B7_answer_median_ms", "ms", 3),
         f"<= Anki's {num('B7_anki_median_ms', 'ms', 3)}",
         verdict(None if r7_median is None else r7_median <= 1.0,
                 f"(quiz/Anki {r7_median:.2f})" if r7_median else "")),
        ("B7 answer, p95", num("B7_answer_p95_ms", "ms", 3),
         f"<= 2 x Anki's {num('B7_anki_p95_ms', 'ms', 3)}",
         verdict(None if r7_p95 is None else r7_p95 <= 2.0,
                 f"(quiz/Anki {r7_p95:.2f})" if r7_p95 else "")),
        ("B7 deck list drawn, from its key", num("B7_decklist_s", "s"), "<= 0.3 s",
         verdict(at_most("B7_decklist_s", 0.3))),
        ("B7 statistics screen, warm cache", num("B7_stats_s", "s"), "<= 0.5 s",
         verdict(at_most("B7_stats_s", 0.5))),
        ("B7 peak memory", num("B7_peak_rss_mb", "MB", 0), "<= 300 MB",
         verdict(at_most("B7_peak_rss_mb", 300))),
        ("B8 session-start backup (10k, 1M reviews)", num("B8_backup_ms", "ms", 1), "<= 50 ms",
         verdict(at_most("B8_backup_ms", 50))),
        ("B8 ten backups' disk / live files' disk", num("B8_disk_ratio", "x"), "<= 1.1",
         verdict(at_most("B8_disk_ratio", 1.1))),
        ("B8 backup at B7's size (50k, 1M)", num("B8_50k_backup_ms", "ms", 1), "<= 50 ms",
         verdict(at_most("B8_50k_backup_ms", 50))),
        ("B8 ten backups' disk / live, B7's size", num("B8_50k_disk_ratio", "x"), "<= 1.1",
         verdict(at_most("B8_50k_disk_ratio", 1.1))),
        *b9_rows(f, num, verdict, at_most),
    ]  # fmt: skip
    return table


def b9_rows(
    f: dict[str, Any],
    num: Callable[..., str],
    verdict: Callable[..., str],
    at_most: Callable[[str, float], bool | None],
) -> list[tuple[str, str, str, str]]:
    """B9's rows: the import against its target, with Anki's import beside it."""
    anki = ratio(f.get("B9_import_s"), f.get("B9_anki_import_s"))
    return [
        ("B9 quiz import, 30,000-note .apkg", num("B9_import_s", "s"), "<= 15 s",
         verdict(at_most("B9_import_s", 15), f"(quiz/Anki {anki:.1f})" if anki else "")),
        ("B9 Anki's own import of it", num("B9_anki_import_s", "s"), "(reference)", "n/a"),
        ("B9 first start on the import (new folder)", num("B9_first_start_s", "s"), "<= 2 s",
         verdict(at_most("B9_first_start_s", 2))),
        ("B10 switch to fsrs, 50,000 cards, 1M answers", num("B10_switch_fsrs_s", "s"),
         "<= 10 s", verdict(at_most("B10_switch_fsrs_s", 10))),
        ("B11 fit FSRS-6 to 100,000 answers", num("B11_fit_s", "s"), "<= 60 s",
         verdict(at_most("B11_fit_s", 60))),
    ]  # fmt: skip


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Linux {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def render(figures: dict[str, Any], config: Config, seconds: float) -> str:
    table = rows(figures)
    widths = [max(len(row[i]) for row in [("benchmark", "measured", "target", ""), *table])
              for i in range(4)]  # fmt: skip
    header = ("benchmark", "measured", "target", "verdict")
    lines = [
        f"quiz benchmarks, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"machine: {machine()}; load average {figures.get('load_average', 0):.1f} during the run",
        f"median of {config.runs} run(s), {seconds:.0f} s in all; "
        f"{config.answers} answers per contender, naive TinyDB {config.naive_answers}",
        "",
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    for row in table:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    extra = {k: v for k, v in figures.items() if k not in KEYS and k != "load_average"}
    if extra:
        lines.append("")
        lines.append("also: " + ", ".join(f"{k} {v:.3f}" for k, v in sorted(extra.items())))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=Config.runs, help="runs (medians shown)")
    parser.add_argument("--only", action="append", choices=GROUPS, help="only these; repeatable")
    parser.add_argument("--work", type=Path, default=Config.work, help="folder for generated files")
    parser.add_argument("--answers", type=int, default=Config.answers)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child](*json.loads(args.args))))
        return 0
    config = Config(
        runs=args.runs,
        work=args.work,
        answers=args.answers,
        only=tuple(args.only) if args.only else GROUPS,
    )
    if not has_anki() and "B1" in config.only:
        log("anki is not installed (pip install -e '.[bench]'): B1 runs without its peer")
    started = time.perf_counter()
    if "B3" in config.only or "B6" in config.only:
        from bench.startup import compile_package

        compile_package(ROOT / "quiz")
    templates = Templates(config)
    templates.root.mkdir(parents=True, exist_ok=True)
    # Every quiz the benchmarks start keeps its caches here, not in the user's cache folder.
    os.environ.setdefault("QUIZ_CACHE", str(config.work / "cache"))
    runs = []
    for number in range(config.runs):
        log(f"run {number + 1} of {config.runs}")
        scratch = config.work / "scratch"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        try:
            figures = one_run(config, templates, scratch)
            figures["load_average"] = os.getloadavg()[0]
            runs.append(figures)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    keys = sorted({key for figures in runs for key in figures})
    figures = {k: median([r[k] for r in runs if r.get(k) is not None]) for k in keys}
    if args.json:
        print(json.dumps({key: figures.get(key) for key in KEYS}, indent=2))
    else:
        print(render(figures, config, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
