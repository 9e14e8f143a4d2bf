"""A set of keys (report ids, agency ids, file names) as a temporary table, for statements that
select by it: ``WHERE id IN (SELECT key FROM temp.x)`` holds any number of keys, where bound
parameters stop at SQLite's limit."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterable, Iterator


@contextmanager
def temp_keys(conn: sqlite3.Connection, name: str, keys: Iterable[str]) -> Iterator[str]:
    """The table ``temp.<name>`` (one column, ``key``) holding ``keys``, for the ``with`` block;
    yields its qualified name. It is dropped afterwards, even if the block raises."""
    conn.execute(f"CREATE TEMP TABLE {name} (key TEXT PRIMARY KEY)")
    try:
        conn.executemany(f"INSERT OR IGNORE INTO temp.{name} VALUES (?)", [(k,) for k in keys])
        yield f"temp.{name}"
    finally:
        conn.execute(f"DROP TABLE temp.{name}")
