"""Span edits on the original text, applied from the end (pyupgrade's model).

Nothing is re-printed: every byte outside an edit's span is kept as it was, so formatting,
comments, quotes and semicolons the rules do not touch survive exactly. Two edits whose
spans overlap mean two rules claimed the same code, which is a bug: it raises instead of
guessing which one wins.
"""

from __future__ import annotations

from dataclasses import dataclass


class OverlappingEdits(Exception):
    """Two planned edits touch the same characters."""


@dataclass(frozen=True)
class Edit:
    """Replace `text[start:end]` (str indices) with `replacement`; `start == end` inserts."""

    start: int
    end: int
    replacement: str


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Splice `edits` into `text`. Insertions at one point keep the order they were planned in."""
    ordered = sorted(enumerate(edits), key=lambda pair: (pair[1].start, pair[1].end, pair[0]))
    previous: Edit | None = None
    for _, edit in ordered:
        if edit.start > edit.end or edit.start < 0 or edit.end > len(text):
            raise OverlappingEdits(f"edit out of range: {edit}")
        if previous is not None and edit.start < previous.end:
            raise OverlappingEdits(f"overlapping edits: {previous} and {edit}")
        previous = edit
    out = text
    for _, edit in reversed(ordered):
        out = out[: edit.start] + edit.replacement + out[edit.end :]
    return out
