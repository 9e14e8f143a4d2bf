"""A PDF's pages as ``PageGeometry`` (chars with boxes, horizontal and vertical segments), read
with pypdfium2: the PDF reader's fast backend.

pdfium parses a page's content in C; this module asks it, page by page, for each char (its text,
its box, its baseline and font size) and each path object's segments, and describes them as
pdfplumber would (``_pdf_tables``: points from the top of the page; a char's box from its origin
to its advance, its bottom at the baseline and its top a font size above; a path split into its
subpaths, a two-point subpath a line, a closed four-sided axis-aligned one a rectangle with four
edges, any other a curve whose straight axis-aligned steps are edges). Raw calls (``pypdfium2.raw``)
rather than the helpers, which build an object per char and per path: the reader is measured
against pdfium's own floor (benchmarks/readers.py, ``floor_pdf``). The calls made per char and
per path segment go through bare prototypes of the same functions (``_Calls``: no declared
argument types, nothing converted), which halves their cost: a printed report makes some
2,000 of them per page, two per char and three more per run of text, whose runs are short in a
table (a cell's number is a text object of its own, whose baseline, size and angle are asked
at its first char). Most of a page's objects are those runs of text: walking the page's objects
for its paths, an object at the address of a run already met is passed over without asking its
type, and a path of one ruling line (two segments, most of a report's paths) is read without the
general steps.

Those two loops, the chars (``_chars``) and the path objects (``_objects``, ``_path_edges``), are
also compiled (``_pdfium_c.pyx``, Cython): the same calls, made from C at the addresses of the
functions pypdfium2 loaded, with pdfium's own signatures, and the same arithmetic. ``pages`` runs
them where the module is built, unless ``OGI_PURE_PYTHON=1``; the Python loops are the fallback
and the reference (tests/test_pdf_compiled.py: the same chars, runs and edges, exactly, on every
PDF of the tests and on PDFs made for it). Measured on 60 printed PDFs of the generated corpus
(the reader, ``readers.read``, median CPU ms per PDF; 2 cores, another build running now and
then), old code against new file by file::

    PYTHONPATH=$PWD python benchmarks/ab_load.py /work/main printed_pdf --files 60 --read
    # old (the Python loops) 16.20 ms, new (compiled) 12.64 ms, new/old 0.790
    # without --read (the whole load): 19.26 ms -> 16.16 ms, 0.821
    # again with the other build running (load 2.2 on 2 cores): 25.59 -> 20.01 ms, 0.769

and the same in one tree, compiled and ``OGI_PURE_PYTHON=1`` in turn: 16.84 -> 12.81 ms (0.783).
Each loop timed alone on the same PDFs, per PDF: ``_chars`` 4.35 ms -> 0.86 ms (0.17 of them its
text, read as before), ``_objects`` 1.40 ms -> 0.30 ms; the rest of ``pages`` is pdfium's
(loading the pages 4.3 ms, their text 2.1 ms).

A turned char (a stamp, a vertical label) is not upright, as pdfminer says; its box is the one
it covers on the page (pdfminer's box of a turned char is close, not the same; no PDF of the tests
has one).

``Unreadable`` is raised, and the reader falls back to pdfplumber, where pdfium cannot be trusted
to read the file as pdfplumber would (pdf_file.py's docstring lists the cases).

A font the file names without embedding it (宋体 as ``STSong-Light``, ``SimSun``) is drawn by
pdfium with a font of the machine that stands in for it; on a machine without a CJK font pdfium
finds none, and drops every Chinese char of that font from the page's text, silently: the
labels vanish and the numbers stay. Whether the machine has one is asked once per process, of a
PDF of one such char (``_CJK_PROBE``); where it has none, a page that uses a font not embedded
is ``Unreadable`` and pdfplumber, which needs no font to read text, reads the file, so that the
rows do not depend on the fonts of the machine that builds them.
"""

from __future__ import annotations

import ctypes
import re

from . import _compiled as compiled_loops
from ._pdf_tables import Char, Edge, PageGeometry


class Unreadable(Exception):
    """pdfium cannot read the file as pdfplumber would: the reader falls back to pdfplumber."""


def _raw():
    import pypdfium2.raw as raw

    return raw


def _probe_pdf() -> bytes:
    """A page with one char, 上, in a CID font the file names and does not embed (STSong-Light,
    as reportlab and many report systems print Chinese without embedding it)."""
    content = b"BT /F1 12 Tf 5 10 Td <4E0A> Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 60 30] /Resources << /Font << /F1 5 0 R >> "
        b">> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << "
        b"/Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_CJK_PROBE: list[bool] = []  # the answer of ``cjk_font_stands_in``, once asked


def cjk_font_stands_in() -> bool:
    """Whether pdfium finds a font of this machine to stand in for a CJK font that a PDF names
    without embedding it: the probe's char comes back as text."""
    if not _CJK_PROBE:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(_probe_pdf())
        try:
            page = document[0]
            textpage = page.get_textpage()
            _CJK_PROBE.append(textpage.get_text_range() == "上")
            textpage.close()
            page.close()
        finally:
            document.close()
    return _CJK_PROBE[0]


# pdfium's own fonts (Foxit's, built in) draw these when a file does not embed them, on any
# machine: the standard 14 of PDF and the Windows names it takes for them (Arial, ArialMT, …).
_BUILT_IN = frozenset({"Courier", "CourierNew", "CourierNewPSMT", "Helvetica", "Arial", "ArialMT",
                       "Times", "TimesNewRoman", "TimesNewRomanPSMT", "Symbol", "ZapfDingbats"})


def _font_not_built_in(raw, font) -> bool:
    """Whether a font the file does not embed is none of pdfium's own (``_BUILT_IN``, whatever
    its style: Times-Bold, Arial,Bold)."""
    size = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(max(size, 1))
    raw.FPDFFont_GetBaseFontName(font, buffer, size)
    name = buffer.value.decode("latin-1").split("+")[-1]
    return re.split(r"[-,]", name, maxsplit=1)[0] not in _BUILT_IN


def _uses_a_font_not_embedded(raw, page) -> bool:
    """Whether a text object of the page, in a form XObject too, is in a font the file does not
    embed and pdfium has none of its own for."""
    text, form = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_FORM
    stack = [(raw.FPDFPage_CountObjects(page), raw.FPDFPage_GetObject, page)]
    while stack:
        count, get, parent = stack.pop()
        for i in range(count):
            obj = get(parent, i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == text:
                font = raw.FPDFTextObj_GetFont(obj)
                if font and not raw.FPDFFont_GetIsEmbedded(font) and _font_not_built_in(raw, font):
                    return True
            elif kind == form:
                stack.append((raw.FPDFFormObj_CountObjects(obj), raw.FPDFFormObj_GetObject, obj))
    return False


def _matrix(raw, obj, m) -> tuple[float, ...]:
    """The object's matrix, read through ``m`` (an ``FS_MATRIX`` reused for the page)."""
    if not _calls(raw).matrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


class _Point:
    """Two floats pdfium writes a segment's point into, reused for the page's paths."""

    def __init__(self):
        self.x = ctypes.c_float()
        self.y = ctypes.c_float()
        self.px, self.py = ctypes.byref(self.x), ctypes.byref(self.y)


def _path_edges(raw, obj, m: tuple[float, ...], height: float,
                horizontal: list[Edge], vertical: list[Edge], xy: _Point) -> None:
    """A path object's edges, as pdfminer and pdfplumber make them.

    A path of two segments whose first does not close it and whose second is a line (most of a
    printed report's paths: one ruling line each) is the line from the first point to the
    second, whether the second closes it or not (``_subpath_edges`` reads "ml" and "mlh" the
    same way); its edge is made here without the general steps."""
    a, b, c, d, e, f = m
    x, y, px, py = xy.x, xy.y, xy.px, xy.py
    calls = _calls(raw)
    segment, kind_of, point_of, closes = (calls.segment, calls.segment_type, calls.point,
                                          calls.closes)
    moveto, bezierto = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO
    count = calls.count_segments(obj)
    if count == 2:
        first = segment(obj, 0)
        second = segment(obj, 1)
        kind = kind_of(second)
        if kind != moveto and kind != bezierto and not closes(first):
            point_of(first, px, py)
            X, Y = x.value, y.value
            x0, y0 = a * X + c * Y + e, height - (b * X + d * Y + f)
            point_of(second, px, py)
            X, Y = x.value, y.value
            x1, y1 = a * X + c * Y + e, height - (b * X + d * Y + f)
            edge = Edge(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            (horizontal if y0 == y1 else vertical).append(edge)  # pdfplumber: "v" unless flat
            return
    subpaths: list[list[tuple[str, float, float]]] = []
    bezier = 0
    for i in range(count):
        seg = segment(obj, i)
        kind = kind_of(seg)
        point_of(seg, px, py)
        X, Y = x.value, y.value
        point = (a * X + c * Y + e, height - (b * X + d * Y + f))
        if kind == moveto or not subpaths:
            subpaths.append([("m", *point)])
            bezier = 0
        elif kind == bezierto:
            bezier += 1
            if bezier % 3 == 0:  # pdfminer keeps a curve's end point, not its control points
                subpaths[-1].append(("c", *point))
        else:
            subpaths[-1].append(("l", *point))
        if closes(seg):
            subpaths[-1].append(("h", subpaths[-1][0][1], subpaths[-1][0][2]))
    for path in subpaths:
        _subpath_edges(path, horizontal, vertical)


def _subpath_edges(path: list[tuple[str, float, float]], horizontal: list[Edge],
                   vertical: list[Edge]) -> None:
    shape = "".join(p[0] for p in path)
    pts = [(p[1], p[2]) for p in path]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("ml", "mlh"):
        (x0, y0), (x1, y1) = pts[0], pts[1]
        edge = Edge(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        (horizontal if y0 == y1 else vertical).append(edge)  # pdfplumber: "v" unless flat
        return
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                 or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            left, right = min(x0, x2), max(x0, x2)
            top, bottom = min(y0, y2), max(y0, y2)
            horizontal.append(Edge(left, top, right, top))
            horizontal.append(Edge(left, bottom, right, bottom))
            vertical.append(Edge(left, top, left, bottom))
            vertical.append(Edge(right, top, right, bottom))
            return
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x0 == x1:
            vertical.append(Edge(x0, min(y0, y1), x1, max(y0, y1)))
        elif y0 == y1:
            horizontal.append(Edge(min(x0, x1), y0, max(x0, x1), y1))


def _objects(raw, page, height: float, horizontal: list[Edge], vertical: list[Edge],
             texts: set[int]) -> None:
    """The page's path objects as edges, those inside form XObjects included. ``texts`` are
    the addresses of text objects already known (the runs of the page's chars, ``_chars``):
    an object at one of them is a text object, passed over without asking its type (most of a
    page's objects are its runs of text)."""
    path, form = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
    calls = _calls(raw)
    kind_of = calls.object_type
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    m = raw.FS_MATRIX()
    xy = _Point()
    stack = [(raw.FPDFPage_CountObjects(page), calls.object_address, page, identity)]
    while stack:
        count, get, parent, outer = stack.pop()
        for i in range(count):
            address = get(parent, i)
            if address in texts or not address:
                continue
            obj = _Handle(address)
            kind = kind_of(obj)
            if kind == path:
                inner = _matrix(raw, obj, m)
                _path_edges(raw, obj, inner if outer is identity else _compose(inner, outer),
                            height, horizontal, vertical, xy)
            elif kind == form:
                stack.append((calls.form_count(obj), calls.form_object_address, obj,
                              _compose(_matrix(raw, obj, m), outer)))


class _Calls:
    """The calls made per char and per path segment (by the Python loops, where ``_pdfium_c``
    is not run), as bare ctypes prototypes: the same
    functions of pdfium as ``pypdfium2.raw``'s, declared without ``argtypes``, so that a call
    converts nothing (raw's declared argument types cost about half of each call, which is made
    a few hundred thousand times per report). Arguments are passed as ctypes objects (handles,
    ``byref``) or Python ints that fit a C int (indices) only: nothing is checked. Handles are
    returned as ``_Handle`` (a ``c_void_p`` subclass, kept as an object that can be passed back
    as it is); ``text_object`` returns the run's address as an int (or None), only compared.
    The prototypes are ``PYFUNCTYPE``'s, which keep the GIL through the call rather than let it
    go and take it back: each call is short (a char's box, a segment's point), and a sixth
    cheaper."""

    def __init__(self, raw):
        def bare(function, restype):
            address = ctypes.cast(function, ctypes.c_void_p).value
            call = ctypes.PYFUNCTYPE(restype)(address)
            call.argtypes = None
            return call

        c_int, c_double, c_float = ctypes.c_int, ctypes.c_double, ctypes.c_float
        self.get_text = bare(raw.FPDFText_GetText, c_int)
        self.loose_box = bare(raw.FPDFText_GetLooseCharBox, c_int)
        self.text_object = bare(raw.FPDFText_GetTextObject, ctypes.c_void_p)
        self.origin = bare(raw.FPDFText_GetCharOrigin, c_int)
        self.font_size = bare(raw.FPDFText_GetFontSize, c_double)
        self.angle = bare(raw.FPDFText_GetCharAngle, c_float)
        self.generated = bare(raw.FPDFText_IsGenerated, c_int)
        # a page object's address as an int (or None): compared with the runs' addresses, made
        # a handle (``_Handle``) only to be passed back
        self.object_address = bare(raw.FPDFPage_GetObject, ctypes.c_void_p)
        self.object_type = bare(raw.FPDFPageObj_GetType, c_int)
        self.matrix = bare(raw.FPDFPageObj_GetMatrix, c_int)
        self.count_segments = bare(raw.FPDFPath_CountSegments, c_int)
        self.segment = bare(raw.FPDFPath_GetPathSegment, _Handle)
        self.segment_type = bare(raw.FPDFPathSegment_GetType, c_int)
        self.point = bare(raw.FPDFPathSegment_GetPoint, c_int)
        self.closes = bare(raw.FPDFPathSegment_GetClose, c_int)
        self.form_count = bare(raw.FPDFFormObj_CountObjects, c_int)
        form_object = bare(raw.FPDFFormObj_GetObject, ctypes.c_void_p)
        # its index is an unsigned long: passed as one (forms are few)
        self.form_object_address = lambda form, i: form_object(form, ctypes.c_ulong(i))


class _Handle(ctypes.c_void_p):
    """A pointer returned by pdfium, kept as a ctypes object (a ``c_void_p`` subclass is not
    turned into an int) so that it is passed back whole to a call without ``argtypes``."""


_CALLS: list[_Calls] = []


def _calls(raw) -> _Calls:
    if not _CALLS:
        _CALLS.append(_Calls(raw))
    return _CALLS[0]


_COMPILED: list = []  # the bound module, or None where it is not built


def _compiled(raw):
    """``_pdfium_c`` bound to pypdfium2's library, or None: not built, or ``OGI_PURE_PYTHON=1``
    (the Python loops, the reference, are run)."""
    if compiled_loops.pure_python():
        return None
    if not _COMPILED:
        _pdfium_c = compiled_loops.load("_pdfium_c")
        if _pdfium_c is not None:
            # the addresses of the functions pypdfium2 loaded (its ctypes function pointers)
            _pdfium_c.bind({name: ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
                            for name in _pdfium_c.FUNCTIONS},
                           raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO,
                           raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM)
        _COMPILED.append(_pdfium_c)
    return _COMPILED[0]


def _address(handle) -> int:
    """A pdfium handle's address (the int the compiled loops take): the pointer read from the
    handle's own memory (``ctypes.cast`` would tie the handle and its result in a reference
    cycle, garbage for the collector at each page: tests/test_gc.py)."""
    return ctypes.c_void_p.from_buffer(handle).value or 0


def _text(raw, textpage) -> str:
    """The page's text, a char per index of the text page."""
    count = raw.FPDFText_CountChars(textpage)
    if count <= 0:
        return ""
    # the page's text as UTF-16 into a bytearray (a ctypes buffer of each page's own size would
    # be an array type of its own, made for each page)
    buffer = bytearray((count + 1) * 2)
    written = _calls(raw).get_text(textpage, 0, count,
                                   ctypes.byref(ctypes.c_char.from_buffer(buffer)))
    text = buffer[:max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")
    if len(text) != count:  # a char outside the BMP: two UTF-16 units
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    return text


def _chars(raw, textpage, height: float, texts: set[int]) -> list[Char]:
    """The page's chars. pdfium is asked for each char's loose box (origin to advance) and its
    text object; the baseline and the font size are asked once per text object (one run of text
    on one baseline), at its first char. The text objects' addresses are added to ``texts``.

    The reference of ``_pdfium_c.chars``, which does the same in C."""
    text = _text(raw, textpage)
    if not text:
        return []
    calls = _calls(raw)
    rect = raw.FS_RECTF()
    prect = ctypes.byref(rect)
    ox = ctypes.c_double()
    oy = ctypes.c_double()
    pox, poy = ctypes.byref(ox), ctypes.byref(oy)
    loose, origin, size_of = calls.loose_box, calls.origin, calls.font_size
    generated, text_object, angle_of = calls.generated, calls.text_object, calls.angle
    new = tuple.__new__
    chars: list[Char] = []
    append = chars.append
    run = None
    top = bottom = size = 0.0
    upright = True
    for i, ch in enumerate(text):
        if ch.isspace() and generated(textpage, i):
            continue  # pdfium's own line breaks and spaces (at a gap, a change of font)
        loose(textpage, i, prect)
        obj = text_object(textpage, i)
        if obj != run or obj is None:
            run = obj
            texts.add(obj)
            origin(textpage, i, pox, poy)
            size = size_of(textpage, i)
            bottom = height - oy.value
            top = bottom - size
            angle = angle_of(textpage, i)
            upright = angle < 0.001 or angle > 6.283  # radians, as pdfminer's ``upright``
        if upright:
            append(new(Char, (ch, rect.left, rect.right, top, bottom, size, True)))
        else:  # a turned char: its box as it stands on the page
            append(new(Char, (ch, rect.left, rect.right, height - rect.top, height - rect.bottom,
                              size, False)))
    return chars


def pages(data: bytes) -> list[PageGeometry]:
    """Each page's chars and segments. Raises ``Unreadable`` where pdfplumber must read it."""
    import pypdfium2 as pdfium

    raw = _raw()
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise Unreadable(str(e)) from None
    out = []
    try:
        for n in range(len(document)):
            try:
                page = document[n]
            except pdfium.PdfiumError as e:
                raise Unreadable(str(e)) from None
            try:
                out.append(_page(raw, page))
            finally:
                page.close()
    finally:
        document.close()
    if not any(p.chars for p in out):
        raise Unreadable("no text")  # a scan, or content pdfium could not decode
    return out


def _page(raw, page) -> PageGeometry:
    """The page's geometry: its chars and path objects read by ``_pdfium_c``'s loops where it is
    built, by the Python loops otherwise or with ``OGI_PURE_PYTHON=1``."""
    box = [ctypes.c_float() for _ in range(4)]
    if not raw.FPDFPage_GetMediaBox(page, *box):
        raise Unreadable("a page without a /MediaBox")
    left, bottom, right, top = (v.value for v in box)  # points are measured from ``top``
    if raw.FPDFPage_GetRotation(page):
        raise Unreadable("a turned page")
    width, height = raw.FPDF_GetPageWidthF(page), raw.FPDF_GetPageHeightF(page)
    seen = (left, bottom, right, top)
    crop = [ctypes.c_float() for _ in range(4)]
    if raw.FPDFPage_GetCropBox(page, *crop):
        seen = (max(left, crop[0].value), max(bottom, crop[1].value),
                min(right, crop[2].value), min(top, crop[3].value))
    if abs(width - (seen[2] - seen[0])) > 1 or abs(height - (seen[3] - seen[1])) > 1:
        # pdfium put the page on a default sheet: its /MediaBox is not four numbers
        raise Unreadable("a page whose /MediaBox pdfium could not use")
    if not cjk_font_stands_in() and _uses_a_font_not_embedded(raw, page.raw):
        raise Unreadable("a font not embedded in the file, and no CJK font on this machine to "
                         "stand in for it")
    textpage = raw.FPDFText_LoadPage(page)
    if not textpage:
        raise Unreadable("a page whose text pdfium could not load")
    texts: set[int] = set()
    compiled = _compiled(raw)
    try:
        if compiled is None:
            chars = _chars(raw, textpage, top, texts)
        else:
            chars = compiled.chars(_address(textpage), _text(raw, textpage), top, texts)
    finally:
        raw.FPDFText_ClosePage(textpage)
    horizontal: list[Edge] = []
    vertical: list[Edge] = []
    if compiled is None:
        _objects(raw, page.raw, top, horizontal, vertical, texts)
    else:
        compiled.objects(_address(page.raw), top, horizontal, vertical, texts)
    return PageGeometry(chars, horizontal, vertical)
