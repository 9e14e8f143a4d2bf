"""The writer's inserts of several rows a statement (``Store._insert``) write the same database as
one row a statement, the form they replaced; a report the database refuses is still undone
alone."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import REPORTS
from loaders.build import find_inputs
from loaders.pipeline import load_report
from loaders.store import Store, as_tuples, report_to_rows
from loaders.store import writer
from loaders.store.schema import REPORT_TABLES


@pytest.fixture(scope="module")
def rows():
    out = []
    for path, name in find_inputs([REPORTS]):
        try:
            out.append(as_tuples(report_to_rows(load_report(path))))
        except Exception:  # a bad file of the seeds: not rows
            continue
    assert len(out) > 5
    return out


def _written(path, rows, one_row_a_statement: bool):
    """Every table's rows after writing ``rows`` (the staged tables before they are moved)."""
    store = Store(path)
    store.__enter__()
    if one_row_a_statement:
        store._sizes = {table: () for table in store._sizes}
    for tables in rows:
        assert store.add_rows(tables)
    store.commit()
    conn = store.db.conn
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    dump = {n: conn.execute(f"SELECT * FROM {n}").fetchall() for n in names}
    conn.execute("COMMIT")
    store.db.close()
    return dump


def test_several_rows_a_statement_write_what_one_row_a_statement_writes(tmp_path, rows):
    new = _written(tmp_path / "new.db", rows, False)
    old = _written(tmp_path / "old.db", rows, True)
    assert new == old
    assert len(new["cell_values" + writer.STAGED]) > 64 * len(rows) // 2  # the sizes were used


def test_sizes_cover_every_count(tmp_path):
    """Every count of rows is written whole and in order, whatever the sizes it splits into."""
    store = Store(tmp_path / "x.db")
    store.__enter__()
    conn = store.db.conn
    conn.execute("CREATE TABLE t (a INTEGER, b TEXT)")
    store._inserts["t"] = "INSERT INTO t (a, b) VALUES (?, ?)"
    store._sizes["t"] = writer.ROWS_PER_INSERT
    for count in [0, 1, 2, 3, 4, 5, 15, 16, 17, 63, 64, 65, 100, 129, 200]:
        conn.execute("DELETE FROM t")
        rows = [(i, f"r{i}") for i in range(count)]
        store._insert("t", rows)
        assert conn.execute("SELECT a, b FROM t ORDER BY rowid").fetchall() == rows, count
    conn.execute("COMMIT")
    store.db.close()


def test_a_refused_report_is_undone_alone(tmp_path, rows):
    """A key twice in the middle of a multi-row statement: the report's rows all go, the others
    stay."""
    store = Store(tmp_path / "x.db")
    store.__enter__()
    bad = dict(rows[1])
    bad["cell_values"] = bad["cell_values"] + [bad["cell_values"][0]]
    assert store.add_rows(rows[0])
    with pytest.raises(sqlite3.IntegrityError):
        store.add_rows(bad)
    assert store.add_rows(rows[2])
    conn = store.db.conn
    assert [r for (r,) in conn.execute("SELECT id FROM reports")] == \
        [rows[0]["reports"][0][0], rows[2]["reports"][0][0]]
    for table in REPORT_TABLES[1:]:
        staged = table + writer.STAGED if table in ("cell_values", "application_values",
                                                     "disclosure_values") else table
        expected = len(rows[0].get(table, [])) + len(rows[2].get(table, []))
        assert conn.execute(f"SELECT count(*) FROM {staged}").fetchone()[0] == expected, table
    conn.execute("COMMIT")
    store.db.close()
