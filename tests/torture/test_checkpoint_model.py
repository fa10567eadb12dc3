"""Any mix of answers, undos, checkpoints, kills and reopenings: the store always agrees with a
plain dict of the states, and the TinyDB checkpoint holds exactly those states.

The checkpoint rewrites only the documents of states changed since the last one; this checks
that no change is ever missed (a field that disappears, such as a lifted suspension, included).
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.core.progress import CardState, LogEntry, state_to_dict
from quiz.core.sm2 import Sm2State
from quiz.storage.store import FileStore

DAY = date(2026, 11, 26)


def state(n: int) -> CardState:
    """Varied states: optional fields come and go with n."""
    return CardState.from_sm2(
        Sm2State(n % 7, 1.3 + (n % 10) / 10, n, DAY + timedelta(days=n)),
        lapses=n % 3,
        first=DAY if n % 4 else None,
        last=DAY,
        suspended=n % 5 == 0,
        buried_until=DAY if n % 3 == 0 else None,
        leech=n % 11 == 0,
    )


operations = st.lists(
    st.one_of(
        st.tuples(st.just("record"), st.integers(0, 6), st.integers(0, 60)),
        st.tuples(st.just("undo"), st.just(0), st.just(0)),
        st.tuples(st.just("checkpoint"), st.just(0), st.just(0)),
        st.tuples(st.just("kill"), st.just(0), st.just(0)),
        st.tuples(st.just("reopen"), st.just(0), st.just(0)),
    ),
    max_size=40,
)


@settings(max_examples=120, deadline=None)
@given(operations)
def test_store_matches_a_plain_dict(plan: list[tuple[str, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        store = FileStore.open(folder)
        model: dict[str, CardState] = {}
        undoable: list[LogEntry] = []
        for op, key_number, n in plan:
            if op == "record":
                key = f"d/{key_number}"
                undoable.append(
                    store.record(key, "review", day=DAY, time="t", after=state(n), quality=4)
                )
                model[key] = state(n)
            elif op == "undo" and undoable:
                entry = undoable.pop()
                store.cancel(entry, time="t")
                model[entry.key] = entry.before
            elif op == "checkpoint":
                store.checkpoint()
            elif op in ("kill", "reopen"):
                store._release() if op == "kill" else store.close()
                store = FileStore.open(folder)
                undoable.clear()
                assert dict(store.states()) == model
                assert not store.notices  # the checkpoint always agrees with the log
        store.close()
        with FileStore.open(folder) as reopened:
            assert dict(reopened.states()) == model
        saved = orjson.loads((folder / "progress.json").read_bytes())["states"]
        assert saved == {key: state_to_dict(value) for key, value in model.items()}
