"""Crafted reports (``factory.write_report``) that the check tests declare at import time, built
into one database for the whole session (the ``crafted`` fixture of conftest.py) instead of one
build per test.

A case is one or more report files named ``<case>__<file>``: ``case(name, **kwargs)`` one
report, ``case_of_years(name, {file: kwargs})`` several (an agency across years),
``case_of_text(name, text)`` a file not of the factory. Each case gets an agency of its own
unless it names one, so the rules across years (and duplicate detection) never pair reports of
two cases; a case whose reports should meet names the same agency in each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from factory import write_report
from loaders.build import build

# case -> file name -> write_report's arguments
CASES: dict[str, dict[str, dict]] = {}
TEXTS: dict[str, dict[str, str]] = {}  # case -> file name -> text, for reports not of the factory

_STEMS = "甲乙丙丁戊己庚辛壬癸"


SEPARATOR = "__"  # between the case's name and the file's


def _declare(name: str) -> None:
    assert SEPARATOR not in name, f"a case name has no {SEPARATOR}: {name}"
    assert name not in CASES and name not in TEXTS, f"case {name} declared twice"


def _agency(index: int) -> str:
    """测试甲乙县卫生健康局: a department of a place no division list has, one per case."""
    return f"测试{_STEMS[index // 10 % 10]}{_STEMS[index % 10]}县卫生健康局"


def case(name: str, **kwargs) -> str:
    """One crafted report; returns the case's name."""
    return case_of_years(name, {"r.txt": kwargs})


def case_of_years(name: str, reports: dict[str, dict]) -> str:
    """Several crafted reports of one case (the same agency unless a report names another)."""
    _declare(name)
    agency = _agency(len(CASES) + len(TEXTS))
    CASES[name] = {file: {"agency": agency, **kwargs} for file, kwargs in reports.items()}
    return name


def case_of_text(name: str, text: str) -> str:
    """A report written as given (not by the factory)."""
    _declare(name)
    TEXTS[name] = {"r.txt": text}
    return name


@dataclass
class Crafted:
    """The database of every declared case."""

    db: sqlite_utils.Database

    def failures(self, name: str) -> list[tuple]:
        """The case's failures as (rule, severity, row_key, column_key)."""
        return [(f["rule"], f["severity"], f["row_key"], f["column_key"])
                for f in self._failures(name)]

    def failures_by_year(self, name: str) -> list[tuple]:
        """The case's failures as (rule, severity, year, row_key, column_key)."""
        return [(f["rule"], f["severity"], f["year"], f["row_key"], f["column_key"])
                for f in self._failures(name)]

    def messages(self, name: str, rule: str) -> list[str]:
        return [f["message"] for f in self._failures(name) if f["rule"] == rule]

    def reports(self, name: str) -> list[dict]:
        prefix = name + SEPARATOR
        return list(self.db.query("select * from reports where substr(source_file, 1, ?) = ? "
                                  "order by source_file", [len(prefix), prefix]))

    def _failures(self, name: str) -> list[dict]:
        assert name in CASES or name in TEXTS, f"no case {name}"
        prefix = name + SEPARATOR
        return list(self.db.query(
            "select f.* from validation_failures f join reports r on r.id = f.report_id "
            "where substr(r.source_file, 1, ?) = ? order by f.id", [len(prefix), prefix]))


def build_cases(folder: Path, db_path: Path) -> Crafted:
    """Write every declared case in ``folder`` and build them at once."""
    for name, reports in CASES.items():
        for file, kwargs in reports.items():
            write_report(folder, name + SEPARATOR + file, **kwargs)
    folder.mkdir(parents=True, exist_ok=True)
    for name, texts in TEXTS.items():
        for file, text in texts.items():
            (folder / (name + SEPARATOR + file)).write_text(text, encoding="utf-8")
    result = build([folder], db_path)
    assert result.failed == 0 and not result.bugs and not result.duplicates, (
        result.errors, result.internal_errors, result.duplicates)
    return Crafted(sqlite_utils.Database(db_path))
