"""Notes read from an Anki package (.apkg): a zip holding an SQLite collection.

The collection is `collection.anki21b` (what a current Anki exports: the SQLite file
compressed with zstd, in Anki's newest schema), `collection.anki21`, or `collection.anki2`
(older Anki and genanki; a current Anki also puts a stub one, a single "please update" note,
beside the anki21b). Note types come from the models JSON in the `col` table, or in the newest
schema from the `notetypes`, `fields` and `templates` tables: a cloze type gives cloze cards;
a standard type with one card template gives basic cards, with two templates basic cards with
`reverse` (when the note has its second card). Other note types are reported note by note.
The deck of each note's cards (`cards.did`, named in `col.decks` or the `decks` table) is
kept as tags when the cards are in more than one deck (`Converted.decks_to_tags`).

The package's `media` file (a JSON or, in the newest format, a compressed protobuf map of
numbered files to names) is not read: images and sounds are reported from the fields' text.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from quiz.anki import protobuf
from quiz.anki.notes import Converted, Note, Skip, reduce, split_tags
from quiz.storage.inputs import not_regular
from quiz.storage.user_files import AuthoringError

NEW_FORMAT = "collection.anki21b"
COLLECTIONS = (NEW_FORMAT, "collection.anki21", "collection.anki2")
FIELD_SEPARATOR = "\x1f"
CHUNK = 1 << 20
MAX_COLLECTION = 1 << 30
"""The most bytes a package's collection may unpack to (a zip member extracted, or zstd
decompressed): a collection of 100,000 notes is about 100 MB."""
ZSTD_INPUT = 1 << 10
"""Compressed bytes given to the decompressor at a time: a zstd block of 128 KiB can be made
of 4 bytes, so this bounds what one call can return (about 32 MiB)."""
MAX_SQL_SECONDS = 30.0
"""The longest the collection's queries may run (a package may hold a view that never ends)."""
TABLES = ("col", "notes", "cards")
NEW_TABLES = ("notetypes", "fields", "templates", "decks")


def read_package(path: Path) -> Converted:
    """The cards of an .apkg, and every note that could not become one.

    Raises:
        AuthoringError: the file is not a package quiz can read.
    """
    try:
        problem = not_regular(os.stat(path).st_mode)
    except OSError as exc:
        raise AuthoringError(f"{path}: cannot read: {_why(exc)}") from None
    if problem is not None:
        raise AuthoringError(f"{path}: {problem.strerror}")
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            chosen = next((name for name in COLLECTIONS if name in names), None)
            if chosen is None:
                raise AuthoringError(
                    f"{path}: no Anki collection inside (expected {' or '.join(COLLECTIONS)}); "
                    "is this an .apkg exported by Anki?"
                )
            with tempfile.TemporaryDirectory(prefix="quiz-import-") as folder:
                shown = f"{path} ({chosen})"
                size = package.getinfo(chosen).file_size
                if size > MAX_COLLECTION:
                    raise _too_large(shown, "is", size)
                database = Path(folder) / "collection.sqlite"
                with package.open(chosen) as source, open(database, "wb") as target:
                    if chosen == NEW_FORMAT:
                        _decompress(source, target, shown)
                    else:
                        _copy(source, target, shown)
                return _read_collection(database, shown)
    except zipfile.BadZipFile:
        raise AuthoringError(f"{path}: not an Anki package (.apkg): not a zip file") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise AuthoringError(f"{path}: cannot unpack: {exc}") from None
    except OSError as exc:
        raise AuthoringError(f"{path}: cannot unpack: {_why(exc)}") from None


def _why(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _too_large(shown: str, verb: str, size: int) -> AuthoringError:
    return AuthoringError(
        f"{shown}: the collection {verb} larger than {MAX_COLLECTION:,} bytes"
        f"{f' ({size:,})' if size else ''}, the most quiz unpacks"
    )


def _copy(source: IO[bytes], target: IO[bytes], shown: str) -> None:
    """Copy a zip member, at most MAX_COLLECTION bytes (its stated size may be a lie)."""
    written = 0
    while chunk := source.read(CHUNK):
        written += len(chunk)
        if written > MAX_COLLECTION:
            raise _too_large(shown, "unpacks", 0)
        target.write(chunk)


def _decompress(source: IO[bytes], target: IO[bytes], shown: str) -> None:
    """Write the zstd stream `source` decompressed to `target`.

    Python 3.14's `compression.zstd` is used where there is one, the `zstandard` package
    elsewhere; both decompressor objects have the same `decompress` and `eof`.

    Raises:
        AuthoringError: the stream is not zstd, is damaged, or ends early.
    """
    if sys.version_info >= (3, 14):
        from compression import zstd

        decompressor: Any = zstd.ZstdDecompressor()
        error: type[Exception] = zstd.ZstdError
    else:
        import zstandard

        decompressor = zstandard.ZstdDecompressor().decompressobj()
        error = zstandard.ZstdError
    written = 0
    try:
        while chunk := source.read(ZSTD_INPUT):
            if decompressor.eof:
                break  # data after the end of the frame: Anki writes one frame
            out = decompressor.decompress(chunk)
            written += len(out)
            if written > MAX_COLLECTION:
                raise _too_large(shown, "decompresses to", 0)
            target.write(out)
    except error as exc:
        raise AuthoringError(
            f"{shown}: the compressed collection is damaged ({exc}); export it from Anki again"
        ) from None
    if not decompressor.eof:
        raise AuthoringError(
            f"{shown}: the compressed collection is cut short; export it from Anki again"
        )


def _read_collection(database: Path, shown: str) -> Converted:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    deadline = time.monotonic() + MAX_SQL_SECONDS
    connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        _refuse_views(connection, shown, TABLES)
        models, decks = _col(connection, shown)
        note_rows = connection.execute(
            "SELECT id, mid, tags, flds FROM notes ORDER BY id"
        ).fetchall()
        ords: dict[int, set[int]] = defaultdict(set)
        note_decks: dict[int, set[int]] = defaultdict(set)
        deck_ids: set[int] = set()
        for note_id, card_ord, deck_id in connection.execute("SELECT nid, ord, did FROM cards"):
            ords[note_id].add(card_ord)
            note_decks[note_id].add(deck_id)
            deck_ids.add(deck_id)
    except sqlite3.OperationalError as exc:
        if time.monotonic() > deadline:
            raise AuthoringError(
                f"{shown}: reading the collection took longer than {MAX_SQL_SECONDS:g} s;"
                " quiz stopped (export it from Anki again)"
            ) from None
        raise AuthoringError(f"{shown}: not a readable Anki collection: {exc}") from None
    except sqlite3.DatabaseError as exc:
        raise AuthoringError(f"{shown}: not a readable Anki collection: {exc}") from None
    finally:
        connection.close()
    result = Converted()
    names = [decks[d] for d in sorted(deck_ids) if d in decks]
    if len(set(names)) == 1:
        result.title = names[0]
    deck_names: dict[frozenset[int], tuple[str, ...]] = {}
    orders: dict[tuple[int, str, int], list[int]] = {}
    for note_id, model_id, tags, fields_text in note_rows:
        where = f"note {note_id}"
        model = models.get(str(model_id))
        if model is None:
            result.skipped.append(Skip(where, f"its note type ({model_id}) is not in the package"))
            continue
        try:
            kind = _kind(model, ords.get(note_id, set()))
            if kind.startswith("!"):
                result.skipped.append(Skip(where, kind[1:]))
                continue
            values = str(fields_text).split(FIELD_SEPARATOR)
            key = (model_id, kind, len(values))
            order = orders.get(key)
            if order is None:  # worked out once for each note type, kind and number of fields
                order = orders[key] = _order(model, len(values), kind)
        except (TypeError, AttributeError, ValueError):
            shape = f"its note type ({model_id}) is not shaped as Anki writes one"
            result.skipped.append(Skip(where, shape))
            continue
        fields = tuple(reduce(values[i], html=True) for i in order)
        in_decks = frozenset(note_decks.get(note_id, ()))
        if in_decks not in deck_names:  # each set of decks named once
            deck_names[in_decks] = tuple(sorted({decks[d] for d in in_decks if d in decks}))
        result.add(Note(where, kind, fields, split_tags(str(tags or "")), deck_names[in_decks]))
    result.decks_to_tags()
    return result


def _col(connection: sqlite3.Connection, shown: str) -> tuple[dict[str, Any], dict[int, str]]:
    row = connection.execute("SELECT models, decks FROM col").fetchone()
    if row is None:
        raise AuthoringError(f"{shown}: the collection has no note types (empty col table)")
    if not row[0] and _has_table(connection, "notetypes"):
        return _tables(connection, shown)
    try:
        models = json.loads(row[0] or "{}")
        decks = json.loads(row[1] or "{}")
    except (ValueError, RecursionError):  # not JSON, too deep, a number too long
        raise AuthoringError(f"{shown}: the note types (col.models) are not JSON") from None
    if not isinstance(models, dict) or not models:
        raise AuthoringError(f"{shown}: no note types in the collection (col.models is empty)")
    names: dict[int, str] = {}
    if isinstance(decks, dict):
        for value in decks.values():
            if isinstance(value, dict) and isinstance(value.get("id"), int):
                names[value["id"]] = str(value.get("name", ""))
    return {str(key): value for key, value in models.items() if isinstance(value, dict)}, names


def _refuse_views(connection: sqlite3.Connection, shown: str, names: tuple[str, ...]) -> None:
    """Anki's collection has tables: a view (which may compute without end) is refused.

    Raises:
        AuthoringError: one of `names` is not a table.
    """
    query = "SELECT name, type FROM sqlite_master WHERE name IN ({})".format(
        ", ".join("?" * len(names))
    )
    for name, kind in connection.execute(query, names):
        if kind != "table":
            raise AuthoringError(
                f"{shown}: {name} is a {kind}, not a table as in an Anki collection;"
                " quiz does not read it"
            )


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return connection.execute(query, (name,)).fetchone() is not None


def _tables(connection: sqlite3.Connection, shown: str) -> tuple[dict[str, Any], dict[int, str]]:
    """Note types and deck names from the newest schema's tables, shaped as in col.models.

    A note type's kind (0 standard, 1 cloze) is field 1 of the protobuf in notetypes.config.
    """
    _refuse_views(connection, shown, NEW_TABLES)
    models: dict[str, Any] = {}
    for model_id, name, config in connection.execute("SELECT id, name, config FROM notetypes"):
        try:
            kind = protobuf.varint(bytes(config or b""), 1)
        except ValueError as exc:
            raise AuthoringError(
                f"{shown}: note type {name!r} has a damaged config: {exc}"
            ) from None
        models[str(model_id)] = {"name": str(name), "type": kind, "tmpls": [], "flds": []}
    for table, key in (("fields", "flds"), ("templates", "tmpls")):
        for model_id, ord_, name in connection.execute(f"SELECT ntid, ord, name FROM {table}"):
            model = models.get(str(model_id))
            if model is not None:  # rows of note types not in the package are left
                model[key].append({"name": str(name), "ord": ord_})
    if not models:
        raise AuthoringError(f"{shown}: no note types in the collection (empty notetypes table)")
    names = {
        int(deck_id): str(name).replace(FIELD_SEPARATOR, "::")
        for deck_id, name in connection.execute("SELECT id, name FROM decks")
    }
    return models, names


def _kind(model: dict[str, Any], card_ords: set[int]) -> str:
    """`basic`, `reversed`, `cloze`, or `!reason` for a note type quiz does not import."""
    name = str(model.get("name", "?"))
    if model.get("type") == 1:
        return "cloze"
    templates = model.get("tmpls") or []
    if len(templates) == 1:
        return "basic"
    if len(templates) == 2:
        return "reversed" if 1 in card_ords else "basic"
    return (
        f'!its note type "{name}" has {len(templates)} card templates; quiz imports basic, '
        "reversed and cloze notes"
    )


def _order(model: dict[str, Any], count: int, kind: str) -> list[int]:
    """Which of a note's `count` field values come, in order: the question field first and
    the answer second, the rest after."""
    fields = sorted(model.get("flds") or [], key=lambda f: f.get("ord", 0))
    names = [str(f.get("name", "")) for f in fields]
    wanted = ("Text", "Back Extra") if kind == "cloze" else ("Front", "Back")
    order = [names.index(name) for name in wanted if name in names]
    flag = names.index("Add Reverse") if "Add Reverse" in names else None  # read from the cards
    order += [i for i in range(count) if i not in order and i != flag]
    return [i for i in order if i < count]
