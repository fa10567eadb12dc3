"""Malformed decks, one per case: the text, and each error expected as (line, where, message).

`where` is the column, or the text the column must point at on that line (the column is where
it starts; "" means column 1). Cards built with `deck()` sit one per line from line 6.
"""

from __future__ import annotations

from typing import NamedTuple

HEAD = '{\n  "format": 1,\n  "id": "d",\n  "title": "T",\n  "cards": [\n'
GOOD = '{"id": "ok", "type": "basic", "front": "F", "back": "B"}'


def deck(*cards: str, head: str = HEAD) -> str:
    """A deck with one card per line; the first card is on line 6, at column 5."""
    return head + ",\n".join("    " + card for card in cards) + "\n  ]\n}\n"


class Case(NamedTuple):
    name: str
    text: str
    expected: list[tuple[int, str | int, str]]
    """(line, anchor or column, message) of each error, in file order."""


CUT = deck(GOOD)[: deck(GOOD).index('"back"')]


CASES = [
    # --- syntax (strict JSON) ---
    Case(
        "trailing comma in an object",
        deck('{"id": "a", "type": "basic", "front": "F", "back": "B",}'),
        [(6, ",}", 'trailing comma before "}"')],
    ),
    Case(
        "trailing comma in a list",
        deck(GOOD + ","),
        [(6, 5 + len(GOOD), 'trailing comma before "]"')],
    ),
    Case("line comment", "// my deck\n{}", [(1, "//", "comments are not allowed in JSON")]),
    Case(
        "block comment",
        deck(GOOD).replace('"title"', '/* name */ "title"'),
        [(4, "/*", "comments are not allowed in JSON")],
    ),
    Case(
        "single quotes",
        deck("{'id': 'a'}"),
        [(6, "'id'", "use double quotes")],
    ),
    Case(
        "missing comma between cards",
        HEAD + "    " + GOOD + "\n    " + GOOD + "\n  ]\n}\n",
        [(7, "{", 'expected a "," here')],
    ),
    Case(
        "unclosed text",
        '{\n  "format": 1,\n  "title": "Oops\n}',
        [(3, len('  "title": "Oops') + 1, "a line break inside text")],
    ),
    Case(
        "text never closed", '{"title": "Oops', [(1, '"Oops', 'text is not closed: a " is missing')]
    ),
    Case("NaN", '{\n  "format": NaN\n}', [(2, "NaN", "NaN is not allowed in JSON")]),
    Case(
        "-Infinity",
        '{\n  "format": -Infinity\n}',
        [(2, "-Infinity", "-Infinity is not allowed in JSON")],
    ),
    Case(
        "Python's True",
        deck('{"id": "a", "type": "basic", "front": "F", "back": "B", "reverse": True}'),
        [(6, "True", 'unknown word "True": put text in double quotes')],
    ),
    Case(
        "two decks in one file",
        '{"format": 1}\n{"format": 1}\n',
        [(2, "{", "more text after the end of the deck")],
    ),
    Case("missing colon", '{\n  "format" 1\n}', [(2, "1", 'expected ":" after the field name')]),
    Case(
        "file cut short",
        CUT,
        [(6, len(CUT.splitlines()[-1]) + 1, "the file ends too early")],
    ),
    Case("empty file", "", [(1, "", "the file is empty")]),
    Case("only spaces", "  \n \n", [(3, "", "the file is empty")]),
    Case(
        "unknown escape",
        deck('{"id": "a", "type": "basic", "front": "C:\\Users", "back": "B"}'),
        [(6, "\\U", "unknown escape after \\ in text")],
    ),
    Case(
        "list closed by a brace",
        '{\n  "tags": ["a", "b"}\n}',
        [(2, "}", 'unexpected "}": a list is still open here (is a "]" missing?)')],
    ),
    Case(
        "field name without quotes",
        deck('{id: "a"}'),
        [(6, "id:", "expected a field name in double quotes")],
    ),
    Case(
        "a control character in text",
        deck('{"id": "a", "type": "basic", "front": "F\x07", "back": "B"}'),
        [(6, "\x07", "a control character (U+0007) inside text is not allowed")],
    ),
    Case(
        "an integer too long to read",
        '{\n  "format": ' + "1" * 5000 + "\n}",
        [(2, "111", "a number of 5000 digits is too long")],
    ),
    # --- schema ---
    Case(
        "a list, not a deck",
        "[1, 2]\n",
        [(1, "[", "the deck must be a JSON object { ... }, not a list")],
    ),
    Case(
        "missing back",
        deck('{"id": "a", "type": "basic", "front": "F"}'),
        [(6, "{", 'card "a": missing "back"')],
    ),
    Case(
        "misspelt field",
        deck('{"id": "a", "type": "basic", "front": "F", "back": "B", "bakc": "C"}'),
        [(6, '"bakc"', 'card "a": unknown field "bakc" (did you mean "back"?)')],
    ),
    Case(
        "front is a number",
        deck('{"id": "a", "type": "basic", "front": 42, "back": "B"}'),
        [(6, "42", 'card "a": "front" must be text, not a number')],
    ),
    Case(
        "empty front",
        deck('{"id": "a", "type": "basic", "front": "", "back": "B"}'),
        [(6, '""', 'card "a": "front" is empty')],
    ),
    Case(
        "back of spaces",
        deck('{"id": "a", "type": "basic", "front": "F", "back": "   "}'),
        [(6, '"   "', 'card "a": "back" is empty')],
    ),
    Case(
        "deck id with spaces",
        deck(GOOD).replace('"id": "d"', '"id": "My Deck"'),
        [(3, '"My Deck"', 'deck: "id" must be lowercase letters, digits and dashes')],
    ),
    Case(
        "card id in capitals",
        deck('{"id": "Heart", "type": "basic", "front": "F", "back": "B"}'),
        [(6, '"Heart"', 'card "Heart": "id" must be lowercase letters, digits and dashes')],
    ),
    Case(
        "card id ending in a newline",
        deck('{"id": "a\\n", "type": "basic", "front": "F", "back": "B"}'),
        [(6, '"a\\n"', 'card "a\\n": "id" must be lowercase letters')],
    ),
    Case(
        "no such date",
        deck(GOOD).replace('"title": "T",', '"title": "T",\n  "review_by": "2027-02-30",'),
        [(5, '"2027-02-30"', 'deck: "review_by" must be a date like 2027-09-01')],
    ),
    Case(
        "format 2",
        deck(GOOD).replace('"format": 1', '"format": 2'),
        [(2, "2", 'deck: "format" must be 1, not 2')],
    ),
    Case(
        "format as text",
        deck(GOOD).replace('"format": 1', '"format": "1"'),
        [(2, '"1"', 'deck: "format" must be 1, not "1"')],
    ),
    Case(
        "unknown card type",
        deck('{"id": "a", "type": "mcq", "question": "Q?"}'),
        [(6, '"mcq"', 'card "a": unknown card type "mcq": use basic, cloze, choice or rank')],
    ),
    Case(
        "card without a type",
        deck('{"id": "a", "front": "F", "back": "B"}'),
        [(6, "{", 'card "a": missing "type"')],
    ),
    Case(
        "card without an id",
        deck(GOOD, '{"type": "basic", "front": "F", "back": "B"}'),
        [(7, "{", 'card #2: missing "id"')],
    ),
    Case(
        "reverse as text",
        deck('{"id": "a", "type": "basic", "front": "F", "back": "B", "reverse": "yes"}'),
        [(6, '"yes"', 'card "a": "reverse" must be true or false, not text')],
    ),
    Case(
        "tags as text",
        deck('{"id": "a", "type": "basic", "front": "F", "back": "B", "tags": "cardio"}'),
        [(6, '"cardio"', 'card "a": "tags" must be a list [...], not text')],
    ),
    Case(
        "tag with a space",
        deck(
            '{"id": "a", "type": "basic", "front": "F", "back": "B", '
            '"tags": ["x", "heart failure"]}'
        ),
        [(6, '"heart failure"', 'card "a": tag 2 "heart failure" must be one word')],
    ),
    Case(
        "no cards",
        HEAD + "  ]\n}\n",
        [(5, "[", 'the deck has no cards: add at least one to "cards"')],
    ),
    Case(
        "cards as an object",
        HEAD.replace("[\n", "{}\n") + "}\n",
        [(5, "{}", 'deck: "cards" must be a list [...], not an object')],
    ),
    Case(
        "card as text",
        deck(GOOD, '"What is the heart?"'),
        [(7, '"What', "card #2 must be an object {...}, not text")],
    ),
    Case(
        "deck without a title",
        deck(GOOD).replace('  "title": "T",\n', ""),
        [(1, "{", 'deck: missing "title"')],
    ),
    Case(
        "unknown deck field",
        deck(GOOD).replace('"title": "T"', '"titel": "T"'),
        [
            (1, "{", 'deck: missing "title"'),
            (4, '"titel"', 'deck: unknown field "titel" (did you mean "title"?)'),
        ],
    ),
    Case(
        "option without text",
        deck(
            '{"id": "a", "type": "choice", "question": "Q?", '
            '"options": [{"text": "x", "correct": true}, {"correct": false}]}'
        ),
        [(6, '{"correct": false}', 'card "a": option 2: missing "text"')],
    ),
    Case(
        "correct on a rank option",
        deck(
            '{"id": "a", "type": "rank", "question": "Q?", '
            '"options": [{"text": "x", "correct": true}, {"text": "y"}, {"text": "z"}]}'
        ),
        [
            (
                6,
                '"correct"',
                'card "a": option 1: unknown field "correct": a rank card has no correct',
            )
        ],
    ),
    Case(
        "correct as text",
        deck(
            '{"id": "a", "type": "choice", "question": "Q?", '
            '"options": [{"text": "x", "correct": "true"}, {"text": "y", "correct": true}]}'
        ),
        [(6, '"true"', 'card "a": option 1: "correct" must be true or false, not text')],
    ),
    Case(
        "options on a basic card",
        deck('{"id": "a", "type": "basic", "front": "F", "back": "B", "options": []}'),
        [(6, '"options"', 'card "a": unknown field "options": a basic card has no "options"')],
    ),
    Case(
        "options not a list",
        deck('{"id": "a", "type": "choice", "question": "Q?", "options": "x, y"}'),
        [(6, '"x, y"', 'card "a": "options" must be a list [...], not text')],
    ),
    Case(
        "option id not a slug",
        deck(
            '{"id": "a", "type": "choice", "question": "Q?", '
            '"options": [{"id": "Call", "text": "x", "correct": true}, {"id": "", "text": "y"}]}'
        ),
        [
            (6, '"Call"', 'card "a": option 1: "id" must be lowercase letters, digits and dashes'),
            (6, '""', 'card "a": option 2: "id" must be lowercase letters, digits and dashes'),
        ],
    ),
    Case(
        "option id as a number",
        deck(
            '{"id": "a", "type": "rank", "question": "Q?", '
            '"options": [{"id": 1, "text": "x"}, {"text": "y"}, {"text": "z"}]}'
        ),
        [(6, "1, ", 'card "a": option 1: "id" must be text, not a number')],
    ),
    # --- semantic ---
    Case(
        "repeated option id",
        deck(
            GOOD,
            '{"id": "a", "type": "rank", "question": "Q?", "options": [{"id": "x", "text": "x"}, '
            '{"id": "y", "text": "y"}, {"id": "x", "text": "z"}]}',
        ),
        [(7, '"x", "text": "z"', 'card "a": option 3: duplicate id "x": option 1 (line 7) has it')],
    ),
    Case(
        "repeated option id, options on lines of their own",
        HEAD
        + '    {"id": "a", "type": "choice", "question": "Q?", "options": [\n'
        + '      {"id": "call", "text": "Call for help.", "correct": true},\n'
        + '      {"id": "wait", "text": "Wait."},\n'
        + '      {"text": "Phone the registrar.", "id": "call"}\n'
        + "    ]}\n  ]\n}\n",
        [(9, '"call"}', 'card "a": option 3: duplicate id "call": option 1 (line 7) has it')],
    ),
    Case(
        "duplicate card ids",
        deck(GOOD, GOOD.replace('"F"', '"G"')),
        [(7, '"ok"', 'card "ok": duplicate id: the card on line 6 has it already')],
    ),
    Case(
        "repeated field",
        deck('{"id": "a", "type": "basic", "front": "F", "back": "B", "front": "G"}'),
        [(6, '"front": "G"', 'card "a": field "front" appears twice')],
    ),
    Case(
        "cloze without a deletion",
        deck('{"id": "a", "type": "cloze", "text": "The heart has four chambers."}'),
        [(6, '"The', 'card "a": no cloze deletion: mark each answer like {{c1::answer}}')],
    ),
    Case(
        "empty cloze",
        deck('{"id": "a", "type": "cloze", "text": "The heart has {{c1::}} chambers."}'),
        [(6, "{{c1::}}", 'card "a": empty cloze "{{c1::}}"')],
    ),
    Case(
        "unclosed cloze",
        deck('{"id": "a", "type": "cloze", "text": "{{c1::four}} and {{c2::two"}'),
        [(6, "{{c2::two", 'card "a": cloze {{c2:: is not closed: end it with }}')],
    ),
    Case(
        "cloze c0",
        deck('{"id": "a", "type": "cloze", "text": "The heart has {{c0::four}} chambers."}'),
        [(6, "{{c0", 'card "a": cloze numbers start at 1')],
    ),
    Case(
        "cloze with one colon",
        deck('{"id": "a", "type": "cloze", "text": "The heart has {{c1:four}} chambers."}'),
        [(6, "{{c1:four", 'card "a": "{{c1:four}}" is not a cloze deletion: write {{c1::answer}}')],
    ),
    Case(
        "cloze position after escapes",
        deck('{"id": "a", "type": "cloze", "text": "\\"Quote\\" \\u00e9 {{c1::}}"}'),
        [(6, "{{c1::}}", 'card "a": empty cloze')],
    ),
    Case(
        "choice with one option",
        deck(
            '{"id": "a", "type": "choice", "question": "Q?", '
            '"options": [{"text": "x", "correct": true}]}'
        ),
        [(6, "[{", 'card "a": a choice card needs at least 2 options, not 1')],
    ),
    Case(
        "choice without a correct option",
        deck(
            '{"id": "a", "type": "choice", "question": "Q?", '
            '"options": [{"text": "x"}, {"text": "y"}]}'
        ),
        [(6, "[{", 'card "a": no option is marked "correct": true')],
    ),
    Case(
        "rank with two options",
        deck(
            '{"id": "a", "type": "rank", "question": "Q?", '
            '"options": [{"text": "x"}, {"text": "y"}]}'
        ),
        [(6, "[{", 'card "a": a rank card needs at least 3 options, not 2')],
    ),
    Case(
        "rank with a repeated option",
        deck(
            '{"id": "a", "type": "rank", "question": "Q?", '
            '"options": [{"text": "Call"}, {"text": "Wait"}, {"text": "call "}]}'
        ),
        [(6, '"call "', 'card "a": option 3 repeats option 1 ("call ")')],
    ),
    Case(
        "half a surrogate pair",
        deck('{"id": "a", "type": "basic", "front": "\\ud83d", "back": "B"}'),
        [(6, '"\\ud83d"', 'card "a": "front" holds a broken \\u escape')],
    ),
]
"""Every malformed deck; each must fail with exactly the errors listed."""
