"""Rules over what could be read of one report: blank cells, irregular values, a template that
disagrees with the year, missing parts of the form."""

from __future__ import annotations

from collections.abc import Iterator

from ..form import template as T
from .facts import COLUMNS_BY_KEY, ITEMS_BY_KEY, ROWS_BY_KEY, Facts
from .registry import WARNING, Failure, rule

_ITEMS = ITEMS_BY_KEY
_METRICS = T.by_key(T.DISCLOSURE_METRICS)
_REVIEW_COLUMNS = T.by_key(T.REVIEW_COLUMNS)


# Cells the reader saw with text that gave no number: unreadable, not blank (their issue says
# why; SPEC, *Never blank without a trace*).
UNREADABLE_CODES = frozenset({"ambiguous_number", "non_numeric", "cell_count_mismatch",
                              "cell_unplaced", "cells_merged", "split_ambiguous",
                              "run_unsplittable", "header_unrecognized", "unit_conflict"})


@rule("blank_cells", 5, "Blank cells", "空白单元格",
      "Cells left blank where the form asks for a number. Many reports leave zeros blank, so a "
      "blank is not an error, but it is not a zero either: sums over it cannot be confirmed.",
      "表格中应填数字却留空的单元格。空白不等于零，涉及空白的合计无法核实。", "warning")
def check_blank_cells(facts: Facts) -> Iterator[Failure]:
    """Cells the form asks for that are blank, one failure per table row."""
    unreadable = {(i.table, i.row_key, i.column_key) for i in facts.issues
                  if i.code in UNREADABLE_CODES}

    def blanks(table, row_key, columns, get):
        cols = [c for c in columns if get(c) is None and (table, row_key, c) not in unreadable
                and (table, row_key, None) not in unreadable]
        return cols

    for row_key in T.APPLICATION_ROW_KEYS:
        if row_key not in facts.applications:
            continue
        if None not in map(facts.applications[row_key].get, T.APPLICANT_KEYS):
            continue  # no blank in the row (most rows): nothing to look up
        cols = blanks("applications", row_key, T.APPLICANT_KEYS,
                      lambda c: facts.applications[row_key].get(c))
        if cols:
            yield _blank_failure("applications", row_key, ROWS_BY_KEY[row_key].label_zh, cols)
    if facts.review is not None:
        # (section 四 is one row: an issue about the table that left its row unread, every
        # cell NULL, is about the row; a header not recognized whose row was read is not)
        if ("review_litigation", None, None) in unreadable \
                and all(v is None for v in facts.review.values()):
            unreadable.add(("review_litigation", "review_litigation", None))
        cols = blanks("review_litigation", "review_litigation", T.REVIEW_KEYS, facts.review.get)
        if cols:
            yield _blank_failure("review_litigation", "review_litigation",
                                 T.REVIEW_ROW.label_zh, cols)
    items: dict[str, list[str]] = {}
    for (item, metric), value in facts.active.items():
        if value is None and ("active_disclosure", item, metric) not in unreadable \
                and ("active_disclosure", item, None) not in unreadable:
            items.setdefault(item, []).append(metric)
    for item, cols in items.items():
        yield _blank_failure("active_disclosure", item, _ITEMS[item].label_zh,
                             cols)


def _blank_failure(table: str, row_key: str, label_zh: str, cols: list[str]) -> Failure:
    n = len(cols)
    return Failure("blank_cells", WARNING,
                   f"{n} blank cell{'s' if n > 1 else ''} in {label_zh}: {', '.join(cols)}",
                   f"{label_zh}有{n}个空白单元格", table, row_key, ",".join(cols), "a number",
                   f"{n} blank", [(row_key, c) for c in cols])


def _place_zh(table: str | None, row_key: str | None, column_key: str | None) -> str:
    """A cell named as the paper form names it: （三）1.属于国家秘密 · 自然人."""
    if table == "applications" and row_key in ROWS_BY_KEY and column_key in COLUMNS_BY_KEY:
        return f"{ROWS_BY_KEY[row_key].label_zh} · {COLUMNS_BY_KEY[column_key].label_zh}"
    if table == "review_litigation":
        col = _REVIEW_COLUMNS.get(column_key)
        return col.label_zh if col else str(column_key)
    if table == "active_disclosure":
        item = _ITEMS.get(row_key)
        metric = _METRICS.get(column_key)
        if item and metric:
            return f"{item.label_zh} · {metric.label_zh}"
    return f"{row_key}/{column_key}"


_IRREGULAR_CODES = {"irregular_number": "not a clean number",
                    "implausible_number": "too large to be a plausible number",
                    "ambiguous_number": "two different numbers", "non_numeric": "not a number"}


@rule("irregular_values", 6, "Irregular values", "不规范数值",
      "Cells whose text is not a clean number: 00, 0 0, 01, numbers with units, text. The value "
      "stored is the one the text clearly means, or blank when it means no single number.",
      "单元格文字不是规范数字（如00、0 0、01、带单位、文字）。", "warning")
def check_irregular_values(facts: Facts) -> Iterator[Failure]:
    """Cells whose text is not a clean number (from the parse issues)."""
    for issue in facts.issues:
        if issue.code in _IRREGULAR_CODES:
            raw = (issue.raw or "").replace("\u00a0", " ").strip()
            place = _place_zh(issue.table, issue.row_key, issue.column_key)
            yield Failure("irregular_values", WARNING,
                          f"{place}: {raw!r} is {_IRREGULAR_CODES[issue.code]}",
                          f"{place}：“{raw}”不是规范数字",
                          issue.table, issue.row_key, issue.column_key, "a clean number", raw,
                          [(issue.row_key, issue.column_key)])


@rule("template_year_mismatch", 8, "Template and year disagree", "格式与年度不符",
      "Reports for 2021 onwards must use the 2021 form (国办公开办函〔2021〕30号), reports for 2019 "
      "and 2020 the 2019 form (〔2019〕60号). A report in the other form is flagged.",
      "2021年及以后的年报应使用2021版格式，2019、2020年度使用2019版格式。", "warning")
def check_template_year(facts: Facts) -> Iterator[Failure]:
    """The form version fits the year reported on."""
    if facts.template is None or facts.year is None:
        return
    expected = "2021" if facts.year >= 2021 else "2019"
    if facts.year >= 2019 and facts.template != expected:
        yield Failure("template_year_mismatch", WARNING,
                      f"a {facts.year} report in the {facts.template} form; the {expected} form "
                      "applies", f"{facts.year}年度报告使用了{facts.template}版格式，应为{expected}版",
                      None, None, None, expected, facts.template)


_MISSING_CODES = ("missing_section", "missing_table", "missing_row", "missing_cell", "no_tables")


@rule("missing_parts", 9, "Missing parts", "缺少部分",
      "A section of the format, a table, a row of a table, or a column of section 二 was not found "
      "in the report.", "报告中缺少标准格式的章节、表格、表格行或栏目。", "warning")
def check_missing_parts(facts: Facts) -> Iterator[Failure]:
    """Sections, tables, rows and columns of the format that the report lacks."""
    for issue in facts.issues:
        if issue.code in _MISSING_CODES:
            yield Failure("missing_parts", WARNING, issue.message, issue.message, issue.table,
                          issue.row_key, issue.column_key, None, issue.code)
