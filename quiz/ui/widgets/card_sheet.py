"""A card laid open for its author: every side, every option marked, the ideal order, the whys.

Used by the preview screen. Deck text is shown as Markdown (raw HTML as text, links never
followed) or as `Content`, never parsed as markup; control characters are made visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from markdown_it import MarkdownIt
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Markdown, Static

from quiz.core.deck import Finding
from quiz.core.model import CLOZE_RE, Card, Deck

_VISIBLE = {code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\n\t"}
_VISIBLE[0x7F] = "\u2421"


def visible(text: str) -> str:
    """Deck text with control characters (ESC, BEL...) shown as symbols, never sent raw."""
    return text.replace("\r\n", "\n").translate(_VISIBLE)


def _parser() -> MarkdownIt:
    return MarkdownIt("gfm-like", {"html": False})


class SheetMarkdown(Markdown):
    """Markdown from a deck: raw HTML shows as text and a clicked link is only named."""

    DEFAULT_CSS = """
    SheetMarkdown { margin: 0 0 0 2; padding: 0; height: auto; }
    SheetMarkdown > MarkdownBlock:last-child { margin-bottom: 0; }
    """

    def __init__(self, text: str, *, classes: str | None = None) -> None:
        super().__init__(visible(text), classes=classes, parser_factory=_parser, open_links=False)

    @on(Markdown.LinkClicked)
    def _name_link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.notify(visible(event.href), title="Link (not opened in preview)", markup=False)


def cloze_side(text: str, number: int, *, answer: bool) -> str:
    """The Markdown of cloze item `number`: its gaps blanked (with any hint) or filled in bold."""

    def replace(match: re.Match[str]) -> str:
        if int(match.group(1)) != number:
            return match.group(2)
        if answer:
            return f"**{match.group(2)}**"
        hint = (match.group(3) or "").strip()
        return f"**\\[{hint or '...'}\\]**"

    return CLOZE_RE.sub(replace, text)


def _label(text: str) -> Static:
    return Static(Content.styled(text, "bold $accent"), classes="label")


def _line(*parts: str | tuple[str, str]) -> Static:
    """One line of plain text pieces (deck text made visible), each optionally styled."""
    pieces: list[str | tuple[str, str]] = [
        visible(p) if isinstance(p, str) else (visible(p[0]), p[1]) for p in parts
    ]
    return Static(Content.assemble(*pieces), classes="line")


def _option(mark: tuple[str, str], text: str, column: str = "mark") -> Horizontal:
    """An option: its mark (or place) in a column of its own, the text wrapping beside it."""
    return Horizontal(
        Static(Content.styled(mark[0], mark[1]), classes=column),
        Static(Content(visible(text)), classes="option-text"),
        classes="option",
    )


class CardSheet(Vertical):
    """Everything about one card: its header, every side, the options, and its warnings."""

    DEFAULT_CSS = """
    CardSheet { height: auto; padding: 0 1; }
    CardSheet .label { margin: 1 0 0 0; }
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
            yield SheetMarkdown(card.explanation)
        yield _label("Source")
        yield _line(card.source or "none given")

    def _basic(self) -> Iterable[Widget]:
        card = self.card
        yield _label("Front")
        yield SheetMarkdown(card.front)
        yield _label("Back")
        yield SheetMarkdown(card.back)
        if card.reverse:
            yield _label("Reversed card: the back is shown, the front is asked for")

    def _cloze(self) -> Iterable[Widget]:
        numbers = self.card.cloze_numbers()
        for number in numbers:
            yield _label(f"Gap c{number} (card {number} of {len(numbers)}): question")
            yield SheetMarkdown(cloze_side(self.card.text, number, answer=False))
            yield _label(f"Gap c{number}: answer")
            yield SheetMarkdown(cloze_side(self.card.text, number, answer=True))

    def _question(self) -> Iterable[Widget]:
        card = self.card
        if card.scenario:
            yield _label("Scenario")
            yield SheetMarkdown(card.scenario)
        yield _label("Question")
        yield SheetMarkdown(card.question)
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

    def _why(self, why: str | None, classes: str = "why") -> Iterable[Static]:
        text = f"why: {why}" if why else "why: (none given)"
        yield Static(Content(visible(text)), classes=classes)
