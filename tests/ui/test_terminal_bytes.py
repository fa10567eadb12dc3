"""The bytes quiz writes to a real terminal carry no control sequence from a file.

The app runs in a pseudo-terminal over a deck, a skipped deck's file name and a settings file
that all hold escape sequences (a window title, an OSC 52 clipboard write, a C1 CSI, a BEL),
and is walked through the deck list (its tag filter's placeholder, the notices and their
toasts), a session (a flashcard, a scenario question and its feedback, the summary) and the
statistics; then SIGTERM ends it. What it wrote must hold none of those sequences, and the
terminal must be left as it was found (alternate screen and mouse tracking off).
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import time
from pathlib import Path

import pytest

pty = pytest.importorskip("pty")  # a pseudo-terminal: POSIX only

ROOT = Path(__file__).resolve().parent.parent.parent
PWNED = "\x1b]2;PWNED\x07"
CLIP = "\x1b]52;c;cHduZWQ=\x07"
C1 = "\x9b31m"
HOSTILE = f"{PWNED}{CLIP}{C1}"

DECK = {
    "format": 1,
    "id": "hostile",
    "title": f"Deck {HOSTILE} title",
    "description": f"About {HOSTILE}",
    "tags": [f"tag{PWNED}", f"clip{CLIP}"],
    "cards": [
        {"id": "a", "type": "basic", "front": f"Front {HOSTILE}", "back": f"Back {HOSTILE}",
         "tags": [f"card{PWNED}"], "source": f"Source {HOSTILE}", "explanation": HOSTILE},
        {"id": "b", "type": "choice", "scenario": f"Scenario {HOSTILE}",
         "question": f"Question {HOSTILE}?",
         "options": [{"text": f"Right {HOSTILE}", "correct": True, "why": f"Why {HOSTILE}"},
                     {"text": f"Wrong {HOSTILE}", "correct": False, "why": HOSTILE}]},
    ],
}  # fmt: skip


class Terminal:
    """quiz in a pseudo-terminal: keys in, every byte it writes kept."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: quiz, with the pty as its terminal
            os.execve(sys.executable, [sys.executable, "-m", "quiz", *args], env)
        self.pid, self.fd = pid, fd
        self.written = b""

    def read_until(self, marker: bytes, timeout: float = 30) -> None:
        """Read what quiz writes until `marker` appears in what came since the last call."""
        start = len(self.written)
        end = time.monotonic() + timeout
        while marker not in self.written[start:]:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{marker!r} never came: {self.written[start:][-400:]!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"quiz ended before {marker!r}")
                self.written += chunk

    def press(self, keys: str, then: bytes) -> None:
        os.write(self.fd, keys.encode())
        self.read_until(then)

    def finish(self, timeout: float = 30) -> int:
        """Read to the end of what quiz writes (it has closed the terminal); its exit code."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], end - time.monotonic())
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                chunk = b""
            if not chunk:
                return os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
            self.written += chunk
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError("quiz did not end")


def test_no_control_sequence_from_a_file_reaches_the_terminal(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "hostile.json").write_text(json.dumps(DECK), encoding="utf-8")
    (decks / f"broken{PWNED}.json").write_text("{", encoding="utf-8")  # skipped: named
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text(f"theme = {json.dumps(HOSTILE)}\n", encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "30",
        "QUIZ_TODAY": "2026-11-26",
        "QUIZ_CACHE": str(tmp_path / "cache"),
        "PYTHONPATH": str(ROOT),
    }
    term = Terminal(["--data", str(data), "--no-bundled", "--decks", str(decks)], env)
    term.read_until(b"Filter by tag")  # the deck list, its placeholder drawn
    term.read_until(b"Please note")  # the notices' toasts
    term.press("\r", b"Front")  # a session: the flashcard
    term.press(" ", b"Back")
    term.press("4", b"Question")  # the scenario question
    term.press("1\r", b"Why")  # its feedback, every option's why
    term.press("\r", b"done")  # graded as suggested
    term.press("q", b"Cards")  # the summary
    term.press("q", b"Filter by tag")  # the deck list again
    term.press("t", b"Statistics")  # the statistics, with the deck's tags
    os.kill(term.pid, signal.SIGTERM)  # as a closing terminal would
    code = term.finish()
    out = term.written
    for sequence in (PWNED, CLIP, C1, "\x1b[31mX"):
        assert sequence.encode() not in out
    assert b"PWNED\x07" not in out and "\x9b".encode() not in out
    assert b"\x1b]52" not in out  # no clipboard write at all
    assert "␛]2;PWNED␇".encode() in out  # shown, as text
    assert code == 1
    # The terminal as it was: the alternate screen left and mouse tracking off, last.
    tail = out[out.rfind(b"\x1b[?1049h") :]
    assert b"\x1b[?1049l" in tail and b"\x1b[?1000l" in tail
