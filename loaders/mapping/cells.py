"""Helpers shared by the three tables' mappers: fitting a row's cells to the form's columns,
a value with its raw text and position, a row or cell that could not be read, and the issues of a
placement (every value keeps its raw text and position; everything unexpected becomes an
``Issue``)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..form import template as T
from ..model import Cell, CellValue, Issue, Row
from .align import Placement
from .numbers import NumberReading, clean_text


def blank(cell: Cell | None) -> bool:
    return cell is None or not clean_text(cell.text)


# What may stand at a row's edges beside the form's cells without being one of them, the
# emptiest first: a position covered by a merged cell, then a cell with no text at all (the
# padding of a ragged table, a PDF's column layout), last a cell that holds only spaces (a blank
# cell as Word writes it, NBSP). Each kind includes the ones before it.
_PADDING = ((lambda c: c.span), (lambda c: c.span or c.text == ""), (lambda c: blank(c)))


def fits(cells: list[Cell], n: int) -> list[list[Cell]]:
    """Every way to read ``n`` neighbouring cells of the row as the form's, dropping only
    padding at its edges, with the emptiest kind of padding that allows one.

    One way: the row is read by count. Several (blank cells at both ends of a row wider than
    the form: ``| | 5 | 0 | 0 | 0 | 0 | 0 | | |``): the text alone does not say which blank is a
    cell of the row and which is padding, so a number could stand in either of two columns;
    the caller decides by where the cells stand, or not at all. A row with ``n`` cells or fewer,
    or that no way fits, is returned as the one way, as it is (a count the caller reports)."""
    cells = list(cells)
    if len(cells) > n:
        extra = len(cells) - n
        for droppable in _PADDING:
            # The cells before a start s are all padding while s is at most the padding cells
            # the row starts with, and those after it while s is at least ``extra`` less the
            # padding cells it ends with: the starts between (issue 17; every start was tried)
            first = 0
            while first < extra and droppable(cells[first]):
                first += 1
            last = 0
            while last < extra and droppable(cells[-1 - last]):
                last += 1
            found = [cells[s:s + n] for s in range(extra - last, first + 1)]
            if found:
                return found
    return [cells]


def fit_cells(cells: list[Cell], n: int) -> list[Cell]:
    """The row's ``n`` cells when only one way reads them (``fits``); otherwise the row as it
    is, whose count the caller reports: several ways are never chosen between by guess."""
    found = fits(cells, n)
    return found[0] if len(found) == 1 else list(cells)


def cell_positions(row: Row) -> dict[int, int]:
    """``id(cell)`` -> the cell's index in the row (its first, should one cell stand twice): for
    ``value_at``, worked out once per row rather than searched once per value (issue 17)."""
    cells = row.cells
    # From the last cell to the first, so that a cell standing twice keeps its first index; in
    # C (map, zip, dict) rather than a comprehension
    return dict(zip(map(id, reversed(cells)), range(len(cells) - 1, -1, -1)))


def value_at(table: str, row_key: str, column_key: str, cell: Cell | None, parsed: NumberReading,
             row: Row, positions: dict[int, int]) -> CellValue:
    """The value of a cell of ``row`` (None: a column no cell stands in), with its raw text and
    position; ``positions`` is the row's ``cell_positions``."""
    if cell is None:
        line = row.line
        return CellValue(table, row_key, column_key, parsed.value, None, line, line, row.grid,
                         row.index, None)
    # A cut piece of a joined run is not itself in the row: it stands where its run stands.
    return CellValue(table, row_key, column_key, parsed.value, cell.text, cell.line,
                     cell.line_end, row.grid, row.index, positions.get(id(cell)))


def unread_row(table: str, row_key: str, columns: tuple[str, ...], cells: list[Cell],
                row: Row) -> list[CellValue]:
    """A row whose cells could not be fitted to the form's columns: every value NULL, and the
    text the reader saw kept as each cell's raw text, so that the report page shows the row as
    unreadable (with its text), not as blank (SPEC, *Never blank without a trace*)."""
    raw = " | ".join(c.text for c in cells if c is not None) or None
    lines = [c.line for c in cells if c is not None] or [row.line]
    ends = [c.line_end for c in cells if c is not None] or [row.line]
    return [CellValue(table=table, row_key=row_key, column_key=column, value=None, raw=raw,
                      line=min(lines), line_end=max(ends), grid=row.grid, grid_row=row.index)
            for column in columns]


# A cell the reader saw and the mapper could not attribute to one column: no value, no parse
# issue of its own (the placement's issue says why).
UNREAD = NumberReading(None)


def unread_columns(placement: Placement | None) -> dict[str, Cell]:
    """Columns that cells stand in without being their value, with one cell holding their
    text (a merged cell's, or the crowded cells' joined), for provenance."""
    if placement is None or not (placement.merged or placement.crowded):
        return {}  # (most placements: ``unread`` would be empty)
    out = {}
    for column, cells in placement.unread.items():
        first = cells[0]
        out[column] = Cell(" | ".join(c.text for c in cells), first.line,
                           max(c.line_end for c in cells), x0=first.x0, x1=cells[-1].x1)
    return out


def placement_issues(placement: Placement, table: str, key: T.Key, row: Row,
                      row_key: str | None = None) -> list[Issue]:
    """What position could not settle: a cell under no column, a cell over two columns."""
    issues = []
    for cell in placement.unplaced:
        issues.append(Issue(
            "cell_unplaced", f"{key.label_zh}: the cell {clean_text(cell.text)!r} stands under "
            "none of the form's columns (or where another cell stands): not stored",
            table, row_key or key.key, raw=cell.text, line=cell.line))
    for column, cells in placement.crowded:
        texts = ", ".join(repr(clean_text(c.text)) for c in cells)
        issues.append(Issue(
            "cell_unplaced", f"{key.label_zh}: the cells {texts} stand in the one column "
            f"{column}: none of them is stored", table, row_key or key.key, column,
            raw=" | ".join(c.text for c in cells), line=cells[0].line))
    # A merged cell is an issue about every column it covers (one per column, each naming them
    # all): each of those columns is NULL because of it, and a check or a reader of one column
    # (a blank cell, or an unreadable one?) finds the issue under that column's key.
    for cell, columns in placement.merged:
        if not clean_text(cell.text):
            code, message = "blank_cells_merged", (
                f"{key.label_zh}: one blank cell covers the columns {', '.join(columns)}: they "
                "are blank")
        else:
            code, message = "cells_merged", (
                f"{key.label_zh}: the cell {clean_text(cell.text)!r} covers the columns "
                f"{', '.join(columns)}: its number belongs to none of them alone; they are left "
                "blank")
        issues.extend(Issue(code, message, table, row_key or key.key, column, raw=cell.text,
                            line=cell.line) for column in columns)
    return issues


def value_issue(value: CellValue, parsed: NumberReading) -> Issue | None:
    if parsed.issue is None:
        return None
    return Issue(parsed.issue, f"{parsed.detail}: {clean_text(value.raw)!r}", value.table,
                 value.row_key, value.column_key, value.raw, value.line)


_NUMBERISH = re.compile(r"[+\-]?[\d.,]+(万元|元|万|件|条|个|项)?")


@lru_cache(maxsize=16384)  # a row's labels and numbers repeat in every report (issue 17)
def numberish(norm: str) -> bool:
    return bool(norm) and _NUMBERISH.fullmatch(norm) is not None
