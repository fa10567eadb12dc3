"""The statistics screen: counts, forecast, history, retention, streak and competencies.

Self-contained: push `StatsScreen(ctx, store, deck_id)` from anywhere. It dismisses with the
tag the student chose to study (the weakest by default), or None; the caller starts that
session. The figures are read in a worker thread, so the screen opens at once even when the
log must be read in full (see quiz.storage.stats_cache).
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from quiz.core.competencies import HLM, MLCF, label
from quiz.core.progress import ProgressStore
from quiz.core.schedulers import SM2
from quiz.core.stats import Competencies, Stats, TagFigures
from quiz.services.exams import collection_readiness, readiness_lines
from quiz.services.stats import duration, load, percent, plain, rate_text
from quiz.ui.widgets.charts import BarChart, CalendarHeatmap

if TYPE_CHECKING:
    from quiz.services.context import Context

TABS = ("overview", "forecast", "history", "calendar", "competencies")
BAR_CELLS = 10
TITLE_WIDTH = 24
"""Deck titles are cut to this in the counts table, so that it fits 80 columns."""
COUNT_WIDTH = 5
"""Digits a count column holds whatever its heading: up to 99,999 cards."""
TAG_WIDTH = 34
NO_REVIEWS = "no reviews yet"
HEADINGS = {MLCF: "MLCF domains and elements", HLM: "HLM dimensions"}
HEADING = "heading "
"""Row keys of framework headings start with it: a tag holds no space, so none is taken for
a heading, and a heading is never studied."""


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def accuracy_bar(accuracy: float | None) -> str:
    """Accuracy as ten cells, filled ones "█" and empty ones "·", so that it reads without
    colour."""
    if accuracy is None:
        return "·" * BAR_CELLS
    filled = int(round(accuracy * 100) * BAR_CELLS / 100 + 0.5)  # as the percentage shown
    return "█" * filled + "·" * (BAR_CELLS - filled)


def n_days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def day_label(today: date) -> str:
    return f"{today:%a} {today.day} {today:%b %Y}"


class StatsScreen(Screen[str | None]):
    """Statistics of every deck (deck_id None) or of one deck."""

    DEFAULT_CSS = """
    #stats-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    StatsScreen TabbedContent {
        height: 1fr;
    }
    StatsScreen TabPane {
        padding: 0 1;
    }
    #counts {
        height: auto;
        max-height: 9;
    }
    #overview-text {
        height: auto;
        margin-top: 1;
    }
    .caption {
        height: auto;
    }
    #forecast-chart {
        height: 1fr;
        min-height: 6;
        max-height: 16;
    }
    StatsScreen BarChart.history {
        height: 9;
    }
    #heatmap {
        margin-top: 1;
    }
    #tag-table {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("w", "study_weakest", "Study weakest tag"),
        *(
            Binding(str(n), f"show_tab('{tab}')", tab.title(), show=False)
            for n, tab in enumerate(TABS, 1)
        ),
    ]

    def __init__(self, ctx: Context, store: ProgressStore, deck_id: str | None = None) -> None:
        super().__init__(id="stats")
        self.ctx = ctx
        self.store = store
        self.deck_id = deck_id
        self.stats: Stats | None = None
        self.exam_lines: list[str] = []
        """Each coming exam's readiness (the whole collection's figures only)."""
        self._opened = {"overview"}
        """The tabs shown so far."""
        self._made = {"overview"}
        """The tabs whose widgets are mounted (and so filled with the figures)."""

    @property
    def scope(self) -> str:
        deck = self.ctx.deck(self.deck_id) if self.deck_id else None
        return plain(deck.title) if deck else "all decks"

    def compose(self) -> ComposeResult:
        yield Static(
            Content(f"Statistics · {self.scope} · {day_label(self.ctx.today)}"), id="stats-title"
        )
        with TabbedContent(initial="overview"):
            with TabPane("1 Overview", id="overview"):
                yield DataTable[Text](id="counts", cursor_type="none", zebra_stripes=True)
                yield Static(Content("Reading your history..."), id="overview-text")
            # The other tabs are filled in when first shown (`_open`): at 50,000 cards the
            # screen's own making was a third of its time to open.
            yield TabPane("2 Forecast", id="forecast")
            yield TabPane("3 History", id="history")
            yield TabPane("4 Calendar", id="calendar")
            yield TabPane("5 Competencies", id="competencies")
        yield Footer()

    def _tab_widgets(self, tab: str) -> list[Widget]:
        """What a tab other than the overview holds, made when it is first shown."""
        if tab == "forecast":
            return [
                Static(id="forecast-caption", classes="caption"),
                BarChart(id="forecast-chart", label=self._forecast_label),
            ]
        if tab == "history":
            return [
                BarChart(id="history-30", classes="history"),
                BarChart(id="history-90", classes="history"),
                Static(id="time", classes="caption"),
            ]
        if tab == "calendar":
            return [
                Static(id="streak", classes="caption"),
                CalendarHeatmap(self.ctx.today, id="heatmap"),
            ]
        tags = DataTable[Text](id="tag-table", cursor_type="row", zebra_stripes=True)
        tags.add_column("Competency or tag", key="tag", width=TAG_WIDTH)
        for name in ("Cards", "Answers", "Accuracy"):
            tags.add_column(Text(name, justify="right"), key=name.lower(), width=len(name))
        tags.add_column("", key="bar", width=BAR_CELLS)
        return [Vertical(Static(id="tag-caption", classes="caption"), tags)]

    def on_mount(self) -> None:
        counts = self.query_one("#counts", DataTable)
        # Fixed widths: the tables fit 80 columns whatever the deck titles and tag names.
        counts.add_column("Deck", key="deck", width=TITLE_WIDTH)
        for name in ("New", "Learning", "Young", "Mature", "Suspended", "Due"):
            # At least COUNT_WIDTH: 41,966 new cards of an imported collection showed as "419".
            width = max(len(name), COUNT_WIDTH)
            counts.add_column(Text(name, justify="right"), key=name.lower(), width=width)
        self.load_figures()

    async def _open(self, tab: str) -> None:
        """Make a tab's widgets the first time it is shown, and fill them if the figures
        are read."""
        if tab in self._opened:
            return
        self._opened.add(tab)
        await self.query_one(f"#{tab}", TabPane).mount_all(self._tab_widgets(tab))
        self._made.add(tab)
        if self.stats is not None:
            self._fill(tab, self.stats)

    @work(exclusive=True, group="stats")
    async def load_figures(self) -> None:
        # `asyncio.to_thread`, not a thread worker: Textual's thread worker leaves itself (and
        # so this screen) in its pool thread's context, alive after the screen is closed.
        scheduler = getattr(self.app, "scheduler", SM2)
        stats = await asyncio.to_thread(load, self.ctx, self.store, self.deck_id, scheduler)
        if self.deck_id is None:
            ready, exams, _ = await asyncio.to_thread(
                collection_readiness, self.ctx, self.store, scheduler
            )
            self.exam_lines = readiness_lines(ready, exams, self.ctx.today)
        self.show_figures(stats)

    def show_figures(self, stats: Stats) -> None:
        """Fill the tabs made so far with `stats` (the others are filled when shown)."""
        if not self.is_attached:  # closed before the figures were ready
            return
        self.stats = stats
        for tab in TABS:
            if tab in self._made:
                self._fill(tab, stats)

    def _fill(self, tab: str, stats: Stats) -> None:
        if tab == "overview":
            self._overview(stats)
        elif tab == "forecast":
            self._forecast(stats)
        elif tab == "history":
            self._history(stats)
        elif tab == "calendar":
            self._calendar(stats)
        else:
            self._competencies(stats.competencies)

    def _forecast(self, stats: Stats) -> None:
        upcoming = list(stats.forecast.values())
        self.query_one("#forecast-caption", Static).update(
            Content(
                f"Due {upcoming[0]} today (overdue included) · {upcoming[1]} tomorrow · "
                f"{sum(upcoming[:7])} in 7 days · {sum(upcoming)} in {len(upcoming)} days"
            )
        )
        self.query_one("#forecast-chart", BarChart).show(
            list(stats.forecast.items()),
            f"Reviews due per day, next {len(upcoming)} days",
            stats.today,
        )

    def _history(self, stats: Stats) -> None:
        today = stats.today
        for days in (30, 90):
            answers, _ = stats.window(days)
            self.query_one(f"#history-{days}", BarChart).show(
                stats.daily(days), f"Answers per day, last {days} days: {answers} in all", today
            )
        ms_today = stats.history[today].ms if today in stats.history else 0
        self.query_one("#time", Static).update(
            Content(
                f"Time spent: {duration(ms_today)} today · {duration(stats.window(30)[1])} in 30 "
                f"days · {duration(stats.window(90)[1])} in 90 days"
            )
        )

    def _calendar(self, stats: Stats) -> None:
        s = stats.streak
        self.query_one("#streak", Static).update(
            Content(
                f"Streak: {n_days(s.current)} (longest {n_days(s.longest)}). Studied on "
                f"{n_days(s.last_year)} in the last year."
            )
        )
        self.query_one("#heatmap", CalendarHeatmap).show(
            stats.today, {day: t.answers for day, t in stats.history.items()}
        )

    def _overview(self, stats: Stats) -> None:
        table = self.query_one("#counts", DataTable)
        table.clear()
        rows = [(self.ctx.deck(d), d, c) for d, c in stats.decks.items()]
        for deck, deck_id, c in rows:
            title = shorten(plain(deck.title if deck else deck_id), TITLE_WIDTH)
            table.add_row(Text(title), *self._count_cells(c.as_dict()), key=deck_id)
        if len(rows) > 1:
            table.add_row(
                Text("All decks", style="bold"), *self._count_cells(stats.total.as_dict())
            )
        r = stats.retention
        s = stats.streak
        weakest = stats.weakest
        upcoming = list(stats.forecast.values())
        answers_30, ms_30 = stats.window(30)
        answers_90, ms_90 = stats.window(90)
        today = stats.history.get(stats.today)
        lines = [
            f"Scheduled by {stats.scheduler}"
            + (f" · predicted recall today {percent(stats.recall[''])}" if stats.recall else ""),
            f"Due today {upcoming[0]} · tomorrow {upcoming[1]} · next 30 days {sum(upcoming)}",
            f"Answers today {today.answers if today else 0} · last 30 days {answers_30} · "
            f"last 90 days {answers_90}",
            f"Time today {duration(today.ms if today else 0)} · last 30 days {duration(ms_30)} · "
            f"last 90 days {duration(ms_90)}",
            f"Retention, last {r.days} days: young {rate_text(r.young, NO_REVIEWS)} · "
            f"mature {rate_text(r.mature, NO_REVIEWS)}",
            f"Streak {n_days(s.current)} · longest {n_days(s.longest)} · "
            f"{n_days(s.last_year)} studied in the last year",
            (
                f"Weakest: {label(weakest.tag) or plain(weakest.tag)}, "
                f"{percent(weakest.accuracy)} right "
                f"({weakest.correct} of {weakest.answers}). Press w to study it."
                if weakest
                else "Weakest: no tagged card answered yet."
            ),
        ]
        capped = sum(sc.unsafe for sc in stats.scenarios.values())
        if capped:  # said only when it happened: most students never see the line
            answers = sum(sc.answers for sc in stats.scenarios.values())
            lines.append(
                f"Unsafe options chosen in {capped} of {answers} scenario answers "
                f"({percent(capped / answers)}): each graded Again."
            )
        lines += self.exam_lines
        self.query_one("#overview-text", Static).update(Content("\n".join(lines)))

    @staticmethod
    def _count_cells(row: dict[str, int]) -> list[Text]:
        names = ("new", "learning", "young", "mature", "suspended", "due")
        return [Text(str(row[name]), justify="right") for name in names]

    def _competencies(self, competencies: Competencies) -> None:
        """The frameworks as they lay themselves out (MLCF domains with their elements, HLM
        dimensions), weakest first within each, then the other tags."""
        table = self.query_one("#tag-table", DataTable)
        table.clear()
        for framework, figures in competencies.frameworks.items():
            self._heading(table, framework, HEADINGS[framework])
            for c in figures:
                self._tag_row(table, c.figures, c.competency.name, bold=bool(c.parts))
                for part in c.parts:
                    self._tag_row(table, part.figures, f"  {part.competency.name}")
        if competencies.other:
            if competencies.frameworks:
                self._heading(table, "other", "Other topics")
            for t in competencies.other:
                self._tag_row(table, t, plain(t.tag))
        caption = (
            "Weakest first, all time. w: study the weakest · Enter: study it"
            if competencies.frameworks or competencies.other
            else "No tagged cards in these decks."
        )
        self.query_one("#tag-caption", Static).update(Content(caption))

    @staticmethod
    def _heading(table: DataTable[Text], key: str, title: str) -> None:
        blank = Text("")
        table.add_row(
            Text(shorten(title, TAG_WIDTH), style="bold underline"), blank, blank, blank, blank,
            key=f"{HEADING}{key}",
        )  # fmt: skip

    @staticmethod
    def _tag_row(table: DataTable[Text], t: TagFigures, name: str, *, bold: bool = False) -> None:
        table.add_row(
            Text(shorten(name, TAG_WIDTH), style="bold" if bold else ""),
            Text(str(t.items), justify="right"),
            Text(str(t.answers), justify="right"),
            Text(percent(t.accuracy), justify="right"),
            Text(accuracy_bar(t.accuracy)),
            key=t.tag,
        )

    def _forecast_label(self, day: date) -> str:
        if day == self.ctx.today:
            return "today"
        if day == self.ctx.today + timedelta(days=1):
            return "tomorrow"
        return f"{day.day} {day:%b}"

    # --- actions ---

    def action_close(self) -> None:
        self.dismiss(None)

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    async def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id is not None:
            await self._open(event.pane.id)
        if event.pane.id == "competencies":
            self.query_one("#tag-table", DataTable).focus()

    def action_study_weakest(self) -> None:
        weakest = self.stats.weakest if self.stats else None
        if weakest is None:
            self.notify("No tag answered yet: study some tagged cards first.", markup=False)
            return
        self.dismiss(weakest.tag)

    @on(DataTable.RowSelected, "#tag-table")
    def _tag_chosen(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is not None and not key.startswith(HEADING):
            self.dismiss(key)
