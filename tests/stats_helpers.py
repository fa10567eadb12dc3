"""A hand-built review log with known figures, shared by the statistics tests."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from quiz.core.model import Card, Deck, Option
from quiz.core.progress import CardState, LogEntry, MemoryStore, ProgressStore
from quiz.core.sm2 import Sm2State, review
from quiz.storage.clock import study_day

TODAY = date(2026, 3, 10)
"""A Tuesday."""


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def stamp(day: date, hour: int = 10) -> str:
    return datetime(day.year, day.month, day.day, hour).isoformat() + "+00:00"


def answer(
    store: ProgressStore,
    key: str,
    quality: int,
    day: date = TODAY,
    *,
    drill: bool = False,
    ms: int = 10_000,
    time: str | None = None,
) -> LogEntry:
    """Log an answer the way a session does (a re-drill leaves the state as it is)."""
    before = store.state(key)
    after = before
    if not drill:
        after = before.with_sm2(
            review(before.sm2, quality, day),
            lapses=before.lapses + (quality < 3),
            first=before.first or day,
            last=day,
        )
    return store.record(key, "drill" if drill else "review", day=day, time=time or stamp(day),
                        after=after, quality=quality, elapsed_ms=ms)  # fmt: skip


def set_state(store: ProgressStore, key: str, state: CardState, day: date = TODAY) -> None:
    """Put an item in a state without an answer (logged as an unsuspend, which counts for
    nothing in the figures)."""
    store.record(key, "unsuspend", day=day, time=stamp(day), after=state)


def seen(interval: int, due: date, repetitions: int = 3) -> CardState:
    """An item in review with the given interval, due on `due`."""
    return CardState.from_sm2(
        Sm2State(repetitions, 2.5, interval, due), first=ago(100), last=ago(1)
    )


def at(hour: int, minute: int, day: date) -> tuple[date, str]:
    """The study day and timestamp of a wall-clock moment (the day starts at 04:00)."""
    moment = datetime(day.year, day.month, day.day, hour, minute)
    return study_day(moment), moment.isoformat() + "+00:00"


def sample_decks() -> list[Deck]:
    """Two decks with tagged cards: `mlcf` (MLCF domain tags) and `sjt` (scenario questions)."""

    def basic(deck_id: str, card_id: str, *tags: str) -> Card:
        return Card(deck_id, card_id, "basic", front=f"front {card_id}", back="back",
                    tags=tags)  # fmt: skip

    def choice(deck_id: str, card_id: str, *tags: str) -> Card:
        options = (Option("right", True, "why"), Option("wrong", False, "why not"))
        return Card(deck_id, card_id, "choice", scenario="On the ward...", question="Now?",
                    options=options, tags=tags)  # fmt: skip

    def rank(deck_id: str, card_id: str, *tags: str) -> Card:
        options = tuple(Option(f"option {i}") for i in range(4))
        return Card(deck_id, card_id, "rank", scenario="In clinic...", question="Rank these.",
                    options=options, tags=tags)  # fmt: skip

    mlcf = Deck("mlcf", "Medical Leadership Competency Framework", (
        basic("mlcf", "a", "mlcf-working-with-others"),
        basic("mlcf", "b", "mlcf-working-with-others"),
        basic("mlcf", "c", "mlcf-improving-services"),
        basic("mlcf", "d", "mlcf-improving-services"),
        basic("mlcf", "e", "mlcf-setting-direction"),
    ), tags=("medical-leadership",))  # fmt: skip
    sjt = Deck("sjt", "Situational judgement [bold]practice[/]", (
        choice("sjt", "p1", "patient-focus"),
        rank("sjt", "p2", "patient-focus"),
        choice("sjt", "p3", "[red]team[/]"),
    ))  # fmt: skip
    return [mlcf, sjt]


def known_log(store: ProgressStore) -> None:
    """A small log over `sample_decks()` whose every figure is worked out by hand in
    tests/core/test_stats_figures.py (TODAY is 2026-03-10)."""
    set_state(store, "mlcf/c", seen(6, TODAY), ago(6))  # young
    set_state(store, "mlcf/d", seen(10, TODAY), ago(10))  # young
    set_state(store, "mlcf/e", seen(30, ago(29)), ago(59))  # mature
    set_state(store, "sjt/p3", seen(40, ago(30)), ago(70))  # mature
    answer(store, "sjt/p3", 1, ago(30), ms=20_000)  # mature lapse, outside the 30 days
    answer(store, "mlcf/e", 5, ago(29), ms=8_000)  # mature, inside the 30 days
    answer(store, "sjt/p1", 5, ago(2), ms=30_000)  # first sight
    answer(store, "sjt/p2", 3, ago(2), ms=40_000)  # first sight
    day, time = at(3, 59, TODAY)  # still yesterday's study day
    answer(store, "mlcf/b", 5, day, ms=6_000, time=time)  # first sight
    day, time = at(4, 0, TODAY)  # today's study day begins
    answer(store, "mlcf/a", 1, day, ms=10_000, time=time)  # first sight, failed
    answer(store, "mlcf/a", 4, TODAY, drill=True, ms=5_000)  # its re-drill
    answer(store, "mlcf/c", 4, TODAY, ms=7_000)  # young, correct
    answer(store, "mlcf/d", 2, TODAY, ms=9_000)  # young, lapse
    undone = answer(store, "sjt/p1", 0, TODAY, ms=99_000)
    store.cancel(undone, time=stamp(TODAY))
    p3 = store.state("sjt/p3")
    store.record("sjt/p3", "suspend", day=ago(5), time=stamp(ago(5)),
                 after=p3._replace(suspended=True))  # fmt: skip
    p2 = store.state("sjt/p2")
    store.record("sjt/p2", "bury", day=TODAY, time=stamp(TODAY),
                 after=p2._replace(buried_until=TODAY + timedelta(days=1)))  # fmt: skip


HLM_DIMENSIONS = (
    "hlm-inspiring-shared-purpose",
    "hlm-leading-with-care",
    "hlm-evaluating-information",
    "hlm-connecting-our-service",
    "hlm-sharing-the-vision",
    "hlm-engaging-the-team",
    "hlm-holding-to-account",
    "hlm-developing-capability",
    "hlm-influencing-for-results",
)


def rich_decks() -> list[Deck]:
    """`sample_decks()` and a deck of 270 cards, thirty for each Healthcare Leadership Model
    dimension."""
    cards = tuple(
        Card("hlm", f"{tag}-{i}", "basic", front=f"{tag} {i}", back="back", tags=(tag,))
        for tag in HLM_DIMENSIONS
        for i in range(30)
    )
    return [*sample_decks(), Deck("hlm", "Healthcare Leadership Model", cards)]


def rich_log(store: ProgressStore, days: int = 330, seed: int = 5) -> None:
    """About a year of study over `rich_decks()`, the way sessions would log it: days off,
    a current streak, new cards spread over the year, some tags harder than others, and a
    re-drill after each Again or Hard."""
    rng = random.Random(seed)
    items = [item for deck in rich_decks() for item in deck.items()]
    rng.shuffle(items)
    hard = {"hlm-holding-to-account": 0.5, "[red]team[/]": 0.5, "hlm-evaluating-information": 0.35}
    for n in range(days, -1, -1):
        day = ago(n)
        if n > 4 and rng.random() < (0.5 if 120 < n < 160 else 0.25):
            continue  # a day off (none in the last five days)
        fresh = 0
        for item in items:
            state = store.state(item.key)
            if state.is_new:
                if fresh >= 1:
                    continue
                fresh += 1
            elif state.due is None or state.due > day:
                continue
            miss = max([0.15, *(hard.get(t, 0.0) for t in item.card.tags)])
            quality = rng.choice([1, 3]) if rng.random() < miss else rng.choice([4, 4, 5])
            ms = rng.randint(4_000, 40_000)
            answer(store, item.key, quality, day, ms=ms)
            if quality < 4:
                answer(store, item.key, 4, day, drill=True, ms=ms // 2)


def deck_json(deck: Deck) -> dict[str, Any]:
    """A deck as a deck file (format 1) would hold it."""
    cards: list[dict[str, Any]] = []
    for card in deck.cards:
        doc: dict[str, Any] = {"id": card.id, "type": card.type}
        if card.type == "basic":
            doc |= {"front": card.front, "back": card.back}
        else:
            doc |= {"scenario": card.scenario, "question": card.question}
            doc["options"] = [
                {"text": o.text, "why": o.why or "because"}
                | ({"correct": True} if o.correct else {})
                for o in card.options
            ]
        if card.tags:
            doc["tags"] = list(card.tags)
        cards.append(doc)
    doc = {"format": 1, "id": deck.id, "title": deck.title, "cards": cards}
    if deck.tags:
        doc["tags"] = list(deck.tags)
    return doc


def write_decks(folder: Path, decks: list[Deck]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for deck in decks:
        (folder / f"{deck.id}.json").write_bytes(orjson.dumps(deck_json(deck)))
    return folder


def write_log(folder: Path, store: MemoryStore) -> Path:
    """A progress folder whose log holds `store`'s log (the file store replays it on open)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [orjson.dumps({"quiz_log": 1}), *(orjson.dumps(doc) for doc in store.log)]
    (folder / "log.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    return folder
