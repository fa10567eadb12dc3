"""`quiz validate PATH...`: check deck files and folders of decks, and say what is wrong where."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TextIO

from quiz.commands import EXIT_FAIL, EXIT_OK, EXIT_USAGE, REPORT_FORMATS
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

FORMATS = REPORT_FORMATS


def run(
    paths: list[str],
    *,
    strict: bool,
    fmt: str,
    out: TextIO,
    err: TextIO,
    today: date | None = None,
) -> int:
    """Check every deck file given and every `*.json` in the folders given.

    Args:
        paths: deck files and folders of decks.
        strict: also report warnings, and fail on them.
        fmt: "text" (`PATH:LINE:COL: error: MESSAGE` lines and a summary) or "json" (a list of
            findings with path, line, column, severity and message).
        out: where findings and the summary go.
        err: where usage problems go.
        today: the date `review_by` is compared with (the local date when not given).

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
    findings, bad_files = _check(files, strict, today or date.today())
    errors = sum(1 for finding in findings if finding.severity == "error")
    if fmt == "json":
        json.dump([finding.as_dict() for finding in findings], out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for finding in findings:
            print(finding, file=out)
        print(_summary(len(files), errors, len(findings) - errors, bad_files, strict), file=out)
    failed = errors > 0 or (strict and len(findings) > errors)
    return EXIT_FAIL if failed else EXIT_OK


def _check(files: list[Path], strict: bool, today: date) -> tuple[list[Finding], int]:
    """Findings of every file, file by file, and how many files had any."""
    findings: list[Finding] = []
    bad_files = 0
    taken: dict[str, Path] = {}
    for path in files:
        try:
            deck, text = load_deck_text(path)
        except DeckError as exc:
            findings.extend(exc.errors)
            bad_files += 1
            continue
        found: list[Finding] = []
        if deck.id in taken and taken[deck.id].resolve() != path.resolve():
            found.append(id_taken(deck, text, path, taken[deck.id], skipped=False))
        taken.setdefault(deck.id, path)
        found.extend(check_pictures(text, path, str(path)))
        if strict:
            found.extend(warnings(deck, text, today))
        if found:
            bad_files += 1
            findings.extend(sorted(found, key=lambda f: (f.line, f.column)))
    return findings, bad_files


def _summary(decks: int, errors: int, warned: int, bad_files: int, strict: bool) -> str:
    checked = f"{decks} deck{'s' if decks != 1 else ''} checked"
    if not errors and not (strict and warned):
        return f"{checked}: no errors" + (", no warnings" if strict else "")
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if strict:
        parts.append(f"{warned} warning{'s' if warned != 1 else ''}")
    where = f"in {bad_files} file{'s' if bad_files != 1 else ''}"
    return f"{checked}: {', '.join(parts)} {where}"
