"""Ruled tables of a PDF page, and tables continued over pages: the geometry the PDF reader needs.

Both PDF backends (pypdfium2, ``_pdfium``; pdfplumber, the fallback) describe a page the same way,
as a ``PageGeometry``: its chars with their boxes and its horizontal and vertical segments (points,
y growing downwards, as pdfplumber measures). Everything after that is here, a chain of pure steps:

- ``find_tables``: the page's ruled tables, found as pdfplumber's table finder finds them with its
  "lines" strategy (edges snapped and joined within 3 pt, their intersections, the smallest cells
  they close, cells grouped by shared corners), underlines left out and open ends closed first;
  the text of a cell is its chars put together as pdfplumber's ``extract_text`` does (lines of
  chars whose tops lie within 3 pt, words split at a gap over 3 pt or a blank). Written over
  tuples rather than pdfplumber's dicts for speed, with sorted passes and bisection where
  pdfplumber rescans (a cell's neighbours, a table's cells, a cell's chars);
  tests/test_reader_pdfium.py checks on every PDF of the tests that the tables and texts are
  pdfplumber's own, tests/test_reader_pdf_speed.py that they are what the former, plainer steps
  found (tests/test_speed_pdf_tables.py for ``table_part``'s shorter paths and ``_tables_of``'s
  one pass over the roots);
- ``underlines``: short horizontal segments under text are underlines, not cell borders. An
  underline hugs a text line's baseline and is about as long as that text; a border runs on past
  the text to the next column boundary (sample ``pdf_underlined_label.pdf``: a justified,
  underlined label fills its cell, its underline reaches both side borders and would cut the row
  in two);
- ``closing_lines``: where a table's vertical rules run on past its last horizontal rule, the
  table is open there; a rule is drawn across the verticals' ends so that the row they hold is
  read (sample ``pdf_row_across_page_break.pdf``: Word prints the first row on a new page without
  a top rule when its cells have ``border-top:none``, and the row was lost);
- ``text_lines``: the text outside the tables, line by line (pdfplumber's ``extract_text_lines``);
  its words, and those of a cell of several lines, are found a line at a time (``_word_lines``:
  chars gathered a run of one top at a time, a line's words cut where a blank, a gap or a step
  back is found), and lines whose tops lie within the tolerance are not clustered again by their
  words' tops, which would find the same lines (tests/test_speed_pdf_words.py compares them with
  the former steps);
- ``row_from_lines``: where even the side rules are missing, the text lines between the top of
  the page and a continued table's first rule are made a row, placed by the table's column edges;
- ``continue_table``: a table continued at the top of the next page is appended to the one that
  ended the previous page: its repeated header rows are dropped, and a row cut by the page break
  is joined into one row (sample ``pdf_row_split_over_pages.pdf``).

Compiled (``_pdf_tables_c.pyx``, Cython, used where built unless ``OGI_PURE_PYTHON=1``): the
edges merged (``merge_edges``), the cells they close (``_intersections`` then ``_cells``) and
their grouping into tables (``_tables_of``), in C doubles over the same comparisons and sums;
the chars by their middles and ``table_part`` (with ``cell_text``), compiled as written, on the
same Python objects; ``_line_words``, its comparisons in C doubles; and ``pdf_file._outside``,
in C doubles. The Python functions stay the fallback and the reference
(tests/test_pdf_tables_compiled.py compares them exactly). ``_word_lines`` and ``_line_words``
compiled as written, on objects, ran slower than here (Python 3.11 specialises their float
comparisons; Cython on objects does not). Measured with benchmarks/ab_load.py (60 printed PDFs
of the generated corpus, the reader only, interleaved against the tree without the module;
medians a file, on a loaded machine): 16.5 ms before, 14.2 ms after (new/old 0.85; the cells
and tables alone: 19.4 and 17.9 ms, 0.91).

Then ``middles`` and ``table_part``, compiled on Python objects, were still the most of
``find_tables``' time (0.6 and 1.4 ms of 2.8 ms a printed PDF of the corpus, the reader 11 ms):
``_pdf_tables_c.parts`` does both for all the page's tables in C doubles, making Python objects
only for what it gives back (a cell's chars are those whose middle lies in it, which is what the
bands and slices of ``table_part`` find; a cell of one line has its text made as ``cell_text``
makes it, in C; a cell of several lines is given to ``cell_text``). ``find_tables`` then took
1.5 ms. The reader, 40 printed PDFs of the corpus, median CPU ms a file of three reads, the old
tree (/work/main) and this one each in its own process, six rounds in turn (2 cores shared):
10.65 10.09 11.07 10.73 10.90 10.44 before, 9.47 8.91 9.42 9.89 9.23 8.89 after (medians 10.69
and 9.33 ms; new/old 0.87). tests/test_pdf_tables_compiled.py compares ``parts`` with the Python
steps on every page of the tests' PDFs and on random grids and chars.

``text_lines`` (0.7 ms a printed PDF, most of it ``_word_lines``) is also compiled
(``_pdf_tables_c.text_lines``) where all chars are upright and all lines flat, most pages: the
runs, the clusters of their tops and each line's chars by x0 in C doubles, and each line's text
made from its words' places without their ``Word`` objects (0.73 -> 0.34 ms a PDF on the
chars ``text_lines`` is given). The reader, the same 40 PDFs, in one process, file by file
alternating with the compiled ``text_lines`` handed back (six reads of each file each way;
benchmark run three times): 8.97 -> 8.49, 8.98 -> 8.57, 8.77 -> 8.49 ms (new/old 0.96). Only
``_word_lines``' runs and clusters in C (each line's words still by ``line_words``) gained 1%
of the reader: not kept. Both steps against the tree before them (5637791), each tree in its
own process, six rounds in turn (40 PDFs, the median of three reads a file): 9.88 -> 8.26 ms
CPU a file (the medians of the rounds; new/old 0.83).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import count, groupby, islice
from math import copysign, isfinite
from operator import itemgetter
from typing import NamedTuple

from . import _compiled as compiled_loops

TOLERANCE = 3.0  # pdfplumber's snap/join/intersection tolerance, in points
SAME_X = 2.0  # two x-edges this close are one column boundary
TEXT_TOLERANCE = 3.0  # pdfplumber's x/y tolerance when it puts chars together into words and lines
# pdfplumber expands these ligatures when it joins chars into words
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


class Char(NamedTuple):
    """A char and its box: x from its origin to its advance, ``top`` a font size above
    ``bottom``, which is the baseline less the font's descent from pdfminer, the baseline from
    pdfium (the tables and lines come out the same: tests/test_reader_pdfium.py)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    upright: bool = True


class Edge(NamedTuple):
    """A segment: horizontal (``top == bottom``) or vertical (``x0 == x1``)."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class PageGeometry:
    """What a backend reads of a page: chars in content order, segments by orientation."""

    chars: list[Char]
    horizontal: list[Edge] = field(default_factory=list)
    vertical: list[Edge] = field(default_factory=list)


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
# Segments: snapped and joined as pdfplumber's ``merge_edges``
# ---------------------------------------------------------------------------------------------

def _clusters(values: list[float], tolerance: float) -> dict[float, int]:
    """Each value's cluster: sorted values chained while each is within ``tolerance`` of the
    one before (pdfplumber's ``cluster_list``)."""
    index: dict[float, int] = {}
    last = None
    n = -1
    for v in sorted(set(values)):
        if last is None or v > last + tolerance:
            n += 1
        index[v] = n
        last = v
    return index


_FIRST = itemgetter(0)


def merge_edges(edges: list[Edge], horizontal: bool) -> list[Edge]:
    """Edges within ``TOLERANCE`` of each other across their length moved to their average
    position, then collinear edges less than ``TOLERANCE`` apart joined into one."""
    if not edges:
        return []
    # an edge's position across its length, and its span along it
    p, a, b = (1, 0, 2) if horizontal else (0, 1, 3)
    positions = [e[p] for e in edges]
    index = _clusters(positions, TOLERANCE)
    groups: dict[int, list[Edge]] = {}
    for e, at in zip(edges, positions):
        groups.setdefault(index[at], []).append(e)
    merged: list[Edge] = []
    for n in sorted(groups):
        group = groups[n]
        at = sum([e[p] for e in group]) / len(group)
        moved = sorted([(e[a], e[b]) for e in group], key=_FIRST)
        runs = [list(moved[0])]
        for start, end in moved[1:]:
            if start <= runs[-1][1] + TOLERANCE:
                if end > runs[-1][1]:
                    runs[-1][1] = end
            else:
                runs.append([start, end])
        for start, end in runs:
            merged.append(Edge(start, at, end, at) if horizontal else Edge(at, start, at, end))
    return merged


# ---------------------------------------------------------------------------------------------
# Underlines and open table ends
# ---------------------------------------------------------------------------------------------

_BOTTOM = itemgetter(4)  # a Char's bottom


def underlines(horizontal: list[Edge], chars: list[Char], vertical: list[Edge] = ()
               ) -> list[Edge]:
    """The horizontal edges that underline text rather than bound a cell.

    ``horizontal`` are merged edges (collinear segments joined), so that a border drawn cell by
    cell is judged by its whole length. An edge that a vertical rule crosses (``vertical``,
    merged: a rule between two cells standing on it or running through it) is a border,
    however close the text above it: a header row printed with little padding (Chromium's
    print of a page) has text hugging its bottom rule from its first cell to its last."""
    if not horizontal or not chars:
        return []
    by_bottom = sorted(chars, key=_BOTTOM)
    bottoms = [c[4] for c in by_bottom]
    found = []
    for edge in horizontal:
        x0, y, x1 = edge[0], edge[1], edge[2]
        # chars whose bottom is near the segment: it sits just under their baseline (a Char's
        # fields by position: text, x0, x1, top, bottom, size)
        near = by_bottom[bisect_left(bottoms, y - 12):bisect_right(bottoms, y + 12)]
        hugging = [c for c in near if c[2] > x0 and c[1] < x1
                   and -0.35 * c[5] <= y - c[4] <= 0.4 * c[5] and c[0].strip()]
        if not hugging:
            continue
        size = max([c[5] for c in hugging])
        left, right = min([c[1] for c in hugging]), max([c[2] for c in hugging])
        slack = max(TOLERANCE, 0.6 * size)  # an underlined trailing space, rounding
        if edge.x0 >= left - slack and edge.x1 <= right + slack and \
                not _crossed(edge, vertical, slack):
            found.append(edge)
    return found


def _crossed(edge: Edge, vertical: list[Edge], inset: float) -> bool:
    """Whether a vertical rule meets the horizontal ``edge`` away from its ends (more than
    ``inset`` inside them): a rule between two cells on a row's border."""
    x0, y, x1, t = edge[0] + inset, edge[1], edge[2] - inset, TOLERANCE
    return any(x0 < v[0] < x1 and v[1] - t <= y <= v[3] + t for v in vertical)


def _on_some(y: float, x: float, horizontal: list[Edge]) -> bool:
    t = TOLERANCE
    for h in horizontal:
        if abs(h[1] - y) <= t and h[0] - t <= x <= h[2] + t:
            return True
    return False


def closing_lines(vertical: list[Edge], horizontal: list[Edge]) -> list[Edge]:
    """Horizontal rules across the loose ends of vertical rules: where two or more verticals end
    at the same height on no horizontal rule, the table is open there (a row without its top or
    bottom rule) and this line closes it."""
    ends: list[tuple[float, float]] = []
    for v in vertical:
        x = v.x0
        for y in (v.top, v.bottom):
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
                lines.append(Edge(min(xs), y, max(xs), y))
            group = []
        group.append(end)
    return lines


def _within(edge: Edge, lines: list[Edge]) -> bool:
    return any(abs(edge.top - u.top) <= TOLERANCE and edge.x0 >= u.x0 - 0.5
               and edge.x1 <= u.x1 + 0.5 for u in lines)


# ---------------------------------------------------------------------------------------------
# Tables: pdfplumber's table finder with explicit horizontal lines and ruled verticals
# ---------------------------------------------------------------------------------------------

Bbox = tuple[float, float, float, float]  # x0, top, x1, bottom


_TOP_X0 = itemgetter(1, 0)  # an Edge's top, then its x0
_X0_TOP = itemgetter(0, 1)


def _intersections(edges_v: list[Edge], edges_h: list[Edge]
                   ) -> dict[tuple[float, float], tuple[set, set]]:
    """The points where a vertical and a horizontal edge meet within ``TOLERANCE``, each with
    the edges through it (pdfplumber's ``edges_to_intersections``). An edge is named in the
    sets by a number, the same for equal edges (``_cells`` only asks whether two points share
    an edge: a set of small ints is cheaper to fill and to compare than one of edges, whose
    hashes are of four floats)."""
    points: dict[tuple[float, float], tuple[set, set]] = {}
    t = TOLERANCE
    edges_h = sorted(edges_h, key=_TOP_X0)
    tops = [h[1] for h in edges_h]
    names: dict[Edge, int] = {}
    h_names = [names.setdefault(h, len(names)) for h in edges_h]
    for v in sorted(edges_v, key=_X0_TOP):
        vx, vtop, _, vbottom = v
        name = names.setdefault(v, len(names))
        # the horizontal edges at the heights the vertical one reaches
        for j in range(bisect_left(tops, vtop - t), bisect_right(tops, vbottom + t)):
            hx0, htop, hx1, _ = edges_h[j]
            if vtop <= htop + t and vbottom >= htop - t and hx0 - t <= vx <= hx1 + t:
                vertex = (vx, htop)
                through = points.get(vertex)
                if through is None:
                    points[vertex] = ({name}, {h_names[j]})
                else:
                    through[0].add(name)
                    through[1].add(h_names[j])
    return points


def _cells(points: dict[tuple[float, float], tuple[set, set]]) -> list[Bbox]:
    """The smallest rectangles whose four corners are intersections joined by edges
    (pdfplumber's ``intersections_to_cells``): from each point, the first point below it joined
    by a vertical edge and the first point right of it joined by a horizontal edge whose fourth
    corner is joined to both. Two points are joined when they share an edge (the same ``x``
    and a vertical edge, or the same ``y`` and a horizontal one)."""
    ordered = sorted(points)
    by_x: dict[float, list] = {}
    by_y: dict[float, list] = {}
    for pt in ordered:
        by_x.setdefault(pt[0], []).append(pt)
        by_y.setdefault(pt[1], []).append(pt)
    after: dict[tuple[float, float], int] = {}  # a point's place in its column: below it, after
    for column in by_x.values():
        for n, pt in enumerate(column):
            after[pt] = n + 1
    right_of: dict[tuple[float, float], int] = {}  # and in its row: right of it, after
    for row in by_y.values():
        for n, pt in enumerate(row):
            right_of[pt] = n + 1
    cells = []
    get = points.get
    for pt in ordered:
        x, y = pt
        verticals, horizontals = points[pt]
        # the points right of pt joined to it, in order, found as far as needed: the row is
        # read on only while no cell is found with those found so far
        right: list[tuple[float, float]] = []
        row = by_y[y]
        next_right = right_of[pt]
        found = None
        for b in by_x[x][after[pt]:]:
            b_verticals, b_horizontals = points[b]
            if verticals.isdisjoint(b_verticals):
                continue
            by = b[1]
            for r in right:
                corner = get((r[0], by))
                if (corner is not None and not corner[0].isdisjoint(points[r][0])
                        and not corner[1].isdisjoint(b_horizontals)):
                    found = (x, y, r[0], by)
                    break
            while found is None and next_right < len(row):
                r = row[next_right]
                next_right += 1
                r_verticals, r_horizontals = points[r]
                if horizontals.isdisjoint(r_horizontals):
                    continue
                right.append(r)
                corner = get((r[0], by))
                if (corner is not None and not corner[0].isdisjoint(r_verticals)
                        and not corner[1].isdisjoint(b_horizontals)):
                    found = (x, y, r[0], by)
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _corners(bbox: Bbox):
    x0, top, x1, bottom = bbox
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))


def _tables_of(cells: list[Bbox]) -> list[list[Bbox]]:
    """Cells grouped into tables by shared corners, top to bottom, single cells left out
    (pdfplumber's ``cells_to_tables``, which gathers from the first cell left every cell that
    shares a corner with those gathered, until none does: a table is a connected group of
    cells, found here in one pass that joins the groups of cells sharing a corner). A table's
    cells keep the order they were found in, which no step after depends on (each cell has its
    own top left corner)."""
    parent = list(range(len(cells)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    owner: dict[tuple[float, float], int] = {}
    setdefault = owner.setdefault
    for k, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):  # ``_corners``
            j = setdefault(corner, k)
            if j != k:
                a = j if parent[j] == j else root(j)
                b = k if parent[k] == k else root(k)
                if a < b:  # the greater root joined under the lesser
                    parent[b] = a
                elif b < a:
                    parent[a] = b
    # a node's parent is never after it (a root is joined under the lesser root; compressing
    # a path moves a node up): its parent's root found before it, each node's in one pass
    for k in range(len(parent)):
        parent[k] = parent[parent[k]]
    groups: dict[int, list[Bbox]] = {}
    for k, cell in zip(parent, cells):
        group = groups.get(k)
        if group is None:
            groups[k] = [cell]
        else:
            group.append(cell)
    tables = [t for t in groups.values() if len(t) > 1]
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return tables


def _rows(cells: list[Bbox]) -> list[list[Bbox | None]]:
    """A table's cells as rows over its columns, None where a merged cell covers a position."""
    xs = sorted({c[0] for c in cells})
    rows = []
    for _, row in groupby(sorted(cells, key=itemgetter(1, 0)), key=itemgetter(1)):
        at = {c[0]: c for c in row}
        rows.append([at.get(x) for x in xs])
    return rows


def find_tables(page: PageGeometry) -> list[tuple[Bbox, TablePart]]:
    """The page's ruled tables, underlines left out and open ends closed."""
    # As pdfplumber's "lines" strategy takes them (its pre-filter drops segments under 1 pt).
    horizontal = [e for e in page.horizontal if e.x1 - e.x0 >= 1]
    vertical = [e for e in page.vertical if e.bottom - e.top >= 1]
    if not horizontal and not vertical:
        return []
    compiled = compiled_loops.load("_pdf_tables_c")  # these steps in C where built
    merge = merge_edges if compiled is None else compiled.merge_edges
    merged = merge(horizontal, True)
    merged_v = merge(vertical, False)
    under = underlines(merged, page.chars, merged_v)
    if under:
        horizontal = [e for e in horizontal if not _within(e, under)]
        merged = [e for e in merged if e not in under]
    closing = closing_lines(merged_v, merged)
    lines = horizontal + closing
    if len(lines) < 2:
        return []
    # with nothing left out and nothing added, the horizontal edges are merged already
    merged_h = merged if not under and not closing else merge(lines, True)
    edges_h = [e for e in merged_h if e.x1 - e.x0 >= TOLERANCE]
    edges_v = [e for e in merged_v if e.bottom - e.top >= TOLERANCE]
    if compiled is not None:
        tables = compiled.tables_of(compiled.cells(edges_v, edges_h))
    else:
        tables = _tables_of(_cells(_intersections(edges_v, edges_h)))
    if not tables:
        return []
    ys = [c.top for c in closing]
    # the page's chars by their vertical middle, once for all its tables (in page order where
    # two share it: ``table_part`` puts a cell's chars in page order anyway); those above and
    # below all of them left out (``table_part`` takes a table's from between its top and
    # bottom)
    high = min([c[1] for t in tables for c in t])
    low = max([c[3] for t in tables for c in t])
    if compiled is not None:
        # the chars by their middles and the tables' parts at once, in C doubles (None where
        # a value is not a finite float: the steps below then)
        parts = compiled.parts(tables, page.chars, high, low, ys)
        if parts is not None:
            return parts
        middles = compiled.middles(page.chars, high, low)
        heights = [m[0] for m in middles]
        return [compiled.table_part(cells, middles, heights, ys) for cells in tables]
    middles = [(y, (c[1] + c[2]) / 2, n, c) for n, c in enumerate(page.chars)
               if high <= (y := (c[3] + c[4]) / 2) < low]
    middles.sort(key=_down)
    heights = [m[0] for m in middles]
    return [table_part(cells, middles, heights, ys) for cells in tables]


# ---------------------------------------------------------------------------------------------
# Text: chars put together as pdfplumber puts them
# ---------------------------------------------------------------------------------------------

class Word(NamedTuple):
    text: str
    top: float
    chars: list


_UPRIGHT = itemgetter(6)  # a Char's fields, read by position where it is done per char
_X0 = itemgetter(1)
_TOP = itemgetter(3)
_TOP_BOTTOM = itemgetter(3, 4)
_LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")


def _words(chars: list[Char]) -> list[Word]:
    """Chars as words, line by line (pdfplumber's ``WordExtractor``, default settings): chars
    grouped into lines by their tops, each line read left to right, a word ending at a blank, a
    gap over ``TEXT_TOLERANCE`` or a step back. The reader takes them line by line
    (``_word_lines``); this list is what tests/test_speed_pdf_words.py compares with the former
    steps."""
    return [w for line in _word_lines(chars)[0] for w in line]


def _word_lines(chars: list[Char]) -> tuple[list[list[Word]], bool]:
    """``_words`` line by line (a line without a word is an empty list), and whether the lines
    are flat: all chars upright, and in each line the tops within ``TEXT_TOLERANCE`` of each
    other both ways they are compared (``high - low`` and ``low + TEXT_TOLERANCE``). Then
    clustering the words' tops, as ``text_lines`` and ``cell_text`` do, finds these lines again:
    the words of a line have their tops between its least and its greatest, and those of two
    lines are as far apart as the lines' chars are, over the tolerance.

    Made for speed: an upright run's chars are put into lines a run of equal tops at a time
    (pdfium gives a text object's chars one top; the tops clustered are those of the runs, the
    same values), and a line of one top, most lines, is not asked for its tops again."""
    out: list[list[Word]] = []
    flat = True
    t = TEXT_TOLERANCE
    compiled = compiled_loops.load("_pdf_tables_c")  # ``_line_words`` in C where built
    line_words = _line_words if compiled is None else compiled.line_words
    for upright, run in groupby(chars, key=_UPRIGHT):
        if not upright:
            flat = False
            out += _turned_lines(list(run))
            continue
        same_top = [(top, list(same)) for top, same in groupby(run, key=_TOP)]
        index = _clusters([top for top, _ in same_top], t)
        lines: dict[int, list] = {}  # a cluster's chars, and their top if they share one
        for top, same in same_top:
            n = index[top]
            line = lines.get(n)
            if line is None:
                lines[n] = [same, top]
            else:
                line[0] += same
                line[1] = None
        for n in sorted(lines):
            line, top = lines[n]
            line.sort(key=_X0)
            words, within = line_words(line, top)
            out.append(words)
            if not within:
                flat = False
    return out, flat


_BLANK = re.compile(r"\s")  # a char that ``str.isspace``, as in Python's ``re``


def _line_words(line: list[Char], top: float | None) -> tuple[list[Word], bool]:
    """The words of a line of upright chars sorted by x0, and whether its tops lie within
    ``TEXT_TOLERANCE`` (``_word_lines``); ``top`` is the chars' top where they all have one.
    A word ends at a blank and before a char that steps back, starts past the tolerance after
    the char before it, or has a top over the tolerance from that char's."""
    t = TEXT_TOLERANCE
    new_word = tuple.__new__
    if len(line) == 1:
        c = line[0]
        text = c[0]
        if text.isspace():
            return [], True
        return [new_word(Word, (LIGATURES.get(text, text), c[3], line))], True
    if top is None:
        tops = [c[3] for c in line]
        low, high = min(tops), max(tops)
        # (a NaN, an infinite top: not within, every pair compared)
        within = high - low <= t and high <= low + t and isfinite(sum(tops))
    else:
        tops = None
        low = line[0][3]  # the least: the first of equal tops (0.0 and -0.0 are equal)
        within = top - top <= t and isfinite(top)  # (as above, for a line of one top)
    # word starts after the first char: a step back, a gap, a jump in tops
    if within:  # no pair of tops differs by more than ``high - low``
        cuts = [i for i, p, c in zip(count(1), line, islice(line, 1, None))
                if c[1] < p[1] or c[1] > p[2] + t]
    else:
        cuts = [i for i, p, c in zip(count(1), line, islice(line, 1, None))
                if c[1] < p[1] or c[1] > p[2] + t or abs(c[3] - p[3]) > t]
    texts = [c[0] for c in line]
    joined = "".join(texts)
    blanks = ([i for i, text in enumerate(texts) if text.isspace()] if _BLANK.search(joined)
              else None)
    if _LIGATURE.search(joined):
        texts = [LIGATURES.get(x, x) for x in texts]
        joined = "".join(texts)
    if not cuts and not blanks:
        return [new_word(Word, (joined, low, line))], within
    if tops is None:
        tops = [c[3] for c in line]
    # the words lie between these bounds: at each cut and either side of each blank
    bounds = set(cuts)
    bounds.update((0, len(line)))
    if blanks:
        bounds.update(blanks)
        bounds.update([b + 1 for b in blanks])
        blanks = set(blanks)
    bounds = sorted(bounds)
    words = []
    for i, j in zip(bounds, bounds[1:]):
        if blanks and i in blanks:
            continue
        if j - i == 1:
            words.append(new_word(Word, (texts[i], tops[i], [line[i]])))
        else:
            words.append(new_word(Word, ("".join(texts[i:j]), min(tops[i:j]), line[i:j])))
    return words, within


def _turned_lines(run: list[Char]) -> list[list[Word]]:
    """The words of a run of turned chars, line by line: lines by their x0, each read top to
    bottom (``_word_lines``' steps for upright chars, read across)."""
    out: list[list[Word]] = []
    t = TEXT_TOLERANCE
    keys = [c[1] for c in run]
    index = _clusters(keys, t)
    lines: dict[int, list[Char]] = {}
    for c, key in zip(run, keys):
        lines.setdefault(index[key], []).append(c)
    for n in sorted(lines):
        words: list[Word] = []
        word: list[Char] = []
        prev = None
        for c in sorted(lines[n], key=_TOP_BOTTOM):
            if c[0].isspace():
                if word:
                    words.append(_word(word))
                word = []
                continue
            if word:
                top = c[3]
                if top < prev[3] or top > prev[4] + t or abs(c[1] - prev[1]) > t:
                    words.append(_word(word))
                    word = []
            word.append(c)
            prev = c
        if word:
            words.append(_word(word))
        out.append(words)
    return out


def _word(chars: list[Char]) -> Word:
    if len(chars) == 1:
        c = chars[0]
        return tuple.__new__(Word, (LIGATURES.get(c[0], c[0]), c[3], chars))
    text = "".join([c[0] for c in chars])
    if _LIGATURE.search(text):  # else no char is a ligature
        text = "".join([LIGATURES.get(c[0], c[0]) for c in chars])
    return tuple.__new__(Word, (text, min([c[3] for c in chars]), chars))


def _one_char_text(text: str) -> str:
    """The text of a cell of one char (a digit, a mark), as ``cell_text``'s steps find it: none
    for a blank, a ligature's letters."""
    return "" if text.isspace() else LIGATURES.get(text, text)


def cell_text(chars: list[Char]) -> str:
    """The text of a cell's chars: words joined by a space, lines by a line break
    (pdfplumber's ``extract_text``)."""
    if len(chars) == 1:
        return _one_char_text(chars[0][0])
    t = TEXT_TOLERANCE
    tops = [c[3] for c in chars]
    if max(tops) - min(tops) <= t and all([c[6] for c in chars]):
        # one line (most cells): its words straight away, as ``_words`` would find them
        words: list[str] = []
        word: list[str] = []
        prev = None
        for c in sorted(chars, key=_X0):
            if c.text.isspace():
                if word:
                    words.append("".join(word))
                word, prev = [], None
                continue
            if word and (c.x0 < prev.x0 or c.x0 > prev.x1 + t):
                words.append("".join(word))
                word = []
            word.append(LIGATURES.get(c.text, c.text))
            prev = c
        if word:
            words.append("".join(word))
        return " ".join(words)
    word_lines, flat = _word_lines(chars)
    if flat:  # the lines of the words' tops are those of the chars' (``_word_lines``)
        return "\n".join([" ".join([w[0] for w in line]) for line in word_lines if line])
    words = [w for line in word_lines for w in line]
    index = _clusters([w.top for w in words], TEXT_TOLERANCE)
    lines: dict[int, list[str]] = {}
    for w in words:
        lines.setdefault(index[w.top], []).append(w.text)
    return "\n".join(" ".join(lines[n]) for n in sorted(lines))


class TextLine(NamedTuple):
    """A line of text and its chars (a row may be made of them)."""

    text: str
    top: float
    chars: list


def text_lines(chars: list[Char]) -> list[TextLine]:
    """The chars as lines of text, in order (pdfplumber's ``extract_text_lines``)."""
    compiled = compiled_loops.load("_pdf_tables_c")
    if compiled is not None:
        # in C doubles where all chars are upright and all lines flat (None otherwise)
        lines = compiled.text_lines(chars)
        if lines is not None:
            return lines
    word_lines, flat = _word_lines(chars)
    new = tuple.__new__
    lines = []
    if flat:  # the lines of the words' tops are those of the chars' (``_word_lines``)
        for line in word_lines:
            if not line:
                continue
            if len(line) == 1:
                text, top, members = line[0]
                text = text.strip(" ")
            else:
                text = " ".join([w[0] for w in line]).strip(" ")
                top = min([w[1] for w in line])
                members = [c for w in line for c in w[2]]
            if text.strip():
                lines.append(new(TextLine, (text, top, members)))
        return lines
    words = [w for line in word_lines for w in line]
    tops = [w[1] for w in words]
    index = _clusters(tops, TEXT_TOLERANCE)
    for _, line in groupby(words, key=lambda w: index[w[1]]):
        line = list(line)
        text = " ".join([w[0] for w in line]).strip(" ")
        if text.strip():
            members = [c for w in line for c in w[2]]
            # the least top of the line's chars: of its words' tops, each its chars' least
            lines.append(new(TextLine, (text, min([w[1] for w in line]), members)))
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


def _inside(c: Char, bbox: Bbox) -> bool:
    """Whether the char's center lies in the box (pdfplumber's ``char_in_bbox``)."""
    h, v = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
    return bbox[0] <= h < bbox[2] and bbox[1] <= v < bbox[3]


def table_part(cells: list[Bbox], chars: list[tuple], ys: list[float], closing_ys: list[float]
               ) -> tuple[Bbox, TablePart]:
    """A table's cells as rows of cells with their texts and edges; a position covered by a
    merged cell is a span whose edges are its column's. ``chars`` are the page's, as
    (vertical middle, horizontal middle, order on the page, char), sorted by their vertical
    middles, which are ``ys``.

    Made for speed: the spans of a column are one tuple (immutable, and copied by
    ``pdf_file._items`` anyway), a row whose band holds no char is made without looking for its
    cells' chars, a row as wide as the table takes the band's chars without asking where they
    stand across, a cell as high as its row takes its slice of the row's chars without asking
    where they stand down (a row's cells share its top, and the band holds the chars between
    its top and its greatest bottom), a cell holding one char takes its text as ``cell_text``
    would, without the call, and the table's x-edges are rounded once each (``_rounded``)."""
    lefts, tops, rights, bottoms = zip(*cells)
    right_edge = max(rights)
    bbox = (min(lefts), min(tops), right_edge, max(bottoms))
    x0, top, x1, bottom = bbox
    inside = [m for m in chars[bisect_left(ys, top):bisect_left(ys, bottom)]
              if x0 <= m[1] < x1]
    middles = [m[0] for m in inside]
    edges = _union(lefts, [right_edge])
    r = _rounded(lefts, rights)  # the edges are among them
    new = tuple.__new__
    spans = [new(PdfCell, ("", True, r[edges[i]], r[edges[i + 1]]))
             for i in range(len(edges) - 1)]
    rows = []
    for row in _rows(cells):
        real = [c for c in row if c is not None]
        # a row's cells share their top and come left to right
        top, bottom = real[0][1], max([c[3] for c in real])
        band = inside[bisect_left(middles, top):bisect_left(middles, bottom)]
        if not band:
            rows.append([spans[i] if cell is None else
                         new(PdfCell, ("", False, r[cell[0]], r[cell[2]]))
                         for i, cell in enumerate(row)])
            continue
        x0, x1 = real[0][0], max([c[2] for c in real])
        # the row's chars by their horizontal middle: each cell's are a slice of them (the
        # band's, a list of its own, if the row is as wide as the table: ``inside``)
        row_chars = (band if x0 == bbox[0] and x1 == bbox[2] else
                     [m for m in band if x0 <= m[1] < x1])
        row_chars.sort(key=_across)
        across = [m[1] for m in row_chars]
        out = []
        for i, cell in enumerate(row):
            if cell is None:
                out.append(spans[i])
                continue
            left, high, right, low = cell
            mine = row_chars[bisect_left(across, left):bisect_left(across, right)]
            if mine and not (low == bottom and high == top):
                mine = [m for m in mine if high <= m[0] < low]
            if not mine:
                text = ""
            elif len(mine) == 1:  # a digit, a mark: without the sort and cell_text's call
                text = _one_char_text(mine[0][3][0])
            else:
                mine.sort(key=_order)
                text = cell_text([m[3] for m in mine])
            out.append(new(PdfCell, (text, False, r[left], r[right])))
        rows.append(out)
    top, bottom = bbox[1], bbox[3]
    return bbox, TablePart(rows, [r[x] for x in edges],
                           open_top=any(abs(y - top) <= 1 for y in closing_ys),
                           open_bottom=any(abs(y - bottom) <= 1 for y in closing_ys))


class _Round:
    """``round(x, 2)`` for any x, as a mapping."""

    def __getitem__(self, x: float) -> float:
        return round(x, 2)


def _rounded(lefts: tuple[float, ...], rights: tuple[float, ...]) -> dict[float, float] | _Round:
    """Each x rounded to 2 places, looked up rather than rounded again (a table's edges are
    few and each is rounded for many cells). Where 0.0 and -0.0 are both among them, equal
    keys of different signs, each is rounded where it is asked."""
    xs = {*lefts, *rights}
    if 0.0 in xs and len({copysign(1.0, x) for x in (*lefts, *rights) if x == 0}) > 1:
        return _Round()
    return {x: round(x, 2) for x in xs}


_down = itemgetter(0)  # a char's vertical middle, in ``table_part``'s tuples
_across = itemgetter(1)  # its horizontal middle
_order = itemgetter(2)  # its order on the page


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


def _chunks(chars: list[Char]) -> list[tuple[float, float, str]]:
    """A line's chars as runs (x0, x1, text) separated by gaps wider than a character."""
    runs: list[list[Char]] = []
    for c in sorted((c for c in chars if c.text.strip()), key=lambda c: c.x0):
        if runs and c.x0 - runs[-1][-1].x1 <= 0.8 * c.size:
            runs[-1].append(c)
        else:
            runs.append([c])
    return [(r[0].x0, r[-1].x1, "".join(c.text for c in r)) for r in runs]


def row_from_lines(lines: list[list[Char]], edges: list[float]) -> list[PdfCell] | None:
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
