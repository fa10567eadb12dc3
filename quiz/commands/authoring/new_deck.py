"""`quiz new-deck`: a starter deck with one card of each kind, every field saying what it is for.

The deck validates clean, also with `--strict`, so a teacher starts from something that works
and changes one thing at a time.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

from quiz.commands.authoring import AuthoringError
from quiz.commands.authoring.naming import deck_id, deck_title
from quiz.deckfile.layout import dumps
from quiz.storage.user_files import write_atomic

GMC = "GMC, Good medical practice (2024)"
CANDOUR = "GMC and NMC, Openness and honesty when things go wrong: the duty of candour (2015)"


def _basic() -> dict[str, Any]:
    return {
        "id": "what-a-basic-card-is",
        "type": "basic",
        "front": "**Front**: the question the student sees first. Markdown works: **bold**, "
        "*italics*, lists.",
        "back": "**Back**: the answer, shown when the student asks for it.",
        "reverse": True,
        "tags": ["example"],
        "source": "Source: where the content comes from (a guideline, a book), shown with the "
        "answer.",
        "explanation": 'Explanation: why the answer is right, shown with the answer. "reverse": '
        "true adds a second card that shows the back and asks for the front; leave it out "
        "when that makes no sense.",
    }


def _cloze() -> dict[str, Any]:
    return {
        "id": "what-a-cloze-card-is",
        "type": "cloze",
        "text": "A cloze card hides each {{c1::numbered gap}} in turn, and a "
        "{{c2::hint::what goes here?}} after a second :: shows in the blank.",
        "tags": ["example"],
        "source": "Source: where the content comes from.",
        "explanation": "Every number (c1, c2, ...) is its own card: number the gaps 1, 2, 3 "
        "without skipping. The same number used twice hides both gaps on one card.",
    }


def _single_best_answer() -> dict[str, Any]:
    return {
        "id": "consent-questions-before-theatre",
        "type": "choice",
        "scenario": "You are an FY1 on a surgical ward. Mrs Khan is first on this afternoon's "
        "list. She tells you she signed the consent form this morning but did not really "
        "understand the risks of the operation.",
        "question": "What is the most appropriate action? (A single best answer: exactly one "
        'option has "correct": true.)',
        "options": [
            {
                "text": "Ask the operating surgeon to see her before theatre about the risks.",
                "correct": True,
                "why": "Consent is a process: the person doing the procedure (or someone "
                "trained to consent for it) should answer her questions before she goes ahead.",
            },
            {
                "text": "Explain the risks to her yourself, reading them from the consent form.",
                "why": "You may not know the procedure well enough to answer her questions; "
                "the surgeon should.",
            },
            {
                "text": "Reassure her that the form is signed, so everything is in order.",
                "why": "A signature is not consent: she must understand what she agrees to.",
            },
            {
                "text": "Cancel the operation.",
                "why": "Too soon: her questions may well be answered in time.",
            },
            {
                "text": "Write her concerns in the notes and carry on with your jobs.",
                "why": "Recording it is right, but nobody acts on it before theatre.",
            },
        ],
        "tags": ["example", "consent"],
        "source": GMC,
        "explanation": "The options are shown shuffled; the `why` of every option is shown "
        "after the student answers. Keep the options about the same length, so the longest "
        "one does not give the answer away (`quiz validate --strict` warns when the key is "
        "the longest).",
    }


def _choose_three() -> dict[str, Any]:
    return {
        "id": "colleague-smells-of-alcohol",
        "type": "choice",
        "scenario": "On a night shift you notice that another FY1 smells strongly of alcohol "
        "and is slurring their words. They are about to review a sick patient.",
        "question": "Choose the THREE most appropriate actions. (Three options are correct, so "
        "the student picks three: 4 marks each, 12 in all.)",
        "options": [
            {
                "text": "Ask your colleague not to see any more patients tonight.",
                "correct": True,
                "why": "Patients' safety comes first.",
            },
            {
                "text": "Tell the registrar on call straight away.",
                "correct": True,
                "why": "A senior must know now, to keep patients safe and cover the work.",
            },
            {
                "text": "Speak to your colleague in private and ask how they are.",
                "correct": True,
                "why": "They may be unwell or in difficulty and need support, not only discipline.",
            },
            {
                "text": "Say nothing: it is not your place to judge a colleague.",
                "why": "You have a duty to act when a colleague may put patients at risk.",
            },
            {
                "text": "Tell them in front of the nurses that they are drunk.",
                "why": "Humiliating and unhelpful; raise it privately and with a senior.",
            },
            {
                "text": "Mention it to your educational supervisor next week.",
                "why": "Too late: patients are at risk tonight.",
            },
            {
                "text": "Make them a strong coffee and let them carry on.",
                "why": "Coffee does not make them safe to see patients.",
            },
            {
                "text": "Post about it in the foundation doctors' group chat.",
                "why": "A breach of your colleague's confidentiality, and it helps no patient.",
            },
        ],
        "tags": ["example", "professionalism"],
        "source": GMC,
        "explanation": "A choose-3 question: picking more than three scores 0, so students "
        "must decide.",
    }


def _rank() -> dict[str, Any]:
    return {
        "id": "wrong-gentamicin-dose",
        "type": "rank",
        "scenario": "You realise that yesterday you prescribed twice the intended dose of "
        "gentamicin. The patient has had one dose and seems well.",
        "question": "Rank these actions from most to least appropriate. (List the options in "
        "the ideal order, most appropriate first; students see them shuffled.)",
        "options": [
            {
                "text": "Review the patient and check their renal function and drug level now.",
                "why": "The patient's safety comes first.",
            },
            {
                "text": "Tell your registrar what happened and agree a plan.",
                "why": "A senior should know about the error and help manage it.",
            },
            {
                "text": "Explain the error to the patient and apologise.",
                "why": "The duty of candour: be open with the patient, once they are safe.",
            },
            {
                "text": "Complete an incident report before the end of your shift.",
                "why": "Reporting helps prevent the same error, but it comes after the patient.",
            },
            {
                "text": "Wait for the consultant's ward round tomorrow and mention it to them "
                "then.",
                "why": "Delay puts the patient at risk and hides the error.",
            },
        ],
        "tags": ["example", "patient-safety"],
        "source": CANDOUR,
        "explanation": "A rank of 5 scores as in the SJT: each option gets 4 marks less one "
        "for every place it is away from its ideal place (never below 0), 20 in all.",
    }


def starter(deck_id: str, title: str, today: date) -> dict[str, Any]:
    """The starter deck: one card of every kind, each field explaining itself."""
    return {
        "format": 1,
        "id": deck_id,
        "title": title,
        "description": "What the deck covers, in a sentence or two; shown in the deck list.",
        "authors": ["Your name"],
        "tags": ["starter"],
        "review_by": (today + timedelta(days=365)).isoformat(),
        "cards": [_basic(), _cloze(), _single_best_answer(), _choose_three(), _rank()],
    }


def run(
    path: Path, *, deck_id_given: str | None, title: str | None, today: date, out: TextIO
) -> int:
    """Write the starter deck to `path` (never over an existing file); returns the exit status.

    A name without a suffix gets `.json`.
    """
    if not path.suffix:
        path = path.with_name(f"{path.name}.json")
    if path.suffix.lower() != ".json":
        raise AuthoringError(f"{path}: a deck file name ends in .json, like {path.stem}.json")
    if path.is_dir():
        raise AuthoringError(f"{path}: this is a folder; give a file name like {path}/deck.json")
    if path.exists():
        raise AuthoringError(f"{path}: already exists; choose another name or move it away first")
    deck = starter(deck_id(deck_id_given, path), deck_title(title, path), today)
    write_atomic(path, dumps(deck), exclusive=True)
    print(f'wrote {path}: deck "{deck["id"]}", 5 example cards, one of each kind', file=out)
    print(f"next: edit {path}; each field says what it is for. Then:", file=out)
    for command, what in (
        (f"quiz preview {path}", "see every card; it updates as you save"),
        (f"quiz validate --strict {path}", "check it"),
        (f"quiz --decks {path}", "study it"),
    ):
        print(f"  {command:<{len(str(path)) + 23}} {what}", file=out)
    print("the guide for deck writers: docs/authoring.md in the quiz repository", file=out)
    return 0
