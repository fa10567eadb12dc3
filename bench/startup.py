"""B3: process start to the first card on screen, with the real command line in a terminal.

`quiz study` runs in a pseudo-terminal of 100x30, exactly as a student starts it (no display is
needed: the terminal is a pty this process reads). The clock starts before the process is
spawned and stops when the first card's text has been written to the terminal. Which card comes
first is worked out beforehand with the same code the app uses (the decks, the store and a
`Session`), and its text is looked for with escape sequences, spaces and punctuation removed,
so line wrapping and styling do not hide it.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from quiz.core.model import CLOZE_RE, Item

ESCAPES = re.compile(
    rb"\x1b\[[0-9;?<=>]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, hyperlinks
    rb"|\x1bP[^\x1b]*\x1b\\"  # DCS
    rb"|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)
MARK_LENGTH = 16


def squeeze(text: str) -> str:
    """Letters and digits only: what survives wrapping, styling and Markdown."""
    return "".join(ch for ch in text if ch.isalnum())


def marker(item: Item) -> str:
    """A stretch of the item's text that the screen shows when the item is the current one."""
    card = item.card
    if item.kind == "basic":
        text = card.front
    elif item.kind == "reverse":
        text = card.back
    elif item.kind == "cloze":
        text = max(CLOZE_RE.split(card.text)[::4], key=lambda part: len(squeeze(part)))
    else:
        text = card.scenario or card.question
    mark = squeeze(text)[:MARK_LENGTH]
    if len(mark) < 6:
        raise ValueError(f"{item.key}: too little text to recognise on screen")
    return mark


def first_item(
    data: Path, deck_dirs: Sequence[Path], bundled: bool, env: Mapping[str, str]
) -> Item:
    """The item `quiz study` shows first, found the way the app finds it."""
    from quiz.core.session import Limits, Session
    from quiz.services.context import build
    from quiz.storage.store import FileStore

    ctx = build(data=str(data), decks=[str(d) for d in deck_dirs], bundled=bundled, env=env)
    store = FileStore.open(ctx.data_dir)
    try:
        limits = Limits(ctx.settings.new_per_day, ctx.settings.reviews_per_day)
        session = Session(ctx.items(), store, ctx.today, limits=limits)
        if session.current is None:
            raise RuntimeError("nothing to study: no first card to wait for")
        return session.current
    finally:
        store._release()  # leave the folder exactly as it was


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def spawn_in_pty(
    args: Sequence[str], env: Mapping[str, str], cwd: Path, size: tuple[int, int]
) -> tuple[int, subprocess.Popen[bytes], float]:
    """Start `python ARGS` in a new pseudo-terminal of `size` (columns, rows); returns the
    terminal's master end, the process, and the clock (perf_counter) just before the spawn."""
    master, slave = pty.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environment = {**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=environment,
        start_new_session=True,
    )
    os.close(slave)
    return master, process, started


def time_to_text(
    argv: Sequence[str],
    mark: str,
    *,
    env: Mapping[str, str],
    cwd: Path,
    size: tuple[int, int] = (100, 30),
    timeout: float = 60,
    capture: Path | None = None,
    program: Sequence[str] = ("-m", "quiz"),
) -> tuple[float, float]:
    """Seconds from spawning `python -m quiz ARGV` in a pty to `mark` appearing on it, and the
    process's peak resident memory (MB) by then. `capture` receives every byte written to the
    terminal up to then; `program` replaces `-m quiz` (e.g. with a script's path)."""
    master, process, started = spawn_in_pty([*program, *argv], env, cwd, size)
    seen = b""
    try:
        while True:
            left = timeout - (time.perf_counter() - started)
            if left <= 0:
                raise TimeoutError(f"no {mark!r} on screen after {timeout} s")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # the process ended and closed the terminal
                chunk = b""
            if not chunk:
                screen = ESCAPES.sub(b"", seen).decode("utf-8", "replace")
                raise RuntimeError(f"quiz ended before showing {mark!r}:\n{screen[-2000:]}")
            seen += chunk
            if mark in squeeze(ESCAPES.sub(b"", seen).decode("utf-8", "replace")):
                elapsed = time.perf_counter() - started
                if capture is not None:
                    capture.write_bytes(seen)
                return elapsed, peak_rss_mb(process.pid)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)


FLOOR = Path(__file__).resolve().parent / "floor_app.py"
"""Textual's smallest app (bench/floor_app.py): the floor under any start of quiz."""


def study_argv(data: Path, decks: Sequence[Path], bundled: bool) -> list[str]:
    """`quiz study`'s arguments for a progress folder and deck folders."""
    argv = ["--data", str(data), *([] if bundled else ["--no-bundled"])]
    for folder in decks:
        argv += ["--decks", str(folder)]
    return [*argv, "study"]


def time_floor(env: Mapping[str, str], cwd: Path) -> tuple[float, float]:
    """`time_to_text` for the floor app: seconds to its line of text, and peak memory."""
    from bench.floor_app import TEXT

    return time_to_text([], squeeze(TEXT)[:MARK_LENGTH], env=env, cwd=cwd, program=[str(FLOOR)])


def compile_package(package: Path) -> None:
    """Write the bytecode of a package's modules, as an installed quiz has after its first start.

    This machine sets PYTHONDONTWRITEBYTECODE, so Python never saves what it compiles: without
    this, B3 would time compiling every quiz module changed since its .pyc was last written,
    at every start, which no student's copy does.
    """
    import compileall

    compileall.compile_dir(package, quiet=1)
