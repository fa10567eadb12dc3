"""Markdown from a deck: rendered by Textual, never read as markup, links never followed.

Most deck text is a paragraph or two; that is drawn in one `Static` (bold, italics and code
rendered by `quiz.ui.text.inline`), which costs a fraction of a Markdown widget's blocks and
can be changed in place from card to card. Text with real structure (lists, headings, tables,
code blocks, quotes) gets the Markdown widget (`quiz.ui.widgets.markdown_view`, imported when
first needed). Either way the text is never parsed as Rich or Textual markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from quiz.ui.text import clean, inline, markdown_parser, plain_lines

_PLAIN_BLOCKS = {"paragraph_open", "paragraph_close", "inline"}


def plain_paragraphs(text: str) -> list[str] | None:
    """The paragraphs of Markdown made of nothing else, or None if it has other blocks."""
    source = clean(text)
    if (paragraphs := plain_lines(source)) is not None:
        return ["\n".join(lines) for lines in paragraphs]
    return markdown_paragraphs(source)


def markdown_paragraphs(source: str) -> list[str] | None:
    """`plain_paragraphs` by the Markdown parser, always (on text already cleaned)."""
    tokens = markdown_parser().parse(source)
    if all(token.type in _PLAIN_BLOCKS for token in tokens):
        return [token.content for token in tokens if token.type == "inline"]
    return None


class DeckText(Vertical):
    """A place for one piece of deck text, shown with `show` (hidden while empty)."""

    def compose(self) -> ComposeResult:
        yield Static(classes="paragraphs")

    async def show(self, text: str | None) -> None:
        """Show `text` (Markdown), or hide the widget if it is None or empty."""
        self.display = bool(text)
        static = self.query_one(".paragraphs", Static)
        if structured := self.query("DeckMarkdown"):  # by name: its module may not be loaded
            await structured.remove()
        if not text:
            return
        paragraphs = plain_paragraphs(text)
        static.display = paragraphs is not None
        if paragraphs is not None:
            static.update(Content("\n\n").join(inline(p) for p in paragraphs))
        else:
            from quiz.ui.widgets.markdown_view import DeckMarkdown  # only when a card needs it

            await self.mount(DeckMarkdown(text))
