"""The scale benchmark: `make bench`. Writes build/bench.json and prints a summary.

    python benchmarks/bench.py [--sizes 10000,100000] [--seed 1] [--repeat 10]

For each size N:
1. a corpus of N report files from benchmarks/corpus.py (kept in build/bench/corpus-N and reused
   while the generator and the seed are the same);
2. `ogi build` of it, as a command, timed: wall time, reports/second, the seconds of each step,
   and the peak memory of the whole process tree (the writer and its parsing workers, sampled
   from /proc every 0.25 s); the CPU seconds of those processes, and how the machine's CPUs spent
   the run (``build.cpu``: busy, idle, stolen by the hypervisor), which tell a slow run of the
   code from a slow hour of the machine;
3. the database: bytes per report, and per table;
4. the build against the generator: every file loaded, and the 总计 of 本年新收 of each
   generated report as the hand-checked fixtures say times the generator's factor;
5. Datasette started as `make serve` starts it, on 127.0.0.1: p50/p95 latency of every canned
   query, facetted table pages and report pages, and whether any hit the SQL time limit; the
   weight of a page and its scripts, plain and gzipped.

Once, on the smallest size: the writer against a plain `sqlite-utils insert` of the same rows,
and the HTML reader against `pandas.read_html` on the same files. Once all sizes are built: the
writer and each step after the load alone, per report at each size (benchmarks/growth.py,
``growth_alone``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from server import running, sql_time_limit_ms  # noqa: E402

BENCH = ROOT / "build" / "bench"
TARGETS = {"build_seconds_at_100000": 600, "peak_rss_mb": 500, "p95_ms": 200,
           "pages_at_time_limit": 0, "incremental_no_change_seconds": 10,
           "incremental_add_1_percent_seconds": 60, "bytes_per_report": 25 * 1024,
           "lite_bytes_per_report": 5 * 1024, "reader_vs_floor": 2.0,
           "write_vs_sqlite_utils": 1.5}


# --- corpus ------------------------------------------------------------------------------------

def corpus(n: int, seed: int) -> tuple[Path, dict]:
    """The corpus folder for N, generated unless the same generator made it with the same seed."""
    import corpus as generator

    folder = BENCH / f"corpus-{n}"
    stamp = hashlib.sha256(b"".join(p.read_bytes() for p in [HERE / "corpus.py", *sorted(
        (ROOT / "loaders" / "writers").glob("*.py"))]) + f"{n}:{seed}".encode()).hexdigest()
    stamp_file = folder / "stamp.json"
    if stamp_file.exists() and json.loads(stamp_file.read_text())["stamp"] == stamp:
        return folder, json.loads(stamp_file.read_text())["generated"]
    if folder.exists():
        subprocess.run(["rm", "-rf", str(folder)], check=True)
    print(f"generating {n:,} reports ...", flush=True)
    generated = generator.generate(n, folder, seed=seed, jobs=os.cpu_count() or 1)
    added = max(1, n // 100)  # 1% more, for the incremental build: reports n .. n*1.01
    generated["added"] = generator.generate(n + added, folder / "added", seed=seed,
                                            jobs=os.cpu_count() or 1, start=n)
    stamp_file.write_text(json.dumps({"stamp": stamp, "generated": generated}))
    return folder, generated


# --- build -------------------------------------------------------------------------------------

def _memory(pid: int) -> int:
    """A process's proportional set size (its share of the pages it shares with its parent and
    siblings, plus its own), so that a tree's sum counts each page once; else its RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int] | None:
    """The process's children, from each of its threads' ``children`` file (one small read each;
    None where the kernel has no such file, CONFIG_PROC_CHILDREN)."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += map(int, f.read().split())
    except FileNotFoundError:
        if not os.path.exists(f"/proc/{pid}"):
            return []  # the process (or a thread) ended meanwhile
        return None
    except OSError:
        return []
    return found


def _tree_rss(root_pid: int, cpu: dict[int, float] | None = None) -> tuple[int, int]:
    """(sum, largest) memory in bytes (PSS) of a process and all its descendants. The tree is
    found from the processes' ``children`` files where the kernel has them (a few reads where
    scanning every process's ``stat`` took 1.7 ms a sample), else by that scan. ``cpu``: see
    ``_sizes``."""
    tree = _descendants(root_pid)
    if tree is None:
        return _tree_rss_by_scan(root_pid, cpu)
    return _sizes(tree, cpu)


def _sizes(tree: list[int], cpu: dict[int, float] | None = None) -> tuple[int, int]:
    """(sum, largest) PSS of these processes; with ``cpu``, each one's CPU seconds so far are
    recorded in it too (a process that ended keeps its last figure)."""
    sizes = []
    for pid in tree:
        sizes.append(_memory(pid))
        if cpu is not None and (seconds := _cpu_seconds(pid)) is not None:
            cpu[pid] = seconds
    return sum(sizes), max(sizes, default=0)


def _descendants(root_pid: int) -> list[int] | None:
    """The process and all its descendants, from the ``children`` files (None: the kernel has
    none)."""
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        kids = _children(pid)
        if kids is None:
            return None
        tree.append(pid)
        todo.extend(kids)
    return tree


def _tree_rss_by_scan(root_pid: int, cpu: dict[int, float] | None = None) -> tuple[int, int]:
    """``_tree_rss`` by reading every process's parent from its ``stat``."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat(int(entry))
        try:
            ppid = int(fields[1])
        except (TypeError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return _sizes(tree, cpu)


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    """The fields of a process's ``/proc/PID/stat`` after its name (None: gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user and system) a process has used so far, from its ``stat`` (None: gone)."""
    fields = _stat(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime (fields 14 and 15)


MACHINE_CPU = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def _machine_cpu() -> dict[str, float] | None:
    """Seconds every CPU of the machine has spent in each state since boot (``/proc/stat``'s
    ``cpu`` line; None where there is none). ``steal``: time the hypervisor gave this machine's
    CPUs to another guest, which slows a build without any process showing it."""
    try:
        with open("/proc/stat") as f:
            first = f.readline().split()
    except OSError:
        return None
    if not first or first[0] != "cpu":
        return None
    return {name: int(v) / _TICKS for name, v in zip(MACHINE_CPU, first[1:])}


def cpu_accounting(before: dict[str, float] | None, after: dict[str, float] | None,
                   by_process: dict[int, float], main_pid: int, reports: int, wall: float,
                   cores: int | None = None) -> dict:
    """Where a build's CPU went: the build's own process (the writer, and every step after the
    load) and the others (its parsing processes, the process server that starts them), each at
    the last time the sampler saw it, so a process that ended may lack its last quarter second;
    and the whole machine meanwhile, from ``/proc/stat``, to tell a slow run of the code from a
    slow hour of the machine (``steal``, ``idle`` while the build ran)."""
    writer = by_process.get(main_pid, 0.0)
    others = sum(v for pid, v in by_process.items() if pid != main_pid)
    out = {"writer_process_seconds": round(writer, 1), "other_processes_seconds": round(others, 1),
           "build_cpu_seconds": round(writer + others, 1),
           "build_cpu_ms_per_report": round(1000 * (writer + others) / max(1, reports), 2)}
    if before is not None and after is not None:
        delta = {k: round(after[k] - before[k], 1) for k in MACHINE_CPU if k in before and k in after}
        out["machine_seconds"] = delta
        cores = cores or os.cpu_count() or 1
        out["machine_busy_share"] = round(
            (sum(delta.values()) - delta.get("idle", 0) - delta.get("iowait", 0)
             - delta.get("steal", 0)) / max(1e-9, wall * cores), 3)
    return out


def _ogi(*args: str) -> list[str]:
    return [sys.executable, "-m", "loaders.cli", *args]


def cache_supported() -> bool:
    """Whether this ogi's build takes --cache (issue 18)."""
    out = subprocess.run(_ogi("build", "--help"), cwd=ROOT, capture_output=True, text=True)
    return "--cache" in out.stdout


SAMPLE_SECONDS = 0.25  # how often the build's memory is sampled


def build(folder: Path, db: Path, cache: Path | None = None) -> dict:
    stats = db.with_suffix(".stats.json")
    db.unlink(missing_ok=True)
    command = _ogi("build", str(folder / "reports"), "--db", str(db), "--silent", "--overrides",
                   str(BENCH / "no-overrides.csv"), "--stats-json", str(stats))
    if cache is not None:
        if cache.exists():
            subprocess.run(["rm", "-rf", str(cache)], check=True)
        command += ["--cache", str(cache)]
    peak = {"sum": 0, "largest": 0}
    cpu: dict[int, float] = {}  # pid -> CPU seconds when last sampled
    machine_before = _machine_cpu()
    timeline: list[tuple[float, float, float]] = []  # (seconds, MB of the tree, MB largest)
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample():
        # Every 0.25 s: reading the PSS walks each process's page tables, and at 50 ms the
        # sampler took a quarter of a core from the build it measured (2 cores here). Its own
        # CPU time is reported with the result.
        while not done.is_set():
            total, largest = _tree_rss(proc.pid, cpu)
            peak["sum"] = max(peak["sum"], total)
            peak["largest"] = max(peak["largest"], largest)
            timeline.append((round(time.perf_counter() - started, 1), round(total / 2**20),
                             round(largest / 2**20)))
            peak["sampler_cpu"] = time.thread_time()
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    machine_after = _machine_cpu()
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"ogi build failed: {err.decode()[-2000:]}")
    result = json.loads(stats.read_text())
    reports = result["reports_ok"] + result["reports_with_issues"]
    # peak memory by step: the steps run in the order of their timings, after start-up
    # ("write": part of the load; "sections_index_beside": beside the steps, in another process)
    beside = ("write", "sections_index_beside")
    steps, bounds, at = {}, [], wall - sum(v for k, v in result["seconds"].items()
                                           if k not in beside)
    bounds.append(("start and load", 0.0, at + result["seconds"]["load"]))
    at += result["seconds"]["load"]
    for name, seconds in result["seconds"].items():
        if name not in ("load", *beside):
            bounds.append((name, at, at + seconds))
            at += seconds
    for name, begin, end in bounds:
        inside = [mb for t, mb, _ in timeline if begin <= t <= end + 0.1]
        steps[name] = max(inside, default=None)
    return {"wall_seconds": round(wall, 2), "reports": reports,
            "reports_per_second": round(reports / wall, 1),
            "memory_sampled_every_seconds": SAMPLE_SECONDS,
            "sampler_cpu_seconds": round(peak.get("sampler_cpu", 0.0), 2),
            "peak_rss_mb_all_processes": round(peak["sum"] / 2**20, 1),  # PSS, summed
            "peak_rss_mb_largest_process": round(peak["largest"] / 2**20, 1),
            "peak_mb_by_step": steps,
            "cpu": cpu_accounting(machine_before, machine_after, cpu, proc.pid, reports, wall),
            **result}


def incremental(folder: Path, db: Path, cache: Path | None, reports: int) -> dict:
    """Issue 18: after the main build (with --cache), a build with nothing changed, then one with
    1% new reports (folder/added), timed; null with the reason when the command fails."""
    out: dict = {"reports": reports, "no_change_seconds": None, "added": None,
                 "add_seconds": None}
    if cache is None:
        out["reason"] = "ogi build has no --cache option in this tree (issue 18 not merged)"
        return out
    common = ["--db", str(db), "--cache", str(cache), "--silent", "--overrides",
              str(BENCH / "no-overrides.csv")]
    started = time.perf_counter()
    run = subprocess.run(_ogi("build", str(folder / "reports"), *common), cwd=ROOT,
                         capture_output=True, text=True)
    seconds = time.perf_counter() - started
    said = run.stdout + run.stderr
    if run.returncode != 0:
        out["reason"] = f"no-change build exited {run.returncode}: {said[-500:]}"
        return out
    out["no_change_seconds"] = round(seconds, 2)
    out["no_change_said_nothing_changed"] = "nothing changed" in said
    added = sum(1 for _ in (folder / "added" / "reports").rglob("*.*"))
    started = time.perf_counter()
    run = subprocess.run(_ogi("build", str(folder / "reports"), str(folder / "added" / "reports"),
                              *common), cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        out["reason"] = f"build with 1% added exited {run.returncode}: {(run.stdout + run.stderr)[-500:]}"
        return out
    out["added"], out["add_seconds"] = added, round(seconds, 2)
    with sqlite3.connect(db) as conn:
        out["reports_after"] = conn.execute("select count(*) from reports").fetchone()[0]
    return out


def lite_snapshot(db: Path, reports: int) -> dict:
    """Issue 18: the numbers-only snapshot `ogi snapshot` writes beside the full one."""
    out_dir = db.parent / "snapshot"
    if out_dir.exists():
        subprocess.run(["rm", "-rf", str(out_dir)], check=True)
    out_dir.mkdir(parents=True)
    run = subprocess.run(_ogi("snapshot", "--db", str(db), "--out-dir", str(out_dir)), cwd=ROOT,
                         capture_output=True, text=True)
    lite = sorted(out_dir.glob("ogi-*-numbers.db"))
    if run.returncode != 0 or not lite:
        return {"lite_bytes_per_report": None,
                "lite_reason": (f"ogi snapshot exited {run.returncode}" if run.returncode else
                                "ogi snapshot wrote no ogi-*-numbers.db") + ": "
                + (run.stdout + run.stderr)[-300:]}
    return {"lite_bytes": lite[0].stat().st_size,
            "lite_bytes_per_report": round(lite[0].stat().st_size / max(1, reports))}


def database(db: Path, reports: int) -> dict:
    size = db.stat().st_size
    out = {"bytes": size, "bytes_per_report": round(size / max(1, reports))}
    with sqlite3.connect(db) as conn:
        try:
            per_table = conn.execute(
                "select name, sum(pgsize) from dbstat group by name order by 2 desc").fetchall()
            out["bytes_per_report_by_object"] = {
                name: round(b / max(1, reports)) for name, b in per_table if b / reports >= 50}
        except sqlite3.OperationalError:  # SQLite built without dbstat
            pass
    return out


def fidelity(folder: Path, db: Path) -> dict:
    """Does the database hold what the generator wrote? The expected 总计 of 本年新收 comes
    from the hand-checked fixture of the document the report was made from, times the factor."""
    fixtures = {}
    for path in (ROOT / "tests" / "fixtures" / "expected").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        row = data["applications"].get("new_received")
        fixtures[path.stem] = row[data["columns"].index("total")] if row else None
    with sqlite3.connect(db) as conn:
        got = dict(conn.execute(
            "select r.source_file, a.total from reports r left join applications a "
            "on a.report_id = r.id and a.row_key = 'new_received'"))
        loaded = {r[0] for r in conn.execute("select source_file from reports")}
        failed = conn.execute("select count(*) from load_errors").fetchone()[0]
    checked = agree = blank = 0
    disagree = []
    by_format: dict[str, dict[str, int]] = {}
    files = 0
    for line in open(folder / "manifest.jsonl", encoding="utf-8"):
        row = json.loads(line)
        files += 1
        base = Path(row["base"]).stem
        name = row["file"]  # source_file is the path under reports/, as the manifest has it
        if row.get("prose_only") or row["broken"] or row["blanked"] \
                or fixtures.get(base) is None or name not in loaded:
            continue
        checked += 1
        expected = fixtures[base] * row["factor"]
        counts = by_format.setdefault(row["format"], {"checked": 0, "agree": 0, "not_stored": 0,
                                                      "wrong": 0})
        counts["checked"] += 1
        if got.get(name) == expected:
            agree += 1
            counts["agree"] += 1
        else:
            counts["not_stored" if got.get(name) is None else "wrong"] += 1
            blank += got.get(name) is None
            if len(disagree) < 10:
                disagree.append({"file": row["file"], "expected": expected, "got": got.get(name)})
    return {"files": files, "loaded_as_reports": len(loaded), "load_errors": failed,
            "new_received_checked": checked, "new_received_agree": agree,
            "new_received_not_stored": blank,
            "new_received_wrong": checked - agree - blank, "by_format": by_format,
            "disagreements": disagree}


# --- the site ----------------------------------------------------------------------------------

def _get(url: str, gzip_ok: bool = False) -> tuple[int, bytes, float]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip" if gzip_ok
                                                   else "identity"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            body = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        body, status = e.read(), e.code
    return status, body, time.perf_counter() - started


def pages(db: Path) -> dict[str, str]:
    """Name -> path: every canned query (with the parameters a visitor gives), facetted table
    pages, and report pages."""
    q = urllib.parse.quote
    queries = yaml.safe_load((ROOT / "metadata.yml").read_text("utf-8"))["databases"]["ogi"][
        "queries"]
    values = {"q": q("疫情"), "agency": q("卫生健康局")}
    out = {}
    for name, query in queries.items():
        # A search for a common word; one agency's history; every other query with its boxes
        # empty, as it opens (a rule page then lists all the rule's failures).
        params = sorted(set(re.findall(r":(\w+)", query["sql"])))
        out[f"query:{name}"] = f"/ogi/{name}?" + "&".join(f"{p}={values.get(p, '')}"
                                                          for p in params)
    out["table:reports (facets province, city, year, template, status)"] = "/ogi/reports"
    out["table (facets on request):validation_failures?_facet=rule&_facet=severity"] = \
        "/ogi/validation_failures?_facet=rule&_facet=severity"
    out["table:applications?row_key=total&_sort_desc=total"] = \
        "/ogi/applications?row_key=total&_sort_desc=total"
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("select id from reports order by id")]
    for i in range(0, len(ids), max(1, len(ids) // 20))[:20]:
        out[f"report:{ids[i]}"] = f"/ogi/reports/{ids[i]}"
    return out


def latencies(base: str, paths: dict[str, str], repeat: int) -> dict:
    limit = sql_time_limit_ms()
    results = {}
    for name, path in paths.items():
        _get(base + path)  # warm: first use of a page's SQL and templates
        times, statuses = [], set()
        for _ in range(repeat):
            status, body, seconds = _get(base + path)
            statuses.add(status)
            if b"took too long" in body or b"interrupted" in body:
                statuses.add("time limit")
            if b"facets timed out" in body:  # Datasette drops a facet past facet_time_limit_ms
                statuses.add("facet time limit")
            times.append(seconds * 1000)
        times.sort()
        results[name] = {"path": path, "p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 1),
                         "statuses": sorted(map(str, statuses))}
    reports = [v for k, v in results.items() if k.startswith("report:")]
    summary = {
        "sql_time_limit_ms": limit,
        "hit_time_limit_or_error": sorted(k for k, v in results.items() if v["statuses"] != ["200"]),
        "worst_query_p95_ms": max((v["p95_ms"] for k, v in results.items()
                                   if k.startswith("query:")), default=None),
        "worst_table_page_p95_ms": max((v["p95_ms"] for k, v in results.items()
                                        if k.startswith("table:")), default=None),
        "facets_on_request_p95_ms": max((v["p95_ms"] for k, v in results.items()
                                         if k.startswith("table (facets on request)")),
                                        default=None),
        "report_page_p95_ms": round(sorted(
            t for v in reports for t in [v["p95_ms"]])[-1], 1) if reports else None,
        "report_page_p50_ms": round(statistics.median(v["p50_ms"] for v in reports), 1)
        if reports else None,
    }
    return {"summary": summary, "pages": {k: v for k, v in results.items()
                                          if not k.startswith("report:")},
            "report_pages": {k: v for k, v in results.items() if k.startswith("report:")}}


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.urls.append(a["href"])


def page_weight(base: str, paths: list[str]) -> dict:
    """Bytes a first visit transfers for a page and its scripts and style sheets."""
    out = {}
    for path in paths:
        _, html, _ = _get(base + path)
        parser = _Assets()
        parser.feed(html.decode("utf-8", "replace"))
        assets = [u if u.startswith("http") else base + u for u in parser.urls
                  if u.startswith(("/", base))]
        plain = len(html) + sum(len(_get(u)[1]) for u in assets)
        packed = len(_get(base + path, True)[1]) + sum(len(_get(u, True)[1]) for u in assets)
        out[path] = {"assets": len(assets), "bytes": plain, "bytes_gzip": packed,
                     "vega_loaded": any("vega" in u for u in assets)}
    return out


# --- comparisons -------------------------------------------------------------------------------

REPORT_TABLES = ("reports", "applications", "review_litigation", "active_disclosure", "cells",
                 "parse_issues", "sections", "validation_failures")


def compare_insert(db: Path, write_seconds: float) -> dict:
    """Our writer against sqlite-utils inserting the same rows (read back from the built
    database), into tables it creates itself, as `sqlite-utils insert` does."""
    import sqlite_utils

    source = sqlite3.connect(db)
    source.row_factory = sqlite3.Row
    target_path = BENCH / "sqlite-utils-insert.db"
    target_path.unlink(missing_ok=True)
    target = sqlite_utils.Database(target_path)
    rows_total = 0
    read_seconds = insert_seconds = 0.0
    for table in REPORT_TABLES:
        started = time.perf_counter()
        rows = [dict(r) for r in source.execute(f"select * from {table}")]
        read_seconds += time.perf_counter() - started
        rows_total += len(rows)
        started = time.perf_counter()
        target[table].insert_all(rows, batch_size=1000)
        insert_seconds += time.perf_counter() - started
        del rows
    target.close()
    source.close()
    target_path.unlink(missing_ok=True)
    return {"rows": rows_total, "ours_write_seconds": round(write_seconds, 2),
            "sqlite_utils_insert_seconds": round(insert_seconds, 2),
            "ratio_ours_to_sqlite_utils": round(write_seconds / insert_seconds, 2),
            "note": "ours: the writer's inserts (prepared executemany into the real tables with "
                    "their primary keys, one savepoint per report) plus building the secondary "
                    "indexes afterwards; sqlite-utils: insert_all into tables it creates, no keys "
                    "or indexes; reading the rows back is not counted"}


def compare_html(folder: Path, limit: int = 300) -> dict:
    """Our HTML reader against pandas.read_html on the same generated pages."""
    import pandas

    from loaders.model import Source
    from loaders.readers import html_page

    files = sorted((folder / "reports").rglob("*_html.html"))[:limit]
    started = time.perf_counter()
    ours_tables = 0
    for path in files:
        document = html_page.read(Source.from_path(path))
        ours_tables += len(document.grids)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    theirs_tables = 0
    for path in files:
        try:
            theirs_tables += len(pandas.read_html(path, flavor="lxml"))
        except ValueError:  # "No tables found": a page of prose only
            pass
    theirs = time.perf_counter() - started
    return {"files": len(files), "ours_ms_per_file": round(1000 * ours / len(files), 2),
            "pandas_read_html_ms_per_file": round(1000 * theirs / len(files), 2),
            "ours_tables": ours_tables, "pandas_tables": theirs_tables,
            "pandas_version": pandas.__version__,
            "note": "ours also keeps the prose, source lines and merged-cell positions; pandas "
                    "returns the tables only"}


# --- main --------------------------------------------------------------------------------------

def run_size(n: int, seed: int, repeat: int, compare: bool) -> dict:
    folder, generated = corpus(n, seed)
    db = BENCH / f"n-{n}" / "ogi.db"  # named ogi.db: metadata.yml describes database "ogi"
    db.parent.mkdir(parents=True, exist_ok=True)
    print(f"building {n:,} reports ...", flush=True)
    cache = db.parent / "cache" if cache_supported() else None
    built = build(folder, db, cache)
    print(f"  {built['wall_seconds']} s, {built['reports_per_second']} reports/s, peak "
          f"{built['peak_rss_mb_all_processes']} MB", flush=True)
    out = {"n": n, "corpus": generated, "build": built,
           "database": {**database(db, built["reports"]), **lite_snapshot(db, built["reports"])},
           "fidelity": fidelity(folder, db)}
    secs = built.get("seconds", {})
    # (since the sections' index is written beside the other steps, ``search_index`` is the
    # reports' index, the wait for the sections' and its copy: ``sections_index_beside`` is its
    # writing)
    out["growth"] = {k: round(1000 * secs[k] / max(1, built["reports"]), 3)
                     for k in ("write", "search_index", "sections_index_beside") if k in secs}
    inspect = db.with_suffix(".inspect.json")
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "datasette"), "inspect", str(db),
                    "--inspect-file", str(inspect)], check=True)
    out["datasette_inspect_seconds"] = round(time.perf_counter() - started, 2)
    print("measuring pages ...", flush=True)
    with running(db, inspect) as base:
        out["latency"] = latencies(base, pages(db), repeat)
        out["page_weight"] = page_weight(base, ["/", "/ogi/reports", "/ogi/applications_by_year",
                                                "/ogi/reports/" + next(iter(
                                                    out["latency"]["report_pages"]))[7:]])
    if compare:
        print("readers against their floors ...", flush=True)
        import readers

        out["readers"] = readers.measure(folder)
        print("comparing with sqlite-utils and pandas ...", flush=True)
        out["compare_insert"] = compare_insert(
            db, built["seconds"]["write"] + built["seconds"].get("staged_tables", 0.0)
            + built["seconds"]["indexes"])
        out["compare_html"] = compare_html(folder)
    print("incremental builds ...", flush=True)
    out["incremental"] = incremental(folder, db, cache, built["reports"])
    # this size's figures, kept even if a larger size fails later
    (db.parent / "result.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=10, help="requests per page measured")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    BENCH.mkdir(parents=True, exist_ok=True)
    (BENCH / "no-overrides.csv").write_text("agency,year,name,adcode,kind,sector,level,note\n")
    runs = [run_size(n, args.seed, args.repeat, compare=(n == min(sizes))) for n in sizes]
    growth = [{"n": r["n"], "write_ms_per_report": r["growth"].get("write"),
               "search_index_ms_per_report": r["growth"].get("search_index"),
               "build_ms_per_report": round(1000 * r["build"]["wall_seconds"] / r["n"], 2)}
              for r in runs]
    big = {r["n"]: r for r in growth}
    if 10000 in big and 100000 in big:
        a, b = big[10000], big[100000]
        growth.append({"100k_no_slower_per_report_than_10k": {
            k: (b[k] <= a[k] * 1.05) if a[k] is not None and b[k] is not None else None
            for k in ("write_ms_per_report", "search_index_ms_per_report",
                      "build_ms_per_report")}})
    alone = None
    if len(sizes) > 1:  # each part after the parse alone, on this run's corpus and databases
        print("the writer and the steps after the load, alone ...", flush=True)
        import growth as growth_alone

        alone = growth_alone.measure(sorted(sizes))
    report = {
        "readers": next((r["readers"] for r in runs if "readers" in r), None),
        "growth": growth,
        "growth_alone": alone,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "sqlite": sqlite3.sqlite_version, "platform": platform.platform()},
        "targets": TARGETS, "runs": runs,
        "scaling": [{"n": r["n"], "wall_seconds": r["build"]["wall_seconds"],
                     "ms_per_report": round(1000 * r["build"]["wall_seconds"] / r["n"], 2),
                     "peak_rss_mb": r["build"]["peak_rss_mb_all_processes"],
                     "bytes_per_report": r["database"]["bytes_per_report"]} for r in runs],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print_summary(report)
    print(f"wrote {args.out}")
    return 0


def print_summary(report: dict) -> None:
    print(f"\n{'N':>8} {'build s':>8} {'rep/s':>7} {'ms/rep':>7} {'RSS MB':>7} {'B/rep':>7} "
          f"{'query p95':>9} {'table p95':>9} {'report p95':>10} {'limit hit':>9}")
    for r in report["runs"]:
        lat = r["latency"]["summary"]
        print(f"{r['n']:>8,} {r['build']['wall_seconds']:>8} {r['build']['reports_per_second']:>7}"
              f" {1000 * r['build']['wall_seconds'] / r['n']:>7.2f}"
              f" {r['build']['peak_rss_mb_all_processes']:>7} {r['database']['bytes_per_report']:>7}"
              f" {lat['worst_query_p95_ms']:>9} {lat['worst_table_page_p95_ms']:>9}"
              f" {lat['report_page_p95_ms']:>10} {len(lat['hit_time_limit_or_error']):>9}")
    for r in report["runs"]:
        c = r["corpus"]
        print(f"corpus {r['n']:,}: generated at {c.get('ms_per_file')} ms/file ({c.get('jobs')} "
              f"processes); median KB by format: " + ", ".join(
                  f"{k} {v / 1024:.0f}" for k, v in c.get("median_bytes_by_format", {}).items()))
        f = r["fidelity"]
        print(f"fidelity {r['n']:,}: {f['new_received_agree']}/{f['new_received_checked']} agree, "
              f"{f['new_received_not_stored']} not stored, {f['new_received_wrong']} wrong; "
              f"{f['load_errors']} load errors")
        beside = r["growth"].get("sections_index_beside")
        print(f"growth {r['n']:,}: write {r['growth'].get('write')} ms/report, search index "
              f"{r['growth'].get('search_index')} ms/report"
              + (f" (the sections' index beside the other steps {beside} ms/report)"
                 if beside is not None else ""))
        cpu = r["build"].get("cpu") or {}
        if cpu:
            m = cpu.get("machine_seconds") or {}
            print(f"cpu {r['n']:,}: {cpu['build_cpu_ms_per_report']} ms/report "
                  f"({cpu['writer_process_seconds']} s in the writer's process, "
                  f"{cpu['other_processes_seconds']} s in the others); machine busy "
                  f"{cpu.get('machine_busy_share')}, steal {m.get('steal')} s, "
                  f"idle {m.get('idle')} s")
    readers = report.get("readers") or {}
    if readers:
        print(f"\n{'reader':>12} {'files':>5} {'ms':>8} {'floor ms':>8} {'x floor':>7} {'load ms':>8}"
              f" {'Python ms':>9}")
        for fmt, v in readers.items():
            print(f"{fmt:>12} {v['files']:>5} {v['ms_per_report_median']:>8} "
                  f"{v['floor_ms_per_report_median']:>8} {v['times_floor']:>7} "
                  f"{v['load_ms_per_report_median']:>8} "
                  f"{v.get('python_ms_per_report_median', ''):>9}")
    t = report["targets"]
    print("\ntargets:")
    for r in report["runs"]:
        lat, inc, db = r["latency"]["summary"], r.get("incremental", {}), r["database"]

        def line(name, value, target, ok):
            mark = "n/a " if value is None else ("ok  " if ok(value, target) else "MISS")
            print(f"  {mark} N={r['n']:>7,} {name}: {value} (target {target})")
        le = lambda v, tg: v <= tg  # noqa: E731
        if r["n"] == 100000:
            line("build seconds", r["build"]["wall_seconds"], t["build_seconds_at_100000"], le)
        line("peak MB (PSS, all processes)", r["build"]["peak_rss_mb_all_processes"],
             t["peak_rss_mb"], le)
        line("worst canned query p95 ms", lat["worst_query_p95_ms"], t["p95_ms"], le)
        line("report page p95 ms", lat["report_page_p95_ms"], t["p95_ms"], le)
        line("pages at the time limit or failing", len(lat["hit_time_limit_or_error"]),
             t["pages_at_time_limit"], le)
        line("incremental, nothing changed, s", inc.get("no_change_seconds"),
             t["incremental_no_change_seconds"], le)
        line("incremental, 1% added, s", inc.get("add_seconds"),
             t["incremental_add_1_percent_seconds"], le)
        line("database bytes/report", db["bytes_per_report"], t["bytes_per_report"], le)
        line("lite database bytes/report", db.get("lite_bytes_per_report"),
             t["lite_bytes_per_report"], le)
    for fmt, v in readers.items():
        ratio = v['times_floor']
        bound = v.get("times_floor_bound")
        # the floor plus making the reader's output alone: over the target, no reader that
        # returns the document's cells can meet it (benchmarks/readers.py)
        beyond = (f"; the floor plus making its output alone: {bound}x" if bound is not None
                  and bound > t["reader_vs_floor"] else "")
        print(f"  {'ok  ' if ratio is not None and ratio <= t['reader_vs_floor'] else 'MISS'}"
              f" reader {fmt}: {ratio}x its floor, {v['floor']} (target {t['reader_vs_floor']}x"
              f"{beyond})")
    for r in report["runs"]:
        if "compare_insert" in r:
            c, h = r["compare_insert"], r["compare_html"]
            print(f"writer vs sqlite-utils insert ({c['rows']:,} rows): "
                  f"{c['ours_write_seconds']} s vs {c['sqlite_utils_insert_seconds']} s "
                  f"({c['ratio_ours_to_sqlite_utils']}x)")
            print(f"HTML reader vs pandas.read_html ({h['files']} pages): "
                  f"{h['ours_ms_per_file']} vs {h['pandas_read_html_ms_per_file']} ms per page")


if __name__ == "__main__":
    sys.exit(main())
