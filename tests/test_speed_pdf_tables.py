"""The PDF reader's third round of faster steps (issue 17) gives what the steps it replaced gave:
``_pdf_tables.table_part`` (a row as wide as its table, a cell as high as its row and a cell of
one char on shorter paths, the x-edges rounded once each) and ``_tables_of`` (each cell's root
found in one pass).

The former steps are kept here as the reference, verbatim (``table_part`` and ``_tables_of`` as
of 9225d77), in a copy of the module whose other steps are the module's own. Compared, as ``find_tables`` finds them:
the tables of the random pages of tests/test_reader_pdf_speed.py, and those tables moved so that
their left edge is at x = 0, some of their zeros made -0.0 (equal edges of different signs,
rounded each as it is: not found by ``find_tables``, whose edges are averages, but possible);
and cells of random grids, some left out, in random order, grouped into tables.
"""

from __future__ import annotations

import random
import re

import pytest

from loaders.readers import _pdf_tables
from loaders.readers._pdf_tables import Char, PageGeometry
from test_reader_pdf_speed import _reference, random_page

REFERENCE_TABLE_PART = 'def table_part(cells: list[Bbox], chars: list[tuple], ys: list[float], closing_ys: list[float]\n               ) -> tuple[Bbox, TablePart]:\n    """A table\'s cells as rows of cells with their texts and edges; a position covered by a\n    merged cell is a span whose edges are its column\'s. ``chars`` are the page\'s, as\n    (vertical middle, horizontal middle, order on the page, char), sorted by their vertical\n    middles, which are ``ys``.\n\n    Made for speed: the spans of a column are one tuple (immutable, and copied by\n    ``pdf_file._items`` anyway), a row whose band holds no char is made without looking for its\n    cells\' chars, and a cell holding one char takes its text as ``cell_text`` would, without\n    the call."""\n    lefts, tops, rights, bottoms = zip(*cells)\n    right_edge = max(rights)\n    bbox = (min(lefts), min(tops), right_edge, max(bottoms))\n    x0, top, x1, bottom = bbox\n    inside = [m for m in chars[bisect_left(ys, top):bisect_left(ys, bottom)]\n              if x0 <= m[1] < x1]\n    middles = [m[0] for m in inside]\n    edges = _union(lefts, [right_edge])\n    new = tuple.__new__\n    spans = [new(PdfCell, ("", True, round(edges[i], 2), round(edges[i + 1], 2)))\n             for i in range(len(edges) - 1)]\n    rows = []\n    for row in _rows(cells):\n        real = [c for c in row if c is not None]\n        # a row\'s cells share their top and come left to right\n        top, bottom = real[0][1], max([c[3] for c in real])\n        band = inside[bisect_left(middles, top):bisect_left(middles, bottom)]\n        if not band:\n            rows.append([spans[i] if cell is None else\n                         new(PdfCell, ("", False, round(cell[0], 2), round(cell[2], 2)))\n                         for i, cell in enumerate(row)])\n            continue\n        x0, x1 = real[0][0], max([c[2] for c in real])\n        # the row\'s chars by their horizontal middle: each cell\'s are a slice of them\n        row_chars = [m for m in band if x0 <= m[1] < x1]\n        row_chars.sort(key=_across)\n        across = [m[1] for m in row_chars]\n        out = []\n        for i, cell in enumerate(row):\n            if cell is None:\n                out.append(spans[i])\n                continue\n            left, high, right, low = cell\n            mine = [m for m in row_chars[bisect_left(across, left):bisect_left(across, right)]\n                    if high <= m[0] < low]\n            if not mine:\n                text = ""\n            else:\n                mine.sort(key=_order)\n                text = cell_text([m[3] for m in mine])\n            out.append(new(PdfCell, (text, False, round(left, 2), round(right, 2))))\n        rows.append(out)\n    top, bottom = bbox[1], bbox[3]\n    return bbox, TablePart(rows, [_r(x) for x in edges],\n                           open_top=any(abs(y - top) <= 1 for y in closing_ys),\n                           open_bottom=any(abs(y - bottom) <= 1 for y in closing_ys))\n'

REFERENCE_TABLES_OF = 'def _tables_of(cells: list[Bbox]) -> list[list[Bbox]]:\n    """Cells grouped into tables by shared corners, top to bottom, single cells left out\n    (pdfplumber\'s ``cells_to_tables``, which gathers from the first cell left every cell that\n    shares a corner with those gathered, until none does: a table is a connected group of\n    cells, found here in one pass that joins the groups of cells sharing a corner). A table\'s\n    cells keep the order they were found in, which no step after depends on (each cell has its\n    own top left corner)."""\n    parent = list(range(len(cells)))\n\n    def root(k: int) -> int:\n        while parent[k] != k:\n            parent[k] = parent[parent[k]]\n            k = parent[k]\n        return k\n\n    owner: dict[tuple[float, float], int] = {}\n    setdefault = owner.setdefault\n    for k, (x0, top, x1, bottom) in enumerate(cells):\n        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):  # ``_corners``\n            j = setdefault(corner, k)\n            if j != k:\n                a = j if parent[j] == j else root(j)\n                b = k if parent[k] == k else root(k)\n                if a != b:\n                    parent[max(a, b)] = min(a, b)\n    groups: dict[int, list[Bbox]] = {}\n    for k, cell in enumerate(cells):\n        groups.setdefault(root(k), []).append(cell)\n    tables = [t for t in groups.values() if len(t) > 1]\n    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))\n    return tables\n'

REF = _reference(_pdf_tables, REFERENCE_TABLE_PART + "\n\n" + REFERENCE_TABLES_OF)


def _tables(module, page: PageGeometry) -> list:
    return [(bbox, part.rows, part.edges, part.open_top, part.open_bottom)
            for bbox, part in module.find_tables(page)]


def _parts(page: PageGeometry, monkeypatch) -> list[tuple]:
    """The arguments ``find_tables`` gives ``table_part`` for the page's tables."""
    calls = []
    real = _pdf_tables.table_part

    def record(*args):
        calls.append(args)
        return real(*args)

    with monkeypatch.context() as m:
        m.setattr(_pdf_tables, "table_part", record)
        # the Python steps, which call it (the compiled ones call their own:
        # tests/test_pdf_tables_compiled.py)
        m.setenv("OGI_PURE_PYTHON", "1")
        _pdf_tables.find_tables(page)
    return calls


def _at_zero(args: tuple, rng: random.Random) -> tuple:
    """A table moved so that its left edge is at x = 0, some of its zeros made -0.0."""
    cells, chars, ys, closing_ys = args
    left = min(c[0] for c in cells)

    def x(v: float) -> float:
        v -= left
        return -0.0 if v == 0 and rng.random() < 0.5 else v

    cells = [(x(a), top, x(b), bottom) for a, top, b, bottom in cells]
    chars = [(y, x(middle), n, Char(c.text, x(c.x0), x(c.x1), c.top, c.bottom, c.size,
                                    c.upright))
             for y, middle, n, c in chars]
    return cells, chars, ys, closing_ys


@pytest.mark.parametrize("block", range(4))
def test_the_table_parts_are_what_they_were(block, monkeypatch):
    found = signs = 0
    for seed in range(block * 120, block * 120 + 120):
        page = random_page(seed)
        tables = _tables(_pdf_tables, page)
        assert tables == _tables(REF, page), seed
        found += len(tables)
        rng = random.Random(seed)
        for args in _parts(page, monkeypatch):
            moved = _at_zero(args, rng)
            part = repr(_pdf_tables.table_part(*moved))  # repr: -0.0 is not 0.0
            assert part == repr(REF.table_part(*moved)), seed
            signs += "-0.0" in part and bool(re.search(r"[^-\d.]0\.0\b", part))
    assert found and signs  # tables, and tables with edges at both zeros


def test_the_tables_of_cells_are_what_they_were():
    rng = random.Random(5)
    for n in range(3000):
        xs = sorted(rng.sample(range(12), rng.randint(2, 8)))
        ys = sorted(rng.sample(range(12), rng.randint(2, 8)))
        cells = [(float(a), float(top), float(b), float(bottom))
                 for a, b in zip(xs, xs[1:]) for top, bottom in zip(ys, ys[1:])
                 if rng.random() < 0.7]
        cells += [(float(a), float(top), float(a + rng.randint(1, 3)), float(top + 1))
                  for a, top in [(rng.randint(0, 12), rng.randint(0, 12)) for _ in range(3)]]
        rng.shuffle(cells)
        assert _pdf_tables._tables_of(cells) == REF._tables_of(cells), n
