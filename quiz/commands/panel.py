"""`quiz panel DECK.json --as NAME -o PANEL.json`: a panellist keys a deck's scenario questions.

Checks everything before the screen opens, so that bad input is one line and a non-zero exit:
the deck must load and have a choice or rank card, the panel file must be this deck's and
this panellist's (a damaged one is refused and never overwritten).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from quiz.commands.authoring import AuthoringError
from quiz.core.model import Deck
from quiz.deckfile.deck import load_deck
from quiz.storage import panel_file
from quiz.storage.panel_file import Panel


def prepare(deck_path: Path, name: str, output: Path) -> tuple[Deck, Panel]:
    """The deck to key and the answers already in the panel file.

    Raises:
        DeckError: the deck file is missing or has errors (each with its place).
        AuthoringError: no name, no scenario question, or a panel file that cannot be used.
    """
    if not name.strip():
        raise AuthoringError("--as needs the panellist's name")
    if output.is_dir():
        raise AuthoringError(f"{output}: this is a folder; give a panel file (.json)")
    if not output.parent.is_dir():
        raise AuthoringError(f"{output}: no folder {output.parent} to write it in")
    deck = load_deck(deck_path)
    if not panel_file.scenario_cards(deck):
        raise AuthoringError(f"{deck_path}: no choice or rank card to key")
    try:
        panel = panel_file.read(output, deck.id, name)
    except panel_file.PanelFileError as exc:
        raise AuthoringError(str(exc)) from None
    return deck, panel


def run(
    deck_path: Path, name: str, output: Path, *, ready: Callable[[], None] = lambda: None
) -> int:
    """Open the panel screen on the deck; returns the exit status.

    Args:
        ready: called once the deck and the panel file are read, before the screen opens
            (the command line checks there that it has a terminal).
    """
    from quiz.ui.screens.panel import run_panel

    deck, panel = prepare(deck_path, name, output)
    ready()
    return run_panel(deck, panel, output)
