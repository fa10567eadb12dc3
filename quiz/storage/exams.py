"""The exams a student revises for: `exams.json` in the progress folder.

`{"format": 1, "exams": [{"name": "Finals", "date": "2027-03-01", "decks": ["deck-id", ...],
"tags": ["tag", ...], "seen_by": 7}, ...]}`, written atomically. A file that cannot be read
is named in one line and never overwritten: the commands that change exams refuse until it is
mended or removed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import orjson

from quiz.core.exams import Exam
from quiz.core.text import one_line
from quiz.storage import durable
from quiz.storage.inputs import read_document

EXAMS_FILE = "exams.json"
FORMAT = 1
MAX_BYTES = 256 * 1024
MAX_NAME = 80


class ExamsError(Exception):
    """`exams.json` could not be read or written: one line naming the file."""


def exams_path(data_dir: Path) -> Path:
    return data_dir / EXAMS_FILE


def load(data_dir: Path) -> list[Exam]:
    """The exams set, in date order (none when there is no file).

    Raises:
        ExamsError: the file is there but cannot be read or is not an exams file.
    """
    path = exams_path(data_dir)
    try:
        doc = read_document(path, MAX_BYTES, FORMAT)
        if doc is None:
            return []
        entries = doc["exams"]
        if not isinstance(entries, list):
            raise TypeError("exams is not a list")
        exams = [_exam(entry, n) for n, entry in enumerate(entries, 1)]
    except OSError as exc:
        raise ExamsError(f"{path}: cannot read ({exc.strerror})") from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise ExamsError(
            f"{path}: not usable ({exc}); mend it or remove it (it is left as it is)"
        ) from exc
    return sorted(exams, key=lambda e: (e.day, e.name))


def _exam(entry: Any, n: int) -> Exam:
    if not isinstance(entry, dict):
        raise TypeError(f"exam {n} is not an object")
    name = entry["name"]
    if (
        not isinstance(name, str)
        or not name.strip()
        or len(name) > MAX_NAME
        or one_line(name) != name
    ):
        raise ValueError(f"exam {n}: name must be one line of 1 to {MAX_NAME} characters")
    when = date.fromisoformat(_text(entry["date"], n, "date"))
    decks = _texts(entry.get("decks", []), n, "decks")
    tags = _texts(entry.get("tags", []), n, "tags")
    seen_by = entry.get("seen_by", 7)
    if type(seen_by) is not int or not 0 <= seen_by <= 365:
        raise ValueError(f"exam {n}: seen_by must be a whole number of days from 0 to 365")
    return Exam(name, when, decks, tags, seen_by)


def _text(value: Any, n: int, field: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"exam {n}: {field} is not text")
    return value


def _texts(value: Any, n: int, field: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError(f"exam {n}: {field} is not a list")
    return tuple(_text(v, n, field) for v in value)


def to_json(exams: list[Exam]) -> bytes:
    doc = {
        "format": FORMAT,
        "exams": [
            {
                "name": e.name,
                "date": e.day.isoformat(),
                "decks": list(e.decks),
                "tags": list(e.tags),
                "seen_by": e.seen_by,
            }
            for e in sorted(exams, key=lambda e: (e.day, e.name))
        ],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"


def save(data_dir: Path, exams: list[Exam]) -> Path:
    """Write the exams atomically; returns the file's path.

    Raises:
        ExamsError: it could not be written (the old file, if any, is intact).
    """
    path = exams_path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        durable.write_atomic(path, to_json(exams))
    except OSError as exc:
        raise ExamsError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    return path
