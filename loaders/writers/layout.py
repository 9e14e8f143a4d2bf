"""The tables of a report drawn as a real document draws them: placed cells with row and column
spans, with the layout quirks seen in agencies' Word-made pages, for the HTML, Word and PDF writers
(``formats``).

A reader's grid lists a table's cells row by row, as Word's text export does: a cell covered by a
vertical merge is an empty cell, a cell covering several grid columns is one cell. Written back as
is, its rows have different lengths (8, 9, 10 cells in section 三), which no real page has. Here
each table of the form gets back the spans the national form gives it (the label of 一、本年新收
across three label columns, 三、本年度办理结果 down 22 rows, 申请人情况 across seven columns), and
a layout may add one quirk:

- ``label_spans_three_columns``: the form as drawn, nothing more (the labels' three grid columns);
- ``spacer_column``: an empty grid column between 科研机构 and 社会公益组织, empty in every row, under
  the 法人或其他组织 header;
- ``colspan_in_data_row``: the header has an empty spacer column beside 自然人, and every data row's
  自然人 value spans it (``colspan="2"``): each row has 8 cells where the form has 7 grid columns;
- ``blank_pair_merged``: in each row of section 三, the first two neighbouring blank cells merged
  into one (a blank spanning two of the form's columns);
- ``header_span_offset``: the header's spans and the data rows' spans do not line up. Section 二:
  header ``信息内容 | 上一年项目数量 | 本年增/减 (2 columns) | 处理决定数量``, data ``行政许可 |
  5 (2 columns) | 3 | 12``; section 三: the rows labelled 一、二、四、 have a label over two grid
  columns and a 自然人 value over the third label column and 自然人's own.

The texts are the document's own, cell for cell (header labels, values and their spaces): only
the spans change. A table that is not one of the form's, or that cannot be taken apart safely,
keeps its own cells (``plain_layout``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Grid

LAYOUTS = ("label_spans_three_columns", "spacer_column", "colspan_in_data_row",
           "blank_pair_merged", "header_span_offset")


@dataclass
class Placed:
    """A cell of a drawn table: its text and the grid rectangle it covers."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Layout:
    """A table as drawn: every grid position covered by exactly one placed cell."""

    cols: int
    rows: int
    cells: list[Placed] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # relative width of each grid column
    header_rows: int = 0  # rows a page break may repeat (section 三's header)
    kind: str = "other"  # active_disclosure | applications | review_litigation | other

    def add(self, text: str, row: int, col: int, rowspan: int = 1, colspan: int = 1) -> None:
        self.cells.append(Placed(text, row, col, rowspan, colspan))

    def complete(self) -> "Layout":
        """Positions no cell covers get an empty cell; cells sorted in reading order."""
        covered = {(r, c) for p in self.cells for r in range(p.row, p.row + p.rowspan)
                   for c in range(p.col, p.col + p.colspan)}
        for r in range(self.rows):
            for c in range(self.cols):
                if (r, c) not in covered:
                    self.add("", r, c)
        self.cells.sort(key=lambda p: (p.row, p.col))
        if not self.widths:
            self.widths = [1.0] * self.cols
        return self


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u3000", ""))


def _blank(text: str) -> bool:
    return not text.strip(" \t\n\u00a0\u3000")


def _labelish(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def _kind(grid: Grid) -> str:
    text = _norm("".join(c.text for row in grid.rows for c in row))
    if "自然人" in text:
        return "applications"
    if "行政复议" in text and "行政诉讼" in text:
        return "review_litigation"
    if "信息内容" in text:
        return "active_disclosure"
    return "other"


def plain_layout(grid: Grid) -> Layout:
    """The grid's cells one per position, short rows padded with empty cells at the end."""
    width = max((len(row) for row in grid.rows), default=0)
    layout = Layout(width, len(grid.rows), kind=_kind(grid))
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            layout.add(cell.text, r, c)
    if layout.kind == "applications":
        layout.header_rows = next((r for r, row in enumerate(grid.rows)
                                   if not _APP_HEADER.search(_norm("".join(c.text for c in row)))),
                                  0)
    return layout.complete()


def grid_layout(grid: Grid, layout: str) -> Layout:
    """The grid drawn as the national form draws its table, with the quirk ``layout`` (one of
    ``LAYOUTS``); a table that is not the form's keeps its own cells. A table of the form whose
    cells cannot be taken apart safely raises ``ValueError``: a writer asked for a quirk does not
    quietly write something else."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {LAYOUTS}")
    kind = _kind(grid)
    drawn = None
    if kind == "applications":
        drawn = _applications(grid, layout)
    elif kind == "review_litigation":
        drawn = _review(grid)
    elif kind == "active_disclosure":
        drawn = _disclosure(grid, layout)
    if kind == "other":
        return plain_layout(grid)
    if drawn is None:
        raise ValueError(f"grid {grid.index} looks like the {kind} table but its cells do not "
                         "fit the form's: cannot draw it as the form")
    return drawn.complete()


# ---------------------------------------------------------------------------------------------
# Section 三
# ---------------------------------------------------------------------------------------------

_APP_HEADER = re.compile(r"自然人|商业|科研|申请人情况|勾稽|本列数据|法人或其他组织|社会公益|法律服务")
# Header names, what finds them in a header cell, and the form's text when the document has none.
_APP_NAMES = (
    ("corner", r"勾稽|本列数据", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
    ("applicants", r"申请人情况", "申请人情况"),
    ("natural_person", r"自然人", "自然人"),
    ("legal", r"法人", "法人或其他组织"),
    ("commercial", r"商业", "商业企业"),
    ("research", r"科研", "科研机构"),
    ("social_welfare", r"公益", "社会公益组织"),
    ("legal_services", r"法律服务", "法律服务机构"),
    ("other_org", r"^其他$", "其他"),
    ("total", r"^总计$", "总计"),
)
_APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_services",
               "other_org", "total")
_LEVELS = (re.compile(r"^[一二三四五六七八九十]+、"), re.compile(r"^[（(][一二三四五六七八九十]+[）)]"),
           re.compile(r"^\d+[.．、]"))


@dataclass
class _DataRow:
    labels: list[tuple[int, str]]  # (label column 0-2, text) of the label cells it has
    values: list[str]  # the seven applicant cells


def _level(text: str, after: int) -> int:
    norm = _norm(text)
    for level, pattern in enumerate(_LEVELS):
        if pattern.match(norm):
            return max(level, after)
    return min(after, 2)


def _data_row(cells: list[str]) -> _DataRow | None:
    last = max((j for j, t in enumerate(cells) if _labelish(t)), default=-1)
    if last < 0:
        return None
    values = cells[last + 1:]
    # Padding of a ragged row (text copied from a PDF): empty strings, never a blank cell's NBSP.
    while len(values) > 7 and values[-1] == "":
        values.pop()
    while len(values) > 7 and values[0] == "":
        values.pop(0)
    if len(values) != 7:
        return None
    labels: list[tuple[int, str]] = []
    for text in cells[:last + 1]:
        if _blank(text):
            continue  # a position covered by the merged label above
        level = _level(text, labels[-1][0] + 1 if labels else 0)
        labels.append((level, text))
    return _DataRow(labels, values)


def _blank_pair(row: _DataRow) -> str | None:
    """The first of the row's first two neighbouring blank cells."""
    values = dict(zip(_APPLICANTS, row.values))
    return next((a for a, b in zip(_APPLICANTS, _APPLICANTS[1:])
                 if _blank(values[a]) and _blank(values[b])), None)


def _applications(grid: Grid, quirk: str) -> Layout | None:
    texts = [[c.text for c in row] for row in grid.rows]
    names: dict[str, str] = {}
    rows: list[_DataRow] = []
    for cells in texts:
        if _APP_HEADER.search(_norm("".join(cells))):
            for text in cells:  # a header repeated after a page break adds nothing new
                for name, pattern, _ in _APP_NAMES:
                    if name not in names and re.search(pattern, _norm(text)):
                        names[name] = text
                        break
            continue
        if all(_blank(t) for t in cells):
            continue
        row = _data_row(cells)
        if row is None:
            return None
        rows.append(row)
    if not rows:
        return None
    for name, _, default in _APP_NAMES:
        names.setdefault(name, default)

    slots = list(_APPLICANTS)
    if quirk == "spacer_column":
        slots.insert(slots.index("social_welfare"), "spacer")
    elif quirk == "colspan_in_data_row":
        slots.insert(1, "pad")
    first = 3  # the three label columns
    col = {s: first + i for i, s in enumerate(slots)}
    layout = Layout(first + len(slots), 3 + len(rows), header_rows=3, kind="applications",
                    widths=[12, 16, 48] + [3 if s in ("spacer", "pad") else 11 for s in slots])
    layout.add(names["corner"], 0, 0, rowspan=3, colspan=first)
    layout.add(names["applicants"], 0, first, colspan=len(slots))
    layout.add(names["natural_person"], 1, col["natural_person"], rowspan=2)
    if "pad" in col:
        layout.add("", 1, col["pad"], rowspan=2)  # the header's spacer beside 自然人
    layout.add(names["legal"], 1, col["commercial"],
               colspan=col["other_org"] - col["commercial"] + 1)
    layout.add(names["total"], 1, col["total"], rowspan=2)
    for s in slots[slots.index("commercial"):slots.index("other_org") + 1]:
        layout.add(names.get(s, ""), 2, col[s])

    if quirk == "blank_pair_merged" and not any(_blank_pair(row) for row in rows):
        raise ValueError("blank_pair_merged: no row of section 三 has two neighbouring blank cells")
    for i, row in enumerate(rows):
        r = 3 + i
        offset = quirk == "header_span_offset" and [lv for lv, _ in row.labels] == [0]
        for k, (level, text) in enumerate(row.labels):
            end = row.labels[k + 1][0] if k + 1 < len(row.labels) else first
            if offset:
                end = first - 1
            # A label spans down the rows below it that have only deeper labels.
            down = 1
            while i + down < len(rows) and (not rows[i + down].labels
                                            or rows[i + down].labels[0][0] > level):
                down += 1
            layout.add(text, r, level, rowspan=down if k + 1 < len(row.labels) else 1,
                       colspan=max(1, end - level))
        values = dict(zip(_APPLICANTS, row.values))
        merged = _blank_pair(row) if quirk == "blank_pair_merged" else None
        skip = False
        for s in slots:
            if skip:
                skip = False
                continue
            if s == "spacer":
                layout.add("", r, col[s])
            elif s == "pad":
                continue  # covered by the 自然人 value on its left
            elif s == merged:
                layout.add(values[s], r, col[s], colspan=2)
                skip = True
            elif s == "natural_person" and offset:
                layout.add(values[s], r, col[s] - 1, colspan=2)
            elif s == "natural_person" and "pad" in col:
                layout.add(values[s], r, col[s], colspan=2)
            else:
                layout.add(values[s], r, col[s])
    return layout


# ---------------------------------------------------------------------------------------------
# Section 四
# ---------------------------------------------------------------------------------------------

_REVIEW_GROUPS = (("review", r"^行政复议"), ("litigation", r"^行政诉讼"),
                  ("direct", r"未经复议"), ("after", r"复议后"))


def _review(grid: Grid) -> Layout | None:
    groups: dict[str, str] = {}
    leaves: list[str] = []
    values: list[str] | None = None
    for row in grid.rows:
        texts = [c.text for c in row]
        if any(_labelish(t) for t in texts):
            for text in texts:
                if _blank(text):
                    continue
                name = next((n for n, p in _REVIEW_GROUPS if re.search(p, _norm(text))), None)
                if name and name not in groups:
                    groups[name] = text
                else:
                    leaves.append(text)
        elif values is None and len(texts) >= 15:
            values = texts[-15:]
    if len(groups) != 4 or len(leaves) != 15 or values is None:
        return None
    layout = Layout(15, 4, kind="review_litigation")
    layout.add(groups["review"], 0, 0, colspan=5)
    layout.add(groups["litigation"], 0, 5, colspan=10)
    for c in range(5):
        layout.add(leaves[c], 1, c, rowspan=2)
    layout.add(groups["direct"], 1, 5, colspan=5)
    layout.add(groups["after"], 1, 10, colspan=5)
    for c in range(5, 15):
        layout.add(leaves[c], 2, c)
    for c, text in enumerate(values):
        layout.add(text, 3, c)
    return layout


# ---------------------------------------------------------------------------------------------
# Section 二
# ---------------------------------------------------------------------------------------------

def _spans(k: int, offset: bool, header: bool) -> list[tuple[int, int]]:
    """Grid columns [start, end) of ``k`` metric cells after the label column."""
    if not offset:  # four grid columns: the last metric takes what is left
        bounds = [1, 2, 3][:k] + [4]
    elif header:  # five: 信息内容 | m1 | m2 (2 columns) | m3
        bounds = {1: [1, 5], 2: [1, 2, 5], 3: [1, 2, 4, 5]}[k]
    else:  # label | v1 (2 columns) | v2 | v3
        bounds = {1: [1, 5], 2: [1, 3, 5], 3: [1, 3, 4, 5]}[k]
    return list(zip(bounds, bounds[1:]))


def _disclosure(grid: Grid, quirk: str) -> Layout | None:
    offset = quirk == "header_span_offset"
    width = 5 if offset else 4
    layout = Layout(width, len(grid.rows), kind="active_disclosure",
                    widths=[60] + [(120 / (width - 1))] * (width - 1))
    k = 0
    for r, row in enumerate(grid.rows):
        texts = [c.text for c in row]
        filled = [t for t in texts if not _blank(t)]
        if not filled:
            layout.add(texts[0] if texts else "", r, 0, colspan=width)
        elif "第二十条" in _norm(texts[0]) and len(filled) == 1:
            layout.add(texts[0], r, 0, colspan=width)
        elif _norm(texts[0]) == "信息内容":
            metrics = [t for t in texts[1:] if not _blank(t)]
            if not 1 <= len(metrics) <= 3 or texts[1:1 + len(metrics)] != metrics:
                return None
            k = len(metrics)
            layout.add(texts[0], r, 0)
            for text, (a, b) in zip(metrics, _spans(k, offset, header=True)):
                layout.add(text, r, a, colspan=b - a)
        else:
            values = texts[1:1 + k]
            if not k or len(values) != k or any(not _blank(t) for t in texts[1 + k:]):
                return None
            layout.add(texts[0], r, 0)
            for text, (a, b) in zip(values, _spans(k, offset, header=False)):
                layout.add(text, r, a, colspan=b - a)
    return layout


def split_at(layout: Layout, at: int, repeat_header: bool) -> tuple[Layout, Layout]:
    """The table cut before row ``at`` as a page break cuts it: a cell spanning the break keeps
    its text above it and continues as an empty cell below; the header rows start the second
    part again if ``repeat_header``."""
    top = Layout(layout.cols, at, widths=layout.widths, header_rows=layout.header_rows,
                 kind=layout.kind)
    head = layout.header_rows if repeat_header else 0
    bottom = Layout(layout.cols, head + layout.rows - at, widths=layout.widths,
                    header_rows=head, kind=layout.kind)
    for p in layout.cells:
        end = p.row + p.rowspan
        if p.row < at:
            top.add(p.text, p.row, p.col, min(end, at) - p.row, p.colspan)
            if end > at:
                bottom.add("", head, p.col, end - at, p.colspan)
            if repeat_header and p.row < head:
                bottom.add(p.text, p.row, p.col, p.rowspan, p.colspan)
        else:
            bottom.add(p.text, head + p.row - at, p.col, p.rowspan, p.colspan)
    return top.complete(), bottom.complete()
