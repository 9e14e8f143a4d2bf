"""The full-text indexes of the site's search, written once the reports, their agencies and
their English names are in: reports by agency, title, place and sector; sections by heading and
body, in the order search lists them (the latest year first). Text is cut into pairs of
characters by ``search.segment``."""

from __future__ import annotations

import sqlite_utils

from .summaries import register_functions

REPORTS_SEARCH = """INSERT INTO reports_fts (rowid, agency, title, place, sector)
  SELECT r.rowid,
    ogi_segment(coalesce(r.agency, '') || ' ' || coalesce(a.name, '')),
    ogi_segment(r.title),
    ogi_segment(coalesce(r.province, '') || ' ' || coalesce(r.city, '') || ' '
                || coalesce(r.county, '') || ' ' || coalesce(r.place_en, '')),
    ogi_segment(coalesce(a.sector, '') || ' ' || coalesce(a.sector_en, '') || ' '
                || coalesce(a.kind, ''))
  FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id ORDER BY r.rowid"""


def write(db: sqlite_utils.Database) -> None:
    """Both indexes (after ``summaries.write``: the reports' index reads the English names)."""
    conn = db.conn
    register_functions(conn)
    with conn:
        conn.execute(REPORTS_SEARCH)
    with conn:  # db.execute commits each statement that opened a transaction, as builds always have
        db.execute("""
            WITH o AS (SELECT s.rowid AS section, row_number() OVER (
                ORDER BY r.year DESC, r.agency, s.report_id, s.section_no) AS n
              FROM sections s JOIN reports r ON r.id = s.report_id)
            UPDATE sections SET search_order = o.n FROM o WHERE o.section = sections.rowid""")
        db.execute("CREATE UNIQUE INDEX idx_sections_search_order ON sections(search_order)")
        db.execute("""INSERT INTO sections_fts (rowid, heading, body)
                        SELECT search_order, ogi_segment(heading), ogi_segment(body)
                        FROM sections ORDER BY search_order""")
