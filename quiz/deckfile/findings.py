"""Problems found in a deck file, each with file, line and column; and the error carrying them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One error or warning, printed as `PATH:LINE:COL: SEVERITY: MESSAGE` (or, for one about
    no single place, with line 0: `WHAT: SEVERITY: MESSAGE`)."""

    path: str
    line: int
    column: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        if not self.line:  # about no one place: every deck checked, say
            return f"{self.path}: {self.severity}: {self.message}"
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, str | int]:
        """The finding as a JSON-ready object (the `validate --format json` form)."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


class DeckError(Exception):
    """A deck file that cannot be loaded.

    `path`, `line`, `column` and `message` describe the first problem; `errors` holds every
    problem found in the file, in the order they appear in it. `str(error)` is one
    `PATH:LINE:COL: error: MESSAGE` line per problem.
    """

    def __init__(self, errors: Sequence[Finding]) -> None:
        if not errors:
            raise ValueError("a DeckError needs at least one finding")
        self.errors: list[Finding] = list(errors)
        first = self.errors[0]
        self.path: str = first.path
        self.line: int = first.line
        self.column: int = first.column
        self.message: str = first.message
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(finding) for finding in self.errors)

    @classmethod
    def at(cls, path: str, line: int, column: int, message: str) -> DeckError:
        """An error with a single problem."""
        return cls([Finding(path, line, column, "error", message)])


@dataclass(frozen=True, slots=True)
class Skipped:
    """A deck file that was not loaded, and why."""

    path: Path
    errors: tuple[Finding, ...]

    @property
    def message(self) -> str:
        """The first problem, without its position (for a one-line notice)."""
        return self.errors[0].message

    def __str__(self) -> str:
        return "\n".join(str(finding) for finding in self.errors)
