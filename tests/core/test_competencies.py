"""Competencies laid out as the frameworks lay them out: MLCF domains holding their elements,
HLM dimensions, then the other tags; weakest first within each; figures worked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.commands.report import render
from quiz.core.competencies import HLM_DIMENSIONS, MLCF_DOMAINS, label, with_domains
from quiz.core.fold import LogTally
from quiz.core.model import Card, Deck
from quiz.core.progress import MemoryStore
from quiz.core.stats import Stats, compute
from quiz.services.stats import to_json
from tests.stats_helpers import TODAY, answer


def deck() -> Deck:
    def basic(card_id: str, *tags: str) -> Card:
        return Card("d", card_id, "basic", front=f"front {card_id}", back="back", tags=tags)

    return Deck("d", "Deck", (
        basic("safety-1", "mlcf-ensuring-patient-safety", "sbar"),
        basic("safety-2", "mlcf-ensuring-patient-safety"),
        basic("evaluate", "mlcf-critically-evaluating"),
        basic("domain", "mlcf-improving-services"),  # the domain itself, no element
        basic("self", "mlcf-developing-self-awareness"),
        basic("team", "hlm-engaging-the-team"),
        basic("care", "hlm-leading-with-care"),
    ))  # fmt: skip


def stats() -> Stats:
    store = MemoryStore()
    answer(store, "d/safety-1", 4)  # right
    answer(store, "d/safety-2", 2)  # wrong
    answer(store, "d/evaluate", 1)  # wrong
    answer(store, "d/domain", 5)  # right
    answer(store, "d/self", 5)  # right
    answer(store, "d/team", 3)  # right (3 counts as right)
    answer(store, "d/team", 1, drill=True)  # a re-drill: not counted
    return compute([deck()], store.states(), LogTally.of(store.entries()), TODAY)


def test_the_frameworks_as_they_are_laid_out() -> None:
    assert [d.name for d in MLCF_DOMAINS] == [
        "Demonstrating Personal Qualities", "Working with Others", "Managing Services",
        "Improving Services", "Setting Direction",
    ]  # fmt: skip
    assert all(len(d.parts) == 4 for d in MLCF_DOMAINS)
    assert len({e.tag for d in MLCF_DOMAINS for e in d.parts}) == 20
    assert len(HLM_DIMENSIONS) == 9 and HLM_DIMENSIONS[6].tag == "hlm-holding-to-account"
    assert with_domains(["sbar", "mlcf-making-decisions"]) == (
        "sbar", "mlcf-making-decisions", "mlcf-setting-direction",
    )  # fmt: skip
    assert label("hlm-leading-with-care") == "Leading with care (HLM)"
    assert label("mlcf-planning") == "Planning (MLCF)"
    assert label("sbar") is None


def test_domains_count_their_elements_cards_weakest_first() -> None:
    mlcf = stats().competencies.frameworks["mlcf"]
    rows = [(c.competency.tag, c.figures.items, c.figures.answers, c.figures.correct) for c in mlcf]
    assert rows == [
        # 4 cards: safety-1, safety-2, evaluate and the domain's own; 2 of 4 right.
        ("mlcf-improving-services", 4, 4, 2),
        ("mlcf-personal-qualities", 1, 1, 1),
        # unanswered, in the framework's order
        ("mlcf-working-with-others", 0, 0, 0),
        ("mlcf-managing-services", 0, 0, 0),
        ("mlcf-setting-direction", 0, 0, 0),
    ]
    improving = mlcf[0]
    elements = [(e.competency.name, e.figures.items, e.figures.correct) for e in improving.parts]
    # weakest first; elements no card is tagged with are left out
    assert elements == [("Critically Evaluating", 1, 0), ("Ensuring Patient Safety", 2, 1)]


def test_hlm_dimensions_weakest_first_then_the_other_tags() -> None:
    figures = stats().competencies
    hlm = [
        (c.competency.name, c.figures.items, c.figures.answers) for c in figures.frameworks["hlm"]
    ]
    assert hlm[0] == ("Engaging the team", 1, 1)  # answered (100%) before the unanswered
    assert hlm[1:3] == [("Inspiring shared purpose", 0, 0), ("Leading with care", 1, 0)]
    assert len(hlm) == 9
    assert [t.tag for t in figures.other] == ["sbar"]


def test_a_framework_no_card_is_tagged_with_is_left_out() -> None:
    only_hlm = Deck(
        "h", "H", (Card("h", "c", "basic", front="f", back="b", tags=("hlm-leading-with-care",)),)
    )
    computed = compute([only_hlm], {}, LogTally(), TODAY)
    assert list(computed.competencies.frameworks) == ["hlm"]


def test_stats_json_has_the_competencies() -> None:
    shown = to_json(stats())["competencies"]
    assert list(shown) == ["mlcf", "hlm", "other"]
    improving = shown["mlcf"][0]
    assert improving == {
        "tag": "mlcf-improving-services", "name": "Improving Services",
        "items": 4, "answers": 4, "correct": 2, "accuracy": 0.5,
        "elements": [
            {"tag": "mlcf-critically-evaluating", "name": "Critically Evaluating",
             "items": 1, "answers": 1, "correct": 0, "accuracy": 0.0},
            {"tag": "mlcf-ensuring-patient-safety", "name": "Ensuring Patient Safety",
             "items": 2, "answers": 2, "correct": 1, "accuracy": 0.5},
        ],
    }  # fmt: skip
    assert shown["other"] == {"sbar": {"items": 1, "answers": 1, "correct": 1, "accuracy": 1.0}}


def test_the_report_lays_out_each_framework() -> None:
    report = render(stats(), {"d": "Deck"})
    start = report.index("### Medical Leadership Competency Framework")
    hlm = report.index("### Healthcare Leadership Model")
    other = report.index("### Other topics")
    assert start < hlm < other
    mlcf_part = report[start:hlm]
    assert "| **Improving Services** | 4 | 4 | 2 | 50% |" in mlcf_part
    assert "| &nbsp;&nbsp;Critically Evaluating | 1 | 1 | 0 | 0% |" in mlcf_part
    assert mlcf_part.index("Critically Evaluating") < mlcf_part.index("Ensuring Patient Safety")
    assert "| sbar | 1 | 1 | 1 | 100% |" in report[other:]


@pytest.mark.parametrize("tag", ["mlcf-improving-services", "mlcf-critically-evaluating"])
def test_studying_a_domain_takes_its_elements_cards(tmp_path: Path, tag: str) -> None:
    from quiz.services.context import Context

    ctx = Context(tmp_path, [], TODAY, decks=[deck()])
    keys = {item.key for item in ctx.items(tags=[tag])}
    if tag == "mlcf-improving-services":
        assert keys == {"d/safety-1", "d/safety-2", "d/evaluate", "d/domain"}
    else:
        assert keys == {"d/evaluate"}
