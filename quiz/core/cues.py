"""Cues in scenario questions: signs that an answer can be found by test-wiseness, not judgement.

The six checks of docs/authoring.md ("Checking scenario questions for cues"), as pure functions
of cards: the keyed option being the longest (the length cue), an option holding a condition, a
keyed option doing more than its siblings (compound), the passive option kept for last, a `why`
or explanation stating an order the key contradicts, and near-duplicate scenarios. Only SJT
questions are looked at: rank cards, choose-k cards and single-best-answer choice cards with a
scenario (`sjt_kind`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

from quiz.core.model import Card

SjtKind = Literal["rank", "choose-k", "scenario-sba"]

RANK_CUE_TARGET = 0.30
"""At most this share of the rank items checked together may key their longest option first."""
SBA_CUE_TARGET = 0.35
"""At most this share of the scenario single-best-answer items may key their longest option."""
PASSIVE_LAST_TARGET = 0.5
"""Under this share of the rank items may end with the passive option."""
NEAR_DUPLICATE = 0.5
"""Two scenarios whose content words overlap this much (Jaccard) or more tell the same case."""

CONDITIONAL_RE = re.compile(
    r"\b(?:if|unless|once|provided|providing|as\s+long\s+as|in\s+case|only\s+when"
    r"|only\s+after|depending\s+on)\b",
    re.IGNORECASE,
)
"""A condition inside an option: the student cannot know whether it holds."""

ACTION_VERBS = frozenset(
    """ask tell call phone ring bleep page speak talk report record document write explain check
    review stop hold escalate inform raise offer arrange suggest apologise complete seek contact
    return go stay refuse decline agree give prescribe examine assess reassure discuss meet email
    submit follow make take let leave say keep remind mention invite request repeat read send
    note flag wait continue use find share thank support encourage challenge insist withhold
    cancel rewrite cross confirm act do see visit attend book restart start""".split()  # noqa: SIM905
)
"""Imperative verbs that start a second action after "and" or "or"."""
_JOIN_RE = re.compile(
    r";|\sthen\s|(?<=\s)(?:and|or)\s+(?:" + "|".join(sorted(ACTION_VERBS)) + r")\b",
    re.IGNORECASE,
)

PASSIVE_PHRASES = (
    "say nothing", "do nothing", "stay quiet", "keep quiet", "remain silent", "leave it",
    "ignore", "as instructed", "as told", "as asked", "go along", "carry on", "wait and see",
    "not your place", "nothing now", "let it go", "let it pass", "accept", "defer to",
)  # fmt: skip
"""What a passive option says: doing nothing, or doing as told."""
_PASSIVE_RE = re.compile(
    r"\b(?:" + "|".join(p.replace(" ", r"\s+") for p in PASSIVE_PHRASES) + r")(?:s|d|ed|ing)?\b",
    re.IGNORECASE,
)

_PLACE_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "best": 1}
_OWN_PLACE_RE = re.compile(
    r"\b(?:(?:rank(?:s|ed)?|comes?|placed)\s+(first|second|third|fourth|fifth|last)"
    r"(?![\s-]+(?:to|from)[\s-]+last)|is\s+the\s+(best|worst)\b)",
    re.IGNORECASE,
)
"""An option's why placing the option itself: "ranks second", "comes last", "is the best"."""
_COMPARE_RE = re.compile(
    r"\b(?:rank(?:s|ed)?|comes?|sits?)\s+(?:(?:just|well|only|one\s+place)\s+)?"
    r"(above|below|before|after)\s+([^.;:!?()]+)",
    re.IGNORECASE,
)
"""A comparison: "ranks above calling the registrar", "sits just below ..."."""
_CLAUSE_END_RE = re.compile(r",|\s(?:because|since|as|but|which|while|though)\s", re.IGNORECASE)
_SENTENCE_RE = re.compile(r"[^.!?]+")

STOP_WORDS = frozenset(
    """that this with from your have they their them there what when which will would been were
    about into than then after before while also just some only over very does each other
    should could being where these those here must more most much such even ever""".split()  # noqa: SIM905
)
"""Words of four or more letters too common to tell one text from another."""
_WORD_RE = re.compile(r"[a-z]+")


# --- words and lengths ---


def length(text: str) -> int:
    """An option's length: its characters, with each run of whitespace counted as one."""
    return len(" ".join(text.split()))


def content_words(text: str) -> frozenset[str]:
    """The lowercased words of four or more letters of `text`, less `STOP_WORDS`."""
    return frozenset(w for w in _WORD_RE.findall(text.lower()) if len(w) >= 4) - STOP_WORDS


def sjt_kind(card: Card) -> SjtKind | None:
    """What kind of SJT question a card is: a rank, a choose-k, a single best answer with a
    scenario; None for any other card (a knowledge single best answer included)."""
    if card.type == "rank":
        return "rank"
    if card.type == "choice":
        keyed = sum(1 for option in card.options if option.correct)
        if keyed > 1:
            return "choose-k"
        if card.scenario:
            return "scenario-sba"
    return None


def keyed(card: Card) -> tuple[int, ...]:
    """The indexes of a card's keyed options: a rank's first, a choice's correct ones."""
    if card.type == "rank":
        return (0,) if card.options else ()
    return tuple(i for i, option in enumerate(card.options) if option.correct)


# --- the length cue ---


def longest_keyed(card: Card) -> bool:
    """The keyed option (rank: the first; single best answer: the correct one) is at least as
    long as every other option: a tie for the longest counts."""
    lengths = [length(option.text) for option in card.options]
    keys = keyed(card)
    return len(keys) == 1 and lengths[keys[0]] == max(lengths)


def among_longest(card: Card) -> int:
    """How many of a choose-k card's k keyed options are among its k longest (an option is
    among them when fewer than k options are longer)."""
    lengths = [length(option.text) for option in card.options]
    keys = keyed(card)
    return sum(1 for i in keys if sum(1 for n in lengths if n > lengths[i]) < len(keys))


def kendall_tau_b(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Kendall's tau-b of two equally long sequences; None when either is constant."""
    concordant = discordant = ties_x = ties_y = 0
    for (x1, y1), (x2, y2) in combinations(zip(xs, ys, strict=True), 2):
        dx, dy = x1 - x2, y1 - y2
        if dx == 0 and dy == 0:
            continue
        if dx == 0:
            ties_x += 1
        elif dy == 0:
            ties_y += 1
        elif (dx > 0) == (dy > 0):
            concordant += 1
        else:
            discordant += 1
    n0 = concordant + discordant
    denominator = math.sqrt((n0 + ties_y) * (n0 + ties_x))
    return (concordant - discordant) / denominator if denominator else None


def length_tau(card: Card) -> float | None:
    """Kendall's tau-b of a rank card's option lengths against their ideal places: +1 when
    the longer an option, the higher it is keyed; None when every option is as long."""
    n = len(card.options)
    return kendall_tau_b(
        [length(option.text) for option in card.options], [n - i for i in range(n)]
    )


# --- conditions, compound options, the passive option ---


def conditions(text: str) -> tuple[str, ...]:
    """The conditional words of an option's text ("if", "unless", "as long as", ...)."""
    return tuple(" ".join(m.group(0).lower().split()) for m in CONDITIONAL_RE.finditer(text))


def actions(text: str) -> int:
    """How many actions an option asks for: 1, plus one for each ";", each " then ", and each
    "and" or "or" directly followed by an action verb (`ACTION_VERBS`)."""
    return 1 + len(_JOIN_RE.findall(text))


def compound_keyed(card: Card) -> tuple[int, ...]:
    """The keyed options that ask for more actions than every option not keyed."""
    keys = keyed(card)
    others = [actions(o.text) for i, o in enumerate(card.options) if i not in keys]
    if not others:
        return ()
    most = max(others)
    return tuple(i for i in keys if actions(card.options[i].text) > most)


def passive(text: str) -> str | None:
    """The passive phrase an option's text holds ("say nothing", "as told", ...), or None."""
    match = _PASSIVE_RE.search(text)
    return " ".join(match.group(0).lower().split()) if match else None


def passive_last(card: Card) -> str | None:
    """For a rank card: the passive phrase of its last option, if it has one."""
    if card.type != "rank" or not card.options:
        return None
    return passive(card.options[-1].text)


# --- orders stated against the key ---


@dataclass(frozen=True, slots=True)
class OrderClaim:
    """A why or explanation stating an order the key contradicts."""

    option: int | None
    """The option whose `why` states it (None: the card's explanation)."""
    stated: str
    """The words stating the order, as written."""
    reason: str
    """What the key says instead."""


def _ordinal(place: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(place, f"{place}th")


def _recognised(phrase: str, card: Card, besides: int | None) -> int | None:
    """The option (not `besides`) sharing most content words with `phrase`; None if none
    shares any or two share as many."""
    words = content_words(phrase)
    shared = [
        (len(words & content_words(option.text)), i)
        for i, option in enumerate(card.options)
        if i != besides
    ]
    shared.sort(reverse=True)
    if not shared or shared[0][0] == 0 or (len(shared) > 1 and shared[1][0] == shared[0][0]):
        return None
    return shared[0][1]


def _comparisons(text: str, card: Card, own: int | None) -> list[OrderClaim]:
    """Comparisons in `text` ("ranks above X") that the file order contradicts. The subject
    is `own` (an option's why), else the option named before the verb (the explanation)."""
    claims: list[OrderClaim] = []
    for sentence in _SENTENCE_RE.findall(text):
        for match in _COMPARE_RE.finditer(sentence):
            subject = own
            if subject is None:
                before = _CLAUSE_END_RE.split(sentence[: match.start()])[-1]
                subject = _recognised(before, card, None)
            if subject is None:
                continue
            phrase = _CLAUSE_END_RE.split(match.group(2))[0]
            other = _recognised(phrase, card, subject)
            if other is None:
                continue
            higher = match.group(1).lower() in ("above", "before")
            if higher != (subject < other):
                said = " ".join((match.group(0)[: match.start(2) - match.start()] + phrase).split())
                reason = (
                    f"the key puts option {subject + 1} {_ordinal(subject + 1)} and "
                    f"option {other + 1} {_ordinal(other + 1)}"
                )
                claims.append(OrderClaim(own, said, reason))
    return claims


_ITSELF_RE = re.compile(r"(?:^|\b(?:it|this|this\s+(?:option|one|action|response)|which|that))\s*$")


def _about_itself(before: str) -> bool:
    """The words before a place claim in an option's why leave the option as its subject:
    nothing in the clause, or "it", "this", "this option", "which", "that"."""
    clause = re.split(r"[.;:!?,]", before)[-1]
    return _ITSELF_RE.search(clause.strip().lower()) is not None


def orders_against_key(card: Card) -> list[OrderClaim]:
    """Where a rank card's whys or explanation state an order its key contradicts: an option's
    why giving it another place ("ranks first", "comes last", "is the best"), or a why or the
    explanation putting one option above or below another the other way round."""
    if card.type != "rank":
        return []
    n = len(card.options)
    claims: list[OrderClaim] = []
    for index, option in enumerate(card.options):
        if not option.why:
            continue
        for match in _OWN_PLACE_RE.finditer(option.why):
            if not _about_itself(option.why[: match.start()]):
                continue  # "patient safety comes first" places no option
            word = (match.group(1) or match.group(2)).lower()
            place = n if word in ("last", "worst") else _PLACE_WORDS[word]
            if place != index + 1:
                said = " ".join(match.group(0).split())
                claims.append(OrderClaim(index, said, f"the key puts it {_ordinal(index + 1)}"))
        claims.extend(_comparisons(option.why, card, index))
    if card.explanation:
        claims.extend(_comparisons(card.explanation, card, None))
    return claims


# --- near-duplicate scenarios ---


def similarity(a: str, b: str) -> float:
    """The Jaccard similarity of two texts' content words (0 when both have none)."""
    x, y = content_words(a), content_words(b)
    return len(x & y) / len(x | y) if x or y else 0.0


def near_duplicates(cards: Sequence[Card]) -> list[tuple[int, int, float]]:
    """Pairs of SJT cards (indexes into `cards`, the earlier first) whose scenarios are near
    duplicates, with their similarity."""
    stems = [
        (i, content_words(card.scenario))
        for i, card in enumerate(cards)
        if card.scenario and sjt_kind(card)
    ]
    pairs = []
    for (i, x), (j, y) in combinations(stems, 2):
        union = len(x | y)
        if union and len(x & y) / union >= NEAR_DUPLICATE:
            pairs.append((i, j, len(x & y) / union))
    return pairs


# --- figures over decks ---


@dataclass(slots=True)
class CueFigures:
    """The cue figures of some SJT cards (a deck, or every deck checked)."""

    rank: int = 0
    rank_longest: int = 0
    rank_chance: float = 0.0
    """Sum over rank items of 1/n: the number expected to key the longest by chance."""
    taus: list[float] = field(default_factory=list)
    sba: int = 0
    sba_longest: int = 0
    sba_chance: float = 0.0
    choose_k: int = 0
    keyed_picks: int = 0
    picks_longest: int = 0
    picks_chance: float = 0.0
    passive_last: int = 0
    conditional: int = 0
    """Options holding a condition."""
    compound: int = 0
    """Keyed options asking for more actions than every other."""
    against_key: int = 0
    """Whys or explanations stating an order against the key."""
    near_duplicates: int = 0
    """Pairs of near-duplicate scenarios (within the cards counted)."""

    def add(self, card: Card) -> None:
        """Count one card in (cards that are not SJT questions count nothing)."""
        kind = sjt_kind(card)
        if kind is None:
            return
        n = len(card.options)
        if kind == "rank":
            self.rank += 1
            self.rank_longest += longest_keyed(card)
            self.rank_chance += 1 / n
            tau = length_tau(card)
            if tau is not None:
                self.taus.append(tau)
            self.passive_last += passive_last(card) is not None
            self.against_key += len(orders_against_key(card))
        elif kind == "scenario-sba":
            self.sba += 1
            self.sba_longest += longest_keyed(card)
            self.sba_chance += 1 / n
        else:
            k = len(keyed(card))
            self.choose_k += 1
            self.keyed_picks += k
            self.picks_longest += among_longest(card)
            self.picks_chance += k * k / n
        self.conditional += sum(1 for o in card.options if conditions(o.text))
        self.compound += len(compound_keyed(card))

    def merge(self, other: CueFigures) -> None:
        """Add another set of figures (near duplicates are counted by the caller)."""
        for name in (
            "rank", "rank_longest", "rank_chance", "sba", "sba_longest", "sba_chance",
            "choose_k", "keyed_picks", "picks_longest", "picks_chance", "passive_last",
            "conditional", "compound", "against_key", "near_duplicates",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.taus.extend(other.taus)

    @property
    def mean_tau(self) -> float | None:
        """The mean of the rank items' tau-b (items whose options are all as long left out)."""
        return sum(self.taus) / len(self.taus) if self.taus else None

    def as_dict(self) -> dict[str, object]:
        def share(part: float, whole: int) -> float | None:
            return round(part / whole, 4) if whole else None

        tau = self.mean_tau
        return {
            "rank": {
                "items": self.rank,
                "longest_keyed_first": self.rank_longest,
                "share": share(self.rank_longest, self.rank),
                "chance": share(self.rank_chance, self.rank),
                "mean_tau_b": None if tau is None else round(tau, 4),
                "passive_last": self.passive_last,
                "passive_last_share": share(self.passive_last, self.rank),
            },
            "scenario_sba": {
                "items": self.sba,
                "longest_keyed": self.sba_longest,
                "share": share(self.sba_longest, self.sba),
                "chance": share(self.sba_chance, self.sba),
            },
            "choose_k": {
                "items": self.choose_k,
                "keyed_picks": self.keyed_picks,
                "among_k_longest": self.picks_longest,
                "share": share(self.picks_longest, self.keyed_picks),
                "chance": share(self.picks_chance, self.keyed_picks),
            },
            "conditional_options": self.conditional,
            "compound_keyed_options": self.compound,
            "orders_against_key": self.against_key,
            "near_duplicate_scenarios": self.near_duplicates,
        }


def figures(cards: Iterable[Card]) -> CueFigures:
    """The cue figures of `cards` (near duplicates among them included)."""
    cards = list(cards)
    counted = CueFigures()
    for card in cards:
        counted.add(card)
    counted.near_duplicates = len(near_duplicates(cards))
    return counted


def over_targets(total: CueFigures) -> list[str]:
    """The collection targets `total` misses, in words (none: an empty list)."""
    missed = []
    if total.rank and total.rank_longest / total.rank > RANK_CUE_TARGET:
        missed.append(
            f"{total.rank_longest} of {total.rank} rank items "
            f"({_percent(total.rank_longest, total.rank)}) key their longest option first; "
            f"keep it to at most {RANK_CUE_TARGET:.0%} (chance is about "
            f"{_percent(total.rank_chance, total.rank)})"
        )
    if total.sba and total.sba_longest / total.sba > SBA_CUE_TARGET:
        missed.append(
            f"{total.sba_longest} of {total.sba} scenario single-best-answer items "
            f"({_percent(total.sba_longest, total.sba)}) key their longest option; keep it to "
            f"at most {SBA_CUE_TARGET:.0%} "
            f"(chance is about {_percent(total.sba_chance, total.sba)})"
        )
    if total.rank and total.passive_last / total.rank >= PASSIVE_LAST_TARGET:
        missed.append(
            f"{total.passive_last} of {total.rank} rank items "
            f"({_percent(total.passive_last, total.rank)}) end with the passive option "
            f"(say nothing, do as told); keep it under {PASSIVE_LAST_TARGET:.0%}"
        )
    return missed


def _percent(part: float, whole: int) -> str:
    return f"{100 * part / whole:.0f}%"
