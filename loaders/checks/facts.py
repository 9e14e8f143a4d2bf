"""One report's numbers as the checks see them (``Facts``), and the small helpers the rules
share to read and show them."""

from __future__ import annotations

from dataclasses import dataclass

from ..form import template as T
from ..model import Report


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
                # (get, not setdefault: no new dict made for each of a row's values)
                row = applications.get(v.row_key)
                if row is None:
                    row = applications[v.row_key] = {}
                row[v.column_key] = v.value
            elif v.table == "review_litigation":
                review = review or {}
                review[v.column_key] = v.value
            else:
                active[(v.row_key, v.column_key)] = v.value
        return cls(report.id, report.agency, report.year, report.template, report.published_on,
                   applications, review, active,
                   "\n".join(s.body for s in report.sections), report.issues)


def add_up(values: list) -> int | float:
    return sum([v for v in values if v is not None])


def shown(v) -> str:
    return "blank" if v is None else (str(int(v)) if float(v).is_integer() else str(v))


# What a sum's message adds when a blank cell leaves it unconfirmed (a warning, not an error).
UNCONFIRMED = " (cannot be confirmed: blank cells)"
UNCONFIRMED_ZH = "（有空白单元格，无法确认）"


def shown_zh(v) -> str:
    """A value as the Chinese messages show it (blank: 空白)."""
    return "空白" if v is None else shown(v)


ROWS_BY_KEY = T.by_key(T.APPLICATION_ROWS)
COLUMNS_BY_KEY = T.by_key(T.APPLICANT_COLUMNS)
ITEMS_BY_KEY = T.by_key(T.DISCLOSURE_ITEMS)


def app_cell(facts: Facts, row: str, col: str) -> int | None:
    return facts.applications.get(row, {}).get(col)
