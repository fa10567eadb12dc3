"""A picture from a deck: decoded in a thread, drawn with the best protocol the terminal has.

`textual-image` draws it: Kitty's graphics protocol or Sixel where the terminal answers for one,
coloured half-blocks everywhere else. Importing `textual_image.widget` asks the terminal what
it can do, which works only before Textual starts and can cost a round trip, so it is imported
by `prepare` (called by `make_app`) only when pictures are on and a loaded deck has one: a
start without pictures never imports it, nor Pillow.

Until the picture is decoded, and wherever it cannot be drawn (pictures off, no file, not a
picture, `prepare` not called), its alt text shows in its place, as data, never markup.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from quiz.core.images import MARK, ImageRef
from quiz.services.deck_files import picture_file
from quiz.ui import terminal_probe
from quiz.ui.text import clean

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

MAX_PIXELS = 40_000_000
"""Largest picture decoded (width times height): a small file may claim a huge picture."""
DECODED_SIDE = 1200
"""A picture is shrunk to at most this many pixels across once decoded, for Sixel or Kitty (a
terminal cell is about 10 pixels wide)..."""
HALF_BLOCK_SIDE = 400
"""...and to this many for half-blocks (one pixel across a cell, two down): the screen's
width in cells is enough, and each frame scales what is kept."""
ROOM = 10
"""Screen rows a card keeps for its other parts (title, question, keys) beside a picture."""
SHARE = 0.4
"""Most of the screen's height a picture takes (the question and options need the rest)."""
_MODULE = terminal_probe.MODULE


def prepare(wanted: bool) -> bool:
    """Import the picture widgets (which asks the terminal what it can draw) if `wanted`, or
    wait for `quiz.ui.terminal_probe` to have done it; True if they are ready. Call before the
    app starts."""
    if wanted:
        terminal_probe.start()
    return terminal_probe.wait()


def alt_text(alt: str) -> Content:
    """What stands for a picture that is not drawn: a picture sign and the alt text."""
    return Content.styled(f"{MARK} {clean(alt)}", "italic $text-muted")


@cache
def _image_class() -> Callable[[PILImage], Widget]:
    """The image widget of the best protocol, sized to the card: as wide as the card, never
    taller than the screen leaves room for."""
    from textual_image import renderable
    from textual_image._geometry import ImageSize
    from textual_image._terminal import get_cell_size
    from textual_image.widget import HalfcellImage, SixelImage, TGPImage

    base: type[Any]
    if renderable.Image is renderable.SixelImage:
        base = SixelImage
    elif renderable.Image is renderable.TGPImage:
        base = TGPImage
    else:  # half-blocks wherever no graphics protocol answered (also with no terminal)
        base = HalfcellImage

    def cells(widget: Any, width: int, viewport: Size) -> tuple[int, int]:
        tall = max(4, min(viewport.height - ROOM, int(viewport.height * SHARE)))
        size = ImageSize(widget._image_width, widget._image_height, "auto", "auto")
        found: tuple[int, int] = size.get_cell_size(max(1, width), tall, get_cell_size())
        return found

    def body(namespace: dict[str, Any]) -> None:
        def get_content_width(self: Any, container: Size, viewport: Size) -> int:
            return cells(self, container.width, viewport)[0]

        def get_content_height(self: Any, container: Size, viewport: Size, width: int) -> int:
            return cells(self, width, viewport)[1]

        namespace["get_content_width"] = get_content_width
        namespace["get_content_height"] = get_content_height
        namespace["DEFAULT_CSS"] = "CardImage { width: auto; height: auto; }"

    kind: Callable[[PILImage], Widget] = types.new_class(
        "CardImage", (base,), {"Renderable": base._Renderable}, body
    )
    return kind


def decode(path: Path) -> PILImage | None:
    """The picture in `path`, decoded and shrunk for the terminal; None if it is not one."""
    from PIL import Image, UnidentifiedImageError

    side = HALF_BLOCK_SIDE if _half_blocks() else DECODED_SIDE

    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            image.draft("RGB", (side, side))  # JPEG: decode at a smaller scale
            picture = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
    picture.thumbnail((side, side))
    return picture


def _half_blocks() -> bool:
    """Whether pictures are drawn in half-blocks (no graphics protocol answered)."""
    from textual_image import renderable

    return renderable.Image not in (renderable.SixelImage, renderable.TGPImage)


class Picture(Vertical):
    """One picture of a card: its alt text until it is decoded (in a thread), then the picture;
    the alt text stays where it cannot be drawn."""

    DEFAULT_CSS = """
    Picture { height: auto; width: 1fr; }
    Picture > .alt { height: auto; }
    """

    def __init__(self, ref: ImageRef, folder: Path | None, *, draw: bool) -> None:
        super().__init__(classes="picture")
        self.ref = ref
        self.folder = folder
        self.draw = draw and folder is not None and _MODULE in sys.modules
        self.drawn = False
        """Whether the picture itself is on show (else its alt text)."""

    def compose(self) -> ComposeResult:
        yield Static(alt_text(self.ref.alt), classes="alt")

    def on_mount(self) -> None:
        if not self.draw:
            return
        assert self.folder is not None
        key = _key(self.folder / self.ref.path)
        if key in _RECENT:  # shown a moment ago (a cloze's reveal): no flash of alt text
            self._show(_RECENT[key], key)
        else:
            self._decode()

    @work(thread=True, group="picture", exit_on_error=False)  # a bad file: its alt text stays
    def _decode(self) -> None:
        assert self.folder is not None
        key = _key(self.folder / self.ref.path)
        path = picture_file(self.folder, self.ref.path)
        image = decode(path) if path is not None else None
        if image is not None:
            self.app.call_from_thread(self._show, image, key)

    def _show(self, image: PILImage, key: tuple[str, tuple[int, int, int]] | None) -> None:
        if key is not None:
            _RECENT.pop(key, None)
            _RECENT[key] = image
            while len(_RECENT) > KEEP:
                del _RECENT[next(iter(_RECENT))]
        if not self.is_attached:
            return
        self.mount(_image_class()(image))
        self.query_one(".alt").display = False
        self.drawn = True


KEEP = 8
"""Pictures kept decoded, the latest shown (a card shown again, or revealed, draws at once)."""
_RECENT: dict[tuple[str, tuple[int, int, int]], PILImage] = {}


def _key(path: Path) -> tuple[str, tuple[int, int, int]] | None:
    """A picture file as it is now (its path, time, size and inode; None if it cannot be
    read): an edited file is decoded again."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return str(path), (info.st_mtime_ns, info.st_size, info.st_ino)
