"""Rules over one report's arithmetic: the sums the form prints (勾稽关系, row totals, the outcome
total, the review and litigation totals)."""

from __future__ import annotations

from collections.abc import Iterator

from ..form import template as T
from .facts import (COLUMNS_BY_KEY, ROWS_BY_KEY, UNCONFIRMED, UNCONFIRMED_ZH, Facts, add_up,
                    app_cell, shown, shown_zh)
from .registry import ERROR, WARNING, Failure, rule


def compare_sums(left: list, right: list) -> str | None:
    """None if the two sides agree (blanks read as 0); else the severity of the failure."""
    if None not in left and None not in right:  # no blank (most rows): the sums decide
        return None if sum(left) == sum(right) else ERROR
    lsum, rsum = add_up(left), add_up(right)
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


def _cannot_confirm(severity: str) -> str:
    return "" if severity == ERROR else UNCONFIRMED


def _cannot_confirm_zh(severity: str) -> str:
    return "" if severity == ERROR else UNCONFIRMED_ZH


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
        left = [app_cell(facts, "new_received", col), app_cell(facts, "carried_over", col)]
        right = [app_cell(facts, "total", col), app_cell(facts, "carried_forward", col)]
        severity = compare_sums(left, right)
        if severity:
            label = COLUMNS_BY_KEY[col]
            yield Failure(
                "accounting_identity", severity,
                f"{label.label_en} ({label.label_zh}): received {shown(left[0])} + carried over "
                f"{shown(left[1])} = {shown(add_up(left))}, but handled {shown(right[0])} + "
                f"carried forward {shown(right[1])} = {shown(add_up(right))}"
                f"{_cannot_confirm(severity)}",
                f"{label.label_zh}列：本年新收{shown_zh(left[0])}＋上年结转{shown_zh(left[1])}"
                f"＝{shown(add_up(left))}，"
                f"而总计{shown_zh(right[0])}＋结转下年度{shown_zh(right[1])}＝{shown(add_up(right))}"
                f"{_cannot_confirm_zh(severity)}",
                "applications", None, col, shown(add_up(left)), shown(add_up(right)),
                [(r, col) for r in ("new_received", "carried_over", "total", "carried_forward")],
                (*left, *right))


@rule("row_total", 2, "Row totals", "行合计",
      "In every row of the application table, the six applicant columns (natural persons and the "
      "five kinds of organisation) must add up to the 总计 column.",
      "申请表每一行：自然人与五类法人或其他组织之和等于总计。", "error/warning")
def check_row_total(facts: Facts) -> Iterator[Failure]:
    """The six applicant columns of each row add up to its total column."""
    applicants = T.APPLICANT_KEYS[:-1]
    for row_key, row in facts.applications.items():
        parts = list(map(row.get, applicants))  # in C: asked of every row
        total = row.get("total")
        severity = compare_sums(parts, [total])
        if severity:
            label = ROWS_BY_KEY[row_key]
            yield Failure(
                "row_total", severity,
                f"{label.label_en} ({label.label_zh}): the applicant columns add up to "
                f"{shown(add_up(parts))}, the total column says {shown(total)}"
                f"{_cannot_confirm(severity)}",
                f"{label.label_zh}：各申请人列之和为{shown(add_up(parts))}，总计列为{shown_zh(total)}"
                f"{_cannot_confirm_zh(severity)}",
                "applications", row_key, "total", shown(total), shown(add_up(parts)),
                [(row_key, c) for c in T.APPLICANT_KEYS])


_NO_ROW: dict = {}  # a row the report lacks: every cell blank (never written to)


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
    # ``app_cell`` of each outcome row, the rows looked up once for every column
    outcome_rows = [facts.applications.get(r, _NO_ROW) for r in outcomes]
    for col in T.APPLICANT_KEYS:
        parts = [row.get(col) for row in outcome_rows]
        total = app_cell(facts, "total", col)
        severity = compare_sums(parts, [total])
        if severity:
            label = COLUMNS_BY_KEY[col]
            yield Failure(
                "outcome_total", severity,
                f"{label.label_en} ({label.label_zh}): the outcomes add up to "
                f"{shown(add_up(parts))}, "
                f"the total row (（七）总计) says {shown(total)}{_cannot_confirm(severity)}",
                f"{label.label_zh}列：各办理结果之和为{shown(add_up(parts))}，（七）总计为{shown_zh(total)}"
                f"{_cannot_confirm_zh(severity)}",
                "applications", "total", col, shown(total), shown(add_up(parts)),
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
                f"{shown(add_up(parts))}, total says {shown(total)}{_cannot_confirm(severity)}",
                f"{group.label_zh}：维持＋纠正＋其他＋尚未审结＝{shown(add_up(parts))}，"
                f"总计为{shown_zh(total)}{_cannot_confirm_zh(severity)}",
                "review_litigation", "review_litigation", f"{group.key}_total", shown(total),
                shown(add_up(parts)),
                [("review_litigation", f"{group.key}_{o.key}") for o in T.REVIEW_OUTCOMES])
