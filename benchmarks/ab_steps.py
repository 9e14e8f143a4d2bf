"""A full build's steps after the load, with an old code tree and a new one in turn, on one
database as the load left it (issue 17): the steps alone, without the load's 8-9 minutes at
100,000 reports and its drift.

    PYTHONPATH=$PWD python benchmarks/ab_steps.py snapshot CORPUS OUT
    PYTHONPATH=$PWD python benchmarks/ab_steps.py compare OLD_TREE OUT [--pairs 2]

``snapshot`` builds ``CORPUS`` (a folder of benchmarks/corpus.py: its ``reports/``) with this
tree's code, as ``ogi build`` does, and stops once the last report is committed: ``OUT`` gets the
database then (``snap.db``, its staged tables not yet moved) and what the build held in memory
for the steps (``state.pickle``: the build's state and processes; before 2026-12-04 also the
agencies' tally and the report ids, since in the file). ``compare`` runs the steps on a copy of it (``Store.__exit__``, as the build runs
them) with ``OLD_TREE``'s code (``git worktree add /tmp/old <commit>``, its compiled modules
built) and with this tree's, which goes first alternating, each in a process of its own;
printed for each: the wall seconds and each step's, then the means. Both trees must keep the
``Store`` attributes the snapshot sets, and both be on the same side of the agencies' facts
table (``agency_facts_staged``, 2026-12-04): a snapshot made by a tree before it has no such
table, and one made after holds no tally for a tree before it.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def snapshot(corpus: Path, out: Path) -> None:
    from loaders.build import build
    from loaders.store import writer

    out.mkdir(parents=True, exist_ok=True)
    original = writer.Store.__exit__

    def stop(self, exc_type, exc, tb):
        if exc_type is not None:
            return original(self, exc_type, exc, tb)
        self.db.conn.execute("COMMIT")
        self.db.close()
        shutil.copyfile(self.tmp, out / "snap.db")
        self.tmp.unlink()
        self.tmp.with_name(self.tmp.name + "-journal").unlink(missing_ok=True)
        (out / "state.pickle").write_bytes(pickle.dumps({
            "state": self.state, "overrides": self.overrides, "jobs": self.jobs,
            # what a Store before 2026-12-04's agency_facts_staged held in memory for the steps
            **{k: getattr(self, k) for k in _HELD if hasattr(self, k)}}))
        raise _Stopped

    writer.Store.__exit__ = stop
    try:
        build([corpus / "reports"], out / "ogi.db", overrides=None, jobs=0)
    except _Stopped:
        pass


# The Store attributes a snapshot keeps, where the tree has them: the agencies' tally and the
# report ids, in memory until 2026-12-04 (since, the facts are a table of the snapshot's file).
_HELD = ("agencies", "report_ids")


class _Stopped(Exception):
    pass


def steps(out: Path, work: Path) -> dict:
    """The steps on a copy of the snapshot, with the code on ``sys.path`` (a process's task)."""
    from loaders.store.writer import LOAD_CACHE_KIB, Store

    state = pickle.loads((out / "state.pickle").read_bytes())
    store = Store(work / "ogi.db", state["overrides"], state=state["state"], plan=None,
                  jobs=state["jobs"])
    shutil.copyfile(out / "snap.db", store.tmp)
    store._connect(LOAD_CACHE_KIB, "TRUNCATE")  # as Store.__enter__
    conn = store.db.conn
    for k in _HELD:
        if k in state:
            setattr(store, k, state[k])
    conn.isolation_level = None
    conn.execute("BEGIN")
    started = time.perf_counter()
    store.__exit__(None, None, None)
    wall = time.perf_counter() - started
    (work / "ogi.db").unlink()
    return {"wall": round(wall, 2), "steps": store.timings}


def compare(old: Path, out: Path, pairs: int) -> None:
    walls: dict[str, list[float]] = {"old": [], "new": []}
    trees = {"old": old.resolve(), "new": ROOT}
    work = out / "work"
    work.mkdir(exist_ok=True)
    for pair in range(pairs):
        for name in (("new", "old") if pair % 2 == 0 else ("old", "new")):
            done = subprocess.run(
                [sys.executable, __file__, "_steps", str(out), str(work)], check=True,
                capture_output=True, text=True, cwd=trees[name],
                env={**os.environ, "PYTHONPATH": str(trees[name])})
            got = json.loads(done.stdout.strip().splitlines()[-1])
            walls[name].append(got["wall"])
            print(f"pair {pair + 1} {name}: {got['wall']} s {got['steps']}", flush=True)
    for name, values in walls.items():
        print(f"{name}: mean {sum(values) / len(values):.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("snapshot")
    one.add_argument("corpus", type=Path)
    one.add_argument("out", type=Path)
    two = sub.add_parser("compare")
    two.add_argument("old", type=Path)
    two.add_argument("out", type=Path)
    two.add_argument("--pairs", type=int, default=2)
    three = sub.add_parser("_steps")  # (one run, in the tree's process)
    three.add_argument("out", type=Path)
    three.add_argument("work", type=Path)
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.corpus, args.out)
    elif args.command == "compare":
        compare(args.old, args.out, args.pairs)
    else:
        print(json.dumps(steps(args.out, args.work)))


if __name__ == "__main__":
    main()
