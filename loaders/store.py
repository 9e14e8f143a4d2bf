"""The only module that writes SQLite.

A build writes a new database file beside the target and renames it over the target only when it
is complete, so a failed or interrupted build leaves the previous database as it was.

Tables (see SPEC.md and the descriptions in metadata.yml):
- reports, applications, review_litigation, active_disclosure: the numbers, NULL where blank;
- cells: every number's raw text and where it stood (line, grid, row, column);
- parse_issues: everything the parser noticed, with a stable code (issue_codes);
- sections: the prose of the six sections;
- load_errors: files that could not be loaded at all, with the stage that failed;
- reference tables with Chinese and English labels: applicant_columns, application_rows,
  review_columns, disclosure_items, disclosure_metrics, section_headings, issue_codes.
"""

from __future__ import annotations

import os
import sqlite3
import time
from functools import lru_cache
from pathlib import Path

import sqlite_utils

from . import __version__
from . import checks
from . import summaries
from .extract.places import divisions
from .form import template as T
from .form.issues import ISSUE_CODES
from .model import Report

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
CREATE TABLE applications (
  report_id TEXT NOT NULL REFERENCES reports(id),
  row_key TEXT NOT NULL REFERENCES application_rows(key),
  position INTEGER,
  label_zh TEXT,
  label_en TEXT,
  {APPLICANT_COLUMNS_SQL},
  PRIMARY KEY (report_id, row_key)
) WITHOUT ROWID;
CREATE TABLE review_litigation (
  report_id TEXT PRIMARY KEY REFERENCES reports(id),
  {REVIEW_COLUMNS_SQL}
);
CREATE TABLE active_disclosure (
  report_id TEXT NOT NULL REFERENCES reports(id),
  item_key TEXT NOT NULL REFERENCES disclosure_items(key),
  metric_key TEXT NOT NULL REFERENCES disclosure_metrics(key),
  item_label_zh TEXT, item_label_en TEXT, metric_label_zh TEXT, metric_label_en TEXT,
  value NUMERIC,
  PRIMARY KEY (report_id, item_key, metric_key)
) WITHOUT ROWID;
CREATE TABLE cells (
  report_id TEXT NOT NULL REFERENCES reports(id),
  table_name TEXT NOT NULL,
  row_key TEXT NOT NULL,
  column_key TEXT NOT NULL,
  value NUMERIC,
  raw_text TEXT,
  source_line INTEGER,
  source_line_end INTEGER,
  grid INTEGER,
  grid_row INTEGER,
  grid_col INTEGER,
  PRIMARY KEY (report_id, table_name, row_key, column_key)
) WITHOUT ROWID;
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
  search_order INTEGER,
  PRIMARY KEY (report_id, section_no)
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
CREATE TABLE validation_failures (
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
  agency TEXT,
  year INTEGER,
  template TEXT,
  province TEXT,
  city TEXT
);
-- The prose, segmented for search (see loaders/search.py); rowid = sections.search_order, the
-- order results are listed in (latest year first), so that a search reads its first page of
-- matches off the index and stops, however common the word.
CREATE VIRTUAL TABLE sections_fts USING fts5(heading, body, content='');
CREATE TABLE build_info (
  key TEXT PRIMARY KEY, value TEXT
);
""" + summaries.SCHEMA

# Created once every report is in (sorted bulk builds, not an insert into each index per row).
INDEXES = """
CREATE INDEX idx_reports_agency_year ON reports(agency, year);
CREATE INDEX idx_reports_agency_id_year ON reports(agency_id, year);
CREATE INDEX idx_reports_province_city ON reports(province, city, county, agency, year);
CREATE INDEX idx_reports_by_failures ON reports(check_errors DESC, check_warnings DESC, agency, year);
CREATE INDEX idx_validation_failures_province ON validation_failures(province, city);
CREATE INDEX idx_agencies_province ON agencies(province, city);
CREATE INDEX idx_reports_year ON reports(year);
CREATE INDEX idx_reports_template ON reports(template);
CREATE INDEX idx_reports_status ON reports(status);
CREATE INDEX idx_reports_city ON reports(city);
CREATE INDEX idx_reports_source_format ON reports(source_format);
CREATE INDEX idx_applications_row_key ON applications(row_key, total);
CREATE INDEX idx_active_disclosure_item ON active_disclosure(item_key, metric_key);
CREATE INDEX idx_parse_issues_report ON parse_issues(report_id);
CREATE INDEX idx_parse_issues_code ON parse_issues(code);
CREATE INDEX idx_validation_failures_report ON validation_failures(report_id, severity);
-- The rule_* queries list a rule's failures in this order, and stop after a page.
CREATE INDEX idx_validation_failures_rule ON validation_failures(rule, severity, year DESC, agency, id);
CREATE INDEX idx_validation_failures_year ON validation_failures(year, rule);
CREATE INDEX idx_validation_failures_severity ON validation_failures(severity);
"""




def _reference_rows() -> dict[str, list[dict]]:
    return {
        "applicant_columns": [
            {"key": k.key, "position": i, "label_zh": k.label_zh, "label_en": k.label_en}
            for i, k in enumerate(T.APPLICANT_COLUMNS, 1)],
        "application_rows": [
            {"key": k.key, "position": i, "label_zh": k.label_zh, "label_en": k.label_en,
             "templates": ",".join(k.templates)}
            for i, k in enumerate(T.APPLICATION_ROWS, 1)],
        "review_columns": [
            {"key": f"{g.key}_{o.key}", "position": gi * 5 + oi + 1, "group_key": g.key,
             "outcome_key": o.key, "label_zh": f"{g.label_zh}·{o.label_zh}",
             "label_en": f"{g.label_en}: {o.label_en}"}
            for gi, g in enumerate(T.REVIEW_GROUPS) for oi, o in enumerate(T.REVIEW_OUTCOMES)],
        "disclosure_items": [
            {"key": k.key, "position": i, "article": k.article, "label_zh": k.label_zh,
             "label_zh_2021": k.label_zh_2021 or k.label_zh, "label_en": k.label_en,
             "templates": ",".join(k.templates)}
            for i, k in enumerate(T.DISCLOSURE_ITEMS, 1)],
        "disclosure_metrics": [
            {"key": k.key, "position": i, "label_zh": k.label_zh, "label_en": k.label_en,
             "templates": ",".join(k.templates)}
            for i, k in enumerate(T.DISCLOSURE_METRICS, 1)],
        "section_headings": [
            {"number": s.number, "key": s.key, "label_zh": s.label_zh, "label_en": s.label_en}
            for s in T.SECTIONS],
        "validation_rules": [
            {"code": r.code, "spec_number": r.spec_number, "title_en": r.title_en,
             "title_zh": r.title_zh, "description_en": r.description_en,
             "description_zh": r.description_zh, "severities": r.severities, "scope": r.scope,
             "doc": r.doc, "failures": 0, "reports_failing": 0}
            for r in checks.all_rules()],
        "issue_codes": [
            {"code": c.code, "severity": c.severity, "description_en": c.description_en,
             "description_zh": c.description_zh} for c in ISSUE_CODES.values()],
    }


def _place_columns(report: Report) -> dict:
    identity = report.identity
    place = identity.place if identity is not None else None
    name = (lambda d: d.name if d is not None else None)
    return {
        "agency_id": identity.id if identity is not None else None,
        "province": name(place.province) if place else None,
        "city": name(place.prefecture) if place else None,
        "county": name(place.county) if place else None,
        "adcode": place.adcode if place else None,
        "place_status": place.status if place else None,
    }


def agency_of(report: Report) -> dict | None:
    """What the agencies table learns from one report (plain data: it crosses processes)."""
    identity = report.identity
    if identity is None or identity.id is None:  # unknown is nobody: no agencies row
        return None
    place = _place_columns(report)
    return {
        "id": identity.id, "name": identity.name, "function": identity.function,
        "kind": identity.kind, "sector": identity.sector, "level": identity.level,
        "province": place["province"], "city": place["city"], "county": place["county"],
        "adcode": place["adcode"], "place_status": place["place_status"],
        "override_note": identity.override_note, "name_as_written": identity.name_as_written,
        "year": report.year}


def _division_rows() -> list[dict]:
    data = divisions()
    rows = []
    for d in data.by_code.values():
        chain = data.chain(d)
        rows.append({
            "code": d.code, "name": d.name, "level": d.level, "type": d.type or None,
            "parent": d.parent or None,
            "province": chain["province"].name if "province" in chain else None,
            "prefecture": chain["prefecture"].name if "prefecture" in chain else None,
            "longitude": d.lon, "latitude": d.lat, "listed_until": d.listed_until,
            "successor": d.successor})
    return sorted(rows, key=lambda r: r["code"])


# Parse issues that mean part of a table of the form could not be read: a table not found, a row
# or cell that could not be placed (its text is kept in cells, no number stored).
def _unreadable(report: Report) -> bool:
    return any(i.table is not None and ISSUE_CODES[i.code].severity == "error"
               for i in report.issues if i.code in ISSUE_CODES)


def report_status(report: Report) -> str:
    """What the parser alone says of a report: ``prose_only`` (no table of the national format),
    ``unreadable`` (tables of the form, part of which could not be read), ``issues`` (other
    parse issues noted) or ``ok``. The build's summary line counts these; the stored ``status``
    adds what the checks found (``stored_status``)."""
    if not report.values:  # no table of the national format: before 2019, or free-form
        return "prose_only"
    if _unreadable(report):
        return "unreadable"
    return "issues" if report.issues else "ok"


def stored_status(parsed: str, errors: int, warnings: int) -> str:
    """The ``status`` column: ``prose_only``, ``unreadable``, ``errors`` (a failed check of
    severity error), ``warnings`` (failed checks, none an error) or ``ok`` (every check passed).
    The build sets it again once the checks across years are in (summaries.STATUS)."""
    if parsed in ("prose_only", "unreadable"):
        return parsed
    return "errors" if errors else "warnings" if warnings else "ok"


def report_to_rows(report: Report) -> dict[str, list[dict]]:
    """The rows one report adds to each table (pure: no database involved)."""
    rid = report.id
    source = report.source
    place = _place_columns(report)
    rows: dict[str, list[dict]] = {
        "reports": [{
            "id": rid, "agency": report.agency, **_place_columns(report),
            "year": report.year, "template": report.template,
            "title": report.title, "published_on": report.published_on,
            "status": report_status(report), "parse_issue_count": len(report.issues),
            "source_file": source.name, "source_sha256": source.sha256,
            "source_format": report.document.format, "source_bytes": len(source.data),
            "encoding": report.document.encoding, "layout": report.document.layout,
        }],
        "applications": [], "review_litigation": [], "active_disclosure": [], "cells": [],
        "parse_issues": [], "sections": [], "validation_failures": [],
    }
    rows_by_key = {k.key: (i, k) for i, k in enumerate(T.APPLICATION_ROWS, 1)}
    applications: dict[str, dict] = {}
    review: dict | None = None
    items = T.by_key(T.DISCLOSURE_ITEMS)
    metrics = T.by_key(T.DISCLOSURE_METRICS)
    for v in report.values:
        rows["cells"].append({
            "report_id": rid, "table_name": v.table, "row_key": v.row_key,
            "column_key": v.column_key, "value": v.value, "raw_text": v.raw,
            "source_line": v.line, "source_line_end": v.line_end, "grid": v.grid,
            "grid_row": v.grid_row, "grid_col": v.grid_col,
        })
        if v.table == "applications":
            if v.row_key not in applications:
                position, key = rows_by_key[v.row_key]
                applications[v.row_key] = {
                    "report_id": rid, "row_key": v.row_key, "position": position,
                    "label_zh": key.label_zh, "label_en": key.label_en,
                    **{c: None for c in T.APPLICANT_KEYS}}
            applications[v.row_key][v.column_key] = v.value
        elif v.table == "review_litigation":
            if review is None:
                review = {"report_id": rid, **{c: None for c in T.REVIEW_KEYS}}
            review[v.column_key] = v.value
        elif v.table == "active_disclosure":
            item, metric = items[v.row_key], metrics[v.column_key]
            rows["active_disclosure"].append({
                "report_id": rid, "item_key": item.key, "metric_key": metric.key,
                "item_label_zh": (item.label_zh_2021 if report.template == "2021"
                                  and item.label_zh_2021 else item.label_zh),
                "item_label_en": item.label_en, "metric_label_zh": metric.label_zh,
                "metric_label_en": metric.label_en, "value": v.value,
            })
    rows["applications"] = sorted(applications.values(), key=lambda r: r["position"])
    rows["review_litigation"] = [review] if review else []
    for issue in report.issues:
        rows["parse_issues"].append({
            "report_id": rid, "code": issue.code, "severity": ISSUE_CODES[issue.code].severity,
            "table_name": issue.table, "row_key": issue.row_key, "column_key": issue.column_key,
            "raw_text": issue.raw, "source_line": issue.line, "message": issue.message,
        })
    for f in checks.check_report(report):
        rows["validation_failures"].append({
            "report_id": rid, "rule": f.rule, "severity": f.severity, "table_name": f.table,
            "row_key": f.row_key, "column_key": f.column_key, "expected": f.expected,
            "actual": f.actual, "message": f.message, "message_zh": f.message_zh,
            "cells": ",".join(f"{r}/{c}" for r, c in f.cells) or None,
            "agency": report.agency, "year": report.year, "template": report.template,
            "province": place["province"], "city": place["city"],
        })
    failures = rows["validation_failures"]
    rows["reports"][0]["status"] = stored_status(
        rows["reports"][0]["status"], sum(f["severity"] == "error" for f in failures),
        sum(f["severity"] == "warning" for f in failures))
    for s in report.sections:
        rows["sections"].append({
            "report_id": rid, "section_no": s.number, "section_key": s.key, "heading": s.heading,
            "body": s.body, "source_line": s.line, "source_line_end": s.line_end,
        })
    return rows


# Reports written per transaction. Each report is also a savepoint of its own, so one report the
# database refuses is undone alone; committing in batches is what makes a large build fast.
BATCH_REPORTS = 500
REPORT_TABLES = ("reports", "applications", "review_litigation", "active_disclosure", "cells",
                 "parse_issues", "sections", "validation_failures")


@lru_cache(maxsize=1)
def table_columns() -> dict[str, tuple[str, ...]]:
    """The columns of each table a report writes to, in schema order (read from SCHEMA itself)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(SCHEMA)
        return {table: tuple(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))
                for table in REPORT_TABLES + ("load_errors",)}
    finally:
        conn.close()


def as_tuples(tables: dict[str, list[dict]]) -> dict[str, list[tuple]]:
    """Rows as tuples in the tables' column order: what the writer inserts, and what crosses from
    a worker process (smaller to send than dicts)."""
    columns = table_columns()
    return {table: [tuple(row.get(c) for c in columns[table]) for row in rows]
            for table, rows in tables.items() if rows}


class Store:
    """A database being built. Use as a context manager; the file appears at ``path`` only when
    the ``with`` block ends without an exception."""

    def __init__(self, path: str | Path, overrides: list[dict] = ()):
        self.path = Path(path)
        self.tmp = self.path.with_name(f"{self.path.name}.building-{os.getpid()}")
        self.db: sqlite_utils.Database | None = None
        self.report_ids: set[str] = set()
        self.overrides = list(overrides)
        self.agencies: dict[str, dict] = {}
        self._inserts: dict[str, str] = {}
        self._pending = 0  # reports written since the last commit
        self.timings: dict[str, float] = {}  # seconds of each step after the last report
        self.write_seconds = 0.0  # spent inserting the reports' rows

    def _remove_stale(self) -> None:
        """Temporary files of builds that were killed (their process is gone)."""
        prefix = f"{self.path.name}.building-"
        for stale in self.path.parent.glob(prefix + "*"):  # the file and its -journal
            pid = stale.name[len(prefix):].split("-")[0]
            if not pid.isdigit():
                continue
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                stale.unlink(missing_ok=True)
            except PermissionError:
                pass  # another user's live process

    def __enter__(self) -> "Store":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._remove_stale()
        self.tmp.unlink(missing_ok=True)
        self.db = sqlite_utils.Database(self.tmp)
        conn = self.db.conn
        # The file being built is renamed over the target only when complete, so a crash loses
        # nothing that matters: no fsync and a bigger page cache. The rollback journal (needed
        # by the per-report savepoints) stays a file: kept in memory it held a copy of every page
        # a batch touched, hundreds of MB at 100,000 reports.
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA journal_mode = TRUNCATE")
        conn.execute("PRAGMA cache_size = -65536")
        conn.executescript(SCHEMA)
        for table, rows in _reference_rows().items():
            self.db[table].insert_all(rows)
        self.db["divisions"].insert_all(_division_rows())
        self.db["agency_overrides"].insert_all(
            [{"id": i, **row} for i, row in enumerate(self.overrides, 1)])
        for table, columns in table_columns().items():
            self._inserts[table] = (f"INSERT INTO {table} ({', '.join(columns)}) "
                                    f"VALUES ({', '.join('?' * len(columns))})")
        conn.commit()
        conn.isolation_level = None  # transactions are begun and ended here, explicitly
        conn.execute("BEGIN")
        return self

    def add_rows(self, tables: dict[str, list[tuple]], agency: dict | None = None) -> bool:
        """Write the rows of one report (``as_tuples(report_to_rows(report))``): all of them or
        none. False, and nothing written, if a report with the same id was written already."""
        rid = tables["reports"][0][0]
        if rid in self.report_ids:
            return False
        started = time.perf_counter()
        conn = self.db.conn
        conn.execute("SAVEPOINT report")
        try:
            for table in REPORT_TABLES:
                if tables.get(table):
                    conn.executemany(self._inserts[table], tables[table])
        except BaseException:
            conn.execute("ROLLBACK TO report")
            conn.execute("RELEASE report")
            raise
        conn.execute("RELEASE report")
        self.report_ids.add(rid)
        self._count_agency(agency)
        self._pending += 1
        if self._pending >= BATCH_REPORTS:
            self.commit()
        self.write_seconds += time.perf_counter() - started
        return True

    def commit(self) -> None:
        self.db.conn.execute("COMMIT")
        self.db.conn.execute("BEGIN")
        self._pending = 0

    def _count_agency(self, facts: dict | None) -> None:
        if facts is None:
            return
        row = self.agencies.get(facts["id"])
        if row is None:
            row = self.agencies[facts["id"]] = {
                **{k: v for k, v in facts.items() if k not in ("name_as_written", "year")},
                "names_seen": set(), "reports": 0, "first_year": None, "last_year": None}
        row["reports"] += 1
        if facts["name_as_written"]:
            row["names_seen"].add(facts["name_as_written"])
        if facts["year"] is not None:
            row["first_year"] = min(filter(None, (row["first_year"], facts["year"])))
            row["last_year"] = max(filter(None, (row["last_year"], facts["year"])))

    def add_error(self, source_file: str, sha256: str | None, stage: str, error_type: str,
                  message: str) -> None:
        self.db.conn.execute(self._inserts["load_errors"], as_tuples({"load_errors": [{
            "source_file": source_file, "source_sha256": sha256, "stage": stage,
            "error_type": error_type, "message": message}]})["load_errors"][0])

    def _finish_checks(self) -> None:
        """Run the rules that compare reports across years, then count failures per report and
        per rule, so that no page has to count them at request time."""
        with self.db.conn:
            for sql in checks.corpus_statements():
                self.db.execute(sql)
            self.db.execute("""
                UPDATE validation_failures SET agency = r.agency, year = r.year,
                  template = r.template, province = r.province, city = r.city
                FROM reports r WHERE r.id = validation_failures.report_id
                  AND validation_failures.year IS NULL AND validation_failures.agency IS NULL""")
            self.db.execute("""
                UPDATE reports SET
                  check_errors = coalesce((SELECT count(*) FROM validation_failures f
                    WHERE f.report_id = reports.id AND f.severity = 'error'), 0),
                  check_warnings = coalesce((SELECT count(*) FROM validation_failures f
                    WHERE f.report_id = reports.id AND f.severity = 'warning'), 0)""")
            self.db.execute("""
                UPDATE validation_rules SET
                  failures = (SELECT count(*) FROM validation_failures f
                    WHERE f.rule = validation_rules.code),
                  reports_failing = (SELECT count(DISTINCT report_id) FROM validation_failures f
                    WHERE f.rule = validation_rules.code)""")

    def _index(self) -> None:
        self.db.conn.executescript(INDEXES)

    def _write_agencies(self) -> None:
        self.db["agencies"].insert_all(
            [{**row, "names_seen": " · ".join(sorted(row["names_seen"]))}
             for _, row in sorted(self.agencies.items())])

    def _analyze(self) -> None:
        self.db["build_info"].insert_all([
            {"key": "software_version", "value": __version__},
            {"key": "reports", "value": str(len(self.report_ids))},
        ])
        self.db.execute("ANALYZE")
        self.db.conn.commit()

    def _summarize(self) -> None:
        summaries.write(self.db.conn)

    def _index_prose(self) -> None:
        summaries.index_reports(self.db.conn)
        with self.db.conn:
            self.db.execute("""
                WITH o AS (SELECT s.rowid AS section, row_number() OVER (
                    ORDER BY r.year DESC, r.agency, s.report_id, s.section_no) AS n
                  FROM sections s JOIN reports r ON r.id = s.report_id)
                UPDATE sections SET search_order = o.n FROM o WHERE o.section = sections.rowid""")
            self.db.execute("CREATE UNIQUE INDEX idx_sections_search_order "
                            "ON sections(search_order)")
            self.db.execute("""INSERT INTO sections_fts (rowid, heading, body)
                               SELECT search_order, ogi_segment(heading), ogi_segment(body)
                               FROM sections ORDER BY search_order""")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.db.close()
            self.tmp.unlink(missing_ok=True)
            self.tmp.with_name(self.tmp.name + "-journal").unlink(missing_ok=True)
            return
        self.db.conn.execute("COMMIT")
        self.db.conn.isolation_level = ""  # back to the module's own transactions
        steps = (("indexes", self._index), ("agencies", self._write_agencies),
                 ("checks", self._finish_checks),
                 ("summaries", self._summarize), ("search_index", self._index_prose),
                 ("analyze", self._analyze))
        for name, step in steps:
            started = time.perf_counter()
            step()
            self.timings[name] = round(time.perf_counter() - started, 3)
        self.db.execute("PRAGMA journal_mode = DELETE")  # removes the (truncated) journal file
        self.db.close()
        os.replace(self.tmp, self.path)
