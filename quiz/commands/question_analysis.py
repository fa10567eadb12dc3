"""`quiz items DECK.json RESULTS.json... [--format json] [-o REPORT]`: classical item analysis
of a deck's scenario questions, from the results files students export with `quiz results`.

Each results file is one student. Only answers to the deck's current version of a question
(same digest) are analysed together; answers to an older version are counted apart, never
mixed. The statistics are in `quiz.core.question_analysis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import orjson

from quiz.commands import EXIT_OK
from quiz.commands.authoring import AuthoringError
from quiz.commands.report import md
from quiz.commands.results import FORMAT, KIND
from quiz.core.model import Card, Deck
from quiz.core.question_analysis import (
    TOO_EASY,
    TOO_HARD,
    WEAK,
    Answer,
    ItemFigures,
    OlderVersion,
    OptionFigures,
    Question,
    analyse,
    older_version,
)
from quiz.deckfile.deck import load_deck
from quiz.storage.user_files import why, write_atomic

REST_SCORE = (
    "Discrimination is the corrected item-total correlation: Pearson's r between a student's "
    "score fraction on the question and their rest score, the mean score fraction over the "
    "other current questions of this deck they answered. Students who answered no other "
    "question are left out of it and of the thirds; the top and bottom thirds are the n // 3 "
    "students with the highest and lowest rest scores."
)
FLAGS = (
    f"Flags: too easy (facility > {TOO_EASY}), too hard (< {TOO_HARD}), weak (discrimination "
    f"< {WEAK}) or negative discrimination, a distractor the top third chooses at least as "
    "often as a keyed option."
)
_ANSWER_FIELDS = {
    "deck": str,
    "card": str,
    "digest": str,
    "type": str,
    "options": list,
    "points": int,
    "maximum": int,
}


@dataclass
class Analysis:
    deck: Deck
    files: int
    items: list[ItemFigures]
    older: list[OlderVersion]
    notes: list[str] = field(default_factory=list)


def read_results(path: Path) -> list[dict[str, Any]]:
    """The answers of a results file.

    Raises:
        AuthoringError: one line naming the file: unreadable, not JSON, or not a results file.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AuthoringError(f"{path}: cannot read: {why(exc)}") from None
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise AuthoringError(f"{path}: damaged: not JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise AuthoringError(
            f'{path}: not a results file (no "kind": "{KIND}"; make one with `quiz results`)'
        )
    if doc.get("format") != FORMAT:
        raise AuthoringError(
            f"{path}: results format {doc.get('format')!r}; this quiz reads format {FORMAT}"
        )
    answers = doc.get("answers")
    if not isinstance(answers, list):
        raise AuthoringError(f'{path}: damaged: "answers" is not a list')
    for place, answer in enumerate(answers, start=1):
        problem = _answer_problem(answer)
        if problem:
            raise AuthoringError(f"{path}: damaged: answer {place}: {problem}")
    return answers


def _answer_problem(answer: Any) -> str | None:
    if not isinstance(answer, dict):
        return "not an object"
    for name, kind in _ANSWER_FIELDS.items():
        value = answer.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            return f'"{name}" is missing or not a {kind.__name__}'
    if answer["type"] not in ("rank", "choice"):
        return f'"type" is {answer["type"]!r}, not "rank" or "choice"'
    if not all(isinstance(o, str) for o in answer["options"]):
        return '"options" holds something other than names'
    if answer["maximum"] < 0 or not 0 <= answer["points"] <= max(answer["maximum"], 0):
        return '"points" is not between 0 and "maximum"'
    return None


def _question(card: Card) -> Question:
    names = tuple(card.option_name(i) for i in range(len(card.options)))
    keyed = frozenset(names[i] for i in card.correct_indexes) if card.type == "choice" else None
    return Question(card.id, card.type, names, keyed or frozenset())


def _aliases(card: Card) -> dict[str, str]:
    """Every name an option may have been answered under (its id, and `#place`, since adding an
    id does not change the digest), to the name it has now."""
    out: dict[str, str] = {}
    for i in range(len(card.options)):
        out[f"#{i + 1}"] = card.option_name(i)
        out[card.option_name(i)] = card.option_name(i)
    return out


def analyse_files(deck: Deck, paths: Sequence[Path]) -> Analysis:
    """Read every results file and analyse the deck's scenario questions.

    Raises:
        AuthoringError: a file is not a results file or is damaged.
    """
    cards = {c.id: c for c in deck.cards if c.type in ("rank", "choice")}
    aliases = {c.id: _aliases(c) for c in cards.values()}
    students: list[dict[str, Answer]] = []
    older: dict[tuple[str, str], list[Answer]] = {}
    notes: list[str] = []
    for path in paths:
        mine: dict[str, Answer] = {}
        seen: set[str] = set()
        matched = foreign = 0
        for raw in read_results(path):
            card = cards.get(raw["card"]) if raw["deck"] == deck.id else None
            if card is None:
                foreign += 1
                continue
            if card.id in seen:
                continue
            seen.add(card.id)
            matched += 1
            if raw["digest"] != card.digest or raw["type"] != card.type:
                answer = Answer(tuple(raw["options"]), raw["points"], raw["maximum"])
                older.setdefault((card.id, raw["digest"]), []).append(answer)
                continue
            names = aliases[card.id]
            options = tuple(names.get(o, o) for o in raw["options"])
            mine[card.id] = Answer(options, raw["points"], raw["maximum"])
        if not matched:
            notes.append(f"{path}: no answers to a scenario question of deck {deck.id}")
        elif foreign:
            notes.append(f"{path}: {foreign} answers to questions this deck does not have")
        if mine:
            students.append(mine)
    questions = [_question(c) for c in cards.values()]
    items = [f for f in analyse(questions, students) if f.n]
    unanswered = [q.card for q in questions if q.card not in {f.card for f in items}]
    if unanswered:
        notes.append("no answers to the current version of: " + ", ".join(unanswered))
    old = [older_version(c, d, a) for (c, d), a in older.items()]
    return Analysis(deck, len(paths), items, old, notes)


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100)}%"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def markdown(a: Analysis) -> str:
    students = max((f.n for f in a.items), default=0)
    lines = [
        f"# Item analysis: {md(a.deck.title)} ({md(a.deck.id)})",
        "",
        f"{a.files} results files; up to {students} answers per question. "
        "Facility is the mean score fraction (points / maximum). " + REST_SCORE,
        "",
        FLAGS,
        "",
        "## Questions, worst first",
        "",
        _row("question", "type", "n", "facility", "discrimination", "flags"),
        _row("---", "---", "--:", "--:", "--:", "---"),
    ]
    for f in a.items:
        lines.append(
            _row(
                md(f.card), f.type, f.n, _num(f.facility), _num(f.discrimination),
                md("; ".join(f.flags)) or "-",
            )
        )  # fmt: skip
    if not a.items:
        lines.append(_row("(none)", "", "", "", "", ""))
    for f in a.items:
        lines += ["", f"### {md(f.card)} ({f.type})", ""]
        lines.append(
            f"n {f.n}, facility {_num(f.facility)}, discrimination {_num(f.discrimination)} "
            f"(over {f.paired} students with a rest score), thirds of {f.thirds}."
        )
        if f.flags:
            lines.append("Flags: " + md("; ".join(f.flags)) + ".")
        lines.append("")
        texts = _option_texts(a.deck, f.card)
        if f.type == "rank":
            lines += [
                _row("option", "text", "ideal place", "mean place"),
                _row("---", "---", "--:", "--:"),
            ]
            for o in f.options:
                text = texts.get(o.name, "")
                lines.append(_row(md(o.name), text, o.ideal_place, _num(o.mean_place)))
        else:
            lines += [
                _row("option", "text", "keyed", "all", "top third", "bottom third"),
                _row("---", "---", "---", "--:", "--:", "--:"),
            ]
            for o in f.options:
                key = "yes" if o.keyed else ""
                text = texts.get(o.name, "")
                lines.append(
                    _row(md(o.name), text, key, _pct(o.share), _pct(o.top), _pct(o.bottom))
                )
    if a.older:
        lines += [
            "",
            "## Answers to older versions (not in the figures above)",
            "",
            _row("question", "version", "n", "facility"),
            _row("---", "---", "--:", "--:"),
        ]
        for old in a.older:
            lines.append(_row(md(old.card), old.digest, old.n, _num(old.facility)))
    if a.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {md(note)}" for note in a.notes]
    return "\n".join(lines) + "\n"


TEXT_WIDTH = 60
"""An option's text in the report's tables is cut to this many characters."""


def _option_texts(deck: Deck, card_id: str) -> dict[str, str]:
    """The options of a card by name, as short Markdown-safe text for a table cell."""
    card = next((c for c in deck.cards if c.id == card_id), None)
    if card is None:
        return {}
    texts = {}
    for index, option in enumerate(card.options):
        text = " ".join(option.text.split())
        if len(text) > TEXT_WIDTH:
            text = text[: TEXT_WIDTH - 1].rstrip() + "…"
        texts[card.option_name(index)] = md(text)
    return texts


def to_json(a: Analysis) -> dict[str, Any]:
    return {
        "deck": a.deck.id,
        "files": a.files,
        "rest_score": REST_SCORE,
        "items": [
            {
                "card": f.card,
                "type": f.type,
                "n": f.n,
                "facility": f.facility,
                "discrimination": f.discrimination,
                "paired": f.paired,
                "thirds": f.thirds,
                "flags": list(f.flags),
                "options": [
                    {k: v for k, v in _option(o).items() if v is not None} for o in f.options
                ],
            }
            for f in a.items
        ],
        "older_versions": [
            {"card": o.card, "digest": o.digest, "n": o.n, "facility": o.facility} for o in a.older
        ],
        "notes": a.notes,
    }


def _option(o: OptionFigures) -> dict[str, Any]:
    if o.ideal_place is not None:
        return {"name": o.name, "ideal_place": o.ideal_place, "mean_place": o.mean_place}
    return {"name": o.name, "keyed": o.keyed, "share": o.share, "top": o.top, "bottom": o.bottom}


def run(
    deck_path: Path, results: Sequence[Path], *, fmt: str, output: Path | None, out: TextIO
) -> int:
    deck = load_deck(deck_path)
    analysis = analyse_files(deck, results)
    if fmt == "json":
        text = orjson.dumps(to_json(analysis), option=orjson.OPT_INDENT_2).decode() + "\n"
    else:
        text = markdown(analysis)
    if output is None or str(output) == "-":
        out.write(text)
    else:
        write_atomic(output, text)
        print(f"wrote the item analysis of {len(analysis.items)} questions to {output}", file=out)
    return EXIT_OK
