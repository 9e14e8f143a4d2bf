"""Runs of digits cut into the form's cells: by the digits alone, then by the form's own sums.

Every expected cut below is worked out by hand from the rules (a number has no leading zero
unless it is 0; spaces part cells; a decimal stays whole), not copied from the code's output.
"""

from __future__ import annotations

import time

import pytest

from loaders.mapping.cuts import cut
from loaders.model import Cell, Row
from loaders.mapping.run_labels import prose_figures
from loaders.mapping.splitting import metrics_named, split_joined
from loaders.form.template import application_rows_for, normalize_label

APPS, REVIEW, ACTIVE = "applications", "review_litigation", "active_disclosure"


def row(table: str, index: int, *texts: str, run: str | None = None) -> Row:
    cells = [Cell(t, 10) for t in texts]
    if run is not None:
        cells.append(Cell(run, 10, joined=True))
    return Row(table, 0, index, cells, [normalize_label(c.text) for c in cells])


def texts(r: Row) -> list[str]:
    return [c.text for c in r.cells]


def codes(issues) -> list[str]:
    return [i.code for i in issues]


# --- the digits alone ---------------------------------------------------------------------------

def test_a_run_with_one_cut():
    assert cut("5000005", 7).cuts == (("5", "0", "0", "0", "0", "0", "5"),)
    assert cut("8100008", 7).count == 1  # 8|1|0|0|0|0|8: stands even though it does not add up


@pytest.mark.parametrize("run, n, cuts", [
    ("000//", 5, [("0", "0", "0", "/", "/")]),
    ("///0/", 5, [("/", "/", "/", "0", "/")]),
    ("5——0", 3, [("5", "——", "0")]),  # a run of dashes is one placeholder
    ("0 - 0", 3, [("0", "-", "0")]),  # a dash with no digit after it is no sign
    ("-3", 1, [("-3",)]),
    ("605//", 3, [("605", "/", "/")]),  # (a placeholder is never part of a number)
    ("605//", 5, [("6", "0", "5", "/", "/")]),
])
def test_a_placeholder_is_a_cell_of_its_own(run, n, cuts):
    assert list(cut(run, n).cuts) == cuts


def test_spaces_are_hard_boundaries():
    assert cut("20 0 0 0 02", 7).cuts == (("2", "0", "0", "0", "0", "0", "2"),)
    assert cut("0 0 0 0 0 00", 7).cuts == (("0",) * 7,)
    assert cut("12 3", 2).cuts == (("12", "3"),)  # not 1|23: the space stands between cells


def test_no_leading_zero_but_zero_itself():
    # 6045 in three cells: 6|0|45 or 60|4|5 (never 6|04|5)
    assert set(cut("6045", 3).cuts) == {("6", "0", "45"), ("60", "4", "5")}
    assert cut("0740", 3).count == 2  # 0|7|40, 0|74|0


def test_a_decimal_stays_one_number_and_a_unit_stays_with_the_last():
    assert cut("4166.214619", 1).cuts == (("4166.214619",),)
    assert all(p[-1].endswith("214619") for p in cut("4166.214619", 2).cuts)
    cuts = cut("1912762137元", 2)
    assert cuts.count == 9 and ("19", "12762137元") in cuts.cuts
    assert all(p[-1].endswith("元") for p in cuts.cuts)


def test_a_thousands_comma_and_its_three_digits_stay_in_their_number():
    assert cut("1,3180000", 5).cuts == (("1,318", "0", "0", "0", "0"),)
    assert cut("12,345,678", 1).cuts == (("12,345,678",),)
    assert cut("1,206100001,207", 7).cuts == (("1,206", "1", "0", "0", "0", "0", "1,207"),)
    # 12,3456: the group is 345, so 6 is a number of its own; 1|2,345|6 is a cut into three
    assert cut("12,3456", 2).cuts == (("12,345", "6"),)
    assert set(cut("12,3456", 3).cuts) == {("1", "2,345", "6")}
    assert cut("1,318.5", 1).cuts == (("1,318.5",),)  # the fraction after the groups


def test_a_comma_without_three_digits_after_it_is_no_number():
    assert cut("1,31", 1).count == 0 and cut("1,31", 2).count == 0
    assert cut("1,2345", 1).count == 0  # four digits after the comma: no group
    assert cut("0,318", 1).count == 0  # no leading zero before a group either
    assert cut("1，318", 1).count == 0  # a full-width comma ends a sentence, it parts no digits


def test_a_sign_starts_a_number():
    assert set(cut("5−310", 3).cuts) == {("5", "−3", "10"), ("5", "−31", "0")}


def test_no_cut_when_the_numbers_do_not_fit():
    assert cut("0 0 0 0 0 0", 7).count == 0  # six numbers for seven cells
    assert cut("00000000", 7).count == 0     # eight zeros for seven cells
    assert cut("12a4", 2).count == 0


def test_a_40_digit_run_and_hostile_runs_are_bounded():
    many = cut("1" * 40, 15)
    assert many.too_many and many.cuts == ()
    assert cut("0" * 40, 7).count == 0
    assert cut("9" * 100_000, 7).count == 0
    assert cut("1 " * 5000, 15).count == 0
    assert cut("1" * 179 + "0", 15).cuts == (("1" * 12,) * 14 + ("1" * 11 + "0",),)
    start = time.perf_counter()
    for run in ("1" * 40, "10" * 90, "1.1" * 60, "1-" * 90, "0" * 180):
        cut(run, 15)
    assert time.perf_counter() - start < 2  # generous: the point is the result, not the clock


# --- section 三: the row's own sum, then the table's ---------------------------------------------

def test_a_unique_cut_replaces_the_run_without_an_issue():
    rows, issues = split_joined([row(APPS, 0, "一、本年新收政府信息公开申请数量", run="5000005")],
                                APPS, "2021", "")
    assert texts(rows[0]) == ["一、本年新收政府信息公开申请数量", "5", "0", "0", "0", "0", "0", "5"]
    assert issues == [] and not any(c.joined for c in rows[0].cells)
    assert all(c.line == 10 for c in rows[0].cells)


def test_several_cuts_chosen_by_the_row_sum():
    # 100000212: 1|0|0|0|0|0|212, 10|0|0|0|0|2|12, 10|0|0|0|0|21|2, 100|0|0|0|2|1|2;
    # only 10+2 = 12 adds up.
    rows, issues = split_joined([row(APPS, 0, "（一）予以公开", run="100000212")], APPS, "2021", "")
    assert texts(rows[0])[1:] == ["10", "0", "0", "0", "0", "2", "12"]
    [issue] = issues
    assert issue.code == "split_by_arithmetic" and issue.raw == "100000212"
    assert issue.row_key == "granted" and "rule 2" in issue.message


def _table(new_received: str, total: str) -> list[Row]:
    """Every row of the 2021 form: granted 9|0|…|9, not held 2|0|…|2, all others zeros."""
    runs = {"new_received": new_received, "granted": "9000009", "unavailable_not_held": "2000002",
            "total": total}
    return [row(APPS, i, key.label_zh, run=runs.get(key.key, "0000000"))
            for i, key in enumerate(application_rows_for("2021"))]


def test_several_cuts_that_add_up_chosen_across_rows():
    # 110000011 adds up as 1|10|0|0|0|0|11 and as 11|0|0|0|0|0|11. Granted 9 + not held 2 make
    # the 总计 row 11|0|…|11 (rule 3), and new + 0 = total + 0 makes the first row the same.
    rows, issues = split_joined(_table("110000011", "110000011"), APPS, "2021", "")
    assert texts(rows[0])[1:] == ["11", "0", "0", "0", "0", "0", "11"]
    assert texts(rows[-2])[1:] == ["11", "0", "0", "0", "0", "0", "11"]
    chosen = [i for i in issues if i.code == "split_by_arithmetic"]
    assert {i.row_key for i in chosen} == {"new_received", "total"}
    assert all("across the table" in i.message and i.raw == "110000011" for i in chosen)


def test_several_cuts_left_ambiguous_keep_the_run():
    # Alone, nothing tells 1|10|…|11 from 11|0|…|11: the run stays, NULL downstream.
    [r], [issue] = split_joined([row(APPS, 0, "（一）予以公开", run="110000011")], APPS, "2021", "")
    assert texts(r) == ["（一）予以公开", "110000011"] and r.cells[1].joined
    assert issue.code == "split_ambiguous" and issue.raw == "110000011"
    assert "4 ways" in issue.message and issue.row_key == "granted"


def test_no_cut_that_adds_up_is_ambiguous_not_guessed():
    # 12000012 (8 digits in 7 cells): 12|0|0|0|0|1|2, 1|20|0|0|0|1|2, 1|2|0|0|0|0|12; none adds
    # up, so the report's own inconsistency stays visible instead of being guessed away.
    [r], [issue] = split_joined([row(APPS, 0, "（一）予以公开", run="12000012")], APPS, "2021", "")
    assert r.cells[1].joined and issue.code == "split_ambiguous"
    assert "no cut satisfies rule 2" in issue.message


@pytest.mark.parametrize("prose, value", [
    ("本年度共收到政府信息公开申请11件，均已按时答复。", 11),
    ("2021年我局未收到政府信息公开申请。", 0),
    ("本年度收到行政复议申请3件。", None),  # not an application for information
    ("2021年收到政府信息公开申请11件，2020年收到政府信息公开申请9件。", None),  # which one?
    ("本年度收到政府信息公开申请数量为11件。", 11),
    ("本年度收到政府信息公开申请共计11件。", 11),
    ("收到政府信息公开申请同比增加5件。", None),  # a change, not the count
    ("收到政府信息公开申请增加5件。", None),
])
def test_the_prose_states_new_applications(prose, value):
    assert prose_figures(prose).get((APPS, "new_received", "total")) == value


@pytest.mark.parametrize("prose, value", [
    ("现行有效规范性文件共43件。", 43),
    ("现行有效的规范性文件为43件。", 43),
    ("现行有效规范性文件43件。", 43),
    ("现行有效规范性文件新增5件。", None),  # five new ones: no count of those in force
    ("现行有效规范性文件减少2件。", None),
])
def test_the_prose_states_normative_documents_in_force(prose, value):
    assert prose_figures(prose).get((ACTIVE, "normative_documents", "in_force")) == value


def test_six_numbers_for_seven_cells_are_unsplittable():
    [r], [issue] = split_joined([row(APPS, 0, "（一）予以公开", run="0 0 0 0 0 0")], APPS, "2021", "")
    assert texts(r) == ["（一）予以公开", "0 0 0 0 0 0"] and r.cells[1].joined
    assert (issue.code, issue.table, issue.row_key, issue.raw) == \
        ("run_unsplittable", APPS, "granted", "0 0 0 0 0 0")


# --- section 四 ----------------------------------------------------------------------------------

HEADER = ("行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
          "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计")


def test_review_header_and_numbers_become_two_rows():
    rows, issues = split_joined([row(REVIEW, 0, HEADER, run="000000000000000")], REVIEW, "2021", "")
    header, values = rows
    assert texts(header)[:4] == ["行政复议", "行政诉讼", "结果维持", "结果纠正"]
    assert len(header.cells) == 19 and texts(values) == ["0"] * 15 and issues == []


def test_review_groups_choose_by_their_totals():
    # 10000100000000000 in 15: 1|0|0|0|0|100|0…, 10|0|0|0|10|0…, 100|0|0|1|0|0…; only the
    # second has each group's 总计 equal to its four outcomes.
    rows, [issue] = split_joined([row(REVIEW, 0, HEADER, run="10000100000000000")], REVIEW,
                                 "2021", "")
    assert texts(rows[1]) == ["10", "0", "0", "0", "10"] + ["0"] * 10
    assert issue.code == "split_by_arithmetic" and "rule 4" in issue.message


def test_review_in_three_runs_of_five():
    rows, issues = split_joined([row(REVIEW, i, "行政复议", run="10001") for i in range(3)], REVIEW,
                                "2021", "")
    assert [texts(r) for r in rows if not r.norms[0].startswith("行政")] == [["1", "0", "0", "0", "1"]] * 3
    assert issues == []


# --- section 二 ----------------------------------------------------------------------------------

def test_header_glued_to_the_item_is_parted_and_names_the_width():
    rows, issues = split_joined([
        row(ACTIVE, 0, "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章", run="000"),
        row(ACTIVE, 1, "行政规范性文件", run="6045"),
    ], ACTIVE, "2021", "")
    assert [texts(r) for r in rows[:3]] == [
        ["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"]]
    assert texts(rows[3]) == ["行政规范性文件", "6045"] and rows[3].cells[1].joined
    [issue] = issues
    assert (issue.code, issue.row_key, issue.raw) == ("split_ambiguous", "normative_documents", "6045")


def test_the_prose_figure_chooses_in_section_two():
    rows, [issue] = split_joined([
        row(ACTIVE, 0, "信息内容本年制发件数本年废止件数现行有效件数规章", run="000"),
        row(ACTIVE, 1, "行政规范性文件", run="6045"),
    ], ACTIVE, "2021", "截至年底，现行有效行政规范性文件45件。")
    assert texts(rows[-1]) == ["行政规范性文件", "6", "0", "45"]
    assert issue.code == "split_by_arithmetic"


def test_the_2019_header_names_three_metrics():
    assert [m.key for m in metrics_named("上一年项目数量本年增/减处理决定数量")] == \
        ["prior_year_count", "change", "decisions"]
    rows, issues = split_joined([row(ACTIVE, 0, "第二十条第（五）项信息内容上一年项目数量本年增/减"
                                     "处理决定数量行政许可", run="72171051")], ACTIVE, "2019", "")
    assert texts(rows[1]) == ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]
    assert rows[2].cells[1].joined and codes(issues) == ["split_ambiguous"]


def test_a_run_under_no_header_is_reported():
    [r], [issue] = split_joined([row(ACTIVE, 0, "行政许可", run="12")], ACTIVE, "2021", "")
    assert r.cells[1].joined and issue.code == "run_unsplittable" and issue.raw == "12"


@pytest.mark.parametrize("table", [APPS, REVIEW, ACTIVE])
def test_rows_without_runs_pass_unchanged(table):
    rows = [row(table, 0, "规章", "0", "0", "0")]
    assert split_joined(rows, table, "2021", "") == (rows, [])


def test_a_40_digit_run_in_a_table_is_ambiguous_at_once():
    rows, [issue] = split_joined([row(APPS, 0, "（一）予以公开", run="1" * 40)], APPS, "2021", "")
    assert rows[0].cells[1].joined and issue.code == "split_ambiguous"
    assert "more than" in issue.message
    rows, [issue] = split_joined([row(REVIEW, 0, HEADER, run="7" * 400)], REVIEW, "2021", "")
    assert rows[-1].cells[0].joined and issue.code == "run_unsplittable"


def test_two_runs_in_section_four_say_why_they_are_not_read():
    rows, issues = split_joined([row(REVIEW, i, "行政复议", run="0000000") for i in range(2)], REVIEW,
                                "2021", "")
    assert codes(issues) == ["run_unsplittable"] * 2 and "15 numbers in one row" in issues[0].message
    assert all(r.cells[0].joined for r in rows if not r.norms[0].startswith("行政"))
