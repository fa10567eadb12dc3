"""B7: a student's usual session at 50,000 cards, in a terminal: start, deck list, statistics.

`quiz study` runs in a pseudo-terminal of 100x30, as in B3 (`bench/startup.py`). One flow:

1. spawn `quiz study`; stop the first clock when the first card's text is on the terminal;
2. press `q` (with nothing answered, the session closes at once and the deck list, built the
   first time it is shown, comes up); stop the second clock when the first deck's row, its
   title followed by its counts, is on the terminal (the rows are added with their counts,
   so the title alone is never drawn);
3. press `t`; stop the third clock when the statistics screen's figures (its "Retention"
   line, which replaces "Reading your history...") are on the terminal;
4. read the process's peak resident memory, then leave (`escape`, `q`) and wait for it to
   close the store.

Each key is timed from the moment its byte is written to the terminal to the moment the text
the key brings up has been written back, so the clock covers reading the key, the work, and
Textual laying out and drawing the frame.
"""

from __future__ import annotations

import os
import re
import select
import signal
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.startup import ESCAPES, peak_rss_mb, spawn_in_pty, squeeze

STATS_MARK = re.compile(r"Retentionlast")
"""The statistics screen's overview, shown once the figures are read."""


@dataclass(frozen=True)
class FlowTimes:
    start_s: float
    decklist_s: float
    stats_s: float
    peak_rss_mb: float
    exit_s: float
    """From the last key to the process's exit (closing the store), for the notes."""


class Terminal:
    """A process in a pseudo-terminal; `wait_for` reads what it writes until a pattern shows."""

    def __init__(
        self, argv: Sequence[str], env: Mapping[str, str], cwd: Path, size: tuple[int, int]
    ) -> None:
        self.master, self.process, self.started = spawn_in_pty(
            ["-m", "quiz", *argv], env, cwd, size
        )
        self.seen = b""

    def wait_for(self, pattern: re.Pattern[str], since: int, timeout: float) -> float:
        """Read until `pattern` matches the letters and digits written after byte `since`;
        returns the clock (perf_counter) at that moment."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                screen = ESCAPES.sub(b"", self.seen[since:]).decode("utf-8", "replace")
                raise TimeoutError(
                    f"no {pattern.pattern!r} on screen after {timeout} s; since the key:\n"
                    f"{screen[-3000:]}"
                )
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                screen = ESCAPES.sub(b"", self.seen).decode("utf-8", "replace")
                raise RuntimeError(f"quiz ended before {pattern.pattern!r}:\n{screen[-2000:]}")
            self.seen += chunk
            text = ESCAPES.sub(b"", self.seen[since:]).decode("utf-8", "replace")
            if pattern.search(squeeze(text)):
                return time.perf_counter()

    def press(self, key: bytes) -> tuple[int, float]:
        """Write a key; returns where the output stood and the clock when it was written."""
        since = len(self.seen)
        os.write(self.master, key)
        return since, time.perf_counter()

    def drain(self, seconds: float) -> None:
        """Read and drop output for a while (the terminal must not fill up)."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    if not os.read(self.master, 1 << 16):
                        return
                except OSError:
                    return

    def close(self, timeout: float) -> bool:
        """Wait up to `timeout` for the process to end (reading its output); kill it if it
        has not. Returns whether it ended by itself."""
        deadline = time.perf_counter() + timeout
        ended = False
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                ended = True
                break
            self.drain(0.05)
        if not ended:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.master)
        return ended


def study_flow(
    argv: Sequence[str],
    first_card: str,
    first_deck: str,
    *,
    env: Mapping[str, str],
    cwd: Path,
    size: tuple[int, int] = (100, 30),
    timeout: float = 120,
) -> FlowTimes:
    """Time one flow (the module's docstring) of `quiz ARGV` (a `study` command line);
    `first_card` is `bench.startup.marker` of the item it shows first, `first_deck` the title
    of the deck listed first."""
    deck_row = re.compile(re.escape(squeeze(first_deck)) + r"\d")
    terminal = Terminal(argv, env, cwd, size)
    try:
        shown = terminal.wait_for(re.compile(re.escape(first_card)), 0, timeout)
        start_s = shown - terminal.started
        terminal.drain(0.3)  # the first card settles (Textual's resize redraw)
        since, pressed = terminal.press(b"q")
        decklist_s = terminal.wait_for(deck_row, since, timeout) - pressed
        terminal.drain(0.3)
        since, pressed = terminal.press(b"t")
        stats_s = terminal.wait_for(STATS_MARK, since, timeout) - pressed
        terminal.drain(0.3)
        peak = peak_rss_mb(terminal.process.pid)
        terminal.press(b"\x1b")
        terminal.drain(0.5)  # a lone escape is read as the key after a short wait
        _, leaving = terminal.press(b"q")
    except BaseException:
        terminal.close(0)
        raise
    ended = terminal.close(timeout)
    exit_s = time.perf_counter() - leaving
    if not ended:
        raise RuntimeError("quiz did not quit after escape, q")
    return FlowTimes(start_s, decklist_s, stats_s, peak, exit_s)
