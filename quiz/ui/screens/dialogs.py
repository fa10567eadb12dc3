"""Small modal questions and notes during a session: a leech, and a card's source."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from quiz.core.model import Deck, Item
from quiz.ui.text import literal


class LeechScreen(ModalScreen[bool]):
    """Offer to suspend a leech. Returns True to suspend it, False to keep going."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose(True)", "Suspend it"),
        Binding("k", "choose(False)", "Keep going"),
        Binding("escape", "choose(False)", "Keep going", show=False),
    ]

    def __init__(self, item: Item) -> None:
        super().__init__(classes="dialog")
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Content.styled("This card is a leech", "bold"), classes="dialog-title")
            yield Static(
                Content(
                    "You have forgotten it 8 times or more. Cards like this waste study time:"
                    " suspending it lets you rewrite it or learn it another way."
                )
            )
            yield Static(literal(self.item.key), classes="dim")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("s Suspend it"), id="suspend", variant="warning")
                yield Button(Content("k Keep going"), id="keep", variant="primary")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "suspend")

    def action_choose(self, suspend: bool) -> None:
        self.dismiss(suspend)


class SourceScreen(ModalScreen[None]):
    """Where a card comes from: its source, deck, file and id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("e", "close", "Close", show=False),
        Binding("enter", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, item: Item, deck: Deck | None) -> None:
        super().__init__(classes="dialog")
        self.item = item
        self.deck = deck

    def compose(self) -> ComposeResult:
        card = self.item.card
        where = str(self.deck.path) if self.deck and self.deck.path else "(not from a file)"
        if card.line:
            where += f", line {card.line}"
        with Vertical(classes="dialog-box"):
            yield Static(Content.styled("Source", "bold"), classes="dialog-title")
            yield Static(literal(card.source or "This card names no source."), id="source-text")
            yield Static(literal(f"Deck: {self.deck.title if self.deck else card.deck_id}"))
            yield Static(literal(f"Card: {self.item.key}"))
            yield Static(literal(f"File: {where}"))
            yield Static(Content("Escape closes."), classes="dim")

    def action_close(self) -> None:
        self.dismiss(None)
