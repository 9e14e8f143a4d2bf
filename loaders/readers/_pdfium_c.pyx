# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# distutils: extra_compile_args = -ffp-contract=off
"""The two loops of ``_pdfium`` that call pdfium per char and per path segment, compiled: the
same calls (pdfium's own functions, at the addresses of pypdfium2's loaded library, which
``bind`` is given) and the same arithmetic, in C doubles as in Python floats (``-ffp-contract=off``:
no fused multiply-add, whose single rounding would change a point's last bit).

``_pdfium._chars`` and ``_pdfium._objects`` are the reference: ``chars`` and ``objects`` give
the same ``Char`` and ``Edge`` tuples in the same order and add the same addresses to ``texts``
(tests/test_pdf_compiled.py compares them on every PDF of the tests). Built with
``cythonize -i -3 loaders/readers/_pdfium_c.pyx``; without it ``_pdfium`` runs its Python loops.
(Where setuptools is older than pyproject.toml's ``license`` string, ``cythonize -i`` stops at
reading it; ``cython -3 --module-name loaders.readers._pdfium_c`` and the C compiler, with
``-ffp-contract=off``, build the same module.)
"""

from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_SET_ITEM
from cpython.long cimport PyLong_FromVoidPtr
from libc.stdint cimport uintptr_t
from libc.stdlib cimport malloc, realloc, free

from ._pdf_tables import Char, Edge


cdef extern from "Python.h":
    object PyType_GenericAlloc(PyTypeObject* type, Py_ssize_t nitems)
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)


# pdfium's structs and the signatures of its functions, as fpdfview.h, fpdf_text.h and
# fpdf_edit.h declare them (and pypdfium2.raw's bindings: FPDF_BOOL an int, handles pointers)
ctypedef struct FS_RECTF:
    float left
    float top
    float right
    float bottom

ctypedef struct FS_MATRIX:
    float a
    float b
    float c
    float d
    float e
    float f

# fpdf_text.h
ctypedef int (*loose_box_t)(void* text_page, int index, FS_RECTF* rect) noexcept nogil
ctypedef void* (*text_object_t)(void* text_page, int index) noexcept nogil
ctypedef int (*origin_t)(void* text_page, int index, double* x, double* y) noexcept nogil
ctypedef double (*font_size_t)(void* text_page, int index) noexcept nogil
ctypedef float (*angle_t)(void* text_page, int index) noexcept nogil
ctypedef int (*generated_t)(void* text_page, int index) noexcept nogil
# fpdfview.h, fpdf_edit.h
ctypedef int (*count_objects_t)(void* page) noexcept nogil
ctypedef void* (*page_object_t)(void* page, int index) noexcept nogil
ctypedef int (*object_type_t)(void* page_object) noexcept nogil
ctypedef int (*matrix_t)(void* page_object, FS_MATRIX* matrix) noexcept nogil
ctypedef int (*count_segments_t)(void* path) noexcept nogil
ctypedef void* (*segment_t)(void* path, int index) noexcept nogil
ctypedef int (*segment_type_t)(void* segment) noexcept nogil
ctypedef int (*point_t)(void* segment, float* x, float* y) noexcept nogil
ctypedef int (*closes_t)(void* segment) noexcept nogil
ctypedef int (*form_count_t)(void* form_object) noexcept nogil
ctypedef void* (*form_object_t)(void* form_object, unsigned long index) noexcept nogil

cdef loose_box_t _loose_box = NULL
cdef text_object_t _text_object = NULL
cdef origin_t _origin = NULL
cdef font_size_t _font_size = NULL
cdef angle_t _angle = NULL
cdef generated_t _generated = NULL
cdef count_objects_t _count_objects = NULL
cdef page_object_t _page_object = NULL
cdef object_type_t _object_type = NULL
cdef matrix_t _matrix = NULL
cdef count_segments_t _count_segments = NULL
cdef segment_t _segment = NULL
cdef segment_type_t _segment_type = NULL
cdef point_t _point = NULL
cdef closes_t _closes = NULL
cdef form_count_t _form_count = NULL
cdef form_object_t _form_object = NULL
cdef int _MOVETO = 2, _BEZIERTO = 1, _PATH = 2, _FORM = 5
cdef bint _bound = False

# the names ``bind`` is given the addresses of: pdfium's functions
FUNCTIONS = ("FPDFText_GetLooseCharBox", "FPDFText_GetTextObject", "FPDFText_GetCharOrigin",
             "FPDFText_GetFontSize", "FPDFText_GetCharAngle", "FPDFText_IsGenerated",
             "FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFPageObj_GetType",
             "FPDFPageObj_GetMatrix", "FPDFPath_CountSegments", "FPDFPath_GetPathSegment",
             "FPDFPathSegment_GetType", "FPDFPathSegment_GetPoint", "FPDFPathSegment_GetClose",
             "FPDFFormObj_CountObjects", "FPDFFormObj_GetObject")


def bind(dict addresses, int moveto, int bezierto, int path, int form):
    """Takes pdfium's functions at ``addresses`` (a name of ``FUNCTIONS`` -> its address in
    the loaded library, a non-zero int) and raw's constants of segment and object kinds."""
    global _loose_box, _text_object, _origin, _font_size, _angle, _generated
    global _count_objects, _page_object, _object_type, _matrix, _count_segments, _segment
    global _segment_type, _point, _closes, _form_count, _form_object
    global _MOVETO, _BEZIERTO, _PATH, _FORM, _bound
    cdef uintptr_t a
    for name in FUNCTIONS:
        if not addresses.get(name):
            raise ValueError(f"no address for {name}")
    _loose_box = <loose_box_t><uintptr_t>addresses["FPDFText_GetLooseCharBox"]
    _text_object = <text_object_t><uintptr_t>addresses["FPDFText_GetTextObject"]
    _origin = <origin_t><uintptr_t>addresses["FPDFText_GetCharOrigin"]
    _font_size = <font_size_t><uintptr_t>addresses["FPDFText_GetFontSize"]
    _angle = <angle_t><uintptr_t>addresses["FPDFText_GetCharAngle"]
    _generated = <generated_t><uintptr_t>addresses["FPDFText_IsGenerated"]
    _count_objects = <count_objects_t><uintptr_t>addresses["FPDFPage_CountObjects"]
    _page_object = <page_object_t><uintptr_t>addresses["FPDFPage_GetObject"]
    _object_type = <object_type_t><uintptr_t>addresses["FPDFPageObj_GetType"]
    _matrix = <matrix_t><uintptr_t>addresses["FPDFPageObj_GetMatrix"]
    _count_segments = <count_segments_t><uintptr_t>addresses["FPDFPath_CountSegments"]
    _segment = <segment_t><uintptr_t>addresses["FPDFPath_GetPathSegment"]
    _segment_type = <segment_type_t><uintptr_t>addresses["FPDFPathSegment_GetType"]
    _point = <point_t><uintptr_t>addresses["FPDFPathSegment_GetPoint"]
    _closes = <closes_t><uintptr_t>addresses["FPDFPathSegment_GetClose"]
    _form_count = <form_count_t><uintptr_t>addresses["FPDFFormObj_CountObjects"]
    _form_object = <form_object_t><uintptr_t>addresses["FPDFFormObj_GetObject"]
    _MOVETO, _BEZIERTO, _PATH, _FORM = moveto, bezierto, path, form
    _bound = True


cdef inline object _char(PyTypeObject* kind, object ch, object x0, object x1, object top,
                         object bottom, object size, object upright):
    """A ``Char`` made as ``tuple.__new__(Char, (...))`` makes it, without the tuple between."""
    t = PyType_GenericAlloc(kind, 7)
    Py_INCREF(ch); PyTuple_SET_ITEM(t, 0, ch)
    Py_INCREF(x0); PyTuple_SET_ITEM(t, 1, x0)
    Py_INCREF(x1); PyTuple_SET_ITEM(t, 2, x1)
    Py_INCREF(top); PyTuple_SET_ITEM(t, 3, top)
    Py_INCREF(bottom); PyTuple_SET_ITEM(t, 4, bottom)
    Py_INCREF(size); PyTuple_SET_ITEM(t, 5, size)
    Py_INCREF(upright); PyTuple_SET_ITEM(t, 6, upright)
    return t


def chars(uintptr_t textpage, str text, double height, set texts):
    """``_pdfium._chars``'s loop over ``text`` (the page's text, a char per index of the text
    page): the same chars, the same runs added to ``texts`` (an address as an int, a char
    without a text object as None)."""
    if not _bound:
        raise RuntimeError("_pdfium_c.bind was not called")
    cdef void* tp = <void*>textpage
    cdef PyTypeObject* kind = <PyTypeObject*>Char
    # zeros before pdfium's first write, kept where a call fails, as the Python loop's ctypes
    # buffers (made per page, zeroed) are
    cdef FS_RECTF rect
    rect.left = rect.top = rect.right = rect.bottom = 0.0
    cdef double ox = 0.0, oy = 0.0, top = 0.0, bottom = 0.0, size = 0.0
    cdef float angle
    cdef void* run = NULL
    cdef void* obj
    cdef bint upright = True, first = True
    cdef Py_ssize_t i, n = len(text)
    cdef Py_UCS4 c
    out = []
    # a run's top, bottom and size as the floats its chars share
    top_f = bottom_f = size_f = 0.0
    for i in range(n):
        c = text[i]
        if Py_UNICODE_ISSPACE(c) and _generated(tp, <int>i):
            continue  # pdfium's own line breaks and spaces (at a gap, a change of font)
        ch = text[i]
        _loose_box(tp, <int>i, &rect)
        obj = _text_object(tp, <int>i)
        if first or obj != run or obj == NULL:
            first = False
            run = obj
            texts.add(PyLong_FromVoidPtr(obj) if obj != NULL else None)
            _origin(tp, <int>i, &ox, &oy)
            size = _font_size(tp, <int>i)
            bottom = height - oy
            top = bottom - size
            angle = _angle(tp, <int>i)
            upright = angle < 0.001 or angle > 6.283  # radians, as pdfminer's ``upright``
            top_f, bottom_f, size_f = top, bottom, size
        if upright:
            out.append(_char(kind, ch, <double>rect.left, <double>rect.right, top_f, bottom_f,
                             size_f, True))
        else:  # a turned char: its box as it stands on the page
            out.append(_char(kind, ch, <double>rect.left, <double>rect.right,
                             height - <double>rect.top, height - <double>rect.bottom, size_f,
                             False))
    return out


cdef inline double _min(double a, double b) noexcept:
    return b if b < a else a  # Python's min(a, b): the first unless the second is less


cdef inline double _max(double a, double b) noexcept:
    return b if b > a else a


cdef inline object _edge(double x0, double top, double x1, double bottom):
    return tuple.__new__(Edge, (x0, top, x1, bottom))


cdef struct Points:
    # a path's points, subpath after subpath: "m", "l", "c" or "h" and where; ``copy``: an "h"
    # whose point is its subpath's first (Python's tuple of the same two floats, which a tuple
    # comparison finds equal to the first by identity)
    char* kinds
    double* xs
    double* ys
    bint* copy
    Py_ssize_t n, size
    Py_ssize_t* starts  # where each subpath starts, and where the last ends


cdef int _grow(Points* p, Py_ssize_t need) except -1:
    cdef Py_ssize_t size = p.size if p.size else 64
    while size < need:
        size *= 2
    if size == p.size:
        return 0
    cdef char* kinds = <char*>realloc(p.kinds, size * sizeof(char))
    if kinds == NULL:
        raise MemoryError()
    p.kinds = kinds
    cdef double* xs = <double*>realloc(p.xs, size * sizeof(double))
    if xs == NULL:
        raise MemoryError()
    p.xs = xs
    cdef double* ys = <double*>realloc(p.ys, size * sizeof(double))
    if ys == NULL:
        raise MemoryError()
    p.ys = ys
    cdef bint* copy = <bint*>realloc(p.copy, size * sizeof(bint))
    if copy == NULL:
        raise MemoryError()
    p.copy = copy
    cdef Py_ssize_t* starts = <Py_ssize_t*>realloc(p.starts, size * sizeof(Py_ssize_t))
    if starts == NULL:
        raise MemoryError()
    p.starts = starts
    p.size = size
    return 0


cdef inline void _add(Points* p, char kind, double x, double y, bint copy) noexcept:
    p.kinds[p.n] = kind
    p.xs[p.n] = x
    p.ys[p.n] = y
    p.copy[p.n] = copy
    p.n += 1


cdef int _subpath_edges(char* k, double* xs, double* ys, bint* copy, Py_ssize_t n,
                        list horizontal, list vertical) except -1:
    """``_pdfium._subpath_edges`` over the subpath's points ``[0, n)``."""
    cdef double x0, y0, x1, y1, x2, y2, x3, y3, left, right, top, bottom
    cdef Py_ssize_t i
    if n > 3 and k[n - 2] == b'l' and k[n - 1] == b'h' and xs[n - 2] == xs[0] \
            and ys[n - 2] == ys[0]:
        k[n - 2] = b'h'  # shape[:-2] + "h"; the last point dropped
        n -= 1
    if (n == 2 and k[0] == b'm' and k[1] == b'l') \
            or (n == 3 and k[0] == b'm' and k[1] == b'l' and k[2] == b'h'):
        x0, y0, x1, y1 = xs[0], ys[0], xs[1], ys[1]
        (horizontal if y0 == y1 else vertical).append(
            _edge(_min(x0, x1), _min(y0, y1), _max(x0, x1), _max(y0, y1)))
        return 0
    if n == 5 and k[0] == b'm' and k[1] == b'l' and k[2] == b'l' and k[3] == b'l' \
            and (k[4] == b'h' or k[4] == b'l'):
        x0, y0, x1, y1, x2, y2, x3, y3 = xs[0], ys[0], xs[1], ys[1], xs[2], ys[2], xs[3], ys[3]
        if (copy[4] or (xs[0] == xs[4] and ys[0] == ys[4])) \
                and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                     or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            left, right = _min(x0, x2), _max(x0, x2)
            top, bottom = _min(y0, y2), _max(y0, y2)
            horizontal.append(_edge(left, top, right, top))
            horizontal.append(_edge(left, bottom, right, bottom))
            vertical.append(_edge(left, top, left, bottom))
            vertical.append(_edge(right, top, right, bottom))
            return 0
    for i in range(n - 1):
        x0, y0, x1, y1 = xs[i], ys[i], xs[i + 1], ys[i + 1]
        if x0 == x1:
            vertical.append(_edge(x0, _min(y0, y1), x1, _max(y0, y1)))
        elif y0 == y1:
            horizontal.append(_edge(_min(x0, x1), y0, _max(x0, x1), y1))
    return 0


cdef int _path_edges(void* obj, double* m, double height, list horizontal, list vertical,
                     float* x, float* y, Points* p) except -1:
    """``_pdfium._path_edges``: ``x``, ``y`` the page's two floats a segment's point is
    written into (kept where a call fails, as the Python loop's are)."""
    cdef double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5]
    cdef double X, Y, x0, y0, x1, y1, px, py
    cdef int count = _count_segments(obj)
    cdef int i, kind, bezier = 0
    cdef void* first
    cdef void* second
    cdef void* seg
    cdef Py_ssize_t s, start, end, subpaths = 0
    if count == 2:
        first = _segment(obj, 0)
        second = _segment(obj, 1)
        kind = _segment_type(second)
        if kind != _MOVETO and kind != _BEZIERTO and not _closes(first):
            _point(first, x, y)
            X, Y = x[0], y[0]
            x0, y0 = a * X + c * Y + e, height - (b * X + d * Y + f)
            _point(second, x, y)
            X, Y = x[0], y[0]
            x1, y1 = a * X + c * Y + e, height - (b * X + d * Y + f)
            (horizontal if y0 == y1 else vertical).append(
                _edge(_min(x0, x1), _min(y0, y1), _max(x0, x1), _max(y0, y1)))
            return 0
    if count <= 0:
        return 0
    # at most two points per segment (its own and a closing "h"); a subpath starts at most
    # at each segment
    _grow(p, 2 * <Py_ssize_t>count + 1)
    p.n = 0
    cdef Py_ssize_t* starts = p.starts
    for i in range(count):
        seg = _segment(obj, i)
        kind = _segment_type(seg)
        _point(seg, x, y)
        X, Y = x[0], y[0]
        px, py = a * X + c * Y + e, height - (b * X + d * Y + f)
        if kind == _MOVETO or subpaths == 0:
            starts[subpaths] = p.n
            subpaths += 1
            _add(p, b'm', px, py, False)
            bezier = 0
        elif kind == _BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # pdfminer keeps a curve's end point, not its controls
                _add(p, b'c', px, py, False)
        else:
            _add(p, b'l', px, py, False)
        if _closes(seg):
            start = starts[subpaths - 1]
            _add(p, b'h', p.xs[start], p.ys[start], True)
    starts[subpaths] = p.n
    for s in range(subpaths):
        start, end = starts[s], starts[s + 1]
        _subpath_edges(p.kinds + start, p.xs + start, p.ys + start, p.copy + start,
                       end - start, horizontal, vertical)
    return 0


cdef inline bint _get_matrix(void* obj, double* out) noexcept:
    """``_pdfium._matrix``: the object's matrix, the identity where pdfium has none."""
    cdef FS_MATRIX m
    if not _matrix(obj, &m):
        out[0], out[1], out[2], out[3], out[4], out[5] = 1.0, 0.0, 0.0, 1.0, 0.0, 0.0
        return False
    out[0], out[1], out[2], out[3], out[4], out[5] = m.a, m.b, m.c, m.d, m.e, m.f
    return True


cdef inline void _compose(double* inner, double* outer, double* out) noexcept:
    cdef double a = inner[0], b = inner[1], c = inner[2], d = inner[3], e = inner[4]
    cdef double f = inner[5]
    cdef double A = outer[0], B = outer[1], C = outer[2], D = outer[3], E = outer[4]
    cdef double F = outer[5]
    out[0] = a * A + b * C
    out[1] = a * B + b * D
    out[2] = c * A + d * C
    out[3] = c * B + d * D
    out[4] = e * A + f * C + E
    out[5] = e * B + f * D + F


cdef struct Level:
    # a list of objects to walk: the page's (``form`` NULL) or a form's, and its matrix
    int count
    void* form
    double outer[6]
    bint identity  # the page's own level: its paths' matrices are taken as they are


def objects(uintptr_t page, double height, list horizontal, list vertical, set texts):
    """``_pdfium._objects``: the page's path objects as edges, those of form XObjects
    included, objects at an address in ``texts`` passed over; in the same order (the forms
    walked last first, after the level that holds them)."""
    if not _bound:
        raise RuntimeError("_pdfium_c.bind was not called")
    cdef float x = 0.0, y = 0.0
    cdef Points p
    p.kinds, p.xs, p.ys, p.copy, p.starts, p.n, p.size = NULL, NULL, NULL, NULL, NULL, 0, 0
    cdef Level* stack = NULL
    cdef Level* grown
    cdef Py_ssize_t depth = 0, room = 0
    cdef Level level
    cdef double inner[6]
    cdef double composed[6]
    cdef void* obj
    cdef int i, kind
    try:
        room = 8
        stack = <Level*>malloc(room * sizeof(Level))
        if stack == NULL:
            raise MemoryError()
        stack[0].count = _count_objects(<void*>page)
        stack[0].form = NULL
        stack[0].outer[:] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        stack[0].identity = True
        depth = 1
        while depth:
            depth -= 1
            level = stack[depth]
            for i in range(level.count):
                if level.form == NULL:
                    obj = _page_object(<void*>page, i)
                else:
                    obj = _form_object(level.form, <unsigned long>i)
                if obj == NULL or PyLong_FromVoidPtr(obj) in texts:
                    continue
                kind = _object_type(obj)
                if kind == _PATH:
                    _get_matrix(obj, inner)
                    if level.identity:
                        _path_edges(obj, inner, height, horizontal, vertical, &x, &y, &p)
                    else:
                        _compose(inner, level.outer, composed)
                        _path_edges(obj, composed, height, horizontal, vertical, &x, &y, &p)
                elif kind == _FORM:
                    if depth == room:
                        grown = <Level*>realloc(stack, 2 * room * sizeof(Level))
                        if grown == NULL:
                            raise MemoryError()
                        stack, room = grown, 2 * room
                    stack[depth].count = _form_count(obj)
                    stack[depth].form = obj
                    _get_matrix(obj, inner)
                    _compose(inner, level.outer, stack[depth].outer)
                    stack[depth].identity = False
                    depth += 1
    finally:
        free(stack)
        free(p.kinds)
        free(p.xs)
        free(p.ys)
        free(p.copy)
        free(p.starts)
