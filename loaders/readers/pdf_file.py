"""PDF files with a text layer, read with pypdfium2 (``_pdfium``), pdfplumber as the fallback.

Both backends describe each page as its chars with their boxes and its horizontal and vertical
segments (``_pdf_tables.PageGeometry``); the tables, the lines of text and everything below are
found from that, the same way for both. pypdfium2 reads the file unless pdfplumber must:

- pdfium cannot open the file or one of its pages (not a PDF, damaged beyond its repair, a
  password): pdfplumber then says why, or reads what pdfium could not;
- pdfium finds no text on any page: a scan (pdfplumber confirms it has no text layer), or a
  content stream pdfium skipped as undecodable, which pdfplumber names (``Non-Ascii85 digit``);
- a page has no usable /MediaBox (missing, or not four numbers: pdfium lays such a page on a
  default Letter sheet without a word, pdfplumber refuses the file) or is turned by /Rotate
  (pdfium gives its chars unturned).
- a page uses a font the file does not embed (宋体 named, not included), on a machine where no
  CJK font stands in for it: pdfium would drop its Chinese chars, labels and all, and keep the
  numbers (``_pdfium.cjk_font_stands_in``; Debian's fonts-wqy-microhei is such a font).

tests/test_reader_pdfium.py reads every PDF of the tests with both backends and finds the same
grids, texts, line numbers and stored values, with one difference: a blank inside a cell. pdfium
drops a blank glyph and puts its own spaces where it sees gaps and changes of font, which are
left out; LibreOffice prints "0 0" with a no-break space, which pdfminer keeps ("0 0") and pdfium
drops ("00"), as pdfminer itself reads the "0 0" reportlab prints. Both are the same irregular
cell (the cross-format tests compare a PDF's raw text without its spaces for that reason).

Quirks (the geometry is in ``_pdf_tables``):
- tables are found from their ruling lines; a cell covered by a merged cell comes back as an empty
  position (a span), as in the HTML and Word readers. Every cell, header cells included, carries
  its left and right edges in points (``Cell.x0``/``Cell.x1``): the mapper places values under the
  header's columns by position, never by counting cells;
- underlines are not cell borders: a segment hugging a text baseline, about as long as the text,
  is left out before the tables are found (``pdf_underlined_label.pdf``);
- a row without its top or bottom rule (the first row on a new page, printed by Word from cells
  with ``border-top:none``) is read where the table's vertical rules run on past the last
  horizontal one (``pdf_row_across_page_break.pdf``); without side rules either, the text lines
  above a continued table's first rule are its first row if they read as one (numbers each in a
  column, labels to their left), placed by the table's column edges;
- a table broken over pages is joined: a table at the top of a page with the outer edges and the
  column boundaries of the table that ended the previous page continues it; the header rows it
  repeats are dropped, and a row the page break cut in two (a label's continuation and/or its
  numbers on the new page) is joined into one row (``pdf_row_split_over_pages.pdf``);
- a table printed without rules between its columns (no rules at all, or a 三线表's horizontal
  ones) closes no cell: its text comes out as lines, which ``_pdf_aligned`` reads as
  ``layout_text`` reads pdftotext's columns, with the chars' own positions
  (``pdf_table_without_rules.pdf``, ``pdf_table_with_horizontal_rules_only.pdf``);
- a page number (``— 3 —``, ``第3页``, ``3/5``) as the first or last line of a page is left out,
  so that it neither sits in the prose nor separates the parts of a table;
- the text outside the tables is read line by line, in page order, tables placed where they stand;
- a PDF without a text layer (a scan) is refused with a clear message: no OCR is attempted.

PDFs have no lines of their own: the document is numbered as its text rendering
(``render_lines``), one line per line of text and one per table row, which the source view shows.
"""

from __future__ import annotations

import io
import logging
import re

from ..model import Document, LoadError, Source
from . import _compiled as compiled_loops
from . import _items as _items_module
from . import _pdf_aligned
from ._pdf_tables import (Char, Edge, PageGeometry, TablePart, TextLine, continue_table,
                          find_tables, row_from_lines, same_columns, text_lines)

NAME = "pdf_file"
FORMAT = "pdf"

# pdfminer reports every unusual construct at WARNING level; they are not ours to act on.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

_PAGE_NUMBER = re.compile(r"[\s\-—–－_·.]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／]\s*\d{1,4})?"
                          r"(\s*共\s*\d{1,4}\s*页)?[\s\-—–－_·.]*")


def claims(source: Source) -> bool:
    return source.suffix == "pdf" or (source.suffix in ("", "txt", "bin")
                                      and source.data[:5] == b"%PDF-")


def _outside(chars: list[Char], boxes: list[tuple]) -> list[Char]:
    """The chars whose center lies in none of the boxes (edges included), in their order.
    A char's fields by position (x0, x1, top, bottom: 1 to 4); its horizontal middle is
    reckoned only for a box whose height holds its vertical middle."""
    if len(boxes) == 1:
        ((x0, top, x1, bottom),) = boxes
        return [c for c in chars if not (top <= (c[3] + c[4]) / 2 <= bottom
                                         and x0 <= (c[1] + c[2]) / 2 <= x1)]
    out = []
    append = out.append
    for c in chars:
        cy = (c[3] + c[4]) / 2
        cx = None
        for x0, top, x1, bottom in boxes:
            if top <= cy <= bottom:
                if cx is None:
                    cx = (c[1] + c[2]) / 2
                if x0 <= cx <= x1:
                    break
        else:
            append(c)
    return out


def _furniture(kind: str, content: object) -> bool:
    return (kind == "p" and bool(content.text.strip())
            and bool(_PAGE_NUMBER.fullmatch(content.text)))


# ---------------------------------------------------------------------------------------------
# The fallback backend: pdfplumber
# ---------------------------------------------------------------------------------------------

def _library_errors() -> tuple[type[BaseException], ...]:
    """What pdfplumber raises on a damaged file: pdfminer's errors, which it wraps
    (``PdfminerException``: a broken xref, stream or font), a bounding box that is not numbers
    (``MalformedPDFException``), and what a page's attributes raise when they are of the wrong
    type or length, read unchecked (a /MediaBox that is missing or short, a /Rotate that is a
    name): ``TypeError``, ``ValueError``, ``IndexError``."""
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    return PdfminerException, MalformedPDFException, TypeError, ValueError, IndexError


def _parsed(step):
    """``step()``, a call into pdfplumber alone (no code of ours runs inside it): what the
    library raises there on a damaged file makes the file unreadable, a ``LoadError``."""
    try:
        return step()
    except _library_errors() as e:
        raise LoadError("read", f"not a readable PDF: {e}") from None


def _close(pdf) -> None:
    """Close the PDF, also when its pages could not be read: pdfplumber's ``close`` walks the
    page tree again and would raise the same error a second time."""
    try:
        pdf.close()
    except _library_errors():
        pdf.stream.close()


def _plumbed(page) -> PageGeometry:
    """A pdfplumber page as chars and segments (its edges, as its "lines" strategy takes them)."""
    chars = [Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"],
                  bool(c["upright"])) for c in _parsed(lambda: page.chars)]
    horizontal, vertical = [], []
    for e in _parsed(lambda: page.edges):
        if e["orientation"] == "h":
            horizontal.append(Edge(e["x0"], e["top"], e["x1"], e["bottom"]))
        elif e["orientation"] == "v":
            vertical.append(Edge(e["x0"], e["top"], e["x1"], e["bottom"]))
    return PageGeometry(chars, horizontal, vertical)


def plumbed_pages(data: bytes) -> list[PageGeometry]:
    """Each page's chars and segments, read with pdfplumber."""
    import pdfplumber

    pdf = _parsed(lambda: pdfplumber.open(io.BytesIO(data)))
    try:
        return [_plumbed(page) for page in _parsed(lambda: pdf.pages)]
    finally:
        _close(pdf)


def geometry(data: bytes, backend: str | None = None) -> list[PageGeometry]:
    """Each page's chars and segments: read with pypdfium2, or with pdfplumber where pdfium
    cannot be trusted (the module's docstring says when); ``backend`` forces one."""
    from . import _pdfium

    if backend == "pdfplumber":
        return plumbed_pages(data)
    try:
        return _pdfium.pages(data)
    except _pdfium.Unreadable:
        if backend == "pdfium":
            raise
        return plumbed_pages(data)


# ---------------------------------------------------------------------------------------------
# Pages to items
# ---------------------------------------------------------------------------------------------

def _page_items(page: PageGeometry) -> list[tuple[str, object]]:
    """The page's items in reading order: ("p", text line) and ("t", TablePart)."""
    tables = find_tables(page)
    boxes = [bbox for bbox, _ in tables]
    items: list[tuple[float, str, object]] = [(bbox[1], "t", part) for bbox, part in tables]
    if not boxes:
        outside = page.chars
    else:
        compiled = compiled_loops.load("_pdf_tables_c")
        # the same in C (``_pdf_tables_c.outside``; None where the values are not floats)
        outside = None if compiled is None else compiled.outside(page.chars, boxes)
        if outside is None:
            outside = _outside(page.chars, boxes)
    for line in text_lines(outside):
        items.append((line.top, "p", line))
    items.sort(key=lambda item: item[0])
    page_items = [(kind, content) for _, kind, content in items]
    # Page furniture: a page number above or below everything else on the page.
    while page_items and _furniture(*page_items[-1]):
        page_items.pop()
    while page_items and _furniture(*page_items[0]):
        page_items.pop(0)
    return page_items


def _pages(source: Source, backend: str | None = None) -> list[list[tuple[str, object]]]:
    """Per page, its items in reading order: ("p", TextLine) and ("t", TablePart)."""
    pages = geometry(source.data, backend)
    if not any(page.chars for page in pages):
        raise LoadError("read", "the PDF has no text layer (a scanned image?): it would need OCR, "
                        "which is not done")
    return _pdf_aligned.tables([_page_items(page) for page in pages])


def _row_above(previous: tuple[str, object] | None, page: list[tuple[str, object]]):
    """The page's items, the text lines above a table that continues ``previous`` made its first
    row when they read as one (a row printed with no rules of its own)."""
    first = next((n for n, (kind, _) in enumerate(page[:5]) if kind == "t"), 0)
    if not first or not previous or previous[0] != "t" or not same_columns(previous[1],
                                                                           page[first][1]) \
            or any(kind != "p" for kind, _ in page[:first]):
        return page
    row = row_from_lines([line.chars for _, line in page[:first]], previous[1].edges)
    if row is None:
        return page
    part: TablePart = page[first][1]
    part.rows.insert(0, row)
    part.open_top = True
    return page[first:]


def _items(source: Source, backend: str | None = None) -> list[tuple[str, object]]:
    """The document's items, tables broken over pages joined, table rows as
    ``(text, span, x0, x1)``."""
    items: list[tuple[str, object]] = []
    for page in _pages(source, backend):
        page = _row_above(items[-1] if items else None, page)
        for n, (kind, content) in enumerate(page):
            previous = items[-1] if items else None
            if (n == 0 and kind == "t" and previous and previous[0] == "t"
                    and same_columns(previous[1], content)):
                continue_table(previous[1], content)
                continue
            items.append((kind, content))
    return [("t", [[tuple(c) for c in row] for row in content.rows]) if kind == "t"
            else ("t", [[tuple(c) for c in row] for row in content]) if kind == "g"
            else (kind, content.text) for kind, content in items]


def render_lines(source: Source, backend: str | None = None) -> list[str]:
    """The document as numbered text lines: a paragraph per line, a table row per line."""
    return _items_module.render_lines(_items(source, backend))


def read(source: Source, backend: str | None = None) -> Document:
    """The document; ``backend`` ("pdfium" or "pdfplumber") forces one, for the tests."""
    return _items_module.to_document(source, FORMAT, NAME, _items(source, backend))
