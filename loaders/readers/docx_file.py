"""Word documents (.docx): the package's word/document.xml, read with lxml.

Quirks:
- merged cells: a cell spanning columns (``gridSpan``) keeps its text at its first position and
  the columns it covers get empty cells; the continuation of a vertical merge (``vMerge``) is an
  empty cell; a row that starts late (``gridBefore``) gets empty cells in front. This is the same
  grid the HTML reader and Word's own text export give;
- paragraphs inside a cell become line breaks in the cell's text;
- a cell's text is what Word shows: runs of hidden text (``w:vanish``) and tracked deletions
  left out, tracked insertions, simple fields' results (``w:fldSimple``: =SUM(LEFT)), content
  controls, custom XML and smart tags read in their place; a content control or custom XML
  around a table, a row or a cell holds it where it stands (samples in
  tests/samples/docx_file/: hidden_run_in_a_number, tracked_change_inside_a_number,
  simple_field_totals, content_controls_around_numbers);
- a cell with no text of its own but a table of one row inside it shows that row (sample
  number_in_a_table_inside_its_cell); every nested table is also read as its own grid;
- a table nested in a cell is read as its own grid after the outer one.

Word files have no lines: the document is numbered as its text rendering (``render_lines``), one
line per paragraph and one per table row (cells separated by tabs), and ``source_line`` refers to
that rendering, which the source view shows.

The walk in C: of the ~8 ms a corpus report took, unzipping and lxml's parse of document.xml
(and freeing its tree) are ~6 and were not this code's to cut; the walk was ~2 (a proxy made for
each of ~10,000 elements, most of them run properties stepped over). ``loaders/readers/
_docx_c.pyx`` (Cython) mirrors ``_walk``, ``_rows``, ``_cell_text``, ``_paragraph_text`` and
``_run_text`` over libxml2's nodes; ``_items`` takes it when it is built and ``OGI_PURE_PYTHON``
is not ``1``, and reads here a tree it does not mirror (a document with a DTD). The functions
here stay the reference and the fallback: tests/test_docx_compiled.py compares both on every
Word file of the repository, written ones and random ones. Measured with ``PYTHONPATH=. python
benchmarks/docx_compiled.py --corpus <corpus-10000>`` (both paths and ``_open`` alone,
alternating in one process; median of the per-file medians over 80 files, CPU ms): compiled
6.70, Python 8.23, floor 6.04; compiled/floor 1.12 (p10-p90 1.07-1.18), Python/floor 1.37. Of
the compiled reader's time over the floor: the C walk ~0.3, ``to_document`` ~0.3 (left in
Python: a ``Cell`` a cell).

Less to parse: two thirds of a document.xml as Word writes it are run and paragraph properties
(``w:rPr``, ``w:pPr``: fonts, sizes, spacing), which nothing here reads, and most of libxml2's
parse went on them. With the compiled loops, ``_docx_c.thin`` takes them out of the bytes
before the parse, declining a document where it cannot be sure the reader reads the same (its
docstring). tests/test_docx_thin.py compares libxml2's trees, tests/test_docx_compiled.py the
Documents with it and without (``OGI_PURE_PYTHON=1``); all 794 Word files of the 10,000 corpus
read alike. The reader 6.6-7.0 -> 2.75 ms a file, 0.5x its floor (``benchmarks/readers.py``,
40 corpus files; thin 0.6 ms, the parse 3.9 -> 1.65).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from ..model import Document, LoadError, Source
from . import _compiled as compiled_loops
from . import _items as _items_module

# The walk in C (loaders/readers/_docx_c.pyx), when built; this module's is the reference.
_docx_c = compiled_loops.built("_docx_c")

NAME = "docx_file"
FORMAT = "docx"


# What zipfile raises on a damaged package: a broken directory (BadZipFile), a member whose
# compressed bytes are corrupt (zlib.error, EOFError when they stop short), a version or
# compression method it does not know (NotImplementedError), an encrypted member (RuntimeError).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


def claims(source: Source) -> bool:
    if source.suffix == "docx":
        return True
    if source.suffix in ("", "bin") and source.data[:2] == b"PK":
        try:
            return "word/document.xml" in zipfile.ZipFile(io.BytesIO(source.data)).namelist()
        except _ZIP_ERRORS:
            return False
    return False


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R, _T = W + "p", W + "tbl", W + "tr", W + "tc", W + "r", W + "t"
_TRPR, _TCPR = W + "trPr", W + "tcPr"
# What a run's children read as (python-docx's Run.text): a tab, a line break, a hyphen.
_RUN_TEXT = {W + "tab": "\t", W + "ptab": "\t", W + "cr": "\n", W + "noBreakHyphen": "-"}


def _open(source: Source):
    """The document's body element, read with lxml straight from the package (python-docx's
    object layer cost ten times more and is not needed to read)."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as package:
            xml = package.read("word/document.xml")
        if _docx_c is not None and not compiled_loops.pure_python():
            # Without the run and paragraph properties (two thirds of Word's bytes), which the
            # reader never reads, libxml2 parses it in two fifths of the time.
            thin = _docx_c.thin(xml)
            if thin is not None:
                xml = thin
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser)
    except (*_ZIP_ERRORS, KeyError, ValueError, etree.XMLSyntaxError) as e:
        raise LoadError("read", f"not a readable Word (.docx) file: {e}") from None
    body = root.find(W + "body")
    if body is None:
        raise LoadError("read", "not a readable Word (.docx) file: the document has no body")
    return body


_BR, _TYPE, _VAL = W + "br", W + "type", W + "val"
_VMERGE, _GRIDSPAN, _GRIDBEFORE = W + "vMerge", W + "gridSpan", W + "gridBefore"


def _run_text(r) -> str:
    parts = []
    for e in r:
        tag = e.tag
        if tag == _T:
            parts.append(e.text or "")
        elif tag == _BR:
            if e.get(_TYPE) in (None, "textWrapping"):  # a page or column break: nothing
                parts.append("\n")
        elif tag in _RUN_TEXT:
            parts.append(_RUN_TEXT[tag])
    return "".join(parts)


# What holds runs inside a paragraph, at any depth, whose text Word shows: a hyperlink, a
# tracked insertion or move (w:ins, w:moveTo), a simple field's result (w:fldSimple: =SUM(LEFT)
# in a total column), a content control (w:sdt, its w:sdtContent), custom XML and smart tags,
# bidirectional runs. A tracked deletion (w:del, w:moveFrom) is not among them: its text is
# gone from the page (and is w:delText, which a run's text never includes).
_RUN_HOLDERS = frozenset(W + name for name in (
    "hyperlink", "ins", "moveTo", "fldSimple", "sdt", "sdtContent", "customXml", "smartTag",
    "dir", "bdo"))
_RPR, _VANISH = W + "rPr", W + "vanish"
_OFF = ("0", "false", "off")  # a w:val that turns a toggle property off


def _hidden(r) -> bool:
    """Whether the run is hidden text (``w:vanish`` in its properties, not turned off): Word
    does not show it, so a cell showing 365 is 365 whatever a hidden run before it holds."""
    props = _first(r, _RPR)
    if props is None:
        return False
    vanish = _first(props, _VANISH)
    return vanish is not None and vanish.get(_VAL) not in _OFF


def _paragraph_text(p) -> str:
    """The text the paragraph shows: its runs and those of the elements that hold runs
    (``_RUN_HOLDERS``), hidden runs left out."""
    parts: list[str] = []
    _runs_text(p, parts)
    return "".join(parts)


def _runs_text(parent, parts: list[str]) -> None:
    for e in parent:
        tag = e.tag
        if tag == _R:
            if not _hidden(e):
                parts.append(_run_text(e))
        elif tag in _RUN_HOLDERS:
            _runs_text(e, parts)


# What may wrap a body's, a table's, a row's or a cell's parts (a content control around a
# table, a row or a cell; custom XML): what it holds counts where it stands.
_BLOCK_HOLDERS = frozenset(W + name for name in ("sdt", "sdtContent", "customXml"))


_SDT, _SDTPR, _DOCPART = W + "sdt", W + "sdtPr", W + "docPartObj"


def _content(parent):
    """``parent``'s children, with what a content control or custom XML holds in its place (its
    properties, ``w:sdtPr``, are none of the parts looked for). A control that is one of Word's
    building blocks (``w:docPartObj``: a table of contents, a cover page) is left out, as
    before: a table of contents repeats the section headings, with page numbers."""
    for child in parent:
        if child.tag in _BLOCK_HOLDERS:
            if child.tag == _SDT and (props := _first(child, _SDTPR)) is not None \
                    and _first(props, _DOCPART) is not None:
                continue
            yield from _content(child)
        else:
            yield child


def _cell_text(tc) -> str:
    """The cell's paragraphs, a line break between each. A cell that shows no text of its own
    but a table of one row inside it (1234 | 件, a number typed into a small table) shows that
    row: its cells' texts, a space between each (the table is also read as its own grid after
    its table's, as every nested table is); a larger table inside a cell is a layout of its
    own, and the cell's text stays its own."""
    parts = list(_content(tc))
    text = "\n".join([_paragraph_text(p) for p in parts if p.tag == _P])
    if not text.strip():
        nested = [t for t in parts if t.tag == _TBL]
        rows = [tr for tr in _content(nested[0]) if tr.tag == _TR] if len(nested) == 1 else []
        if len(rows) == 1:
            cells = [_cell_text(c) for c in _content(rows[0]) if c.tag == _TC]
            shown = " ".join(t.strip() for t in cells if t.strip())
            if shown:
                return shown
    return text


def _int_val(el) -> int:
    try:
        return int(el.get(_VAL)) if el is not None else 0
    except (TypeError, ValueError):
        return 0


def _first(parent, tag):
    """The first child of ``parent`` with this tag, as ``parent.find(tag)`` finds it: a loop
    over the few children of a row's or a cell's properties costs less than lxml's ``find``,
    which is interpreted path matching."""
    for child in parent:
        if child.tag == tag:
            return child
    return None


def _rows(tbl) -> list[list[tuple[str, bool, int, int]]]:
    """Each row as (text, is a position covered by a merged cell, x0, x1): x0/x1 are the grid
    columns the cell covers, so that the mapper places it by position (a gridSpan in a data
    row, a header span offset). A ragged table (rows of different widths) has no positions."""
    rows: list[list[tuple]] = []
    for tr in _content(tbl):
        if tr.tag != _TR:
            continue
        props = _first(tr, _TRPR)
        before = _int_val(_first(props, _GRIDBEFORE)) if props is not None else 0
        row = [("", True, k, k + 1) for k in range(before)]
        for tc in _content(tr):
            if tc.tag != _TC:
                continue
            merge = span = None
            for props in tc:  # the cell's properties come first (CT_Tc), or not at all
                if props.tag == _TCPR:
                    for e in props:  # the first of each, as ``find`` takes it
                        tag = e.tag
                        if tag == _VMERGE:
                            if merge is None:
                                merge = e
                        elif tag == _GRIDSPAN:
                            if span is None:
                                span = e
                break
            # <w:vMerge/> with no value continues the merge above; "restart" begins one
            continued = merge is not None and merge.get(_VAL, "continue") == "continue"
            col, span = len(row), max(1, _int_val(span))
            row.append(("", True, col, col + 1) if continued
                       else (_cell_text(tc), False, col, col + span))
            if span > 1:
                row.extend(("", True, col + k, col + k + 1) for k in range(1, span))
        rows.append(row)
    if len({len(row) for row in rows}) > 1:
        rows = [[cell[:2] for cell in row] for row in rows]
    return rows


def _walk(body, out: list[tuple[str, object]]) -> None:
    """The body's paragraphs and tables in order, nested tables after their table."""
    for child in _content(body):
        if child.tag == _P:
            out.append(("p", "".join(t.text or "" for t in child.iter(_T))))
        elif child.tag == _TBL:
            out.append(("t", _rows(child)))
            for nested in child.iter(_TBL):
                if nested is not child:
                    out.append(("t", _rows(nested)))


def _items(source: Source) -> list[tuple[str, object]]:
    body = _open(source)
    if _docx_c is not None and not compiled_loops.pure_python():
        items = _docx_c.items(body)  # None for a tree it does not mirror (see its docstring)
        if items is not None:
            return items
    items = []
    _walk(body, items)
    return items


def render_lines(source: Source) -> list[str]:
    """The document as numbered text lines: a paragraph per line, a table row per line."""
    return _items_module.render_lines(_items(source))


def read(source: Source) -> Document:
    return _items_module.to_document(source, FORMAT, NAME, _items(source))
