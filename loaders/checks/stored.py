"""The SQL of the checks over the database, in one place: the insert every rule across years
writes its failures with, what the build fills in and counts once every failure is in (run by
``loaders.derived.failures``), and what ``ogi check`` reads (counted in SQL, never every failure
loaded into Python). A rule's own logic stays in its module; this is how its findings are
stored and read back."""

from __future__ import annotations

import sqlite3

# The columns a rule across years fills; the report's agency, year and place are copied in by
# FILL_REPORT_COLUMNS, as the writer does for the rules over one report.
INSERT_FAILURE = """INSERT INTO validation_failures
  (report_id, rule, severity, table_name, row_key, column_key, expected, actual, message,
   message_zh, cells)
"""

INSERT_CHECK_ERROR = """INSERT INTO check_errors (report_id, rule, error_type, message)
VALUES (?, ?, ?, ?)"""

FILL_REPORT_COLUMNS = """
UPDATE validation_failures SET agency = r.agency, year = r.year,
  template = r.template, province = r.province, city = r.city
FROM reports r WHERE r.id = validation_failures.report_id
  AND validation_failures.year IS NULL AND validation_failures.agency IS NULL"""

COUNT_PER_REPORT = """
UPDATE reports SET
  check_errors = coalesce((SELECT count(*) FROM validation_failures f
    WHERE f.report_id = reports.id AND f.severity = 'error'), 0),
  check_warnings = coalesce((SELECT count(*) FROM validation_failures f
    WHERE f.report_id = reports.id AND f.severity = 'warning'), 0)"""

COUNT_PER_RULE = """
UPDATE validation_rules SET
  failures = (SELECT count(*) FROM validation_failures f
    WHERE f.rule = validation_rules.code),
  reports_failing = (SELECT count(DISTINCT report_id) FROM validation_failures f
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
