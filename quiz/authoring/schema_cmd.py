"""`quiz schema`: the deck format's JSON Schema, for editors that complete and check fields."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from quiz import paths
from quiz.authoring import AuthoringError
from quiz.authoring.files import why, write_atomic


def schema_text() -> str:
    """The schema file shipped with quiz, exactly."""
    try:
        return paths.schema_path().read_text(encoding="utf-8")
    except OSError as exc:
        raise AuthoringError(f"{paths.schema_path()}: cannot read: {why(exc)}") from None


def run(output: Path | None, *, out: TextIO, err: TextIO) -> int:
    """Print the schema, or write it to `output`; returns the exit status."""
    text = schema_text()
    if output is None:
        out.write(text if text.endswith("\n") else text + "\n")
        return 0
    if output.is_dir():
        raise AuthoringError(f"-o {output}: this is a folder; give a file name")
    write_atomic(output, text if text.endswith("\n") else text + "\n")
    print(f"wrote {output}", file=err)
    print('name it in a deck, as a path from the deck: "$schema": "../deck.schema.json";', file=err)
    print("editors then complete and check the deck's fields as you type", file=err)
    beside = [p for p in output.parent.glob("*.json") if p.resolve() != output.resolve()]
    if beside:
        print(
            f"note: {output.parent} holds other .json files; if it is a folder of decks, move "
            f"{output.name} out of it (quiz reads every .json file there as a deck)",
            file=err,
        )
    return 0
