"""The summaries' SQL, rewritten for speed (one pass over the numbers, joins by the report's
rowid, sums by row before outcomes, one scan of review_litigation instead of twelve), gives row
for row what the SQL it replaced gave: the old statements are kept here and both are run on the
database of the test corpus."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from loaders.derived import summaries

# The statements as they were before the rewrite (loaders/derived/summaries.py at 48647f8).
OLD = {
    "stats_by_year": """INSERT INTO stats_by_year
    WITH flags AS (SELECT 0 AS clean
      UNION ALL SELECT 1),
    r AS (SELECT id, year, agency_id, check_errors > 0 AS e, check_warnings > 0 AS w
          FROM reports),
    years AS (SELECT DISTINCT year FROM reports),
    a AS (
      SELECT r.year, r.e,
        sum(CASE WHEN a.row_key = 'new_received' THEN a.total END) AS new_received,
        sum(CASE WHEN a.row_key = 'carried_over' THEN a.total END) AS carried_over,
        sum(CASE WHEN a.row_key = 'total' THEN a.total END) AS handled,
        sum(CASE WHEN a.row_key = 'carried_forward' THEN a.total END) AS carried_forward,
        count(CASE WHEN a.row_key = 'new_received' AND a.total IS NOT NULL THEN 1 END)
          AS received_filled
      FROM applications a JOIN r ON r.id = a.report_id
      WHERE a.row_key IN ('new_received', 'carried_over', 'total', 'carried_forward')
      GROUP BY r.year, r.e),
    sums AS (
      SELECT f.clean, a.year, sum(a.new_received) AS new_received,
        sum(a.carried_over) AS carried_over, sum(a.handled) AS handled,
        sum(a.carried_forward) AS carried_forward, sum(a.received_filled) AS received_filled
      FROM flags f JOIN a ON (f.clean = 0 OR a.e = 0) GROUP BY f.clean, a.year),
    counts AS (
      SELECT f.clean, r.year, count(*) AS reports, count(DISTINCT r.agency_id) AS agencies,
        sum(r.e) AS reports_with_errors, sum(r.w) AS reports_with_warnings,
        count(rl.report_id) AS reports_with_review,
        count(DISTINCT CASE WHEN rl.report_id IS NOT NULL THEN r.agency_id END)
          AS agencies_with_review
      FROM flags f JOIN r ON (f.clean = 0 OR r.e = 0)
      LEFT JOIN review_litigation rl ON rl.report_id = r.id
      GROUP BY f.clean, r.year)
    SELECT y.year, f.clean, coalesce(c.reports, 0), coalesce(c.agencies, 0),
      s.new_received, s.carried_over, s.handled, s.carried_forward,
      coalesce(c.reports, 0) - coalesce(s.received_filled, 0),
      coalesce(c.reports_with_review, 0), coalesce(c.agencies_with_review, 0),
      coalesce(c.reports_with_errors, 0), round(100.0 * c.reports_with_errors / c.reports, 1),
      coalesce(c.reports_with_warnings, 0),
      round(100.0 * c.reports_with_warnings / c.reports, 1)
    FROM years y CROSS JOIN flags f
    LEFT JOIN counts c ON c.year IS y.year AND c.clean = f.clean
    LEFT JOIN sums s ON s.year IS y.year AND s.clean = f.clean
    ORDER BY f.clean, y.year""",
    "outcomes_by_year": """INSERT INTO outcomes_by_year
    WITH flags AS (SELECT 0 AS clean
      UNION ALL SELECT 1),
    o AS (
      SELECT r.year, r.check_errors > 0 AS e,
        CASE
          WHEN a.row_key = 'granted' THEN '1 granted 予以公开'
          WHEN a.row_key = 'partly_granted' THEN '2 partly granted 部分公开'
          WHEN a.row_key LIKE 'denied_%' THEN '3 withheld 不予公开'
          WHEN a.row_key LIKE 'unavailable_%' THEN '4 cannot be provided 无法提供'
          WHEN a.row_key LIKE 'not_processed_%' THEN '5 not processed 不予处理'
          ELSE '6 other handling 其他处理'
        END AS outcome,
        sum(a.total) AS total
      FROM applications a JOIN reports r ON r.id = a.report_id
      WHERE a.row_key NOT IN ('new_received', 'carried_over', 'total', 'carried_forward')
      GROUP BY 1, 2, 3)
    SELECT o.year, f.clean, o.outcome, sum(o.total),
      round(100.0 * sum(o.total) / sum(sum(o.total)) OVER (PARTITION BY f.clean, o.year), 1)
    FROM flags f JOIN o ON (f.clean = 0 OR o.e = 0)
    GROUP BY f.clean, o.year, o.outcome ORDER BY f.clean, o.year, o.outcome""",
    "review_outcomes_by_year": """INSERT INTO review_outcomes_by_year
    WITH flags AS (SELECT 0 AS clean
      UNION ALL SELECT 1),
    v AS (SELECT r.year, r.check_errors > 0 AS e, rl.* FROM review_litigation rl
          JOIN reports r ON r.id = rl.report_id),
    parts AS (SELECT year, e, '1 administrative review 行政复议' AS proceeding, '1 upheld 维持' AS outcome, review_upheld AS cases FROM v
      UNION ALL SELECT year, e, '1 administrative review 行政复议' AS proceeding, '2 corrected 纠正' AS outcome, review_corrected AS cases FROM v
      UNION ALL SELECT year, e, '1 administrative review 行政复议' AS proceeding, '3 other result 其他结果' AS outcome, review_other AS cases FROM v
      UNION ALL SELECT year, e, '1 administrative review 行政复议' AS proceeding, '4 pending 尚未审结' AS outcome, review_pending AS cases FROM v
      UNION ALL SELECT year, e, '2 lawsuit, no prior review 直接起诉' AS proceeding, '1 upheld 维持' AS outcome, direct_suit_upheld AS cases FROM v
      UNION ALL SELECT year, e, '2 lawsuit, no prior review 直接起诉' AS proceeding, '2 corrected 纠正' AS outcome, direct_suit_corrected AS cases FROM v
      UNION ALL SELECT year, e, '2 lawsuit, no prior review 直接起诉' AS proceeding, '3 other result 其他结果' AS outcome, direct_suit_other AS cases FROM v
      UNION ALL SELECT year, e, '2 lawsuit, no prior review 直接起诉' AS proceeding, '4 pending 尚未审结' AS outcome, direct_suit_pending AS cases FROM v
      UNION ALL SELECT year, e, '3 lawsuit after review 复议后起诉' AS proceeding, '1 upheld 维持' AS outcome, post_review_suit_upheld AS cases FROM v
      UNION ALL SELECT year, e, '3 lawsuit after review 复议后起诉' AS proceeding, '2 corrected 纠正' AS outcome, post_review_suit_corrected AS cases FROM v
      UNION ALL SELECT year, e, '3 lawsuit after review 复议后起诉' AS proceeding, '3 other result 其他结果' AS outcome, post_review_suit_other AS cases FROM v
      UNION ALL SELECT year, e, '3 lawsuit after review 复议后起诉' AS proceeding, '4 pending 尚未审结' AS outcome, post_review_suit_pending AS cases FROM v)
    SELECT p.year, f.clean, p.proceeding, p.outcome, sum(p.cases)
    FROM flags f JOIN parts p ON (f.clean = 0 OR p.e = 0)
    GROUP BY f.clean, p.year, p.proceeding, p.outcome
    ORDER BY f.clean, p.year, p.proceeding, p.outcome""",
    "failures_by_rule_year": """INSERT INTO failures_by_rule_year
    WITH flags AS (SELECT 0 AS clean
      UNION ALL SELECT 1),
    g AS (
      SELECT v.year, v.rule, v.severity, r.check_errors > 0 AS e, count(*) AS failures,
        count(DISTINCT v.report_id) AS reports
      FROM validation_failures v JOIN reports r ON r.id = v.report_id
      GROUP BY 1, 2, 3, 4)
    SELECT g.year, f.clean, g.rule, g.severity, sum(g.failures), sum(g.reports)
    FROM flags f JOIN g ON (f.clean = 0 OR g.e = 0)
    GROUP BY f.clean, g.year, g.rule, g.severity
    ORDER BY f.clean, g.year, g.rule, g.severity""",
    # A subquery per report (before 2026-12-04): 19-25 s at 100,000 reports where the join
    # takes 0.3 s.
    "map_places": """INSERT INTO map_places
    WITH placed AS (
      SELECT coalesce((SELECT min(c.code) FROM divisions c
                       WHERE c.level = 'prefecture' AND c.listed_until IS NULL
                         AND c.name = r.city AND c.province IS r.province), r.adcode) AS code,
        r.agency_id, r.check_errors, r.check_warnings, r.year
      FROM reports r WHERE r.adcode IS NOT NULL)
    SELECT d.code, d.name, d.name_en, d.level, d.province, count(*),
      count(DISTINCT p.agency_id), sum(p.check_errors > 0),
      sum(p.check_warnings > 0), min(p.year), max(p.year), d.latitude, d.longitude
    FROM placed p JOIN divisions d ON d.code = p.code
    GROUP BY d.code ORDER BY d.code""",
}


def new_statement(table: str) -> str:
    (sql,) = [s for s in summaries.SUMMARIES if s.split()[2] == table]
    return sql


def rows(conn: sqlite3.Connection, table: str, sql: str) -> list[tuple]:
    conn.execute(f"DELETE FROM {table}")
    conn.execute(sql)
    return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


@pytest.fixture(scope="module")
def conn(seeds_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("summaries") / "ogi.db"
    shutil.copy(seeds_db.conn.execute("PRAGMA database_list").fetchone()[2], path)
    conn = sqlite3.connect(path)
    summaries.register_functions(conn)
    conn.execute(summaries.APPLICATION_SUMS)
    yield conn
    conn.close()


@pytest.mark.parametrize("table", sorted(OLD))
def test_the_rewritten_summary_gives_the_rows_of_the_old_one(conn, table):
    old = rows(conn, table, OLD[table])
    assert old, "the corpus gives rows to compare"
    assert rows(conn, table, new_statement(table)) == old


def test_the_corpus_has_what_the_comparison_needs(conn):
    """Both partitions (reports with and without errors), review cases and failures: otherwise
    the comparison above would not see the clean flag or the sums at work."""
    assert conn.execute("SELECT count(DISTINCT check_errors > 0) FROM reports").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM review_litigation "
                        "WHERE review_upheld > 0").fetchone()[0] > 0
    assert conn.execute("SELECT count(DISTINCT severity) FROM failures").fetchone()[0] >= 2
    assert conn.execute("SELECT count(*) FROM application_values v JOIN application_rows k "
                        "ON k.position = v.row_no WHERE k.key LIKE 'denied_%' "
                        "AND v.total > 0").fetchone()[0] > 0


def test_the_map_compares_reports_counted_at_their_city_and_at_their_own_division(conn):
    """The map's comparison above sees both of its cases: a report at its city's prefecture
    (found by name) and one counted at its own division (no city, or none listed)."""
    placed = conn.execute("""SELECT count(CASE WHEN c.code IS NOT NULL THEN 1 END),
        count(CASE WHEN c.code IS NULL THEN 1 END)
      FROM reports r LEFT JOIN divisions c ON c.level = 'prefecture'
        AND c.listed_until IS NULL AND c.name = r.city AND c.province IS r.province
      WHERE r.adcode IS NOT NULL""").fetchone()
    assert placed[0] > 0 and placed[1] > 0


def test_no_summary_runs_a_subquery_per_row_before_analyze(conn):
    """The summaries run before the build's ANALYZE: without its statistics SQLite ran the
    map's subquery per report as a walk of the divisions' primary key (issue 17: 25 s at
    100,000 reports). No statement's plan has a correlated subquery."""
    conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
    for sql in (*summaries.ENGLISH, summaries.STATUS, summaries.SORT_RANK,
                *summaries.SUMMARIES):
        plan = [step[3] for step in conn.execute("EXPLAIN QUERY PLAN " + sql.strip())]
        assert not [step for step in plan if "CORRELATED" in step], sql


def test_the_application_sums_read_each_table_in_its_own_order(conn):
    """Each report's values after it, both tables scanned in key order: not the values through
    idx_applications_row_key, row of the form by row, with every report looked up again for
    each (at 100,000 reports the lookups fell all over a table larger than the page cache:
    3.5 s, against 2.2). The same sums as the plain join give (the seeds)."""
    select = summaries.APPLICATION_SUMS.partition(" AS\n")[2]  # (the table exists already)
    plan = [step[3] for step in conn.execute("EXPLAIN QUERY PLAN " + select)]
    assert plan[:2] == ["SCAN r", "SEARCH v USING PRIMARY KEY (report=?)"], plan
    plain = conn.execute("""SELECT r.year, r.check_errors > 0, v.row_no, sum(v.total),
        count(v.total) FROM application_values v JOIN reports r ON r.rowid = v.report
        GROUP BY 1, 2, 3""").fetchall()
    assert conn.execute("SELECT * FROM temp.ogi_application_sums").fetchall() == plain
    assert len(plain) > 20


def test_the_sort_rank_reads_and_writes_reports_in_rowid_order(conn):
    """Ranked by a sort of the reports read in order, written back in rowid order: not through
    idx_reports_by_failures, which sent each read and each write to a place the rank chose.
    The ranks are those of the order itself (errors first, the latest year, agency, id)."""
    plan = [step[3] for step in conn.execute("EXPLAIN QUERY PLAN " + summaries.SORT_RANK)]
    assert "SCAN reports" in plan and not [p for p in plan if "idx_reports_by_failures" in p]
    conn.execute(summaries.SORT_RANK)
    ranked = [rid for (rid,) in conn.execute("SELECT id FROM reports ORDER BY sort_rank")]
    assert ranked == [rid for (rid,) in conn.execute(
        "SELECT id FROM reports ORDER BY check_errors DESC, year DESC, agency, id")]
    assert len(ranked) > 5


def test_the_review_outcomes_read_reports_in_rowid_order(conn):
    """Reports scanned in rowid order, each one's review_litigation row found by its report:
    not reports through idx_reports_year (the rows above are the old statement's)."""
    sql = [s for s in summaries.SUMMARIES if "INTO review_outcomes_by_year" in s][0]
    plan = [step[3] for step in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    assert "SCAN r" in plan and not [p for p in plan if "idx_reports_year" in p], plan
