"""Charts drawn with block characters: a bar chart of counts per day, and a calendar heatmap.

Hand-drawn rather than plotted: eighth-blocks give each terminal cell eight steps of height,
so a 30-day chart is legible in 5 rows at 80x24 with a labelled axis, with no plotting
dependency; and the heatmap marks each day by the shape of its glyph, not by colour alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from math import ceil
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

EIGHTHS = " ▁▂▃▄▅▆▇█"
SHADES = "░▒▓█"
"""Heatmap glyphs for the four levels of activity (a day without any is "·")."""
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def short_date(day: date) -> str:
    return f"{day.day} {day:%b}"


def bucketed(values: Sequence[tuple[date, int]], size: int) -> list[tuple[date, int]]:
    """Sum consecutive groups of `size` values (the last group may be short); each group is
    dated by its first day."""
    return [
        (values[i][0], sum(v for _, v in values[i : i + size])) for i in range(0, len(values), size)
    ]


def bar_rows(value: int, top: int, rows: int) -> list[str]:
    """One bar, top row first: `rows` characters of eighth-blocks; a non-zero value shows at
    least one eighth."""
    eighths = 0 if top <= 0 else round(value / top * rows * 8)
    if value > 0:
        eighths = max(1, eighths)
    return [EIGHTHS[max(0, min(8, eighths - (rows - 1 - r) * 8))] for r in range(rows)]


class BarChart(Widget):
    """Counts per day as vertical bars over a labelled axis, under a one-line title.

    Bars are one cell wide with a gap between them when they fit; otherwise without gaps; and
    when even that does not fit, consecutive days are summed into one bar, which the title
    then says. Dates are written under ticks (┬) on the axis.
    """

    DEFAULT_CSS = """
    BarChart { height: 9; }
    BarChart > .bar-chart--bar { color: $primary; }
    BarChart > .bar-chart--highlight { color: $accent; }
    BarChart > .bar-chart--axis { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "bar-chart--bar",
        "bar-chart--highlight",
        "bar-chart--axis",
    }

    def __init__(
        self,
        values: Sequence[tuple[date, int]] = (),
        *,
        title: str = "",
        highlight: date | None = None,
        label: Callable[[date], str] = short_date,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.values = list(values)
        self.title = title
        self.highlight = highlight
        self.label = label

    def show(
        self, values: Sequence[tuple[date, int]], title: str, highlight: date | None = None
    ) -> None:
        self.values = list(values)
        self.title = title
        self.highlight = highlight
        self.refresh()

    def layout_for(self, width: int) -> tuple[int, int]:
        """(days per bar, columns per bar) for bars in `width` columns."""
        n = len(self.values)
        if n == 0 or 2 * n <= width:
            return 1, 2
        if n <= width:
            return 1, 1
        return ceil(n / max(1, width)), 1

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        bar_style = self.get_component_rich_style("bar-chart--bar")
        high_style = self.get_component_rich_style("bar-chart--highlight")
        axis_style = self.get_component_rich_style("bar-chart--axis")
        rows = max(1, height - 3)
        top = max((v for _, v in self.values), default=0)
        per_bar, step = self.layout_for(max(1, width - len(str(top)) - 2 - 6))
        bars = bucketed(self.values, per_bar)
        top = max((v for _, v in bars), default=0)
        pad = len(str(top))
        labels = {0: str(top)} if top else {}
        if rows >= 4 and top >= 2 * rows:
            middle = rows // 2
            labels[middle] = str(round(top * (rows - middle) / rows))
        columns = [bar_rows(v, top, rows) for _, v in bars]
        highlighted = [
            self.highlight is not None and day <= self.highlight < day + timedelta(days=per_bar)
            for day, _ in bars
        ]
        text = Text(no_wrap=True, overflow="crop")
        each = f" (each bar: {per_bar} days)" if per_bar > 1 else ""
        text.append(f"{self.title}{each}\n")
        for r in range(rows):
            text.append(f"{labels.get(r, ''):>{pad}} ", axis_style)
            text.append("┤" if r in labels else "│", axis_style)
            if not top and r == (rows - 1) // 2:
                text.append("  nothing yet", axis_style)
            elif top:
                for column, high in zip(columns, highlighted, strict=True):
                    text.append(column[r], high_style if high else bar_style)
                    if step == 2:
                        text.append(" ")
            text.append("\n")
        ticks, under = self._labels(bars, step)
        text.append(f"{'0':>{pad}} └" + ticks + "\n", axis_style)
        text.append(" " * (pad + 2) + under, axis_style)
        return text

    def _labels(self, bars: Sequence[tuple[date, int]], step: int) -> tuple[str, str]:
        """The axis line with a tick under each labelled bar, and the labels under it: the
        first and last bar and as many between as fit."""
        length = len(bars) * step
        axis = ["─"] * length
        line = [" "] * (length + 8)
        placed: list[tuple[int, int]] = []

        def put(index: int) -> None:
            text = self.label(bars[index][0])
            tick = index * step
            start = tick if tick + len(text) <= length + 1 else tick + 1 - len(text)
            end = start + len(text)
            if start < 0 or any(start < e + 2 and s < end + 2 for s, e in placed):
                return
            line[start:end] = text
            axis[tick] = "┬"
            placed.append((start, end))

        if bars:
            put(0)
            put(len(bars) - 1)
            every = max(1, ceil(8 / step))
            for index in range(every, len(bars) - 1, every):
                put(index)
        return "".join(axis), "".join(line).rstrip()


def heat_level(count: int, top: int) -> int:
    """0 for no answers, else 1-4 by the share of the busiest day."""
    if count <= 0 or top <= 0:
        return 0
    return max(1, min(4, ceil(4 * count / top)))


class CalendarHeatmap(Widget):
    """A year of study days: one column per week (Monday at the top), one glyph per day.

    Glyphs: "·" a day without answers, then ░ ▒ ▓ █ for a quarter, half, three quarters and up
    to the busiest day's count; a blank is outside the year.
    """

    DEFAULT_CSS = """
    CalendarHeatmap { height: 9; }
    CalendarHeatmap > .heatmap--empty { color: $text-muted; }
    CalendarHeatmap > .heatmap--day { color: $success; }
    CalendarHeatmap > .heatmap--today { color: $accent; text-style: bold; }
    CalendarHeatmap > .heatmap--label { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "heatmap--empty",
        "heatmap--day",
        "heatmap--today",
        "heatmap--label",
    }

    def __init__(
        self,
        today: date,
        counts: Mapping[date, int] | None = None,
        *,
        days: int = 365,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.today = today
        self.counts = dict(counts or {})
        self.days = days

    def show(self, today: date, counts: Mapping[date, int]) -> None:
        self.today = today
        self.counts = dict(counts)
        self.refresh()

    @property
    def first_day(self) -> date:
        return self.today - timedelta(days=self.days - 1)

    def weeks(self) -> list[date]:
        """The Monday of each week column, oldest first."""
        monday = self.first_day - timedelta(days=self.first_day.weekday())
        count = (self.today - monday).days // 7 + 1
        return [monday + timedelta(weeks=i) for i in range(count)]

    def render(self) -> Text:
        label = self.get_component_rich_style("heatmap--label")
        styles: dict[str, Style] = {
            name: self.get_component_rich_style(f"heatmap--{name}")
            for name in ("empty", "day", "today")
        }
        weeks = self.weeks()
        top = max(
            (n for day, n in self.counts.items() if self.first_day <= day <= self.today), default=0
        )
        months = [" "] * len(weeks)
        free = 0
        for i, monday in enumerate(weeks):
            sunday = monday + timedelta(days=6)
            starts = i == 0 or sunday.month != (sunday - timedelta(days=7)).month
            if starts and i >= free and i + 3 <= len(weeks):
                months[i : i + 3] = f"{sunday:%b}"
                free = i + 4
        text = Text(no_wrap=True, overflow="crop")
        text.append("    " + "".join(months) + "\n", label)
        for weekday in range(7):
            text.append(f"{WEEKDAYS[weekday]:<4}", label)
            for monday in weeks:
                day = monday + timedelta(days=weekday)
                if not self.first_day <= day <= self.today:
                    text.append(" ")
                    continue
                level = heat_level(self.counts.get(day, 0), top)
                style = styles["today" if day == self.today else "day" if level else "empty"]
                text.append(SHADES[level - 1] if level else "·", style)
            text.append("\n")
        text.append("    less · ", label)
        for shade in SHADES:
            text.append(shade, styles["day"])
            text.append(" ")
        busiest = f"  (the busiest day: {top} answers)" if top else ""
        text.append(f"more{busiest}", label)
        return text
