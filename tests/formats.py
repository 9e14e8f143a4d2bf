"""Write a report read from text as HTML, Word and PDF, for the cross-format tests: the same
paragraphs and the same table cells, in the same order, in each format."""

from __future__ import annotations

import html
from pathlib import Path

from loaders.model import Document, Grid, Paragraph


def _width(grid: Grid) -> int:
    return max(len(row) for row in grid.rows)


def to_html(document: Document) -> str:
    parts = ['<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>报告</title></head><body>',
             "<nav><a href='/'>首页</a> · <a href='/xxgk'>政府信息公开</a></nav>",
             '<div class="article">']
    for block in document.blocks:
        if isinstance(block, Paragraph):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Grid):
            parts.append('<table border="1">')
            for row in block.rows:
                cells = "".join(
                    "<td>" + "<br>".join(html.escape(line) for line in c.text.split("\n"))
                    + "</td>" for c in row)
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</table>")
    parts.append("</div><footer>版权所有</footer></body></html>")
    return "\n".join(parts)


def to_docx(document: Document, path: Path) -> None:
    import docx

    out = docx.Document()
    for block in document.blocks:
        if isinstance(block, Paragraph):
            out.add_paragraph(block.text)
        elif isinstance(block, Grid):
            table = out.add_table(rows=len(block.rows), cols=_width(block))
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    lines = cell.text.split("\n")
                    target = table.cell(r, c)
                    target.paragraphs[0].text = lines[0]
                    for line in lines[1:]:
                        target.add_paragraph(line)
    out.save(path)


def to_pdf(document: Document, path: Path) -> None:
    """A PDF with a text layer: paragraphs, and tables with ruling lines, in reportlab's built-in
    Chinese font (STSong-Light, no font file needed); long tables run over several pages."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=7, leading=9,
                           wordWrap="CJK")
    page = landscape(A4)
    width = page[0] - 30 * mm
    story = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            story.append(P(html.escape(block.text), style))
        elif isinstance(block, Grid):
            n = _width(block)
            rows = [[P("<br/>".join(html.escape(x) for x in c.text.split("\n")), style)
                     for c in row] + [P("", style)] * (n - len(row)) for row in block.rows]
            first = min(70 * mm, width / 2) if n > 2 else width / n
            widths = [first] + [(width - first) / (n - 1)] * (n - 1) if n > 1 else [width]
            table = Table(rows, colWidths=widths)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
            story.append(table)
    SimpleDocTemplate(str(path), pagesize=page, leftMargin=15 * mm, rightMargin=15 * mm,
                      topMargin=12 * mm, bottomMargin=12 * mm).build(story)
