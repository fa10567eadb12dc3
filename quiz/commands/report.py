"""`quiz report -o FILE.md`: a dated Markdown summary of a student's progress, to attach to a
portfolio or send to a supervisor.

It holds the student's own figures only: deck titles and tag names, counts, rates and dates;
no card text, no answers given, nothing about anyone else.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from quiz import __version__
from quiz.core.competencies import FRAMEWORKS
from quiz.core.stats import CompetencyFigures, Rate, Stats
from quiz.core.text import markdown_text
from quiz.services.exams import collection_readiness, readiness_lines
from quiz.services.stats import duration, load, percent
from quiz.storage.user_files import write_atomic

if TYPE_CHECKING:
    from quiz.core.progress import ProgressStore
    from quiz.core.schedulers import Scheduler
    from quiz.services.context import Context

WEEKS = 12
md = markdown_text
"""Text from a file as literal Markdown, on one line (quiz.core.text, the one sanitiser)."""


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(head: tuple[str, ...], rows: list[tuple[object, ...]], right: int = 1) -> list[str]:
    """A Markdown table; the columns from `right` on are numbers, aligned right."""
    rule = tuple("---" if i < right else "--:" for i in range(len(head)))
    return [_row(*head), _row(*rule), *(_row(*row) for row in rows)]


def _rate_row(name: str, rate: Rate) -> tuple[object, ...]:
    return (name, rate.total, rate.correct, percent(rate))


def _competency_row(
    c: CompetencyFigures, *, bold: bool = False, indent: bool = False
) -> tuple[object, ...]:
    name = md(c.competency.name)
    name = f"**{name}**" if bold else f"&nbsp;&nbsp;{name}" if indent else name
    t = c.figures
    return (name, t.items, t.answers, t.correct, percent(t.accuracy))


def render(stats: Stats, titles: dict[str, str]) -> str:
    """The report for `stats`; `titles` gives each deck's title by id."""
    today = stats.today
    s = stats.streak
    upcoming = list(stats.forecast.values())
    reviews_30, ms_30 = stats.window(30)
    reviews_90, ms_90 = stats.window(90)
    lines = [
        f"# Revision progress, {today.isoformat()}",
        "",
        f"A summary of my own spaced-repetition revision in quiz {__version__}, as of the study "
        f"day {today.isoformat()}. It contains progress figures only: no card text and no "
        "answers.",
        "",
        "## Summary",
        "",
        f"- Study days: {s.last_year} in the last year ({s.study_days} in all); current streak "
        f"{s.current} days, longest {s.longest}.",
        f"- Reviews: {stats.reviews_on(today)} today, {reviews_30} in the last 30 days, "
        f"{reviews_90} in the last 90 days.",
        f"- Time spent: {duration(ms_30)} in the last 30 days, {duration(ms_90)} in the last "
        "90 days.",
        f"- Due: {upcoming[0]} today, {upcoming[1]} tomorrow, {sum(upcoming)} in the next "
        f"{len(upcoming)} days.",
        "",
        f"## Retention (last {stats.retention.days} days)",
        "",
        "Share of reviews graded 3 or more (SM-2: recalled), by how well the card was known "
        "(young: interval under 21 days; mature: 21 days or more).",
        "",
        *_table(
            ("cards", "reviews", "recalled", "retention"),
            [
                _rate_row("young", stats.retention.young),
                _rate_row("mature", stats.retention.mature),
                _rate_row("all", stats.retention.all),
            ],
        ),
        "",
        "## Decks",
        "",
        *_table(
            ("deck", "cards", "new", "learning", "young", "mature", "suspended", "due today"),
            [
                (
                    md(titles.get(deck_id, deck_id)),
                    c.total,
                    c.new,
                    c.learning,
                    c.young,
                    c.mature,
                    c.suspended,
                    c.due,
                )
                for deck_id, c in stats.decks.items()
            ],
        ),
        "",
        "## Competencies (weakest first)",
        "",
        "Accuracy per competency: the share of scheduled answers graded 3 or more, all time. "
        "Each framework is weakest first; an MLCF domain counts the cards of its elements too.",
    ]
    competencies = stats.competencies
    for framework, figures in competencies.frameworks.items():
        lines += ["", f"### {FRAMEWORKS[framework][0]}", ""]
        laid_out: list[tuple[object, ...]] = []
        for c in figures:
            laid_out.append(_competency_row(c, bold=bool(c.parts)))
            laid_out += [_competency_row(part, indent=True) for part in c.parts]
        lines += _table(("competency", "cards", "answers", "correct", "accuracy"), laid_out)
    if not competencies.frameworks:
        lines += ["", "No card of these decks is tagged with a competency."]
    lines += ["", "### Other topics", ""]
    answered = [t for t in competencies.other if t.answers]
    if answered:
        lines += _table(
            ("tag", "cards", "answers", "correct", "accuracy"),
            [(md(t.tag), t.items, t.answers, t.correct, percent(t.accuracy)) for t in answered],
        )
    else:
        lines.append("No other tagged card answered yet.")
    unanswered = [md(t.tag) for t in competencies.other if not t.answers]
    if unanswered:
        lines += ["", "Not yet answered: " + ", ".join(unanswered) + "."]
    lines += ["", "## Scenario questions", ""]
    scenarios = [(d, sc) for d, sc in stats.scenarios.items() if sc.items]
    if scenarios:
        lines += _table(
            (
                "deck",
                "questions",
                "answered",
                "answers",
                "graded 3+",
                "mean grade (0-5)",
                "unsafe chosen",
            ),
            [
                (
                    md(titles.get(deck_id, deck_id)),
                    sc.items,
                    sc.answered,
                    sc.answers,
                    percent(sc.accuracy),
                    "-" if sc.mean_quality is None else f"{sc.mean_quality:.1f}",
                    f"{sc.unsafe} ({percent(sc.unsafe_share)})" if sc.unsafe else "0",
                )
                for deck_id, sc in scenarios
            ],
        )
    else:
        lines.append("No scenario questions in these decks.")
    lines += ["", f"## Study days (last {WEEKS} weeks)", ""]
    monday = today - timedelta(days=today.weekday())
    rows: list[tuple[object, ...]] = []
    for week in range(WEEKS - 1, -1, -1):
        start = monday - timedelta(weeks=week)
        days = [stats.history.get(start + timedelta(days=i)) for i in range(7)]
        studied = [t for t in days if t is not None and t.answers]
        rows.append(
            (
                start.isoformat(),
                len(studied),
                sum(t.answers for t in studied),
                duration(sum(t.ms for t in studied)),
            )
        )
    lines += _table(("week from", "days studied", "reviews", "time"), rows)
    return "\n".join(lines) + "\n"


def run(
    ctx: Context,
    store: ProgressStore,
    output: str,
    out: TextIO,
    scheduler: Scheduler | None = None,
) -> int:
    """Write the report to `output` ("-": standard output).

    Raises:
        OSError: it is a folder.
        AuthoringError: the file could not be written (the command line reports it in one line).
    """
    stats = load(ctx, store)
    report = render(stats, {deck.id: deck.title for deck in ctx.decks})
    if scheduler is not None:
        ready, exams, _ = collection_readiness(ctx, store, scheduler)
        if exams:
            lines = readiness_lines(ready, exams, ctx.today)
            report += (
                "\n## Exams\n\n"
                + "\n".join(
                    f"- {markdown_text(line)}"
                    if not line.startswith("  ")
                    else f"  - {markdown_text(line.strip())}"
                    for line in lines
                )
                + "\n"
            )
    if output == "-":
        out.write(report)
        return 0
    path = Path(output)
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder; give a file name, e.g. progress.md", output)
    write_atomic(path, report)
    out.write(f"wrote {output}\n")
    return 0
