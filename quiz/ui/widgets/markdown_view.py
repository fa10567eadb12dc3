"""The Markdown widget for deck text with real structure (lists, headings, tables, code).

Its own module so that Textual's Markdown widget is imported only when a deck needs it: most
deck text is plain paragraphs, drawn by `quiz.ui.widgets.deck_markdown.DeckText` without it.
"""

from __future__ import annotations

from textual import on
from textual.widgets import Markdown

from quiz.ui.text import clean, markdown_parser


class DeckMarkdown(Markdown):
    """A Markdown widget for deck text.

    Control characters are made visible, raw HTML shows as text, and a clicked link only
    shows its address: a deck cannot open a browser or run an action.
    """

    def __init__(self, text: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            clean(text), id=id, classes=classes, parser_factory=markdown_parser, open_links=False
        )

    @on(Markdown.LinkClicked)
    def _show_link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.notify(clean(event.href), title="Link (not opened)", markup=False)
