"""The terminal's answers about pictures, remembered between starts (a cache)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.services.terminal_answers import Answer, recall, remember, terminal_key

ROOT = Path(__file__).resolve().parents[2]


def test_an_answer_is_recalled_for_the_same_terminal_only(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "terminal.json"
    kitty = terminal_key({"TERM": "xterm-kitty", "KITTY_WINDOW_ID": "3"})
    remember(path, kitty, Answer("tgp", (9, 18)))
    assert recall(path, kitty) == Answer("tgp", (9, 18))
    assert recall(path, terminal_key({"TERM": "xterm-kitty", "KITTY_WINDOW_ID": "7"})) == (
        Answer("tgp", (9, 18))  # another window of the same terminal
    )
    assert recall(path, terminal_key({"TERM": "xterm-256color"})) is None
    assert recall(path, terminal_key({"TERM": "xterm-kitty", "TMUX": "/tmp/t,1,0"})) is None


@pytest.mark.parametrize(
    "content",
    [
        "",
        "not json",
        '{"format": 2, "terminal": "K", "kind": "halfcell", "cell": [9, 18]}',
        '{"format": 1, "terminal": "K", "kind": "pdf", "cell": [9, 18]}',
        '{"format": 1, "terminal": "K", "kind": "sixel", "cell": [0, 18]}',
        '{"format": 1, "terminal": "K", "kind": "sixel", "cell": ["a"]}',
        '{"format": 1, "terminal": "K", "kind": "sixel"}',
        "[1, 2]",
    ],
)
def test_a_damaged_or_foreign_file_is_as_if_nothing_were_remembered(
    tmp_path: Path, content: str
) -> None:
    path = tmp_path / "terminal.json"
    path.write_text(content, encoding="utf-8")
    assert recall(path, "K") is None


def test_a_remembered_answer_is_used_without_asking(tmp_path: Path) -> None:
    """In a fresh interpreter (textual-image reads the terminal when first imported): the
    remembered kind and cell size are what the picture widgets then use."""
    path = tmp_path / "terminal.json"
    path.write_text(
        json.dumps({"format": 1, "terminal": "TERM=t", "kind": "sixel", "cell": [11, 23]}),
        encoding="utf-8",
    )
    script = f"""
import os, sys
from unittest import mock
from pathlib import Path
with mock.patch("quiz.services.terminal_answers.terminal_key", return_value="TERM=t"):
    from quiz.ui import terminal_probe
    terminal_probe.start(Path({str(path)!r}))
    assert terminal_probe.wait()
from textual_image import renderable
from textual_image._terminal import get_cell_size
print(renderable.Image is renderable.SixelImage, tuple(get_cell_size()))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "(11,", "23)"]
