"""Incremental builds: what changed since the previous database, and how that database is brought
up to date (a copy of it, written by ``writer.Store`` in its update mode and renamed over it when
complete, as a build from scratch is).

Every database lists the files it was built from in ``build_files`` (name, size, mtime_ns,
sha256, the report written, the agency facts the agencies table is tallied from) and records in
``build_info`` the versions and digests that decide what kind of build the next one is:

- ``loader_version`` (loaders/cache.py): what makes a report's rows. Another one: every file is
  parsed again (a build from scratch).
- ``build_version``: the code that writes and derives (the writer, the rules across years, the
  agencies, the summaries). Another one: a build from scratch, parses reused from the cache.
- ``overrides_sha256`` (agencies.csv) and ``sources_sha256`` (the sources manifests, as read):
  another one, a build from scratch (the cache still serves every report that agencies.csv does
  not name).
- otherwise, file by file (more than half of the files added, changed or removed: a build from
  scratch, no slower than updating a copy; a file that hit an internal error is not listed: every build tries
  it again): a file whose size and mtime are as listed is unchanged, without being
  read; one whose stat changed is hashed, and unchanged if its sha256 is. Nothing changed: the
  database is left as it is, not even touched. Else the reports of the new, changed and removed
  files are deleted and written again (with any other file of the same content, so that which of
  two copies is loaded is decided in input order, as from scratch), the rules across years re-run
  for the agencies concerned, their rows of ``agencies`` tallied again, the summaries counted
  again and the search indexes updated row by row (``search_index.remove`` and ``add``: the
  reports removed, added, and those of the agencies tallied again).

The result holds the same rows as a build from scratch of the same files. What may differ: the
rowids, and the ``id`` of ``parse_issues``, ``validation_failures``, ``check_errors`` and
``load_errors`` (numbers in order of insertion, arbitrary), and ``sqlite_stat1`` (ANALYZE is not
re-run: the statistics of the previous build still describe the data).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import build_version, loader_version
from ..snapshot import file_sha256
from ..derived import search_index
from ..derived.keys import temp_keys
from .schema import delete_reports

if TYPE_CHECKING:
    from ..inputs import Inputs

FILES_SCHEMA = """
CREATE TABLE build_files (
  name TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT, report_id TEXT,
  agency TEXT
)"""
INSERT_FILE = "INSERT OR REPLACE INTO build_files VALUES (?, ?, ?, ?, ?, ?)"

# build_files.agency: what a report said of its agency (``store.agency_of``), as a JSON array:
# the version of the encoding, then the facts below in this order. The facts its reports row
# holds (the agency's id, its place, the year) are read from that row (``agency_facts``), not
# stored twice.
AGENCY_FACTS_VERSION = 1
_STORED_FACTS = ("name", "function", "kind", "sector", "level", "override_note",
                 "name_as_written")
_REPORT_FACTS = {"id": "agency_id", "province": "province", "city": "city", "county": "county",
                 "adcode": "adcode", "place_status": "place_status", "year": "year"}
# Every fact ``store.agency_of`` gives (a build from scratch stages them: ``Store.add_rows``).
AGENCY_FACTS = (*_REPORT_FACTS, *_STORED_FACTS)


def encode_agency(agency: dict) -> str:
    """``agency`` (``store.agency_of``) as build_files stores it: without the keys, and without
    the facts its report's row holds. A fact it would not keep is an error, not a silent loss:
    an incremental build would tally agencies without it, a build from scratch with it."""
    unknown = set(agency) - set(_STORED_FACTS) - set(_REPORT_FACTS)
    if unknown:
        raise ValueError(f"agency facts build_files does not store: {sorted(unknown)}")
    return json.dumps([AGENCY_FACTS_VERSION, *(agency[k] for k in _STORED_FACTS)],
                      ensure_ascii=False, separators=(",", ":"))


def decode_agency(stored: str, report: dict) -> dict:
    """The facts ``encode_agency`` stored, with those read from the report's row ``report``
    (its columns named as in _REPORT_FACTS), as ``store.agency_of`` gave them."""
    values = json.loads(stored)
    if values[0] != AGENCY_FACTS_VERSION:
        raise ValueError(f"build_files.agency of an unknown version: {values[0]!r}")
    facts = dict(zip(_STORED_FACTS, values[1:], strict=True))
    facts.update({k: report[column] for k, column in _REPORT_FACTS.items()})
    return facts


def digest(data) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True,
                                     default=str).encode()).hexdigest()


@dataclass
class State:
    """What a build is asked to build: its inputs with their stat, and the build_info keys."""

    inputs: Inputs
    stats: dict[str, tuple[int, int] | None]
    keys: dict[str, str]

    @classmethod
    def of(cls, inputs: Inputs, overrides_rows: list[dict], manifest) -> "State":
        stats = {}
        for path, name in inputs.locations():
            try:
                st = os.stat(path)
                stats[name] = (st.st_size, st.st_mtime_ns)
            except OSError:
                stats[name] = None
        sources = sorted((name, vars(p)) for name, p in manifest.by_file.items())
        keys = {"loader_version": loader_version(), "build_version": build_version(),
                "overrides_sha256": digest(overrides_rows),
                "sources_sha256": digest([sources, manifest.problems])}
        return cls(inputs, stats, keys)


@dataclass
class Plan:
    """What an incremental build does: parse ``inputs`` (in input order) after deleting the
    reports ``report_ids`` and what the files ``names`` left (load errors, build_files rows)."""

    base: Path
    inputs: list[tuple[Path, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    report_ids: set[str] = field(default_factory=set)
    added: int = 0
    changed: int = 0
    removed: int = 0
    touched: int = 0  # stat changed, content not

    @property
    def summary(self) -> str:
        return (f"updated: {self.added} added, {self.changed} changed, {self.removed} removed "
                f"({len(self.inputs)} file{'s' if len(self.inputs) != 1 else ''} loaded again)")


@dataclass
class Decision:
    plan: Plan | None = None  # None: build from scratch
    note: str | None = None  # why it is a build from scratch, or that nothing changed
    nothing_changed: bool = False
    check_errors: int = 0  # rules that raised, in the database left as it was


def decide(db_path: Path, state: State) -> Decision:
    """Compare the previous database at ``db_path`` with ``state`` (read only: the file is not
    touched)."""
    db_path = Path(db_path)
    if not db_path.is_file():
        return Decision()
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            info = dict(conn.execute("SELECT key, value FROM build_info"))
            check_errors = conn.execute("SELECT count(*) FROM check_errors").fetchone()[0]
            listed = {name: (size, mtime, sha, rid) for name, size, mtime, sha, rid in
                      conn.execute("SELECT name, size, mtime_ns, sha256, report_id "
                                   "FROM build_files")}
        finally:
            conn.close()
    except sqlite3.Error:
        return Decision(note=f"{db_path} does not list the files it was built from: "
                             "built from scratch")
    keys = state.keys
    if info.get("loader_version") != keys["loader_version"]:
        return Decision(note=f"the loader changed (version {info.get('loader_version')} -> "
                             f"{keys['loader_version']}): every file parsed again, built from "
                             "scratch")
    if info.get("build_version") != keys["build_version"]:
        return Decision(note="the build code changed: built from scratch (parses reused from "
                             "the cache)")
    if info.get("overrides_sha256") != keys["overrides_sha256"]:
        return Decision(note="agencies.csv changed: built from scratch (the reports it names "
                             "parsed again)")
    if info.get("sources_sha256") != keys["sources_sha256"]:
        return Decision(note="the sources manifest changed: built from scratch")
    plan = Plan(db_path)
    changed: dict[str, str | None] = {}  # name -> new sha256
    for path, name in state.inputs:
        old = listed.get(name)
        stat = state.stats[name]
        unread = old is not None and old[2] is None  # the file could not be read last time
        if old is not None and stat is not None and (old[0], old[1]) == stat and not unread:
            continue
        try:
            sha = file_sha256(path)
        except OSError:
            sha = None
        if unread and sha is None:
            continue  # still unreadable (its load error stands); readable now (chmod): changed
        if old is not None and sha is not None and sha == old[2]:
            plan.touched += 1  # same bytes: unchanged (its new mtime is not recorded)
            continue
        changed[name] = sha
        if old is None:
            plan.added += 1
        else:
            plan.changed += 1
    names = {name for _, name in state.inputs}
    removed = set(listed) - names
    plan.removed = len(removed)
    if not changed and not removed:
        return Decision(note=f"nothing changed: {db_path} is up to date", nothing_changed=True,
                        check_errors=check_errors)
    if len(changed) + len(removed) > max(len(listed), len(names)) // 2:
        # Most of it: a copy with most rows deleted is no quicker than a new file, only larger.
        return Decision(note=f"{len(changed)} files added or changed, {len(removed)} removed: "
                             "built from scratch")
    ids = {sha[:16] for sha in changed.values() if sha}
    ids |= {listed[n][2][:16] for n in (set(changed) | removed) if n in listed and listed[n][2]}
    plan.report_ids = ids
    plan.inputs = [(path, name) for path, name in state.inputs
                   if name in changed or (name in listed and listed[name][2]
                                          and listed[name][2][:16] in ids)]
    plan.names = removed | {name for _, name in plan.inputs}
    return Decision(plan=plan)


def clear(conn: sqlite3.Connection, plan: Plan) -> set[str]:
    """Delete what the plan's files left in the copy of the database: their reports' sections
    from the search index, then their rows in every table (``schema.delete_reports``), their
    load errors and their build_files rows. The agencies whose reports were deleted are returned
    (their rules across years and rows are redone)."""
    ids = sorted(plan.report_ids)
    with temp_keys(conn, "ogi_ids", ids) as deleted:
        agencies = {a for (a,) in conn.execute(
            f"SELECT DISTINCT agency_id FROM reports WHERE id IN (SELECT key FROM {deleted}) "
            "AND agency_id IS NOT NULL")}
    search_index.remove(conn, ids)  # a contentless index is told what it indexed: rows first
    delete_reports(conn, ids)
    with temp_keys(conn, "ogi_names", plan.names) as names:
        conn.execute(f"DELETE FROM load_errors WHERE source_file IN (SELECT key FROM {names})")
        conn.execute(f"DELETE FROM build_files WHERE name IN (SELECT key FROM {names})")
    return agencies


def agency_facts(conn: sqlite3.Connection, agencies: set[str],
                 order: dict[str, int]) -> list[dict]:
    """The facts each report of ``agencies`` gave of its agency, in input order (the order a
    build from scratch tallies them in)."""
    columns = list(dict.fromkeys(_REPORT_FACTS.values()))
    with temp_keys(conn, "ogi_scope_facts", agencies) as scope:
        found = conn.execute(f"""SELECT f.name, f.agency, {", ".join(f"r.{c}" for c in columns)}
            FROM build_files f
            JOIN reports r ON r.id = f.report_id
            WHERE r.agency_id IN (SELECT key FROM {scope})
              AND f.agency IS NOT NULL""").fetchall()
    found.sort(key=lambda row: order.get(row[0], len(order)))
    return [decode_agency(row[1], dict(zip(columns, row[2:]))) for row in found]
