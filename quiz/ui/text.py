"""Deck text made safe to show: control characters made visible, and never read as markup.

A deck is written by someone else. Its strings reach the screen only through these helpers:
`clean` turns terminal control characters (ESC, OSC, BEL...) into visible symbols so they can
neither drive the terminal nor hide text, `literal` wraps a string as `Content` (which Textual
never parses as markup), and `inline` renders short Markdown (an option, a `why`) as `Content`
with bold, italics and code styled but nothing clickable.

Most deck text is plain sentences. Text in which Markdown could see nothing but paragraphs of
words (`plain_lines`) is shown without running the Markdown parser, so `markdown_it` is
imported only when a card needs it (its import is a visible part of a start). The two ways give the
same result; tests/ui/test_plain_text.py checks that on generated text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from textual.content import Content, Span

from quiz.core.images import MARK
from quiz.core.text import visible

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

clean = visible
"""Control characters (other than newline and tab) made visible: quiz.core.text, the one
sanitiser of text from files."""


def literal(text: str, style: str = "") -> Content:
    """A deck string as Content, exactly as written (control characters made visible)."""
    return Content.styled(clean(text), style) if style else Content(clean(text))


@cache
def markdown_parser() -> MarkdownIt:
    """The Markdown dialect of deck text: GitHub-like, with raw HTML shown as text.

    One parser serves every widget (it holds no state between documents; making one costs
    more than parsing a card).
    """
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like", {"html": False})


@cache
def _inline_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


_INLINE_STYLES = {"strong": "bold", "em": "italic", "s": "strike"}

_MAY_BE_MARKDOWN = re.compile(
    r"[\\`*_\[\]<>#|~&]"  # emphasis, code, links, HTML, headings, tables, entities, escapes
    r"|^[^\S\n]|[^\S\n]$"  # indented lines (code, lazy lines), trailing spaces (hard breaks)
    r"|^[-+=>]|^\d{1,9}[.)]",  # list items, setext underlines, quotes, ordered lists
    re.MULTILINE,
)


def plain_lines(source: str) -> list[list[str]] | None:
    """The paragraphs (each a list of lines) of cleaned text in which Markdown can only see
    plain paragraphs of words; None if it might see more (the parser must then decide).

    Deliberately cautious: a text that merely might be Markdown (a line starting "1." or
    "-", any asterisk or underscore) is left to the parser.
    """
    if _MAY_BE_MARKDOWN.search(source):
        return None
    paragraphs: list[list[str]] = [[]]
    for line in source.split("\n"):
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [lines for lines in paragraphs if lines]


def inline(text: str) -> Content:
    """Render one paragraph of Markdown as Content: emphasis and code, links as plain text.

    Block structure (lists, headings) is not interpreted; use the Markdown widget for that.
    """
    source = clean(text)
    paragraphs = plain_lines(source)
    if paragraphs is not None and len(paragraphs) == 1 and "\n".join(paragraphs[0]) == source:
        return Content(" ".join(paragraphs[0]))  # a line break in a paragraph is a space
    return markdown_inline(source)


def markdown_inline(source: str) -> Content:
    """`inline` by the Markdown parser, always (on text already cleaned)."""
    tokens = _inline_parser().parseInline(source)
    if not tokens or tokens[0].children is None:
        return Content(source)
    return _inline_content(tokens[0].children)


def _inline_content(children: list[Token]) -> Content:
    parts: list[str] = []
    spans: list[Span] = []
    opened: list[tuple[str, int, str]] = []
    position = 0

    def add(text: str) -> None:
        nonlocal position
        parts.append(text)
        position += len(text)

    for token in children:
        kind = token.type
        if kind in ("text", "html_inline"):
            add(token.content)
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "code_inline":
            spans.append(Span(position, position + len(token.content), "reverse"))
            add(token.content)
        elif kind == "image":  # a picture in one line of text: its alt text
            add(f"{MARK} {token.content}")
        elif kind.endswith("_open"):
            opened.append((kind[: -len("_open")], position, str(token.attrs.get("href", ""))))
        elif kind.endswith("_close") and opened:
            name, start, href = opened.pop()
            if name == "link" and href:
                add(f" ({href})")
            elif name in _INLINE_STYLES and position > start:
                spans.append(Span(start, position, _INLINE_STYLES[name]))
    return Content("".join(parts), spans=spans)
