"""Failures counted once the whole corpus is stored: the rules across an agency's years run (SQL
from ``loaders.checks``), their failures given the report's agency, year and place, and the
failures counted per report and per rule, so that no page has to count them at request time."""

from __future__ import annotations

import sqlite_utils

from .. import checks


def write(db: sqlite_utils.Database) -> None:
    # db.execute, not conn.execute: it commits a statement that opened its own transaction, as the
    # build always has (the file's change counter, and so its bytes, stay as they were).
    with db.conn:
        for sql in checks.corpus_statements():
            db.execute(sql)
        db.execute("""
            UPDATE validation_failures SET agency = r.agency, year = r.year,
              template = r.template, province = r.province, city = r.city
            FROM reports r WHERE r.id = validation_failures.report_id
              AND validation_failures.year IS NULL AND validation_failures.agency IS NULL""")
        db.execute("""
            UPDATE reports SET
              check_errors = coalesce((SELECT count(*) FROM validation_failures f
                WHERE f.report_id = reports.id AND f.severity = 'error'), 0),
              check_warnings = coalesce((SELECT count(*) FROM validation_failures f
                WHERE f.report_id = reports.id AND f.severity = 'warning'), 0)""")
        db.execute("""
            UPDATE validation_rules SET
              failures = (SELECT count(*) FROM validation_failures f
                WHERE f.rule = validation_rules.code),
              reports_failing = (SELECT count(DISTINCT report_id) FROM validation_failures f
                WHERE f.rule = validation_rules.code)""")
