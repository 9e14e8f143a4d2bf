"""The SQL of the checks over the database, in one place: the insert every rule across years
writes its failures with, what the build fills in and counts once every failure is in (run by
``loaders.derived.failures``), and what ``ogi check`` reads (counted in SQL, never every failure
loaded into Python). A rule's own logic stays in its module; this is how its findings are
stored and read back."""

from __future__ import annotations

import sqlite3

from ..form import template as T

# The failures are stored in ``failures`` and read through the view ``validation_failures``. A
# failure whose message (English and Chinese), expected and actual values and cells can be made
# again from its rule, row and columns stores them as NULL, and the view writes them: rows.py
# stores NULL only where ``rendered`` gives back exactly what the rule said. Today that is
# blank_cells, half of all failures: "3 blank cells in （三）1.属于国家秘密: natural_person,
# commercial, total". Any other failure keeps its own text.

# The blank cells of a blank_cells failure: its column_key is their columns, comma-separated.
_BLANKS = "(length(f.column_key) - length(replace(f.column_key, ',', '')) + 1)"
_ROW_LABEL_ZH = """(CASE f.table_name
    WHEN 'applications' THEN (SELECT label_zh FROM application_rows WHERE key = f.row_key)
    WHEN 'review_litigation' THEN '行政复议、行政诉讼'
    WHEN 'active_disclosure' THEN (SELECT label_zh FROM disclosure_items WHERE key = f.row_key)
  END)"""
_RENDERED = f"f.message IS NULL AND f.rule = 'blank_cells'"

FAILURES_VIEW = f"""
CREATE VIEW validation_failures AS SELECT
  f.id, f.report_id, f.rule, f.severity, f.table_name, f.row_key, f.column_key,
  CASE WHEN {_RENDERED} THEN 'a number' ELSE f.expected END AS expected,
  CASE WHEN {_RENDERED} THEN {_BLANKS} || ' blank' ELSE f.actual END AS actual,
  CASE WHEN {_RENDERED} THEN {_BLANKS} || ' blank cell'
    || CASE WHEN {_BLANKS} > 1 THEN 's' ELSE '' END || ' in ' || {_ROW_LABEL_ZH} || ': '
    || replace(f.column_key, ',', ', ') ELSE f.message END AS message,
  CASE WHEN {_RENDERED} THEN {_ROW_LABEL_ZH} || '有' || {_BLANKS} || '个空白单元格'
    ELSE f.message_zh END AS message_zh,
  CASE WHEN {_RENDERED} THEN f.row_key || '/' || replace(f.column_key, ',', ',' || f.row_key || '/')
    ELSE f.cells END AS cells,
  f.agency, f.year, f.template, f.province, f.city
FROM failures f;
"""

_REVIEW_ROW_LABEL_ZH = "行政复议、行政诉讼"


def rendered(row: dict) -> dict | None:
    """What the view writes for a failure stored without its texts (the same expressions as
    FAILURES_VIEW, in Python), or None if it writes nothing for this rule."""
    if row["rule"] != "blank_cells" or not row.get("column_key"):
        return None
    table, row_key, columns = row["table_name"], row["row_key"], row["column_key"].split(",")
    if table == "applications":
        label = T.by_key(T.APPLICATION_ROWS).get(row_key)
    elif table == "active_disclosure":
        label = T.by_key(T.DISCLOSURE_ITEMS).get(row_key)
    else:
        label = None
    label_zh = _REVIEW_ROW_LABEL_ZH if table == "review_litigation" else \
        label.label_zh if label is not None else None
    if label_zh is None:
        return None
    n = len(columns)
    return {"expected": "a number", "actual": f"{n} blank",
            "message": f"{n} blank cell{'s' if n > 1 else ''} in {label_zh}: {', '.join(columns)}",
            "message_zh": f"{label_zh}有{n}个空白单元格",
            "cells": ",".join(f"{row_key}/{c}" for c in columns)}


def compact(row: dict) -> dict:
    """A failure's row as ``failures`` stores it: its texts NULL where the view writes them
    exactly."""
    texts = rendered(row)
    if texts is None or any(row[k] != v for k, v in texts.items()):
        return row
    return {**row, **{k: None for k in texts}}


# The columns a rule across years fills; the report's agency, year and place are copied in by
# FILL_REPORT_COLUMNS, as the writer does for the rules over one report.
INSERT_FAILURE = """INSERT INTO failures
  (report_id, rule, severity, table_name, row_key, column_key, expected, actual, message,
   message_zh, cells)
"""

INSERT_CHECK_ERROR = """INSERT INTO check_errors (report_id, rule, error_type, message)
VALUES (?, ?, ?, ?)"""

FILL_REPORT_COLUMNS = """
UPDATE failures SET agency = r.agency, year = r.year,
  template = r.template, province = r.province, city = r.city
FROM reports r WHERE r.id = failures.report_id
  AND failures.year IS NULL AND failures.agency IS NULL"""

COUNT_PER_REPORT = """
UPDATE reports SET
  check_errors = coalesce((SELECT count(*) FROM failures f
    WHERE f.report_id = reports.id AND f.severity = 'error'), 0),
  check_warnings = coalesce((SELECT count(*) FROM failures f
    WHERE f.report_id = reports.id AND f.severity = 'warning'), 0)"""

COUNT_PER_RULE = """
UPDATE validation_rules SET
  failures = (SELECT count(*) FROM failures f
    WHERE f.rule = validation_rules.code),
  reports_failing = (SELECT count(DISTINCT report_id) FROM failures f
    WHERE f.rule = validation_rules.code)"""

# Run once the rules across years are in, in this order.
AFTER_ALL_RULES = (FILL_REPORT_COLUMNS, COUNT_PER_REPORT, COUNT_PER_RULE)


# --- ogi check ---------------------------------------------------------------------------------

def _only(rules: tuple[str, ...], alias: str = "") -> tuple[str, list[str]]:
    if not rules:
        return "", []
    return f"WHERE {alias}rule IN ({', '.join('?' for _ in rules)})", list(rules)


def failure_counts(conn: sqlite3.Connection, rules: tuple[str, ...] = ()
                   ) -> dict[str, dict[str, int]]:
    """Failures per rule and severity: {rule: {"error": n, "warning": m}} (an index scan)."""
    where, params = _only(rules)
    counts: dict[str, dict[str, int]] = {}
    for rule, severity, n in conn.execute(
            f"SELECT rule, severity, count(*) FROM validation_failures {where} "
            "GROUP BY rule, severity", params):
        counts.setdefault(rule, {})[severity] = n
    return counts


def reports_failing(conn: sqlite3.Connection, rules: tuple[str, ...] = ()) -> int:
    where, params = _only(rules)
    return conn.execute(f"SELECT count(DISTINCT report_id) FROM validation_failures {where}",
                        params).fetchone()[0]


def first_failures(conn: sqlite3.Connection, rules: tuple[str, ...] = (), limit: int = 10
                   ) -> dict[str, list[dict]]:
    """The first ``limit`` failures of each rule (0: all), errors first, then by report: only
    those rows are read."""
    where, params = _only(rules, "f.")
    cursor = conn.execute(f"""
        SELECT * FROM (
          SELECT f.rule, f.severity, f.agency, f.year, f.message, r.source_file,
            row_number() OVER (PARTITION BY f.rule ORDER BY f.severity, f.report_id, f.id) AS n
          FROM validation_failures f JOIN reports r ON r.id = f.report_id {where})
        WHERE ? = 0 OR n <= ?
        ORDER BY rule, n""", [*params, limit, limit])
    columns = [d[0] for d in cursor.description]
    shown: dict[str, list[dict]] = {}
    for row in cursor:
        failure = dict(zip(columns, row))
        shown.setdefault(failure["rule"], []).append(failure)
    return shown


def check_errors(conn: sqlite3.Connection, rules: tuple[str, ...] = ()) -> list[dict]:
    """The rules that raised, per rule and error: how many reports (NULL report: a rule across
    years that failed on the whole corpus), and one message. Empty for a database built before
    the table existed."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'check_errors'").fetchone():
        return []
    where, params = _only(rules)
    cursor = conn.execute(f"""
        SELECT rule, error_type, count(*) AS errors, count(report_id) AS reports,
          min(message) AS message
        FROM check_errors {where} GROUP BY rule, error_type ORDER BY rule, error_type""", params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor]
