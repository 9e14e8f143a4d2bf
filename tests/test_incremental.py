"""Incremental builds: a previous database brought up to date holds the same rows as a build from
scratch of the same files; nothing changed leaves it untouched; a new loader version rebuilds
from scratch."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPORTS
from factory import write_report
from loaders.build import build
from loaders.cli import cli
from loaders.derived.summaries import register_functions
from loaders.store import schema

# Numbered in order of insertion: arbitrary, documented as such (loaders/store/update.py).
ARBITRARY_IDS = {"parse_issues", "failures", "validation_failures", "check_errors", "load_errors"}
# Keyed by the report's rowid (arbitrary): compared through their views (cells, applications,
# active_disclosure), which give the report's id.
BY_REPORT_ROWID = set(schema.BY_REPORT_ROWID)


def content(db: Path) -> dict[str, list]:
    """Every table and view as a sorted list of rows, ignoring rowids and the arbitrary ids;
    sections with their rank in search order rather than its number (an update numbers a new
    section between its neighbours); the full-text indexes by (report, section) and their
    matches."""
    conn = sqlite3.connect(db)
    register_functions(conn)
    try:
        tables = [t for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'")]
        out = {}
        for table in tables:
            if table in BY_REPORT_ROWID:
                continue
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            if table in ARBITRARY_IDS:
                columns.remove("id")
            if table == "sections":
                columns = [c if c != "search_order" else
                           "row_number() OVER (ORDER BY search_order)" for c in columns]
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        section = ("SELECT s.report_id, s.section_no, {} FROM sections_fts{} f "
                   "JOIN sections s ON s.search_order = f.{}")
        out["sections_fts"] = sorted(conn.execute(section.format("f.sz", "_docsize", "id")))
        out["sections_fts_match"] = sorted(conn.execute(
            section.format("f.rank", "", "rowid") + " WHERE sections_fts MATCH '\"复议\"'"))
        out["reports_fts"] = sorted(conn.execute(
            "SELECT r.id, d.sz FROM reports_fts_docsize d JOIN reports r ON r.rowid = d.id"))
        # With their bm25 rank: the index's statistics (rows, tokens) are those of a full build.
        out["reports_fts_match"] = sorted(conn.execute(
            "SELECT r.id, f.rank FROM reports_fts f JOIN reports r ON r.rowid = f.rowid "
            "WHERE reports_fts MATCH '\"测试\" OR \"pingtan\" OR \"卫生\"'"))
        return out
    finally:
        conn.close()


def assert_same(a: Path, b: Path) -> None:
    left, right = content(a), content(b)
    assert left.keys() == right.keys()
    for table in left:
        assert left[table] == right[table], table


def agency_years(folder: Path, agency: str, years: dict[int, tuple[int, int]]) -> None:
    """One agency's reports across years: ``years[N]`` is (carried_over, carried_forward) of
    year N, whose sum is new_received (so each report adds up), so that carry_over_continuity
    fails where a year's carried_over is not the year before's carried_forward."""
    for year, (over, forward) in years.items():
        write_report(folder, f"x_{year}.txt", agency=agency, year=year, applications={
            "new_received": [forward, 0, 0, 0, 0, 0, forward],
            "carried_over": [over, 0, 0, 0, 0, 0, over],
            "total": [over, 0, 0, 0, 0, 0, over],
            "carried_forward": [forward, 0, 0, 0, 0, 0, forward]})


@pytest.fixture()
def folder(tmp_path) -> Path:
    reports = tmp_path / "reports"
    shutil.copytree(REPORTS, reports)
    agency_years(reports, "测试县卫生健康局", {2020: (0, 0), 2021: (3, 0), 2022: (0, 0)})
    return reports


def run(*args) -> str:
    result = CliRunner().invoke(cli, ["build", *map(str, args), "--silent"])
    assert result.exit_code == 0, result.output
    return result.output


def test_files_added_changed_and_removed_give_the_rows_of_a_build_from_scratch(folder, tmp_path):
    db, cache = tmp_path / "ogi.db", tmp_path / "cache"
    run(folder, "--db", db, "--cache", cache)
    # added: the agency's 2023 (continuity with 2022 checked), a copy of a report under a name
    # that comes first (it is the one loaded now), a bad file; changed: 2020, which now carries
    # forward what 2021 (unchanged) carried over, so that 2021's failure goes; removed: one of
    # the real reports.
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT r.year FROM validation_failures f JOIN reports r "
                        "ON r.id = f.report_id WHERE f.rule = 'carry_over_continuity' "
                        "GROUP BY r.year").fetchall() == [(2021,)]
    conn.close()
    agency_years(folder, "测试县卫生健康局", {2020: (0, 3), 2023: (5, 0)})
    shutil.copy(folder / "001_53e0ee0f0d02d1f7.txt", folder / "0000_copy.txt")
    (folder / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "shanghai_kewei_2024.md").unlink()
    before = content(db)
    output = run(folder, "--db", db, "--cache", cache)
    assert "updated: 3 added, 1 changed, 1 removed" in output
    assert content(db) != before
    scratch = tmp_path / "scratch.db"
    run(folder, "--db", scratch, "--from-scratch")
    assert_same(db, scratch)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT source_file FROM reports WHERE source_file IN "
                        "('0000_copy.txt', '001_53e0ee0f0d02d1f7.txt')").fetchall() \
        == [("0000_copy.txt",)]
    carry = conn.execute("SELECT r.year FROM validation_failures f JOIN reports r "
                         "ON r.id = f.report_id WHERE f.rule = 'carry_over_continuity' "
                         "GROUP BY r.year").fetchall()
    assert carry == [(2023,)]
    # Removing the copy again makes the original the one loaded.
    (folder / "0000_copy.txt").unlink()
    run(folder, "--db", db, "--cache", cache)
    run(folder, "--db", scratch, "--from-scratch")
    assert_same(db, scratch)


def test_nothing_changed_leaves_the_database_untouched(folder, tmp_path):
    db = tmp_path / "ogi.db"
    run(folder, "--db", db)
    stat = db.stat()
    os.utime(folder / "x_2020.txt")  # touched, same bytes: re-hashed, unchanged
    output = run(folder, "--db", db)
    assert f"nothing changed: {db} is up to date" in output
    assert db.stat().st_mtime_ns == stat.st_mtime_ns and db.stat().st_ino == stat.st_ino


def test_a_new_loader_version_rebuilds_from_scratch(folder, tmp_path):
    db = tmp_path / "ogi.db"
    run(folder, "--db", db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE build_info SET value = 'old' WHERE key = 'loader_version'")
    conn.close()
    output = run(folder, "--db", db)
    assert "the loader changed (version old ->" in output and "built from scratch" in output
    scratch = tmp_path / "scratch.db"
    run(folder, "--db", scratch, "--from-scratch")
    assert_same(db, scratch)


def test_from_scratch_rebuilds_even_when_nothing_changed(folder, tmp_path):
    db = tmp_path / "ogi.db"
    run(folder, "--db", db)
    inode = db.stat().st_ino
    output = run(folder, "--db", db, "--from-scratch")
    assert "nothing changed" not in output and db.stat().st_ino != inode


def test_an_agencies_csv_change_rebuilds_with_the_corrections(folder, tmp_path):
    db, cache = tmp_path / "ogi.db", tmp_path / "cache"
    overrides = tmp_path / "agencies.csv"
    overrides.write_text("agency,year,name,adcode,kind,sector,level,note\n", encoding="utf-8")
    run(folder, "--db", db, "--cache", cache, "--overrides", overrides)
    overrides.write_text("agency,year,name,adcode,kind,sector,level,note\n"
                         "测试县卫生健康局,,,330212,,,,test\n", encoding="utf-8")
    output = run(folder, "--db", db, "--cache", cache, "--overrides", overrides)
    assert "agencies.csv changed" in output
    scratch = tmp_path / "scratch.db"
    run(folder, "--db", scratch, "--from-scratch", "--overrides", overrides)
    assert_same(db, scratch)
    conn = sqlite3.connect(db)
    assert {r for (r,) in conn.execute("SELECT place_status FROM reports WHERE agency = ?",
                                       ("测试县卫生健康局",))} == {"override"}


def test_two_folders_with_a_file_of_the_same_name(tmp_path):
    """``ogi build 2021 2022``, each with an ``x.txt``: both are loaded under names of their
    own, and a change to the first is found by the next build (with one name for both, the
    second's stat stood for the first's, and the change was missed)."""
    a, b = tmp_path / "2021", tmp_path / "2022"
    write_report(a, "x.txt", agency="甲县卫生健康局", year=2021)
    write_report(b, "x.txt", agency="乙县卫生健康局", year=2022)
    db = tmp_path / "ogi.db"
    run(a, b, "--db", db)
    conn = sqlite3.connect(db)
    assert sorted(conn.execute("SELECT source_file, year FROM reports")) == \
        [((b / "x.txt").as_posix(), 2022), ("x.txt", 2021)]
    conn.close()
    write_report(a, "x.txt", agency="甲县卫生健康局", year=2020)
    output = run(a, b, "--db", db)
    assert "updated: 0 added, 1 changed, 0 removed" in output
    scratch = tmp_path / "scratch.db"
    run(a, b, "--db", scratch, "--from-scratch")
    assert_same(db, scratch)
    conn = sqlite3.connect(db)
    assert sorted(conn.execute("SELECT year FROM reports")) == [(2020,), (2022,)]
    conn.close()


def test_strict_fails_while_a_load_error_stands_even_when_nothing_changed(folder, tmp_path):
    db = tmp_path / "ogi.db"
    (folder / "empty.txt").write_bytes(b"")
    for _ in range(2):  # the build, then nothing changed: the load error is still there
        result = CliRunner().invoke(cli, ["build", str(folder), "--db", str(db), "--silent",
                                          "--strict"])
        assert result.exit_code == 1, result.output
        assert " · 1 failed" in result.output
    assert "nothing changed" in result.output


def test_a_file_that_could_not_be_read_is_read_again_once_it_can(folder, tmp_path, monkeypatch):
    """chmod 000, then 644: neither changes the file's size or mtime."""
    from loaders.model import Source

    db = tmp_path / "ogi.db"
    from_path = Source.from_path.__func__

    def refused(cls, path):
        if Path(path).name == "x_2021.txt":
            raise PermissionError(13, "Permission denied")
        return from_path(cls, path)

    import loaders.build

    sha256 = loaders.build.file_sha256

    def unhashed(path):
        if Path(path).name == "x_2021.txt":
            raise PermissionError(13, "Permission denied")
        return sha256(path)

    monkeypatch.setattr(Source, "from_path", classmethod(refused))
    monkeypatch.setattr(loaders.build, "file_sha256", unhashed)
    run(folder, "--db", db, "-j", "1")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT stage FROM load_errors WHERE source_file = 'x_2021.txt'")\
        .fetchall() == [("open",)]
    conn.close()
    monkeypatch.undo()
    output = run(folder, "--db", db, "-j", "1")
    assert "nothing changed" not in output
    scratch = tmp_path / "scratch.db"
    run(folder, "--db", scratch, "--from-scratch")
    assert_same(db, scratch)
