"""run_text: crawled text whose table cells run together, read as label text and runs of digits."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPORTS
from loaders import readers
from loaders.mapping import grids_to_tables
from loaders.model import Grid, Paragraph, Source
from loaders.readers import run_text
from loaders.readers.run_text import find_runs, has_run_tables, line_to_items, text_to_blocks
from loaders.extract.sections import find_headings

SAMPLES = Path(__file__).resolve().parent / "samples" / "run_text"
CRAWLED = sorted(REPORTS.glob("pingtan_*.txt"))


def rows(items) -> list[list[str]]:
    return [[("*" if c.joined else "") + c.text for c in item] for item in items
            if not isinstance(item, Paragraph)]


def paragraphs(items) -> list[str]:
    return [item.text for item in items if isinstance(item, Paragraph)]


def test_label_and_run_make_a_row_with_the_run_whole_and_joined():
    items = line_to_items("一、本年新收政府信息公开申请数量5000005二、上年结转政府信息公开申请数量0000000", 10)
    assert rows(items) == [["一、本年新收政府信息公开申请数量", "*5000005"],
                           ["二、上年结转政府信息公开申请数量", "*0000000"]]
    assert all(c.line == 10 and c.x0 is None for item in items for c in item)


def test_a_numbered_label_glued_to_the_run_before_it_is_given_back():
    items = line_to_items("（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000", 1)
    assert rows(items) == [["（三）不予公开"], ["1.属于国家秘密", "*0000000"],
                           ["2.其他法律行政法规禁止公开", "*0000000"]]


def test_a_numbered_label_without_digits_before_it_is_a_label():
    # （六）2 and 3 have no digits at all: 3. after 申请 is the next label's number, not a cell
    items = line_to_items("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请3.其他"
                          "（七）总计5000005", 1)
    assert rows(items) == [["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
                           ["3.其他"], ["（七）总计", "*5000005"]]


def test_a_decimal_point_is_not_a_numbering():
    items = line_to_items("行政事业性收费4166.214619 (二)主动公开政府信息的主要类别2025年，全文公开53条。", 1)
    assert rows(items) == [["行政事业性收费", "*4166.214619"]]
    assert paragraphs(items) == ["(二)主动公开政府信息的主要类别2025年，全文公开53条。"]


def test_spaces_and_a_unit_stay_in_the_run():
    items = line_to_items("规章 0 0 0 行政规范性文件 5 0 5 政府集中采购1912762137元 三、收到", 1)
    assert rows(items) == [["规章", "*0 0 0"], ["行政规范性文件", "*5 0 5"],
                           ["政府集中采购", "*1912762137元"]]
    assert paragraphs(items) == ["三、收到"]  # text after the last run is prose


@pytest.mark.parametrize("sentence", [
    "截至2021年12月31日，主动公开政府信息394条，其中公示公告栏76条。",
    "联系电话：0591-23163598。",
    "累计阅读人数近24.5万，阅读点击数达36万。",
    "通过运用图表、H5等方式拓宽政策解读方式。",
    "依据岚综管办便函〔2020〕60号要求，我局每2周更新一次。",
    "回应了将军山、坛南湾景区门票及68海里景区观光车收费标准定价等问题。",
])
def test_numbers_in_sentences_are_prose(sentence):
    items = line_to_items("本报告说明如下。" + sentence + "其余从略。", 1)
    assert rows(items) == [] and "".join(paragraphs(items)) == "本报告说明如下。" + sentence + "其余从略。"


def test_section_headings_glued_to_text_become_paragraphs():
    items = line_to_items("一、总体情况2021年以来我局高度重视。二、主动公开政府信息情况第二十条第（一）项信息内容"
                          "本年制发件数本年废止件数现行有效件数规章000三、收到和处理政府信息公开申请情况"
                          "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人"
                          "其他一、本年新收政府信息公开申请数量5000005", 1)
    assert paragraphs(items) == ["一、总体情况", "2021年以来我局高度重视。", "二、主动公开政府信息情况",
                                 "三、收到和处理政府信息公开申请情况"]
    assert rows(items)[0] == ["第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章", "*000"]
    assert rows(items)[1][0].startswith("（本列数据的勾稽关系为")


def test_rows_of_one_table_over_several_lines_make_one_grid():
    blocks = text_to_blocks(["某某局2021年政府信息公开工作年度报告", "规章 0 0 0", "行政规范性文件 5 0 5", "",
                             "二是加强培训。", "行政许可 3"])
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Paragraph", "Grid", "Paragraph", "Grid"]
    assert [[c.line for c in row] for row in blocks[1].rows] == [[2, 2], [3, 3]]


def test_hostile_lines_are_bounded():
    line = ("规章" + "0" * 5000 + "。") * 200 + "1 " * 20000 + "，" * 10000
    start = time.perf_counter()
    find_runs(line)
    assert time.perf_counter() - start < 5  # the point is that it returns


@pytest.mark.parametrize("path", CRAWLED + sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_crawled_files_are_run_text(path):
    source = Source.from_path(path)
    assert [r.NAME for r in readers.readers_claiming(source)] == ["run_text"]
    document = readers.read(source)
    assert document.grids and document.layout == "run_text" and document.format == "txt"


@pytest.mark.parametrize("lines", [
    ["某某局2018年政府信息公开工作年度报告", "", "无。"],
    ["截至2021年12月31日，主动公开政府信息394条，其中公示公告栏76条。"] * 30,
    ["规章 0 0 0"] * 3,
])
def test_prose_and_few_runs_are_not_run_text(lines):
    assert not has_run_tables(lines)


def test_layout_text_is_not_run_text():
    lines = (REPORTS / "huaian_szf_2024_pdftotext_layout.txt").read_text(encoding="utf-8").split("\n")
    assert not has_run_tables(lines)


def test_cost_per_file():
    """The reader's cost on the four crawled reports (median printed with -s; bounded here)."""
    times = []
    for path in CRAWLED:
        source = Source.from_path(path)
        start = time.perf_counter()
        run_text.read(source)
        times.append(time.perf_counter() - start)
    print(f"run_text: median {statistics.median(times) * 1000:.1f} ms per file")
    assert statistics.median(times) < 1.0
    assert all(isinstance(b, (Grid, Paragraph)) for b in run_text.read(source).blocks)


# --- no input makes the reader or the cutting raise ---------------------------------------------

PIECES = ["0", "00", "5000005", "1" * 40, " ", "\u3000", "1.", "2.", ".", "3.5", "−", "-", "元",
          "万元", "，", "。", "（", "）", "（一）", "三、", "第二十条第（一）项", "信息内容", "本年制发件数",
          "规章", "行政规范性文件", "一、本年新收政府信息公开申请数量", "（七）总计", "申请人情况",
          "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "结果维持", "总计", "年", "条"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=300).map("".join))
def test_any_run_text_maps_without_raising(line):
    blocks = text_to_blocks(["某某局2021年政府信息公开工作年度报告", line])
    tables = grids_to_tables(blocks, find_headings(blocks), 2021)
    for value in tables.values:
        assert value.raw is None or value.value is None or value.raw in line
