"""Dated snapshots of the database, each with a manifest saying exactly what it holds.

``make snapshot`` (``ogi snapshot``) copies ``build/ogi.db`` to ``build/ogi-YYYY-MM-DD.db`` with
SQLite's backup API (a consistent copy even if a reader has it open) and writes
``build/ogi-YYYY-MM-DD.manifest.json`` beside it: the snapshot's sha256 and size, the row count
of every table, every source file with its sha256, whether it loaded and where it was published
(``url``, ``published_by``, ``fetched_on`` from sources.csv, null without one), and the software
version.
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


def snapshot(db_path: Path, out_dir: Path, date: dt.date | None = None) -> tuple[Path, Path]:
    """Write the dated copy and its manifest; return their paths."""
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
    data = {
        "snapshot": target.name,
        "date": date.isoformat(),
        "bytes": target.stat().st_size,
        "sha256": file_sha256(target),
        "software": {"name": "ogi-reports", "version": __version__},
        **manifest(target),
    }
    manifest_path = target.with_suffix(".manifest.json")
    manifest_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
    return target, manifest_path
