"""The bench's memory sampler (benchmarks/bench.py) finds a build's whole process tree, children
of children included, from the processes' ``children`` files as it does by scanning every
process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench  # noqa: E402


@pytest.mark.skipif(not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"),
                    reason="the kernel has no /proc/PID/task/TID/children")
def test_the_tree_from_children_files_is_the_scanned_tree():
    # a shell with two children, one of which has a child of its own
    proc = subprocess.Popen(["sh", "-c", "sleep 30 & (sleep 30 & wait) & wait"])
    try:
        tree = []
        for _ in range(50):  # until the grandchild is there
            time.sleep(0.05)
            tree = bench._descendants(proc.pid)
            if len(tree) >= 4:
                break
        assert len(tree) == 4, tree  # sh, its sleep, the subshell and the subshell's sleep
        assert bench._tree_rss(proc.pid) == bench._tree_rss_by_scan(proc.pid)
        assert bench._tree_rss(proc.pid)[0] > 0
    finally:
        proc.kill()
        proc.wait()
