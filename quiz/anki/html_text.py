"""Anki's field HTML reduced to the Markdown-flavoured text of a deck.

Line breaks and blocks become new lines, bold and italics become `**` and `*`, list items
become `- ` lines, links keep their address, images and sounds leave a visible note (quiz
cannot show them), and everything else is reduced to its text.

A field is read by the standard library's HTMLParser, which hands what it finds to `_Text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_BLOCKS = frozenset(
    """address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6
    header hr li ol p pre section table tr ul""".split()  # noqa: SIM905 (a word list reads better)
)
_SKIP = frozenset(("script", "style", "head", "title"))
_BOLD = frozenset(("b", "strong"))
_ITALIC = frozenset(("i", "em"))
_SOUND = re.compile(r"\[sound:([^\]]*)\]")
_LOOKS_LIKE_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*\b[^>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>|&#?\w+;")
_SPACES = re.compile(r"[ \t\r\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def looks_like_html(text: str) -> bool:
    """Whether a field seems to hold HTML (a tag or an entity), as Anki guesses."""
    return bool(_LOOKS_LIKE_HTML.search(text))


@dataclass
class Reduced:
    """A field as text, and what could not come along (media files named in it)."""

    text: str
    media: list[str] = field(default_factory=list)


class _Text:
    """What the tags and text of a field make: parts of the text, and the media named."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.media: list[str] = []
        self.skipping = 0
        self.links: list[str] = []
        self.lists: list[list[str | int]] = []
        """Open lists: [kind, count], kind "ul", "ol" or "A" (an `<ol type="A">`)."""

    def newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "img":
            name = dict(attrs).get("src") or "?"
            self.media.append(name)
            self.parts.append(f"[image: {name}]")
        elif tag in _BOLD:
            self.parts.append("**")
        elif tag in _ITALIC:
            self.parts.append("*")
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        elif tag in ("ul", "ol"):
            self.newline()
            lettered = tag == "ol" and dict(attrs).get("type") in ("A", "a")
            self.lists.append(["A" if lettered else tag, 0])
        elif tag == "li":
            self.newline()
            kind, count = self.lists[-1] if self.lists else ("ul", 0)
            if self.lists:
                self.lists[-1][1] = int(count) + 1
            if kind == "A":  # Markdown has no lettered lists: a bullet with the letter
                self.parts.append(f"- {chr(ord('A') + int(count) % 26)}. ")
            else:
                self.parts.append("1. " if kind == "ol" else "- ")
        elif tag in _BLOCKS:
            self.newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BOLD:
            self.parts.append("**")
        elif tag in _ITALIC:
            self.parts.append("*")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and not href.startswith("#"):
                self.parts.append(f" ({href})")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.newline()
        elif tag in _BLOCKS:
            self.newline()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(_SPACES.sub(" ", data))


class _Parser(HTMLParser):
    """HTMLParser, for any field: hands what it reads to a `_Text`."""

    def __init__(self, text: _Text) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.text.handle_starttag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.text.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.text.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        self.text.handle_data(data)


def reduce_html(html: str) -> Reduced:
    """The text of an HTML field (see the module docstring for what becomes what)."""
    text = _Text()
    parser = _Parser(text)
    parser.feed(html)
    parser.close()
    return _tidy("".join(text.parts), text.media)


def reduce_plain(text: str) -> Reduced:
    """A plain-text field: only Anki's `[sound:...]` references are turned into notes."""
    return _tidy(text.replace("\r\n", "\n"), [])


def _tidy(text: str, media: list[str]) -> Reduced:
    def sound(match: re.Match[str]) -> str:
        media.append(match.group(1))
        return f"[sound: {match.group(1)}]"

    if "[sound:" in text:
        text = _SOUND.sub(sound, text)
    text = text.replace("\xa0", " ")
    text = text.replace("****", "")  # <b></b> or </b><b>: nothing to embolden
    if "\n" in text:
        lines = [line.strip() for line in text.split("\n")]
        text = _BLANK_LINES.sub("\n\n", "\n".join(lines))
    return Reduced(text.strip(), media)
