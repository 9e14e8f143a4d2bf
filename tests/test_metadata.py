"""Title, agency, year and date from the prose, and the six section headings."""

from __future__ import annotations

import pytest

from loaders.metadata import extract_metadata, parse_date
from loaders.model import Paragraph
from loaders.sections import cut_sections, find_headings, match_heading


@pytest.mark.parametrize("text, iso", [
    ("2021年1月14日", "2021-01-14"), ("  2022年1月18日 ", "2022-01-18"),
    ("2020 年 12 月 31 日", "2020-12-31"), ("二〇二一年一月十四日", "2021-01-14"),
    ("二○二二年十二月二十八日", "2022-12-28"), ("２０２１年３月１日", "2021-03-01"),
])
def test_dates(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["2021年13月1日", "统计期限自2019年1月1日起", "2021年1月"])
def test_not_dates(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("text, number", [
    ("一、总体情况", 1), ("总体情况", 1), ("（一）总体情况", 1), ("二、主动公开政府信息情况", 2),
    ("三、收到和处理政府信息公开申请情况", 3), ("四、政府信息公开行政复议、行政诉讼情况    ", 4),
    ("五、政府信息公开工作中存在的主要问题及改进情况", 5), ("六、其他需要报告的事项", 6),
    ("第五部分 存在的主要问题及改进情况", 5),
])
def test_headings(text, number):
    assert match_heading(text).number == number


@pytest.mark.parametrize("text", [
    "（一）主动公开情况",
    "2020年，我局按照要求认真做好总体情况的梳理工作，并结合实际推进各项工作，取得了一定成效，总体情况良好。",
])
def test_not_headings(text):
    assert match_heading(text) is None


def meta(*lines):
    blocks = [Paragraph(t, i) for i, t in enumerate(lines, 1)]
    return extract_metadata(blocks, find_headings(blocks))


def test_agency_above_the_title():
    m = meta("尧都区卫生健康和体育局", "2020年政府信息公开工作年度报告", "一、总体情况", "正文")
    assert (m.agency, m.year, m.title) == ("尧都区卫生健康和体育局", 2020, "2020年政府信息公开工作年度报告")


def test_agency_below_the_title_with_a_date():
    m = meta("2020年度政府信息公开工作年度报告", "鄞州区卫生健康局", "2020年12月31日", "一、总体情况")
    assert (m.agency, m.year, m.published_on) == ("鄞州区卫生健康局", 2020, "2020-12-31")


def test_title_broken_over_lines_with_agency_and_year():
    m = meta("积石山县卫生健康局 2021年政府信息", "公开工作年度报告", "总体情况", "正文", "六、其他需要报告的事项",
             "无。", "积石山县卫生健康局", "2022年1月18日")
    assert (m.agency, m.year, m.published_on) == ("积石山县卫生健康局", 2021, "2022-01-18")
    assert m.title == "积石山县卫生健康局 2021年政府信息公开工作年度报告"


def test_signature_is_cut_from_the_last_section():
    blocks = [Paragraph(t, i) for i, t in enumerate(
        ["某县卫生健康局2021年政府信息公开工作年度报告", "六、其他需要报告的事项", "无。", "某县卫生健康局",
         "2022年1月18日"], 1)]
    headings = find_headings(blocks)
    m = extract_metadata(blocks, headings)
    [section] = cut_sections(blocks, headings, m.signature)
    assert section.body == "无。" and section.line_end == 3


def test_missing_year_and_agency_are_issues():
    m = meta("工作报告", "一、总体情况")
    assert {i.code for i in m.issues} == {"missing_year", "missing_agency"}
