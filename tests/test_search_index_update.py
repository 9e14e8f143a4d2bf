"""The reports' search index brought up to date row by row (``search_index.unindex_reports``,
then ``add(..., reindex=...)``) when an agency's row changes: the same index as one made again
whole from the new rows (same rows, tokens, matches and bm25 ranks). The sections' index made
with worker processes segmenting the prose (in Python: segmenting in C needs none): the same
index as one process makes (a build writes it in a process of its own: test_sections_apart.py)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from loaders.derived import search_index
from loaders.derived.summaries import register_functions

ROOT = Path(__file__).resolve().parent.parent
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


def _shadow_tables(conn: sqlite3.Connection) -> dict:
    return {table: list(conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"))
            for table in ("sections_fts_data", "sections_fts_idx", "sections_fts_docsize",
                          "sections_fts_config")}


def test_sections_segmented_by_workers_make_the_same_index(copies, monkeypatch):
    """``write_sections`` with worker processes segmenting (a large build's way where segmenting
    runs in Python) writes the index that SQLite's own row-by-row segmenting writes (in C where
    built): the same rows of every FTS5 table."""
    parallel, serial = copies
    count = parallel.execute("SELECT count(*) FROM sections").fetchone()[0]
    assert count > 20
    search_index.write_sections(serial, jobs=1)
    monkeypatch.setenv("OGI_PURE_PYTHON", "1")  # (the workers are spawned: they inherit it)
    monkeypatch.setattr(search_index, "PARALLEL_FROM_SECTIONS", count)
    monkeypatch.setattr(search_index, "SECTIONS_PER_TASK", 7)  # many tasks, a short last one
    calls = []
    real = search_index._index_sections_in_parallel
    monkeypatch.setattr(search_index, "_index_sections_in_parallel",
                        lambda conn, processes: calls.append(processes) or real(conn, processes))
    search_index.write_sections(parallel, jobs=3)
    assert calls == [2]
    expected = _shadow_tables(serial)
    assert len(expected["sections_fts_docsize"]) == count
    assert _shadow_tables(parallel) == expected
    hits = "SELECT rowid FROM sections_fts WHERE sections_fts MATCH ? ORDER BY rowid"
    assert list(parallel.execute(hits, ['"申请"'])) == list(serial.execute(hits, ['"申请"'])) != []


def test_a_small_index_is_segmented_in_this_process(copies, monkeypatch):
    conn = copies[0]
    monkeypatch.setattr(search_index, "_index_sections_in_parallel",
                        lambda *args: pytest.fail("workers started for a few sections"))
    search_index.write_sections(conn, jobs=2)  # fewer sections than PARALLEL_FROM_SECTIONS
    assert conn.execute("SELECT count(*) FROM sections_fts_docsize").fetchone()[0] == \
        conn.execute("SELECT count(*) FROM sections").fetchone()[0]


def test_one_process_allowed_segments_in_this_process(copies, monkeypatch):
    conn = copies[0]
    monkeypatch.setattr(search_index, "PARALLEL_FROM_SECTIONS", 1)
    monkeypatch.setattr(search_index, "_index_sections_in_parallel",
                        lambda *args: pytest.fail("workers started with jobs=1"))
    search_index.write_sections(conn, jobs=1)
    assert conn.execute("SELECT count(*) FROM sections_fts_docsize").fetchone()[0] == \
        conn.execute("SELECT count(*) FROM sections").fetchone()[0]


def _merge_settings(conn: sqlite3.Connection, index: str) -> tuple:
    config = dict(conn.execute(f"SELECT k, v FROM {index}_config"))
    return config.get("automerge"), config.get("crisismerge")


def test_the_index_is_written_unmerged_and_merged_once(copies):
    """A whole index is written with FTS5's merging off and merged into one segment at the end
    (``BULK_MERGE``), then FTS5's own settings are back for the updates; searches find what an
    index written with FTS5's settings throughout finds, in the same order and rank."""
    built, default = copies
    small = "INSERT INTO sections_fts (sections_fts, rank) VALUES ('hashsize', 4096)"
    built.execute(small)  # pending tokens written out every 4 KB: many segments to merge
    statements = []
    built.set_trace_callback(statements.append)
    search_index.write_sections(built)
    built.set_trace_callback(None)
    order = [next(i for i, sql in enumerate(statements) if want in sql) for want in (
        "VALUES ('automerge', 0)", "INSERT INTO sections_fts (rowid, heading, body)",
        "VALUES ('optimize')", "VALUES ('automerge', 4)")]
    assert order == sorted(order), "merging off while the sections are written, then back"
    assert _merge_settings(built, "sections_fts") == (4, 16)
    assert built.execute("SELECT count(DISTINCT segid) FROM sections_fts_idx").fetchone()[0] == 1
    register_functions(default)
    with default:
        default.execute("INSERT INTO sections_fts (sections_fts) VALUES ('delete-all')")
        default.execute(small)
        default.execute(search_index.INDEX_SECTIONS)  # merged as FTS5 goes
    assert default.execute(
        "SELECT count(DISTINCT segid) FROM sections_fts_idx").fetchone()[0] > 1
    search = ("SELECT rowid, rank FROM sections_fts WHERE sections_fts MATCH ? "
              "ORDER BY rowid")
    found = 0
    for words in ('"申请"', '"政府 府信"', '"复议"', '"2023"', '"公开"*'):
        rows = list(built.execute(search, [words]))
        assert rows == list(default.execute(search, [words]))
        found += len(rows)
    assert found > 50


def test_the_reports_index_is_written_the_same_way(copies):
    conn = copies[0]
    register_functions(conn)
    conn.execute("INSERT INTO reports_fts (reports_fts, rank) VALUES ('hashsize', 1024)")
    with conn:
        conn.execute("INSERT INTO reports_fts (reports_fts) VALUES ('delete-all')")
        search_index.index_all_reports(conn)
    assert _merge_settings(conn, "reports_fts") == (4, 16)
    assert conn.execute("SELECT count(DISTINCT segid) FROM reports_fts_idx").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM reports_fts_docsize").fetchone()[0] == \
        conn.execute("SELECT count(*) FROM reports").fetchone()[0]


def test_an_index_keeps_its_own_merge_settings_even_when_writing_fails(copies):
    """Settings given to the index before (here automerge 8) are what it has after; and they
    are set back even if the writing raised, before the caller's transaction is undone."""
    conn = copies[0]
    conn.execute("INSERT INTO sections_fts (sections_fts, rank) VALUES ('automerge', 8)")
    conn.commit()
    search_index.write_sections(conn)
    assert _merge_settings(conn, "sections_fts") == (8, 16)

    def failing():
        raise RuntimeError("the disk is full")

    conn.execute("BEGIN")
    with pytest.raises(RuntimeError):
        search_index._written_whole(conn, "sections_fts", failing)
    assert _merge_settings(conn, "sections_fts") == (8, 16)
    conn.rollback()


def test_numbering_again_after_a_failed_attempt(copies, monkeypatch):
    """A numbering that failed may leave its temporary table (created outside a transaction, it
    is committed at once, and the drop is rolled back with the rest): the next one on the same
    connection numbers the sections as a first one does."""
    conn, whole = copies
    search_index.write_sections(whole)
    expected = sorted(whole.execute("SELECT rowid, search_order FROM sections"))
    calls = []

    def failing(conn_, jobs=1):
        calls.append(conn_)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(search_index, "index_all_sections", failing)
    conn.execute("CREATE TEMP TABLE ogi_search_order (section INTEGER PRIMARY KEY, n INTEGER)")
    conn.commit()  # as a failed first attempt leaves it
    with pytest.raises(RuntimeError):
        search_index.write_sections(conn)
    monkeypatch.undo()
    search_index.write_sections(conn)
    assert calls and sorted(conn.execute("SELECT rowid, search_order FROM sections")) == expected
    assert conn.execute("SELECT count(*) FROM temp.sqlite_master "
                        "WHERE name = 'ogi_search_order'").fetchone()[0] == 0
