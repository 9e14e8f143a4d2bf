"""Numbers merged down over rows (loaders/mapping/merged.py): one number for two rows of the form
belongs to neither; a number whose merged cell only reaches a row that is no row of the form (a
note under the table) is its own row's. Sample: html_page/number_merged_over_two_rows.html."""

from __future__ import annotations

from pathlib import Path

from loaders.pipeline import load_report

HEADER = """<tr><td colspan=2 rowspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
<td colspan=7>申请人情况</td></tr>
<tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"""


def _page(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "r.html"
    path.write_text(f"""<html><body><p>某某市某某局2023年政府信息公开工作年度报告</p>
<p>三、收到和处理政府信息公开申请情况</p><table border=1>{HEADER}{rows}</table>
<p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>""", encoding="utf-8")
    return path


def _total(report, row_key):
    return next(v.value for v in report.values
                if v.table == "applications" and v.row_key == row_key and v.column_key == "total")


def test_a_total_merged_over_two_rows_of_the_form_is_neither_rows(tmp_path):
    report = load_report(_page(tmp_path, """
<tr><td colspan=2>一、本年新收政府信息公开申请数量</td><td>1</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td rowspan=2>4</td></tr>
<tr><td colspan=2>二、上年结转政府信息公开申请数量</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>"""))
    assert _total(report, "new_received") is None and _total(report, "carried_over") is None
    merged = [i for i in report.issues if i.code == "cells_merged"]
    assert {(i.row_key, i.column_key) for i in merged} == {("new_received", "total"),
                                                           ("carried_over", "total")}
    assert all(i.raw == "4" for i in merged)


def test_a_total_merged_down_over_a_note_is_its_rows(tmp_path):
    report = load_report(_page(tmp_path, """
<tr><td colspan=2>四、结转下年度继续办理</td><td>1</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td rowspan=2>3</td></tr>
<tr><td colspan=8>注：本表数据统计截至2023年12月31日。</td></tr>"""))
    assert _total(report, "carried_forward") == 3
    assert not [i for i in report.issues if i.code == "cells_merged"]


def test_numbers_merged_over_their_labels_second_line_are_the_rows(tmp_path):
    """A label wrapped onto a second table row, its numbers merged down over both: the second row
    is no row of the form (no value of its own), so the numbers are the label's."""
    cells = "".join(f"<td rowspan=2>{n}</td>" for n in (2, 0, 0, 0, 0, 1, 3))
    report = load_report(_page(tmp_path, f"""
<tr><td colspan=2>（二）部分公开（区分处理的，</td>{cells}</tr>
<tr><td colspan=2>只计这一情形，不计其他情形）</td></tr>"""))
    assert [v.value for v in report.values if v.table == "applications"
            and v.row_key == "partly_granted"] == [2, 0, 0, 0, 0, 1, 3]
    assert not [i for i in report.issues if i.code == "cells_merged"]
