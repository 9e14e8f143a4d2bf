"""The database's schema: every table, with the indexes created once the reports are in, and the
columns of each table a report writes to, in schema order.

Tables (see SPEC.md and the descriptions in metadata.yml):
- reports, application_values, disclosure_values (read through the views applications and
  active_disclosure), review_litigation: the numbers, NULL where blank;
- cell_values (read through the view cells, with cell_keys): every number's raw text and where
  it stood (line, grid, row, column);
- parse_issues: everything the parser noticed, with a stable code (issue_codes);
- sections: the prose of the six sections;
- load_errors: files that could not be loaded at all, with the stage that failed;
- validation_rules, failures (read through the view validation_failures), check_errors: the
  checks, what they found, and the rules that raised;
- reference tables with Chinese and English labels: applicant_columns, application_rows,
  review_columns, disclosure_items, disclosure_metrics, section_headings, issue_codes.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache

from ..checks import stored
from ..derived import summaries
from ..form import template as T

APPLICANT_COLUMNS_SQL = ",\n  ".join(f"{k} INTEGER" for k in T.APPLICANT_KEYS)
REVIEW_COLUMNS_SQL = ",\n  ".join(f"{k} INTEGER" for k in T.REVIEW_KEYS)

SCHEMA = f"""
CREATE TABLE applicant_columns (
  key TEXT PRIMARY KEY, position INTEGER, label_zh TEXT, label_en TEXT
);
CREATE TABLE application_rows (
  key TEXT PRIMARY KEY, position INTEGER, label_zh TEXT, label_en TEXT, templates TEXT
);
CREATE TABLE review_columns (
  key TEXT PRIMARY KEY, position INTEGER, group_key TEXT, outcome_key TEXT,
  label_zh TEXT, label_en TEXT
);
CREATE TABLE disclosure_items (
  key TEXT PRIMARY KEY, position INTEGER, article TEXT, label_zh TEXT, label_zh_2021 TEXT,
  label_en TEXT, templates TEXT
);
CREATE TABLE disclosure_metrics (
  key TEXT PRIMARY KEY, position INTEGER, label_zh TEXT, label_en TEXT, templates TEXT
);
CREATE TABLE section_headings (
  number INTEGER PRIMARY KEY, key TEXT, label_zh TEXT, label_en TEXT
);
CREATE TABLE issue_codes (
  code TEXT PRIMARY KEY, severity TEXT, description_en TEXT, description_zh TEXT
);
CREATE TABLE divisions (
  code TEXT PRIMARY KEY, name TEXT, name_en TEXT, level TEXT, type TEXT, parent TEXT,
  province TEXT, prefecture TEXT, longitude REAL, latitude REAL, listed_until INTEGER,
  successor TEXT
);
CREATE TABLE agencies (
  id TEXT PRIMARY KEY,
  name TEXT,
  names_seen TEXT,
  function TEXT,
  kind TEXT,
  sector TEXT,
  sector_en TEXT,
  level TEXT,
  province TEXT, city TEXT, county TEXT,
  place_en TEXT,
  adcode TEXT REFERENCES divisions(code),
  place_status TEXT,
  reports INTEGER,
  first_year INTEGER,
  last_year INTEGER,
  override_note TEXT
);
CREATE TABLE agency_overrides (
  id INTEGER PRIMARY KEY, agency TEXT, year TEXT, name TEXT, adcode TEXT, kind TEXT, sector TEXT,
  level TEXT, note TEXT
);
-- Read left to right as a journalist scans a listing: who, when, the verdict and its counts, the
-- title; then the place and the file.
CREATE TABLE reports (
  id TEXT PRIMARY KEY,
  agency TEXT,
  year INTEGER,
  status TEXT,
  check_errors INTEGER,
  check_warnings INTEGER,
  title TEXT,
  template TEXT,
  published_on TEXT,
  agency_id TEXT REFERENCES agencies(id),
  province TEXT, city TEXT, county TEXT,
  place_en TEXT,
  adcode TEXT REFERENCES divisions(code),
  place_status TEXT,
  parse_issue_count INTEGER,
  sort_rank INTEGER,
  source_file TEXT,
  source_sha256 TEXT,
  source_format TEXT,
  source_bytes INTEGER,
  encoding TEXT,
  layout TEXT,
  -- where it was published: from the optional sources.csv beside the reports (NULL without it)
  source_url TEXT,
  source_published_by TEXT,
  source_fetched_on TEXT
);
-- The tables a report writes to are appended to in the order reports are written (rowid tables,
-- or keyed by the report's rowid): a report's rows never land in the middle of a growing B-tree.
-- Their lookups by report_id are indexes built once every report is in (INDEXES).
CREATE UNIQUE INDEX idx_application_rows_position ON application_rows(position);
CREATE UNIQUE INDEX idx_disclosure_items_position ON disclosure_items(position);
CREATE UNIQUE INDEX idx_disclosure_metrics_position ON disclosure_metrics(position);
-- The numbers of sections 三 and 二, compact and in key order like cell_values below (`report`
-- is the report's rowid, filled by the database; `row_no`, `item_no`, `metric_no` are the
-- positions in application_rows, disclosure_items, disclosure_metrics); read them through the
-- views applications and active_disclosure, with the report's id, the keys and their labels.
CREATE TABLE application_values (
  report INTEGER NOT NULL DEFAULT (last_insert_rowid()),
  row_no INTEGER NOT NULL,
  {APPLICANT_COLUMNS_SQL},
  PRIMARY KEY (report, row_no)
) WITHOUT ROWID;
CREATE VIEW applications AS SELECT
  r.id AS report_id, k.key AS row_key, k.position, k.label_zh, k.label_en,
  {", ".join(f"a.{c}" for c in T.APPLICANT_KEYS)}
FROM application_values a JOIN reports r ON r.rowid = a.report
  JOIN application_rows k ON k.position = a.row_no;
CREATE TABLE disclosure_values (
  report INTEGER NOT NULL DEFAULT (last_insert_rowid()),
  item_no INTEGER NOT NULL,
  metric_no INTEGER NOT NULL,
  value NUMERIC,
  PRIMARY KEY (report, item_no, metric_no)
) WITHOUT ROWID;
CREATE VIEW active_disclosure AS SELECT
  r.id AS report_id, i.key AS item_key, m.key AS metric_key,
  CASE WHEN r.template = '2021' THEN i.label_zh_2021 ELSE i.label_zh END AS item_label_zh,
  i.label_en AS item_label_en, m.label_zh AS metric_label_zh, m.label_en AS metric_label_en,
  d.value
FROM disclosure_values d JOIN reports r ON r.rowid = d.report
  JOIN disclosure_items i ON i.position = d.item_no
  JOIN disclosure_metrics m ON m.position = d.metric_no;
CREATE TABLE review_litigation (
  report_id TEXT NOT NULL REFERENCES reports(id),
  {REVIEW_COLUMNS_SQL}
);
-- Every stored number's raw text and position, compact (the view `cells` reads it with the
-- report's id and the keys' names): `report` is the report's rowid, filled by the database with
-- the rowid of the reports row just written (the writer writes a report's row first, then its
-- cell_values, a WITHOUT ROWID table whose inserts leave last_insert_rowid() alone), so rows are
-- appended in key order; `cell` is a cell_keys id (table, row and column in one small integer);
-- raw_text is NULL when the number is written as its plain form (an integer written as
-- str(value): `12`, not `１２`, `00` or `12件`); source_line_end is NULL when it is source_line.
CREATE TABLE cell_values (
  report INTEGER NOT NULL DEFAULT (last_insert_rowid()),
  cell INTEGER NOT NULL REFERENCES cell_keys(id),
  value NUMERIC,
  raw_text TEXT,
  source_line INTEGER,
  source_line_end INTEGER,
  grid INTEGER,
  grid_row INTEGER,
  grid_col INTEGER,
  PRIMARY KEY (report, cell)
) WITHOUT ROWID;
CREATE TABLE cell_keys (
  id INTEGER PRIMARY KEY, table_name TEXT, row_key TEXT, column_key TEXT,
  row_label_zh TEXT, row_label_en TEXT, column_label_zh TEXT, column_label_en TEXT
);
-- The cells as they read: one row per stored number with the report's id, the table, row and
-- column keys, the value, its raw text exactly as in the source (the plain form where
-- cell_values stores NULL) and its lines.
CREATE VIEW cells AS SELECT
  r.id AS report_id, k.table_name, k.row_key, k.column_key, c.value,
  CASE WHEN c.raw_text IS NULL AND c.value IS NOT NULL THEN CAST(c.value AS TEXT)
       ELSE c.raw_text END AS raw_text,
  c.source_line, coalesce(c.source_line_end, c.source_line) AS source_line_end,
  c.grid, c.grid_row, c.grid_col
FROM cell_values c JOIN reports r ON r.rowid = c.report JOIN cell_keys k ON k.id = c.cell;
CREATE TABLE parse_issues (
  id INTEGER PRIMARY KEY,
  report_id TEXT NOT NULL REFERENCES reports(id),
  code TEXT NOT NULL REFERENCES issue_codes(code),
  severity TEXT,
  table_name TEXT,
  row_key TEXT,
  column_key TEXT,
  raw_text TEXT,
  source_line INTEGER,
  message TEXT
);
CREATE TABLE sections (
  report_id TEXT NOT NULL REFERENCES reports(id),
  section_no INTEGER NOT NULL REFERENCES section_headings(number),
  section_key TEXT,
  heading TEXT,
  body TEXT,
  source_line INTEGER,
  source_line_end INTEGER,
  search_order INTEGER
);
CREATE TABLE load_errors (
  id INTEGER PRIMARY KEY,
  source_file TEXT,
  source_sha256 TEXT,
  stage TEXT,
  error_type TEXT,
  message TEXT
);
CREATE TABLE validation_rules (
  code TEXT PRIMARY KEY, spec_number INTEGER, title_en TEXT, title_zh TEXT,
  description_en TEXT, description_zh TEXT, severities TEXT, scope TEXT, doc TEXT,
  failures INTEGER, reports_failing INTEGER
);
-- Read through the view validation_failures (checks/stored.py: FAILURES_VIEW), which writes the
-- texts of a failure stored without them.
CREATE TABLE failures (
  id INTEGER PRIMARY KEY,
  report_id TEXT NOT NULL REFERENCES reports(id),
  rule TEXT NOT NULL REFERENCES validation_rules(code),
  severity TEXT NOT NULL,
  table_name TEXT,
  row_key TEXT,
  column_key TEXT,
  expected TEXT,
  actual TEXT,
  message TEXT,
  message_zh TEXT,
  cells TEXT,
  params TEXT,
  agency TEXT,
  year INTEGER,
  template TEXT,
  province TEXT,
  city TEXT
);
-- A rule that raised instead of giving its verdict (a bug in the rule, not in the report): that
-- rule's failures are missing for the report (report_id NULL: a rule across years, for the
-- corpus); the other rules and reports are kept.
CREATE TABLE check_errors (
  id INTEGER PRIMARY KEY,
  report_id TEXT REFERENCES reports(id),
  rule TEXT NOT NULL REFERENCES validation_rules(code),
  error_type TEXT,
  message TEXT
);
-- The prose's search index (see derived/search_index.py): contentless, the text is stored once,
-- in sections; rowid = sections.search_order, the order results are listed in (latest year
-- first), so that a search reads its first page of matches off the index and stops, however
-- common the word. The text indexed is already cut into tokens by derived/search.py (pairs of
-- Han characters, lower-cased ASCII letters and digits, one space between), and so are the
-- queries (search.fts_query): FTS5's ascii tokenizer, which splits at ASCII spaces and
-- punctuation and takes any other character as part of a token, finds the same tokens as the
-- default unicode61 (the same index, row for row: tests/test_search.py) in two thirds of the
-- time, as it looks no character up in Unicode's tables (issue 17). A raw MATCH that a user
-- writes with Chinese punctuation between words is the one query that reads differently.
CREATE VIRTUAL TABLE sections_fts USING fts5(heading, body, content='', tokenize='ascii');
-- FTS5 writes its pending tokens to disk each time they reach hashsize (1 MB by default), and
-- merges what it wrote; 16 MB takes a bulk build's index in a third fewer seconds, for the same
-- index and search speed (derived/search_index.py). The setting is kept in sections_fts_config.
INSERT INTO sections_fts (sections_fts, rank) VALUES ('hashsize', 16777216);
CREATE TABLE build_info (
  key TEXT PRIMARY KEY, value TEXT
);
""" + stored.FAILURES_VIEW + summaries.SCHEMA

# Created once every report is in (sorted bulk builds, not an insert into each index per row).
# The indexes of ``failures`` are created later, once the rules across years have added theirs
# (checks/stored.py: FAILURE_INDEXES).
INDEXES = """
CREATE INDEX idx_reports_agency_year ON reports(agency, year);
CREATE INDEX idx_reports_agency_id_year ON reports(agency_id, year);
CREATE INDEX idx_reports_province_city ON reports(province, city, county, agency, year);
CREATE INDEX idx_reports_by_failures ON reports(check_errors DESC, check_warnings DESC, agency, year);
CREATE INDEX idx_agencies_province ON agencies(province, city);
CREATE INDEX idx_reports_year ON reports(year);
CREATE INDEX idx_reports_template ON reports(template);
CREATE INDEX idx_reports_status ON reports(status);
CREATE INDEX idx_reports_city ON reports(city);
CREATE INDEX idx_reports_source_format ON reports(source_format);
CREATE UNIQUE INDEX idx_review_litigation_report ON review_litigation(report_id);
CREATE UNIQUE INDEX idx_sections_report ON sections(report_id, section_no);
CREATE INDEX idx_check_errors_report ON check_errors(report_id);
CREATE INDEX idx_applications_row_key ON application_values(row_no, total);
CREATE INDEX idx_active_disclosure_item ON disclosure_values(item_no, metric_no);
CREATE INDEX idx_parse_issues_report ON parse_issues(report_id);
CREATE INDEX idx_parse_issues_code ON parse_issues(code);
"""

# In the order the writer writes them: the tables keyed by the report's rowid right after
# reports (their ``report`` is the rowid of the reports row written last: inserts into a WITHOUT
# ROWID table leave it alone, the rowid tables after them do not).
REPORT_TABLES = ("reports", "cell_values", "application_values", "disclosure_values",
                 "review_litigation", "parse_issues", "sections", "failures", "check_errors")
BY_REPORT_ROWID = ("cell_values", "application_values", "disclosure_values")

# Columns the database fills itself, never given by a report's rows.
_FILLED_BY_DATABASE = {table: ("report",) for table in BY_REPORT_ROWID}


@lru_cache(maxsize=1)
def table_columns() -> dict[str, tuple[str, ...]]:
    """The columns of each table a report writes to, in schema order (read from SCHEMA itself)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(SCHEMA)
        return {table: tuple(r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                             if r[1] not in _FILLED_BY_DATABASE.get(table, ()))
                for table in REPORT_TABLES + ("load_errors",)}
    finally:
        conn.close()


def delete_reports(conn: sqlite3.Connection, report_ids) -> None:
    """Delete every row of the given reports (``reports.id``) from each table a report writes to.
    The tables of BY_REPORT_ROWID are keyed by the report's rowid, the others by ``report_id``. Remove the
    reports' sections from the search index first (``derived.search_index.remove``): it reads
    them."""
    ids = list(report_ids)
    for start in range(0, len(ids), 500):  # within SQLite's limit of bound parameters
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for table in BY_REPORT_ROWID:
            conn.execute(f"DELETE FROM {table} WHERE report IN "
                         f"(SELECT rowid FROM reports WHERE id IN ({marks}))", chunk)
        for table in REPORT_TABLES:
            if table != "reports" and table not in BY_REPORT_ROWID:
                conn.execute(f"DELETE FROM {table} WHERE report_id IN ({marks})", chunk)
        conn.execute(f"DELETE FROM reports WHERE id IN ({marks})", chunk)
