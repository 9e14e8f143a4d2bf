"""Write a ``Document`` back out in each format and layout the readers know: the same
paragraphs and the same table cells, in the same order, in each.

Used by the cross-format tests (a seed read from text, written as HTML, Word and PDF, must load to
the same values) and by the benchmark corpus generator (benchmarks/corpus.py). Output is
byte-for-byte deterministic for a given document: Word files get fixed zip timestamps and PDFs
reportlab's invariant mode, so that a generated corpus has stable report ids.

python-docx is a dependency of the loaders; reportlab (PDF only) is in the ``test`` and
``bench`` extras.
"""

from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path

from loaders.model import Document, Grid, Paragraph


def _width(grid: Grid) -> int:
    return max(len(row) for row in grid.rows)


def _cell_lines(text: str) -> list[str]:
    return text.split("\n")


def to_word_cells(document: Document) -> str:
    """Text as Word exports it: each cell on its own line after a tab, a blank line after each
    row; a blank cell is an NBSP, as Word writes it."""
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Grid):
            for row in block.rows:
                for c in row:
                    first, *rest = _cell_lines(c.text) or [""]
                    lines.append("\t" + (first if first.strip() else "\u00a0"))
                    lines.extend(rest)
                lines.append("")
            lines.append("")
    return "\n".join(lines) + "\n"


def to_tab_rows(document: Document) -> str:
    """Text as copied out of a PDF: one row per line, cells separated by tabs (a row of one cell
    keeps a trailing tab, as PDF text does, so that it stays in the table)."""
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Grid):
            for row in block.rows:
                cells = [c.text.replace("\n", "") for c in row]
                lines.append("\t".join(cells) + ("\t" if len(cells) == 1 else ""))
            lines.append("")
    return "\n".join(lines) + "\n"


def to_pipe_tables(document: Document) -> str:
    """Markdown as PDF-to-markdown converters write it: pipe tables with a separator after the
    first row, paragraphs between blank lines."""
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            lines += [block.text, ""]
        elif isinstance(block, Grid):
            width = _width(block)
            for r, row in enumerate(block.rows):
                cells = [c.text.replace("\n", "<br>").replace("|", "｜") for c in row]
                cells += [""] * (width - len(cells))
                lines.append("| " + " | ".join(cells) + " |")
                if r == 0:
                    lines.append("|" + "---|" * width)
            lines.append("")
    return "\n".join(lines) + "\n"


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
            for row, table_row in zip(block.rows, table.rows):
                targets = table_row.cells  # once per row: table.cell(r, c) scans the table
                for c, cell in enumerate(row):
                    lines = cell.text.split("\n")
                    target = targets[c]
                    target.paragraphs[0].text = lines[0]
                    for line in lines[1:]:
                        target.add_paragraph(line)
    buffer = io.BytesIO()
    out.save(buffer)
    Path(path).write_bytes(_fixed_zip_times(buffer.getvalue()))


def _fixed_zip_times(data: bytes) -> bytes:
    """The same zip with every member dated 1980-01-01, so that equal documents are equal files."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


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
                      topMargin=12 * mm, bottomMargin=12 * mm, invariant=1).build(story)
