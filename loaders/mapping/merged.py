"""Numbers in a cell merged down over several rows (rowspan): one number printed for two rows or
more (``777`` beside 一、本年新收 and 二、上年结转), which belongs to none of them alone.

The readers give each position a merged cell covers as a span (``Cell.span``), with the
position's own extent (``x0``, ``x1``). A span that no cell of its own row covers is covered from
above: the merged cell is the nearest cell above it, in a row of the same grid, whose extent
holds the span's. Where that cell is a number the mappers stored (its own row's value), and a
row it covers is a row of the same table that has a value in its column too, the number is
taken back and every row it covers is reported (``cells_merged``, one issue per row
and column, with the cell's text), as a cell merged across columns is (``align``): a value is
never stored for one row of several that one cell covers, nor a blank left without a trace for
the others (SPEC, *No silent number*).
"""

from __future__ import annotations

from ..model import Block, Cell, CellValue, Grid, Issue
from .numbers import clean_text


def _solid(cells: list[Cell]) -> list[tuple[int, float, float]]:
    """(index, x0, x1) of the row's cells that are no span and have a place."""
    return [(k, c.x0, c.x1) for k, c in enumerate(cells)
            if not c.span and c.x0 is not None and c.x1 is not None]


def merged_down(blocks: list[Block]) -> dict[tuple[int, int, int], list[int]]:
    """(grid, row, index in the row) of each cell merged down over rows -> the rows below it
    that it covers, in order."""
    out: dict[tuple[int, int, int], list[int]] = {}
    for block in blocks:
        if not isinstance(block, Grid):
            continue
        rows = block.rows
        solid: dict[int, list[tuple[int, float, float]]] = {}  # a row's, worked out once
        for r, cells in enumerate(rows):
            if r == 0 or not any(c.span for c in cells):
                continue
            for cell in cells:
                if not cell.span or cell.x0 is None or cell.x1 is None:
                    continue
                x0, x1 = cell.x0, cell.x1
                if r not in solid:
                    solid[r] = _solid(cells)
                if any(a <= x0 and x1 <= b for _, a, b in solid[r]):
                    continue  # covered from its left, in its own row (colspan)
                for above in range(r - 1, -1, -1):
                    if above not in solid:
                        solid[above] = _solid(rows[above])
                    origin = next((k for k, a, b in solid[above] if a <= x0 and x1 <= b), None)
                    if origin is not None:
                        covered = out.setdefault((block.index, above, origin), [])
                        if r not in covered:
                            covered.append(r)
                        break
    return out


def take_back_merged_down(blocks: list[Block], values: list[CellValue],
                          issues: list[Issue]) -> None:
    """Blank the values of cells merged down over rows, with an issue for each row covered
    (the module's docstring)."""
    merged = merged_down(blocks)
    if not merged:
        return
    at = {(v.grid, v.grid_row): [] for v in values}
    for v in values:
        at[(v.grid, v.grid_row)].append(v)
    for (grid, row, index), below in merged.items():
        for origin in at.get((grid, row), ()):
            if origin.grid_col != index or origin.value is None:
                continue
            text = clean_text(origin.raw)
            others = [v for r in below for v in at.get((grid, r), ())
                      if v.table == origin.table and v.column_key == origin.column_key]
            if not others:
                continue  # what it covers is no row of the form (a heading row, a note under
                # the table, a page's foot that the PDF's rules close with it)
            covered = [origin] + others
            for v in covered:
                v.value = None
                v.raw = origin.raw
                issues.append(Issue(
                    "cells_merged", f"the cell {text!r} is merged over {len(below) + 1} rows of "
                    f"the column {origin.column_key}: its number belongs to none of them alone; "
                    "they are left blank", v.table, v.row_key, origin.column_key, raw=origin.raw,
                    line=origin.line))
