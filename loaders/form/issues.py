"""Stable parse-issue codes: what each means, in English and Chinese, and how much it matters.

Severity: ``error`` means a value or table could not be read at all; ``warning`` means a value was
read but its text was not clean, or part of the form is missing; ``info`` is for the record.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IssueCode:
    code: str
    severity: str
    description_en: str
    description_zh: str


ISSUE_CODES: dict[str, IssueCode] = {c.code: c for c in (
    IssueCode("irregular_number", "warning",
              "A cell's text is not a clean number (00, 01, 0 0, 3件); the value shown is the one "
              "it clearly means.", "单元格数字书写不规范（如00、01、0 0），取其明确含义的数值"),
    IssueCode("ambiguous_number", "warning",
              "Two different numbers in one cell; stored as blank rather than guessed.",
              "同一单元格内有两个不同数字，未取值"),
    IssueCode("non_numeric", "warning",
              "Text where the form asks for a number (无, /, words); stored as blank.",
              "应填数字处填写了文字，未取值"),
    IssueCode("unit_conflict", "warning",
              "An amount whose money unit the report states differently in two places (the "
              "column header 万元, a note under the table 元): stored as blank.",
              "金额单位在报告中有两种不同写法（如表头为万元、表下注为元），未取值"),
    IssueCode("implausible_number", "warning",
              "A number of a trillion or more (a misread or a typo): stored as blank.",
              "数字过大（逾万亿），不可信，未取值"),
    IssueCode("unknown_row", "warning",
              "A table row with numbers whose label matches no row of the form.",
              "表格中有数字的行，其标签不属于标准格式"),
    IssueCode("row_inferred", "warning",
              "A row of numbers whose label was separated from it (PDF-to-markdown output), placed "
              "by the form's row order between the labelled rows around it, or under the label "
              "standing alone on the row above it; every cell of the row rests on that inference.",
              "数字行与其标签分离，按标准格式的行序推定其所属行"),
    IssueCode("duplicate_row", "warning",
              "A row of the form appears twice; one is kept: the first (in section 三, unless "
              "it is a line or two just above the section's table; a table captioned with "
              "another year than the report's gives way).",
              "同一行出现两次，取其一：第一次（第三部分表格上方一两行除外；标明其他年度的表格让位）"),
    IssueCode("cell_count_mismatch", "error",
              "A row has a different number of cells than the form; its values are left blank "
              "rather than guessed.", "该行单元格数与标准格式不符，未取值"),
    IssueCode("missing_row", "warning", "A row of the form was not found in the table.",
              "表格中缺少标准格式的某一行"),
    IssueCode("missing_cell", "warning", "An item of section 二 lacks one of the form's columns.",
              "第二部分某项缺少标准格式的某一栏"),
    IssueCode("row_not_in_template", "warning",
              "A row that belongs to the other version of the form.", "该行属于另一版本的格式"),
    IssueCode("header_unrecognized", "warning",
              "A table header that does not name the form's columns; columns read in the form's "
              "order where the rows' sums bear it out, else not read.",
              "表头与标准格式不符，各行合计印证时按标准顺序读取，否则不取值"),
    IssueCode("missing_table", "error", "A table of the form was not found.", "缺少标准格式的表格"),
    IssueCode("missing_section", "warning", "A section heading of the form was not found.",
              "缺少标准格式的章节标题"),
    IssueCode("no_tables", "error", "No table at all: the document loaded as prose only.",
              "文件中没有表格，仅载入文字"),
    IssueCode("place_ambiguous", "warning",
              "The agency's place name is shared by several divisions and the text names none of "
              "their cities or provinces: left unresolved (what they share, a province, is kept).",
              "地名对应多个行政区划且正文未写明所属市或省，未解析"),
    IssueCode("place_not_found", "warning",
              "No administrative division is named in the agency's name or the title.",
              "机关名称和标题中未找到行政区划名称"),
    IssueCode("place_renamed", "warning",
              "The division the report names has since been renamed or merged: the report's "
              "division is kept, and its successor named.",
              "报告所写行政区划已更名或调整，保留报告所写区划并注明现名"),
    IssueCode("override_invalid", "warning",
              "A row of agencies.csv for this report could not be applied.",
              "agencies.csv 中的更正无法应用"),
    IssueCode("not_national_format", "error",
              "Tables, but none of the national format (a report from before 2019, or a "
              "free-form one): the document loaded as prose only.",
              "有表格但均非国家统一格式（2019年以前或自定格式），仅载入文字"),
    IssueCode("template_mixed", "warning",
              "Labels of both versions of the form (2019 and 2021) in one report.",
              "同一报告中混用2019版和2021版格式"),
    IssueCode("template_undetected", "warning",
              "No label told the version of the form; it was taken from the year.",
              "无法从内容判断格式版本，按年份推定"),
    IssueCode("missing_year", "error", "The year reported on was not found in the title.",
              "标题中未找到报告年度"),
    IssueCode("missing_agency", "warning", "The publishing agency was not found.",
              "未找到发布机关名称"),
    IssueCode("cell_unplaced", "error",
              "A cell the reader saw stands under none of the form's columns (or where another "
              "cell already stands): its text is kept, no number is stored for it.",
              "单元格位置不在标准格式的任何一栏下（或与另一单元格重叠），保留原文，未取值"),
    IssueCode("blank_cells_merged", "info",
              "One blank cell covers two or more of the form's columns: they are all blank.",
              "一个空白合并单元格跨越标准格式的多栏，各栏均为空白"),
    IssueCode("cells_merged", "error",
              "A merged cell covers two or more of the form's columns, or two or more rows: its "
              "number belongs to none of them alone, so they are left blank, with its text kept.",
              "合并单元格跨越标准格式的多栏或多行，数字无法归属单一栏或单一行，未取值，保留原文"),
    IssueCode("rows_combined", "info",
              "Section 四's numbers printed on two rows under one header, each filling the columns "
              "the other leaves blank: read as the one row they make, each number under its "
              "column.",
              "第四部分数字分两行填写、互补空栏，合为一行，按各自所在栏取值"),
    IssueCode("columns_reordered", "info",
              "A table prints the form's columns in another order (总计 first, 法人或其他组织 before "
              "自然人): each number is read under the column its header names.",
              "表格各栏顺序与标准格式不同（如总计在前），按表头所列栏目取值"),
    # Who published it (loaders/extract/: metadata.py, cues.py, places.py, agencies.py)
    IssueCode("place_zone_unknown", "warning",
              "The agency's place is a zone that is not a division and not in the zone table: "
              "left unresolved.", "机关所在地为功能区，不在对照表中，未解析"),
    IssueCode("place_misprinted", "warning",
              "The agency's place name matches no division but is one character from exactly one "
              "division in a province or city the report names: read as that division.",
              "地名与任何行政区划均不符，但与报告所涉省市内唯一一个区划仅差一字，按该区划解析"),
    IssueCode("agency_unidentified", "warning",
              "The agency cannot be identified (no place, or a place shared by several divisions): "
              "the report has no agency_id and is left out of the checks across years and of "
              "duplicate detection.",
              "无法确定发布机关（无地名或地名重名），不参与跨年度核查和重复报告检测"),
    IssueCode("metadata_conflict", "warning",
              "Two cues of the report disagree on its year or agency (the title says 2023, the "
              "statistics period 2022): the stronger cue is kept, both are named.",
              "报告中不同线索给出的年度或机关不一致，取优先线索并注明两者"),
    IssueCode("invalid_date", "warning",
              "A date that is not in the calendar (2021年2月30日): not stored.",
              "日期不存在（如2月30日），未取值"),
    IssueCode("metadata_from_file_name", "warning",
              "The year or agency was found only in the file name, not in the document.",
              "年度或机关仅见于文件名，文件内容未载明"),
    # Cells run together in crawled text, cut by the digits and the sums (mapping/splitting.py)
    IssueCode("split_by_arithmetic", "warning",
              "The digits of a row ran together (5000005) and could be cut into the form's cells in "
              "several ways; the form's own sums (or a figure the report states) allowed only one, "
              "and that one is stored. The raw text and the rule that chose are named.",
              "单元格数字连在一起，可有多种拆分；依表内勾稽关系（或报告正文所述数字）仅一种成立，按其取值"),
    IssueCode("split_ambiguous", "error",
              "The digits of a row ran together and can be cut into the form's cells in several "
              "ways that the form's sums do not tell apart (6045 = 6|0|45 or 60|4|5): the values "
              "are left blank, with the text kept.",
              "单元格数字连在一起，有多种拆分且勾稽关系无法确定，未取值，保留原文"),
    IssueCode("run_unsplittable", "error",
              "The digits of a row cannot be cut into the form's cells (too few or too many numbers, "
              "e.g. six numbers for seven cells, or no columns named for them): the values are left "
              "blank, with the text kept.",
              "单元格数字无法拆分为标准格式的各栏（数字个数不符等），未取值，保留原文"),
)}
