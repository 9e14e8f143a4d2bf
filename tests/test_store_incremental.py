"""Taking reports out of a built database and putting them in again, as an incremental build
does: ``store.schema.delete_reports`` leaves nothing of them, and the search indexes
(``derived.search_index.remove``/``add``) give the results of a full build of the same reports."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from conftest import REPORTS
from loaders.build import build
from loaders.derived import search_index
from loaders.derived.search import fts_query
from loaders.store.schema import BY_REPORT_ROWID, REPORT_TABLES, delete_reports

# Reports taken out and put back: two of one place and year (平潭 2021), and a seed.
TAKEN = ("pingtan_jjfzj_2021_space_cells.txt", "pingtan_scjgj_2021_crawler_text.txt",
         "003_ebe99ea40a3f8069.txt")
WORDS = ("疫情", "申请", "复议", "公开", "鄞州", "平潭", "年", "税", "政府信息公开", "2020", "nothing在")
REPORT_WORDS = ("浙江", "Zhejiang", "卫生", "平潭", "财政", "人民政府", "Pingtan")


def _results(conn: sqlite3.Connection) -> dict:
    found = {}
    for word in WORDS:
        found["prose", word] = conn.execute(
            "SELECT s.report_id, s.section_no FROM sections_fts f "
            "JOIN sections s ON s.search_order = f.rowid WHERE sections_fts MATCH ? "
            "ORDER BY f.rowid", [fts_query(word)]).fetchall()
    for word in REPORT_WORDS:
        found["reports", word] = conn.execute(
            "SELECT r.id FROM reports_fts f JOIN reports r ON r.rowid = f.rowid "
            "WHERE reports_fts MATCH ? ORDER BY r.id", [fts_query(word)]).fetchall()
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The database of reports/, and the one of reports/ without TAKEN."""
    folder = tmp_path_factory.mktemp("incremental")
    fewer = folder / "fewer"
    shutil.copytree(REPORTS, fewer)
    for name in TAKEN:
        (fewer / name).unlink()
    build([REPORTS], folder / "all.db")
    build([fewer], folder / "fewer.db")
    return folder


def _ids(conn, names=TAKEN) -> list[str]:
    marks = ", ".join("?" * len(names))
    return [r[0] for r in conn.execute(
        f"SELECT id FROM reports WHERE source_file IN ({marks}) ORDER BY id", names)]


def test_taken_out_the_search_finds_what_a_build_without_them_finds(built, tmp_path):
    shutil.copy(built / "all.db", tmp_path / "ogi.db")
    conn = sqlite3.connect(tmp_path / "ogi.db")
    ids = _ids(conn)
    assert len(ids) == len(TAKEN)
    search_index.remove(conn, ids)
    with conn:
        delete_reports(conn, ids)
    fewer = sqlite3.connect(built / "fewer.db")
    assert _results(conn) == _results(fewer)
    assert any(_results(conn).values())
    marks = ", ".join("?" * len(ids))
    for table in REPORT_TABLES:
        if table in BY_REPORT_ROWID:  # keyed by the report's rowid: none left without its report
            assert conn.execute(f"SELECT count(*) FROM {table} WHERE report NOT IN "
                                "(SELECT rowid FROM reports)").fetchone()[0] == 0, table
            continue
        column = "id" if table == "reports" else "report_id"
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE {column} IN ({marks})",
                            ids).fetchone()[0] == 0, table
    for view in ("cells", "applications", "active_disclosure", "validation_failures"):
        assert conn.execute(f"SELECT count(*) FROM {view}").fetchone()[0] == \
            fewer.execute(f"SELECT count(*) FROM {view}").fetchone()[0], view


def _put_back(conn: sqlite3.Connection, source: str, ids: list[str]) -> None:
    """The reports' rows the search reads, copied from the full build (as a writer adds them)."""
    marks = ", ".join("?" * len(ids))
    conn.execute("ATTACH ? AS full", [source])
    with conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(reports)")]
        conn.execute(f"INSERT INTO reports ({', '.join(columns)}) SELECT {', '.join(columns)} "
                     f"FROM full.reports WHERE id IN ({marks})", ids)
        conn.execute("INSERT INTO sections (report_id, section_no, section_key, heading, body, "
                     "source_line, source_line_end) SELECT report_id, section_no, section_key, "
                     "heading, body, source_line, source_line_end FROM full.sections "
                     f"WHERE report_id IN ({marks}) ORDER BY rowid", ids)
    conn.execute("DETACH full")


@pytest.mark.parametrize("gap", [search_index.GAP, 1])
def test_put_back_the_search_finds_what_the_full_build_finds(built, tmp_path, monkeypatch, gap):
    """With room between the neighbours, and (gap 1) with none: every section numbered again."""
    shutil.copy(built / "fewer.db", tmp_path / "ogi.db")
    full = sqlite3.connect(built / "all.db")
    ids = _ids(full)
    conn = sqlite3.connect(tmp_path / "ogi.db")
    if gap == 1:  # the sections numbered one apart: no room between any two
        monkeypatch.setattr(search_index, "GAP", 1)
        search_index.write_sections(conn)
    assert _results(conn) != _results(full)
    _put_back(conn, str(built / "all.db"), ids)
    search_index.update(conn, removed=(), added=ids)
    assert _results(conn) == _results(full)
    orders = [r[0] for r in conn.execute(
        "SELECT s.search_order FROM sections s JOIN reports r ON r.id = s.report_id "
        f"ORDER BY {search_index.SECTION_ORDER}")]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
