"""``_docx_c.thin``: a Word document's ``word/document.xml`` without its run and paragraph
properties (``w:rPr``, ``w:pPr``), which the reader never reads and which are most of what
libxml2 parses. Its promise: libxml2's tree of the result is the tree of the document with those
elements taken out (what follows each stays where it was), and the reader reads the same from
it. Checked here on every Word file of the repository, Word files written from the reports,
crafted markup for each rule of its docstring (taken, or declined: None) and random documents;
tests/test_docx_compiled.py compares the reader's Documents with it (the compiled path) and
without it (``OGI_PURE_PYTHON=1``) on the same files and more.

Shown to fail: with nested ``w:rPr`` not counted (the first end tag taken as the end), the
crafted ``w:rPrChange`` and ``w:pPrChange`` documents and the random documents failed; with
``w:t`` left out of ``READ``, ``test_declined`` failed (a blank ``w:t`` in a dropped element,
whose " " a paragraph's text holds; one with other text is declined for its text).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import built_module
from loaders.model import Source
from loaders.readers import docx_file

import test_docx_compiled as compiled

ROOT = Path(__file__).resolve().parent.parent
_c = docx_file._docx_c
W = docx_file.W


@pytest.fixture(autouse=True)
def _compiled():
    built_module("_docx_c")


def _without_properties(xml: bytes) -> bytes:
    """The document as lxml reads it with every ``w:rPr`` and ``w:pPr`` taken out, the text
    after each kept where it stood (appended to what came before it), serialized."""
    from loaders.readers.html_page import _drop_tree  # (lxml.html's drop_tree, for any tree)

    root = etree.fromstring(xml)
    for el in list(root.iter(W + "rPr", W + "pPr")):
        parent = el.getparent()
        if parent is None or not any(a is root for a in [parent, *parent.iterancestors()]):
            continue  # inside one taken out already
        _drop_tree(el)
    return etree.tostring(root)


def _taken(xml: bytes) -> bool:
    """Asserts the trees alike when ``thin`` takes the document; whether it did."""
    thin = _c.thin(xml)
    if thin is None:
        return False
    assert len(thin) <= len(xml)
    assert etree.tostring(etree.fromstring(thin)) == _without_properties(xml), xml[:2000]
    return True


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml")


def test_repository_files():
    files = sorted(p for top in ("reports", "tests") for p in (ROOT / top).rglob("*.docx"))
    assert len(files) >= 10
    for f in files:
        xml = _document_xml(f.read_bytes())
        # Hidden text: its mark is in the run properties thin drops, so thin declines it
        assert _taken(xml) != (b"<w:vanish" in xml), f
    assert any(b"<w:vanish" in _document_xml(f.read_bytes()) for f in files)


def test_written_files_lose_most_of_their_bytes():
    from loaders.pipeline import load_report
    from loaders.writers import word_docx

    for name in ("shuyang_fgj_2023.html", "002_4e3c7d07ba237867.txt"):
        document = load_report(ROOT / "reports" / name).document
        xml = word_docx.document_xml(document).encode("utf-8")
        assert _taken(xml)
        assert len(_c.thin(xml)) < len(xml) / 2
        assert b"w:rPr" not in _c.thin(xml) and b"w:tcPr" in _c.thin(xml)


def _doc(body: str) -> bytes:
    return compiled._document(body).encode("utf-8")


TAKEN = [
    "<w:p><w:pPr><w:jc w:val='center'/><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:rPr><w:sz "
    "w:val='21'/></w:rPr><w:t>1</w:t></w:r></w:p>",
    "<w:p><w:r><w:rPr/><w:t>a</w:t></w:r><w:r><w:rPr></w:rPr><w:t>b</w:t></w:r></w:p>",
    # a change of properties holds properties of the same name: counted to the right end tag
    "<w:p><w:r><w:rPr><w:b/><w:rPrChange w:id='1'><w:rPr><w:i/></w:rPr></w:rPrChange>"
    "</w:rPr><w:t>c</w:t></w:r></w:p>",
    "<w:p><w:pPr><w:pPrChange><w:pPr><w:jc/></w:pPr></w:pPrChange><w:rPr/></w:pPr>"
    "<w:r><w:t>d</w:t></w:r></w:p>",
    # names that begin like a dropped one are kept
    "<w:p><w:r><w:rPrX/><w:rPrChange/><w:t>e</w:t></w:r></w:p>",
    # quoted values with ">" and "/", spaces and line breaks around and inside tags
    "<w:p>\n  <w:pPr w:x='a>b' w:y=\"c/\" >\n    <w:tabs><w:tab w:val='left' w:pos='720'/>"
    "</w:tabs>\n  </w:pPr>\n  <w:r ><w:rPr\n/><w:t xml:space='preserve'> f </w:t></w:r>\n</w:p>",
    # entities and other namespaces outside the dropped elements
    "<w:p><w:r><w:t>&amp;&lt;&#20013;</w:t></w:r><w14:x/><x:y>z</x:y></w:p>",
    "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val='2'/></w:tcPr><w:p><w:pPr/><w:r><w:rPr>"
    "<w:rFonts w:ascii='宋体' w:eastAsia='宋体'/></w:rPr><w:t>26</w:t></w:r></w:p></w:tc></w:tr>"
    "</w:tbl>",
]

DECLINED = [
    # what could hold or hide what the reader reads
    "<w:p><w:pPr><w:rPr><w:t>in props</w:t></w:rPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>",
    "<w:p><w:pPr><w:rPr><w:t xml:space='preserve'> </w:t></w:rPr></w:pPr></w:p>",  # (blank)
    "<w:tbl><w:tr><w:tc><w:p><w:pPr><w:tbl/></w:pPr></w:p></w:tc></w:tr></w:tbl>",
    "<w:p><w:pPr><w:p/></w:pPr></w:p>",
    "<w:p><w:r><w:rPr>text</w:rPr></w:r></w:p>",
    "<w:p><w:r><w:rPr><!--c--></w:rPr></w:r></w:p>",
    "<w:p><!--c--><w:r><w:t>x</w:t></w:r></w:p>",
    "<w:p><w:r><w:t><![CDATA[x]]></w:t></w:r></w:p>",
    "<w:p><?pi x?><w:r><w:t>x</w:t></w:r></w:p>",
    "<w:p><w:r><w:rPr><?pi x?></w:rPr></w:r></w:p>",
    # a dropped element never closed, a tag cut off
    "<w:p><w:r><w:rPr><w:b/></w:r></w:p>",
    "<w:p><w:r><w:rPr w:x='1",
    # deeper than MAX_DEPTH
    "<w:x>" * 201 + "</w:x>" * 201,
]


@pytest.mark.parametrize("body", TAKEN)
def test_taken(body):
    assert _taken(_doc(body))


@pytest.mark.parametrize("body", DECLINED)
def test_declined(body):
    assert _c.thin(_doc(body)) is None


@pytest.mark.parametrize("xml", [
    # W's namespace declared with another prefix, as the default one, twice, or not at all
    compiled._document("<w:p/>", prefix="x1"),
    compiled._document("<w:p/>", prefix=""),
    compiled._document("<w:p/>").replace("<w:body>", f"<w:body xmlns:w='{compiled.W_HREF}'>"),
    compiled._document("<w:p/>").replace("<w:body>", f"<w:body xmlns:v='{compiled.W_HREF}'>"),
    compiled._document("<w:p/>").replace(compiled.W_HREF, "urn:other-w", 1),
    # a document type
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e "x">]>'
    + compiled._document("<w:p/>").split("?>", 1)[1],
])
def test_declined_namespaces(xml):
    assert _c.thin(xml.encode("utf-8")) is None


def test_what_it_makes_of_a_run():
    xml = _doc("<w:p><w:pPr><w:jc/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>1</w:t></w:r></w:p>")
    assert _c.thin(xml) == xml.replace(b"<w:pPr><w:jc/></w:pPr>", b"").replace(
        b"<w:rPr><w:b/></w:rPr>", b"")


def _random_body(rng: random.Random) -> str:
    """test_docx_compiled's random documents without comments, processing instructions and CDATA
    sections (which thin declines), with more kinds of properties."""
    body = compiled._body(rng)
    body = body.replace("<!--c-->", "").replace("<?p q?>", "").replace("<?p x?>", "") \
        .replace("<![CDATA[c]]>", "c")
    props = ["<w:rPr/>", "<w:rPr><w:b/><w:i w:val='0'/></w:rPr>",
             "<w:rPr><w:rPrChange><w:rPr><w:b/></w:rPr></w:rPrChange></w:rPr>",
             "<w:pPr><w:tabs><w:tab w:val='left'/></w:tabs></w:pPr>"]
    return re.sub("<w:r>", lambda m: "<w:r>" + rng.choice(props + [""] * 4), body)


def test_random_documents(monkeypatch):
    rng = random.Random(43)
    taken = 0
    for n in range(600):
        xml = _doc(_random_body(rng))
        taken += _taken(xml)
        compiled._same(Path(f"r{n}.docx"), compiled._package(xml), monkeypatch)
    assert taken > 500


def test_the_reader_parses_the_thinned_document(monkeypatch):
    """With the compiled loops on, the reader parses the thinned document; with
    ``OGI_PURE_PYTHON=1``, the document as it is."""
    seen = []
    thin = _c.thin
    monkeypatch.setattr(_c, "thin", lambda xml: seen.append(xml) or thin(xml), raising=False)
    data = next((ROOT / "tests").rglob("*.docx")).read_bytes()
    monkeypatch.delenv("OGI_PURE_PYTHON", raising=False)
    docx_file.read(Source(Path("r.docx"), data))
    assert len(seen) == 1
    monkeypatch.setenv("OGI_PURE_PYTHON", "1")
    docx_file.read(Source(Path("r.docx"), data))
    assert len(seen) == 1
