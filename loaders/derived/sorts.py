"""The page cache a build creates its indexes with (issue 17).

SQLite sorts the rows of a ``CREATE INDEX`` in runs as large as the connection's page cache,
writes each run to a temporary file and merges them. Runs of 4 MB (about a core's L2 cache here)
sort faster than runs of 32 MB, the cache the steps after the load read tables with: the indexes
of 100,000 reports took 2.9-3.1 CPU seconds against 3.4-3.7, and those of ``failures`` 3.1-3.4
against 3.5-3.8 (each set created three times in turn on one database; at 10,000 reports both
take the same). The merge reads the runs back in order, which the operating system's cache
serves. The index is the same whatever the runs: only the cache changes, and only meanwhile.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

INDEX_SORT_KIB = 4096


@contextlib.contextmanager
def index_sorts(conn: sqlite3.Connection) -> Iterator[None]:
    """The connection's page cache set to ``INDEX_SORT_KIB`` while indexes are created, and put
    back as it was after."""
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{INDEX_SORT_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {before}")
