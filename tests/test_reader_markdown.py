"""The markdown reader (PDF-to-markdown output) and the row placement it needs, one quirk per
test (corpus shanghai_kewei_2024.md and shanghai_bgt_2025.md have all of them)."""

from __future__ import annotations

from pathlib import Path

from loaders import readers
from loaders.mapping import grids_to_tables
from loaders.model import Grid, Paragraph, Source
from loaders.readers import pipe_tables
from loaders.extract.sections import find_headings


def blocks(text: str):
    return pipe_tables.text_to_blocks(text.split("\n"))


def texts(block):
    return [[c.text for c in row] for row in block.rows]


def test_markdown_separator_rows_are_dropped_and_rows_kept_in_order():
    [grid] = blocks("| 规章 | 0 |\n|---|---|\n| 规范性文件 | 13 |")
    assert texts(grid) == [["规章", "0"], ["规范性文件", "13"]]


def test_markdown_br_in_a_cell_is_a_line_break():
    # converters write a cell's line break as <br> (seed 003's 结果 / 维持 and its '\n1' cells)
    [grid] = blocks("| 结果<br><br>维持 | <br>1 | 0<br/>0 |\n|---|---|---|")
    assert texts(grid) == [["结果\n\n维持", "\n1", "0\n0"]]


def test_markdown_placeholder_headings_and_page_footers_are_dropped():
    # the table goes on across the page footer
    out = blocks("## 表三：收到和处理政府信息公开申请情况\n| 1 | 2 |\n— 5 —\n| 3 | 4 |")
    assert [texts(b) for b in out] == [[["1", "2"], ["3", "4"]]]


def test_markdown_loose_label_and_number_lines_are_a_table():
    out = blocks("第二十条第（五）项\n信息内容本年处理决定数量\n行政许可 97")
    assert [texts(b) for b in out if isinstance(b, Grid)] == [
        [["第二十条第（五）项"], ["信息内容本年处理决定数量"], ["行政许可", "97"]]]


def test_markdown_a_section_heading_among_loose_table_lines_is_prose():
    # the heading is as short as the table's lines and has no sentence punctuation: only the
    # form's headings tell it apart (loaders/readers/_landmarks.py)
    out = blocks("行政事业性收费 0\n四、政府信息公开行政复议、行政诉讼情况\n行政复议")
    assert [type(b).__name__ for b in out] == ["Grid", "Paragraph", "Grid"]
    assert out[1].text == "四、政府信息公开行政复议、行政诉讼情况" and out[1].line == 2
    assert texts(out[0]) == [["行政事业性收费", "0"]] and texts(out[2]) == [["行政复议"]]


def test_markdown_wrapped_prose_stays_prose():
    out = blocks("全年收到政府信息公开申请 34 件，上年结转政府信息公开\n申请 2 件，所有申请均已按要求办理完成。")
    assert all(isinstance(b, Paragraph) for b in out)


def test_markdown_bare_page_number_is_not_a_row():
    out = blocks("2.申请人逾期未按收费\n1\n| 0 | 0 |")
    assert [texts(b) for b in out if isinstance(b, Grid)] == [[["0", "0"]]]


def test_markdown_saved_as_txt_is_read_as_markdown():
    source = Source(Path("r.txt"), "正文\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n".encode())
    assert [r.NAME for r in readers.readers_claiming(source)] == ["pipe_tables"]


LABELLED = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开"]


def applications(text: str):
    doc_blocks = blocks("三、收到和处理政府信息公开申请情况\n\n" + text)
    tables = grids_to_tables(doc_blocks, find_headings(doc_blocks), 2024)
    values = {}
    for v in tables.values:
        values.setdefault(v.row_key, []).append(v.value)
    return values, tables.issues


def rows(*lines):
    return "\n".join("| " + " | ".join(map(str, line)) + " |" for line in lines)


def test_numbers_without_their_label_are_placed_by_the_form_order():
    # kewei: the 部分公开 and 2.其他法律行政法规禁止公开 rows lost their labels
    values, issues = applications(rows(
        ["（一）予以公开", 9, 0, 0, 0, 0, 0, 9], [2, 0, 0, 0, 0, 0, 2],
        ["1.属于国家秘密", 4, 0, 0, 0, 0, 0, 4], [7, 0, 0, 0, 0, 0, 7],
        ["3.危及“三安全一稳定”", 1, 0, 0, 0, 0, 0, 1]))
    assert values["partly_granted"] == [2, 0, 0, 0, 0, 0, 2]
    assert values["denied_prohibited_by_law"] == [7, 0, 0, 0, 0, 0, 7]
    inferred = [i for i in issues if i.code == "row_inferred"]
    assert {i.row_key for i in inferred} == {"partly_granted", "denied_prohibited_by_law"}


def test_unlabelled_rows_are_not_placed_when_the_gap_does_not_fit():
    # two rows of numbers where the form has one row between the labels: nothing is guessed
    values, issues = applications(rows(
        ["（一）予以公开", 9, 0, 0, 0, 0, 0, 9], [2, 0, 0, 0, 0, 0, 2], [3, 0, 0, 0, 0, 0, 3],
        ["1.属于国家秘密", 4, 0, 0, 0, 0, 0, 4]))
    assert "partly_granted" not in values
    assert [i.code for i in issues].count("unknown_row") == 2


def test_a_truncated_label_counts_as_no_label():
    # bgt: '行政机关不再处理其政府信息公' is the tail of （六）1's label
    values, issues = applications(rows(
        ["5.要求行政机关确认或重新出具已获取信息", 0, 0, 0, 0, 0, 0, 0],
        ["行政机关不再处理其政府信息公", 40, 1, 0, 0, 2, 0, 43],
        ["缴纳费用、", "行政机关不再处理其政", 0, 0, 0, 0, 0, 0, 0]))
    assert values["other_no_correction"] == [40, 1, 0, 0, 2, 0, 43]
    assert values["other_no_fee"] == [0] * 7  # the label's second piece is not a value


def test_a_row_shorter_than_its_header_keeps_its_last_number_last():
    doc_blocks = blocks("二、主动公开政府信息情况\n\n" + rows(
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", 22, 235]))
    tables = grids_to_tables(doc_blocks, find_headings(doc_blocks), 2025)
    got = {v.column_key: v.value for v in tables.values if v.row_key == "regulations"}
    assert got == {"issued": 22, "in_force": 235}
    assert [(i.code, i.column_key) for i in tables.issues if i.row_key == "regulations"] == [
        ("missing_cell", "repealed")]
