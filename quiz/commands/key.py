"""`quiz key DECK.json PANEL.json...`: what a panel of experts makes of each scenario question's
key, how far they agree, and (with `--apply`) the deck's keys set to the panel's consensus.

Panel files are those `quiz panel` writes (docs: notes SPEC13, "Panel file"). Answers given
to an older version of a question (their digest is not the card's `Card.digest`) are counted
apart and never mixed in. A panel file of another deck, a file that is not a panel file, or a
damaged one stops the command with one line naming the file.

`--apply` changes only the questions whose panel agrees (not flagged for low agreement) and
whose key differs from the consensus: a rank card's options are put in the consensus order, a
choice card's `correct` marks set on the consensus picks (and taken off the others).
Everything else in the file is kept (whys and explanations too: the teacher checks they still
fit); the old file is kept beside it as `DECK.json.bak-<time>`, and the new one is written
atomically in the one layout (`quiz fmt`'s).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO

from quiz.commands import EXIT_OK
from quiz.commands.authoring import AuthoringError
from quiz.core.agreement import (
    LOW_AGREEMENT,
    ChoiceAgreement,
    RankAgreement,
    choice_agreement,
    rank_agreement,
)
from quiz.core.model import Card, Deck
from quiz.deckfile.deck import DeckError, load_deck_text, parse_deck
from quiz.deckfile.layout import dumps
from quiz.storage.user_files import read_input, why, write_atomic

PANEL_KIND = "quiz-panel"
PANEL_FORMAT = 1
MAX_PANEL_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Panel:
    """One panel file: who answered, and their answers by card id."""

    path: Path
    panellist: str
    answers: dict[str, dict[str, Any]]


@dataclass(slots=True)
class Question:
    """One scenario question of the deck and what the panel makes of it."""

    card: Card
    agreement: RankAgreement | ChoiceAgreement | None = None
    older: int = 0
    """Answers to an older version of the question: not counted."""
    applied: str | None = None

    @property
    def flags(self) -> tuple[str, ...]:
        return self.agreement.flags if self.agreement is not None else ()

    def severity(self) -> tuple[int, int, float]:
        """Sorts worst first: more flags, then less agreement; no answers at the end."""
        if self.agreement is None:
            return (1, 0, 0.0)
        if isinstance(self.agreement, RankAgreement):
            measure = self.agreement.w
        else:
            measure = float(self.agreement.weakest)
        return (0, -len(self.flags), measure)


@dataclass(slots=True)
class Outcome:
    """The whole check: the deck, the panels, each question, and what `--apply` did."""

    deck: Deck
    path: Path
    panels: list[Panel]
    questions: list[Question]
    unknown: dict[str, list[str]] = field(default_factory=dict)
    """Card ids answered that are not scenario questions of the deck -> panel files."""
    backup: Path | None = None


# --- reading ---


def read_panel(path: Path, deck: Deck) -> Panel:
    """Read and check one panel file for `deck`.

    Raises:
        AuthoringError: one line naming the file: unreadable, not a panel file, another
            deck's, or damaged.
    """
    raw = read_input(path, missing="no such panel file", folder="a folder; give panel files")
    if len(raw) > MAX_PANEL_BYTES:
        raise AuthoringError(f"{path}: not a panel file: {len(raw)} bytes is too large")
    try:
        data = json.loads(raw.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        raise AuthoringError(f"{path}: not a panel file: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise AuthoringError(
            f"{path}: damaged or not a panel file: not JSON "
            f"(line {exc.lineno} column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise AuthoringError(f"{path}: not a panel file: nested too deeply") from None
    if not isinstance(data, dict) or data.get("kind") != PANEL_KIND:
        kind = data.get("kind") if isinstance(data, dict) else None
        what = f'its "kind" is {json.dumps(kind)}' if kind is not None else 'it has no "kind"'
        raise AuthoringError(
            f'{path}: not a panel file ({what}; a panel file\'s is "{PANEL_KIND}")'
        )
    if data.get("format") != PANEL_FORMAT:
        raise AuthoringError(
            f"{path}: panel file format {json.dumps(data.get('format'))}; "
            f"this quiz reads format {PANEL_FORMAT}"
        )
    if data.get("deck") != deck.id:
        raise AuthoringError(
            f'{path}: a panel for deck {json.dumps(data.get("deck"))}, not "{deck.id}"'
        )
    panellist = data.get("panellist")
    if not isinstance(panellist, str) or not panellist.strip():
        raise AuthoringError(f'{path}: damaged panel file: "panellist" is not a name')
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise AuthoringError(f'{path}: damaged panel file: "answers" is not an object')
    for card_id, answer in answers.items():
        _check_answer(path, card_id, answer)
    return Panel(path, panellist, answers)


def _check_answer(path: Path, card_id: str, answer: Any) -> None:
    where = f'{path}: damaged panel file: the answer to "{card_id}"'
    if not isinstance(answer, dict):
        raise AuthoringError(f"{where} is not an object")
    if not isinstance(answer.get("digest"), str):
        raise AuthoringError(f'{where} has no "digest"')
    if answer.get("type") not in ("rank", "choice"):
        raise AuthoringError(f'{where}: "type" is neither "rank" nor "choice"')
    options = answer.get("options")
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise AuthoringError(f'{where}: "options" is not a list of option names')
    if len(set(options)) != len(options):
        raise AuthoringError(f"{where} names an option twice")
    if "time" in answer and not isinstance(answer["time"], str):
        raise AuthoringError(f'{where}: "time" is not a time')


def _indexes(panel: Panel, card: Card, answer: dict[str, Any]) -> list[int]:
    """The option indexes an answer to the card's current version names, checked."""
    where = f'{panel.path}: damaged panel file: the answer to "{card.id}"'
    if answer["type"] != card.type:
        raise AuthoringError(f"{where} is a {answer['type']} answer to a {card.type} question")
    names = {card.option_name(i): i for i in range(len(card.options))}
    indexes = []
    for name in answer["options"]:
        if name not in names:
            raise AuthoringError(f'{where} names no option of it ("{name}")')
        indexes.append(names[name])
    if card.type == "rank" and len(indexes) != len(card.options):
        raise AuthoringError(
            f"{where} ranks {len(indexes)} of its {len(card.options)} options, not all"
        )
    k = len(card.correct_indexes)
    if card.type == "choice" and len(indexes) != k:
        raise AuthoringError(f"{where} picks {len(indexes)} options; the question asks for {k}")
    return indexes


def check(deck_path: Path, panel_paths: Sequence[Path]) -> Outcome:
    """Read the deck and the panel files and work out each scenario question's agreement.

    Raises:
        DeckError: the deck does not load.
        AuthoringError: a panel file is bad, or the same panellist comes twice.
    """
    deck, _ = load_deck_text(deck_path)
    panels = [read_panel(path, deck) for path in panel_paths]
    seen: dict[str, Path] = {}
    for panel in panels:
        if panel.panellist in seen:
            raise AuthoringError(
                f'{panel.path}: panellist "{panel.panellist}" has answered already, '
                f"in {seen[panel.panellist]}"
            )
        seen[panel.panellist] = panel.path
    scenario = [card for card in deck.cards if card.type in ("rank", "choice")]
    questions = []
    for card in scenario:
        question = Question(card)
        answers: list[list[int]] = []
        for panel in panels:
            answer = panel.answers.get(card.id)
            if answer is None:
                continue
            if answer["digest"] != card.digest:
                question.older += 1
                continue
            answers.append(_indexes(panel, card, answer))
        if answers and card.type == "rank":
            question.agreement = rank_agreement(answers, len(card.options))
        elif answers:
            picks = [set(a) for a in answers]
            question.agreement = choice_agreement(picks, len(card.options), card.correct_indexes)
        questions.append(question)
    known = {card.id for card in scenario}
    unknown: dict[str, list[str]] = {}
    for panel in panels:
        for card_id in panel.answers:
            if card_id not in known:
                unknown.setdefault(card_id, []).append(str(panel.path))
    return Outcome(deck, deck_path, panels, questions, unknown)


# --- applying ---


def backup_path(path: Path, now: datetime) -> Path:
    """`DECK.json.bak-<time>` beside the deck; `-2`, `-3`... if that name is taken."""
    base = path.with_name(f"{path.name}.bak-{now:%Y%m%dT%H%M%S}")
    candidate, number = base, 1
    while candidate.exists():
        number += 1
        candidate = base.with_name(f"{base.name}-{number}")
    return candidate


def _names(card: Card, indexes: Sequence[int]) -> str:
    return ", ".join(card.option_name(i) for i in indexes)


def apply(outcome: Outcome, now: datetime) -> list[Question]:
    """Set the keys of the agreed questions whose key differs to the consensus, keeping the
    rest of the file; back the old file up first. Returns the questions changed.

    Raises:
        AuthoringError: the deck cannot be read, backed up or written, or would not load.
    """
    todo = [
        q
        for q in outcome.questions
        if q.agreement is not None and LOW_AGREEMENT not in q.flags and q.agreement.differs
    ]
    if not todo:
        return []
    path = outcome.path
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AuthoringError(f"{path}: cannot read: {why(exc)}") from None
    data = json.loads(raw.decode("utf-8").removeprefix("\ufeff"))
    cards = data["cards"]
    positions = {card.id: i for i, card in enumerate(outcome.deck.cards)}
    for question in todo:
        card = question.card
        raw_card = cards[positions[card.id]]
        if raw_card.get("id") != card.id:  # the file changed since it was read
            raise AuthoringError(f"{path}: changed while being read; run quiz key again")
        agreement = question.agreement
        if isinstance(agreement, RankAgreement):
            old = [card.option_name(i) for i in range(len(card.options))]
            raw_card["options"] = [raw_card["options"][i] for i in agreement.consensus]
            new = [old[i] for i in agreement.consensus]
            question.applied = f"options reordered: {', '.join(old)} -> {', '.join(new)}"
            moved = [i for p, i in enumerate(agreement.consensus) if p != i]
            if any(card.options[i].id is None for i in moved):
                question.applied += (
                    " (an option without an id is named by its place, so its name changes; "
                    "`quiz fmt --add-ids` gives each option an id)"
                )
        elif isinstance(agreement, ChoiceAgreement):
            for i, option in enumerate(raw_card["options"]):
                if i in agreement.consensus:
                    option["correct"] = True
                elif option.get("correct") is True:
                    del option["correct"]  # not correct, as every unmarked option
            before = _names(card, sorted(agreement.correct))
            question.applied = f"correct: {before} -> {_names(card, agreement.consensus)}"
    text = dumps(data)
    try:
        parse_deck(text, path)
    except DeckError as exc:  # never expected: the keys are all that changed
        raise AuthoringError(f"{path}: not changed: the new keys would not load ({exc})") from None
    backup = backup_path(path, now)
    write_atomic(backup, raw, exclusive=True)
    write_atomic(path, text)
    outcome.backup = backup
    return todo


# --- reporting ---


def _fraction(value: Fraction) -> str:
    return f"{float(value):.2f}"


def _percent(value: Fraction) -> str:
    return f"{round(float(value) * 100)} %"


def _older(question: Question) -> str:
    n = question.older
    return f"{n} answer{'s' if n != 1 else ''} to an older version of this question, not counted"


def question_dict(question: Question) -> dict[str, Any]:
    card, agreement = question.card, question.agreement
    result: dict[str, Any] = {
        "card": card.id,
        "type": card.type,
        "question": card.question,
        "flags": list(question.flags),
        "older": question.older,
        "panellists": agreement.panellists if agreement is not None else 0,
    }
    names = [card.option_name(i) for i in range(len(card.options))]
    if isinstance(agreement, RankAgreement):
        result |= {
            "mean_places": {names[i]: float(m) for i, m in enumerate(agreement.mean_places)},
            "consensus": [names[i] for i in agreement.consensus],
            "author": names,
            "kendall_w": agreement.w,
            "tau_a": agreement.tau,
            "splits": [
                {"first": names[s.first], "second": names[s.second], "share": float(s.share)}
                for s in agreement.splits
            ],
            "ties": [[names[i] for i in group] for group in agreement.ties],
        }
    elif isinstance(agreement, ChoiceAgreement):
        result |= {
            "k": agreement.k,
            "shares": {names[i]: float(s) for i, s in enumerate(agreement.shares)},
            "consensus": [names[i] for i in agreement.consensus],
            "author": [names[i] for i in sorted(agreement.correct)],
            "modal": names[agreement.modal],
            "modal_share": float(agreement.modal_share),
        }
    if question.applied:
        result["applied"] = question.applied
    return result


def to_json(outcome: Outcome, applied: Sequence[Question] | None) -> str:
    result: dict[str, Any] = {
        "deck": outcome.deck.id,
        "path": str(outcome.path),
        "panels": [{"path": str(p.path), "panellist": p.panellist} for p in outcome.panels],
        "questions": [question_dict(q) for q in sorted(outcome.questions, key=Question.severity)],
        "not_in_deck": outcome.unknown,
    }
    if applied is not None:
        result["applied"] = [{"card": q.card.id, "change": q.applied} for q in applied]
        result["backup"] = str(outcome.backup) if outcome.backup else None
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


SHORT = 60
"""Longest option text shown in a report's table (cut with an ellipsis)."""


def _short(text: str) -> str:
    text = " ".join(text.split())
    return _cell(text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…")


def _rank_lines(card: Card, a: RankAgreement) -> list[str]:
    name = card.option_name
    place = {option: p for p, option in enumerate(a.consensus, start=1)}
    lines = [
        f"{a.panellists} panellists. Kendall's W = {a.w:.2f}; the author's order against the "
        f"consensus: Kendall's tau-a = {a.tau:.2f}.",
        "",
        "| option | text | mean place | consensus place | author's place |",
        "|---|---|---|---|---|",
    ]
    for i in a.consensus:
        mean = _fraction(a.mean_places[i])
        text = _short(card.options[i].text)
        lines.append(f"| `{_cell(name(i))}` | {text} | {mean} | {place[i]} | {i + 1} |")
    lines.append("")
    lines.append(f"- consensus order: {_names(card, a.consensus)}")
    lines.append(f"- author's order: {_names(card, range(len(card.options)))}")
    for split in a.splits:
        lines.append(
            f"- split: {_percent(split.share)} put `{name(split.first)}` above "
            f"`{name(split.second)}`"
        )
    for group in a.ties:
        lines.append(f"- tie: {_names(card, group)} have the same mean place")
    return lines


def _choice_lines(card: Card, a: ChoiceAgreement) -> list[str]:
    name = card.option_name
    if a.k == 1:
        head = (
            f"{a.panellists} panellists; single best answer. Modal option: `{name(a.modal)}`, "
            f"{_percent(a.modal_share)}."
        )
    else:
        head = f"{a.panellists} panellists; choose {a.k}."
    lines = [
        head,
        "",
        "| option | text | picked by | share | consensus | author's key |",
        "|---|---|---|---|---|---|",
    ]
    for i in range(len(card.options)):
        mark = "yes" if i in a.consensus else ""
        key = "yes" if i in a.correct else ""
        lines.append(
            f"| `{_cell(name(i))}` | {_short(card.options[i].text)} | {a.counts[i]} | "
            f"{_percent(a.shares[i])} | {mark} | {key} |"
        )
    lines.append("")
    lines.append(f"- consensus: {_names(card, a.consensus)}")
    lines.append(f"- author's key: {_names(card, sorted(a.correct))}")
    if a.tied:
        lines.append("- tie: the next option is picked as often as the last consensus pick")
    return lines


def to_markdown(outcome: Outcome, applied: Sequence[Question] | None) -> str:
    deck = outcome.deck
    questions = sorted(outcome.questions, key=Question.severity)
    flagged = sum(1 for q in questions if q.flags)
    panels = ", ".join(f"{p.panellist} (`{p.path.name}`)" for p in outcome.panels)
    lines = [
        f"# Panel check of the keys of {deck.title} (`{deck.id}`)",
        "",
        f"Deck `{outcome.path}`; {len(outcome.panels)} panel files: {panels}.",
        f"{len(questions)} scenario questions, {flagged} flagged. Worst first.",
        "",
    ]
    for question in questions:
        card = question.card
        flags = f": {', '.join(question.flags)}" if question.flags else ": agreed"
        if question.agreement is None:
            flags = ": no answers to this version"
        lines.append(f"## `{card.id}` ({card.type}){flags}")
        lines.append("")
        lines.append(f"> {_cell(card.question)}")
        lines.append("")
        if isinstance(question.agreement, RankAgreement):
            lines.extend(_rank_lines(card, question.agreement))
        elif isinstance(question.agreement, ChoiceAgreement):
            lines.extend(_choice_lines(card, question.agreement))
        if question.older:
            lines.append(f"- {_older(question)}")
        if question.applied:
            lines.append(f"- applied: {question.applied}")
        lines.append("")
    if outcome.unknown:
        lines.append("## Answers to no scenario question of this deck (not counted)")
        lines.append("")
        for card_id, paths in outcome.unknown.items():
            lines.append(f"- `{card_id}`: {', '.join(paths)}")
        lines.append("")
    if applied is not None:
        lines.append("## Applied")
        lines.append("")
        lines.extend(_applied_lines(outcome, applied))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _applied_lines(outcome: Outcome, applied: Sequence[Question]) -> list[str]:
    if not applied:
        return [f"Nothing changed: no agreed question's key differs in `{outcome.path}`."]
    lines = [f"- `{q.card.id}`: {q.applied}" for q in applied]
    lines.append(f"- the old file is kept as `{outcome.backup}`")
    lines.append("- the whys and explanations are unchanged: check they still fit the new keys")
    return lines


def run(
    deck_path: Path,
    panel_paths: Sequence[Path],
    *,
    fmt: str,
    output: Path | None,
    apply_keys: bool,
    out: TextIO,
    now: datetime,
) -> int:
    """Check the keys of a deck against panel files; report, and apply if asked.

    Returns:
        0 once the report is made (flags are in the report, not in the status).

    Raises:
        DeckError: the deck does not load.
        AuthoringError: a bad panel file, or the deck or report cannot be written.
    """
    outcome = check(deck_path, panel_paths)
    applied = apply(outcome, now) if apply_keys else None
    report = to_json(outcome, applied) if fmt == "json" else to_markdown(outcome, applied)
    if output is None:
        out.write(report)
    else:
        write_atomic(output, report)
        print(f"{output}: report written", file=out)
        if applied is not None:
            for line in _applied_lines(outcome, applied):
                print(f"{deck_path}: {line.removeprefix('- ')}", file=out)
    return EXIT_OK
