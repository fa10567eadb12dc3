"""Readable ids made from card text: "What is the first-line treatment?" -> first-line-treatment."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from quiz.core.images import IMAGE_RE
from quiz.core.model import CLOZE_RE

MAX_LENGTH = 40
"""Longest slug made from text (a suffix like `-2` may follow)."""

_STOP_WORDS = frozenset(
    """a an and are as at be by do does for from how in is it its of on or should the this to
    what when where which who why with you your""".split()  # noqa: SIM905 (a word list reads better)
)
_MARKUP = re.compile(r"[*_`#>\[\]()!|~]")
_WORD = re.compile(r"[a-z0-9]+")


def plain_words(text: str) -> list[str]:
    """The words of a card text: cloze deletions replaced by their answers, pictures by their
    alt text, Markdown dropped."""
    if "{{" in text:
        text = CLOZE_RE.sub(lambda m: m.group(2), text)
    if "![" in text:  # a picture: its alt text, not its file's name
        text = IMAGE_RE.sub(lambda m: m.group(1), text)
    text = _MARKUP.sub(" ", text)
    if not text.isascii():  # accents come off their letters, other characters are dropped
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(text.lower())


def slugify(text: str, max_length: int = MAX_LENGTH, *, drop_small_words: bool = True) -> str:
    """A slug from text, leaving out small words when there are others; "" if none is left."""
    return _slug(plain_words(text), max_length, drop_small_words)


def _slug(words: list[str], max_length: int = MAX_LENGTH, drop_small_words: bool = True) -> str:
    meaningful = [word for word in words if word not in _STOP_WORDS] if drop_small_words else []
    meaningful = meaningful or words
    slug = ""
    for word in meaningful:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > max_length:
            if not slug:
                slug = word[:max_length]
            break
        slug = longer
    return slug


def unique(
    base: str, taken: set[str], fallback: str = "card", numbers: dict[str, int] | None = None
) -> str:
    """`base` (or `fallback`) made unique against `taken` with `-2`, `-3`...; added to `taken`.

    Args:
        numbers: the number last given to each base, kept by a caller making many ids: the
            next `-N` is looked for from there, not from 2 (the numbers below are all taken,
            and `taken` only grows), so 5,000 cards starting alike cost 5,000 tries, not
            12 million.
    """
    base = base or fallback
    n = numbers.get(base, 1) if numbers is not None else 1
    candidate = f"{base}-{n}" if n > 1 else base
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    if numbers is not None:
        numbers[base] = n
    return candidate


def _card_words(card: object) -> tuple[str, list[str]]:
    """`card_text` and its words."""
    if isinstance(card, dict):
        for field in ("front", "text", "scenario", "question"):
            value = card.get(field)
            if isinstance(value, str):
                words = plain_words(value)
                if words:
                    return value, words
    return "", []


def card_text(card: object) -> str:
    """The text a card's id is best made from: front, cloze text, scenario or question."""
    return _card_words(card)[0]


def card_slug(card: object) -> str:
    """`slugify(card_text(card))`, finding the text's words once."""
    return _slug(_card_words(card)[1])


def card_ids(cards: Iterable[object], taken: Iterable[str] = ()) -> list[str]:
    """A unique readable id for each card, from its text (`card_text`), avoiding `taken`."""
    used, numbers = set(taken), dict[str, int]()
    return [unique(card_slug(card), used, numbers=numbers) for card in cards]
