"""Tools for teachers who write decks: new-deck, schema, fmt, preview, import and export.

Every command here reports bad input by raising `AuthoringError` with one line that names the
file and the place; the command line prints it and exits non-zero.
"""

from __future__ import annotations


class AuthoringError(Exception):
    """Bad input to an authoring command: one clear line, exit status 1."""
