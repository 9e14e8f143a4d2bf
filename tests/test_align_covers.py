"""``place`` decides which columns a cell covers with ``_covers``'s arithmetic written inline
(issue 17: it was the mapper's hottest loop). This checks the two agree on every extent, odd ones
included: a cell or column of zero or negative width, integer grid columns beside PDF points."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.mapping.align import Column, _covers, place
from loaders.model import Cell

_EDGE = st.one_of(st.integers(-5, 40), st.floats(-5, 40, allow_nan=False, width=32))


@settings(max_examples=2000, deadline=None)
@given(_EDGE, _EDGE, _EDGE, _EDGE)
def test_place_covers_as_covers_does(x0, x1, c0, c1):
    cell = Cell("7", 1, x0=x0, x1=x1)
    column = Column("k", c0, c1)
    placement = place([cell], [column])
    assert (placement.cells["k"] is cell) == _covers(cell, column)
    assert (placement.unplaced == [cell]) == (not _covers(cell, column))


def test_a_backwards_cell_covers_as_before():
    # A cell whose edges are swapped has a negative width: ``max(0, overlap) >= half`` holds for
    # any overlap then, and the inlined test must say so too.
    cell = Cell("7", 1, x0=10, x1=4)
    assert _covers(cell, Column("k", 20, 30))
    assert place([cell], [Column("k", 20, 30)]).cells["k"] is cell
