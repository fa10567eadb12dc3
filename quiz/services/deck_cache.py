"""Checked decks kept between starts: an unchanged deck file is not parsed and checked again.

Every start reads, parses and checks each deck file (`quiz.deckfile.deck.load_deck_text`); at
10,000 cards that is most of a second, and its outcome depends only on the file's bytes and the
loader's code. So the cards of each deck that loaded cleanly are kept in the progress folder's
cache folder (`quiz.storage.paths.cache_dir`), `deck-cache/<digest of the file's path>.json`,
under a digest of the file's bytes and one of the loader (its source and the schema). A kept
deck is used only when both match: an edited deck, a new quiz, or a damaged or foreign cache
file means the deck is loaded and checked as usual, and kept again. A file whose size, times
and inode are still those noted when its deck was kept (`_file_stamp`, noted only once the
file had settled) is not even read: hashing B7's 42 MB of decks took 0.1-0.2 s of each start.
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

FOLDER = "deck-cache"
KEEP = 100
"""Most decks kept; beyond that the longest unwritten go (a deck renamed leaves its old entry)."""
FORMAT = 4
"""Bumped when the layout of a cache file changes."""
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
            data = path.read_bytes()
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
        self._prune()

    def _prune(self) -> None:
        with contextlib.suppress(OSError):
            entries = [path for path in self.folder.iterdir() if path.suffix == ".json"]
            if len(entries) > KEEP:
                entries.sort(key=lambda path: path.stat().st_mtime_ns)
                for old in entries[: len(entries) - KEEP]:
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
    not at all, so this guards against the disk, not an adversary), 0.01 s for B7's 35 MB
    where blake2b took 0.07-0.15 s."""
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


_PUT = tuple(getattr(Card, name).__set__ for name in ("deck_id", *_CARD_FIELDS))
"""Card's slots, set directly: a frozen dataclass's `__init__` sets each of its 14 fields
through `object.__setattr__`; set here, 50,000 cards are made in 0.17-0.23 s, not 0.26-0.37."""
_ITEM_FIELDS = ("card", "kind", "cloze", "key")
_PUT_ITEM = tuple(getattr(Item, name).__set__ for name in _ITEM_FIELDS)
"""Item's slots, likewise: the items are made with the cards, as `Card.items` makes them, with
the cloze numbers kept (no regular expression over 22,000 cloze texts)."""
if tuple(field.name for field in fields(Item)) != _ITEM_FIELDS or _CARD_FIELDS != (
    "id", "type", "front", "back", "reverse", "text", "scenario", "question", "options", "tags",
    "source", "explanation", "line",
):  # fmt: skip
    raise ImportError("quiz.core.model.Card's or Item's fields changed: update deck_cache._deck")


def _deck(kept: dict[str, Any], path: Path) -> Deck:
    deck_id = kept["id"]
    cards: list[Card] = []
    add = cards.append
    items: list[Item] = []
    new = object.__new__
    put_deck, put_id, put_type, put_front, put_back, put_reverse, put_text = _PUT[:7]
    put_scenario, put_question, put_options, put_tags, put_source, put_why, put_line = _PUT[7:]
    put_card, put_kind, put_cloze, put_key = _PUT_ITEM

    def item(card: Card, kind: str, number: int | None, key: str) -> None:
        made = new(Item)
        put_card(made, card)
        put_kind(made, kind)
        put_cloze(made, number)
        put_key(made, key)
        items.append(made)

    clozes = iter(kept["cloze"])
    for row in kept["cards"]:
        card_id, kind, front, back, reverse, text, scenario, question = row[:8]
        options, tags, source, explanation, line = row[8:]
        if type(card_id) is not str or type(line) is not int:
            raise TypeError("not a kept card")
        card = new(Card)
        put_deck(card, deck_id)
        put_id(card, card_id)
        put_type(card, kind)
        put_front(card, front)
        put_back(card, back)
        put_reverse(card, reverse)
        put_text(card, text)
        put_scenario(card, scenario)
        put_question(card, question)
        put_options(card, tuple([Option(*option) for option in options]) if options else ())
        put_tags(card, tuple(tags))
        put_source(card, source)
        put_why(card, explanation)
        put_line(card, line)
        add(card)
        key = f"{deck_id}/{card_id}"  # the items as Card.items makes them
        if kind == "cloze":
            numbers = next(clozes, None)
            if numbers is None:
                raise ValueError("fewer cloze numbers kept than cloze cards")
            for number in numbers:
                item(card, "cloze", number, f"{key}~c{number}")
        else:
            item(card, kind, None, key)
            if kind == "basic" and reverse:
                item(card, "reverse", None, f"{key}~reverse")
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
