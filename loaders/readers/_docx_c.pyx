# cython: language_level=3
"""The Word reader's walk in C: ``docx_file``'s ``_walk``, ``_rows``, ``_cell_text``,
``_paragraph_text``, ``_run_text``, ``_first`` and ``_int_val``, function for function, over
libxml2's nodes read through lxml's C API instead of lxml's proxies (a report's document.xml
holds ~15,000 elements, most of them run properties the walk steps over: making a proxy for each
cost more than the walk's own work).

The Python code in ``docx_file`` is the spec and the fallback: ``items`` gives None (and
``docx_file`` takes the Python path) for a tree this code does not mirror: a document with a DTD
(whose attribute defaults lxml's ``get`` would read, and whose entities may stay as entity
reference nodes, which lxml's iteration goes round), an attribute whose value is not plain text,
or a ``w:val`` beyond what a C integer holds. Only struct fields are read: libxml2's own functions
are not exported by lxml.

What mirrors what, in libxml2's terms (lxml 6):
- ``for e in el`` visits the children that lxml makes elements of: element, comment, processing
  instruction and entity reference nodes (``_isElement``), not text;
- ``e.tag == W + "t"`` is an element node whose namespace's href is W and whose name is ``t``;
- ``e.text`` is the run of text and CDATA nodes from the first child on (XInclude markers
  skipped, ``_textNodeOrSkip``), None when it is empty;
- ``e.get(W + "val")`` is the first attribute named ``val`` in the namespace W (libxml2's
  ``xmlGetNsProp``), its text children joined, None when there is none;
- ``el.iter(W + "t")`` is the element and its descendants in document order, those with the tag.

Checked by tests/test_docx_compiled.py (every Word file of the repository, Word files written
from the reports in every layout, crafted and random documents: ``read()`` here and with
``OGI_PURE_PYTHON=1`` give equal Documents) and benchmarks/same_values.py on the generated
corpus.
"""

from libc.string cimport strcmp, strncmp, memcpy, memchr, memcmp, strlen
from libc.stdlib cimport free, realloc
from cpython.unicode cimport PyUnicode_DecodeUTF8
from cpython.bytes cimport PyBytes_FromStringAndSize, PyBytes_AS_STRING, PyBytes_GET_SIZE

cimport lxml.includes.etreepublic as cetree
from lxml.includes cimport tree
from lxml.includes.tree cimport xmlNode, xmlAttr, xmlNs

cetree.import_lxml__etree()

# The same as docx_file.W (tests/test_docx_compiled.py checks it).
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
cdef const char* _W_HREF = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

ctypedef xmlNode* Node

cdef enum:
    XINCLUDE_START = 19  # libxml2's XML_XINCLUDE_START / _END (lxml skips them in .text)
    XINCLUDE_END = 20


class Fallback(Exception):
    """A tree this code does not mirror: the Python path reads the document."""


# ---------------------------------------------------------------------------------------------
# Nodes
# ---------------------------------------------------------------------------------------------

cdef struct Walk:
    # One walk's state, on the C stack of the call from Python (no global: a thread that takes
    # the GIL while this one runs Python code, a finalizer, say, has its own).
    xmlNs* w_ns    # the namespace node last found to be W's (a few serve a whole document)
    char* buf      # text gathered as UTF-8, decoded once
    size_t len
    size_t cap


cdef inline bint _is_w(Walk* w, xmlNs* ns) noexcept:
    if ns is NULL:
        return False
    if ns is w.w_ns:
        return True
    if ns.href is not NULL and strcmp(<const char*>ns.href, _W_HREF) == 0:
        w.w_ns = ns
        return True
    return False


cdef inline bint _is(Walk* w, Node n, const char* name) noexcept:
    """Whether ``n.tag == W + name`` (an element of W's namespace with that name)."""
    return (n.type == tree.XML_ELEMENT_NODE and strcmp(<const char*>n.name, name) == 0
            and _is_w(w, n.ns))


cdef inline bint _w_element(Walk* w, Node n) noexcept:
    """An element in W's namespace (whose name then says which)."""
    return n.type == tree.XML_ELEMENT_NODE and _is_w(w, n.ns)


cdef inline bint _lxml_element(Node n) noexcept:
    """A node lxml's iteration over children visits (``_isElement``)."""
    return (n.type == tree.XML_ELEMENT_NODE or n.type == tree.XML_COMMENT_NODE
            or n.type == tree.XML_ENTITY_REF_NODE or n.type == tree.XML_PI_NODE)


cdef inline Node _text_node(Node c) noexcept:
    """lxml's ``_textNodeOrSkip``: ``c`` when it is text, past XInclude markers, else NULL."""
    while c is not NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            return c
        if c.type == XINCLUDE_START or c.type == XINCLUDE_END:
            c = c.next
            continue
        return NULL
    return NULL


cdef inline Node _after(Node n, Node top) noexcept:
    """The node after ``n`` in document order inside ``top`` (its children first)."""
    cdef Node c = n.children
    if c is not NULL and n.type == tree.XML_ELEMENT_NODE:
        return c
    while n is not top:
        if n.next is not NULL:
            return n.next
        n = n.parent
    return NULL


# ---------------------------------------------------------------------------------------------
# Text, gathered as UTF-8 in one buffer and decoded once
# ---------------------------------------------------------------------------------------------

cdef int _reserve(Walk* w, size_t more) except -1:
    cdef char* grown
    cdef size_t size = w.len + more
    if size <= w.cap:
        return 0
    grown = <char*>realloc(w.buf, size * 2 + 256)
    if grown is NULL:
        raise MemoryError()
    w.buf, w.cap = grown, size * 2 + 256
    return 0


cdef inline int _add(Walk* w, const char* s, size_t size) except -1:
    if w.len + size > w.cap:
        _reserve(w, size)
    memcpy(w.buf + w.len, s, size)
    w.len += size
    return 0


cdef inline int _add_char(Walk* w, char ch) except -1:
    if w.len + 1 > w.cap:
        _reserve(w, 1)
    w.buf[w.len] = ch
    w.len += 1
    return 0


cdef int _add_text(Walk* w, Node t) except -1:
    """``t.text or ""``: the run of text nodes from the element's first child."""
    cdef Node c = _text_node(t.children)
    while c is not NULL:
        _add(w, <const char*>c.content, _strlen(c.content))
        c = _text_node(c.next)
    return 0


cdef inline size_t _strlen(const unsigned char* s) noexcept:
    cdef size_t n = 0
    while s[n] != 0:
        n += 1
    return n


cdef str _take(Walk* w):
    """The buffer's text as a str; the buffer emptied."""
    cdef size_t size = w.len
    w.len = 0
    if size == 0:
        return ""
    return PyUnicode_DecodeUTF8(w.buf, size, NULL)


# ---------------------------------------------------------------------------------------------
# Attributes
# ---------------------------------------------------------------------------------------------

cdef xmlAttr* _attr(Walk* w, Node n, const char* name) noexcept:
    """The attribute ``el.get(W + name)`` reads (libxml2's ``xmlGetNsProp``), NULL for none."""
    cdef xmlAttr* a = n.properties
    while a is not NULL:
        if a.ns is not NULL and strcmp(<const char*>a.name, name) == 0 and _is_w(w, a.ns):
            return a
        a = a.next
    return NULL


cdef object _value(xmlAttr* a):
    """The attribute's value, as ``get`` gives it: None for no attribute."""
    cdef Node c
    cdef list parts
    if a is NULL:
        return None
    c = a.children
    if c is NULL:
        return ""
    parts = []
    while c is not NULL:
        if c.type != tree.XML_TEXT_NODE and c.type != tree.XML_CDATA_SECTION_NODE:
            raise Fallback("an attribute value that is not plain text")
        parts.append(PyUnicode_DecodeUTF8(<const char*>c.content, _strlen(c.content), NULL))
        c = c.next
    return parts[0] if len(parts) == 1 else "".join(parts)


cdef int _value_is(xmlAttr* a, const char* expected) except -1:
    """Whether the attribute's value is ``expected`` (1 or 0), compared in place: the text
    children one after the other against the expected bytes."""
    cdef Node c = a.children
    cdef size_t at = 0, size
    while c is not NULL:
        if c.type != tree.XML_TEXT_NODE and c.type != tree.XML_CDATA_SECTION_NODE:
            raise Fallback("an attribute value that is not plain text")
        size = _strlen(c.content)
        if size and strncmp(<const char*>c.content, expected + at, size) != 0:
            return 0
        at += size
        c = c.next
    return expected[at] == 0


cdef Py_ssize_t _int_val(Walk* w, Node el) except? -1:
    """``docx_file._int_val``: the element's ``w:val`` read by Python's ``int`` (which takes
    spaces, a sign, underscores and any Unicode digits), 0 when absent or not a number."""
    if el is NULL:
        return 0
    try:
        value = int(_value(_attr(w, el, "val")))
    except (TypeError, ValueError):
        return 0
    if not -(1 << 40) < value < (1 << 40):
        raise Fallback("a w:val too large")
    return value


cdef Node _first(Walk* w, Node parent, const char* name) noexcept:
    """``docx_file._first``: the first child with the tag ``W + name``."""
    cdef Node c = parent.children
    while c is not NULL:
        if _is(w, c, name):
            return c
        c = c.next
    return NULL


# ---------------------------------------------------------------------------------------------
# docx_file's walk
# ---------------------------------------------------------------------------------------------

cdef int _run_text(Walk* w, Node r) except -1:
    """``_run_text``, into the buffer."""
    cdef Node e = r.children
    cdef const char* tag
    cdef xmlAttr* kind
    while e is not NULL:
        if _w_element(w, e):
            tag = <const char*>e.name
            if strcmp(tag, "t") == 0:
                _add_text(w, e)
            elif strcmp(tag, "br") == 0:
                kind = _attr(w, e, "type")
                if kind is NULL or _value_is(kind, "textWrapping"):
                    _add_char(w, b'\n')  # (a page or column break: nothing)
            elif strcmp(tag, "tab") == 0 or strcmp(tag, "ptab") == 0:
                _add_char(w, b'\t')
            elif strcmp(tag, "cr") == 0:
                _add_char(w, b'\n')
            elif strcmp(tag, "noBreakHyphen") == 0:
                _add_char(w, b'-')
        e = e.next
    return 0


cdef int _hidden(Walk* w, Node r) except -1:
    """``docx_file._hidden``: a run whose properties hold ``w:vanish`` not turned off."""
    cdef Node props = _first(w, r, "rPr")
    cdef Node vanish
    cdef xmlAttr* val
    if props is NULL:
        return 0
    vanish = _first(w, props, "vanish")
    if vanish is NULL:
        return 0
    val = _attr(w, vanish, "val")
    if val is NULL:
        return 1
    return not (_value_is(val, "0") or _value_is(val, "false") or _value_is(val, "off"))


cdef bint _holds_runs(Walk* w, Node e) noexcept:
    """``e.tag in docx_file._RUN_HOLDERS``."""
    return (_is(w, e, "hyperlink") or _is(w, e, "ins") or _is(w, e, "moveTo")
            or _is(w, e, "fldSimple") or _is(w, e, "sdt") or _is(w, e, "sdtContent")
            or _is(w, e, "customXml") or _is(w, e, "smartTag") or _is(w, e, "dir")
            or _is(w, e, "bdo"))


cdef int _paragraph_text(Walk* w, Node p) except -1:
    """``_paragraph_text``, into the buffer: the runs it shows (``_runs_text``)."""
    return _runs_text(w, p)


cdef int _runs_text(Walk* w, Node parent) except -1:
    """``docx_file._runs_text``: the runs, hidden ones left out, and those of the elements that
    hold runs, at any depth (libxml2 parses no deeper than 256 without huge_tree)."""
    cdef Node e = parent.children
    while e is not NULL:
        if _is(w, e, "r"):
            if not _hidden(w, e):
                _run_text(w, e)
        elif _holds_runs(w, e):
            _runs_text(w, e)
        e = e.next
    return 0


cdef int _no_holder(Walk* w, Node n) except -1:
    """A content control or custom XML around a body's, a table's, a row's or a cell's parts
    (``docx_file._content``) is not mirrored: the Python walk reads the document."""
    if _is(w, n, "sdt") or _is(w, n, "customXml"):
        raise Fallback("a content control or custom XML around a part")
    return 0


cdef str _cell_text(Walk* w, Node tc):
    """``_cell_text``: the cell's paragraphs, a newline between each; where they show nothing,
    the one row of the one table inside it (``_one_row_text``)."""
    cdef Node p = tc.children
    cdef Node table = NULL
    cdef int tables = 0
    cdef bint first = True
    cdef str text, shown
    while p is not NULL:
        _no_holder(w, p)
        if _is(w, p, "tbl"):
            tables += 1
            table = p
        elif _is(w, p, "p"):
            if not first:
                _add_char(w, b'\n')
            first = False
            _paragraph_text(w, p)
        p = p.next
    text = _take(w)
    if tables == 1 and not text.strip():
        shown = _one_row_text(w, table)
        if shown:
            return shown
    return text


cdef str _one_row_text(Walk* w, Node tbl):
    """``docx_file._cell_text``'s table of one row: its cells' texts, a space between each;
    "" for a table of more rows or none."""
    cdef Node tr = tbl.children
    cdef Node row = NULL
    cdef Node c
    cdef int rows = 0
    cdef list parts = []
    cdef str t
    while tr is not NULL:
        _no_holder(w, tr)
        if _is(w, tr, "tr"):
            rows += 1
            row = tr
        tr = tr.next
    if rows != 1:
        return ""
    c = row.children
    while c is not NULL:
        _no_holder(w, c)
        if _is(w, c, "tc"):
            t = _cell_text(w, c).strip()
            if t:
                parts.append(t)
        c = c.next
    return " ".join(parts)


cdef list _rows(Walk* w, Node tbl):
    """``_rows``: each row as (text, is a position covered by a merged cell, x0, x1); rows of
    different widths as (text, covered) alone."""
    cdef list rows = []
    cdef list row
    cdef Node tr = tbl.children
    cdef Node tc
    cdef Node props
    cdef Node e
    cdef Node merge
    cdef Node span_el
    cdef xmlAttr* value
    cdef Py_ssize_t before, span, col, k, width = -1
    cdef bint ragged = False, continued
    while tr is not NULL:
        _no_holder(w, tr)
        if not _is(w, tr, "tr"):
            tr = tr.next
            continue
        props = _first(w, tr, "trPr")
        before = _int_val(w, _first(w, props, "gridBefore")) if props is not NULL else 0
        row = [("", True, k, k + 1) for k in range(before)]
        tc = tr.children
        while tc is not NULL:
            _no_holder(w, tc)
            if not _is(w, tc, "tc"):
                tc = tc.next
                continue
            merge = span_el = NULL
            # The cell's properties come first (CT_Tc), or not at all: the first child lxml
            # iterates over (a comment counts) is looked at alone.
            props = tc.children
            while props is not NULL and not _lxml_element(props):
                props = props.next
            if props is not NULL and _is(w, props, "tcPr"):
                e = props.children
                while e is not NULL:  # the first of each, as ``find`` takes it
                    if _w_element(w, e):
                        if merge is NULL and strcmp(<const char*>e.name, "vMerge") == 0:
                            merge = e
                        elif span_el is NULL and strcmp(<const char*>e.name, "gridSpan") == 0:
                            span_el = e
                    e = e.next
            # <w:vMerge/> with no value continues the merge above; "restart" begins one
            continued = False
            if merge is not NULL:
                value = _attr(w, merge, "val")
                continued = value is NULL or _value_is(value, "continue")
            col = len(row)
            span = _int_val(w, span_el)
            if span < 1:
                span = 1
            if continued:
                row.append(("", True, col, col + 1))
            else:
                row.append((_cell_text(w, tc), False, col, col + span))
            for k in range(1, span):
                row.append(("", True, col + k, col + k + 1))
            tc = tc.next
        if width == -1:
            width = len(row)
        elif len(row) != width:
            ragged = True
        rows.append(row)
        tr = tr.next
    if ragged:
        rows = [[cell[:2] for cell in row] for row in rows]
    return rows


cdef str _body_paragraph(Walk* w, Node p):
    """A paragraph of the body: every ``w:t`` below it, in document order."""
    cdef Node n = p.children
    while n is not NULL:
        if _is(w, n, "t"):
            _add_text(w, n)
        n = _after(n, p)
    return _take(w)


cdef list _walk(Walk* w, Node body):
    """``_walk``: the body's paragraphs and tables in order, nested tables after their table."""
    cdef list out = []
    cdef Node child = body.children
    cdef Node n
    while child is not NULL:
        _no_holder(w, child)
        if _is(w, child, "p"):
            out.append(("p", _body_paragraph(w, child)))
        elif _is(w, child, "tbl"):
            out.append(("t", _rows(w, child)))
            n = child.children
            while n is not NULL:
                if _is(w, n, "tbl"):
                    out.append(("t", _rows(w, n)))
                n = _after(n, child)
        child = child.next
    return out


cdef inline Node _c_node(el) except NULL:
    if not isinstance(el, cetree._Element):
        raise TypeError("an lxml element is needed")
    return (<cetree._Element>el)._c_node


cdef object _mirrored(el, int which):
    """One of the functions on ``el``'s node (-1: ``_walk``), or None where the tree is not
    mirrored."""
    cdef Node n = _c_node(el)
    cdef Walk w
    if n.type != tree.XML_ELEMENT_NODE or n.doc is NULL or n.doc.intSubset is not NULL:
        return None
    w.w_ns = NULL
    w.buf = NULL
    w.len = w.cap = 0
    try:
        if which == -1:
            return _walk(&w, n)
        if which == 0:
            return _cell_text(&w, n)
        if which == 1:
            _paragraph_text(&w, n)
            return _take(&w)
        if which == 2:
            _run_text(&w, n)
            return _take(&w)
        return _rows(&w, n)
    except Fallback:
        return None
    finally:
        free(w.buf)


def items(body):
    """``docx_file._walk`` of the document's ``w:body``: the items (``("p", text)``,
    ``("t", rows)``) in reading order. None when this code does not mirror the tree (the
    Python path reads it then)."""
    return _mirrored(body, -1)


# ---------------------------------------------------------------------------------------------
# document.xml without what no reader reads, before the parse
# ---------------------------------------------------------------------------------------------

# The elements ``thin`` takes out: a run's and a paragraph's properties (fonts, sizes, colours,
# spacing: most of a document.xml as Word writes it), which the reader never reads.
DROPPED = (b"w:rPr", b"w:pPr")
# What the reader finds below an element at any depth (``iter``: a paragraph's ``w:t``, a
# table's nested ``w:tbl``) and the elements that hold text: one inside a dropped element makes
# ``thin`` decline the document (the schema puts none there). Everything else the reader reads
# is a direct child of an element a dropped one cannot be (a run's ``w:tab``, a cell's
# ``w:tcPr``), so a tab stop in a paragraph's properties (``w:tabs/w:tab``) is not read.
READ = (b"w:t", b"w:tbl", b"w:body", b"w:p", b"w:r", b"w:tr", b"w:tc")
# The one declaration of W's namespace ``thin`` takes (the prefix ``w`` bound to W, and no
# other prefix or default namespace to it).
_W_DECLARATION = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_W_URI = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_DEPTH = 200  # deeper: declined (libxml2 refuses past 256 without huge_tree, thin or not)
cdef tuple _thin_names = (DROPPED, READ, _W_DECLARATION, _W_URI)  # (kept alive for these:)


cdef struct Names:
    int count
    const char* name[32]
    Py_ssize_t size[32]


cdef Names _dropped, _read


cdef void _fill(Names* names, tuple of):
    cdef bytes name
    names.count = 0
    for name in of:
        names.name[names.count] = name
        names.size[names.count] = len(name)
        names.count += 1


_fill(&_dropped, _thin_names[0])
_fill(&_read, _thin_names[1])
cdef const char* _declaration = _thin_names[2]
cdef const char* _uri = _thin_names[3]
cdef Py_ssize_t _uri_size = len(_thin_names[3])


cdef extern from "string.h":
    void* memmem(const void* haystack, size_t n, const void* needle, size_t k) nogil


cdef Py_ssize_t _find(const char* p, Py_ssize_t start, Py_ssize_t n, const char* what,
                      Py_ssize_t k) noexcept nogil:
    """The first place of the ``k`` bytes ``what`` in ``p[start:n]``, or -1."""
    cdef const char* hit
    if start >= n:
        return -1
    hit = <const char*>memmem(p + start, n - start, what, k)
    return -1 if hit == NULL else hit - p


cdef inline bint _same(const char* a, const char* b, Py_ssize_t n) noexcept nogil:
    """Whether the ``n`` bytes at ``a`` and ``b`` are equal (names: a loop, not a call)."""
    cdef Py_ssize_t i
    for i in range(n):
        if a[i] != b[i]:
            return False
    return True


cdef bint _among(const char* p, Py_ssize_t n, Names* names) noexcept nogil:
    """Whether the ``n`` bytes at ``p`` are one of the names."""
    cdef int i
    for i in range(names.count):
        if names.size[i] == n and _same(p, names.name[i], n):
            return True
    return False


cdef inline bint _xml_blank(char c) noexcept nogil:
    return c == b' ' or c == b'\n' or c == b'\t' or c == b'\r'


cdef Py_ssize_t _tag_end(const char* p, Py_ssize_t k, Py_ssize_t n) noexcept nogil:
    """The place of the ``>`` that ends the tag whose name ends at ``k`` (quoted values may hold
    ``>``); -1 at a ``<`` or the end."""
    cdef const char* hit
    cdef char c
    while k < n:
        c = p[k]
        if c == b'"' or c == b"'":
            hit = <const char*>memchr(p + k + 1, c, n - k - 1)
            if hit == NULL:
                return -1
            k = hit - p + 1
        elif c == b'>':
            return k
        elif c == b'<':
            return -1
        else:
            k += 1
    return -1


cdef Py_ssize_t _name_end(const char* p, Py_ssize_t k, Py_ssize_t n) noexcept nogil:
    while k < n and not _xml_blank(p[k]) and p[k] != b'/' and p[k] != b'>':
        k += 1
    return k


def thin(bytes data):
    """document.xml without ``DROPPED`` elements (``w:rPr``, ``w:pPr``: two thirds of Word's
    bytes, three fifths of libxml2's parse), for the reader to parse; None where it is not plain
    enough to be sure that the reader reads the same from it (then the document is parsed as it
    is): a DTD, a comment, a CDATA section, a processing instruction after the declaration, W's
    namespace declared other than once as ``w``, hidden text (``w:vanish``, in the run
    properties that are dropped), text or a ``READ`` element inside a dropped
    element, nesting deeper than ``MAX_DEPTH``, or a tag cut off. The elements around a dropped
    one, their text and what is between them are copied as they are; tests/test_docx_thin.py
    compares libxml2's trees and tests/test_docx_compiled.py the reader's output with and
    without it. What is inside a dropped element is not checked for well-formedness: a document
    whose only fault lies there (a duplicated attribute in a run's properties, say) is read where
    the whole document's parse would refuse it; Word writes none."""
    cdef const char* p = data
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data)
    cdef bytes out = PyBytes_FromStringAndSize(NULL, n)
    cdef char* o = PyBytes_AS_STRING(out)
    cdef Py_ssize_t w = 0, i = 0, j, k, m, e, name0, name1, depth = 0, nest, size
    cdef const char* hit
    cdef Py_ssize_t at
    if _find(p, 0, n, "<w:vanish", 9) >= 0:
        return None  # hidden text: the run properties say which runs (docx_file._hidden)
    at = _find(p, 0, n, _uri, _uri_size)
    if at < 10 or _find(p, at + 1, n, _uri, _uri_size) >= 0 or at + _uri_size >= n \
            or memcmp(p + at - 9, _declaration, 9 + _uri_size + 1) != 0 \
            or not _xml_blank(p[at - 10]):
        return None
    while i < n:
        hit = <const char*>memchr(p + i, b'<', n - i)
        j = n if hit == NULL else hit - p
        memcpy(o + w, p + i, j - i)
        w += j - i
        i = j
        if i >= n:
            break
        if i + 1 >= n:
            return None
        if p[i + 1] == b'!':  # a DTD, a comment, a CDATA section
            return None
        if p[i + 1] == b'?':
            if i != 0:
                return None
            k = _find(p, i, n, "?>", 2)
            if k < 0:
                return None
            k += 2
        elif p[i + 1] == b'/':
            hit = <const char*>memchr(p + i, b'>', n - i)
            if hit == NULL:
                return None
            k = hit - p + 1
            depth -= 1
        else:
            name0 = i + 1
            name1 = _name_end(p, name0, n)
            e = _tag_end(p, name1, n)
            if e < 0 or name1 == name0:
                return None
            if not _among(p + name0, name1 - name0, &_dropped):
                if p[e - 1] != b'/':
                    depth += 1
                    if depth > MAX_DEPTH:
                        return None
                k = e + 1
            else:
                size = name1 - name0
                k = e + 1
                nest = 0 if p[e - 1] == b'/' else 1
                while nest:  # to the end tag that closes it
                    hit = <const char*>memchr(p + k, b'<', n - k)
                    if hit == NULL:
                        return None
                    for m in range(k, hit - p):
                        if not _xml_blank(p[m]):
                            return None  # text in it
                    k = hit - p
                    if k + 1 >= n or p[k + 1] == b'?' or p[k + 1] == b'!':
                        return None
                    if p[k + 1] == b'/':
                        m = _name_end(p, k + 2, n)
                        hit = <const char*>memchr(p + m, b'>', n - m)
                        if hit == NULL:
                            return None
                        if m - k - 2 == size and _same(p + k + 2, p + name0, size):
                            nest -= 1
                        k = hit - p + 1
                    else:
                        m = _name_end(p, k + 1, n)
                        if _among(p + k + 1, m - k - 1, &_read):
                            return None
                        e = _tag_end(p, m, n)
                        if e < 0:
                            return None
                        if p[e - 1] != b'/' and m - k - 1 == size \
                                and _same(p + k + 1, p + name0, size):
                            nest += 1
                            if depth + nest > MAX_DEPTH:
                                return None
                        k = e + 1
                i = k
                continue  # nothing of it copied
        memcpy(o + w, p + i, k - i)
        w += k - i
        i = k
    return out[:w]


# For the tests: the functions one by one on an element (None where the tree is not mirrored).

def cell_text(tc):
    return _mirrored(tc, 0)


def paragraph_text(p):
    return _mirrored(p, 1)


def run_text(r):
    return _mirrored(r, 2)


def rows(tbl):
    return _mirrored(tbl, 3)
