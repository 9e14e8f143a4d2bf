"""Atomic, deterministic builds: a real build killed at any moment leaves the previous database
as it was; two builds of the same inputs give the same file, byte for byte."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPORTS, ROOT
from loaders.build import build


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def many_reports(tmp_path_factory) -> Path:
    """The reports 150 times over, each copy a different file (a line added), so that a build
    lasts long enough to be killed at several moments."""
    folder = tmp_path_factory.mktemp("many")
    for n in range(150):
        for path in REPORTS.iterdir():
            data = path.read_bytes()
            extra = f"\n<!-- copy {n} -->\n" if path.suffix == ".html" else f"\n附注{n}\n"
            (folder / f"{n:02d}_{path.name}").write_bytes(data + extra.encode())
    return folder


@pytest.mark.parametrize("after", [0.0, 0.5, 1.5, 3.0])
def test_killing_a_real_build_leaves_the_previous_database_intact(tmp_path, many_reports, after):
    """Killed ``after`` seconds once the new database file exists (parallel parsing, as the
    command runs by default for this many files)."""
    db = tmp_path / "ogi.db"
    build([REPORTS], db, overrides=None)
    before = sha(db)
    proc = subprocess.Popen([sys.executable, "-m", "loaders.cli", "build", str(many_reports),
                             "--db", str(db), "--silent"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 20
    while not list(tmp_path.glob("ogi.db.building-*")) and time.monotonic() < deadline \
            and proc.poll() is None:
        time.sleep(0.02)
    time.sleep(after)
    if proc.poll() is not None:
        pytest.skip(f"the build finished before {after} s")
    os.killpg(proc.pid, signal.SIGKILL)  # the build and its parsing processes, as a kill -9 of
    proc.wait()                           # the whole command would
    assert sha(db) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from reports").fetchone()[0] == \
            len(list(REPORTS.iterdir()))
    leftovers = list(tmp_path.glob("ogi.db.building-*"))
    assert leftovers, "a killed build leaves its temporary file..."
    build([REPORTS], db, overrides=None)
    assert not list(tmp_path.glob("ogi.db.building-*")), "...which the next build removes"


def test_two_builds_give_the_same_dump_and_the_same_bytes(tmp_path):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    build([REPORTS], first, overrides=None)
    build([REPORTS], second, overrides=None)

    def dump(path):
        with sqlite3.connect(path) as conn:
            return list(conn.iterdump())  # what `sqlite-utils dump` prints
    assert dump(first) == dump(second)
    # No timestamp or random value is stored and the rows go in in the same order, so with the
    # same SQLite the files are identical too (README: *Determinism*).
    assert sha(first) == sha(second)


def test_a_parallel_build_gives_the_same_file_as_a_serial_one(tmp_path, many_reports):
    """Workers parse, one writer writes in input order: same rows, same order, same bytes."""
    some = tmp_path / "some"
    some.mkdir()
    copies = 30 * len(list(REPORTS.iterdir()))  # the first 30 copies of every report
    for path in sorted(many_reports.iterdir())[:copies]:
        (some / path.name).symlink_to(path)
    inputs = [REPORTS, some]
    serial, parallel = tmp_path / "serial.db", tmp_path / "parallel.db"
    one = build(inputs, serial, overrides=None, jobs=1)
    two = build(inputs, parallel, overrides=None, jobs=2)
    assert one.summary == two.summary and one.duplicates == two.duplicates
    assert one.loaded == len(list(REPORTS.iterdir())) * 31
    assert (one.without_parse_issues, one.with_parse_issues) == (7 * 31, 6 * 31)  # test_cli
    assert one.failed == 0 and one.internal_errors == two.internal_errors == []
    assert sha(serial) == sha(parallel)


def test_a_killed_build_leaves_a_usable_parse_cache(tmp_path, many_reports):
    """Entries are written to a temporary file and renamed: whatever the moment of the kill,
    every entry in the cache is whole and valid, and the next build uses them."""
    import gzip
    import json

    from loaders.cache import _valid, loader_version

    db, cache = tmp_path / "ogi.db", tmp_path / "cache"
    build([REPORTS], db, overrides=None)
    before = sha(db)
    proc = subprocess.Popen([sys.executable, "-m", "loaders.cli", "build", str(many_reports),
                             "--db", str(db), "--silent", "--cache", str(cache)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(cache.rglob("*.json.gz"))) < 20 and time.monotonic() < deadline \
            and proc.poll() is None:
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the build finished before it could be killed")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert sha(db) == before
    stored = list(cache.rglob("*.json.gz"))
    assert len(stored) >= 20
    for path in stored:
        data = json.loads(gzip.decompress(path.read_bytes()))
        name = f"x.{path.name.split('.')[1]}"
        assert _valid(data, loader_version(), data["sha256"], data["file_name"] or name), path
    some = tmp_path / "some"
    some.mkdir()
    for path in sorted(many_reports.iterdir())[:30]:
        (some / path.name).symlink_to(path)
    result = build([some], tmp_path / "next.db", overrides=None, cache=cache)
    assert result.from_cache >= 1 and result.loaded + len(result.duplicates) == 30
