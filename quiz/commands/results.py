"""`quiz results [DECK...] -o RESULTS.json [--as NAME]`: a student's scenario answers, for the
teacher's item analysis (`quiz items`).

It holds, for each scenario question of the chosen decks, the student's FIRST scheduled attempt
(log kind "review") that has a logged response: deck id, card id, the version (digest) of the
question, its type, the options answered (by name), points and maximum. Nothing else: no other
progress, no free text, no dates; a name only when given with `--as`. The format is in
docs/architecture.md (results file).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import orjson

from quiz.commands import EXIT_OK
from quiz.storage.user_files import write_atomic

if TYPE_CHECKING:
    from quiz.core.model import Card, Deck
    from quiz.core.progress import LogEntry

FORMAT = 1
KIND = "quiz-results"


def first_answers(decks: Sequence[Deck], entries: Iterable[LogEntry]) -> list[dict[str, Any]]:
    """The results file's answers: the first "review" entry with a response for each scenario
    card of `decks`, in log order."""
    cards: dict[str, Card] = {
        card.key: card for deck in decks for card in deck.cards if card.type in ("rank", "choice")
    }
    seen: set[str] = set()
    answers: list[dict[str, Any]] = []
    for entry in entries:
        if entry.kind != "review" or entry.response is None or entry.key in seen:
            continue
        card = cards.get(entry.key)
        if card is None:
            continue
        seen.add(entry.key)
        r = entry.response
        answers.append(
            {
                "deck": card.deck_id,
                "card": card.id,
                "digest": r.digest,
                "type": card.type,
                "options": list(r.options),
                "points": r.points,
                "maximum": r.maximum,
            }
        )
    return answers


def document(answers: list[dict[str, Any]], name: str | None) -> dict[str, Any]:
    return {"format": FORMAT, "kind": KIND, "name": name, "answers": answers}


def run(
    decks: Sequence[Deck],
    entries: Iterable[LogEntry],
    output: Path,
    *,
    name: str | None,
    out: TextIO,
) -> int:
    """Write the results file; says how many answers it holds."""
    answers = first_answers(decks, entries)
    data = orjson.dumps(document(answers, name), option=orjson.OPT_INDENT_2) + b"\n"
    write_atomic(output, data)
    if answers:
        questions = "question" if len(answers) == 1 else "questions"
        print(f"wrote {len(answers)} answers to scenario {questions} to {output}", file=out)
    else:
        print(
            f"wrote {output}: no scenario answers yet (answer scenario questions in a study "
            "session first)",
            file=out,
        )
    return EXIT_OK
