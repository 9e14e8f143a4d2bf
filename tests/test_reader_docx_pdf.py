"""The Word and PDF readers, one quirk per test."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from loaders.model import Grid, LoadError, Paragraph, Source
from loaders.readers import docx_file, pdf_file


def texts(grid):
    return [[c.text for c in row] for row in grid.rows]


def docx_source(build) -> Source:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return Source(Path("r.docx"), buffer.getvalue())


def test_docx_merged_cells_expand_into_empty_positions():
    def build(d):
        table = d.add_table(rows=2, cols=3)
        table.cell(0, 0).merge(table.cell(1, 0)).text = "三、本年度办理结果"  # vertical
        table.cell(0, 1).merge(table.cell(0, 2)).text = "（一）予以公开"  # horizontal
        table.cell(1, 1).text, table.cell(1, 2).text = "（二）部分公开", "0"
    [grid] = [b for b in docx_file.read(docx_source(build)).blocks if isinstance(b, Grid)]
    assert texts(grid) == [["三、本年度办理结果", "（一）予以公开", ""], ["", "（二）部分公开", "0"]]
    assert [c.span for c in grid.rows[0]] == [False, False, True]
    assert [c.span for c in grid.rows[1]] == [True, False, False]


def test_docx_paragraphs_in_a_cell_are_line_breaks_and_order_is_kept():
    def build(d):
        d.add_paragraph("一、总体情况")
        table = d.add_table(rows=1, cols=1)
        table.cell(0, 0).paragraphs[0].text = "结果"
        table.cell(0, 0).add_paragraph("维持")
        d.add_paragraph("二、主动公开政府信息情况")
    doc = docx_file.read(docx_source(build))
    kinds = [(type(b).__name__, b.text if isinstance(b, Paragraph) else texts(b)) for b in doc.blocks]
    assert kinds == [("Paragraph", "一、总体情况"), ("Grid", [["结果\n维持"]]),
                     ("Paragraph", "二、主动公开政府信息情况")]


def test_docx_lines_number_the_text_rendering():
    def build(d):
        d.add_paragraph("标题")
        d.add_table(rows=2, cols=2).cell(1, 1).text = "7"
    source = docx_source(build)
    lines = docx_file.render_lines(source)
    assert lines == ["标题", "\t", "\t7"]
    grid = docx_file.read(source).blocks[1]
    assert grid.rows[1][1].line == 3 and lines[grid.rows[1][1].line - 1].endswith("7")


def test_docx_that_is_not_a_zip_is_refused_clearly():
    with pytest.raises(LoadError, match="not a readable Word"):
        docx_file.read(Source(Path("x.docx"), b"not a zip"))


def register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


def pdf_source(story) -> Source:
    from reportlab.lib.pagesizes import A6
    from reportlab.platypus import SimpleDocTemplate

    register_font()
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A6).build(story)
    return Source(Path("r.pdf"), buffer.getvalue())


def zh_table(rows, repeat=0):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, repeatRows=repeat)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("FONT", (0, 0), (-1, -1), "STSong-Light", 8)]))
    return table


def test_pdf_table_broken_over_pages_is_joined_and_its_repeated_header_dropped():
    rows = [["项目", "数量"]] + [[f"第{i}行", str(i)] for i in range(60)]
    doc = pdf_file.read(pdf_source([zh_table(rows, repeat=1)]))
    grids = [b for b in doc.blocks if isinstance(b, Grid)]
    assert len(grids) == 1
    assert texts(grids[0]) == rows


def test_pdf_text_outside_tables_is_prose_in_reading_order():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as P

    register_font()  # before the style that names it
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=8)
    doc = pdf_file.read(pdf_source([P("一、总体情况", style), zh_table([["自然人", "3"]]),
                                    P("二、主动公开", style)]))
    assert [(type(b).__name__, b.text if isinstance(b, Paragraph) else texts(b))
            for b in doc.blocks] == [("Paragraph", "一、总体情况"), ("Grid", [["自然人", "3"]]),
                                     ("Paragraph", "二、主动公开")]


def test_pdf_without_a_text_layer_is_refused_clearly():
    from reportlab.graphics.shapes import Drawing, Rect

    drawing = Drawing(100, 100)
    drawing.add(Rect(10, 10, 50, 50))
    with pytest.raises(LoadError, match="no text layer"):
        pdf_file.read(pdf_source([drawing]))


def test_pdf_that_is_not_a_pdf_is_refused_clearly():
    with pytest.raises(LoadError, match="not a readable PDF"):
        pdf_file.read(Source(Path("x.pdf"), b"%PDF-1.4 garbage"))
