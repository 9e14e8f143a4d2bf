"""Readers: each layout quirk by name, reader discovery, and encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPORTS
from loaders import readers
from loaders.model import Grid, LoadError, Paragraph, Source
from loaders.pipeline import load_report
from loaders.readers import plain_text, tab_rows, word_cells
from loaders.store import report_status


def grids(blocks):
    return [b for b in blocks if isinstance(b, Grid)]


def texts(grid):
    return [[c.text for c in row] for row in grid.rows]


# --- word_cells: one cell per line ------------------------------------------------------------

def test_word_cells_blank_line_ends_a_row():
    blocks = word_cells.text_to_blocks(["\t规章", "\t0", "", "\t规范性文件", "\t1", ""])
    assert texts(grids(blocks)[0]) == [["规章", "0"], ["规范性文件", "1"]]


def test_word_cells_label_broken_over_two_lines():
    # seed 002: 商业 / 企业 is one header cell
    blocks = word_cells.text_to_blocks(["\t", "\t商业", "企业", "\t科研", "机构", ""])
    [grid] = grids(blocks)
    assert texts(grid) == [["", "商业\n企业", "科研\n机构"]]
    assert (grid.rows[0][1].line, grid.rows[0][1].line_end) == (2, 3)


def test_word_cells_continuation_across_a_blank_line():
    # seed 003: 结果 / blank / 维持 is one cell, and the row goes on after it
    blocks = word_cells.text_to_blocks(["\t结果", "", "维持", "\t结果纠正", "", "\t1", "\t0", ""])
    assert texts(grids(blocks)[0]) == [["结果\n\n维持", "结果纠正"], ["1", "0"]]


def test_word_cells_lone_zero_after_blank_belongs_to_the_cell_before():
    # seed 003, row 5.属于三类内部事务信息: its total cell is NBSP, blank line, then 0
    lines = ["\t5.属于三类内部事务信息", "\t0", "\t\u00a0", "", "0", "", "\t6.属于四类过程性信息",
             "\t60", "\t60", ""]
    grid = grids(word_cells.text_to_blocks(lines))[0]
    assert texts(grid) == [["5.属于三类内部事务信息", "0", "\u00a0\n\n0"],
                           ["6.属于四类过程性信息", "60", "60"]]
    assert (grid.rows[0][2].line, grid.rows[0][2].line_end) == (3, 5)


def test_word_cells_two_blank_lines_and_a_heading_end_the_table():
    lines = ["\t政府集中采购", "\t2", "", "", "三、收到和处理政府信息公开申请情况", "", "\t申请人情况", ""]
    blocks = word_cells.text_to_blocks(lines)
    assert [type(b).__name__ for b in blocks] == ["Grid", "Paragraph", "Grid"]
    assert blocks[1].text == "三、收到和处理政府信息公开申请情况" and blocks[1].line == 5


def test_word_cells_heading_right_after_a_cell_is_not_a_continuation():
    blocks = word_cells.text_to_blocks(["\t0", "四、政府信息公开行政复议、行政诉讼情况"])
    assert isinstance(blocks[1], Paragraph)


def test_word_cells_prose_after_one_blank_line_is_not_a_continuation():
    lines = ["\t0", "", "2020年，我局政务公开工作整体水平有一定提升，信息质量有所提高，同时也存在一些问题。"]
    blocks = word_cells.text_to_blocks(lines)
    assert texts(grids(blocks)[0]) == [["0"]] and isinstance(blocks[1], Paragraph)


# --- tab_rows: PDF text, one row per line -----------------------------------------------------

def test_tab_rows_page_break_keeps_one_grid_with_repeated_header():
    # seed 004: the application table goes on after a blank line with its header repeated
    lines = ["申请人情况\t\t总计", "6.属于四类过程性信息\t0\t0", "", "申请人情况\t\t总计",
             "\t7.属于行政执法案卷\t0\t0"]
    [grid] = grids(tab_rows.text_to_blocks(lines))
    assert len(grid.rows) == 4
    assert texts(grid)[3] == ["", "7.属于行政执法案卷", "0", "0"]
    assert grid.rows[3][1].line == 5


def test_tab_rows_trailing_empty_cells_are_kept_for_the_mapper():
    [grid] = grids(tab_rows.text_to_blocks(["行政事业性收费\t0\t0\t"]))
    assert texts(grid) == [["行政事业性收费", "0", "0", ""]]


def test_tab_rows_prose_line_ends_the_grid():
    blocks = tab_rows.text_to_blocks(["规章\t0", "", "三、收到和处理政府信息公开申请情况", "a\tb"])
    assert [type(b).__name__ for b in blocks] == ["Grid", "Paragraph", "Grid"]


# --- discovery: every sample has exactly one reader -------------------------------------------

SAMPLES = sorted(p for p in REPORTS.iterdir() if p.is_file())


def test_readers_are_discovered():
    names = {r.NAME for r in readers.all_readers()}
    assert {"word_cells", "tab_rows", "plain_text", "html_page", "pipe_tables"} <= names


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_each_report_is_claimed_by_exactly_one_reader(path):
    assert len(readers.readers_claiming(Source.from_path(path))) == 1


@pytest.mark.parametrize("name, layout", [
    ("000_d41b7d34cb4232dc.txt", "word_cells"), ("001_53e0ee0f0d02d1f7.txt", "word_cells"),
    ("002_4e3c7d07ba237867.txt", "word_cells"), ("003_ebe99ea40a3f8069.txt", "word_cells"),
    ("004_82a9170de9e2b25c.txt", "tab_rows"), ("shuyang_fgj_2023.html", "html_page"),
    ("shanghai_kewei_2024.md", "pipe_tables"), ("shanghai_bgt_2025.md", "pipe_tables"),
])
def test_seed_layouts(name, layout):
    assert readers.read(Source.from_path(REPORTS / name)).layout == layout


def source(tmp_path: Path, name: str, data: bytes) -> Source:
    path = tmp_path / name
    path.write_bytes(data)
    return Source.from_path(path)


def test_text_without_tables_is_plain_text(tmp_path):
    doc = readers.read(source(tmp_path, "prose.txt", "某某局2018年政府信息公开工作年度报告\n\n无。\n"
                              .encode()))
    assert doc.layout == "plain_text" and not doc.grids and len(doc.paragraphs) == 2


def test_unknown_format_has_no_reader(tmp_path):
    with pytest.raises(LoadError) as e:
        readers.read(source(tmp_path, "report.xyz", b"hello"))
    assert e.value.stage == "detect"


# --- encodings --------------------------------------------------------------------------------

TEXT = "\t规章\n\t0\n\n\t规范性文件\n\t1\n"


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("gb18030", None),
    ("gbk", None), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
])
def test_encodings_are_detected(tmp_path, encoding, expected):
    text = TEXT + "尧都区卫生健康和体育局政府信息公开工作年度报告，主动公开政府信息情况。\n" * 3
    doc = readers.read(source(tmp_path, "r.txt", text.encode(encoding)))
    assert texts(doc.grids[0]) == [["规章", "0"], ["规范性文件", "1"]]
    if expected:
        assert doc.encoding == expected
    else:
        assert doc.encoding in ("gb18030", "gbk", "gb2312", "cp936")


def test_a_bom_that_lies_is_a_clear_decode_error(tmp_path):
    with pytest.raises(LoadError, match="byte-order mark says utf-8"):
        readers.read(source(tmp_path, "r.txt", b"\xef\xbb\xbf" + "报告".encode("gbk")))


def test_crlf_line_ends(tmp_path):
    doc = readers.read(source(tmp_path, "r.txt", TEXT.replace("\n", "\r\n").encode()))
    assert texts(doc.grids[0]) == [["规章", "0"], ["规范性文件", "1"]]


def test_binary_file_fails_with_a_clear_message(tmp_path):
    with pytest.raises(LoadError) as e:
        readers.read(source(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert e.value.stage == "decode" and "binary" in e.value.message


def test_plain_text_reader_reads_every_line():
    assert [p.line for p in plain_text.text_to_blocks(["a", "", " ", "b"])] == [1, 4]


def test_a_report_in_an_older_format_loads_as_prose(tmp_path):
    # a 2017-style report: a statistics table that is none of the national format's
    text = ("某某县教育局2017年政府信息公开工作年度报告\n一、概述\n本年度……\n"
            "二、主动公开政府信息情况\n\t统计指标\t单位\t数量\n\t主动公开政府信息数\t条\t120\n")
    report = load_report(source(tmp_path, "old.txt", text.encode("utf-8")).path)
    assert report.values == [] and report.template is None
    codes = [i.code for i in report.issues]
    assert "not_national_format" in codes and "template_undetected" not in codes
    message = next(i.message for i in report.issues if i.code == "not_national_format")
    assert "二, 三 and 四" in message
    assert report_status(report) == "prose_only"


def test_a_free_form_report_without_tables_says_which_tables_are_absent(tmp_path):
    report = load_report(source(tmp_path, "free.txt",
                                "某某局2018年政府信息公开工作年度报告\n\n今年工作平稳。\n".encode()).path)
    [issue] = [i for i in report.issues if i.code == "no_tables"]
    assert "二, 三 and 四" in issue.message
    assert report_status(report) == "prose_only"


@pytest.mark.parametrize("name, data, reader", [
    ("scan.txt", b"%PDF-1.4\n%...", "pdf_file"),
    ("page.txt", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "html_page"),
    ("notes.md", "| a | b |\n|---|---|\n".encode(), "pipe_tables"),
    ("r.htm", b"<p>x</p>", "html_page"),
    ("r.docx", b"PK\x03\x04", "docx_file"),
])
def test_a_file_is_claimed_by_its_content_or_suffix_and_by_one_reader(tmp_path, name, data, reader):
    assert [r.NAME for r in readers.readers_claiming(source(tmp_path, name, data))] == [reader]
