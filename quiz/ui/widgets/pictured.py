"""Deck text with pictures: its runs of text and its pictures, one under another, in order.

Its own module so that the picture widget (and what it imports) loads only for a card with a
picture in it.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from quiz.core.images import split
from quiz.ui.widgets.deck_markdown import DeckText
from quiz.ui.widgets.picture import Picture


def pictures_on(widget: Widget) -> bool:
    """Whether the app draws pictures (its `pictures` attribute; else they are off)."""
    return bool(getattr(widget.app, "pictures", False))


class PicturedText(Vertical):
    """Markdown holding pictures: each run of text a `DeckText`, each picture a `Picture`."""

    DEFAULT_CSS = """
    PicturedText { height: auto; }
    """

    def __init__(self, text: str, folder: Path | None, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.text = text
        self.folder = folder

    async def fill(self) -> None:
        """Mount the pieces (call once this widget is mounted)."""
        draw = pictures_on(self)
        pieces: list[tuple[DeckText, str]] = []
        widgets: list[Widget] = []
        for part in split(self.text):
            if isinstance(part, str):
                piece = DeckText()
                pieces.append((piece, part))
                widgets.append(piece)
            else:
                widgets.append(Picture(part, self.folder, draw=draw))
        await self.mount_all(widgets)
        for piece, part in pieces:
            await piece.show(part)


class SheetText(Vertical):
    """Markdown holding pictures, for a card laid open (the preview): each run of text a
    `DeckMarkdown`, each picture a `Picture`."""

    DEFAULT_CSS = """
    SheetText { height: auto; }
    """

    def __init__(self, text: str, folder: Path | None) -> None:
        super().__init__(classes="sheet-text")
        self.text = text
        self.folder = folder

    def compose(self) -> ComposeResult:
        from quiz.ui.widgets.markdown_view import DeckMarkdown

        draw = pictures_on(self)
        for part in split(self.text):
            if isinstance(part, str):
                yield DeckMarkdown(part)
            else:
                yield Picture(part, self.folder, draw=draw)
