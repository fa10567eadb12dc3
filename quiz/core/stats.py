"""Progress figures, read off the card states, the log's fold and the decks for a given day.

Pure, `today` passed in. The fold is `quiz.core.fold.LogTally`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from itertools import compress, count, repeat
from operator import add, ne, sub
from typing import Any

from quiz.core.card_state import MATURE_DAYS, CardState
from quiz.core.competencies import FRAMEWORKS, Competency, is_competency
from quiz.core.fold import DayTally, KeyTallies, LogTally
from quiz.core.model import Deck, Item, ItemKind

FORECAST_DAYS = 30
RETENTION_DAYS = 30
HISTORY_DAYS = 365
"""The log figures reach back one year (the calendar heatmap)."""
_SCENARIO_ITEMS: tuple[ItemKind, ...] = ("choice", "rank")
ItemsOf = Callable[[Deck], Sequence[Item]]
"""What gives a deck's items: `Deck.items`, or a caller's own store of them."""


# --- counts from the card states ---


@dataclass(frozen=True, slots=True)
class DeckCounts:
    """How a deck's items stand on one day."""

    total: int = 0
    new: int = 0
    due: int = 0
    """Reviews due today, overdue ones included (new items not included)."""
    learning: int = 0
    young: int = 0
    mature: int = 0
    suspended: int = 0
    due_tomorrow: int = 0
    """Reviews that fall due tomorrow (on top of today's)."""

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __add__(self, other: DeckCounts) -> DeckCounts:
        return DeckCounts(**{k: v + getattr(other, k) for k, v in asdict(self).items()})


# --- figures read off the tally ---


@dataclass(frozen=True, slots=True)
class Rate:
    """`correct` of `total` answers; `rate` is None when there were none."""

    correct: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return self.correct / self.total if self.total else None

    def as_dict(self) -> dict[str, Any]:
        rate = self.rate
        return {
            "correct": self.correct,
            "total": self.total,
            "rate": None if rate is None else round(rate, 4),
        }


@dataclass(frozen=True, slots=True)
class Retention:
    """Share of reviews graded 3 or more over the last `days` days, by the item's interval
    before the review (young < 21 days <= mature); first sights and re-drills left out."""

    days: int
    young: Rate
    mature: Rate

    @property
    def all(self) -> Rate:
        return Rate(self.young.correct + self.mature.correct, self.young.total + self.mature.total)

    def as_dict(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "young": self.young.as_dict(),
            "mature": self.mature.as_dict(),
            "all": self.all.as_dict(),
        }


def retention(
    per_day: Mapping[date, DayTally], today: date, days: int = RETENTION_DAYS
) -> Retention:
    start = today - timedelta(days=days - 1)
    young = young_ok = mature = mature_ok = 0
    for day, t in per_day.items():
        if start <= day <= today:
            young += t.young
            young_ok += t.young_correct
            mature += t.mature
            mature_ok += t.mature_correct
    return Retention(days, Rate(young_ok, young), Rate(mature_ok, mature))


@dataclass(frozen=True, slots=True)
class Streak:
    current: int
    """Consecutive study days ending today, or yesterday if not studied yet today."""
    longest: int
    study_days: int
    """Days with at least one answer, ever."""
    last_year: int
    """Days with at least one answer in the 365 days up to today."""

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def streak(study_days: Iterable[date], today: date) -> Streak:
    """Streak figures from the days on which anything was answered (later days ignored)."""
    days = {day for day in study_days if day <= today}
    end = today if today in days else today - timedelta(days=1)
    current = 0
    while end - timedelta(days=current) in days:
        current += 1
    # The longest run of consecutive days, from where the day numbers break, at C speed: hot
    # over years of study days, where a timedelta made for each day would dominate.
    numbers = sorted(map(date.toordinal, days))
    breaks = [
        0,
        *compress(count(1), map(ne, numbers[1:], map(add, numbers, repeat(1)))),
        len(numbers),
    ]
    longest = max(map(sub, breaks[1:], breaks), default=0)
    year_start = today - timedelta(days=HISTORY_DAYS - 1)
    last_year = sum(1 for day in days if year_start <= day <= today)
    return Streak(current, longest, len(days), last_year)


@dataclass(frozen=True, slots=True)
class TagFigures:
    """How a student does on the items carrying one tag (scheduled answers, all time)."""

    tag: str
    items: int
    answers: int
    correct: int
    mean_quality: float | None

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None

    def as_dict(self) -> dict[str, Any]:
        accuracy = self.accuracy
        return {
            "items": self.items,
            "answers": self.answers,
            "correct": self.correct,
            "accuracy": None if accuracy is None else round(accuracy, 4),
        }


def _tag_sort_key(t: TagFigures) -> tuple[int, float, int, str]:
    """Weakest first: answered tags by accuracy (then by more answers), unanswered last."""
    if t.accuracy is None:
        return (1, 0.0, 0, t.tag)
    return (0, t.accuracy, -t.answers, t.tag)


ItemFigures = tuple[list[int], list[int], list[int]]
"""Each of a deck's items' answers, correct answers and sum of qualities, in deck order (at
the places of `Deck.item_keys`)."""


def item_figures(deck: Deck, keys: KeyTallies) -> ItemFigures:
    """What the tally holds for each of the deck's items (each key looked up once)."""
    return keys.columns(deck.item_keys().keys)


def tag_figures(decks: Iterable[tuple[Deck, ItemFigures]]) -> list[TagFigures]:
    """Accuracy per tag (deck tags and card tags), weakest first, from each deck and its
    items' figures (`item_figures`)."""
    sums: dict[str, list[int]] = {}
    for deck, of_items in decks:
        # Summed for each tag over the places the deck keeps for it, at C speed: hot, every
        # item of every deck at each opening of the statistics.
        for tag, places in deck.item_keys().by_tag.items():
            n, answers, correct, quality = _sums(of_items, places)
            total = sums.get(tag)
            if total is None:
                sums[tag] = [n, answers, correct, quality]
            else:
                total[0] += n
                total[1] += answers
                total[2] += correct
                total[3] += quality
    figures = [
        TagFigures(tag, n, answers, correct, quality / answers if answers else None)
        for tag, (n, answers, correct, quality) in sums.items()
    ]
    return sorted(figures, key=_tag_sort_key)


def _sums(figures: ItemFigures, places: Sequence[int]) -> tuple[int, int, int, int]:
    """(items, answers, correct, quality sum) of the items at `places`."""
    answers, correct, quality = figures
    if places == range(len(answers)):  # a deck's own tag: every item
        return len(answers), sum(answers), sum(correct), sum(quality)
    return (
        len(places),
        sum(map(answers.__getitem__, places)),
        sum(map(correct.__getitem__, places)),
        sum(map(quality.__getitem__, places)),
    )


@dataclass(frozen=True, slots=True)
class CompetencyFigures:
    """A framework's domain, element or dimension, with the figures of the cards tagged with it
    (a domain's own figures count the cards of its elements too)."""

    competency: Competency
    figures: TagFigures
    parts: tuple[CompetencyFigures, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"tag": self.competency.tag, "name": self.competency.name}
        shown |= self.figures.as_dict()
        if self.parts:
            shown["elements"] = [part.as_dict() for part in self.parts]
        return shown


@dataclass(frozen=True, slots=True)
class Competencies:
    """Accuracy per competency, framework by framework, weakest first within each; the tags
    that name no competency apart."""

    frameworks: dict[str, tuple[CompetencyFigures, ...]]
    """By framework id (`mlcf`, `hlm`), for each framework some chosen card is tagged with."""
    other: tuple[TagFigures, ...]

    def as_dict(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            framework: [c.as_dict() for c in figures]
            for framework, figures in self.frameworks.items()
        }
        shown["other"] = {t.tag: t.as_dict() for t in self.other}
        return shown


def _weakest_first(c: CompetencyFigures) -> tuple[int, float, int]:
    """Answered by accuracy (then more answers first); unanswered after, in framework order."""
    accuracy = c.figures.accuracy
    return (1, 0.0, 0) if accuracy is None else (0, accuracy, -c.figures.answers)


def competency_figures(tags: Sequence[TagFigures]) -> Competencies:
    """Lay `tags` (as `tag_figures` makes them) out by the frameworks of `competencies`."""
    by_tag = {t.tag: t for t in tags}

    def figures(c: Competency) -> CompetencyFigures:
        tagged = (part for part in map(figures, c.parts) if part.figures.items)
        parts = sorted(tagged, key=_weakest_first)
        return CompetencyFigures(
            c, by_tag.get(c.tag) or TagFigures(c.tag, 0, 0, 0, None), tuple(parts)
        )

    frameworks = {}
    for framework, (_, layout) in FRAMEWORKS.items():
        laid_out = [figures(c) for c in layout]
        if any(c.figures.items for c in laid_out):
            frameworks[framework] = tuple(sorted(laid_out, key=_weakest_first))
    other = tuple(t for t in tags if not is_competency(t.tag))
    return Competencies(frameworks, other)


def weakest_tag(tags: Sequence[TagFigures]) -> TagFigures | None:
    """The answered tag with the lowest accuracy (`tags` as `tag_figures` sorts them)."""
    return next((t for t in tags if t.answers), None)


@dataclass(frozen=True, slots=True)
class ScenarioFigures:
    """A deck's scenario questions (choice and rank cards): how they have been answered."""

    items: int
    answered: int
    """Items answered at least once."""
    answers: int
    correct: int
    quality_sum: int
    unsafe: int = 0
    """Answers that chose an unsafe option, their grade capped at Again."""

    @property
    def mean_quality(self) -> float | None:
        return self.quality_sum / self.answers if self.answers else None

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None

    @property
    def unsafe_share(self) -> float | None:
        """The share of answers capped for an unsafe option."""
        return self.unsafe / self.answers if self.answers else None

    def as_dict(self) -> dict[str, Any]:
        mean, accuracy, unsafe = self.mean_quality, self.accuracy, self.unsafe_share
        return {
            "items": self.items,
            "answered": self.answered,
            "answers": self.answers,
            "correct": self.correct,
            "accuracy": None if accuracy is None else round(accuracy, 4),
            "mean_grade": None if mean is None else round(mean, 2),
            "unsafe": self.unsafe,
            "unsafe_share": None if unsafe is None else round(unsafe, 4),
        }


def scenario_figures(
    deck: Deck, figures: ItemFigures, capped: Mapping[str, int]
) -> ScenarioFigures:
    """How a deck's choice and rank items have been answered; `capped`: the scheduled answers
    capped for an unsafe option, by key."""
    by_kind = deck.item_keys().by_kind
    places = [at for kind in _SCENARIO_ITEMS for at in by_kind.get(kind, ())]
    items, answers, correct, quality = _sums(figures, places)
    answered = len(places) - list(map(figures[0].__getitem__, places)).count(0)
    unsafe = 0
    if capped:  # few keys: looked up only where there are any
        keys = deck.item_keys().keys
        unsafe = sum(capped.get(keys[at], 0) for at in places)
    return ScenarioFigures(items, answered, answers, correct, quality, unsafe)


# --- everything at once ---


@dataclass(frozen=True, slots=True)
class Stats:
    """Every figure of the statistics screen, `quiz stats` and `quiz report`, for one day."""

    today: date
    decks: dict[str, DeckCounts]
    forecast: dict[date, int]
    """Reviews due on each of the next 30 days, today (with the overdue ones) first."""
    history: dict[date, DayTally]
    """Answers per study day over the last 365 days, days without answers left out."""
    retention: Retention
    streak: Streak
    tags: list[TagFigures]
    scenarios: dict[str, ScenarioFigures]
    scheduler: str = "sm2"
    """The scheduler the states were computed under (the `scheduler` setting)."""
    recall: dict[str, float] = field(default_factory=dict)
    """FSRS only: the mean predicted recall today of the cards seen, for all decks (`""`) and
    for each deck with a card seen."""

    @property
    def competencies(self) -> Competencies:
        return competency_figures(self.tags)

    @property
    def total(self) -> DeckCounts:
        return sum(self.decks.values(), DeckCounts())

    def reviews_on(self, day: date) -> int:
        t = self.history.get(day)
        return t.answers if t else 0

    def window(self, days: int) -> tuple[int, int]:
        """(answers, milliseconds) over the last `days` days up to today."""
        start = self.today - timedelta(days=days - 1)
        answers = ms = 0
        for day, t in self.history.items():
            if start <= day <= self.today:
                answers += t.answers
                ms += t.ms
        return answers, ms

    def daily(self, days: int) -> list[tuple[date, int]]:
        """Answers on each of the last `days` days, oldest first, zero days included."""
        return [
            (day, self.reviews_on(day))
            for day in (self.today - timedelta(days=i) for i in range(days - 1, -1, -1))
        ]

    @property
    def weakest(self) -> TagFigures | None:
        return weakest_tag(self.tags)


def compute(
    decks: Sequence[Deck],
    states: Mapping[str, CardState],
    tally: LogTally,
    today: date,
    deck_id: str | None = None,
    items: ItemsOf | None = None,
) -> Stats:
    """Every figure for all decks (`deck_id` None) or for one deck.

    Args:
        decks: the loaded decks (their items give the counts and the forecast, and the keys
            they keep, `Deck.item_keys`, the tags and the scenario questions).
        states: every item's state but those never seen, by progress key
            (`ProgressStore.states`).
        tally: the review log, folded (`LogTally.of(store.entries())` or a cached one).
        today: the study day.
        deck_id: one deck's figures only; the log figures then count only its answers.
        items: a deck's items for the counts and the forecast (`Deck.items` by default): a
            caller that keeps them passes its own, and each deck's items are then made by
            nobody (at 50,000 cards, making them took 0.1 s each of the four times they were
            needed).
    """
    chosen = [d for d in decks if deck_id is None or d.id == deck_id]
    items_of = items or Deck.items
    by_deck = {d.id: items_of(d) for d in chosen}
    ids = None if deck_id is None else [deck_id]
    start = today - timedelta(days=HISTORY_DAYS - 1)
    every_day = tally.day_sums(ids)
    history = {day: t.copy() for day, t in every_day.items() if start <= day <= today}
    counts, upcoming = _counts_and_forecast(by_deck, states, today)
    read = [(deck, item_figures(deck, tally.keys)) for deck in chosen]  # once for both
    return Stats(
        today=today,
        decks=counts,
        forecast=upcoming,
        history=history,
        retention=retention(every_day, today),
        streak=streak((day for day, t in every_day.items() if t.answers > 0), today),
        tags=tag_figures(read),
        scenarios={
            deck.id: scenario_figures(deck, figures, tally.keys.capped) for deck, figures in read
        },
    )


def _counts_and_forecast(
    by_deck: Mapping[str, Sequence[Item]],
    states: Mapping[str, CardState],
    today: date,
    days: int = FORECAST_DAYS,
) -> tuple[dict[str, DeckCounts], dict[date, int]]:
    """Each deck's counts and the forecast, in one pass over the items: where each item
    stands (new; learning: not yet past SM-2's first two steps; young; mature: an interval of
    21 days or more; suspended; due today, tomorrow or later, a buried item when its bury
    ends) worked out once, from its state."""
    upcoming = {today + timedelta(days=i): 0 for i in range(days)}
    tomorrow = today + timedelta(days=1)
    counts: dict[str, DeckCounts] = {}
    get = states.get
    for deck_id, deck_items in by_deck.items():
        new = due = learning = young = mature = suspended = due_tomorrow = 0
        # hot: runs for every item of every deck, so the fields are read here rather than
        # through CardState's methods
        for item in deck_items:
            state = get(item.key)
            if state is None:  # never seen
                new += 1
                continue
            is_suspended, buried, day = state.suspended, state.buried_until, state.due
            if is_suspended:
                suspended += 1
            if state.first is None:
                new += 1
                continue
            if state.repetitions < 2:
                learning += 1
            elif state.interval >= MATURE_DAYS:
                mature += 1
            else:
                young += 1
            if is_suspended or day is None:
                continue
            if buried is not None and buried > today and buried > day:
                day = buried
            if day <= today:
                due += 1
                upcoming[today] += 1
            else:
                if day == tomorrow:
                    due_tomorrow += 1
                if day in upcoming:
                    upcoming[day] += 1
        counts[deck_id] = DeckCounts(
            len(deck_items), new, due, learning, young, mature, suspended, due_tomorrow
        )
    return counts, upcoming
