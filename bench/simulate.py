"""A simulated student over a year, scheduled by the app's own schedulers.

1,000 cards, 20 new a day, every due card reviewed each day (no daily cap), for 365 days.
Each answer is scheduled by the code the app runs (`quiz.core.schedulers.answered` with the
scheduler's own re-drill rule: `sm2`, `sm2-revised`, and `fsrs` through
`quiz.services.fsrs_scheduler.Fsrs` at each desired retention), never a copy of it. What the
student remembers follows a ground-truth memory model that the schedulers do not see:

- `dsr`: FSRS-6's own memory model with parameters of its own (not the scheduler's: the
  defaults with the growth of stability damped and the forgetting curve flatter), each card a
  difficulty of its own.
- `halflife`: exponential forgetting, p = 2 ^ (-t / h), the half-life h growing after a
  recall by a factor that is larger for easy cards and after a longer gap (the spacing
  effect), and cut to a quarter after a lapse.

A recalled card is graded Hard (3), Good (4) or Easy (5) with chances 15/70/15 %; one not
recalled, Again (1). A same-day re-drill (a card graded below the scheduler's threshold
comes back until it reaches it) costs a review and, in both models, teaches nothing beyond
the answer just seen: it succeeds with chance 0.95.

Figures per run: total reviews (re-drills included), the same-day share, knowledge at day 365
(the expected number of the 1,000 cards recalled that day) and knowledge per 1,000 reviews;
over 10 seeds, the mean and its 95 % interval (Student's t, 9 degrees of freedom).

    python -m bench.simulate [--seeds 10] [--days 365] [--cards 1000]

The exam case (`--exam`): the same student with an exam on all 1,000 cards at day 60, with
and without the exam rules (`quiz.core.exams` through `WithExams`). The student's new-card
limit is 20; without the rules they take 15 new cards a day (a habit, not a plan); with them,
the daily figure (`quiz.core.exams.pace`: the cards not yet seen over the days left until a
week before the exam), at least 15 and at most the limit, and any interval that would pass
the exam is brought into its last week. A third row keeps the habit's 15 a day with the last
week's reviews only, to show each rule's share. Figures at the exam day: cards seen, the recall
predicted by FSRS-6 with its default parameters (replayed from the same answers, whatever
the scheduler) and the ground-truth model's recall, each as a share of the 1,000 cards
(unseen cards count as not recalled), and the reviews done.

    python -m bench.simulate --exam [--seeds 10]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from quiz.core.card_state import NEW_STATE, CardState
from quiz.core.exams import Exam, ExamPlan, pace
from quiz.core.schedulers import SM2, SM2_REVISED, Scheduler, WithExams, answered
from quiz.services.fsrs_scheduler import DEFAULT_PARAMETERS, Fsrs

START = date(2026, 1, 1)
T_975_9 = 2.262
"""Student's t at 97.5 % with 9 degrees of freedom (10 seeds)."""
GRADES = ((3, 0.15), (4, 0.70), (5, 0.15))
FIRST_SIGHT = 0.5
"""The chance a new card is answered right the first time it is seen."""


class Memory:
    """A ground-truth memory of one card: the chance of recall after `days`, and learning."""

    def recall(self, days: int) -> float:
        raise NotImplementedError

    def learn(self, days: int, recalled: bool) -> None:
        raise NotImplementedError


class Dsr(Memory):
    """FSRS-6's model with parameters unlike the scheduler's."""

    W = tuple(
        p * 0.8 if i == 8 else 0.3 if i == 20 else p  # less growth, a flatter curve
        for i, p in enumerate(DEFAULT_PARAMETERS)
    )

    def __init__(self, rng: random.Random) -> None:
        w = self.W
        self.difficulty = min(10.0, max(1.0, rng.gauss(5.0, 2.0)))
        self.stability = 0.0
        self.decay = -w[20]
        self.factor = 0.9 ** (1 / self.decay) - 1

    def recall(self, days: int) -> float:
        if self.stability <= 0:
            return 0.0
        return float((1 + self.factor * days / self.stability) ** self.decay)

    def learn(self, days: int, recalled: bool) -> None:
        w = self.W
        if self.stability <= 0:
            self.stability = w[2] if recalled else w[0]
            return
        r = self.recall(days)
        d, s = self.difficulty, self.stability
        if recalled:
            grow = math.exp(w[8]) * (11 - d) * s ** -w[9] * (math.exp((1 - r) * w[10]) - 1)
            self.stability = s * (1 + grow)
        else:
            self.stability = min(
                s, w[11] * d ** -w[12] * ((s + 1) ** w[13] - 1) * math.exp((1 - r) * w[14])
            )
        self.stability = max(0.01, self.stability)


class HalfLife(Memory):
    """Exponential forgetting with a half-life that grows with spaced recall."""

    def __init__(self, rng: random.Random) -> None:
        self.ease = min(3.5, max(1.3, rng.gauss(2.5, 0.4)))
        self.half_life = 0.0

    def recall(self, days: int) -> float:
        if self.half_life <= 0:
            return 0.0
        return float(2 ** (-days / self.half_life))

    def learn(self, days: int, recalled: bool) -> None:
        if self.half_life <= 0:
            self.half_life = 3.0 if recalled else 1.0
        elif recalled:
            spacing = 1 + (1 - self.recall(days)) * 2
            self.half_life *= 1 + (self.ease - 1) * spacing
        else:
            self.half_life = max(1.0, self.half_life / 4)


MODELS: dict[str, Callable[[random.Random], Memory]] = {"dsr": Dsr, "halflife": HalfLife}


@dataclass(frozen=True, slots=True)
class Run:
    reviews: int
    same_day: int
    known: float

    @property
    def per_1000_reviews(self) -> float:
        return 1000 * self.known / self.reviews if self.reviews else 0.0


def grade(rng: random.Random, recalled: bool) -> int:
    if not recalled:
        return 1
    roll = rng.random()
    for quality, chance in GRADES:
        if roll < chance:
            return quality
        roll -= chance
    return 5


def simulate(
    scheduler: Scheduler, model: str, seed: int, *, cards: int, days: int, new_per_day: int
) -> Run:
    """One student, one year: every answer scheduled by `scheduler`."""
    rng = random.Random(seed)
    memories = [MODELS[model](rng) for _ in range(cards)]
    states: list[CardState] = [NEW_STATE] * cards
    seen: list[date | None] = [None] * cards
    introduced = reviews = same_day = 0
    for offset in range(days):
        today = START + timedelta(days=offset)
        due = [i for i in range(introduced) if (states[i].due or today) <= today]
        fresh = range(introduced, min(cards, introduced + new_per_day))
        introduced = fresh.stop
        for i in (*due, *fresh):
            memory = memories[i]
            last = seen[i]
            gap = (today - last).days if last else 0
            chance = memory.recall(gap) if last else FIRST_SIGHT
            recalled = rng.random() < chance
            quality = grade(rng, recalled)
            memory.learn(gap, recalled)
            seen[i] = today
            states[i] = answered(scheduler, states[i], quality, today)
            reviews += 1
            while quality < scheduler.redrill_below:  # the same-day re-drill
                quality = grade(rng, rng.random() < 0.95)
                reviews += 1
                same_day += 1
    end = START + timedelta(days=days)
    known = 0.0
    for memory, last in zip(memories, seen, strict=True):
        if last is not None:
            known += memory.recall((end - last).days)
    return Run(reviews, same_day, known)


@dataclass(frozen=True, slots=True)
class ExamRun:
    seen: int
    predicted: float
    simulated: float
    reviews: int


EXAM_DAY = 60
EXAM_LIMIT = 20
EXAM_HABIT = 15
VARIANTS = ((False, False, "no"), (True, False, "last week only"), (True, True, "yes"))
"""Without the rules; with the last week's reviews but new cards at the habit's pace; with
both rules."""


def simulate_exam(
    scheduler: Scheduler,
    model: str,
    seed: int,
    *,
    rules: bool,
    paced: bool = True,
    cards: int = 1000,
) -> ExamRun:
    """One student revising for an exam at day 60 on every card, with or without the rules."""
    rng = random.Random(seed)
    memories = [MODELS[model](rng) for _ in range(cards)]
    keys = [f"d/c{i}" for i in range(cards)]
    exam = Exam("exam", START + timedelta(days=EXAM_DAY), ("d",))
    plan = ExamPlan((exam,), {exam.name: frozenset(keys)})
    chosen: Scheduler = WithExams(scheduler, plan) if rules else scheduler
    memory_model = Fsrs()
    states: list[CardState] = [NEW_STATE] * cards
    predicted_states: list[CardState] = [NEW_STATE] * cards
    seen: list[date | None] = [None] * cards
    introduced = reviews = 0
    for offset in range(EXAM_DAY):
        today = START + timedelta(days=offset)
        due = [i for i in range(introduced) if (states[i].due or today) <= today]
        count = EXAM_HABIT
        if rules and paced:
            needed = pace(exam, cards - introduced, today, EXAM_LIMIT).per_day
            count = min(EXAM_LIMIT, max(EXAM_HABIT, needed))
        fresh = range(introduced, min(cards, introduced + count))
        introduced = fresh.stop
        for i in (*due, *fresh):
            memory = memories[i]
            last = seen[i]
            gap = (today - last).days if last else 0
            recalled = rng.random() < (memory.recall(gap) if last else FIRST_SIGHT)
            quality = grade(rng, recalled)
            memory.learn(gap, recalled)
            seen[i] = today
            states[i] = answered(chosen, states[i], quality, today, keys[i])
            predicted_states[i] = answered(memory_model, predicted_states[i], quality, today)
            reviews += 1
            while quality < scheduler.redrill_below:
                quality = grade(rng, rng.random() < 0.95)
                reviews += 1
    predicted = simulated = 0.0
    for memory, state, last in zip(memories, predicted_states, seen, strict=True):
        if last is not None:
            simulated += memory.recall((exam.day - last).days)
            predicted += memory_model.recall(state, exam.day) or 0.0
    return ExamRun(introduced, predicted / cards, simulated / cards, reviews)


def exam_table(seeds: int) -> None:
    print(
        f"1,000 cards, an exam on all of them at day {EXAM_DAY}, new-card limit {EXAM_LIMIT}"
        f" (without the rules: {EXAM_HABIT} a day), {seeds} seeds; mean ± 95 % interval\n"
    )
    print(
        "| model | scheduler | exam rules | seen by the exam | predicted recall on the day"
        " | simulated recall on the day | reviews |"
    )
    print("|---|---|---|---|---|---|---|")
    for model in MODELS:
        for label, scheduler in (("sm2", SM2), ("sm2-revised", SM2_REVISED), ("fsrs", Fsrs())):
            for rules, paced, name in VARIANTS:
                runs = [
                    simulate_exam(scheduler, model, seed, rules=rules, paced=paced)
                    for seed in range(seeds)
                ]
                print(
                    f"| {model} | {label} | {name}"
                    f" | {interval([r.seen for r in runs])}"
                    f" | {interval([100 * r.predicted for r in runs])} %"
                    f" | {interval([100 * r.simulated for r in runs])} %"
                    f" | {interval([r.reviews for r in runs])} |",
                    flush=True,
                )


def interval(values: Sequence[float]) -> str:
    mean = statistics.fmean(values)
    half = T_975_9 * statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0
    return f"{mean:,.1f} ± {half:,.1f}"


def schedulers() -> list[tuple[str, Scheduler]]:
    return [
        ("sm2", SM2),
        ("sm2-revised", SM2_REVISED),
        *((f"fsrs {r:.2f}", Fsrs(desired_retention=r)) for r in (0.85, 0.90, 0.95)),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--new-per-day", type=int, default=20)
    parser.add_argument("--exam", action="store_true", help="the exam case instead")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.exam:
        exam_table(args.seeds)
        print(f"\n({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        return 0
    print(
        f"{args.cards} cards, {args.new_per_day} new a day, {args.days} days, {args.seeds} seeds;"
        " mean ± 95 % interval\n"
    )
    print(
        "| model | scheduler | reviews | same-day share | known at day"
        f" {args.days} | known per 1,000 reviews |"
    )
    print("|---|---|---|---|---|---|")
    for model in MODELS:
        for label, scheduler in schedulers():
            runs = [
                simulate(
                    scheduler,
                    model,
                    seed,
                    cards=args.cards,
                    days=args.days,
                    new_per_day=args.new_per_day,
                )
                for seed in range(args.seeds)
            ]
            print(
                f"| {model} | {label} | {interval([r.reviews for r in runs])}"
                f" | {interval([100 * r.same_day / r.reviews for r in runs])} %"
                f" | {interval([r.known for r in runs])}"
                f" | {interval([r.per_1000_reviews for r in runs])} |",
                flush=True,
            )
    print(f"\n({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
