"""Grade keys: Anki's four (Again, Hard, Good, Easy) or SuperMemo's own six qualities."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Grade:
    key: str
    """The key the student presses."""
    quality: int
    """The SM-2 quality it records (0..5)."""
    label: str


ANKI_GRADES: tuple[Grade, ...] = (
    Grade("1", 1, "Again"),
    Grade("2", 3, "Hard"),
    Grade("3", 4, "Good"),
    Grade("4", 5, "Easy"),
)
SUPERMEMO_GRADES: tuple[Grade, ...] = (
    Grade("0", 0, "Blackout"),
    Grade("1", 1, "Wrong"),
    Grade("2", 2, "Almost"),
    Grade("3", 3, "Hard"),
    Grade("4", 4, "Good"),
    Grade("5", 5, "Perfect"),
)


def grades(scheme: str) -> tuple[Grade, ...]:
    """The grades of a scheme: "anki" or "supermemo"."""
    return SUPERMEMO_GRADES if scheme == "supermemo" else ANKI_GRADES


def grade_for_quality(scheme: str, quality: int) -> Grade:
    """The scheme's grade nearest to an SM-2 quality (e.g. a computed scenario grade).

    In Anki's four, qualities 0-2 map to Again, as any lapse does.
    """
    options = grades(scheme)
    exact = [g for g in options if g.quality == quality]
    if exact:
        return exact[0]
    below = [g for g in options if g.quality <= quality]
    return below[-1] if below else options[0]


def format_interval(days: int) -> str:
    """A short interval for grade buttons: "today", "1d", "6d", "3mo", "1.2y"."""
    if days <= 0:
        return "today"
    if days < 31:
        return f"{days}d"
    if days < 365:
        return f"{round(days / 30.4)}mo"
    return f"{days / 365:.1f}y"
