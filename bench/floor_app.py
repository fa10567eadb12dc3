"""The floor under B3: the smallest Textual app, one line of text, started like `quiz study`.

    python bench/floor_app.py

B3 times it in turns with quiz: no quiz start can be quicker than Python importing Textual
and drawing a first frame, and this machine's speed changes from minute to minute, so quiz's
figure is read against this one taken at the same moments.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

TEXT = "The floor of a Textual start: one line of text on screen."


class Floor(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(TEXT)


if __name__ == "__main__":
    Floor().run()
