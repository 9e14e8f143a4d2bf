"""The PDF and Word readers' faster steps give what the steps they replaced gave, on pages and
tables drawn at random (issue 17: the readers made cheaper, their output unchanged).

The former steps are kept here as the reference, verbatim: the table finder's cells, tables, rows
and table parts, the words, cell texts and text lines of ``_pdf_tables``, the chars outside the
tables of ``pdf_file``, and the Word reader's rows (read with lxml's ``find``). They run in a copy
of the module, whose other steps are the module's own; the random pages have grids with missing,
jittered and extra segments (merged cells, open rows, underlines), chars on the grid lines and on
shared positions, blanks, ligatures and turned chars, so that ties and tolerances are exercised.
"""

from __future__ import annotations

import importlib.util
import random
import sys

import pytest
from lxml import etree

from loaders.readers import _pdf_tables, docx_file, pdf_file
from loaders.readers._pdf_tables import Char, Edge, PageGeometry

REFERENCE_TABLES = 'def _cells(points: dict[tuple[float, float], tuple[set, set]]) -> list[Bbox]:\n    """The smallest rectangles whose four corners are intersections joined by edges\n    (pdfplumber\'s ``intersections_to_cells``)."""\n    def connects(p1, p2) -> bool:\n        if p1[0] == p2[0] and points[p1][0] & points[p2][0]:\n            return True\n        return p1[1] == p2[1] and bool(points[p1][1] & points[p2][1])\n\n    ordered = sorted(points)\n    by_x: dict[float, list] = {}\n    by_y: dict[float, list] = {}\n    for pt in ordered:\n        by_x.setdefault(pt[0], []).append(pt)\n        by_y.setdefault(pt[1], []).append(pt)\n    cells = []\n    for pt in ordered:\n        below = [q for q in by_x[pt[0]] if q > pt]\n        right = [q for q in by_y[pt[1]] if q > pt]\n        found = None\n        for b in below:\n            if not connects(pt, b):\n                continue\n            for r in right:\n                if not connects(pt, r):\n                    continue\n                corner = (r[0], b[1])\n                if corner in points and connects(corner, r) and connects(corner, b):\n                    found = (pt[0], pt[1], corner[0], corner[1])\n                    break\n            if found:\n                break\n        if found:\n            cells.append(found)\n    return cells\n\n\ndef _tables_of(cells: list[Bbox]) -> list[list[Bbox]]:\n    """Cells grouped into tables by shared corners, top to bottom, single cells left out\n    (pdfplumber\'s ``cells_to_tables``)."""\n    remaining = list(cells)\n    corners: set = set()\n    current: list[Bbox] = []\n    tables = []\n    while remaining:\n        count = len(current)\n        kept = []\n        for cell in remaining:\n            cell_corners = _corners(cell)\n            if not current or any(c in corners for c in cell_corners):\n                corners.update(cell_corners)\n                current.append(cell)\n            else:\n                kept.append(cell)\n        remaining = kept\n        if len(current) == count:\n            tables.append(list(current))\n            corners.clear()\n            current.clear()\n    if current:\n        tables.append(list(current))\n    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))\n    return [t for t in tables if len(t) > 1]\n\n\ndef _rows(cells: list[Bbox]) -> list[list[Bbox | None]]:\n    """A table\'s cells as rows over its columns, None where a merged cell covers a position."""\n    xs = sorted({c[0] for c in cells})\n    rows = []\n    for _, row in groupby(sorted(cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):\n        at = {c[0]: c for c in row}\n        rows.append([at.get(x) for x in xs])\n    return rows\n\n\ndef find_tables(page: PageGeometry) -> list[tuple[Bbox, TablePart]]:\n    """The page\'s ruled tables, underlines left out and open ends closed."""\n    # As pdfplumber\'s "lines" strategy takes them (its pre-filter drops segments under 1 pt).\n    horizontal = [e for e in page.horizontal if e.x1 - e.x0 >= 1]\n    vertical = [e for e in page.vertical if e.bottom - e.top >= 1]\n    if not horizontal and not vertical:\n        return []\n    merged = merge_edges(horizontal, True)\n    under = underlines(merged, page.chars, merge_edges(vertical, False))\n    if under:\n        horizontal = [e for e in horizontal if not _within(e, under)]\n        merged = [e for e in merged if e not in under]\n    closing = closing_lines(merge_edges(vertical, False), merged)\n    lines = horizontal + closing\n    if len(lines) < 2:\n        return []\n    edges_h = [e for e in merge_edges(lines, True) if e.x1 - e.x0 >= TOLERANCE]\n    edges_v = [e for e in merge_edges(vertical, False) if e.bottom - e.top >= TOLERANCE]\n    tables = _tables_of(_cells(_intersections(edges_v, edges_h)))\n    if not tables:\n        return []\n    ys = [c.top for c in closing]\n    # the page\'s chars by their vertical middle, once for all its tables\n    middles = sorted(((c.top + c.bottom) / 2, (c.x0 + c.x1) / 2, n, c)\n                     for n, c in enumerate(page.chars))\n    heights = [m[0] for m in middles]\n    return [table_part(cells, middles, heights, ys) for cells in tables]\n\n\ndef _words(chars: list[Char]) -> list[Word]:\n    """Chars as words, line by line (pdfplumber\'s ``WordExtractor``, default settings): chars\n    grouped into lines by their tops, each line read left to right, a word ending at a blank, a\n    gap over ``TEXT_TOLERANCE`` or a step back."""\n    words: list[Word] = []\n    t = TEXT_TOLERANCE\n    for upright, run in groupby(chars, key=lambda c: c.upright):\n        run = list(run)\n        index = _clusters([c.top if upright else c.x0 for c in run], t)\n        lines: dict[int, list[Char]] = {}\n        for c in run:\n            lines.setdefault(index[c.top if upright else c.x0], []).append(c)\n        for n in sorted(lines):\n            line = (sorted(lines[n], key=lambda c: c.x0) if upright\n                    else sorted(lines[n], key=lambda c: (c.top, c.bottom)))\n            word: list[Char] = []\n            for c in line:\n                if c.text.isspace():\n                    if word:\n                        words.append(_word(word))\n                    word = []\n                    continue\n                if word:\n                    prev = word[-1]\n                    if upright:\n                        new = c.x0 < prev.x0 or c.x0 > prev.x1 + t or abs(c.top - prev.top) > t\n                    else:\n                        new = (c.top < prev.top or c.top > prev.bottom + t\n                               or abs(c.x0 - prev.x0) > t)\n                    if new:\n                        words.append(_word(word))\n                        word = []\n                word.append(c)\n            if word:\n                words.append(_word(word))\n    return words\n\n\ndef _word(chars: list[Char]) -> Word:\n    return Word("".join(LIGATURES.get(c.text, c.text) for c in chars),\n                min(c.top for c in chars), chars)\n\n\ndef cell_text(chars: list[Char]) -> str:\n    """The text of a cell\'s chars: words joined by a space, lines by a line break\n    (pdfplumber\'s ``extract_text``)."""\n    t = TEXT_TOLERANCE\n    tops = [c.top for c in chars]\n    if max(tops) - min(tops) <= t and all(c.upright for c in chars):\n        # one line (most cells): its words straight away, as ``_words`` would find them\n        words: list[str] = []\n        word: list[str] = []\n        prev = None\n        for c in sorted(chars, key=lambda c: c.x0):\n            if c.text.isspace():\n                if word:\n                    words.append("".join(word))\n                word, prev = [], None\n                continue\n            if word and (c.x0 < prev.x0 or c.x0 > prev.x1 + t):\n                words.append("".join(word))\n                word = []\n            word.append(LIGATURES.get(c.text, c.text))\n            prev = c\n        if word:\n            words.append("".join(word))\n        return " ".join(words)\n    words = _words(chars)\n    index = _clusters([w.top for w in words], TEXT_TOLERANCE)\n    lines: dict[int, list[str]] = {}\n    for w in words:\n        lines.setdefault(index[w.top], []).append(w.text)\n    return "\\n".join(" ".join(lines[n]) for n in sorted(lines))\n\n\ndef text_lines(chars: list[Char]) -> list[TextLine]:\n    """The chars as lines of text, in order (pdfplumber\'s ``extract_text_lines``)."""\n    words = _words(chars)\n    index = _clusters([w.top for w in words], TEXT_TOLERANCE)\n    lines = []\n    for _, line in groupby(words, key=lambda w: index[w.top]):\n        line = list(line)\n        text = " ".join(w.text for w in line).strip(" ")\n        if text.strip():\n            members = [c for w in line for c in w.chars]\n            lines.append(TextLine(text, min(c.top for c in members), members))\n    return lines\n\n\ndef table_part(cells: list[Bbox], chars: list[tuple], ys: list[float], closing_ys: list[float]\n               ) -> tuple[Bbox, TablePart]:\n    """A table\'s cells as rows of cells with their texts and edges; a position covered by a\n    merged cell is a span whose edges are its column\'s. ``chars`` are the page\'s, as\n    (vertical middle, horizontal middle, order on the page, char), sorted; ``ys`` their\n    middles."""\n    bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells),\n            max(c[3] for c in cells))\n    x0, top, x1, bottom = bbox\n    inside = [m for m in chars[bisect_left(ys, top):bisect_left(ys, bottom)]\n              if x0 <= m[1] < x1]\n    middles = [m[0] for m in inside]\n    edges = _union([c[0] for c in cells], [max(c[2] for c in cells)])\n    rows = []\n    for row in _rows(cells):\n        real = [c for c in row if c is not None]\n        x0, x1 = min(c[0] for c in real), max(c[2] for c in real)\n        top, bottom = min(c[1] for c in real), max(c[3] for c in real)\n        row_chars = [m for m in inside[bisect_left(middles, top):bisect_left(middles, bottom)]\n                     if x0 <= m[1] < x1]\n        out = []\n        for i, cell in enumerate(row):\n            if cell is None:\n                out.append(PdfCell("", True, _r(edges[i]), _r(edges[i + 1])))\n                continue\n            mine = sorted((m for m in row_chars if cell[0] <= m[1] < cell[2]\n                           and cell[1] <= m[0] < cell[3]), key=lambda m: m[2])\n            out.append(PdfCell(cell_text([m[3] for m in mine]) if mine else "", False,\n                               _r(cell[0]), _r(cell[2])))\n        rows.append(out)\n    top, bottom = bbox[1], bbox[3]\n    return bbox, TablePart(rows, [_r(x) for x in edges],\n                           open_top=any(abs(y - top) <= 1 for y in closing_ys),\n                           open_bottom=any(abs(y - bottom) <= 1 for y in closing_ys))\n\n'

REFERENCE_DOCX = 'def _rows(tbl) -> list[list[tuple[str, bool, int, int]]]:\n    """Each row as (text, is a position covered by a merged cell, x0, x1): x0/x1 are the grid\n    columns the cell covers, so that the mapper places it by position (a gridSpan in a data\n    row, a header span offset). A ragged table (rows of different widths) has no positions."""\n    rows: list[list[tuple]] = []\n    for tr in tbl:\n        if tr.tag != _TR:\n            continue\n        props = tr.find(_TRPR)\n        before = _int_val(props.find(_GRIDBEFORE)) if props is not None else 0\n        row = [("", True, k, k + 1) for k in range(before)]\n        for tc in tr:\n            if tc.tag != _TC:\n                continue\n            merge = span = None\n            for props in tc:  # the cell\'s properties come first (CT_Tc), or not at all\n                if props.tag == _TCPR:\n                    merge, span = props.find(_VMERGE), props.find(_GRIDSPAN)\n                break\n            # <w:vMerge/> with no value continues the merge above; "restart" begins one\n            continued = merge is not None and merge.get(_VAL, "continue") == "continue"\n            col, span = len(row), max(1, _int_val(span))\n            row.append(("", True, col, col + 1) if continued\n                       else (_cell_text(tc), False, col, col + span))\n            if span > 1:\n                row.extend(("", True, col + k, col + k + 1) for k in range(1, span))\n        rows.append(row)\n    if len({len(row) for row in rows}) > 1:\n        rows = [[cell[:2] for cell in row] for row in rows]\n    return rows\n'


def _reference(module, source: str):
    """A copy of the module (beside it in its package), its former steps put back."""
    name = module.__name__ + "_reference"
    spec = importlib.util.spec_from_file_location(name, module.__file__)
    copy = importlib.util.module_from_spec(spec)
    sys.modules[name] = copy  # dataclasses look their module up
    spec.loader.exec_module(copy)
    exec(source, copy.__dict__)
    return copy


REF = _reference(_pdf_tables, REFERENCE_TABLES)
REF_DOCX = _reference(docx_file, REFERENCE_DOCX)

TEXTS = ["1234", "0", "56.7", "合计", "申请 数", "ﬁle", "一、收到申请", " ", "（三）不予公开", "12 34",
         "办理结果", "%"]


def _jitter(rng: random.Random, v: float) -> float:
    return v + rng.choice([0.0, 0.0, 0.0, 0.25, -0.5, 1.0, 2.5, 3.0, 3.5])


def _line_chars(rng: random.Random, text: str, x: float, baseline: float, size: float,
                upright: bool = True) -> list[Char]:
    chars = []
    for ch in text:
        width = size * rng.choice([0.5, 0.6, 1.0])
        if upright:
            chars.append(Char(ch, x, x + width, baseline - size, baseline, size, True))
        else:
            chars.append(Char(ch, x, x + size, baseline, baseline + width, size, False))
        if upright:
            x += width + rng.choice([0.0, 0.0, 0.5, 2.0, 4.0, -1.0])
        else:
            baseline += width + rng.choice([0.0, 0.5, 4.0])
    return chars


def random_page(seed: int) -> PageGeometry:
    rng = random.Random(seed)
    horizontal: list[Edge] = []
    vertical: list[Edge] = []
    chars: list[Char] = []
    top = rng.choice([30.0, 60.0, 72.5])
    for _ in range(rng.choice([1, 1, 2])):  # tables, one under the other
        xs = [40.0]
        for _ in range(rng.randint(1, 6)):
            xs.append(xs[-1] + rng.choice([20.0, 45.0, 60.0, 90.5]))
        ys = [top]
        for _ in range(rng.randint(1, 7)):
            ys.append(ys[-1] + rng.choice([14.0, 18.0, 30.0]))
        full = rng.random() < 0.3
        for j, y in enumerate(ys):
            if full and rng.random() < 0.8:
                horizontal.append(Edge(xs[0], _jitter(rng, y), xs[-1], y))
                continue
            for a, b in zip(xs, xs[1:]):
                if rng.random() < 0.85:
                    y0 = _jitter(rng, y)
                    horizontal.append(Edge(_jitter(rng, a), y0, _jitter(rng, b), y0))
        for x in xs:
            for a, b in zip(ys, ys[1:]):
                if rng.random() < 0.85:
                    x0 = _jitter(rng, x)
                    vertical.append(Edge(x0, _jitter(rng, a), x0, _jitter(rng, b)))
        if rng.random() < 0.3:  # the verticals run on below the last rule
            for x in xs:
                vertical.append(Edge(x, ys[-1], x, ys[-1] + 16.0))
        for a, b in zip(ys, ys[1:]):
            for x0, x1 in zip(xs, xs[1:]):
                if rng.random() < 0.8:
                    size = rng.choice([9.0, 10.5, 12.0])
                    x = rng.choice([x0 + 2.0, (x0 + x1) / 2, x1 - 1.0, x0])
                    line = rng.choice([a + size + 1.0, (a + b) / 2 + size / 2, b])
                    text = rng.choice(TEXTS)
                    chars += _line_chars(rng, text, x, line, size, rng.random() > 0.05)
                    if rng.random() < 0.3:  # a second line in the cell
                        chars += _line_chars(rng, rng.choice(TEXTS), x, line + size + 1.5, size)
        top = ys[-1] + rng.choice([20.0, 40.0, 60.0])
    for _ in range(rng.randint(0, 6)):  # text around the tables, some of it underlined
        size = rng.choice([9.0, 10.5, 12.0])
        x, baseline = rng.choice([30.0, 40.0, 300.0]), rng.choice([20.0, 25.0, top + 10.0, 500.0])
        text = rng.choice(TEXTS)
        line = _line_chars(rng, text, x, baseline, size, rng.random() > 0.1)
        chars += line
        if line and rng.random() < 0.4:
            y = baseline + rng.choice([0.5, 1.5, 3.0])
            horizontal.append(Edge(line[0].x0, y, line[-1].x1 + rng.choice([0.0, 2.0, 30.0]), y))
    rng.shuffle(chars) if rng.random() < 0.2 else None  # content order is not reading order
    return PageGeometry(chars, horizontal, vertical)


def _inside(c: Char, boxes: list[tuple]) -> bool:
    """The reader's former test of a char against the tables' boxes (the reference)."""
    cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _tables(module, page: PageGeometry) -> list:
    return [(bbox, part.rows, part.edges, part.open_top, part.open_bottom)
            for bbox, part in module.find_tables(page)]


@pytest.mark.parametrize("block", range(8))
def test_the_table_finder_finds_what_it_found(block):
    found = 0
    for seed in range(block * 60, block * 60 + 60):
        page = random_page(seed)
        tables = _tables(_pdf_tables, page)
        assert tables == _tables(REF, page), seed
        found += len(tables)
        assert _pdf_tables.text_lines(page.chars) == REF.text_lines(page.chars), seed
        for n in range(0, len(page.chars), 7):
            some = page.chars[n:n + 1 + n % 9]
            assert _pdf_tables.cell_text(some) == REF.cell_text(some), seed
        boxes = [t[0] for t in tables]
        assert pdf_file._outside(page.chars, boxes) == [
            c for c in page.chars if not _inside(c, boxes)], seed
    assert found  # the random pages do have tables


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _random_table(rng: random.Random) -> str:
    rows = []
    for _ in range(rng.randint(1, 6)):
        cells = []
        props = []
        if rng.random() < 0.2:
            props.append('<w:gridBefore w:val="%s"/>' % rng.choice(["1", "2", "x", " 1"]))
        if rng.random() < 0.1:
            props.append('<w:gridBefore w:val="3"/>')
        tr_pr = "<w:trPr><w:trHeight w:val='300'/>%s</w:trPr>" % "".join(props)
        for _ in range(rng.randint(1, 5)):
            props = ["<w:tcW w:w='100'/>"]
            for _ in range(rng.randint(0, 3)):
                props.append(rng.choice([
                    "<w:vMerge/>", '<w:vMerge w:val="restart"/>', '<w:vMerge w:val="continue"/>',
                    '<w:gridSpan w:val="2"/>', '<w:gridSpan w:val="3"/>',
                    '<w:gridSpan w:val="0"/>', '<w:gridSpan w:val="no"/>', "<!-- a note -->"]))
            rng.shuffle(props)
            first = rng.choice(["<w:tcPr>%s</w:tcPr>" % "".join(props), "<!-- first -->", ""])
            text = rng.choice(["1", "合计", "", "a<w:br/>b", "x<w:tab/>y"])
            cells.append("<w:tc>%s<w:p><w:r><w:t>%s</w:t></w:r></w:p></w:tc>" % (first, text)
                         if "<" not in text else
                         "<w:tc>%s<w:p><w:r>%s</w:r></w:p></w:tc>" % (
                             first, text.replace("a<", "<w:t>a</w:t><").replace(
                                 "x<", "<w:t>x</w:t><").replace("/>b", "/><w:t>b</w:t>").replace(
                                 "/>y", "/><w:t>y</w:t>")))
        where = rng.randint(0, len(cells))
        cells.insert(where, tr_pr) if rng.random() < 0.9 else None
        rows.append("<w:tr>%s</w:tr>" % "".join(cells))
    return '<w:tbl xmlns:w="%s"><w:tblPr/>%s</w:tbl>' % (W, "".join(rows))


def test_the_word_reader_reads_the_rows_it_read():
    rng = random.Random(17)
    for n in range(400):
        tbl = etree.fromstring(_random_table(rng))
        assert docx_file._rows(tbl) == REF_DOCX._rows(tbl), n
