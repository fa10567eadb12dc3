"""The peers quiz is measured against in B1: Anki's own `anki` package, and a naive TinyDB.

Anki: a collection of 10,000 Basic notes in 20 decks, its cards made review cards with the
same schedule as quiz's synthetic history, and that history's review lines inserted into the
revlog directly (answering 100,000 times through the API would take long). Answers go through
the v3 scheduler as the desktop app does: `get_queued_cards`, `build_answer`, `answer_card`.
SQLite in WAL mode with synchronous=FULL (Anki's setting) syncs the WAL on every commit.

Naive TinyDB: one TinyDB file with its default JSONStorage, a table of card states and one of
reviews, each answer a Query lookup, an update and an insert: what docs/architecture.md warns of.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import orjson

from bench.synth import TODAY
from quiz.core.progress import CardState, state_from_dict, state_to_dict
from quiz.core.sm2 import review

ANKI_FILE = "collection.anki2"
NAIVE_FILE = "naive.json"
RATINGS = (1, 2, 3, 4)
"""Anki's buttons Again, Hard, Good, Easy; quiz's qualities 1, 3, 4, 5 (quiz.core.grades)."""
QUALITY_OF_RATING = {1: 1, 2: 3, 3: 4, 4: 5}
RATING_OF_QUALITY = {q: r for r, q in QUALITY_OF_RATING.items()}


def ratings(count: int, seed: int = 1) -> list[int]:
    """The buttons pressed in a benchmark, the same for every contender."""
    rng = random.Random(seed)
    return rng.choices(RATINGS, weights=(8, 12, 65, 15), k=count)


def read_history(log: Path) -> tuple[dict[str, CardState], list[dict[str, Any]]]:
    """The final states and the review lines of a quiz log (undone answers left in): of a
    progress folder's segments in order, or of one log file."""
    from quiz.storage.segments import all_segments

    files = [part.path for part in all_segments(log)] if log.is_dir() else [log]
    states: dict[str, CardState] = {}
    reviews = []
    for path in files:
        with open(path, "rb") as handle:
            for line in handle:
                doc = orjson.loads(line)
                if "k" not in doc:
                    continue
                states[doc["k"]] = state_from_dict(doc["a"])
                if doc.get("kind") in ("review", "drill"):
                    reviews.append(doc)
    return states, reviews


# --- Anki ---


def build_anki(
    folder: Path, keys: Sequence[str], log: Path, decks: int = 20, *, notes_as_cards: bool = False
) -> dict[str, Any]:
    """Make an Anki collection mirroring quiz's synthetic cards and history.

    One Basic note per item key (so the counts match quiz's), in `decks` subdecks of "Bench";
    with `notes_as_cards`, one note per quiz card instead (B7: as many notes as quiz has
    cards, as many Anki cards as quiz has items): a card with a reverse becomes a "Basic (and
    reversed card)" note, a cloze card a Cloze note with the same deletions.
    Returns figures about what was built.
    """
    from anki.collection import AddNoteRequest, Collection

    folder.mkdir(parents=True, exist_ok=True)
    col: Any = Collection(str(folder / ANKI_FILE))  # Any: typed only where anki is installed
    try:
        basic = col.models.by_name("Basic")
        parent = col.decks.id("Bench")
        deck_ids = [col.decks.id(f"Bench::d{i + 1:02d}") for i in range(decks)]
        requests = []
        groups = _note_groups(keys) if notes_as_cards else [[key] for key in keys]
        models = {
            "basic": basic,
            "reversed": col.models.by_name("Basic (and reversed card)"),
            "cloze": col.models.by_name("Cloze"),
        }
        for index, group in enumerate(groups):
            kind = _note_kind(group)
            note = col.new_note(models[kind])
            if kind == "cloze":
                note["Text"] = " ".join(
                    f"{{{{c{key.rsplit('~c', 1)[1]}::deletion}}}}" for key in group
                )
            else:
                note["Front"] = f"Front of {group[0]}"
                note["Back"] = f"Back of {group[0]}"
            requests.append(AddNoteRequest(note=note, deck_id=deck_ids[index % decks]))
        col.add_notes(requests)
        card_ids = col.db.list("select id from cards order by nid, ord")
        card_of_key = dict(zip([key for group in groups for key in group], card_ids, strict=True))
        conf = col.decks.config_dict_for_deck_id(parent)
        conf["rev"]["perDay"] = 9999
        conf["new"]["perDay"] = 20
        col.decks.update_config(conf)
        col.decks.select(parent)

        states, reviews = read_history(log)
        today_number = col.sched.today
        scheduled = []
        for key, state in states.items():
            if state.is_new or state.sm2.due is None:
                continue
            due = today_number + (state.sm2.due - TODAY).days
            scheduled.append((max(1, state.sm2.interval), due, state.sm2.easiness_100 * 10,
                              state.sm2.repetitions, state.lapses, card_of_key[key]))  # fmt: skip
        rows: list[tuple[Any, ...]] = []
        base_ms = int(time.time() * 1000) - len(reviews) * 1000 - 86_400_000
        for n, doc in enumerate(reviews):
            quality = int(doc.get("q", 4))
            before, after = doc["b"], doc["a"]
            rows.append((base_ms + n * 1000, card_of_key[doc["k"]], -1,
                         RATING_OF_QUALITY.get(quality, 1 if quality < 3 else 3),
                         after["i"], before["i"], after["ef"] * 10, int(doc.get("ms", 0)),
                         1 if before.get("first") else 0))  # fmt: skip

        def insert() -> None:  # one transaction: SQLite would sync after each row otherwise
            col.db.executemany(
                "update cards set type=2, queue=2, ivl=?, due=?, factor=?, reps=?, lapses=?"
                " where id=?",
                scheduled,
            )
            col.db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", rows)

        col.db.transact(insert)
        due_now = col.db.scalar("select count() from cards where queue=2 and due<=?", today_number)
        return {
            "notes": col.note_count(),
            "revlog": col.db.scalar("select count() from revlog"),
            "due": due_now,
        }
    finally:
        col.close()


def _note_groups(keys: Sequence[str]) -> list[list[str]]:
    """Item keys grouped by the quiz card they come from (`deck/card`, `deck/card~reverse`,
    `deck/card~c2`), in order: one Anki note each, its cards in the order of the keys."""
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(key.split("~", 1)[0], []).append(key)
    return list(groups.values())


def _note_kind(group: Sequence[str]) -> str:
    if "~c" in group[0]:
        return "cloze"
    return "reversed" if len(group) == 2 else "basic"


class AnkiAnswerer:
    """An open collection answering one card per `step`, as a review app does between two key
    presses: take the next card from the queue, build the answer, answer it (committed, the
    WAL synced)."""

    name = "anki"

    def __init__(self, folder: Path) -> None:
        # anki.collection first: importing anki.cards first is a circular import.
        from anki.collection import Collection  # isort: skip
        from anki.cards import Card
        from anki.scheduler_pb2 import CardAnswer

        self._card_class = Card
        self._by_rating = {
            1: CardAnswer.AGAIN,
            2: CardAnswer.HARD,
            3: CardAnswer.GOOD,
            4: CardAnswer.EASY,
        }
        self.col: Any = cast(Any, Collection(str(folder / ANKI_FILE)))
        self.info = {
            "synchronous": self.col.db.scalar("pragma synchronous"),
            "journal_mode": self.col.db.scalar("pragma journal_mode"),
        }

    def step(self, rating: int) -> None:
        queued = self.col.sched.get_queued_cards().cards[0]
        card = self._card_class(self.col, backend_card=queued.card)
        card.start_timer()
        answer = self.col.sched.build_answer(
            card=card, states=queued.states, rating=self._by_rating[rating]
        )
        self.col.sched.answer_card(answer)

    def close(self) -> None:
        self.col.close()


# --- naive TinyDB ---


def _review_row(doc: dict[str, Any]) -> dict[str, Any]:
    """A review as a naive program would keep it: a flat row, like Anki's revlog."""
    after = doc["a"]
    return {"key": doc["k"], "day": doc["d"], "quality": doc.get("q"), "interval": after["i"],
            "ef": after["ef"], "ms": doc.get("ms", 0)}  # fmt: skip


def build_naive(folder: Path, log: Path) -> dict[str, Any]:
    """One default TinyDB file holding the same states and reviews."""
    from tinydb import TinyDB

    folder.mkdir(parents=True, exist_ok=True)
    states, reviews = read_history(log)
    db = TinyDB(folder / NAIVE_FILE)
    try:
        db.table("states").insert_multiple(
            {"key": key, **state_to_dict(state)} for key, state in states.items()
        )
        db.table("reviews").insert_multiple(_review_row(doc) for doc in reviews)
    finally:
        db.close()
    size = (folder / NAIVE_FILE).stat().st_size
    return {"states": len(states), "reviews": len(reviews), "bytes": size}


def answer_naive(folder: Path, count: int, budget_s: float = 15.0) -> dict[str, Any]:
    """Answer `count` due cards the naive way (fewer, at least 3, if `budget_s` runs out).

    Returns the time of each answer, in nanoseconds.
    """
    from tinydb import Query, TinyDB

    db = TinyDB(folder / NAIVE_FILE)
    try:
        states, reviews, card = db.table("states"), db.table("reviews"), Query()
        due = [doc["key"] for doc in states.all() if doc.get("due", "9999") <= TODAY.isoformat()]
        times = []
        for key, rating in zip(due, ratings(count), strict=False):
            start = time.perf_counter_ns()
            doc = states.get(card.key == key)
            assert isinstance(doc, dict)
            before = state_from_dict(doc)
            quality = QUALITY_OF_RATING[rating]
            after = CardState.from_sm2(
                review(before.sm2, quality, TODAY), first=before.first, last=TODAY
            )
            entry = {"k": key, "d": TODAY.isoformat(), "q": quality, "a": state_to_dict(after)}
            reviews.insert(_review_row(entry))
            states.update(state_to_dict(after), card.key == key)
            times.append(time.perf_counter_ns() - start)
            if len(times) >= 3 and sum(times) > budget_s * 1e9:
                break
        return {"times_ns": times}
    finally:
        db.close()
