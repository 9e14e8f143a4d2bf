"""Word documents (.docx), read with python-docx.

Quirks:
- merged cells: a cell spanning columns (``gridSpan``) keeps its text at its first position and
  the columns it covers get empty cells; the continuation of a vertical merge (``vMerge``) is an
  empty cell; a row that starts late (``gridBefore``) gets empty cells in front. This is the same
  grid the HTML reader and Word's own text export give;
- paragraphs inside a cell become line breaks in the cell's text;
- a table nested in a cell is read as its own grid after the outer one.

Word files have no lines: the document is numbered as its text rendering (``render_lines``), one
line per paragraph and one per table row (cells separated by tabs), and ``source_line`` refers to
that rendering, which the source view shows.
"""

from __future__ import annotations

import io
import zipfile

from ..model import Document, LoadError, Source
from . import _items as _items_module

NAME = "docx_file"
FORMAT = "docx"


def claims(source: Source) -> bool:
    if source.suffix == "docx":
        return True
    if source.suffix in ("", "bin") and source.data[:2] == b"PK":
        try:
            return "word/document.xml" in zipfile.ZipFile(io.BytesIO(source.data)).namelist()
        except zipfile.BadZipFile:
            return False
    return False


def _open(source: Source):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(source.data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise LoadError("read", f"not a readable Word (.docx) file: {e}") from None


def _cell_text(tc) -> str:
    from docx.table import _Cell

    return "\n".join(p.text for p in _Cell(tc, None).paragraphs)


def _rows(tbl) -> list[list[tuple[str, bool]]]:
    """Each row as (text, is a position covered by a merged cell)."""
    rows: list[list[tuple[str, bool]]] = []
    for tr in tbl.tr_lst:
        row = [("", True)] * (tr.grid_before or 0)
        for tc in tr.tc_lst:
            continued = tc.vMerge == "continue"
            row.append(("", True) if continued else (_cell_text(tc), False))
            row.extend([("", True)] * ((tc.grid_span or 1) - 1))
        rows.append(row)
    return rows


def _walk(body, out: list[tuple[str, object]]) -> None:
    """The body's paragraphs and tables in order, nested tables after their table."""
    from docx.oxml.ns import qn

    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(("p", "".join(t.text or "" for t in child.iter(qn("w:t")))))
        elif child.tag == qn("w:tbl"):
            out.append(("t", _rows(child)))
            for nested in child.iter(qn("w:tbl")):
                if nested is not child:
                    out.append(("t", _rows(nested)))


def _items(source: Source) -> list[tuple[str, object]]:
    document = _open(source)
    items: list[tuple[str, object]] = []
    _walk(document.element.body, items)
    return items


def render_lines(source: Source) -> list[str]:
    """The document as numbered text lines: a paragraph per line, a table row per line."""
    return _items_module.render_lines(_items(source))


def read(source: Source) -> Document:
    return _items_module.to_document(source, FORMAT, NAME, _items(source))
