"""layout_text: ``pdftotext -layout`` output, each quirk by name.

Expected values are read from the files (tests/samples/layout_text/, reports/huaian_…): labels
as the document prints them, numbers where they stand, by character column.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPORTS
from loaders import readers
from loaders.model import Cell, Grid, Paragraph, Source
from loaders.readers import layout_text
from loaders.readers._layout_rows import header_rows
from loaders.form.template import normalize_label

SAMPLES = Path(__file__).resolve().parent / "samples" / "layout_text"
HUAIAN = REPORTS / "huaian_szf_2024_pdftotext_layout.txt"


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def blocks_of(path: Path):
    return layout_text.text_to_blocks(lines_of(path))


def grids(blocks) -> list[Grid]:
    return [b for b in blocks if isinstance(b, Grid)]


def norms(row: list[Cell]) -> list[str]:
    return [normalize_label(c.text) for c in row]


def numbers(row: list[Cell]) -> list[str]:
    return [c.text for c in row if re.fullmatch(r"[\d.]+", c.text)]


def row_labelled(grid_list: list[Grid], label: str) -> list[Cell]:
    return next(row for g in grid_list for row in g.rows if label in norms(row))


# --- claims -----------------------------------------------------------------------------------

def test_pdftotext_layout_is_claimed_by_layout_text_alone():
    source = Source.from_path(HUAIAN)
    assert [r.NAME for r in readers.readers_claiming(source)] == ["layout_text"]


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_every_sample_is_read_as_layout_text(sample):
    assert readers.read(Source.from_path(sample)).layout == "layout_text"


def test_prose_with_numbers_and_single_spaces_is_not_a_layout():
    text = ["2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件。"] * 10
    assert not layout_text.space_aligned(text)


def test_numbers_in_no_common_column_are_not_a_layout():
    # wide gaps, but the numbers of each line stand in columns of their own: not a table
    text = ["项" * (3 * i) + f"  {i}  {i * 7}  {i * 13}" for i in range(1, 12)]
    assert not layout_text.space_aligned(text)


# --- tokens and positions ---------------------------------------------------------------------

def test_a_cell_is_text_between_gaps_of_two_spaces_and_keeps_its_columns():
    tokens = layout_text.tokens_of("规章            1          0        11", 7)
    assert [(t.text, t.x0, t.x1, t.line) for t in tokens] == [
        ("规章", 0, 2, 7), ("1", 14, 15, 7), ("0", 25, 26, 7), ("11", 34, 36, 7)]
    assert [t.value for t in tokens] == [False, True, True, True]


def test_a_word_with_single_spaces_stays_one_cell():
    [token] = layout_text.tokens_of("   结 果", 1)
    assert (token.text, token.x0, token.x1) == ("结 果", 3, 6)


def test_every_number_cell_stands_at_its_columns_on_its_line():
    """huaian: the text of each number cell is the file's text at [x0, x1) of its line (columns
    counted without the form feed that starts a page), and there are the 200 numbers of the
    document (section 二 10, section 三 25 x 7, section 四 15)."""
    lines = lines_of(HUAIAN)
    cells = [c for g in grids(blocks_of(HUAIAN)) for row in g.rows for c in row
             if re.fullmatch(r"[\d.]+", c.text)]
    assert len(cells) == 200
    for cell in cells:
        line = lines[cell.line - 1].replace("\f", "")
        assert line[cell.x0:cell.x1] == cell.text, cell


# --- prose, headings, footers -----------------------------------------------------------------

def test_prose_keeps_the_lines_of_the_file():
    paragraphs = {p.line: p.text for p in blocks_of(HUAIAN) if isinstance(p, Paragraph)}
    assert paragraphs[111] == "三、收到和处理政府信息公开申请情况"
    assert paragraphs[202] == "四、政府信息公开行政复议、行政诉讼情况"
    assert paragraphs[25].startswith("营商环境高质量推进产业发展")  # after a page's form feed
    assert paragraphs[241] == "办法》，全年收取政府信息公开信息处理费 3940 元。"


def test_page_footers_are_neither_prose_nor_cells():
    blocks = blocks_of(SAMPLES / "page_footer_inside_table.txt")
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    texts += [c.text for g in grids(blocks) for row in g.rows for c in row]
    assert not any(re.search(r"-\s*4\s*-", t) for t in texts)
    huaian = blocks_of(HUAIAN)
    assert not any(re.fullmatch(r"-\d-", b.text) for b in huaian if isinstance(b, Paragraph))


@pytest.mark.parametrize("footer", ["-4-", "- 5 -", "— 5 —", "第 4 页", "第4页 共6页", "4/6"])
def test_footer_forms(footer):
    [line] = layout_text.classify(["        " + footer])
    assert line.kind == "footer"


def test_captions_between_small_tables_are_prose():
    """huaian section 二: 第二十条 第（X）项 lines between the tables are paragraphs, and each
    table is a grid of its 信息内容 header and its rows."""
    blocks = blocks_of(HUAIAN)
    captions = [b.line for b in blocks if isinstance(b, Paragraph) and b.text.startswith("第二十条")]
    assert captions == [66, 76, 85, 100]
    active = [g for g in grids(blocks) if norms(g.rows[0])[0] == "信息内容"]
    assert [[norms(r) for r in g.rows] for g in active] == [
        [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "0", "11"],
         ["行政规范性文件", "8", "26", "66"]],
        [["信息内容", "本年处理决定数量"], ["行政许可", "447228"]],
        [["信息内容", "本年处理决定数量"], ["行政处罚", "3985758"], ["行政强制", "88283"]],
        [["信息内容", "本年收费金额(单位:万元)"], ["行政事业性收费", "96171.6"]],
    ]


# --- rows of section 三 -----------------------------------------------------------------------

def test_wrapped_label_takes_the_lines_above_and_below_its_numbers():
    blocks = blocks_of(SAMPLES / "pdftotext_wrapped_label.txt")
    row = row_labelled(grids(blocks), "(二)部分公开(区分处理的,只计这一情形,不计其他情形)")
    label = row[0]
    assert (label.line, label.line_end) == (23, 25)
    assert numbers(row) == ["4", "1", "0", "0", "0", "0", "5"]
    assert {c.line for c in row[1:]} == {24}
    row = row_labelled(grids(blocks), "5.要求行政机关确认或重新出具已获取信息")
    assert numbers(row) == ["2", "0", "0", "0", "0", "0", "2"]
    # （六）1、: a blank line between its first label line and the line with its numbers
    row = row_labelled(grids(blocks),
                       "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    assert (row[0].line, row[0].line_end) == (38, 41)
    assert numbers(row) == ["3", "1", "0", "0", "0", "0", "4"]


def test_group_labels_split_over_lines_are_cells_of_their_own():
    blocks = blocks_of(SAMPLES / "pdftotext_wrapped_label.txt")
    row = row_labelled(grids(blocks),
                       "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    assert norms(row)[:2] == ["(六)其他处理",
                              "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"]
    assert numbers(row) == ["1", "0", "0", "0", "0", "0", "1"]
    assert any("(五)不予处理" in norms(r) for g in grids(blocks) for r in g.rows)


def test_vertical_group_label_is_one_cell_and_no_row_label():
    grid_list = grids(blocks_of(SAMPLES / "vertical_group_label.txt"))
    cells = [c for g in grid_list for row in g.rows for c in row]
    [vertical] = [c for c in cells if normalize_label(c.text) == "三、本年度办理结果"]
    assert (vertical.line, vertical.line_end, vertical.x0) == (22, 37, 0)
    [denied] = [c for c in cells if normalize_label(c.text) == "(三)不予公开"]
    assert (denied.line, denied.line_end) == (31, 33)
    # each character's row keeps its own label as the last label cell, and its numbers
    expected = {
        "2.其他法律行政法规禁止公开": ["3", "1", "0", "0", "0", "0", "4"],
        "4.保护第三方合法权益": ["2", "0", "0", "0", "0", "0", "2"],
        "6.属于四类过程性信息": ["4", "0", "0", "0", "0", "0", "4"],
    }
    for label, values in expected.items():
        row = row_labelled(grid_list, label)
        texts = [n for n in norms(row) if not re.fullmatch(r"[\d.]+", n)]
        assert texts[-1] == label and numbers(row) == values
    # 本 alone before the numbers of 2.其他法律行政法规禁/止公开: not that row's label
    wrapped = row_labelled(grid_list, "2.其他法律行政法规禁止公开")
    assert [(c.line, c.line_end) for c in wrapped[:2]] == [(23, 25), (24, 24)]
    assert not any(len(n) == 1 and n in "本年度办理结果" for n in map(normalize_label, (
        c.text for c in cells)))


def test_huaian_rows_of_section_three():
    """The 25 rows of the document, in order, each with its full label and 7 numbers."""
    blocks = blocks_of(HUAIAN)
    rows = [row for g in grids(blocks) for row in g.rows if len(numbers(row)) == 7]
    labels = [[n for n in norms(r) if not re.fullmatch(r"[\d.]+", n)][-1] for r in rows]
    assert labels == [
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "(一)予以公开",
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "1.属于国家秘密",
        "2.其他法律行政法规禁止公开", "3.危及三安全一稳定", "4.保护第三方合法权益",
        "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
        "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
        "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3、其他",
        "(七)总计", "四、结转下年度继续办理",
    ]
    assert numbers(rows[3]) == ["447", "7", "0", "0", "0", "0", "454"]
    assert numbers(rows[20]) == ["67", "3", "0", "0", "1", "0", "71"]


def test_a_page_break_starts_a_new_grid_with_that_pages_columns():
    """huaian: page 4 holds the header and the rows up to 1.本机关不掌握…, page 5 the rest
    (its columns stand further right); the group label cut by the break joins its row."""
    applications = [g for g in grids(blocks_of(HUAIAN)) if any("自然人" in norms(r) for r in g.rows)]
    [page4] = applications
    page5 = grids(blocks_of(HUAIAN))[grids(blocks_of(HUAIAN)).index(page4) + 1]
    assert norms(page4.rows[-1])[0] == "1.本机关不掌握相关政府信息"
    first = page5.rows[0]
    assert norms(first)[:2] == ["(四)无法提供", "2.没有现成信息需要另行制作"]
    assert (first[2].text, first[2].x0, first[2].x1) == ("11", 40, 42)
    natural = row_labelled([page4], "一、本年新收政府信息公开申请数量")[1]
    assert (natural.text, natural.x0) == ("3001", 32)


def test_a_blank_cell_is_not_invented():
    """A row with a cell left blank has six numbers, each where it stands; nothing fills the
    blank column (the mapper reads the blank from the positions)."""
    grid_list = grids(blocks_of(SAMPLES / "blank_cell_in_layout.txt"))
    row = row_labelled(grid_list, "(一)予以公开")
    assert [(c.text, c.x0) for c in row[1:]] == [
        ("16", 32), ("3", 44), ("0", 53), ("1", 71), ("0", 76), ("20", 81)]
    row = row_labelled(grid_list, "二、上年结转政府信息公开申请数量")
    assert len(row) == 7 and row[-1].x0 == 76


# --- the header of section 四 -----------------------------------------------------------------

def test_review_header_words_are_joined_by_their_columns():
    blocks = blocks_of(SAMPLES / "review_header_over_lines.txt")
    [grid] = [g for g in grids(blocks) if "行政复议" in norms(g.rows[0])]
    header = [[(normalize_label(c.text), c.x0) for c in row] for row in grid.rows[:-1]]
    assert header == [
        [("行政复议", 0), ("行政诉讼", 30)],
        [("未经复议直接起诉", 30), ("复议后起诉", 68)],
        [("结果维持", 0), ("结果纠正", 5), ("其他结果", 11), ("尚未审结", 18), ("总计", 24)],
        [("结果维持", 30), ("结果纠正", 36), ("其他结果", 45), ("尚未审结", 54), ("总计", 63),
         ("结果维持", 68), ("结果纠正", 73), ("其他结果", 79), ("尚未审结", 84), ("总计", 92)],
    ]
    values = grid.rows[-1]
    assert [c.text for c in values] == ["3", "1", "2", "0", "6", "2", "0", "1", "1", "4",
                                        "1", "0", "0", "1", "2"]
    assert [c.x0 for c in values] == [0, 5, 11, 18, 24, 30, 36, 45, 54, 63, 68, 73, 79, 84, 92]


def test_a_group_header_over_words_is_not_joined_with_the_first_of_them():
    """法人或其他组织 stands above 商业企 only: it is the group over 商业企业 … 法律服务机构,
    not their first line; 商业企 / 业 are one word."""
    blocks = blocks_of(HUAIAN)
    header = [c for g in grids(blocks) for row in g.rows for c in row
              if c.line in range(112, 121)]
    assert sorted(normalize_label(c.text) for c in header) == sorted([
        "申请人情况", "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
        "法人或其他组织", "自然人", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
        "其他"])


def test_hostile_text_does_not_break_the_reader():
    lines = ["  1  2  3", "\f", "", "一、  1", "   ", "- 3 -", "a  1  2", "（三）", "  7", "x" * 500]
    blocks = layout_text.text_to_blocks(lines)
    assert all(isinstance(b, (Grid, Paragraph)) for b in blocks)


def test_a_number_one_space_after_its_label_is_taken_out_of_it():
    grid_list = grids(blocks_of(SAMPLES / "number_glued_to_label.txt"))
    row = row_labelled(grid_list, "2.其他法律行政法规禁止公开")
    assert [(c.text, c.x0, c.x1) for c in row[:2]] == [("2.其他法律行政法规禁止公开", 17, 31),
                                                      ("30", 32, 34)]
    # prose that ends with a number stays prose: only lines of a table are taken apart
    prose = {p.line: p.text for p in blocks_of(HUAIAN) if isinstance(p, Paragraph)}
    assert prose[33].endswith("政府信息公开行政复议 351")


# --- nothing is lost on the way ---------------------------------------------------------------

def _characters(blocks) -> Counter:
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    texts += [c.text for g in grids(blocks) for row in g.rows for c in row]
    return Counter(ch for t in texts for ch in t if not ch.isspace())


def _kept(lines: list[str]) -> Counter:
    kinds = {ln.number: ln.kind for ln in layout_text.classify(lines)}
    return Counter(ch for n, line in enumerate(lines, 1) if kinds[n] != "footer"
                   for ch in line if not ch.isspace())


@pytest.mark.parametrize("path", [HUAIAN, *sorted(SAMPLES.glob("*.txt"))], ids=lambda p: p.name)
def test_every_character_but_the_footers_is_in_a_block(path):
    lines = lines_of(path)
    assert _characters(layout_text.text_to_blocks(lines)) == _kept(lines)


PIECES = ["  ", "    ", "          ", " ", "\n", "\n\n", "\f", "1", "0", "12", "3119", "96171.6",
          "-3", "—", "无", "一、", "（三）不", "予公开", "1.属于国家秘密", "2、申请人", "结 果", "维持",
          "行政复议", "自然人", "总计", "-4-", "第 4 页", "信息内容", "本年制发件数", "三、收到和处理政府信息公开申请情况",
          "规章", "形，不计其他情形）", "。", "本报告由淮安市人民政府办公室根据《中华人民共和国政府"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=160).map("".join))
def test_any_text_reads_without_error_and_keeps_its_characters(text):
    lines = text.split("\n")
    blocks = layout_text.text_to_blocks(lines)
    assert _characters(blocks) == _kept(lines)
    for grid in grids(blocks):
        for row in grid.rows:
            for cell in row:
                assert cell.x0 is not None and cell.x0 < cell.x1 and cell.line <= cell.line_end


def test_a_header_word_of_one_line_beside_broken_ones_stays_whole():
    """总计 on the second line of a header beside 维持 纠正 果 审结 (the rest of 结果 结果 其他结
    尚未 above): the broken words are joined, 总计 stays a word of its own."""
    lines = ["结果   结果    其他结    尚未", "维持   纠正    果      审结     总计"]
    rows = header_rows([layout_text.tokens_of(t, n) for n, t in enumerate(lines, 1)])
    assert [[normalize_label(c.text) for c in row] for row in rows] == [
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]]


def test_a_header_repeated_after_a_page_break_heads_that_pages_grid():
    grid_list = grids(blocks_of(SAMPLES / "header_repeated_after_page_break.txt"))
    assert len(grid_list) == 2
    second = grid_list[1]
    assert norms(second.rows[0]) == ["申请人情况"]
    natural = next(c for row in second.rows for c in row if normalize_label(c.text) == "自然人")
    assert (natural.line, natural.x0) == (30, 39)
    assert norms(second.rows[4])[:2] == ["法提供", "2.没有现成信息需要另行制作"]
