"""The HTML reader, one quirk per test (corpus shuyang_fgj_2023.html has all of them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loaders import readers
from loaders.model import Grid, Paragraph, Source
from loaders.readers import html_page

ROOT = Path(__file__).resolve().parent.parent


def read(html: str, name: str = "report.html"):
    return html_page.read(Source(Path(name), html.encode("utf-8")))


def grids(doc):
    return [b for b in doc.blocks if isinstance(b, Grid)]


def texts(grid):
    return [[c.text for c in row] for row in grid.rows]


def prose(doc):
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def test_html_rowspan_and_colspan_expand_into_empty_positions():
    doc = read("""<table>
      <tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>9</td></tr>
      <tr><td>（二）部分公开</td><td></td><td>0</td></tr>
    </table>""")
    assert texts(grids(doc)[0]) == [["三、本年度办理结果", "（一）予以公开", "", "9"],
                                     ["", "（二）部分公开", "", "0"]]


def test_html_label_split_over_spans_is_joined():
    doc = read('<table><tr><td><p><span>申请人情</span><span>况</span></p></td>'
               '<td><span>1.</span><font>属于国家秘密</font></td></tr></table>')
    assert texts(grids(doc)[0]) == [["申请人情况", "1.属于国家秘密"]]


def test_html_br_and_paragraphs_inside_a_cell_are_line_breaks():
    doc = read("<table><tr><td>结果<br>维持</td><td><p>商业</p><p>企业</p></td></tr></table>")
    assert texts(grids(doc)[0]) == [["结果\n维持", "商业\n企业"]]


def test_html_source_formatting_whitespace_collapses():
    doc = read("<table><tr><td>\n      1\n   0\n </td><td>\n 12 </td></tr></table>")
    assert texts(grids(doc)[0]) == [["1 0", "12"]]


def test_html_word_empty_paragraph_is_a_blank_cell():
    doc = read("<table><tr><td>自然人</td><td><p><o:p>\u00a0</o:p></p></td></tr></table>")
    assert texts(grids(doc)[0])[0][1].strip("\u00a0") == ""


def test_html_site_chrome_is_ignored():
    doc = read("""<html><head><title>x</title><script>var 自然人 = 1;</script></head><body>
      <nav><a>首页</a><a>政务公开</a></nav>
      <table><tr><td>名称</td><td>索引号</td></tr></table>
      <div id="content">
        <p>一、总体情况</p><p>本年度……</p>
        <p>三、收到和处理政府信息公开申请情况</p>
        <table><tr><td>本年新收</td><td>1</td></tr></table>
      </div>
      <footer>版权所有</footer></body></html>""")
    assert [texts(g) for g in grids(doc)] == [[["本年新收", "1"]]]
    assert prose(doc) == ["一、总体情况", "本年度……", "三、收到和处理政府信息公开申请情况"]


def test_html_form_table_outside_the_headings_box_is_kept_and_the_site_tables_dropped():
    # the prose in one box, the form's table after it: the report is what holds both, found by
    # the words only the form's tables hold (自然人, 本年新收, …); the site's own tables are not
    doc = read("""<html><body><table><tr><td>索引号</td><td>发布机构</td></tr></table>
      <div id="main"><p>发布日期：2024-01-15</p>
        <div class="text"><p>一、总体情况</p><p>本年度……</p><p>三、收到和处理政府信息公开申请情况</p></div>
        <table><tr><td></td><td>自然人</td></tr><tr><td>一、本年新收政府信息公开申请数量</td>
        <td>5</td></tr></table></div>
      <div id="footer"><table><tr><td>主办单位</td><td>网站标识码</td></tr></table></div>
      </body></html>""")
    assert [texts(g) for g in grids(doc)] == [[["", "自然人"], ["一、本年新收政府信息公开申请数量", "5"]]]
    assert prose(doc) == ["发布日期：2024-01-15", "一、总体情况", "本年度……",
                          "三、收到和处理政府信息公开申请情况"]


def test_html_page_title_outside_the_report_is_kept_first():
    doc = read("""<body><h1>某某局2023年政府信息公开年度报告</h1><div><div id="c">
      <p>一、总体情况</p><table><tr><td>自然人</td></tr></table></div></div></body>""")
    assert prose(doc)[0] == "某某局2023年政府信息公开年度报告"


def test_html_layout_table_is_a_container_not_a_grid():
    doc = read("""<table><tr><td><p>一、总体情况</p><p>正文</p>
      <table><tr><td>本年新收</td><td>3</td></tr></table></td></tr></table>""")
    assert [texts(g) for g in grids(doc)] == [[["本年新收", "3"]]]
    assert "正文" in prose(doc)


def test_html_cells_keep_their_source_lines():
    doc = read("<table>\n<tr>\n<td>本年新收</td>\n<td>3</td>\n</tr>\n</table>")
    row = grids(doc)[0].rows[0]
    assert [c.line for c in row] == [3, 4]  # <table> is line 1


def test_html_saved_as_txt_is_read_as_html():
    source = Source(Path("page.txt"), "<!DOCTYPE html><html><body><p>x</p></body></html>".encode())
    assert [r.NAME for r in readers.readers_claiming(source)] == ["html_page"]


def test_html_declaring_gbk_is_decoded_from_its_bytes():
    html = '<?xml version="1.0" encoding="gbk"?><html><body><p>一、总体情况</p><p>政府信息公开</p></body></html>'
    doc = html_page.read(Source(Path("r.htm"), html.encode("gbk")))
    assert "政府信息公开" in prose(doc)


def test_html_cell_text_below_its_tag_has_the_lines_of_its_text():
    """A pretty-printed page puts a cell's text on the lines below its ``<td>`` (and a start tag
    over several lines ends where its text begins): the cell starts at its tag and ends on the
    line of its last character, so that a number's lines hold its text."""
    doc = read("<table>\n<tr>\n<td>\n26\n</td>\n<td\n width=3>\n7\n\n</td>"
               "<td><p>\n1\n</p></td></tr>\n</table>")
    [row] = grids(doc)[0].rows
    assert [(c.text, c.line, c.line_end) for c in row] == [("26", 3, 4), ("7", 7, 8),
                                                           ("1", 10, 11)]


def test_html_characters_xml_cannot_hold_are_dropped():
    # Control characters (a vertical tab, U+001F) and U+FFFE/U+FFFF carry nothing in a report;
    # they are looked for in the encoded page (issue 17) and removed before the parse.
    for odd in ("\x0b", "\x1f", "\x01", "\ufffe", "\uffff"):
        doc = read(f"<table><tr><td>申请人{odd}情况</td><td>1{odd}2</td></tr></table>")
        assert texts(grids(doc)[0]) == [["申请人情况", "12"]], repr(odd)


def test_html_lines_are_the_same_whether_the_bytes_are_parsed_as_they_are_or_encoded_again():
    # Plain UTF-8 pages are parsed from the file's bytes (issue 17); a byte-order mark, carriage
    # returns or an XML declaration make the reader encode the decoded text again: same lines.
    page = ("<html><body>\n<p>一、总体情况</p>\n<table>\n<tr>\n<td>本年新收</td>\n<td>\n3\n</td>\n"
            "</tr>\n</table>\n</body></html>")
    expected = [("本年新收", 5, 5), ("3", 6, 7)]
    for data in (page.encode(), page.replace("\n", "\r\n").encode(),
                 page.replace("\n", "\r").encode(), b"\xef\xbb\xbf" + page.encode()):
        doc = html_page.read(Source(Path("r.html"), data))
        [row] = grids(doc)[0].rows
        assert [(c.text, c.line, c.line_end) for c in row] == expected, data[:20]
        assert prose(doc) == ["一、总体情况"]
    doc = read('<?xml version="1.0" encoding="utf-8"?>' + page)
    assert [(c.text, c.line) for c in grids(doc)[0].rows[0]] == [("本年新收", 5), ("3", 6)]


def test_html_title_is_the_first_h1_outside_the_report_even_with_h1_in_the_form_table():
    # The page's title is looked for among the blocks the page's walk found; an <h1> inside a
    # form table's row (rows the walk goes round) is inside the report, never the title.
    doc = read("""<body><div id="site"><h1>某某局2023年政府信息公开年度报告</h1></div>
      <div id="c"><p>一、总体情况</p><table><tr><td><h1>自然人</h1></td><td>3</td></tr></table>
      </div></body>""")
    assert prose(doc)[0] == "某某局2023年政府信息公开年度报告"
    doc = read("""<body><div id="site"><p>网站首页</p></div>
      <div id="c"><p>一、总体情况</p><table><tr><td><h1>自然人</h1></td><td>3</td></tr></table>
      </div></body>""")
    assert "自然人" not in prose(doc)


@pytest.mark.parametrize("declared", ['<meta charset="gb2312">', "", '<meta charset="utf-8">'])
def test_a_word_made_page_in_gbk_reads_as_in_utf8(declared):
    """A real-size page in GBK, its charset declared, not declared, or declared wrongly: 85%
    of it markup, charset-normalizer took it for Cyrillic (ISO 8859-5) and the report loaded as
    prose of nonsense; GB18030, which gives the words a report says of itself, reads it."""
    from loaders.pipeline import load_report, source_to_report

    page = (ROOT / "reports/shuyang_fgj_2023.html").read_text(encoding="utf-8")
    page = re.sub(r"<meta[^>]*charset[^>]*>", "", page, flags=re.I)
    page = page.replace("<head>", "<head>" + declared, 1)
    original = load_report(ROOT / "reports/shuyang_fgj_2023.html")
    report = source_to_report(Source(Path("r.html"), page.encode("gbk")))
    assert report.document.encoding == "gb18030"
    assert (report.agency, report.year) == (original.agency, original.year)
    assert [(v.row_key, v.column_key, v.value) for v in report.values] == [
        (v.row_key, v.column_key, v.value) for v in original.values]
