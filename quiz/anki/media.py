"""The pictures an imported Anki package's cards use, written beside the new deck.

An .apkg holds its media as numbered zip members and a `media` member mapping numbers to file
names: JSON in older packages (`{"0": "ecg.png"}`, the files stored as they are), a protobuf
compressed with zstd in current ones (`MediaEntries`: name, size, sha1; each file compressed
with zstd too, named by its place in the list unless `legacy_zip_filename` says otherwise).

Nothing from the package is trusted. The pictures go into one folder, `<deck>.media/`, under
names made here (letters, digits, `.`, `-`, `_`; never `..`, a path, a device name such as
CON or NUL, nor two names that differ only in case); each file is read with a bound on what it
may unpack to, and is kept only if its bytes are a PNG, JPEG, GIF or WebP. A package whose
pictures claim more than `MAX_TOTAL` is refused before anything is unpacked. Sounds, pictures
of other kinds, files too large and files missing from the package are reported by name, and
their cards keep `[image: name]` or `[sound: name]` text.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from quiz.anki import protobuf
from quiz.deckfile.images import MAX_PICTURE_BYTES, picture_kind
from quiz.storage.user_files import AuthoringError

MAX_FILE = MAX_PICTURE_BYTES
"""Largest picture taken from a package (what a deck may name)."""
MAX_TOTAL = 200 * 1024 * 1024
"""Most bytes of pictures taken from one package, all told."""
MAX_MEDIA_MAP = 16 * 1024 * 1024
"""Largest `media` member read (a list of names: 100,000 files take about 4 MB)."""
CHUNK = 1 << 16

IMAGE_TEXT = re.compile(r"\[image: ([^\]\n]*)\]")
"""What the HTML reducer leaves for an `<img>` (`quiz.anki.html_text`)."""
SOUND_TEXT = re.compile(r"\[sound: ([^\]\n]*)\]")
_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{kind}{n}" for kind in ("COM", "LPT") for n in "0123456789¹²³"]
)
"""Names Windows keeps for devices, whatever the extension (`nul.png` is NUL)."""
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_FIELDS = ("front", "back", "text", "explanation")


@dataclass
class Media:
    """What a package's cards use: the pictures to write, and what is reported instead."""

    folder: Path
    """`<deck>.media/` beside the deck file."""
    files: dict[str, bytes] = field(default_factory=dict)
    """Safe name -> the picture's bytes."""
    names: dict[str, str] = field(default_factory=dict)
    """Anki's file name -> safe name, for each picture kept."""
    reports: list[str] = field(default_factory=list)
    """One line per file not kept (a sound, another kind of file, too large, missing)."""


def safe_name(name: str, taken: set[str]) -> str:
    """A file name for `name` that is safe on every system and not in `taken` (lowercased),
    which it is added to.

    Only the last part of a path is kept; other characters than letters, digits, `.`, `-` and
    `_` become `-`; a name may not start with `.` or `-`, nor be a device name.
    """
    base = unicodedata.normalize("NFKD", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = base.encode("ascii", "ignore").decode("ascii")
    base = _UNSAFE.sub("-", base).lstrip(".-")[-80:].lstrip(".-") or "picture"
    stem, dot, suffix = base.partition(".")
    if stem.upper() in _DEVICES or not stem:
        stem = f"file-{stem}"
    candidate = f"{stem}{dot}{suffix}"
    number = 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{stem}-{number}{dot}{suffix}"
    taken.add(candidate.lower())
    return candidate


def alt_for(name: str) -> str:
    """Alt text for a picture known only by its file name: the name, as words."""
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    words = " ".join(re.sub(r"[\[\]_\-()]+", " ", stem).split())
    return f"picture {words}" if words else "picture"


def card_texts(card: dict[str, Any]) -> Iterator[str]:
    """The texts of an imported card (a dict before it is a deck's)."""
    for key in _FIELDS:
        value = card.get(key)
        if isinstance(value, str):
            yield value


def collect(package_path: Path, cards: list[dict[str, Any]], deck_path: Path) -> Media:
    """Read the pictures `cards` name from the package, bounded; rewrite the cards' text to
    show them (`![alt](<deck>.media/name)`).

    Raises:
        AuthoringError: the package's media list cannot be read, or its pictures claim more
            than `MAX_TOTAL` bytes (nothing is unpacked then).
    """
    folder = deck_path.with_name(f"{deck_path.stem}.media")
    media = Media(folder)
    wanted: dict[str, None] = {}
    sounds: dict[str, None] = {}
    for card in cards:
        for text in card_texts(card):
            if "[image: " in text:
                wanted.update(dict.fromkeys(m.group(1) for m in IMAGE_TEXT.finditer(text)))
            if "[sound: " in text:
                sounds.update(dict.fromkeys(m.group(1) for m in SOUND_TEXT.finditer(text)))
    for name in sounds:
        media.reports.append(f"sound {_show(name)} not imported: quiz plays no sounds")
    if not wanted:
        return media
    try:
        with zipfile.ZipFile(package_path) as package:
            _read_pictures(package, package_path, wanted, media)
    except zipfile.BadZipFile:
        raise AuthoringError(f"{package_path}: not an Anki package: not a zip file") from None
    if media.names:
        _rewrite(cards, media)
    return media


def _read_pictures(
    package: zipfile.ZipFile, shown: Path, wanted: dict[str, None], media: Media
) -> None:
    members = {info.filename: info for info in package.infolist()}
    current = "collection.anki21b" in members
    entries = _media_map(package, members, current, shown)
    found: dict[str, tuple[str, int]] = {}  # Anki name -> (member, size claimed)
    for name in wanted:
        entry = entries.get(name) or entries.get(_unquoted(name))
        if entry is None or entry[0] not in members:
            media.reports.append(f"picture {_show(name)} is named by a card but not in the package")
            continue
        member, size = entry
        claimed = max(size, members[member].file_size) if current else members[member].file_size
        found[name] = (member, claimed)
    total = sum(size for _, size in found.values() if size <= MAX_FILE)
    if total > MAX_TOTAL:
        raise AuthoringError(
            f"{shown}: its pictures would take {total / 1024 / 1024:,.0f} MB (quiz takes at most "
            f"{MAX_TOTAL // 1024 // 1024} MB from a package); nothing was unpacked"
        )
    taken: set[str] = set()
    spent = 0
    for name, (member, claimed) in found.items():
        limit = min(MAX_FILE, MAX_TOTAL - spent)
        if claimed > MAX_FILE:
            media.reports.append(_too_large(name))
            continue
        data = _read_member(package, member, current, limit, shown)
        if data is None:
            media.reports.append(_too_large(name))
            continue
        if picture_kind(data[:12]) is None:
            media.reports.append(
                f"file {_show(name)} not imported: not a picture quiz can show "
                "(PNG, JPEG, GIF or WebP)"
            )
            continue
        spent += len(data)
        safe = safe_name(name, taken)
        media.files[safe] = data
        media.names[name] = safe


def _media_map(
    package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], current: bool, shown: Path
) -> dict[str, tuple[str, int]]:
    """Anki's file name -> (zip member, size the package claims for it)."""
    if "media" not in members:
        return {}
    raw = _read_member(package, "media", current, MAX_MEDIA_MAP, shown)
    if raw is None:
        raise AuthoringError(f"{shown}: its list of media files is too large to read")
    if not current:
        try:
            mapping = json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise AuthoringError(f"{shown}: its list of media files is not JSON") from None
        if not isinstance(mapping, dict):
            return {}
        return {
            str(name): (str(number), 0) for number, name in mapping.items() if isinstance(name, str)
        }
    entries: dict[str, tuple[str, int]] = {}
    try:
        for index, entry in enumerate(protobuf.messages(raw, 1)):
            name = protobuf.string(entry, 1)
            size = protobuf.varint(entry, 2)
            legacy = protobuf.varint(entry, 255, default=-1)
            entries.setdefault(name, (str(legacy if legacy >= 0 else index), size))
    except (ValueError, UnicodeDecodeError) as exc:
        raise AuthoringError(f"{shown}: its list of media files is damaged ({exc})") from None
    return entries


def _read_member(
    package: zipfile.ZipFile, member: str, compressed: bool, limit: int, shown: Path
) -> bytes | None:
    """A zip member's bytes (unpacked from zstd when `compressed`), or None if they would be
    more than `limit`: never more than `limit` + 1 bytes are made."""
    info = package.getinfo(member)
    if not compressed and info.file_size > limit:
        return None
    try:
        with package.open(info) as source:
            reader = _zstd_reader(source) if compressed else source
            data = _bounded(reader.read, limit)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise AuthoringError(f"{shown}: cannot unpack {member!r}: {exc}") from None
    except Exception as exc:  # the zstd library's own error
        if type(exc).__name__ == "ZstdError":
            raise AuthoringError(f"{shown}: {member!r} is damaged ({exc})") from None
        raise
    return data


def _bounded(read: Callable[[int], bytes], limit: int) -> bytes | None:
    parts: list[bytes] = []
    size = 0
    while chunk := read(min(CHUNK, limit + 1 - size)):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            return None
    return b"".join(parts)


def _zstd_reader(source: IO[bytes]) -> Any:
    """A reader of the zstd stream `source` that unpacks only as much as is asked for."""
    if sys.version_info >= (3, 14):
        from compression import zstd

        return zstd.ZstdFile(source)
    import zstandard

    return zstandard.ZstdDecompressor().stream_reader(source, closefd=False)


def _rewrite(cards: list[dict[str, Any]], media: Media) -> None:
    """Each `[image: name]` of a kept picture becomes `![alt](<deck>.media/safe-name)`."""
    prefix = media.folder.name

    def picture(match: re.Match[str]) -> str:
        safe = media.names.get(match.group(1))
        if safe is None:
            return match.group(0)
        return f"![{alt_for(match.group(1))}]({prefix}/{safe})"

    for card in cards:
        for key in _FIELDS:
            value = card.get(key)
            if isinstance(value, str) and "[image: " in value:
                card[key] = IMAGE_TEXT.sub(picture, value)


def write(media: Media, *, force: bool) -> None:
    """Write the pictures into their folder (made if need be).

    Raises:
        AuthoringError: the folder exists (without `force`), is a link, or cannot be written.
    """
    if not media.files:
        return
    from quiz.storage import durable

    folder = media.folder
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise AuthoringError(f"{folder}: exists and is not a folder; move it away first")
    if folder.exists() and not force:
        raise AuthoringError(f"{folder}: already exists; give --force to replace its pictures")
    try:
        folder.mkdir(exist_ok=True)
        for name, data in media.files.items():
            target = folder / name
            if target.is_symlink():
                target.unlink()  # replaced by the file itself, never written through
            durable.write_atomic(target, data)
    except OSError as exc:
        raise AuthoringError(f"{folder}: cannot write: {exc.strerror or exc}") from None


def _too_large(name: str) -> str:
    return (
        f"picture {_show(name)} not imported: larger than {MAX_FILE // 1024 // 1024} MB "
        "once unpacked"
    )


def _unquoted(name: str) -> str:
    from urllib.parse import unquote

    return unquote(name)


def _show(name: str) -> str:
    return json.dumps(name[:80], ensure_ascii=False)
