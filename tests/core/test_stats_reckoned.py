"""The statistics' fast paths give the figures of a plain item-by-item reckoning.

Tags and scenario figures are summed over the places each deck keeps (`Deck.item_keys`) from
a tally kept in columns (`KeyTallies`); here random decks and tallies are reckoned again the
straightforward way, card by card through `Deck.study_tags`, and the two must agree."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from quiz.core.competencies import HLM_DIMENSIONS, MLCF_DOMAINS
from quiz.core.fold import Answer, KeyTallies, KeyTally, LogTally
from quiz.core.model import Card, Deck, Item, Option
from quiz.core.progress import CardState, MemoryStore, state_to_dict
from quiz.core.sm2 import Sm2State
from quiz.core.stats import (
    FORECAST_DAYS,
    DeckCounts,
    ScenarioFigures,
    Streak,
    TagFigures,
    compute,
    item_figures,
    scenario_figures,
    streak,
    tag_figures,
)
from quiz.storage.fold_file import tally_from_dict, tally_to_dict
from tests.stats_helpers import TODAY, known_log, sample_decks

DOMAIN = MLCF_DOMAINS[3].tag
ELEMENTS = [e.tag for e in MLCF_DOMAINS[3].parts]
TAGS = ["sbar", "ecg", "drugs", DOMAIN, *ELEMENTS, MLCF_DOMAINS[0].parts[0].tag]
TAGS += [HLM_DIMENSIONS[0].tag]


def random_card(rng: random.Random, deck_id: str, n: int) -> Card:
    # Tags may repeat on a card, and a card may carry an element, its domain, or both.
    tags = tuple(rng.choice(TAGS) for _ in range(rng.randrange(4)))
    kind = rng.choice(["basic", "basic-reverse", "cloze", "choice", "rank"])
    card_id = f"c{n}"
    if kind == "cloze":
        text = " ".join(f"{{{{c{i}::x}}}}" for i in rng.sample(range(1, 6), rng.randrange(1, 4)))
        return Card(deck_id, card_id, "cloze", text=text, tags=tags)
    options = (Option("a", True), Option("b"), Option("c"))
    if kind == "choice":
        return Card(deck_id, card_id, "choice", question="q", options=options, tags=tags)
    if kind == "rank":
        return Card(deck_id, card_id, "rank", question="q", options=options, tags=tags)
    reverse = kind == "basic-reverse"
    return Card(deck_id, card_id, "basic", front="f", back="b", reverse=reverse, tags=tags)


def random_decks(rng: random.Random) -> list[Deck]:
    decks = []
    for d in range(rng.randrange(1, 5)):
        deck_tags = tuple(rng.sample(TAGS, rng.randrange(3)))
        cards = tuple(random_card(rng, f"d{d}", n) for n in range(rng.randrange(40)))
        decks.append(Deck(f"d{d}", f"Deck {d}", cards, tags=deck_tags))
    return decks


def random_keys(rng: random.Random, decks: list[Deck]) -> dict[str, KeyTally]:
    """Some of the decks' items answered, and a few keys of items no deck holds."""
    keys = [item.key for deck in decks for item in deck.items()] + ["gone/a", "gone/b"]
    chosen = rng.sample(keys, rng.randrange(len(keys) + 1))
    out = {}
    for key in chosen:
        answers = rng.randrange(1, 9)
        out[key] = KeyTally(answers, rng.randrange(answers + 1), rng.randrange(6 * answers))
    return out


def columns_of(keys: dict[str, KeyTally]) -> KeyTallies:
    return KeyTallies(
        keys,
        [k.answers for k in keys.values()],
        [k.correct for k in keys.values()],
        [k.quality_sum for k in keys.values()],
    )


def reference_tags(decks: list[Deck], keys: dict[str, KeyTally]) -> list[TagFigures]:
    """Item by item, each of its card's study tags counted."""
    sums: dict[str, list[int]] = {}
    for deck in decks:
        for item in deck.items():
            k = keys.get(item.key, KeyTally())
            for tag in deck.study_tags(item.card):
                s = sums.setdefault(tag, [0, 0, 0, 0])
                s[0] += 1
                s[1] += k.answers
                s[2] += k.correct
                s[3] += k.quality_sum
    figures = [TagFigures(tag, n, a, c, q / a if a else None) for tag, (n, a, c, q) in sums.items()]
    return sorted(
        figures,
        key=lambda t: (
            (1, 0.0, 0, t.tag) if t.accuracy is None else (0, t.accuracy, -t.answers, t.tag)
        ),
    )


def reference_scenarios(deck: Deck, keys: dict[str, KeyTally]) -> ScenarioFigures:
    items = answered = answers = correct = quality = 0
    for item in deck.items():
        if item.kind in ("choice", "rank"):
            items += 1
            k = keys.get(item.key)
            if k is not None:
                answered += 1
                answers += k.answers
                correct += k.correct
                quality += k.quality_sum
    return ScenarioFigures(items, answered, answers, correct, quality)


@pytest.mark.parametrize("seed", range(60))
def test_tags_and_scenarios_as_reckoned_item_by_item(seed: int) -> None:
    rng = random.Random(seed)
    decks = random_decks(rng)
    keys = random_keys(rng, decks)
    fast = columns_of(keys)
    read = [(deck, item_figures(deck, fast)) for deck in decks]
    assert tag_figures(read) == reference_tags(decks, keys)
    assert tag_figures(read[:1]) == reference_tags(decks[:1], keys)
    for deck, figures in read:
        assert scenario_figures(deck, figures) == reference_scenarios(deck, keys)


@pytest.mark.parametrize("seed", range(30))
def test_a_decks_places_by_tag_are_its_cards_study_tags(seed: int) -> None:
    for deck in random_decks(random.Random(seed)):
        made = deck.item_keys()
        expected: dict[str, list[int]] = {}
        for at, item in enumerate(deck.items()):
            assert made.keys[at] == item.key
            for tag in deck.study_tags(item.card):
                expected.setdefault(tag, []).append(at)
        assert {tag: list(places) for tag, places in made.by_tag.items()} == expected
        assert deck.item_keys() is made  # kept


def test_a_tag_written_twice_counts_its_items_once() -> None:
    card = Card("d", "a", "basic", front="f", back="b", reverse=True, tags=("x", "y", "x"))
    deck = Deck("d", "D", (card,), tags=("x",))
    keys = {"d/a": KeyTally(2, 1, 7)}
    assert tag_figures([(deck, item_figures(deck, columns_of(keys)))]) == [
        TagFigures("x", 2, 2, 1, 3.5),
        TagFigures("y", 2, 2, 1, 3.5),
    ]


def answers(rng: random.Random, n: int) -> list[Answer]:
    keys = [f"d/c{i}" for i in range(12)]
    return [
        Answer(
            i,
            rng.choice(keys),
            rng.random() < 0.2,
            TODAY - timedelta(days=rng.randrange(5)),
            rng.randrange(6),
            rng.randrange(9000),
            rng.random() < 0.7,
            rng.randrange(40),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", range(20))
def test_key_columns_fold_and_take_back_as_plain_objects_do(seed: int) -> None:
    """Answers folded in and taken back out (undos) in a random order: the columns hold what
    a dict of `KeyTally` objects holds, in the same order of keys (a saved fold's)."""
    rng = random.Random(seed)
    tally = LogTally()
    plain: dict[str, KeyTally] = {}
    folded: list[Answer] = []
    for answer in answers(rng, 200):
        if folded and rng.random() < 0.3:
            taken = folded.pop(rng.randrange(len(folded)))
            tally.remove(taken)
            sign, answer = -1, taken
        else:
            folded.append(answer)
            tally.add(answer)
            sign = 1
        if answer.drill:
            continue
        k = plain.setdefault(answer.key, KeyTally())
        k.answers += sign
        k.correct += sign if answer.correct else 0
        k.quality_sum += sign * answer.quality
        if k.answers == 0:
            del plain[answer.key]
    assert dict(tally.keys) == plain
    assert list(tally.keys) == list(plain)
    doc = tally_to_dict(tally)
    assert doc["keys"] == [
        list(plain),
        [k.answers for k in plain.values()],
        [k.correct for k in plain.values()],
        [k.quality_sum for k in plain.values()],
    ]
    again = tally_from_dict(doc)
    assert again == tally
    assert again.keys == columns_of(plain)
    assert again.keys.columns(["d/c0", "x/none"]) == tally.keys.columns(["d/c0", "x/none"])


def test_key_columns_of_unequal_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        KeyTallies(["a", "b"], [1, 2], [1], [3, 4])
    with pytest.raises(ValueError):
        KeyTallies(["a"], [1, 2], [1, 2], [3, 4])


def test_a_missing_key_reads_as_never_answered() -> None:
    keys = columns_of({"a": KeyTally(3, 2, 11)})
    assert keys.columns(["b", "a", "b"]) == ([0, 3, 0], [0, 2, 0], [0, 11, 0])
    assert keys["a"] == KeyTally(3, 2, 11)
    assert "b" not in keys
    with pytest.raises(KeyError):
        keys["b"]


def reference_streak(study_days: list[date], today: date) -> Streak:
    """Day by day."""
    days = {day for day in study_days if day <= today}
    end = today if today in days else today - timedelta(days=1)
    current = 0
    while end - timedelta(days=current) in days:
        current += 1
    longest = run = 0
    previous: date | None = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    last_year = sum(1 for day in days if today - timedelta(days=364) <= day <= today)
    return Streak(current, longest, len(days), last_year)


@pytest.mark.parametrize("seed", range(40))
def test_streaks_as_counted_day_by_day(seed: int) -> None:
    rng = random.Random(seed)
    # Runs of study days and gaps, some after today.
    days: list[date] = []
    day = TODAY - timedelta(days=rng.randrange(800))
    while day <= TODAY + timedelta(days=3):
        days += [day + timedelta(days=i) for i in range(rng.randrange(1, 30))]
        day = days[-1] + timedelta(days=rng.randrange(2, 9))
    chosen = rng.sample(days, rng.randrange(len(days) + 1))
    assert streak(chosen, TODAY) == reference_streak(chosen, TODAY)


def test_the_figures_do_not_share_the_tallys_day_sums() -> None:
    """`compute` reads the tally's own day sums: what it hands out is copied, so a later
    answer folded into a kept tally does not change figures already shown."""
    store = MemoryStore()
    known_log(store)
    tally = LogTally.of(store.entries())
    stats = compute(sample_decks(), store.states(), tally, TODAY)
    shown = stats.history[TODAY].answers
    tally.add(Answer(10_000, "mlcf/a", False, TODAY, 4, 1000, True, 3))
    assert tally.per_day()[TODAY].answers == shown + 1
    assert stats.history[TODAY].answers == shown


# --- counts and forecast from saved states, against CardState's own reckoning ---


def random_state(rng: random.Random) -> CardState:
    def day() -> date | None:
        return rng.choice([None, TODAY + timedelta(days=rng.randrange(-40, 40))])

    first = day()
    sm2 = Sm2State(rng.randrange(5), 2.5, rng.choice([0, 1, 6, 20, 21, 60]), day())
    return CardState.from_sm2(
        sm2, first=first, last=first and day(), suspended=rng.random() < 0.1, buried_until=day()
    )


def maturity(state: CardState) -> str:
    """new: never answered; learning: not yet past SM-2's first two steps (1 and 6 days);
    young: interval under 21 days; mature: 21 days or more."""
    if state.is_new:
        return "new"
    if state.repetitions < 2:
        return "learning"
    return "mature" if state.interval >= 21 else "young"


def reference_due_day(state: CardState, today: date) -> date | None:
    """The day an item next comes up (today if overdue; a buried one when its bury ends)."""
    if state.is_new or state.suspended or state.due is None:
        return None
    day = state.due
    if state.buried_until is not None and state.buried_until > today:
        day = max(day, state.buried_until)
    return max(day, today)


def reference_counts(items: list[Item], states: dict[str, CardState]) -> DeckCounts:
    counts = dict.fromkeys(("total", "new", "due", "learning", "young", "mature"), 0)
    suspended = due_tomorrow = 0
    for item in items:
        state = states.get(item.key, CardState())
        counts["total"] += 1
        counts[maturity(state)] += 1
        suspended += state.suspended
        day = reference_due_day(state, TODAY)
        counts["due"] += day == TODAY
        due_tomorrow += day == TODAY + timedelta(days=1)
    return DeckCounts(**counts, suspended=suspended, due_tomorrow=due_tomorrow)


@pytest.mark.parametrize("seed", range(15))
def test_counts_and_forecast_as_card_states_reckon_them(seed: int) -> None:
    rng = random.Random(seed)
    decks = random_decks(rng)
    items = [item for deck in decks for item in deck.items()]
    chosen = rng.sample(items, rng.randrange(len(items) + 1))
    states = {item.key: random_state(rng) for item in chosen}
    store = MemoryStore()
    store.load_states({key: state_to_dict(state) for key, state in states.items()})
    stats = compute(decks, store.states(), LogTally(), TODAY)
    assert stats.decks == {deck.id: reference_counts(list(deck.items()), states) for deck in decks}
    expected = dict.fromkeys((TODAY + timedelta(days=i) for i in range(FORECAST_DAYS)), 0)
    for item in items:
        day = reference_due_day(states.get(item.key, CardState()), TODAY)
        if day in expected:
            expected[day] += 1
    assert stats.forecast == expected
