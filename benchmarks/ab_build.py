"""Two code trees' whole builds of one corpus, alternating (issue 17): on a machine whose speed
drifts from one run to the next (a shared host), only builds run in turn compare.

    PYTHONPATH=$PWD python benchmarks/ab_build.py OLD_TREE [--corpus DIR] [--pairs 4]

``OLD_TREE`` is a checkout of the old code (``git worktree add /tmp/old <commit>``); the new is
this tree. Each pair builds the corpus (``ogi build --cache``, a fresh cache, as ``make bench``
builds) with the old code and the new, which goes first alternating. Printed for each build: its
wall seconds and the CPU seconds the whole machine spent meanwhile (``/proc/stat``: user, nice,
system, irq, softirq; the build's worker processes are not this process's children, so their
time is not in ``getrusage``), then the means and new/old of each pair. Run it on an otherwise
idle machine: anything else running is counted too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cpu_seconds() -> float:
    """The machine's CPU time so far (all CPUs), from the first line of /proc/stat."""
    with open("/proc/stat") as f:
        fields = f.readline().split()
    user, nice, system, _idle, _iowait, irq, softirq = map(int, fields[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _build(tree: Path, corpus: Path, work: Path) -> tuple[float, float]:
    """(wall s, CPU s) of one build of ``corpus`` by ``tree``'s code."""
    db, cache = work / "ab.db", work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    db.unlink(missing_ok=True)
    cpu, wall = _cpu_seconds(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "loaders.cli", "build", str(corpus / "reports"),
                    "--db", str(db), "--silent", "--overrides",
                    str(ROOT / "build" / "bench" / "no-overrides.csv"), "--cache", str(cache)],
                   cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, check=True,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - wall, _cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("--corpus", type=Path, default=ROOT / "build" / "bench" / "corpus-10000")
    parser.add_argument("--pairs", type=int, default=4)
    args = parser.parse_args()
    trees = {"old": args.old.resolve(), "new": ROOT}
    runs: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
    with tempfile.TemporaryDirectory() as work:
        for pair in range(args.pairs):
            for name in ("old", "new") if pair % 2 == 0 else ("new", "old"):
                wall, cpu = _build(trees[name], args.corpus, Path(work))
                runs[name].append((wall, cpu))
                print(f"pair {pair + 1} {name}: wall {wall:.1f} s, CPU {cpu:.1f} s", flush=True)
    for name, done in runs.items():
        print(f"{name}: mean wall {sum(w for w, _ in done) / len(done):.1f} s, "
              f"mean CPU {sum(c for _, c in done) / len(done):.1f} s")
    ratios = [new[1] / old[1] for old, new in zip(runs["old"], runs["new"])]
    print("CPU new/old by pair: " + ", ".join(f"{r:.3f}" for r in ratios))


if __name__ == "__main__":
    main()
