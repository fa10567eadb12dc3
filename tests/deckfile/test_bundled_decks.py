"""The bundled decks load through the real loader and meet the content rules
(docs/content-notes.md).

The official names below are copied from the checked fact sheet (shared/content/facts.md), and so
is the list of claims it marks UNCONFIRMED, which no card may make.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from quiz.core.competencies import HLM_DIMENSIONS as HLM_COMPETENCIES
from quiz.core.competencies import MLCF_DOMAINS as MLCF_COMPETENCIES
from quiz.core.competencies import is_competency
from quiz.core.model import CLOZE_RE, Card, Deck
from quiz.deckfile.deck import load_deck
from quiz.storage.paths import bundled_decks_dir

DECK_FILES = sorted(bundled_decks_dir().glob("*.json"))

EXPECTED_DECKS = {
    "leadership-basics",
    "mlcf",
    "hlm",
    "developing-leadership",
    "speaking-up",
    "scenarios-challenge",
    "patient-safety",
    "consent-capacity",
    "human-factors",
    "quality-improvement",
    "escalation-routes",
    "reports-and-inquiries",
}

SEED_SOURCE = "Medical leadership (seed)"

MLCF_DOMAINS: dict[str, tuple[str, str, str, str]] = {
    "Demonstrating Personal Qualities": (
        "Developing Self Awareness",
        "Managing Yourself",
        "Continuing Personal Development",
        "Acting with Integrity",
    ),
    "Working with Others": (
        "Developing Networks",
        "Building & Maintaining Relationships",
        "Encouraging Contribution",
        "Working within Teams",
    ),
    "Managing Services": (
        "Planning",
        "Managing Resources",
        "Managing People",
        "Managing Performance",
    ),
    "Improving Services": (
        "Ensuring Patient Safety",
        "Critically Evaluating",
        "Encouraging Improvement and Innovation",
        "Facilitating Transformation",
    ),
    "Setting Direction": (
        "Identifying the Contexts for Change",
        "Applying Knowledge and Evidence",
        "Making Decisions",
        "Evaluating Impact",
    ),
}

HLM_DIMENSIONS = (
    "Inspiring shared purpose",
    "Leading with care",
    "Evaluating information",
    "Connecting our service",
    "Sharing the vision",
    "Engaging the team",
    "Holding to account",
    "Developing capability",
    "Influencing for results",
)

# What the fact sheet marks UNCONFIRMED (or says not to use), as phrases no card may contain.
UNCONFIRMED_PHRASES = (
    # MLCF 2nd edition "often quoted as 2009" (2009 is a checked year for other facts: the
    # WHO checklist trial, the NPSA alert, Never Events); the FMLM standards' 2nd edition year.
    "edition (2009)",
    "edition, 2009",
    "2009 edition",
    "MLCF (2009)",
    "MLCF, 2009",
    "2nd edition",
    "second edition",
    "2nd edn",
    # That these two senior-leader domains belong to the 2011 Leadership Framework.
    "Creating the Vision",
    "Delivering the Strategy",
    # That the CLCF keeps exactly the MLCF's 5 domains and 20 element names.
    "same five domains",
    "same 5 domains",
    "same twenty elements",
    "same 20 elements",
    "identical domains",
    # The full list of domain names in each edition of FMLM's standards.
    "FMLM domains",
    "domains of the FMLM",
    # GMC wording known only through the MDU's summary.
    "personal and professional loyalties",
    "does not need to be proven",
    "need not be proven",
    "honestly held",
    # The outcome and new text of the GMC's 2025-26 consultation.
    "explicit duty to speak up",
    "anti-victimisation",
    # (GMP 2024 paragraph 75 is now checked on the GMC's own page: facts.md 4.3, 8.2.)
    # Candour: the Francis recommendation number; the Scottish and Welsh commencement dates.
    "recommendation 181",
    "1 April 2018",
    "1 April 2023",
    # The names of the Just Culture Guide's tests; a 15th Never Event cut off in the source.
    "deliberate harm test",
    "foresight test",
    "substitution test",
    "air flowmeter",
    # Consent and capacity: the paragraph said to hold the Montgomery test; the MCA's age.
    "paragraph 87",
    "para 87",
    "16 and over",
    "aged 16 or over",
    # GMP 2024 para 59 (leaders and harassment), seen in a law firm's summary only.
    "paragraph 59",
    "para 59",
    # PIDA: CQC as a prescribed person; NEWS2: new confusion scoring 3.
    "CQC is a prescribed person",
    "confusion scores 3",
    "confusion scoring 3",
    # Reports: the disputed Mid Staffs death estimate; Ockenden's headline numbers.
    "400 to 1,200",
    "1,200 excess",
    "excess deaths",
    "201 babies",
    "9 mothers",
    # Opportunities: FMLM's student programme's name.
    "ESLIH",
    # SJT: first year of the online format; the Prioritisation Act; a blog's threshold claim;
    # pilot questions (secondary source only).
    "FP2022",
    "Prioritisation Act",
    "prioritising UK graduates",
    "threshold test",
    "pilot question",
)

SJT_DECIDES = re.compile(
    r"(?:SJT|situational judgement test)(?P<between>[^.]{0,40}?)"
    r"\b(?:decides|determines|is used (?:for|to)|counts)",
    re.IGNORECASE,
)
MUST_SIT_SJT = re.compile(r"must (?:sit|take|pass) (?:an|the) SJT", re.IGNORECASE)
NEGATION = re.compile(r"\b(?:no longer|not|never)\b", re.IGNORECASE)
SJT_MENTION = re.compile(r"\bSJT\b|situational judgement test", re.IGNORECASE)
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
CONDITIONAL = re.compile(r"\s*(?:if|unless)\b", re.IGNORECASE)
GMP_2013 = (
    re.compile(r"GMP,? 2013|Good medical practice,? \(?2013", re.IGNORECASE),
    re.compile(r"\bparagraph 25\b|\bpara 25\b|\bparas? 25\(", re.IGNORECASE),
)
NEW_DECKS = (
    "patient-safety",
    "consent-capacity",
    "human-factors",
    "quality-improvement",
    "escalation-routes",
    "reports-and-inquiries",
)
STRUCTURE_TAGS = {"mlcf-domains", "hlm-dimensions", "hlm-scale"}
"""Tags about a framework's structure, not one of its competencies."""


@pytest.fixture(scope="module")
def decks() -> dict[str, Deck]:
    loaded = [load_deck(path) for path in DECK_FILES]
    return {deck.id: deck for deck in loaded}


def all_cards(decks: dict[str, Deck]) -> Iterator[Card]:
    for deck in decks.values():
        yield from deck.cards


def card_text(card: Card) -> str:
    """Every piece of text a student can see on a card, joined."""
    parts = [card.front, card.back, card.text, card.question, card.scenario or ""]
    parts += [card.explanation or "", card.source or ""]
    for option in card.options:
        parts += [option.text, option.why or ""]
    return "\n".join(part for part in parts if part)


def deck_text(deck: Deck) -> str:
    return "\n".join(card_text(card) for card in deck.cards)


def is_scenario(card: Card) -> bool:
    return card.type in ("choice", "rank") and bool(card.scenario)


def is_choose_3_of_8(card: Card) -> bool:
    return card.type == "choice" and len(card.options) == 8 and len(card.correct_indexes) == 3


def test_every_bundled_deck_loads(decks: dict[str, Deck]) -> None:
    assert len(decks) == len(DECK_FILES), "two bundled decks share an id"
    assert set(decks) == EXPECTED_DECKS
    for path in DECK_FILES:
        assert path.stem in decks, f"{path.name}: file name should match its deck id"


def test_deck_metadata(decks: dict[str, Deck]) -> None:
    for deck in decks.values():
        assert deck.review_by is not None, f"{deck.id}: no review_by"
        assert deck.title.strip(), deck.id
        assert deck.description.strip(), deck.id
        assert deck.authors, deck.id
        assert deck.tags, deck.id


def test_at_least_330_cards(decks: dict[str, Deck]) -> None:
    assert sum(len(deck.cards) for deck in decks.values()) >= 330


def test_scenario_questions_across_the_decks(decks: dict[str, Deck]) -> None:
    scenarios = [card for card in all_cards(decks) if is_scenario(card)]
    ranks = [card for card in scenarios if card.type == "rank" and len(card.options) == 5]
    assert len(scenarios) >= 80
    assert len(ranks) >= 30
    assert len([card for card in scenarios if is_choose_3_of_8(card)]) >= 15


def test_every_new_deck_teaches_with_flashcards_and_scenarios(decks: dict[str, Deck]) -> None:
    for deck_id in NEW_DECKS:
        cards = decks[deck_id].cards
        assert sum(card.type in ("basic", "cloze") for card in cards) >= 10, deck_id
        assert sum(is_scenario(card) for card in cards) >= 5, deck_id
        assert any(card.type == "rank" for card in cards), deck_id
        assert any(is_choose_3_of_8(card) for card in cards), deck_id


def test_every_scenario_names_the_competency_it_exercises(decks: dict[str, Deck]) -> None:
    for deck in decks.values():
        for card in deck.cards:
            if is_scenario(card):
                named = [tag for tag in deck.all_tags(card) if is_competency(tag)]
                assert named, f"{card.key}: no MLCF element or HLM dimension tag"


def test_competency_tags_are_spelled_as_the_scheme_spells_them(decks: dict[str, Deck]) -> None:
    """A tag that looks like a framework tag but is not one (a typo, an old bare name) would
    be counted as an "other topic" and never reach its framework."""
    bare = {c.tag.removeprefix("hlm-") for c in HLM_COMPETENCIES}
    for card in all_cards(decks):
        for tag in card.tags:
            if tag.startswith(("mlcf-", "hlm-")) and tag not in STRUCTURE_TAGS:
                assert is_competency(tag), f"{card.key}: {tag!r} is not in the scheme"
            assert tag not in bare, f"{card.key}: {tag!r} should be hlm-{tag}"


def test_at_least_25_application_cards(decks: dict[str, Deck]) -> None:
    """ "This behaviour shows which element or dimension?": every option is a competency,
    each with its reason, and the keyed one is the card's competency tag."""
    apply = [c for c in all_cards(decks) if "application" in c.tags and c.type == "choice"]
    assert len(apply) >= 25
    assert {c.deck_id for c in apply} == {"mlcf", "hlm"}
    for card in apply:
        assert card.scenario and len(card.correct_indexes) == 1, card.key
        assert all(option.why for option in card.options), card.key
        keyed = [tag for tag in card.tags if is_competency(tag)]
        assert keyed, card.key


def test_no_option_is_a_conditional(decks: dict[str, Deck]) -> None:
    """Each option is one action a student might take, not a plan B ("If that fails, ...")."""
    for card in all_cards(decks):
        for option in card.options:
            assert not CONDITIONAL.match(option.text), f"{card.key}: {option.text!r}"


def test_gmp_is_cited_by_its_2024_paragraphs(decks: dict[str, Deck]) -> None:
    for card in all_cards(decks):
        text = card_text(card)
        for old in GMP_2013:
            assert not old.search(text), f"{card.key}: {old.pattern} (GMP 2013 taught as current)"


def test_card_ids_unique_per_deck(decks: dict[str, Deck]) -> None:
    for deck in decks.values():
        ids = [card.id for card in deck.cards]
        assert len(ids) == len(set(ids)), deck.id


def test_every_card_has_a_source_and_slug_tags(decks: dict[str, Deck]) -> None:
    for deck in decks.values():
        for card in deck.cards:
            assert card.source and card.source.strip(), card.key
            assert card.tags, f"{card.key}: no tags"
            for tag in card.tags:
                assert SLUG.fullmatch(tag), f"{card.key}: bad tag {tag!r}"


def test_no_mirror_site_cited(decks: dict[str, Deck]) -> None:
    mirrors = ("scribd", "documents.pub", "docplayer", "studylib", "dokumen", "readkong")
    for card in all_cards(decks):
        source = (card.source or "").lower()
        assert not any(mirror in source for mirror in mirrors), card.key


def test_options_have_why_and_cards_have_explanation(decks: dict[str, Deck]) -> None:
    for card in all_cards(decks):
        if card.type not in ("choice", "rank"):
            continue
        assert card.explanation and card.explanation.strip(), f"{card.key}: no explanation"
        for option in card.options:
            assert option.why and option.why.strip(), f"{card.key}: option without why"
        if card.type == "rank":
            assert len(card.options) == 5, f"{card.key}: rank cards use exactly 5 options"
            assert not any(option.correct for option in card.options), card.key


def test_cloze_numbers_are_gap_free(decks: dict[str, Deck]) -> None:
    for card in all_cards(decks):
        if card.type == "cloze":
            numbers = card.cloze_numbers()
            assert numbers == tuple(range(1, len(numbers) + 1)), card.key


def test_scenario_deck_counts(decks: dict[str, Deck]) -> None:
    cards = decks["scenarios-challenge"].cards
    scenarios = [card for card in cards if is_scenario(card)]
    ranks = [card for card in scenarios if card.type == "rank" and len(card.options) == 5]
    choose_3 = [card for card in scenarios if is_choose_3_of_8(card)]
    single = [card for card in scenarios if len(card.correct_indexes) == 1]
    assert len(scenarios) >= 40
    assert len(ranks) >= 15
    assert len(choose_3) >= 8
    assert len(ranks) + len(choose_3) + len(single) == len(scenarios)
    for card in scenarios:
        tags = set(card.tags)
        assert "scenario" in tags, card.key
        assert tags & {"rank", "choose-3", "sba"}, card.key


def test_all_twenty_mlcf_elements_named_and_applied(decks: dict[str, Deck]) -> None:
    mlcf = decks["mlcf"]
    text = deck_text(mlcf)
    elements = [element for elements in MLCF_DOMAINS.values() for element in elements]
    assert len(set(elements)) == 20
    by_name = {e.name: e.tag for d in MLCF_COMPETENCIES for e in d.parts}
    for domain, members in MLCF_DOMAINS.items():
        assert domain in text, domain
        # domain -> its elements: one cloze card hides each of the four.
        assert any(
            card.type == "cloze"
            and domain in card.text
            and {m.group(2) for m in CLOZE_RE.finditer(card.text)} == set(members)
            for card in mlcf.cards
        ), f"no cloze card for the elements of {domain}"
        # each element is asked about on its own: what it looks like, or where it belongs
        for element in members:
            assert any(by_name[element] in card.tags for card in mlcf.cards), element


def test_all_nine_hlm_dimensions_both_ways_and_applied(decks: dict[str, Deck]) -> None:
    hlm = decks["hlm"]
    text = deck_text(hlm)
    tags = {c.name: c.tag for c in HLM_COMPETENCIES}
    for name in HLM_DIMENSIONS:
        assert name in text, name
        assert any(
            card.type == "basic" and card.reverse and f"**{name}**" in card.front
            for card in hlm.cards
        ), f"no two-way card for {name}"
        assert any("application" in card.tags and tags[name] in card.tags for card in hlm.cards), (
            f"no card asking what {name} looks like in practice"
        )


def test_nothing_unconfirmed(decks: dict[str, Deck]) -> None:
    for card in all_cards(decks):
        text = card_text(card).lower()
        for phrase in UNCONFIRMED_PHRASES:
            assert phrase.lower() not in text, f"{card.key}: mentions {phrase!r} (UNCONFIRMED)"


def test_no_card_says_the_sjt_decides_foundation_allocation(decks: dict[str, Deck]) -> None:
    for card in all_cards(decks):
        text = card_text(card)
        assert not MUST_SIT_SJT.search(text), card.key
        for match in SJT_DECIDES.finditer(text):
            assert NEGATION.search(match.group("between")), f"{card.key}: {match.group(0)!r}"
        if SJT_MENTION.search(text) and re.search(r"allocat", text, re.IGNORECASE):
            assert "no longer" in text.lower(), f"{card.key}: SJT and allocation, not 'no longer'"


def test_seed_is_cited(decks: dict[str, Deck]) -> None:
    assert any(SEED_SOURCE in (card.source or "") for card in all_cards(decks))


def test_deck_files_are_where_the_app_looks() -> None:
    assert DECK_FILES, "no bundled decks found"
    for path in DECK_FILES:
        assert path.parent == Path(bundled_decks_dir())
