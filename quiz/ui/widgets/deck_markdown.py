"""Markdown from a deck: rendered by Textual, never read as markup, links never followed.

Most deck text is a paragraph or two; that is drawn in one `Static` (bold, italics and code
rendered by `quiz.ui.text.inline`), which costs a fraction of a Markdown widget's blocks and
can be changed in place from card to card. Text with real structure (lists, headings, tables,
code blocks, quotes) gets the Markdown widget (`quiz.ui.widgets.markdown_view`, imported when
first needed). Either way the text is never parsed as Rich or Textual markup.
"""

from __future__ import annotations

from pathlib import Path

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from quiz.core.images import has_images
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


def folder_of(widget: Widget, deck_id: str) -> Path | None:
    """The folder of a loaded deck's file, as the app knows it (`deck_folder`), if it does."""
    find = getattr(widget.app, "deck_folder", None)
    folder = find(deck_id) if callable(find) else None
    return folder if isinstance(folder, Path) else None


class DeckText(Static):
    """One piece of deck text, shown with `show` (hidden while empty).

    A `Static` itself, not a container around one: an auto-height container per piece of
    text made every layout of the card arrange a level more. Text with structure is shown by
    a `DeckMarkdown` mounted just after this widget, with the same classes, while this one
    hides; it is removed when other text is shown.
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.display = False  # until there is text to show
        self.text: str | None = None
        """The Markdown on show ("" or None: nothing)."""
        self.folder: Path | None = None
        """The folder of the deck the text comes from (its pictures' paths start there)."""
        self._structured: Widget | None = None

    async def show(self, text: str | None, folder: Path | None = None) -> None:
        """Show `text` (Markdown), or hide the widget if it is None or empty.

        Args:
            text: the Markdown.
            folder: the folder of the deck file, where the text's pictures are.
        """
        text = text or None
        if text == self.text and folder == self.folder:
            return
        self.text = text
        self.folder = folder
        if self._structured is not None:
            await self._structured.remove()
            self._structured = None
        if text and isinstance(self.parent, Widget) and has_images(text):
            from quiz.ui.widgets.pictured import PicturedText  # only when a card needs it

            self.display = False
            self._structured = PicturedText(text, folder, classes=" ".join(self.classes))
            await self.parent.mount(self._structured, after=self)
            await self._structured.fill()
            return
        paragraphs = plain_paragraphs(text) if text else None
        self.display = paragraphs is not None
        if paragraphs is not None:
            self.update(Content("\n\n").join(inline(p) for p in paragraphs))
        elif text and isinstance(self.parent, Widget):
            from quiz.ui.widgets.markdown_view import DeckMarkdown  # only when a card needs it

            self._structured = DeckMarkdown(text, classes=" ".join(self.classes))
            await self.parent.mount(self._structured, after=self)
