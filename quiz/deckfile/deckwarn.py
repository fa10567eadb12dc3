"""Warnings of `quiz validate --strict`: things a valid deck should usually not do."""

from __future__ import annotations

from datetime import date

from quiz.core.images import IMAGE_RE
from quiz.core.model import Card, Deck
from quiz.deckfile import deckcheck
from quiz.deckfile.deckcheck import LINE_OF, Issue
from quiz.deckfile.findings import Finding
from quiz.deckfile.jsonpos import JsonPath

LONG_FRONT = 300
"""A front (or cloze text, or question) longer than this many characters is hard to read."""
SJT_RANK_OPTIONS = 5
"""Options of an SJT ranking question."""


def warnings(deck: Deck, text: str, today: date) -> list[Finding]:
    """Warnings for a valid deck, with positions in `text` (the deck's source), in file order.

    Args:
        deck: the deck loaded from `text`.
        text: the deck file's text, as returned by `load_deck_text` / `parse_deck_text`.
        today: the date `review_by` is compared with.
    """
    issues: list[Issue] = []
    if deck.review_by is not None and deck.review_by < today:
        message = (
            f'deck: "review_by" {deck.review_by.isoformat()} has passed: check the deck is '
            "still current, then set a new date"
        )
        issues.append(Issue(("review_by",), message))
    first_front: dict[tuple[str, ...], int] = {}
    for index, card in enumerate(deck.cards):
        path: JsonPath = ("cards", index)
        label = f"card {deckcheck.show(card.id, 40)}"
        issues.extend(_card_warnings(card, path, label))
        front_key, front_field = _front(card)
        if front_key in first_front:
            message = f"{label}: same {front_field} as the card on line {LINE_OF}"
            related = ("cards", first_front[front_key])
            issues.append(Issue((*path, front_field), message, related=related))
        else:
            first_front[front_key] = index
    shown = str(deck.path) if deck.path is not None else "<deck>"
    return deckcheck.position(issues, text, shown, "warning")


def _front(card: Card) -> tuple[tuple[str, ...], str]:
    """What makes two cards the same question, and the field that shows it."""

    def norm(value: str | None) -> str:
        return " ".join((value or "").split()).casefold()

    if card.type == "basic":
        return ("basic", norm(card.front)), "front"
    if card.type == "cloze":
        return ("cloze", norm(card.text)), "text"
    return (card.type, norm(card.scenario), norm(card.question)), "question"


def _card_warnings(card: Card, path: JsonPath, label: str) -> list[Issue]:
    issues: list[Issue] = []
    if card.source is None:
        issues.append(Issue(path, f'{label}: no "source": say where the content comes from'))
    if card.type in ("choice", "rank") and card.explanation is None:
        message = f'{label}: no "explanation": students learn most from the reasoning'
        issues.append(Issue(path, message))
    front_field = {"basic": "front", "cloze": "text"}.get(card.type, "question")
    front = {"basic": card.front, "cloze": card.text}.get(card.type, card.question)
    if "![" in front:  # a picture takes the room of its own, not of its alt text and path
        front = IMAGE_RE.sub("", front)
    if len(front) > LONG_FRONT:
        message = (
            f"{label}: the {front_field} is {len(front)} characters long; "
            f"keep it under {LONG_FRONT} so it is easy to read"
        )
        issues.append(Issue((*path, front_field), message))
    if card.type == "cloze":
        numbers = card.cloze_numbers()
        missing = [n for n in range(1, max(numbers, default=0) + 1) if n not in numbers]
        if missing:
            gaps = ", ".join(f"c{n}" for n in missing)
            found = ", ".join(f"c{n}" for n in numbers)
            message = f"{label}: cloze numbers skip {gaps} (the text has {found})"
            issues.append(Issue((*path, "text"), message))
    if card.type in ("choice", "rank"):
        for number, option in enumerate(card.options):
            if option.why is None:
                message = f'{label}: option {number + 1} has no "why": say why it is right or wrong'
                issues.append(Issue((*path, "options", number), message))
    if card.type == "rank" and len(card.options) != SJT_RANK_OPTIONS:
        message = (
            f"{label}: this rank card has {len(card.options)} options; "
            f"SJT ranking questions have {SJT_RANK_OPTIONS}"
        )
        issues.append(Issue((*path, "options"), message))
    if card.type == "choice" and card.options and all(o.correct for o in card.options):
        message = f"{label}: every option is correct, so any answer scores full marks"
        issues.append(Issue((*path, "options"), message))
    return issues
