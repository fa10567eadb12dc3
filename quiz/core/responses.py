"""A scenario answer as the log keeps it: the options answered, by name, and the score.

Teachers analyse their questions from these (which options are picked, which rankings are
given, how each option scores), so a response names options in a way that survives the file:
by `id` when the option has one, else by its place in the file, always with the digest of
the version of the question it answered (see `Card.digest` and `Card.option_name`).
"""

from __future__ import annotations

from collections.abc import Iterable

from quiz.core.model import Card
from quiz.core.progress import Response
from quiz.core.scoring import Score, unsafe_picked, unsafe_ranked


def scenario_response(card: Card, chosen: Iterable[int], score: Score) -> Response:
    """The response to log for an answer to a `choice` or `rank` card.

    Args:
        card: the card answered.
        chosen: for a rank card, the index (in the file) of the option at each place, first
            place first (`RankList.placed`, what `score_rank` takes); for a choice card, the
            indexes picked, in any order (they are logged in file order).
        score: the answer's score (`score_rank` or `score_choice` of the same answer).

    The response also names the unsafe options the answer chose (`unsafe_chosen`).

    Raises:
        ValueError: the card is not a scenario question, or `chosen` names an option it does
            not have (or, for a rank, is not one place for each option).
    """
    indexes = list(chosen)
    if card.type == "rank":
        if sorted(indexes) != list(range(len(card.options))):
            raise ValueError(f"a ranking of {card.key} places each of its options exactly once")
    elif card.type == "choice":
        indexes = sorted(set(indexes))
        for index in indexes:
            if not 0 <= index < len(card.options):
                raise ValueError(f"card {card.key} has no option {index}")
    else:
        raise ValueError(f"card {card.key} is a {card.type} card, not a scenario question")
    names = tuple(card.option_name(i) for i in indexes)
    unsafe = tuple(card.option_name(i) for i in unsafe_chosen(card, indexes))
    return Response(card.digest, names, score.points, score.maximum, unsafe)


def unsafe_chosen(card: Card, chosen: Iterable[int]) -> tuple[int, ...]:
    """The unsafe options an answer chose, which cap its grade at Again: for a rank, those it
    placed first or second (in placed order); for a choice, those picked (in file order).

    Args:
        card: a `choice` or `rank` card.
        chosen: as `scenario_response` takes it.
    """
    unsafe = card.unsafe_indexes
    if not unsafe:
        return ()
    if card.type == "rank":
        return unsafe_ranked(list(chosen), unsafe)
    return unsafe_picked(set(chosen), unsafe)
