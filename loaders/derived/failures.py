"""Failures counted once the whole corpus is stored: the rules across an agency's years run (SQL
from ``loaders.checks``, one rule at a time; each failure inserted with its report's agency, year
and place), and the failures counted per report and per rule, so that no page has to count them at
request time (the SQL of all of it is ``loaders.checks.stored``)."""

from __future__ import annotations

import logging
import sqlite3

import sqlite_utils

from .. import checks
from ..checks import stored
from .sorts import index_sorts

log = logging.getLogger(__name__)

# SQLite's answers that say the database itself failed (disk full, I/O): the build stops, as it
# would for any write; not a rule's bug.
_DATABASE_FAILED = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CORRUPT", "SQLITE_NOMEM",
                    "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_NOTADB")


def write(db: sqlite_utils.Database, agencies: set[str] | None = None) -> int:
    """Run the rules across years and count every failure; the number of check errors in the
    database (the rules that raised, over one report or across years) is returned.

    With ``agencies`` (an incremental build), the rules run again only for those agencies: the
    failures of the rules across years of their reports are deleted first, and so are the errors
    of rules that raised across years."""
    conn = db.conn
    scoped = agencies is not None
    if scoped:
        codes = [rule.code for rule, _ in checks.corpus_rules()]
        with conn:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS ogi_scope (id TEXT PRIMARY KEY)")
            conn.execute("DELETE FROM temp.ogi_scope")
            conn.executemany("INSERT INTO temp.ogi_scope VALUES (?)", [(a,) for a in agencies])
            conn.execute(f"""DELETE FROM failures
                WHERE rule IN ({', '.join('?' * len(codes))}) AND report_id IN
                  (SELECT id FROM reports WHERE agency_id IN (SELECT id FROM temp.ogi_scope))""",
                         codes)
            conn.execute("DELETE FROM check_errors WHERE report_id IS NULL")
    for rule, statements in checks.corpus_rules():
        _run_rule(conn, rule.code, lambda: statements(scoped=True) if scoped else statements())
    # db.execute, not conn.execute: it commits a statement that opened its own transaction, as the
    # build always has (the file's change counter, and so its bytes, stay as they were).
    with db.conn:
        with index_sorts(db.conn):
            for sql in stored.FAILURE_INDEXES:
                db.execute(sql)
        for sql in stored.FAILURE_COUNTS:
            db.execute(sql)
    return conn.execute("SELECT count(*) FROM check_errors").fetchone()[0]


def _run_rule(conn: sqlite3.Connection, code: str, statements) -> None:
    """One rule across years: all its failures stored, or none and a ``check_errors`` row (with no
    report: the rule failed on the corpus) if it raised."""
    conn.execute("SAVEPOINT rule")
    try:
        for sql in statements():
            conn.execute(sql)
    except Exception as e:  # a bug in one rule: the other rules still run
        if isinstance(e, sqlite3.Error) and \
                (getattr(e, "sqlite_errorname", None) or "").startswith(_DATABASE_FAILED):
            conn.execute("ROLLBACK TO rule")
            conn.execute("RELEASE rule")
            raise
        conn.execute("ROLLBACK TO rule")
        error = checks.CheckError.of(code, e)
        log.error("rule %s raised across years: %s: %s", code, error.error_type, error.message)
        conn.execute(stored.INSERT_CHECK_ERROR, (None, code, error.error_type, error.message))
    conn.execute("RELEASE rule")
