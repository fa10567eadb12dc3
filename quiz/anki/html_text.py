"""Anki's field HTML reduced to the Markdown-flavoured text of a deck.

Line breaks and blocks become new lines, bold and italics become `**` and `*`, list items
become `- ` lines, links keep their address, images and sounds leave a visible note (quiz
cannot show them), and everything else is reduced to its text.

A field is read by the standard library's HTMLParser, or, when it is the well-formed HTML
Anki's editor writes (tags with plain attributes, text without a stray `<`, no script, style
or comment), by one regular expression that finds the same tags and text: a field costs half
or less (a 30,000-note package has some 60,000 fields: 2.0 s through HTMLParser, 0.6-1.1 s
now). Both feed the same `_Text`; tests/authoring/test_html_text.py holds them to the same
result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
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

# The fast path's grammar: a subset of HTML on which HTMLParser reads exactly these tags,
# attributes and text. Spaces are ASCII's (HTMLParser's own rules differ on other ones),
# names are letters and digits, unquoted values printable ASCII without quotes, `<`, `=`, `>`
# or a backquote, and quoted ones hold no `<` or `>`.
_WS = "[ \t\n\r\f]"
_NAME = "[a-zA-Z_:][-a-zA-Z0-9_:.]*"
_VALUE = "\"[^\"<>]*\"|'[^'<>]*'|[!#-&(-;?-_a-~]+"
_TAG = re.compile(
    rf"<([a-zA-Z][a-zA-Z0-9]*)((?:{_WS}+{_NAME}(?:{_WS}*={_WS}*(?:{_VALUE}))?)*){_WS}*/?>"
    rf"|</([a-zA-Z][a-zA-Z0-9]*){_WS}*>"
)
_ATTRIBUTE = re.compile(rf"({_NAME})(?:{_WS}*={_WS}*({_VALUE}))?")
_SPECIAL = frozenset(
    """script style title textarea xmp iframe noembed noframes noscript plaintext""".split()  # noqa: SIM905
)
"""Elements whose content HTMLParser reads differently (raw text): left to HTMLParser."""
_ATTRIBUTES_READ = frozenset(("img", "a", "ol"))
"""The tags whose attributes `_Text` reads (src, href, type)."""


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
    text = _read_simple(html)
    if text is None:
        text = _Text()
        parser = _Parser(text)
        parser.feed(html)
        parser.close()
    return _tidy("".join(text.parts), text.media)


def _read_simple(html: str) -> _Text | None:
    """The field read by the fast path, or None when it is not in the fast path's grammar."""
    text = _Text()
    if "<" not in html:  # no tag: one stretch of text
        if html:
            text.handle_data(unescape(html))
        return text
    at = 0
    for match in _TAG.finditer(html):
        start = match.start()
        if start > at:
            data = html[at:start]
            if "<" in data:
                return None
            text.handle_data(unescape(data))
        at = match.end()
        name, attributes, closing = match.groups()
        if closing is not None:
            text.handle_endtag(closing.lower())
            continue
        name = name.lower()
        if name in _SPECIAL:
            return None
        wanted = attributes and name in _ATTRIBUTES_READ  # the others' are never looked at
        text.handle_starttag(name, _attributes(attributes) if wanted else [])
    if at < len(html):
        data = html[at:]
        if "<" in data:
            return None
        text.handle_data(unescape(data))
    return text


def _attributes(text: str) -> list[tuple[str, str | None]]:
    """A tag's attributes as HTMLParser gives them: names lowercased, values unquoted and
    unescaped, None for a name without a value."""
    found: list[tuple[str, str | None]] = []
    for match in _ATTRIBUTE.finditer(text):
        name, value = match.groups()
        if value is not None and value[:1] in ("'", '"'):
            value = value[1:-1]
        found.append((name.lower(), unescape(value) if value else value))
    return found


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
