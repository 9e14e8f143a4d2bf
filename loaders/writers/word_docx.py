"""A report as the Word file an agency publishes: ``word/document.xml`` as Word writes it (revision
ids on every paragraph, run properties on every run: 仿宋_GB2312 三号 body, 黑体 headings, 宋体 五号
in tables, ``w:kern``, ``w:lang``; paragraph spacing at a fixed 28-point line; tables with a fixed
layout, cell widths, ``w:gridSpan`` and ``w:vMerge`` for the form's merged cells, cell margins and
borders), in the package of python-docx's default template (styles, theme, settings, fonts).

The document part is written as text, not built through python-docx's object model: the same XML,
at a fraction of the time (the bench writes tens of thousands of these). Tables are drawn with the
national form's spans (``layout.grid_layout``). Output is byte-for-byte deterministic.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from ..model import Document, Grid, Paragraph
from .layout import Layout, grid_layout, plain_layout

__all__ = ["to_word_docx"]

_NS = ('xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:o="urn:schemas-microsoft-com:office:office" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
       'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
       'xmlns:v="urn:schemas-microsoft-com:vml" '
       'xmlns:w10="urn:schemas-microsoft-com:office:word" '
       'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" '
       'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
       'mc:Ignorable="w14"')
_ASCII_RUN = re.compile(r"([0-9A-Za-z.%:/\-]+)")


def _rpr(east: str, size: int, latin: bool = False, bold: bool = False) -> str:
    fonts = (f'<w:rFonts w:ascii="Times New Roman" w:eastAsia="{east}" w:hAnsi="Times New Roman" '
             'w:cs="Times New Roman"/>' if latin else
             f'<w:rFonts w:ascii="{east}" w:eastAsia="{east}" w:hAnsi="{east}" '
             f'w:cs="Times New Roman" w:hint="eastAsia"/>')
    return (f"<w:rPr>{fonts}{'<w:b/><w:bCs/>' if bold else ''}<w:color w:val=\"000000\"/>"
            f'<w:kern w:val="0"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>')


_BODY, _BODY_LATIN = _rpr("仿宋_GB2312", 32), _rpr("仿宋_GB2312", 32, latin=True)
_HEAD = _rpr("黑体", 32)
_CELL, _CELL_LATIN = _rpr("宋体", 21), _rpr("宋体", 21, latin=True)


def _rsid(n: int) -> str:
    return f"00{(n * 2654435761) % 0xFFFFFF:06X}"


def _runs(text: str, rpr: str, latin: str) -> str:
    out = []
    for k, piece in enumerate(_ASCII_RUN.split(text)):
        if piece:
            space = ' xml:space="preserve"' if piece != piece.strip() else ""
            out.append(f"<w:r>{latin if k % 2 else rpr}<w:t{space}>{escape(piece)}</w:t></w:r>")
    return "".join(out)


def _para(text: str, n: int, heading: bool) -> str:
    rpr = _HEAD if heading else _BODY
    return (f'<w:p w:rsidR="{_rsid(n)}" w:rsidRDefault="{_rsid(n + 1)}" w:rsidP="{_rsid(n + 2)}">'
            '<w:pPr><w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLineChars="200" '
            f'w:firstLine="640"/><w:jc w:val="both"/>{rpr}</w:pPr>'
            f"{_runs(text, rpr, _BODY_LATIN)}</w:p>")


def _cell_paras(text: str, n: int) -> str:
    lines = text.split("\n") if text.strip(" \t\n\u00a0\u3000") else [""]
    return "".join(
        f'<w:p w:rsidR="{_rsid(n + i)}" w:rsidRDefault="{_rsid(n + i + 1)}">'
        '<w:pPr><w:widowControl/><w:spacing w:line="280" w:lineRule="exact"/><w:jc w:val="center"/>'
        f"{_CELL}</w:pPr>{_runs(line, _CELL, _CELL_LATIN)}</w:p>" for i, line in enumerate(lines))


_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))


def _table(drawn: Layout, n: int) -> str:
    total = sum(drawn.widths) or 1.0
    widths = [max(120, round(9000 * w / total)) for w in drawn.widths]
    starts = {(p.row, p.col): p for p in drawn.cells}
    covered = {}  # (row, col) -> the cell above whose rowspan covers it
    for p in drawn.cells:
        for r in range(p.row + 1, p.row + p.rowspan):
            covered[(r, p.col)] = p
    out = ['<w:tbl><w:tblPr><w:tblW w:w="9000" w:type="dxa"/><w:jc w:val="center"/>'
           f'<w:tblBorders>{_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           '<w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
           '</w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
           'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
           + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
    for r in range(drawn.rows):
        out.append(f'<w:tr w:rsidR="{_rsid(n + r)}" w:rsidTr="{_rsid(n + r + 7)}"><w:trPr>'
                   '<w:trHeight w:val="397"/><w:jc w:val="center"/></w:trPr>')
        c = 0
        while c < drawn.cols:
            p, cont = starts.get((r, c)), False
            if p is None:
                p, cont = covered[(r, c)], True
            span = f'<w:gridSpan w:val="{p.colspan}"/>' if p.colspan > 1 else ""
            merge = ("<w:vMerge/>" if cont else
                     '<w:vMerge w:val="restart"/>' if p.rowspan > 1 else "")
            width = sum(widths[c:c + p.colspan])
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}'
                       '<w:vAlign w:val="center"/></w:tcPr>'
                       f'{_cell_paras("" if cont else p.text, n + r * 31 + c)}</w:tc>')
            c += p.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def document_xml(document: Document, *, layout: str | None = "label_spans_three_columns") -> str:
    body = []
    for n, block in enumerate(document.blocks):
        if isinstance(block, Paragraph):
            heading = bool(re.match(r"^[一二三四五六七八九十]+、", block.text)) and len(block.text) < 40
            body.append(_para(block.text, n * 3, heading))
        elif isinstance(block, Grid):
            try:
                drawn = grid_layout(block, layout) if layout else plain_layout(block)
            except ValueError:
                drawn = plain_layout(block)
            body.append(_table(drawn, n * 97))
            body.append(_para("", n * 3 + 1, False))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<w:document {_NS}><w:body>{''.join(body)}"
            '<w:sectPr w:rsidR="00F1A2B3"><w:pgSz w:w="11906" w:h="16838"/>'
            '<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" '
            'w:footer="1247" w:gutter="0"/><w:cols w:space="425"/>'
            '<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-849"/>'
            "</w:sectPr></w:body></w:document>")


@lru_cache(maxsize=1)
def _package() -> tuple[tuple[str, bytes], ...]:
    """The parts of python-docx's default template, but its document part."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as z:
        return tuple((i.filename, z.read(i.filename)) for i in z.infolist())


def to_word_docx(document: Document, path: Path, *,
                 layout: str | None = "label_spans_three_columns") -> None:
    """The report as a Word file as agencies publish it (see the module's docstring)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in _package():
            if name == "word/document.xml":
                data = document_xml(document, layout=layout).encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    Path(path).write_bytes(out.getvalue())
