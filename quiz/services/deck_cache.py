"""Checked decks kept between starts: an unchanged deck file is not parsed and checked again.

Every start reads, parses and checks each deck file (`quiz.deckfile.deck.load_deck_text`); at
10,000 cards that is most of a second, and its outcome depends only on the file's bytes and the
loader's code. So the cards of each deck that loaded cleanly are kept in the progress folder's
cache folder (`quiz.storage.paths.cache_dir`), `deck-cache/<digest of the file's path>.json`,
under a digest of the file's bytes and one of the loader (its source and the schema). A kept
deck is used only when both match: an edited deck, a new quiz, or a damaged or foreign cache
file means the deck is loaded and checked as usual, and kept again. A file whose size, times
and inode are still those noted when its deck was kept (`_file_stamp`, noted only once the
file had settled) is not even read: hashing a large collection's decks would cost every start.
Decks with problems are never kept (their messages need the file). Keeping is best effort: a
read-only or full folder costs speed, never a message.

    cache = DeckCache(paths.cache_dir(data_dir))
    decks, skipped = load_decks(folders, load=cache.load)
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import time
import zlib
from dataclasses import astuple, fields
from datetime import date
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import Any

import orjson

from quiz import __version__
from quiz.core.model import Card, Deck, Item, Option
from quiz.deckfile.deck import MAX_BYTES, load_deck_text, parse_deck_text
from quiz.storage import durable, paths
from quiz.storage.inputs import read_input

FOLDER = "deck-cache"
KEEP = 100
"""Most entries kept beside those of the decks loaded this run (every one of which is kept,
however many): beyond that the longest unwritten go (a deck renamed leaves its old entry)."""
FORMAT = 5
"""Bumped when the layout of a cache file changes (5: an option's row ends with `unsafe`)."""
_LOADER_MODULES = (
    "quiz.deckfile.deck",
    "quiz.deckfile.deckcheck",
    "quiz.deckfile.deckwarn",
    "quiz.deckfile.findings",
    "quiz.deckfile.jsonpos",
    "quiz.core.model",
    "quiz.deckfile.schemalite",
)


@cache
def loader_stamp() -> str:
    """A digest of everything that decides how a deck file loads: change any, and no kept
    deck is used. The modules are read, not imported (a start from the cache never imports
    the checker)."""
    digest = hashlib.blake2b(f"{FORMAT} {__version__}".encode(), digest_size=16)
    for name in _LOADER_MODULES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        digest.update(Path(origin).read_bytes() if origin else name.encode())
    digest.update(paths.schema_path().read_bytes())
    return digest.hexdigest()


class DeckCache:
    """Loads decks through the cache kept in a cache folder (`quiz.storage.paths.cache_dir`)."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = cache_dir / FOLDER
        self._used: set[str] = set()
        """The entries of the decks loaded through this cache."""
        self._wrote = False

    def load(self, path: Path) -> tuple[Deck, str | None]:
        """`load_deck_text`, from the cache when the file is unchanged (the text is then None).

        Raises:
            DeckError: as `load_deck_text`, for a file that cannot be read or has problems.
        """
        try:
            seen = path.stat()
        except OSError:
            return load_deck_text(path)  # says exactly what is wrong with the file
        if seen.st_size > MAX_BYTES:
            return load_deck_text(path)  # refuses it, saying how large it is
        entry = self._entry(path)
        self._used.add(entry.name)
        header, payload = self._read(entry)
        if header is not None and header.get("file") == _file_stamp(seen):
            kept = _kept(payload)  # unchanged since it was kept: the deck is not read
            deck = _deck_or_none(kept, path) if kept is not None else None
            if deck is not None:
                deck.note_pictures(b"![" in payload)
                return deck, None
        return self._check(path, entry, seen, header, payload)

    def _check(
        self,
        path: Path,
        entry: Path,
        seen: os.stat_result,
        header: dict[str, Any] | None = None,
        payload: bytes = b"",
    ) -> tuple[Deck, str | None]:
        """Read the file and compare its bytes with the kept deck's; parse it if they differ."""
        try:
            data = read_input(path, MAX_BYTES)
        except OSError:
            return load_deck_text(path)  # says exactly what is wrong with the file
        content = hashlib.blake2b(data, digest_size=16).hexdigest()
        if header is not None and header.get("content") == content:
            kept = _kept(payload)
            deck = _deck_or_none(kept, path) if kept is not None else None
            if deck is not None:  # the same bytes (touched, copied): note the file as it is
                deck.note_pictures(b"![" in payload)
                self._store(entry, _stamp(content, payload, seen), payload)
                return deck, None
        deck, text = parse_deck_text(data, path)  # the bytes already read
        self._write(entry, content, deck, seen)
        return deck, text

    def _entry(self, path: Path) -> Path:
        name = hashlib.blake2b(os.fsencode(path.resolve()), digest_size=12).hexdigest()
        return self.folder / f"{name}.json"

    def _read(self, entry: Path) -> tuple[dict[str, Any] | None, bytes]:
        """A cache file's stamp and payload: (None, b"") if it is missing, damaged, or kept by
        another loader (then it says nothing about the file)."""
        try:
            line, _, payload = entry.read_bytes().partition(b"\n")
            header = orjson.loads(line)
        except (OSError, orjson.JSONDecodeError):
            return None, b""
        if (
            not isinstance(header, dict)
            or header.get("loader") != loader_stamp()
            or header.get("payload") != _digest(payload)
        ):
            return None, b""
        return header, payload

    def _write(self, entry: Path, content: str, deck: Deck, seen: os.stat_result) -> None:
        payload = orjson.dumps(_rows(deck))
        self._store(entry, _stamp(content, payload, seen), payload)

    def _store(self, entry: Path, stamp: dict[str, Any], payload: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Whole or not at all; not flushed to the disk: it is only a cache.
            durable.write_atomic(entry, orjson.dumps(stamp) + b"\n" + payload, durable=False)
        except OSError:
            return
        self._wrote = True

    def prune(self) -> None:
        """Once the decks are loaded: remove the entries of decks not loaded this run, but
        the KEEP written last. Every loaded deck keeps its entry, so a folder of thousands of
        decks is read from the cache at the next start, not parsed and written again."""
        if not self._wrote:
            return
        with contextlib.suppress(OSError):
            unused = [
                path
                for path in self.folder.iterdir()
                if path.suffix == ".json" and path.name not in self._used
            ]
            if len(unused) > KEEP:
                unused.sort(key=lambda path: path.stat().st_mtime_ns)
                for old in unused[: len(unused) - KEEP]:
                    old.unlink(missing_ok=True)


def _stamp(content: str, payload: bytes, seen: os.stat_result) -> dict[str, Any]:
    """A cache file's first line: what the kept deck was made from, and a check of the rest."""
    file = _file_stamp(seen) if _settled(seen) else None
    return {"loader": loader_stamp(), "content": content, "payload": _digest(payload), "file": file}


def _file_stamp(seen: os.stat_result) -> list[int]:
    """What `stat` says of a deck file, to know it unchanged without reading it: its size,
    its times of last change (the content's, which a program may set, and the inode's, which
    none can: any write, rename or `touch` moves it) and its inode."""
    return [seen.st_size, seen.st_mtime_ns, seen.st_ctime_ns, seen.st_ino]


SETTLED_NS = 2_000_000_000
"""How long ago a file must have changed for its stat to vouch for its bytes. A file changed
twice within one tick of the file system's clock (coarse: milliseconds, two seconds on FAT)
keeps its times: one changed that recently is read and hashed at each start until it has
settled (git's "racily clean" files)."""


def _settled(seen: os.stat_result) -> bool:
    return time.time_ns() - max(seen.st_mtime_ns, seen.st_ctime_ns) > SETTLED_NS


def _digest(payload: bytes) -> str:
    """A check of a cache file's payload against damage: crc32 (a cache is written whole or
    not at all, so this guards against the disk, not an adversary): several times faster
    than a cryptographic digest, and it runs over the whole cache at each start."""
    return f"{zlib.crc32(payload):08x}"


def _kept(payload: bytes) -> dict[str, Any] | None:
    try:
        kept = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None
    return kept if isinstance(kept, dict) else None


def _deck_or_none(kept: dict[str, Any], path: Path) -> Deck | None:
    try:
        return _deck(kept, path)
    except (TypeError, ValueError, KeyError, IndexError):
        return None  # well-formed JSON of another shape: check the file as usual


def _rows(deck: Deck) -> dict[str, Any]:
    return {
        "id": deck.id,
        "title": deck.title,
        "description": deck.description,
        "authors": deck.authors,
        "tags": deck.tags,
        "review_by": deck.review_by.isoformat() if deck.review_by else None,
        "cards": [_card_row(card) for card in deck.cards],
        "cloze": [card.cloze_numbers() for card in deck.cards if card.type == "cloze"],
    }


_CARD_FIELDS = tuple(field.name for field in fields(Card))[1:]
"""A kept card's row: Card's own fields in its own order, less the deck id (kept once)."""
_OPTIONS = _CARD_FIELDS.index("options")
_TAGS = _CARD_FIELDS.index("tags")


_CARD_VALUES = attrgetter(*_CARD_FIELDS)


def _card_row(card: Card) -> list[Any]:
    row: list[Any] = list(_CARD_VALUES(card))
    row[_OPTIONS] = [astuple(option) for option in card.options]
    return row


_PUT = tuple(getattr(Card, name).__set__ for name in _CARD_FIELDS)
"""Card's slots, set directly (hot: every card of every deck at each start; a frozen
dataclass's `__init__` sets each field through `object.__setattr__`). From `fields(Card)`,
like the rows, so a field Card gains is kept and set with the others."""
_PUT_DECK = Card.__dict__["deck_id"].__set__
_ID, _TYPE, _REVERSE, _LINE = map(_CARD_FIELDS.index, ("id", "type", "reverse", "line"))
_ITEM_FIELDS = tuple(field.name for field in fields(Item))
_ITEM_PUT = tuple(Item.__dict__[name].__set__ for name in _ITEM_FIELDS[:4])
_ITEM_BY_SLOTS = _ITEM_FIELDS == ("card", "kind", "cloze", "key")
"""Items are made like the cards, their slots set (hot: every item at each start), while Item
has the fields this module knows; else with Item's own `__init__`."""


def _item(card: Card, kind: str, number: int | None, key: str) -> Item:
    if not _ITEM_BY_SLOTS:
        return Item(card, kind, number, key)  # type: ignore[arg-type]
    item = object.__new__(Item)
    put_card, put_kind, put_cloze, put_key = _ITEM_PUT
    put_card(item, card)
    put_kind(item, kind)
    put_cloze(item, number)
    put_key(item, key)
    return item


def _deck(kept: dict[str, Any], path: Path) -> Deck:
    deck_id = kept["id"]
    cards: list[Card] = []
    items: list[Item] = []
    new = object.__new__
    width = len(_CARD_FIELDS)
    clozes = iter(kept["cloze"])
    for row in kept["cards"]:
        if len(row) != width or type(row[_ID]) is not str or type(row[_LINE]) is not int:
            raise TypeError("not a kept card")
        options = row[_OPTIONS]
        row[_OPTIONS] = tuple([Option(*option) for option in options]) if options else ()
        row[_TAGS] = tuple(row[_TAGS])
        card = new(Card)
        _PUT_DECK(card, deck_id)
        for put, value in zip(_PUT, row, strict=True):
            put(card, value)
        cards.append(card)
        kind, key = row[_TYPE], f"{deck_id}/{row[_ID]}"  # the items as Card.items makes them
        if kind == "cloze":
            numbers = next(clozes, None)
            if numbers is None:
                raise ValueError("fewer cloze numbers kept than cloze cards")
            items.extend(_item(card, "cloze", number, f"{key}~c{number}") for number in numbers)
        else:
            items.append(_item(card, kind, None, key))
            if kind == "basic" and row[_REVERSE]:
                items.append(_item(card, "reverse", None, f"{key}~reverse"))
    if next(clozes, None) is not None:
        raise ValueError("more cloze numbers kept than cloze cards")
    review_by = kept["review_by"]
    deck = Deck(
        id=deck_id,
        title=kept["title"],
        cards=tuple(cards),
        path=path,
        description=kept["description"],
        authors=tuple(kept["authors"]),
        tags=tuple(kept["tags"]),
        review_by=date.fromisoformat(review_by) if review_by else None,
    )
    deck.keep_items(tuple(items))
    return deck
