"""A one-line list of the keys that work now: a light Footer for the review screen.

Textual's Footer rebuilds a widget per key whenever the keys change, which is every stage of
every card here; this draws one line of text instead. The line is worked out when it is drawn,
so the several binding changes of one key press cost one line, and never a layout (the bar is
always one line high).
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """Shows each shown binding of the screen (and focused widget) as "key Description"."""

    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        dock: bottom;
        padding: 0 1;
        background: $footer-background;
        color: $footer-description-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;

        & > .key-bar--key {
            color: $footer-key-foreground;
            text-style: bold;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> Content:
        key_style = self.get_visual_style("key-bar--key")
        parts: list[Content] = []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled:
                continue
            key = Content.styled(self.app.get_key_display(binding), key_style)
            parts.append(Content.assemble(key, " ", binding.description))
        palette = Content.assemble(Content.styled("^p", key_style), " palette")
        return Content("  ").join([*parts, palette])
