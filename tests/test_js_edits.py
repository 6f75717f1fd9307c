"""Span edits: applied from the end, overlapping edits rejected, untouched bytes kept."""

from __future__ import annotations

import pytest

from codemod.js.edits import Edit, OverlappingEdits, apply_edits


def test_edits_apply_from_the_end_and_keep_everything_else() -> None:
    text = "a(1); // keep\r\nb(2);\r\n"
    out = apply_edits(text, [Edit(0, 4, "x(1)"), Edit(15, 19, "y(2)")])
    assert out == "x(1); // keep\r\ny(2);\r\n"


def test_insertions_at_one_point_keep_their_order() -> None:
    assert apply_edits("b", [Edit(0, 0, "1"), Edit(0, 0, "2"), Edit(0, 1, "B")]) == "12B"


@pytest.mark.parametrize("second", [Edit(2, 6, "x"), Edit(0, 4, "y"), Edit(3, 3, "z")])
def test_overlapping_edits_are_rejected(second: Edit) -> None:
    with pytest.raises(OverlappingEdits):
        apply_edits("0123456789", [Edit(1, 5, "a"), second])


def test_out_of_range_edit_is_rejected() -> None:
    with pytest.raises(OverlappingEdits):
        apply_edits("abc", [Edit(2, 9, "x")])
