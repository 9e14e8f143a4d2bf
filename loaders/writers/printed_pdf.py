"""A report as agencies print it to PDF: A4 portrait, an embedded TrueType CJK font subset (WenQuanYi
Micro Hei from the system's fonts, standing in for 仿宋/宋体: reportlab embeds the glyphs used, as
Word does), the body in 四号 (14 pt) with an indented first line at a fixed 25-point line, the title
in 二号, tables in 五号 (10.5 pt) with the national form's merged cells (``layout.grid_layout``),
ruled cell by cell, a column of numbers as wide as its longest number (else the number set
smaller); a long table (section 三) runs over page breaks, cut where its rows' heights say (a
merged cell over the cut goes on empty below it) with its header rows repeated, as Word's "repeat
header rows" prints it; a page number at the foot of each page and the agency's seal scan
(``seal_image``, most of a printed report's weight) at the end. A report comes out at 4 to 9
pages and 170 to 350 KB.

Output is deterministic (reportlab's invariant mode). reportlab is in the ``test`` and ``bench``
extras; the font file must exist (``FONT``).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from ..model import Document, Grid, Paragraph
from .layout import Layout, grid_layout, plain_layout, split_at

__all__ = ["FONT", "to_printed_pdf"]

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@lru_cache(maxsize=1)
def _styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # One face under three names, as Word embeds 仿宋 (body), 黑体 (headings) and 宋体 (tables)
    # each as a subset of its own.
    for name in ("FangSong", "HeiTi", "SongTi"):
        pdfmetrics.registerFont(TTFont(name, str(FONT), subfontIndex=0))
    body = ParagraphStyle("body", fontName="FangSong", fontSize=14, leading=25,
                          firstLineIndent=28, wordWrap="CJK", alignment=4)
    heading = ParagraphStyle("heading", parent=body, fontName="HeiTi", fontSize=14, leading=25)
    title = ParagraphStyle("title", parent=body, fontName="HeiTi", fontSize=22, leading=34, firstLineIndent=0,
                           alignment=1, spaceAfter=18)
    cell = ParagraphStyle("cell", fontName="SongTi", fontSize=10.5, leading=13,
                          wordWrap="CJK", alignment=1)
    return body, heading, title, cell


@lru_cache(maxsize=64)
def _smaller(style, size: float):
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size, leading=size + 2)


def _table(drawn: Layout, width: float, cell_style):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table, TableStyle

    data: list[list] = [[""] * drawn.cols for _ in range(drawn.rows)]
    commands: list[tuple] = [("LEFTPADDING", (0, 0), (-1, -1), 3),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                             ("TOPPADDING", (0, 0), (-1, -1), 3),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                             ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
    for p in drawn.cells:
        if p.text.strip(" \t\n\u00a0\u3000"):
            data[p.row][p.col] = P("<br/>".join(html.escape(x) for x in p.text.split("\n")),
                                   cell_style)
        if p.rowspan > 1 or p.colspan > 1:
            commands.append(("SPAN", (p.col, p.row),
                             (p.col + p.colspan - 1, p.row + p.rowspan - 1)))
    total = sum(drawn.widths) or 1.0
    widths = [width * w / total for w in drawn.widths]
    # A column of numbers is as wide as its longest number (Word widens a column rather than
    # breaking 30010 over two lines); the label columns give up the room.
    need = [0.0] * drawn.cols
    for p in drawn.cells:
        text = p.text.strip()
        if p.colspan == 1 and text and re.fullmatch(r"[\d.,+\-\s]+", text):
            need[p.col] = max(need[p.col], 0.62 * cell_style.fontSize * len(text) + 8)
    extra = sum(max(0.0, n - w) for n, w in zip(need, widths))
    labels = [c for c in range(drawn.cols) if not need[c]]
    room = sum(widths[c] for c in labels)
    if extra and room > 2 * extra:
        widths = [max(w, n) if need[c] else w * (room - extra) / room
                  for c, (w, n) in enumerate(zip(widths, need))]
    for p in drawn.cells:  # a number that still does not fit is set smaller, as agencies do
        text = p.text.strip()
        if text and re.fullmatch(r"[\d.,+\-\s]+", text):
            room_pt = sum(widths[p.col:p.col + p.colspan]) - 7
            size = min(cell_style.fontSize, room_pt / (0.62 * len(text)))
            if size < cell_style.fontSize:
                data[p.row][p.col] = P(html.escape(text), _smaller(cell_style, round(size, 1)))
    return Table(data, colWidths=widths,
                 repeatRows=drawn.header_rows, style=TableStyle(commands), splitInRow=0)


def _form_table(drawn: Layout, width: float, cell_style):
    """A table that, when it does not fit where it stands, is cut at the last row that fits
    (``layout.split_at``: a merged cell over the cut goes on empty below it) and goes on on the
    next page, its header rows repeated: reportlab cannot split a table inside a row span, Word
    can."""
    from reportlab.platypus.flowables import Flowable

    class FormTable(Flowable):
        def __init__(self, drawn: Layout):
            super().__init__()
            self.drawn = drawn
            self.table = _table(drawn, width, cell_style)

        def wrap(self, aw, ah):
            self.width, self.height = self.table.wrap(aw, ah)
            return self.width, self.height

        def draw(self):
            self.table.drawOn(self.canv, 0, 0)

        def split(self, aw, ah):
            d = self.drawn
            self.table.wrap(aw, ah)
            heights = self.table._rowHeights  # each row's height, worked out by the wrap
            at, used = 0, 0.0
            while at < d.rows and used + heights[at] <= ah:
                used += heights[at]
                at += 1
            at = min(at, d.rows - 1)
            while at > d.header_rows:  # spans may make the cut part taller than its rows
                top, rest = split_at(d, at, repeat_header=d.header_rows > 0)
                first = _table(top, width, cell_style)
                if first.wrap(aw, ah)[1] <= ah:
                    return [first, FormTable(rest)]
                at -= 1
            return []

    return FormTable(drawn)


@lru_cache(maxsize=8)
def seal_image(variant: int) -> bytes:
    """The agency's red seal (公章) stamped over the signature, as a scanned JPEG: printed reports
    carry one, and it is much of their weight. ``variant`` (0-7) gives a scan of another size
    and grain; deterministic."""
    import io
    import random

    from PIL import Image, ImageDraw

    size = 360 + 60 * variant
    rng = random.Random(f"seal:{variant}")
    grain = Image.frombytes("L", (size, size), rng.randbytes(size * size))
    img = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(img)
    ring = size // 12
    draw.ellipse((ring, ring, size - ring, size - ring), outline=(210, 30, 40), width=ring // 2)
    c, r = size // 2, size // 7
    draw.polygon([(c, c - r), (c + r * 0.3, c - r * 0.3), (c + r, c - r * 0.3),
                  (c + r * 0.45, c + r * 0.15), (c + r * 0.65, c + r),
                  (c, c + r * 0.5), (c - r * 0.65, c + r), (c - r * 0.45, c + r * 0.15),
                  (c - r, c - r * 0.3), (c - r * 0.3, c - r * 0.3)], fill=(210, 30, 40))
    img = Image.composite(img, Image.new("RGB", (size, size), (235, 120, 120)),
                          grain.point(lambda v: 255 if v > 40 else 0))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=88)
    return out.getvalue()


def _page_number(canvas, doc) -> None:
    from reportlab.lib.pagesizes import A4

    canvas.saveState()
    canvas.setFont("SongTi", 14)
    canvas.drawCentredString(A4[0] / 2, 40, f"— {doc.page} —")
    canvas.restoreState()


def to_printed_pdf(document: Document, path: Path, *,
                   layout: str | None = "label_spans_three_columns", seal: int | None = 2) -> None:
    """The report printed on A4 with an embedded CJK font subset (see the module's docstring)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Spacer

    body, heading, title, cell = _styles()
    width = A4[0] - 56 * mm
    story = []
    for k, block in enumerate(document.blocks):
        if isinstance(block, Paragraph):
            text = html.escape(block.text)
            if k == 0:
                story.append(P(text, title))
            elif re.match(r"^[一二三四五六七八九十]+、", block.text) and len(block.text) < 40:
                story.append(P(text, heading))
            else:
                story.append(P(text, body))
        elif isinstance(block, Grid):
            try:
                drawn = grid_layout(block, layout) if layout else plain_layout(block)
            except ValueError:
                drawn = plain_layout(block)
            story += [_form_table(drawn, width, cell), Spacer(1, 8)]
    if seal is not None:
        import io

        from reportlab.platypus import Image

        story += [Spacer(1, 12), Image(io.BytesIO(seal_image(seal)), 42 * mm, 42 * mm, hAlign="RIGHT")]
    from reportlab import rl_config

    a85, rl_config.useA85 = rl_config.useA85, 0  # the JPEG as binary, as Word writes it
    try:
        _build(path, story, document)
    finally:
        rl_config.useA85 = a85


def _build(path, story, document) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=28 * mm, rightMargin=28 * mm,
                      topMargin=37 * mm, bottomMargin=35 * mm, invariant=1,
                      title=next((b.text for b in document.blocks if isinstance(b, Paragraph)),
                                 "")).build(story, onFirstPage=_page_number,
                                            onLaterPages=_page_number)
