"""The web page and text readers' faster steps (issue 17, second round) against the code they
replaced, kept here as the references, on many random inputs."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from lxml import etree

from loaders.model import Paragraph, Source
from loaders.readers import _text, html_page, layout_text, pipe_tables, run_text
from loaders.readers._layout_rows import Token

# Any whitespace, NBSP and U+3000 included: what the reader's former walks removed.
_WS = re.compile(r"\s+")

# ---------------------------------------------------------------------------------------------
# References: the former code
# ---------------------------------------------------------------------------------------------


def ref_cell_text(td) -> str:
    if len(td) == 0:
        return html_page._collapse(td.text or "").strip(" ")
    if len(td) == 1 and not (td.text or "").strip(html_page._HTML_SPACE):
        p = td[0]
        if p.tag in html_page._BLOCK and not (p.tail or "").strip(html_page._HTML_SPACE) \
                and (text := html_page._text_of(p)).isprintable() and "  " not in text \
                and not html_page._holds_break(p):
            return text.strip(" ")
    return "\n".join(html_page._lines_of(td))


def ref_span(el, name: str) -> int:
    if el.get(name) is None:
        return 1
    try:
        return max(1, min(int(re.sub(r"\D", "", el.get(name) or "1") or 1), 500))
    except ValueError:
        return 1


def ref_is_layout(table) -> bool:
    """A table holding a table, but for a table of the form holding inline ones (one row, a
    number alone, inside a cell of a row of several cells)."""
    inner = table.findall(".//table")
    if not inner:
        return False

    def unspaced(el):
        return "".join("".join(el.itertext()).split())

    def inline(t):
        trs = t.findall(".//tr")
        if len(trs) != 1 or t.find(".//table") is not None:
            return False
        text = " ".join(unspaced(td) for td in trs[0] if td.tag in ("td", "th")).strip()
        host = next(t.iterancestors("td", "th"), None)
        return bool(re.fullmatch(r"[+\-−]?[\d,，.．]+( ?(件|条|个|项|人次|万元|元|%|％))?", text)) \
            and host is not None and len([c for c in host.getparent() if c.tag in ("td", "th")]) >= 2

    return not (all(inline(t) for t in inner) and html_page.is_form_table(unspaced(table)))


def ref_tab_profile(lines: list[str]) -> tuple[int, int]:
    single = sum(1 for ln in lines if ln.startswith("\t") and "\t" not in ln[1:])
    multi = sum(1 for ln in lines if "\t" in ln.lstrip("\t") or ln.count("\t") > 1)
    return single, multi


def ref_space_aligned(lines: list[str]) -> bool:
    ends: Counter[int] = Counter()
    rows = 0
    for n, text in enumerate(lines):
        if "  " not in text.strip():
            continue
        numbers = [t for t in layout_text.tokens_of(text.replace("\f", ""), n)
                   if layout_text.is_number(t.text)]
        if len(numbers) >= 2 and len(layout_text._TOKEN.findall(text)) >= 3:
            rows += 1
            ends.update(t.x1 for t in numbers)
    return rows >= 3 and sum(1 for count in ends.values() if count >= 3) >= 2


def ref_tokens_of(text: str, line: int, page: int = 1) -> list[Token]:
    stripped = text.lstrip(" ")
    if "  " not in stripped and "\u3000" not in stripped and stripped.strip():
        x0 = len(text) - len(stripped)
        word = stripped.rstrip()
        return [Token(word, line, x0, x0 + len(word), page, layout_text._is_value(word))]
    return [Token(m.group(), line, m.start(), m.end(), page, layout_text._is_value(m.group()))
            for m in layout_text._TOKEN.finditer(text)]


def ref_pipe_cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [pipe_tables._BREAK.sub("\n", c.strip()).strip(" ")
            for c in re.split(r"(?<!\\)\|", inner)]


def ref_decode_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------------------------------
# Random inputs
# ---------------------------------------------------------------------------------------------

_PIECES = ["26", "申请人情", "况", " ", "  ", "\n", "\t", "\u00a0", "\u3000", "&nbsp;", "a b",
           "x\r\ny", "\f", "", "（一）", "一、总体情况"]
_INLINE = ["span", "font", "b", "o:p", "a", "strong"]
_BLOCKS = ["p", "div", "li", "h2"]


def _inline(rng: random.Random, depth: int = 0) -> str:
    out = []
    for _ in range(rng.randint(0, 3)):
        r = rng.random()
        if r < 0.5 or depth > 2:
            out.append(rng.choice(_PIECES))
        elif r < 0.9:
            tag = rng.choice(_INLINE)
            out.append(f"<{tag}>{_inline(rng, depth + 1)}</{tag}>")
        elif r < 0.95:
            out.append("<br>")
        else:
            tag = rng.choice(_BLOCKS)
            out.append(f"<{tag}>{_inline(rng, depth + 1)}</{tag}>")
    return "".join(out)


def _cell(rng: random.Random) -> str:
    before = rng.choice(["", "\n", " ", "\n  ", "\u00a0", "x"])
    after = rng.choice(["", "\n", " ", "\n  ", "\u00a0", "y"])
    r = rng.random()
    if r < 0.25:
        inner = rng.choice(_PIECES)
    elif r < 0.8:
        tag = rng.choice(_BLOCKS + ["span"])
        inner = f"{before}<{tag} class='MsoNormal'>{_inline(rng)}</{tag}>{after}"
    else:
        inner = before + _inline(rng) + after
    span = rng.choice(["", "", "", ' colspan="2"', ' rowspan="3"', ' colspan="x2"', ' colspan=""',
                       ' rowspan="０"', ' colspan="²"', ' colspan="9999"', ' rowspan=" 2 "'])
    return f"<td{span}>{inner}</td>"


def _page(rng: random.Random) -> str:
    rows = []
    for _ in range(rng.randint(1, 4)):
        rows.append("<tr>" + "".join(_cell(rng) for _ in range(rng.randint(1, 4))) + "</tr>\n")
    nested = "<tr><td><table><tr><td>1</td></tr></table></td></tr>" if rng.random() < 0.2 else ""
    return f"<html><body><table>\n{''.join(rows)}{nested}</table></body></html>"


def _tree(markup: str):
    return etree.fromstring(markup.encode("utf-8"),
                            etree.HTMLParser(remove_comments=True, remove_pis=True,
                                             encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_cell_text_is_the_former_and_the_walks():
    rng = random.Random(17)
    cells = 0
    for _ in range(1500):
        root = _tree(_page(rng))
        for td in root.iter("td", "th"):
            cells += 1
            assert html_page._cell_text(td) == ref_cell_text(td) \
                == "\n".join(html_page._lines_of(td)), etree.tostring(td, encoding=str)
    assert cells > 5000


def test_word_blank_cell_takes_the_fast_path_with_the_same_text():
    td = _tree("<table><tr><td>\n<p class=MsoNormal><span><o:p>&nbsp;</o:p></span></p>\n</td>"
               "</tr></table>").find(".//td")
    assert html_page._cell_text(td) == ref_cell_text(td) == "\u00a0"


def test_spans_and_layout_are_the_former():
    rng = random.Random(18)
    for _ in range(800):
        root = _tree(_page(rng))
        for td in root.iter("td"):
            for name in ("colspan", "rowspan"):
                assert html_page._span_of(td.get(name)) == ref_span(td, name)
        for table in root.iter("table"):
            assert html_page._is_layout(table) == ref_is_layout(table)


def test_tab_profile_is_the_former():
    rng = random.Random(19)
    alphabet = ["\t", "a", " ", "\u3000", "一"]
    for _ in range(3000):
        lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
                 for _ in range(rng.randint(0, 8))]
        assert _text.tab_profile(lines) == ref_tab_profile(lines), lines


_LAYOUT_WORDS = ["12", "3,400", "0", "—", "无", "行政许可", "合计", "-4-", "5.5%", "第二十条"]


def _layout_lines(rng: random.Random) -> list[str]:
    lines = []
    if rng.random() < 0.5:  # a table: numbers right-aligned on columns, now and then off by one
        ends = sorted(rng.sample(range(12, 60, 4), rng.randint(1, 4)))
        for _ in range(rng.randint(2, 8)):
            line = rng.choice(["行政许可", "其他", "", "  合计"])
            for end in ends:
                word = rng.choice(_LAYOUT_WORDS[:5])
                end += rng.choice([0, 0, 0, 1])
                line += " " * max(end - len(word) - len(line), rng.choice([1, 2]))
                line += word
            lines.append(line)
    for _ in range(rng.randint(1, 12)):
        words = [rng.choice(_LAYOUT_WORDS) for _ in range(rng.randint(0, 6))]
        line = ""
        for w in words:
            line += " " * rng.choice([0, 1, 2, 3, 6]) + w
        if rng.random() < 0.1:
            line = "\f" + line
        if rng.random() < 0.1:
            line += "\u3000" + rng.choice(_LAYOUT_WORDS)
        lines.append(line)
    return lines


def test_space_aligned_and_tokens_are_the_former():
    rng = random.Random(20)
    seen = Counter()
    for _ in range(3000):
        lines = _layout_lines(rng)
        result = layout_text.space_aligned(lines)
        seen[result] += 1
        assert result == ref_space_aligned(lines), lines
        for n, line in enumerate(lines):
            new, old = layout_text.tokens_of(line, n), ref_tokens_of(line, n)
            assert [(t.text, t.line, t.x0, t.x1, t.page, t.value) for t in new] == \
                [(t.text, t.line, t.x0, t.x1, t.page, t.value) for t in old]
            for t in new:
                assert t.size == len(re.sub(r"\s", "", t.text))
    assert seen[True] and seen[False]


@pytest.mark.parametrize("text", ["行政 许可", "a\u00a0b", "x\u3000y", "\t1", "12", "", "二\u2028三"])
def test_token_size(text):
    assert Token(text, 1, 0, 1, 1, False).size == len(re.sub(r"\s", "", text))


def test_pipe_cells_are_the_former():
    rng = random.Random(21)
    parts = ["|", "|", "a", " ", "<br>", "<BR />", "\\|", "\\", "12", "行政许可", "\u3000", "\t"]
    for _ in range(5000):
        line = "".join(rng.choice(parts) for _ in range(rng.randint(0, 12)))
        assert pipe_tables._pipe_cells(line) == ref_pipe_cells(line), line


def test_pipe_text_to_blocks_skips_and_keeps_what_the_former_regexes_did():
    lines = ["# 标题", "## 表三：收到和处理政府信息公开申请情况", "— 5 —", "第 4 页 共 9 页", "|---|---|",
             "| a | b |", "---", "-4-", "第二十条", "－ 3 －", "###  三、其他", "#", ""]
    blocks = pipe_tables.text_to_blocks(lines)
    for n, line in enumerate(lines, 1):
        stripped = line.strip()
        skipped_before = (pipe_tables._SEPARATOR.match(stripped) and "-" in stripped) or \
            pipe_tables._PLACEHOLDER.match(stripped) or pipe_tables._PAGE_FOOTER.match(stripped)
        kept = any(getattr(b, "line", None) == n for b in blocks) or any(
            c.line == n for b in blocks for r in getattr(b, "rows", []) for c in r)
        assert not (skipped_before and kept), line


def test_run_text_read_takes_the_claims_runs_and_they_are_find_runs():
    lines = ["一、本年新收政府信息公开申请数量5000005二、上年结转政府信息公开申请数量0000000",
             "规章 0 0 0 行政规范性文件 5 0 5", "", "本报告说明如下。"]
    run_text.has_run_tables(lines)
    for line in lines:
        assert run_text._LAST_RUNS[line] == run_text.find_runs(line)
    with_memo = [run_text.line_to_items(ln, 1) for ln in lines]
    run_text._LAST_RUNS.clear()
    assert with_memo == [run_text.line_to_items(ln, 1) for ln in lines]


@pytest.mark.parametrize("data", [b"a\r\nb\rc\n", b"no cr\n", b"", "中文\r\n".encode("gb18030"),
                                  "x\ry".encode("utf-16"), b"\xef\xbb\xbfa\r\n"])
def test_decode_newlines_as_the_former(data):
    from pathlib import Path

    source = Source(Path("x.txt"), data)
    text, _ = _text.decode(source)
    assert "\r" not in text
    raw = _text._utf8_or_detected(data)[0] if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe",
                                                                   b"\xfe\xff")) else None
    if raw is not None:
        assert text == ref_decode_newlines(raw)


def test_control_bytes_as_the_former():
    rng = random.Random(22)
    for _ in range(2000):
        data = bytes(rng.choice([0x09, 0x0a, 0x0d, 0x20, 0x41, 0xe4, 0x1f, 0x0b, 0x00, 0x0c, 0x7f])
                     for _ in range(rng.randint(0, 10)))
        assert html_page._has_control_byte(data) == \
            (len(data.translate(None, html_page._CONTROL_BYTES)) != len(data))


def test_unspaced_is_the_regex_on_every_code_point():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert html_page._unspaced(every) == re.sub(r"\s+", "", every)
    for text in ["一、 总体\u3000情况\n", " \u00a0", "", "a\u2028b\x1cc\x85d"]:
        assert html_page._unspaced(text) == _WS.sub("", text)


class RefPage(html_page._Page):
    """The page's walk before the paragraph of inline elements was taken in one piece."""

    def _walk(self, body, form_tables: set) -> None:
        """Every block element's first line, as ``_lines_of(el)[0]`` would give it one by one:
        a line ends at a ``<br>`` and, once it holds more than whitespace, at the start or end of
        a block element; a block's first line is the first line that starts inside it and is not
        empty once its spaces are stripped. A line of whitespace such as NBSP ended by a ``<br>``
        is such a first line (``_lines_of`` strips only spaces), and not a heading.

        Inside a form table, the walk goes round a block (a row) when no block outside it is
        waiting for its first line: a heading in it changes nothing (the table is a mark
        already), and a block's end leaves no line that holds more than whitespace."""
        blocks, outer, headings = self.blocks, self.outer, self.headings
        pieces: list[str] = []  # the current line's text, raw
        filled = False  # whether the current line holds more than whitespace
        waiting: list[list] = []  # [block, index in pieces where its line starts]: first line unseen
        open_blocks: list = []
        in_form = None  # the form table the walk is in
        passed = self.passed
        walker = etree.iterwalk(body, events=html_page._EVENTS)
        for event, node in walker:
            tag = node.tag
            if tag not in html_page._MARKS:  # an inline element (most of them): its text joins the line
                text = node.text if event == "start" else node.tail if node is not body else None
                if text:
                    pieces.append(text)
                    if not filled and not text.isspace():
                        filled = True
                continue
            if tag == "table" and node in form_tables:
                in_form = node if event == "start" else None
            elif in_form is not None and not waiting and event == "start" and tag in html_page._BLOCK:
                if filled:
                    pieces.clear()
                    filled = False
                if open_blocks:
                    outer.add(open_blocks[-1])
                open_blocks.append(node)
                blocks.append(node)
                passed.add(node)
                walker.skip_subtree()  # its end comes next, with nothing waiting and no line
                continue
            block = tag in html_page._BLOCK
            if block or (tag == "br" and event == "start"):
                if filled:  # the line ends: the first line of every block waiting for one
                    if waiting:
                        own = _WS.sub("", "".join(pieces))
                        if len(own) < html_page.MAX_OWN and html_page.is_heading(own):
                            headings.extend(w[0] for w in waiting)
                        waiting.clear()
                    pieces.clear()
                    filled = False
                elif not block:  # a <br> ends the line, blank as it is
                    for w in [w for w in waiting if "".join(pieces[w[1]:]).strip(html_page._HTML_SPACE)]:
                        waiting.remove(w)  # its first line is NBSP or the like: not a heading
                    for w in waiting:
                        w[1] = 0
                    pieces.clear()
            if event == "start":
                if block:
                    if open_blocks:
                        outer.add(open_blocks[-1])
                    open_blocks.append(node)
                    blocks.append(node)
                    waiting.append([node, len(pieces)])
                text = node.text
            else:
                if block:
                    if waiting and waiting[-1][0] is node:
                        waiting.pop()  # nothing but whitespace in it
                    open_blocks.pop()
                text = node.tail if node is not body else None
            if text:
                pieces.append(text)
                if not filled and not text.isspace():
                    filled = True


_WALK_TAGS = ["p", "div", "span", "b", "o:p", "br", "h3", "li", "td", "tr", "table"]
_WALK_TEXT = ["一、总体情况", "（二）主动公开政府信息情况", "26", " ", "\n", "\u00a0", "", "申请人", "x y",
              "三、收到和处理政府信息公开申请情况", "\u3000", "  四、政府信息公开行政复议、行政诉讼情况 "]


def _walk_markup(rng: random.Random, depth: int = 0) -> str:
    out = []
    for _ in range(rng.randint(1, 4)):
        if depth > 3 or rng.random() < 0.35:
            out.append(rng.choice(_WALK_TEXT))
            continue
        tag = rng.choice(_WALK_TAGS)
        if tag == "br":
            out.append("<br>")
        elif tag == "table":
            rows = "".join("<tr>" + "".join(f"<td>{_walk_markup(rng, depth + 2)}</td>"
                                            for _ in range(rng.randint(1, 3))) + "</tr>"
                           for _ in range(rng.randint(1, 3)))
            landmark = "<tr><td>行政复议</td><td>1</td></tr>" if rng.random() < 0.5 else ""
            out.append(f"<table>{landmark}{rows}</table>")
        else:  # a tag's end on a line below its start (Word wraps its long tags)
            wrap = rng.choice(["", "", "\n", "\nclass=MsoNormal", " lang=EN-US\n\n"])
            out.append(f"<{tag}{wrap}>{_walk_markup(rng, depth + 1)}</{tag}>")
        out.append(rng.choice(_WALK_TEXT))
    return "".join(out)


def test_page_walk_is_the_former():
    rng = random.Random(23)
    headings = 0
    for _ in range(1500):
        root = _tree(f"<html><body>{_walk_markup(rng)}</body></html>")
        body = root.find("body")
        body = root if body is None else body
        tables = html_page._form_tables(body)
        new, old = html_page._Page(body, tables), RefPage(body, tables)
        assert new.blocks == old.blocks and new.outer == old.outer \
            and new.headings == old.headings and new.passed == old.passed, \
            etree.tostring(body, encoding=str)
        headings += len(new.headings)
    assert headings > 100


def ref_blocks(root) -> list:
    blocks: list = []
    buffer, line = "", 0  # the paragraph being read and the line of its first text

    walker = etree.iterwalk(root, events=html_page._EVENTS)
    for event, node in walker:
        tag = node.tag
        if tag not in html_page._CELL_MARKS:  # an inline element (most of them): its text joins the buffer
            if event == "start":
                text, at = node.text, node
            elif node is root:
                break
            else:
                text, at = node.tail, node
        elif event == "start":
            if tag == "table" and not html_page._is_layout(node):
                if (text := buffer.strip(" ")):
                    blocks.append(Paragraph(text, line))
                buffer, line = "", 0
                grid = html_page.table_to_grid(node)
                if grid.rows:
                    blocks.append(grid)
                walker.skip_subtree()
                continue
            if tag == "br" or tag in html_page._BLOCK:
                if (text := buffer.strip(" ")):
                    blocks.append(Paragraph(text, line))
                buffer, line = "", 0
            text, at = node.text, node
        else:
            if tag in html_page._BLOCK or tag == "td" or tag == "th":
                if (text := buffer.strip(" ")):
                    blocks.append(Paragraph(text, line))
                buffer, line = "", 0
            if node is root:
                break
            text, at = node.tail, node
        if text and not text.isspace():
            if not buffer or buffer.isspace():
                line = at.sourceline or (at.getparent().sourceline if event == "end" else 0) or 0
            buffer += html_page._collapse(text)
    if (text := buffer.strip(" ")):
        blocks.append(Paragraph(text, line))
    return blocks


def test_report_blocks_are_the_former():
    rng = random.Random(24)
    paragraphs = 0
    for _ in range(1500):
        root = _tree(f"<html><body>{_walk_markup(rng)}<p><span>一、总体情况</span><b>x</b>"
                     f"<span>\n</span></p>{_walk_markup(rng)}</body></html>")
        body = root.find("body")
        body = root if body is None else body
        new, old = html_page._blocks(body), ref_blocks(body)
        assert new == old, etree.tostring(body, encoding=str)
        paragraphs += sum(isinstance(b, Paragraph) for b in new)
    assert paragraphs > 3000


def test_report_blocks_lines_on_a_pretty_printed_page():
    markup = ("<html><body>\n<p class=MsoNormal>\n<span lang=EN-US>\n</span><span>一、总体情况"
              "</span></p>\n<p><b>\n<i></i></b>tail<span>x</span></p>\n<div><span></span>"
              "<span>\nab</span></div><p>plain</p><p\nclass=MsoNormal><span\nlang=EN-US></span>"
              "<b\n>x<span\n>y</span></b>z</p><p\n><i\n></i\n>tail</p></body></html>")
    assert [b.line for b in html_page._blocks(_tree(markup).find("body"))][-2:] == [11, 14]
    body = _tree(markup).find("body")
    assert html_page._blocks(body) == ref_blocks(body)


def ref_kind(text, tokens, width):
    stripped = text.strip()
    if not stripped:
        return "blank"
    if layout_text._FOOTER.match(stripped):
        return "footer"
    if any(layout_text.is_number(t.text) for t in tokens):
        return "values"
    if len(tokens) >= 2 and tokens[-1].value and not tokens[0].value:
        return "values"
    if "   " not in stripped:
        if len(tokens) == 1 and layout_text.is_heading(stripped):
            return "heading"
        if layout_text._SENTENCE_END.search(stripped):
            return "prose"
        if len(stripped) >= layout_text.PROSE_SHARE * width:
            return "long"
    return "text"


def test_line_kinds_are_the_former():
    rng = random.Random(25)
    for _ in range(3000):
        for n, line in enumerate(_layout_lines(rng) + ["三、收到和处理政府信息公开申请情况", "本年度。",
                                                        "  -4-  ", ""]):
            tokens = layout_text.tokens_of(line.replace("\f", ""), n)
            for width in (10, 24, 60):
                assert layout_text._kind(line, tokens, width) == ref_kind(line, tokens, width)


def test_walks_with_comments_kept_are_the_former():
    """The fast paths decline a block holding a comment (the reader's parser leaves them out,
    another parser may not): the walks take its text, libxml2's content does not."""
    parser = etree.HTMLParser(encoding="utf-8")  # comments kept
    markup = ("<html><body><p><span>一、总体<!--x-->情况</span></p><p>a<!--y--><b>b</b></p>"
              "<table><tr><td><p><span>1<!--z--></span></p></td></tr></table></body></html>")
    body = etree.fromstring(markup.encode("utf-8"), parser).find("body")
    assert html_page._blocks(body) == ref_blocks(body)
    new, old = html_page._Page(body, []), RefPage(body, [])
    assert new.blocks == old.blocks and new.headings == old.headings and new.outer == old.outer


def test_no_printable_whitespace_but_the_space():
    """Token.size's shortcut: a printable text without " " holds no whitespace."""
    for c in map(chr, range(0x110000)):
        if c.isspace():
            assert c == " " or not c.isprintable(), hex(ord(c))


def test_page_title_is_the_former_search_among_the_walks_blocks():
    rng = random.Random(27)
    found = 0
    for _ in range(1500):
        parts = [_walk_markup(rng) for _ in range(3)]
        h1s = [f"<h1>{rng.choice(_WALK_TEXT)}标题</h1>" if rng.random() < 0.6 else "" for _ in range(3)]
        form = ("<table><tr><td><h1>表内</h1>行政复议</td><td>1</td></tr></table>"
                if rng.random() < 0.7 else "")
        markup = (f"<html><body>{h1s[0]}{parts[0]}<div>{h1s[1]}{form}{parts[1]}"
                  f"<p>三、收到和处理政府信息公开申请情况</p></div>{h1s[2]}{parts[2]}</body></html>")
        body = _tree(markup).find("body")
        page = html_page._Page(body, html_page._form_tables(body))
        root = html_page._report_root(body, page)
        if root is body:
            continue
        old = next((h for h in page.blocks if h.tag == "h1"
                    and h is not root and root not in h.iterancestors()), None)
        assert html_page._page_title(body, root) is old, markup
        found += old is not None
    assert found > 50
