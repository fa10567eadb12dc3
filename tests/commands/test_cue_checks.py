"""`quiz validate --strict` warns of each cue of docs/authoring.md at its place, and over the
decks checked together; `--cues` reports the figures; unsafe options keyed wrongly are errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from quiz.commands import validate

CUES = Path(__file__).parents[1] / "fixtures" / "cues"
TRIPS = CUES / "trips.json"
CLEAN = CUES / "clean.json"


def run(
    *paths: Path, strict: bool = True, fmt: str = "text", cues: bool = False
) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = validate.run(
        [str(p) for p in paths], strict=strict, fmt=fmt, out=out, err=err, cue_figures=cues
    )
    assert err.getvalue() == ""
    return code, out.getvalue()


def test_a_deck_without_cues_is_clean_even_strictly() -> None:
    assert run(CLEAN) == (0, "1 deck checked: no errors, no warnings\n")


TRIPPED = [
    # (line, column, what the warning says), one per check
    (14, 19, 'card "long-key-rank": length cue: its best option (listed first) is the longest'),
    (74, 19, 'card "long-key-sba": length cue: its correct option is the longest'),
    (52, 19, 'card "compound-rank": option 3 holds a condition ("if")'),
    (44, 19, 'card "compound-rank": option 1 is keyed and asks for 2 actions'),
    (
        19,
        18,
        """card "long-key-rank": option 2's why says "ranks first", but the key puts it 2nd""",
    ),
    (35, 22, 'card "long-key-rank": the explanation says "ranks above examining the patient"'),
    (6, 12, "deck: every one of its 2 rank cards ends with the passive option"),
    (97, 19, 'card "near-copy-sba": its scenario nearly repeats card "long-key-sba" (line 67;'),
]


@pytest.mark.parametrize(("line", "column", "says"), TRIPPED, ids=[t[2][:40] for t in TRIPPED])
def test_each_check_is_a_positioned_warning(line: int, column: int, says: str) -> None:
    code, out = run(TRIPS)
    assert code == 1
    assert f"{TRIPS}:{line}:{column}: warning: {says}" in out


def test_the_collection_targets_are_warnings_over_the_decks_checked() -> None:
    _, out = run(TRIPS)
    lines = [line for line in out.splitlines() if line.startswith("decks checked: warning:")]
    assert [line.split(": ", 2)[2].split(";")[0] for line in lines] == [
        "the deck: 1 of 2 rank items (50%) key their longest option first",
        "the deck: 1 of 2 scenario single-best-answer items (50%) key their longest option",
        "the deck: 2 of 2 rank items (100%) end with the passive option (say nothing, do as told)",
    ]
    assert out.endswith("1 deck checked: 0 errors, 11 warnings in 1 file\n")


def test_without_strict_the_cues_are_not_reported() -> None:
    assert run(TRIPS, strict=False) == (0, "1 deck checked: no errors\n")


def test_near_duplicates_are_found_across_decks(tmp_path: Path) -> None:
    copy = json.loads(CLEAN.read_text("utf-8"))
    copy["id"] = "copy"
    (tmp_path / "copy.json").write_text(json.dumps(copy, indent=2), "utf-8")
    _, out = run(CLEAN, tmp_path / "copy.json")
    repeats = [line for line in out.splitlines() if "nearly repeats" in line]
    assert len(repeats) == 3  # each SJT card of the copy repeats its original
    assert repeats[0].startswith(f"{tmp_path / 'copy.json'}:")
    assert f"({CLEAN}, line " in repeats[0]
    assert "100% of their words shared" in repeats[0]


def test_the_cue_report_as_a_table() -> None:
    code, out = run(CLEAN, TRIPS, strict=False, cues=True)
    assert code == 0
    table = out.splitlines()
    assert table[0].split() == [
        "deck", "rank", "long", "tau", "sba", "long", "ck", "long", "pass", "cond", "comp",
        "ord", "dup",
    ]  # fmt: skip
    assert (
        table[1].split()
        == ["cues-clean", "2", "0%", "-0.77", "1", "0%", "0", "-", "0%"] + ["0"] * 4
    )
    assert table[2].split()[:9] == ["cues-trips", "2", "50%", "+0.46", "2", "50%", "0", "-", "100%"]
    assert table[3].split()[:3] == ["all", "2", "decks"]
    assert table[4].split() == ["chance", "20%", "0", "25%", "-"]
    assert table[5] == "2 decks checked: no errors"


def test_the_cue_report_as_json() -> None:
    code, out = run(CLEAN, TRIPS, fmt="json", cues=True)
    assert code == 1
    doc = json.loads(out)
    assert {f["severity"] for f in doc["findings"]} == {"warning"}
    over_all = [f for f in doc["findings"] if f["line"] == 0]
    assert {f["path"] for f in over_all} == {"decks checked"}
    trips = doc["cues"]["decks"][1]
    assert trips["id"] == "cues-trips" and trips["path"] == str(TRIPS)
    assert trips["rank"]["longest_keyed_first"] == 1 and trips["rank"]["chance"] == 0.2
    assert trips["scenario_sba"]["share"] == 0.5
    assert (trips["conditional_options"], trips["compound_keyed_options"]) == (1, 1)
    assert (trips["orders_against_key"], trips["near_duplicate_scenarios"]) == (2, 1)
    total = doc["cues"]["total"]
    assert total["decks"] == 2 and total["rank"]["items"] == 4
    assert total["near_duplicate_scenarios"] == 3  # the trips deck's own, and two across


UNSAFE_RANK = [
    {"text": "a"}, {"text": "b"}, {"text": "c", "unsafe": True}, {"text": "d"}, {"text": "e"},
]  # fmt: skip


@pytest.mark.parametrize(
    ("card", "error"),
    [
        (
            {
                "type": "choice",
                "options": [{"text": "a", "correct": True, "unsafe": True}, {"text": "b"}],
            },
            'card "x": option 1 is both correct and unsafe: a keyed answer may not be unsafe',
        ),
        (
            {"type": "rank", "options": UNSAFE_RANK},
            'card "x": option 3 is unsafe but keyed in place 3: an unsafe option is keyed in '
            "place 4 or lower",
        ),
    ],
)
def test_an_unsafe_key_is_an_error(tmp_path: Path, card: dict[str, object], error: str) -> None:
    deck = {"format": 1, "id": "u", "title": "U", "cards": [{"id": "x", "question": "Q", **card}]}
    path = tmp_path / "u.json"
    path.write_text(json.dumps(deck), "utf-8")
    code, out = run(path, strict=False)
    assert code == 1
    [line, summary] = out.splitlines()
    assert line.startswith(f"{path}:1:") and f": error: {error}" in line
    assert summary == "1 deck checked: 1 error in 1 file"


def test_unsafe_options_where_they_may_be(tmp_path: Path) -> None:
    options = [{"text": t} for t in "abc"] + [{"text": "d", "unsafe": True}]
    choice = [{"text": "a", "correct": True}, {"text": "b", "unsafe": True}]
    cards = [
        {"id": "r", "type": "rank", "question": "Q", "options": [*options, {"text": "e"}]},
        {"id": "c", "type": "choice", "question": "Q", "options": choice},
    ]
    path = tmp_path / "u.json"
    path.write_text(json.dumps({"format": 1, "id": "u", "title": "U", "cards": cards}), "utf-8")
    assert run(path, strict=False) == (0, "1 deck checked: no errors\n")
