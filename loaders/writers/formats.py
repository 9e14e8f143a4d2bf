"""Write a ``Document`` back out in each format and layout the readers know: the same
paragraphs and the same table cells, in the same order, in each.

Used by the cross-format tests (a seed read from text, written as HTML, Word and PDF, must load to
the same values) and by the benchmark corpus generator (benchmarks/corpus.py).

By default a table is written as the reader's grid lists it, a cell per position, rows of
different lengths as Word's text export gives them. With ``layout`` (one of
``layout.LAYOUTS``), the HTML, Word and PDF writers draw the form's tables with the spans a
real document has, plus one quirk of agencies' files (a data cell spanning two columns, a spacer
column, header spans that do not line up with the data's); ``to_pdf(page_break=...)`` breaks
section 三 over two pages as Word prints it (loaders/writers/layout.py). Output is
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

from ..model import Document, Grid, Paragraph
from .layout import LAYOUTS, Layout, grid_layout, plain_layout, split_at

__all__ = ["LAYOUTS", "PAGE_BREAKS", "to_docx", "to_html", "to_pdf", "to_pipe_tables",
           "to_tab_rows", "to_word_cells"]

# How the continuation of section 三 starts on its new page: with the header rows again or not.
# Either way its first row has no top rule: the line above it belonged to the row that ended the
# previous page (a PDF printed from Word).
PAGE_BREAKS = ("header_repeated", "no_header")


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


def _html_table(layout: Layout) -> list[str]:
    rows: list[list[str]] = [[] for _ in range(layout.rows)]
    for p in layout.cells:
        spans = ((f' rowspan="{p.rowspan}"' if p.rowspan > 1 else "")
                 + (f' colspan="{p.colspan}"' if p.colspan > 1 else ""))
        text = "<br>".join(html.escape(line) for line in p.text.split("\n"))
        rows[p.row].append(f"<td{spans}>{text}</td>")
    return (['<table border="1" cellspacing="0" cellpadding="2">']
            + [f"<tr>{''.join(row)}</tr>" for row in rows] + ["</table>"])


def to_html(document: Document, *, layout: str | None = None) -> str:
    """A web page around the report; with ``layout``, its tables drawn with the form's spans and
    that layout's quirk (``LAYOUTS``)."""
    parts = ['<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>报告</title></head><body>',
             "<nav><a href='/'>首页</a> · <a href='/xxgk'>政府信息公开</a></nav>",
             '<div class="article">']
    for block in document.blocks:
        if isinstance(block, Paragraph):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Grid) and layout:
            parts.extend(_html_table(grid_layout(block, layout)))
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


def _set_text(cell, text: str) -> None:
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _docx_table(out, layout: Layout) -> None:
    """The layout as a Word table: spans become real merged cells (``cell.merge``: ``gridSpan``
    across, ``vMerge`` down), as Word itself writes them."""
    table = out.add_table(rows=layout.rows, cols=layout.cols)
    table.style = "Table Grid"
    positions = [list(row.cells) for row in table.rows]  # before any merge changes the rows
    for p in layout.cells:
        target = positions[p.row][p.col]
        if p.rowspan > 1 or p.colspan > 1:
            target = target.merge(positions[p.row + p.rowspan - 1][p.col + p.colspan - 1])
        if p.text:
            _set_text(target, p.text)


def to_docx(document: Document, path: Path, *, layout: str | None = None) -> None:
    """A Word file; with ``layout``, its tables drawn with the form's merged cells and that
    layout's quirk (``LAYOUTS``)."""
    import docx

    out = docx.Document()
    for block in document.blocks:
        if isinstance(block, Paragraph):
            out.add_paragraph(block.text)
        elif isinstance(block, Grid) and layout:
            _docx_table(out, grid_layout(block, layout))
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


def _pdf_table(layout: Layout, width: float, para, top_rule: bool = True):
    """The layout as a reportlab table: spans as real merged cells (``SPAN``), each cell's box
    ruled on its own so that no line crosses a merged cell; without ``top_rule`` the first row
    has no line above it."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    data: list[list] = [[""] * layout.cols for _ in range(layout.rows)]
    # Narrow padding: a spacer column is a few points wide, and section 三 fits on a page.
    commands: list[tuple] = [("LEFTPADDING", (0, 0), (-1, -1), 2),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                             ("TOPPADDING", (0, 0), (-1, -1), 1),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                             ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for p in layout.cells:
        data[p.row][p.col] = para(p.text) if p.text else ""
        c0, r0, c1, r1 = p.col, p.row, p.col + p.colspan - 1, p.row + p.rowspan - 1
        if (c0, r0) != (c1, r1):
            commands.append(("SPAN", (c0, r0), (c1, r1)))
        commands += [("LINEBELOW", (c0, r1), (c1, r1), 0.5, colors.black),
                     ("LINEBEFORE", (c0, r0), (c0, r1), 0.5, colors.black),
                     ("LINEAFTER", (c1, r0), (c1, r1), 0.5, colors.black)]
        if top_rule or r0 > 0:
            commands.append(("LINEABOVE", (c0, r0), (c1, r0), 0.5, colors.black))
    total = sum(layout.widths)
    return Table(data, colWidths=[width * w / total for w in layout.widths],
                 style=TableStyle(commands))


def to_pdf(document: Document, path: Path, *, layout: str | None = None,
           page_break: str | None = None) -> None:
    """A PDF with a text layer: paragraphs, and tables with ruling lines, in reportlab's built-in
    Chinese font (STSong-Light, no font file needed); long tables run over several pages.

    With ``layout``, tables are drawn with the form's merged cells and that layout's quirk
    (``LAYOUTS``). With ``page_break`` (``PAGE_BREAKS``), section 三 is cut in the middle of its
    rows (inside its merged group labels) and goes on at the top of the next page: the rows
    before the cut stay together on one page, the continuation starts with the header again or
    not, and its first row has no top rule."""
    if page_break is not None and page_break not in PAGE_BREAKS:
        raise ValueError(f"unknown page break {page_break!r}; one of {PAGE_BREAKS}")
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import CondPageBreak, PageBreak
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=7, leading=9,
                           wordWrap="CJK")

    def para(text: str):
        return P("<br/>".join(html.escape(x) for x in text.split("\n")), style)

    page = landscape(A4)
    width = page[0] - 30 * mm
    frame_height = page[1] - 24 * mm - 12  # SimpleDocTemplate's frame pads 6 points a side
    story = []
    broken = False
    for block in document.blocks:
        if isinstance(block, Paragraph):
            story.append(P(html.escape(block.text), style))
        elif isinstance(block, Grid) and (layout or page_break):
            drawn = grid_layout(block, layout) if layout else plain_layout(block)
            if page_break and not broken and drawn.kind == "applications":
                broken = True
                at = drawn.header_rows + (drawn.rows - drawn.header_rows) // 2
                top, rest = split_at(drawn, at, page_break == "header_repeated")
                first = _pdf_table(top, width, para)
                _, height = first.wrap(width, frame_height)
                if height > frame_height:
                    raise ValueError("the first part of section 三 does not fit on a page")
                story += [CondPageBreak(height + 1), first, PageBreak(),
                          _pdf_table(rest, width, para, top_rule=False)]
            else:
                # A table that fits on a page starts where it fits, so that the span quirks are
                # read apart from a page break: only ``page_break`` cuts section 三.
                table = _pdf_table(drawn, width, para)
                _, height = table.wrap(width, frame_height)
                story += [CondPageBreak(height + 1), table] if height <= frame_height else [table]
        elif isinstance(block, Grid):
            n = _width(block)
            rows = [[para(c.text) for c in row] + [P("", style)] * (n - len(row))
                    for row in block.rows]
            first = min(70 * mm, width / 2) if n > 2 else width / n
            widths = [first] + [(width - first) / (n - 1)] * (n - 1) if n > 1 else [width]
            table = Table(rows, colWidths=widths)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
            story.append(table)
    if page_break and not broken:
        raise ValueError("no section 三 table to break over a page")
    SimpleDocTemplate(str(path), pagesize=page, leftMargin=15 * mm, rightMargin=15 * mm,
                      topMargin=12 * mm, bottomMargin=12 * mm, invariant=1).build(story)
