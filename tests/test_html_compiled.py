"""The web page reader's walks in C (loaders/readers/_html_c.pyx) against its Python walks, the
reference: ``html_page.read`` with the compiled walks and with ``OGI_PURE_PYTHON=1`` must give
the same Document (every paragraph's text and line, every cell's text, lines, span and
columns, the page's cues), on every HTML file of the repository, on Word-made pages written
from the reports, and on random and crafted pages.

Skipped when ``_html_c`` is not built, unless ``OGI_REQUIRE_COMPILED=1`` (then it fails).
Shown to fail: with ``_line`` in the .pyx returning ``n.line + 1`` (a line number broken in the
C path), 23 of these 27 tests failed (every one that reads a page).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lxml import etree

from loaders.model import Source
from conftest import built_module
from loaders.readers import html_page

ROOT = Path(__file__).resolve().parent.parent
_c = html_page._html_c


@pytest.fixture(autouse=True)
def _compiled():
    built_module("_html_c")


def _both(path: Path, data: bytes, monkeypatch) -> tuple:
    """The Document of each path, and whether the compiled walks read the page (not the
    fallback)."""
    took = []
    read_body = _c.read_body

    def spy(body):
        took.append(result := read_body(body))
        return result
    monkeypatch.delenv("OGI_PURE_PYTHON", raising=False)
    monkeypatch.setattr(_c, "read_body", spy, raising=False)
    try:
        compiled = html_page.read(Source(path, data))
    finally:
        monkeypatch.setattr(_c, "read_body", read_body, raising=False)
    monkeypatch.setenv("OGI_PURE_PYTHON", "1")
    python = html_page.read(Source(path, data))
    monkeypatch.delenv("OGI_PURE_PYTHON")
    return compiled, python, bool(took) and took[0] is not None


def _same(path: Path, data: bytes, monkeypatch) -> bool:
    """Asserts the two Documents equal (repr too: None is not 0, True not 1); whether the
    compiled walks read the page."""
    compiled, python, in_c = _both(path, data, monkeypatch)
    assert compiled == python, data[:3000]
    assert repr(compiled.blocks) == repr(python.blocks), data[:3000]
    assert list(compiled.meta.items()) == list(python.meta.items())
    return in_c


def _html_files() -> list[Path]:
    files = []
    for top in ("tests", "reports"):
        for f in sorted((ROOT / top).rglob("*")):
            if f.is_file() and f.suffix.lower() in (".html", ".htm", ".shtml", ".xhtml"):
                files.append(f)
    return files


def test_constants_are_html_pages():
    assert _c.MAX_OWN == html_page.MAX_OWN and _c._LEAF == html_page._LEAF
    assert _c.INLINE_VALUE.pattern == html_page.INLINE_VALUE.pattern
    assert _c._HTML_SPACE == html_page._HTML_SPACE
    assert _c._SPACE.pattern == html_page._SPACE.pattern
    assert _c._COLLAPSIBLE.pattern == html_page._COLLAPSIBLE.pattern
    names = set(html_page._BLOCK) | {"br", "table", "td", "th", "span", "o:p", "b", "tbody",
                                     "thead", "body", "html", "h7", "h0", "t", "tt", "bl", "pr",
                                     "preface", "divs", "d", "", "hx", "x", "titles", "mains"}
    for name in names:
        k = _c.kind_of(name.encode())
        assert bool(k & 1) == (name in html_page._BLOCK), name
        assert bool(k & 2) == (name == "br"), name
        assert bool(k & 4) == (name == "table"), name
        assert bool(k & 8) == (name in ("td", "th")), name
        assert bool(k & 16) == (name == "tr"), name
        assert bool(k & 32) == (name == "h1"), name


def test_repository_pages(monkeypatch):
    files = _html_files()
    assert len(files) >= 8
    for f in files:
        data = f.read_bytes()
        # read in C, but a page a browser shows otherwise (read as shown, in Python)
        assert _same(f, data, monkeypatch) or html_page.shown_otherwise(data), f


@pytest.mark.parametrize("style,verbosity", [("cms", 0), ("cms", 1), ("cms", 2),
                                             ("word_export", 1)])
def test_word_made_pages(monkeypatch, style, verbosity):
    """Pages as the bench corpus writes them (benchmarks/corpus.py), from the reports."""
    from loaders.pipeline import load_report
    from loaders.writers import word_html

    chrome = word_html.chrome_of((ROOT / "reports/shuyang_fgj_2023.html").read_text("utf-8"))
    for name in ("002_4e3c7d07ba237867.txt", "004_82a9170de9e2b25c.txt",
                 "shanghai_kewei_2024.md", "shuyang_fgj_2023.html"):
        document = load_report(ROOT / "reports" / name).document
        text = word_html.to_word_html(document, style=style, verbosity=verbosity, chrome=chrome)
        assert _same(Path("r.html"), text.encode("utf-8"), monkeypatch), name


# ---------------------------------------------------------------------------------------------
# Random pages
# ---------------------------------------------------------------------------------------------

_TEXT = ["26", "申请人情", "况", " ", "  ", "\n", "\n\n  ", "\t", "\u00a0", "&nbsp;", "\u3000",
         "&#12288;", "&amp;", "&lt;b&gt;", "&foo;", "&", "a b", "x\r\ny", "\f", "\v", "",
         "（一）", "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "申请人", "予以公开", "1,234",
         "沭阳县发展和改革委员会2023年政府信息公开工作年度报告", "<!-- a comment -->", "<?pi x?>",
         "<![CDATA[c]]>", "\u2028", "\x85", "\u200b"]
# Text with no heading or form word: the page around a report.
_PLAIN = [t for t in _TEXT if "、" not in t and t not in ("行政复议", "申请人", "予以公开")]
_INLINE = ["span", "font", "b", "o:p", "a", "strong", "i", "SPAN", "st1:chsdate", "x-y"]
_BLOCKS = ["p", "div", "li", "h2", "h1", "center", "P", "pre", "dl", "dt", "title", "caption",
           "section", "hr"]
_SPANS = ["", "", "", "", ' colspan="2"', ' rowspan="2"', ' rowspan="3" colspan="2"',
          ' colspan="x2"', ' colspan=""', " colspan", ' rowspan="０"', ' colspan="²"',
          ' colspan="9999"', ' rowspan=" 2 "', ' colspan="&#50;"', ' COLSPAN="2"',
          ' colspan="2" colspan="3"', ' xml:colspan="2"', ' rowspan="-1"']


def _wrap(rng: random.Random) -> str:
    return rng.choice(["", "", "", "\n", " class=MsoNormal", "\nclass=MsoNormal\nstyle='x'",
                       " lang=EN-US\n\n", " style='mso-bidi-font-family:\n宋体'"])


def _inline(rng: random.Random, depth: int, plain: bool = False) -> str:
    texts = _PLAIN if plain else _TEXT
    out = []
    for _ in range(rng.randint(0, 3)):
        r = rng.random()
        if r < 0.45 or depth > 5:
            out.append(rng.choice(texts))
        elif r < 0.85:
            tag = rng.choice(_INLINE)
            out.append(f"<{tag}{_wrap(rng)}>{_inline(rng, depth + 1, plain)}</{tag}>")
        elif r < 0.92:
            out.append(rng.choice(["<br>", "<br/>", "<BR>", "<br\n>"]))
        else:
            tag = rng.choice(_BLOCKS)
            out.append(f"<{tag}{_wrap(rng)}>{_inline(rng, depth + 1, plain)}</{tag}>")
        if rng.random() < 0.3:
            out.append(rng.choice(texts))
    return "".join(out)


def _table(rng: random.Random, depth: int, plain: bool = False) -> str:
    texts = _PLAIN if plain else _TEXT
    rows = []
    landmark = not plain and rng.random() < 0.5
    for _ in range(rng.randint(1, 5)):
        cells = []
        for _ in range(rng.randint(0, 4)):
            tag = rng.choice(["td", "td", "td", "th", "TD"])
            r = rng.random()
            if r < 0.2:
                inner = rng.choice(texts)
            elif r < 0.55:  # Word's cell: a paragraph of spans
                inner = (rng.choice(["", "\n", " ", "\u00a0"])
                         + f"<p class=MsoNormal{_wrap(rng)}><span>{_inline(rng, depth + 2, plain)}"
                         f"<o:p>{rng.choice(['', '&nbsp;', ' '])}</o:p></span></p>"
                         + rng.choice(["", "\n", " ", "x"]))
            elif r < 0.9 or depth > 2:
                inner = _inline(rng, depth + 1, plain)
            else:
                inner = _markup(rng, depth + 2, plain)
            cells.append(f"<{tag}{rng.choice(_SPANS)}{_wrap(rng)}>{inner}</{tag}>"
                         + rng.choice(["", "\n", " ", "t"]))
        rows.append("<tr>" + "".join(cells) + "</tr>" + rng.choice(["", "\n", " "]))
    if landmark:
        rows.insert(rng.randint(0, len(rows)), "<tr><td>行政复议</td><td>1</td></tr>")
    body = "".join(rows)
    if rng.random() < 0.2:
        body = f"<tbody>{body}</tbody>"
    if rng.random() < 0.1:
        body = f"<caption>表{rng.choice(texts)}</caption>" + body
    return f"<table{_wrap(rng)}>{body}</table>"


def _markup(rng: random.Random, depth: int = 0, plain: bool = False) -> str:
    texts = _PLAIN if plain else _TEXT
    out = []
    for _ in range(rng.randint(1, 5)):
        r = rng.random()
        if depth > 4 or r < 0.25:
            out.append(rng.choice(texts))
        elif r < 0.45:
            out.append(_inline(rng, depth, plain))
        elif r < 0.65:
            out.append(_table(rng, depth, plain))
        else:
            tag = rng.choice(_BLOCKS + ["div", "div", "p", "p", "ul"])
            out.append(f"<{tag}{_wrap(rng)}>{_markup(rng, depth + 1, plain)}</{tag}>")
        if rng.random() < 0.4:
            out.append(rng.choice(texts))
    return "".join(out)


def _page(rng: random.Random) -> str:
    head = rng.choice(["", "<head><title>某某局2023年报告</title>"
                       "<meta name=Keywords content='a\nb'><script>var x = '<p>';</script></head>",
                       "<head><style>p {}</style></head>"])
    chrome = rng.choice(["", "<nav><p>首页</p></nav>", "<div class=menu><p>政务公开</p></div>",
                         "<table><tr><td>索引号</td><td>123</td></tr></table>"])
    h1 = rng.choice(["", "", "<h1>某县2023年政府信息公开工作年度报告</h1>", "<h1>\n</h1>"])
    if rng.random() < 0.5:  # a report inside the page: its text above it is a cue
        body = (f"{chrome}{_markup(rng, 1, True)}{h1}<div>{_markup(rng, 1, True)}</div>"
                f"<div class=content>{_markup(rng, 2, True)}<p>一、总体情况</p>{_markup(rng, 2)}"
                f"</div>{_markup(rng, 1, True)}")
    else:
        body = f"{chrome}{h1}{_markup(rng)}<div>{_markup(rng)}</div>{_markup(rng)}"
    r = rng.random()
    if r < 0.1:
        return body  # no <html>, <body>
    if r < 0.15:
        return f"<?xml version='1.0' encoding='utf-8'?>\n<html>{head}<body>{body}</body></html>"
    return f"<!DOCTYPE html>\n<html>{head}\n<body{_wrap(rng)}>{body}</body>\n</html>\n"


def test_random_pages(monkeypatch):
    rng = random.Random(31)
    in_c = 0
    for n in range(600):
        markup = _page(rng)
        in_c += _same(Path(f"r{n}.html"), markup.encode("utf-8"), monkeypatch)
    assert in_c > 550  # the fallback only for a page not mirrored


def test_random_pages_of_spans(monkeypatch):
    """Pages of the markup around Word's spans, which the parse is given with its bare spans
    taken out (``_html_c.thin``'s ``unwrap``): read alike with and without."""
    import test_html_thin as thin

    rng = random.Random(33)
    for n in range(1500):
        pieces = rng.choices(thin._SPAN_PIECES, k=rng.randint(1, 40))
        head = rng.choice(["", "<p>一、总体情况</p>", "<table><tr><td>行政复议</td></tr></table>"])
        markup = f"<html><body><div>{head}{''.join(pieces)}</div>x</body></html>"
        _same(Path("r.html"), markup.encode("utf-8"), monkeypatch)


def test_pages_of_the_former_tests(monkeypatch):
    """The random pages of tests/test_fast_paths_html2.py."""
    import test_fast_paths_html2 as former

    rng = random.Random(32)
    for n in range(300):
        markup = former._page(rng) if n % 2 else \
            f"<html><body>{former._walk_markup(rng)}</body></html>"
        assert _same(Path("r.html"), markup.encode("utf-8"), monkeypatch), markup


@pytest.mark.parametrize("markup", [
    "<p>x</p>",
    "<html><body></body></html>",
    "<html><body> \n </body></html>",
    "<table><tr><td>x</td></tr></table>",
    "<table></table><p>三、收到和处理政府信息公开申请情况</p>",
    "<div><p>一、总体情况</p><table><tr><td>行政复议</td></tr></table></div><p>tail</p>",
    "<div>text<p>一、总体情况</p>tail<br>more</div>",
    "<table><tr><td>a<table><tr><td>行政复议</td></tr></table>b</td></tr><tr><td>c</td></tr>"
    "</table>",
    "<table><tr><td rowspan=2 colspan=2>a</td><td>b</td></tr><tr><td>c</td></tr>"
    "<tr><td>d</td></tr></table>",
    "<p><span>a</span><!-- x --><span>b</span></p>",
    "<p>a<![CDATA[b]]>c</p>",
    "<td>x</td>y",
    "<h1>标题</h1><h1>二</h1><div><p>一、总体情况</p><table><tr><td>行政复议</td></tr></table></div>",
    "<p>&#0;&#1;x\x01</p>",
    "<p>\ud7ff\ue000\U0001f600</p>",
    "<svg><p>一、总体情况</p></svg><p>x</p>",
])
def test_crafted_pages(monkeypatch, markup):
    _same(Path("r.html"), markup.encode("utf-8"), monkeypatch)


def test_a_page_past_line_65535_takes_the_python_path_alike(monkeypatch):
    """libxml2 keeps lines in 16 bits: past 65534 the compiled walks decline the page."""
    rows = "".join(f"<tr>\n<td>\n<p><span>{n}</span></p>\n</td><td>行政复议</td></tr>\n"
                   for n in range(17000))
    markup = (f"<html><body><h1>标题</h1><p>一、总体情况</p><table>{rows}</table>"
              "<p>二、主动公开政府信息情况</p></body></html>")
    assert markup.count("\n") > 65535
    assert not _same(Path("big.html"), markup.encode("utf-8"), monkeypatch)
    small = markup[:len(markup) // 3] + "</table></body></html>"
    assert small.count("\n") < 65535
    assert _same(Path("big.html"), small.encode("utf-8"), monkeypatch)


def _tree(markup: str, comments: bool = False):
    return etree.fromstring(markup.encode("utf-8"),
                            etree.HTMLParser(remove_comments=not comments, remove_pis=True,
                                             encoding="utf-8"))


def test_functions_one_by_one_are_html_pages():
    rng = random.Random(33)
    cells = 0
    for _ in range(400):
        root = _tree(f"<html><body>{_markup(rng)}</body></html>")
        body = root.find("body")
        body = root if body is None else body
        assert _c.blocks(body) == html_page._blocks(body)
        assert _c.lines_of(body) == html_page._lines_of(body)
        for table in body.iter("table"):
            assert _c.table_to_grid(table) == html_page.table_to_grid(table)
        for td in body.iter("td", "th"):
            cells += 1
            assert _c.cell_text(td) == html_page._cell_text(td)
    assert cells > 1000


def test_a_comment_in_the_tree_is_declined():
    """A tree with a comment (the reader's parser leaves them out): the compiled walks decline
    it, where lxml's walks would take the comment's text."""
    body = _tree("<html><body><p><span>一、总体<!--x-->情况</span></p></body></html>",
                 comments=True).find("body")
    assert _c.read_body(body) is None and _c.blocks(body) is None
    assert _c.blocks(_tree("<html><body><p>x</p></body></html>").find("body")) is not None


def test_the_walks_decline_exactly_the_elements_holding_other_nodes():
    """The check before every walk: an element is mirrored when all it holds, at any depth, is
    elements and text; a comment or processing instruction anywhere below it (first, last or
    only child, deep down) declines it, and one beside it does not."""
    rng = random.Random(35)
    declined = taken = 0
    for _ in range(300):
        parts = _markup(rng).split("<")
        markup = parts[0] + "".join(
            (rng.choice(["<!--c-->", "<?pi x?>"]) if rng.random() < 0.04 else "") + "<" + part
            for part in parts[1:])
        if rng.random() < 0.3:
            markup = rng.choice(["<!--c-->", "<?pi x?>"]) + markup
        root = etree.fromstring(f"<html><body>{markup}</body></html>".encode("utf-8"),
                                etree.HTMLParser(remove_comments=False, remove_pis=False,
                                                 encoding="utf-8"))
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            other = any(not isinstance(d.tag, str) for d in el.iter())
            assert (_c.lines_of(el) is None) == other, etree.tostring(el)
            declined += other
            taken += not other
    assert declined > 300 and taken > 3000


def test_page_meta_and_drops_are_html_pages():
    """``meta_and_drops``: ``_page_meta`` and the elements ``_clean`` drops, in one walk."""
    assert _c._DROP == html_page._DROP
    for name in [*html_page._DROP, "scripts", "scrip", "nav2", "hea", "s", "", "svgx", "form:x",
                 "h", "header", "title", "meta", "b", "o:p", "templates", "sty"]:
        assert _c.is_drop(name.encode()) == (name in html_page._DROP), name
    rng = random.Random(34)
    pages = [f.read_bytes() for f in _html_files()]
    pages += [_page(rng).encode("utf-8") for _ in range(300)]
    pages += [b"<html><head><title>a\n b</title><meta name=x content='1\t2'><meta property=Y "
              b"content=3><meta name='' property=z content=4><meta name=w content=''>"
              b"<meta name=x content=5><title>second</title></head><body><form><script>s"
              b"</script></form>t<nav>n</nav>u<svg><title>in svg</title></svg></body></html>"]
    for data in pages:
        tree = html_page._parse_bytes(data)
        meta, drops = _c.meta_and_drops(tree)
        assert meta == html_page._page_meta(tree)
        assert list(meta) == list(html_page._page_meta(tree))
        assert drops == list(tree.iter(*html_page._DROP))


@pytest.mark.parametrize("markup, shown", [
    ("<p style='display:none'>9</p><p>1</p>", "1"),
    ("<p STYLE=\"Display : NONE\">9</p><p>1</p>", "1"),
    ("<p><span style='display:none;mso-hide:all'>9</span>1</p>", "1"),
    ("<p><span style='display&#58;none'>9</span>1</p>", "1"),
    ("<div hidden>9</div><p>1</p>", "1"),
    ("<p><s>9</s>1</p>", "1"), ("<p><STRIKE>9</STRIKE>1</p>", "1"), ("<p><del>9</del>1</p>", "1"),
    ("<p>1<sup>2</sup></p>", "1 2"),
])
def test_what_a_browser_shows_otherwise_is_read_as_shown(markup, shown, monkeypatch):
    """A page holding a hidden element, struck-through text or a superscript: the compiled
    ``thin`` declines it, the page is read in Python as a browser shows it (html_page
    ``_as_shown``), and both paths read alike."""
    data = f"<html><body>{markup}</body></html>".encode("utf-8")
    assert html_page._html_c.thin(data, True) is None
    assert html_page.shown_otherwise(data)
    _same(Path("h.html"), data, monkeypatch)
    document = html_page.read(Source(Path("h.html"), data))
    assert " ".join(b.text for b in document.blocks) == shown


def test_a_page_that_shows_its_text_as_written_is_taken_by_thin(monkeypatch):
    """Styles that hide nothing a browser would (Word's mso-hide alone, which browsers ignore),
    a class named hidden: the page is read as written, in C."""
    data = ("<html><body><p style='color:red;display:block'>1</p><table><tr><td colspan=2>"
            "2</td></tr></table><p class=hidden>3</p><p><span style='mso-hide:none'>4</span>5"
            "<span style='mso-hide:all'>6</span></p></body></html>").encode("utf-8")
    assert html_page._html_c.thin(data, True) is not None
    assert _same(Path("h.html"), data, monkeypatch)
    document = html_page.read(Source(Path("h.html"), data))
    assert [b.text for b in document.blocks if hasattr(b, "text")][-2:] == ["3", "456"]


def test_a_page_in_another_encoding_is_read_as_shown_both_ways(monkeypatch):
    """The search for what is shown otherwise reads the page's text, whatever its encoding
    (a UTF-16 page's bytes hold no ``display:none`` as ASCII)."""
    page = "<html><body><p style='display:none'>9</p><p>1</p></body></html>"
    data = b"\xff\xfe" + page.encode("utf-16-le")
    _same(Path("h.html"), data, monkeypatch)
    document = html_page.read(Source(Path("h.html"), data))
    assert " ".join(b.text for b in document.blocks) == "1"
