"""B9's input: a medical-school Anki package of 30,000 notes, written by Anki's own library.

A collection is made with `anki.collection.Collection` in a temporary folder, filled with the
stock note types ("Basic" 50%, "Basic (and reversed card)" 20%, "Cloze" 30%) in nested decks
(`Med::Cardio::Arrhythmias`, ...), and exported with Anki's own exporter, as File > Export
"Anki Deck Package" does: the current format (collection.anki21b, zstd) unless `legacy`.
Fields hold the HTML Anki's editor and community decks are full of: bold and italics, `<br>`,
`<div>`s, lists, `&nbsp;` and other entities, styled spans, some `<img>` references (the images
themselves are put into the package's media), cloze deletions with and without hints, and an
extra field; every note has two to four tags.

    python bench/apkg.py OUT.apkg --notes 30000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SYSTEMS = {
    "Cardio": ("Arrhythmias", "Heart failure", "Valves", "Ischaemic heart disease", "ECG"),
    "Resp": ("Asthma", "COPD", "Pneumonia", "Pulmonary embolism", "Lung cancer"),
    "Renal": ("AKI", "CKD", "Electrolytes", "Glomerulonephritis"),
    "GI": ("Liver", "IBD", "Upper GI bleed", "Pancreas"),
    "Neuro": ("Stroke", "Epilepsy", "Headache", "Neuromuscular"),
    "Endo": ("Diabetes", "Thyroid", "Adrenal", "Pituitary"),
    "Haem": ("Anaemia", "Coagulation", "Leukaemia", "Transfusion"),
    "ID": ("Antibiotics", "HIV", "Sepsis", "Tropical"),
    "Pharm": ("Autonomic", "Toxicology", "Pharmacokinetics", "Anticoagulants"),
}
CONDITIONS = (
    "atrial fibrillation", "heart failure with reduced ejection fraction", "aortic stenosis",
    "infective endocarditis", "acute coronary syndrome", "pericarditis", "asthma", "COPD",
    "community-acquired pneumonia", "pulmonary embolism", "sarcoidosis", "acute kidney injury",
    "nephrotic syndrome", "hyperkalaemia", "hyponatraemia", "ulcerative colitis",
    "Crohn's disease", "primary biliary cholangitis", "acute pancreatitis", "ischaemic stroke",
    "subarachnoid haemorrhage", "myasthenia gravis", "Guillain-Barré syndrome",
    "diabetic ketoacidosis", "Graves' disease", "Addison's disease", "Cushing's syndrome",
    "iron deficiency anaemia", "pernicious anaemia", "DIC", "acute myeloid leukaemia",
    "sepsis", "malaria", "tuberculosis", "paracetamol overdose", "digoxin toxicity",
)  # fmt: skip
DRUGS = (
    "amiodarone", "bisoprolol", "ramipril", "furosemide", "spironolactone", "digoxin",
    "apixaban", "warfarin", "heparin", "salbutamol", "prednisolone", "co-amoxiclav",
    "vancomycin", "gentamicin", "metformin", "insulin", "levothyroxine", "carbimazole",
    "hydrocortisone", "N-acetylcysteine", "naloxone", "atropine", "adenosine", "alteplase",
)  # fmt: skip
FINDINGS = (
    "raised JVP", "bibasal crackles", "an irregularly irregular pulse", "a pansystolic murmur",
    "a slow-rising pulse", "peripheral oedema", "clubbing", "a widened pulse pressure",
    "hypotension", "tachycardia > 100/min", "Kussmaul breathing", "a positive Kernig's sign",
    "proximal weakness", "a low serum sodium", "ST elevation in V1-V4", "peaked T waves",
)  # fmt: skip
QUESTIONS = (
    "What is the first-line treatment of {c}?",
    "Which drug class does {d} belong to?",
    "What is the mechanism of action of {d}?",
    "Name the most common cause of {c}.",
    "What are the features of {c} on examination?",
    "What is the main adverse effect of {d}?",
    "Which investigation confirms {c}?",
    "A patient with {c} presents with {f}. What is the next step?",
    "What is the antidote to {d}?",
    "What is the inheritance of {c}?",
)
CLOZES = (
    "{c} classically presents with {{{{c1::{f}}}}}.",
    "The first-line treatment of {c} is {{{{c1::{d}}}}}.",
    "{d} acts by {{{{c1::blocking {x}::mechanism}}}} and is given for {{{{c2::{c}}}}}.",
    "In {c}, {{{{c1::{f}}}}} and {{{{c2::{g}}}}} are the key signs; treat with {{{{c3::{d}}}}}.",
    "The most common cause of {c} is {{{{c1::{x}}}}}.",
    "{{{{c1::{d}}}}} is contraindicated in {{{{c2::{c}::condition}}}}.",
)
MECHANISMS = (
    "potassium channels", "beta-1 receptors", "ACE", "the Na-K-2Cl co-transporter",
    "aldosterone receptors", "Na/K-ATPase", "factor Xa", "vitamin K epoxide reductase",
    "cell wall synthesis", "the 30S ribosome", "thyroid peroxidase", "mu-opioid receptors",
)  # fmt: skip
TAGS = ("step1", "step2", "high-yield", "pharm", "path", "physio", "micro", "#AK_Step1_v12",
        "lecture::week03", "FA2026", "rx", "cases")  # fmt: skip
SHARES = (("Basic", 0.50), ("Basic (and reversed card)", 0.70), ("Cloze", 1.00))
"""The note type of each note: cumulative shares."""


def _pick(rng: random.Random) -> dict[str, str]:
    return {
        "c": rng.choice(CONDITIONS),
        "d": rng.choice(DRUGS),
        "f": rng.choice(FINDINGS),
        "g": rng.choice(FINDINGS),
        "x": rng.choice(MECHANISMS),
    }


def _back(rng: random.Random, words: dict[str, str], number: int) -> str:
    """An answer as Anki's editor and community decks write it: HTML of several shapes."""
    shape = rng.random()
    if shape < 0.3:
        return f"<b>{words['d']}</b> ({words['x']})<br>Dose: {number % 500 + 5}&nbsp;mg"
    if shape < 0.55:
        items = "".join(f"<li>{rng.choice(FINDINGS)}</li>" for _ in range(rng.randint(2, 5)))
        return f"<div>Features:</div><ul>{items}</ul>"
    if shape < 0.75:
        return (
            f'<div><span style="color: rgb(255, 0, 0);">{words["c"]}</span> &gt; '
            f"{words['f']}</div><div><i>remember:</i> {words['d']} &amp; {words['x']}</div>"
        )
    if shape < 0.9:
        return f"{words['d'].capitalize()}<br><br><u>Not</u> {rng.choice(DRUGS)} &lt;- why?"
    return f'{words["x"]} <img src="fig-{number % 997:03d}.png"><br>'


def _extra(rng: random.Random, words: dict[str, str], number: int) -> str:
    roll = rng.random()
    if roll < 0.4:
        return ""
    if roll < 0.8:
        return (
            f"<i>{words['c']}</i>: see {rng.choice(CONDITIONS)}; "
            f"{words['f']} in {number % 90 + 10}%&nbsp;of cases.<br>Lecture {number % 40 + 1}"
        )
    return f'<div><img src="path-{number % 499:03d}.jpg"></div><div>{words["c"]}</div>'


def note_fields(rng: random.Random, kind: str, number: int) -> list[str]:
    """The fields of note `number` of a note type."""
    words = _pick(rng)
    if kind == "Cloze":
        text = rng.choice(CLOZES).format(**words)
        text = text[0].upper() + text[1:]
        if rng.random() < 0.3:
            text = text.replace(words["c"], f"<b>{words['c']}</b>", 1)
        return [f"{text} <span class=n>#{number}</span>", _extra(rng, words, number)]
    question = rng.choice(QUESTIONS).format(**words)
    if rng.random() < 0.2:
        question = f"<div>{question}</div>"
    if kind == "Basic (and reversed card)":
        front = f"{words['d'].capitalize()} ({number})"
        return [front, f"{question.replace('?', '')}<br>{_back(rng, words, number)}"]
    return [f"{question} ({number})", _back(rng, words, number)]


def write_package(path: Path, notes: int = 30_000, *, seed: int = 0, legacy: bool = False) -> Any:
    """Make the collection with Anki's library and export it to `path`; returns Anki's counts."""
    from anki.collection import (
        AddNoteRequest,
        Collection,
        DeckIdLimit,
        ExportAnkiPackageOptions,
    )

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="quiz-bench-apkg-") as folder:
        col = Collection(str(Path(folder) / "collection.anki2"))
        try:
            names = [f"Med::{system}::{topic}" for system, topics in SYSTEMS.items()
                     for topic in topics]  # fmt: skip
            top, *decks = (col.decks.id(name) for name in ["Med", *names])
            ids = [deck for deck in decks if deck is not None]
            if top is None or len(ids) != len(names):
                raise RuntimeError("Anki did not make the decks")
            models = {name: col.models.by_name(name) for name, _ in SHARES}
            requests = []
            for number in range(1, notes + 1):
                roll = rng.random()
                kind = next(name for name, share in SHARES if roll < share)
                note = col.new_note(models[kind])  # type: ignore[arg-type]
                for index, value in enumerate(note_fields(rng, kind, number)):
                    note.fields[index] = value
                note.tags = rng.sample(TAGS, rng.randint(2, 4))
                requests.append(AddNoteRequest(note=note, deck_id=rng.choice(ids)))
            col.add_notes(requests)
            media = Path(folder) / "media"
            media.mkdir()
            for name in [f"fig-{n:03d}.png" for n in range(997)] + [
                f"path-{n:03d}.jpg" for n in range(499)
            ]:
                (media / name).write_bytes(b"\x89PNG " + name.encode() * 40)
                col.media.add_file(str(media / name))
            options = ExportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, with_media=True, legacy=legacy
            )
            exported = col.export_anki_package(
                out_path=str(path), options=options, limit=DeckIdLimit(top)
            )
            return {"notes": exported, "cards": col.card_count()}
        finally:
            col.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--notes", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--legacy", action="store_true", help="collection.anki21, no zstd")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    made = write_package(args.out, args.notes, seed=args.seed, legacy=args.legacy)
    print(f"{args.out}: {made} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
