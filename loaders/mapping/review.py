"""Section 四 (review and litigation): the 15 leaf headers (结果维持 ... 总计, three times) and
the group headers (行政复议, 未经复议直接起诉, 复议后起诉) give each column of the value row its key."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..form import template as T
from ..form.template import lookup, normalize_label
from ..model import Cell, CellValue, Issue, Row
from .align import Column, has_geometry, place, shape_memo
from .cells import (UNREAD, cell_positions, fit_cells, numberish, placement_issues,
                    unread_columns, unread_row, value_at, value_issue)
from .numbers import parse_count
from .rows import REVIEW


def _review_columns(groups: list[str], leaves: list[str]) -> list[str] | None:
    """The column keys in the order the header shows them (all 15, or the 5 of each group of a
    table split in three), or None if it is not the form's. A group may print fewer outcomes
    than the form's five (行政复议 without its 总计: 14 columns), each column still the one its
    header names, when only one cut of the leaves into the groups gives each group outcomes of
    its own, ``MIN_OUTCOMES`` or more, all groups in one order (a group without its first leaf,
    结果维持, leaves two such cuts: the next group's 结果维持 could be its last)."""
    order = list(dict.fromkeys(groups))
    if not order:
        return None
    outcomes = sorted(o.key for o in T.REVIEW_OUTCOMES)
    if len(leaves) == 5 * len(order):
        blocks = [leaves[i:i + 5] for i in range(0, len(leaves), 5)]
        if any(sorted(b) != outcomes for b in blocks):
            return None
    else:
        cuts = [b for b in _cuts(leaves, len(order))
                if all(len(x) >= MIN_OUTCOMES and len(set(x)) == len(x) for x in b)
                and _one_order(b)]
        if len(cuts) != 1:
            return None
        blocks = cuts[0]
    if len(order) == 3 and (sorted(order) != sorted(g.key for g in T.REVIEW_GROUPS)
                            or order[0] != "review"):
        return None
    return [f"{group}_{leaf}" for group, block in zip(order, blocks) for leaf in block]


def _one_order(blocks: list[list[str]]) -> bool:
    """Whether the groups print their outcomes in one order (each a part of the same)."""
    places = [{leaf: k for k, leaf in enumerate(b)} for b in blocks]
    for a in places:
        for b in places:
            common = [x for x in a if x in b]
            if [x for x in sorted(common, key=a.get)] != sorted(common, key=b.get):
                return False
    return True


def _cuts(leaves: list[str], parts: int) -> list[list[list[str]]]:
    """Every cut of the leaves, in order, into ``parts`` runs of one leaf or more."""
    if parts == 1:
        return [[leaves]] if leaves else []
    return [[leaves[:k]] + rest for k in range(1, len(leaves))
            for rest in _cuts(leaves[k:], parts - 1)]


MIN_OUTCOMES = 4  # of the form's five, under a group whose header prints fewer
_GROUP_ORDER = [g.key for g in T.REVIEW_GROUPS]  # the form's order of the groups
_GROUP_LABELS = {g.key: g.label_zh for g in T.REVIEW_GROUPS}


@dataclass
class _ReviewPart:
    """A header (group and outcome cells) and the row of numbers under it. The form's table is
    one part; a conversion may cut it into three tables of five columns."""

    groups: list[tuple[str, Cell]] = field(default_factory=list)
    leaves: list[tuple[str, Cell]] = field(default_factory=list)
    row: Row | None = None
    # A header row that puts 行政诉讼 before 行政复议 (their cells in that order): the groups
    # stand in another order than the form's, whatever order the tiers are read in.
    litigation_first: bool = False
    refused: bool = False  # not read, and said why (``header_unrecognized``)


def _review_parts(rows: list[Row]) -> list[_ReviewPart]:
    parts = [_ReviewPart()]
    for row in rows:
        labelled = False
        part = parts[-1]
        litigation = False  # 行政诉讼 met on this row
        for cell, x in zip(row.cells, row.norms):
            if not x or numberish(x) or cell.span:
                continue
            if group := lookup(T.REVIEW_GROUPS, x):
                part.groups.append((group.key, cell))
                labelled = True
                if group.key == "review" and litigation:
                    part.litigation_first = True
            elif outcome := lookup(T.REVIEW_OUTCOMES, x):
                part.leaves.append((outcome.key, cell))
                labelled = True
            elif T.LITIGATION.matches(x):
                labelled = True  # (a title naming both, 行政复议、行政诉讼情况, orders nothing)
                litigation = litigation or "行政复议" not in x
        if not labelled and (len(row.cells) >= 15 or any(c.joined for c in row.cells)
                             or any(numberish(x) for x in row.norms)):
            if not any(row.norms) and not part.groups and not part.leaves and \
                    any(p.row is not None for p in parts):
                continue  # an empty row after the numbers, no header between (the row of
                # empty cells Word puts at a table's foot, <![if !supportMisalignedColumns]>)
            if part.row is not None:  # numbers again under the same header
                parts.append(_ReviewPart(row=row))
            else:
                part.row = row
                parts.append(_ReviewPart())
    return [p for p in parts if p.row is not None]


def _review_geometry(part: _ReviewPart) -> list[Column] | None:
    """The part's columns by position: each outcome cell under the group cell above it."""
    cells = [c for _, c in part.groups + part.leaves]
    if not part.leaves or not has_geometry(cells):
        return None
    columns = []
    groups = [(g, gc.x0, gc.x1) for g, gc in part.groups]  # read once, not once per leaf
    nearest = False
    for outcome, cell in part.leaves:
        center = (cell.x0 + cell.x1) / 2
        above = [g for g, x0, x1 in groups if x0 <= center < x1]
        if not above and groups:
            # A group's word spans only its text where no rule draws its cell (a table printed
            # without rules, pdftotext text): the leaf is the nearest group's. Groups take
            # runs of leaves in order; one that took another's leaf has an outcome twice, or
            # lacks one, which the checks below refuse.
            gaps = sorted((max(x0 - center, center - x1), g) for g, x0, x1 in groups)
            if len(gaps) == 1 or gaps[0][0] < gaps[1][0]:
                above, nearest = [gaps[0][1]], True
        if len(above) != 1:
            return None
        columns.append(Column(f"{above[0]}_{outcome}", cell.x0, cell.x1))
    keys = {c.key for c in columns}
    if len(keys) != len(columns):
        return None
    if nearest and keys != {f"{g}_{o.key}" for g in {g for g, _, _ in groups}
                            for o in T.REVIEW_OUTCOMES}:
        return None  # a group short of an outcome: the nearest group may not be the leaf's
    return columns


def _fit_review_part(part: _ReviewPart, single: bool, issues: list[Issue]
                     ) -> dict[str, tuple[Cell | None, Cell | None]] | None:
    """column key -> (cell, unread cell) for one part; None when its cells cannot be fitted."""
    row = part.row
    groups = [g for g, _ in part.groups]
    leaves = [o for o, _ in part.leaves]
    if any(c.joined for c in row.cells):  # a run that could not be cut (splitting.py)
        return None
    values = [c for c in row.cells if not c.span]
    columns = _review_geometry(part)
    if columns is not None and has_geometry(values):
        # the memo of these columns: tables of the same grid columns place alike (issue 17)
        placement = place(values, columns, shape_memo(columns))
        if not placement.unplaced and any(placement.cells.values()):
            unread = unread_columns(placement)
            issues.extend(placement_issues(placement, REVIEW, T.REVIEW_ROW, row,
                                            "review_litigation"))
            return {k: (cell, unread.get(k)) for k, cell in placement.cells.items()}
    keys = _review_columns(groups, leaves)
    if keys is not None and len(keys) != 15 and has_geometry(values) \
            and has_geometry([c for _, c in part.leaves]):
        # A header of fewer leaves than the form's, each number placed under its leaf by
        # position: a number under no leaf (under a leaf not read, 结果撤销) is not counted
        # into the next column.
        ordered = sorted(part.leaves, key=lambda leaf: leaf[1].x0)
        keys = _review_columns(groups, [o for o, _ in ordered])
        if keys is None:
            return None
        columns = [Column(k, c.x0, c.x1) for k, (_, c) in zip(keys, ordered)]
        placement = place(values, columns, shape_memo(columns))
        if placement.unplaced or not any(placement.cells.values()):
            return None
        unread = unread_columns(placement)
        issues.extend(placement_issues(placement, REVIEW, T.REVIEW_ROW, row, "review_litigation"))
        return {k: (cell, unread.get(k)) for k, cell in placement.cells.items()}
    cells = fit_cells(row.cells, len(keys) if keys else 15)
    if keys is not None and (len(cells) != len(keys) or (
            len(keys) != 15 and len(values) != len(keys))):
        # The header as read does not fit the row; nor does a header of fewer leaves than the
        # form's unless the row has as many cells, no blank one at its ends dropped to fit (a
        # leaf not read, 结果撤销, would shift the numbers after it).
        keys, cells = None, fit_cells(row.cells, 15)
    named = list(dict.fromkeys(groups))
    if part.litigation_first or named != sorted(named, key=_GROUP_ORDER.index):
        # The header names the groups in another order (行政诉讼 before 行政复议, 复议后起诉
        # before 未经复议直接起诉) and gives them no places: the numbers are not read in the
        # form's order, which it contradicts.
        if keys is None or part.litigation_first:
            issues.append(Issue(
                "header_unrecognized", "the header of section 四 names its groups in another "
                "order than the form's (" + ("行政诉讼 before 行政复议" if part.litigation_first
                                             else "、".join(_GROUP_LABELS[g] for g in named))
                + ") without their places: "
                "the numbers are left blank rather than read in the form's order", REVIEW,
                raw=" | ".join(c.text for c in values), line=row.line))
            part.refused = True
            return None
    if keys is None and single and len(cells) == 15:
        keys = list(T.REVIEW_KEYS)
        issues.append(Issue("header_unrecognized", "the header of section 四 is not the form's "
                            "(3 groups x 结果维持/结果纠正/其他结果/尚未审结/总计); columns read "
                            "in the form's order", REVIEW, line=row.line))
    if keys is None or len(cells) != len(keys):
        return None
    return {k: (c, None) for k, c in zip(keys, cells)}




def _filled(cells: list[Cell]) -> list[Cell]:
    return [c for c in cells if not c.span and c.text.strip()]


def _combined(first: Row, second: Row) -> Row | None:
    """Two rows of numbers one under the other in one table, under one header, each filling the
    columns the other leaves blank (行政复议's five on one row, 行政诉讼's ten on the next), and
    nothing but numbers in them: the one row they make, or None.
    By position where the reader gives it (no number of one over a number of the other),
    else place by place in rows of the same length."""
    a, b = _filled(first.cells), _filled(second.cells)
    if not a or not b or first.grid != second.grid or second.index != first.index + 1 \
            or not all(numberish(normalize_label(c.text)) for c in a + b):
        return None  # rows of two tables, or apart, or one with a label of its own
    if has_geometry(a + b):
        if any(min(x.x1, y.x1) > max(x.x0, y.x0) for x in a for y in b):
            return None
        cells = sorted(a + b, key=lambda c: c.x0)
    elif len(first.cells) == len(second.cells) and not any(
            x in a and y in b for x, y in zip(first.cells, second.cells)):
        cells = [y if y in b else x for x, y in zip(first.cells, second.cells)]
    else:
        return None
    return Row(first.table, first.grid, first.index, cells, [normalize_label(c.text) for c in cells])


def _combine_rows(parts: list[_ReviewPart], issues: list[Issue]) -> list[_ReviewPart]:
    """The parts with a row of numbers that the next row, under no header of its own,
    completes (``_combined``) made one part."""
    out: list[_ReviewPart] = []
    for part in parts:
        last = out[-1] if out else None
        if last is not None and not part.groups and not part.leaves and (
                both := _combined(last.row, part.row)) is not None:
            issues.append(Issue(
                "rows_combined", "section 四's numbers stand on two rows, each filling the "
                "columns the other leaves blank: read as the one row they make", REVIEW,
                raw=" | ".join(c.text for c in both.cells if c.text.strip()), line=part.row.line))
            last.row = both
            continue
        out.append(part)
    return out


def map_review(rows: list[Row], other_year: set[int] = frozenset()
               ) -> tuple[list[CellValue], list[Issue]]:
    """Section 四's values. ``other_year``: grids captioned as another year's table
    (``tables.other_year_grids``): read after the others, so that a row twice is kept from
    this year's table."""
    values: list[CellValue] = []
    issues: list[Issue] = []
    parts = _combine_rows(_review_parts(rows), issues)
    if other_year:
        parts.sort(key=lambda part: part.row.grid in other_year)  # (stable)
    if not parts:
        issues.append(Issue("missing_table", "the review and litigation table (section 四) "
                            "was not found" if not rows else "its row of numbers was not found",
                            REVIEW))
        return values, issues
    fitted: dict[str, tuple[Cell | None, Cell | None, Row]] = {}
    unfit: list[tuple[list[Cell], Row]] = []  # parts that could not be fitted, in order
    for part in parts:
        got = _fit_review_part(part, len(parts) == 1, issues)
        if got is None:
            cells = [c for c in part.row.cells if not c.span]
            if not any(c.joined for c in cells) and not part.refused:
                issues.append(Issue(
                    "cell_count_mismatch", f"{len(fit_cells(part.row.cells, 15))} cells in the "
                    "row of numbers do not fit the header above them (the form has 15): values "
                    "left blank rather than guessed", REVIEW,
                    raw=" | ".join(c.text for c in cells), line=part.row.line))
            unfit.append((cells, part.row))
            if part.leaves:
                break  # the form's own table (or a part of it), unfit: never read another
                # table's (last year's, below it) in its place
            continue
        for key, (cell, unread) in got.items():
            if key in fitted:
                issues.append(Issue("duplicate_row", f"{key} appears again (line "
                                    f"{part.row.line}); the first is kept", REVIEW,
                                    column_key=key, line=part.row.line))
                continue
            fitted[key] = (cell, unread, part.row)
    if not fitted and unfit:  # no part fits (a table of numbers before section 四's is passed
        cells, row = unfit[0]  # over: the next may fit): the first's cells, seen, not placed
        values.extend(unread_row(REVIEW, "review_litigation", T.REVIEW_KEYS, cells, row))
        return values, issues
    positions: dict[int, dict[int, int]] = {}  # id(row) -> its cell_positions
    for column in T.REVIEW_KEYS:
        if column not in fitted:
            issues.append(Issue("missing_cell", f"section 四 has no {column} column", REVIEW,
                                column_key=column))
            values.append(CellValue(REVIEW, "review_litigation", column, None, None))
            continue
        cell, unread, row = fitted[column]
        if (at := positions.get(id(row))) is None:
            at = positions[id(row)] = cell_positions(row)
        if unread is not None:
            values.append(value_at(REVIEW, "review_litigation", column, unread, UNREAD, row, at))
            continue
        parsed = parse_count(None if cell is None else cell.text)
        v = value_at(REVIEW, "review_litigation", column, cell, parsed, row, at)
        values.append(v)
        if issue := value_issue(v, parsed):
            issues.append(issue)
    return values, issues
