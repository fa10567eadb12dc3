"""Text from files made safe to show: the one sanitiser for every string read from a file
(a deck, a package, a panel or results file, a folder's names) on its way to the terminal,
in the app and on the command line, and to a Markdown report.

A terminal obeys control characters: ESC starts sequences that set the window's title, write
the clipboard (OSC 52) or move the cursor; BEL rings; C1 controls (U+0080-U+009F) start the
same sequences on some terminals. Such characters are shown, never sent: C0 controls become
the Unicode control pictures (ESC shows as ␛, BEL as ␇), DEL as ␡, C1 controls as the text
`\\u009b` (which reads the same inside a JSON string). Nothing is dropped, so the reader sees
that something odd is there.
"""

from __future__ import annotations

import re

_VISIBLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
del _VISIBLE[ord("\n")], _VISIBLE[ord("\t")]
_VISIBLE[0x7F] = "\u2421"  # ␡
_VISIBLE.update({code: f"\\u{code:04x}" for code in range(0x80, 0xA0)})

_ONE_LINE = {**_VISIBLE, ord("\n"): "\u2424", ord("\t"): " "}  # a newline shows as ␤

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>|~])")
"""Characters Markdown reads as structure anywhere in a line: emphasis, code, links and
images, HTML, table cells, strike-through."""
_LEADING = re.compile(r"^(\s*\d*)([#+=.)-])(?=\s|$)")
"""What makes a line a heading or a list item where a value starts one."""


def visible(text: str) -> str:
    """`text` with its control characters (other than newline and tab) made visible."""
    return text.replace("\r\n", "\n").translate(_VISIBLE)


def one_line(text: str) -> str:
    """`visible`, on one line: for a name or a path printed within a message (a newline in
    it could otherwise pass for a line of quiz's own)."""
    return text.replace("\r\n", "\n").translate(_ONE_LINE)


def markdown_text(text: str) -> str:
    """`one_line`, with every character that Markdown could read as structure escaped: a
    name put in a report stays text (no heading, link, table cell or HTML of its own)."""
    return _LEADING.sub(r"\1\\\2", _MARKDOWN.sub(r"\\\1", one_line(text)))
