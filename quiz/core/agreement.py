"""How far a panel of experts agrees on a scenario question's key, and what key it agrees on.

Pure figures, no files and no clock. Options are named by their 0-based index in the card's
file order; a ranking is a sequence of those indexes, most appropriate first; a choice is the
set of indexes picked.

- rank: each option's mean place (1 = first), the consensus order (by mean place, file order
  breaking a tie, which is flagged), Kendall's W over the panel, Kendall's tau-a between the
  author's order (the file's) and the consensus (two strict orders: tau-a and tau-b are the
  same), and the adjacent consensus pairs the panel splits on.
- choice: the share of panellists picking each option, the consensus (the k most picked) and,
  for a single best answer, the modal option and its share.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

LOW_W = 0.6
"""A rank question whose panel has Kendall's W below this agrees too little to set its key."""
LOW_SHARE = Fraction(2, 3)
"""A choice question agrees too little when the modal option (single best answer) or any
consensus pick (choose k) is picked by fewer than this share of the panel."""
SPLIT_BAND = Fraction(1, 10)
"""Two adjacent consensus options are a split when the share of panellists preferring the
first lies within 1/2 +- this (so 2 of 4, or 3 of 5, but not 2 of 3)."""

LOW_AGREEMENT = "low agreement"
KEY_DIFFERS = "key differs"
TIED = "tie in the consensus"


def _check_orders(orders: Sequence[Sequence[int]], n: int) -> None:
    if n < 2:
        raise ValueError(f"a ranking needs at least 2 options, not {n}")
    if not orders:
        raise ValueError("no rankings")
    for order in orders:
        if sorted(order) != list(range(n)):
            raise ValueError(f"a ranking must place each of the {n} options exactly once")


def places(order: Sequence[int]) -> list[int]:
    """The 1-based place of each option (by index) in a ranking."""
    result = [0] * len(order)
    for place, option in enumerate(order, start=1):
        result[option] = place
    return result


def mean_places(orders: Sequence[Sequence[int]], n: int) -> list[Fraction]:
    """Each option's mean place over the rankings, exactly.

    Raises:
        ValueError: no rankings, or one that is not a permutation of 0..n-1.
    """
    _check_orders(orders, n)
    totals = [0] * n
    for order in orders:
        for option, place in enumerate(places(order)):
            totals[option] += place
    return [Fraction(total, len(orders)) for total in totals]


def kendall_w(orders: Sequence[Sequence[int]], n: int) -> float:
    """Kendall's coefficient of concordance of m rankings of n options, without ties:
    W = 12 S / (m^2 (n^3 - n)), S the sum of squared deviations of the options' rank sums
    from their mean m (n + 1) / 2. 1 is full agreement, 0 none.

    Raises:
        ValueError: no rankings, fewer than 2 options, or a ranking that is not a permutation.
    """
    _check_orders(orders, n)
    m = len(orders)
    sums = [0] * n
    for order in orders:
        for option, place in enumerate(places(order)):
            sums[option] += place
    mean = Fraction(m * (n + 1), 2)
    s = sum((Fraction(total) - mean) ** 2 for total in sums)
    return float(12 * s / (m * m * (n**3 - n)))


def kendall_tau(first: Sequence[int], second: Sequence[int]) -> float:
    """Kendall's tau-a between two strict orders of the same options: (concordant - discordant
    pairs) / (n (n - 1) / 2). 1 for the same order, -1 for the reverse. (Without ties, tau-a
    and tau-b are equal.)

    Raises:
        ValueError: the two are not orders of the same options, or have fewer than 2.
    """
    n = len(first)
    if sorted(first) != list(range(n)) or sorted(second) != list(range(n)):
        raise ValueError("both orders must place each option exactly once")
    if n < 2:
        raise ValueError("tau needs at least 2 options")
    a, b = places(first), places(second)
    score = 0
    for i in range(n):
        for j in range(i + 1, n):
            product = (a[i] - a[j]) * (b[i] - b[j])
            score += 1 if product > 0 else -1
    return score / (n * (n - 1) / 2)


def preference(orders: Sequence[Sequence[int]], first: int, second: int) -> Fraction:
    """The share of rankings that put option `first` above option `second`."""
    above = 0
    for order in orders:
        place = places(order)
        above += place[first] < place[second]
    return Fraction(above, len(orders))


@dataclass(frozen=True, slots=True)
class Split:
    """Adjacent consensus options the panel splits on: `share` prefers `first` to `second`."""

    first: int
    second: int
    share: Fraction


@dataclass(frozen=True, slots=True)
class RankAgreement:
    """What a panel makes of a rank question."""

    panellists: int
    mean_places: tuple[Fraction, ...]
    consensus: tuple[int, ...]
    """Option indexes by mean place, best first; a tie keeps file order."""
    w: float
    tau: float
    """Kendall's tau-a of the author's order (file order) against the consensus."""
    splits: tuple[Split, ...]
    ties: tuple[tuple[int, ...], ...]
    """Groups of options with the same mean place."""

    @property
    def low(self) -> bool:
        return self.w < LOW_W

    @property
    def differs(self) -> bool:
        return self.consensus != tuple(range(len(self.consensus)))

    @property
    def flags(self) -> tuple[str, ...]:
        found = [(self.low, LOW_AGREEMENT), (self.differs, KEY_DIFFERS), (bool(self.ties), TIED)]
        return tuple(name for present, name in found if present)


def rank_agreement(orders: Sequence[Sequence[int]], n: int) -> RankAgreement:
    """The panel's consensus and agreement on a rank question of `n` options.

    Raises:
        ValueError: no rankings, fewer than 2 options, or a ranking that is not a permutation.
    """
    means = mean_places(orders, n)
    consensus = tuple(sorted(range(n), key=lambda i: (means[i], i)))
    splits = []
    for first, second in pairwise(consensus):
        share = preference(orders, first, second)
        if abs(share - Fraction(1, 2)) <= SPLIT_BAND:
            splits.append(Split(first, second, share))
    groups: dict[Fraction, list[int]] = {}
    for option in consensus:
        groups.setdefault(means[option], []).append(option)
    ties = tuple(tuple(group) for group in groups.values() if len(group) > 1)
    return RankAgreement(
        panellists=len(orders),
        mean_places=tuple(means),
        consensus=consensus,
        w=kendall_w(orders, n),
        tau=kendall_tau(tuple(range(n)), consensus),
        splits=tuple(splits),
        ties=ties,
    )


@dataclass(frozen=True, slots=True)
class ChoiceAgreement:
    """What a panel makes of a choice question (single best answer when k is 1)."""

    panellists: int
    k: int
    counts: tuple[int, ...]
    """How many panellists picked each option."""
    consensus: tuple[int, ...]
    """The k most picked options, in file order (a tie at the boundary keeps file order)."""
    correct: frozenset[int]
    """The author's key."""
    tied: bool
    """The k-th and the next most picked option have the same count."""

    @property
    def shares(self) -> tuple[Fraction, ...]:
        return tuple(Fraction(count, self.panellists) for count in self.counts)

    @property
    def modal(self) -> int:
        """The most picked option (the first in file order on a tie)."""
        return max(range(len(self.counts)), key=lambda i: (self.counts[i], -i))

    @property
    def modal_share(self) -> Fraction:
        return self.shares[self.modal]

    @property
    def weakest(self) -> Fraction:
        """The smallest share among the consensus picks."""
        return min(self.shares[i] for i in self.consensus)

    @property
    def low(self) -> bool:
        return self.weakest < LOW_SHARE

    @property
    def differs(self) -> bool:
        return frozenset(self.consensus) != self.correct

    @property
    def flags(self) -> tuple[str, ...]:
        found = [(self.low, LOW_AGREEMENT), (self.differs, KEY_DIFFERS), (self.tied, TIED)]
        return tuple(name for present, name in found if present)


def choice_agreement(picks: Sequence[Set[int]], n: int, correct: Set[int]) -> ChoiceAgreement:
    """The panel's consensus and agreement on a choice question of `n` options whose key is
    `correct` (k = its size).

    Raises:
        ValueError: no picks, no correct option, or a pick outside 0..n-1 or of the wrong size.
    """
    k = len(correct)
    if not picks:
        raise ValueError("no answers")
    if not 0 < k <= n:
        raise ValueError(f"a choice question needs between 1 and {n} correct options")
    counts = [0] * n
    for picked in picks:
        if len(picked) != k or not all(0 <= i < n for i in picked):
            raise ValueError(f"each answer must pick {k} of the {n} options")
        for i in picked:
            counts[i] += 1
    by_count = sorted(range(n), key=lambda i: (-counts[i], i))
    tied = k < n and counts[by_count[k - 1]] == counts[by_count[k]]
    return ChoiceAgreement(
        panellists=len(picks),
        k=k,
        counts=tuple(counts),
        consensus=tuple(sorted(by_count[:k])),
        correct=frozenset(correct),
        tied=tied,
    )
