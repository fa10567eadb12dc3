"""The bundled decks' scenario questions pass the item-writing checks (docs/authoring.md,
"Checking scenario questions for cues"): what `quiz validate --strict decks` warns of, asserted
here check by check so that a failure names the cards to fix."""

from __future__ import annotations

import pytest

from quiz.core import cues
from quiz.core.model import Card, Deck
from quiz.deckfile.deck import load_decks
from quiz.deckfile.deckcheck import UNSAFE_RANK_FROM
from quiz.storage.paths import bundled_decks_dir


@pytest.fixture(scope="module")
def cards() -> list[Card]:
    decks, skipped = load_decks([bundled_decks_dir()])
    assert not skipped, [str(s) for s in skipped]
    return [card for deck in decks for card in deck.cards if cues.sjt_kind(card)]


@pytest.fixture(scope="module")
def decks() -> list[Deck]:
    return load_decks([bundled_decks_dir()])[0]


def test_no_option_holds_a_condition(cards: list[Card]) -> None:
    found = [
        f"{card.key} option {i + 1}: {cues.conditions(option.text)}"
        for card in cards
        for i, option in enumerate(card.options)
        if cues.conditions(option.text)
    ]
    assert found == []


def test_no_keyed_option_is_compound(cards: list[Card]) -> None:
    found = [f"{card.key} option {i + 1}" for card in cards for i in cues.compound_keyed(card)]
    assert found == []


def test_no_why_or_explanation_states_an_order_against_the_key(cards: list[Card]) -> None:
    found = [
        f"{card.key}: {claim.stated!r} ({claim.reason})"
        for card in cards
        for claim in cues.orders_against_key(card)
    ]
    assert found == []


def test_no_two_scenarios_are_near_duplicates(cards: list[Card]) -> None:
    found = [
        f"{cards[i].key} ~ {cards[j].key} ({similarity:.2f})"
        for i, j, similarity in cues.near_duplicates(cards)
    ]
    assert found == []


def test_unsafe_options_are_keyed_validly(cards: list[Card]) -> None:
    """The loader refuses them otherwise; asserted here too, in the test's own words."""
    for card in cards:
        for index in card.unsafe_indexes:
            if card.type == "rank":
                assert index + 1 >= UNSAFE_RANK_FROM, card.key
            else:
                assert not card.options[index].correct, card.key


def test_rank_items_keying_the_longest_option_first_at_most_30_percent(
    cards: list[Card],
) -> None:
    figures = cues.figures(cards)
    assert figures.rank_longest <= cues.RANK_CUE_TARGET * figures.rank, (
        f"{figures.rank_longest} of {figures.rank} rank items key their longest option first"
    )


def test_scenario_sbas_keying_the_longest_option_at_most_35_percent(cards: list[Card]) -> None:
    figures = cues.figures(cards)
    assert figures.sba_longest <= cues.SBA_CUE_TARGET * figures.sba, (
        f"{figures.sba_longest} of {figures.sba} scenario SBAs key their longest option"
    )


def test_the_passive_option_is_last_in_under_half_the_rank_items(
    cards: list[Card], decks: list[Deck]
) -> None:
    figures = cues.figures(cards)
    assert figures.passive_last < cues.PASSIVE_LAST_TARGET * figures.rank, (
        f"{figures.passive_last} of {figures.rank} rank items end with the passive option"
    )
    every = [
        deck.id
        for deck in decks
        if (ranks := [c for c in deck.cards if c.type == "rank"])
        and len(ranks) > 1
        and all(cues.passive_last(c) for c in ranks)
    ]
    assert every == []
