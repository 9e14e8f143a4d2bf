"""The PDF reader's second round of faster steps (issue 17) gives what the steps it replaced gave.

The former steps are kept here as the reference, verbatim: the table finder's segment merging,
underlines, closing lines, intersections, cells, tables and table parts, the text lines
(``_pdf_tables``), the chars outside the tables (``pdf_file``), and pdfium's chars, path objects
and pages (``_pdfium``: every page object's type asked, every path read segment by segment).
They run in a copy of the module, whose other steps are the module's own. Compared: the tables,
lines and page items of the random pages of tests/test_reader_pdf_speed.py, and the geometry
pdfium reads from the PDFs of the tests, from PDFs written as the cross-format tests write them,
and from PDFs of random paths (lines that close or not, moves, curves, rectangles, turned and
scaled).
"""

from __future__ import annotations

import ctypes
import random

import pytest

from conftest import FIXTURES, REPORTS, ROOT
from loaders.readers import _pdf_tables, _pdfium, pdf_file
from test_reader_pdf_speed import _reference, _tables, random_page

REFERENCE_TABLES = 'def merge_edges(edges: list[Edge], horizontal: bool) -> list[Edge]:\n    """Edges within ``TOLERANCE`` of each other across their length moved to their average\n    position, then collinear edges less than ``TOLERANCE`` apart joined into one."""\n    if not edges:\n        return []\n    pos = (lambda e: e.top) if horizontal else (lambda e: e.x0)\n    index = _clusters([pos(e) for e in edges], TOLERANCE)\n    groups: dict[int, list[Edge]] = {}\n    for e in edges:\n        groups.setdefault(index[pos(e)], []).append(e)\n    merged: list[Edge] = []\n    for n in sorted(groups):\n        group = groups[n]\n        at = sum(pos(e) for e in group) / len(group)\n        if horizontal:\n            moved = sorted(((e.x0, e.x1) for e in group), key=lambda se: se[0])\n        else:\n            moved = sorted(((e.top, e.bottom) for e in group), key=lambda se: se[0])\n        runs = [list(moved[0])]\n        for start, end in moved[1:]:\n            if start <= runs[-1][1] + TOLERANCE:\n                if end > runs[-1][1]:\n                    runs[-1][1] = end\n            else:\n                runs.append([start, end])\n        for start, end in runs:\n            merged.append(Edge(start, at, end, at) if horizontal else Edge(at, start, at, end))\n    return merged\n\n\ndef underlines(horizontal: list[Edge], chars: list[Char], vertical: list[Edge] = ()\n               ) -> list[Edge]:\n    """The horizontal edges that underline text rather than bound a cell.\n\n    ``horizontal`` are merged edges (collinear segments joined), so that a border drawn cell by\n    cell is judged by its whole length."""\n    if not horizontal or not chars:\n        return []\n    by_bottom = sorted(chars, key=lambda c: c.bottom)\n    bottoms = [c.bottom for c in by_bottom]\n    found = []\n    for edge in horizontal:\n        y = edge.top\n        # chars whose bottom is near the segment: it sits just under their baseline\n        near = by_bottom[bisect_left(bottoms, y - 12):bisect_right(bottoms, y + 12)]\n        hugging = [c for c in near if c.x1 > edge.x0 and c.x0 < edge.x1\n                   and -0.35 * c.size <= y - c.bottom <= 0.4 * c.size and c.text.strip()]\n        if not hugging:\n            continue\n        size = max(c.size for c in hugging)\n        left, right = min(c.x0 for c in hugging), max(c.x1 for c in hugging)\n        slack = max(TOLERANCE, 0.6 * size)  # an underlined trailing space, rounding\n        crossed = any(edge.x0 + slack < v.x0 < edge.x1 - slack and v.top - TOLERANCE <= y <= v.bottom + TOLERANCE\n                      for v in vertical)\n        if edge.x0 >= left - slack and edge.x1 <= right + slack and not crossed:\n            found.append(edge)\n    return found\n\n\ndef _on_some(y: float, x: float, horizontal: list[Edge]) -> bool:\n    return any(abs(h.top - y) <= TOLERANCE and h.x0 - TOLERANCE <= x <= h.x1 + TOLERANCE\n               for h in horizontal)\n\n\ndef closing_lines(vertical: list[Edge], horizontal: list[Edge]) -> list[Edge]:\n    """Horizontal rules across the loose ends of vertical rules: where two or more verticals end\n    at the same height on no horizontal rule, the table is open there (a row without its top or\n    bottom rule) and this line closes it."""\n    ends: list[tuple[float, float]] = []\n    for v in vertical:\n        x = v.x0\n        for y in (v.top, v.bottom):\n            if not _on_some(y, x, horizontal):\n                ends.append((y, x))\n    lines = []\n    ends.sort()\n    group: list[tuple[float, float]] = []\n    for end in ends + [(float("inf"), 0.0)]:\n        if group and end[0] - group[0][0] > TOLERANCE:\n            xs = [x for _, x in group]\n            if len(group) >= 2 and max(xs) - min(xs) > TOLERANCE:\n                y = group[0][0]\n                lines.append(Edge(min(xs), y, max(xs), y))\n            group = []\n        group.append(end)\n    return lines\n\n\ndef _intersections(edges_v: list[Edge], edges_h: list[Edge]\n                   ) -> dict[tuple[float, float], tuple[set, set]]:\n    """The points where a vertical and a horizontal edge meet within ``TOLERANCE``, each with\n    the edges through it (pdfplumber\'s ``edges_to_intersections``)."""\n    points: dict[tuple[float, float], tuple[set, set]] = {}\n    t = TOLERANCE\n    edges_h = sorted(edges_h, key=lambda e: (e.top, e.x0))\n    tops = [h.top for h in edges_h]\n    for v in sorted(edges_v, key=lambda e: (e.x0, e.top)):\n        # the horizontal edges at the heights the vertical one reaches\n        for h in edges_h[bisect_left(tops, v.top - t):bisect_right(tops, v.bottom + t)]:\n            if v.top <= h.top + t and v.bottom >= h.top - t and h.x0 - t <= v.x0 <= h.x1 + t:\n                vertex = (v.x0, h.top)\n                if vertex not in points:\n                    points[vertex] = (set(), set())\n                points[vertex][0].add(v)\n                points[vertex][1].add(h)\n    return points\n\n\ndef _cells(points: dict[tuple[float, float], tuple[set, set]]) -> list[Bbox]:\n    """The smallest rectangles whose four corners are intersections joined by edges\n    (pdfplumber\'s ``intersections_to_cells``): from each point, the first point below it joined\n    by a vertical edge and the first point right of it joined by a horizontal edge whose fourth\n    corner is joined to both. Two points are joined when they share an edge (the same ``x``\n    and a vertical edge, or the same ``y`` and a horizontal one)."""\n    ordered = sorted(points)\n    by_x: dict[float, list] = {}\n    by_y: dict[float, list] = {}\n    for pt in ordered:\n        by_x.setdefault(pt[0], []).append(pt)\n        by_y.setdefault(pt[1], []).append(pt)\n    after: dict[tuple[float, float], int] = {}  # a point\'s place in its column: below it, after\n    for column in by_x.values():\n        for n, pt in enumerate(column):\n            after[pt] = n + 1\n    right_of: dict[tuple[float, float], int] = {}  # and in its row: right of it, after\n    for row in by_y.values():\n        for n, pt in enumerate(row):\n            right_of[pt] = n + 1\n    cells = []\n    get = points.get\n    for pt in ordered:\n        x, y = pt\n        verticals, horizontals = points[pt]\n        right = None  # the points right of pt joined to it, found once a point below is\n        found = None\n        for b in by_x[x][after[pt]:]:\n            b_verticals, b_horizontals = points[b]\n            if verticals.isdisjoint(b_verticals):\n                continue\n            if right is None:\n                right = [r for r in by_y[y][right_of[pt]:]\n                         if not horizontals.isdisjoint(points[r][1])]\n            by = b[1]\n            for r in right:\n                corner = get((r[0], by))\n                if (corner is not None and not corner[0].isdisjoint(points[r][0])\n                        and not corner[1].isdisjoint(b_horizontals)):\n                    found = (x, y, r[0], by)\n                    break\n            if found:\n                break\n        if found:\n            cells.append(found)\n    return cells\n\n\ndef _tables_of(cells: list[Bbox]) -> list[list[Bbox]]:\n    """Cells grouped into tables by shared corners, top to bottom, single cells left out\n    (pdfplumber\'s ``cells_to_tables``, which gathers from the first cell left every cell that\n    shares a corner with those gathered, until none does: a table is a connected group of\n    cells, found here in one pass that joins the groups of cells sharing a corner). A table\'s\n    cells keep the order they were found in, which no step after depends on (each cell has its\n    own top left corner)."""\n    parent = list(range(len(cells)))\n\n    def root(k: int) -> int:\n        while parent[k] != k:\n            parent[k] = parent[parent[k]]\n            k = parent[k]\n        return k\n\n    owner: dict[tuple[float, float], int] = {}\n    for k, cell in enumerate(cells):\n        for corner in _corners(cell):\n            j = owner.setdefault(corner, k)\n            if j != k:\n                a, b = root(j), root(k)\n                if a != b:\n                    parent[max(a, b)] = min(a, b)\n    groups: dict[int, list[Bbox]] = {}\n    for k, cell in enumerate(cells):\n        groups.setdefault(root(k), []).append(cell)\n    tables = [t for t in groups.values() if len(t) > 1]\n    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))\n    return tables\n\n\ndef find_tables(page: PageGeometry) -> list[tuple[Bbox, TablePart]]:\n    """The page\'s ruled tables, underlines left out and open ends closed."""\n    # As pdfplumber\'s "lines" strategy takes them (its pre-filter drops segments under 1 pt).\n    horizontal = [e for e in page.horizontal if e.x1 - e.x0 >= 1]\n    vertical = [e for e in page.vertical if e.bottom - e.top >= 1]\n    if not horizontal and not vertical:\n        return []\n    merged = merge_edges(horizontal, True)\n    merged_v = merge_edges(vertical, False)\n    under = underlines(merged, page.chars, merged_v)\n    if under:\n        horizontal = [e for e in horizontal if not _within(e, under)]\n        merged = [e for e in merged if e not in under]\n    closing = closing_lines(merged_v, merged)\n    lines = horizontal + closing\n    if len(lines) < 2:\n        return []\n    edges_h = [e for e in merge_edges(lines, True) if e.x1 - e.x0 >= TOLERANCE]\n    edges_v = [e for e in merged_v if e.bottom - e.top >= TOLERANCE]\n    tables = _tables_of(_cells(_intersections(edges_v, edges_h)))\n    if not tables:\n        return []\n    ys = [c.top for c in closing]\n    # the page\'s chars by their vertical middle, once for all its tables (in page order where\n    # two share it: ``table_part`` puts a cell\'s chars in page order anyway)\n    middles = sorted([((c.top + c.bottom) / 2, (c.x0 + c.x1) / 2, n, c)\n                      for n, c in enumerate(page.chars)], key=_down)\n    heights = [m[0] for m in middles]\n    return [table_part(cells, middles, heights, ys) for cells in tables]\n\n\ndef text_lines(chars: list[Char]) -> list[TextLine]:\n    """The chars as lines of text, in order (pdfplumber\'s ``extract_text_lines``)."""\n    words = _words(chars)\n    index = _clusters([w.top for w in words], TEXT_TOLERANCE)\n    lines = []\n    for _, line in groupby(words, key=lambda w: index[w.top]):\n        line = list(line)\n        text = " ".join(w.text for w in line).strip(" ")\n        if text.strip():\n            members = [c for w in line for c in w.chars]\n            lines.append(TextLine(text, min(c.top for c in members), members))\n    return lines\n\n\ndef table_part(cells: list[Bbox], chars: list[tuple], ys: list[float], closing_ys: list[float]\n               ) -> tuple[Bbox, TablePart]:\n    """A table\'s cells as rows of cells with their texts and edges; a position covered by a\n    merged cell is a span whose edges are its column\'s. ``chars`` are the page\'s, as\n    (vertical middle, horizontal middle, order on the page, char), sorted by their vertical\n    middles, which are ``ys``."""\n    bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells),\n            max(c[3] for c in cells))\n    x0, top, x1, bottom = bbox\n    inside = [m for m in chars[bisect_left(ys, top):bisect_left(ys, bottom)]\n              if x0 <= m[1] < x1]\n    middles = [m[0] for m in inside]\n    edges = _union([c[0] for c in cells], [max(c[2] for c in cells)])\n    rows = []\n    new = tuple.__new__\n    for row in _rows(cells):\n        real = [c for c in row if c is not None]\n        # a row\'s cells share their top and come left to right\n        x0, x1 = real[0][0], max([c[2] for c in real])\n        top, bottom = real[0][1], max([c[3] for c in real])\n        # the row\'s chars by their horizontal middle: each cell\'s are a slice of them\n        row_chars = sorted((m for m in inside[bisect_left(middles, top):bisect_left(middles,\n                                                                                    bottom)]\n                            if x0 <= m[1] < x1), key=_across)\n        across = [m[1] for m in row_chars]\n        out = []\n        for i, cell in enumerate(row):\n            if cell is None:\n                out.append(new(PdfCell, ("", True, round(edges[i], 2), round(edges[i + 1], 2))))\n                continue\n            left, high, right, low = cell\n            mine = [m for m in row_chars[bisect_left(across, left):bisect_left(across, right)]\n                    if high <= m[0] < low]\n            if len(mine) > 1:\n                mine.sort(key=_order)\n            out.append(new(PdfCell, (cell_text([m[3] for m in mine]) if mine else "", False,\n                                     round(left, 2), round(right, 2))))\n        rows.append(out)\n    top, bottom = bbox[1], bbox[3]\n    return bbox, TablePart(rows, [_r(x) for x in edges],\n                           open_top=any(abs(y - top) <= 1 for y in closing_ys),\n                           open_bottom=any(abs(y - bottom) <= 1 for y in closing_ys))\n'

REFERENCE_PDFIUM = 'def _matrix(raw, obj) -> tuple[float, ...]:\n    m = raw.FS_MATRIX()\n    if not _calls(raw).matrix(obj, ctypes.byref(m)):\n        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)\n    return (m.a, m.b, m.c, m.d, m.e, m.f)\n\n\ndef _path_edges(raw, obj, m: tuple[float, ...], height: float,\n                horizontal: list[Edge], vertical: list[Edge]) -> None:\n    """A path object\'s edges, as pdfminer and pdfplumber make them."""\n    a, b, c, d, e, f = m\n    x = ctypes.c_float()\n    y = ctypes.c_float()\n    px, py = ctypes.byref(x), ctypes.byref(y)\n    subpaths: list[list[tuple[str, float, float]]] = []\n    calls = _calls(raw)\n    segment, kind_of, point_of, closes = (calls.segment, calls.segment_type, calls.point,\n                                          calls.closes)\n    moveto, bezierto = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO\n    bezier = 0\n    for i in range(calls.count_segments(obj)):\n        seg = segment(obj, i)\n        kind = kind_of(seg)\n        point_of(seg, px, py)\n        X, Y = x.value, y.value\n        point = (a * X + c * Y + e, height - (b * X + d * Y + f))\n        if kind == moveto or not subpaths:\n            subpaths.append([("m", *point)])\n            bezier = 0\n        elif kind == bezierto:\n            bezier += 1\n            if bezier % 3 == 0:  # pdfminer keeps a curve\'s end point, not its control points\n                subpaths[-1].append(("c", *point))\n        else:\n            subpaths[-1].append(("l", *point))\n        if closes(seg):\n            subpaths[-1].append(("h", subpaths[-1][0][1], subpaths[-1][0][2]))\n    for path in subpaths:\n        _subpath_edges(path, horizontal, vertical)\n\n\ndef _objects(raw, page, height: float, horizontal: list[Edge], vertical: list[Edge]) -> None:\n    """The page\'s path objects as edges, those inside form XObjects included."""\n    path, form = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM\n    calls = _calls(raw)\n    kind_of = calls.object_type\n    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)\n    stack = [(raw.FPDFPage_CountObjects(page), calls.get_object, page, identity)]\n    while stack:\n        count, get, parent, outer = stack.pop()\n        for i in range(count):\n            obj = get(parent, i)\n            kind = kind_of(obj)\n            if kind == path:\n                m = _matrix(raw, obj)\n                _path_edges(raw, obj, m if outer is identity else _compose(m, outer), height,\n                            horizontal, vertical)\n            elif kind == form:\n                stack.append((calls.form_count(obj), calls.form_object, obj,\n                              _compose(_matrix(raw, obj), outer)))\n\n\ndef _chars(raw, textpage, height: float) -> list[Char]:\n    """The page\'s chars. pdfium is asked for each char\'s loose box (origin to advance) and its\n    text object; the baseline and the font size are asked once per text object (one run of text\n    on one baseline), at its first char."""\n    count = raw.FPDFText_CountChars(textpage)\n    if count <= 0:\n        return []\n    calls = _calls(raw)\n    # the page\'s text as UTF-16 into a bytearray (a ctypes buffer of each page\'s own size would\n    # be an array type of its own, made for each page)\n    buffer = bytearray((count + 1) * 2)\n    written = calls.get_text(textpage, 0, count, ctypes.byref(ctypes.c_char.from_buffer(buffer)))\n    text = buffer[:max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")\n    if len(text) != count:  # a char outside the BMP: two UTF-16 units\n        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(count))\n    rect = raw.FS_RECTF()\n    prect = ctypes.byref(rect)\n    ox = ctypes.c_double()\n    oy = ctypes.c_double()\n    pox, poy = ctypes.byref(ox), ctypes.byref(oy)\n    loose, origin, size_of = calls.loose_box, calls.origin, calls.font_size\n    generated, text_object, angle_of = calls.generated, calls.text_object, calls.angle\n    new = tuple.__new__\n    chars: list[Char] = []\n    append = chars.append\n    run = None\n    top = bottom = size = 0.0\n    upright = True\n    for i, ch in enumerate(text):\n        if ch.isspace() and generated(textpage, i):\n            continue  # pdfium\'s own line breaks and spaces (at a gap, a change of font)\n        loose(textpage, i, prect)\n        obj = text_object(textpage, i)\n        if obj != run or obj is None:\n            run = obj\n            origin(textpage, i, pox, poy)\n            size = size_of(textpage, i)\n            bottom = height - oy.value\n            top = bottom - size\n            angle = angle_of(textpage, i)\n            upright = angle < 0.001 or angle > 6.283  # radians, as pdfminer\'s ``upright``\n        if upright:\n            append(new(Char, (ch, rect.left, rect.right, top, bottom, size, True)))\n        else:  # a turned char: its box as it stands on the page\n            append(new(Char, (ch, rect.left, rect.right, height - rect.top, height - rect.bottom,\n                              size, False)))\n    return chars\n\n\ndef _page(raw, page) -> PageGeometry:\n    box = [ctypes.c_float() for _ in range(4)]\n    if not raw.FPDFPage_GetMediaBox(page, *box):\n        raise Unreadable("a page without a /MediaBox")\n    left, bottom, right, top = (v.value for v in box)  # points are measured from ``top``\n    if raw.FPDFPage_GetRotation(page):\n        raise Unreadable("a turned page")\n    width, height = raw.FPDF_GetPageWidthF(page), raw.FPDF_GetPageHeightF(page)\n    seen = (left, bottom, right, top)\n    crop = [ctypes.c_float() for _ in range(4)]\n    if raw.FPDFPage_GetCropBox(page, *crop):\n        seen = (max(left, crop[0].value), max(bottom, crop[1].value),\n                min(right, crop[2].value), min(top, crop[3].value))\n    if abs(width - (seen[2] - seen[0])) > 1 or abs(height - (seen[3] - seen[1])) > 1:\n        # pdfium put the page on a default sheet: its /MediaBox is not four numbers\n        raise Unreadable("a page whose /MediaBox pdfium could not use")\n    textpage = raw.FPDFText_LoadPage(page)\n    if not textpage:\n        raise Unreadable("a page whose text pdfium could not load")\n    try:\n        chars = _chars(raw, textpage, top)\n    finally:\n        raw.FPDFText_ClosePage(textpage)\n    horizontal: list[Edge] = []\n    vertical: list[Edge] = []\n    _objects(raw, page.raw, top, horizontal, vertical)\n    return PageGeometry(chars, horizontal, vertical)\n'

REFERENCE_OUTSIDE = 'def _outside(chars: list[Char], boxes: list[tuple]) -> list[Char]:\n    """The chars whose center lies in none of the boxes (edges included), in their order."""\n    out = []\n    append = out.append\n    for c in chars:\n        cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2\n        for x0, top, x1, bottom in boxes:\n            if x0 <= cx <= x1 and top <= cy <= bottom:\n                break\n        else:\n            append(c)\n    return out\n'


REF = _reference(_pdf_tables, REFERENCE_TABLES)
REF_PDF = _reference(pdf_file, REFERENCE_OUTSIDE)
REF_PDFIUM = _reference(_pdfium, REFERENCE_PDFIUM)


def _former_calls(module):
    """The module's calls and the two the former ``_objects`` made (a page's and a form's
    object, returned as handles)."""
    import pypdfium2.raw as raw

    calls = module._Calls(raw)

    def bare(function, restype):
        call = ctypes.CFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)
        call.argtypes = None
        return call

    calls.get_object = bare(raw.FPDFPage_GetObject, module._Handle)
    form_object = bare(raw.FPDFFormObj_GetObject, module._Handle)
    calls.form_object = lambda form, i: form_object(form, ctypes.c_ulong(i))
    return calls


REF_PDFIUM._CALLS.append(_former_calls(REF_PDFIUM))


def _items(module, page) -> list:
    return [(kind, (c.rows, c.edges, c.open_top, c.open_bottom) if kind == "t" else tuple(c))
            for kind, c in module._page_items(page)]


@pytest.mark.parametrize("block", range(8))
def test_the_table_finder_and_lines_are_what_they_were(block):
    found = 0
    for seed in range(block * 60, block * 60 + 60):
        page = random_page(seed)
        tables = _tables(_pdf_tables, page)
        assert tables == _tables(REF, page), seed
        found += len(tables)
        assert _pdf_tables.text_lines(page.chars) == REF.text_lines(page.chars), seed
        merged = _pdf_tables.merge_edges(page.horizontal, True)
        assert merged == REF.merge_edges(page.horizontal, True), seed
        assert (_pdf_tables.merge_edges(page.vertical, False)
                == REF.merge_edges(page.vertical, False)), seed
        assert _pdf_tables.underlines(merged, page.chars) == REF.underlines(merged, page.chars)
        vertical = _pdf_tables.merge_edges(page.vertical, False)
        assert (_pdf_tables.underlines(merged, page.chars, vertical)
                == REF.underlines(merged, page.chars, vertical)), seed
        assert (_pdf_tables.closing_lines(vertical, merged)
                == REF.closing_lines(vertical, merged)), seed
        boxes = [t[0] for t in tables]
        for some in (boxes, boxes[:1], boxes[::-1], boxes + [(0.0, 0.0, 100.0, 60.0)]):
            assert pdf_file._outside(page.chars, some) == REF_PDF._outside(page.chars, some)
    assert found


def test_the_page_items_are_what_they_were():
    """The page items (tables and lines) of the random pages, as pdf_file makes them."""
    for seed in range(480):
        page = random_page(seed)
        mine = _items(pdf_file, page)
        # the former steps of both modules: pdf_file's copy calls the former table finder
        REF_PDF.find_tables, REF_PDF.text_lines = REF.find_tables, REF.text_lines
        assert mine == _items(REF_PDF, page), seed


def _geometry(pages) -> list:
    return [(p.chars, p.horizontal, p.vertical) for p in pages]


def _same_geometry(data: bytes) -> int:
    try:
        expected = _geometry(REF_PDFIUM.pages(data))
    except _pdfium.Unreadable as e:
        with pytest.raises(_pdfium.Unreadable, match=str(e)):
            _pdfium.pages(data)
        return 0
    assert _geometry(_pdfium.pages(data)) == expected
    return sum(len(c) + len(h) + len(v) for c, h, v in expected)  # what was compared


PDFS = (sorted((ROOT / "tests" / "samples" / "pdf_file").glob("*.pdf"))
        + sorted((FIXTURES / "pdf").glob("*.pdf")))


@pytest.mark.parametrize("path", PDFS, ids=[p.stem for p in PDFS])
def test_pdfium_reads_the_geometry_it_read(path):
    assert _same_geometry(path.read_bytes())


def test_pdfium_reads_the_written_pdfs_as_it_did(tmp_path):
    from loaders import writers
    from loaders.model import Source
    from loaders.readers import read

    seeds = sorted(REPORTS.glob("0*.txt"))[:3]
    written = 0
    for seed in seeds:
        document = read(Source.from_path(seed))
        for layout in (None, *writers.LAYOUTS[:3]):
            path = tmp_path / f"{seed.stem}.{layout}.pdf"
            try:
                writers.to_pdf(document, path, layout=layout)
            except ValueError:
                continue
            assert _same_geometry(path.read_bytes())
            written += 1
    assert written >= 6


def random_paths_pdf(seed: int) -> bytes:
    """A page of text and random paths, drawn with pdfium's own editing calls: one-line paths
    (closed after either point or not), moves alone, two lines, curves, rectangles, paths
    turned or scaled by their matrix."""
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    rng = random.Random(seed)
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    font = raw.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")
    text = raw.FPDFPageObj_CreateTextObj(pdf.raw, font, 12.0)
    label = "2021 report\x00".encode("utf-16-le")
    raw.FPDFText_SetText(text, ctypes.cast(ctypes.c_char_p(label),
                                           ctypes.POINTER(raw.FPDF_WCHAR)))
    raw.FPDFPageObj_Transform(text, 1, 0, 0, 1, 72, 800)
    raw.FPDFPage_InsertObject(page.raw, text)
    for _ in range(rng.randint(5, 40)):
        x, y = rng.choice([50.0, 100.5, 200.0]), rng.choice([100.0, 300.25, 500.0])
        path = raw.FPDFPageObj_CreateNewPath(x, y)
        shape = rng.choice(["line", "line", "line", "close_first", "move", "two", "curve",
                            "rect", "point"])
        dx, dy = rng.choice([(120.0, 0.0), (0.0, 80.0), (30.0, 40.0), (0.0, 0.0)])
        if shape in ("line", "two", "close_first"):
            if shape == "close_first":
                raw.FPDFPath_Close(path)
            raw.FPDFPath_LineTo(path, x + dx, y + dy)
            if shape == "two":
                raw.FPDFPath_LineTo(path, x + dx, y + dy + 20.0)
            if rng.random() < 0.4:
                raw.FPDFPath_Close(path)
        elif shape == "move":
            raw.FPDFPath_MoveTo(path, x + dx, y + dy)
        elif shape == "curve":
            raw.FPDFPath_BezierTo(path, x + 10, y + 10, x + 20, y, x + dx, y + dy)
        elif shape == "rect":
            raw.FPDFPath_LineTo(path, x + 100, y)
            raw.FPDFPath_LineTo(path, x + 100, y + 30)
            raw.FPDFPath_LineTo(path, x, y + 30)
            raw.FPDFPath_Close(path)
        raw.FPDFPath_SetDrawMode(path, 0, 1)
        if rng.random() < 0.2:
            raw.FPDFPageObj_Transform(path, *rng.choice([(0, 1, -1, 0, 400, 0),
                                                          (2, 0, 0, 0.5, 0, 10)]))
        raw.FPDFPage_InsertObject(page.raw, path)
    assert raw.FPDFPage_GenerateContent(page.raw)
    buffer = io.BytesIO()
    pdf.save(buffer)
    page.close()
    pdf.close()
    return buffer.getvalue()


def test_pdfium_reads_random_paths_as_it_did():
    edges = 0
    for seed in range(40):
        edges += _same_geometry(random_paths_pdf(seed))
    assert edges
