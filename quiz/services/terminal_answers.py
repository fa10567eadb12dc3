"""What a terminal answered when asked which pictures it can draw, remembered in the cache
folder so that a start need not ask again (`quiz.ui.terminal_probe`).

A cache: a missing, unreadable or foreign file is as if nothing were remembered, and a failed
write costs only the next start's questions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from quiz.storage import durable

FILE = "terminal.json"
"""The file in a progress folder's cache folder."""
FORMAT = 1
KINDS = ("sixel", "tgp", "halfcell")
"""How pictures are drawn: Sixel, Kitty's graphics protocol, or coloured half-blocks."""
_ENVIRONMENT = (
    "TERM",
    "TERM_PROGRAM",
    "TERM_PROGRAM_VERSION",
    "LC_TERMINAL",
    "VTE_VERSION",
    "KONSOLE_VERSION",
    "COLORTERM",
)
"""Variables that tell terminals (and their versions) apart; with `_PRESENT`, the key."""
_PRESENT = ("TMUX", "STY", "KITTY_WINDOW_ID", "WEZTERM_PANE", "WT_SESSION", "ITERM_SESSION_ID")
"""Variables whose presence alone tells a terminal or multiplexer apart (values vary by window)."""


class Answer(NamedTuple):
    kind: str
    """One of `KINDS`."""
    cell: tuple[int, int]
    """A character cell's width and height in pixels."""


def terminal_key(env: Mapping[str, str]) -> str:
    """Which terminal this is, as far as its environment tells: a different terminal (or
    version, or multiplexer) is asked again."""
    named = [f"{name}={env.get(name, '')}" for name in _ENVIRONMENT]
    present = [name for name in _PRESENT if name in env]
    return ";".join([*named, *present])


def recall(path: Path, key: str) -> Answer | None:
    """The answer remembered for the terminal `key`, or None."""
    try:
        if path.is_symlink() or path.stat().st_size > 4096:
            return None
        doc = json.loads(path.read_text(encoding="utf-8"))
        kind, cell = doc["kind"], doc["cell"]
        width, height = int(cell[0]), int(cell[1])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    if doc.get("format") != FORMAT or doc.get("terminal") != key or kind not in KINDS:
        return None
    if not (0 < width < 1000 and 0 < height < 1000):
        return None
    return Answer(kind, (width, height))


def remember(path: Path, key: str, answer: Answer) -> None:
    """Keep `answer` for the terminal `key` (a failure is ignored: it is a cache)."""
    doc = {"format": FORMAT, "terminal": key, "kind": answer.kind, "cell": list(answer.cell)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        durable.write_atomic(path, json.dumps(doc).encode("utf-8"), durable=False)
    except OSError:
        return
