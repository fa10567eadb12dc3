"""FSRS parameters fitted to a student's own log: `fsrs-parameters.json` in the progress folder.

`{"format": 1, "parameters": [21 numbers], "reviews": N, "fitted": ISO time, "log_loss": x,
"rmse": y}`, written atomically. A file that cannot be read is reported and FSRS's default
parameters are used; it is never overwritten until the student fits again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from quiz.storage import durable
from quiz.storage.inputs import read_document

PARAMETERS_FILE = "fsrs-parameters.json"
FORMAT = 1
PARAMETER_COUNT = 21
MAX_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Fitted:
    """Parameters fitted to a log, and how well they fit it."""

    parameters: tuple[float, ...]
    reviews: int
    fitted: str
    log_loss: float
    rmse: float

    def to_json(self) -> bytes:
        doc: dict[str, Any] = {
            "format": FORMAT,
            "parameters": list(self.parameters),
            "reviews": self.reviews,
            "fitted": self.fitted,
            "log_loss": self.log_loss,
            "rmse": self.rmse,
        }
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"


def parameters_path(data_dir: Path) -> Path:
    return data_dir / PARAMETERS_FILE


def load(data_dir: Path) -> tuple[Fitted | None, str | None]:
    """The fitted parameters, if any, and one line saying why a file there was not used."""
    path = parameters_path(data_dir)
    try:
        doc = read_document(path, MAX_BYTES, FORMAT)
        if doc is None:
            return None, None
        numbers = doc["parameters"]
        if not isinstance(numbers, list) or len(numbers) != PARAMETER_COUNT:
            raise ValueError(f"parameters is not a list of {PARAMETER_COUNT} numbers")
        parameters = tuple(_number(value) for value in numbers)
        fitted = Fitted(
            parameters,
            int(doc["reviews"]),
            str(doc["fitted"]),
            _number(doc["log_loss"]),
            _number(doc["rmse"]),
        )
    except OSError as exc:
        return None, f"{path}: cannot read ({exc.strerror}); using FSRS's default parameters"
    except (ValueError, TypeError, KeyError) as exc:
        return None, f"{path}: not usable ({exc}); using FSRS's default parameters"
    return fitted, None


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{value!r} is not a number")
    return float(value)


def save(data_dir: Path, fitted: Fitted) -> Path:
    """Write the file atomically; returns its path.

    Raises:
        OSError: it could not be written (the old file, if any, is intact).
    """
    path = parameters_path(data_dir)
    durable.write_atomic(path, fitted.to_json())
    return path
