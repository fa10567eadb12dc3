#!/usr/bin/env bash
# Build the wheel from this checkout, install it (not editable) into a fresh venv, and use it
# from a folder outside the checkout: the installed decks validate (their pictures with them),
# `quiz stats --json` lists every one of them, and one answer recorded through the installed
# package reads back.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$repo/.venv/bin/python" -m pip wheel --quiet --no-deps -w "$work/dist" "$repo"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$work"/dist/quiz-*.whl
cd "$work"  # nothing of the checkout is importable from here

py="$work/venv/bin/python"
quiz="$work/venv/bin/quiz"
decks="$("$py" -c 'from quiz.storage.paths import bundled_decks_dir; print(bundled_decks_dir())')"
case "$decks" in
  "$work/venv/"*) ;;
  *) echo "installed quiz finds its decks at $decks, not inside the package" >&2; exit 1 ;;
esac
"$quiz" validate --strict "$decks"
# validate checked every picture the decks name; say so, and that the wheel holds them all
"$py" - "$decks" <<'PY'
import sys
from pathlib import Path
from quiz.core.images import card_images
from quiz.deckfile.deck import load_decks
decks, skipped = load_decks([sys.argv[1]])
named = {(d.path.parent / ref.path) for d in decks for c in d.cards for ref in card_images(c)}
assert named and not skipped, (named, skipped)
assert all(p.is_file() for p in named), sorted(p for p in named if not p.is_file())
print(f"installed quiz carries the {len(named)} pictures its decks show")
PY

export QUIZ_TODAY=2026-11-29 QUIZ_CACHE="$work/cache"
"$quiz" --data "$work/data" stats --json > stats.json
"$py" - "$decks" <<'PY'
import json, sys
from pathlib import Path
stats = json.load(open("stats.json"))
files = sorted(Path(sys.argv[1]).glob("*.json"))
ids = sorted(json.loads(f.read_text(encoding="utf-8"))["id"] for f in files)
assert sorted(stats["decks"]) == ids, (sorted(stats["decks"]), ids)
assert all(d["total"] > 0 for d in stats["decks"].values())
print(f"installed quiz lists {len(ids)} bundled decks:",
      ", ".join(f"{k} {v['total']}" for k, v in sorted(stats["decks"].items())))
PY

"$py" "$repo/.ci/installed_answer.py" "$work/data"
"$quiz" --data "$work/data" stats --json > after.json
"$py" - <<'PY'
import json
after = json.load(open("after.json"))
answered = after["history"].get(after["today"], 0)
assert answered == 1, after["history"]
print("the answer given through the installed quiz reads back: 1 answer today")
PY
