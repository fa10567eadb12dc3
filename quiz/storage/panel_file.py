"""Panel files (`quiz panel -o PANEL.json`): one panellist's blind key of a deck's scenario
questions, in the format of docs/architecture.md (`"kind": "quiz-panel"`, format 1).

Read once when a panel starts (a damaged file or one for another deck or panellist is
refused and left as it is) and written whole, atomically, after every answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from quiz.core.model import Card, Deck
from quiz.storage import durable
from quiz.storage.inputs import read_input

FORMAT = 1
KIND = "quiz-panel"
SCENARIO_TYPES = ("choice", "rank")

AnswerType = Literal["rank", "choice"]


class PanelFileError(Exception):
    """A panel file that cannot be used: one line naming the file."""


@dataclass(frozen=True, slots=True)
class PanelAnswer:
    """How the panellist keyed one card.

    `options` are option names (`Card.option_name`): for a rank card all of them, most
    appropriate first; for a choice card the ones picked, in file order.
    """

    digest: str
    type: AnswerType
    options: tuple[str, ...]
    time: str


@dataclass(slots=True)
class Panel:
    """One panellist's answers for one deck, by card id."""

    deck: str
    panellist: str
    answers: dict[str, PanelAnswer] = field(default_factory=dict)

    def is_keyed(self, card: Card) -> bool:
        """The card has an answer for its current version (its digest)."""
        answer = self.answers.get(card.id)
        return answer is not None and answer.digest == card.digest

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "kind": KIND,
            "deck": self.deck,
            "panellist": self.panellist,
            "answers": {
                card_id: {
                    "digest": a.digest,
                    "type": a.type,
                    "options": list(a.options),
                    "time": a.time,
                }
                for card_id, a in self.answers.items()
            },
        }


def scenario_cards(deck: Deck) -> list[Card]:
    """The cards a panel keys: every `choice` and `rank` card, in file order."""
    return [card for card in deck.cards if card.type in SCENARIO_TYPES]


def answer_for(
    card: Card, indexes: list[int] | set[int] | frozenset[int], time: str
) -> PanelAnswer:
    """The answer to save for `card`.

    Args:
        indexes: for a rank card, every option's index in the panellist's order; for a choice
            card, the indexes picked (in any order: saved in file order).
        time: when it was keyed, ISO 8601.
    """
    if card.type == "rank":
        ordered = list(indexes)
        return PanelAnswer(card.digest, "rank", tuple(card.option_name(i) for i in ordered), time)
    picked = sorted(indexes)
    return PanelAnswer(card.digest, "choice", tuple(card.option_name(i) for i in picked), time)


def read(path: Path, deck_id: str, panellist: str) -> Panel:
    """The panel in `path`, or a new empty one if there is no such file.

    Raises:
        PanelFileError: the file is damaged, or is for another deck or panellist.
    """
    try:
        data = read_input(path)
    except FileNotFoundError:
        return Panel(deck_id, panellist)
    except IsADirectoryError:
        raise PanelFileError(f"{path}: this is a folder; give a panel file (.json)") from None
    except OSError as exc:
        raise PanelFileError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    panel = parse(data, path)
    if panel.deck != deck_id:
        raise PanelFileError(
            f'{path}: this panel file is for deck "{panel.deck}", not "{deck_id}"; '
            "give another -o file"
        )
    if panel.panellist != panellist:
        raise PanelFileError(
            f'{path}: this panel file is for panellist "{panel.panellist}", not "{panellist}"; '
            "give another -o file"
        )
    return panel


def parse(data: bytes, path: Path) -> Panel:
    """A panel from the bytes of a panel file.

    Raises:
        PanelFileError: the bytes are not a panel file of this format.
    """

    def damaged(why: str) -> PanelFileError:
        return PanelFileError(f"{path}: not a usable panel file ({why}); it was left as it is")

    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError: also an integer of thousands of digits
        where = f"line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "encoding"
        if isinstance(exc, RecursionError):
            where = "nested too deeply"
        elif not isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
            where = "a number too long"
        raise damaged(f"not JSON, {where}") from None
    if not isinstance(raw, dict) or raw.get("kind") != KIND:
        raise damaged(f'no "kind": "{KIND}"')
    if raw.get("format") != FORMAT:
        raise damaged(f"format {raw.get('format')!r}, this quiz reads format {FORMAT}")
    deck, panellist, answers = raw.get("deck"), raw.get("panellist"), raw.get("answers")
    if not isinstance(deck, str) or not isinstance(panellist, str):
        raise damaged('"deck" and "panellist" must be text')
    if not isinstance(answers, dict):
        raise damaged('"answers" must be an object')
    panel = Panel(deck, panellist)
    for card_id, entry in answers.items():
        answer = _answer(entry)
        if answer is None:
            raise damaged(f'the answer for card "{card_id}" is malformed')
        panel.answers[card_id] = answer
    return panel


def _answer(entry: object) -> PanelAnswer | None:
    if not isinstance(entry, dict):
        return None
    digest, kind, options, time = (entry.get(k) for k in ("digest", "type", "options", "time"))
    if not isinstance(digest, str) or not isinstance(time, str):
        return None
    if kind not in SCENARIO_TYPES or not isinstance(options, list):
        return None
    if not all(isinstance(option, str) for option in options):
        return None
    answer_type: AnswerType = "rank" if kind == "rank" else "choice"
    return PanelAnswer(digest, answer_type, tuple(options), time)


def write(path: Path, panel: Panel) -> None:
    """Replace `path` with `panel`, atomically and durably.

    Raises:
        OSError: it could not be written; the file is then as it was.
    """
    text = json.dumps(panel.to_json(), indent=2, ensure_ascii=False) + "\n"
    durable.write_atomic(path, text.encode("utf-8"))
