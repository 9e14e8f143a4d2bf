"""The mapper: labels to template keys, template detection, and what it reports as issues."""

from __future__ import annotations

import pytest

from loaders.form import template as T
from loaders.mapping.rows import detect_template, tag_rows
from loaders.mapping import grids_to_tables
from loaders.readers import tab_rows, word_cells
from loaders.extract.sections import find_headings
from loaders.form.template import lookup, normalize_label


def tables(lines, reader=tab_rows, year=2020):
    blocks = reader.text_to_blocks(lines)
    return grids_to_tables(blocks, find_headings(blocks), year)


def values(result, table):
    return {(v.row_key, v.column_key): v.value for v in result.values if v.table == table}


def codes(result):
    return [i.code for i in result.issues]


# --- labels -----------------------------------------------------------------------------------

@pytest.mark.parametrize("keys", [T.APPLICANT_COLUMNS, T.APPLICATION_ROWS, T.APPLICATION_GROUPS,
                                  T.REVIEW_OUTCOMES, T.DISCLOSURE_METRICS, T.DISCLOSURE_ITEMS],
                         ids=lambda k: k[0].key)
def test_every_label_and_variant_resolves_to_its_own_key(keys):
    for key in keys:
        for label in (key.label_zh, *key.variants):
            assert lookup(keys, normalize_label(label)) == key, label


@pytest.mark.parametrize("raw, norm", [
    ("(四) 无法提供", "(四)无法提供"), ("（四）无法提供", "(四)无法提供"),
    ("其他结 果", "其他结果"), ("结果\n\n维持", "结果维持"), ("商业\n企业", "商业企业"),
    ("3.危及“三安全一稳定”", "3.危及三安全一稳定"), ("１．属于国家秘密", "1.属于国家秘密"),
    ("\u00a0总\u3000计 ", "总计"),
])
def test_normalize_label(raw, norm):
    assert normalize_label(raw) == norm


def test_full_application_labels_resolve():
    for raw, key in [
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partly_granted"),
        ("2.其他法律行政法规禁止公开", "denied_prohibited_by_law"),
        ("(六) 其他处理", "other"),
        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_no_fee"),
        ("3.其他", "other_other"), ("(七) 总计", "total"), ("四、结转下年度继续办理", "carried_forward"),
    ]:
        assert lookup(T.APPLICATION_ROWS, normalize_label(raw)).key == key, raw


# --- template detection -----------------------------------------------------------------------

def rows_of(lines):
    blocks = tab_rows.text_to_blocks(lines)
    return tag_rows(blocks, find_headings(blocks))


def test_template_2019_from_section_two_headers():
    assert detect_template(rows_of(["信息内容\t上一年项目数量\t本年增/减\t处理决定数量"]), 2021) \
        == ("2019", [])


def test_template_2021_from_section_two_headers():
    assert detect_template(rows_of(["信息内容\t本年制发件数\t本年废止件数\t现行有效件数"]), 2020)[0] \
        == "2021"


def test_template_2021_from_the_shape_of_six():
    rows = rows_of(["\t(六) 其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0"])
    assert detect_template(rows, None)[0] == "2021"


def test_template_mixed_is_an_issue():
    rows = rows_of(["信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "信息内容\t上一年项目数量\t本年增/减"])
    template, issues = detect_template(rows, 2021)
    assert [i.code for i in issues] == ["template_mixed"]


def test_template_from_year_only_when_labels_say_nothing():
    template, issues = detect_template(rows_of(["a\tb"]), 2022)
    assert template == "2021" and [i.code for i in issues] == ["template_undetected"]


# --- section 三 ---------------------------------------------------------------------------------

HEADER = ["申请人情况\t\t\t\t\t\t\t", "\t自然人\t法人或其他组织\t\t\t\t\t总计",
          "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t"]


def test_rows_are_placed_by_label_even_when_leading_label_cells_are_lost():
    lines = HEADER + ["三、本年度办理结果\t（一）予以公开\t1\t2\t3\t4\t5\t6\t21",
                      "5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t7\t\t"]
    got = values(tables(lines), "applications")
    assert [got[("granted", c)] for c in T.APPLICANT_KEYS] == [1, 2, 3, 4, 5, 6, 21]
    assert got[("denied_internal_affairs", "total")] == 7


def test_repeated_header_after_a_page_break_is_dropped():
    lines = HEADER + ["一、本年新收政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0\t1\t", ""] + HEADER + [
        "二、上年结转政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t2"]
    result = tables(lines)
    got = values(result, "applications")
    assert got[("new_received", "total")] == 1 and got[("carried_over", "total")] == 2
    assert "unknown_row" not in codes(result)


def test_missing_and_unknown_rows_are_reported():
    lines = HEADER + ["一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1",
                      "（八）莫名其妙的行\t1\t0\t0\t0\t0\t0\t1"]
    result = tables(lines)
    missing = {i.row_key for i in result.issues if i.code == "missing_row"}
    assert missing == set(T.APPLICATION_ROW_KEYS) - {"new_received", "other_no_correction",
                                                      "other_no_fee", "other_other"}
    unknown = [i for i in result.issues if i.code == "unknown_row"]
    assert len(unknown) == 1 and "莫名其妙" in unknown[0].message


def test_a_row_with_too_few_cells_is_left_blank_not_guessed():
    lines = HEADER + ["一、本年新收政府信息公开申请数量\t1\t0\t1"]
    result = tables(lines)
    assert set(values(result, "applications").values()) == {None}
    assert "cell_count_mismatch" in codes(result)


def test_duplicate_row_keeps_the_first():
    lines = HEADER + ["一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1",
                      "一、本年新收政府信息公开申请数量\t9\t0\t0\t0\t0\t0\t9"]
    result = tables(lines)
    assert values(result, "applications")[("new_received", "total")] == 1
    assert "duplicate_row" in codes(result)


def test_2021_six_group_heading_on_its_own_row_is_not_a_row():
    lines = ["\t（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "\t申请人情况", "",
             "\t", "\t（六）其他处理", "\t", "\t", "\t", "\t", "\t", "\t", "\t", "",
             "\t", "\t", "\t3.其他", "\t1", "\t0", "\t0", "\t0", "\t0", "\t0", "\t1", ""]
    blocks = word_cells.text_to_blocks(lines)
    result = grids_to_tables(blocks, find_headings(blocks), 2021)
    got = values(result, "applications")
    assert got[("other_other", "natural_person")] == 1 and ("other", "total") not in got


def test_no_application_table_is_one_missing_table_issue():
    result = tables(["a\tb"])
    assert codes(result).count("missing_table") == 3 and "missing_row" not in codes(result)


# --- section 四 ---------------------------------------------------------------------------------

def test_review_columns_follow_the_header_labels():
    # the two lawsuit groups in the other order: the header decides, not the position
    lines = ["行政复议\t\t\t\t\t行政诉讼", "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t复议后起诉\t\t\t\t\t"
             "未经复议直接起诉",
             "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
             "1\t2\t3\t4\t10\t5\t0\t0\t0\t5\t6\t0\t0\t0\t6"]
    got = values(tables(lines), "review_litigation")
    assert got[("review_litigation", "review_total")] == 10
    assert got[("review_litigation", "post_review_suit_total")] == 5
    assert got[("review_litigation", "direct_suit_upheld")] == 6


_REVIEW_HEADER = ["行政复议\t\t\t\t\t行政诉讼",
                  "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
                  "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果"
                  "\t尚未审结\t总计"]


def test_an_empty_row_under_the_review_numbers_is_no_second_row():
    # Word's spacer row of empty cells at a table's foot: the numbers above stand, no issue
    result = tables([*_REVIEW_HEADER, "1\t2\t3\t4\t10\t5\t0\t0\t0\t5\t6\t0\t0\t0\t6", "\t" * 14])
    assert values(result, "review_litigation")[("review_litigation", "direct_suit_total")] == 5
    assert "cell_count_mismatch" not in codes(result)


def test_a_review_row_left_blank_is_blank_not_missing():
    # The row of numbers itself left empty: fifteen blanks (NULL), the table found
    result = tables([*_REVIEW_HEADER, "\t" * 14])
    got = values(result, "review_litigation")
    assert len(got) == 15 and set(got.values()) == {None}
    assert "missing_table" not in [i.code for i in result.issues if i.table == "review_litigation"]


def test_review_header_not_the_forms_is_flagged():
    lines = ["行政复议\t行政诉讼", "1\t2\t3\t4\t10\t5\t0\t0\t0\t5\t6\t0\t0\t0\t6"]
    result = tables(lines)
    assert "header_unrecognized" in codes(result)
    assert values(result, "review_litigation")[("review_litigation", "review_total")] == 10


# --- section 二 ---------------------------------------------------------------------------------

def test_active_metrics_follow_the_header_row():
    lines = ["第二十条第（五）项\t\t\t", "信息内容\t处理决定数量\t本年增/减\t上一年项目数量",
             "行政许可\t7\t+2\t5"]
    got = values(tables(lines), "active_disclosure")
    assert got == {("licensing", "decisions"): 7, ("licensing", "change"): 2,
                   ("licensing", "prior_year_count"): 5}


def test_active_amount_takes_the_unit_of_its_header():
    lines = ["第二十条第（八）项", "信息内容\t本年收费金额（单位：元）", "行政事业性收费\t25000"]
    assert values(tables(lines, year=2022), "active_disclosure")[("fees", "amount_10k_yuan")] == 2.5


def test_active_negative_change_is_a_value():
    lines = ["第二十条第（六）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量", "行政处罚\t10\t-3\t7"]
    result = tables(lines)
    assert values(result, "active_disclosure")[("punishment", "change")] == -3
    assert "irregular_number" not in codes(result)


def test_template_from_the_text_when_no_table_is_understood():
    """Crawled text whose tables no reader understood still says which form it is in."""
    prose = "第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章 0 0 0"
    assert detect_template([], 2019, prose) == ("2021", [])
    assert detect_template([], None, "信息内容 本年新制作数量 本年新公开数量 对外公开总数量")[0] == "2019"
    template, issues = detect_template([], 2020, "没有表格的报告")
    assert template == "2019" and issues[0].code == "template_undetected"


def test_review_run_that_could_not_be_cut_is_unreadable_not_blank():
    """Crawled text: section 四's numbers as one run that the splitter could not cut. Every
    value is NULL and keeps the run as its raw text; the splitter's issue says why, the mapper
    adds no count issue of its own."""
    from loaders.mapping.review import map_review
    from loaders.model import Cell, Row

    run = Cell("1234567890123456", 7, joined=True)
    values, issues = map_review([Row("review_litigation", 0, 0, [run], ["1234567890123456"])])
    assert len(values) == 15
    assert all(v.value is None and v.raw == run.text and v.line == 7 for v in values)
    assert not [i for i in issues if i.code == "cell_count_mismatch"]


def test_a_merged_cell_is_an_issue_about_every_column_it_covers():
    """4 in one ``<td colspan="2">`` under 商业企业 and 科研机构: both columns NULL, and the
    ``cells_merged`` issue names each of them, so that neither is taken for a blank cell (the
    blank_cells check once listed 科研机构 as blank: the issue named 商业企业 only)."""
    from pathlib import Path

    from loaders.checks.registry import check_report
    from loaders.model import Source
    from loaders.pipeline import source_to_report

    path = Path(__file__).parent / "samples" / "html_page" / "label_spans_three_columns.html"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "一、本年新收" in line) + 2  # 商业企业: 4
    assert ">4<" in lines[at] and ">1<" in lines[at + 1]
    lines[at] = lines[at].replace('<td width="48">', '<td width="96" colspan="2">')
    del lines[at + 1]
    report = source_to_report(Source(path, "\n".join(lines).encode("utf-8")))
    row = {v.column_key: v for v in report.values if v.row_key == "new_received"}
    assert row["commercial"].value is None and row["research"].value is None
    merged = [i for i in report.issues if i.code == "cells_merged"]
    assert sorted(i.column_key for i in merged) == ["commercial", "research"]
    assert all("commercial, research" in i.message and i.raw == "4" for i in merged)
    blank = [f for f in check_report(report).failures
             if f.rule == "blank_cells" and f.row_key == "new_received"]
    assert not blank, [f.message for f in blank]


# --- rows wider than the form with blank cells at both ends -----------------------------------

def test_counting_reads_a_padded_row_with_blank_ends_in_several_ways():
    """| | 5 | 0 | 0 | 0 | 0 | 0 | | |: 5 is 自然人's or 商业企业's as far as counting goes, and
    fit_cells never chooses between the two."""
    from loaders.mapping.cells import fit_cells, fits
    from loaders.model import Cell

    cells = [Cell(t, 1) for t in ["", "5", "0", "0", "0", "0", "0", "", ""]]
    assert [[c.text for c in way] for way in fits(cells, 7)] == [
        ["", "5", "0", "0", "0", "0", "0"], ["5", "0", "0", "0", "0", "0", ""]]
    assert fit_cells(cells, 7) == cells
    one_way = [Cell(t, 1) for t in ["", "5", "0", "0", "0", "0", "0", "7", ""]]
    assert [c.text for c in fit_cells(one_way, 7)] == ["5", "0", "0", "0", "0", "0", "7"]


# A header in cells merged over several columns, as Word exports it and a converter pads it: its
# cell indexes (自然人 1, 总计 3) are not the columns'.
RAGGED_HEADER = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况" + "\t" * 8,
                 "\t自然人\t法人或其他组织\t总计" + "\t" * 6,
                 "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t\t"]


def test_a_ragged_table_padded_at_the_end_is_read_by_its_padding_side():
    """No header positions: every row that counts one way has its padding at the end, so the
    row with 自然人 blank is read the same way (| | 2 | 0 | 0 | 0 | 0 | 2 | | |). A fix that
    refused every row with blanks at both ends lost these rows of writer-made tables."""
    lines = RAGGED_HEADER + ["一、本年新收政府信息公开申请数量\t1\t2\t3\t4\t5\t6\t21\t\t",
                             "二、上年结转政府信息公开申请数量\t\t2\t0\t0\t0\t0\t2\t\t",
                             "三、本年度办理结果\t（一）予以公开\t1\t1\t0\t0\t0\t0\t2\t"]
    result = tables(lines)
    got = values(result, "applications")
    assert [got[("carried_over", c)] for c in T.APPLICANT_KEYS] == [None, 2, 0, 0, 0, 0, 2]
    assert "cell_count_mismatch" not in codes(result)


def test_a_ragged_table_padded_at_both_ends_leaves_the_row_blank():
    """The same row in a table whose rows are padded at either end (一、 has an empty cell
    before its numbers): which blank of | | 2 | 0 | 0 | 0 | 0 | 2 | | | is padding is not in the
    text. NULL, the text kept, cell_count_mismatch naming the two columns 2 could stand in."""
    lines = RAGGED_HEADER + ["一、本年新收政府信息公开申请数量\t\t1\t2\t3\t4\t5\t6\t21\t",
                             "二、上年结转政府信息公开申请数量\t\t2\t0\t0\t0\t0\t2\t\t",
                             "三、本年度办理结果\t（一）予以公开\t1\t1\t0\t0\t0\t0\t2\t"]
    result = tables(lines)
    got = values(result, "applications")
    assert [got[("carried_over", c)] for c in T.APPLICANT_KEYS] == [None] * 7
    assert [got[("new_received", c)] for c in T.APPLICANT_KEYS] == [1, 2, 3, 4, 5, 6, 21]
    [issue] = [i for i in result.issues if i.row_key == "carried_over"]
    assert issue.code == "cell_count_mismatch" and issue.column_key is None
    assert "'2' stands under natural_person or commercial" in issue.message
    assert issue.raw == " | 2 | 0 | 0 | 0 | 0 | 2 |  | "
