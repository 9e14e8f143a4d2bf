"""Load test of the published site: `make loadtest`.

Starts Datasette exactly as `make serve` does (on a free port of 127.0.0.1, over build/ogi.db),
then drives the table pages, facets, canned queries, the JSON API, CSV, search, report pages and
source views with concurrent clients for a fixed number of requests (and at most a fixed time),
and prints requests/second, p50/p99 latency and the errors. Also written to build/loadtest.json.

    python benchmarks/loadtest.py [--requests 3000] [--clients 16] [--max-seconds 120]

Loopback only: it never sends a request anywhere but the server it started.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import running, sql_time_limit_ms  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "build" / "ogi.db"
INSPECT = ROOT / "build" / "inspect.json"  # `make loadtest` writes it first


def urls() -> list[str]:
    """Every kind of page, with the parameters a visitor would give."""
    with sqlite3.connect(DB) as conn:
        ids = [r[0] for r in conn.execute("select id from reports")]
        provinces = [r[0] for r in conn.execute(
            "select distinct province from reports where province is not null")]
    queries = yaml.safe_load((ROOT / "metadata.yml").read_text("utf-8"))["databases"]["ogi"][
        "queries"]
    q = urllib.parse.quote
    out = ["/", "/about", "/ogi", "/ogi/reports", "/ogi/reports?_sort_desc=check_errors",
           "/ogi/validation_failures?_facet=rule", "/ogi/applications?row_key=total",
           "/ogi/cells?_sort=source_line", "/ogi/agencies", "/ogi/divisions?level=county",
           "/ogi/reports.json?_shape=array", "/ogi/validation_failures.json?_shape=array",
           "/ogi/applications.csv?_dl=1", "/ogi/reports.csv?_bom=1&_dl=1",
           f"/ogi/sections?_search={q('申请')}", f"/ogi/sections?_search={q('鄞州区')}",
           "/ogi/reports?_search=Zhejiang", f"/ogi/reports?_search={q('卫生健康')}",
           f"/ogi/search_prose?q={q('疫情')}", f"/ogi/search_prose.json?_shape=array&q={q('复议')}"]
    out += [f"/ogi/reports?province={q(p)}" for p in provinces]
    for name in queries:
        out.append(f"/ogi/{name}?year=&agency=&province=&city=&county=&clean=&q={q('申请')}")
        out.append(f"/ogi/{name}.json?_shape=array&year=2021&agency={q('卫生')}&province="
                   f"&city=&county=&clean=1&q={q('信息')}")
    out += [f"/ogi/reports/{i}" for i in ids] + [f"/-/source/{i}" for i in ids]
    return out


def slowest(done: list, n: int = 5) -> dict[str, float]:
    by_url: dict[str, list[float]] = {}
    for path, _, seconds, *_ in done:
        by_url.setdefault(path, []).append(seconds * 1000)
    medians = {u: round(statistics.median(v), 1) for u, v in by_url.items()}
    return dict(sorted(medians.items(), key=lambda kv: -kv[1])[:n])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--max-seconds", type=float, default=120)
    args = parser.parse_args()
    if not DB.exists():
        sys.exit(f"{DB} is missing: run `make build` first")
    with running(DB, INSPECT) as base:
        pages = urls()
        rnd = random.Random(0)
        plan = [rnd.choice(pages) for _ in range(args.requests)]
        stop_at = time.monotonic() + args.max_seconds

        def fetch(path: str):
            if time.monotonic() > stop_at:
                return path, None, 0.0, "skipped", 0.0
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=30) as r:
                    r.read()
                    status = r.status
            except urllib.error.HTTPError as e:
                status = e.code
            except OSError as e:
                return path, None, time.perf_counter() - start, str(e), start - started
            return path, status, time.perf_counter() - start, None, start - started

        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = list(pool.map(fetch, plan))
        elapsed = time.perf_counter() - started
    done = [r for r in results if r[3] != "skipped"]
    latencies = sorted(r[2] * 1000 for r in done)
    errors = [r for r in done if r[1] != 200]
    limit = sql_time_limit_ms()
    over = [r for r in done if r[2] * 1000 > limit]
    report = {
        "requests": len(done), "skipped_after_max_seconds": len(results) - len(done),
        "clients": args.clients, "distinct_urls": len(set(plan)), "seconds": round(elapsed, 2),
        "requests_per_second": round(len(done) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
        "max_ms": round(latencies[-1], 1), "errors": len(errors),
        "over_sql_time_limit": len(over), "sql_time_limit_ms": limit,
        "error_samples": [{"url": p, "status": s, "error": e} for p, s, _, e, _ in errors[:10]],
        "slowest_urls_median_ms": slowest(done),
        # the slowest single requests, with when they were sent (s after the start)
        "slowest_requests": [
            {"url": p, "ms": round(t * 1000, 1), "sent_at_s": round(at, 2)}
            for p, _, t, _, at in sorted(done, key=lambda r: -r[2])[:5]],
    }
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "loadtest.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"{report['requests']} requests ({report['distinct_urls']} URLs) from "
          f"{args.clients} clients in {report['seconds']} s: {report['requests_per_second']} "
          f"req/s · p50 {report['p50_ms']} ms · p99 {report['p99_ms']} ms · max "
          f"{report['max_ms']} ms · {report['errors']} errors · {report['over_sql_time_limit']} "
          f"over the {limit} ms SQL time limit")
    print("slowest (median ms):", json.dumps(report["slowest_urls_median_ms"], ensure_ascii=False))
    print("slowest requests:", json.dumps(report["slowest_requests"][:3], ensure_ascii=False))
    for sample in report["error_samples"]:
        print("  error:", sample)
    return 1 if errors or over else 0


if __name__ == "__main__":
    sys.exit(main())
