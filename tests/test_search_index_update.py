"""The reports' search index brought up to date row by row (``search_index.unindex_reports``,
then ``add(..., reindex=...)``) when an agency's row changes: the same index as one made again
whole from the new rows (same rows, tokens, matches and bm25 ranks)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from loaders.derived import search_index
from loaders.derived.summaries import register_functions

NEW_SECTOR = "海洋渔业测试"


def _index(conn: sqlite3.Connection, old_sector: str) -> dict:
    words = (f'"{NEW_SECTOR[:2]}"', f'"{old_sector[:2]}"', '"人民"', '"政府"')
    return {
        "docsize": sorted(conn.execute(
            "SELECT r.id, d.sz FROM reports_fts_docsize d JOIN reports r ON r.rowid = d.id")),
        **{word: sorted(conn.execute(
            "SELECT r.id, f.rank FROM reports_fts f JOIN reports r ON r.rowid = f.rowid "
            "WHERE reports_fts MATCH ?", [word])) for word in words}}


@pytest.fixture()
def copies(seeds_db, tmp_path):
    source = seeds_db.conn.execute("PRAGMA database_list").fetchone()[2]
    paths = tmp_path / "updated.db", tmp_path / "whole.db"
    for path in paths:
        shutil.copy(source, path)
    return [sqlite3.connect(p) for p in paths]


def test_an_agency_changed_its_reports_indexed_again_as_a_full_index(copies):
    updated, whole = copies
    agency, sector = updated.execute(
        "SELECT a.id, a.sector FROM agencies a JOIN reports r ON r.agency_id = a.id "
        "WHERE a.sector = '卫生健康' ORDER BY a.id LIMIT 1").fetchone()
    change = "UPDATE agencies SET sector = ?, sector_en = NULL WHERE id = ?"
    ids = search_index.reports_of_agencies(updated, {agency})
    assert ids
    with updated:
        search_index.unindex_reports(updated, ids)  # before the row changes
        updated.execute(change, [NEW_SECTOR, agency])
    search_index.add(updated, [], reindex=ids)
    register_functions(whole)
    with whole:
        whole.execute(change, [NEW_SECTOR, agency])
        whole.execute("INSERT INTO reports_fts (reports_fts) VALUES ('delete-all')")
        whole.execute(search_index.REPORTS_SEARCH)
    expected = _index(whole, sector)
    assert expected[f'"{NEW_SECTOR[:2]}"'], "the new sector is found"
    assert _index(updated, sector) == expected


def test_reports_of_agencies_leaves_out_the_excluded(copies):
    conn = copies[0]
    agencies = {a for (a,) in conn.execute("SELECT DISTINCT agency_id FROM reports "
                                           "WHERE agency_id IS NOT NULL LIMIT 2")}
    ids = search_index.reports_of_agencies(conn, agencies)
    assert len(ids) >= 2
    assert search_index.reports_of_agencies(conn, agencies, exclude=ids[:1]) == ids[1:]
