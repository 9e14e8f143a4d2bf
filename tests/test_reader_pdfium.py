"""The PDF reader's two backends, pypdfium2 (the reader) and pdfplumber (its fallback), read every
PDF the tests have to the same document and the same report.

The corpus: the samples (tests/samples/pdf_file, printed by LibreOffice from Word), the PDFs
LibreOffice printed from web pages (tests/fixtures/pdf: shuyang_fgj_2023.html, seeds written as
HTML with the form's spans), and the cross-format PDFs (each seed written by
``loaders.writers.to_pdf`` plain, in each of ``writers.LAYOUTS`` and with each of
``writers.PAGE_BREAKS``, as tests/test_cross_format.py writes them).

For each PDF: the same paragraphs, the same grids (rows, cell texts, spans, line numbers, x-edges
within 0.5 pt), the same stored values with their raw text and provenance, the same issues, where
the texts of cells are compared without their blanks (pdfium drops a no-break space that pdfminer
keeps: LibreOffice's "0 0" reads "00", as pdfminer reads reportlab's; pdf_file.py says why); and
the table finder over pdfplumber's chars and edges finds the tables pdfplumber's own
``find_tables`` finds, with the texts its ``extract`` gives.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, REPORTS, ROOT, needs_cjk_font
from loaders import writers
from loaders.model import LoadError, Source
from loaders.pipeline import source_to_report
from loaders.readers import _pdfium, pdf_file, read
from loaders.readers._pdf_tables import (Edge, closing_lines, find_tables, text_lines,
                                         underlines)

SAMPLES = sorted((ROOT / "tests" / "samples" / "pdf_file").glob("*.pdf"))
# Samples whose text pdfplumber orders otherwise than the page does, so that the two backends'
# documents are not compared (their tables are, as on every file). Chromium prints the digits of
# a Chinese line in another font, a little lower: pdfplumber's lines, clustered by their tops,
# put 2022 after the rest of the title (某某…局 年政府信息公开2022工作年度报告), pdfium's text keeps
# the page's order.
TEXT_ORDER_DIFFERS = {"pdf_text_on_the_header_rule", "pdf_review_group_short_of_its_total",
                      "pdf_review_leaf_header_blank"}
# Samples printed without ruling lines between columns: no table for the table finder (their
# tables are read from the text's alignment, ``_pdf_aligned``; both backends, the test below).
WITHOUT_RULED_TABLES = {"pdf_table_without_rules", "pdf_table_with_horizontal_rules_only",
                        "pdf_review_group_short_of_its_total", "pdf_review_leaf_header_blank",
                        "pdf_rows_broken_in_a_table_without_rules"}
PRINTED = sorted((FIXTURES / "pdf").glob("*.pdf"))
SEEDS = sorted(REPORTS.glob("0*.txt"))
WRITTEN = ([(seed, None, None) for seed in SEEDS]
           + [(seed, layout, None) for seed in SEEDS for layout in writers.LAYOUTS]
           + [(seed, "label_spans_three_columns", b) for seed in SEEDS
              for b in writers.PAGE_BREAKS])
EDGE_TOLERANCE = 0.5  # points


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """The cross-format PDFs, as tests/test_cross_format.py writes them."""
    folder = tmp_path_factory.mktemp("pdfs")
    out = {}
    documents = {seed: read(Source.from_path(seed)) for seed in SEEDS}
    for seed, layout, page_break in WRITTEN:
        name = f"{seed.stem}.{layout or 'plain'}.{page_break or 'one'}.pdf"
        try:
            writers.to_pdf(documents[seed], folder / name, layout=layout, page_break=page_break)
        except ValueError:  # blank_pair_merged: no two blank cells side by side to merge
            continue
        out[name] = folder / name
    assert len(out) >= 35
    return out


CORPUS = ([pytest.param(p, id=f"sample-{p.stem}") for p in SAMPLES]
          + [pytest.param(p, id=f"printed-{p.stem}") for p in PRINTED]
          + [pytest.param(f"{s.stem}.{layout or 'plain'}.{b or 'one'}.pdf",
                          id=f"written-{s.stem}.{layout or 'plain'}.{b or 'one'}")
             for s, layout, b in WRITTEN])


# Each PDF's pages as each backend reads them, read once: pdfplumber takes half a second a file.
GEOMETRY: dict[tuple[bytes, str], list] = {}
READ = pdf_file.geometry


def geometry(data: bytes, backend: str | None = None) -> list:
    key = (hashlib.sha256(data).digest(), backend or "pdfium")
    if key not in GEOMETRY:
        GEOMETRY[key] = READ(data, backend or "pdfium")
    return GEOMETRY[key]


@pytest.fixture
def read_once(monkeypatch):
    """The reader's backends read each file once for all the tests of this module."""
    monkeypatch.setattr(pdf_file, "geometry", geometry)


def pdf_path(which, written) -> Path:
    if isinstance(which, Path):
        return which
    needs_cjk_font()  # written in STSong-Light, not embedded: pdfium needs a font to stand in
    if which not in written:
        pytest.skip("the layout cannot be drawn in this seed")
    return written[which]


def test_the_corpus_is_what_the_tests_have():
    assert len(SAMPLES) >= 4 and len(PRINTED) >= 5
    assert all(p.stat().st_size < 150_000 for p in PRINTED)


# ---------------------------------------------------------------------------------------------
# The table finder is pdfplumber's, over tuples (first: it reads each file with pdfplumber once
# for the tests after it)
# ---------------------------------------------------------------------------------------------

def _as_dict(e: Edge, kind: str) -> dict:
    return {"object_type": "line_edge", "orientation": kind, "x0": e.x0, "x1": e.x1,
            "top": e.top, "bottom": e.bottom, "doctop": e.top, "width": e.x1 - e.x0,
            "height": e.bottom - e.top}


def _as_edge(d: dict) -> Edge:
    return Edge(d["x0"], d["top"], d["x1"], d["bottom"])


def pdfplumbers_tables(page, geometry):
    """What the reader did before this backend: the same underlines and closing lines, then
    pdfplumber's ``find_tables`` and ``extract`` on its page."""
    from pdfplumber.table import merge_edges

    horizontal = [e for e in page.edges if e["orientation"] == "h" and e["width"] >= 1]
    vertical = [e for e in page.edges if e["orientation"] == "v" and e["height"] >= 1]
    if not horizontal and not vertical:
        return []
    merged = merge_edges(horizontal, 3, 3, 3, 3)
    under = underlines([_as_edge(e) for e in merged], geometry.chars,
                       [_as_edge(e) for e in merge_edges(vertical, 3, 3, 3, 3)])
    if under:
        horizontal = [e for e in horizontal if not any(
            abs(e["top"] - u.top) <= 3 and e["x0"] >= u.x0 - 0.5 and e["x1"] <= u.x1 + 0.5
            for u in under)]
        merged = [e for e in merged if _as_edge(e) not in under]
    closing = closing_lines([_as_edge(e) for e in merge_edges(vertical, 3, 3, 3, 3)],
                            [_as_edge(e) for e in merged])
    lines = horizontal + [_as_dict(e, "h") for e in closing]
    if len(lines) < 2:
        return []
    tables = page.find_tables({"horizontal_strategy": "explicit",
                               "explicit_horizontal_lines": lines})
    return [(t.bbox, [[text or "" for text in row] for row in t.extract()]) for t in tables]


@pytest.mark.parametrize("which", CORPUS)
def test_the_table_finder_finds_pdfplumbers_tables(which, written):
    import pdfplumber

    path = pdf_path(which, written)
    found = 0
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            geometry = pdf_file._plumbed(page)
            pages.append(geometry)
            ours = [(tuple(round(x, 3) for x in bbox), [[c.text for c in row] for row in part.rows])
                    for bbox, part in find_tables(geometry)]
            theirs = [(tuple(round(x, 3) for x in bbox), rows)
                      for bbox, rows in pdfplumbers_tables(page, geometry)]
            assert ours == theirs
            found += len(ours)
            boxes = [b for b, _ in ours]
            outside = pdf_file._outside(geometry.chars, boxes)
            theirs_lines = page.filter(lambda o: o.get("object_type") != "char" or not any(
                x0 <= (o["x0"] + o["x1"]) / 2 <= x1 and t <= (o["top"] + o["bottom"]) / 2 <= b
                for x0, t, x1, b in boxes)).extract_text_lines()
            assert [(line.text, round(line.top, 3)) for line in text_lines(outside)] == [
                (line["text"], round(line["top"], 3)) for line in theirs_lines]
    assert found >= 2 or (isinstance(which, Path) and which.stem in WITHOUT_RULED_TABLES)
    GEOMETRY[(hashlib.sha256(path.read_bytes()).digest(), "pdfplumber")] = pages


def _unspaced(text: str | None) -> str | None:
    return None if text is None else re.sub(r"\s", "", text)


def _norm(items):
    """Items with every cell's text (without its blanks) and span; the x-edges are compared
    apart, within a tolerance."""
    return [(kind, content if kind == "p" else [[(_unspaced(c[0]), c[1]) for c in row]
                                                for row in content])
            for kind, content in items]


@pytest.mark.parametrize("which", CORPUS)
def test_both_backends_read_the_same_document(which, written, read_once):
    if isinstance(which, Path) and which.stem in TEXT_ORDER_DIFFERS:
        pytest.skip("pdfplumber orders this page's text otherwise (TEXT_ORDER_DIFFERS)")
    source = Source.from_path(pdf_path(which, written))
    fast = pdf_file._items(source, "pdfium")
    slow = pdf_file._items(source, "pdfplumber")
    assert _norm(fast) == _norm(slow)
    for (kind, a), (_, b) in zip(fast, slow):
        if kind == "t":
            for row_a, row_b in zip(a, b):
                for ca, cb in zip(row_a, row_b):
                    assert abs(ca[2] - cb[2]) <= EDGE_TOLERANCE, (ca, cb)
                    assert abs(ca[3] - cb[3]) <= EDGE_TOLERANCE, (ca, cb)


def _report(source: Source, monkeypatch, backend: str):
    with monkeypatch.context() as m:
        m.setattr(pdf_file, "geometry", lambda data, _=None: geometry(data, backend))
        report = source_to_report(source)
    values = [(v.table, v.row_key, v.column_key, v.value, _unspaced(v.raw), v.line, v.line_end,
               v.grid, v.grid_row, v.grid_col) for v in report.values]
    issues = sorted((i.code, i.table or "", i.row_key or "", i.column_key or "",
                     _unspaced(i.raw) or "", i.line or 0) for i in report.issues)
    meta = (report.agency, report.year, report.template, report.title, report.published_on)
    return meta, values, issues


@pytest.mark.parametrize("which", CORPUS)
def test_both_backends_load_the_same_report(which, written, read_once, monkeypatch):
    if isinstance(which, Path) and which.stem in TEXT_ORDER_DIFFERS:
        pytest.skip("pdfplumber orders this page's text otherwise (TEXT_ORDER_DIFFERS)")
    source = Source.from_path(pdf_path(which, written))
    fast = _report(source, monkeypatch, "pdfium")
    slow = _report(source, monkeypatch, "pdfplumber")
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
    assert fast[2] == slow[2]
    assert len(fast[1]) > 40


# ---------------------------------------------------------------------------------------------
# What pdfium leaves to pdfplumber
# ---------------------------------------------------------------------------------------------

def test_a_file_pdfium_cannot_open_is_pdfplumbers_to_refuse():
    with pytest.raises(_pdfium.Unreadable):
        _pdfium.pages(b"%PDF-1.4 garbage")
    with pytest.raises(LoadError, match="not a readable PDF"):
        pdf_file.read(Source(Path("x.pdf"), b"%PDF-1.4 garbage"))


def test_a_page_without_a_media_box_is_pdfplumbers_to_refuse():
    from test_bad_files import page_box_pdf, text_pdf

    for data in (text_pdf().replace(b"/MediaBox", b"/MediaBax"),
                 page_box_pdf(b"/MediaBox [ 0 0 595 842 /x ]")):
        with pytest.raises(_pdfium.Unreadable, match="MediaBox"):
            _pdfium.pages(data)
        with pytest.raises(LoadError, match="not a readable PDF"):
            pdf_file.read(Source(Path("x.pdf"), data))
    assert [c.text for c in _pdfium.pages(text_pdf())[0].chars] == list("2021 report")


def _stsong_table() -> Source:
    """A ruled table whose labels are in STSong-Light, a font the file names and does not embed."""
    from test_reader_docx_pdf import ruled_pdf

    return ruled_pdf([{"cols": [20, 86, 130], "rows": [40, 60, 80],
                       "cells": [[(0, "予以公开"), (1, "5")], [(0, "总计"), (1, "7")]]}])


def _cells(source: Source) -> list[list[str]]:
    [grid] = [b for b in pdf_file.read(source).blocks if hasattr(b, "rows")]
    return [[c.text for c in row] for row in grid.rows]


def test_the_probe_finds_the_machines_cjk_font():
    needs_cjk_font()
    assert _pdfium.cjk_font_stands_in()
    assert _pdfium.pages(_pdfium._probe_pdf())[0].chars[0].text == "上"


def test_a_font_not_embedded_is_read_by_pdfplumber_on_a_machine_without_a_cjk_font(monkeypatch):
    """pdfium drops the chars of a CJK font it has nothing to draw with (the labels would
    vanish and the numbers stay): without a CJK font, a page in a font not embedded is
    pdfplumber's, whose text needs no font; a PDF whose fonts are embedded is still pdfium's."""
    plumbed = []
    real = pdf_file.plumbed_pages
    monkeypatch.setattr(pdf_file, "plumbed_pages", lambda data: plumbed.append(1) or real(data))
    monkeypatch.setattr(_pdfium, "_CJK_PROBE", [False])
    with pytest.raises(_pdfium.Unreadable, match="not embedded"):
        _pdfium.pages(_stsong_table().data)
    assert _cells(_stsong_table()) == [["予以公开", "5"], ["总计", "7"]]
    assert plumbed == [1]
    embedded = FIXTURES / "pdf" / "libreoffice_shuyang_fgj_2023.pdf"  # LibreOffice embeds its fonts
    assert "".join(c.text for c in _pdfium.pages(embedded.read_bytes())[0].chars).count("沭阳县发展和改革局")
    assert plumbed == [1]


def test_a_font_not_embedded_is_pdfiums_where_the_machine_has_a_cjk_font(monkeypatch):
    needs_cjk_font()
    plumbed = []
    monkeypatch.setattr(pdf_file, "plumbed_pages", lambda data: plumbed.append(1))
    assert _cells(_stsong_table()) == [["予以公开", "5"], ["总计", "7"]]
    assert not plumbed


def test_a_latin_font_not_embedded_is_pdfiums_on_any_machine(monkeypatch):
    """Helvetica, not embedded (reportlab's default), is one of pdfium's own fonts."""
    from test_bad_files import text_pdf

    monkeypatch.setattr(_pdfium, "_CJK_PROBE", [False])
    assert [c.text for c in _pdfium.pages(text_pdf())[0].chars] == list("2021 report")
