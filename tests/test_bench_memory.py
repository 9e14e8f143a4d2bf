"""The bench's memory sampler (benchmarks/bench.py) finds a build's whole process tree, children
of children included, from the processes' ``children`` files as it does by scanning every
process; it reads each process's CPU time as it goes, and the machine's from ``/proc/stat``."""

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


@pytest.mark.skipif(not os.path.exists(f"/proc/{os.getpid()}/stat"), reason="no /proc")
def test_the_sampler_counts_each_process_cpu_as_it_samples_memory():
    # a process that burns 0.4 s of CPU, then sleeps
    proc = subprocess.Popen([sys.executable, "-c",
                             "import time\nt = time.process_time()\n"
                             "while time.process_time() - t < 0.4: pass\ntime.sleep(30)"])
    try:
        cpu: dict[int, float] = {}
        for _ in range(100):  # until it has burnt its CPU
            time.sleep(0.05)
            bench._tree_rss(proc.pid, cpu)
            if cpu.get(proc.pid, 0) >= 0.4:
                break
        assert 0.4 <= cpu[proc.pid] < 2.0, cpu
        assert bench._cpu_seconds(proc.pid) == pytest.approx(cpu[proc.pid], abs=0.05)
    finally:
        proc.kill()
        proc.wait()
    assert bench._cpu_seconds(proc.pid) is None  # gone


def test_cpu_accounting_splits_the_build_and_reads_the_machine():
    before = dict.fromkeys(bench.MACHINE_CPU, 100.0)
    after = {**before, "user": 250.0, "system": 110.0, "idle": 130.0, "iowait": 105.0,
             "steal": 105.0}
    out = bench.cpu_accounting(before, after, {7: 20.0, 8: 60.0, 9: 70.0}, main_pid=7,
                               reports=1000, wall=100.0, cores=2)
    assert out["writer_process_seconds"] == 20.0
    assert out["other_processes_seconds"] == 130.0
    assert out["build_cpu_seconds"] == 150.0
    assert out["build_cpu_ms_per_report"] == 150.0
    assert out["machine_seconds"]["user"] == 150.0 and out["machine_seconds"]["steal"] == 5.0
    # busy: user 150 + system 10 of 2 cores x 100 s; idle, iowait and steal are not
    assert out["machine_busy_share"] == 0.8
    assert "machine_seconds" not in bench.cpu_accounting(None, after, {}, 7, 1, 1.0)


def test_the_machine_cpu_line_is_read_in_seconds():
    got = bench._machine_cpu()
    assert got is not None and set(got) <= set(bench.MACHINE_CPU) and got["idle"] > 0
