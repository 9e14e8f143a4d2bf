"""The writer's inserts of several rows a statement (``Store._insert``) write the same database as
one row a statement, the form they replaced; a report the database refuses is still undone
alone."""

from __future__ import annotations

import sqlite3

import pytest

from loaders.store import Store
from loaders.store import writer
from loaders.store.schema import REPORT_TABLES


@pytest.fixture(scope="module")
def rows(seed_rows):
    return seed_rows


def _rows_a_statement(conn) -> list[int]:
    """Starts recording the rows of each INSERT the connection runs (its groups of values);
    returns the list it fills."""
    seen: list[int] = []

    def trace(sql: str) -> None:
        if sql.startswith("INSERT INTO"):
            seen.append(sql.count("), (") + 1)

    conn.set_trace_callback(trace)
    return seen


def _written(path, rows, one_row_a_statement: bool):
    """Every table's rows after writing ``rows`` (the staged tables before they are moved), and
    the rows of each INSERT run."""
    store = Store(path)
    store.__enter__()
    if one_row_a_statement:
        store._sizes = {table: () for table in store._sizes}
    statements = _rows_a_statement(store.db.conn)
    for tables in rows:
        assert store.add_rows(tables)
    store.db.conn.set_trace_callback(None)
    store.commit()
    conn = store.db.conn
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    dump = {n: conn.execute(f"SELECT * FROM {n}").fetchall() for n in names}
    conn.execute("COMMIT")
    store.db.close()
    return dump, statements


def test_several_rows_a_statement_write_what_one_row_a_statement_writes(tmp_path, rows):
    new, statements = _written(tmp_path / "new.db", rows, False)
    old, one_each = _written(tmp_path / "old.db", rows, True)
    assert new == old
    assert set(one_each) == {1}
    # every size was used, and most rows went in statements of 64
    assert set(writer.ROWS_PER_INSERT) <= set(statements)
    assert sum(n for n in statements if n == 64) > sum(statements) / 2


def test_sizes_cover_every_count(tmp_path):
    """Every count of rows is written whole and in order, whatever the sizes it splits into."""
    store = Store(tmp_path / "x.db")
    store.__enter__()
    conn = store.db.conn
    conn.execute("CREATE TABLE t (a INTEGER, b TEXT)")
    store._widths["t"] = 2
    store._sizes["t"] = writer.ROWS_PER_INSERT
    store._set_inserts("t", "INSERT INTO t (a, b) VALUES (?, ?)")
    for count in [0, 1, 2, 3, 4, 5, 15, 16, 17, 63, 64, 65, 100, 129, 200]:
        conn.execute("DELETE FROM t")
        rows = [(i, f"r{i}") for i in range(count)]
        store._insert("t", rows)
        assert conn.execute("SELECT a, b FROM t ORDER BY rowid").fetchall() == rows, count
    conn.execute("COMMIT")
    store.db.close()


def test_a_refused_report_is_undone_alone(tmp_path, rows):
    """A key twice inside a statement of 64 rows: the report's rows all go, the others stay."""
    store = Store(tmp_path / "x.db")
    store.__enter__()
    bad = dict(rows[1])
    cells = bad["cell_values"]
    assert len(cells) >= 64
    bad["cell_values"] = [cells[0], cells[0], *cells[1:]]  # the second row of the first 64
    assert store.add_rows(rows[0])
    statements = _rows_a_statement(store.db.conn)
    with pytest.raises(sqlite3.IntegrityError):
        store.add_rows(bad)
    store.db.conn.set_trace_callback(None)
    assert 64 in statements
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


@pytest.mark.parametrize("widths", [(2, 4), (2, 3, 4, 3), (3, 3, 3, 2)])
def test_a_row_of_another_width_is_refused_before_anything_is_written(tmp_path, widths):
    """A short row and a long one in one statement of several rows would make up the right
    count of values, each shifting the other's into the wrong columns: the writer refuses any
    row of another width than the table's, as executemany does, and writes nothing."""
    store = Store(tmp_path / "x.db")
    store.__enter__()
    conn = store.db.conn
    conn.execute("CREATE TABLE t (a, b, c)")
    store._widths["t"] = 3
    store._sizes["t"] = (4,)
    store._set_inserts("t", "INSERT INTO t (a, b, c) VALUES (?, ?, ?)")
    rows = [tuple(range(w)) for w in widths]
    with pytest.raises(sqlite3.ProgrammingError):
        store._insert("t", rows)
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    with pytest.raises(sqlite3.ProgrammingError):  # what executemany says of the same rows
        conn.executemany("INSERT INTO t (a, b, c) VALUES (?, ?, ?)", rows)
    conn.execute("ROLLBACK")
    store.db.close()
