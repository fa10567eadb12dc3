"""Pictures in decks: `![alt](path)` checked when a deck loads (alt text, a path that stays
in the deck's folder) and by `quiz validate` (the file is there, a picture, not too large)."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from quiz.commands import validate
from quiz.core.images import MARK, find_images, one_line, split
from quiz.deckfile import images
from quiz.deckfile.deck import DeckError, load_deck

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
"""A 1x1 PNG."""
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L"

Setup = Callable[[Path], None]


def _write(name: str, data: bytes) -> Setup:
    def setup(folder: Path) -> None:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)

    return setup


def _link(name: str, target: str) -> Setup:
    def setup(folder: Path) -> None:
        (folder / "chart.png").write_bytes(PNG)
        outside = folder.parent / "outside"
        outside.mkdir(exist_ok=True)
        (outside / "secret.png").write_bytes(PNG)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target.replace("OUTSIDE", str(outside)), folder / name)

    return setup


def _none(folder: Path) -> None:
    pass


# (name, the text of a card's front, what the folder holds, the error, or None when good)
CASES: list[tuple[str, str, Setup, str | None]] = [
    ("png", "![a run chart](chart.png)", _write("chart.png", PNG), None),
    ("jpeg in a folder", "![an ECG](img/ecg.jpg)", _write("img/ecg.jpg", JPEG), None),
    ("gif", "![a gif](a.gif)", _write("a.gif", GIF), None),
    ("webp", "![a webp](a.webp)", _write("a.webp", WEBP), None),
    ("named by bytes", "![a png named .txt](a.txt)", _write("a.txt", PNG), None),
    ("link inside", "![a link](in.png)", _link("in.png", "chart.png"), None),
    ("missing", "![gone](gone.png)", _none, 'no picture file "gone.png" beside the deck'),
    ("not a picture", "![text](a.png)", _write("a.png", b"hello"), "is not a picture quiz"),
    ("svg", "![svg](a.svg)", _write("a.svg", b"<svg/>"), "is not a picture quiz can show"),
    ("a folder", "![dir](img)", _write("img/x.png", PNG), '"img" is not a file'),
    ("too large", "![big](big.png)", _write("big.png", PNG + b"\0" * 64), "is too large"),
    ("no alt", "![](chart.png)", _write("chart.png", PNG), "has no alt text"),
    ("blank alt", "![  ](chart.png)", _write("chart.png", PNG), "has no alt text"),
    ("dot dot", "![up](../chart.png)", _none, "stay inside the deck's folder (no ..)"),
    ("inner dot dot", "![up](a/../../x.png)", _none, "stay inside the deck's folder"),
    ("absolute", "![abs](/etc/passwd)", _none, "not absolute"),
    ("drive", "![drive](C:/x.png)", _none, "not absolute"),
    ("backslash", "![bs](img\\\\x.png)", _none, "write / between folders"),
    ("address", "![web](https://example.org/x.png)", _none, "not an address"),
    ("link out", "![out](out.png)", _link("out.png", "OUTSIDE/secret.png"), "leads out"),
    ("folder link out", "![out](sub/secret.png)", _link("sub", "OUTSIDE"), "leads out"),
]


@pytest.mark.parametrize(
    ("front", "setup", "error"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_picture_reference(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    front: str,
    setup: Setup,
    error: str | None,
) -> None:
    monkeypatch.setattr(images, "MAX_PICTURE_BYTES", len(PNG) + 10)
    folder = tmp_path / "decks"
    folder.mkdir()
    setup(folder)
    card = ' {"id": "c", "type": "basic", "back": "b", "front": '
    text = '{"format": 1, "id": "pics", "title": "Pics", "cards": [\n' + card
    text += json.dumps(front) + "}\n]}\n"
    path = folder / "pics.json"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = validate.run([str(path)], strict=False, fmt="text", out=out, err=err)
    if error is None:
        assert (code, err.getvalue()) == (0, ""), out.getvalue()
        return
    first = out.getvalue().splitlines()[0]
    assert code == 1
    assert first.startswith(f'{path}:2:{len(card) + 2}: error: card "c": '), first
    assert error in first


def test_text_checks_stop_a_deck_loading_but_a_missing_file_does_not(tmp_path: Path) -> None:
    card = {"id": "c", "type": "basic", "front": "![gone](gone.png)", "back": "b"}
    deck = {"format": 1, "id": "p", "title": "P", "cards": [card]}
    (tmp_path / "p.json").write_text(json.dumps(deck), encoding="utf-8")
    assert load_deck(tmp_path / "p.json").cards[0].front == "![gone](gone.png)"
    card["back"] = "![](../x.png)"
    (tmp_path / "p.json").write_text(json.dumps(deck), encoding="utf-8")
    with pytest.raises(DeckError, match="no alt text"):
        load_deck(tmp_path / "p.json")


def test_options_and_why_are_checked(tmp_path: Path) -> None:
    deck = {"format": 1, "id": "p", "title": "P", "cards": []}
    options = [{"text": "a", "correct": True, "why": "![see](../w.png)"}, {"text": "![](b.png)"}]
    deck["cards"] = [{"id": "c", "type": "choice", "question": "q", "options": options}]
    (tmp_path / "p.json").write_text(json.dumps(deck), encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        load_deck(tmp_path / "p.json")
    assert [f.message.split(": ", 1)[1][:24] for f in caught.value.errors] == [
        "the picture's path must ",
        "the picture has no alt t",
    ]


def test_text_around_pictures() -> None:
    text = "Before ![a *chart*](c.png) after [/] ![x](y.png)"
    assert [ref.alt for ref in find_images(text)] == ["a *chart*", "x"]
    assert one_line(text) == f"Before {MARK} a *chart* after [/] {MARK} x"
    assert [p if isinstance(p, str) else p.path for p in split(text)] == [
        "Before ",
        "c.png",
        " after [/] ",
        "y.png",
    ]
