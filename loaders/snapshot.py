"""Dated snapshots of the database, each with a manifest saying exactly what it holds.

``make snapshot`` (``ogi snapshot``) copies ``build/ogi.db`` to ``build/ogi-YYYY-MM-DD.db`` with
SQLite's backup API (a consistent copy even if a reader has it open) and writes
``build/ogi-YYYY-MM-DD.manifest.json`` beside it: the snapshot's sha256 and size, the row count
of every table, every source file with its sha256, whether it loaded and where it was published
(``url``, ``published_by``, ``fetched_on`` from sources.csv, null without one), and the software
version.

It also writes ``build/ogi-YYYY-MM-DD-numbers.db`` (``numbers_only``), the numbers without their
provenance: reports, applications, review_litigation, active_disclosure, the failures
(``validation_failures``) and check errors, agencies, the summaries and the reference tables; no
cells, parse issues, prose or search index. A few KB a report, for analysts who need the figures
and not where each stood (that is in the full snapshot). Its manifest entry is ``numbers_only``
in the full snapshot's manifest: its name, size, sha256 and row counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

from . import __version__


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(db_path: Path) -> dict:
    """What a database holds: row counts per table and its source files (no hash of the file)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
            "and name not like 'sections_fts_%' order by name")]
        counts = {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
        sources = [
            {"file": f, "sha256": sha, "report_id": rid, "loaded": rid is not None, "url": url,
             "published_by": by, "fetched_on": fetched}
            for f, sha, rid, url, by, fetched in conn.execute(
                "select source_file, source_sha256, id, source_url, source_published_by, "
                "source_fetched_on from reports "
                "union all select source_file, source_sha256, null, null, null, null "
                "from load_errors order by 1")]
        build_info = dict(conn.execute("select key, value from build_info"))
    finally:
        conn.close()
    return {"tables": counts, "sources": sources, "build_info": build_info}


# Left out of the numbers-only copy: where each number stood, the parse issues, the prose and the
# search indexes (and what reads them: the view cells, the table cell_keys is kept as reference),
# and build_files, the building machine's list of its files (their mtimes) for its next
# incremental build (the manifest lists the sources).
NOT_NUMBERS = ("cell_values", "cells", "parse_issues", "sections", "sections_fts", "reports_fts",
               "sqlite_stat1", "build_files")


def _is_numbers(name: str) -> bool:
    return not name.startswith(("sqlite_", "sections_fts", "reports_fts")) \
        and name not in NOT_NUMBERS


def numbers_only(db_path: Path, out_path: Path) -> Path:
    """Copy the database's numbers, without their provenance (``NOT_NUMBERS`` left out), to
    ``out_path`` (replaced): every other table and view with its schema and rows, rowids kept,
    and the indexes that find a report's rows (``idx_*_report``, and the keys the views join
    on), not those of the site's listings. Returns ``out_path``."""
    out_path = Path(out_path)
    tmp = out_path.with_name(out_path.name + ".partial")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("ATTACH ? AS full", [f"file:{db_path}?mode=ro"])
        schema = conn.execute(
            "SELECT type, name, tbl_name, sql FROM full.sqlite_master WHERE sql IS NOT NULL "
            "ORDER BY type = 'index', type = 'view', rowid").fetchall()
        with conn:
            for kind, name, table, sql in schema:
                if not (_is_numbers(name) and _is_numbers(table)):
                    continue
                if kind == "index" and not name.endswith(("_report", "_position")):
                    continue  # the site's listing orders: an analyst's copy does without
                conn.execute(sql)
                if kind == "table":
                    conn.execute(f'INSERT INTO main."{name}" {_columns(conn, name)} '
                                 f'FROM full."{name}" ORDER BY 1')
        conn.execute("DETACH full")
        conn.execute("ANALYZE")
        conn.commit()
    finally:
        conn.close()
    tmp.replace(out_path)
    return out_path


def _columns(conn: sqlite3.Connection, table: str) -> str:
    """``(rowid, a, b) SELECT rowid, a, b``: a table's rows with their rowids (a WITHOUT ROWID
    table has none)."""
    names = [f'"{r[1]}"' for r in conn.execute(f'PRAGMA main.table_info("{table}")')]
    without_rowid = conn.execute(
        "SELECT sql LIKE '%WITHOUT ROWID%' FROM main.sqlite_master WHERE name = ?",
        [table]).fetchone()[0]
    listed = ", ".join(names if without_rowid else ["rowid", *names])
    return f"({listed}) SELECT {listed}"


def snapshot(db_path: Path, out_dir: Path, date: dt.date | None = None) -> tuple[Path, Path]:
    """Write the dated copy, its numbers-only copy and the manifest; return the paths of the
    copy and the manifest."""
    date = date or dt.date.today()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"ogi-{date.isoformat()}.db"
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    tmp.replace(target)
    numbers = numbers_only(target, out_dir / f"ogi-{date.isoformat()}-numbers.db")
    data = {
        "snapshot": target.name,
        "date": date.isoformat(),
        "bytes": target.stat().st_size,
        "sha256": file_sha256(target),
        "software": {"name": "ogi-reports", "version": __version__},
        **manifest(target),
        "numbers_only": {"snapshot": numbers.name, "bytes": numbers.stat().st_size,
                         "sha256": file_sha256(numbers),
                         "tables": manifest(numbers)["tables"]},
    }
    manifest_path = target.with_suffix(".manifest.json")
    manifest_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
    return target, manifest_path
