"""A card laid open for its author: every side, every option marked, the ideal order, the whys.

Used by the preview screen. Deck text goes through the session's own helpers: `DeckMarkdown`
for the sides, `cloze_markdown` (via `card_front`/`card_back`) for the gaps, `inline` for the
options and whys and `literal` for the rest, so it is never parsed as markup, control
characters are made visible, and the author sees what a student will.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from quiz.core.images import has_images
from quiz.core.model import Card, Deck
from quiz.services.deck_files import Finding
from quiz.ui.text import inline, literal
from quiz.ui.widgets.flashcard import card_back, card_front
from quiz.ui.widgets.markdown_view import DeckMarkdown


def _label(text: str) -> Static:
    return Static(Content.styled(text, "bold $accent"), classes="label")


def _line(*parts: str | tuple[str, str]) -> Static:
    """One line of plain text pieces (deck text made visible), each optionally styled."""
    pieces = [literal(p) if isinstance(p, str) else literal(*p) for p in parts]
    return Static(Content.assemble(*pieces), classes="line")


def _option(mark: tuple[str, str], text: str, column: str = "mark") -> Horizontal:
    """An option: its mark (or place) in a column of its own, the text wrapping beside it.

    The text is rendered as in a session (`inline`: emphasis and code, nothing clickable).
    """
    return Horizontal(
        Static(Content.styled(mark[0], mark[1]), classes=column),
        Static(inline(text), classes="option-text"),
        classes="option",
    )


class CardSheet(Vertical):
    """Everything about one card: its header, every side, the options, and its warnings."""

    DEFAULT_CSS = """
    CardSheet { height: auto; padding: 0 1; }
    CardSheet .label { margin: 1 0 0 0; }
    CardSheet DeckMarkdown { margin: 0 0 0 2; padding: 0; height: auto; }
    CardSheet SheetText { margin: 0 0 0 2; }
    CardSheet SheetText DeckMarkdown { margin: 0; }
    CardSheet DeckMarkdown > MarkdownBlock:last-child { margin-bottom: 0; }
    CardSheet .line { margin: 0 0 0 2; }
    CardSheet .option { height: auto; margin: 0 0 0 2; }
    CardSheet .mark { width: 12; }
    CardSheet .place { width: 4; }
    CardSheet .option-text { width: 1fr; }
    CardSheet .why { margin: 0 0 0 14; color: $text-muted; }
    CardSheet .why.ranked { margin: 0 0 0 6; }
    CardSheet .warning { color: $text-warning; }
    CardSheet .meta { color: $text-muted; }
    """

    def __init__(self, deck: Deck, card: Card, warnings: Sequence[Finding] = ()) -> None:
        super().__init__(classes="card-sheet")
        self.deck = deck
        self.card = card
        self.warnings = list(warnings)

    def compose(self) -> ComposeResult:
        card = self.card
        tags = ", ".join(self.deck.all_tags(card)) or "none"
        yield _line(
            (f"{card.type}", "bold"),
            f"  id {card.id}  ·  line {card.line}  ·  tags: {tags}",
        )
        yield _line(f"progress keys: {', '.join(item.key for item in card.items())}").add_class(
            "meta"
        )
        for warning in self.warnings:
            yield _line(
                ("⚠ warning", "bold"), f" line {warning.line}:{warning.column}: {warning.message}"
            ).add_class("warning")
        if card.type == "basic":
            yield from self._basic()
        elif card.type == "cloze":
            yield from self._cloze()
        else:
            yield from self._question()
        if card.explanation:
            yield _label("Explanation")
            yield self._text(card.explanation)
        yield _label("Source")
        yield _line(card.source or "none given")

    def _basic(self) -> Iterable[Widget]:
        card = self.card
        yield _label("Front")
        yield self._text(card.front)
        yield _label("Back")
        yield self._text(card.back)
        if card.reverse:
            yield _label("Reversed card: the back is shown, the front is asked for")

    def _cloze(self) -> Iterable[Widget]:
        items = self.card.items()
        for item in items:
            number = item.cloze
            yield _label(f"Gap c{number} (card {number} of {len(items)}): question")
            yield self._text(card_front(item))
            yield _label(f"Gap c{number}: answer")
            yield self._text(card_back(item))

    def _question(self) -> Iterable[Widget]:
        card = self.card
        if card.scenario:
            yield _label("Scenario")
            yield self._text(card.scenario)
        yield _label("Question")
        yield self._text(card.question)
        n = len(card.options)
        if card.type == "choice":
            k = len(card.correct_indexes)
            if k == 1:
                how = f"Options (single best answer, 1 of {n}; shown shuffled; scores 1 or 0)"
            else:
                how = (
                    f"Options (choose {k} of {n}; shown shuffled; 4 marks per correct pick, "
                    f"out of {4 * k}; more than {k} picks score 0)"
                )
            yield _label(how)
            for option in card.options:
                mark = ("✓ correct", "bold $text-success") if option.correct else ("✗ wrong", "")
                yield _option(mark, option.text)
                yield from self._why(option.why)
        else:
            yield _label(
                f"Ideal order, most appropriate first (shown shuffled; each option scores "
                f"{n - 1} less its distance from its place, {n * (n - 1)} in all)"
            )
            for place, option in enumerate(card.options, start=1):
                yield _option((f"{place}.", "bold"), option.text, "place")
                yield from self._why(option.why, "why ranked")

    def _text(self, text: str) -> Widget:
        """A side of the card: Markdown, with its pictures drawn if it has any."""
        if has_images(text):
            from quiz.ui.widgets.pictured import SheetText

            folder = self.deck.path.parent if self.deck.path else None
            return SheetText(text, folder)
        return DeckMarkdown(text)

    def _why(self, why: str | None, classes: str = "why") -> Iterable[Static]:
        text = Content.assemble("why: ", inline(why)) if why else Content("why: (none given)")
        yield Static(text, classes=classes)
