"""The sections' search index of a build from scratch, written into a file of its own by another
process while the build writes its other tables, then copied in (``search_index.SectionsApart``):
the index ``index_all_sections`` writes in place, row for row; the same database file whatever
the processes; a build that fails on either side leaves no process and no file of it behind."""

from __future__ import annotations

import hashlib
import multiprocessing
import sqlite3
import time
from pathlib import Path

import pytest

import loaders.workers
from conftest import REPORTS
from loaders.build import build
from loaders.derived import failures, search_index
from loaders.derived.summaries import register_functions

SHADOW = ("sections_fts_data", "sections_fts_idx", "sections_fts_docsize", "sections_fts_config")


def _shadow_tables(conn: sqlite3.Connection) -> dict:
    return {table: list(conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"))
            for table in SHADOW}


@pytest.fixture()
def elsewhere(monkeypatch) -> list[bool]:
    """Every index a build makes is written by another process (any number of sections), and
    each ``SectionsApart`` made says whether it was."""
    monkeypatch.setattr(search_index, "APART_FROM_SECTIONS", 1)
    made = []
    real = search_index.SectionsApart.__init__
    monkeypatch.setattr(search_index.SectionsApart, "__init__",
                        lambda self, path, other, *rest:
                        made.append(other) or real(self, path, other, *rest))
    return made


@pytest.mark.parametrize("jobs, cpus, parsing, other", [
    (2, 8, 2, True), (0, 3, 1, True), (1, 8, 1, False)])
def test_a_build_gives_the_sections_index_a_process(tmp_path, monkeypatch, elsewhere, jobs,
                                                    cpus, parsing, other):
    """``build(jobs=N)`` with N > 1 writes a large sections' index in a process of its own;
    ``jobs=0`` as one per CPU, even when the files are too few to parse in more than one; one
    process allowed, in this one."""
    from loaders import build as build_module

    monkeypatch.setattr(build_module, "default_jobs", lambda: cpus)
    files = sorted(REPORTS.glob("shanghai_*"))  # two reports: parsed in one process
    result = build(files, tmp_path / "ogi.db", overrides=None, jobs=jobs)
    assert (result.jobs, elsewhere) == (parsing, [other])
    assert result.loaded == 2


def test_the_index_made_apart_is_the_index_made_in_place(tmp_path, elsewhere):
    db = tmp_path / "ogi.db"
    build([REPORTS], db, overrides=None, jobs=2)
    assert elsewhere == [True]
    assert not multiprocessing.active_children()  # the index's process is done and gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ogi.db"]
    conn = sqlite3.connect(db)
    apart = _shadow_tables(conn)
    sections = conn.execute("SELECT count(*) FROM sections").fetchone()[0]
    assert len(apart["sections_fts_docsize"]) == sections > 50
    # The same sections indexed again in this database, in place, into the table as the schema
    # makes it (the schema's statement and settings)
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'sections_fts'").fetchone()
    settings = [row for row in apart["sections_fts_config"]]
    register_functions(conn)
    with conn:
        conn.execute("DROP TABLE sections_fts")
        conn.execute(sql)
        conn.execute("INSERT INTO sections_fts (sections_fts, rank) VALUES ('hashsize', ?)",
                     [dict(settings)["hashsize"]])
        search_index.index_all_sections(conn)
    assert _shadow_tables(conn) == apart
    assert dict(settings)["automerge"] == 4  # FTS5's own merging back, for the updates
    hits = conn.execute("SELECT count(*) FROM sections_fts WHERE sections_fts MATCH '\"申请\"'")
    assert hits.fetchone()[0] > 10


def test_the_file_is_the_same_whatever_the_processes(tmp_path, elsewhere):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    build([REPORTS], one, overrides=None, jobs=1)
    build([REPORTS], two, overrides=None, jobs=2)
    assert elsewhere == [False, True]
    assert hashlib.sha256(one.read_bytes()).digest() == hashlib.sha256(two.read_bytes()).digest()
    with sqlite3.connect(two) as conn:
        # Out of WAL mode, its journal gone: a file served read-only, as before
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.db", "two.db"]


def _broken_index(source: str, target: str) -> float:
    Path(target).write_bytes(b"half")
    raise RuntimeError("the index's process failed")


def test_a_failing_index_process_fails_the_build(tmp_path, elsewhere, monkeypatch):
    """Its error is the build's (a bug is not bad input), the database is left as it was and
    the index's file is removed."""
    db = tmp_path / "ogi.db"
    build([REPORTS], db, overrides=None, jobs=1)
    before = db.read_bytes()
    monkeypatch.setattr(loaders.workers, "START_METHOD", "fork")  # (the process sees the patch)
    monkeypatch.setattr(search_index, "index_sections_into", _broken_index)
    with pytest.raises(RuntimeError, match="the index's process failed"):
        build([REPORTS], db, overrides=None, jobs=2)
    assert elsewhere == [False, True]
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ogi.db"]  # (nor -wal, -shm, ...)
    assert not multiprocessing.active_children()


def _slow_index(source: str, target: str) -> float:
    Path(target).write_bytes(b"half")
    time.sleep(60)


def test_a_failing_step_stops_the_index_process(tmp_path, elsewhere, monkeypatch):
    """An error of the build's own process stops the index's at once (not waited for) and
    removes its file."""
    def broken(*args, **kwargs):
        assert multiprocessing.active_children()  # the index's process runs meanwhile
        raise ZeroDivisionError("a check failed")

    monkeypatch.setattr(loaders.workers, "START_METHOD", "fork")  # (the process sees the patch)
    monkeypatch.setattr(search_index, "index_sections_into", _slow_index)
    monkeypatch.setattr(failures, "write", broken)
    started = time.monotonic()
    with pytest.raises(ZeroDivisionError):
        build([REPORTS], tmp_path / "ogi.db", overrides=None, jobs=2)
    assert time.monotonic() - started < 30
    assert elsewhere == [True]
    assert not list(tmp_path.iterdir())  # neither the database nor any file of its building
    assert not multiprocessing.active_children()
