"""Card states written to a checkpoint come back exactly, read one at a time or all at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.core.progress import CardState, state_from_dict, state_to_dict, states_from_dicts
from quiz.core.sm2 import Sm2State

# Few distinct values, so that many states share their SM-2 state and days, as real ones do.
DAYS = st.sampled_from([date(2026, 11, d) for d in range(1, 6)] + [date.max, date(1900, 1, 1)])
SM2 = st.builds(
    Sm2State,
    repetitions=st.integers(0, 3),
    easiness=st.sampled_from([1.3, 2.36, 2.5, 2.6]),
    interval=st.integers(0, 3),
    due=st.none() | DAYS,
)
STATES = st.builds(
    CardState,
    sm2=SM2,
    lapses=st.integers(0, 9),
    first=st.none() | DAYS,
    last=st.none() | DAYS,
    suspended=st.booleans(),
    buried_until=st.none() | DAYS,
    leech=st.booleans(),
)


@given(st.dictionaries(st.text(max_size=6), STATES, max_size=60))
def test_all_at_once_reads_back_what_was_written(states: dict[str, CardState]) -> None:
    docs = {key: state_to_dict(state) for key, state in states.items()}
    assert states_from_dicts(docs) == states
    assert {key: state_from_dict(doc) for key, doc in docs.items()} == states


def test_states_differing_in_one_field_stay_apart() -> None:
    base = CardState(Sm2State(2, 2.36, 6, date(2026, 11, 3)), 1, date(2026, 1, 1), date(2026, 2, 1))
    others: dict[str, Any] = {
        "sm2": Sm2State(2, 2.36, 6, date(2026, 11, 4)),
        "lapses": 2,
        "first": date(2026, 1, 2),
        "last": None,
        "suspended": True,
        "buried_until": date(2026, 11, 27),
        "leech": True,
    }
    states = {"base": base} | {name: replace(base, **{name: v}) for name, v in others.items()}
    docs = {key: state_to_dict(state) for key, state in states.items()}
    assert states_from_dicts(docs) == states


@pytest.mark.parametrize(
    "doc",
    [{}, {"n": 1, "ef": 250}, {"n": "x", "ef": 250, "i": 1}, {"n": 1, "ef": 250, "i": 1, "due": 5}],
)
def test_a_state_that_is_not_a_checkpoint_state_is_refused(doc: dict[str, Any]) -> None:
    with pytest.raises((ValueError, KeyError, TypeError)):
        states_from_dicts({"deck/card": doc})
    with pytest.raises((ValueError, KeyError, TypeError)):
        state_from_dict(doc)
