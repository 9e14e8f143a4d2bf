"""What the build counts once every report and failure is in, so that no page counts at request
time: each report's status and listing order, its place and sector in English, the summaries the
charts read and the figures of the home page (the search index is ``search_index``).

Every yearly summary is counted twice: over all reports (``clean`` 0) and over the reports with no
failed check of severity error (``clean`` 1), so that a reader can see a total without the reports
whose own numbers contradict each other (``?clean=1`` on the summary queries). Each row says how
many reports, and of how many agencies, stand behind it. Blank cells are left out of the sums
(SQL's sum skips NULL), never counted as zero; a sum over blanks only is NULL.

Nothing here depends on the time of the build: two builds of the same files are the same file.
"""

from __future__ import annotations

import sqlite3

from .english import place_en, sector_en
from .search import segmenter
from .sorts import index_sorts

# A rate over fewer reports than this says little: the queries mark it (``small_sample``).
SMALL_SAMPLE = 10

SCHEMA = """
CREATE TABLE stats_by_year (
  year INTEGER, clean INTEGER, reports INTEGER, agencies INTEGER,
  new_received INTEGER, carried_over INTEGER, handled INTEGER, carried_forward INTEGER,
  reports_with_blank_received INTEGER, reports_with_review INTEGER,
  agencies_with_review INTEGER, reports_with_errors INTEGER, error_rate_pct REAL,
  reports_with_warnings INTEGER, warning_rate_pct REAL,
  PRIMARY KEY (clean, year)
);
CREATE TABLE stats_by_province (
  province TEXT, province_en TEXT, reports INTEGER, agencies INTEGER,
  reports_with_errors INTEGER, error_rate_pct REAL, reports_with_warnings INTEGER,
  warning_rate_pct REAL
);
CREATE TABLE stats_by_template (
  template TEXT, reports INTEGER, agencies INTEGER, reports_with_errors INTEGER,
  error_rate_pct REAL, reports_with_warnings INTEGER, warning_rate_pct REAL
);
CREATE TABLE stats_overall (
  clean INTEGER PRIMARY KEY, reports INTEGER, agencies INTEGER, years INTEGER,
  first_year INTEGER, last_year INTEGER, latest_published_on TEXT,
  reports_with_review INTEGER, agencies_with_review INTEGER, reports_with_errors INTEGER,
  reports_with_warnings INTEGER
);
CREATE TABLE outcomes_by_year (
  year INTEGER, clean INTEGER, outcome TEXT, applications INTEGER, share_pct REAL,
  PRIMARY KEY (clean, year, outcome)
);
CREATE TABLE review_outcomes_by_year (
  year INTEGER, clean INTEGER, proceeding TEXT, outcome TEXT, cases INTEGER,
  PRIMARY KEY (clean, year, proceeding, outcome)
);
CREATE TABLE map_places (
  code TEXT PRIMARY KEY REFERENCES divisions(code), name TEXT, name_en TEXT, level TEXT,
  province TEXT, reports INTEGER, agencies INTEGER, reports_with_errors INTEGER,
  reports_with_warnings INTEGER, first_year INTEGER, last_year INTEGER, latitude REAL,
  longitude REAL
);
CREATE TABLE failures_by_rule_year (
  year INTEGER, clean INTEGER, rule TEXT REFERENCES validation_rules(code), severity TEXT,
  failures INTEGER, reports INTEGER,
  PRIMARY KEY (clean, year, rule, severity)
);
-- Agency, title, place (Chinese and pinyin) and sector (Chinese and English) of each report,
-- segmented as the prose is (loaders/derived/search.py), and with the same tokenizer as
-- sections_fts (store/schema.py says why); rowid = reports.rowid.
CREATE VIRTUAL TABLE reports_fts USING fts5(agency, title, place, sector, content='',
                                            tokenize='ascii');
INSERT INTO reports_fts (reports_fts, rank) VALUES ('hashsize', 16777216);
"""

# The default orders of /ogi/reports and /ogi/parse_issues (errors first), read off an index.
INDEXES = """
CREATE INDEX idx_reports_sort_rank ON reports(sort_rank);
CREATE INDEX idx_parse_issues_severity ON parse_issues(severity);
"""

# clean 0: every report; clean 1: the reports without errors.
_FLAGS = "flags AS (SELECT 0 AS clean UNION ALL SELECT 1)"
_KEEP = "(f.clean = 0 OR {e} = 0)"
_RATES = """count(*) AS reports, count(DISTINCT agency_id) AS agencies,
  sum(check_errors > 0) AS reports_with_errors,
  round(100.0 * sum(check_errors > 0) / count(*), 1) AS error_rate_pct,
  sum(check_warnings > 0) AS reports_with_warnings,
  round(100.0 * sum(check_warnings > 0) / count(*), 1) AS warning_rate_pct"""
_TOTALS = ("new_received", "carried_over", "total", "carried_forward")
_REVIEW_PARTS = [(f"{gi} {g_en} {g_zh}", f"{oi} {o_en} {o_zh}", f"{g}_{o}")
                 for gi, (g, g_en, g_zh) in enumerate((
                     ("review", "administrative review", "行政复议"),
                     ("direct_suit", "lawsuit, no prior review", "直接起诉"),
                     ("post_review_suit", "lawsuit after review", "复议后起诉")), 1)
                 for oi, (o, o_en, o_zh) in enumerate((
                     ("upheld", "upheld", "维持"), ("corrected", "corrected", "纠正"),
                     ("other", "other result", "其他结果"), ("pending", "pending", "尚未审结")), 1)]

# Each report's status from what the parser and the checks found, worst first: a report whose
# tables could not be read (or were not there) keeps that status, whatever its checks say.
STATUS = """UPDATE reports SET status = CASE
  WHEN status IN ('prose_only', 'unreadable') THEN status
  WHEN check_errors > 0 THEN 'errors'
  WHEN id IN (SELECT report_id FROM check_errors) THEN 'unchecked'
  WHEN check_warnings > 0 THEN 'warnings'
  ELSE 'ok' END"""

# The default order of /ogi/reports (Datasette sorts by one column): errors first, then the
# latest year, then agency. The reports read in rowid order and ranked by a sort (NOT INDEXED),
# and the ranks written back in rowid order: read through idx_reports_by_failures, each report
# was fetched and then written at a place of the table the rank chose, a table larger than the
# page cache at 100,000 reports (0.6-1.2 s, now 0.35; the same ranks).
SORT_RANK = """WITH o AS (SELECT rowid AS r, row_number() OVER (
    ORDER BY check_errors DESC, year DESC, agency, id) AS n FROM reports NOT INDEXED
    ORDER BY rowid)
  UPDATE reports SET sort_rank = o.n FROM o WHERE o.r = reports.rowid"""

# The divisions' English names (they do not change in an update), then the reports' and the
# agencies' (an update gives them only to the rows without them: WHERE place_en IS NULL).
DIVISIONS_ENGLISH = "UPDATE divisions SET name_en = ogi_place_en(name)"
ROWS_ENGLISH = (
    "UPDATE reports SET place_en = ogi_place_path_en(province, city, county)",
    "UPDATE agencies SET place_en = ogi_place_path_en(province, city, county), "
    "sector_en = ogi_sector_en(sector)",
)
ENGLISH = (DIVISIONS_ENGLISH, *ROWS_ENGLISH)

# The numbers of section 三 summed by year, partition (with errors or not) and row, in one pass
# (joined to reports by rowid): what stats_by_year and outcomes_by_year count from; ``filled``:
# how many reports gave the row's total. Both tables are read in their own order, each report's
# values after it (CROSS JOIN keeps that order, NOT INDEXED the reports' rowid order): left to
# itself, SQLite read the values through the smaller idx_applications_row_key, row by row of
# the form, and looked every report up again for each row, all over a reports table larger than
# the page cache (at 100,000 reports 3.6 s, now 2.2; the same sums).
APPLICATION_SUMS = """CREATE TEMP TABLE ogi_application_sums AS
  SELECT r.year, r.check_errors > 0 AS e, v.row_no, sum(v.total) AS total,
    count(v.total) AS filled
  FROM reports r NOT INDEXED CROSS JOIN application_values v ON v.report = r.rowid
  GROUP BY 1, 2, 3"""

SUMMARIES = (
    f"""INSERT INTO stats_by_year
    WITH {_FLAGS},
    r AS (SELECT id, year, agency_id, check_errors > 0 AS e, check_warnings > 0 AS w
          FROM reports),
    years AS (SELECT DISTINCT year FROM reports),
    g AS (SELECT * FROM temp.ogi_application_sums
          WHERE row_no IN (SELECT position FROM application_rows WHERE key IN {_TOTALS})),
    a AS (
      SELECT g.year, g.e,
        sum(CASE WHEN k.key = 'new_received' THEN g.total END) AS new_received,
        sum(CASE WHEN k.key = 'carried_over' THEN g.total END) AS carried_over,
        sum(CASE WHEN k.key = 'total' THEN g.total END) AS handled,
        sum(CASE WHEN k.key = 'carried_forward' THEN g.total END) AS carried_forward,
        coalesce(sum(CASE WHEN k.key = 'new_received' THEN g.filled END), 0) AS received_filled
      FROM g JOIN application_rows k ON k.position = g.row_no
      GROUP BY g.year, g.e),
    sums AS (
      SELECT f.clean, a.year, sum(a.new_received) AS new_received,
        sum(a.carried_over) AS carried_over, sum(a.handled) AS handled,
        sum(a.carried_forward) AS carried_forward, sum(a.received_filled) AS received_filled
      FROM flags f JOIN a ON {_KEEP.format(e="a.e")} GROUP BY f.clean, a.year),
    counts AS (
      SELECT f.clean, r.year, count(*) AS reports, count(DISTINCT r.agency_id) AS agencies,
        sum(r.e) AS reports_with_errors, sum(r.w) AS reports_with_warnings,
        count(rl.report_id) AS reports_with_review,
        count(DISTINCT CASE WHEN rl.report_id IS NOT NULL THEN r.agency_id END)
          AS agencies_with_review
      FROM flags f JOIN r ON {_KEEP.format(e="r.e")}
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
    f"INSERT INTO stats_by_province SELECT province, ogi_place_en(province), {_RATES} "
    "FROM reports GROUP BY province ORDER BY count(*) DESC, province",
    f"INSERT INTO stats_by_template SELECT template, {_RATES} FROM reports GROUP BY template "
    "ORDER BY template",
    f"""INSERT INTO stats_overall
    WITH {_FLAGS}
    SELECT f.clean, count(*), count(DISTINCT r.agency_id), count(DISTINCT r.year),
      min(r.year), max(r.year), max(r.published_on), count(rl.report_id),
      count(DISTINCT CASE WHEN rl.report_id IS NOT NULL THEN r.agency_id END),
      sum(r.check_errors > 0), sum(r.check_warnings > 0)
    FROM flags f JOIN reports r ON {_KEEP.format(e="(r.check_errors > 0)")}
    LEFT JOIN review_litigation rl ON rl.report_id = r.id
    GROUP BY f.clean ORDER BY f.clean""",
    # Summed by row (APPLICATION_SUMS), then by outcome.
    f"""INSERT INTO outcomes_by_year
    WITH {_FLAGS},
    g AS (SELECT * FROM temp.ogi_application_sums),
    o AS (
      SELECT g.year, g.e,
        CASE
          WHEN k.key = 'granted' THEN '1 granted 予以公开'
          WHEN k.key = 'partly_granted' THEN '2 partly granted 部分公开'
          WHEN k.key LIKE 'denied_%' THEN '3 withheld 不予公开'
          WHEN k.key LIKE 'unavailable_%' THEN '4 cannot be provided 无法提供'
          WHEN k.key LIKE 'not_processed_%' THEN '5 not processed 不予处理'
          ELSE '6 other handling 其他处理'
        END AS outcome,
        sum(g.total) AS total
      FROM g JOIN application_rows k ON k.position = g.row_no
      WHERE k.key NOT IN {_TOTALS}
      GROUP BY 1, 2, 3)
    SELECT o.year, f.clean, o.outcome, sum(o.total),
      round(100.0 * sum(o.total) / sum(sum(o.total)) OVER (PARTITION BY f.clean, o.year), 1)
    FROM flags f JOIN o ON {_KEEP.format(e="o.e")}
    GROUP BY f.clean, o.year, o.outcome ORDER BY f.clean, o.year, o.outcome""",
    # One pass summing the 12 columns by year, then one row per column.
    # (The reports in rowid order, and each one's row of review_litigation, written in the same
    # order: through idx_reports_year, each report and its row were fetched where the year
    # order sent them, 0.34-0.52 s at 100,000 reports, now 0.18; the same rows.)
    f"""INSERT INTO review_outcomes_by_year
    WITH {_FLAGS},
    s AS (
      SELECT r.year, r.check_errors > 0 AS e, """
    + ", ".join(f"sum(rl.{c}) AS {c}" for _, _, c in _REVIEW_PARTS)
    + """
      FROM reports r NOT INDEXED CROSS JOIN review_litigation rl ON rl.report_id = r.id
      GROUP BY 1, 2),
    parts (n, proceeding, outcome) AS (VALUES """
    + ", ".join(f"({i}, '{p}', '{o}')" for i, (p, o, _) in enumerate(_REVIEW_PARTS))
    + """)
    SELECT s.year, f.clean, p.proceeding, p.outcome, sum(CASE p.n """
    + " ".join(f"WHEN {i} THEN s.{c}" for i, (_, _, c) in enumerate(_REVIEW_PARTS))
    + f""" END)
    FROM flags f JOIN s ON {_KEEP.format(e="s.e")} CROSS JOIN parts p
    GROUP BY f.clean, s.year, p.proceeding, p.outcome
    ORDER BY f.clean, s.year, p.proceeding, p.outcome""",
    # The map's places: a report counts at its city (prefecture), or at its own division where
    # it has no city (the districts of the municipalities, provincial agencies).
    # The prefectures by name are found once, then joined: a subquery per report, which
    # SQLite ran as a walk of the divisions' primary key for min(code) before the build's
    # ANALYZE, took 19-25 s at 100,000 reports (issue 17); the join takes 0.3 s.
    """INSERT INTO map_places
    WITH cities AS (
      SELECT province, name, min(code) AS code FROM divisions
      WHERE level = 'prefecture' AND listed_until IS NULL GROUP BY province, name),
    placed AS (
      SELECT coalesce(c.code, r.adcode) AS code,
        r.agency_id, r.check_errors, r.check_warnings, r.year
      FROM reports r LEFT JOIN cities c ON c.name = r.city AND c.province IS r.province
      WHERE r.adcode IS NOT NULL)
    SELECT d.code, d.name, d.name_en, d.level, d.province, count(*),
      count(DISTINCT p.agency_id), sum(p.check_errors > 0),
      sum(p.check_warnings > 0), min(p.year), max(p.year), d.latitude, d.longitude
    FROM placed p JOIN divisions d ON d.code = p.code
    GROUP BY d.code ORDER BY d.code""",
    # A report's failures are all in one partition (it has errors or not), so the counts of
    # reports add up across the two.
    f"""INSERT INTO failures_by_rule_year
    WITH {_FLAGS},
    per_report AS (
      SELECT report_id, year, rule, severity, count(*) AS failures
      FROM failures GROUP BY report_id, year, rule, severity),
    g AS (
      SELECT p.year, p.rule, p.severity, r.check_errors > 0 AS e, sum(p.failures) AS failures,
        count(*) AS reports
      FROM per_report p JOIN reports r ON r.id = p.report_id
      GROUP BY 1, 2, 3, 4)
    SELECT g.year, f.clean, g.rule, g.severity, sum(g.failures), sum(g.reports)
    FROM flags f JOIN g ON {_KEEP.format(e="g.e")}
    GROUP BY f.clean, g.year, g.rule, g.severity
    ORDER BY f.clean, g.year, g.rule, g.severity""",
)



def place_path_en(*names: str | None) -> str | None:
    """County, city and province in English, smallest first: Yinzhou District, Ningbo, Zhejiang."""
    parts = [place_en(n) for n in reversed(names) if n]
    return ", ".join(dict.fromkeys(p for p in parts if p)) or None


def register_functions(conn: sqlite3.Connection) -> None:
    conn.create_function("ogi_segment", 1, segmenter(), deterministic=True)
    conn.create_function("ogi_place_en", 1, place_en, deterministic=True)
    conn.create_function("ogi_place_path_en", 3, place_path_en, deterministic=True)
    conn.create_function("ogi_sector_en", 1, sector_en, deterministic=True)


def write(conn: sqlite3.Connection, update: bool = False) -> None:
    """Everything above, in one transaction (the checks and agencies are in already).

    ``update``: in a database brought up to date (its summary tables emptied): the English names
    are given only to the rows without them (the new reports and the agencies written again; the
    divisions do not change), and the indexes are there already, kept up to date by the
    updates."""
    register_functions(conn)
    english = ENGLISH if not update else tuple(
        f"{sql} WHERE place_en IS NULL" for sql in ROWS_ENGLISH)
    with conn:
        for sql in (*english, STATUS, SORT_RANK, APPLICATION_SUMS, *SUMMARIES):
            conn.execute(sql)
        conn.execute("DROP TABLE temp.ogi_application_sums")
        if not update:
            with index_sorts(conn):
                for statement in filter(str.strip, INDEXES.split(";")):
                    conn.execute(statement)
