"""`quiz schema`: the deck format's JSON Schema, for editors that complete and check fields."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from quiz.commands.authoring import AuthoringError
from quiz.storage import paths
from quiz.storage.user_files import why, write_atomic


def schema_text() -> str:
    """The schema file shipped with quiz, exactly (ending with a newline)."""
    try:
        text = paths.schema_path().read_text(encoding="utf-8")
    except OSError as exc:
        raise AuthoringError(f"{paths.schema_path()}: cannot read: {why(exc)}") from None
    return text if text.endswith("\n") else text + "\n"


def run(output: Path | None, *, out: TextIO, err: TextIO) -> int:
    """Print the schema, or write it to `output`; returns the exit status."""
    text = schema_text()
    if output is None:
        out.write(text)
        return 0
    if output.is_dir():
        raise AuthoringError(f"-o {output}: this is a folder; give a file name")
    write_atomic(output, text)
    print(f"wrote {output}", file=err)
    print(
        f'name it in each deck by its path from the deck, e.g. "$schema": "../{output.name}"',
        file=err,
    )
    print("and editors complete and check the deck's fields as you type", file=err)
    beside = [p for p in output.parent.glob("*.json") if p.resolve() != output.resolve()]
    if any(_looks_like_deck(p) for p in beside):
        print(
            f"note: {output.parent} holds decks; move {output.name} out of it (quiz reads every "
            ".json file in a folder of decks as a deck)",
            file=err,
        )
    return 0


def _looks_like_deck(path: Path) -> bool:
    """A cheap guess: the file mentions "cards" near its start."""
    try:
        with open(path, "rb") as file:
            return b'"cards"' in file.read(1 << 20)
    except OSError:
        return False
