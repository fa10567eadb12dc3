"""Whether a checkpoint can be trusted: what the store checks of progress.json against the log
when it opens, where that is cheap to see.

The checkpoint notes the last entry id it covers and the place in the log after that entry
(segment and byte offset). The log is the record of truth, so a checkpoint is refused when it
cannot be right: more card states than log entries, a place the log does not have, a place
that is not the end of the entry it claims, or lines after it that do not start from its
states (`runs_on`, checked by the replay). The store then rebuilds it from the whole log
(quiz.storage.store). Comparing every state with the whole log is `quiz repair --check`'s.

The other way round, a checkpoint that covers more entries than the log holds (the log was
deleted, emptied or cut short) is never rebuilt from the shorter log: it is the only record of
the answers the log lost (`shortfall`). The store keeps its states and says what is missing
until `quiz repair` has mended the log from the copies on the disk and named, in a quarantine
file, what no copy holds (`quarantined_ids`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from quiz.core.progress import CardState, state_from_dict
from quiz.storage.folder import REPLACED_DIR
from quiz.storage.segments import Segment

QUARANTINE_GLOB = "*/quarantine-*.jsonl"


class Unusable(Exception):
    """The checkpoint cannot be trusted; `what` says why, in a few words."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def check_place(
    parts: Sequence[Segment], states: int, last_id: int, segment: int, log_size: int
) -> bool:
    """Check what a checkpoint covers against the log's segments `parts` (in order, not empty).

    Args:
        states: how many card states it holds.
        last_id, segment, log_size: the last entry it covers and the place after it.

    Returns:
        True if the lines after that place can be checked as they are replayed (`runs_on`);
        False for an older checkpoint that did not note the place.

    Raises:
        Unusable: the log contradicts it.
        OSError: a segment cannot be read.
    """
    if states > last_id:
        raise Unusable(f"it holds the states of {states} cards but covers only {last_id} answers")
    last = parts[-1].number
    if not 1 <= segment <= last:
        raise Unusable(f"it covers log segment {segment}, but the log has {last}")
    part = parts[segment - 1]
    size = part.path.stat().st_size
    if log_size > size:
        raise Unusable(f"it covers {log_size} bytes of {part.path.name}, which holds {size}")
    if log_size == 0:
        return False  # replay skips the entries it covers by their ids
    before = last_id_before(parts[:segment], log_size)
    if before is None:
        raise Unusable(f"byte {log_size} of {part.path.name}, where it ends, is not a line's end")
    if before >= 0 and before != last_id:
        raise Unusable(f"it ends at entry #{last_id}, but the log has entry #{before} there")
    return True


def last_id_before(parts: Sequence[Segment], end: int) -> int | None:
    """The id of the last log entry before byte `end` of the last of `parts`, looking back
    through the earlier ones if it has none.

    Returns:
        0 if the log has none; -1 if that line does not parse (damage in the log, which is
        `quiz repair`'s, not the checkpoint's); None if `end` is not at the end of a line.

    Raises:
        OSError: a segment cannot be read.
    """
    for number, part in enumerate(reversed(parts)):
        line = last_line(part.path, end if number == 0 else None)
        if line is None:
            return None
        try:
            doc = orjson.loads(line) if line else {}
        except orjson.JSONDecodeError:
            return -1
        if not isinstance(doc, dict):
            return -1
        if "quiz_log" in doc or not line:
            continue  # the header, or nothing: the entry is in an earlier segment
        entry_id = doc.get("id")
        return entry_id if type(entry_id) is int else -1
    return 0


def last_line(path: Path, end: int | None) -> bytes | None:
    """The last line with text of the file at `path` before byte `end` (its end if None),
    without its newline: b"" if there is none, None if `end` is not at the end of a line.

    Raises:
        OSError: it cannot be read.
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        end = size if end is None else min(end, size)
        if end == 0:
            return b""
        window = 4096
        while True:
            start = max(0, end - window)
            handle.seek(start)
            data = handle.read(end - start)
            if not data.endswith(b"\n"):
                return None
            body = data.rstrip()  # blank lines are skipped, as replay skips them
            cut = body.rfind(b"\n")
            if cut >= 0 or start == 0:
                return body[cut + 1 :]
            window *= 4


def runs_on(doc: Mapping[str, Any], state_of: Callable[[str], CardState]) -> bool:
    """Whether a log entry replayed after the checkpoint starts from the state the checkpoint
    (and the entries replayed before it) hold for its card. Undo records carry no state
    before, and an entry whose state before is unreadable is not held against the checkpoint.
    """
    before = doc.get("b")
    if doc.get("kind") == "undo" or not isinstance(before, dict):
        return True
    try:
        expected = state_from_dict(before)
    except (ValueError, TypeError, KeyError):
        return True
    return expected == state_of(str(doc["k"]))


def log_end(parts: Sequence[Segment]) -> int | None:
    """The id of the last entry the log holds (0: none), None if its last line is damaged or
    torn (the replay and `quiz repair` deal with that).

    Raises:
        OSError: a segment cannot be read.
    """
    if not parts:
        return 0
    found = last_id_before(parts, parts[-1].path.stat().st_size)
    return None if found is None or found < 0 else found


def shortfall(
    folder: Path, parts: Sequence[Segment], last_id: int, segment: int, log_size: int
) -> tuple[int, int] | None:
    """Whether the log holds fewer entries than a checkpoint covering up to `last_id`, and
    nothing after the place (`segment`, `log_size`) the checkpoint notes: the log lost what
    the checkpoint covers. (A log that runs on after that place is not short: the checkpoint's
    meta is what is wrong, and the store rebuilds it.)

    Returns:
        (the log's last id, how many of the ids after it up to `last_id` no repair has named
        lost), or None if the log reaches `last_id` (or its end cannot be read here).

    Raises:
        OSError: a segment cannot be read.
    """
    if parts and (parts[-1].number, parts[-1].path.stat().st_size) > (segment, log_size):
        return None
    end = log_end(parts)
    if end is None or end >= last_id:
        return None
    named = sum(1 for i in quarantined_ids(folder) if end < i <= last_id)
    return end, last_id - end - named


def quarantined_ids(folder: Path) -> set[int]:
    """The entry ids that earlier repairs named lost (in replaced/*/quarantine-*.jsonl)."""
    lost: set[int] = set()
    replaced = folder / REPLACED_DIR
    if not replaced.is_dir() or replaced.is_symlink():
        return lost
    for path in replaced.glob(QUARANTINE_GLOB):
        try:
            for raw in path.read_bytes().splitlines():
                doc = orjson.loads(raw)
                if isinstance(doc, dict):
                    lost.update(int(i) for i in doc.get("lost", []))
        except (OSError, ValueError, TypeError, orjson.JSONDecodeError):
            continue
    return lost
