"""Exams: set, listed and removed (`exams.json`), the plan the scheduling rules read, and
each exam's readiness.

Readiness predicts recall on the exam day with FSRS-6's memory model whatever scheduler the
student studies with: the log is replayed under FSRS (with the parameters fitted to the
student's log where `quiz optimize` saved them from enough reviews, its defaults otherwise),
and each seen card's recall on the day is FSRS's forgetting curve from its last answer, as if
nothing more were studied; a card never seen counts as not recalled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.core.card_state import CardState
from quiz.core.exams import Exam, ExamPlan, Pace, pace, pace_line, planned_reviews, short_date
from quiz.core.model import Item
from quiz.core.replay import replay
from quiz.core.schedulers import Scheduler, WithExams, answered, base_of
from quiz.core.text import one_line
from quiz.storage import exams as exams_file
from quiz.storage import fsrs_parameters
from quiz.storage.exams import ExamsError

if TYPE_CHECKING:
    from quiz.core.progress import ProgressStore
    from quiz.services.context import Context

__all__ = [
    "ExamsError",
    "Readiness",
    "add",
    "parse_day",
    "plan_for",
    "readiness",
    "remove",
    "reschedule",
    "with_exams",
]

MIN_FITTED_REVIEWS = 400
"""Fitted parameters are used for readiness from this many reviews (`quiz optimize`'s own
minimum)."""


def load(data_dir: Path) -> list[Exam]:
    """The exams set (see `quiz.storage.exams.load`)."""
    return exams_file.load(data_dir)


def plan_for(exams: Sequence[Exam], items: Iterable[Item]) -> ExamPlan:
    """The exams with the progress keys of the items each covers."""
    covered: dict[str, set[str]] = {exam.name: set() for exam in exams}
    for item in items:
        card = item.card
        for exam in exams:
            if exam.covers(card.deck_id, card.tags):
                covered[exam.name].add(item.key)
    return ExamPlan(tuple(exams), {name: frozenset(keys) for name, keys in covered.items()})


def with_exams(
    scheduler: Scheduler, data_dir: Path, items: Iterable[Item]
) -> tuple[Scheduler, list[str]]:
    """`scheduler` with the exam rules of the exams set (itself when none is set), and a line
    for a problem met (an exams file that cannot be read: no exam rules this time)."""
    try:
        exams = load(data_dir)
    except ExamsError as exc:
        return base_of(scheduler), [f"{exc}; studying without the exam rules"]
    if not exams:
        return base_of(scheduler), []
    return WithExams(base_of(scheduler), plan_for(exams, items)), []


def parse_day(text: str) -> date:
    """An exam's date as typed (YYYY-MM-DD), for `quiz exam add` and the exam dialog.

    Raises:
        ValueError: one line saying it is not a date.
    """
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f'"{text}" is not a date (YYYY-MM-DD)') from None


def reschedule(
    store: ProgressStore,
    current: Scheduler,
    data_dir: Path,
    items: Iterable[Item],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Scheduler, list[str]]:
    """After the exams changed while quiz runs: `current` under the exams now set, with every
    state recomputed from the log under it and checkpointed when that changes the rules (what
    the next start would do), and a line for a problem met.

    Raises:
        StoreError: the checkpoint could not be written (the states are recomputed again at
            the next start).
    """
    scheduler, problems = with_exams(current, data_dir, items)
    if scheduler.identity != current.identity:
        store.reschedule(scheduler, progress)
        store.checkpoint()
    return scheduler, problems


def add(
    data_dir: Path,
    exam: Exam,
    today: date,
    known_decks: Sequence[str],
    known_tags: Iterable[str],
) -> Path:
    """Set a new exam; returns the file written.

    Raises:
        ValueError: one line saying what is wrong (a past date, an unknown deck or tag, the
            name taken, nothing covered).
        ExamsError: the file could not be read or written.
    """
    if not exam.name.strip() or len(exam.name) > exams_file.MAX_NAME:
        raise ValueError(f"an exam's name is 1 to {exams_file.MAX_NAME} characters")
    if one_line(exam.name) != exam.name:
        raise ValueError("an exam's name is one line of text, without control characters")
    if exam.day <= today:
        raise ValueError(f"{exam.day.isoformat()} is not after today ({today.isoformat()})")
    if not exam.decks and not exam.tags:
        raise ValueError("name the decks the exam covers, or a tag with --tag")
    unknown = [deck for deck in exam.decks if deck not in known_decks]
    if unknown:
        raise ValueError(
            f"no deck {', '.join(repr(d) for d in unknown)}; the decks are:"
            f" {', '.join(known_decks) or 'none'}"
        )
    tags = set(known_tags)
    missing = [tag for tag in exam.tags if tag not in tags]
    if missing:
        raise ValueError(f"no card has the tag {', '.join(repr(t) for t in missing)}")
    if not 0 <= exam.seen_by < (exam.day - today).days:
        raise ValueError(
            f"--seen-by {exam.seen_by}: must be from 0 to {(exam.day - today).days - 1} days"
            " (before the exam, and not before today)"
        )
    exams = load(data_dir)
    if any(e.name == exam.name for e in exams):
        raise ValueError(f'an exam "{exam.name}" is set already; remove it first')
    return exams_file.save(data_dir, [*exams, exam])


def remove(data_dir: Path, name: str) -> Path:
    """Remove the exam called `name`; returns the file written.

    Raises:
        ValueError: no exam has that name.
        ExamsError: the file could not be read or written.
    """
    exams = load(data_dir)
    kept = [e for e in exams if e.name != name]
    if len(kept) == len(exams):
        names = ", ".join(f'"{e.name}"' for e in exams) or "none"
        raise ValueError(f'no exam "{name}"; the exams are: {names}')
    return exams_file.save(data_dir, kept)


@dataclass(frozen=True, slots=True)
class Readiness:
    """How ready the student is for one exam on one morning."""

    exam: Exam
    days_left: int
    covered: int
    unseen: int
    pace: Pace
    reviews_planned: int
    """Reviews due from today until the day before the exam, each answered Good."""
    recall: float | None
    """The predicted share of the exam's cards recalled on the day (unseen ones count as not
    recalled); None when the fsrs package is missing."""
    model: str
    """"fitted" or "default": FSRS's parameters the prediction used."""

    @property
    def line(self) -> str:
        """The daily figures in words."""
        return pace_line(self.exam, self.pace)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.exam.name,
            "date": self.exam.day.isoformat(),
            "days_left": self.days_left,
            "cards": self.covered,
            "unseen": self.unseen,
            "new_per_day": self.pace.per_day,
            "new_limit": self.pace.limit,
            "possible": self.pace.possible,
            "reviews_planned": self.reviews_planned,
            "predicted_recall": None if self.recall is None else round(self.recall, 4),
            "model": self.model,
        }


def readiness(
    exams: Sequence[Exam],
    items: Sequence[Item],
    states: Mapping[str, CardState],
    log: Iterable[Mapping[str, Any]],
    scheduler: Scheduler,
    data_dir: Path,
    today: date,
    new_limit: int,
) -> list[Readiness]:
    """Each exam's readiness on `today`, soonest first (past exams left out)."""
    coming = [e for e in exams if e.day > today]
    if not coming:
        return []
    plan = plan_for(coming, items)
    rules = WithExams(base_of(scheduler), plan)

    def good(key: str, state: CardState, day: date) -> CardState:
        return answered(rules, state, 4, day, key)

    model, memory = _memory(log, data_dir)
    found: list[Readiness] = []
    for exam in sorted(coming, key=lambda e: e.day):
        keys = plan.covered[exam.name]
        seen = {k: states[k] for k in keys if k in states and states[k].first is not None}
        unseen = len(keys) - len(seen)
        reviews = planned_reviews(seen, good, today, exam.day)
        recall: float | None = None
        if memory is not None and keys:
            fsrs, fsrs_states = memory
            total = 0.0
            for key in keys:
                state = fsrs_states.get(key)
                chance = None if state is None else fsrs.recall(state, exam.day)
                total += chance or 0.0
            recall = total / len(keys)
        found.append(
            Readiness(
                exam,
                (exam.day - today).days,
                len(keys),
                unseen,
                pace(exam, unseen, today, new_limit),
                reviews,
                recall,
                model,
            )
        )
    return found


def _memory(
    log: Iterable[Mapping[str, Any]], data_dir: Path
) -> tuple[str, tuple[Scheduler, dict[str, CardState]] | None]:
    """FSRS-6 (fitted or default) and every card's state replayed under it."""
    fitted, _ = fsrs_parameters.load(data_dir)
    model = "fitted" if fitted is not None and fitted.reviews >= MIN_FITTED_REVIEWS else "default"
    try:
        from quiz.services.fsrs_scheduler import Fsrs
    except ImportError:
        return model, None
    try:
        fsrs = Fsrs(fitted.parameters) if fitted is not None and model == "fitted" else Fsrs()
    except ValueError:
        model, fsrs = "default", Fsrs()
    return model, (fsrs, replay(log, fsrs))


def readiness_lines(found: Sequence[Readiness], past: Sequence[Exam], today: date) -> list[str]:
    """Each exam's readiness in a few lines of text; then the past exams, one line each."""
    lines: list[str] = []
    for r in found:
        exam = r.exam
        days = "tomorrow" if r.days_left == 1 else f"in {r.days_left} days"
        lines.append(
            f"{exam.name}: {exam.day.isoformat()} ({days}), {r.covered} cards,"
            f" {r.unseen} not yet seen"
        )
        lines.append(f"  {r.line}")
        recall = "-" if r.recall is None else f"{r.recall:.0%}"
        lines.append(
            f"  {r.reviews_planned} reviews planned until then; predicted recall on the day"
            f" {recall} (FSRS-6, {r.model} parameters)"
        )
    for exam in past:
        if exam.day <= today:
            lines.append(f"{exam.name}: {exam.day.isoformat()} (past)")
    return lines


def collection_readiness(
    ctx: Context, store: ProgressStore, scheduler: Scheduler
) -> tuple[list[Readiness], list[Exam], str | None]:
    """The readiness of each coming exam for the context's decks, the exams set, and a line
    saying why none could be read (a damaged exams file)."""
    try:
        exams = load(ctx.data_dir)
    except ExamsError as exc:
        return [], [], str(exc)
    if not exams:
        return [], [], None
    return context_readiness(ctx, store, scheduler, exams), exams, None


def context_readiness(
    ctx: Context, store: ProgressStore, scheduler: Scheduler, chosen: list[Exam]
) -> list[Readiness]:
    """The readiness of each of `chosen` over the context's decks and the store's history."""
    return readiness(
        chosen,
        ctx.items(),
        store.states(),
        store.records(),
        scheduler,
        ctx.data_dir,
        ctx.today,
        ctx.settings.new_per_day,
    )


def daily_lines(ctx: Context, store: ProgressStore) -> list[str]:
    """One short line per coming exam for the deck list: its date, days left and the daily
    figure (cheap: no prediction of recall); a damaged exams file, one line."""
    try:
        exams = [e for e in load(ctx.data_dir) if e.day > ctx.today]
    except ExamsError as exc:
        return [str(exc)]
    if not exams:
        return []
    plan = plan_for(exams, ctx.items())
    states = store.states()
    lines = []
    for exam in exams:
        keys = plan.covered[exam.name]
        unseen = sum(1 for k in keys if k not in states or states[k].first is None)
        figure = pace(exam, unseen, ctx.today, ctx.settings.new_per_day)
        days = (exam.day - ctx.today).days
        lines.append(
            f"{exam.name} {short_date(exam.day)} ({days} day{'' if days == 1 else 's'}):"
            f" {pace_line(exam, figure)}"
        )
    return lines
