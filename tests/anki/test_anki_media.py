"""Pictures from Anki packages: written beside the deck under safe names, bounded in size,
and nothing written outside the deck's folder whatever the package says."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import genanki
import pytest
import zstandard

from quiz.anki import media as anki_media
from quiz.commands.authoring.anki_import import run as import_
from quiz.commands.validate import run as validate
from quiz.storage.user_files import AuthoringError
from tests.test_pictures import GIF, PNG

HOSTILE = {
    "../../evil.png": "evil.png",
    "/etc/passwd.png": "passwd.png",
    "..\\..\\win.png": "win.png",
    "CON.png": "file-CON.png",
    "nul": "file-nul",
    "Photo.png": "Photo.png",
    "photo.png": "photo-2.png",
    ".hidden.png": "hidden.png",
    "a b(1).gif": "a-b-1-.gif",
}
"""Names a package gives its pictures -> the names quiz writes them under."""


def package(path: Path, fronts: list[str], media: dict[str, bytes], *, members: int = 0) -> None:
    """A legacy .apkg (genanki's) whose notes have these fronts, holding these media files
    (name -> bytes). With `members`, the first zip members are named `../../mN` instead of N."""
    deck = genanki.Deck(2059400111, "Pictures")
    for front in fronts:
        deck.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=[front, "back"]))
    genanki.Package(deck).write_to_file(str(path), timestamp=1_700_000_000)
    with zipfile.ZipFile(path) as source:
        collection = source.read("collection.anki2")
    mapping = {}
    with zipfile.ZipFile(path, "w") as target:
        target.writestr("collection.anki2", collection)
        for number, (name, data) in enumerate(media.items()):
            member = f"../../m{number}" if number < members else str(number)
            mapping[member] = name
            target.writestr(member, data)
        target.writestr("media", json.dumps(mapping))


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def run_import(source: Path, output: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = import_(source, output, deck_id_given="pics", title=None, force=False, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_hostile_names_are_made_safe_and_stay_in_the_deck_folder(tmp_path: Path) -> None:
    fronts = [f'Look <img src="{name}">' for name in HOSTILE]
    media = {name: (GIF if name.endswith(".gif") else PNG) for name in HOSTILE}
    source = tmp_path / "in" / "hostile.apkg"
    source.parent.mkdir()
    package(source, fronts, media, members=2)
    out_folder = tmp_path / "a" / "b" / "out"
    out_folder.mkdir(parents=True)
    before = files_under(tmp_path)
    code, out, err = run_import(source, out_folder / "pics.json")
    assert code == 0 and err == "", err
    written = files_under(tmp_path) - before
    assert written == {"a/b/out/pics.json"} | {f"a/b/out/pics.media/{n}" for n in HOSTILE.values()}
    assert f"{len(HOSTILE)} pictures written to {out_folder / 'pics.media'}" in out
    deck = json.loads((out_folder / "pics.json").read_text(encoding="utf-8"))
    shown = {card["front"] for card in deck["cards"]}
    assert "Look ![picture evil](pics.media/evil.png)" in shown
    assert "Look ![picture a b 1](pics.media/a-b-1-.gif)" in shown
    assert "Look ![picture photo](pics.media/photo-2.png)" in shown
    checked = io.StringIO()
    paths = [str(out_folder / "pics.json")]
    assert validate(paths, strict=False, fmt="text", out=checked, err=io.StringIO()) == 0


def test_sounds_other_files_and_missing_pictures_are_named(tmp_path: Path) -> None:
    fronts = [
        'Heart <img src="heart.png">',
        "Murmur [sound:murmur.mp3]",
        'Diagram <img src="diagram.svg">',
        'Gone <img src="gone.png">',
    ]
    media = {"heart.png": PNG, "murmur.mp3": b"ID3", "diagram.svg": b"<svg/>"}
    package(tmp_path / "mixed.apkg", fronts, media)
    code, _, err = run_import(tmp_path / "mixed.apkg", tmp_path / "mixed.json")
    assert code == 0
    assert err.splitlines() == [
        f'{tmp_path / "mixed.apkg"}: note: sound "murmur.mp3" not imported: quiz plays no sounds',
        f'{tmp_path / "mixed.apkg"}: note: picture "gone.png" is named by a card but not in '
        "the package",
        f'{tmp_path / "mixed.apkg"}: note: file "diagram.svg" not imported: not a picture quiz '
        "can show (PNG, JPEG, GIF or WebP)",
    ]
    assert files_under(tmp_path / "mixed.media") == {"heart.png"}
    text = (tmp_path / "mixed.json").read_text(encoding="utf-8")
    assert "[image: diagram.svg]" in text and "[sound: murmur.mp3]" in text


def test_a_package_claiming_too_much_is_refused_with_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anki_media, "MAX_TOTAL", 2 * len(PNG) - 1)
    fronts = ['One <img src="a.png">', 'Two <img src="b.png">']
    package(tmp_path / "big.apkg", fronts, {"a.png": PNG, "b.png": PNG})
    before = files_under(tmp_path)
    with pytest.raises(AuthoringError, match=r"would take .* nothing was unpacked"):
        run_import(tmp_path / "big.apkg", tmp_path / "big.json")
    assert files_under(tmp_path) == before


def test_a_picture_over_the_file_limit_is_reported_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anki_media, "MAX_FILE", len(PNG))
    fronts = ['Small <img src="small.png">', 'Large <img src="large.png">']
    package(tmp_path / "p.apkg", fronts, {"small.png": PNG, "large.png": PNG + b"\0"})
    code, _, err = run_import(tmp_path / "p.apkg", tmp_path / "p.json")
    assert code == 0 and 'picture "large.png" not imported: larger than' in err
    assert files_under(tmp_path / "p.media") == {"small.png"}


def _protobuf_entry(name: str, size: int) -> bytes:
    encoded = name.encode()
    entry = b"\x0a" + bytes([len(encoded)]) + encoded + b"\x10" + bytes([size])
    return b"\x0a" + bytes([len(entry)]) + entry


def test_a_current_package_that_lies_about_a_size_is_read_only_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zstd member that unpacks to far more than its entry claims (a bomb) is cut off at
    the limit; the honest one beside it is kept."""
    monkeypatch.setattr(anki_media, "MAX_FILE", 1000)
    pack = zstandard.ZstdCompressor().compress
    bomb = pack(PNG + bytes(5_000_000))  # some 200 bytes packed
    assert len(bomb) < 1000
    path = tmp_path / "current.apkg"
    with zipfile.ZipFile(path, "w") as target:
        target.writestr("collection.anki21b", b"")  # only its presence matters here
        target.writestr(
            "media", pack(_protobuf_entry("bomb.png", 10) + _protobuf_entry("ok.png", 67))
        )
        target.writestr("0", bomb)
        target.writestr("1", pack(PNG))
    cards = [{"type": "basic", "front": "[image: bomb.png] and [image: ok.png]", "back": "b"}]
    media = anki_media.collect(path, cards, tmp_path / "deck.json")
    assert media.files == {"ok.png": PNG}
    assert media.reports == ['picture "bomb.png" not imported: larger than 0 MB once unpacked']
    assert cards[0]["front"] == "[image: bomb.png] and ![picture ok](deck.media/ok.png)"


@pytest.mark.parametrize(("name", "safe"), list(HOSTILE.items()), ids=[f"{n!r}" for n in HOSTILE])
def test_safe_names(name: str, safe: str) -> None:
    taken = {"photo.png"} if safe == "photo-2.png" else set()
    made = anki_media.safe_name(name, taken)
    assert made == safe
    assert "/" not in made and "\\" not in made and not made.startswith(".")
