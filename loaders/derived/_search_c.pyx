# cython: language_level=3, boundscheck=False, wraparound=False
"""``search.segment`` in C: a text cut into the search index's tokens in one pass over its code
points, with no list of tokens and no string per token.

The Python code in ``search`` is the spec and the fallback: the runs of ``_WORD``
(``[\\u4e00-\\u9fff]+|[A-Za-z0-9]+``, left to right); a run of Han characters becomes its
overlapping pairs and its last character, a run of ASCII letters and digits the run
lower-cased; the tokens joined by one space. ``segment`` here writes the same tokens straight
into the result's buffer (a run of n Han characters: 3n - 2 code points, 3n - 1 with the space
before it; a run of ASCII n + 1: the result holds less than three times the text's length).

A text that is not a ``str`` (None from a NULL column, a number SQLite passes) goes to the Python
code, which gives what it always gave for it. Checked by tests/test_search_compiled.py (every
section of the repository's reports, random texts of every kind of character, long runs: equal
to the Python code's result).
"""

from cpython.mem cimport PyMem_Malloc, PyMem_Free

cdef extern from "Python.h":
    ctypedef unsigned short Py_UCS2
    int PyUnicode_KIND(object)
    void* PyUnicode_DATA(object)
    Py_ssize_t PyUnicode_GET_LENGTH(object)
    unsigned int PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    int PyUnicode_2BYTE_KIND


cdef inline bint _han(unsigned int c) nogil:
    return 0x4E00 <= c <= 0x9FFF


cdef inline bint _alnum(unsigned int c) nogil:
    return (0x30 <= c <= 0x39) or (0x41 <= c <= 0x5A) or (0x61 <= c <= 0x7A)


def segment(text):
    """``search.segment_python(text)``: made here for a ``str``, left to it for anything else."""
    if type(text) is not str:
        from .search import segment_python
        return segment_python(text)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    if n == 0:
        return ""
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    # every code point written is Han or ASCII: two bytes each hold them all
    cdef Py_UCS2* out = <Py_UCS2*>PyMem_Malloc(3 * n * sizeof(Py_UCS2))
    if out == NULL:
        raise MemoryError()
    cdef Py_ssize_t i = 0, j, k, w = 0
    cdef unsigned int c, d  # code points (not Cython's Py_UCS4, a character type)
    try:
        while i < n:
            c = PyUnicode_READ(kind, data, i)
            if _han(c):
                j = i + 1
                while j < n and _han(PyUnicode_READ(kind, data, j)):
                    j += 1
                if w:
                    out[w] = 0x20
                    w += 1
                for k in range(i, j - 1):  # the pairs, then the run's last character
                    out[w] = <Py_UCS2>PyUnicode_READ(kind, data, k)
                    out[w + 1] = <Py_UCS2>PyUnicode_READ(kind, data, k + 1)
                    out[w + 2] = 0x20
                    w += 3
                out[w] = <Py_UCS2>PyUnicode_READ(kind, data, j - 1)
                w += 1
                i = j
            elif _alnum(c):
                if w:
                    out[w] = 0x20
                    w += 1
                while i < n:
                    d = PyUnicode_READ(kind, data, i)
                    if not _alnum(d):
                        break
                    out[w] = <Py_UCS2>(d + 0x20 if 0x41 <= d <= 0x5A else d)
                    w += 1
                    i += 1
            else:
                i += 1
        return PyUnicode_FromKindAndData(PyUnicode_2BYTE_KIND, out, w)
    finally:
        PyMem_Free(out)
