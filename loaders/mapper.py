"""Fit a document's grids to the national template by their labels, never by counting numbers.

``grids_to_tables`` is the entry point: it tags every grid row with the table it belongs to
(section 二, 三 or 四, from the section headings and from anchor labels such as 第二十条 or
申请人情况), detects the template version from the content, and maps each table:

- section 二 (active disclosure): ``信息内容`` header rows name the metric of each column; item
  rows are placed under them by the item label;
- section 三 (applications): each row is placed by its most specific label cell (the last cell that
  matches a row of the form), wherever that cell stands; header rows (repeated after a page break)
  are dropped; the 7 applicant columns follow the label;
- section 四 (review and litigation): the 15 leaf headers (结果维持 ... 总计, three times) and the
  group headers (行政复议, 未经复议直接起诉, 复议后起诉) give each column of the value row its key.

Every value keeps its raw text and position; everything unexpected becomes an ``Issue``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .form import template as T
from .align import Column, Placement, columns_from_full_rows, has_geometry, place
from .model import Block, Cell, CellValue, Grid, Issue, Paragraph, Row
from .run_labels import metrics_named
from .splitting import split_joined
from .numbers import Parsed, clean_text, parse_amount, parse_count, unit_in_header
from .form.template import Section, lookup, normalize_label

ACTIVE = "active_disclosure"
APPLICATIONS = "applications"
REVIEW = "review_litigation"
TABLES = (ACTIVE, APPLICATIONS, REVIEW)
SECTION_TABLE = {2: ACTIVE, 3: APPLICATIONS, 4: REVIEW}


@dataclass
class Tables:
    template: str | None
    values: list[CellValue]
    issues: list[Issue]


# ---------------------------------------------------------------------------------------------
# Tagging rows with their table
# ---------------------------------------------------------------------------------------------

def _anchor(norms: list[str]) -> str | None:
    joined = "".join(norms)
    if "第二十条" in joined or "信息内容" in norms:
        return ACTIVE
    if "申请人情况" in joined or "勾稽关系" in joined or "自然人" in norms:
        return APPLICATIONS
    if any(n.startswith("行政复议") for n in norms) and "行政诉讼" in joined:
        return REVIEW
    return None


def tag_rows(blocks: list[Block], headings: dict[int, Section]) -> list[Row]:
    """Every grid row in reading order, tagged with the table it belongs to (None if unknown)."""
    rows: list[Row] = []
    current: str | None = None
    for i, block in enumerate(blocks):
        if i in headings:
            current = SECTION_TABLE.get(headings[i].number)
        if not isinstance(block, Grid):
            continue
        for r, cells in enumerate(block.rows):
            norms = [normalize_label(c.text) for c in cells]
            current = _anchor(norms) or current
            rows.append(Row(current, block.index, r, cells, norms))
    return rows


# ---------------------------------------------------------------------------------------------
# Template detection
# ---------------------------------------------------------------------------------------------

def detect_template(rows: list[Row], year: int | None,
                    prose: str = "") -> tuple[str | None, list[Issue]]:
    """'2019' or '2021' from the labels the tables use; when the tables say nothing (a layout
    not understood), from the same labels in the text; the year decides only when neither
    says anything, and that is recorded as an issue."""
    text = "|".join(n for row in rows for n in row.norms if n)
    votes = {t: [p for p in T.TEMPLATE_SIGNALS[t] if re.search(p, text)] for t in T.TEMPLATES}
    if not any(votes.values()) and prose:
        text = normalize_label(prose)
        votes = {t: [p for p in T.TEMPLATE_SIGNALS[t] if re.search(p, text)] for t in T.TEMPLATES}
    by_year = None if year is None else ("2021" if year >= 2021 else "2019")
    if votes["2019"] and votes["2021"]:
        n19, n21 = len(votes["2019"]), len(votes["2021"])
        chosen = "2019" if n19 > n21 else "2021" if n21 > n19 else by_year or "2021"
        return chosen, [Issue(
            "template_mixed",
            f"labels of both templates: 2019 {votes['2019']}, 2021 {votes['2021']}; read as {chosen}",
        )]
    for t in T.TEMPLATES:
        if votes[t]:
            return t, []
    if by_year:
        return by_year, [Issue("template_undetected",
                               f"no template labels found; assumed {by_year} from the year {year}")]
    return None, [Issue("template_undetected", "no template labels found and no year")]


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def _blank(cell: Cell | None) -> bool:
    return cell is None or not clean_text(cell.text)


def fit_cells(cells: list[Cell], n: int) -> list[Cell]:
    """Drop cells at the edges until ``n`` remain, the emptiest first: positions covered by a
    merged cell, then cells with no text at all (PDF column layout, padding of a ragged table),
    last cells that hold only spaces (a blank cell as Word writes it, NBSP)."""
    cells = list(cells)
    for droppable, ends in ((lambda c: c.span, (-1, 0)), (lambda c: c.text == "", (-1, 0)),
                            (_blank, (0, -1))):
        for end in ends:
            while len(cells) > n and droppable(cells[end]):
                cells.pop(end)
    return cells


def _value(table: str, row_key: str, column_key: str, cell: Cell | None, parsed: Parsed,
           row: Row) -> CellValue:
    # A cut piece of a joined run is not itself in the row: it stands where its run stands.
    col = None if cell is None else next((i for i, c in enumerate(row.cells) if c is cell), None)
    return CellValue(
        table=table, row_key=row_key, column_key=column_key, value=parsed.value,
        raw=None if cell is None else cell.text,
        line=row.line if cell is None else cell.line,
        line_end=row.line if cell is None else cell.line_end,
        grid=row.grid, grid_row=row.index, grid_col=col,
    )


def _unread_row(table: str, row_key: str, columns: tuple[str, ...], cells: list[Cell],
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
UNREAD = Parsed(None)


def _unread_columns(placement: Placement | None) -> dict[str, Cell]:
    """Columns that cells stand in without being their value, with one cell holding their
    text (a merged cell's, or the crowded cells' joined), for provenance."""
    if placement is None:
        return {}
    out = {}
    for column, cells in placement.unread.items():
        first = cells[0]
        out[column] = Cell(" | ".join(c.text for c in cells), first.line,
                           max(c.line_end for c in cells), x0=first.x0, x1=cells[-1].x1)
    return out


def _placement_issues(placement: Placement, table: str, key: T.Key, row: Row,
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
    for cell, columns in placement.merged:
        if not clean_text(cell.text):
            issues.append(Issue(
                "blank_cells_merged", f"{key.label_zh}: one blank cell covers the columns "
                f"{', '.join(columns)}: they are blank", table, row_key or key.key, columns[0],
                raw=cell.text, line=cell.line))
            continue
        issues.append(Issue(
            "cells_merged", f"{key.label_zh}: the cell {clean_text(cell.text)!r} covers the "
            f"columns {', '.join(columns)}: its number belongs to none of them alone; they are "
            "left blank", table, row_key or key.key, columns[0], raw=cell.text, line=cell.line))
    return issues


def _value_issue(value: CellValue, parsed: Parsed) -> Issue | None:
    if parsed.issue is None:
        return None
    return Issue(parsed.issue, f"{parsed.detail}: {clean_text(value.raw)!r}", value.table,
                 value.row_key, value.column_key, value.raw, value.line)


def _numberish(norm: str) -> bool:
    return bool(norm) and bool(re.fullmatch(r"[+\-]?[\d.,]+(万元|元|万|件|条|个|项)?", norm))


# ---------------------------------------------------------------------------------------------
# Section 三: applications
# ---------------------------------------------------------------------------------------------

_APPLICATION_HEADER = re.compile(r"自然人|商业企业|科研机构|申请人情况|法人或其他组织|勾稽关系|社会公益组织")


@dataclass
class _Entry:
    """A row of section 三 with numbers: its key (None while its label is unknown) and cells.

    ``values`` are the row's cells after its label as the reader gave them (merged-cell copies
    left out); ``cells`` the ones fitted to the form's columns, by position where the reader
    knows positions (``placement``), otherwise by count.
    """

    row: Row
    key: T.Key | None
    cells: list[Cell]
    label: str = ""  # the text of an unrecognized label
    inferred: bool = False
    values: list[Cell] = field(default_factory=list)
    placement: Placement | None = None


def _text_cell(cell: Cell) -> bool:
    norm = normalize_label(cell.text)
    return bool(norm) and not _numberish(norm)


def _application_header_row(row: Row) -> bool:
    """A header row of section 三, also a piece of one repeated mid-table by a page break or a
    conversion (| 法律服务机构 | 其他 | 总计 |): header words and no number. Read as a row, its
    其他 and 总计 would pass for the rows （六）3.其他 and （七）总计."""
    if any(_APPLICATION_HEADER.search(x) for x in row.norms):
        return True
    texts = [x for x in row.norms if x]
    return bool(texts) and len(texts) >= 2 and all(
        lookup(T.APPLICANT_COLUMNS, x) is not None for x in texts)


def _application_entries(rows: list[Row], template: str | None, n: int) -> list[_Entry]:
    entries: list[_Entry] = []
    for row in rows:
        if _application_header_row(row):
            continue
        matches = [(j, lookup(T.APPLICATION_ROWS, x)) for j, x in enumerate(row.norms) if x]
        matches = [(j, k) for j, k in matches if k is not None]
        if not matches:
            if any(_numberish(x) for x in row.norms):
                last_text = max((j for j, c in enumerate(row.cells) if _text_cell(c)), default=-1)
                label = " ".join(clean_text(c.text) for c in row.cells[:last_text + 1]
                                 if clean_text(c.text))
                after = row.cells[last_text + 1:]
                entries.append(_Entry(row, None, fit_cells(after, n), label,
                                      values=[c for c in after if not c.span]))
            continue
        j, key = matches[-1]
        cells = list(row.cells[j + 1:])
        # The rest of a label broken over cells (| 缴纳费用、 | 行政机关不再处理其政 | 0 | …).
        while len(cells) > n and _text_cell(cells[0]):
            cells.pop(0)
        values = [c for c in cells if not c.span]
        cells = fit_cells(cells, n)
        if key.key == "other" and template == "2021" and all(_blank(c) for c in cells):
            continue  # the 2021 form's （六） group heading on a row of its own
        entries.append(_Entry(row, key, cells, values=values))
    return entries


def _applicant_header(rows: list[Row]) -> dict[int, dict[str, Cell]]:
    """Per grid, the header cells that name an applicant column (自然人 … 其他, 总计)."""
    found: dict[int, dict[str, Cell]] = {}
    for row in rows:
        if not any(_APPLICATION_HEADER.search(x) for x in row.norms):
            continue
        for cell, norm in zip(row.cells, row.norms):
            if cell.span or not norm:
                continue
            if (key := lookup(T.APPLICANT_COLUMNS, norm)) is not None:
                found.setdefault(row.grid, {}).setdefault(key.key, cell)
    return found


def _overlapping(columns: list[Column]) -> bool:
    """Columns that share ground: a header that is not a header of distinct columns."""
    ordered = sorted(columns, key=lambda c: c.x0)
    return any(a.x1 > b.x0 for a, b in zip(ordered, ordered[1:]))


def _problems(entries: list[_Entry], columns: list[Column]) -> int:
    """How many cells the columns fail to account for: unplaced, merged over two columns."""
    count = 0
    for entry in entries:
        p = place(entry.values, columns)
        count += len(p.unplaced) + sum(bool(clean_text(c.text)) for c, _ in p.merged) \
            + sum(len(c) for _, c in p.crowded)
    return count


def _align_applications(entries: list[_Entry], rows: list[Row]) -> None:
    """Fit each row's cells to the applicant columns by position, where the reader gives
    positions: the columns of the grid's own header, of the table's first complete header (a
    table continued on the next page), or of the grid's rows that fill all seven columns;
    whichever accounts for every cell (the header first when both do)."""
    keys = T.APPLICANT_KEYS
    headers = {g: h for g, h in _applicant_header(rows).items() if len(h) == len(keys)}
    first_header = next(iter(headers.values()), None)
    by_grid: dict[int, list[_Entry]] = {}
    for entry in entries:
        by_grid.setdefault(entry.row.grid, []).append(entry)
    for grid, group in by_grid.items():
        if not all(has_geometry(e.values) for e in group if e.values):
            continue
        options = []
        for header in (headers.get(grid), first_header):
            if header and has_geometry(list(header.values())):
                options.append([Column(k, c.x0, c.x1) for k, c in header.items()])
        if full := columns_from_full_rows([e.values for e in group], keys):
            options.append(full)
        options = [cols for cols in options if not _overlapping(cols)]
        if not options:
            continue
        columns = min(options, key=lambda cols: _problems(group, cols))  # first on ties
        if _problems(group, columns) > sum(len(e.cells) != len(keys) for e in group):
            continue  # positions explain the rows worse than counting does: count
        for entry in group:
            entry.placement = place(entry.values, columns)
            entry.cells = [entry.placement.cells[k] for k in keys]


def _place_unlabelled(entries: list[_Entry], template: str, n: int) -> None:
    """Give rows whose label went astray (PDF-to-markdown output) the keys the form has between
    their labelled neighbours, when there are exactly as many such keys as rows."""
    order = [k.key for k in T.application_rows_for(template)]
    position = {k: i for i, k in enumerate(order)}
    labelled = {e.key.key for e in entries if e.key is not None}
    keys = T.by_key(T.APPLICATION_ROWS)
    i = 0
    while i < len(entries):
        if entries[i].key is not None:
            i += 1
            continue
        j = i
        while j < len(entries) and entries[j].key is None:
            j += 1
        before = next((e.key.key for e in reversed(entries[:i]) if e.key is not None), None)
        low = position.get(before, -1) if before else -1
        high = position.get(entries[j].key.key, len(order)) if j < len(entries) else len(order)
        free = [k for k in order[low + 1:high] if k not in labelled]
        gap = entries[i:j]
        if low < high and len(free) == len(gap) and all(len(e.cells) == n for e in gap):
            for entry, key in zip(gap, free):
                entry.key, entry.inferred = keys[key], True
        i = j


def map_applications(rows: list[Row], template: str | None) -> tuple[list[CellValue], list[Issue]]:
    values: list[CellValue] = []
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    n = len(T.APPLICANT_KEYS)
    entries = _application_entries(rows, template, n)
    _align_applications(entries, rows)
    if template:
        _place_unlabelled(entries, template, n)
    for entry in entries:
        row, key, cells = entry.row, entry.key, entry.cells
        if key is None:
            issues.append(Issue("unknown_row", f"numbers under an unknown label {entry.label!r}",
                                APPLICATIONS, raw=entry.label or None, line=row.line))
            continue
        if key.key in seen:
            issues.append(Issue("duplicate_row", f"row {key.label_zh} appears again (first on line "
                                f"{seen[key.key]}); the first is kept", APPLICATIONS, key.key,
                                line=row.line))
            continue
        seen[key.key] = row.line
        if entry.inferred:
            seen_label = f" (the label beside it reads {entry.label!r})" if entry.label else ""
            issues.append(Issue(
                "row_inferred",
                f"numbers without their label{seen_label} placed as {key.label_zh} by the form's "
                "row order, between the labelled rows around them",
                APPLICATIONS, key.key, raw=" | ".join(c.text for c in cells if c is not None),
                line=row.line))
        if template and template not in key.templates:
            # Stored as printed, under the key of the form it belongs to (a single （六）其他处理
            # row in a 2021 report is `other`), never moved into the report's own form.
            issues.append(Issue("template_mixed",
                                f"row {key.label_zh} of the {key.templates[0]} form in a report of "
                                f"the {template} form: stored as printed, under {key.key}",
                                APPLICATIONS, key.key, line=row.line))
        if entry.placement is not None:
            issues.extend(_placement_issues(entry.placement, APPLICATIONS, key, row))
        elif len(cells) != n:
            values.extend(_unread_row(APPLICATIONS, key.key, T.APPLICANT_KEYS, cells, row))
            if not any(c.joined for c in cells):  # a run that could not be cut is reported
                issues.append(Issue(                # by loaders/splitting.py already
                    "cell_count_mismatch",
                    f"{len(cells)} cells after the label {key.label_zh}, the form has {n}: "
                    "values left blank rather than guessed",
                    APPLICATIONS, key.key, raw=" | ".join(c.text for c in cells), line=row.line))
            continue
        merged = _unread_columns(entry.placement)
        for column, cell in zip(T.APPLICANT_KEYS, cells):
            if column in merged:  # seen, not placed: NULL with its text (issue cells_merged)
                values.append(_value(APPLICATIONS, key.key, column, merged[column], UNREAD, row))
                continue
            parsed = parse_count(None if cell is None else cell.text)
            v = _value(APPLICATIONS, key.key, column, cell, parsed, row)
            values.append(v)
            if issue := _value_issue(v, parsed):
                issues.append(issue)
    if not seen:
        issues.append(Issue("missing_table", "the application table (section 三) was not found",
                            APPLICATIONS))
    elif template:
        for key in T.application_rows_for(template):
            if key.key not in seen:
                issues.append(Issue("missing_row", f"row {key.label_zh} not found", APPLICATIONS,
                                    key.key))
    return values, issues


# ---------------------------------------------------------------------------------------------
# Section 四: review and litigation
# ---------------------------------------------------------------------------------------------

def _review_columns(groups: list[str], leaves: list[str]) -> list[str] | None:
    """The column keys in the order the header shows them (all 15, or the 5 of each group of a
    table split in three), or None if it is not the form's."""
    outcomes = sorted(o.key for o in T.REVIEW_OUTCOMES)
    order = list(dict.fromkeys(groups))
    if not order or len(leaves) != 5 * len(order) or any(
            sorted(leaves[i:i + 5]) != outcomes for i in range(0, len(leaves), 5)):
        return None
    if len(order) == 3 and (sorted(order) != sorted(g.key for g in T.REVIEW_GROUPS)
                            or order[0] != "review"):
        return None
    return [f"{order[i // 5]}_{leaf}" for i, leaf in enumerate(leaves)]


@dataclass
class _ReviewPart:
    """A header (group and outcome cells) and the row of numbers under it. The form's table is
    one part; a conversion may cut it into three tables of five columns."""

    groups: list[tuple[str, Cell]] = field(default_factory=list)
    leaves: list[tuple[str, Cell]] = field(default_factory=list)
    row: Row | None = None


def _review_parts(rows: list[Row]) -> list[_ReviewPart]:
    parts = [_ReviewPart()]
    for row in rows:
        labelled = False
        part = parts[-1]
        for cell, x in zip(row.cells, row.norms):
            if not x or _numberish(x) or cell.span:
                continue
            if group := lookup(T.REVIEW_GROUPS, x):
                part.groups.append((group.key, cell))
                labelled = True
            elif outcome := lookup(T.REVIEW_OUTCOMES, x):
                part.leaves.append((outcome.key, cell))
                labelled = True
            elif "行政诉讼" in x:
                labelled = True
        if not labelled and (len(row.cells) >= 15 or any(c.joined for c in row.cells)
                             or any(_numberish(x) for x in row.norms)):
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
    for outcome, cell in part.leaves:
        center = (cell.x0 + cell.x1) / 2
        above = [g for g, gc in part.groups if gc.x0 <= center < gc.x1]
        if len(above) != 1:
            return None
        columns.append(Column(f"{above[0]}_{outcome}", cell.x0, cell.x1))
    if len({c.key for c in columns}) != len(columns):
        return None
    return columns


def _fit_review_part(part: _ReviewPart, single: bool, issues: list[Issue]
                     ) -> dict[str, tuple[Cell | None, Cell | None]] | None:
    """column key -> (cell, unread cell) for one part; None when its cells cannot be fitted."""
    row = part.row
    groups = [g for g, _ in part.groups]
    leaves = [o for o, _ in part.leaves]
    if any(c.joined for c in row.cells):  # a run that could not be cut (loaders/splitting.py)
        return None
    values = [c for c in row.cells if not c.span]
    columns = _review_geometry(part)
    if columns is not None and has_geometry(values):
        placement = place(values, columns)
        if not placement.unplaced and any(placement.cells.values()):
            unread = _unread_columns(placement)
            issues.extend(_placement_issues(placement, REVIEW, REVIEW_ROW_KEY, row,
                                            "review_litigation"))
            return {k: (cell, unread.get(k)) for k, cell in placement.cells.items()}
    keys = _review_columns(groups, leaves)
    cells = fit_cells(row.cells, len(keys) if keys else 15)
    if keys is None and single and len(cells) == 15:
        keys = list(T.REVIEW_KEYS)
        issues.append(Issue("header_unrecognized", "the header of section 四 is not the form's "
                            "(3 groups x 结果维持/结果纠正/其他结果/尚未审结/总计); columns read "
                            "in the form's order", REVIEW, line=row.line))
    if keys is None or len(cells) != len(keys):
        return None
    return {k: (c, None) for k, c in zip(keys, cells)}


REVIEW_ROW_KEY = T.Key("review_litigation", "行政复议、行政诉讼", "Review and litigation")


def map_review(rows: list[Row]) -> tuple[list[CellValue], list[Issue]]:
    values: list[CellValue] = []
    issues: list[Issue] = []
    parts = _review_parts(rows)
    if not parts:
        issues.append(Issue("missing_table", "the review and litigation table (section 四) "
                            "was not found" if not rows else "its row of numbers was not found",
                            REVIEW))
        return values, issues
    fitted: dict[str, tuple[Cell | None, Cell | None, Row]] = {}
    for part in parts:
        got = _fit_review_part(part, len(parts) == 1, issues)
        if got is None:
            cells = [c for c in part.row.cells if not c.span]
            if not any(c.joined for c in cells):
                issues.append(Issue(
                    "cell_count_mismatch", f"{len(fit_cells(part.row.cells, 15))} cells in the "
                    "row of numbers do not fit the header above them (the form has 15): values "
                    "left blank rather than guessed", REVIEW,
                    raw=" | ".join(c.text for c in cells), line=part.row.line))
            if not fitted:
                values.extend(_unread_row(REVIEW, "review_litigation", T.REVIEW_KEYS, cells,
                                          part.row))
                return values, issues
            continue
        for key, (cell, unread) in got.items():
            if key in fitted:
                issues.append(Issue("duplicate_row", f"{key} appears again (line "
                                    f"{part.row.line}); the first is kept", REVIEW,
                                    column_key=key, line=part.row.line))
                continue
            fitted[key] = (cell, unread, part.row)
    for column in T.REVIEW_KEYS:
        if column not in fitted:
            issues.append(Issue("missing_cell", f"section 四 has no {column} column", REVIEW,
                                column_key=column))
            values.append(CellValue(REVIEW, "review_litigation", column, None, None))
            continue
        cell, unread, row = fitted[column]
        if unread is not None:
            values.append(_value(REVIEW, "review_litigation", column, unread, UNREAD, row))
            continue
        parsed = parse_count(None if cell is None else cell.text)
        v = _value(REVIEW, "review_litigation", column, cell, parsed, row)
        values.append(v)
        if issue := _value_issue(v, parsed):
            issues.append(issue)
    return values, issues


# ---------------------------------------------------------------------------------------------
# Section 二: active disclosure
# ---------------------------------------------------------------------------------------------

@dataclass
class _ActiveHeader:
    """A 信息内容 header row of section 二: the metric (and money unit) of each column."""

    row: Row
    first: int  # index of the 信息内容 cell
    columns: dict[int, tuple[T.Key, str | None]]  # cell index -> (metric, unit)

    def geometry(self) -> list[tuple[Column, T.Key, str | None]] | None:
        """The metric columns with their extents, when every one is a cell with geometry."""
        cells = [self.row.cells[j] for j in self.columns if j < len(self.row.cells)]
        if len(cells) != len(self.columns) or not has_geometry(cells):
            return None  # a header merged into one cell (信息内容本年处理决定数量): no extents
        return [(Column(m.key, self.row.cells[j].x0, self.row.cells[j].x1), m, unit)
                for j, (m, unit) in self.columns.items()]


def _active_header(row: Row, first: int) -> _ActiveHeader:
    label = row.norms[first]
    columns: dict[int, tuple[T.Key, str | None]] = {}
    # A header merged into its first cell (信息内容本年处理决定数量, PDF text): the metrics it
    # names are the columns that follow, in the order it names them.
    for k, metric in enumerate(metrics_named(label.replace("信息内容", "", 1))):
        columns[first + 1 + k] = (metric, unit_in_header(row.cells[first].text))
    for j, x in enumerate(row.norms[first + 1:], first + 1):
        if metric := lookup(T.DISCLOSURE_METRICS, x):
            columns[j] = (metric, unit_in_header(row.cells[j].text))
    return _ActiveHeader(row, first, columns)


# One cell of an item row fitted to a metric: (metric, unit, cell or None, unread text or None).
_Fitted = tuple[T.Key, str | None, Cell | None, Cell | None]


def _fit_by_position(item: T.Key, row: Row, first: int, header: _ActiveHeader,
                     issues: list[Issue]) -> list[_Fitted] | None:
    geometry = header.geometry()
    cells = [c for c in row.cells[first + 1:] if not c.span]
    if geometry is None or not has_geometry(cells):
        return None
    placement = place(cells, [column for column, _, _ in geometry])
    issues.extend(_placement_issues(placement, ACTIVE, item, row))
    unread = _unread_columns(placement)
    return [(m, unit, placement.cells[m.key], unread.get(m.key)) for _, m, unit in geometry]


def _fit_by_count(item: T.Key, row: Row, first: int, header: _ActiveHeader,
                  issues: list[Issue]) -> list[_Fitted]:
    shift = first - header.first
    columns = {j + shift: m for j, m in header.columns.items()}
    present = len(row.cells) - first - 1
    if 0 < present < len(columns) and max(columns) >= len(row.cells):
        # A row shorter than its header (a cell the conversion lost): its first cells are the
        # first columns and its last cell the last column; the columns between are missing.
        order = [columns[j] for j in sorted(columns)]
        kept = order[:present - 1] + order[-1:]
        for metric, _ in order[present - 1:-1]:
            issues.append(Issue(
                "missing_cell", f"{item.label_zh} has {present} numbers for {len(order)} "
                f"columns: the last is read as {order[-1][0].label_zh}, "
                f"{metric.label_zh} is missing from the row", ACTIVE, item.key, metric.key,
                raw=" | ".join(c.text for c in row.cells[first + 1:]), line=row.line))
        columns = {first + 1 + k: m for k, m in enumerate(kept)}
    return [(metric, unit, row.cells[col] if col < len(row.cells) else None, None)
            for col, (metric, unit) in columns.items()]


def _fit_item_row(item: T.Key, row: Row, first: int, header: _ActiveHeader,
                  issues: list[Issue]) -> list[_Fitted]:
    """The row's cells under the header's metrics: by position where the reader gives it,
    else by count; a run of digits that could not be cut (crawled text) fits no column."""
    if any(c.joined for c in row.cells[first + 1:]):
        run = next(c for c in row.cells[first + 1:] if c.joined)
        return [(m, unit, None, run) for m, unit in header.columns.values()]
    fitted = _fit_by_position(item, row, first, header, issues)
    return fitted if fitted is not None else _fit_by_count(item, row, first, header, issues)


def map_active(rows: list[Row], template: str | None) -> tuple[list[CellValue], list[Issue]]:
    values: list[CellValue] = []
    issues: list[Issue] = []
    found: dict[tuple[str, str], int] = {}
    header: _ActiveHeader | None = None
    for row in rows:
        first = next((j for j, x in enumerate(row.norms) if x), None)
        if first is None:
            continue
        label = row.norms[first]
        if "第二十条" in label:
            header = None
            continue
        if "信息内容" in label:
            header = _active_header(row, first)
            continue
        item = lookup(T.DISCLOSURE_ITEMS, label)
        if item is None:
            if any(_numberish(x) for x in row.norms[first + 1:]):
                issues.append(Issue("unknown_row", f"numbers under an unknown label "
                                    f"{clean_text(row.cells[first].text)!r}", ACTIVE,
                                    raw=row.cells[first].text, line=row.line))
            continue
        if not header or not header.columns:
            issues.append(Issue("header_unrecognized", f"item {item.label_zh} has no 信息内容 header "
                                "naming its columns; its values are not read", ACTIVE, item.key,
                                line=row.line))
            continue
        for metric, unit, cell, unread in _fit_item_row(item, row, first, header, issues):
            if (item.key, metric.key) in found:
                issues.append(Issue("duplicate_row", f"{item.label_zh} {metric.label_zh} appears "
                                    "again; the first is kept", ACTIVE, item.key, metric.key,
                                    line=row.line))
                continue
            found[(item.key, metric.key)] = row.line
            if unread is not None:  # seen, not attributable: NULL with its text
                values.append(_value(ACTIVE, item.key, metric.key, unread, UNREAD, row))
                continue
            text = None if cell is None else cell.text
            if metric.key in T.AMOUNT_METRICS:
                parsed = parse_amount(text, unit)
            else:
                parsed = parse_count(text, signed=metric.key in T.SIGNED_METRICS)
            v = _value(ACTIVE, item.key, metric.key, cell, parsed, row)
            values.append(v)
            if issue := _value_issue(v, parsed):
                issues.append(issue)
    if not found:
        issues.append(Issue("missing_table", "the proactive disclosure tables (section 二) were "
                            "not found", ACTIVE))
    elif template:
        issues.extend(_missing_active(found, issues, template))
    return values, issues


def _missing_active(found: dict[tuple[str, str], int], issues: list[Issue],
                    template: str) -> list[Issue]:
    missing = []
    items_found = {i for i, _ in found}
    expected = T.DISCLOSURE_CELLS[template]
    for item_key in dict.fromkeys(i for i, _ in expected):
        if item_key not in items_found:
            missing.append(Issue("missing_row", f"item {item_key} not found", ACTIVE, item_key))
    flagged = {(i.row_key, i.column_key) for i in issues if i.code == "missing_cell"}
    for item_key, metric_key in expected:
        if item_key in items_found and (item_key, metric_key) not in found.keys() | flagged:
            missing.append(Issue("missing_cell", f"{item_key} has no {metric_key} column",
                                 ACTIVE, item_key, metric_key))
    return missing


def grids_to_tables(blocks: list[Block], headings: dict[int, Section], year: int | None) -> Tables:
    rows = tag_rows(blocks, headings)
    prose = "\n".join(b.text for b in blocks if isinstance(b, Paragraph))
    template, issues = detect_template(rows, year, prose)
    by_table = {t: [r for r in rows if r.table == t] for t in TABLES}
    for table in TABLES:
        # Cells run together (crawled text) cut into the form's cells, by the digits and the
        # form's own sums (SPEC, *No silent number*); a run that cannot be cut stays joined.
        by_table[table], split_issues = split_joined(by_table[table], table, template, prose)
        issues.extend(split_issues)
    values: list[CellValue] = []
    for mapped in (map_active(by_table[ACTIVE], template),
                   map_applications(by_table[APPLICATIONS], template),
                   map_review(by_table[REVIEW])):
        values.extend(mapped[0])
        issues.extend(mapped[1])
    return Tables(template, values, issues)

