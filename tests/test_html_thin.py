"""What the HTML reader parses: ``_html_c.thin``, a web page's bytes without the attributes no
reader reads, which libxml2 parses in 40% of the time, and ``_html_c.plain_page``, whether a page
can be parsed from its bytes without decoding it first.

``thin``'s promise: libxml2's tree of the thinned bytes is its tree of the page with those
attributes taken off, the same elements, text, tails, comments and lines. Checked here against
the libxml2 lxml runs on: every HTML file of the repository, Word-made pages, crafted markup for
each rule of its docstring (taken, or declined: None) and random pages of tricky markup. The
reader's output with and without both is compared by tests/test_html_compiled.py
(``OGI_PURE_PYTHON=1`` decodes the page and parses it as it is).

With ``unwrap`` (what the reader asks for), the bare ``<span>`` and ``<o:p>`` are taken out where
that changes nothing the reader reads: the trees with and without are alike once both lose their
spans, and the rules of what stays are shown one by one. Shown to fail: without the rule on
whitespace joining whitespace, on a line break since the text's element, or on whitespace alone
beside a tag, tests here and in test_html_compiled.py failed (1-2 each).

Shown to fail: with a dropped attribute's line breaks not kept, 10 tests here and in
test_html_compiled.py failed; with U+FFFE not refused by ``plain_page``, its test failed; with
``<`` allowed in a quoted value, ``test_declined`` failed (HTML5's tokenizer reads such a value
as thin does, so the trees stay alike: the rule guards against older tokenizers).
"""

from __future__ import annotations

import inspect
import random
import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import built_module
from loaders.readers import html_page

ROOT = Path(__file__).resolve().parent.parent
_c = html_page._html_c


@pytest.fixture(autouse=True)
def _compiled():
    built_module("_html_c")


def _nodes(data: bytes, comments: bool) -> list:
    """Every node of libxml2's tree of the bytes (lxml's HTML parser, as html_page._parse sets
    it, comments and processing instructions kept or not): its tag, line, text, tail and the
    attributes the thinned page keeps (all of a ``<meta>``'s)."""
    root = _parse(data, comments)
    return [] if root is None else [root.getroottree().docinfo.doctype, *_tree_nodes(root)]


def _parse(data: bytes, comments: bool):
    parser = etree.HTMLParser(remove_comments=not comments, remove_pis=not comments,
                              encoding="utf-8")
    return etree.fromstring(data, parser)


def _tree_nodes(root) -> list:
    kept = {a.decode() for a in _c.KEPT_ATTRIBUTES}
    whole = {a.decode() for a in _c.KEPT_WHOLE}
    out = []
    top = root
    while top.getprevious() is not None:  # comments and PIs before <html>
        top = top.getprevious()
    for start in [top, *top.itersiblings()]:
        for node in start.iter():
            tag = node.tag if isinstance(node.tag, str) else repr(node.tag)
            attrs = sorted(node.attrib.items()) if tag in whole else \
                sorted((k, v) for k, v in node.attrib.items() if k.lower() in kept)
            out.append((tag, node.sourceline, node.text, node.tail, attrs))
    return out


def _taken(data: bytes) -> bool:
    """Asserts the trees alike when ``thin`` takes the page; whether it did."""
    thin = _c.thin(data)
    if thin is None:
        return False
    assert len(thin) <= len(data)
    for comments in (False, True):
        assert _nodes(thin, comments) == _nodes(data, comments), data[:2000]
    return True


def _html_files() -> list[Path]:
    return [f for top in ("tests", "reports") for f in sorted((ROOT / top).rglob("*"))
            if f.is_file() and f.suffix.lower() in (".html", ".htm", ".shtml", ".xhtml")]


def test_repository_pages():
    files = _html_files()
    assert len(files) >= 8
    shown_otherwise = 0
    for f in files:
        data = f.read_bytes()
        # (none needs declining but those a browser shows otherwise: html_page._as_shown)
        assert _taken(data) or html_page.shown_otherwise(data), f
        shown_otherwise += html_page.shown_otherwise(data)
    assert shown_otherwise >= 2


WORD_MADE = [("cms", 1), ("word_export", 1), ("cms", 2)]


def _word_made_page(style: str, verbosity: int) -> bytes:
    """A real report written as Word writes a web page (benchmarks' corpus writer)."""
    from loaders.pipeline import load_report
    from loaders.writers import word_html

    chrome = word_html.chrome_of((ROOT / "reports/shuyang_fgj_2023.html").read_text("utf-8"))
    document = load_report(ROOT / "reports/shuyang_fgj_2023.html").document
    return word_html.to_word_html(document, style=style, verbosity=verbosity,
                                  chrome=chrome).encode("utf-8")


@pytest.mark.parametrize("style,verbosity", WORD_MADE)
def test_word_made_pages_lose_most_of_their_bytes(style, verbosity):
    data = _word_made_page(style, verbosity)
    assert _taken(data)
    assert len(_c.thin(data)) < len(data) / 2
    assert b" style=" not in data.split(b"</head>")[1] or b" style=" in data  # (Word's)
    assert b" style=" not in _c.thin(data) and b"colspan" in _c.thin(data)


TAKEN = [
    # attributes dropped, kept, in any case, with and without values and quotes
    b"<table><tr><td style='a:b;\nc:d' class=x colspan=2 NOWRAP ROWSPAN=\"3\">1</td></tr>"
    b"</table>",
    b"<p class=MsoNormal\nstyle='x'\n\nalign=center>a</p>\n<p>b</p>",
    b"<td colspan = 2 width = 10 >x</td>",
    b"<td style=\"a>b\" colspan='2>1'>x</td>",  # ">" in a quoted value
    b"<td style=\"a\nb\r\nc\rd\">x</td>\n<td>y</td>",  # CR and LF kept in their order
    b"<o:p style='x'></o:p><st1:chsdate Year=2023 w:st=on>2023</st1:chsdate><br/><br />",
    b"<td data-x.y_z:w=1>x</td><img src=a.png alt=\"\"/>",
    # <meta> tags whole
    b"<head><meta http-equiv=Content-Type content='text/html; charset=gb2312'>"
    b"<meta name=Keywords content='a\nb'><title>t</title></head><body>x</body>",
    # copied as they are: comments, declarations, PIs, end tags, raw text
    b"<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.0//EN\" \"x.dtd\">\n<html><body>x</body></html>",
    b"<p>a<!-- <td style='x'> -- not the end --><b style=y>b</b></p>",
    b"<p>a<!---->b<!-- x --->c</p>",
    b"<p><![if !supportLists]><span style='x'>1.</span><![endif]>a</p>",
    b"<?xml version='1.0'?><p style=x>a</p><?php echo 1 ?>",
    b"<p>a</p ><p>b</P\n>",
    b"<p>a</><p>b</ x>c</p>",
    b"<script>var s = \"<td style='x'>\"; if (a<b) {}</script><p style=x>a</p>",
    b"<SCRIPT type=x>a<td style=y>b</td></SCRIPT ><p class=z>c</p>",
    b"<script><!-- if (a<b) {} //--></script><p style=x>a</p>",  # "<!--" without "<script"
    b"<style>\n<!--\np { x: 1 } <b style=x>\n--></style\n><p style=x>a</p>",
    b"<title class=x>a &amp; b</title><textarea class=y>x</textarea><xmp style=z></xmp>",
    b"<noscript><p style=x>a</p></noscript><iframe src=x></iframe><noembed class=x>1</noembed>",
    b"<p style=x>a<plaintext class=y>b c",
    # "<" as text
    b"<p>a < b, 1<2, <3, <\xe4\xb8\x80 x</p>",
    b"<p>\xe4\xb8\x80\xe3\x80\x81\xe6\x80\xbb\xe4\xbd\x93 <span style='font-family:\xe5\xae\x8b'>"
    b"26</span></p>",
    b"plain text, no markup",
    b"",
]

DECLINED = [
    b"<td\"x\">1</td>",  # a name ended by a quote
    b"<td style=\"a<b\">1</td>",  # "<" in a quoted value
    b"<td a=b\"c>1</td>",  # a quote in an unquoted value
    b"<td a=b=c>1</td>",
    b"<td a=`b`>1</td>",
    b"<td a=>1</td>",  # no value after "="
    b"<td / colspan=2>1</td>",  # "/" not before ">"
    b"<td a=\"1\"b=\"2\">1</td>",  # no blank between attributes
    b"<td @click=x>1</td>",
    b"<td\x0cstyle=x>1</td>",
    b"<td style=\"x>1</td>",  # a quote never closed
    b"<p>a<td style=x",  # markup cut off
    b"<p>a<",
    b"<p>a<!--",
    b"<p>a<!-->b</p>",
    b"<p>a<!--->b</p>",
    b"<p>a<!-- x --!> <b style=y>b</b> --></p>",
    b"<p>a<![CDATA[<b style=y>]]></p>",
    b"<script>a<!-- <script> --></script><p style=x>b</p>",  # HTML5's script escapes
    b"<script>a</scripts><td style=y>b</td></script>",  # where libxml2 2.13 ended it
    b"<style>a</style",
    b"<title>a <b style=x> b</title>",  # markup in what HTML5 reads as text, older as markup
    b"<textarea><i class=z>x</i></textarea>",
    b"<xmp><b style=x></xmp>",
    b"<iframe src=x><p style=y>z</p></iframe>",
    b"<noembed class=x><b>1</b></noembed>",
    b"<noframes><b>1</b></noframes>",
    b"<plaintext>a<b>",
    b"<p>a</p x>",
    b"<p>a</p class=\">\">",
    b"<!DOCTYPE x \"a>b\">",
    b"<p>a\x00</p>",
    b"<" + b"a" * 65 + b" style=x>1</" + b"a" * 65 + b">",
    b"<td " + b"a" * 65 + b"=1>1</td>",
]


@pytest.mark.parametrize("markup", TAKEN)
def test_taken(markup):
    assert _taken(markup)


@pytest.mark.parametrize("markup", DECLINED)
def test_declined(markup):
    assert _c.thin(markup) is None


def test_what_it_makes_of_a_cell():
    """The bytes themselves, for one cell: attributes gone, their line breaks kept."""
    assert _c.thin(b"<td width=246\nstyle='a:b;\nc:d' colspan=3 valign=top>x</td>") == \
        b"<td\n\n colspan=3>x</td>"
    assert _c.thin(b"<P CLASS=x><Meta Name=a Content=b></P>") == b"<P><Meta Name=a Content=b></P>"


def test_every_attribute_the_reader_reads_is_kept():
    """The attributes html_page and the compiled walks read: a cell's spans (kept everywhere)
    and a ``<meta>``'s name, property and content (kept whole), read in ``_page_meta`` only."""
    kept = {a.decode() for a in _c.KEPT_ATTRIBUTES}
    reader = (ROOT / "loaders/readers/html_page.py").read_text("utf-8")
    compiled = (ROOT / "loaders/readers/_html_c.pyx").read_text("utf-8")
    read = set(re.findall(r"""\.get\(["'](\w[\w:-]*)["']""", reader)) \
        | set(re.findall(r"""_get\(\w+, ["'](\w[\w:-]*)["']\)""", compiled))
    assert read >= {"colspan", "rowspan"}
    # ``hidden`` and ``style`` are read by ``_as_shown`` alone, on a page ``thin`` declined (it
    # declines one that holds a hidden element: tests/test_html_compiled.py)
    as_shown = inspect.getsource(html_page._as_shown)
    for name in ("hidden", "style"):
        assert reader.count(f'get("{name}")') == as_shown.count(f'get("{name}")') == 1
    meta_only = read - kept - {"hidden", "style"}
    assert meta_only == {"name", "property", "content"}
    in_meta = inspect.getsource(html_page._page_meta)
    assert "meta" in in_meta and all(f'get("{a}")' in in_meta for a in meta_only)
    for name in meta_only:  # read nowhere else
        assert reader.count(f'get("{name}")') == in_meta.count(f'get("{name}")')
    assert {a.decode() for a in _c.KEPT_WHOLE} == {"meta"}


# Random pages of markup where tokenizers could part ways.
_PIECES = [
    "<p>", "</p>", "<td>", "</td>", "<tr>", "<table>", "</table>", "<span>", "</span>", "<br>",
    "<o:p>", "</o:p>", "<P CLASS=MsoNormal>", "<td colspan=2>", "<td ROWSPAN='2' style=\"x\">",
    "<td\nwidth=1\nstyle='a:b;\nc:d'\ncolspan=2>", "<span style='mso-x:\"y\"'>",
    "<span lang=EN-US style='font-size:12.0pt'>", "<b title=\"a > b\">", "<i title='a\"b'>",
    "<br/>", "<br />", "<img src=x.png/>", "<td nowrap>", "<td nowrap colspan=3>",
    "<script>", "</script>", "<script type=x>", "</SCRIPT >", "</scripts>", "<style>",
    "</style>", "<title>", "</title>", "<textarea>", "</textarea>", "<xmp>", "</xmp>",
    "<noscript>", "</noscript>", "<!-- c -->", "<!--", "-->", "--!>", "<!---->", "<!-->",
    "<![if !x]>", "<![endif]>", "<!DOCTYPE html>", "<?pi x?>", "<![CDATA[", "]]>", "</>",
    "</ x>", "</p >", "<", ">", "\"", "'", "=", "&amp;", "&", "<3", "a<b", "1 < 2",
    "<meta name=a content='b>c'>", "<meta charset=utf-8>", "<h1>", "</h1>", "<div>", "</div>",
    "26", "申请人情况", "一、总体情况", "\n", "\r\n", "\r", " ", "\t", "\u3000", "\u00a0",
    "<td a=\"1\"b=2>", "<td/ x>", "<td a=b'c>", "<x-y z=1>", "<st1:chsdate Year=2023>",
]


def _random_page(rng: random.Random) -> bytes:
    pieces = rng.choices(_PIECES, k=rng.randint(1, 60))
    if rng.random() < 0.5:
        pieces = ["<html><body>", *pieces, "</body></html>"]
    return "".join(pieces).encode("utf-8")


def test_random_pages():
    rng = random.Random(41)
    taken = 0
    for _ in range(3000):
        taken += _taken(_random_page(rng))
    assert taken > 600  # most of them hold a piece it declines


def test_random_pages_of_the_reader_tests():
    """The random pages of tests/test_html_compiled.py (report-like markup), their CDATA
    sections (which it declines) made text. It declines those with markup in a ``<title>``."""
    import test_html_compiled as compiled

    rng = random.Random(42)
    taken = 0
    for _ in range(400):
        taken += _taken(compiled._page(rng).replace("<![CDATA[c]]>", "c").encode("utf-8"))
    assert taken > 100


def test_the_reader_parses_the_thinned_page(monkeypatch):
    """With the compiled loops on, the reader's parse is given the thinned bytes, bare spans
    unwrapped; with ``OGI_PURE_PYTHON=1``, the page as it is."""
    from loaders.model import Source

    seen = []
    thin = _c.thin
    monkeypatch.setattr(_c, "thin", lambda data, unwrap=False: seen.append(unwrap)
                        or thin(data, unwrap), raising=False)
    data = (ROOT / "reports/shuyang_fgj_2023.html").read_bytes()
    monkeypatch.delenv("OGI_PURE_PYTHON", raising=False)
    html_page.read(Source(Path("r.html"), data))
    assert seen == [True]
    monkeypatch.setenv("OGI_PURE_PYTHON", "1")
    html_page.read(Source(Path("r.html"), data))
    assert seen == [True]


# ---------------------------------------------------------------------------------------------
# unwrap: the spans left bare taken out where that changes nothing the reader reads
# ---------------------------------------------------------------------------------------------

def _stripped(data: bytes, comments: bool) -> list:
    """``_nodes`` of the tree with every ``<span>`` and ``<o:p>`` stripped (lxml's strip_tags)."""
    root = _parse(data, comments)
    if root is None:
        return []
    etree.strip_tags(root.getroottree(), *(t.decode() for t in _c.UNWRAPPED))
    return [root.getroottree().docinfo.doctype, *_tree_nodes(root)]


def _unwrapped(data: bytes) -> bytes | None:
    """Asserts that unwrapping took spans out and nothing else: the trees of the page thinned
    with and without it are alike once both lose their spans. The bytes unwrapped."""
    plain, cut = _c.thin(data), _c.thin(data, True)
    assert (plain is None) == (cut is None)
    if plain is None:
        return None
    assert len(cut) <= len(plain)
    for comments in (False, True):
        assert _stripped(cut, comments) == _stripped(plain, comments), data[:2000]
    return cut


def _spans(data: bytes) -> int:
    return sum(data.count(b"<" + t) + data.count(b"</" + t) for t in _c.UNWRAPPED)


@pytest.mark.parametrize("markup,unwrapped", [
    # bare spans, their attributes dropped, taken out; their text joins
    (b"<p><span lang=EN-US style='a:b'>1</span><o:p></o:p></p>", b"<p>1</p>"),
    (b"<td><p><span>2</span><span>6</span></p></td>", b"<td><p>26</p></td>"),
    (b"<p><span><b>x</b></span></p>", b"<p><span><b>x</b></span></p>"),  # an element inside
    # kept: an attribute the reader reads; a line break in a tag
    (b"<p><span colspan=2>1</span></p>", b"<p><span colspan=2>1</span></p>"),
    (b"<p><span\nstyle='x'>1</span></p>", b"<p><span\n>1</span></p>"),
    # kept: whitespace alone beside a tag, a text node the reader drops (entities count)
    (b"<p><span>a</span>\n<span>b</span></p>", b"<p><span>a</span>\n<span>b</span></p>"),
    (b"<p><o:p>&nbsp;</o:p></p>", b"<p><o:p>&nbsp;</o:p></p>"),
    (b"<p><span>&#12288;</span>x</p>", b"<p><span>&#12288;</span>x</p>"),
    # kept: whitespace that would join whitespace (the reader collapses each text node apart)
    (b"<p>a <span></span> b</p>", b"<p>a <span></span> b</p>"),
    # kept: a line break since the element its text would go to begins, or after an end tag
    (b"<p>x\ny<span>1</span></p>", b"<p>x\ny<span>1</span></p>"),
    (b"<p><span>1</span>\nz</p>", b"<p><span>1</span>\nz</p>"),
    (b"<table><tr><td>1</td></tr></table><o:p></o:p>x", b"<table><tr><td>1</td></tr></table>"
     b"<o:p></o:p>x"),
    # not unwrapped at all: a span closed by "/>", spans that do not nest
    (b"<p><span/>x<span>y</span></p>", b"<p><span/>x<span>y</span></p>"),
    (b"<span>a<o:p>b</span></o:p>", b"<span>a<o:p>b</span></o:p>"),
])
def test_what_unwrapping_takes_out(markup, unwrapped):
    assert _unwrapped(markup) == unwrapped


def test_unwrapped_repository_pages():
    for f in _html_files():
        data = f.read_bytes()
        assert _unwrapped(data) is not None or html_page.shown_otherwise(data), f


@pytest.mark.parametrize("style,verbosity", WORD_MADE)
def test_a_word_made_page_loses_most_of_its_spans(style, verbosity):
    data = _word_made_page(style, verbosity)
    cut = _unwrapped(data)
    assert _spans(_c.thin(data)) > 300
    assert _spans(cut) < _spans(_c.thin(data)) / 5


_SPAN_PIECES = [
    "<span>", "</span>", "<span lang=EN-US style='font-size:12.0pt'>", "<span\nstyle='x'>",
    "<o:p>", "</o:p>", "<o:p></o:p>", "<o:p>&nbsp;</o:p>", "<b>", "</b>", "<br>", "<p>", "</p>",
    "<p class=MsoNormal>", "<td>", "</td>", "<div>", "</div>", "<a href=x>", "</a>",
    "<span colspan=2>", "<span/>", "<!-- c -->", "<!--\n-->", "26", "申请人情况", "一、总体情况",
    "a b", " ", "  ", "\n", "\r\n", "&nbsp;", "&#12288;", "\u3000", "\u00a0", "x\ny", "&amp;",
]


def test_unwrapped_random_pages():
    """Random pages of the markup around Word's spans (and test_random_pages' trickier ones):
    the trees alike but for the spans, and most pages lose some."""
    rng = random.Random(43)
    cut = 0
    for n in range(3000):
        if n % 3:
            pieces = rng.choices(_SPAN_PIECES, k=rng.randint(1, 40))
            data = f"<html><body>{''.join(pieces)}</body></html>".encode("utf-8")
        else:
            data = _random_page(rng)
        out = _unwrapped(data)
        cut += out is not None and _spans(out) < _spans(_c.thin(data))
    assert cut > 80


# ---------------------------------------------------------------------------------------------
# plain_page: a page html_page.read parses as it is, without decoding it first
# ---------------------------------------------------------------------------------------------

def _plain_page(data: bytes) -> bool:
    """What ``_html_c.plain_page`` answers, in Python: markup without an XML declaration, in
    decode's strict UTF-8 without a mark, and none of what ``html_page._parse`` would take out
    or decoding would change."""
    import codecs

    if data.startswith(codecs.BOM_UTF8):
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"<" in data and b"<?xml" not in data and not (
        b"\r" in data or html_page._has_control_byte(data) or "\ufffe" in text
        or "\uffff" in text)


_UTF8_EDGES = [b"", b"a", b"<", b"<?xml", b"<?xm", b"?xml", b"\t\n", b"\r", b"\x00", b"\x08", b"\x0b", b"\x0c", b"\x1f", b" ", b"\x7f",
               b"\x80", b"\xc1\xbf", b"\xc2\x80", b"\xc2\x85", b"\xdf\xbf", b"\xe0\x9f\xbf",
               b"\xe0\xa0\x80", b"\xed\x9f\xbf", b"\xed\xa0\x80", b"\xed\xbf\xbf",
               b"\xee\x80\x80", b"\xef\xbb\xbf", b"\xef\xbf\xbd", b"\xef\xbf\xbe", b"\xef\xbf\xbf",
               b"\xf0\x8f\xbf\xbf", b"\xf0\x90\x80\x80", b"\xf4\x8f\xbf\xbf", b"\xf4\x90\x80\x80",
               b"\xf5\x80\x80\x80", b"\xff", b"\xfe", "一、总体情况".encode(), "\u3000".encode(),
               "\U0001f600".encode(), b"\xe4\xb8", b"\xe4", b"\xf0\x9f\x98"]


def test_plain_page_is_strict_utf8_markup_without_what_the_parse_takes_out():
    rng = random.Random(43)
    for piece in _UTF8_EDGES:  # each alone, at every place of an 8-byte word, and cut short
        for pad in range(9):
            for data in (b"x" * pad + piece, b"x" * pad + piece + b"y" * 9,
                         b"\xef\xbb\xbf" + b"x" * pad + piece):
                assert _c.plain_page(data) == _plain_page(data), data
    for _ in range(20000):
        data = b"".join(rng.choices(_UTF8_EDGES + [b"<td>", b"abcdefgh", b"\n"] * 4,
                                    k=rng.randint(0, 30)))
        assert _c.plain_page(data) == _plain_page(data), data
    for f in _html_files():
        data = f.read_bytes()
        assert _c.plain_page(data) == _plain_page(data), f


def test_the_reader_skips_decoding_a_plain_utf8_page(monkeypatch):
    """A plain UTF-8 page is parsed from its bytes (no decode: ``Source.decoded`` stays None);
    another page, or with ``OGI_PURE_PYTHON=1``, is decoded first. Both give one Document
    (tests/test_html_compiled.py compares them on every page)."""
    from loaders.model import Source

    monkeypatch.delenv("OGI_PURE_PYTHON", raising=False)
    page = "<html><body><p>一、总体情况</p></body></html>".encode()
    source = Source(Path("r.html"), page)
    fast = html_page.read(source)
    assert source.decoded is None and fast.encoding == "utf-8"
    for other in (page.replace(b"</p>", b"</p>\r\n"), b"\xef\xbb\xbf" + page,
                  b"<?xml version='1.0' encoding='utf-8'?>\n" + page,
                  page.replace(b"<p>", b"<p>\x0b"), "<p>政府信息公开</p>".encode("gb18030")):
        source = Source(Path("r.html"), other)
        html_page.read(source)
        assert source.decoded is not None
    monkeypatch.setenv("OGI_PURE_PYTHON", "1")
    source = Source(Path("r.html"), page)
    assert html_page.read(source) == fast and source.decoded is not None
