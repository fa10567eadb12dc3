"""Classical item analysis of scenario questions, from the students' exported answers.

Pure: the caller reads the results files and the deck, and hands in, per question, what it
keys, and per student, a fraction and the options answered for each question answered.

The figures, per question:

- n: students who answered it.
- facility: the mean score fraction (points / maximum).
- discrimination: the corrected item-total correlation, Pearson's r between the question's
  fraction and the student's rest score. The rest score is the mean fraction over the OTHER
  questions analysed that the student answered; a student who answered no other question has
  none and is left out of the correlation (and of the thirds). None when fewer than three
  students have both, or when either side does not vary.
- thirds: students with a rest score, ordered by it; the bottom third is the lowest n // 3,
  the top third the highest n // 3 (none when fewer than three).
- choice: the share of students choosing each option, overall and in the top and bottom thirds.
- rank: the mean place (1 = first) given to each option, against its ideal place.
- flags: too easy (facility > 0.9), too hard (< 0.3), weak (0 <= discrimination < 0.2) or
  negative discrimination (< 0), and, for a choice, a distractor the top third chooses at
  least as often as a keyed option.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

TOO_EASY = 0.9
TOO_HARD = 0.3
WEAK = 0.2


@dataclass(frozen=True, slots=True)
class Question:
    """A scenario question as the deck keys it now.

    `options` are the option names in file order (a rank's file order is its ideal order);
    `keyed` the names of a choice's correct options (empty for a rank)."""

    card: str
    type: str
    options: tuple[str, ...]
    keyed: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Answer:
    """One student's answer to one question: the options answered (a rank: in the order
    placed; a choice: those picked) and the score."""

    options: tuple[str, ...]
    points: int
    maximum: int

    @property
    def fraction(self) -> float:
        return self.points / self.maximum if self.maximum else 0.0


@dataclass(frozen=True, slots=True)
class OptionFigures:
    """One option: a choice's shares (0..1), or a rank's mean place and ideal place."""

    name: str
    keyed: bool = False
    share: float | None = None
    top: float | None = None
    bottom: float | None = None
    mean_place: float | None = None
    ideal_place: int | None = None


@dataclass(frozen=True, slots=True)
class ItemFigures:
    card: str
    type: str
    n: int
    facility: float
    discrimination: float | None
    paired: int
    """Students in the correlation (those with a rest score)."""
    thirds: int
    """Students in each of the top and bottom thirds."""
    options: tuple[OptionFigures, ...]
    flags: tuple[str, ...] = field(default=())

    @property
    def severity(self) -> int:
        """How bad: negative discrimination counts double."""
        return len(self.flags) + sum(1 for f in self.flags if f.startswith("negative"))


def rest_scores(
    answers: Sequence[Mapping[str, Answer]], card: str
) -> list[tuple[float, float] | None]:
    """Per student: (fraction on `card`, mean fraction over the other questions answered), or
    None when the student did not answer `card` or answered nothing else."""
    out: list[tuple[float, float] | None] = []
    for student in answers:
        mine = student.get(card)
        others = [a.fraction for c, a in student.items() if c != card]
        out.append((mine.fraction, statistics.fmean(others)) if mine and others else None)
    return out


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r, or None for fewer than three pairs or a side that does not vary."""
    if len(xs) < 3 or len(set(xs)) < 2 or len(set(ys)) < 2:
        return None
    return statistics.correlation(xs, ys)


def thirds(answers: Sequence[Mapping[str, Answer]], card: str) -> tuple[list[int], list[int]]:
    """Indexes of the students in the bottom and top thirds by rest score on `card`
    (ties keep the students' order)."""
    pairs = rest_scores(answers, card)
    ranked = sorted((p[1], i) for i, p in enumerate(pairs) if p is not None)
    size = len(ranked) // 3
    if size == 0:
        return [], []
    return [i for _, i in ranked[:size]], [i for _, i in ranked[-size:]]


def _share(group: Sequence[Answer], name: str) -> float | None:
    return sum(1 for a in group if name in a.options) / len(group) if group else None


def analyse_item(question: Question, answers: Sequence[Mapping[str, Answer]]) -> ItemFigures:
    """The figures of one question; `answers` holds each student's answers by card id (only
    to the questions analysed together: the current versions of one deck's questions)."""
    card = question.card
    mine = [s[card] for s in answers if card in s]
    facility = statistics.fmean(a.fraction for a in mine) if mine else 0.0
    pairs = [p for p in rest_scores(answers, card) if p is not None]
    r = correlation([p[0] for p in pairs], [p[1] for p in pairs])
    bottom_i, top_i = thirds(answers, card)
    bottom = [answers[i][card] for i in bottom_i]
    top = [answers[i][card] for i in top_i]
    options: list[OptionFigures] = []
    for place, name in enumerate(question.options, start=1):
        if question.type == "rank":
            places = [a.options.index(name) + 1 for a in mine if name in a.options]
            mean = statistics.fmean(places) if places else None
            options.append(OptionFigures(name, mean_place=mean, ideal_place=place))
        else:
            options.append(
                OptionFigures(
                    name,
                    name in question.keyed,
                    _share(mine, name),
                    _share(top, name),
                    _share(bottom, name),
                )
            )
    flags: list[str] = []
    if mine and facility > TOO_EASY:
        flags.append("too easy")
    if mine and facility < TOO_HARD:
        flags.append("too hard")
    if r is not None and r < 0:
        flags.append("negative discrimination")
    elif r is not None and r < WEAK:
        flags.append("weak discrimination")
    if question.type == "choice" and top:
        keyed_top = [o.top or 0.0 for o in options if o.keyed]
        least_keyed = min(keyed_top) if keyed_top else 0.0
        for o in options:
            if not o.keyed and (o.top or 0.0) > 0 and (o.top or 0.0) >= least_keyed:
                flags.append(
                    f"distractor {o.name} chosen by the top third at least as often as a key"
                )
    return ItemFigures(
        card, question.type, len(mine), facility, r, len(pairs), len(top), tuple(options),
        tuple(flags),
    )  # fmt: skip


def analyse(
    questions: Sequence[Question], answers: Sequence[Mapping[str, Answer]]
) -> list[ItemFigures]:
    """Every question's figures, worst first: most flags (negative discrimination counts
    double), then lowest discrimination (none last), then deck order."""
    known = {q.card for q in questions}
    kept = [{c: a for c, a in s.items() if c in known} for s in answers]
    figures = [analyse_item(q, kept) for q in questions]
    order = {q.card: i for i, q in enumerate(questions)}
    return sorted(
        figures,
        key=lambda f: (
            -f.severity,
            f.discrimination if f.discrimination is not None else 2.0,
            order[f.card],
        ),
    )


@dataclass(frozen=True, slots=True)
class OlderVersion:
    """Answers to a version of a question the deck no longer has: counted apart, never mixed."""

    card: str
    digest: str
    n: int
    facility: float


def older_version(card: str, digest: str, answers: Sequence[Answer]) -> OlderVersion:
    facility = statistics.fmean(a.fraction for a in answers) if answers else 0.0
    return OlderVersion(card, digest, len(answers), facility)
