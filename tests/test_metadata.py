"""Title, agency, year and date from the prose (each cue, and how they are weighed), and the six
section headings. Samples of the cues on whole files: tests/samples/metadata/."""

from __future__ import annotations

import pytest

from loaders.extract import cues as C
from loaders.extract.metadata import extract_metadata, parse_date, same_agency
from loaders.model import Paragraph
from loaders.extract.sections import cut_sections, find_headings
from loaders.form.headings import match_heading


@pytest.mark.parametrize("text, iso", [
    ("2021年1月14日", "2021-01-14"), ("  2022年1月18日 ", "2022-01-18"),
    ("2020 年 12 月 31 日", "2020-12-31"), ("二〇二一年一月十四日", "2021-01-14"),
    ("二○二二年十二月二十八日", "2022-12-28"), ("２０２１年３月１日", "2021-03-01"),
    # signatures' other forms: dots, dashes, slashes, 元月, 号, a date in brackets under a title
    ("2024.1.31", "2024-01-31"), ("2024-01-31", "2024-01-31"), ("2024/01/31", "2024-01-31"),
    ("２０２４．１．３１", "2024-01-31"), ("2024年元月31日", "2024-01-31"),
    ("2024年01月31号", "2024-01-31"), ("（2024年1月31日）", "2024-01-31"),
])
def test_dates(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["2021年13月1日", "统计期限自2019年1月1日起", "2021年1月",
                                  "2024-1/31", "1.2.3", "第2024.1.31期"])
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


# --- dates by the calendar ---------------------------------------------------------------------

def test_an_impossible_date_is_no_date_and_an_issue():
    assert parse_date("2021年2月30日") is None
    m = meta("测试县卫生健康局2020年政府信息公开工作年度报告", "一、总体情况", "无。", "测试县卫生健康局",
             "2021年2月30日")
    assert m.published_on is None
    [issue] = [i for i in m.issues if i.code == "invalid_date"]
    assert issue.raw == "2021年2月30日"


@pytest.mark.parametrize("text, found", [
    ("时间：2022-01-07 17:53", [("2022-01-07", "2022-01-07")]),
    ("2024 年 1 月 1 日", [("2024-01-01", "2024年1月1日")]),
    ("2021年2月29日", [(None, "2021年2月29日")]),  # 2021 is no leap year
    ("2020年2月29日", [("2020-02-29", "2020年2月29日")]),
    ("2021年13月1日", [(None, "2021年13月1日")]),
])
def test_dates_in_text_are_checked_by_the_calendar(text, found):
    assert C.dates_in(text) == found


# --- each cue --------------------------------------------------------------------------------

def paragraphs(*lines):
    return [Paragraph(t, i) for i, t in enumerate(lines, 1)]


@pytest.mark.parametrize("title, agency, year", [
    ("鄞州区卫生健康局2020年政府信息公开工作年度报告", "鄞州区卫生健康局", 2020),
    ("2024 年上海市科委政府信息公开工作年度报告", "上海市科委", 2024),
    ("平潭综合实验区 2019年 度政府信息公开工作年度报告", "平潭综合实验区", 2019),  # a zone alone
    ("淮安市2023年政府信息公开工作年度报告", "淮安市", 2023),  # a place for its government
    ("关于2021年政府信息公开工作年度报告", None, 2021),
    ("沭阳县教育局关于2021年度政府信息公开工作年度报告", "沭阳县教育局", 2021),
    ("二〇二一年度政府信息公开工作年度报告", None, 2021),
    ("洪泽区卫生健康委员会政府信息公开工作年度报告", "洪泽区卫生健康委员会", None),
    ("首页政务公开政府信息公开年报平潭综合实验区经济发展局2021年政府信息公开工作年度报告",
     "平潭综合实验区经济发展局", 2021),  # a breadcrumb run into the title is not the name
    # a covering notice: the report it issues is the agency's after 关于印发
    ("佳木斯市人民政府办公室关于印发佳木斯市卫生健康委员会2020年政府信息公开工作年度报告的通知",
     "佳木斯市卫生健康委员会", 2020),
    ("同江市人民政府办公室关于印发2020年同江市政府信息公开工作年度报告的通知", "同江市", 2020),
    # …its own report (我局, 本局, 《…》), or its place's (本区, 全市, 市政府: the government's)
    ("金华市财政局关于公布我局2023年政府信息公开工作年度报告的通知", "金华市财政局", 2023),
    ("金华市财政局关于印发《金华市财政局2023年政府信息公开工作年度报告》的通知", "金华市财政局", 2023),
    ("婺城区人民政府办公室关于印发本区2023年政府信息公开工作年度报告的通知", "婺城区人民政府", 2023),
    ("金华市人民政府办公室关于印发市政府2023年政府信息公开工作年度报告的通知", "金华市人民政府", 2023),
    ("佳木斯市人民政府办公室关于公布市政府办公室2020年政府信息公开工作年度报告的通知",
     "佳木斯市人民政府办公室", 2020),
    ("佳木斯市卫生健康委员会办公室关于印发本委2020年政府信息公开工作年度报告的通知",
     "佳木斯市卫生健康委员会", 2020),
    ("宿迁市宿豫区人民政府办公室关于印发本区卫生健康委员会2020年政府信息公开工作年度报告的通知",
     "宿迁市宿豫区卫生健康委员会", 2020),
    ("新疆维吾尔自治区乌鲁木齐市天山区人民政府办公室关于印发本区教育局2020年政府信息公开工作年度报告的通知",
     "新疆维吾尔自治区乌鲁木齐市天山区教育局", 2020),
    # a notice forwarding another's: no agency of its own
    ("广州市人民政府办公厅关于转发市财政局2020年政府信息公开工作年度报告的通知", None, 2020),
])
def test_split_title(title, agency, year):
    assert C.split_title(title) == (agency, year)


def test_title_split_over_lines_keeps_its_year_from_the_line_before():
    cue, lines = C.title_cue(paragraphs("平潭综合实验区", "2019年", "度政府信息公开工作年度报告", "一、总体情况"))
    assert (cue.text, cue.year) == ("2019年度政府信息公开工作年度报告", 2019)
    assert C.title_block_cue(paragraphs("平潭综合实验区", "2019年", "度政府信息公开工作年度报告"),
                             lines[:0]) is None
    head = paragraphs("平潭综合实验区", "2019年", "度政府信息公开工作年度报告")
    cue, lines = C.title_cue(head)
    assert C.title_block_cue(head, lines).agency == "平潭综合实验区"


def test_a_header_line_or_a_sentence_is_not_the_title():
    head = paragraphs("栏目：政府信息公开年报", "根据《条例》规定，现公布2021年政府信息公开工作年度报告。",
                      "某县教育局2021年政府信息公开工作年度报告")
    cue, lines = C.title_cue(head)
    assert cue.text == "某县教育局2021年政府信息公开工作年度报告" and lines == head[2:]


def test_a_year_in_brackets_under_the_title():
    cue, _ = C.title_cue(paragraphs("沭阳县教育局政府信息公开工作年度报告", "（2021年度）"))
    assert (cue.agency, cue.year) == ("沭阳县教育局", 2021)


def test_title_standing_alone_in_a_crawled_line():
    line = ("当前位置： 首页政务公开政府信息公开平潭综合实验区市场监督管理局政府信息公开年报 "
            "平潭综合实验区市场监督管理局2021年度政府信息公开工作年度报告 来源： 时间：2022-01-07 17:53 "
            "--> 微信 根据《条例》，结合我局工作实际，现编制完成2021年政府信息公开工作年度报告。")
    assert C.titles_in_text(line) == ["平潭综合实验区市场监督管理局2021年度政府信息公开工作年度报告"]
    cue = C.title_in_long_lines(paragraphs(line))
    assert (cue.agency, cue.year) == ("平潭综合实验区市场监督管理局", 2021)


def test_crawler_header_lines():
    found = C.header_cues("标题: 平潭综合实验区财政金融局2025年度政府信息公开工作年度报告 发布时间: 2026-01-16 "
                          "14:46 文号: 发布机构: 区财政金融局 栏目: 政府信息公开年报 来源： 时间：2022-01-07")
    assert [(c.kind, c.agency, c.year, c.date) for c in found] == [
        ("crawler_title", "平潭综合实验区财政金融局", 2025, None),
        ("crawler_date", None, None, "2026-01-16"),
        ("publisher", "区财政金融局", None, None),  # 来源： is empty: it says nothing
        ("crawler_date", None, None, "2022-01-07")]


def test_html_title_and_meta():
    found = C.html_cues({"title": "沭阳县发展和改革局2023年政府信息公开年度报告_年度报告_沭阳县人民政府",
                         "pubdate": "2024-01-17 09:30", "contentsource": "沭阳县发展和改革局"})
    assert [(c.kind, c.agency, c.year, c.date) for c in found] == [
        ("html_title", "沭阳县发展和改革局", 2023, None), ("html_date", None, None, "2024-01-17"),
        ("publisher", "沭阳县发展和改革局", None, None)]


@pytest.mark.parametrize("text, year", [
    ("本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。", 2021),
    ("本年度报告中所列数据的统计周期\n为 2024 年 1 月 1 日至 12 月 31 日。", 2024),
    ("报告所列统计期限自 2024 年 1 月 1 日至 2024 年 12 月 31 日。", 2024),
    ("统计时限为2022年12月1日至2023年11月30日。", None),  # two years: which one is not said
    ("2021年，我局统计数据显示…", None),
])
def test_statistics_period(text, year):
    cue = C.period_cue(text)
    assert (cue.year if cue else None) == year


@pytest.mark.parametrize("text, agency", [
    ("本报告由淮安市人民政府办公室根据《中华人民共和国政府\n信息公开条例》规定编制。", "淮安市人民政府"),
    ("本报告由沭阳县教育局编制，电子版可在网站下载。", "沭阳县教育局"),
    ("本报告根据《条例》编制。", None),
])
def test_author_sentence(text, agency):
    cue = C.author_cue(text)
    assert (cue.agency if cue else None) == agency


@pytest.mark.parametrize("tail, agency, date", [
    ("六、其他需要报告的事项 无。 同江市卫生健康局 2021年1月14日", "同江市卫生健康局", "2021-01-14"),
    ("…没有产生信息公开处理费。 平潭综合实验区市场监督管理局 2022年1月7日抄送：驻区纪检监察组。"
     "平潭综合实验区市场监督管理局办公室 2022年1月7日印发 附件下载", "平潭综合实验区市场监督管理局",
     "2022-01-07"),  # the office's 印发 line after the signature is not it
    ("无。\n积石山县卫生健康局\n\n2022年1月13 日\n", "积石山县卫生健康局", "2022-01-13"),
    ("2021年，我局将继续做好政府信息公开工作。", None, None),
    ("特此报告。 沭阳县交通运输局 2024-01-31", "沭阳县交通运输局", "2024-01-31"),
    ("特此报告。 沭阳县交通运输局 2024.1.31", "沭阳县交通运输局", "2024-01-31"),
    ("特此报告。沭阳县交通运输局2024年元月31日", "沭阳县交通运输局", "2024-01-31"),
    ("无。 平潭综合实验区财政金融局（盖章） 2026年1月14日", "平潭综合实验区财政金融局", "2026-01-14"),
    # a crawled page's words run into the date
    ("无。 沭阳县交通运输局2024年1月18日附件下载：", "沭阳县交通运输局", "2024-01-18"),
    ("无。 沭阳县交通运输局2024年1月18日发布", "沭阳县交通运输局", "2024-01-18"),
    ("本报告经局长办公会2021年1月12日审议通过。", None, None),  # a sentence's date
])
def test_signature(tail, agency, date):
    cue = C.signature_cue(tail)
    assert ((cue.agency, cue.date) if cue else (None, None)) == (agency, date)


@pytest.mark.parametrize("name, agency, year", [
    ("pingtan_scjgj_2021_crawler_text.txt", None, 2021),
    ("000_d41b7d34cb4232dc.txt", None, None),  # hex digits of a hash are no year
    ("a2020.txt", None, None),
    ("2021_to_2022.txt", None, None),  # two years: none
    ("沭阳县教育局2022年度政府信息公开工作年度报告.pdf", "沭阳县教育局", 2022),
])
def test_file_name(name, agency, year):
    cue = C.file_name_cue(name)
    assert ((cue.agency, cue.year) if cue else (None, None)) == (agency, year)


# --- weighing the cues -------------------------------------------------------------------------

def test_the_title_wins_over_the_period_and_both_are_named():
    m = meta("沭阳县教育局2023年政府信息公开工作年度报告", "本报告统计期限自2022年1月1日至2022年12月31日。",
             "一、总体情况", "正文")
    assert m.year == 2023
    [issue] = [i for i in m.issues if i.code == "metadata_conflict"]
    assert "2023" in issue.message and "2022" in issue.message and "statistics period" in issue.message


def test_the_period_gives_the_year_when_the_title_does_not():
    m = meta("沭阳县教育局政府信息公开工作年度报告", "本报告统计期限自2022年1月1日至2022年12月31日。",
             "一、总体情况", "正文")
    assert (m.agency, m.year) == ("沭阳县教育局", 2022)
    assert not [i for i in m.issues if i.code in ("missing_year", "metadata_conflict")]


def test_a_year_only_in_the_file_name_says_so():
    blocks = paragraphs("沭阳县教育局政府信息公开工作年度报告", "一、总体情况", "正文")
    m = extract_metadata(blocks, find_headings(blocks), "shuyang_jyj_2022.txt")
    assert m.year == 2022
    assert [i.code for i in m.issues] == ["metadata_from_file_name"]


def test_agencies_of_different_places_conflict():
    m = meta("洪泽区人民政府2024年政府信息公开工作年度报告", "一、总体情况", "六、其他需要报告的事项", "无。",
             "淮阴区人民政府", "2025年1月20日")
    assert m.agency == "洪泽区人民政府"
    assert [i.code for i in m.issues] == ["metadata_conflict"]


@pytest.mark.parametrize("a, b", [
    ("平潭综合实验区财政金融局", "区财政金融局"), ("淮安市人民政府", "淮安市人民政府办公室"),
    ("积石山县卫生健康局", "县卫健局"), ("淮安市人民政府", "市政府办公室"),
    ("烟台市芝罘区卫生健康局", "芝罘区卫生健康局"), ("沭阳县人民政府", "沭阳县政务公开办公室"),
])
def test_forms_of_one_agency_do_not_conflict(a, b):
    assert same_agency(a, b) and same_agency(b, a)


@pytest.mark.parametrize("a, b", [("洪泽区人民政府", "淮阴区人民政府"), ("沭阳县教育局", "沭阳县财政局"),
                                  ("沭阳县人民政府", "泗阳县政务公开办公室"),
                                  # an office serves an agency of its own place, not one under it
                                  ("宿迁市人民政府办公室", "宿迁市宿豫区民政局"),
                                  ("宿迁市政务公开办公室", "宿迁市宿豫区人民政府")])
def test_different_agencies_conflict(a, b):
    assert not same_agency(a, b)


def test_the_reports_own_signature_wins_over_a_publisher_office_naming_another_agency():
    # a city portal's office as the website's publisher of a district bureau's report
    m = meta("标题：2023年度政府信息公开工作年度报告", "发布机构：宿迁市人民政府办公室",
             "发布时间：2024-01-31", "2023年度政府信息公开工作年度报告", "一、总体情况",
             "六、其他需要报告的事项", "无。", "宿迁市宿豫区民政局", "2024年1月20日")
    assert m.agency == "宿迁市宿豫区民政局"
    assert [i.code for i in m.issues] == ["metadata_conflict"]


def test_a_publisher_naming_a_government_stands_over_the_bureau_that_compiled_its_report():
    # a government's report compiled and signed by one of its bureaus (a review's case)
    m = meta("标题：2023年度政府信息公开工作年度报告", "发布机构：佛山市人民政府", "发布时间：2024-01-31",
             "2023年度政府信息公开工作年度报告", "本报告由佛山市政务服务数据管理局根据《条例》编制。",
             "一、总体情况", "六、其他需要报告的事项", "无。", "佛山市政务服务数据管理局",
             "2024年1月20日")
    assert m.agency == "佛山市人民政府"


def test_a_publisher_field_naming_the_same_agency_stands():
    # the government's own report signed by its office: one agency, the publisher's name stands
    m = meta("标题：2023年度政府信息公开工作年度报告", "发布机构：宿迁市人民政府", "发布时间：2024-01-31",
             "2023年度政府信息公开工作年度报告", "一、总体情况", "六、其他需要报告的事项", "无。",
             "宿迁市人民政府办公室", "2024年1月20日")
    assert m.agency == "宿迁市人民政府"
    assert "metadata_conflict" not in [i.code for i in m.issues]


def test_a_signature_run_into_the_text_before_it_does_not_rename_the_title():
    # crawled text whose last line joins prose to the signature (a review's case)
    m = meta("淮安市财政局2021年政府信息公开工作年度报告", "一、总体情况", "六、其他需要报告的事项",
             "无淮安市财政局2022年1月20日")
    assert m.agency == "淮安市财政局"


def test_a_dated_line_in_digits_is_weighed_after_the_signature():
    # a printer's footer after the signature; a website's name and date at the page's foot
    m = meta("沭阳县交通运输局2023年政府信息公开工作年度报告", "一、总体情况", "六、其他需要报告的事项",
             "无。", "沭阳县交通运输局 2024年1月18日", "2024.03.05")
    assert m.published_on == "2024-01-18"
    m = meta("沭阳县交通运输局2023年政府信息公开工作年度报告", "一、总体情况", "六、其他需要报告的事项",
             "无。", "沭阳县交通运输局 2024年1月18日", "沭阳县人民政府网站2024-03-05")
    assert m.published_on == "2024-01-18"
    m = meta("沭阳县交通运输局2023年政府信息公开工作年度报告", "一、总体情况", "六、其他需要报告的事项",
             "无。", "沭阳县交通运输局 2024年1月18日", "沭阳县人民政府办公室 2024-03-05")
    assert m.published_on == "2024-01-18"
    # a date in a sentence is no signature's: 经局长办公会2021年1月12日审议通过
    m = meta("金华市婺城区财政局2020年政府信息公开工作年度报告", "一、总体情况",
             "六、其他需要报告的事项", "本报告经局长办公会2021年1月12日审议通过。",
             "金华市婺城区财政局", "2021.01.14")
    assert m.published_on == "2021-01-14"
    # a date under the title written with spaces is a date line (the title block's, first)
    m = meta("同江市卫生健康局2020年政府信息公开工作年度报告", "2021 年 1 月 20 日", "一、总体情况",
             "六、其他需要报告的事项", "无。", "同江市卫生健康局", "2021年1月14日")
    assert m.published_on == "2021-01-20"
    # with no other date, a line in digits is the report's
    m = meta("同江市卫生健康局2020年政府信息公开工作年度报告", "一、总体情况", "六、其他需要报告的事项",
             "特此报告。", "2021-01-14")
    assert m.published_on == "2021-01-14"


def test_a_signature_dated_before_the_year_ends_is_a_conflict():
    m = meta("沭阳县教育局2021年政府信息公开工作年度报告", "一、总体情况", "无。", "沭阳县教育局", "2021年3月1日")
    assert m.published_on == "2021-03-01"
    assert [i.code for i in m.issues] == ["metadata_conflict"]
