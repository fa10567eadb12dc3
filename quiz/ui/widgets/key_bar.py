"""A one-line list of the keys that work now: a light Footer for the review screen.

Textual's Footer rebuilds a widget per key whenever the keys change, which is every stage of
every card here; this draws one line of text instead.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    """Shows each shown binding of the screen (and focused widget) as "key Description"."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        key_style = self.get_visual_style("key-bar--key")
        parts: list[Content] = []
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled:
                continue
            key = Content.styled(self.app.get_key_display(binding), key_style)
            parts.append(Content.assemble(key, " ", binding.description))
        palette = Content.assemble(Content.styled("^p", key_style), " palette")
        self.update(Content("  ").join([*parts, palette]))
