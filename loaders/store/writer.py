"""The only module that writes SQLite: a database being built, one report at a time, then what
is derived from the whole corpus (``loaders.derived``) in steps whose time the build reports.

A build writes a new database file beside the target and renames it over the target only when it
is complete, so a failed or interrupted build leaves the previous database as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from itertools import chain
from pathlib import Path

import sqlite_utils

from .. import __version__
from ..derived import failures, search_index, summaries
from ..derived.agencies import AgencyTally
from ..derived.sorts import index_sorts
from .reference import division_rows, reference_rows
from .rows import as_tuples
from . import update as incremental
from .schema import BY_REPORT_ROWID, INDEXES, REPORT_TABLES, SCHEMA, table_columns


# Reports written per transaction. Each report is also a savepoint of its own, so one report the
# database refuses is undone alone; committing in batches is what makes a large build fast.
BATCH_REPORTS = 500

# The suffix of the staging tables of a build from scratch (``Store._stage``).
STAGED = "_staged"

# Rows per INSERT statement (``Store._insert``): a report's rows of a table go in as few
# statements of these many rows as fit, the last few (under the smallest) in one executemany.
# Most of the writer's time was SQLite stepping one statement per row (a report writes about 250
# rows, 200 of them cell_values); one statement of many rows costs SQLite and the sqlite3 module
# less per row: the writer 19% less CPU (0.59 -> 0.48 ms a report, 600 reports of the 10,000
# corpus, /tmp/store_bench.py style, min of 3). The sizes are few so that each table has a handful
# of statements, prepared once and kept in the connection's statement cache (128).
ROWS_PER_INSERT = (64, 16, 4)


class Store:
    """A database being built. Use as a context manager; the file appears at ``path`` only when
    the ``with`` block ends without an exception.

    With a ``plan`` (``update.Plan``), the database is the previous one brought up to date: a
    copy of it, from which the plan's reports are deleted before the new rows are written, and
    whose agencies, rules across years, summaries and search indexes are redone for what changed.
    ``state`` (``update.State``) gives the files' stat and the build_info keys, recorded so that
    the next build knows what changed; ``record`` adds one file to ``build_files``."""

    def __init__(self, path: str | Path, overrides: list[dict] = (),
                 state: incremental.State | None = None, plan: incremental.Plan | None = None,
                 jobs: int = 1):
        self.path = Path(path)
        self.jobs = jobs  # the processes the steps after the load may use (the search index)
        self.state = state
        self.plan = plan
        # An update's: the agencies whose reports were deleted or added, the reports it wrote
        # (in input order), and the reports of those agencies indexed again. A build from
        # scratch keeps none of them: what it needs of each report is in the database.
        self.scope: set[str] = set()
        self.added_ids: list[str] = []
        self.reindexed: list[str] = []
        self.tmp = self.path.with_name(f"{self.path.name}.building-{os.getpid()}")
        self.db: sqlite_utils.Database | None = None
        self.overrides = list(overrides)
        self._inserts: dict[str, str] = {}
        # (table, rows) -> the INSERT of that many rows, and the sizes each table uses
        self._multi_inserts: dict[tuple[str, int], str] = {}
        self._sizes: dict[str, tuple[int, ...]] = {}
        self._widths: dict[str, int] = {}  # each table's columns
        self._pending = 0  # reports written since the last commit
        self.timings: dict[str, float] = {}  # seconds of each step after the last report
        self.write_seconds = 0.0  # spent inserting the reports' rows
        # Rules that raised (check_errors rows: over one report, or across years), once complete.
        self.check_errors = 0
        # The sections' index being written by another process (a full build's steps)
        self.sections_apart: search_index.SectionsApart | None = None
        self.index_seconds: float | None = None  # its writing, wall time

    def _remove_stale(self) -> None:
        """Temporary files of builds that were killed (their process is gone)."""
        prefix = f"{self.path.name}.building-"
        for stale in self.path.parent.glob(prefix + "*"):  # the file and its -journal
            pid = stale.name[len(prefix):].split("-")[0]
            if not pid.isdigit():
                continue
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                stale.unlink(missing_ok=True)
            except PermissionError:
                pass  # another user's live process

    def __enter__(self) -> "Store":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._remove_stale()
        self.tmp.unlink(missing_ok=True)
        self._connect(LOAD_CACHE_KIB, "TRUNCATE")
        conn = self.db.conn
        self._prepare_inserts()
        if self.plan is not None:
            self._open_update()
            return self
        conn.executescript(SCHEMA + ";" + incremental.FILES_SCHEMA)
        self._stage()
        conn.execute(_AGENCY_FACTS_SCHEMA)
        for table, rows in reference_rows().items():
            self.db[table].insert_all(rows)
        self.db["divisions"].insert_all(division_rows())
        self.db["agency_overrides"].insert_all(
            [{"id": i, **row} for i, row in enumerate(self.overrides, 1)])
        conn.commit()
        conn.isolation_level = None  # transactions are begun and ended here, explicitly
        conn.execute("BEGIN")
        return self

    def _connect(self, cache_kib: int, journal: str | None = None) -> None:
        """``self.db`` on the temporary file. It is renamed over the target only when complete,
        so a crash loses nothing that matters: no fsync, and the page cache given. The rollback
        journal (needed by the per-report savepoints) stays a file: kept in memory it held a copy
        of every page a batch touched, hundreds of MB at 100,000 reports."""
        self.db = sqlite_utils.Database(self.tmp)
        self.db.conn.execute("PRAGMA synchronous = OFF")
        if journal is not None:
            self.db.conn.execute(f"PRAGMA journal_mode = {journal}")
        self.db.conn.execute(f"PRAGMA cache_size = -{cache_kib}")

    def _prepare_inserts(self) -> None:
        # SQLite's limit on a statement's parameters (999 before 3.32, 32766 since)
        limit = self.db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        for table, columns in table_columns().items():
            self._widths[table] = len(columns)
            self._sizes[table] = tuple(n for n in ROWS_PER_INSERT if n * len(columns) <= limit)
            self._set_inserts(table, f"INSERT INTO {table} ({', '.join(columns)}) "
                                     f"VALUES ({', '.join('?' * len(columns))})")

    def _set_inserts(self, table: str, sql: str) -> None:
        """The table's INSERT of one row, and of each of its ``_sizes`` rows at once."""
        self._inserts[table] = sql
        head, _, values = sql.partition(" VALUES ")
        for size in self._sizes[table]:
            self._multi_inserts[table, size] = f"{head} VALUES {', '.join([values] * size)}"

    def _insert(self, table: str, rows: list[tuple]) -> None:
        """Insert ``rows`` into ``table`` in their order, several rows a statement. A row of
        another width than the table's is refused (``sqlite3.ProgrammingError``, as
        ``executemany`` refuses it), before anything is written: the values of a statement of
        many rows are one flat list, where a short row and a long one would otherwise make up
        the right count and shift each other's values into the wrong columns."""
        width = self._widths[table]
        if any(map(width.__ne__, map(len, rows))):  # in C
            raise sqlite3.ProgrammingError(
                f"{table}: a row of {sorted({len(r) for r in rows} - {width})} values, not {width}")
        conn = self.db.conn
        done, count = 0, len(rows)
        for size in self._sizes[table]:
            if count - done < size:
                continue
            sql = self._multi_inserts[table, size]
            while count - done >= size:
                conn.execute(sql, tuple(chain.from_iterable(rows[done:done + size])))
                done += size
        if done < count:
            conn.executemany(self._inserts[table], rows[done:] if done else rows)

    def _stage(self) -> None:
        """A build from scratch writes the tables keyed by the report's rowid (BY_REPORT_ROWID)
        to staging copies of them, moved whole into the tables once every report is in
        (``_unstage``): a move fills each page of their B-trees, where rows added report by report
        leave an eighth of every page empty (a WITHOUT ROWID table's pages split in two as it
        grows; SQLite fills them only when it copies a table whole, as VACUUM does)."""
        for table in BY_REPORT_ROWID:
            sql = self.db.conn.execute("SELECT sql FROM sqlite_master WHERE name = ?",
                                       (table,)).fetchone()[0]
            self.db.conn.execute(sql.replace(f"CREATE TABLE {table} (",
                                             f"CREATE TABLE {table}{STAGED} (", 1))
            self._set_inserts(table, self._inserts[table].replace(
                f"INSERT INTO {table} (", f"INSERT INTO {table}{STAGED} (", 1))

    def _open_update(self) -> None:
        """The previous database copied to the temporary file, the plan's reports deleted."""
        started = time.perf_counter()
        self.db.close()
        shutil.copyfile(self.plan.base, self.tmp)
        self._connect(UPDATE_CACHE_KIB, "TRUNCATE")  # (its deletes are all over the file)
        conn = self.db.conn
        conn.isolation_level = None
        conn.execute("BEGIN")
        self.scope = incremental.clear(conn, self.plan)
        if not conn.in_transaction:  # the search index's removal commits what it did
            conn.execute("BEGIN")
        self.timings["copy_and_delete"] = round(time.perf_counter() - started, 3)

    def record(self, name: str, sha256: str | None, report_id: str | None,
               agency: dict | None) -> None:
        """One input file in ``build_files`` (its stat from ``state``): what the next build
        compares with. ``report_id`` is the report it wrote (None: a load error or a copy of a
        report written already); ``agency`` what it said of its agency."""
        stat = self.state.stats.get(name) if self.state else None
        self.db.conn.execute(incremental.INSERT_FILE, (
            name, stat[0] if stat else None, stat[1] if stat else None, sha256, report_id,
            incremental.encode_agency(agency) if agency else None))

    def add_rows(self, tables: dict[str, list[tuple]], agency: dict | None = None) -> bool:
        """Write the rows of one report (``as_tuples(report_to_rows(report))``): all of them or
        none. False, and nothing written, if a report with the same id was written already."""
        rid = tables["reports"][0][0]
        started = time.perf_counter()
        conn = self.db.conn
        # Written already (the database's index on the id, rather than a set of every id in
        # memory: 11 MB at 100,000 reports)
        if conn.execute("SELECT 1 FROM reports WHERE id = ?", (rid,)).fetchone() is not None:
            self.write_seconds += time.perf_counter() - started
            return False
        conn.execute("SAVEPOINT report")
        try:
            for table in REPORT_TABLES:
                if tables.get(table):
                    self._insert(table, tables[table])
            if agency is not None and self.plan is None:
                if len(agency) != len(_AGENCY_FACTS) or not all(map(agency.__contains__,
                                                                    _AGENCY_FACTS)):
                    raise ValueError("agency facts not as staged: "
                                     f"{sorted(set(agency) ^ set(_AGENCY_FACTS))}")
                conn.execute(_INSERT_AGENCY_FACTS, [agency[k] for k in _AGENCY_FACTS])
        except BaseException:
            conn.execute("ROLLBACK TO report")
            conn.execute("RELEASE report")
            raise
        conn.execute("RELEASE report")
        if self.plan is not None:
            self.added_ids.append(rid)
            if agency is not None:
                self.scope.add(agency["id"])
        self._pending += 1
        if self._pending >= BATCH_REPORTS:
            self.commit()
        self.write_seconds += time.perf_counter() - started
        return True

    def commit(self) -> None:
        self.db.conn.execute("COMMIT")
        self.db.conn.execute("BEGIN")
        self._pending = 0

    def add_error(self, source_file: str, sha256: str | None, stage: str, error_type: str,
                  message: str) -> None:
        self.db.conn.execute(self._inserts["load_errors"], as_tuples({"load_errors": [{
            "source_file": source_file, "source_sha256": sha256, "stage": stage,
            "error_type": error_type, "message": message}]})["load_errors"][0])

    def _unstage(self) -> None:
        """The numbers' tables moved into place from their staging copies (``_stage``)."""
        conn = self.db.conn
        with conn:
            for table in BY_REPORT_ROWID:  # SQLite's transfer: whole pages, in key order
                conn.execute(f"INSERT INTO {table} SELECT * FROM {table}{STAGED}")
                conn.execute(f"DROP TABLE {table}{STAGED}")  # its pages reused by what follows

    def _number_sections(self) -> None:
        """The sections' search order; then their index begun in another process where the
        build may use more than one and they are many (``SectionsApart``)."""
        conn = self.db.conn
        with conn:
            search_index.number_sections(conn, fresh=True)
        self.sections_apart = search_index.SectionsApart.start(conn, self.tmp, self.jobs)
        self.sections_apart.begin()

    def _search_index(self) -> None:
        """The reports' index, then the sections' (``SectionsApart.join``); then a new
        connection, in case FTS5 kept what this one read of the sections' index before it was
        copied in (nothing after reads it here; the new connection's journal is SQLite's
        default, which the build ends with)."""
        conn = self.db.conn
        search_index.register_functions(conn)
        with conn:
            search_index.index_all_reports(conn)
        self.sections_apart.join(conn)
        self.index_seconds = self.sections_apart.seconds
        self.sections_apart = None
        self.db.close()
        self._connect(CACHE_KIB)

    def _agencies(self) -> None:
        """The agencies table, tallied from what each report written said of its agency, in
        the order they were written (``_AGENCY_FACTS_SCHEMA``); the table of facts is dropped."""
        tally = AgencyTally()
        conn = self.db.conn
        for row in conn.execute(f"SELECT {', '.join(_AGENCY_FACTS)} FROM agency_facts_staged "
                                "ORDER BY rowid"):
            tally.add(dict(zip(_AGENCY_FACTS, row)))
        tally.write(self.db)
        with conn:
            conn.execute("DROP TABLE agency_facts_staged")

    def _checks(self) -> None:
        self.check_errors = failures.write(
            self.db, agencies=self.scope if self.plan is not None else None)

    def _build_info(self) -> None:
        self.db["build_info"].insert_all([
            {"key": "software_version", "value": __version__},
            {"key": "reports",
             "value": str(self.db.conn.execute("SELECT count(*) FROM reports").fetchone()[0])},
            *({"key": k, "value": v} for k, v in (self.state.keys if self.state else {}).items()),
        ], replace=True)

    def _analyze(self) -> None:
        self._build_info()
        self.db.execute("ANALYZE")
        self.db.conn.commit()

    def _update_agencies(self) -> None:
        """The rows of ``agencies`` of the agencies concerned, tallied again from every report
        of theirs in input order, as a build from scratch tallies them (their reports taken out
        of the reports' search index first, to be indexed again with the new rows)."""
        order = {name: i for i, name in enumerate(self.state.inputs.names())}
        # Their other reports' rows in the reports' search index hold the agencies' tokens (name,
        # sector, kind): taken out while the rows are those they were indexed with, and indexed
        # again with the new rows (search_index.add).
        self.reindexed = search_index.reports_of_agencies(self.db.conn, self.scope,
                                                          exclude=self.added_ids)
        with self.db.conn:
            search_index.unindex_reports(self.db.conn, self.reindexed)
        tally = AgencyTally()
        for facts in incremental.agency_facts(self.db.conn, self.scope, order):
            tally.add(facts)
        with self.db.conn:
            self.db.conn.executemany("DELETE FROM agencies WHERE id = ?",
                                     [(a,) for a in sorted(self.scope)])
        tally.write(self.db)

    def _update_info(self) -> None:
        self._build_info()
        self.db.conn.commit()

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.db.close()
            self.tmp.unlink(missing_ok=True)
            self.tmp.with_name(self.tmp.name + "-journal").unlink(missing_ok=True)
            return
        self.db.conn.execute("COMMIT")
        self.db.conn.isolation_level = ""  # back to the module's own transactions
        conn = self.db.conn
        if self.plan is None:
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # the steps read whole tables
            # The sections numbered before the indexes, so that their index is written by
            # another process while this one goes on (``search_index.SectionsApart``, which
            # puts the database in WAL mode meanwhile: the staged tables are moved before, or
            # their gigabyte at 100,000 reports would go through the WAL, whose checkpoint
            # waits for the other process, and be written twice).
            steps = (("staged_tables", self._unstage),
                     ("search_order", self._number_sections),
                     ("indexes", lambda: create_indexes(self.db.conn)),
                     ("agencies", self._agencies),
                     ("checks", self._checks),
                     ("summaries", lambda: summaries.write(self.db.conn)),
                     ("search_index", self._search_index),  # (then a new connection)
                     ("analyze", self._analyze))
        else:
            steps = (("agencies", self._update_agencies), ("checks", self._checks),
                     ("summaries", lambda: rewrite_summaries(self.db)),
                     ("search_index", lambda: search_index.add(conn, self.added_ids,
                                                               reindex=self.reindexed,
                                                               jobs=self.jobs)),
                     ("build_info", self._update_info))
        try:
            for name, step in steps:
                started = time.perf_counter()
                step()
                self.timings[name] = round(time.perf_counter() - started, 3)
        except BaseException:
            if self.sections_apart is not None:
                self.sections_apart.abandon()
            self.db.close()
            for suffix in ("", "-journal", "-wal", "-shm"):
                self.tmp.with_name(self.tmp.name + suffix).unlink(missing_ok=True)
            raise
        if self.index_seconds is not None:  # beside the steps from search_order to search_index
            self.timings["sections_index_beside"] = round(self.index_seconds, 3)
        self.db.execute("PRAGMA journal_mode = DELETE")  # removes the (truncated) journal file
        self.db.close()
        os.replace(self.tmp, self.path)


def create_indexes(conn: sqlite3.Connection) -> None:
    """The indexes a build from scratch creates once every report is in (``INDEXES``), with the
    page cache of index sorts (``derived.sorts``)."""
    with index_sorts(conn):
        conn.executescript(INDEXES)


# What each report a build from scratch writes says of its agency (``store.agency_of``), one row
# a report in the order written, tallied into ``agencies`` once all are in (``Store._agencies``).
# A table of the file, dropped once tallied (as the staged tables, and so in a snapshot of the
# load: benchmarks/ab_steps.py): a tally kept in memory while the reports are written held each
# agency's facts as the workers sent them, 44 MB of the writer's memory at 100,000 reports
# (29,000 agencies), when the build's memory peaks (issue 17).
_AGENCY_FACTS = incremental.AGENCY_FACTS
_AGENCY_FACTS_SCHEMA = f"CREATE TABLE agency_facts_staged ({', '.join(_AGENCY_FACTS)})"
_INSERT_AGENCY_FACTS = (f"INSERT INTO agency_facts_staged VALUES "
                        f"({', '.join('?' * len(_AGENCY_FACTS))})")

# SQLite's page cache (KiB) while a build from scratch loads the reports, and for the steps after
# it. The load appends rows in key order (the numbers' tables to staging copies,
# the rest rowid tables, their indexes made afterwards): it touches the right edge of each B-tree
# and the reports' id index, so a small cache serves it, and the cache is the writer's largest
# part while the parsing processes hold theirs (issue 17: the build's peak memory, all processes,
# was during the load). The steps after it read whole tables and join them: 32 MB. SQLite's
# sorters take as much again as the page cache: the summaries of 100,000 reports peaked at
# 225 MB of SQLite memory with 64 MB (7.2 s), 160 MB with 32 MB (7.8 s), 124 MB with 16 MB (7.4 s).
# An update (issue 18's targets were measured with it) keeps 64 MB throughout.
LOAD_CACHE_KIB = 16384
CACHE_KIB = 32768
UPDATE_CACHE_KIB = 65536

# The tables that summaries.write fills.
_DERIVED_TABLES = re.findall(r"CREATE TABLE (\w+)", summaries.SCHEMA)


def rewrite_summaries(db: sqlite_utils.Database) -> None:
    """The summaries of an updated database, counted again whole by ``summaries.write`` (its
    indexes are kept: the updates maintain them)."""
    conn = db.conn
    with conn:
        for table in _DERIVED_TABLES:
            conn.execute(f"DELETE FROM {table}")
    summaries.write(conn, update=True)
