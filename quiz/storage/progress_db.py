"""progress.json: the checkpoint of the card states, a TinyDB database.

Two tables, each keyed by a string (`Table.document_id_class = str`): "states", one document
per progress key (`quiz.core.card_state.state_to_dict`), and "meta", one document "1" (the
checkpoint's format and the place in the log it covers). TinyDB alone opens the file:
`TinyDB("progress.json")` with `Table.document_id_class = str` finds a card's state.

`AtomicStorage` is TinyDB's storage here. TinyDB's own JSONStorage rewrites the file in place
(a kill mid-write leaves it torn) and on every change; this one reads the file once with
orjson, keeps the tables in memory as TinyDB changes them, and writes them only when told
(`flush`), atomically (`durable.write_atomic`), so a checkpoint is one write of a whole file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from quiz.storage import durable

STATES = "states"
META = "meta"


def _id(key: object) -> Any:
    """A document id: TinyDB's hints say int, but with `document_id_class = str` ids are
    strings (as the file has them)."""
    return key


META_ID = _id("1")


class AtomicStorage(Storage):
    """A TinyDB storage read once with orjson and written whole, atomically, by `flush`.

    Raises (from `read`):
        OSError: the file cannot be read.
        orjson.JSONDecodeError: it is not JSON.
        ValueError: its top level is not an object.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._data: dict[str, dict[str, Any]] | None = None
        self._loaded = False

    def read(self) -> dict[str, dict[str, Any]] | None:
        if not self._loaded:
            raw = self.path.read_bytes() if self.path.exists() else b""
            data = orjson.loads(raw) if raw.strip() else None
            if data is not None and not isinstance(data, dict):
                raise ValueError("the top level is not a JSON object")
            self._data, self._loaded = data, True
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._data, self._loaded = data, True

    def flush(self) -> None:
        """Write the tables to the file: atomically, flushed to the disk.

        Raises:
            OSError: it could not be written (the file is then as it was).
        """
        durable.write_atomic(self.path, orjson.dumps(self._data or {}))


class KeyedTable(Table):
    """A table whose documents are keyed by string: a progress key, or "1" for the meta."""

    document_id_class = str  # type: ignore[assignment]  # TinyDB's hints say int only


class ProgressDB(TinyDB):
    """progress.json opened through TinyDB with `AtomicStorage`."""

    table_class = KeyedTable

    def __init__(self, path: Path) -> None:
        super().__init__(path, storage=AtomicStorage)

    @property
    def file(self) -> AtomicStorage:
        storage = self.storage
        assert isinstance(storage, AtomicStorage)
        return storage

    def meta(self) -> Mapping[str, Any] | None:
        """The meta document (None if there is none). Reads the file if not read yet."""
        found: Mapping[str, Any] | None = self.table(META).get(doc_id=META_ID)
        return found

    def states(self) -> Mapping[str, Any]:
        """Every saved card state, by progress key: the states table's documents as the
        storage TinyDB holds them. Read in bulk, not as `Document`s one at a time (iterating
        the table): hot, every state at each start, and a copy of each is wasted.

        Raises:
            TypeError, ValueError, AttributeError: the states table is not laid out as quiz
            writes it.
        """
        tables = self.storage.read() or {}
        table = tables.get(STATES, {})
        if not isinstance(table, dict):
            raise TypeError("the states table is not an object")
        return table

    def put(self, states: Mapping[str, dict[str, Any]], meta: dict[str, Any]) -> None:
        """Replace the documents of `states` (by key) and merge `meta` into the meta document,
        in memory; `file.flush()` writes them."""
        table = self.table(STATES)
        held = [_id(key) for key in states if table.contains(doc_id=_id(key))]
        if held:
            table.remove(doc_ids=held)
        table.insert_multiple(Document(doc, doc_id=_id(key)) for key, doc in states.items())
        self.table(META).upsert(Document(meta, doc_id=META_ID))


@dataclass(frozen=True, slots=True)
class Pending:
    """A checkpoint to write: into `db`, the changed states (by key) and the meta document."""

    db: ProgressDB
    states: dict[str, dict[str, Any]]
    meta: dict[str, Any]

    def write(self) -> None:
        """Put them into the tables and write the file (atomically).

        Raises:
            OSError: it could not be written; the tables in memory keep the changes.
        """
        self.db.put(self.states, self.meta)
        self.db.file.flush()
