"""`quiz preview`: a deck file as its author checks it, reloaded whenever it is saved.

Every card with every side and option, the ideal rank order, the `why`s, ids, tags, source
and the `--strict` warnings, with the cards' pictures. Nothing is scheduled and nothing is
written. The file and the picture files it names are polled (size, time and inode) twice a
second; a change to any reloads the deck and stays on the same card.
A deck with errors shows them (`file:line:col`) until it is fixed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from quiz.core.images import card_images
from quiz.core.model import Deck
from quiz.services.deck_files import DeckError, Finding, card_warnings, load_deck_text
from quiz.ui.text import clean, literal
from quiz.ui.widgets.card_sheet import CardSheet

POLL_SECONDS = 0.5

Signature = tuple[int, int, int] | None
Signatures = tuple[Signature, tuple[Signature, ...]]


def signature(path: Path) -> Signature:
    """What changes when the file is saved: modification time, size, inode (None if gone)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def signatures(path: Path, deck: Deck | None) -> Signatures:
    """`signature` of the deck file, and of each picture file its cards name."""
    if deck is None:
        return signature(path), ()
    folder = path.parent
    names = dict.fromkeys(ref.path for card in deck.cards for ref in card_images(card))
    return signature(path), tuple(signature(folder / name) for name in names)


@dataclass
class Loaded:
    """The deck as last read: the deck and its warnings, or the errors that stop it loading."""

    deck: Deck | None
    warnings: list[Finding]
    errors: list[Finding]


def load(path: Path, today: date) -> Loaded:
    """Read the deck file; never raises for a bad deck."""
    try:
        deck, text = load_deck_text(path)
    except DeckError as exc:
        return Loaded(None, [], list(exc.errors))
    return Loaded(deck, card_warnings(deck, text, today), [])


class PreviewScreen(Screen[None]):
    """One card at a time; left and right step through the deck."""

    DEFAULT_CSS = """
    PreviewScreen #where { height: 1; background: $panel; padding: 0 1; }
    PreviewScreen #deck-notes { height: auto; max-height: 6; padding: 0 1; color: $text-warning; }
    PreviewScreen #errors { height: auto; padding: 1 1; color: $text-error; }
    PreviewScreen #body { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,n,space", "step(1)", "Next", id="next", key_display="→"),
        Binding("left,p", "step(-1)", "Previous", id="previous", key_display="←"),
        Binding("home", "jump(0)", "First", id="first", priority=True, show=False),
        Binding("end", "jump(-1)", "Last", id="last", priority=True, show=False),
        Binding("r", "reload", "Reload", id="reload"),
        Binding("q,escape", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, path: Path, today: date, *, poll: float | None = POLL_SECONDS) -> None:
        """
        Args:
            path: the deck file.
            today: the date `review_by` warnings compare with.
            poll: seconds between checks of the file; None checks only on `r`.
        """
        super().__init__()
        self.path = path
        self.today = today
        self.poll = poll
        self.index = 0
        self.loaded = Loaded(None, [], [])
        """How many times the deck has been read (for the curious, and for tests)."""
        self._signature: Signatures = (None, ())

    def compose(self) -> ComposeResult:
        yield Static(id="where")
        yield Static(id="deck-notes")
        yield VerticalScroll(id="body")
        yield Footer()

    async def on_mount(self) -> None:
        await self.reload()
        if self.poll:
            self.set_interval(self.poll, self.check_file)

    @property
    def card_id(self) -> str | None:
        """The id of the card shown, if a deck is loaded."""
        deck = self.loaded.deck
        return deck.cards[self.index].id if deck and deck.cards else None

    async def check_file(self) -> bool:
        """Reload if the file changed on disk since it was last read; True if it did."""
        if signatures(self.path, self.loaded.deck) == self._signature:
            return False
        await self.reload()
        return True

    async def reload(self) -> None:
        """Read the deck again and show the same card (by id) as before, if it is still there."""
        keep = self.card_id
        before = signature(self.path)
        self.loaded = load(self.path, self.today)
        self._signature = signatures(self.path, self.loaded.deck)
        if self._signature[0] != before:  # saved while it was read: read it again next time
            self._signature = (before, self._signature[1])
        deck = self.loaded.deck
        if deck is not None:
            ids = [card.id for card in deck.cards]
            if keep in ids:
                self.index = ids.index(keep)
            self.index = max(0, min(self.index, len(ids) - 1))
        await self.show()

    async def action_reload(self) -> None:
        await self.reload()
        self.notify("Reloaded", timeout=1.5)

    async def action_step(self, delta: int) -> None:
        deck = self.loaded.deck
        if deck is None:
            return
        new = max(0, min(self.index + delta, len(deck.cards) - 1))
        if new != self.index:
            self.index = new
            await self.show()

    async def action_jump(self, index: int) -> None:
        deck = self.loaded.deck
        if deck is None:
            return
        self.index = index % len(deck.cards)
        await self.show()

    async def show(self) -> None:
        """Draw the current card, or the errors."""
        body = self.query_one("#body", VerticalScroll)
        where = self.query_one("#where", Static)
        notes = self.query_one("#deck-notes", Static)
        await body.remove_children()
        deck = self.loaded.deck
        if deck is None:
            count = len(self.loaded.errors)
            where.update(
                Content.assemble(
                    literal(str(self.path), "bold"),
                    f"  {count} error{'s' if count != 1 else ''}: fix and save; this reloads",
                )
            )
            notes.update("")
            lines = "\n".join(str(error) for error in self.loaded.errors)
            await body.mount(Static(literal(lines), id="errors"))
            return
        card = deck.cards[self.index]
        where.update(
            Content.assemble(
                literal(deck.title, "bold"),
                f"  ({clean(deck.id)})  card {self.index + 1} of {len(deck.cards)}  ",
                literal(str(self.path), "dim"),
            )
        )
        last = deck.cards[self.index + 1].line if self.index + 1 < len(deck.cards) else None
        mine = [w for w in self.loaded.warnings if _within(w.line, card.line, last)]
        first_card = deck.cards[0].line
        deck_level = [w for w in self.loaded.warnings if w.line < first_card]
        notes.update(literal("\n".join(f"⚠ {w}" for w in deck_level)) if deck_level else "")
        notes.display = bool(deck_level)
        await body.mount(CardSheet(deck, card, mine))
        body.scroll_home(animate=False)


def _within(line: int, start: int, end: int | None) -> bool:
    return line >= start and (end is None or line < end)


class PreviewApp(App[int]):
    """The app in preview mode: one screen, no progress folder, nothing written."""

    TITLE = "quiz preview"
    pictures = True
    """Cards' pictures are drawn (where `prepare` has made them drawable)."""

    def __init__(self, path: Path, today: date, *, poll: float | None = POLL_SECONDS) -> None:
        super().__init__()
        self.preview = PreviewScreen(path, today, poll=poll)

    def deck_folder(self, deck_id: str) -> Path | None:
        """The folder of the deck file previewed (its pictures' paths start there)."""
        return self.preview.path.parent

    def get_default_screen(self) -> Screen[None]:
        return self.preview


def run_preview(path: Path, *, today: date) -> int:
    """Run the preview of an existing deck file until the user quits; returns the exit
    status (`quiz.commands.authoring.check_preview_path` checks the path first)."""
    from quiz.ui.widgets.picture import prepare

    prepare(True)  # an author previews pictures: ask the terminal before the app starts
    app = PreviewApp(path, today)
    app.run()
    return app.return_code or 0
