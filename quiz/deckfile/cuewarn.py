"""Warnings of `quiz validate --strict` for cues in scenario questions (`quiz.core.cues`), each
at its place in the deck file; and the warnings over every deck checked together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quiz.core import cues
from quiz.core.model import Card, Deck
from quiz.deckfile import deckcheck
from quiz.deckfile.deckcheck import Issue
from quiz.deckfile.findings import Finding
from quiz.deckfile.jsonpos import JsonPath

COLLECTION = "decks checked"
"""What a warning about every deck checked together names in place of a file."""

_KIND_WORDS = {"rank": "rank", "scenario-sba": "scenario single best answer"}


@dataclass(frozen=True, slots=True)
class Checked:
    """A deck checked, with its file's text (for positions)."""

    deck: Deck
    text: str

    @property
    def shown(self) -> str:
        return str(self.deck.path) if self.deck.path is not None else "<deck>"


def card_issues(
    card: Card, path: JsonPath, cued_kinds: frozenset[str] = frozenset()
) -> list[Issue]:
    """The cues of one card, each at the field that shows it.

    Args:
        cued_kinds: the kinds of question ("rank", "scenario-sba") whose share of longest keys
            is over its target in the card's deck: only there is a longest key a warning. By
            chance alone about one key in five is the longest, so flagging every one would ask
            for what no deck can give (official names cannot be lengthened); the share is what
            teaches the test-wise student, and `--cues` lists it for every deck.
    """
    kind = cues.sjt_kind(card)
    if kind is None:
        return []
    label = f"card {deckcheck.show(card.id, 40)}"
    options: JsonPath = (*path, "options")
    issues: list[Issue] = []
    if kind in cued_kinds and cues.longest_keyed(card):
        at = cues.keyed(card)[0]
        which = "its best option (listed first)" if kind == "rank" else "its correct option"
        message = (
            f"{label}: length cue: {which} is the longest "
            f"({cues.length(card.options[at].text)} characters), as in more of the deck's "
            f"{_KIND_WORDS[kind]} items than the target allows; shorten it or lengthen another"
        )
        issues.append(Issue((*options, at, "text"), message))
    for index, option in enumerate(card.options):
        words = cues.conditions(option.text)
        if words:
            shown = ", ".join(f'"{w}"' for w in dict.fromkeys(words))
            message = (
                f"{label}: option {index + 1} holds a condition ({shown}): the student cannot "
                "know whether it holds; write it into the scenario"
            )
            issues.append(Issue((*options, index, "text"), message))
    for index in cues.compound_keyed(card):
        message = (
            f"{label}: option {index + 1} is keyed and asks for "
            f"{cues.actions(card.options[index].text)} actions, more than any other option: "
            "give a distractor as many steps, or split it"
        )
        issues.append(Issue((*options, index, "text"), message))
    for claim in cues.orders_against_key(card):
        where = "the explanation" if claim.option is None else f"option {claim.option + 1}'s why"
        field: JsonPath = (
            (*path, "explanation") if claim.option is None else (*options, claim.option, "why")
        )
        message = f"{label}: {where} says {deckcheck.show(claim.stated, 70)}, but {claim.reason}"
        issues.append(Issue(field, message))
    return issues


def deck_warnings(checked: Checked) -> list[Finding]:
    """The cue warnings of one deck, in file order (near duplicates apart: `across`)."""
    deck = checked.deck
    own = cues.figures(deck.cards)
    cued_kinds = frozenset(
        kind
        for kind, longest, count, target in (
            ("rank", own.rank_longest, own.rank, cues.RANK_CUE_TARGET),
            ("scenario-sba", own.sba_longest, own.sba, cues.SBA_CUE_TARGET),
        )
        if count and longest / count > target
    )
    issues: list[Issue] = []
    for index, card in enumerate(deck.cards):
        issues.extend(card_issues(card, ("cards", index), cued_kinds))
    ranks = [card for card in deck.cards if card.type == "rank"]
    if len(ranks) > 1 and all(cues.passive_last(card) for card in ranks):
        message = (
            f"deck: every one of its {len(ranks)} rank cards ends with the passive option "
            "(say nothing, do as told): key another option last in some of them"
        )
        issues.append(Issue(("cards",), message))
    return deckcheck.position(issues, checked.text, checked.shown, "warning")


def across(decks: Sequence[Checked]) -> list[Finding]:
    """Warnings over the decks checked together: near-duplicate scenarios (at the later card
    of each pair, naming the earlier), then the collection targets the decks miss."""
    cards = [
        (checked, index, card) for checked in decks for index, card in enumerate(checked.deck.cards)
    ]
    findings: list[Finding] = []
    pairs = cues.near_duplicates([card for _, _, card in cards])
    for first, second, similarity in pairs:
        a_deck, _, a_card = cards[first]
        b_deck, b_index, b_card = cards[second]
        line = a_card.line
        where = "" if a_deck is b_deck else f"{a_deck.shown}, "
        message = (
            f"card {deckcheck.show(b_card.id, 40)}: its scenario nearly repeats card "
            f"{deckcheck.show(a_card.id, 40)} ({where}line {line}; {similarity:.0%} of their "
            "words shared): one case, one question"
        )
        issue = Issue(("cards", b_index, "scenario"), message)
        findings.extend(deckcheck.position([issue], b_deck.text, b_deck.shown, "warning"))
    total = cues.figures(card for _, _, card in cards)
    for missed in cues.over_targets(total):
        together = "the deck" if len(decks) == 1 else f"the {len(decks)} decks together"
        findings.append(Finding(COLLECTION, 0, 0, "warning", f"{together}: {missed}"))
    return findings
