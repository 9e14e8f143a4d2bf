"""The build's work after the parse, per report, at two sizes, each part alone in this process
(issue 17: "the rest of the build no slower per report at 100,000 than at 10,000").

    python benchmarks/growth.py [--sizes 10000,100000] [--sample 2000] [--out build/growth.json]

In ``make bench`` the writer runs beside two parsing processes on two cores, so its wall time
per report is as much the machine's as its own, and the steps after the load read a database
the page cache may or may not hold. Here each part runs alone, in CPU seconds:

- **the writer**: ``Store.add_rows`` of the rows of ``sample`` reports of the bench's 10,000
  corpus (made once, before the clock starts), written again and again under new report ids
  into a database of each size from empty, the databases written in turn, a block of 500
  reports each (``writer``); CPU ms per report for each size;
- **the steps after the load**, on a copy of the database ``make bench`` built at each size
  (build/bench/n-N/ogi.db) from which their output is taken out first: the indexes (``INDEXES``),
  the rules across years and what follows them (``failures.write``), the summaries and the
  search indexes (``search_index.write``: both in this process, where a build writes the
  sections' in another, beside the other steps), the smaller sizes before and after the largest
  (the lower of the two kept); CPU and wall seconds, and CPU ms per report (of this
  process: with ``OGI_PURE_PYTHON=1`` the search index's segmenting workers are not counted).

``no_slower_per_report`` compares each part's ms per report at the largest size with the
smallest's (within 5%). Where it is slower, ``per_report_data`` says whether the databases
differ per report: the rules across years compare each report with its agency's report of the
year before, and the generated corpus holds more such pairs per report at 100,000 (its agencies
are drawn from a fixed list).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "build" / "bench"


def writer(corpus: Path, sizes: list[int], sample: int, block: int = 500) -> dict:
    """CPU ms per report of ``Store.add_rows`` writing a database of each size from empty.

    The databases are written at the same time, a block of reports to each in turn, so that the
    machine's drift (this one's speed moves by 15% within an hour) falls on all of them alike:
    the largest is written once, each smaller one again from empty (a new file) whenever it is
    full, until the largest is."""
    from loaders.pipeline import load_report
    from loaders.store import Store, agency_of, as_tuples, report_to_rows

    rows = []
    for line in list(open(corpus / "manifest.jsonl", encoding="utf-8"))[:sample]:
        report = load_report(corpus / "reports" / json.loads(line)["file"])
        rows.append((as_tuples(report_to_rows(report)), agency_of(report)))

    def renamed(tables: dict, k: int) -> dict:
        old, new = tables["reports"][0][0], f"{k:016x}"
        return {t: [tuple(new if v == old else v for v in r) for r in rs]
                for t, rs in tables.items()}

    def discard(store: Store) -> None:  # (a Store left by an exception removes its file)
        store.__exit__(_Done, _Done(), None)

    largest = max(sizes)
    cpu = {n: 0.0 for n in sizes}
    written = {n: 0 for n in sizes}  # reports timed, all databases of the size together
    with tempfile.TemporaryDirectory() as folder:
        stores = {n: Store(Path(folder) / f"ogi-{n}.db").__enter__() for n in sizes}
        try:
            k = 0  # reports written to the largest
            while k < largest:
                for n in sizes:
                    for _ in range(block):
                        count = written[n] % n  # in the database of this size being written
                        if n == largest and written[n] >= largest:
                            break
                        tables, agency = rows[(written[n] + n) % len(rows)]
                        tables = renamed(tables, count)  # (not timed)
                        started = time.process_time()
                        stores[n].add_rows(tables, agency)
                        cpu[n] += time.process_time() - started
                        written[n] += 1
                        if written[n] % n == 0 and n != largest:  # full: again from empty
                            discard(stores[n])
                            stores[n] = Store(Path(folder) / f"ogi-{n}.db").__enter__()
                k = written[largest]
        finally:
            for store in stores.values():
                discard(store)
    return {"sample": len(rows), "block": block, "reports_timed": written,
            "cpu_ms_per_report": {n: round(1000 * cpu[n] / written[n], 3) for n in sizes}}


class _Done(Exception):
    pass


def steps(db: Path) -> dict:
    """The steps after the load, on a copy of ``db`` emptied of what they write."""
    import sqlite_utils

    from loaders import checks
    from loaders.checks import stored
    from loaders.derived import failures, search_index, summaries
    from loaders.store import schema
    from loaders.store import writer
    from loaders.store.writer import CACHE_KIB

    with tempfile.TemporaryDirectory(dir=db.parent) as folder:
        path = Path(folder) / "ogi.db"
        shutil.copyfile(db, path)
        conn = sqlite3.connect(path)
        reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        with conn:  # take out what the steps write (their pages stay in the file, free)
            conn.execute("DROP TABLE IF EXISTS sqlite_stat1")  # the build's ANALYZE comes last
            conn.execute("DELETE FROM check_errors WHERE report_id IS NULL")  # (across years)
            for name in re.findall(r"CREATE (?:UNIQUE )?INDEX (\w+)", schema.INDEXES):
                conn.execute(f"DROP INDEX {name}")
            codes = [rule.code for rule, _ in checks.corpus_rules()]
            conn.execute(f"DELETE FROM failures WHERE rule IN ({', '.join('?' * len(codes))})",
                         codes)
            for name in re.findall(r"INDEX IF NOT EXISTS (\w+)", " ".join(stored.FAILURE_INDEXES)):
                conn.execute(f"DROP INDEX {name}")
            tables = re.findall(r"CREATE TABLE (\w+)", summaries.SCHEMA)
            for table in tables:
                conn.execute(f"DELETE FROM {table}")
            for name in re.findall(r"CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?(\w+)",
                                   summaries.INDEXES):
                conn.execute(f"DROP INDEX IF EXISTS {name}")
            made = dict(conn.execute("SELECT name, sql FROM sqlite_master "
                                     "WHERE name IN ('sections_fts', 'reports_fts')"))
            for name in made:
                conn.execute(f"DROP TABLE {name}")
            for sql in made.values():
                conn.execute(sql)
            conn.execute("INSERT INTO sections_fts (sections_fts, rank) VALUES "
                         "('hashsize', 16777216)")
            conn.execute("DROP INDEX idx_sections_search_order")
            conn.execute("UPDATE sections SET search_order = NULL")
            pairs = conn.execute(
                "SELECT count(*) FROM reports cur JOIN reports prev ON prev.agency_id = "
                "cur.agency_id AND prev.year = cur.year - 1").fetchone()[0]
            failures_left = conn.execute("SELECT count(*) FROM failures").fetchone()[0]
        conn.close()
        db_ = sqlite_utils.Database(path)
        for pragma in ("synchronous = OFF", "journal_mode = TRUNCATE",  # as Store's steps run
                       f"cache_size = -{CACHE_KIB}"):
            db_.conn.execute(f"PRAGMA {pragma}")
        out = {"reports": reports,
               "per_report_data": {
                   "pairs_of_consecutive_years": round(pairs / reports, 3),
                   "failures_of_single_reports": round(failures_left / reports, 3)}}
        for name, step in (
                ("indexes", lambda: writer.create_indexes(db_.conn)),  # as a build does
                ("checks", lambda: failures.write(db_)),
                ("summaries", lambda: summaries.write(db_.conn)),
                ("search_index", lambda: search_index.write(db_, jobs=2))):
            wall, cpu = time.perf_counter(), time.process_time()
            step()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            out[name] = {"cpu_seconds": round(cpu, 2), "wall_seconds": round(wall, 2),
                         "cpu_ms_per_report": round(1000 * cpu / reports, 4)}
        db_.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "growth.json")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if not (BENCH / f"corpus-{sizes[0]}" / "manifest.jsonl").exists():
        print(f"no corpus of {sizes[0]:,} in {BENCH}: run make bench first", file=sys.stderr)
        return 1
    result = measure(sizes, args.sample)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


def measure(sizes: list[int], sample: int = 2000) -> dict:
    """The writer up to the largest size, and the steps on each size's database that is there
    (``make bench``'s build/bench/n-N/ogi.db)."""
    corpus = BENCH / f"corpus-{sizes[0]}"
    result = {"writer": writer(corpus, sizes, sample), "steps": {}}
    print(f"writer, CPU ms a report: {result['writer']['cpu_ms_per_report']}", flush=True)
    # The smaller sizes before and after the largest, the lower of the two kept for each step:
    # the machine's drift during the largest's minute falls on both sides of it.
    for n in [*sizes, *sizes[:-1]]:
        db = BENCH / f"n-{n}" / "ogi.db"
        if not db.exists():
            continue
        got = steps(db)
        if n in result["steps"]:
            got = {k: min(v, got[k], key=lambda s: s["cpu_ms_per_report"])
                   if isinstance(v, dict) and "cpu_ms_per_report" in v else v
                   for k, v in result["steps"][n].items()}
        result["steps"][n] = got
        print(f"steps at {n:,}: " + ", ".join(
            f"{k} {v['cpu_ms_per_report']} ms" for k, v in got.items()
            if isinstance(v, dict) and "cpu_ms_per_report" in v), flush=True)
    small, large = sizes[0], sizes[-1]
    verdict = {}
    per = result["writer"]["cpu_ms_per_report"]
    if small in per and large in per:
        verdict["writer"] = per[large] <= per[small] * 1.05
    if small in result["steps"] and large in result["steps"]:
        a, b = result["steps"][small], result["steps"][large]
        for name in ("indexes", "checks", "summaries", "search_index"):
            verdict[name] = b[name]["cpu_ms_per_report"] <= a[name]["cpu_ms_per_report"] * 1.05
    result["no_slower_per_report"] = verdict
    print(f"no slower per report at {large:,} than at {small:,} (within 5%): {verdict}")
    return result


if __name__ == "__main__":
    sys.exit(main())
