"""PDF files with a text layer, read with pdfplumber.

Quirks:
- tables are found from their ruling lines (pdfplumber's default); a cell covered by a merged cell
  comes back as None and becomes an empty position, as in the HTML and Word readers;
- the text outside the tables is read line by line, in page order, tables placed where they stand;
- a table broken over pages is joined: a table at the top of a page with as many columns as the
  table that ended the previous page continues it, and the header rows it repeats are dropped;
- a PDF without a text layer (a scan) is refused with a clear message: no OCR is attempted.

PDFs have no lines of their own: the document is numbered as its text rendering
(``render_lines``), one line per line of text and one per table row, which the source view shows.
"""

from __future__ import annotations

import io
import logging

from ..model import Document, LoadError, Source
from . import _items as _items_module

NAME = "pdf_file"
FORMAT = "pdf"

# pdfminer reports every unusual construct at WARNING level; they are not ours to act on.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def claims(source: Source) -> bool:
    return source.suffix == "pdf" or (source.suffix in ("", "txt", "bin")
                                      and source.data[:5] == b"%PDF-")


def _inside(obj: dict, boxes: list[tuple]) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _pages(source: Source) -> list[list[tuple[str, object]]]:
    """Per page, its items in reading order: ("p", text line) and ("t", rows of cells)."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(source.data))
    except Exception as e:  # pdfminer raises many kinds on a damaged file
        raise LoadError("read", f"not a readable PDF: {e}") from None
    pages: list[list[tuple[str, object]]] = []
    chars = 0
    with pdf:
        for page in pdf.pages:
            chars += len(page.chars)
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            items: list[tuple[float, str, object]] = []
            for table in tables:
                rows = [[("" if c is None else c, c is None) for c in row]
                        for row in table.extract()]
                items.append((table.bbox[1], "t", rows))
            outside = page.filter(lambda obj: obj.get("object_type") != "char"
                                  or not _inside(obj, boxes))
            for line in outside.extract_text_lines(return_chars=False):
                items.append((line["top"], "p", line["text"]))
            items.sort(key=lambda item: item[0])
            pages.append([(kind, content) for _, kind, content in items])
    if chars == 0:
        raise LoadError("read", "the PDF has no text layer (a scanned image?): it would need OCR, "
                        "which is not done")
    return pages


def _items(source: Source) -> list[tuple[str, object]]:
    """The document's items, tables broken over pages joined."""
    items: list[tuple[str, object]] = []
    for page in _pages(source):
        for n, (kind, content) in enumerate(page):
            previous = items[-1] if items else None
            if (n == 0 and kind == "t" and previous and previous[0] == "t"
                    and len(previous[1][0]) == len(content[0])):
                head = [[text for text, _ in row] for row in previous[1][:3]]
                rows = list(content)
                while rows and [text for text, _ in rows[0]] in head:
                    rows.pop(0)  # a header repeated at the top of the page
                previous[1].extend(rows)
                continue
            items.append((kind, content))
    return items


def render_lines(source: Source) -> list[str]:
    """The document as numbered text lines: a paragraph per line, a table row per line."""
    return _items_module.render_lines(_items(source))


def read(source: Source) -> Document:
    return _items_module.to_document(source, FORMAT, NAME, _items(source))
