"""Plain deck text skips the Markdown parser; it must look exactly as the parser would show it.

`quiz.ui.text.plain_lines` decides that Markdown can see nothing in a text but paragraphs of
words; `inline` and `plain_paragraphs` then split and join it themselves. Here both ways are
compared, on generated text and on every string of the bundled decks.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.content import Content

from quiz.deckfile.deck import load_decks
from quiz.ui.text import clean, inline, markdown_inline, plain_lines
from quiz.ui.widgets.deck_markdown import markdown_paragraphs, plain_paragraphs

ROOT = Path(__file__).resolve().parents[2]

# Every character that means something to Markdown somewhere, spaces of several kinds, line
# breaks, digits (ordered lists) and letters.
TRICKY = [*"ab1Z .,-+=>()!?:;'\"\n\t*_`[]<>#|~&\\", "\u00a0", "\u2028", "é", "\u200b", "\r"]
WORD = st.text(st.sampled_from(list("abcXYZ0123456789.,()'\"!?:;-+=é")), min_size=1, max_size=8)
LINE = st.lists(WORD, min_size=1, max_size=6).map(" ".join)
PROSE = st.lists(st.one_of(LINE, st.just("")), min_size=1, max_size=6).map("\n".join)


def same(a: Content, b: Content) -> bool:
    return a.plain == b.plain and list(a.spans) == list(b.spans)


def check(text: str) -> bool:
    """Both ways agree on `text`; True if the text took the plain way."""
    source = clean(text)
    paragraphs = plain_lines(source)
    if paragraphs is None:
        return False
    assert plain_paragraphs(text) == markdown_paragraphs(source), repr(text)
    for paragraph in plain_paragraphs(text) or []:
        assert same(inline(paragraph), markdown_inline(clean(paragraph))), repr(paragraph)
    assert same(inline(text), markdown_inline(source)), repr(text)
    return True


@settings(max_examples=1500, deadline=None)
@given(st.text(st.sampled_from(TRICKY), max_size=30))
def test_any_text_that_takes_the_plain_way_looks_as_markdown_would_show_it(text: str) -> None:
    check(text)


@settings(max_examples=1500, deadline=None)
@given(PROSE)
def test_prose_that_takes_the_plain_way_looks_as_markdown_would_show_it(text: str) -> None:
    check(text)


def test_the_bundled_decks_look_the_same_either_way() -> None:
    decks, skipped = load_decks([ROOT / "decks"])
    assert decks and not skipped
    texts = []
    for deck in decks:
        for card in deck.cards:
            texts += [card.front, card.back, card.text, card.scenario or "", card.question]
            texts += [card.explanation or ""]
            texts += [part for option in card.options for part in (option.text, option.why or "")]
    plain = [text for text in texts if text and check(text)]
    assert len(plain) > len(texts) // 4  # the plain way is the usual one, not a rarity


def test_what_markdown_could_read_is_left_to_markdown() -> None:
    markdown = ["- a list", "1. first", "# heading", "*bold*", "a  \nb", "    code", "a | b"]
    markdown += ["&amp;", "[a link](x)", "> quoted", "2) second", "`code`", "a\\\nb"]
    for text in markdown:
        assert plain_lines(clean(text)) is None, text
    assert plain_lines("one line\nof words\n\n\nand another") == [
        ["one line", "of words"],
        ["and another"],
    ]
