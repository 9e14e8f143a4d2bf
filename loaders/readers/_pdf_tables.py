"""Ruled tables of a PDF page, and tables continued over pages: the geometry the PDF reader needs.

A chain of pure steps over pdfplumber's objects (points, y growing downwards):

- ``underlines``: short horizontal segments under text are underlines, not cell borders. An
  underline hugs a text line's baseline and is about as long as that text; a border runs on past
  the text to the next column boundary (sample ``pdf_underlined_label.pdf``: a justified,
  underlined label fills its cell, its underline reaches both side borders and would cut the row
  in two);
- ``closing_lines``: where a table's vertical rules run on past its last horizontal rule, the
  table is open there; a rule is drawn across the verticals' ends so that the row they hold is
  read (sample ``pdf_row_across_page_break.pdf``: Word prints the first row on a new page without
  a top rule when its cells have ``border-top:none``, and the row was lost);
- ``table_part``: a pdfplumber table as rows of ``PdfCell`` with their x-edges;
- ``row_from_lines``: where even the side rules are missing, the text lines between the top of
  the page and a continued table's first rule are made a row, placed by the table's column edges;
- ``continue_table``: a table continued at the top of the next page is appended to the one that
  ended the previous page: its repeated header rows are dropped, and a row cut by the page break
  is joined into one row (sample ``pdf_row_split_over_pages.pdf``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple

TOLERANCE = 3.0  # pdfplumber's snap/join/intersection tolerance, in points
SAME_X = 2.0  # two x-edges this close are one column boundary


class PdfCell(NamedTuple):
    """A table position: its text, whether a merged cell covers it, and its x-edges in points."""

    text: str
    span: bool
    x0: float
    x1: float


@dataclass
class TablePart:
    """The part of a table that stands on one page (or several parts already joined)."""

    rows: list[list[PdfCell]]
    edges: list[float]  # column boundaries, left edge to right edge
    open_top: bool = False  # its first row had no rule above it (closed by ``closing_lines``)
    open_bottom: bool = False

    @property
    def x0(self) -> float:
        return self.edges[0]

    @property
    def x1(self) -> float:
        return self.edges[-1]


# ---------------------------------------------------------------------------------------------
# Underlines and open table ends
# ---------------------------------------------------------------------------------------------

def underlines(horizontal: list[dict], chars: list[dict]) -> list[dict]:
    """The horizontal edges that underline text rather than bound a cell.

    ``horizontal`` are merged edges (collinear segments joined), so that a border drawn cell by
    cell is judged by its whole length."""
    if not horizontal or not chars:
        return []
    by_bottom = sorted(chars, key=lambda c: c["bottom"])
    bottoms = [c["bottom"] for c in by_bottom]
    found = []
    for edge in horizontal:
        y = edge["top"]
        # chars whose bottom is near the segment: it sits just under their baseline
        near = by_bottom[bisect_left(bottoms, y - 12):bisect_right(bottoms, y + 12)]
        hugging = [c for c in near if c["x1"] > edge["x0"] and c["x0"] < edge["x1"]
                   and -0.35 * c["size"] <= y - c["bottom"] <= 0.4 * c["size"]
                   and c["text"].strip()]
        if not hugging:
            continue
        size = max(c["size"] for c in hugging)
        left, right = min(c["x0"] for c in hugging), max(c["x1"] for c in hugging)
        slack = max(TOLERANCE, 0.6 * size)  # an underlined trailing space, rounding
        if edge["x0"] >= left - slack and edge["x1"] <= right + slack:
            found.append(edge)
    return found


def _on_some(y: float, x: float, horizontal: list[dict]) -> bool:
    return any(abs(h["top"] - y) <= TOLERANCE and h["x0"] - TOLERANCE <= x <= h["x1"] + TOLERANCE
               for h in horizontal)


def closing_lines(vertical: list[dict], horizontal: list[dict]) -> list[dict]:
    """Horizontal rules across the loose ends of vertical rules: where two or more verticals end
    at the same height on no horizontal rule, the table is open there (a row without its top or
    bottom rule) and this line closes it."""
    ends: list[tuple[float, float]] = []
    for v in vertical:
        x = v["x0"]
        for y in (v["top"], v["bottom"]):
            if not _on_some(y, x, horizontal):
                ends.append((y, x))
    lines = []
    ends.sort()
    group: list[tuple[float, float]] = []
    for end in ends + [(float("inf"), 0.0)]:
        if group and end[0] - group[0][0] > TOLERANCE:
            xs = [x for _, x in group]
            if len(group) >= 2 and max(xs) - min(xs) > TOLERANCE:
                y = group[0][0]
                lines.append({"object_type": "closing_edge", "orientation": "h", "x0": min(xs),
                              "x1": max(xs), "top": y, "bottom": y, "width": max(xs) - min(xs),
                              "height": 0.0})
            group = []
        group.append(end)
    return lines


# ---------------------------------------------------------------------------------------------
# Table parts
# ---------------------------------------------------------------------------------------------

def _union(*edge_lists: list[float]) -> list[float]:
    merged: list[float] = []
    for x in sorted(x for edges in edge_lists for x in edges):
        if not merged or x - merged[-1] > SAME_X:
            merged.append(x)
    return merged


def table_part(table, closing_ys: list[float]) -> TablePart:
    """A pdfplumber ``Table`` as rows of cells with their edges; a position covered by a merged
    cell (pdfplumber's None) is a span whose edges are its column's."""
    texts = table.extract()
    rows_bboxes = table.rows
    edges = _union([c[0] for c in table.cells], [max(c[2] for c in table.cells)])
    rows = []
    for row, row_texts in zip(rows_bboxes, texts):
        cells = []
        for i, (bbox, text) in enumerate(zip(row.cells, row_texts)):
            if bbox is None:
                cells.append(PdfCell("", True, _r(edges[i]), _r(edges[i + 1])))
            else:
                cells.append(PdfCell(text or "", False, _r(bbox[0]), _r(bbox[2])))
        rows.append(cells)
    top, bottom = table.bbox[1], table.bbox[3]
    return TablePart(rows, [_r(x) for x in edges],
                     open_top=any(abs(y - top) <= 1 for y in closing_ys),
                     open_bottom=any(abs(y - bottom) <= 1 for y in closing_ys))


def _r(x: float) -> float:
    return round(x, 2)


def _reslot(rows: list[list[PdfCell]], edges: list[float]) -> list[list[PdfCell]]:
    """Rows re-expressed over the column boundaries ``edges``: each cell at the boundary where it
    starts, the other positions spans."""
    out = []
    for row in rows:
        real = [c for c in row if not c.span]
        cells = []
        for i in range(len(edges) - 1):
            cell = next((c for c in real if abs(c.x0 - edges[i]) <= SAME_X), None)
            cells.append(cell or PdfCell("", True, edges[i], edges[i + 1]))
        out.append(cells)
    return out


def same_columns(a: TablePart, b: TablePart) -> bool:
    """Whether ``b`` can continue ``a``: same outer edges, and the column boundaries of one are
    among those of the other (a page holding only rows with merged labels shows fewer)."""
    if abs(a.x0 - b.x0) > SAME_X or abs(a.x1 - b.x1) > SAME_X:
        return False
    small, large = sorted((a.edges, b.edges), key=len)
    return all(any(abs(x - y) <= SAME_X for y in large) for x in small)


# ---------------------------------------------------------------------------------------------
# A table continued on the next page
# ---------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+\-−]?[\d.,，\s]+(万元|元|万|件|条|个|项|%)?")
# A label that begins a row of the form: （四）, 四、, 4. -- never the continuation of another label.
_MARKER = re.compile(r"\s*([（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[.、．])")


def _numeric(text: str) -> bool:
    text = text.strip()
    return bool(text) and bool(_NUMBER.fullmatch(text))


def _origin(rows: list[list[PdfCell]], j: int) -> tuple[int, int] | None:
    """(row, column) of the cell that covers column ``j`` of the last row: the cell itself, the
    merged cell to its left, or the cell above whose rowspan reaches down to it."""
    last = rows[-1]
    middle = (last[j].x0 + last[j].x1) / 2
    for k, cell in enumerate(last):
        if not cell.span and cell.x0 - SAME_X <= last[j].x0 and middle < cell.x1:
            return len(rows) - 1, k
    for r in range(len(rows) - 2, -1, -1):
        if not rows[r][j].span:
            return r, j
    return None


def _join_split_row(rows: list[list[PdfCell]], first: list[PdfCell]) -> bool:
    """Join ``first`` (the first row on the new page) into the row the page break cut, if it is
    that row's continuation: each of its filled cells stands where a cell of that row stands
    (same edges) and either continues that cell's text (not a new label: （四）, 四、, 4.) or
    brings the numbers that row lacks. Returns whether it was joined."""
    last = rows[-1]
    filled = [j for j, c in enumerate(first) if not c.span and c.text.strip()]
    if not filled or not any(c.text.strip() for c in last):
        return False  # an empty row (or the empty slice of a cut row) is kept as it is
    joins = []
    for j in filled:
        cell = first[j]
        origin = _origin(rows, j)
        if origin is None:
            return False
        r, k = origin
        above = rows[r][k]
        if abs(above.x0 - cell.x0) > SAME_X or abs(above.x1 - cell.x1) > SAME_X:
            return False
        if _numeric(cell.text):
            if r != len(rows) - 1 or above.text.strip():
                return False
        elif not above.text.strip() or _numeric(above.text) or _MARKER.match(cell.text):
            return False
        joins.append((r, k, cell.text))
    for r, k, text in joins:
        above = rows[r][k]
        joined = f"{above.text}\n{text}" if above.text.strip() else text
        rows[r][k] = above._replace(text=joined)
    return True


def _chunks(chars: list[dict]) -> list[tuple[float, float, str]]:
    """A line's chars as runs (x0, x1, text) separated by gaps wider than a character."""
    runs: list[list[dict]] = []
    for c in sorted((c for c in chars if c["text"].strip()), key=lambda c: c["x0"]):
        if runs and c["x0"] - runs[-1][-1]["x1"] <= 0.8 * c["size"]:
            runs[-1].append(c)
        else:
            runs.append([c])
    return [(r[0]["x0"], r[-1]["x1"], "".join(c["text"] for c in r)) for r in runs]


def row_from_lines(lines: list[list[dict]], edges: list[float]) -> list[PdfCell] | None:
    """A row made of text lines (their chars) that stand above a continued table's first rule,
    with no rule of their own: numbers each inside one column, labels to their left, all within
    the table. None if the lines do not read as a row (a heading, prose, text outside the table):
    they are then kept as text."""
    def slot(x: float) -> int:
        return max(i for i in range(len(edges) - 1) if edges[i] <= x + SAME_X)

    chunks = [(k, chunk) for k, line in enumerate(lines) for chunk in _chunks(line)]
    if not chunks or any(x0 < edges[0] - SAME_X or x1 > edges[-1] + SAME_X
                         for _, (x0, x1, _) in chunks):
        return None
    numbers = [(slot(x0), text) for _, (x0, x1, text) in chunks
               if _numeric(text) and slot(x0) == slot(x1 - SAME_X) > 0]
    if not numbers:
        return None
    first = min(j for j, _ in numbers)
    labels = [(k, slot(x0), slot(x1 - SAME_X), text) for k, (x0, x1, text) in chunks
              if not (_numeric(text) and slot(x0) == slot(x1 - SAME_X) > 0)]
    if any(end >= first for _, _, end, _ in labels):
        return None  # text among the numbers: not a row of this table
    cells = [PdfCell("", False, edges[i], edges[i + 1]) for i in range(len(edges) - 1)]
    for j, text in numbers:
        old = cells[j].text
        cells[j] = cells[j]._replace(text=f"{old} {text}" if old else text)
    if labels:
        start, end = min(a for _, a, _, _ in labels), max(b for _, _, b, _ in labels)
        by_line: dict[int, str] = {}
        for k, _, _, text in labels:
            by_line[k] = by_line.get(k, "") + text
        cells[start] = PdfCell("\n".join(by_line[k] for k in sorted(by_line)), False,
                               edges[start], edges[end + 1])
        for i in range(start + 1, end + 1):
            cells[i] = cells[i]._replace(span=True)
    return cells


def continue_table(a: TablePart, b: TablePart) -> None:
    """Append ``b``, the table at the top of a page, to ``a``, the table that ended the page
    before: header rows it repeats are dropped, a row cut by the page break is joined."""
    edges = _union(a.edges, b.edges)
    if len(edges) != len(a.edges) or len(edges) != len(b.edges):
        a.rows, a.edges = _reslot(a.rows, edges), edges
        b_rows = _reslot(b.rows, edges)
    else:
        b_rows = list(b.rows)
    head = [[c.text for c in row] for row in a.rows[:3]]
    while b_rows and [c.text for c in b_rows[0]] in head:
        b_rows.pop(0)  # a header repeated at the top of the page
    if b_rows and a.rows and _join_split_row(a.rows, b_rows[0]):
        b_rows.pop(0)
    a.rows.extend(b_rows)
    a.open_bottom = b.open_bottom
