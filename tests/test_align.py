"""Placing cells under the form's columns by position (loaders/mapping/align.py)."""

from __future__ import annotations

from loaders.mapping.align import Column, columns_from_full_rows, place
from loaders.model import Cell


def cell(text, x0, x1):
    return Cell(text, 1, x0=x0, x1=x1)


HEADER = [Column("prior_year_count", 1, 2), Column("change", 2, 4), Column("decisions", 4, 5)]


def test_cells_in_their_columns():
    p = place([cell("5", 1, 2), cell("3", 2, 4), cell("12", 4, 5)], HEADER)
    assert {k: c.text for k, c in p.cells.items()} == {
        "prior_year_count": "5", "change": "3", "decisions": "12"}
    assert not (p.unplaced or p.merged or p.crowded)


def test_header_span_offset_is_resolved_by_the_other_cells():
    """Header 本年增/减 spans grid columns 2-3; the data row's first value spans 1-2: the value
    touches two columns, but the second is claimed by the cell that stands only there."""
    p = place([cell("5", 1, 3), cell("3", 3, 4), cell("12", 4, 5)], HEADER)
    assert {k: c.text for k, c in p.cells.items()} == {
        "prior_year_count": "5", "change": "3", "decisions": "12"}


def test_a_value_over_two_free_columns_belongs_to_neither():
    columns = [Column("a", 0, 1), Column("b", 1, 2), Column("c", 2, 3)]
    p = place([cell("7", 0, 2), cell("1", 2, 3)], columns)
    assert p.cells["a"] is None and p.cells["b"] is None and p.cells["c"].text == "1"
    assert [(c.text, keys) for c, keys in p.merged] == [("7", ["a", "b"])]
    assert set(p.unread) == {"a", "b"}


def test_a_blank_merged_cell_is_only_blank():
    columns = [Column("a", 0, 1), Column("b", 1, 2)]
    p = place([cell("", 0, 2)], columns)
    assert p.cells == {"a": None, "b": None} and [k for _, k in p.merged] == [["a", "b"]]


def test_two_numbers_in_one_column_are_not_read():
    columns = [Column("a", 0, 2), Column("b", 2, 3)]
    p = place([cell("4", 0, 1), cell("9", 1, 2), cell("1", 2, 3)], columns)
    assert p.cells["a"] is None and [c.text for c in p.crowded[0][1]] == ["4", "9"]
    assert p.cells["b"].text == "1"


def test_a_blank_beside_a_number_is_padding():
    columns = [Column("a", 0, 2)]
    p = place([cell("4", 0, 1), cell("", 1, 2)], columns)
    assert p.cells["a"].text == "4" and not p.crowded


def test_a_cell_under_no_column_is_unplaced():
    columns = [Column("a", 0, 1), Column("b", 2, 3)]
    p = place([cell("4", 0, 1), cell("8", 1, 2), cell("2", 2, 3)], columns)
    assert [c.text for c in p.unplaced] == ["8"]
    assert p.cells["a"].text == "4" and p.cells["b"].text == "2"


def test_columns_from_rows_that_fill_every_column_and_a_short_row():
    """Layout text: numbers a character or two apart from row to row; the row with a blank
    cell has its numbers placed where they stand, the blank where nothing stands."""
    keys = ("a", "b", "c")
    full = [[cell("3001", 32, 36), cell("53", 44, 46), cell("3119", 80, 84)],
            [cell("34", 33, 35), cell("0", 44, 45), cell("34", 81, 83)]]
    columns = columns_from_full_rows(full, keys)
    assert [c.key for c in columns] == list(keys)
    short = [cell("12", 32, 34), cell("12", 81, 83)]
    p = place(short, columns)
    assert p.cells["a"].text == "12" and p.cells["b"] is None and p.cells["c"].text == "12"


def test_rows_that_disagree_give_no_columns():
    keys = ("a", "b")
    rows = [[cell("1", 0, 10), cell("2", 5, 15)]]
    assert columns_from_full_rows(rows, keys) is None
    assert columns_from_full_rows([[cell("1", 0, 1)]], keys) is None
