"""A build creates its indexes with a small page cache, SQLite's sort runs then being that size
(loaders/derived/sorts.py), and gives the cache back after."""

from __future__ import annotations

import re
import sqlite3

import pytest

from loaders.build import build
from loaders.checks import stored
from loaders.derived import summaries
from loaders.derived.sorts import INDEX_SORT_KIB, index_sorts
from loaders.store import INDEXES
from loaders.store import writer

from conftest import REPORTS


def test_the_cache_is_small_meanwhile_and_put_back_after():
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA cache_size = -32768")
    with index_sorts(conn):
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == -INDEX_SORT_KIB
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == -32768
    with pytest.raises(ZeroDivisionError), index_sorts(conn):
        1 / 0
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == -32768


def _names(sql: str) -> set[str]:
    return set(re.findall(r"CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?(\w+)", sql))


def test_a_build_creates_every_index_of_its_steps_with_the_small_cache(tmp_path, monkeypatch):
    """Every statement of a build from scratch traced: each index that the steps after the load
    create (the store's, the failures', the summaries') is created while the last cache size set
    is INDEX_SORT_KIB, and the cache is set back before the next step reads the tables."""
    statements: list[str] = []
    connect = writer.Store._connect

    def traced(self, *args, **kwargs):
        connect(self, *args, **kwargs)
        self.db.conn.set_trace_callback(statements.append)

    monkeypatch.setattr(writer.Store, "_connect", traced)
    result = build([REPORTS], tmp_path / "ogi.db")
    assert result.loaded > 5 and not result.bugs
    wanted = _names(INDEXES) | _names(" ".join(stored.FAILURE_INDEXES)) | _names(summaries.INDEXES)
    assert len(wanted) >= 20
    cache, created, read_after = None, {}, []
    for sql in statements:
        if m := re.match(r"PRAGMA cache_size = (-?\d+)", sql):
            cache = int(m.group(1))
        names = _names(sql) & wanted
        for name in names:
            created[name] = cache
        if not names and created and sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            read_after.append(cache)
    assert created == dict.fromkeys(wanted, -INDEX_SORT_KIB)
    # What the steps write after an index is made runs with the steps' own cache again.
    assert read_after and -INDEX_SORT_KIB not in read_after
