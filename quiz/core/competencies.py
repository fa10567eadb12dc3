"""The competency frameworks that bundled cards are tagged with, as the frameworks lay them out.

Medical Leadership Competency Framework (MLCF, 3rd edition 2010): five domains of four
elements each. Healthcare Leadership Model (HLM, NHS Leadership Academy 2013): nine dimensions.
A card names what it exercises with one tag per element or dimension (`mlcf-ensuring-patient-
safety`, `hlm-engaging-the-team`); a domain tag (`mlcf-improving-services`) is implied by each
of its elements' tags. The scheme is described for deck authors in docs/authoring.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MLCF = "mlcf"
HLM = "hlm"


@dataclass(frozen=True, slots=True)
class Competency:
    tag: str
    name: str
    parts: tuple[Competency, ...] = ()
    """A domain's elements, in the framework's order; empty for an element or a dimension."""


def _domain(tag: str, name: str, *elements: tuple[str, str]) -> Competency:
    return Competency(tag, name, tuple(Competency(t, n) for t, n in elements))


MLCF_DOMAINS: tuple[Competency, ...] = (
    _domain(
        "mlcf-personal-qualities",
        "Demonstrating Personal Qualities",
        ("mlcf-developing-self-awareness", "Developing Self Awareness"),
        ("mlcf-managing-yourself", "Managing Yourself"),
        ("mlcf-continuing-personal-development", "Continuing Personal Development"),
        ("mlcf-acting-with-integrity", "Acting with Integrity"),
    ),
    _domain(
        "mlcf-working-with-others",
        "Working with Others",
        ("mlcf-developing-networks", "Developing Networks"),
        ("mlcf-building-and-maintaining-relationships", "Building & Maintaining Relationships"),
        ("mlcf-encouraging-contribution", "Encouraging Contribution"),
        ("mlcf-working-within-teams", "Working within Teams"),
    ),
    _domain(
        "mlcf-managing-services",
        "Managing Services",
        ("mlcf-planning", "Planning"),
        ("mlcf-managing-resources", "Managing Resources"),
        ("mlcf-managing-people", "Managing People"),
        ("mlcf-managing-performance", "Managing Performance"),
    ),
    _domain(
        "mlcf-improving-services",
        "Improving Services",
        ("mlcf-ensuring-patient-safety", "Ensuring Patient Safety"),
        ("mlcf-critically-evaluating", "Critically Evaluating"),
        ("mlcf-encouraging-improvement-and-innovation", "Encouraging Improvement and Innovation"),
        ("mlcf-facilitating-transformation", "Facilitating Transformation"),
    ),
    _domain(
        "mlcf-setting-direction",
        "Setting Direction",
        ("mlcf-identifying-the-contexts-for-change", "Identifying the Contexts for Change"),
        ("mlcf-applying-knowledge-and-evidence", "Applying Knowledge and Evidence"),
        ("mlcf-making-decisions", "Making Decisions"),
        ("mlcf-evaluating-impact", "Evaluating Impact"),
    ),
)

HLM_DIMENSIONS: tuple[Competency, ...] = tuple(
    Competency(f"hlm-{name.lower().replace(' ', '-')}", name)
    for name in (
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
)

FRAMEWORKS: dict[str, tuple[str, tuple[Competency, ...]]] = {
    MLCF: ("Medical Leadership Competency Framework", MLCF_DOMAINS),
    HLM: ("Healthcare Leadership Model", HLM_DIMENSIONS),
}

_DOMAIN_OF = {element.tag: domain.tag for domain in MLCF_DOMAINS for element in domain.parts}
COMPETENCY_TAGS: frozenset[str] = frozenset(
    [d.tag for d in MLCF_DOMAINS]
    + [e.tag for d in MLCF_DOMAINS for e in d.parts]
    + [h.tag for h in HLM_DIMENSIONS]
)


def label(tag: str) -> str | None:
    """How a student reads a competency tag: "Holding to account (HLM)"; None for other tags."""
    for framework, (_, layout) in FRAMEWORKS.items():
        for c in layout:
            for one in (c, *c.parts):
                if one.tag == tag:
                    return f"{one.name} ({framework.upper()})"
    return None


def is_competency(tag: str) -> bool:
    """True for an MLCF domain or element tag, or an HLM dimension tag."""
    return tag in COMPETENCY_TAGS


def with_domains(tags: Iterable[str]) -> tuple[str, ...]:
    """`tags` with the MLCF domain of each element tag added after it, without repeats."""
    out: dict[str, None] = {}
    for tag in tags:
        out[tag] = None
        domain = _DOMAIN_OF.get(tag)
        if domain is not None:
            out[domain] = None
    return tuple(out)
