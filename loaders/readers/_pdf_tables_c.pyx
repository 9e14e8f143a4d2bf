# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# distutils: extra_compile_args = -ffp-contract=off
"""The table finder's geometry of ``_pdf_tables``, compiled: the intersections of a page's ruled
edges, the cells they close and the tables those cells make, in C doubles as in Python floats
(the same comparisons and the same sums in the same order; ``-ffp-contract=off``: no fused
multiply-add).

``_pdf_tables._cells(_pdf_tables._intersections(edges_v, edges_h))`` and
``_pdf_tables._tables_of`` are the reference: ``cells`` and ``tables_of`` give the same tuples
in the same order (tests/test_pdf_tables_compiled.py compares them on every PDF of the tests).
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
from libc.math cimport isfinite

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
