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

This module holds the registry: each rule module registers its rules with ``@rule`` when
``loaders.checks`` imports it, in the order the rules run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..model import Report
from .facts import Facts


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


def check_report(report: Report) -> list[Failure]:
    facts = Facts.from_report(report)
    return [failure for _, fn in REPORT_RULES for failure in fn(facts)]


def corpus_statements() -> list[str]:
    return [sql for _, fn in CORPUS_RULES for sql in fn()]
