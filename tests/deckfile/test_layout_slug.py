"""The quick ways of writing a deck's strings and finding a text's words give the slow ways'
results: json.dumps for every value, and NFKD folding for every text."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from typing import Any

import pytest

from quiz.commands.authoring.slug import _MARKUP, card_ids, card_text, plain_words, slugify, unique
from quiz.core.model import CLOZE_RE
from quiz.deckfile.layout import _scalar

VALUES: list[tuple[str, Any]] = [
    ("ascii", "Heart rate > 100/min"),
    ("quotes and backslashes", 'say "S1" \\ then'),
    ("controls", "a\x00b\tc\nd\x1f"),
    ("non-ascii", "Guillain-Barré → ½ 中"),
    ("line separator", "a\u2028b"),
    ("lone surrogate", "\ud800"),
    ("true", True),
    ("false", False),
    ("null", None),
    ("int", 1),
    ("float", 1.5),
]


@pytest.mark.parametrize(("name", "value"), VALUES, ids=[v[0] for v in VALUES])
def test_scalars_are_written_as_json_dumps_writes_them(name: str, value: Any) -> None:
    assert _scalar(value) == json.dumps(value, ensure_ascii=False)


def folded_words(text: str) -> list[str]:
    """plain_words as it was: every text folded with NFKD."""
    text = CLOZE_RE.sub(lambda m: m.group(2), text)
    folded = unicodedata.normalize("NFKD", _MARKUP.sub(" ", text))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return [word for word in re.split(r"[^a-z0-9]+", ascii_text) if word]


PIECES = ["{{c1::", "}}", "::", "{{", "é", "İ", "ß", "Ω", "ﬁ", "½", "A", "b", " ", "*", "#",
          "-", "9", "x", "\u0301", "中", "\n", "{{c2::a::b}}", "Ä"]  # fmt: skip


def test_words_are_found_as_nfkd_folding_finds_them() -> None:
    rng = random.Random(15)
    for _ in range(5000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        assert plain_words(text) == folded_words(text), text


def test_ids_with_numbers_kept_are_the_ids_made_one_by_one() -> None:
    """Ids made in bulk (the next -N remembered per base) are those `unique` makes alone."""
    rng = random.Random(15)
    words = ["heart", "heart 2", "heart-2", "lung", "", "the", "what is", "{{c1::heart}}"]
    cards: list[object] = [{"front": rng.choice(words)} for _ in range(3000)]
    cards += [{"type": "cloze", "text": rng.choice(words)} for _ in range(500)]
    cards += ["not a card", {"question": "Heart?"}]
    taken = {"heart-3", "card"}
    one_by_one = set(taken)
    expected = [unique(slugify(card_text(card)), one_by_one) for card in cards]
    assert card_ids(cards, taken) == expected
    assert len(set(expected)) == len(expected)
