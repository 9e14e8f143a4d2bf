"""The full-text indexes of the site's search: reports by agency, title, place and sector,
written once the reports, their agencies and their English names are in; sections by heading and
body, in the order search lists them (the latest year first), which a build from scratch writes
beside its other steps once the sections are numbered (``SectionsApart``). Text is cut into
pairs of characters by ``search.segment``.

Both indexes are contentless FTS5 tables: the prose is stored once, in ``sections``, and the
index holds only the segmented tokens and where they stand (no copy of the text). A section's index row id is its ``search_order``, the order
results are listed in, so a search reads its first page of matches and stops. A full build
numbers the sections ``GAP`` apart, so that reports added later (``add``, or ``update``) take
numbers between their neighbours without renumbering the others; when a gap is full, every
section is renumbered and indexed again (``write_sections``), as a full build does.
Search results after ``remove``/``add`` are those of a full build of the same reports (tested).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable

import sqlite_utils

from .. import workers
from . import search
from .keys import temp_keys
from .summaries import register_functions

# The distance between consecutive sections' search_order in a full build: up to GAP - 1 sections
# can be added between two neighbours before the numbers are made again. Small, so that the
# index's row ids stay short (it stores the differences between them).
GAP = 16

REPORTS_SEARCH = """INSERT INTO reports_fts (rowid, agency, title, place, sector)
  SELECT r.rowid,
    ogi_segment(coalesce(r.agency, '') || ' ' || coalesce(a.name, '')),
    ogi_segment(r.title),
    ogi_segment(coalesce(r.province, '') || ' ' || coalesce(r.city, '') || ' '
                || coalesce(r.county, '') || ' ' || coalesce(r.place_en, '')),
    ogi_segment(coalesce(a.sector, '') || ' ' || coalesce(a.sector_en, '') || ' '
                || coalesce(a.kind, ''))
  FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id ORDER BY r.rowid"""

# The order search lists sections in: the latest year first (a year unknown last), then agency;
# a report's sections together, in their order.
REPORT_ORDER = "r.year DESC, r.agency, r.id"
SECTION_ORDER = f"{REPORT_ORDER}, s.section_no"


def write(db: sqlite_utils.Database, jobs: int = 1) -> None:
    """Both indexes, in place and in this process (after ``summaries.write``: the reports' index
    reads the English names): what a build from scratch writes, the sections' beside its other
    steps (``Store``, ``SectionsApart``). ``jobs``: as ``write_sections``'s."""
    conn = db.conn
    register_functions(conn)
    with conn:
        index_all_reports(conn)
    write_sections(conn, fresh=True, jobs=jobs)


def index_all_reports(conn: sqlite3.Connection) -> None:
    """Every report into the reports' index (empty), unmerged, then merged once (``BULK_MERGE``).
    In the caller's transaction."""
    _written_whole(conn, "reports_fts", lambda: conn.execute(REPORTS_SEARCH))


# A section's tokens for the index, made by SQLite calling search.segment row by row.
INDEX_SECTIONS = """INSERT INTO sections_fts (rowid, heading, body)
                      SELECT search_order, ogi_segment(heading), ogi_segment(body)
                      FROM sections ORDER BY search_order"""
# Where segmenting runs in Python (``search.compiled()`` false: no C compiler at install, or
# OGI_PURE_PYTHON=1), from this many sections on, with more than one process allowed, the
# sections are segmented by worker processes while this one writes the index (FTS5, in C): one
# after the other in one process, the 564,154 sections of the 100,000 reports' benchmark took 28 s
# to segment and 34 s to index; at the same time 41 s, and an identical index, row for row, in
# every FTS5 table (issue 17). Fewer sections are not worth starting a process for (0.2-0.5 s).
# Segmenting in C takes 3.4 s for those sections (calls from SQL included), less than handing
# them to a process would.
PARALLEL_FROM_SECTIONS = 20_000
# From this many sections on, with more than one process allowed, a build from scratch writes the
# sections' index in a process of its own beside its other steps (``SectionsApart``): under it,
# the index takes under a few seconds, about what starting the process and its WAL cost.
APART_FROM_SECTIONS = 20_000
SECTIONS_PER_TASK = 2_000  # sections sent to a worker at a time (about 1.5 MB of text)
# Tasks in flight per worker: one being segmented, one waiting in its queue, and the results of
# the others waiting to be indexed, so that neither side waits for the other; memory holds a few
# tasks' sections, not the corpus'.
SEGMENT_TASKS_PER_WORKER = 4

# FTS5 writes its tokens in segments and, by default, merges them as it goes: once 4 segments of
# a size are there (automerge), and at once when 16 are (crisismerge). Indexing every section in
# one go, that merges the same tokens again at each level, and more levels the larger the index:
# 23.5 us a section at 10,000 reports, 37 us at 100,000 (the benchmark's sections, segmented
# beforehand, inserted into an empty index in one process). So a whole index is written with
# merging off and merged once at the end ('optimize', into one segment: the smallest index, read
# fastest): 31 and 30 us a section at the two sizes, a fifth less at 100,000 and no more per
# section as the index grows. At 10,000 that is 0.4 s more than merging as it goes (the one
# merge at the end, 0.57 s, costs more there than it saves): a small index pays a little for a
# large one's linear time. Searches take the same time (the 12 segments FTS5 left at 100,000,
# or 37 unmerged, or 1; the search page's SQL 2-6 ms with each). The index's own settings are
# set back afterwards, for the updates that add to it (``add``: merged as FTS5 does by default,
# or as the index was set). The reports' index, written whole by a full build too, is written
# the same way (1.45 -> 1.35 s at 100,000).
BULK_MERGE = (("automerge", 0), ("crisismerge", 2000))  # (FTS5 takes 2000 as its most, 1999)
DEFAULT_MERGE = (("automerge", 4), ("crisismerge", 16))


def write_sections(conn: sqlite3.Connection, fresh: bool = False, jobs: int = 1) -> None:
    """Number every section in search order, ``GAP`` apart, and index them all; ``fresh``: in a
    new database (no section numbered or indexed yet, the index on search_order not made).
    ``jobs``: the processes that may work at once (this one writing the index, ``jobs - 1``
    segmenting sections when segmenting runs in Python and there are ``PARALLEL_FROM_SECTIONS``
    of them). The index is written unmerged and merged once (``BULK_MERGE``)."""
    register_functions(conn)
    with conn:
        number_sections(conn, fresh)
        index_all_sections(conn, jobs)


def number_sections(conn: sqlite3.Connection, fresh: bool = False) -> None:
    """Every section's ``search_order``, in search order and ``GAP`` apart (what was indexed
    taken out of the index first, but where ``fresh``), and the unique index on it where
    ``fresh``. In the caller's transaction."""
    if not fresh:
        conn.execute("INSERT INTO sections_fts (sections_fts) VALUES ('delete-all')")
        conn.execute("UPDATE sections SET search_order = NULL")  # the unique index allows it
    # The numbers in a temporary table by section, then written in the sections' own order:
    # an update in search order (a join with the numbering) went to the sections' pages in
    # random order, each page read and written many times once the table outgrew the cache
    # (3.5-4.4 -> 3.3-3.4 s at 100,000 reports, 0.31 -> 0.25 s at 10,000, with the build's
    # journal; the same numbers).
    # (A table left by a failed attempt is dropped: outside a transaction, as in a new
    # database, its creation is committed at once and the drop below rolled back.)
    conn.execute("DROP TABLE IF EXISTS temp.ogi_search_order")
    conn.execute("CREATE TEMP TABLE ogi_search_order (section INTEGER PRIMARY KEY, n INTEGER)")
    try:
        conn.execute(f"""
            INSERT INTO temp.ogi_search_order
            SELECT s.rowid, row_number() OVER (ORDER BY {SECTION_ORDER}) * {GAP}
            FROM sections s JOIN reports r ON r.id = s.report_id ORDER BY s.rowid""")
        conn.execute("""UPDATE sections SET search_order =
            (SELECT n FROM temp.ogi_search_order o WHERE o.section = sections.rowid)""")
    finally:
        conn.execute("DROP TABLE temp.ogi_search_order")
    if fresh:
        conn.execute("CREATE UNIQUE INDEX idx_sections_search_order ON sections(search_order)")


def index_all_sections(conn: sqlite3.Connection, jobs: int = 1) -> None:
    """Every numbered section into the sections' index (empty), unmerged, then merged once
    (``BULK_MERGE``); ``jobs`` as ``write_sections``'s. In the caller's transaction."""
    def write() -> None:
        if jobs > 1 and not search.compiled() and conn.execute(
                "SELECT count(*) FROM sections").fetchone()[0] >= PARALLEL_FROM_SECTIONS:
            _index_sections_in_parallel(conn, jobs - 1)
        else:
            conn.execute(INDEX_SECTIONS)

    _written_whole(conn, "sections_fts", write)


def _written_whole(conn: sqlite3.Connection, index: str, write) -> None:
    """``write()`` fills the FTS5 table ``index`` with merging off (``BULK_MERGE``); then one
    merge, and the index's own settings back as they were (FTS5's defaults, ``DEFAULT_MERGE``,
    where none was set), even if the writing failed."""
    def set_(settings) -> None:
        for name, value in settings:
            conn.execute(f"INSERT INTO {index} ({index}, rank) VALUES (?, ?)", (name, value))

    kept = dict(conn.execute(f"SELECT k, v FROM {index}_config"))
    set_(BULK_MERGE)
    try:
        write()
        conn.execute(f"INSERT INTO {index} ({index}) VALUES ('optimize')")
    finally:
        set_((name, kept.get(name, value)) for name, value in DEFAULT_MERGE)


class SectionsApart:
    """The sections' index of a database being built from scratch, written into a file of its
    own beside the database and copied in whole (``join``): by another process while this one
    writes the database's other tables (the indexes, checks and summaries: ``Store``), where the
    build may use more than one process and the sections are many; else by this process, when
    joined.

    One after the other, the steps after a build's load ran on one core while the other had
    nothing to do; the sections' index, about a third of their time, can run beside the rest: it
    reads only the sections, which nothing after their numbering changes. From ``start`` on,
    the database is in WAL mode, so that the index's process reads the sections as they were
    committed while this one writes. The index is the same, row for row in each FTS5 table, as
    ``index_all_sections`` writes in place (tested): the same statement over the same rows, with
    the same settings. Written and copied the same way whether another process wrote it or not,
    the database is the same file whatever the processes (tested)."""

    SUFFIX = "-sections"  # the index's file: the database's name and this

    def __init__(self, path: Path, elsewhere: bool, journal: str):
        self.path = path
        self.elsewhere = elsewhere
        self.journal = journal  # the database's journal mode before, set back by ``join``
        self.target = path.with_name(path.name + self.SUFFIX)
        self.target.unlink(missing_ok=True)
        self.pool = self.future = None
        # The index's writing, wall time, where another process wrote it (once joined)
        self.seconds: float | None = None

    def begin(self) -> None:
        """The other process started, where there is one (the caller holds this object first,
        so that ``abandon`` can stop it whenever the build fails)."""
        if self.elsewhere:
            self.pool = ProcessPoolExecutor(1, mp_context=workers.context())
            self.future = self.pool.submit(index_sections_into, str(self.path),
                                           str(self.target))

    @classmethod
    def start(cls, conn: sqlite3.Connection, path: Path, jobs: int) -> "SectionsApart":
        """Put the database at ``path`` (``conn``'s, its sections numbered and committed) in WAL
        mode; its sections' index is to be written by another process (``begin``) where ``jobs``
        > 1, there are ``APART_FROM_SECTIONS`` sections or more and WAL could be set."""
        (journal,) = conn.execute("PRAGMA journal_mode").fetchone()
        # In WAL mode whatever the processes, so that the file is the same: commits in WAL
        # mode leave the header's change counter as it was, those of a rollback journal count
        # up. Where the file system allows no WAL, the index is written in this process.
        (wal,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
        elsewhere = wal == "wal" and jobs > 1 and conn.execute(
            "SELECT count(*) FROM sections").fetchone()[0] >= APART_FROM_SECTIONS
        return cls(Path(path), elsewhere, journal)

    def join(self, conn: sqlite3.Connection) -> None:
        """The index (its process waited for, and its error raised here; or written now), the
        database's journal set back as it was, and the index's tables copied over the
        database's own, which are as the schema made them (no section indexed). ``conn``'s
        transaction must be committed. ``conn`` set the index up (the schema's settings), and
        FTS5 may keep what it read then: the caller opens a new connection before using the
        index."""
        if self.future is None:
            index_sections_into(str(self.path), str(self.target))
        else:
            self.seconds = self.future.result()  # (on an error, ``abandon`` stops the process)
            self.pool.shutdown()
        _journal(conn, self.journal)  # (the copy into a WAL would be written twice)
        conn.execute("ATTACH ? AS ogi_sections_apart", (str(self.target),))
        try:
            with conn:
                tables = [name for (name,) in conn.execute(
                    "SELECT name FROM ogi_sections_apart.sqlite_master WHERE type = 'table' "
                    "AND name LIKE 'sections^_fts^_%' ESCAPE '^' ORDER BY name")]
                for table in tables:
                    conn.execute(f"DELETE FROM main.{table}")
                    conn.execute(f"INSERT INTO main.{table} "
                                 f"SELECT * FROM ogi_sections_apart.{table}")
        finally:
            conn.execute("DETACH ogi_sections_apart")
        self.target.unlink()

    def abandon(self) -> None:
        """The build failed: the index's process stopped, its file removed."""
        if self.pool is not None:
            # (the executor's processes: before Python 3.14 it has no way to stop a task that
            # runs, and ``shutdown`` waits for it)
            for process in list((getattr(self.pool, "_processes", None) or {}).values()):
                process.terminate()
            self.pool.shutdown(cancel_futures=True)
        self.target.unlink(missing_ok=True)


def _journal(conn: sqlite3.Connection, mode: str) -> None:
    """``PRAGMA journal_mode``, which says what it could set rather than fail."""
    (got,) = conn.execute(f"PRAGMA journal_mode = {mode}").fetchone()
    if got != mode.lower():
        raise RuntimeError(f"the database's journal could not be {mode}: {got}")


def index_sections_into(source: str, target: str) -> float:
    """The sections' index of the database ``source`` (numbered), written into the new file
    ``target`` as ``index_all_sections`` writes it in place, with the index's settings of
    ``source`` (``SectionsApart``'s process). ``source`` is only read. Returns the seconds it
    took."""
    started = time.perf_counter()
    conn = sqlite3.connect(Path(target).resolve().as_uri(), uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA journal_mode = OFF")  # (a file of this build's only)
        conn.execute("ATTACH ? AS ogi_source", (Path(source).resolve().as_uri() + "?mode=ro",))
        (table,) = conn.execute("SELECT sql FROM ogi_source.sqlite_master "
                                "WHERE name = 'sections_fts'").fetchone()
        conn.execute(table)  # (unqualified: into this file, the first searched)
        for name, value in conn.execute("SELECT k, v FROM ogi_source.sections_fts_config "
                                        "WHERE k != 'version'").fetchall():
            conn.execute("INSERT INTO sections_fts (sections_fts, rank) VALUES (?, ?)",
                         (name, value))
        register_functions(conn)
        conn.execute("BEGIN")
        index_all_sections(conn)  # (``sections``, unqualified: the source's, the only one)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return time.perf_counter() - started


def _index_sections_in_parallel(conn: sqlite3.Connection, processes: int) -> None:
    """``INDEX_SECTIONS``, the same rows in the same order (so the same index), with the
    segmenting done by ``processes`` worker processes while this one writes what they made."""
    cursor = conn.execute("SELECT search_order, heading, body FROM sections "
                          "ORDER BY search_order")
    batches = iter(lambda: cursor.fetchmany(SECTIONS_PER_TASK), [])
    with ProcessPoolExecutor(processes, mp_context=workers.context()) as pool:
        conn.executemany("INSERT INTO sections_fts (rowid, heading, body) VALUES (?, ?, ?)",
                         workers.in_order(pool, segment_sections, batches,
                                          processes * SEGMENT_TASKS_PER_WORKER))


def segment_sections(rows: list[tuple]) -> list[tuple]:
    """(search_order, heading, body) rows with their heading and body segmented (a worker's
    task)."""
    segment = search.segmenter()
    return [(order, segment(heading), segment(body)) for order, heading, body in rows]


def _chunks(ids: list, size: int = 500):
    for start in range(0, len(ids), size):
        chunk = ids[start:start + size]
        yield chunk, ", ".join("?" * len(chunk))


def remove(conn: sqlite3.Connection, report_ids: Iterable[str]) -> None:
    """Take the given reports out of both indexes. Call it before their rows are deleted
    (``store.schema.delete_reports``): a contentless index is told what it indexed."""
    ids = list(report_ids)
    with conn:
        for chunk, marks in _chunks(ids):
            sections = conn.execute(
                f"SELECT search_order, heading, body FROM sections WHERE report_id IN ({marks}) "
                "AND search_order IS NOT NULL ORDER BY search_order", chunk).fetchall()
            segment = search.segmenter()
            conn.executemany(
                "INSERT INTO sections_fts (sections_fts, rowid, heading, body) "
                "VALUES ('delete', ?, ?, ?)",
                [(n, segment(heading), segment(body)) for n, heading, body in sections])
            conn.execute(f"UPDATE sections SET search_order = NULL WHERE report_id IN ({marks})",
                         chunk)
        unindex_reports(conn, ids)


def add(conn: sqlite3.Connection, report_ids: Iterable[str], reindex: Iterable[str] = (),
        jobs: int = 1) -> None:
    """Index the given reports, whose rows are written (their sections without a
    ``search_order``): each section takes a number between its neighbours in search order, so
    results list it where a full build would. ``reindex``: reports already there whose row in the
    reports' index was taken out (``unindex_reports``, before their agency's row changed): they
    are indexed again, with the tokens they have now. ``jobs``: as ``write_sections``'s, when
    every section is numbered and indexed again."""
    ids = list(report_ids)
    new = []
    for chunk, marks in _chunks(ids):
        new += conn.execute(
            f"SELECT s.rowid, r.year, r.agency, s.report_id, s.section_no FROM sections s "
            f"JOIN reports r ON r.id = s.report_id WHERE s.report_id IN ({marks})", chunk).fetchall()
    numbers = _numbers_between(conn, sorted(new, key=lambda row: _order_key(row[1:])))
    with conn:
        if numbers is None:  # a gap is full: number and index everything again
            write_sections(conn, jobs=jobs)
        else:
            conn.executemany("UPDATE sections SET search_order = ? WHERE rowid = ?", numbers)
            register_functions(conn)
            for chunk, marks in _chunks([rowid for _, rowid in numbers]):
                conn.execute(f"""INSERT INTO sections_fts (rowid, heading, body)
                    SELECT search_order, ogi_segment(heading), ogi_segment(body) FROM sections
                    WHERE rowid IN ({marks}) ORDER BY search_order""", chunk)
        _index_reports(conn, REPORTS_SEARCH, [*ids, *reindex])


def unindex_reports(conn: sqlite3.Connection, report_ids: Iterable[str]) -> None:
    """Take the given reports out of the reports' index, told the tokens they were indexed with:
    call it while their row, and their agency's, are as when they were indexed."""
    _index_reports(conn, REPORTS_SEARCH.replace(
        "INSERT INTO reports_fts (rowid,", "INSERT INTO reports_fts (reports_fts, rowid,").replace(
        "SELECT r.rowid,", "SELECT 'delete', r.rowid,"), report_ids)


def _index_reports(conn: sqlite3.Connection, sql: str, report_ids: Iterable[str]) -> None:
    """REPORTS_SEARCH (or its 'delete') for the given reports only."""
    register_functions(conn)
    with temp_keys(conn, "ogi_indexed", report_ids) as indexed:
        conn.execute(sql.replace(
            "ORDER BY r.rowid", f"WHERE r.id IN (SELECT key FROM {indexed}) ORDER BY r.rowid"))


def reports_of_agencies(conn: sqlite3.Connection, agencies: Iterable[str],
                        exclude: Iterable[str] = ()) -> list[str]:
    """The reports of the given agencies, but ``exclude``: those whose tokens in the reports'
    index change when the agencies' rows are written again (their name, sector, kind)."""
    with temp_keys(conn, "ogi_agencies", agencies) as scope:
        found = [rid for (rid,) in conn.execute(
            f"SELECT id FROM reports WHERE agency_id IN (SELECT key FROM {scope}) ORDER BY id")]
    excluded = set(exclude)
    return [rid for rid in found if rid not in excluded]


def update(conn: sqlite3.Connection, removed: Iterable[str] = (), added: Iterable[str] = ()
           ) -> None:
    """``remove`` then ``add``: the removed reports' rows must still be there, the added ones'
    written already."""
    remove(conn, removed)
    add(conn, added)


def _order_key(row) -> tuple:
    """SECTION_ORDER in Python: year descending with NULL last, agency ascending with NULL first
    (SQLite's BINARY order of UTF-8 is the order of code points), report id, section number."""
    year, agency, report_id, section_no = row
    return (year is None, -(year or 0), agency is not None, agency or "", report_id, section_no)


def _numbers_between(conn: sqlite3.Connection, new: list[tuple]) -> list[tuple] | None:
    """(search_order, section rowid) for the new sections (in search order), each between its
    neighbours; None if a gap has no room left.

    A report's sections are consecutive in search order and the new ones belong to new reports,
    so a new section's neighbours are the last section of the report before it and the first of
    the report after it (skipping reports without sections): the reports are read, not every
    section."""
    if not new:
        return []
    new_ids = {row[3] for row in new}
    reports = []  # the other reports, in search order
    gap_of = {}  # a new report -> how many of the others come before it
    for (rid,) in conn.execute(f"SELECT r.id FROM reports r ORDER BY {REPORT_ORDER}"):
        if rid in new_ids:
            gap_of[rid] = len(reports)
        else:
            reports.append(rid)
    ends: dict[int, tuple] = {}  # index in reports -> (first, last search_order) or (None, None)

    def ends_of(i: int) -> tuple:
        if i not in ends:
            ends[i] = conn.execute("SELECT min(search_order), max(search_order) FROM sections "
                                   "WHERE report_id = ?", [reports[i]]).fetchone()
        return ends[i]

    def neighbours(gap: int) -> tuple:
        low = high = None
        i = gap - 1
        while i >= 0 and low is None:
            low = ends_of(i)[1]
            i -= 1
        i = gap
        while i < len(reports) and high is None:
            high = ends_of(i)[0]
            i += 1
        return low, high

    by_gap: dict[tuple, list[int]] = {}
    for rowid, _, _, rid, _ in new:
        by_gap.setdefault(neighbours(gap_of[rid]), []).append(rowid)
    numbers = []
    for (low, high), rowids in by_gap.items():
        k = len(rowids)
        if low is None and high is None:
            taken = [GAP * (i + 1) for i in range(k)]
        elif high is None:
            taken = [low + GAP * (i + 1) for i in range(k)]
        elif low is None:
            taken = [high - GAP * (k - i) for i in range(k)]
        elif high - low - 1 < k:
            return None
        else:
            taken = [low + (high - low) * (i + 1) // (k + 1) for i in range(k)]
        numbers += zip(taken, rowids)
    return numbers
