# cython: language_level=3, cdivision=True
"""The web page reader's walks in C: ``html_page``'s ``_form_tables``, ``_Page._walk``,
``_report_root``, ``_page_title``, ``_text_before``, ``_blocks`` and ``table_to_grid`` (with
``_cell_text``, ``_lines_of``, ``_last_line``, ``_first_text_line``, ``_inline_only``,
``_holds_break``), function for function, over libxml2's nodes read through lxml's C API
instead of lxml's proxies and ``iterwalk``.

The Python code in ``html_page`` is the spec and the fallback: ``read_body`` gives None (and
``html_page.read`` takes the Python path) for a tree this code does not mirror: a node other
than an element, text or CDATA (a comment, a processing instruction, an entity reference), an
element in a namespace, or a line number of 65535 (libxml2 keeps lines in 16 bits: lxml's
``sourceline`` then asks elsewhere). Only struct fields are read: libxml2's own functions are
not exported by lxml.

What mirrors what, in libxml2's terms: an element's ``.text`` is the run of text and CDATA nodes
before its first other child, ``.tail`` the run after it; ``tostring(method="text")`` is every
text and CDATA node below the element in document order; ``sourceline`` is ``node->line`` (0
for None); ``get(name)`` the attribute of that name in no namespace, its text children joined.

Before the walks, for ``html_page.read``: ``plain_page`` (whether the bytes can be parsed as
they are, without decoding), ``thin`` (the bytes without the attributes no reader reads, for
libxml2 to parse) and ``meta_and_drops`` (``_page_meta`` and what ``_clean`` drops, in one walk).

Checked by tests/test_html_compiled.py (every HTML sample and report, random and crafted pages:
``read()`` here and with ``OGI_PURE_PYTHON=1`` give equal Documents), tests/test_html_thin.py
(libxml2's trees with and without ``thin``) and benchmarks/same_values.py on the generated
corpus; all 4,468 Word-made pages of the 10,000 corpus read alike both ways.
"""

from libc.string cimport strcmp, strlen, memcpy, memmove, strchr, memchr, memcmp
from libc.stdlib cimport realloc
from cpython.unicode cimport PyUnicode_DecodeUTF8
from cpython.bytes cimport PyBytes_FromStringAndSize, PyBytes_AS_STRING, PyBytes_GET_SIZE

cimport lxml.includes.etreepublic as cetree
from lxml.includes cimport tree
from lxml.includes.tree cimport xmlNode, xmlAttr

cetree.import_lxml__etree()

import re

from ..model import Cell, Grid, Paragraph
from ._landmarks import is_form_table, is_heading

# The same as html_page's (tests/test_html_compiled.py checks them).
MAX_OWN = 40
INLINE_VALUE = re.compile(r"[+\-−]?[\d,，.．]+(?: ?(?:件|条|个|项|人次|万元|元|%|％))?")
_LEAF = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "span", "font", "b", "strong",
                   "table"})
_HTML_SPACE = " \t\r\n\f\v"
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_COLLAPSIBLE = re.compile(r"[\t\r\n\f\v]")

ctypedef xmlNode* Node

cdef enum:
    K_BLOCK = 1   # html_page._BLOCK
    K_BR = 2
    K_TABLE = 4
    K_CELL = 8    # td, th
    K_TR = 16     # (a block too)
    K_H1 = 32     # (a block too)
    K_MARKS = K_BLOCK | K_BR | K_TABLE
    K_CELL_MARKS = K_MARKS | K_CELL
    K_BREAKS = K_BLOCK | K_BR


class Fallback(Exception):
    """A tree this code does not mirror: the Python path reads the page."""


cdef inline bint _eq(const char* a, const char* b) noexcept:
    """``strcmp(a, b) == 0`` as a loop: tag names are short, and a call per name cost more."""
    cdef size_t i = 0
    while a[i] == b[i]:
        if a[i] == 0:
            return True
        i += 1
    return False


cdef int _kind(const char* s) noexcept:
    """The tag name's kind: html_page's _BLOCK, "br", "table", "td"/"th" (names are lower case
    from libxml2's HTML parser, as lxml's ``.tag`` gives them)."""
    cdef char c0 = s[0]
    cdef char c1
    if c0 == 0:
        return 0
    c1 = s[1]
    if c1 == 0:
        return K_BLOCK if c0 == b'p' else 0
    if s[2] == 0:
        if c0 == b'h':
            if c1 == b'1':
                return K_BLOCK | K_H1
            if (b'2' <= c1 <= b'6') or c1 == b'r':
                return K_BLOCK
            return 0
        if c0 == b't':
            if c1 == b'r':
                return K_BLOCK | K_TR
            if c1 == b'd' or c1 == b'h':
                return K_CELL
            return 0
        if c0 == b'b':
            return K_BR if c1 == b'r' else 0
        if (c0 == b'l' and c1 == b'i') or (c0 == b'u' and c1 == b'l') \
                or (c0 == b'o' and c1 == b'l') \
                or (c0 == b'd' and (c1 == b'd' or c1 == b't' or c1 == b'l')):
            return K_BLOCK
        return 0
    if c0 == b'd':
        return K_BLOCK if _eq(s, "div") else 0
    if c0 == b's':
        return K_BLOCK if _eq(s, "section") else 0
    if c0 == b'a':
        return K_BLOCK if _eq(s, "article") or _eq(s, "aside") or _eq(s, "address") else 0
    if c0 == b'b':
        return K_BLOCK if _eq(s, "blockquote") else 0
    if c0 == b'p':
        return K_BLOCK if _eq(s, "pre") else 0
    if c0 == b'h':
        return K_BLOCK if _eq(s, "header") else 0
    if c0 == b'f':
        return K_BLOCK if _eq(s, "footer") else 0
    if c0 == b'm':
        return K_BLOCK if _eq(s, "main") else 0
    if c0 == b'c':
        return K_BLOCK if _eq(s, "center") or _eq(s, "caption") else 0
    if c0 == b't':
        if _eq(s, "title"):
            return K_BLOCK
        return K_TABLE if _eq(s, "table") else 0
    return 0


cdef inline int _k(Node n) noexcept:
    return _kind(<const char*>n.name)


def kind_of(name: bytes) -> int:
    """(For the tests: the kind bits of a tag name.)"""
    return _kind(name)


# ---------------------------------------------------------------------------------------------
# Nodes
# ---------------------------------------------------------------------------------------------

cdef inline bint _is_text(Node n) noexcept:
    return n.type == tree.XML_TEXT_NODE or n.type == tree.XML_CDATA_SECTION_NODE


cdef inline Node _first(Node n) noexcept:
    """The first child (lxml's ``el[0]``: after the check, the children are elements)."""
    cdef Node c = n.children
    while c is not NULL and c.type != tree.XML_ELEMENT_NODE:
        c = c.next
    return c


cdef inline Node _next(Node n) noexcept:
    cdef Node c = n.next
    while c is not NULL and c.type != tree.XML_ELEMENT_NODE:
        c = c.next
    return c


cdef inline Node _last(Node n) noexcept:
    cdef Node c = n.last
    while c is not NULL and c.type != tree.XML_ELEMENT_NODE:
        c = c.prev
    return c


cdef inline Node _parent(Node n) noexcept:
    """The parent element (lxml's ``getparent()``), NULL for the root element."""
    cdef Node p = n.parent
    if p is NULL or p.type != tree.XML_ELEMENT_NODE:
        return NULL
    return p


cdef inline Node _after(Node n, Node top) noexcept:
    """The element after ``n`` in document order inside ``top`` (its descendants first)."""
    cdef Node c = _first(n)
    if c is not NULL:
        return c
    while n is not top:
        c = _next(n)
        if c is not NULL:
            return c
        n = n.parent
    return NULL


cdef inline Node _after_skip(Node n, Node top) noexcept:
    """The element after ``n`` and what it holds, inside ``top``."""
    cdef Node c
    while n is not top:
        c = _next(n)
        if c is not NULL:
            return c
        n = n.parent
    return NULL


cdef int _check(Node top) except -1:
    """Whether this code mirrors the Python path on the element and what it holds; raises
    Fallback when not."""
    cdef Node n = top
    if top.type != tree.XML_ELEMENT_NODE:
        raise Fallback("not an element")
    # Every node below ``top`` once, in document order (a walk of the elements that looked at
    # each one's children went over every text node twice: 16% of the walks' time).
    while True:
        if n.type == tree.XML_ELEMENT_NODE:
            if n.ns is not NULL or n.line == 65535 or n.name is NULL:
                raise Fallback("a namespace or a line past 65534")
            if n.children is not NULL:
                n = n.children
                continue
        elif not _is_text(n):
            raise Fallback("a comment, processing instruction or entity")
        while n is not top and n.next is NULL:
            n = n.parent
        if n is top:
            return 0
        n = n.next


# A buffer for joining text nodes (the GIL is held throughout: one user at a time).
cdef char* _buf = NULL
cdef size_t _cap = 0


cdef int _reserve(size_t size) except -1:
    global _buf, _cap
    cdef char* grown
    if size <= _cap:
        return 0
    grown = <char*>realloc(_buf, size * 2)
    if grown is NULL:
        raise MemoryError()
    _buf, _cap = grown, size * 2
    return 0


cdef inline str _decode(const char* s, size_t n):
    return PyUnicode_DecodeUTF8(s, n, NULL)


cdef str _run(Node c):
    """The run of text nodes from ``c`` on, joined (lxml's ``.text`` of the parent when ``c`` is
    its first child, ``.tail`` when ``c`` follows an element): '' where lxml gives None."""
    cdef Node n = c
    cdef Node one = NULL
    cdef int count = 0
    cdef size_t total = 0, size
    while n is not NULL and _is_text(n):
        if n.content[0] != 0:
            if one is NULL:
                one = n
            count += 1
            total += strlen(<const char*>n.content)
        n = n.next
    if count == 0:
        return ""
    if count == 1:
        return _decode(<const char*>one.content, total)
    _reserve(total)
    total = 0
    n = one
    while n is not NULL and _is_text(n):
        size = strlen(<const char*>n.content)
        memcpy(_buf + total, n.content, size)
        total += size
        n = n.next
    return _decode(_buf, total)


cdef inline str _text(Node n):
    return _run(n.children)


cdef inline str _tail(Node n):
    return _run(n.next)


cdef const char* _gather(Node top, size_t* size) except? NULL:
    """Every text node below the element in document order, joined (libxml2's content of the
    element, ``_text_of``): its bytes (in the buffer, or a node's own) and their count."""
    cdef Node n = top.children
    cdef Node one = NULL
    cdef int count = 0
    cdef size_t total = 0, piece
    size[0] = 0
    if n is NULL:
        return ""
    while True:
        if _is_text(n):
            if n.content[0] != 0:
                piece = strlen(<const char*>n.content)
                if count == 0:
                    one = n
                elif count == 1:
                    _reserve(total + piece)
                    memcpy(_buf, one.content, total)
                    memcpy(_buf + total, n.content, piece)
                else:
                    _reserve(total + piece)
                    memcpy(_buf + total, n.content, piece)
                count += 1
                total += piece
        elif n.children is not NULL:
            n = n.children
            continue
        while n.next is NULL:
            n = n.parent
            if n is top:
                size[0] = total
                if count == 0:
                    return ""
                if count == 1:
                    return <const char*>one.content
                return _buf
        n = n.next


cdef str _content(Node top):
    """``_text_of``: the element's text nodes in document order, joined."""
    cdef size_t size
    cdef const char* s = _gather(top, &size)
    return _decode(s, size) if size else ""


cdef bint _run_filled(Node c) noexcept:
    """Whether the run of text nodes from ``c`` on is not empty (``if el.text``)."""
    while c is not NULL and _is_text(c):
        if c.content[0] != 0:
            return True
        c = c.next
    return False


cdef inline bint _html_space(char b) noexcept:
    return b == b' ' or b == b'\t' or b == b'\n' or b == b'\r' or b == b'\f' or b == b'\v'


cdef bint _run_blank(Node c) noexcept:
    """Whether the run of text nodes from ``c`` on holds HTML whitespace alone or nothing
    (``not text.strip(_HTML_SPACE)``: ASCII bytes, never inside a longer UTF-8 sequence)."""
    cdef const char* p
    while c is not NULL and _is_text(c):
        p = <const char*>c.content
        while p[0] != 0:
            if not _html_space(p[0]):
                return False
            p += 1
        c = c.next
    return True


cdef bint _run_newline(Node c) noexcept:
    """Whether the run of text nodes from ``c`` on holds a newline."""
    while c is not NULL and _is_text(c):
        if strchr(<const char*>c.content, b'\n') is not NULL:
            return True
        c = c.next
    return False


cdef inline int _line(Node n) noexcept:
    return n.line  # sourceline or 0 (65535 is refused by _check)


cdef object _get(Node n, const char* name):
    """``el.get(name)``: the attribute in no namespace, None when there is none."""
    cdef xmlAttr* a = n.properties
    cdef Node c
    cdef list parts
    while a is not NULL:
        if a.ns is NULL and strcmp(<const char*>a.name, name) == 0:
            c = a.children
            if c is NULL:
                return ""
            if c.next is NULL and _is_text(c):
                return _decode(<const char*>c.content, strlen(<const char*>c.content))
            parts = []
            while c is not NULL:
                if not _is_text(c):
                    raise Fallback("an entity in an attribute")
                parts.append(_decode(<const char*>c.content, strlen(<const char*>c.content)))
                c = c.next
            return "".join(parts)
        a = a.next
    return None


# ---------------------------------------------------------------------------------------------
# html_page's helpers
# ---------------------------------------------------------------------------------------------

cdef str _collapse(str text):
    if text.isprintable() and "  " not in text:
        return text
    return _SPACE.sub(" ", text)


cdef str _unspaced(str text):
    return "".join(text.split())


cdef bint _has_descendant(Node el, int kinds) noexcept:
    """Whether an element below ``el`` is of one of the kinds (``_holds_break``,
    ``not _inline_only``, ``_is_layout``)."""
    cdef Node n = _first(el)
    while n is not NULL:
        if _k(n) & kinds:
            return True
        n = _after(n, el)
    return False


cdef bint _inline_table(Node table) except -1:
    """``_inline_table``."""
    cdef Node n = _first(table)
    cdef Node tr = NULL
    cdef Node c
    cdef int rows = 0, cells = 0
    cdef list texts = []
    while n is not NULL:
        if _k(n) & K_TABLE:
            return False
        if _k(n) & K_TR:
            rows += 1
            if rows > 1:
                return False
            tr = n
        n = _after(n, table)
    if rows != 1:
        return False
    c = _first(tr)
    while c is not NULL:
        if _k(c) & K_CELL:
            texts.append(_unspaced(_content(c)))
        c = _next(c)
    if INLINE_VALUE.fullmatch(" ".join(texts).strip()) is None:
        return False
    n = _parent(table)
    while n is not NULL and not (_k(n) & K_CELL):
        n = _parent(n)
    if n is NULL or _parent(n) is NULL:
        return False
    c = _first(_parent(n))
    while c is not NULL:
        if _k(c) & K_CELL:
            cells += 1
        c = _next(c)
    return cells >= 2


cdef bint _is_layout(Node table) except -1:
    """``_is_layout``."""
    cdef Node n = _first(table)
    cdef bint nested = False
    while n is not NULL:
        if _k(n) & K_TABLE:
            if not _inline_table(n):
                return True
            nested = True
            n = _after_skip(n, table)
            continue
        n = _after(n, table)
    return nested and not is_form_table(_unspaced(_content(table)))


cdef list _lines_of(Node el):
    cdef list lines = []
    cdef str line = ""
    cdef str text
    cdef bint filled = False, start = True
    cdef Node node = el
    cdef Node c
    cdef int k
    while True:
        k = _k(node)
        if start:
            if (k & K_BR) or (filled and (k & K_BLOCK)):
                lines.append(line)
                line, filled = "", False
            text = _text(node)
        else:
            if filled and (k & K_BLOCK):
                lines.append(line)
                line, filled = "", False
            text = _tail(node) if node is not el else ""
        if text:
            line += _collapse(text)
            if not filled and not text.isspace():
                filled = True
        if start:
            c = _first(node)
            if c is not NULL:
                node = c
            else:
                start = False
            continue
        if node is el:
            break
        c = _next(node)
        if c is not NULL:
            node, start = c, True
        else:
            node = node.parent
    lines.append(line)
    out = [ln.strip(" ") for ln in lines]
    while out and not out[-1]:
        out.pop()
    while out and not out[0]:
        out.pop(0)
    return out


cdef str _cell_text(Node td):
    cdef Node p = _first(td)
    cdef const char* s
    cdef size_t size, i
    cdef char b
    cdef bint plain = True
    if p is NULL:
        return _collapse(_text(td)).strip(" ")
    if _next(p) is NULL and _run_blank(td.children) and (_k(p) & K_BLOCK) \
            and _run_blank(p.next) and not _has_descendant(p, K_BREAKS):
        # ``"  " not in text and (text.isprintable() or no [\t\r\n\f\v] in it)``: those five
        # are not printable, so the test is that none is there, nor two spaces running (bytes:
        # ASCII ones, never inside a longer UTF-8 sequence).
        s = _gather(p, &size)
        for i in range(size):
            b = s[i]
            if (b == b' ' and i + 1 < size and s[i + 1] == b' ') \
                    or (b != b' ' and _html_space(b)):
                plain = False
                break
        if plain:
            return (_decode(s, size) if size else "").strip(" ")
    return "\n".join(_lines_of(td))


cdef long _first_text_line(Node el):
    """-1 for None."""
    cdef Node child
    cdef long found
    if _run_filled(el.children):
        return _line(el)
    child = _first(el)
    while child is not NULL:
        found = _first_text_line(child)
        if found != -1:
            return found
        if _run_filled(child.next):
            return _line(child) or _line(el)
        child = _next(child)
    return -1


cdef long _last_line(Node el):
    cdef Node t = el
    cdef Node c
    cdef long line, last
    cdef str text
    cdef bint tails = False  # a child on the path with text in its tail
    c = _last(t)
    while c is not NULL:
        t = c
        if not tails and not _run_blank(c.next) and _tail(c).rstrip():
            tails = True
        c = _last(t)
    line = _line(t)
    if 0 < line < 65535:
        if tails:
            return _tail_line(el)
        if _run_newline(t.children):
            text = _text(t)
            line += text.count("\n", 0, len(text.rstrip()))
        return line
    last = 0
    t = el
    while t is not NULL:
        line = _line(t)
        if _run_newline(t.children):
            text = _text(t)
            line += text.count("\n", 0, len(text.rstrip()))
        if line > last:
            last = line
        t = _after(t, el)
    return last


cdef long _tail_line(Node el) except -1:
    """``html_page._tail_line`` of the element and its last children (a path deeper than 63
    elements is left to the Python code)."""
    cdef Node path[64]
    cdef int n = 0, k
    cdef long end
    cdef dict ends
    cdef str tail, kept
    cdef Node c = _last(el)
    path[0] = el
    while c is not NULL:
        n += 1
        if n >= 64:
            raise Fallback("a cell's last children nested past 63")
        path[n] = c
        c = _last(c)
    end = _line(path[n]) + _text(path[n]).count("\n")
    ends = {n: end}
    for k in range(n, 1, -1):
        end += _tail(path[k]).count("\n")
        ends[k - 1] = end
    for k in range(1, n + 1):
        tail = _tail(path[k])
        kept = tail.rstrip()
        if kept:
            return ends[k] + tail.count("\n", 0, len(kept))
    return ends[n]


cdef int _span_of(value) except -1:
    if value is None:
        return 1
    try:
        if value.isdecimal():
            return max(1, min(int(value), 500))
        return max(1, min(int(re.sub(r"\D", "", value or "1") or 1), 500))
    except ValueError:
        return 1


cdef Node _nearest_table(Node el) noexcept:
    cdef Node a = _parent(el)
    while a is not NULL:
        if _k(a) & K_TABLE:
            return a
        a = _parent(a)
    return NULL


cdef object _grid(Node table):
    """``table_to_grid``."""
    cdef list rows = []
    cdef list row
    cdef dict pending = {}
    cdef bint layout = _has_descendant(table, K_TABLE)  # rows of tables inside left out
    cdef Node tr = _first(table)
    cdef Node td
    cdef int r = 0, col, colspan, rowspan, k, down
    cdef long line
    while tr is not NULL:
        if not (_k(tr) & K_TR) or (layout and _nearest_table(tr) is not table):
            tr = _after(tr, table)
            continue
        row = []
        col = 0
        td = _first(tr)
        while td is not NULL:
            if not (_k(td) & K_CELL):
                td = _next(td)
                continue
            while pending and (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1
            line = _line(td) or _line(tr)
            colspan = _span_of(_get(td, "colspan"))
            rowspan = _span_of(_get(td, "rowspan"))
            row.append(Cell(_cell_text(td), line, max(line, _last_line(td)), False, col,
                            col + colspan))
            if colspan > 1 or rowspan > 1:
                for k in range(colspan):
                    if k:
                        row.append(Cell("", line, span=True, x0=col + k, x1=col + k + 1))
                    for down in range(1, rowspan):
                        pending[(r + down, col + k)] = Cell("", line, span=True, x0=col + k,
                                                            x1=col + k + 1)
            col += colspan
            td = _next(td)
        while pending and (r, col) in pending:
            row.append(pending.pop((r, col)))
            col += 1
        rows.append(row)
        r += 1
        tr = _after(tr, table)
    rows = [row for row in rows if row]
    if len({len(row) for row in rows}) > 1:
        for row in rows:
            for cell in row:
                cell.x0 = cell.x1 = None
    return Grid(rows=rows)


cdef list _blocks(Node root):
    cdef list blocks = []
    cdef str buffer = "", text, whole, stripped
    cdef object line = 0
    cdef Node node = root
    cdef Node c
    cdef Node p
    cdef bint start = True, skip
    cdef int k
    cdef long first
    while True:
        k = _k(node)
        skip = False
        text = None
        if not (k & K_CELL_MARKS):  # an inline element: its text joins the buffer
            if start:
                text = _text(node)
            elif node is root:
                break
            else:
                text = _tail(node)
        elif start:
            if (k & K_TABLE) and not _is_layout(node):
                stripped = buffer.strip(" ")
                if stripped:
                    blocks.append(Paragraph(stripped, line))
                buffer, line = "", 0
                grid = _grid(node)
                if grid.rows:
                    blocks.append(grid)
                skip = True
            else:
                if k & (K_BR | K_BLOCK):
                    stripped = buffer.strip(" ")
                    if stripped:
                        blocks.append(Paragraph(stripped, line))
                    buffer, line = "", 0
                    if _first(node) is not NULL and not _has_descendant(node, K_CELL_MARKS):
                        whole = _content(node)
                        if whole and whole.isprintable() and " " not in whole:
                            first = _first_text_line(node)
                            buffer, line = whole, (None if first == -1 else first)
                            skip = True
                if not skip:
                    text = _text(node)
        else:
            if k & (K_BLOCK | K_CELL):
                stripped = buffer.strip(" ")
                if stripped:
                    blocks.append(Paragraph(stripped, line))
                buffer, line = "", 0
            if node is root:
                break
            text = _tail(node)
        if text and not text.isspace():
            if not buffer or buffer.isspace():
                if start:
                    line = _line(node)
                else:
                    p = _parent(node)
                    line = _line(node) or (_line(p) if p is not NULL else 0)
            buffer += _collapse(text)
        # the next event
        if start:
            c = NULL if skip else _first(node)
            if c is not NULL:
                node = c
            else:
                start = False
            continue
        c = _next(node)
        if c is not NULL:
            node, start = c, True
        else:
            node = node.parent
    stripped = buffer.strip(" ")
    if stripped:
        blocks.append(Paragraph(stripped, line))
    return blocks


# ---------------------------------------------------------------------------------------------
# The page: _form_tables, _Page's walk, _report_root, _page_title, _text_before
# ---------------------------------------------------------------------------------------------

cdef inline object _id(Node n):
    return <size_t>n


cdef inline Node _node(object i):
    return <Node><size_t>i


cdef list _form_tables(Node body):
    cdef list found = []
    cdef Node t = body
    while t is not NULL:
        if (_k(t) & K_TABLE) and not _is_layout(t) and is_form_table(_unspaced(_content(t))):
            found.append(_id(t))
        t = _after(t, body)
    return found


cdef class _Page:
    """``html_page._Page`` over node addresses (ints)."""
    cdef public list blocks, headings, form_tables
    cdef public set outer, passed

    def __init__(self):
        self.blocks, self.headings, self.outer, self.passed = [], [], set(), set()

    cdef int walk(self, Node body, set form_tables) except -1:
        cdef list blocks = self.blocks, headings = self.headings
        cdef set outer = self.outer, passed = self.passed
        cdef list pieces = [], waiting = [], open_blocks = []
        cdef bint filled = False, start = True, skip, block
        cdef Node node = body
        cdef Node c
        cdef Node in_form = NULL
        cdef int k
        cdef str text, own
        cdef object me
        while True:
            k = _k(node)
            skip = False
            if not (k & K_MARKS):  # an inline element: its text joins the line
                text = _text(node) if start else _tail(node) if node is not body else ""
                if text:
                    pieces.append(text)
                    if not filled and not text.isspace():
                        filled = True
            else:
                me = _id(node)
                if (k & K_TABLE) and me in form_tables:
                    in_form = node if start else NULL
                elif in_form is not NULL and not waiting and start and (k & K_BLOCK):
                    if filled:
                        pieces.clear()
                        filled = False
                    if open_blocks:
                        outer.add(open_blocks[-1])
                    open_blocks.append(me)
                    blocks.append(me)
                    passed.add(me)
                    skip = True
                if not skip:
                    block = (k & K_BLOCK) != 0
                    if block or ((k & K_BR) and start):
                        if filled:
                            if waiting:
                                own = _unspaced("".join(pieces))
                                if len(own) < MAX_OWN and is_heading(own):
                                    headings.extend([w[0] for w in waiting])
                                waiting.clear()
                            pieces.clear()
                            filled = False
                        elif not block:
                            for w in [w for w in waiting
                                      if "".join(pieces[w[1]:]).strip(_HTML_SPACE)]:
                                waiting.remove(w)
                            for w in waiting:
                                w[1] = 0
                            pieces.clear()
                    if start:
                        if block:
                            if open_blocks:
                                outer.add(open_blocks[-1])
                            open_blocks.append(me)
                            blocks.append(me)
                            waiting.append([me, len(pieces)])
                            if _first(node) is not NULL \
                                    and not _has_descendant(node, K_MARKS):
                                text = _content(node)
                                skip = True
                            else:
                                text = _text(node)
                        else:
                            text = _text(node)
                    else:
                        if block:
                            if waiting and waiting[-1][0] == me:
                                waiting.pop()
                            open_blocks.pop()
                        text = _tail(node) if node is not body else ""
                    if text:
                        pieces.append(text)
                        if not filled and not text.isspace():
                            filled = True
            # the next event
            if start:
                c = NULL if skip else _first(node)
                if c is not NULL:
                    node = c
                else:
                    start = False
                continue
            if node is body:
                break
            c = _next(node)
            if c is not NULL:
                node, start = c, True
            else:
                node = node.parent
        return 0


cdef bint _holds(Node a, Node m) noexcept:
    """Whether ``a`` is an ancestor of ``m``."""
    m = _parent(m)
    while m is not NULL:
        if m is a:
            return True
        m = _parent(m)
    return False


cdef Node _report_root(Node body, _Page page):
    cdef list marks = list(page.form_tables)
    marks.extend(page.headings)
    cdef Node candidate
    cdef Node m
    cdef Node parent
    cdef bint every
    if not marks:
        return body
    candidate = _node(marks[0])
    while candidate is not NULL:
        every = True
        for i in marks:
            m = _node(i)
            if not (m is candidate or _holds(candidate, m)):
                every = False
                break
        if every:
            parent = _parent(candidate)
            if _tag(candidate) in _LEAF and parent is not NULL:
                return parent
            return candidate
        candidate = _parent(candidate)
    return body


cdef str _tag(Node n):
    cdef str tag = _decode(<const char*>n.name, strlen(<const char*>n.name))
    return tag if tag.islower() and "}" not in tag else tag.split("}")[-1].lower()


cdef Node _page_title(Node body, Node root) noexcept:
    cdef Node h = body
    while h is not NULL:
        if (_k(h) & K_H1) and h is not root and not _holds(root, h):
            return h
        h = _after(h, body)
    return NULL


cdef list _text_before(_Page page, Node root, int lines=12):
    cdef set above = set()
    cdef Node a = _parent(root)
    cdef Node item
    cdef Node el
    cdef list before, found = [], inside
    cdef bint passed, holds
    cdef str text
    while a is not NULL:
        above.add(_id(a))
        a = _parent(a)
    try:
        before = page.blocks[:page.blocks.index(_id(root))]
    except ValueError:
        before = page.blocks
    for i in reversed(before):
        passed = i in page.passed
        item = _node(i)
        if passed:  # blocks_in: the block and those it holds
            inside = []
            el = item
            while el is not NULL:
                if _k(el) & K_BLOCK:
                    inside.append(_id(el))
                el = _after(el, item)
        else:
            inside = [i]
        for j in reversed(inside):
            el = _node(j)
            holds = _has_descendant(el, K_BLOCK) if passed else j in page.outer
            if j not in above and not holds:
                text = _collapse(_content(el)).strip()
                if text:
                    found.append(text[:200])
                    if len(found) == lines:
                        return found[::-1]
    return found[::-1]


cdef inline Node _c_node(el) except NULL:
    if not isinstance(el, cetree._Element):
        raise TypeError("an lxml element is needed")
    return (<cetree._Element>el)._c_node


def read_body(body):
    """What ``html_page.read`` makes of the page's ``<body>`` (after ``_clean``): the blocks
    (the page's title paragraph first when the report is not the body) and the ``before_report``
    cue (None when the report is the body). None when this code does not mirror the tree (the
    Python path reads it then)."""
    cdef Node b = _c_node(body)
    cdef Node root
    cdef Node title
    cdef _Page page
    cdef list blocks
    try:
        _check(b)
    except Fallback:
        return None
    form_tables = _form_tables(b)
    page = _Page()
    page.form_tables = form_tables
    page.walk(b, set(form_tables))
    root = _report_root(b, page)
    try:
        if root is not b and not _holds(b, root):
            _check(root)  # (not below the body: not checked yet)
        blocks = _blocks(root)
    except Fallback:
        return None
    if root is b:
        return blocks, None
    title = _page_title(b, root)
    if title is not NULL:
        t = " ".join(_lines_of(title))
        if t:
            blocks.insert(0, Paragraph(t, _line(title)))
    return blocks, " | ".join(_text_before(page, root))


# html_page._DROP (tests/test_html_compiled.py checks them).
_DROP = ("script", "style", "noscript", "template", "iframe", "nav", "form", "select", "button",
         "svg", "object", "embed", "head")


cdef bint _is_drop(const char* s) noexcept:
    """Whether the tag name is one of ``_DROP``."""
    cdef char c0 = s[0]
    if c0 == b's':
        return _eq(s, "script") or _eq(s, "style") or _eq(s, "select") or _eq(s, "svg")
    if c0 == b'n':
        return _eq(s, "noscript") or _eq(s, "nav")
    if c0 == b't':
        return _eq(s, "template")
    if c0 == b'i':
        return _eq(s, "iframe")
    if c0 == b'f':
        return _eq(s, "form")
    if c0 == b'b':
        return _eq(s, "button")
    if c0 == b'o':
        return _eq(s, "object")
    if c0 == b'e':
        return _eq(s, "embed")
    if c0 == b'h':
        return _eq(s, "head")
    return False


def is_drop(name: bytes) -> bool:
    """(For the tests: whether the tag name is one of ``_DROP``.)"""
    return _is_drop(name)


def meta_and_drops(root):
    """``html_page._page_meta(root)``, and the elements ``_clean(root)`` drops, in the order it
    finds them (``root.iter(*_DROP)``), in one walk of libxml2's nodes; None where the tree is
    not mirrored (an entity in an attribute: the Python functions run then)."""
    cdef Node top = _c_node(root)
    cdef Node n = top
    cdef cetree._Document doc = (<cetree._Element>root)._doc
    cdef dict meta = {}
    cdef list drops = []
    cdef const char* name
    if top.type != tree.XML_ELEMENT_NODE:
        return None
    try:
        while n is not NULL:
            if n.ns is NULL:
                name = <const char*>n.name
                if name[0] == b't' and _eq(name, "title"):
                    meta.setdefault("title", _SPACE.sub(" ", _content(n)).strip())
                elif name[0] == b'm' and _eq(name, "meta"):
                    key = _get(n, "name") or _get(n, "property")
                    if key and (content := _get(n, "content")):
                        meta.setdefault(key.strip().lower(), _SPACE.sub(" ", content).strip())
                if _is_drop(name):
                    drops.append(cetree.elementFactory(doc, n))
            n = _after(n, top)
    except Fallback:
        return None
    return meta, drops


# ---------------------------------------------------------------------------------------------
# The page's markup without the attributes no reader reads, before the parse
# ---------------------------------------------------------------------------------------------

# The attributes the reader reads (html_page's ``get`` of a cell's spans); every ``<meta>`` tag is
# kept whole (``_page_meta`` reads its name, property and content, and libxml2 its charset).
# tests/test_html_thin.py checks that every attribute html_page.py and this module read is here.
KEPT_ATTRIBUTES = (b"colspan", b"rowspan")
KEPT_WHOLE = (b"meta",)
# Elements whose content every libxml2 reads as text, to their end tag: copied as they are.
RAW_TEXT = (b"script", b"style")
# Elements whose content HTML5's tokenizer (libxml2's from 2.14) reads as text and older ones as
# markup: taken when it holds no "<" (then both read it alike).
TEXT_IN_HTML5 = (b"xmp", b"iframe", b"noembed", b"noframes", b"title", b"textarea", b"plaintext")
# With ``unwrap``: elements whose tags carry nothing a reader reads once their attributes are
# gone (Word's ``<span>`` around every run of text and ``<o:p>`` closing every paragraph: half a
# Word page's elements), taken out with their content left in place where that changes nothing
# the reader reads (``thin``).
UNWRAPPED = (b"span", b"o:p")
cdef enum:
    _MAX_NAME = 64  # a longer tag or attribute name: the page is parsed as it is
MAX_NAME = _MAX_NAME

cdef inline bint _blank(char c) noexcept nogil:
    return c == b' ' or c == b'\n' or c == b'\t' or c == b'\r'


cdef inline bint _alpha(char c) noexcept nogil:
    return (b'a' <= c <= b'z') or (b'A' <= c <= b'Z')


cdef bint _is_ci(const char* s, Py_ssize_t n, const char* lower) noexcept nogil:
    """Whether ``s[:n]`` is ``lower`` (ASCII, lower case) in any case."""
    cdef Py_ssize_t k = 0
    while k < n:
        if lower[k] == 0 or _lower(s[k]) != lower[k]:
            return False
        k += 1
    return lower[n] == 0


cdef bint _starts_ci(const char* s, Py_ssize_t n, const char* lower) noexcept nogil:
    """Whether ``s[:n]`` starts with ``lower`` in any case."""
    cdef Py_ssize_t k = 0
    while lower[k] != 0:
        if k >= n or _lower(s[k]) != lower[k]:
            return False
        k += 1
    return True


cdef Py_ssize_t _past_colon(const char* s, Py_ssize_t k, Py_ssize_t n) noexcept nogil:
    """Past blanks, a colon and blanks from ``k``, or -1 where no colon stands."""
    while k < n and _blank(s[k]):
        k += 1
    if k >= n or s[k] != b':':
        return -1
    k += 1
    while k < n and _blank(s[k]):
        k += 1
    return k


cdef bint _hiding(const char* s, Py_ssize_t n) noexcept nogil:
    """Whether a ``style`` value may hide its element (html_page._HIDDEN_STYLE: display:none,
    in any case), or holds a character reference (which the parse would turn into it)."""
    cdef Py_ssize_t k = 0, m
    cdef char c
    if memchr(s, b'&', n) != NULL:
        return True
    while k < n:
        c = s[k] | 0x20  # (a letter in lower case; nothing else it turns into d)
        if c == b'd' and _starts_ci(s + k, n - k, "display"):
            m = _past_colon(s, k + 7, n)
            if m >= 0 and _starts_ci(s + m, n - m, "none"):
                return True
        k += 1
    return False


cdef bint _shown_otherwise(const char* name, Py_ssize_t n) noexcept nogil:
    """A tag whose text a browser shows otherwise (html_page._as_shown): struck through or
    raised (``<s>``, ``<strike>``, ``<del>``, ``<sup>``)."""
    return (_is_ci(name, n, "s") or _is_ci(name, n, "strike") or _is_ci(name, n, "del")
            or _is_ci(name, n, "sup"))


cdef inline bint _name_char(char c) noexcept nogil:
    return _alpha(c) or (b'0' <= c <= b'9') or c == b':' or c == b'-' or c == b'_' or c == b'.'


cdef inline char _lower(char c) noexcept nogil:
    return c + 32 if b'A' <= c <= b'Z' else c


cdef bint _named(const char* p, Py_ssize_t n, const char* name) noexcept nogil:
    """Whether the ``n`` bytes at ``p`` are ``name`` (lower case) in any case."""
    cdef Py_ssize_t i
    if name[0] != _lower(p[0]) or <Py_ssize_t>strlen(name) != n:
        return False
    for i in range(n):
        if _lower(p[i]) != name[i]:
            return False
    return True


# The names above as C strings (the tuples keep the bytes alive), with their lengths.
cdef struct Names:
    int count
    const char* name[16]
    Py_ssize_t size[16]

cdef Names _kept, _whole, _raw, _unwrapped
cdef int _n_raw_always = len(RAW_TEXT)  # _raw's first ones: RAW_TEXT, then TEXT_IN_HTML5
cdef tuple _names = (KEPT_ATTRIBUTES, KEPT_WHOLE, RAW_TEXT + TEXT_IN_HTML5, UNWRAPPED)


cdef void _fill(Names* names, tuple of):
    cdef bytes name
    names.count = 0
    for name in of:
        names.name[names.count] = name
        names.size[names.count] = len(name)
        names.count += 1


_fill(&_kept, _names[0])
_fill(&_whole, _names[1])
_fill(&_raw, _names[2])
_fill(&_unwrapped, _names[3])


cdef int _which(const char* p, Py_ssize_t n, Names* names) noexcept nogil:
    """The index of the name ``p[:n]`` is, in any case, among ``names``; -1 when none."""
    cdef int i
    for i in range(names.count):
        if names.size[i] == n and _named(p, n, names.name[i]):
            return i
    return -1


cdef Py_ssize_t _find(const char* p, Py_ssize_t start, Py_ssize_t n, const char* what
                      ) noexcept nogil:
    """The first place of ``what`` in ``p[start:n]``, or -1."""
    cdef Py_ssize_t k = strlen(what)
    cdef const char* hit
    while start + k <= n:
        hit = <const char*>memchr(p + start, what[0], n - start - k + 1)
        if hit == NULL:
            return -1
        start = hit - p
        if memcmp(hit, what, k) == 0:
            return start
        start += 1
    return -1


cdef Py_ssize_t _raw_end(const char* p, Py_ssize_t start, Py_ssize_t n, const char* name,
                         Py_ssize_t size) noexcept nogil:
    """Where the raw text from ``start`` ends: the first ``</name`` (any case), which must be
    followed by a blank, ``/`` or ``>`` (-1 when it is not: tokenizers differ there); ``n`` when
    there is none."""
    cdef Py_ssize_t k = _find_tag(p, start, n, name, size, True)
    if k < 0:
        return n
    if k + 2 + size < n and (_blank(p[k + 2 + size]) or p[k + 2 + size] == b'/'
                             or p[k + 2 + size] == b'>'):
        return k
    return -1


cdef Py_ssize_t _find_tag(const char* p, Py_ssize_t start, Py_ssize_t n, const char* name,
                          Py_ssize_t size, bint end) noexcept nogil:
    """The place of the first ``<name`` (``</name`` when ``end``), in any case, in
    ``p[start:n]``; -1 when there is none."""
    cdef const char* hit
    cdef Py_ssize_t k = start, at = 2 if end else 1
    while k < n:
        hit = <const char*>memchr(p + k, b'<', n - k)
        if hit == NULL:
            return -1
        k = hit - p
        if k + at + size <= n and (not end or p[k + 1] == b'/') \
                and _named(p + k + at, size, name):
            return k
        k += 1
    return -1


cdef Py_ssize_t _breaks(const char* p, Py_ssize_t n, char* o, bint cr) noexcept nogil:
    """Writes the line breaks (CR, LF) of ``p[:n]`` at ``o``, in their order; their count.
    ``cr``: whether the page holds a CR at all."""
    cdef Py_ssize_t w = 0, i
    cdef const char* hit
    if cr and memchr(p, b'\r', n) != NULL:
        for i in range(n):
            if p[i] == b'\n' or p[i] == b'\r':
                o[w] = p[i]
                w += 1
        return w
    hit = <const char*>memchr(p, b'\n', n)
    while hit != NULL:
        o[w] = b'\n'
        w += 1
        hit = <const char*>memchr(hit + 1, b'\n', n - (hit + 1 - p))
    return w


_NO_UNWRAP = object()  # _thin: the page cannot be unwrapped (thinned without)


def thin(bytes data, bint unwrap=False):
    """The page's bytes without the attributes no reader reads (Word's ``style``, ``class``,
    ``width``…: most of such a page), which libxml2 parses in 40% of the time; None when
    the markup is not plain enough to be sure of the result (the page is then parsed as it is).

    The promise: libxml2's tree of the result is its tree of ``data`` with those attributes taken
    off, the same elements, text, comments and lines (a dropped attribute leaves its line
    breaks). This reads the markup as HTML5's tokenizer does (libxml2's from 2.14; the older one
    differs only where this declines), and declines wherever tokenizers differ or it could lose
    its place:
    - a tag or attribute name of other characters than ``[A-Za-z0-9:_.-]`` or longer than
      ``MAX_NAME``; an attribute not after a blank; a ``/`` in a tag not before its ``>``;
    - an empty unquoted value, or one holding a quote, ``<``, ``=``, a backquote or a control
      byte; a quoted value holding ``<`` or never closed;
    - an end tag with more than its name and blanks;
    - a comment that ``<!-->``, ``<!--->`` or ``--!>`` ends; a CDATA section; a declaration
      with an odd number of ``"``;
    - a script holding ``<!--`` and ``<script`` (HTML5's escapes), ``</script`` or ``</style``
      followed by a name character (where older libxml2 ends them); a ``TEXT_IN_HTML5`` element
      holding ``<``;
    - a NUL byte, or markup cut off at the end.
    Text, comments, declarations, processing instructions, end tags, ``<meta>`` tags and the
    content of ``RAW_TEXT`` elements are copied as they are. tests/test_html_thin.py compares
    libxml2's trees on every page of the repository, crafted and random pages.

    With ``unwrap``, ``UNWRAPPED`` elements (``<span>``, ``<o:p>``: half a Word page's elements
    once their attributes are gone) are taken out too, their content left in place, where that
    changes nothing the reader reads. The promise is then the tree above with those elements
    stripped as ``lxml.etree.strip_tags`` strips them. An element is kept where:
    - it keeps an attribute, or a line break stands in one of its tags (the lines the reader
      works out from an element's position would move);
    - the text just inside or outside one of its tags (to the next element's tag, comments
      included) is whitespace alone: a text node the reader drops, which would join the text
      beside it (whitespace here: anything but printable ASCII and characters from U+4000,
      entities included);
    - another element's tag stands inside it (a block, a table or a link, where libxml2 closes
      what is open by what it meets; any element, whose position the reader's lines may go by).
    A ``<span/>``, an end tag that does not close the last one open, or elements nested more
    than ``_MAX_OPEN`` deep: the page is thinned without unwrapping."""
    if unwrap:
        out = _thin(data, True)
        if out is not _NO_UNWRAP:
            return out
    return _thin(data, False)


# Unwrapping: the tags of UNWRAPPED elements written, those to cut marked (a buffer kept from
# one page to the next: the GIL is held throughout, one user at a time).
cdef enum:
    _MAX_OPEN = 64

cdef struct _Tag:
    Py_ssize_t start, end
    Py_ssize_t partner  # the element's other tag (its end tag's index for a start tag's)
    bint cut

cdef _Tag* _tags = NULL
cdef Py_ssize_t _tags_cap = 0


cdef struct _Unwrap:
    bint on
    bint text, solid        # the text since the last element's tag: any; any but whitespace
    bint flat               # no line break since the last start tag of an element kept, nor
                            # the end tag of one (``_thin``: the lines the reader gives text)
    Py_ssize_t count        # the tags in ``_tags``
    int open                # the UNWRAPPED elements open, and of each:
    int name[_MAX_OPEN]     # its name (an index in UNWRAPPED),
    Py_ssize_t tag[_MAX_OPEN]  # its start tag (in ``_tags``),
    bint ok[_MAX_OPEN]      # whether it may still be taken out
    bint after_start        # the text after the last start tag settles the last one's ``ok``
    bint pending            # the element last closed, taken out if the text after it is not
    bint pending_ok         # whitespace alone
    Py_ssize_t pending_start, pending_end


cdef Py_ssize_t _add_tag(_Unwrap* u, Py_ssize_t start, Py_ssize_t end) except -1:
    global _tags, _tags_cap
    cdef _Tag* grown
    if u.count == _tags_cap:
        grown = <_Tag*>realloc(_tags, (2 * _tags_cap + 256) * sizeof(_Tag))
        if grown == NULL:
            raise MemoryError()
        _tags, _tags_cap = grown, 2 * _tags_cap + 256
    _tags[u.count].start, _tags[u.count].end, _tags[u.count].cut = start, end, False
    _tags[u.count].partner = u.count
    u.count += 1
    return u.count - 1


cdef bint _solid(const char* s, Py_ssize_t n) noexcept nogil:
    """Whether the text holds a character that is not whitespace: printable ASCII but ``&``
    (an entity may be a space: ``&nbsp;``, ``&#12288;``), or a character from U+4000 (its UTF-8
    lead byte E4 or above). Anything else counts as whitespace (NBSP, U+3000, Latin-1...)."""
    cdef Py_ssize_t k = 0
    cdef unsigned char b
    while k < n:
        b = <unsigned char>s[k]
        if b == b'&':
            k += 1
            while k < n and (_alpha(s[k]) or (b'0' <= s[k] <= b'9') or s[k] == b'#'):
                k += 1
            if k < n and s[k] == b';':
                k += 1
            continue
        if (0x21 <= b <= 0x7e) or b >= 0xe4:
            return True
        k += 1
    return False


cdef inline bint _has_break(const char* s, Py_ssize_t n) noexcept nogil:
    return memchr(s, b'\n', n) != NULL or memchr(s, b'\r', n) != NULL


cdef bint _element_tag(_Unwrap* u) noexcept:
    """At an element's tag: what waited for the text before it settled by that text; whether
    it was whitespace alone (``u``'s text is then counted afresh)."""
    cdef bint blank = u.text and not u.solid
    if u.after_start:
        if blank:
            u.ok[u.open - 1] = False
        u.after_start = False
    if u.pending:
        if u.pending_ok and not blank and u.flat:
            _tags[u.pending_start].cut = True
            _tags[u.pending_end].cut = True
        u.pending = False
    u.text = u.solid = False
    return blank


cdef void _spoil(_Unwrap* u) noexcept:
    """Every UNWRAPPED element open is kept."""
    cdef int x
    for x in range(u.open):
        u.ok[x] = False


cdef Py_ssize_t _cut(char* o, Py_ssize_t w, _Unwrap* u) noexcept:
    """The ``w`` bytes written without the tags marked cut (``_tags`` is in document order);
    how many are left. Where the tags cut one after the other would join whitespace to
    whitespace, their elements are kept: the reader collapses the whitespace of each text node
    apart (``a `` and `` b`` read ``a  b``, ``a  b`` reads ``a b``)."""
    cdef Py_ssize_t t = 0, first, last, x, dst = -1, src = 0
    while t < u.count:
        if not _tags[t].cut:
            t += 1
            continue
        first = last = t
        while last + 1 < u.count and _tags[last + 1].cut \
                and _tags[last + 1].start == _tags[last].end:
            last += 1
        if _tags[first].start > 0 and _html_space(o[_tags[first].start - 1]) \
                and _tags[last].end < w and _html_space(o[_tags[last].end]):
            for x in range(first, last + 1):
                _tags[x].cut = False
                _tags[_tags[x].partner].cut = False
        t = last + 1
    for t in range(u.count):
        if _tags[t].cut:
            if dst < 0:
                dst = _tags[t].start
            else:
                memmove(o + dst, o + src, _tags[t].start - src)
                dst += _tags[t].start - src
            src = _tags[t].end
    if dst < 0:
        return w
    memmove(o + dst, o + src, w - src)
    return dst + w - src


cdef object _thin(bytes data, bint unwrap):
    """``thin``; ``_NO_UNWRAP`` where ``unwrap`` cannot be kept."""
    cdef const char* p = data
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data)
    cdef bytes out = PyBytes_FromStringAndSize(NULL, n)
    cdef char* o = PyBytes_AS_STRING(out)
    cdef Py_ssize_t w = 0, i = 0, j, k, m, e, name0, name1, a0, a1, ws, raw, size, tag_w
    cdef const char* hit
    cdef char c, q
    cdef bint whole, kept, closed, blank = False, named
    cdef int cand = -1
    cdef bint cr = memchr(p, b'\r', n) != NULL
    cdef _Unwrap u
    if memchr(p, 0, n) != NULL:
        return None
    u.on, u.text, u.solid, u.count, u.open, u.after_start, u.pending = unwrap, 0, 0, 0, 0, 0, 0
    u.flat = False
    while i < n:
        hit = <const char*>memchr(p + i, b'<', n - i)
        j = n if hit == NULL else hit - p
        memcpy(o + w, p + i, j - i)
        w += j - i
        if u.on and j > i:
            u.text = True
            if not u.solid:
                u.solid = _solid(p + i, j - i)
            if u.flat and _has_break(p + i, j - i):
                u.flat = False
        i = j
        if i >= n:
            break
        if i + 1 >= n:
            return None
        c = p[i + 1]
        if _alpha(c):  # a start tag
            name0 = k = i + 1
            while k < n and _name_char(p[k]):
                k += 1
            name1 = k
            if k >= n or name1 - name0 > _MAX_NAME or not (
                    _blank(p[k]) or p[k] == b'>' or p[k] == b'/'):
                return None
            if _shown_otherwise(p + name0, name1 - name0):
                return None  # read as a browser shows it, from the whole page (html_page)
            whole = _which(p + name0, name1 - name0, &_whole) >= 0
            if u.on:
                blank = _element_tag(&u)  # (the text before this tag)
                cand = _which(p + name0, name1 - name0, &_unwrapped)
                if cand < 0 and u.open:
                    _spoil(&u)  # an element inside: the reader's lines may go by it
            kept = closed = False
            tag_w = w
            memcpy(o + w, p + i, k - i)
            w += k - i
            while True:
                ws = k
                while k < n and _blank(p[k]):
                    k += 1
                if k >= n:
                    return None
                c = p[k]
                if c == b'>':
                    k += 1
                    memcpy(o + w, p + ws, k - ws)
                    w += k - ws
                    break
                if c == b'/':
                    if k + 1 < n and p[k + 1] == b'>':
                        closed = True
                        k += 2
                        memcpy(o + w, p + ws, k - ws)
                        w += k - ws
                        break
                    return None
                if k == ws or not (_alpha(c) or c == b'_' or c == b':'):
                    return None
                a0 = k
                while k < n and _name_char(p[k]):
                    k += 1
                if k >= n or k - a0 > _MAX_NAME:
                    return None
                e = k  # where the attribute ends (its name's end, when it has no value)
                m = k
                while m < n and _blank(p[m]):
                    m += 1
                if m < n and p[m] == b'=':
                    m += 1
                    while m < n and _blank(p[m]):
                        m += 1
                    if m >= n:
                        return None
                    q = p[m]
                    if q == b'"' or q == b"'":
                        hit = <const char*>memchr(p + m + 1, q, n - m - 1)
                        if hit == NULL or memchr(p + m + 1, b'<', hit - p - m - 1) != NULL:
                            return None
                        e = hit - p + 1
                        if _is_ci(p + a0, k - a0, "style") and \
                                _hiding(p + m + 1, hit - p - m - 1):
                            return None  # a hidden element: read as a browser shows it
                    else:
                        a1 = m
                        while m < n and not _blank(p[m]) and p[m] != b'>':
                            q = p[m]
                            if q == b'"' or q == b"'" or q == b'<' or q == b'=' or q == b'`' \
                                    or <unsigned char>q < 0x20:
                                return None
                            m += 1
                        if m >= n or m == a1:
                            return None
                        e = m
                        if _is_ci(p + a0, k - a0, "style") and _hiding(p + a1, m - a1):
                            return None  # a hidden element: read as a browser shows it
                elif not (_blank(p[k]) or p[k] == b'>' or p[k] == b'/'):
                    return None  # a name ended by a character names do not hold
                if _is_ci(p + a0, k - a0, "hidden"):
                    return None  # a hidden element: read as a browser shows it
                if whole or _which(p + a0, k - a0, &_kept) >= 0:
                    kept = True
                    memcpy(o + w, p + ws, e - ws)
                    w += e - ws
                else:
                    w += _breaks(p + ws, e - ws, o + w, cr)  # its line breaks stay
                k = e
            i = k
            if u.on and cand >= 0:
                if closed or u.open == _MAX_OPEN:  # (``<span/>``: older libxml2 closes it)
                    return _NO_UNWRAP
                u.tag[u.open] = _add_tag(&u, tag_w, w)
                u.name[u.open] = cand
                u.ok[u.open] = not kept and not blank and u.flat \
                    and not _has_break(o + tag_w, w - tag_w)
                u.open += 1
                u.after_start = True
                continue
            if u.on:
                u.flat = not _has_break(o + tag_w, w - tag_w)  # (an element kept: an anchor)
            raw = _which(p + name0, name1 - name0, &_raw)
            if raw >= 0:
                size = name1 - name0
                k = n if _named(p + name0, size, b"plaintext") else _raw_end(
                    p, i, n, _raw.name[raw], size)
                if k < 0:
                    return None
                if raw >= _n_raw_always:
                    if memchr(p + i, b'<', k - i) != NULL:
                        return None
                elif size == 6 and _find(p, i, k, b"<!--") >= 0 \
                        and _find_tag(p, i, k, b"script", 6, False) >= 0:
                    return None  # a script's "<!--" and "<script" hide its end (HTML5)
                memcpy(o + w, p + i, k - i)
                w += k - i
                i = k
        elif c == b'/':  # an end tag: its name and blanks, copied
            k = name0 = i + 2
            named = False
            if k < n and _alpha(p[k]):
                while k < n and _name_char(p[k]):
                    k += 1
                named = True
                name1 = k
                while k < n and _blank(p[k]):
                    k += 1
                if k >= n or p[k] != b'>':
                    return None
            else:  # "</>" or a bogus comment: to the next ">"
                hit = <const char*>memchr(p + k, b'>', n - k)
                if hit == NULL:
                    return None
                k = hit - p
            k += 1
            if u.on:
                blank = _element_tag(&u)
                cand = _which(p + name0, name1 - name0, &_unwrapped) if named else -1
                if cand < 0:
                    u.flat = False
                    if u.open:
                        _spoil(&u)
            tag_w = w
            memcpy(o + w, p + i, k - i)
            w += k - i
            i = k
            if u.on and cand >= 0 and u.open:  # (a stray end tag is kept as it is)
                if u.name[u.open - 1] != cand:
                    return _NO_UNWRAP
                u.open -= 1
                u.pending = True
                u.pending_start = u.tag[u.open]
                u.pending_end = _add_tag(&u, tag_w, w)
                _tags[u.pending_start].partner = u.pending_end
                _tags[u.pending_end].partner = u.pending_start
                u.pending_ok = u.ok[u.open] and not blank and u.flat \
                    and not _has_break(o + tag_w, w - tag_w)
        elif c == b'!':
            if i + 3 < n and p[i + 2] == b'-' and p[i + 3] == b'-':  # a comment
                k = i + 4
                if k >= n or p[k] == b'>' or (k + 1 < n and p[k] == b'-' and p[k + 1] == b'>'):
                    return None
                e = _find(p, k, n, b"-->")
                if e < 0:
                    return None
                m = _find(p, k, e + 3, b"--!>")
                if m >= 0:
                    return None
                k = e + 3
            else:  # a doctype, Word's <![if …]>, a bogus comment: to the next ">"
                if i + 8 < n and p[i + 2] == b'[' and _named(p + i + 3, 5, b"cdata") \
                        and p[i + 8] == b'[':
                    return None
                hit = <const char*>memchr(p + i, b'>', n - i)
                if hit == NULL:
                    return None
                k = hit - p + 1
                e = 0
                for m in range(i, k):
                    e += p[m] == b'"'
                if e % 2:
                    return None
            memcpy(o + w, p + i, k - i)
            if u.flat and _has_break(p + i, k - i):  # (a comment's lines count)
                u.flat = False
            w += k - i
            i = k
        elif c == b'?':  # a processing instruction (a bogus comment): to the next ">"
            hit = <const char*>memchr(p + i, b'>', n - i)
            if hit == NULL:
                return None
            k = hit - p + 1
            memcpy(o + w, p + i, k - i)
            if u.flat and _has_break(p + i, k - i):  # (a comment's lines count)
                u.flat = False
            w += k - i
            i = k
        else:  # "<" as text
            o[w] = b'<'
            w += 1
            i += 1
            u.text = u.solid = True
    if u.on:
        _element_tag(&u)  # (the text after the last tag)
        w = _cut(o, w, &u)
    return out[:w]


cdef bint _xml_declared(const char* p, Py_ssize_t n) noexcept nogil:
    """Whether ``<?xml`` is in ``p[:n]``: found by its ``?``, rare in a page where ``<`` starts
    every tag (searching by ``<`` was a call of memchr per tag: 2% of the reader)."""
    cdef const char* hit = <const char*>memchr(p, b'?', n)
    cdef Py_ssize_t k
    while hit != NULL:
        k = hit - p
        if k >= 1 and p[k - 1] == b'<' and k + 4 <= n and memcmp(hit + 1, b"xml", 3) == 0:
            return True
        hit = <const char*>memchr(hit + 1, b'?', n - k - 1)
    return False


def plain_page(bytes data):
    """Whether the bytes are what ``html_page`` may parse as they are, without decoding them
    first: markup (a ``<``) without an XML declaration (``<?xml``), in strict UTF-8 (as Python
    decodes it: no overlong form, surrogate or code point past U+10FFFF) without a byte-order
    mark, a carriage return, a control character other than tab and line feed
    (``html_page._CONTROL_BYTES``), U+FFFE or U+FFFF. One pass, eight ASCII bytes at a time,
    and searches for ``<`` and ``?``."""
    cdef const unsigned char* p = <const unsigned char*>PyBytes_AS_STRING(data)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data), i = 0
    cdef unsigned long long x
    cdef unsigned char c, b1
    if n >= 3 and p[0] == 0xEF and p[1] == 0xBB and p[2] == 0xBF:
        return False
    if memchr(p, b'<', n) == NULL or _xml_declared(<const char*>p, n):
        return False
    while i < n:
        if i + 8 <= n:
            memcpy(&x, p + i, 8)
            # no byte with its high bit set, and none below 0x20 (tab and line feed are: look)
            if (x & 0x8080808080808080ULL) == 0 and \
                    ((x - 0x2020202020202020ULL) & ~x & 0x8080808080808080ULL) == 0:
                i += 8
                continue
        c = p[i]
        if c < 0x80:
            if c < 0x20 and c != 0x09 and c != 0x0A:
                return False
            i += 1
        elif c < 0xC2:
            return False
        elif c < 0xE0:
            if i + 1 >= n or (p[i + 1] & 0xC0) != 0x80:
                return False
            i += 2
        elif c < 0xF0:
            if i + 2 >= n:
                return False
            b1 = p[i + 1]
            if (c == 0xE0 and not (0xA0 <= b1 <= 0xBF)) or (c == 0xED and not (0x80 <= b1 <= 0x9F)) \
                    or (b1 & 0xC0) != 0x80 or (p[i + 2] & 0xC0) != 0x80:
                return False
            if c == 0xEF and b1 == 0xBF and (p[i + 2] == 0xBE or p[i + 2] == 0xBF):
                return False  # U+FFFE, U+FFFF
            i += 3
        elif c < 0xF5:
            if i + 3 >= n:
                return False
            b1 = p[i + 1]
            if (c == 0xF0 and not (0x90 <= b1 <= 0xBF)) or (c == 0xF4 and not (0x80 <= b1 <= 0x8F)) \
                    or (b1 & 0xC0) != 0x80 or (p[i + 2] & 0xC0) != 0x80 \
                    or (p[i + 3] & 0xC0) != 0x80:
                return False
            i += 4
        else:
            return False
    return True


# For the tests: the functions one by one on an element (None where the tree is not mirrored).

cdef object _mirrored(el, int which):
    """One of the functions below on ``el``'s node, or None where the tree is not mirrored."""
    cdef Node n = _c_node(el)
    try:
        _check(n)
    except Fallback:
        return None
    if which == 0:
        return _cell_text(n)
    if which == 1:
        return _lines_of(n)
    if which == 2:
        return _grid(n)
    return _blocks(n)


def cell_text(td):
    return _mirrored(td, 0)


def lines_of(el):
    return _mirrored(el, 1)


def table_to_grid(table):
    return _mirrored(table, 2)


def blocks(root):
    return _mirrored(root, 3)
