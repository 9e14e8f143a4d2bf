"""Place a row's value cells under the form's columns by where they stand, not by counting.

Readers that know geometry give each cell ``x0``/``x1`` (grid columns for HTML and Word, points
for PDF, character columns for layout text). The columns of a table come from:

1. its **header**: the cells that name a column of the form (自然人 … 总计, 本年制发件数, …), each
   with its own extent: ``Column(key, x0, x1)``;
2. failing that, the **rows that fill every column**: the k-th value cell of each such row marks
   where column k stands (layout text, whose header is broken over lines).

``place`` then puts each value cell of a row in the column it overlaps most. A cell that covers
two columns equally, or no column at all, is not placed: it becomes a ``cell_unplaced`` or
``cells_merged`` issue with its raw text, never a number in a column chosen by guess. A column
covered by no cell is blank; a column covered by a cell already placed elsewhere (a colspan over
two columns) is blank too, with the issue naming the merged cell.

Cells in, placement out (SPEC, *No silent number*: *Position before count*), with no state but
a bounded memo: a placement depends only on the row's *shape* (its cells' extents and which hold text) and the
columns, so it is remembered per set of columns across tables and reports (``shape_memo``), and
a caller weighing several sets of columns compares placements by index (``placed_shape``) before
it makes the one it keeps into cells (``of_shape``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import Cell


class Column(NamedTuple):
    """A column of the form where a table draws it. A named tuple rather than a frozen
    dataclass, with the same fields, and equal and hashed alike between columns: tables make
    tens of them a report and the memos of placements are keyed by them (``shape_memo``), and
    a tuple is made and hashed in C, a frozen dataclass in Python (issue 17). Unlike the
    dataclass, a column is also a tuple: equal to a plain tuple of the same three values,
    ordered, unpacked; nothing relies on that, and nothing should compare a column with
    another kind of tuple."""

    key: str
    x0: float
    x1: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Placement:
    """Where a row's value cells went: one cell (or None) per column, and what could not go.

    ``unread`` maps a column to the cells that stand there but cannot be its value: a merged
    cell over it and another column, or two different cells in it. The column stays NULL and
    keeps their text.
    """

    cells: dict[str, Cell | None]
    unplaced: list[Cell] = field(default_factory=list)  # cells under no column
    merged: list[tuple[Cell, list[str]]] = field(default_factory=list)  # a cell over columns
    crowded: list[tuple[str, list[Cell]]] = field(default_factory=list)  # cells in one column

    @property
    def unread(self) -> dict[str, list[Cell]]:
        out: dict[str, list[Cell]] = {}
        for cell, columns in self.merged:
            for column in columns:
                out.setdefault(column, []).append(cell)
        for column, cells in self.crowded:
            out.setdefault(column, []).extend(cells)
        return out


def has_geometry(cells: list[Cell]) -> bool:
    if not cells:
        return False
    for c in cells:  # a loop, not all() over a generator: asked for every row (issue 17)
        if c.x0 is None or c.x1 is None:
            return False
    return True


def _overlap(cell: Cell, column: Column) -> float:
    return max(0.0, min(cell.x1, column.x1) - max(cell.x0, column.x0))


def _covers(cell: Cell, column: Column) -> bool:
    """The cell covers most of the column (a merged cell over it), or the column most of the
    cell: a cell that only touches a column's edge (a number drawn a little wide) does not."""
    width = min(column.x1 - column.x0, cell.x1 - cell.x0) or 1.0
    return _overlap(cell, column) >= 0.5 * width


def stands_at(extents: list[tuple[float, float] | None], columns: list[Column]) -> bool:
    """Whether each extent stands in the column of the same rank (as ``_covers`` decides)."""
    return len(extents) == len(columns) and all(
        e is not None and _covers(Cell("", 0, x0=e[0], x1=e[1]), col)
        for e, col in zip(extents, columns))


def shape_of(cells: list[Cell]) -> tuple[tuple[float, float, bool], ...]:
    """What ``place`` reads of a row's cells: each one's extent and whether it holds text."""
    return tuple([(c.x0, c.x1, bool(c.text.strip())) for c in cells])


def place(cells: list[Cell], columns: list[Column], memo: dict | None = None) -> Placement:
    """Each value cell under the column it stands in.

    A cell is a candidate for every column it covers (``_covers``). Cells with one candidate are
    placed first; a cell covering several columns then takes the one no other cell claims. A
    cell covering two free columns (a colspan over two of the form's columns) is placed nowhere:
    its number belongs to neither alone. Two cells with text in one column: the one that
    overlaps it clearly more is its value; if neither does, the column is not read (a blank
    cell beside a number is only padding).

    Where a cell goes depends only on the cells' extents and on which of them hold text (the
    row's *shape*), and the rows of a table mostly share theirs: with ``memo`` (a dict the caller
    keeps for these ``columns``), a shape placed before is not worked out again (issue 17).
    """
    if len({id(c) for c in cells}) != len(cells):
        # A cell standing twice in the row: a placement by index would not say which copy is
        # which (checked before the memo, which may hold the shape from another row).
        return _place_cells(cells, columns)
    return of_shape(placed_shape(shape_of(cells), columns, memo), cells)


# ``place``'s memos, one per set of columns, kept across tables and reports: tables drawn alike
# (a web page's or a Word file's grid columns; a form's layout) share their columns, and their
# rows their shapes (issue 17). A placement is a pure function of the shape and the columns'
# keys and extents, and is only read once made. Bounded: past these sizes a memo starts again
# (a table's rows have a few shapes; a printed PDF's columns, in points, are its own: at most
# 256 x 64 placements of rows of a few cells each, a few MB, are ever held).
_MEMOS: dict[tuple[Column, ...], dict] = {}
MEMO_COLUMNS = 256
MEMO_SHAPES = 64


def shape_memo(columns: list[Column]) -> dict:
    """The memo ``place`` and ``placed_shape`` keep for these ``columns`` (see ``_MEMOS``)."""
    key = tuple(columns)
    memo = _MEMOS.get(key)
    if memo is None:
        if len(_MEMOS) >= MEMO_COLUMNS:
            _MEMOS.clear()
        memo = _MEMOS[key] = {}
    return memo


def placed_shape(shape: tuple, columns: list[Column], memo: dict | None = None) -> _Shaped:
    """``place`` by index into the row's cells (see ``_Shaped``), from the row's ``shape`` and
    through the caller's ``memo`` for these ``columns``: for a caller that weighs placements
    before it keeps one (``of_shape`` gives the kept one as cells). Only for a row in which no
    cell stands twice (``place`` says why)."""
    found = memo.get(shape) if memo is not None else None
    if found is None:
        found = _placed_shape(shape, columns)
        if memo is not None:
            if len(memo) >= MEMO_SHAPES:
                memo.clear()
            memo[shape] = found
    return found


# A placement by index into the row's cells: (column -> index or None, unplaced indexes,
# [(index, [column keys])] merged, [(column key, [indexes])] crowded).
_Shaped = tuple[dict[str, int | None], list[int], list[tuple[int, list[str]]],
                list[tuple[str, list[int]]]]


def _placed_shape(shape: tuple[tuple[float, float, bool], ...], columns: list[Column]) -> _Shaped:
    """``place`` over a row's shape, by index (see ``place``)."""
    placed: dict[str, int | None] = {c.key: None for c in columns}
    unplaced: list[int] = []
    merged: list[tuple[int, list[str]]] = []
    crowded: list[tuple[str, list[int]]] = []
    by_column: dict[str, list[int]] = {}
    multi: list[tuple[int, list[Column]]] = []
    # ``_covers`` for every (cell, column), inlined: the same arithmetic (``max(0, overlap) >=
    # half`` written as ``overlap >= half or 0 >= half``) without a call per pair; this loop was
    # the mapper's hottest (issue 17).
    extents = [(col, col.x0, col.x1, col.x1 - col.x0) for col in columns]
    for i, (x0, x1, filled) in enumerate(shape):
        w = x1 - x0
        cols = [col for col, c0, c1, cw in extents
                if ((x1 if x1 < c1 else c1) - (x0 if x0 > c0 else c0)
                    >= (half := 0.5 * ((cw if cw < w else w) or 1.0)) or 0.0 >= half)]
        if not cols:
            if filled:
                unplaced.append(i)
        elif len(cols) == 1:
            by_column.setdefault(cols[0].key, []).append(i)
        else:
            multi.append((i, cols))
    columns_by_key = {c.key: c for c in columns}

    def overlap(i: int, column: Column) -> float:  # ``_overlap`` of the i-th cell
        x0, x1, _ = shape[i]
        return max(0.0, min(x1, column.x1) - max(x0, column.x0))
    for key, there in by_column.items():
        filled = [i for i in there if shape[i][2]]
        if len(filled) <= 1:
            placed[key] = filled[0] if filled else there[0]
            continue
        column = columns_by_key[key]
        best = max(filled, key=lambda i: overlap(i, column))
        others = [i for i in filled if i != best]
        if all(overlap(i, column) < overlap(best, column) / 2 for i in others):
            placed[key] = best
            unplaced.extend(others)
        else:
            crowded.append((key, filled))
    for i, cols in multi:
        free = [col for col in cols if placed[col.key] is None
                and not any(k == col.key for k, _ in crowded)]
        if len(free) == 1:
            placed[free[0].key] = i
        elif free:  # blank or not, a merged cell is recorded: the caller reports it
            merged.append((i, [col.key for col in free]))
        elif shape[i][2]:
            unplaced.append(i)
    return placed, unplaced, merged, crowded


def of_shape(shaped: _Shaped, cells: list[Cell]) -> Placement:
    """A placement by index as the row's cells (new lists: a Placement may be changed)."""
    placed, unplaced, merged, crowded = shaped
    return Placement({k: None if i is None else cells[i] for k, i in placed.items()},
                     [cells[i] for i in unplaced] if unplaced else [],
                     [(cells[i], list(keys)) for i, keys in merged] if merged else [],
                     [(k, [cells[i] for i in idx]) for k, idx in crowded] if crowded else [])


def _place_cells(cells: list[Cell], columns: list[Column]) -> Placement:
    """``place`` cell by cell, comparing cells by identity: for a row in which one cell
    stands twice (no reader makes one, but ``place`` does not assume it)."""
    placed: dict[str, Cell | None] = {c.key: None for c in columns}
    result = Placement(placed)
    by_column: dict[str, list[Cell]] = {}
    multi: list[tuple[Cell, list[Column]]] = []
    # ``_covers`` for every (cell, column), inlined: the same arithmetic (``max(0, overlap) >=
    # half`` written as ``overlap >= half or 0 >= half``) without a call per pair; this loop was
    # the mapper's hottest (issue 17).
    extents = [(col, col.x0, col.x1, col.x1 - col.x0) for col in columns]
    for cell in cells:
        x0, x1 = cell.x0, cell.x1
        w = x1 - x0
        cols = [col for col, c0, c1, cw in extents
                if ((x1 if x1 < c1 else c1) - (x0 if x0 > c0 else c0)
                    >= (half := 0.5 * ((cw if cw < w else w) or 1.0)) or 0.0 >= half)]
        if not cols:
            if cell.text.strip():
                result.unplaced.append(cell)
        elif len(cols) == 1:
            by_column.setdefault(cols[0].key, []).append(cell)
        else:
            multi.append((cell, cols))
    columns_by_key = {c.key: c for c in columns}
    for key, there in by_column.items():
        filled = [c for c in there if c.text.strip()]
        if len(filled) <= 1:
            placed[key] = filled[0] if filled else there[0]
            continue
        best = max(filled, key=lambda c: _overlap(c, columns_by_key[key]))
        others = [c for c in filled if c is not best]
        if all(_overlap(c, columns_by_key[key]) < _overlap(best, columns_by_key[key]) / 2
               for c in others):
            placed[key] = best
            result.unplaced.extend(others)
        else:
            result.crowded.append((key, filled))
    for cell, cols in multi:
        free = [col for col in cols if placed[col.key] is None
                and not any(k == col.key for k, _ in result.crowded)]
        if len(free) == 1:
            placed[free[0].key] = cell
        elif free:  # blank or not, a merged cell is recorded: the caller reports it
            result.merged.append((cell, [col.key for col in free]))
        elif cell.text.strip():
            result.unplaced.append(cell)
    return result


def header_columns(cells_by_key: dict[str, Cell]) -> list[Column] | None:
    """The form's columns as the header draws them, or None if a header cell has no geometry."""
    if not cells_by_key or not has_geometry(list(cells_by_key.values())):
        return None
    return [Column(key, cell.x0, cell.x1) for key, cell in cells_by_key.items()]


def columns_from_full_rows(rows: list[list[Cell]], keys: tuple[str, ...]) -> list[Column] | None:
    """Columns where the rows that have a cell for every key put them: column k spans the
    median extent of the k-th cell of those rows. None without such a row, or when the columns
    so found overlap (the rows do not agree on where the columns are)."""
    full = [row for row in rows if len(row) == len(keys) and has_geometry(row)]
    if not full:
        return None
    columns = []
    for k, key in enumerate(keys):
        x0 = _median([row[k].x0 for row in full])
        x1 = _median([row[k].x1 for row in full])
        columns.append(Column(key, x0, x1))
    if any(a.x1 > b.x0 for a, b in zip(columns, columns[1:])):
        return None
    return _widen(columns)


def _median(values: list[float]) -> float:
    """``statistics.median``, the same arithmetic without its overhead (issue 17)."""
    values.sort()
    n = len(values)
    if n % 2:
        return values[n // 2]
    return (values[n // 2 - 1] + values[n // 2]) / 2


def _widen(columns: list[Column]) -> list[Column]:
    """Columns found from the numbers in them are as narrow as those numbers; a number printed
    a little to one side still belongs to its column. Each column is widened to the midpoints
    between it and its neighbours (the first and last by the same half-gap outward)."""
    if len(columns) < 2:
        return columns
    bounds = [(a.x1 + b.x0) / 2 for a, b in zip(columns, columns[1:])]
    first_gap = bounds[0] - columns[0].x1
    last_gap = columns[-1].x0 - bounds[-1]
    lefts = [columns[0].x0 - first_gap] + bounds
    rights = bounds + [columns[-1].x1 + last_gap]
    return [Column(c.key, x0, x1) for c, x0, x1 in zip(columns, lefts, rights)]
