# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# distutils: extra_compile_args = -ffp-contract=off
"""The table finder's geometry of ``_pdf_tables``, compiled: a page's ruled edges merged, their
intersections, the cells they close and the tables those cells make, in C doubles as in Python floats
(the same comparisons and the same sums in the same order; ``-ffp-contract=off``: no fused
multiply-add). Below them, compiled as the Python is written (the same operations on the same
objects): ``middles`` (``find_tables``' chars by their middles), ``table_part`` and
``cell_text``; and, their comparisons in C doubles, ``line_words`` (``_line_words``),
``outside`` (``pdf_file._outside``) and ``parts`` (``middles`` and each table's
``table_part`` at once, which ``find_tables`` runs; the two above are its fallback) and
``text_lines`` (where every line is flat; ``_pdf_tables.text_lines``' Python steps otherwise).

The Python functions are the reference: ``cells`` gives the tuples of
``_pdf_tables._cells(_pdf_tables._intersections(edges_v, edges_h))``, ``tables_of`` the lists of
``_pdf_tables._tables_of``, and each other function those of its namesake, in the same order (tests/test_pdf_tables_compiled.py compares them on every PDF of the tests).
Where an input is not what the reader gives (a value not a float, a NaN or an infinity, whose
comparisons and dict keys behave apart from C's), the Python functions are called instead.

Equal values are told apart as Python tells dict keys apart, by ``==``: 0.0 and -0.0 are one
point, kept as the value first met (a point as the first edge through it names it, a corner
as the first cell that has it), as the dicts of the Python functions keep their first key.

Built with ``cython -3 --module-name loaders.readers._pdf_tables_c`` and the C compiler, with
``-ffp-contract=off`` (or ``cythonize -i -3 loaders/readers/_pdf_tables_c.pyx`` where
setuptools reads pyproject.toml); without it ``_pdf_tables`` runs its Python steps.
"""

from cpython.float cimport PyFloat_CheckExact, PyFloat_AS_DOUBLE
from cpython.tuple cimport PyTuple_Check, PyTuple_GET_SIZE, PyTuple_GET_ITEM
from cpython.object cimport PyObject
from libc.stdlib cimport malloc, realloc, free, qsort
from libc.math cimport isfinite, fabs

from . import _pdf_tables as _py

DEF T = 3.0  # _pdf_tables.TOLERANCE


cdef struct Seg:
    double x0, top, x1, bottom
    Py_ssize_t order  # its place in the input (sorts stay stable)
    Py_ssize_t name

cdef struct Hit:  # an edge through a point, as _intersections finds it
    double x, y
    Py_ssize_t seq
    Py_ssize_t vname, hname

cdef struct Pt:
    double x, y
    Py_ssize_t start, end  # its hits
    Py_ssize_t col_end  # the end of its column (points of its x, after it down to there)
    Py_ssize_t row_next, row_end  # in ``row_order``: the points right of it, in its row

cdef struct Corner:
    double x, y
    Py_ssize_t seq  # cell * 4 + corner: the order the Python dict meets them


cdef int _cmp_top_x0(const void* a, const void* b) noexcept nogil:
    cdef const Seg* p = <const Seg*>a
    cdef const Seg* q = <const Seg*>b
    if p.top < q.top: return -1
    if p.top > q.top: return 1
    if p.x0 < q.x0: return -1
    if p.x0 > q.x0: return 1
    return (p.order > q.order) - (p.order < q.order)


cdef int _cmp_x0_top(const void* a, const void* b) noexcept nogil:
    cdef const Seg* p = <const Seg*>a
    cdef const Seg* q = <const Seg*>b
    if p.x0 < q.x0: return -1
    if p.x0 > q.x0: return 1
    if p.top < q.top: return -1
    if p.top > q.top: return 1
    return (p.order > q.order) - (p.order < q.order)


cdef int _cmp_all(const void* a, const void* b) noexcept nogil:
    # pointers to Segs: by all four values, then by place (equal edges side by side)
    cdef const Seg* p = (<const Seg**>a)[0]
    cdef const Seg* q = (<const Seg**>b)[0]
    if p.x0 < q.x0: return -1
    if p.x0 > q.x0: return 1
    if p.top < q.top: return -1
    if p.top > q.top: return 1
    if p.x1 < q.x1: return -1
    if p.x1 > q.x1: return 1
    if p.bottom < q.bottom: return -1
    if p.bottom > q.bottom: return 1
    return (p > q) - (p < q)


cdef int _cmp_hit(const void* a, const void* b) noexcept nogil:
    cdef const Hit* p = <const Hit*>a
    cdef const Hit* q = <const Hit*>b
    if p.x < q.x: return -1
    if p.x > q.x: return 1
    if p.y < q.y: return -1
    if p.y > q.y: return 1
    return (p.seq > q.seq) - (p.seq < q.seq)


cdef Pt* _sort_points  # the points ``_cmp_row`` orders (qsort takes no context)

cdef int _cmp_row(const void* a, const void* b) noexcept nogil:
    cdef Py_ssize_t i = (<const Py_ssize_t*>a)[0]
    cdef Py_ssize_t j = (<const Py_ssize_t*>b)[0]
    cdef double yi = _sort_points[i].y, yj = _sort_points[j].y
    if yi < yj: return -1
    if yi > yj: return 1
    return (i > j) - (i < j)


cdef int _cmp_corner(const void* a, const void* b) noexcept nogil:
    cdef const Corner* p = <const Corner*>a
    cdef const Corner* q = <const Corner*>b
    if p.x < q.x: return -1
    if p.x > q.x: return 1
    if p.y < q.y: return -1
    if p.y > q.y: return 1
    return (p.seq > q.seq) - (p.seq < q.seq)


cdef bint _read(list edges, Seg* out) except -1:
    """The edges' four values into ``out``; False where one is not a finite float."""
    cdef Py_ssize_t i, k
    cdef PyObject* item
    cdef double v[4]
    for i in range(len(edges)):
        e = edges[i]
        if not PyTuple_Check(e) or PyTuple_GET_SIZE(e) != 4:
            return False
        for k in range(4):
            item = PyTuple_GET_ITEM(e, k)
            if not PyFloat_CheckExact(<object>item):
                return False
            v[k] = PyFloat_AS_DOUBLE(<object>item)
            if not isfinite(v[k]):
                return False
        out[i].x0, out[i].top, out[i].x1, out[i].bottom = v[0], v[1], v[2], v[3]
        out[i].order = i
        out[i].name = 0
    return True


cdef inline bint _share(Hit* hits, Py_ssize_t a0, Py_ssize_t a1, Py_ssize_t b0, Py_ssize_t b1,
                        bint vertical) noexcept nogil:
    """Whether two points' hits share an edge (their sets of names are not disjoint)."""
    cdef Py_ssize_t i, j
    if vertical:
        for i in range(a0, a1):
            for j in range(b0, b1):
                if hits[i].vname == hits[j].vname:
                    return True
    else:
        for i in range(a0, a1):
            for j in range(b0, b1):
                if hits[i].hname == hits[j].hname:
                    return True
    return False


cdef Py_ssize_t _find(Pt* pts, Py_ssize_t n, double x, double y) noexcept nogil:
    """The point at (x, y) (``==``), or -1."""
    cdef Py_ssize_t lo = 0, hi = n, mid
    while lo < hi:
        mid = (lo + hi) // 2
        if pts[mid].x < x or (pts[mid].x == x and pts[mid].y < y):
            lo = mid + 1
        else:
            hi = mid
    if lo < n and pts[lo].x == x and pts[lo].y == y:
        return lo
    return -1


def cells(list edges_v, list edges_h):
    """``_cells(_intersections(edges_v, edges_h))``: the smallest rectangles closed by the
    edges, as (x0, top, x1, bottom) tuples in the same order."""
    cdef Py_ssize_t nv = len(edges_v), nh = len(edges_h), n_all = nv + nh
    cdef Seg* segs = <Seg*>malloc((n_all + 1) * sizeof(Seg))
    cdef Seg** by_value = <Seg**>malloc((n_all + 1) * sizeof(Seg*))
    cdef Hit* hits = NULL
    cdef Pt* pts = NULL
    cdef Py_ssize_t* row_order = NULL
    cdef Py_ssize_t* right = NULL
    cdef Py_ssize_t n_hits = 0, cap = 0, n_pts = 0, i, j, k, lo, hi, mid, name
    cdef Seg* hs
    cdef Seg* vs
    cdef Seg* v
    cdef double vx, vtop, vbottom, htop, x, y, by, key
    cdef Py_ssize_t b, r, c, n_right, next_right, found_r, found_b
    cdef Hit* hits_new
    global _sort_points
    try:
        if segs == NULL or by_value == NULL:
            raise MemoryError()
        hs, vs = segs, segs + nh
        if not _read(edges_h, hs) or not _read(edges_v, vs):
            return _py._cells(_py._intersections(edges_v, edges_h))
        qsort(hs, nh, sizeof(Seg), _cmp_top_x0)
        qsort(vs, nv, sizeof(Seg), _cmp_x0_top)
        # equal edges, one name (only whether two points share one is asked)
        for i in range(n_all):
            by_value[i] = segs + i
        qsort(by_value, n_all, sizeof(Seg*), _cmp_all)
        name = -1
        for i in range(n_all):
            if (i == 0 or by_value[i].x0 != by_value[i - 1].x0
                    or by_value[i].top != by_value[i - 1].top
                    or by_value[i].x1 != by_value[i - 1].x1
                    or by_value[i].bottom != by_value[i - 1].bottom):
                name += 1
            by_value[i].name = name
        # the intersections, in the order ``_intersections`` meets them
        for k in range(nv):
            v = vs + k
            vx, vtop, vbottom = v.x0, v.top, v.bottom
            key = vtop - T  # bisect_left(tops, vtop - t)
            lo, hi = 0, nh
            while lo < hi:
                mid = (lo + hi) // 2
                if hs[mid].top < key:
                    lo = mid + 1
                else:
                    hi = mid
            i = lo
            key = vbottom + T  # bisect_right(tops, vbottom + t)
            lo, hi = i, nh
            while lo < hi:
                mid = (lo + hi) // 2
                if key < hs[mid].top:
                    hi = mid
                else:
                    lo = mid + 1
            for j in range(i, lo):
                htop = hs[j].top
                if (vtop <= htop + T and vbottom >= htop - T
                        and hs[j].x0 - T <= vx and vx <= hs[j].x1 + T):
                    if n_hits == cap:
                        cap = cap * 2 + 64
                        hits_new = <Hit*>realloc(hits, cap * sizeof(Hit))
                        if hits_new == NULL:
                            raise MemoryError()
                        hits = hits_new
                    hits[n_hits].x, hits[n_hits].y = vx, htop
                    hits[n_hits].seq = n_hits
                    hits[n_hits].vname, hits[n_hits].hname = v.name, hs[j].name
                    n_hits += 1
        if n_hits == 0:
            return []
        # the points: equal (x, y) together, each kept as first met
        qsort(hits, n_hits, sizeof(Hit), _cmp_hit)
        pts = <Pt*>malloc(n_hits * sizeof(Pt))
        row_order = <Py_ssize_t*>malloc(n_hits * sizeof(Py_ssize_t))
        right = <Py_ssize_t*>malloc(n_hits * sizeof(Py_ssize_t))
        if pts == NULL or row_order == NULL or right == NULL:
            raise MemoryError()
        for i in range(n_hits):
            if n_pts and hits[i].x == pts[n_pts - 1].x and hits[i].y == pts[n_pts - 1].y:
                pts[n_pts - 1].end = i + 1
            else:
                pts[n_pts].x, pts[n_pts].y = hits[i].x, hits[i].y
                pts[n_pts].start, pts[n_pts].end = i, i + 1
                n_pts += 1
        # columns: the points of one x, in order of y
        i = 0
        while i < n_pts:
            j = i + 1
            while j < n_pts and pts[j].x == pts[i].x:
                j += 1
            for k in range(i, j):
                pts[k].col_end = j
            i = j
        # rows: the points of one y, in order of x
        for i in range(n_pts):
            row_order[i] = i
        _sort_points = pts
        qsort(row_order, n_pts, sizeof(Py_ssize_t), _cmp_row)
        i = 0
        while i < n_pts:
            j = i + 1
            while j < n_pts and pts[row_order[j]].y == pts[row_order[i]].y:
                j += 1
            for k in range(i, j):
                pts[row_order[k]].row_next = k + 1
                pts[row_order[k]].row_end = j
            i = j
        out = []
        for c in range(n_pts):
            n_right = 0
            next_right = pts[c].row_next
            found_r = found_b = -1
            for b in range(c + 1, pts[c].col_end):
                if not _share(hits, pts[c].start, pts[c].end, pts[b].start, pts[b].end, True):
                    continue
                by = pts[b].y
                for i in range(n_right):
                    r = right[i]
                    k = _find(pts, n_pts, pts[r].x, by)
                    if (k >= 0 and _share(hits, pts[k].start, pts[k].end,
                                          pts[r].start, pts[r].end, True)
                            and _share(hits, pts[k].start, pts[k].end,
                                       pts[b].start, pts[b].end, False)):
                        found_r, found_b = r, b
                        break
                while found_r < 0 and next_right < pts[c].row_end:
                    r = row_order[next_right]
                    next_right += 1
                    if not _share(hits, pts[c].start, pts[c].end, pts[r].start, pts[r].end,
                                  False):
                        continue
                    right[n_right] = r
                    n_right += 1
                    k = _find(pts, n_pts, pts[r].x, by)
                    if (k >= 0 and _share(hits, pts[k].start, pts[k].end,
                                          pts[r].start, pts[r].end, True)
                            and _share(hits, pts[k].start, pts[k].end,
                                       pts[b].start, pts[b].end, False)):
                        found_r, found_b = r, b
                if found_r >= 0:
                    break
            if found_r >= 0:
                out.append((pts[c].x, pts[c].y, pts[found_r].x, pts[found_b].y))
        return out
    finally:
        free(segs)
        free(by_value)
        free(hits)
        free(pts)
        free(row_order)
        free(right)


cdef Py_ssize_t _root(Py_ssize_t* parent, Py_ssize_t k) noexcept nogil:
    while parent[k] != k:
        parent[k] = parent[parent[k]]
        k = parent[k]
    return k


def tables_of(list cells):
    """``_tables_of(cells)``: the cells grouped into tables by shared corners (the same lists,
    of the same cell objects, in the same order)."""
    cdef Py_ssize_t n = len(cells), i, k, a, b, n_groups = 0
    cdef Corner* corners = <Corner*>malloc((4 * n + 1) * sizeof(Corner))
    cdef Py_ssize_t* parent = <Py_ssize_t*>malloc((n + 1) * sizeof(Py_ssize_t))
    cdef Py_ssize_t* group_of = <Py_ssize_t*>malloc((n + 1) * sizeof(Py_ssize_t))
    cdef Corner* keys = <Corner*>malloc((n + 1) * sizeof(Corner))  # a group's least (top, x0)
    cdef Corner* group_keys = <Corner*>malloc((n + 1) * sizeof(Corner))
    cdef Py_ssize_t* sizes = <Py_ssize_t*>malloc((n + 1) * sizeof(Py_ssize_t))
    cdef double v[4]
    cdef PyObject* item
    try:
        if (corners == NULL or parent == NULL or group_of == NULL or keys == NULL
                or group_keys == NULL or sizes == NULL):
            raise MemoryError()
        for i in range(n):
            cell = cells[i]
            if not PyTuple_Check(cell) or PyTuple_GET_SIZE(cell) != 4:
                return _py._tables_of(cells)
            for k in range(4):
                item = PyTuple_GET_ITEM(cell, k)
                if not PyFloat_CheckExact(<object>item):
                    return _py._tables_of(cells)
                v[k] = PyFloat_AS_DOUBLE(<object>item)
                if not isfinite(v[k]):
                    return _py._tables_of(cells)
            # the corners as ``_corners`` gives them
            corners[4 * i].x, corners[4 * i].y = v[0], v[1]
            corners[4 * i + 1].x, corners[4 * i + 1].y = v[0], v[3]
            corners[4 * i + 2].x, corners[4 * i + 2].y = v[2], v[1]
            corners[4 * i + 3].x, corners[4 * i + 3].y = v[2], v[3]
            for k in range(4):
                corners[4 * i + k].seq = 4 * i + k
            parent[i] = i
            # the key the tables are sorted by: (top, x0)
            keys[i].x, keys[i].y = v[1], v[0]
        # cells sharing a corner joined: a component's root is its least cell, as in
        # ``_tables_of`` (the greater root joined under the lesser)
        qsort(corners, 4 * n, sizeof(Corner), _cmp_corner)
        for i in range(1, 4 * n):
            if corners[i].x == corners[i - 1].x and corners[i].y == corners[i - 1].y:
                a = _root(parent, corners[i - 1].seq // 4)
                b = _root(parent, corners[i].seq // 4)
                if a < b:
                    parent[b] = a
                elif b < a:
                    parent[a] = b
        # groups in order of their least cell, each cell's in order
        for i in range(n):
            a = _root(parent, i)
            if a == i:
                group_of[i] = n_groups
                sizes[n_groups] = 0
                n_groups += 1
            else:
                group_of[i] = group_of[a]
        groups = [[] for _ in range(n_groups)]
        for i in range(n):
            k = group_of[i]
            if sizes[k] == 0 or keys[i].x < group_keys[k].x or (
                    keys[i].x == group_keys[k].x and keys[i].y < group_keys[k].y):
                group_keys[k].x, group_keys[k].y = keys[i].x, keys[i].y
            sizes[k] += 1
            (<list>groups[k]).append(cells[i])
        # tables of two cells or more, by their least (top, x0), stable
        k = 0
        for i in range(n_groups):
            if sizes[i] > 1:
                keys[k].x, keys[k].y, keys[k].seq = group_keys[i].x, group_keys[i].y, i
                k += 1
        qsort(keys, k, sizeof(Corner), _cmp_corner)
        return [groups[keys[i].seq] for i in range(k)]
    finally:
        free(corners)
        free(parent)
        free(group_of)
        free(keys)
        free(group_keys)
        free(sizes)


# ---------------------------------------------------------------------------------------------
# Text and table parts: the Python steps of ``_pdf_tables`` compiled as they are written (the
# same operations on the same Python objects, in the same order; typed only where a value is
# an index or a count), so that they give the same strings, tuples and lists
# ---------------------------------------------------------------------------------------------

from bisect import bisect_left
from operator import itemgetter

from ._pdf_tables import (LIGATURES, TEXT_TOLERANCE, PdfCell, TablePart, _clusters,
                          _rounded, _rows, _union, _word_lines)

_X0 = itemgetter(1)
_across = itemgetter(1)
_order = itemgetter(2)
_down = itemgetter(0)
_ligature_get = LIGATURES.get


def middles(chars, high, low):
    """``find_tables``' chars by their vertical middle, (middle, horizontal middle, order,
    char), those from ``high`` to before ``low``, sorted by their middles (stable)."""
    out = []
    for n, c in enumerate(chars):
        y = (c[3] + c[4]) / 2
        if high <= y < low:
            out.append((y, (c[1] + c[2]) / 2, n, c))
    out.sort(key=_down)
    return out


cdef inline object _one_char_text(text):
    return "" if text.isspace() else _ligature_get(text, text)


def cell_text(chars):
    """``_pdf_tables.cell_text``."""
    if len(chars) == 1:
        return _one_char_text(chars[0][0])
    t = TEXT_TOLERANCE
    tops = [c[3] for c in chars]
    if max(tops) - min(tops) <= t and all([c[6] for c in chars]):
        words = []
        word = []
        prev = None
        for c in sorted(chars, key=_X0):
            if c.text.isspace():
                if word:
                    words.append("".join(word))
                word, prev = [], None
                continue
            if word and (c.x0 < prev.x0 or c.x0 > prev.x1 + t):
                words.append("".join(word))
                word = []
            word.append(_ligature_get(c.text, c.text))
            prev = c
        if word:
            words.append("".join(word))
        return " ".join(words)
    # (``_word_lines`` compiled as written was slower than Python 3.11's own: its float
    # comparisons and sums are specialised by the interpreter, not by Cython on objects)
    lines_of_words, flat = _word_lines(chars)
    if flat:
        return "\n".join([" ".join([w[0] for w in line]) for line in lines_of_words if line])
    words = [w for line in lines_of_words for w in line]
    index = _clusters([w.top for w in words], TEXT_TOLERANCE)
    lines = {}
    for w in words:
        lines.setdefault(index[w.top], []).append(w.text)
    return "\n".join([" ".join(lines[n]) for n in sorted(lines)])


def table_part(cells, chars, ys, closing_ys):
    """``_pdf_tables.table_part``."""
    cdef Py_ssize_t i
    lefts, tops, rights, bottoms = zip(*cells)
    right_edge = max(rights)
    bbox = (min(lefts), min(tops), right_edge, max(bottoms))
    x0, top, x1, bottom = bbox
    inside = [m for m in chars[bisect_left(ys, top):bisect_left(ys, bottom)]
              if x0 <= m[1] < x1]
    middles = [m[0] for m in inside]
    edges = _union(lefts, [right_edge])
    r = _rounded(lefts, rights)
    new = tuple.__new__
    spans = [new(PdfCell, ("", True, r[edges[i]], r[edges[i + 1]]))
             for i in range(len(edges) - 1)]
    rows = []
    for row in _rows(cells):
        real = [c for c in row if c is not None]
        top, bottom = real[0][1], max([c[3] for c in real])
        band = inside[bisect_left(middles, top):bisect_left(middles, bottom)]
        if not band:
            rows.append([spans[i] if row[i] is None else
                         new(PdfCell, ("", False, r[row[i][0]], r[row[i][2]]))
                         for i in range(len(row))])
            continue
        x0, x1 = real[0][0], max([c[2] for c in real])
        row_chars = (band if x0 == bbox[0] and x1 == bbox[2] else
                     [m for m in band if x0 <= m[1] < x1])
        row_chars.sort(key=_across)
        across = [m[1] for m in row_chars]
        out = []
        for i in range(len(row)):
            cell = row[i]
            if cell is None:
                out.append(spans[i])
                continue
            left, high, right, low = cell
            mine = row_chars[bisect_left(across, left):bisect_left(across, right)]
            if mine and not (low == bottom and high == top):
                mine = [m for m in mine if high <= m[0] < low]
            if not mine:
                text = ""
            elif len(mine) == 1:
                text = _one_char_text(mine[0][3][0])
            else:
                mine.sort(key=_order)
                text = cell_text([m[3] for m in mine])
            out.append(new(PdfCell, (text, False, r[left], r[right])))
        rows.append(out)
    top, bottom = bbox[1], bbox[3]
    return bbox, TablePart(rows, [r[x] for x in edges],
                           open_top=any([abs(y - top) <= 1 for y in closing_ys]),
                           open_bottom=any([abs(y - bottom) <= 1 for y in closing_ys]))


cdef struct Box:
    double x0, top, x1, bottom


def outside(chars, boxes):
    """``pdf_file._outside(chars, boxes)``: the chars whose center lies in none of the boxes
    (edges included), in their order. A char whose box is not four floats, or a box that is not,
    is left to the Python function (as are all chars then)."""
    cdef Py_ssize_t n_boxes = len(boxes), i, k
    cdef Box* b = <Box*>malloc((n_boxes + 1) * sizeof(Box))
    cdef double v[4]
    cdef double cy, cx
    cdef PyObject* item
    cdef bint have_cx, inside
    try:
        if b == NULL:
            raise MemoryError()
        for i in range(n_boxes):
            box = boxes[i]
            if not PyTuple_Check(box) or PyTuple_GET_SIZE(box) != 4:
                return None
            for k in range(4):
                item = PyTuple_GET_ITEM(box, k)
                if not PyFloat_CheckExact(<object>item):
                    return None
                v[k] = PyFloat_AS_DOUBLE(<object>item)
            b[i].x0, b[i].top, b[i].x1, b[i].bottom = v[0], v[1], v[2], v[3]
        out = []
        for c in chars:
            if not PyTuple_Check(c) or PyTuple_GET_SIZE(c) < 5:
                return None
            for k in range(4):
                item = PyTuple_GET_ITEM(c, k + 1)
                if not PyFloat_CheckExact(<object>item):
                    return None
                v[k] = PyFloat_AS_DOUBLE(<object>item)
            cy = (v[2] + v[3]) / 2
            have_cx = False
            inside = False
            for i in range(n_boxes):
                if b[i].top <= cy and cy <= b[i].bottom:
                    if not have_cx:
                        cx = (v[0] + v[1]) / 2
                        have_cx = True
                    if b[i].x0 <= cx and cx <= b[i].x1:
                        inside = True
                        break
            if not inside:
                out.append(c)
        return out
    finally:
        free(b)


from ._pdf_tables import Word, _BLANK, _LIGATURE

cdef double* _grow(double* buffer, Py_ssize_t* cap, Py_ssize_t n) except NULL:
    cdef double* new_buffer
    if n > cap[0]:
        new_buffer = <double*>realloc(buffer, 3 * n * sizeof(double))
        if new_buffer == NULL:
            raise MemoryError()
        cap[0] = n
        return new_buffer
    return buffer

cdef double* _line_values = NULL  # x0, x1, top of a line's chars, three to a char
cdef Py_ssize_t _line_cap = 0


cdef inline Py_ssize_t _least(double* v, Py_ssize_t i, Py_ssize_t j) noexcept nogil:
    """The place of ``min`` of the tops ``i`` to ``j`` (the first least, as ``min`` keeps)."""
    cdef Py_ssize_t k, at = i
    for k in range(i + 1, j):
        if v[3 * k + 2] < v[3 * at + 2]:
            at = k
    return at


def line_words(line, top):
    """``_pdf_tables._line_words``: the same words (the same text, the same top object, the
    same chars) and the same ``within``; the comparisons of x0, x1 and tops in C doubles
    (left to the Python function where they are not floats)."""
    global _line_values
    cdef Py_ssize_t n = len(line), i, j, k, at, hi
    cdef double s, low_v, high_v, t = TEXT_TOLERANCE
    cdef double* v
    cdef bint within
    cdef PyObject* item
    new_word = tuple.__new__
    if n == 1:
        c = line[0]
        text = c[0]
        if text.isspace():
            return [], True
        return [new_word(Word, (_ligature_get(text, text), c[3], line))], True
    if not isinstance(line, list) or (top is not None and not PyFloat_CheckExact(top)):
        return _py._line_words(line, top)
    _line_values = _grow(_line_values, &_line_cap, n)
    v = _line_values
    for i in range(n):
        c = (<list>line)[i]
        if not PyTuple_Check(c) or PyTuple_GET_SIZE(c) < 4:
            return _py._line_words(line, top)
        for k in range(3):
            item = PyTuple_GET_ITEM(c, k + 1)
            if not PyFloat_CheckExact(<object>item):
                return _py._line_words(line, top)
            v[3 * i + k] = PyFloat_AS_DOUBLE(<object>item)
    if top is None:
        at = _least(v, 0, n)
        hi = 0
        for k in range(1, n):
            if v[3 * k + 2] > v[3 * hi + 2]:
                hi = k
        low_v, high_v = v[3 * at + 2], v[3 * hi + 2]
        s = 0.0  # sum(tops): 0 + the first, then each added
        for k in range(n):
            s += v[3 * k + 2]
        within = high_v - low_v <= t and high_v <= low_v + t and isfinite(s)
        low = (<tuple>line[at])[3]
    else:
        low = (<tuple>line[0])[3]
        s = PyFloat_AS_DOUBLE(top)
        within = s - s <= t and isfinite(s)
    cuts = []
    if within:
        for i in range(1, n):
            if v[3 * i] < v[3 * i - 3] or v[3 * i] > v[3 * i - 2] + t:
                cuts.append(i)
    else:
        for i in range(1, n):
            if (v[3 * i] < v[3 * i - 3] or v[3 * i] > v[3 * i - 2] + t
                    or fabs(v[3 * i + 2] - v[3 * i - 1]) > t):
                cuts.append(i)
    texts = [c[0] for c in line]
    joined = "".join(texts)
    if _BLANK.search(joined):
        blanks = [i for i in range(n) if (<str>texts[i]).isspace()]
    else:
        blanks = None
    if _LIGATURE.search(joined):
        texts = [_ligature_get(x, x) for x in texts]
        joined = "".join(texts)
    if not cuts and not blanks:
        return [new_word(Word, (joined, low, line))], within
    bounds = set(cuts)
    bounds.update((0, n))
    if blanks:
        bounds.update(blanks)
        bounds.update([b + 1 for b in blanks])
        blanks = set(blanks)
    bounds = sorted(bounds)
    words = []
    for k in range(len(bounds) - 1):
        i = bounds[k]
        j = bounds[k + 1]
        if blanks and i in blanks:
            continue
        if j - i == 1:
            words.append(new_word(Word, (texts[i], (<tuple>line[i])[3], [line[i]])))
        else:
            at = _least(v, i, j)
            words.append(new_word(Word, ("".join(texts[i:j]), (<tuple>line[at])[3],
                                         line[i:j])))
    return words, within


cdef struct Span:
    double pos, start, end
    Py_ssize_t cluster, order


cdef int _cmp_pos(const void* a, const void* b) noexcept nogil:
    cdef const Span* p = <const Span*>a
    cdef const Span* q = <const Span*>b
    if p.pos < q.pos: return -1
    if p.pos > q.pos: return 1
    return (p.order > q.order) - (p.order < q.order)


cdef int _cmp_cluster_start(const void* a, const void* b) noexcept nogil:
    cdef const Span* p = <const Span*>a
    cdef const Span* q = <const Span*>b
    if p.cluster != q.cluster: return (p.cluster > q.cluster) - (p.cluster < q.cluster)
    if p.start < q.start: return -1
    if p.start > q.start: return 1
    return (p.order > q.order) - (p.order < q.order)


cdef int _cmp_cluster_order(const void* a, const void* b) noexcept nogil:
    cdef const Span* p = <const Span*>a
    cdef const Span* q = <const Span*>b
    if p.cluster != q.cluster: return (p.cluster > q.cluster) - (p.cluster < q.cluster)
    return (p.order > q.order) - (p.order < q.order)


def merge_edges(edges, bint horizontal):
    """``_pdf_tables.merge_edges``: the same Edges in the same order, the positions averaged
    as there (summed in the edges' order from 0, divided by their count); left to the Python
    function where a value is not a finite float."""
    cdef Py_ssize_t n = len(edges), i, j, k, cluster
    cdef Py_ssize_t p, a, b
    cdef Seg* segs
    cdef Span* spans
    cdef double last, s, at, start, end
    if n == 0:
        return []
    p, a, b = (1, 0, 2) if horizontal else (0, 1, 3)
    segs = <Seg*>malloc(n * sizeof(Seg))
    spans = <Span*>malloc(n * sizeof(Span))
    try:
        if segs == NULL or spans == NULL:
            raise MemoryError()
        if not isinstance(edges, list) or not _read(edges, segs):
            return _py.merge_edges(edges, horizontal)
        for i in range(n):
            if horizontal:
                spans[i].pos, spans[i].start, spans[i].end = segs[i].top, segs[i].x0, segs[i].x1
            else:
                spans[i].pos, spans[i].start, spans[i].end = (segs[i].x0, segs[i].top,
                                                              segs[i].bottom)
            spans[i].order = i
        # the clusters of the positions (``_clusters``): sorted, chained within the tolerance
        qsort(spans, n, sizeof(Span), _cmp_pos)
        cluster = -1
        for i in range(n):
            if i == 0 or spans[i].pos > last + T:
                cluster += 1
            spans[i].cluster = cluster
            last = spans[i].pos
        out = []
        # each cluster's average position, its edges summed in their order
        qsort(spans, n, sizeof(Span), _cmp_cluster_order)
        i = 0
        while i < n:
            j = i
            s = 0.0
            while j < n and spans[j].cluster == spans[i].cluster:
                s += spans[j].pos
                j += 1
            at = s / <double>(j - i)
            # its spans by their start (stable), joined where they touch within the tolerance
            qsort(spans + i, j - i, sizeof(Span), _cmp_cluster_start)
            start, end = spans[i].start, spans[i].end
            for k in range(i + 1, j):
                if spans[k].start <= end + T:
                    if spans[k].end > end:
                        end = spans[k].end
                else:
                    out.append(_edge(start, at, end, horizontal))
                    start, end = spans[k].start, spans[k].end
            out.append(_edge(start, at, end, horizontal))
            i = j
        return out
    finally:
        free(segs)
        free(spans)


cdef object _edge(double start, double at, double end, bint horizontal):
    if horizontal:
        return tuple.__new__(_Edge, (start, at, end, at))
    return tuple.__new__(_Edge, (at, start, at, end))


from ._pdf_tables import Edge as _Edge


# ---------------------------------------------------------------------------------------------
# ``find_tables``' last steps in C doubles: the chars by their middles and each table's part
# (``middles`` then ``table_part`` for each table), Python objects made only for what is given
# back
# ---------------------------------------------------------------------------------------------

from cpython.unicode cimport PyUnicode_GET_LENGTH, PyUnicode_READ_CHAR, Py_UNICODE_ISSPACE
from cpython.dict cimport PyDict_GetItem
from libc.string cimport memcmp, memcpy
from ._pdf_tables import Char as _Char, SAME_X

cdef struct MC:  # a char of the page between the tables' top and bottom
    double y, x  # its vertical and horizontal middles
    double x0, x1, top
    Py_ssize_t n  # its order on the page
    PyObject* c  # the Char (held by the page's list)

cdef struct CB:  # a cell
    double x0, top, x1, bottom
    Py_ssize_t seq
    PyObject* c  # the tuple (held by the table's list)

cdef struct XV:  # an x of the table, for ``_union`` and its columns
    double x
    Py_ssize_t seq
    PyObject* o


cdef int _cmp_mc_y(const void* a, const void* b) noexcept nogil:
    cdef const MC* p = <const MC*>a
    cdef const MC* q = <const MC*>b
    if p.y < q.y: return -1
    if p.y > q.y: return 1
    return (p.n > q.n) - (p.n < q.n)


cdef int _cmp_mc_n(const void* a, const void* b) noexcept nogil:
    cdef const MC* p = <const MC*>a
    cdef const MC* q = <const MC*>b
    return (p.n > q.n) - (p.n < q.n)


cdef int _cmp_mc_x0(const void* a, const void* b) noexcept nogil:
    cdef const MC* p = <const MC*>a
    cdef const MC* q = <const MC*>b
    if p.x0 < q.x0: return -1
    if p.x0 > q.x0: return 1
    return (p.n > q.n) - (p.n < q.n)


cdef int _cmp_xv(const void* a, const void* b) noexcept nogil:
    cdef const XV* p = <const XV*>a
    cdef const XV* q = <const XV*>b
    if p.x < q.x: return -1
    if p.x > q.x: return 1
    return (p.seq > q.seq) - (p.seq < q.seq)


cdef int _cmp_cb_row(const void* a, const void* b) noexcept nogil:
    cdef const CB* p = <const CB*>a
    cdef const CB* q = <const CB*>b
    if p.top < q.top: return -1
    if p.top > q.top: return 1
    if p.x0 < q.x0: return -1
    if p.x0 > q.x0: return 1
    return (p.seq > q.seq) - (p.seq < q.seq)


cdef inline bint _isspace(str text) except -1:
    """``text.isspace()``."""
    if PyUnicode_GET_LENGTH(text) == 1:
        return Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(text, 0))
    return text.isspace()


cdef inline object _ligature(str text):
    """``LIGATURES.get(text, text)``."""
    cdef PyObject* found = PyDict_GetItem(LIGATURES, text)
    return text if found == NULL else <object>found


cdef Py_ssize_t _lower(MC* m, Py_ssize_t lo, Py_ssize_t hi, double y) noexcept nogil:
    """``bisect_left`` of ``y`` among the middles ``m[lo:hi].y``."""
    cdef Py_ssize_t mid
    while lo < hi:
        mid = (lo + hi) // 2
        if m[mid].y < y:
            lo = mid + 1
        else:
            hi = mid
    return lo


cdef object _rounded_x(object x, double v, double* keys, list values, Py_ssize_t* n):
    """``round(x, 2)``, once for each x of a table (told apart by their bits: 0.0 and -0.0
    are rounded each to its own sign, as ``_rounded`` does where both are among them)."""
    cdef Py_ssize_t i
    for i in range(n[0]):
        if memcmp(&keys[i], &v, sizeof(double)) == 0:
            return values[i]
    r = round(x, 2)
    keys[n[0]] = v
    n[0] += 1
    values.append(r)
    return r


cdef object _text_of(MC* mine, Py_ssize_t k):
    """``cell_text`` of the chars ``mine`` (in page order; sorted here by x0 where they make
    one line, the case taken in C)."""
    cdef Py_ssize_t i
    cdef double low = mine[0].top, high = mine[0].top, t = TEXT_TOLERANCE
    cdef MC* prev = NULL
    cdef bint one_line
    for i in range(1, k):
        if mine[i].top < low:
            low = mine[i].top
        if mine[i].top > high:
            high = mine[i].top
    one_line = high - low <= t
    if one_line:
        for i in range(k):
            if not (<tuple>mine[i].c)[6]:
                one_line = False
                break
    if not one_line:
        return cell_text([<object>mine[i].c for i in range(k)])
    qsort(mine, k, sizeof(MC), _cmp_mc_x0)
    words = []
    word = []
    for i in range(k):
        text = (<tuple>mine[i].c)[0]
        if _isspace(text):
            if word:
                words.append("".join(word))
            word = []
            prev = NULL
            continue
        if word and (mine[i].x0 < prev.x0 or mine[i].x0 > prev.x1 + t):
            words.append("".join(word))
            word = []
        word.append(_ligature(text))
        prev = &mine[i]
    if word:
        words.append("".join(word))
    return " ".join(words)


def parts(tables, chars, high, low, closing_ys):
    """``[table_part(cells, middles, heights, closing_ys) for cells in tables]`` where
    ``middles`` are ``middles(chars, high, low)`` and ``heights`` their vertical middles: the
    same bboxes (the same objects) and the same parts. A cell's chars are those whose middle
    lies in it (from its top to before its bottom, from its left to before its right), the
    chars ``table_part`` finds through its bands and slices; their text as ``cell_text`` has
    it (its case of one line in C, the others given to it). None where a value is not a finite
    float or a char not a ``Char`` of a ``str`` (the Python steps are run then)."""
    cdef Py_ssize_t n_chars, n_kept = 0, i, j, k, a, b, n_cells, n_x, n_edges, n_cols, lo, hi
    cdef Py_ssize_t n_ins, n_band, n_mine, r0, n_keys, last, a0, a1, a2, a3
    cdef double v[4]
    cdef double y, hv, lv, rtop, rbottom, bx0, btop, bx1, bbottom
    cdef PyObject* item
    cdef MC* m = NULL
    cdef MC* ins = NULL
    cdef MC* band = NULL
    cdef MC* mine = NULL
    cdef CB* cb = NULL
    cdef CB* by_row = NULL
    cdef XV* xv = NULL
    cdef double* cols = NULL
    cdef double* keys = NULL
    cdef Py_ssize_t* at = NULL
    if (type(tables) is not list or type(chars) is not list or not PyFloat_CheckExact(high)
            or not PyFloat_CheckExact(low)):
        return None
    hv, lv = PyFloat_AS_DOUBLE(high), PyFloat_AS_DOUBLE(low)
    if not isfinite(hv) or not isfinite(lv):
        return None
    n_chars = len(chars)
    try:
        m = <MC*>malloc((n_chars + 1) * sizeof(MC))
        ins = <MC*>malloc((n_chars + 1) * sizeof(MC))
        band = <MC*>malloc((n_chars + 1) * sizeof(MC))
        mine = <MC*>malloc((n_chars + 1) * sizeof(MC))
        if m == NULL or ins == NULL or band == NULL or mine == NULL:
            raise MemoryError()
        for i in range(n_chars):
            c = (<list>chars)[i]
            if type(c) is not _Char or type((<tuple>c)[0]) is not str:
                return None
            for k in range(4):
                item = PyTuple_GET_ITEM(c, k + 1)
                if not PyFloat_CheckExact(<object>item):
                    return None
                v[k] = PyFloat_AS_DOUBLE(<object>item)
                if not isfinite(v[k]):
                    return None
            y = (v[2] + v[3]) / 2
            if hv <= y and y < lv:
                m[n_kept].y = y
                m[n_kept].x = (v[0] + v[1]) / 2
                m[n_kept].x0, m[n_kept].x1, m[n_kept].top = v[0], v[1], v[2]
                m[n_kept].n = i
                m[n_kept].c = <PyObject*>c
                n_kept += 1
        qsort(m, n_kept, sizeof(MC), _cmp_mc_y)
        # the cells, read and checked before anything is made
        n_x = 0
        for cells in tables:
            if type(cells) is not list or not cells:
                return None
            for cell in <list>cells:
                if not PyTuple_Check(cell) or PyTuple_GET_SIZE(cell) != 4:
                    return None
                for k in range(4):
                    item = PyTuple_GET_ITEM(cell, k)
                    if not PyFloat_CheckExact(<object>item):
                        return None
                    if not isfinite(PyFloat_AS_DOUBLE(<object>item)):
                        return None
            if len(<list>cells) > n_x:
                n_x = len(<list>cells)
        cb = <CB*>malloc((n_x + 1) * sizeof(CB))
        by_row = <CB*>malloc((n_x + 1) * sizeof(CB))
        xv = <XV*>malloc((n_x + 1) * sizeof(XV))
        cols = <double*>malloc((n_x + 1) * sizeof(double))
        keys = <double*>malloc((2 * n_x + 2) * sizeof(double))
        at = <Py_ssize_t*>malloc((n_x + 1) * sizeof(Py_ssize_t))
        if (cb == NULL or by_row == NULL or xv == NULL or cols == NULL or keys == NULL
                or at == NULL):
            raise MemoryError()
        out = []
        for cells in tables:
            n_cells = len(<list>cells)
            a0 = a1 = a2 = a3 = 0
            for i in range(n_cells):
                cell = (<list>cells)[i]
                cb[i].x0 = PyFloat_AS_DOUBLE(<object>PyTuple_GET_ITEM(cell, 0))
                cb[i].top = PyFloat_AS_DOUBLE(<object>PyTuple_GET_ITEM(cell, 1))
                cb[i].x1 = PyFloat_AS_DOUBLE(<object>PyTuple_GET_ITEM(cell, 2))
                cb[i].bottom = PyFloat_AS_DOUBLE(<object>PyTuple_GET_ITEM(cell, 3))
                cb[i].seq = i
                cb[i].c = <PyObject*>cell
                # bbox: min, min, max, max, each the first of equal extremes
                if cb[i].x0 < cb[a0].x0: a0 = i
                if cb[i].top < cb[a1].top: a1 = i
                if cb[i].x1 > cb[a2].x1: a2 = i
                if cb[i].bottom > cb[a3].bottom: a3 = i
            right_edge = (<tuple>cb[a2].c)[2]
            bbox = ((<tuple>cb[a0].c)[0], (<tuple>cb[a1].c)[1], right_edge,
                    (<tuple>cb[a3].c)[3])
            bx0, btop, bx1, bbottom = cb[a0].x0, cb[a1].top, cb[a2].x1, cb[a3].bottom
            # ``inside``: the chars in the table, by their vertical middles
            n_ins = 0
            for i in range(_lower(m, 0, n_kept, btop), _lower(m, 0, n_kept, bbottom)):
                if bx0 <= m[i].x and m[i].x < bx1:
                    ins[n_ins] = m[i]
                    n_ins += 1
            # the rounded x's
            n_keys = 0
            rounded = []
            # ``_union(lefts, [right_edge])``: sorted (stable), each kept past SAME_X of the
            # last kept
            for i in range(n_cells):
                xv[i].x, xv[i].seq, xv[i].o = cb[i].x0, i, <PyObject*>(<tuple>cb[i].c)[0]
            xv[n_cells].x, xv[n_cells].seq = cb[a2].x1, n_cells
            xv[n_cells].o = <PyObject*>right_edge
            qsort(xv, n_cells + 1, sizeof(XV), _cmp_xv)
            edges = []
            last = 0
            for i in range(n_cells + 1):
                if i == 0 or xv[i].x - xv[last].x > SAME_X:
                    edges.append(_rounded_x(<object>xv[i].o, xv[i].x, keys, rounded, &n_keys))
                    last = i
            n_edges = len(edges)
            spans = [tuple.__new__(PdfCell, ("", True, edges[i], edges[i + 1]))
                     for i in range(n_edges - 1)]
            # ``_rows``: the columns, the lefts told apart by ``==`` (the right edge, sorted in
            # with them above, left out)
            n_cols = 0
            for i in range(n_cells + 1):
                if xv[i].seq == n_cells:
                    continue
                if n_cols == 0 or xv[i].x != cols[n_cols - 1]:
                    cols[n_cols] = xv[i].x
                    n_cols += 1
            for i in range(n_cells):
                by_row[i] = cb[i]
            qsort(by_row, n_cells, sizeof(CB), _cmp_cb_row)
            rows = []
            i = 0
            while i < n_cells:
                j = i + 1
                while j < n_cells and by_row[j].top == by_row[i].top:
                    j += 1
                for k in range(n_cols):
                    at[k] = -1
                for k in range(i, j):
                    lo, hi = 0, n_cols  # the cell's column: bisect_left among the columns
                    while lo < hi:
                        a = (lo + hi) // 2
                        if cols[a] < by_row[k].x0:
                            lo = a + 1
                        else:
                            hi = a
                    at[lo] = k  # (a later cell of the same x replaces the earlier, as a dict)
                # the row's first cell and its greatest bottom
                r0 = -1
                for k in range(n_cols):
                    if at[k] >= 0:
                        if r0 < 0:
                            r0 = at[k]
                            rbottom = by_row[r0].bottom
                        elif by_row[at[k]].bottom > rbottom:
                            rbottom = by_row[at[k]].bottom
                rtop = by_row[r0].top
                lo = _lower(ins, 0, n_ins, rtop)
                hi = _lower(ins, lo, n_ins, rbottom)
                n_band = hi - lo
                if n_band:
                    memcpy(band, &ins[lo], n_band * sizeof(MC))
                    qsort(band, n_band, sizeof(MC), _cmp_mc_n)
                row = []
                for k in range(n_cols):
                    if at[k] < 0:
                        if k >= len(spans):
                            raise IndexError("list index out of range")
                        row.append(spans[k])
                        continue
                    cell = <tuple>by_row[at[k]].c
                    n_mine = 0
                    for a in range(n_band):
                        if (by_row[at[k]].x0 <= band[a].x and band[a].x < by_row[at[k]].x1
                                and by_row[at[k]].top <= band[a].y
                                and band[a].y < by_row[at[k]].bottom):
                            mine[n_mine] = band[a]
                            n_mine += 1
                    if n_mine == 0:
                        text = ""
                    elif n_mine == 1:
                        text = (<tuple>mine[0].c)[0]
                        text = "" if _isspace(text) else _ligature(text)
                    else:
                        text = _text_of(mine, n_mine)
                    row.append(tuple.__new__(PdfCell, (
                        text, False,
                        _rounded_x(cell[0], by_row[at[k]].x0, keys, rounded, &n_keys),
                        _rounded_x(cell[2], by_row[at[k]].x1, keys, rounded, &n_keys))))
                rows.append(row)
                i = j
            top, bottom = bbox[1], bbox[3]
            out.append((bbox, TablePart(rows, edges,
                                        open_top=any([abs(z - top) <= 1 for z in closing_ys]),
                                        open_bottom=any([abs(z - bottom) <= 1
                                                         for z in closing_ys]))))
        return out
    finally:
        free(m)
        free(ins)
        free(band)
        free(mine)
        free(cb)
        free(by_row)
        free(xv)
        free(cols)
        free(keys)
        free(at)


# ---------------------------------------------------------------------------------------------
# ``text_lines`` where its lines are flat: the lines of ``_word_lines`` (runs of one top, their
# tops clustered, each line's chars sorted by x0) and their words (``_line_words``) found in C
# doubles, the text of each line made without its words' objects
# ---------------------------------------------------------------------------------------------

from ._pdf_tables import TextLine as _TextLine

cdef struct LC:  # a char of the page, for its line
    Py_ssize_t line  # its line's cluster
    double x0
    Py_ssize_t at  # its place in ``chars``


cdef int _cmp_lc(const void* a, const void* b) noexcept nogil:
    cdef const LC* p = <const LC*>a
    cdef const LC* q = <const LC*>b
    if p.line != q.line: return -1 if p.line < q.line else 1
    if p.x0 < q.x0: return -1
    if p.x0 > q.x0: return 1
    return (p.at > q.at) - (p.at < q.at)


cdef int _cmp_double(const void* a, const void* b) noexcept nogil:
    cdef double p = (<const double*>a)[0], q = (<const double*>b)[0]
    return (p > q) - (p < q)


def text_lines(chars):
    """``_pdf_tables.text_lines(chars)`` where every char is upright and every line flat (its
    tops within the tolerance both ways ``_line_words`` compares them): the same TextLines (the
    same text, the same top object, the same chars). A line's words are its chars between
    blanks, cut before a char that steps back or starts past the tolerance after the one
    before it; the line's text their texts (ligatures' letters) joined by a space, its top the
    first least of their chars' tops, its chars theirs. None where a char is not a ``Char`` of
    a ``str`` whose x0, x1 and top are finite floats and whose ``upright`` is True, or where a
    line is not flat (``text_lines`` is run then)."""
    cdef Py_ssize_t n, i, j, k, kk, r, n_runs, n_tops, lo, hi, mid, at, least, in_word
    cdef double v, last, low_v, high_v, s, t = TEXT_TOLERANCE
    cdef double* x0 = NULL
    cdef double* x1 = NULL
    cdef double* top = NULL
    cdef double* tops = NULL
    cdef Py_ssize_t* cluster = NULL  # a distinct top's cluster
    cdef Py_ssize_t* run_start = NULL
    cdef Py_ssize_t* runs_of = NULL  # a cluster's runs
    cdef LC* lc = NULL
    cdef PyObject* item
    cdef bint within
    if type(chars) is not list:
        return None
    n = len(chars)
    try:
        x0 = <double*>malloc((n + 1) * sizeof(double))
        x1 = <double*>malloc((n + 1) * sizeof(double))
        top = <double*>malloc((n + 1) * sizeof(double))
        tops = <double*>malloc((n + 1) * sizeof(double))
        cluster = <Py_ssize_t*>malloc((n + 1) * sizeof(Py_ssize_t))
        run_start = <Py_ssize_t*>malloc((n + 2) * sizeof(Py_ssize_t))
        runs_of = <Py_ssize_t*>malloc((n + 1) * sizeof(Py_ssize_t))
        lc = <LC*>malloc((n + 1) * sizeof(LC))
        if (x0 == NULL or x1 == NULL or top == NULL or tops == NULL or cluster == NULL
                or run_start == NULL or runs_of == NULL or lc == NULL):
            raise MemoryError()
        for i in range(n):
            c = (<list>chars)[i]
            if (type(c) is not _Char or type((<tuple>c)[0]) is not str
                    or <object>PyTuple_GET_ITEM(c, 6) is not True):
                return None
            for k in range(3):
                item = PyTuple_GET_ITEM(c, k + 1)
                if not PyFloat_CheckExact(<object>item):
                    return None
                v = PyFloat_AS_DOUBLE(<object>item)
                if not isfinite(v):
                    return None
                if k == 0:
                    x0[i] = v
                elif k == 1:
                    x1[i] = v
                else:
                    top[i] = v
        # the runs of one top (``groupby`` on the top: each equal to the run's first)
        n_runs = 0
        k = 0
        while k < n:
            run_start[n_runs] = k
            tops[n_runs] = top[k]
            n_runs += 1
            kk = k + 1
            while kk < n and top[kk] == top[k]:
                kk += 1
            k = kk
        run_start[n_runs] = n
        # ``_clusters`` of the runs' tops: the distinct values sorted, a cluster going on while
        # each is within the tolerance of the one before
        qsort(tops, n_runs, sizeof(double), _cmp_double)
        n_tops = 0
        for k in range(n_runs):
            if n_tops == 0 or tops[k] != tops[n_tops - 1]:
                tops[n_tops] = tops[k]
                n_tops += 1
        r = -1
        for k in range(n_tops):
            if k == 0 or tops[k] > last + t:
                r += 1
            cluster[k] = r
            last = tops[k]
        for k in range(r + 1):
            runs_of[k] = 0
        for k in range(n_runs):
            v = top[run_start[k]]
            lo, hi = 0, n_tops
            while lo < hi:
                mid = (lo + hi) // 2
                if tops[mid] < v:
                    lo = mid + 1
                else:
                    hi = mid
            runs_of[cluster[lo]] += 1
            for kk in range(run_start[k], run_start[k + 1]):
                lc[kk].line = cluster[lo]
                lc[kk].x0 = x0[kk]
                lc[kk].at = kk
        # each line's chars sorted by x0 (stable: in their order in ``chars``)
        qsort(lc, n, sizeof(LC), _cmp_lc)
        out = []
        k = 0
        while k < n:
            kk = k
            while kk < n and lc[kk].line == lc[k].line:
                kk += 1
            if kk - k > 1:
                # flat: ``_line_words``' ``within`` (one top: finite, as all are here)
                if runs_of[lc[k].line] > 1:
                    low_v = high_v = top[lc[k].at]
                    s = 0.0
                    for i in range(k, kk):
                        v = top[lc[i].at]
                        if v < low_v:
                            low_v = v
                        if v > high_v:
                            high_v = v
                        s += v
                    within = high_v - low_v <= t and high_v <= low_v + t and isfinite(s)
                    if not within:
                        return None
            words = []
            word = []
            members = []
            in_word = 0
            least = -1
            for i in range(k, kk):
                at = lc[i].at
                c = (<list>chars)[at]
                text = (<tuple>c)[0]
                if _isspace(text):
                    if in_word:
                        words.append("".join(word))
                        word = []
                        in_word = 0
                    continue
                if in_word and (x0[at] < x0[lc[i - 1].at] or x0[at] > x1[lc[i - 1].at] + t):
                    words.append("".join(word))
                    word = []
                    in_word = 0
                word.append(_ligature(text))
                in_word += 1
                members.append(c)
                if least < 0 or top[at] < top[least]:
                    least = at
            if in_word:
                words.append("".join(word))
            if words:
                line_text = (" ".join(words)).strip(" ")
                if line_text.strip():
                    out.append(tuple.__new__(_TextLine, (
                        line_text, (<tuple>(<list>chars)[least])[3], members)))
            k = kk
        return out
    finally:
        free(x0)
        free(x1)
        free(top)
        free(tops)
        free(cluster)
        free(run_start)
        free(runs_of)
        free(lc)
