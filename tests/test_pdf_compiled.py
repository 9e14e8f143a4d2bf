"""The compiled loops of the PDF reader (``loaders.readers._pdfium_c``) give what the Python loops
of ``_pdfium`` give, which are the reference: the same ``Char`` tuples in the same order and the
same text objects (``chars``), the same ``Edge`` tuples in the same order (``objects``), the
same ``PageGeometry`` from ``_pdfium.pages`` with and without ``OGI_PURE_PYTHON=1``.

Compared exactly: the ``repr`` of the lists (a float's repr is its exact value: -0.0 is not 0.0,
a bool is not an int). The PDFs: every PDF of the tests and of reports/, the cross-format PDFs
(each seed written by ``loaders.writers.to_pdf`` plain and in each layout) and PDFs made here
with reportlab: fonts and sizes (Type 1, TrueType, a CID font), runs of one char, gaps and line
breaks where pdfium puts spaces of its own, char and word spacing, turned text (90, 45, 180
degrees, and angles next to 0 and 360 either side of ``upright``'s bounds), an empty page,
lines, rectangles (``re``, and four lines back to the start, closed or not), curves, paths of
several subpaths, turned and scaled paths, form XObjects (nested, moved and scaled).

Skipped where the module is not built (``cythonize -i -3 loaders/readers/_pdfium_c.pyx``),
failed instead with ``OGI_REQUIRE_COMPILED=1``.

That the comparison can fail was seen by building a broken module: with ``top_f`` given for
``size_f`` in ``chars``'s upright branch, test_chars_and_objects and test_pages failed on the
first PDF (each of its chars differing in ``size``); with a rectangle's first edge made
``_edge(left, top, right, bottom)`` for ``(left, top, right, top)``, both failed on the page of
paths of the reportlab PDF (the 9 PDFs of the tests have no closed four-sided path).
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import pytest

from conftest import FIXTURES, REPORTS, ROOT, built_module, needs_cjk_font
from loaders import writers
from loaders.model import Source
from loaders.readers import _pdfium, read

REPO_PDFS = sorted({*(ROOT / "tests").rglob("*.pdf"), *REPORTS.rglob("*.pdf")})
SEEDS = sorted(REPORTS.glob("0*.txt"))


@pytest.fixture(scope="module")
def compiled():
    _pdfium_c = built_module("_pdfium_c")
    saved = os.environ.pop("OGI_PURE_PYTHON", None)
    try:
        bound = _pdfium._compiled(_pdfium._raw())
    finally:
        if saved is not None:
            os.environ["OGI_PURE_PYTHON"] = saved
    assert bound is _pdfium_c
    return _pdfium_c


def _reportlab_pdfs(folder: Path) -> dict[str, Path]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    fonts = ["Helvetica", "Times-Roman", "Courier-Bold"]
    for name, path in (("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
                       ("Liberation", "/usr/share/fonts/truetype/liberation/"
                                      "LiberationSerif-Regular.ttf")):
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont(name, path))
            fonts.append(name)
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = {}

    # fonts, sizes, runs, pdfium's generated spaces and line breaks
    path = folder / "fonts.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    y = 800.0
    for font in fonts:
        for size in (6, 9.5, 12, 17.25):
            c.setFont(font, size)
            c.drawString(40, y, "Total 1,234.50 and (12) x")
            c.drawString(260, y, "gap")  # a gap: a space of pdfium's own
            for k, ch in enumerate("123"):  # a run of one char each
                c.drawString(320 + 12 * k, y, ch)
            y -= size + 4
    c.setFont("STSong-Light", 10.5)
    c.drawString(40, y, "政府信息公开 工作年度报告 2023年")
    y -= 20
    t = c.beginText(40, y)
    t.setFont("Helvetica", 10)
    t.setCharSpace(1.5)
    t.textLine("char spacing")
    t.setWordSpace(6)
    t.textLine("word spacing here")
    t.setHorizScale(70)
    t.textLine("narrow")
    t.setRise(3)
    t.textOut("raised ")
    t.setRise(0)
    t.textLine("back")
    c.drawText(t)
    c.showPage()
    c.showPage()  # an empty page

    # turned text
    for angle in (90, 45, 180, 270, 0.01, -0.01, 359.99, 0.05, -0.05, 0.1, -0.1):
        c.saveState()
        c.translate(300, 400)
        c.rotate(angle)
        c.setFont("Helvetica", 11)
        c.drawString(10, 10, f"turned {angle}")
        c.restoreState()
    c.setFont("Times-Roman", 9)
    c.drawString(40, 60, "upright again")
    c.showPage()

    # paths: lines, rectangles, curves, subpaths; turned and scaled
    c.setFont("Helvetica", 8)
    c.drawString(40, 800, "rules")
    c.line(40, 780, 500, 780)
    c.line(40, 700, 40, 780)
    c.line(100, 700, 130, 740)  # neither flat nor upright
    c.rect(60, 600, 200, 50)
    c.rect(300, 600, 0, 50)
    c.rect(60, 560, -40, -20, fill=1)
    for close in (True, False):
        p = c.beginPath()  # four lines back to the start
        p.moveTo(50, 500)
        p.lineTo(250, 500)
        p.lineTo(250, 450)
        p.lineTo(50, 450)
        p.lineTo(50, 500)
        if close:
            p.close()
        c.drawPath(p)
    p = c.beginPath()  # several subpaths, one closed twice, a curve
    p.moveTo(300, 500)
    p.lineTo(400, 500)
    p.lineTo(400, 450)
    p.close()
    p.lineTo(300, 420)
    p.close()
    p.moveTo(420, 500)
    p.curveTo(440, 520, 460, 480, 480, 500)
    p.lineTo(480, 450)
    p.moveTo(500, 500)
    p.lineTo(500, 500)
    c.drawPath(p)
    p = c.beginPath()  # a closed four-sided path that is not a rectangle
    p.moveTo(50, 400)
    p.lineTo(150, 400)
    p.lineTo(160, 350)
    p.lineTo(50, 350)
    p.close()
    c.drawPath(p)
    c.circle(300, 300, 40)
    c.ellipse(350, 280, 420, 330)
    c.roundRect(60, 200, 120, 60, 8)
    c.saveState()
    c.setDash(3, 2)
    c.line(40, 180, 300, 180)
    c.restoreState()
    for angle, scale in ((90, 1), (30, 1.5), (180, 0.5)):
        c.saveState()
        c.translate(400, 150)
        c.rotate(angle)
        c.scale(scale, scale)
        c.rect(0, 0, 60, 20)
        c.line(0, 30, 60, 30)
        c.restoreState()
    c.showPage()

    # form XObjects: moved, scaled, nested
    c.beginForm("cell")
    c.setFont("Helvetica", 9)
    c.drawString(2, 4, "in a form")
    c.rect(0, 0, 80, 16)
    c.line(0, 8, 80, 8)
    c.endForm()
    c.beginForm("row")
    c.doForm("cell")
    c.saveState()
    c.translate(80, 0)
    c.doForm("cell")
    c.restoreState()
    c.line(0, 16, 160, 16)
    c.endForm()
    c.setFont("Helvetica", 9)
    c.drawString(40, 800, "forms")
    for k in range(4):
        c.saveState()
        c.translate(40, 700 - 30 * k)
        if k == 2:
            c.scale(1.5, 1.25)
        if k == 3:
            c.rotate(90)
        c.doForm("row" if k % 2 else "cell")
        c.restoreState()
    c.showPage()
    c.save()
    out[path.name] = path
    return out


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    return compared_pdfs(tmp_path_factory.mktemp("compiled"))


def compared_pdfs(folder: Path) -> dict[str, Path]:
    """The PDFs the compiled loops are compared on (here and in tests/test_pdf_tables_compiled.py):
    every PDF of the tests and of reports/, the reportlab PDFs above, and each seed written by
    ``writers.to_pdf`` plain and in each layout. Those print Chinese in STSong-Light, not
    embedded, which pdfium draws with a font of the machine: they need one."""
    needs_cjk_font()
    out = {p.name: p for p in REPO_PDFS}
    out.update(_reportlab_pdfs(folder))
    documents = {seed: read(Source.from_path(seed)) for seed in SEEDS}
    for seed in SEEDS:
        for layout in (None, *writers.LAYOUTS):
            name = f"{seed.stem}.{layout or 'plain'}.pdf"
            try:
                writers.to_pdf(documents[seed], folder / name, layout=layout)
            except ValueError:  # a layout the seed has no cells for
                continue
            out[name] = folder / name
    assert len(REPO_PDFS) >= 9 and len(out) >= 30
    return out


def _both(compiled, path: Path) -> tuple[int, int]:
    """Each page read by both loops; asserts they agree. Returns the chars and edges seen."""
    import pypdfium2 as pdfium

    raw = _pdfium._raw()
    document = pdfium.PdfDocument(path.read_bytes())
    chars = edges = 0
    try:
        for n in range(len(document)):
            page = document[n]
            box = [ctypes.c_float() for _ in range(4)]
            assert raw.FPDFPage_GetMediaBox(page, *box)
            top = box[3].value
            textpage = raw.FPDFText_LoadPage(page)
            try:
                texts_py: set = set()
                texts_c: set = set()
                py = _pdfium._chars(raw, textpage, top, texts_py)
                c = compiled.chars(_pdfium._address(textpage), _pdfium._text(raw, textpage),
                                   top, texts_c)
            finally:
                raw.FPDFText_ClosePage(textpage)
            where = f"{path.name} page {n + 1}"
            assert all(type(ch) is type(py[0]) for ch in c), where
            assert repr(c) == repr(py), where
            assert texts_c == texts_py, where
            h_py: list = []
            v_py: list = []
            h_c: list = []
            v_c: list = []
            _pdfium._objects(raw, page.raw, top, h_py, v_py, texts_py)
            compiled.objects(_pdfium._address(page.raw), top, h_c, v_c, texts_c)
            assert repr(h_c) == repr(h_py), where
            assert repr(v_c) == repr(v_py), where
            chars += len(py)
            edges += len(h_py) + len(v_py)
            page.close()
    finally:
        document.close()
    return chars, edges


def test_chars_and_objects(compiled, pdfs):
    seen = {name: _both(compiled, path) for name, path in sorted(pdfs.items())}
    assert all(chars for chars, _ in seen.values())
    assert sum(edges for _, edges in seen.values()) > 1000


def test_reportlab_pdf_has_what_it_is_for(compiled, pdfs):
    """The made PDF has the cases: turned and upright chars, pdfium's spaces, several sizes, an
    empty page, edges both ways (so that the comparison above is of something)."""
    import pypdfium2 as pdfium

    raw = _pdfium._raw()
    document = pdfium.PdfDocument(pdfs["fonts.pdf"].read_bytes())
    chars, generated, edges = [], 0, 0
    for n in range(len(document)):
        page = document[n]
        textpage = raw.FPDFText_LoadPage(page)
        generated += sum(bool(raw.FPDFText_IsGenerated(textpage, i))
                         for i in range(raw.FPDFText_CountChars(textpage)))
        page_chars = compiled.chars(_pdfium._address(textpage), _pdfium._text(raw, textpage),
                                    page.get_height(), set())
        raw.FPDFText_ClosePage(textpage)
        h: list = []
        v: list = []
        compiled.objects(_pdfium._address(page.raw), page.get_height(), h, v, set())
        chars.append(page_chars)
        edges += min(len(h), len(v))
        page.close()
    document.close()
    assert [] in chars  # the empty page
    flat = [ch for page in chars for ch in page]
    assert any(not ch.upright for ch in flat) and any(ch.upright for ch in flat)
    assert len({ch.size for ch in flat}) > 5 and generated > 10 and edges > 10


def test_pages(compiled, pdfs, monkeypatch):
    """``_pdfium.pages``, which runs the compiled loops unless ``OGI_PURE_PYTHON=1``."""
    for name, path in sorted(pdfs.items()):
        data = path.read_bytes()
        monkeypatch.delenv("OGI_PURE_PYTHON", raising=False)
        c = _pdfium.pages(data)
        monkeypatch.setenv("OGI_PURE_PYTHON", "1")
        py = _pdfium.pages(data)
        assert repr(c) == repr(py), name


def test_pure_python_switch(compiled, monkeypatch):
    raw = _pdfium._raw()
    monkeypatch.delenv("OGI_PURE_PYTHON", raising=False)
    assert _pdfium._compiled(raw) is compiled
    monkeypatch.setenv("OGI_PURE_PYTHON", "1")
    assert _pdfium._compiled(raw) is None
    calls = []
    monkeypatch.setattr(_pdfium, "_chars", lambda *a: calls.append(a) or [])
    with pytest.raises(_pdfium.Unreadable):  # no chars: the Python loop was asked
        _pdfium.pages((FIXTURES / "pdf" / "libreoffice_003_plain.pdf").read_bytes())
    assert calls
