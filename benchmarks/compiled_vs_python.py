"""What benchmarks/html_compiled.py and docx_compiled.py share: a reader run with its compiled
loops, with them off (``OGI_PURE_PYTHON=1``) and the floor under it, on the same files in turn,
``repeat`` times (the machine's speed drifts: only times taken side by side are compared); CPU
time (``time.process_time``), each file's median, then the median over the files and the
per-file ratios' median."""

from __future__ import annotations

import glob
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def spread(corpus: str, pattern: str, count: int) -> list[tuple[Path, bytes]]:
    """``count`` files evenly spread over the corpus' files matching ``pattern`` (deterministic),
    with their bytes."""
    found = sorted(glob.glob(f"{corpus}/reports/*/{pattern}"))
    return [(Path(f), Path(f).read_bytes()) for f in found[::max(1, len(found) // count)][:count]]


def compare(files: list[tuple[Path, bytes]], read: Callable, floor: Callable, floor_name: str,
            repeat: int, what: str) -> None:
    """Time ``read(path, data)`` compiled and in Python and ``floor(path, data)`` on each file in
    turn, and print the medians and ratios (``what``: the files, as the printout names them)."""

    def compiled(path, data):
        os.environ.pop("OGI_PURE_PYTHON", None)
        read(path, data)

    def python(path, data):
        os.environ["OGI_PURE_PYTHON"] = "1"
        read(path, data)

    kinds = {"compiled": compiled, "python": python, floor_name: floor}
    per_file: dict[str, list[float]] = {k: [] for k in kinds}
    try:
        for path, data in files:
            times: dict[str, list[float]] = {k: [] for k in kinds}
            for _ in range(repeat):
                for name, run in kinds.items():
                    started = time.process_time()
                    run(path, data)
                    times[name].append(time.process_time() - started)
            for name in kinds:
                per_file[name].append(statistics.median(times[name]) * 1000)
    finally:
        os.environ.pop("OGI_PURE_PYTHON", None)
    size = statistics.median(len(d) for _, d in files) / 1024
    print(f"{len(files)} {what} (median {size:.0f} KB), {repeat} runs each, CPU ms a file, "
          "median over files:")
    for name in kinds:
        print(f"  {name:9} {statistics.median(per_file[name]):.2f}")
    for a, b in (("compiled", "python"), ("compiled", floor_name), ("python", floor_name)):
        ratios = [x / y for x, y in zip(per_file[a], per_file[b])]
        q = statistics.quantiles(ratios, n=10)
        print(f"  {a}/{b}: median {statistics.median(ratios):.2f} (p10-p90 {q[0]:.2f}-{q[-1]:.2f})")
