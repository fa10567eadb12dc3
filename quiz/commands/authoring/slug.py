"""Readable ids made from card text: "What is the first-line treatment?" -> first-line-treatment."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

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
    """The words of a card text: cloze deletions replaced by their answers, Markdown dropped."""
    if "{{" in text:
        text = CLOZE_RE.sub(lambda m: m.group(2), text)
    text = _MARKUP.sub(" ", text)
    if not text.isascii():  # accents come off their letters, other characters are dropped
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(text.lower())


def slugify(text: str, max_length: int = MAX_LENGTH, *, drop_small_words: bool = True) -> str:
    """A slug from text, leaving out small words when there are others; "" if none is left."""
    words = plain_words(text)
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


def unique(base: str, taken: set[str], fallback: str = "card") -> str:
    """`base` (or `fallback`) made unique against `taken` with `-2`, `-3`...; added to `taken`."""
    base = base or fallback
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def card_text(card: object) -> str:
    """The text a card's id is best made from: front, cloze text, scenario or question."""
    if not isinstance(card, dict):
        return ""
    for field in ("front", "text", "scenario", "question"):
        value = card.get(field)
        if isinstance(value, str) and plain_words(value):
            return value
    return ""


def ids_for(texts: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """A unique readable id for each text, avoiding the ids in `taken`."""
    used = set(taken)
    return [unique(slugify(text), used) for text in texts]
