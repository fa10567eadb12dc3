"""The statistics' fast paths give the figures of a plain item-by-item reckoning.

The per-item sums are kept in columns (`KeyTallies`); here they are folded and read back
beside a plain dict of `KeyTally` objects, and the two must agree."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from quiz.core.stats import Answer, KeyTallies, KeyTally, LogTally
from tests.stats.helpers import TODAY


def columns_of(keys: dict[str, KeyTally]) -> KeyTallies:
    return KeyTallies(
        keys,
        [k.answers for k in keys.values()],
        [k.correct for k in keys.values()],
        [k.quality_sum for k in keys.values()],
    )


def answers(rng: random.Random, n: int) -> list[Answer]:
    keys = [f"d/c{i}" for i in range(12)]
    return [
        Answer(
            i,
            rng.choice(keys),
            rng.random() < 0.2,
            TODAY - timedelta(days=rng.randrange(5)),
            rng.randrange(6),
            rng.randrange(9000),
            rng.random() < 0.7,
            rng.randrange(40),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", range(20))
def test_key_columns_fold_and_take_back_as_plain_objects_do(seed: int) -> None:
    """Answers folded in and taken back out (undos) in a random order: the columns hold what
    a dict of `KeyTally` objects holds, in the same order of keys (a saved fold's)."""
    rng = random.Random(seed)
    tally = LogTally()
    plain: dict[str, KeyTally] = {}
    folded: list[Answer] = []
    for answer in answers(rng, 200):
        if folded and rng.random() < 0.3:
            taken = folded.pop(rng.randrange(len(folded)))
            tally.remove(taken)
            sign, answer = -1, taken
        else:
            folded.append(answer)
            tally.add(answer)
            sign = 1
        if answer.drill:
            continue
        k = plain.setdefault(answer.key, KeyTally())
        k.answers += sign
        k.correct += sign if answer.correct else 0
        k.quality_sum += sign * answer.quality
        if k.answers == 0:
            del plain[answer.key]
    assert dict(tally.keys) == plain
    assert list(tally.keys) == list(plain)
    doc = tally.to_dict()
    assert doc["keys"] == [
        list(plain),
        [k.answers for k in plain.values()],
        [k.correct for k in plain.values()],
        [k.quality_sum for k in plain.values()],
    ]
    again = LogTally.from_dict(doc)
    assert again == tally
    assert again.keys == columns_of(plain)
    assert again.keys.columns(["d/c0", "x/none"]) == tally.keys.columns(["d/c0", "x/none"])


def test_key_columns_of_unequal_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        KeyTallies(["a", "b"], [1, 2], [1], [3, 4])
    with pytest.raises(ValueError):
        KeyTallies(["a"], [1, 2], [1, 2], [3, 4])


def test_a_missing_key_reads_as_never_answered() -> None:
    keys = columns_of({"a": KeyTally(3, 2, 11)})
    assert keys.columns(["b", "a", "b"]) == ([0, 3, 0], [0, 2, 0], [0, 11, 0])
    assert keys["a"] == KeyTally(3, 2, 11)
    assert "b" not in keys
    with pytest.raises(KeyError):
        keys["b"]
