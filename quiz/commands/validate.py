"""`quiz validate PATH...`: check deck files and folders of decks, and say what is wrong where."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from quiz.commands import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from quiz.core import cues
from quiz.deckfile.cuewarn import Checked, across, deck_warnings
from quiz.deckfile.deck import (
    DeckError,
    Finding,
    Skipped,
    deck_files,
    id_taken,
    load_deck_text,
    warnings,
)
from quiz.deckfile.images import check_pictures
from quiz.storage import clock


def run(
    paths: list[str],
    *,
    strict: bool,
    fmt: str,
    out: TextIO,
    err: TextIO,
    today: date | None = None,
    cue_figures: bool = False,
) -> int:
    """Check every deck file given and every `*.json` in the folders given.

    Args:
        paths: deck files and folders of decks.
        strict: also report warnings, and fail on them.
        fmt: "text" (`PATH:LINE:COL: error: MESSAGE` lines and a summary) or "json" (a list of
            findings with path, line, column, severity and message).
        out: where findings and the summary go.
        err: where usage problems go.
        today: the date `review_by` is compared with (when not given, the study day as
            `quiz.storage.clock` reads it: QUIZ_TODAY, or today with the day starting at 04:00).
        cue_figures: also report the cue figures of the scenario questions of each deck that
            loads, and of all of them together (`--cues`): a table after the findings, or with
            "json" an object `{"findings": [...], "cues": {"decks": [...], "total": {...}}}`.

    Returns:
        0 when clean, 1 for errors (or warnings with `strict`), 2 for a usage problem: a path
        that does not exist, a folder without decks. (The command line has already refused no
        path at all and an unknown format.)
    """
    problems: list[Skipped] = []
    files = deck_files(paths, problems)
    for problem in problems:
        print(f"quiz validate: {problem.path}: {problem.message}", file=err)
    empty = [p for p in paths if Path(p).is_dir() and not deck_files([p], [])]
    for folder in empty:
        print(f"quiz validate: {folder}: no *.json deck files in this folder", file=err)
    if problems or empty:
        return EXIT_USAGE
    findings, bad_files, loaded = _check(files, strict, today or clock.today(os.environ))
    errors = sum(1 for finding in findings if finding.severity == "error")
    report = _cue_report(loaded) if cue_figures else None
    if fmt == "json":
        shown: object = [finding.as_dict() for finding in findings]
        if report is not None:
            shown = {"findings": shown, "cues": report}
        json.dump(shown, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for finding in findings:
            print(finding, file=out)
        if report is not None:
            print(_cue_table(report), file=out)
        print(_summary(len(files), errors, len(findings) - errors, bad_files, strict), file=out)
    failed = errors > 0 or (strict and len(findings) > errors)
    return EXIT_FAIL if failed else EXIT_OK


def _check(
    files: list[Path], strict: bool, today: date
) -> tuple[list[Finding], int, list[Checked]]:
    """Findings of every file, file by file (then those over all the decks checked, with
    `strict`), how many files had any, and the decks that loaded."""
    findings: list[Finding] = []
    bad_files = 0
    taken: dict[str, Path] = {}
    loaded: list[Checked] = []
    for path in files:
        try:
            deck, text = load_deck_text(path)
        except DeckError as exc:
            findings.extend(exc.errors)
            bad_files += 1
            continue
        checked = Checked(deck, text)
        loaded.append(checked)
        found: list[Finding] = []
        if deck.id in taken and taken[deck.id].resolve() != path.resolve():
            found.append(id_taken(deck, text, path, taken[deck.id], skipped=False))
        taken.setdefault(deck.id, path)
        found.extend(check_pictures(text, path, str(path)))
        if strict:
            found.extend(warnings(deck, text, today))
            found.extend(deck_warnings(checked))
        if found:
            bad_files += 1
            findings.extend(sorted(found, key=lambda f: (f.line, f.column)))
    if strict:
        over_all = across(loaded)
        # A file that only now has a finding (a repeated scenario) counts among the bad files.
        named = {finding.path for finding in findings}
        bad_files += len({f.path for f in over_all if f.line} - named)
        findings.extend(over_all)
    return findings, bad_files, loaded


def _cue_report(loaded: list[Checked]) -> dict[str, Any]:
    """Each deck's cue figures and those of all of them together."""
    total = cues.figures(card for checked in loaded for card in checked.deck.cards)
    decks = [
        {"path": checked.shown, "id": checked.deck.id, **cues.figures(checked.deck.cards).as_dict()}
        for checked in loaded
    ]
    return {"decks": decks, "total": {"decks": len(loaded), **total.as_dict()}}


_COLUMNS = (
    ("rank", 5), ("long", 5), ("tau", 6), ("sba", 4), ("long", 5), ("ck", 4),
    ("long", 5), ("pass", 5), ("cond", 5), ("comp", 5), ("ord", 4), ("dup", 4),
)  # fmt: skip


def _cue_table(report: dict[str, Any]) -> str:
    """The cue figures as a table, a deck a row and a total row (the columns: docs/authoring.md,
    "Reading the cue report")."""
    rows = [_cue_row(deck["id"], deck) for deck in report["decks"]]
    total = report["total"]
    rows.append(_cue_row(f"all {total['decks']} decks", total))
    width = max(len("deck"), *(len(row[0]) for row in rows))
    head = "deck".ljust(width) + "".join(name.rjust(size) for name, size in _COLUMNS)
    chance = "chance".ljust(width) + "".join(
        cell.rjust(size) for cell, (_, size) in zip(_chance_cells(total), _COLUMNS, strict=True)
    )
    lines = [head]
    for name, *cells in rows:
        lines.append(
            name.ljust(width)
            + "".join(c.rjust(s) for c, (_, s) in zip(cells, _COLUMNS, strict=True))
        )
    lines.append(chance)
    return "\n".join(lines)


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}%"


def _cue_row(name: str, figures: dict[str, Any]) -> list[str]:
    rank, sba, ck = figures["rank"], figures["scenario_sba"], figures["choose_k"]
    tau = rank["mean_tau_b"]
    return [
        name,
        str(rank["items"]),
        _percent(rank["share"]),
        "-" if tau is None else f"{tau:+.2f}",
        str(sba["items"]),
        _percent(sba["share"]),
        str(ck["items"]),
        _percent(ck["share"]),
        _percent(rank["passive_last_share"]),
        str(figures["conditional_options"]),
        str(figures["compound_keyed_options"]),
        str(figures["orders_against_key"]),
        str(figures["near_duplicate_scenarios"]),
    ]


def _chance_cells(total: dict[str, Any]) -> list[str]:
    """What chance alone would give, under the shares it applies to (all decks together)."""
    cells = [""] * len(_COLUMNS)
    cells[1] = _percent(total["rank"]["chance"])
    cells[2] = "0" if total["rank"]["items"] else "-"
    cells[4] = _percent(total["scenario_sba"]["chance"])
    cells[6] = _percent(total["choose_k"]["chance"])
    return cells


def _summary(decks: int, errors: int, warned: int, bad_files: int, strict: bool) -> str:
    checked = f"{decks} deck{'s' if decks != 1 else ''} checked"
    if not errors and not (strict and warned):
        return f"{checked}: no errors" + (", no warnings" if strict else "")
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if strict:
        parts.append(f"{warned} warning{'s' if warned != 1 else ''}")
    where = f"in {bad_files} file{'s' if bad_files != 1 else ''}"
    if not bad_files:  # only warnings about every deck checked together
        where = "over the decks checked together"
    return f"{checked}: {', '.join(parts)} {where}"
