"""What one run of quiz works with: folders, today's date, settings, and the loaded decks.

Built by the command line (the only place that reads argv and the environment) and handed to
the app and the other commands, so the tests can build exactly the same thing from paths.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path

from quiz.core.competencies import with_domains
from quiz.core.model import Deck, Item
from quiz.deckfile.deck import Skipped, load_decks
from quiz.services.deck_cache import DeckCache
from quiz.storage import clock, paths
from quiz.storage.settings import Settings, load


@dataclass
class Context:
    data_dir: Path
    deck_dirs: list[Path]
    today: date
    settings: Settings = field(default_factory=Settings)
    notices: list[str] = field(default_factory=list)
    """Problems worth telling the user once: bad settings, skipped decks."""
    decks: list[Deck] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    cache_dir: Path | None = None
    """The progress folder's cache folder (`paths.cache_dir`); None: keep no caches."""
    _items: dict[int, tuple[Deck, tuple[Item, ...]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Each deck's items, made once (by the deck object's identity)."""

    def deck_items(self, deck: Deck) -> tuple[Item, ...]:
        """`deck.items()`, made once per deck and kept."""
        made = self._items.get(id(deck))
        if made is None or made[0] is not deck:
            made = self._items[id(deck)] = (deck, deck.items())
        return made[1]

    def study_tags(self) -> list[str]:
        """Every tag a student can study by (`Deck.study_tags` of every card), sorted.

        The tags are gathered first and their domains added once (card by card, this took
        0.1 s at 50,000 cards).
        """
        found: set[str] = set()
        for deck in self.decks:
            if deck.cards:
                found.update(deck.tags)
                found.update(chain.from_iterable(card.tags for card in deck.cards))
        return sorted(with_domains(found))  # a tag's domain comes with it, whatever the card

    def deck(self, deck_id: str) -> Deck | None:
        return next((deck for deck in self.decks if deck.id == deck_id), None)

    def items(self, deck_ids: Sequence[str] | None = None, tags: Sequence[str] = ()) -> list[Item]:
        """Items of the chosen decks (all by default) carrying every tag in `tags`."""
        chosen = [d for d in self.decks if deck_ids is None or d.id in deck_ids]
        if not tags:
            return [item for deck in chosen for item in self.deck_items(deck)]
        wanted = set(tags)
        return [
            item
            for deck in chosen
            for card in deck.cards
            if wanted <= set(deck.study_tags(card))
            for item in card.items()
        ]


def build(
    *,
    data: str | None = None,
    decks: Sequence[str] = (),
    bundled: bool = True,
    env: Mapping[str, str],
) -> Context:
    """Resolve folders, settings and today's date, and load the decks.

    Raises:
        clock.ClockError: QUIZ_TODAY is not a date.
    """
    data_dir = paths.data_dir(data, env)
    settings, notices = load(paths.settings_path(data_dir))
    today = clock.today(env, settings.day_starts_at)
    cache_dir = paths.cache_dir(data_dir, env)
    drop_old_caches(data_dir)
    deck_dirs = ([paths.bundled_decks_dir()] if bundled else []) + [Path(d) for d in decks]
    deck_cache = DeckCache(cache_dir)
    loaded, skipped = load_decks(deck_dirs, load=deck_cache.load)
    deck_cache.prune()
    return Context(
        data_dir, deck_dirs, today, settings, notices, list(loaded), list(skipped), cache_dir
    )


OLD_CACHES = ("deck-cache", "stats-cache.json")
"""Caches that quiz 0.1 kept inside the progress folder; they now live in `paths.cache_dir`."""


def drop_old_caches(data_dir: Path) -> None:
    """Remove the caches an older quiz left in the progress folder: they are only derived data,
    and a progress folder that is synced or backed up should carry only progress."""
    old_decks, old_stats = (data_dir / name for name in OLD_CACHES)
    if old_decks.is_dir() and not old_decks.is_symlink():
        shutil.rmtree(old_decks, ignore_errors=True)
    if old_stats.is_file():
        old_stats.unlink(missing_ok=True)
