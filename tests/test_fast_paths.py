"""The shortcuts the speed work (issue 17) took in the mapper, each against its definition: a
shortcut that drifted from it would change what a report is read as, without a golden file to
notice where no sample has the case."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings, strategies as st

from loaders.form import headings
from loaders.form.keys import nfkc, normalize_label
from loaders.mapping.align import Column, place
from loaders.model import Cell

# Characters NFKC changes or combines: half-width katakana and its voiced mark, a combining
# acute, a Kangxi radical, full-width digits and brackets, U+3000, a compatibility ideograph,
# letters beyond the BMP; and ones it leaves.
_TRICKY = "ﾞｶﾟ\u0301e⼀１２（）\u3000\uf900𝐀𝟘一二申请人a b\n，。"


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(_TRICKY), min_size=60, max_size=200))
def test_nfkc_is_unicodes_nfkc(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def _match_heading_by_definition(text: str):
    norm = normalize_label(text)
    if not norm or len(norm) > headings.MAX_HEADING_CHARS:
        return None
    return next((section for section, pattern in headings._HEADING_RES if pattern.match(norm)),
                None)


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("三、政府信息公开申请情况⼀ \u3000\n（）"), min_size=100,
               max_size=200))
def test_a_long_line_is_a_heading_only_as_its_definition_says(text):
    # match_heading skips a line whose opening holds more ideographs than a heading may: NFKC
    # only adds ideographs (⼀ -> 一), so such a line is never short enough after normalizing.
    headings.match_heading.cache_clear() if hasattr(headings.match_heading, "cache_clear") \
        else None
    assert headings.match_heading(text) == _match_heading_by_definition(text)


_COLUMNS = [Column("a", 0.0, 10.0), Column("b", 10.0, 20.0), Column("c", 20.0, 30.0)]
_EDGES = st.sampled_from([0.0, 2.0, 5.0, 8.0, 10.0, 12.0, 15.0, 20.0, 25.0, 30.0])


@st.composite
def _rows(draw):
    """Rows of a table: a few layouts (cell extents), each row one of them with its own texts,
    so that rows share a shape or differ from it only by which cells are blank."""
    layouts = []
    for _ in range(draw(st.integers(1, 3))):
        layouts.append([tuple(sorted((draw(_EDGES), draw(_EDGES))))
                        for _ in range(draw(st.integers(0, 4)))])
    return [[Cell(draw(st.sampled_from(["", " ", "1", "23"])), 1, x0=x0, x1=x1)
             for x0, x1 in draw(st.sampled_from(layouts))]
            for _ in range(draw(st.integers(1, 8)))]


def _as_seen(placement):
    """A placement by the cells' identities (which cell, not an equal one)."""
    return ({k: id(c) if c is not None else None for k, c in placement.cells.items()},
            sorted(id(c) for c in placement.unplaced),
            {k: sorted(id(c) for c in cells) for k, cells in placement.unread.items()})


@settings(max_examples=300)
@given(_rows())
def test_a_row_placed_from_the_memo_is_placed_as_without_it(rows):
    memo: dict = {}
    for cells in rows:
        assert _as_seen(place(cells, _COLUMNS, memo)) == _as_seen(place(cells, _COLUMNS))


def test_a_row_holding_one_cell_twice_is_not_placed_from_another_rows_shape():
    memo: dict = {}
    place([Cell("1", 1, x0=0.0, x1=10.0), Cell("2", 1, x0=0.0, x1=10.0)], _COLUMNS, memo)
    twice = Cell("3", 1, x0=0.0, x1=10.0)
    assert _as_seen(place([twice, twice], _COLUMNS, memo)) == \
        _as_seen(place([twice, twice], _COLUMNS))


def test_both_search_indexes_keep_their_larger_flush_size(seeds_db):
    for table in ("sections_fts", "reports_fts"):
        assert seeds_db.execute(f"SELECT v FROM {table}_config WHERE k = 'hashsize'"
                                ).fetchone() == (16777216,), table
