"""The numbers on the statistics screen, in `quiz stats --json` and in `quiz report` agree,
all three read from one progress folder on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from quiz.commands.cli import main
from quiz.core.competencies import label
from quiz.core.progress import MemoryStore
from quiz.services import context
from quiz.storage.store import FileStore
from tests.stats_helpers import TODAY, rich_decks, rich_log, write_decks, write_log
from tests.ui.test_stats_screen import Host, loaded

ENV = {"QUIZ_TODAY": TODAY.isoformat()}


def pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


async def test_screen_json_and_report_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = MemoryStore()
    rich_log(store)
    data_dir = write_log(tmp_path / "data", store)
    decks_dir = write_decks(tmp_path / "decks", rich_decks())
    folders = ["--data", str(data_dir), "--no-bundled", "--decks", str(decks_dir)]

    assert main([*folders, "stats", "--json"], ENV) == 0
    figures: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert main([*folders, "report", "-o", str(tmp_path / "report.md")], ENV) == 0
    report = (tmp_path / "report.md").read_text(encoding="utf-8")

    ctx = context.build(data=str(data_dir), decks=[str(decks_dir)], bundled=False, env=ENV)
    with FileStore.open(data_dir) as file_store:
        app = Host(ctx, file_store)
        async with app.run_test(size=(80, 24)) as pilot:
            await loaded(pilot)
            summary = str(app.screen.query_one("#summary", Static).content)
            counts = app.screen.query_one("#counts", DataTable)
            count_rows = [[str(c) for c in counts.get_row_at(i)] for i in range(counts.row_count)]
            await pilot.press("5")  # the competencies table is filled when its tab is shown
            await pilot.pause()
            tags = app.screen.query_one("#tags", DataTable)
            tag_rows = [[str(c) for c in tags.get_row_at(i)] for i in range(tags.row_count)]

    forecast = list(figures["forecast"].values())
    reviews = figures["reviews"]
    young, mature = figures["retention"]["young"], figures["retention"]["mature"]
    streak = figures["streak"]
    assert forecast[0] == figures["total"]["due"] and forecast[0] + forecast[1] > 0

    # due today and tomorrow
    assert f"Due today {forecast[0]} · tomorrow {forecast[1]} · next 30 days {sum(forecast)}" in (
        summary
    )
    assert f"- Due: {forecast[0]} today, {forecast[1]} tomorrow, {sum(forecast)} in" in report
    # answers over 30 and 90 days
    assert (
        f"Answers today {reviews['today']} · last 30 days {reviews['last_30_days']} · "
        f"last 90 days {reviews['last_90_days']}" in summary
    )
    assert (
        f"- Reviews: {reviews['today']} today, {reviews['last_30_days']} in the last 30 days, "
        f"{reviews['last_90_days']} in the last 90 days." in report
    )
    # retention
    assert young["total"] and mature["total"]
    for name, rate in (("young", young), ("mature", mature)):
        shown = f"{pct(rate['rate'])} ({rate['correct']} of {rate['total']})"
        assert f"{name} {shown}" in summary
        assert f"| {name} | {rate['total']} | {rate['correct']} | {pct(rate['rate'])} |" in report
    # streak and study days
    assert streak["current"] > 1
    assert (
        f"Streak {streak['current']} days · longest {streak['longest']} days · "
        f"{streak['last_year']} days studied in the last year" in summary
    )
    assert (
        f"- Study days: {streak['last_year']} in the last year ({streak['study_days']} in all); "
        f"current streak {streak['current']} days, longest {streak['longest']}." in report
    )
    # per deck counts
    columns = ("new", "learning", "young", "mature", "suspended", "due")
    for row, (deck_id, counts_) in zip(count_rows, figures["decks"].items(), strict=False):
        assert row[1:] == [str(counts_[c]) for c in columns], deck_id
    assert count_rows[-1][1:] == [str(figures["total"][c]) for c in columns]
    titles = {deck.id: deck.title for deck in rich_decks()}
    for deck_id, c in figures["decks"].items():
        title = titles[deck_id].replace("[", "\\[").replace("]", "\\]")
        cells = [c["total"], c["new"], c["learning"], c["young"], c["mature"], c["suspended"]]
        assert f"| {title} | " + " | ".join(map(str, cells)) + f" | {c['due']} |" in report
    # per competency, framework by framework, then the other tags: weakest first
    expected: list[tuple[str, dict[str, Any]]] = []
    names = {"mlcf": "MLCF domains and elements", "hlm": "HLM dimensions"}
    competencies = figures["competencies"]
    for framework in ("mlcf", "hlm"):
        expected.append((names[framework], {}))
        for c in competencies[framework]:
            expected.append((c["name"], c))
            expected += [(f"  {e['name']}", e) for e in c.get("elements", [])]
    expected.append(("Other topics", {}))
    expected += [(tag, t) for tag, t in competencies["other"].items()]
    assert [row[0] for row in tag_rows] == [name[:33] + "…" if len(name) > 34 else name
                                            for name, _ in expected]  # fmt: skip
    for row, (name, t) in zip(tag_rows, expected, strict=True):
        if not t:
            assert row[1:4] == ["", "", ""], name  # a framework's heading
            continue
        assert row[1:4] == [str(t["items"]), str(t["answers"]), pct(t["accuracy"])], name
        if t["answers"]:
            md_name = name.strip().replace("[", "\\[").replace("]", "\\]").replace("&", "&")
            assert (
                f"{md_name}** | {t['items']} | {t['answers']} | {t['correct']} | "
                f"{pct(t['accuracy'])} |"
                in report
                or f"{md_name} | {t['items']} | {t['answers']} | {t['correct']} | "
                f"{pct(t['accuracy'])} |"
                in report
            ), name
    # every tag's own figures are in the JSON too, as before
    assert set(competencies["other"]) <= set(figures["tags"])
    weakest = next(iter(figures["tags"]))
    shown = label(weakest) or weakest
    assert f"Weakest: {shown}, {pct(figures['tags'][weakest]['accuracy'])} right" in summary
