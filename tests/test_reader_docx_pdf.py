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


# --- PDF geometry: pages drawn with reportlab's canvas, rules placed by hand -----------------

PAGE = (300, 400)


def ruled_pdf(pages) -> Source:
    """A PDF whose pages each hold a ruled table drawn by hand. A page is a dict: ``cols`` (the
    x of its vertical rules), ``rows`` (the y of its horizontal rules, from the top of the page
    down), ``cells`` (per row, (column, text) pairs; a text may hold line breaks), and optional
    ``no_rule`` (indexes into ``rows`` of rules left undrawn: the verticals still run there),
    ``under`` ((x0, x1, y) underlines, drawn as lines; as thin filled rectangles, as Word draws
    them, with ``under_as_rect``) and ``text`` ((x, y, text) lines outside the table)."""
    from reportlab.pdfgen import canvas

    register_font()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=PAGE, invariant=1)
    height = PAGE[1]
    for page in pages:
        cols, rows = page["cols"], page["rows"]
        c.setLineWidth(0.5)
        for x in cols:
            c.line(x, height - rows[0], x, height - rows[-1])
        for i, y in enumerate(rows):
            if i not in page.get("no_rule", ()):
                c.line(cols[0], height - y, cols[-1], height - y)
        for x0, x1, y in page.get("under", ()):
            if page.get("under_as_rect"):
                c.rect(x0, height - y - 0.3, x1 - x0, 0.6, stroke=0, fill=1)
            else:
                c.line(x0, height - y, x1, height - y)
        c.setFont("STSong-Light", 8)
        for r, cells in enumerate(page["cells"]):
            for col, text in cells:
                for k, part in enumerate(text.split("\n")):
                    c.drawString(cols[col] + 2, height - rows[r] - 9 - 10 * k, part)
        for x, y, text in page.get("text", ()):
            c.drawString(x, height - y, text)
        c.showPage()
    c.save()
    return Source(Path("r.pdf"), buffer.getvalue())


def only_grid(source: Source) -> Grid:
    [grid] = [b for b in pdf_file.read(source).blocks if isinstance(b, Grid)]
    return grid


def test_pdf_cells_carry_their_edges_header_cells_and_spans_included():
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table([["申请人情况", ""], ["自然人", "总计"], ["3", "4"]], colWidths=[60, 40])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("SPAN", (0, 0), (1, 0)),
                               ("FONT", (0, 0), (-1, -1), "STSong-Light", 8)]))
    grid = only_grid(pdf_source([table]))
    header, names, values = grid.rows
    left = names[0].x0
    assert [(c.x0 - left, c.x1 - left) for c in names] == [(0, 60), (60, 100)]
    assert [(c.x0 - left, c.x1 - left) for c in values] == [(0, 60), (60, 100)]
    # the merged header cell spans both columns; the position it covers is a span of column 2
    assert (header[0].text, header[0].x0 - left, header[0].x1 - left) == ("申请人情况", 0, 100)
    assert (header[1].span, header[1].x0 - left, header[1].x1 - left) == (True, 60, 100)


def test_pdf_first_row_on_a_new_page_without_its_top_rule_is_kept():
    """Word prints a continued table whose cells have border-top:none with no rule above the
    first row of the new page; the side rules run on above the first horizontal one."""
    grid = only_grid(ruled_pdf([
        {"cols": [20, 150, 200], "rows": [40, 60, 80],
         "cells": [[(0, "项目"), (1, "数量")], [(0, "（三）1.属于国家秘密"), (1, "0")]]},
        {"cols": [20, 150, 200], "rows": [40, 60, 80], "no_rule": [0],
         "cells": [[(0, "（四）1.本机关不掌握"), (1, "6")], [(0, "2.没有现成信息"), (1, "2")]]},
    ]))
    assert texts(grid) == [["项目", "数量"], ["（三）1.属于国家秘密", "0"],
                           ["（四）1.本机关不掌握", "6"], ["2.没有现成信息", "2"]]


def test_pdf_last_row_of_a_page_without_its_bottom_rule_is_kept():
    grid = only_grid(ruled_pdf([
        {"cols": [20, 150, 200], "rows": [40, 60, 80], "no_rule": [2],
         "cells": [[(0, "项目"), (1, "数量")], [(0, "（七）总计"), (1, "9")]]},
    ]))
    assert texts(grid) == [["项目", "数量"], ["（七）总计", "9"]]


@pytest.mark.parametrize("as_rect", [False, True], ids=["line", "rect"])
def test_pdf_underline_reaching_both_side_rules_is_not_a_cell_border(as_rect):
    """A justified, underlined label fills its cell: its underline runs from one side rule to
    the other, just under the text (pdf_underlined_label.pdf)."""
    grid = only_grid(ruled_pdf([
        {"cols": [20, 86, 130], "rows": [40, 70, 90],
         "cells": [[(0, "2.其他法律行政法\n规禁止公开"), (1, "1")], [(0, "3.危及"), (1, "0")]],
         "under": [(21, 85, 50.5)], "under_as_rect": as_rect},
    ]))
    assert texts(grid) == [["2.其他法律行政法\n规禁止公开", "1"], ["3.危及", "0"]]


def test_pdf_rule_under_text_across_the_row_is_a_border_not_an_underline():
    grid = only_grid(ruled_pdf([
        {"cols": [20, 86, 130], "rows": [40, 50.5, 70],
         "cells": [[(0, "上"), (1, "1")], [(0, "下"), (1, "2")]]},
    ]))
    assert texts(grid) == [["上", "1"], ["下", "2"]]


def split_pages(first_on_page_2):
    return ruled_pdf([
        {"cols": [20, 130, 180], "rows": [40, 60, 80],
         "cells": [[(0, "2.重复申请"), (1, "2")], [(0, "5.要求行政机关确"), (1, "1")]]},
        {"cols": [20, 130, 180], "rows": [40, 60, 80],
         "cells": [first_on_page_2, [(0, "3.其他"), (1, "4")]]},
    ])


def test_pdf_row_cut_by_the_page_break_is_joined_into_one_row():
    grid = only_grid(split_pages([(0, "认或重新出具已获取信息")]))
    assert texts(grid) == [["2.重复申请", "2"], ["5.要求行政机关确\n认或重新出具已获取信息", "1"],
                           ["3.其他", "4"]]
    assert grid.rows[1][0].line == grid.rows[1][1].line


def test_pdf_row_cut_by_the_page_break_with_its_numbers_on_the_new_page_is_joined():
    grid = only_grid(ruled_pdf([
        {"cols": [20, 130, 180], "rows": [40, 60, 80],
         "cells": [[(0, "2.重复申请"), (1, "2")], [(0, "4.无正当理由大量")]]},
        {"cols": [20, 130, 180], "rows": [40, 60, 80],
         "cells": [[(0, "反复申请"), (1, "7")], [(0, "3.其他"), (1, "4")]]},
    ]))
    assert texts(grid) == [["2.重复申请", "2"], ["4.无正当理由大量\n反复申请", "7"], ["3.其他", "4"]]


@pytest.mark.parametrize("first", [[(0, "（六）1.申请人无正当理由"), (1, "3")],
                                   [(0, "（六）其他处理")], [(0, "6.另一行"), (1, "3")]],
                         ids=["numbers_on_both_pages", "label_of_a_new_group", "numbered_label"])
def test_pdf_new_row_at_the_top_of_a_page_is_not_joined_to_the_row_above(first):
    grid = only_grid(split_pages(first))
    assert texts(grid)[1:3] == [["5.要求行政机关确", "1"], [text for _, text in first] + [""] * (2 - len(first))]


def test_pdf_page_numbers_stay_out_of_the_prose_and_do_not_split_a_table():
    doc = pdf_file.read(ruled_pdf([
        {"cols": [20, 130, 180], "rows": [40, 60, 80], "text": [(140, 380, "— 1 —")],
         "cells": [[(0, "项目"), (1, "数量")], [(0, "规章"), (1, "0")]]},
        {"cols": [20, 130, 180], "rows": [40, 60], "text": [(140, 380, "第 2 页")],
         "cells": [[(0, "行政规范性文件"), (1, "3")]]},
    ]))
    assert [type(b).__name__ for b in doc.blocks] == ["Grid"]
    assert texts(doc.blocks[0]) == [["项目", "数量"], ["规章", "0"], ["行政规范性文件", "3"]]


def test_pdf_table_continued_with_fewer_column_rules_is_placed_by_its_edges():
    """The part on the new page holds only a row whose label spans two columns: it has fewer
    column boundaries; its cells are placed on the table's own."""
    grid = only_grid(ruled_pdf([
        {"cols": [20, 70, 130, 180], "rows": [40, 60, 80],
         "cells": [[(0, "三、结果"), (1, "（一）予以公开"), (2, "5")],
                   [(0, ""), (1, "（二）部分公开"), (2, "1")]]},
        {"cols": [20, 130, 180], "rows": [40, 60],
         "cells": [[(0, "四、结转下年度继续办理"), (1, "2")]]},
    ]))
    last = grid.rows[-1]
    assert [c.text for c in last] == ["四、结转下年度继续办理", "", "2"]
    assert [c.span for c in last] == [False, True, False]
    assert (last[0].x0, last[0].x1, last[2].x0, last[2].x1) == (20, 130, 130, 180)
    assert all(len(row) == 3 for row in grid.rows)


def test_pdf_row_with_no_rules_at_all_above_a_continued_table_is_its_first_row():
    """No top rule and no side rules: the text between the top of the page and the first rule is
    a row when it reads as one, its cells placed by the table's column edges."""
    grid = only_grid(ruled_pdf([
        {"cols": [20, 130, 180], "rows": [40, 60, 80],
         "cells": [[(0, "项目"), (1, "数量")], [(0, "（三）8.属于行政查询事项"), (1, "0")]]},
        {"cols": [20, 130, 180], "rows": [60, 80],
         "text": [(22, 49, "（四）1.本机关不掌握"), (150, 49, "6")],
         "cells": [[(0, "2.没有现成信息"), (1, "2")]]},
    ]))
    assert texts(grid) == [["项目", "数量"], ["（三）8.属于行政查询事项", "0"],
                           ["（四）1.本机关不掌握", "6"], ["2.没有现成信息", "2"]]
    assert [(c.x0, c.x1) for c in grid.rows[2]] == [(20, 130), (130, 180)]


def test_pdf_heading_above_a_table_on_a_new_page_stays_prose():
    doc = pdf_file.read(ruled_pdf([
        {"cols": [20, 130, 180], "rows": [40, 60], "cells": [[(0, "项目"), (1, "数量")]]},
        {"cols": [20, 130, 180], "rows": [60, 80], "text": [(22, 49, "四、行政复议情况")],
         "cells": [[(0, "结果维持"), (1, "总计")]]},
    ]))
    assert [type(b).__name__ for b in doc.blocks] == ["Grid", "Paragraph", "Grid"]
