"""Card states written to a checkpoint come back exactly, read one at a time or all at once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.core.card_state import FIELDS, CardState, states_from_saved
from quiz.core.progress import MemoryStore, state_from_dict, state_to_dict
from quiz.core.session import Limits, build_queue, next_due, practice_queue, queue_counts, unseen
from quiz.core.sm2 import Sm2State
from tests.core.helpers import basic

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
    CardState.from_sm2,
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
    assert states_from_saved(docs) == states
    assert {key: state_from_dict(doc) for key, doc in docs.items()} == states


def test_states_differing_in_one_field_stay_apart() -> None:
    base = CardState.from_sm2(
        Sm2State(2, 2.36, 6, date(2026, 11, 3)), lapses=1, first=date(2026, 1, 1),
        last=date(2026, 2, 1),
    )  # fmt: skip
    others: dict[str, Any] = {
        "repetitions": 3,
        "easiness_100": 238,
        "interval": 7,
        "due": date(2026, 11, 4),
        "lapses": 2,
        "first": date(2026, 1, 2),
        "last": None,
        "suspended": True,
        "buried_until": date(2026, 11, 27),
        "leech": True,
        "stability": 12.25,
        "difficulty": 5.5,
    }
    assert set(others) == {field.name for field in FIELDS}
    states = {"base": base} | {name: base._replace(**{name: v}) for name, v in others.items()}
    docs = {key: state_to_dict(state) for key, state in states.items()}
    assert states_from_saved(docs) == states


@pytest.mark.parametrize(
    "doc",
    [{}, {"n": 1, "ef": 250}, {"n": "x", "ef": 250, "i": 1}, {"n": 1, "ef": 250, "i": 1, "due": 5}],
)
def test_a_state_that_is_not_a_checkpoint_state_is_refused(doc: dict[str, Any]) -> None:
    with pytest.raises((ValueError, KeyError, TypeError)):
        states_from_saved({"deck/card": doc})
    with pytest.raises((ValueError, KeyError, TypeError)):
        state_from_dict(doc)


# --- a checkpoint's states read at once, and the states a run made, read the same ---

VALUES = st.sampled_from(
    [0, 3, 250, -1, 2.5, True, None, "", "2026-11-03", "20261103", "3", "x", "2026-13-01", [1]]
)
STUDY_DAYS = st.sampled_from([date(2026, 11, d) for d in range(1, 6)])


def saved_store(states: dict[str, CardState]) -> MemoryStore:
    store = MemoryStore()
    store.load_states({key: state_to_dict(state) for key, state in states.items()})
    return store


def made_store(states: dict[str, CardState]) -> MemoryStore:
    store = MemoryStore()
    for key, state in states.items():
        store.record(key, "review", day=date(2026, 11, 1), time="t", after=state, quality=4)
    return store


def test_a_state_recorded_after_a_checkpoint_replaces_the_saved_one() -> None:
    old = CardState.from_sm2(Sm2State(1, 2.5, 1, date(2026, 11, 2)), first=date(2026, 11, 1))
    store = saved_store({"deck/a": old, "deck/b": old})
    later = CardState.from_sm2(Sm2State(2, 2.6, 6, date(2026, 11, 8)), first=date(2026, 11, 1))
    store.record("deck/a", "review", day=date(2026, 11, 2), time="t", after=later, quality=5)
    assert store.log[0]["b"] == state_to_dict(old)
    assert store.states() == {"deck/a": later, "deck/b": old}


@given(
    st.dictionaries(
        st.sampled_from(["n", "ef", "i", "lapses", "due", "first", "last", "buried"]), VALUES
    )
)
def test_saved_states_refuse_exactly_what_cannot_be_made(changes: dict[str, Any]) -> None:
    """Checked on distinct values at once, a checkpoint is refused when opened exactly when
    some state in it could not be made one at a time."""
    state = CardState.from_sm2(Sm2State(1, 2.5, 1, date(2026, 11, 2)), first=date(2026, 11, 1))
    doc = state_to_dict(state)
    docs = {"deck/a": doc, "deck/b": {**doc, **changes}}
    try:
        made = {key: state_from_dict(d) for key, d in docs.items()}
    except (ValueError, KeyError, TypeError):
        with pytest.raises((ValueError, KeyError, TypeError)):
            states_from_saved(docs)
    else:
        assert states_from_saved(docs) == made


@given(st.lists(STATES, max_size=30), STUDY_DAYS, st.integers(0, 5), st.integers(0, 5))
def test_queues_and_counts_read_saved_states_as_made_ones(
    states: list[CardState], today: date, new_limit: int, review_limit: int
) -> None:
    """Everything a session and the deck list work out from states comes out the same whether
    the states were read from a checkpoint or made by answers in this run."""
    cards = [basic("d", f"c{i}", reverse=i % 3 == 0) for i in range(len(states) + 3)]
    items = [item for card in cards for item in card.items()]
    by_key = {item.key: state for item, state in zip(items, states, strict=False)}
    limits = Limits(new_limit, review_limit)
    halves = [items[: len(items) // 2], items[len(items) // 2 :]]
    seen = []
    for store in (saved_store(by_key), made_store(by_key)):
        seen.append(
            (
                [item.key for item in build_queue(items, store, today, limits)],
                queue_counts(halves, store, today, limits),
                [item.key for item in practice_queue(items, store, today)],
                next_due(items, store, today),
                unseen(items, store),
            )
        )
    assert seen[0] == seen[1]
    assert seen[0][4] == sum(1 for item in items if by_key.get(item.key, CardState()).is_new)
