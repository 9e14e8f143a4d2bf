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
``loaders.checks`` imports it, in the order the rules run. The rules run one by one: a rule that
raises on a report is a bug, recorded as a ``CheckError`` (the ``check_errors`` table), and the
other rules and reports are kept."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..model import Report
from .facts import Facts


log = logging.getLogger(__name__)

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
    # What else the message quotes, for the view to write it again (checks/stored.py).
    params: tuple = ()


@dataclass(frozen=True)
class CheckError:
    """A rule that raised instead of giving its verdict: a bug in the rule, not in the report. Its
    failures for that report (or, for a rule across years, for the corpus) are not stored."""

    rule: str
    error_type: str
    message: str

    @classmethod
    def of(cls, rule: str, error: BaseException) -> "CheckError":
        """The error with where it was raised (the innermost frame), for the maintainer."""
        frames = traceback.extract_tb(error.__traceback__)
        where = f" (at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno})" if frames \
            else ""
        return cls(rule, type(error).__name__, f"{error}{where}")


@dataclass
class Checked:
    """What the rules over one report found: its failures, and the rules that raised."""

    failures: list[Failure] = field(default_factory=list)
    errors: list[CheckError] = field(default_factory=list)


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


def check_report(report: Report) -> Checked:
    """Every rule over one report, rule by rule: a rule that raises gives no failure for this
    report and one ``CheckError``; the others still run."""
    facts = Facts.from_report(report)
    checked = Checked()
    for r, fn in REPORT_RULES:
        try:
            found = list(fn(facts))  # all of a rule's failures, or none of them
        except Exception as e:  # a bug in one rule must not lose the report
            error = CheckError.of(r.code, e)
            log.error("rule %s raised on report %s: %s: %s", r.code, report.id, error.error_type,
                      error.message)
            checked.errors.append(error)
            continue
        checked.failures.extend(found)
    return checked


def corpus_rules() -> list[tuple[Rule, Callable[[], list[str]]]]:
    """The rules across years, each with the function giving its SQL statements (run by
    ``loaders.derived.failures`` once every report is stored, one rule at a time)."""
    return list(CORPUS_RULES)
