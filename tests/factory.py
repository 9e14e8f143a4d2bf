"""Crafted reports for the check tests: a complete report in the Word-export text layout
(one cell per line), consistent by default (every number 0), with any cell overridable.

``None`` writes a blank cell (an NBSP, as Word exports it). The layout is the one the seeds use,
so these reports go through the real reader, mapper and store.
"""

from __future__ import annotations

from pathlib import Path

from loaders.form import template as T

APPLICANT_HEADER = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
                    ["", "自然人", "法人或其他组织", "总计"],
                    ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]]
REVIEW_HEADER = [["行政复议", "行政诉讼"],
                 ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
                 ["", "", "", "", "", *(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)]]
ACTIVE_2019 = [
    ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
     [("规章", "regulations"), ("规范性文件", "normative_documents")]),
    ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
     [("行政许可", "licensing"), ("其他对外管理服务事项", "other_services")]),
    ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
     [("行政处罚", "punishment"), ("行政强制", "coercion")]),
    ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("行政事业性收费", "fees")]),
    ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("政府集中采购", "procurement")]),
]
ACTIVE_2021 = [
    ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
     [("规章", "regulations"), ("行政规范性文件", "normative_documents")]),
    ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "licensing")]),
    ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", "punishment"), ("行政强制", "coercion")]),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", "fees")]),
]
METRIC_BY_HEADER = {m.label_zh: m.key for m in T.DISCLOSURE_METRICS}
METRIC_BY_HEADER.update({"采购总金额": "amount_10k_yuan", "本年处理决定数量": "decisions",
                         "本年收费金额（单位：万元）": "amount_10k_yuan"})


def cell(value) -> str:
    return "\u00a0" if value is None else str(value)


def grid(rows: list[list[str]]) -> list[str]:
    lines: list[str] = []
    for row in rows:
        lines.extend("\t" + c for c in row)
        lines.append("")
    return lines


def report_text(agency="测试县卫生健康局", year=2020, template=None, applications=None, review=None,
                active=None, overview="本年度依法做好政府信息公开工作。", published_on=None,
                drop_rows=()) -> str:
    """The text of a report; ``applications`` maps row_key -> 7 values (or {column: value})."""
    template = template or ("2021" if year >= 2021 else "2019")
    applications = applications or {}
    review = review or {}
    active = active or {}
    lines = [f"{agency}{year}年政府信息公开工作年度报告", "", "一、总体情况", overview, "",
             "二、主动公开政府信息情况"]
    rows: list[list[str]] = []
    for article, metrics, items in (ACTIVE_2021 if template == "2021" else ACTIVE_2019):
        rows.append([article])
        rows.append(["信息内容", *metrics])
        for label, item in items:
            rows.append([label, *(cell(active.get((item, METRIC_BY_HEADER[m]), 0))
                                  for m in metrics)])
    lines += grid(rows) + ["", "三、收到和处理政府信息公开申请情况"]
    rows = list(APPLICANT_HEADER)
    for key in T.application_rows_for(template):
        if key.key in drop_rows:
            continue
        values = applications.get(key.key, [0] * 7)
        if isinstance(values, dict):
            values = [values.get(c, 0) for c in T.APPLICANT_KEYS]
        rows.append([key.label_zh, *(cell(v) for v in values)])
    lines += grid(rows) + ["", "四、政府信息公开行政复议、行政诉讼情况"]
    rows = list(REVIEW_HEADER) + [[cell(review.get(k, 0)) for k in T.REVIEW_KEYS]]
    lines += grid(rows) + ["", "五、存在的主要问题及改进情况", "工作仍需加强。", "",
                           "六、其他需要报告的事项", "无。"]
    if published_on:
        lines += [agency, published_on]
    return "\n".join(lines) + "\n"


def write_report(folder: Path, name: str, **kwargs) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(report_text(**kwargs), encoding="utf-8")
    return path
