"""The compiled table finder (``loaders.readers._pdf_tables_c``) gives what the Python steps of
``_pdf_tables`` give, which are the reference: ``cells(edges_v, edges_h)`` the cells of
``_cells(_intersections(edges_v, edges_h))``, ``tables_of(cells)`` the tables of
``_tables_of(cells)``, and ``readers.read`` the same Document with and without
``OGI_PURE_PYTHON=1``.

Compared exactly: the ``repr`` of the lists (a float's repr is its exact value: -0.0 is not
0.0). The same for ``merge_edges`` (in C doubles) and for the steps after the cells, compiled as
the Python is written: ``middles`` (the chars by their vertical middles, as ``find_tables``
sorts them), ``table_part`` and ``cell_text``, and ``parts`` (both at once, in C doubles, on the
tables of the PDFs and on random grids with chars on and about their rules); ``text_lines``
(on the PDFs' pages and random lines; handed back exactly where a line is not flat);
``line_words`` (``_line_words``, its comparisons in C doubles); and ``outside``, the chars
outside the tables (``pdf_file._outside``). The inputs: the edges and chars of every page of
every PDF of the tests and of reports/, of the cross-format PDFs (each seed written by
``loaders.writers.to_pdf`` plain and in each layout) and of the reportlab PDFs of
tests/test_pdf_compiled.py, the edges as ``find_tables`` takes them, runs of the chars as cells;
and grids made here: random rulings with rules left out, cut short and drawn twice, values on
ties (equal tops, equal x0s, 0.0 and -0.0, edges within the tolerance of each other), and inputs
the compiled module hands back to Python (a NaN, an infinity, an int).

Skipped where the module is not built (``cython -3 --module-name loaders.readers._pdf_tables_c``
and the C compiler, or ``cythonize -i -3 loaders/readers/_pdf_tables_c.pyx``), failed instead
with ``OGI_REQUIRE_COMPILED=1``.

That the comparison can fail was seen by building a broken module: with ``_intersections``'
``vbottom >= htop - t`` made ``vbottom >= htop`` in ``cells``, test_pages_edges failed on page 3
of libreoffice_003_plain.pdf, test_grids on its first grid and test_read on that PDF; with the
tables sorted by (x0, top) for (top, x0) in ``tables_of``, test_grids failed on its grid 11
(the PDFs have no tables side by side: their order is the same either way). With
``cell_text``'s gap ``prev.x1 + t`` made ``prev.x1 + 2.0`` (cells of one line),
test_pages_text_and_parts and test_read failed on libreoffice_000_label_spans_three_columns.pdf;
with ``line_words``' gap ``p[2] + t`` made ``p[2] + 2.0`` (lines within the tolerance),
test_pages_text_and_parts failed on page 4 of that PDF and test_read on fonts.pdf; with
``table_part``'s ``open_bottom`` taking ``< 1`` for ``<= 1``, test_pages_text_and_parts
failed on the first cross-format PDF (a closing rule exactly 1 pt below a table); with
``merge_edges`` joining spans at ``start < end + T`` for ``<=``, test_grids failed on its first
grid and test_handed_back on its spans touching at the tolerance (no PDF of the tests has
such spans). With ``parts``' cell taking chars whose middle is ``<=`` its bottom for ``<``,
test_parts_grids failed on its grid 4 (no PDF of the tests has a char's middle on a cell's
bottom); with its one-line cells' gap ``prev.x1 + t`` made ``prev.x1 + 2.0``,
test_pages_text_and_parts failed on page 3 of libreoffice_000_label_spans_three_columns.pdf,
test_parts_grids on its grid 164 and test_read on that PDF. With ``text_lines``' gap
``x1 + t`` made ``x1 + 2.0``, test_pages_text_and_parts and test_read failed on fonts.pdf and
test_text_lines_random on its lines 2; with its ``high - low <= t`` made ``< t`` (a line
handed back that is flat), test_pages_text_and_parts failed on page 2 of
002_4e3c7d07ba237867.header_span_offset.pdf and test_text_lines_random on its lines 139.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from loaders.model import Source
from loaders.readers import _pdf_tables, _pdfium, pdf_file, read
from loaders.readers._pdf_tables import Edge
from conftest import built_module
from test_pdf_compiled import compared_pdfs


@pytest.fixture(scope="module")
def compiled():
    return built_module("_pdf_tables_c")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    return compared_pdfs(tmp_path_factory.mktemp("tables_compiled"))


def _same_merged(compiled, edges: list[Edge], where) -> None:
    for horizontal in (True, False):
        assert (repr(compiled.merge_edges(edges, horizontal))
                == repr(_pdf_tables.merge_edges(edges, horizontal))), where


def _edges(compiled, page) -> tuple[list[Edge], list[Edge]]:
    """The edges ``find_tables`` gives the cell finder (underlines and open ends aside)."""
    horizontal = [e for e in page.horizontal if e.x1 - e.x0 >= 1]
    vertical = [e for e in page.vertical if e.bottom - e.top >= 1]
    _same_merged(compiled, horizontal, "horizontal")
    _same_merged(compiled, vertical, "vertical")
    merged_h = _pdf_tables.merge_edges(horizontal, True)
    merged_v = _pdf_tables.merge_edges(vertical, False)
    closing = _pdf_tables.closing_lines(merged_v, merged_h)
    if closing:
        merged_h = _pdf_tables.merge_edges(horizontal + closing, True)
    return ([e for e in merged_v if e.bottom - e.top >= _pdf_tables.TOLERANCE],
            [e for e in merged_h if e.x1 - e.x0 >= _pdf_tables.TOLERANCE])


def _same(compiled, edges_v, edges_h, where) -> list:
    py = _pdf_tables._cells(_pdf_tables._intersections(edges_v, edges_h))
    c = compiled.cells(edges_v, edges_h)
    assert repr(c) == repr(py), where
    assert all(type(cell) is tuple for cell in c), where
    for cells in (py, py[::-1], sorted(py, key=lambda b: (b[2], b[3]))):
        tables_py = _pdf_tables._tables_of(cells)
        tables_c = compiled.tables_of(cells)
        assert repr(tables_c) == repr(tables_py), where
        # the same cell objects, as the Python lists hold them
        assert all(a is b for t, u in zip(tables_c, tables_py) for a, b in zip(t, u)), where
    return py


def test_pages_edges(compiled, pdfs):
    cells = tables = 0
    for name, path in sorted(pdfs.items()):
        for n, page in enumerate(_pdfium.pages(path.read_bytes())):
            edges_v, edges_h = _edges(compiled, page)
            found = _same(compiled, edges_v, edges_h, f"{name} page {n + 1}")
            cells += len(found)
            tables += len(_pdf_tables._tables_of(found))
    assert cells > 500 and tables > 20


def _find_tables_steps(compiled, page, where) -> int:
    """``find_tables``' steps after the cells, each compiled one against its Python one: the
    chars by their middles and each table's part, the Python steps given the same input."""
    edges_v, edges_h = _edges(compiled, page)
    tables = _pdf_tables._tables_of(_pdf_tables._cells(_pdf_tables._intersections(edges_v,
                                                                                  edges_h)))
    if not tables:
        return 0
    high = min([c[1] for t in tables for c in t])
    low = max([c[3] for t in tables for c in t])
    py = [(y, (c[1] + c[2]) / 2, n, c) for n, c in enumerate(page.chars)
          if high <= (y := (c[3] + c[4]) / 2) < low]
    py.sort(key=_pdf_tables._down)
    assert repr(compiled.middles(page.chars, high, low)) == repr(py), where
    heights = [m[0] for m in py]
    for cells in tables:
        top, bottom = min([c[1] for c in cells]), max([c[3] for c in cells])
        # rules closing the table's ends, at its edges and at the bounds of ``open_top``'s
        # and ``open_bottom``'s 1 pt
        for closing_ys in ([], [top, bottom + 0.5], [top - 1.5], [top - 1.0, bottom + 1.0],
                           [bottom - 1.0 - 1e-9]):
            assert (repr(compiled.table_part(cells, py, heights, closing_ys))
                    == repr(_pdf_tables.table_part(cells, py, heights, closing_ys))), where
    for closing_ys in ([], [high, low + 0.5], [high - 1.0, low + 1.0], [low - 1.0 - 1e-9]):
        _same_parts(compiled, tables, page.chars, high, low, closing_ys, where)
    boxes = [part[0] for part in _pdf_tables.find_tables(page)]
    for some in (boxes, boxes[:1], [(0.0, 0.0, 300.0, 400.0), (200.0, 300.0, 600.0, 900.0)]):
        assert (repr(compiled.outside(page.chars, some))
                == repr(pdf_file._outside(page.chars, some))), where
    return len(tables)


def _same_parts(compiled, tables, chars, high, low, closing_ys, where) -> None:
    """``parts``, the chars by their middles and every table's part at once, against
    ``find_tables``' Python steps: the same bboxes (the same objects) and parts."""
    py_middles = [(y, (c[1] + c[2]) / 2, n, c) for n, c in enumerate(chars)
                  if high <= (y := (c[3] + c[4]) / 2) < low]
    py_middles.sort(key=_pdf_tables._down)
    heights = [m[0] for m in py_middles]
    try:
        py = [_pdf_tables.table_part(cells, py_middles, heights, closing_ys)
              for cells in tables]
    except IndexError:  # lefts less than SAME_X apart: more columns than spans (not so in
        with pytest.raises(IndexError):  # the reader, whose edges are merged within 3 pt)
            compiled.parts(tables, chars, high, low, closing_ys)
        return
    c = compiled.parts(tables, chars, high, low, closing_ys)
    assert c is not None, where
    assert repr(c) == repr(py), where
    assert all(a[0][k] is b[0][k] for a, b in zip(c, py) for k in range(4)), where


def _text_steps(compiled, chars, rnd: random.Random, where) -> None:
    """The words and lines of the page's chars, and the texts of runs of them as cells."""
    for _ in range(40):
        if not chars:
            break
        start = rnd.randrange(len(chars))
        run = chars[start:start + rnd.choice([1, 2, 3, 8, 30, 200])]
        assert compiled.cell_text(run) == _pdf_tables.cell_text(run), where
        _same_text_lines(compiled, run, where)
        line = sorted(run, key=_pdf_tables._X0)
        if all(c.upright for c in line):
            top = line[0].top if len({c.top for c in line}) == 1 else None
            assert (repr(compiled.line_words(line, top))
                    == repr(_pdf_tables._line_words(line, top))), where
            if top is not None:
                assert (repr(compiled.line_words(line, None))
                        == repr(_pdf_tables._line_words(line, None))), where


def _py_text_lines(chars) -> list:
    """``text_lines`` with the compiled steps off: the Python steps, the reference."""
    with pytest.MonkeyPatch.context() as m:
        m.setenv("OGI_PURE_PYTHON", "1")
        return _pdf_tables.text_lines(chars)


def _same_text_lines(compiled, chars, where) -> bool:
    """``text_lines`` compiled against the Python steps; whether it was not handed back. The
    chars' values are finite floats: it is handed back exactly where the Python steps find a
    line that is not flat (or a turned char)."""
    c = compiled.text_lines(chars)
    with pytest.MonkeyPatch.context() as m:
        m.setenv("OGI_PURE_PYTHON", "1")
        flat = _pdf_tables._word_lines(chars)[1]
    assert (c is not None) == flat, where
    if c is None:
        return False
    assert repr(c) == repr(_py_text_lines(chars)), where
    assert all(type(line) is _pdf_tables.TextLine for line in c), where
    return True


def test_pages_text_and_parts(compiled, pdfs):
    rnd = random.Random(5)
    tables = pages = compiled_lines = 0
    for name, path in sorted(pdfs.items()):
        for n, page in enumerate(_pdfium.pages(path.read_bytes())):
            where = f"{name} page {n + 1}"
            tables += _find_tables_steps(compiled, page, where)
            _text_steps(compiled, page.chars, rnd, where)
            boxes = [part[0] for part in _pdf_tables.find_tables(page)]
            pages += 1
            for chars in (page.chars, pdf_file._outside(page.chars, boxes) if boxes else []):
                compiled_lines += _same_text_lines(compiled, chars, where)
    assert tables > 20 and compiled_lines > pages


def _grid(rnd: random.Random) -> tuple[list[Edge], list[Edge]]:
    xs = sorted(rnd.sample(range(0, 500, 7), rnd.randint(2, 9)))
    ys = sorted(rnd.sample(range(0, 700, 9), rnd.randint(2, 9)))
    step = rnd.choice([1.0, 0.5, 0.1, 1.3])
    xs = [x * step for x in xs]
    ys = [y * step for y in ys]
    if rnd.random() < 0.3:
        xs[0] = -0.0 if rnd.random() < 0.5 else 0.0
    if rnd.random() < 0.3:
        ys[0] = -0.0 if rnd.random() < 0.5 else 0.0
    h, v = [], []
    for y in ys:
        for a, b in zip(xs, xs[1:]):
            k = rnd.random()
            if k < 0.15:
                continue  # a rule left out
            jitter = rnd.choice([0.0, 0.0, 0.0, 1.5, -2.9, 3.0, 3.1])
            end = b if k > 0.25 else (a + b) / 2  # cut short
            h.append(Edge(a, y + jitter, end, y + jitter))
            if rnd.random() < 0.1:
                h.append(Edge(a, y + jitter, end, y + jitter))  # drawn twice
    for x in xs:
        for a, b in zip(ys, ys[1:]):
            k = rnd.random()
            if k < 0.15:
                continue
            jitter = rnd.choice([0.0, 0.0, 0.0, 2.0, -3.0, 2.99])
            end = b if k > 0.25 else (a + b) / 2
            v.append(Edge(x + jitter, a, x + jitter, end))
            if rnd.random() < 0.1:
                v.append(Edge(-0.0 if x + jitter == 0 else x + jitter, a,
                              -0.0 if x + jitter == 0 else x + jitter, end))
    rnd.shuffle(h)
    rnd.shuffle(v)
    return v, h


def test_grids(compiled):
    rnd = random.Random(17)
    cells = 0
    for n in range(600):
        v, h = _grid(rnd)
        _same_merged(compiled, v, f"grid {n}")
        _same_merged(compiled, h, f"grid {n}")
        cells += len(_same(compiled, v, h, f"grid {n}"))
        if n % 3 == 0:  # merged as the reader merges them
            mv = _pdf_tables.merge_edges(v, False)
            mh = _pdf_tables.merge_edges(h, True)
            _same(compiled, mv, mh, f"merged grid {n}")
    assert cells > 3000


def _grid_chars(rnd: random.Random, tables) -> list:
    """Chars about the cells of ``tables``: their middles on a rule, just either side of one,
    or anywhere; blanks, ligatures, turned chars; tops of one line and of several."""
    Char = _pdf_tables.Char
    xs = sorted({v for t in tables for c in t for v in (c[0], c[2])})
    ys = sorted({v for t in tables for c in t for v in (c[1], c[3])})
    chars = []
    for _ in range(rnd.randint(0, 150)):
        cx = rnd.choice(xs) + rnd.choice([0.0, 0.0, -0.25, 0.25, 1.5, rnd.uniform(-30, 30)])
        cy = rnd.choice(ys) + rnd.choice([0.0, 0.0, -0.25, 0.25, 2.0, rnd.uniform(-30, 30)])
        w, h = rnd.choice([0.0, 2.0, 5.0, 10.0]), rnd.choice([0.0, 4.0, 8.0, 12.0])
        k = rnd.random()
        if k < 0.1:  # a middle exactly on the value, whatever the box's width
            x0 = x1 = cx
            top = bottom = cy
        else:
            x0, x1, top, bottom = cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2
        text = rnd.choice(["1", "2", "a", " ", "甲", "ﬁ", "\u3000", ".", "ab", ""])
        chars.append(Char(text, x0, x1, top, bottom, h, rnd.random() > 0.05))
    if chars and rnd.random() < 0.3:  # runs of a line across a cell: one top, x0s stepping
        c = rnd.choice(chars)
        step = rnd.choice([1.0, 3.0, 3.5, -1.0])
        chars += [c._replace(text=t, x0=c.x0 + step * k, x1=c.x0 + step * k + 2.0)
                  for k, t in enumerate("12 3ﬁ4")]
    if rnd.random() < 0.2:
        chars = [c._replace(x0=-0.0) if c.x0 == 0 else c for c in chars]
    rnd.shuffle(chars)
    return chars


def test_parts_grids(compiled):
    """``parts`` on random grids and chars, against ``find_tables``' Python steps."""
    rnd = random.Random(23)
    tables_seen = cells_seen = 0
    for n in range(1500):
        v, h = _grid(rnd)
        if n % 4:  # merged as the reader merges them (lefts 3 pt apart or more)
            v, h = _pdf_tables.merge_edges(v, False), _pdf_tables.merge_edges(h, True)
        tables = _pdf_tables._tables_of(_pdf_tables._cells(_pdf_tables._intersections(v, h)))
        if not tables:
            continue
        chars = _grid_chars(rnd, tables)
        high = min([c[1] for t in tables for c in t])
        low = max([c[3] for t in tables for c in t])
        closing_ys = rnd.choice([[], [high], [low + 1.0], [high - 1.5, low - 0.5]])
        _same_parts(compiled, tables, chars, high, low, closing_ys, f"grid {n}")
        tables_seen += len(tables)
        cells_seen += sum(len(t) for t in tables)
    assert tables_seen > 500 and cells_seen > 5000


def test_parts_handed_back(compiled):
    """Chars or cells whose values are not finite floats, chars not ``Char``s: ``parts`` gives
    None, and ``find_tables`` runs its other steps, which give the Python steps' tables."""
    Char = _pdf_tables.Char
    cells = [(0.0, 0.0, 10.0, 10.0), (10.0, 0.0, 20.0, 10.0)]
    good = [Char("a", 1.0, 2.0, 3.0, 4.0, 1.0), Char("b", 11.0, 12.0, 3.0, 4.0, 1.0)]
    assert compiled.parts([cells], good, 0.0, 10.0, []) is not None
    nan, inf = float("nan"), float("inf")
    for chars in ([good[0], good[1]._replace(x0=nan)], [good[0], good[1]._replace(top=inf)],
                  [good[0], good[1]._replace(x1=12)], [good[0], tuple(good[1])],
                  [good[0], good[1]._replace(text=b"b")]):
        assert compiled.parts([cells], chars, 0.0, 10.0, []) is None
    for bad in ([cells + [(nan, 0.0, 1.0, 2.0)]], [cells + [(1, 0.0, 1.0, 2.0)]], [[]],
                [cells + [(1.0, 2.0, 3.0)]], (cells,)):
        assert compiled.parts(bad, good, 0.0, 10.0, []) is None
    assert compiled.parts([cells], good, 0, 10.0, []) is None
    assert compiled.parts([cells], good, 0.0, inf, []) is None
    h = [Edge(0.0, 0.0, 20.0, 0.0), Edge(0.0, 10.0, 20.0, 10.0)]
    v = [Edge(x, 0.0, x, 10.0) for x in (0.0, 10.0, 20.0)]
    for chars in (good, [good[0], good[1]._replace(x0=nan)], [good[0], tuple(good[1])]):
        page = _pdf_tables.PageGeometry(list(chars), list(h), list(v))
        found = _pdf_tables.find_tables(page)
        assert len(found) == 1
        with pytest.MonkeyPatch.context() as m:
            m.setenv("OGI_PURE_PYTHON", "1")
            assert repr(_pdf_tables.find_tables(page)) == repr(found)


def _text_chars(rnd: random.Random) -> list:
    """Lines of chars: tops equal, within the tolerance and past it, 0.0 and -0.0; gaps at the
    tolerance, steps back, equal x0s; blanks, ligatures, empty texts; some shuffled."""
    Char = _pdf_tables.Char
    chars = []
    wide = rnd.random() < 0.2  # tops spread past the tolerance within a line, now and then
    for line in range(rnd.randint(1, 6)):
        base = (rnd.choice([0.0, -0.0, 10.0, 10.5, 100.0])
                + line * rnd.choice([0.0, 2.9, 3.0, 3.1, 12.0]))
        x = rnd.choice([0.0, -0.0, 5.0, 50.0])
        for _ in range(rnd.randint(1, 12)):
            w = rnd.choice([0.0, 3.0, 6.0])
            jitter = rnd.choice([0.0, 0.0, 0.0, 0.0, 0.5, -0.5, 1.5, -0.0]
                                + ([2.9, 3.0, 3.1] if wide else []))
            top = base if jitter == 0 and rnd.random() < 0.5 else base + jitter
            text = rnd.choice(["a", "1", " ", "ﬁ", "甲", "", "\u3000", "a b", "  ", "x", "ﬂ"])
            chars.append(Char(text, x, x + w, top, top + 10.0, 10.0, rnd.random() > 0.002))
            x += w + rnd.choice([0.0, 0.0, 1.0, 3.0, 3.0000001, 3.5, -2.0, -w])
    k = rnd.random()
    if k < 0.3:
        rnd.shuffle(chars)
    elif k < 0.5:
        chars.reverse()
    return chars


def test_text_lines_random(compiled):
    """``text_lines`` on random lines of chars, against the Python steps."""
    rnd = random.Random(31)
    compared = 0
    for n in range(4000):
        compared += _same_text_lines(compiled, _text_chars(rnd), f"lines {n}")
    assert compared > 1800


def test_text_lines_handed_back(compiled):
    """Chars whose values are not finite floats, turned chars, chars not ``Char``s of a
    ``str``: ``text_lines`` gives None, and ``_pdf_tables.text_lines`` the Python steps'."""
    Char = _pdf_tables.Char
    good = [Char("a", 1.0, 2.0, 3.0, 4.0, 1.0), Char("b", 2.0, 3.0, 3.0, 4.0, 1.0),
            Char("c", 9.0, 10.0, 30.0, 40.0, 1.0)]
    assert compiled.text_lines(good) is not None and compiled.text_lines([]) == []
    nan, inf = float("nan"), float("inf")
    for bad in (dict(x0=nan), dict(x1=inf), dict(top=nan), dict(top=-inf), dict(x0=2),
                dict(top=3), dict(upright=False), dict(upright=1)):
        chars = [good[0], good[1]._replace(**bad), good[2]]
        assert compiled.text_lines(chars) is None, bad
        assert repr(_pdf_tables.text_lines(chars)) == repr(_py_text_lines(chars)), bad
    assert compiled.text_lines([good[0], good[1]._replace(text=b"b")]) is None
    chars = [good[0], tuple(good[1]), good[2]]
    assert compiled.text_lines(chars) is None and compiled.text_lines(tuple(good)) is None
    # a line whose tops are not within the tolerance (3.0 to 8.0, each within it of the one
    # before): not flat
    chars = [good[0], good[1]._replace(top=5.5), good[1]._replace(x0=4.0, top=8.0), good[2]]
    assert compiled.text_lines(chars) is None
    assert repr(_pdf_tables.text_lines(chars)) == repr(_py_text_lines(chars))


def test_handed_back(compiled):
    """Inputs whose comparisons or dict keys C would not reproduce go to the Python steps."""
    square = ([Edge(0.0, 0.0, 0.0, 10.0), Edge(10.0, 0.0, 10.0, 10.0)],
              [Edge(0.0, 0.0, 10.0, 0.0), Edge(0.0, 10.0, 10.0, 10.0)])
    assert compiled.cells(*square) == [(0.0, 0.0, 10.0, 10.0)]
    for bad in (float("nan"), float("inf"), 5):
        v = square[0] + [Edge(bad, 0.0, bad, 10.0)]
        h = square[1] + [Edge(0.0, 5.0, bad, 5.0)]
        _same(compiled, v, h, f"with {bad!r}")
        cells = [(0.0, 0.0, 10.0, 10.0), (10.0, 0.0, 20.0, 10.0), (bad, 0.0, 1.0, bad),
                 (bad, 0.0, 1.0, 2.0)]
        assert repr(compiled.tables_of(cells)) == repr(_pdf_tables._tables_of(cells))
    assert compiled.cells([], []) == [] and compiled.tables_of([]) == []
    assert compiled.merge_edges([], True) == []
    for bad in (float("nan"), float("inf"), 5):
        edges = [Edge(0.0, 1.0, 5.0, 1.0), Edge(6.0, 2.0, 9.0, 2.0), Edge(bad, 1.0, 3.0, bad)]
        _same_merged(compiled, edges, f"merged with {bad!r}")
    # both zeros, sums of many, runs touching at the tolerance
    edges = [Edge(-0.0, -0.0, 3.0, -0.0), Edge(3.0 + 3.0, 0.0, 7.0, 0.0),
             Edge(0.1, 0.1, 0.2, 0.1), Edge(0.2, 0.7, 0.3, 0.7), Edge(10.0, 3.0, 11.0, 3.0),
             Edge(-0.0, 6.1, -0.0, 6.1), Edge(0.0, 6.1, 0.0, 6.1)]
    _same_merged(compiled, edges, "zeros")
    _same_merged(compiled, edges[::-1], "zeros reversed")
    chars = [_pdf_tables.Char("a", 1.0, 2.0, 3.0, 4.0, 5.0), ("b", 1, 2.0, 3.0, 4.0, 5.0)]
    assert compiled.outside(chars, [(0.0, 0.0, 9.0, 9.0)]) is None  # an int: left to Python
    assert compiled.outside(chars[:1], [(0, 0.0, 9.0, 9.0)]) is None
    nan = float("nan")
    chars = [_pdf_tables.Char("a", x0, 2.0, top, 4.0, 5.0)
             for x0 in (nan, 1.0, -1.0, 20.0) for top in (nan, 3.0, -20.0, 10.0)]
    for boxes in ([(0.0, 0.0, 9.0, 9.0)], [(nan, 0.0, 9.0, 9.0), (0.0, 0.0, 9.0, nan)],
                  [(0.5, 3.5, 1.5, 3.5), (-0.0, -0.0, 1.5, 3.5)], []):
        assert repr(compiled.outside(chars, boxes)) == repr(pdf_file._outside(chars, boxes))


def test_line_words_edge_values(compiled):
    """Lines with tops at NaN, infinities, both zeros, over the tolerance, and values not
    floats (left to Python)."""
    Char = _pdf_tables.Char
    nan, inf = float("nan"), float("inf")
    for tops in ([1.0, 1.0, 1.0], [0.0, -0.0, 0.0, -0.0], [-0.0, 0.0], [nan, 1.0, 1.0],
                 [1.0, nan, 2.0], [1.0, inf, 1.0], [1.0, 4.0, 1.0, 4.5], [2.0, 1.0, 3.9, 1.0],
                 [5, 5.0, 5.0]):
        for texts in ("abcd", "a cd", "ﬁ b ", "  x "):
            for gap in (0.0, 2.0, 3.0, 3.5):
                line = [Char(texts[k % 4], 10.0 * k + gap * k, 10.0 * k + gap * k + 10.0,
                             top, top + 10.0, 10.0) for k, top in enumerate(tops)]
                for top in (None, *({tops[0]} if len(set(map(repr, tops))) == 1 else ())):
                    assert (repr(compiled.line_words(line, top))
                            == repr(_pdf_tables._line_words(line, top))), (tops, texts, gap)
    line = [Char("a", 0.0, 1.0, 2.0, 3.0, 1.0), Char("b", 1, 2.0, 2.0, 3.0, 1.0)]
    assert repr(compiled.line_words(line, None)) == repr(_pdf_tables._line_words(line, None))


def test_read(compiled, pdfs, monkeypatch):
    """The whole reader, the compiled steps against the Python ones."""
    monkeypatch.delenv("OGI_PURE_PYTHON", raising=False)
    assert _compiled_in_use() is compiled
    for name, path in sorted(pdfs.items()):
        monkeypatch.delenv("OGI_PURE_PYTHON", raising=False)
        c = read(Source.from_path(path))
        monkeypatch.setenv("OGI_PURE_PYTHON", "1")
        assert _compiled_in_use() is None
        py = read(Source.from_path(path))
        assert c == py, name
        assert repr(c) == repr(py), name


def _compiled_in_use():
    from loaders.readers import _compiled

    return _compiled.load("_pdf_tables_c")
