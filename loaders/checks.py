"""Consistency rules: what does not add up in a report, materialized in ``validation_failures``.

Every rule has a stable code, a SPEC number where SPEC.md lists it, a one-line docstring (shown by
``ogi check --list`` and stored in ``validation_rules``), Chinese and English descriptions, and
the severities it gives:

- **error**: the report's own numbers contradict each other. A rule that fails while every cell
  it uses is filled is an error; so is one whose filled cells already break it beyond what any
  blank could repair (blanks are unknown counts, never negative: a 总计 of 1 under a part of 61
  is wrong whatever the blank cells hold).
- **warning**: the rule cannot be confirmed (blank cells), or the text is irregular, a part is
  missing, the report is late, or the prose and the table disagree.

Per-report rules are Python functions over ``Facts`` (one report's numbers). Rules that compare an
agency's reports across years (the same ``reports.agency_id``) are SQL, run once the whole corpus
is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from .form import template as T
from .model import Report

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    spec_number: int | None
    title_en: str
    title_zh: str
    description_en: str
    description_zh: str
    severities: str  # "error/warning", "warning"
    scope: str = "report"  # report: one report alone; corpus: an agency across years
    doc: str = ""


@dataclass
class Failure:
    rule: str
    severity: str
    message: str
    message_zh: str
    table: str | None = None
    row_key: str | None = None
    column_key: str | None = None
    expected: str | None = None
    actual: str | None = None
    cells: list[tuple[str, str]] = field(default_factory=list)  # (row_key, column_key)


@dataclass
class Facts:
    """One report's numbers as the checks see them: None is a blank (or unreadable) cell."""

    report_id: str
    agency: str | None
    year: int | None
    template: str | None
    published_on: str | None
    applications: dict[str, dict[str, int | None]]
    review: dict[str, int | None] | None
    active: dict[tuple[str, str], float | int | None]
    prose: str
    issues: list  # loaders.model.Issue

    @classmethod
    def from_report(cls, report: Report) -> "Facts":
        applications: dict[str, dict[str, int | None]] = {}
        review: dict[str, int | None] | None = None
        active: dict[tuple[str, str], float | int | None] = {}
        for v in report.values:
            if v.table == "applications":
                applications.setdefault(v.row_key, {})[v.column_key] = v.value
            elif v.table == "review_litigation":
                review = review or {}
                review[v.column_key] = v.value
            else:
                active[(v.row_key, v.column_key)] = v.value
        return cls(report.id, report.agency, report.year, report.template, report.published_on,
                   applications, review, active,
                   "\n".join(s.body for s in report.sections), report.issues)


REPORT_RULES: list[tuple[Rule, Callable[[Facts], Iterator[Failure]]]] = []
CORPUS_RULES: list[tuple[Rule, Callable[[], list[str]]]] = []


def rule(code: str, spec_number: int | None, title_en: str, title_zh: str, description_en: str,
         description_zh: str, severities: str, scope: str = "report"):
    def register(fn):
        doc = (fn.__doc__ or "").strip().splitlines()[0]
        r = Rule(code, spec_number, title_en, title_zh, description_en, description_zh,
                 severities, scope, doc)
        (REPORT_RULES if scope == "report" else CORPUS_RULES).append((r, fn))
        return fn
    return register


def all_rules() -> list[Rule]:
    rules = [r for r, _ in REPORT_RULES] + [r for r, _ in CORPUS_RULES]
    return sorted(rules, key=lambda r: (r.spec_number or 99, r.code))


def rule_by_code(code: str) -> Rule:
    return next(r for r in all_rules() if r.code == code)


# ---------------------------------------------------------------------------------------------
# Arithmetic helper
# ---------------------------------------------------------------------------------------------

def _sum(values: list) -> int | float:
    return sum(v for v in values if v is not None)


def compare_sums(left: list, right: list) -> str | None:
    """None if the two sides agree (blanks read as 0); else the severity of the failure."""
    lsum, rsum = _sum(left), _sum(right)
    if lsum == rsum:
        return None
    left_blank, right_blank = None in left, None in right
    if not left_blank and not right_blank:
        return ERROR
    # Blanks can only add: a side with no blank that is already smaller than the other side's
    # filled cells is broken whatever the blanks hold.
    if (not left_blank and rsum > lsum) or (not right_blank and lsum > rsum):
        return ERROR
    return WARNING


def _fmt(v) -> str:
    return "blank" if v is None else (str(int(v)) if float(v).is_integer() else str(v))


def _cannot_confirm(severity: str) -> str:
    return "" if severity == ERROR else " (cannot be confirmed: blank cells)"


_ROWS = T.by_key(T.APPLICATION_ROWS)
_COLS = T.by_key(T.APPLICANT_COLUMNS)


def _app(facts: Facts, row: str, col: str) -> int | None:
    return facts.applications.get(row, {}).get(col)


# ---------------------------------------------------------------------------------------------
# Rules over one report
# ---------------------------------------------------------------------------------------------

@rule("accounting_identity", 1, "Accounting identity", "勾稽关系",
      "In every applicant column, applications received this year plus those carried over from "
      "last year must equal the applications handled (总计) plus those carried forward to next "
      "year. The form itself prints this rule above the table.",
      "每一申请人列：本年新收＋上年结转＝本年度办理结果总计＋结转下年度继续办理。",
      "error/warning")
def check_accounting_identity(facts: Facts) -> Iterator[Failure]:
    """new_received + carried_over = total + carried_forward, in each applicant column."""
    if not facts.applications:
        return
    for col in T.APPLICANT_KEYS:
        left = [_app(facts, "new_received", col), _app(facts, "carried_over", col)]
        right = [_app(facts, "total", col), _app(facts, "carried_forward", col)]
        severity = compare_sums(left, right)
        if severity:
            label = _COLS[col]
            yield Failure(
                "accounting_identity", severity,
                f"{label.label_en} ({label.label_zh}): received {_fmt(left[0])} + carried over "
                f"{_fmt(left[1])} = {_fmt(_sum(left))}, but handled {_fmt(right[0])} + carried "
                f"forward {_fmt(right[1])} = {_fmt(_sum(right))}{_cannot_confirm(severity)}",
                f"{label.label_zh}列：本年新收{_fmt(left[0])}＋上年结转{_fmt(left[1])}＝{_fmt(_sum(left))}，"
                f"而总计{_fmt(right[0])}＋结转下年度{_fmt(right[1])}＝{_fmt(_sum(right))}",
                "applications", None, col, _fmt(_sum(left)), _fmt(_sum(right)),
                [(r, col) for r in ("new_received", "carried_over", "total", "carried_forward")])


@rule("row_total", 2, "Row totals", "行合计",
      "In every row of the application table, the six applicant columns (natural persons and the "
      "five kinds of organisation) must add up to the 总计 column.",
      "申请表每一行：自然人与五类法人或其他组织之和等于总计。", "error/warning")
def check_row_total(facts: Facts) -> Iterator[Failure]:
    """The six applicant columns of each row add up to its total column."""
    for row_key, row in facts.applications.items():
        parts = [row.get(c) for c in T.APPLICANT_KEYS[:-1]]
        total = row.get("total")
        severity = compare_sums(parts, [total])
        if severity:
            label = _ROWS[row_key]
            yield Failure(
                "row_total", severity,
                f"{label.label_en} ({label.label_zh}): the applicant columns add up to "
                f"{_fmt(_sum(parts))}, the total column says {_fmt(total)}"
                f"{_cannot_confirm(severity)}",
                f"{label.label_zh}：各申请人列之和为{_fmt(_sum(parts))}，总计列为{_fmt(total)}",
                "applications", row_key, "total", _fmt(total), _fmt(_sum(parts)),
                [(row_key, c) for c in T.APPLICANT_KEYS])


@rule("outcome_total", 3, "Outcome total", "办理结果总计",
      "In every applicant column, （七）总计 must equal the sum of all outcomes: granted, partly "
      "granted, each reason for withholding, each reason information could not be provided, each "
      "reason a request was not processed, and other handling.",
      "每一申请人列：（七）总计＝予以公开＋部分公开＋各类不予公开＋各类无法提供＋各类不予处理＋其他处理。",
      "error/warning")
def check_outcome_total(facts: Facts) -> Iterator[Failure]:
    """The total row equals the sum of every outcome row, in each applicant column."""
    if not facts.applications or facts.template is None:
        return
    outcomes = T.outcome_row_keys(facts.template)
    for col in T.APPLICANT_KEYS:
        parts = [_app(facts, r, col) for r in outcomes]
        total = _app(facts, "total", col)
        severity = compare_sums(parts, [total])
        if severity:
            label = _COLS[col]
            yield Failure(
                "outcome_total", severity,
                f"{label.label_en} ({label.label_zh}): the outcomes add up to {_fmt(_sum(parts))}, "
                f"the total row (（七）总计) says {_fmt(total)}{_cannot_confirm(severity)}",
                f"{label.label_zh}列：各办理结果之和为{_fmt(_sum(parts))}，（七）总计为{_fmt(total)}",
                "applications", "total", col, _fmt(total), _fmt(_sum(parts)),
                [(r, col) for r in (*outcomes, "total")])


@rule("review_totals", 4, "Review and litigation totals", "复议诉讼合计",
      "For administrative review, lawsuits without prior review and lawsuits after review, the "
      "总计 must equal upheld + corrected + other results + pending.",
      "行政复议、未经复议直接起诉、复议后起诉三组：总计＝结果维持＋结果纠正＋其他结果＋尚未审结。",
      "error/warning")
def check_review_totals(facts: Facts) -> Iterator[Failure]:
    """Each *_total of section 四 = upheld + corrected + other + pending."""
    if facts.review is None:
        return
    for group in T.REVIEW_GROUPS:
        parts = [facts.review.get(f"{group.key}_{o}") for o in
                 ("upheld", "corrected", "other", "pending")]
        total = facts.review.get(f"{group.key}_total")
        severity = compare_sums(parts, [total])
        if severity:
            yield Failure(
                "review_totals", severity,
                f"{group.label_en} ({group.label_zh}): upheld + corrected + other + pending = "
                f"{_fmt(_sum(parts))}, total says {_fmt(total)}{_cannot_confirm(severity)}",
                f"{group.label_zh}：维持＋纠正＋其他＋尚未审结＝{_fmt(_sum(parts))}，总计为{_fmt(total)}",
                "review_litigation", "review_litigation", f"{group.key}_total", _fmt(total),
                _fmt(_sum(parts)),
                [("review_litigation", f"{group.key}_{o.key}") for o in T.REVIEW_OUTCOMES])


# Cells the reader saw with text that gave no number: unreadable, not blank (their issue says
# why; SPEC, *Never blank without a trace*).
UNREADABLE_CODES = frozenset({"ambiguous_number", "non_numeric", "cell_count_mismatch",
                              "cell_unplaced", "cells_merged", "split_ambiguous",
                              "run_unsplittable"})


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
        cols = blanks("applications", row_key, T.APPLICANT_KEYS,
                      lambda c: facts.applications[row_key].get(c))
        if cols:
            yield _blank_failure("applications", row_key, _ROWS[row_key].label_zh, cols)
    if facts.review is not None:
        cols = blanks("review_litigation", "review_litigation", T.REVIEW_KEYS, facts.review.get)
        if cols:
            yield _blank_failure("review_litigation", "review_litigation", "行政复议、行政诉讼", cols)
    items: dict[str, list[str]] = {}
    for (item, metric), value in facts.active.items():
        if value is None and ("active_disclosure", item, metric) not in unreadable:
            items.setdefault(item, []).append(metric)
    for item, cols in items.items():
        yield _blank_failure("active_disclosure", item, T.by_key(T.DISCLOSURE_ITEMS)[item].label_zh,
                             cols)


def _blank_failure(table: str, row_key: str, label_zh: str, cols: list[str]) -> Failure:
    n = len(cols)
    return Failure("blank_cells", WARNING,
                   f"{n} blank cell{'s' if n > 1 else ''} in {label_zh}: {', '.join(cols)}",
                   f"{label_zh}有{n}个空白单元格", table, row_key, ",".join(cols), "a number",
                   f"{n} blank", [(row_key, c) for c in cols])


def _place_zh(table: str | None, row_key: str | None, column_key: str | None) -> str:
    """A cell named as the paper form names it: （三）1.属于国家秘密 · 自然人."""
    if table == "applications" and row_key in _ROWS and column_key in _COLS:
        return f"{_ROWS[row_key].label_zh} · {_COLS[column_key].label_zh}"
    if table == "review_litigation":
        col = T.by_key(T.REVIEW_COLUMNS).get(column_key)
        return col.label_zh if col else str(column_key)
    if table == "active_disclosure":
        item = T.by_key(T.DISCLOSURE_ITEMS).get(row_key)
        metric = T.by_key(T.DISCLOSURE_METRICS).get(column_key)
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


# Numbers stated in the prose, with the table cells that hold the same quantity.
_N = r"(\d+)\s*(?:件|条|个|份|宗|起|次|人次)"
_PROSE_FACTS = (
    # (quantity, pattern giving the number or None for "none", cells summed for the table side)
    ("applications received", "收到申请",
     re.compile(r"(?:收到|接到|受理|接收)[^，。；,;0-9]{0,12}?(?:政府信息公开申请|依申请公开(?:申请)?)"
                r"(?:共|总计|合计)?\s*" + _N),
     (("applications", "new_received", "total"),)),
    ("applications received", "收到申请",
     re.compile(r"(?:未|没有)(?:收到|接到|受理)[^，。；,;0-9]{0,6}?(?:政府信息公开申请|依申请公开)"),
     (("applications", "new_received", "total"),)),
    ("administrative reviews", "行政复议",
     re.compile(r"行政复议(?:案件|申请)?\s*" + _N),
     (("review_litigation", "review_litigation", "review_total"),)),
    ("lawsuits", "行政诉讼",
     re.compile(r"(?:无|未|没有)(?:发生|提起|出现)?[^，。；,;0-9]{0,10}?(?:行政)?诉讼"),
     (("review_litigation", "review_litigation", "direct_suit_total"),
      ("review_litigation", "review_litigation", "post_review_suit_total"))),
)


@rule("prose_vs_table", None, "Prose and table disagree", "正文与表格不符",
      "A number stated in the text of the report (全年共收到政府信息公开申请N件, 行政复议N件, "
      "未收到…申请, 无…诉讼) differs from the table cell that holds the same quantity.",
      "正文中写明的数字（如收到申请件数、行政复议件数）与表格中对应数字不一致。", "warning")
def check_prose_vs_table(facts: Facts) -> Iterator[Failure]:
    """Numbers stated in the prose equal the table cells that hold the same quantity."""
    seen: set[str] = set()
    for quantity, quantity_zh, pattern, cells in _PROSE_FACTS:
        if quantity in seen:
            continue
        m = pattern.search(facts.prose)
        if not m:
            continue
        seen.add(quantity)
        stated = int(m.group(1)) if m.groups() else 0
        values = []
        for table, row_key, col in cells:
            if table == "applications":
                values.append(_app(facts, row_key, col))
            elif facts.review is not None:
                values.append(facts.review.get(col))
        if not values or all(v is None for v in values):
            continue
        in_table = _sum(values)
        if in_table != stated:
            yield Failure(
                "prose_vs_table", WARNING,
                f"the text says {m.group(0)!r} ({quantity}: {stated}), the table says {in_table}",
                f"正文“{m.group(0)}”（{quantity_zh}{stated}）与表格（{in_table}）不符",
                cells[0][0], cells[0][1], ",".join(c for _, _, c in cells), str(stated),
                _fmt(in_table), [(r, c) for _, r, c in cells])


def deadline(year: int, agency: str | None) -> date:
    """Legal deadline for the report on ``year`` (条例 Art. 49, in force from 15 May 2019):
    departments by 31 January, people's governments at county level and above by 31 March of the
    next year. Before the 2019 revision every agency had until 31 March."""
    government = bool(agency) and re.search(r"(人民政府|政府)$", agency) is not None
    if year < 2019 or government:
        return date(year + 1, 3, 31)
    return date(year + 1, 1, 31)


@rule("timeliness", None, "Published late", "逾期发布",
      "The report's stated date is after the legal deadline (政府信息公开条例 Art. 49): government "
      "departments by 31 January, people's governments at county level and above by 31 March of "
      "the following year.",
      "报告落款日期晚于法定期限（条例第四十九条）：政府部门为次年1月31日前，县级以上人民政府为次年3月31日前。",
      "warning")
def check_timeliness(facts: Facts) -> Iterator[Failure]:
    """The report's stated date is on or before the legal deadline."""
    if not facts.published_on or facts.year is None:
        return
    due = deadline(facts.year, facts.agency)
    if date.fromisoformat(facts.published_on) > due:
        days = (date.fromisoformat(facts.published_on) - due).days
        yield Failure("timeliness", WARNING,
                      f"dated {facts.published_on}, {days} days after the deadline {due.isoformat()}",
                      f"落款日期{facts.published_on}，晚于法定期限{due.isoformat()}共{days}天",
                      None, None, None, due.isoformat(), facts.published_on)


def check_report(report: Report) -> list[Failure]:
    facts = Facts.from_report(report)
    return [failure for _, fn in REPORT_RULES for failure in fn(facts)]


# ---------------------------------------------------------------------------------------------
# Rules across an agency's years (SQL over the stored corpus)
#
# Unknown is nobody: a report whose agency could not be identified has agency_id NULL and is
# never compared with another (two unknown agencies are not one agency). Each rule says so
# explicitly, though NULL = NULL is never true in a join either.
# ---------------------------------------------------------------------------------------------

_INSERT = """INSERT INTO validation_failures
  (report_id, rule, severity, table_name, row_key, column_key, expected, actual, message,
   message_zh, cells)
"""


@rule("carry_over_continuity", 7, "Carry-over continuity", "结转衔接",
      "What an agency carried over into year N (二、上年结转) must equal what its report for year "
      "N-1 carried forward (四、结转下年度继续办理), column by column.",
      "本年度“上年结转”应等于上一年度报告的“结转下年度继续办理”。", "error/warning", scope="corpus")
def sql_carry_over_continuity() -> list[str]:
    """An agency's carried_over for year N equals its carried_forward for year N-1."""
    statements = []
    for col in T.APPLICANT_KEYS:
        label = _COLS[col]
        statements.append(_INSERT + f"""
SELECT cur.id, 'carry_over_continuity',
  CASE WHEN a.{col} IS NOT NULL AND p.{col} IS NOT NULL THEN 'error' ELSE 'warning' END,
  'applications', 'carried_over', '{col}',
  coalesce(p.{col}, 'blank'), coalesce(a.{col}, 'blank'),
  '{label.label_en} ({label.label_zh}): carried over ' || coalesce(a.{col}, 'blank') ||
    ', but the ' || prev.year || ' report carried forward ' || coalesce(p.{col}, 'blank') ||
    ' (report ' || prev.id || ')',
  '{label.label_zh}列：上年结转' || coalesce(a.{col}, '空白') || '，' || prev.year ||
    '年度报告结转下年度' || coalesce(p.{col}, '空白'),
  'carried_over/{col}'
FROM reports cur
JOIN reports prev ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1
JOIN applications a ON a.report_id = cur.id AND a.row_key = 'carried_over'
JOIN applications p ON p.report_id = prev.id AND p.row_key = 'carried_forward'
WHERE cur.agency_id IS NOT NULL AND coalesce(a.{col}, 0) != coalesce(p.{col}, 0)
ORDER BY cur.id, prev.id""")
    return statements


@rule("roll_forward", None, "Documents in force roll forward", "现行有效件数衔接",
      "For the 2021 form: the regulations and normative documents in force at the end of year N "
      "must equal those in force at the end of N-1, plus those issued in N, minus those repealed "
      "in N, for the same agency.",
      "2021版：本年现行有效件数＝上年现行有效件数＋本年制发件数－本年废止件数。", "error/warning",
      scope="corpus")
def sql_roll_forward() -> list[str]:
    """in_force of year N = in_force of N-1 + issued of N - repealed of N (2021 form)."""

    def metric(report: str, item: str, key: str) -> str:
        return (f"(SELECT value FROM active_disclosure WHERE report_id = {report} "
                f"AND item_key = '{item}' AND metric_key = '{key}')")

    statements = []
    for item in ("regulations", "normative_documents"):
        label = T.by_key(T.DISCLOSURE_ITEMS)[item]
        zh = label.label_zh_2021 or label.label_zh
        prev_in_force = metric("prev.id", item, "in_force")
        issued, repealed = metric("cur.id", item, "issued"), metric("cur.id", item, "repealed")
        in_force = metric("cur.id", item, "in_force")
        statements.append(_INSERT + f"""
SELECT id, 'roll_forward',
  CASE WHEN prev_in_force IS NOT NULL AND issued IS NOT NULL AND repealed IS NOT NULL
       AND in_force IS NOT NULL THEN 'error' ELSE 'warning' END,
  'active_disclosure', '{item}', 'in_force',
  coalesce(prev_in_force, 0) + coalesce(issued, 0) - coalesce(repealed, 0),
  coalesce(in_force, 'blank'),
  '{label.label_en} ({zh}) in force: ' || coalesce(prev_in_force, 'blank') || ' at the end of ' ||
    prev_year || ' + ' || coalesce(issued, 'blank') || ' issued - ' ||
    coalesce(repealed, 'blank') || ' repealed = ' ||
    (coalesce(prev_in_force, 0) + coalesce(issued, 0) - coalesce(repealed, 0)) ||
    ', but the report says ' || coalesce(in_force, 'blank'),
  '{zh}现行有效件数：上年' || coalesce(prev_in_force, '空白') || '＋制发' || coalesce(issued, '空白') ||
    '－废止' || coalesce(repealed, '空白') || '，报告为' || coalesce(in_force, '空白'),
  '{item}/issued,{item}/repealed,{item}/in_force'
FROM (
  SELECT cur.id AS id, prev.year AS prev_year, {prev_in_force} AS prev_in_force,
         {issued} AS issued, {repealed} AS repealed, {in_force} AS in_force
  FROM reports cur
  JOIN reports prev ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1
  WHERE cur.agency_id IS NOT NULL AND cur.template = '2021' AND prev.template = '2021'
  ORDER BY cur.id, prev.id
)
WHERE coalesce(prev_in_force, 0) + coalesce(issued, 0) - coalesce(repealed, 0)
      != coalesce(in_force, 0)""")
    return statements


@rule("duplicate_report", None, "Two reports for one agency and year", "同一机关同一年度多份报告",
      "Two different files claim to be the same agency's report for the same year (a revised "
      "version, a copy with other formatting, or a misread agency or year). Both are kept; each "
      "is flagged with the other.",
      "两份不同的文件均为同一机关同一年度的报告（修订版、格式不同的副本，或机关、年度识别有误），均予保留并相互标注。",
      "warning", scope="corpus")
def sql_duplicate_report() -> list[str]:
    """No two different reports of one agency for one year."""
    return [_INSERT + """
SELECT cur.id, 'duplicate_report', 'warning', NULL, NULL, NULL, NULL, other.id,
  'Another report claims the same agency and year: ' || other.id || ' (' ||
    other.source_file || ')',
  '另一份报告也是该机关' || cur.year || '年度的报告：' || other.id || '（' || other.source_file || '）',
  NULL
FROM reports cur
JOIN reports other ON other.agency_id = cur.agency_id AND other.year = cur.year
  AND other.id != cur.id
WHERE cur.agency_id IS NOT NULL AND cur.year IS NOT NULL
ORDER BY cur.id, other.id"""]


def corpus_statements() -> list[str]:
    return [sql for _, fn in CORPUS_RULES for sql in fn()]
