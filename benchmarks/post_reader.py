"""CPU time of the per-report work after the reader (issue 17): sections, metadata, mapping,
identity (``pipeline.source_to_report`` without ``readers.read``), then the corrections, checks
and rows as ``build._parse`` makes them (``apply_overrides``, ``report_to_rows``, ``as_tuples``).

    PYTHONPATH=<tree> python benchmarks/post_reader.py [--corpus DIR] [--per-format 40]
        [--rounds 3] [--dump out.pkl] [--json]
    python benchmarks/post_reader.py --trees OLD NEW [--alternate 3] ...   # old and new in turn

Each file is read once by its reader (not timed); each round then runs the rest of the pipeline
on a fresh copy of the document (unpickled, since the mapping may write on it), and a file's time
is its smallest over the rounds. ``--dump`` writes every file's rows (as the writer receives them)
to compare two trees' outputs (``--compare a.pkl b.pkl``). ``--trees`` runs this script under each
tree's ``PYTHONPATH`` in turn, ``--alternate`` times, and prints each run's medians and means.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import pickle
import statistics
import subprocess
import sys
import time
from pathlib import Path

FORMATS = ("word_html", "printed_pdf", "word_docx", "word_cells", "run_text", "layout_text",
           "tab_rows", "pipe_tables")


def _files(corpus: Path, per_format: int) -> list[tuple[str, str]]:
    out = []
    for fmt in FORMATS:
        found = sorted(glob.glob(f"{corpus}/reports/*/*_{fmt}.*"))
        out += [(fmt, f) for f in found[::max(1, len(found) // per_format)][:per_format]]
    return out


def run(corpus: Path, per_format: int, rounds: int, dump: Path | None) -> dict:
    import loaders
    from loaders import pipeline, readers
    from loaders.build import apply_overrides
    from loaders.extract.agencies import Overrides
    from loaders.model import LoadError, Source
    from loaders.store import as_tuples, report_to_rows

    root = Path(loaders.__file__).resolve().parent.parent
    overrides = Overrides.load(root / "agencies.csv")
    docs = []
    for fmt, f in _files(corpus, per_format):
        source = Source.from_path(f)
        source.sha256  # hashed with the read in a build (parse_file)
        try:
            doc = readers.read(source)
        except LoadError:
            continue
        docs.append((fmt, f, pickle.dumps(doc)))
    real_read = readers.read
    times: dict[str, list[float]] = {}
    parts: dict[str, list[float]] = {}
    outputs = {}
    try:
        for _ in range(rounds):
            for i, (fmt, f, data) in enumerate(docs):
                doc = pickle.loads(data)
                readers.read = lambda source, doc=doc: doc
                t0 = time.process_time()
                try:
                    report = pipeline.source_to_report(doc.source)
                except LoadError as e:
                    report = e
                t1 = time.process_time()
                rows = None
                if not isinstance(report, LoadError):
                    report.source.path = Path(Path(f).name)
                    apply_overrides(report, overrides)
                    rows = as_tuples(report_to_rows(report))
                t2 = time.process_time()
                key = (fmt, i)
                old = times.get(key)
                if old is None or t2 - t0 < old[0] + old[1]:
                    times[key] = [t1 - t0, t2 - t1]
                if dump is not None:
                    outputs[f] = rows if rows is not None else ("error", str(report))
    finally:
        readers.read = real_read
    if dump is not None:
        dump.write_bytes(pickle.dumps(outputs))
    result = {}
    for fmt in FORMATS:
        got = [v for (k, _), v in times.items() if k == fmt]
        if not got:
            continue
        report_ms = [1000 * a for a, _ in got]
        rows_ms = [1000 * b for _, b in got]
        total = [a + b for a, b in zip(report_ms, rows_ms)]
        result[fmt] = {"n": len(got),
                       "report_median": statistics.median(report_ms),
                       "rows_median": statistics.median(rows_ms),
                       "median": statistics.median(total), "mean": statistics.fmean(total)}
    parts["tree"] = str(root)
    return {"tree": str(root), "formats": result}


def show(result: dict) -> None:
    print(f"tree {result['tree']}")
    print(f"{'format':<12} {'n':>4} {'report med':>11} {'rows med':>9} {'total med':>10} "
          f"{'total mean':>11}")
    for fmt, r in result["formats"].items():
        print(f"{fmt:<12} {r['n']:>4} {r['report_median']:>11.3f} {r['rows_median']:>9.3f} "
              f"{r['median']:>10.3f} {r['mean']:>11.3f}")


def compare(a: Path, b: Path) -> int:
    x, y = pickle.loads(a.read_bytes()), pickle.loads(b.read_bytes())
    if x.keys() != y.keys():
        print("different files")
        return 1
    bad = [f for f in x if x[f] != y[f]]
    for f in bad:
        print("DIFFERS", f)
    print(f"{len(x)} files, {len(bad)} differ")
    return 1 if bad else 0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=Path("/work/main/build/bench/corpus-10000"))
    p.add_argument("--per-format", type=int, default=40)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--dump", type=Path)
    p.add_argument("--json", action="store_true")
    p.add_argument("--compare", nargs=2, type=Path)
    p.add_argument("--trees", nargs="+")
    p.add_argument("--alternate", type=int, default=3)
    args = p.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    if args.trees:
        runs: dict[str, list[dict]] = {t: [] for t in args.trees}
        for _ in range(args.alternate):
            for tree in args.trees:
                out = subprocess.run(
                    [sys.executable, __file__, "--json", "--corpus", str(args.corpus),
                     "--per-format", str(args.per_format), "--rounds", str(args.rounds)],
                    env={**os.environ, "PYTHONPATH": tree}, capture_output=True, text=True,
                    check=True).stdout
                runs[tree].append(json.loads(out))
                show(runs[tree][-1])
        for tree, results in runs.items():
            print(f"\n{tree}: median / mean ms over {len(results)} runs (min-max)")
            for fmt in results[0]["formats"]:
                med = [r["formats"][fmt]["median"] for r in results]
                mean = [r["formats"][fmt]["mean"] for r in results]
                print(f"  {fmt:<12} median {min(med):.3f}-{max(med):.3f}  "
                      f"mean {min(mean):.3f}-{max(mean):.3f}")
        return
    result = run(args.corpus, args.per_format, args.rounds, args.dump)
    if args.json:
        print(json.dumps(result))
    else:
        show(result)


if __name__ == "__main__":
    main()
