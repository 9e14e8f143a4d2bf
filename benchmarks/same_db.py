"""Whether two built databases hold the same rows, table by table (issue 17): every table's rows
in rowid order, the search indexes' shadow tables included; build_info (dates, versions) left out.

    python benchmarks/same_db.py old.db new.db

Prints each table whose rows differ, with both row counts; exit status 1 if any does. The FTS5
shadow tables (``*_fts_data``, ``*_fts_idx``) differ when only the index's segments are laid out
otherwise (a flush size changed), which search results do not see: compare those by queries.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys

SKIP = {"build_info"}


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]


def _digest(conn: sqlite3.Connection, table: str) -> tuple[str, int]:
    digest, count = hashlib.sha256(), 0
    try:
        rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
    except sqlite3.OperationalError:  # a WITHOUT ROWID table: in its key's order
        rows = conn.execute(f'SELECT * FROM "{table}"')
    for row in rows:
        digest.update(repr(row).encode())
        count += 1
    return digest.hexdigest(), count


def main(old: str, new: str) -> int:
    a, b = sqlite3.connect(f"file:{old}?mode=ro", uri=True), \
        sqlite3.connect(f"file:{new}?mode=ro", uri=True)
    ta, tb = _tables(a), _tables(b)
    differing = sorted(set(ta) ^ set(tb))
    for name in differing:
        print(f"only in {'old' if name in ta else 'new'}: {name}")
    for table in ta:
        if table in SKIP or table not in tb:
            continue
        (x, n), (y, m) = _digest(a, table), _digest(b, table)
        if x != y:
            differing.append(table)
            print(f"differs: {table} ({n} rows against {m})")
    print(f"{len(ta)} tables compared, {len(differing)} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
