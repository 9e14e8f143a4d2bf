"""Web pages: a report published as HTML, often a whole scraped page around it.

Quirks (corpus shuyang_fgj_2023.html, a Word document pasted into a CMS page):
- site chrome around the report: menus, a metadata table (名称/索引号/分类…), scripts, footers.
  The report is the smallest element holding every table of the form and the section headings;
  scripts, styles, navigation and forms are dropped;
- what a browser shows otherwise than the markup's text: a hidden element (a stale copy of a
  row, an old digit in a hidden span), struck-through text, a superscript footnote mark after a
  number; read as shown (``_as_shown``; samples hidden_stale_row_and_span,
  struck_number_and_footnote_mark);
- labels split over many ``<span>``/``<font>`` pieces (``申请人情`` + ``况``) are joined; ``<br>`` and
  ``<p>`` inside a cell become line breaks, which label matching ignores;
- ``rowspan``/``colspan`` are expanded into the grid: the merged cell keeps its text at its first
  position and the positions it covers get empty cells, as Word's own text export does;
- a table used for layout (one that holds other tables) is a container, not a grid;
- Word's empty paragraphs ``<o:p> </o:p>`` are blank cells.

Lines are the lines of the decoded HTML source, so a number's ``source_line`` points at its ``<td>``,
and a cell's range ends on the line of its last character (text below its tag included).

Speed (issue 17): one lxml parse into plain elements (not lxml.html's, whose class lookup for every
element cost as much as the parse), comments left out by the parser, one walk over the page for the
headings that place the report (``_Page``), one over the report for its blocks; tests/
test_reader_outputs.py checks that the output is what the slower reader gave. A plain UTF-8 file
is parsed from its own bytes (not the decoded text encoded again), and an element's text is
libxml2's content of it (``tostring(method="text")``, a third cheaper than XPath's ``string()``):
8% less CPU a page (per-file median of new/old 0.91-0.92 over 120 Word-made pages). Second round:
a block holding inline elements alone (Word's paragraph of spans) is one piece of text from
libxml2 in the page's walk, and in the report's when that text has no whitespace (its line is
its first piece's: ``_first_text_line``), where the walks took two events for each span; Word's
blank cell (``<o:p>&nbsp;</o:p>``: not printable, nothing to collapse) is on the cell's fast path
(it took ``_lines_of``'s walk, 12 us); control characters are looked for by one byte search each;
text without whitespace is ``str.split`` and a join (a fifth of the regex); the title ``<h1>`` is
found by lxml's tag iteration; and decoding skips its replace passes without a CR (0.3 ms): 12%
less CPU a page (per-file median of new/old 0.88, p10-p90 0.80-0.95, over 120 Word-made pages,
both in one process, alternating); tests/test_fast_paths_html2.py holds the former walks and
compares them on random pages.

Where the time goes (median of the generated corpus' Word-made pages, 276 KB, ~1,900 elements, 97%
of the characters inside tags, mostly ``mso-`` styles): decoding 0.2 ms, lxml's parse 2.5 ms,
the page's walk 1.0 ms, the report's blocks 1.7 ms (tables 1.2 ms, ~4 us a cell: text, lines,
spans, each an lxml call), the rest 0.4 ms and freeing the tree 0.3 ms; about 6.3 ms, 5x the floor
(selectolax's lexbor parse, 1.1-1.3 ms on an idle machine). A cell's ``_holds_break`` (0.7 us) is
no cheaper by looking at the first two levels by index (Word's paragraph has two spans: 1.3 us).
What was tried and left (issue 17): lexbor's tree is not libxml2's (HTML5
repairs markup its own way), so its output can only be trusted on pages shown to need no repair;
showing it takes a scan of every tag, and Python's ``re`` over such a page costs 1.5 ms for the
bare tag names, 3.7 ms for whole tags (a reader of the page's own tokens, with such a check, gave
the same output on 300 of 300 pages, in 8 ms). The walks cost as much over plain Python objects
as over lxml's elements (3.8 ms): at most 2x the floor needs the walks done in C (each cell's text
from the parser), not a faster parse alone.

Third round: the walks in C. ``loaders/readers/_html_c.pyx`` (Cython) mirrors ``_form_tables``,
``_Page``'s walk, ``_report_root``, ``_page_title``, ``_text_before``, ``_blocks`` and
``table_to_grid`` function for function over libxml2's nodes (struct fields read through lxml's
C API: no proxy, no ``iterwalk``); ``read`` takes it when it is built and ``OGI_PURE_PYTHON`` is
not ``1``. The Python functions here stay the reference and the fallback: a page the C code
does not mirror (a comment, processing instruction or entity node, a namespace, a line past
65534) is read here. tests/test_html_compiled.py compares both on every page of the repository,
Word-made pages and 600 random ones; benchmarks/same_values.py found no difference on its corpus
sample (1,001 files), nor did a read() of 1,000 corpus pages both ways. Measured with
``PYTHONPATH=. python benchmarks/html_compiled.py --corpus <corpus-10000> --pages 100 --repeat 7``
(both paths and the parse alone, alternating in one process; median of the per-page medians,
CPU ms): compiled 4.45, Python 6.69, lxml's parse 2.56; compiled/Python 0.71 (p10-p90
0.64-0.76), compiled/parse 1.75. Of the compiled reader's ~4.3 ms: decoding 0.16, the parse 2.46,
``_page_meta`` 0.10, ``_clean`` 0.08, the C walks 0.81 (check 0.03, form tables 0.10, page walk
0.21, blocks 0.47 for ~390 cells, of which making the ``Cell`` objects ~0.12), freeing the tree
0.25. Left: ``_page_meta`` and ``_clean`` in one C pass (~0.1 ms; ``_clean`` needs lxml to drop
elements), ``Cell`` objects built without their ``__init__``.

Fourth round: less for libxml2 to parse. Nine tenths of a Word-made page's bytes are attributes
no reader reads (``style``, ``class``, ``width``, ``lang``…), and libxml2 spends most of its
parse on them. With the compiled loops, ``_html_c.thin`` takes them out of the bytes before the
parse (``colspan``, ``rowspan`` and ``<meta>`` tags kept; a dropped attribute's line breaks kept,
so every line stays), declining markup where tokenizers could differ (its docstring); a page of
plain UTF-8 (``_html_c.plain_page``, one C pass) is parsed from its bytes without being decoded
and searched four times first (the search for ``<?xml`` alone, Python's ``in``, took 0.18 ms);
and ``_page_meta`` and the elements ``_clean`` drops are found in one C walk
(``_html_c.meta_and_drops``). tests/test_html_thin.py compares libxml2's trees with and
without ``thin`` (every page of the repository, crafted and random pages), and
tests/test_html_compiled.py the Documents with all of it and with none (``OGI_PURE_PYTHON=1``).
Median of 60 corpus pages (min of 3 each, CPU ms): the parse 2.4 -> 0.8 plus 0.22 for
``thin``; freeing the tree 0.21 -> 0.07; decoding and the searches for what XML cannot hold
(0.5) -> 0.05. ``benchmarks/readers.py`` (40 pages, the floor in the same run): the reader
4.4 -> 2.35-2.48 ms, 1.8-2.1x the floor (it was 3.9x); ``same_values.py``: none of 197,940
values differs.
"""

from __future__ import annotations

import functools
import re

from lxml import etree

from ..model import Block, Cell, Document, Grid, LoadError, Paragraph, Source
from . import _compiled as compiled_loops
from ._landmarks import is_form_table, is_heading
from ._text import TEXT_SUFFIXES, decode, looks_like_html

# The walks in C (loaders/readers/_html_c.pyx), when built; this module's are the reference.
_html_c = compiled_loops.built("_html_c")

NAME = "html_page"
FORMAT = "html"

_SUFFIXES = frozenset({"html", "htm", "shtml", "xhtml"})
# Never part of a report.
_DROP = ("script", "style", "noscript", "template", "iframe", "nav", "form", "select", "button",
         "svg", "object", "embed", "head")
# Elements that end a line of prose.
_BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section",
                    "article", "blockquote", "pre", "tr", "dd", "dt", "dl", "header", "footer",
                    "main", "aside", "center", "address", "caption", "hr", "title"})
_LEAF = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "span", "font", "b", "strong",
                   "table"})
_HTML_SPACE = " \t\r\n\f\v"
_SPACE = re.compile(r"[ \t\r\n\f\v]+")  # HTML whitespace; NBSP and U+3000 are kept


def _unspaced(text: str) -> str:
    """The text without whitespace (re's ``\\s``, NBSP and U+3000 included): str.split's
    whitespace is re's ``\\s`` (the same on every code point), and a split and a join cost a
    fifth of the regex's substitution."""
    return "".join(text.split())


_COLLAPSIBLE = re.compile(r"[\t\r\n\f\v]")  # HTML whitespace ``_collapse`` makes a space
# An element's text in document order, its tail left out (libxml2 joins it in C).
_text_of = functools.partial(etree.tostring, method="text", encoding=str, with_tail=False)
MAX_OWN = 40  # a block's first line longer than this (its spaces removed) is not a heading


def claims(source: Source) -> bool:
    if source.suffix in _SUFFIXES:
        return True
    return source.suffix in TEXT_SUFFIXES and looks_like_html(source)


# Characters XML cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF): lxml refuses a
# string containing any, and they carry nothing in a report.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The control characters among them are single bytes in UTF-8 (no byte of a longer sequence is
# below 0x80): deleting them from the encoded page is how to see whether there are any.
_CONTROL_BYTES = bytes((*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20)))
_CONTROL_SINGLES = tuple(bytes((b,)) for b in _CONTROL_BYTES)


def _has_control_byte(data: bytes) -> bool:
    """Whether one of ``_CONTROL_BYTES`` is in the bytes: a search (memchr) for each, half the
    cost of deleting them all (``bytes.translate``) to compare the lengths, a tenth of a regex."""
    for b in _CONTROL_SINGLES:
        if b in data:
            return True
    return False


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse(text: str, same: bytes | None = None, thinned: list | None = None):
    """The page's lxml tree. ``same``: the file's bytes when they are the text's UTF-8 (no need
    to encode it again)."""
    # lxml refuses a str that declares its own encoding; the text is already decoded.
    if _XML_DECLARATION.match(text) is not None:
        text = _XML_DECLARATION.sub("", text)
        same = None
    # Looking for such characters in the bytes (C-level searches) is faster than the regex over
    # the page; a lone surrogate (which decoding does not give) cannot be encoded, and then the
    # regex removes it.
    if same is not None:
        data = same
    else:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            data = b""
    if not data and text or _has_control_byte(data) \
            or "\ufffe" in text or "\uffff" in text:
        text = _NOT_XML.sub("", text)
        data = text.encode("utf-8")
    if not text or text.isspace():
        raise LoadError("read", "the page is empty")
    return _parse_bytes(data, thinned)


def _parse_bytes(data: bytes, thinned: list | None = None):
    """The lxml tree of a page's UTF-8 bytes, which hold no character XML cannot (``_parse``);
    ``thinned`` (a list) gets True when the compiled ``thin`` took the page (``read``)."""
    # Plain lxml elements, not lxml.html's: lxml.html looks up its element class for every element
    # the reader touches, which cost as much as the parse itself. Comments and processing
    # instructions are left out by the parser (their tails join the text around them). The text
    # is given as UTF-8 bytes with their encoding named: a <meta charset> does not override it.
    c = compiled_loops.load("_html_c")  # the compiled loops, unless turned off
    if c is not None:
        # Without the attributes no reader reads (Word's styles: most of its page), and without
        # the spans they leave bare where that changes nothing read, libxml2 parses the page in
        # about a sixth of the time, into the same elements (less those spans), text and lines.
        thin = c.thin(data, True)
        if thin is not None:
            data = thin
            if thinned is not None:
                thinned.append(True)
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, ValueError) as e:
        raise LoadError("read", f"the page could not be parsed as HTML: {e}") from None
    if root is None:
        raise LoadError("read", "the page could not be parsed as HTML: Document is empty")
    return root


def _clean(root) -> None:
    _drop(root, list(root.iter(*_DROP)))


# What a browser shows otherwise than the page's text (the reader reads what a browser shows):
# an element hidden (``style`` ``display:none``, the ``hidden`` attribute: a stale copy of a
# table, an old number in a hidden cell or span; Word's ``mso-hide`` browsers ignore, and Word
# writes ``display:none`` beside it), struck-through text (``<s>``, ``<strike>``, ``<del>``: an
# old number beside the new one), a superscript (``<sup>``: a footnote mark after a number).
# With the compiled loops, their ``thin`` declines a page holding any of them (it reads every
# tag and attribute anyway), and only then are the bytes searched (``shown_otherwise``: a
# regular expression over the whole page costs twice the reader); a page ``thin`` takes holds
# none, and reads as it is.
_BLANKS = r"[ \t\n\r\f]*"
_SHOWN_OTHERWISE = re.compile(
    rb"<(?:s|strike|del|sup)[\s/>]|\shidden[\s/>=]|display" + _BLANKS.encode() + rb":"
    + _BLANKS.encode() + rb"none|style" + _BLANKS.encode() + rb"=[^>]*&")
_HIDDEN_STYLE = re.compile(f"display{_BLANKS}:{_BLANKS}none", re.I)
_STRUCK = ("s", "strike", "del")


def shown_otherwise(data: bytes) -> bool:
    """Whether the page's bytes may hold what a browser shows otherwise than its text
    (any case; a character reference in a tag with a style counts, as it may spell any of it):
    the page is then read in Python, as shown (``_as_shown``)."""
    return _SHOWN_OTHERWISE.search(data.lower()) is not None


def _hides(style: str | None) -> bool:
    """Whether a ``style`` hides its element (``_HIDDEN_STYLE``; the regular expression only
    where its words may stand: Word styles every element)."""
    if not style:
        return False
    low = style.lower()
    return "none" in low and _HIDDEN_STYLE.search(low) is not None


def _as_shown(root) -> None:
    """The tree as a browser shows it: hidden elements and struck-through text taken out (their
    tails kept), a superscript's text set apart by a space (41<sup>2</sup>, a number and its
    footnote mark, reads as two numbers, ``ambiguous_number``, never as 412)."""
    gone = [el for el in root.iter() if isinstance(el.tag, str) and (
        el.get("hidden") is not None or _tag(el) in _STRUCK or _hides(el.get("style")))]
    _drop(root, gone)
    for sup in root.iter("sup"):
        sup.text = " " + (sup.text or "")
        if sup.tail:
            sup.tail = " " + sup.tail


def _drop(root, found: list) -> None:
    """The elements found (``_DROP``'s, in document order) removed, but ``root``."""
    for el in found:
        if el is not root and el.getparent() is not None:
            _drop_tree(el)


def _drop_tree(el) -> None:
    """The element and what it holds removed, its tail kept (lxml.html's ``drop_tree``)."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def _tag(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag if tag.islower() and "}" not in tag else tag.split("}")[-1].lower()


def _collapse(text: str) -> str:
    """HTML whitespace collapsed to one space (``_SPACE``); most pieces have none to collapse."""
    if text.isprintable() and "  " not in text:
        return text  # no tab, newline or other control character, no double space
    return _SPACE.sub(" ", text)


_EVENTS = ("start", "end")


def _lines_of(el) -> list[str]:
    """An element's text as lines: spans joined, HTML whitespace collapsed, ``<br>`` and block
    elements as line breaks (a block element breaks a line that holds more than whitespace)."""
    lines: list[str] = []
    line, filled = "", False  # the line being read, and whether it holds more than whitespace
    for event, node in etree.iterwalk(el, events=_EVENTS):
        if event == "start":
            tag = node.tag
            if tag == "br" or (filled and tag in _BLOCK):
                lines.append(line)
                line, filled = "", False
            text = node.text
        else:
            if filled and node.tag in _BLOCK:
                lines.append(line)
                line, filled = "", False
            text = node.tail if node is not el else None
        if text:
            line += _collapse(text)
            if not filled and not text.isspace():
                filled = True
    lines.append(line)
    out = [ln.strip(" ") for ln in lines]
    while out and not out[-1]:
        out.pop()
    while out and not out[0]:
        out.pop(0)
    return out


def _cell_text(td) -> str:
    n = len(td)
    if n == 0:  # text only (many cells): one line, no walk needed
        return _collapse(td.text or "").strip(" ")
    if n == 1 and not (td.text or "").strip(_HTML_SPACE):
        # Word's cell: one paragraph of spans, ``<td>\n<p><span>26<o:p></o:p></span></p>\n</td>``.
        # With no line break or block inside the paragraph, and no whitespace to collapse in
        # its text, the cell is that text (what ``_lines_of`` gives, without the walk). Word's
        # blank cell ``<o:p>&nbsp;</o:p>`` is not printable but has nothing to collapse either.
        p = td[0]
        if p.tag in _BLOCK and not (p.tail or "").strip(_HTML_SPACE) \
                and "  " not in (text := _text_of(p)) \
                and (text.isprintable() or _COLLAPSIBLE.search(text) is None) \
                and not _holds_break(p):
            return text.strip(" ")
    return "\n".join(_lines_of(td))


_BREAKS = _BLOCK | {"br"}
_MARKS = _BREAKS | {"table"}  # what the page's walk does more with than take its text
_CELL_MARKS = _MARKS | {"td", "th"}  # and the report's walk


def _inline_only(el, marks: frozenset = _MARKS) -> bool:
    """Whether nothing inside the element is more than inline: no ``<br>``, block or table (or
    other ``marks``), so that a walk would only join the text of what it holds (its text in
    document order, as ``_text_of`` gives it). A comment or processing instruction (which the
    parser leaves out) is not: the walks would take its text, ``_text_of`` does not."""
    for d in el.iterdescendants():
        tag = d.tag
        if tag in marks or tag.__class__ is not str:
            return False
    return True


def _first_text_line(el) -> int | None:
    """The line ``_blocks`` gives a paragraph that begins inside the element, when no piece of
    its text is whitespace alone: that of the first piece that is not empty (the line of its
    element for its text, of its element or else the parent for its tail); None when there is
    none."""
    if el.text:
        return el.sourceline or 0
    for child in el:
        found = _first_text_line(child)
        if found is not None:
            return found
        if child.tail:
            return child.sourceline or el.sourceline or 0
    return None


def _holds_break(el) -> bool:
    """Whether a ``<br>`` or a block element stands inside the element."""
    for d in el.iterdescendants():
        if d.tag in _BREAKS:
            return True
    return False


def _last_line(el) -> int:
    """The last source line the element's text stands on: the line of its last tag, or a line
    below it where an element's text goes on (``<td>`` / ``26`` / ``</td>``, a pretty-printed
    page). ``sourceline`` is the line where a start tag ends, where its text begins.

    Lines grow in document order, and an element's text ends before the next element starts:
    the last line is that of the last element in document order, found by going down the last
    children (lxml's lines stop at 65535: past it, or with a line unknown, every element is
    asked), unless one of those children has text after it (``_tail_line``: a number after a
    blank paragraph, its ``</td>`` lost; tests/samples/html_page/number_after_paragraph.html)."""
    path = [el]
    while len(path[-1]):
        path.append(path[-1][-1])
    deepest = path[-1]
    line = deepest.sourceline or 0
    if 0 < line < 65535:
        text = deepest.text
        if not any((d.tail or "").rstrip() for d in path[1:]):
            if text and "\n" in text:
                line += text.count("\n", 0, len(text.rstrip()))
            return line
        # Text after a last child (``<td><p> </p>`` / ``0000``, its ``</td>`` lost): the last
        # character is in the tail of the shallowest such child, which starts where that child's
        # end tag stands: the deepest element's line and every newline of the text and tails
        # from there up (``_tail_line``).
        return _tail_line(path)
    last = 0
    for d in el.iter():
        line = d.sourceline or 0
        text = d.text
        if text and "\n" in text:
            line += text.count("\n", 0, len(text.rstrip()))
        if line > last:
            last = line
    return last


def _tail_line(path: list) -> int:
    """``_last_line`` of ``path[0]`` (``path``: it and its last children down to the deepest,
    whose line is known) where a child on the path has text in its tail: the line of that
    text's last character, for the shallowest such child. A tail starts at its element's end
    tag: the deepest element's line with every newline of its text, then of each tail on the way
    up."""
    n = len(path) - 1
    end = (path[n].sourceline or 0) + (path[n].text or "").count("\n")
    ends = {n: end}  # k -> the line of path[k]'s end tag
    for k in range(n, 1, -1):
        end += (path[k].tail or "").count("\n")
        ends[k - 1] = end
    for k in range(1, n + 1):
        tail = path[k].tail or ""
        if (kept := tail.rstrip()):
            return ends[k] + tail.count("\n", 0, len(kept))
    return ends[n]


def _span_of(value: str | None) -> int:
    """A ``colspan``/``rowspan`` value as a count from 1 to 500: its digits, 1 when it has none."""
    if value is None:
        return 1
    try:
        if value.isdecimal():  # most values: what the digits-only text below would be
            return max(1, min(int(value), 500))
        return max(1, min(int(re.sub(r"\D", "", value or "1") or 1), 500))
    except ValueError:
        return 1


def table_to_grid(table) -> Grid:
    """A ``<table>`` as rows of cells, row and column spans expanded."""
    rows: list[list[Cell]] = []
    pending: dict[tuple[int, int], Cell] = {}  # (row, col) -> placeholder from a rowspan above
    if next(table.iterdescendants("table"), None) is not None:
        trs = [tr for tr in table.iter("tr") if _nearest_table(tr) is table]
    else:
        trs = list(table.iter("tr"))  # no table inside: every row is the table's own
    for r, tr in enumerate(trs):
        row: list[Cell] = []
        col = 0
        for td in tr:
            tag = td.tag
            if tag != "td" and tag != "th":
                continue
            while pending and (r, col) in pending:  # the places a rowspan above covers
                row.append(pending.pop((r, col)))
                col += 1
            line = td.sourceline or tr.sourceline or 0
            get = td.get
            colspan = _span_of(get("colspan"))
            rowspan = _span_of(get("rowspan"))
            # x0/x1: the grid columns the cell covers, so that the mapper places it under the
            # header's columns by position (a colspan in a data row, a header span offset).
            # (Cell's fields by position: text, line, line_end, span, x0, x1.)
            cell = Cell(_cell_text(td), line, max(line, _last_line(td)), False, col, col + colspan)
            row.append(cell)
            if colspan > 1 or rowspan > 1:
                for k in range(colspan):
                    if k:
                        row.append(Cell("", line, span=True, x0=col + k, x1=col + k + 1))
                    for down in range(1, rowspan):
                        pending[(r + down, col + k)] = Cell("", line, span=True, x0=col + k,
                                                            x1=col + k + 1)
            col += colspan
        while pending and (r, col) in pending:
            row.append(pending.pop((r, col)))
            col += 1
        rows.append(row)
    rows = [row for row in rows if row]
    if len({len(row) for row in rows}) > 1:
        # A ragged table (rows of different widths, as hand-made pages and converters write
        # them): its grid columns say nothing about where a cell stands in the form.
        for row in rows:
            for cell in row:
                cell.x0 = cell.x1 = None
    return Grid(rows=rows)


def _nearest_table(el):
    for ancestor in el.iterancestors("table"):
        return ancestor
    return None


# What a table inside a cell may hold and be part of the cell's text: a number, its unit (its
# cells' texts a blank apart).
INLINE_VALUE = re.compile(r"[+\-−]?[\d,，.．]+(?: ?(?:件|条|个|项|人次|万元|元|%|％))?")


def _inline_table(table) -> bool:
    """A table of one row holding one number alone (``1234 | 件``, a one-cell table pasted into
    its cell), inside a cell of a row of several cells (a data row, not a page's layout): part
    of the text of the cell that holds it. A label in it (``本年新收 | 3``) or two numbers
    (``3 | 1``) make it a table of its own."""
    rows = 0
    for _ in table.iter("tr"):
        rows += 1
        if rows > 1:
            return False
    if rows != 1 or next(table.iterdescendants("table"), None) is not None:
        return False
    tr = next(table.iter("tr"))
    text = " ".join(_unspaced(_text_of(td)) for td in tr if td.tag in ("td", "th")).strip()
    host = next(table.iterancestors("td", "th"), None)
    row = None if host is None else host.getparent()
    return INLINE_VALUE.fullmatch(text) is not None and row is not None \
        and sum(1 for c in row if c.tag in ("td", "th")) >= 2


def _is_layout(table) -> bool:
    """A table holding tables: the page's layout, whose cells hold the report (its tables read
    on their own), unless it is a table of the form and what it holds are inline tables
    (``_inline_table``). (``iterdescendants`` rather than ``find(".//table")``: ElementPath
    costs 6x.)"""
    nested = False
    for inner in table.iterdescendants("table"):
        if not _inline_table(inner):
            return True
        nested = True
    return nested and not is_form_table(_unspaced(_text_of(table)))


"""All the text of an element and its descendants, as lxml.html's ``text_content`` (the XPath
``string()``) gives it: libxml2's content of the node, serialized without XPath's set-up, which
cost a third more for a cell's paragraph."""


class _Page:
    """What one walk over the page finds: its block elements in document order, those that
    hold another block element, and those whose first line of text is a section heading."""

    def __init__(self, body, form_tables: list):
        self.blocks: list = []
        self.outer: set = set()
        self.headings: list = []
        self.form_tables = form_tables
        self.passed: set = set()  # blocks the walk went round: they stand for what they hold
        self._walk(body, set(form_tables))

    def blocks_in(self, el) -> list:
        """The block element, and those it holds if the walk went round it."""
        return list(el.iter(*_BLOCK)) if el in self.passed else [el]

    def _walk(self, body, form_tables: set) -> None:
        """Every block element's first line, as ``_lines_of(el)[0]`` would give it one by one:
        a line ends at a ``<br>`` and, once it holds more than whitespace, at the start or end of
        a block element; a block's first line is the first line that starts inside it and is not
        empty once its spaces are stripped. A line of whitespace such as NBSP ended by a ``<br>``
        is such a first line (``_lines_of`` strips only spaces), and not a heading.

        Inside a form table, the walk goes round a block (a row) when no block outside it is
        waiting for its first line: a heading in it changes nothing (the table is a mark
        already), and a block's end leaves no line that holds more than whitespace."""
        blocks, outer, headings = self.blocks, self.outer, self.headings
        pieces: list[str] = []  # the current line's text, raw
        filled = False  # whether the current line holds more than whitespace
        waiting: list[list] = []  # [block, index in pieces where its line starts]: first line unseen
        open_blocks: list = []
        in_form = None  # the form table the walk is in
        passed = self.passed
        walker = etree.iterwalk(body, events=_EVENTS)
        for event, node in walker:
            tag = node.tag
            if tag not in _MARKS:  # an inline element (most of them): its text joins the line
                text = node.text if event == "start" else node.tail if node is not body else None
                if text:
                    pieces.append(text)
                    if not filled and not text.isspace():
                        filled = True
                continue
            if tag == "table" and node in form_tables:
                in_form = node if event == "start" else None
            elif in_form is not None and not waiting and event == "start" and tag in _BLOCK:
                if filled:
                    pieces.clear()
                    filled = False
                if open_blocks:
                    outer.add(open_blocks[-1])
                open_blocks.append(node)
                blocks.append(node)
                passed.add(node)
                walker.skip_subtree()  # its end comes next, with nothing waiting and no line
                continue
            block = tag in _BLOCK
            if block or (tag == "br" and event == "start"):
                if filled:  # the line ends: the first line of every block waiting for one
                    if waiting:
                        own = _unspaced("".join(pieces))
                        if len(own) < MAX_OWN and is_heading(own):
                            headings.extend(w[0] for w in waiting)
                        waiting.clear()
                    pieces.clear()
                    filled = False
                elif not block:  # a <br> ends the line, blank as it is
                    for w in [w for w in waiting if "".join(pieces[w[1]:]).strip(_HTML_SPACE)]:
                        waiting.remove(w)  # its first line is NBSP or the like: not a heading
                    for w in waiting:
                        w[1] = 0
                    pieces.clear()
            if event == "start":
                if block:
                    if open_blocks:
                        outer.add(open_blocks[-1])
                    open_blocks.append(node)
                    blocks.append(node)
                    waiting.append([node, len(pieces)])
                    if len(node) and _inline_only(node):
                        # A block of inline elements alone (Word's paragraph of spans): its
                        # text is one piece, taken in C, and its end comes next.
                        text = _text_of(node)
                        walker.skip_subtree()
                    else:
                        text = node.text
                else:
                    text = node.text
            else:
                if block:
                    if waiting and waiting[-1][0] is node:
                        waiting.pop()  # nothing but whitespace in it
                    open_blocks.pop()
                text = node.tail if node is not body else None
            if text:
                pieces.append(text)
                if not filled and not text.isspace():
                    filled = True


def _form_tables(body) -> list:
    """The tables of the form: tables holding no table, with a word only the form's tables hold."""
    return [t for t in body.iter("table") if not _is_layout(t)
            and is_form_table(_unspaced(_text_of(t)))]


def _report_root(body, page: _Page):
    """The smallest element holding the form's tables and the section headings, or ``body``."""
    marks = list(page.form_tables)
    marks.extend(page.headings)
    if not marks:
        return body
    for candidate in [marks[0], *marks[0].iterancestors()]:
        if all(m is candidate or candidate in m.iterancestors() for m in marks):
            if _tag(candidate) in _LEAF and candidate.getparent() is not None:
                return candidate.getparent()  # one heading alone: its container is the report
            return candidate
    return body


def _blocks(root) -> list[Block]:
    blocks: list[Block] = []
    buffer, line = "", 0  # the paragraph being read and the line of its first text

    walker = etree.iterwalk(root, events=_EVENTS)
    for event, node in walker:
        tag = node.tag
        if tag not in _CELL_MARKS:  # an inline element (most of them): its text joins the buffer
            if event == "start":
                text, at = node.text, node
            elif node is root:
                break
            else:
                text, at = node.tail, node
        elif event == "start":
            if tag == "table" and not _is_layout(node):
                if (text := buffer.strip(" ")):
                    blocks.append(Paragraph(text, line))
                buffer, line = "", 0
                grid = table_to_grid(node)
                if grid.rows:
                    blocks.append(grid)
                walker.skip_subtree()
                continue
            if tag == "br" or tag in _BLOCK:
                if (text := buffer.strip(" ")):
                    blocks.append(Paragraph(text, line))
                buffer, line = "", 0
                if len(node) and (whole := _text_of(node)) \
                        and whole.isprintable() and " " not in whole \
                        and _inline_only(node, _CELL_MARKS):
                    # A paragraph of inline elements alone whose text has no whitespace (most
                    # of Word's prose): every piece of it joins the buffer as it is, and the
                    # line is that of its first piece. Its end comes next.
                    buffer, line = whole, _first_text_line(node)
                    walker.skip_subtree()
                    continue
            text, at = node.text, node
        else:
            if tag in _BLOCK or tag == "td" or tag == "th":
                if (text := buffer.strip(" ")):
                    blocks.append(Paragraph(text, line))
                buffer, line = "", 0
            if node is root:
                break
            text, at = node.tail, node
        if text and not text.isspace():
            if not buffer or buffer.isspace():
                line = at.sourceline or (at.getparent().sourceline if event == "end" else 0) or 0
            buffer += _collapse(text)
    if (text := buffer.strip(" ")):
        blocks.append(Paragraph(text, line))
    return blocks


def read(source: Source) -> Document:
    data = source.data
    c = compiled_loops.load("_html_c")  # the compiled loops, unless turned off
    thinned = [] if c is not None else None  # whether their ``thin`` took the page
    if c is not None and source.decoded is None and c.plain_page(data):
        # What decoding and ``_parse`` would give, in one C pass instead of four: the bytes are
        # UTF-8 without a mark (decode's first choice), hold no carriage return, no character
        # XML cannot and no XML declaration, and are not blank (a "<").
        encoding = "utf-8"
        tree = _parse_bytes(data, thinned)
    else:
        text, encoding = decode(source)
        # The file's bytes are the text's UTF-8 when it was read as UTF-8 without a mark and had
        # no carriage return (which decoding turns into newlines).
        tree = _parse(text, data if encoding == "utf-8" and b"\r" not in data else None,
                      thinned)
    # A page thin took holds nothing shown otherwise (its docstring); one it declined is
    # searched; without the compiled loops every page is read as shown (where nothing is
    # shown otherwise that changes nothing: ``shown_otherwise`` finds all it acts on).
    shown = c is None or (not thinned and shown_otherwise(
        data if encoding == "utf-8" else text.encode("utf-8", "replace")))
    if shown:
        c = None  # (the compiled walks read the text as written)
    done = c.meta_and_drops(tree) if c is not None else None
    if done is not None:  # both in one walk in C
        meta, drops = done
        _drop(tree, drops)
    else:
        meta = _page_meta(tree)  # before _clean drops <head>
        _clean(tree)
    if shown:
        _as_shown(tree)
    body = tree.find("body")
    body = tree if body is None else body
    if c is not None:
        done = c.read_body(body)  # None for a tree it does not mirror (see its docstring)
        if done is not None:
            blocks, before = done
            if before is not None:
                meta["before_report"] = before
            return Document(source, FORMAT, NAME, encoding, blocks, meta=meta)
    page = _Page(body, _form_tables(body))
    root = _report_root(body, page)
    blocks = _blocks(root)
    if root is not body:
        # The page's own title (an <h1> before the report, or <title>) names the agency and year
        # when the report's text does not.
        title = _page_title(body, root)
        if title is not None and (t := " ".join(_lines_of(title))):
            blocks.insert(0, Paragraph(t, title.sourceline or 0))
        meta["before_report"] = " | ".join(_text_before(page, root))
    return Document(source, FORMAT, NAME, encoding, blocks, meta=meta)


def _page_title(body, root):
    """The first ``<h1>`` outside the report: the page's ``<h1>``s in document order, found by
    lxml's tag iteration (the same as among the walk's blocks: those inside rows it went round
    are inside a form table, so inside the report)."""
    return next((h for h in body.iter("h1") if h is not root and root not in h.iterancestors()),
                None)


def _text_before(page: _Page, root, lines: int = 12) -> list[str]:
    """The last lines of the page above the report: its heading (a title in <span>s of a <div>,
    not an <h1>) often names the agency and year the report's own text lacks. A metadata cue.
    The lines of the block elements that hold no other, before the report's element (all of the
    page's when the report is not a block element), but its ancestors."""
    above = set(root.iterancestors())
    try:
        before = page.blocks[:page.blocks.index(root)]
    except ValueError:
        before = page.blocks
    found: list[str] = []
    for item in reversed(before):
        passed = item in page.passed  # the walk did not see what it holds: ask lxml
        for el in reversed(page.blocks_in(item)):
            holds = next(el.iterdescendants(*_BLOCK), None) is not None if passed \
                else el in page.outer
            if el not in above and not holds \
                    and (text := _collapse(_text_of(el)).strip()):
                found.append(text[:200])
                if len(found) == lines:
                    return found[::-1]
    return found[::-1]


def _page_meta(tree) -> dict[str, str]:
    """The page's <title> and <meta name|property=… content=…>, keys lower-cased."""
    meta: dict[str, str] = {}
    for el in tree.iter("title", "meta"):
        if _tag(el) == "title":
            meta.setdefault("title", _SPACE.sub(" ", _text_of(el)).strip())
        elif (key := el.get("name") or el.get("property")) and el.get("content"):
            meta.setdefault(key.strip().lower(), _SPACE.sub(" ", el.get("content")).strip())
    return meta
