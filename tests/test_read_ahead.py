"""A build announces the files it is about to parse (``pipeline.will_read``): the system reads
them from disk while the files before them are parsed. Each file is announced once, before the
chunk that holds it is parsed (jobs=1) or submitted to a worker (jobs>1), and the announcement
never fails nor reads a file the build would refuse. Its effect on a corpus out of the page cache
is measured by benchmarks/read_ahead.py, not here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import loaders.build as build_module
import loaders.pipeline as pipeline
from loaders.extract.agencies import Overrides

from test_parallel_build import CountingPool


@pytest.fixture
def advised(monkeypatch):
    """The files ``os.posix_fadvise`` was called for (WILLNEED), in order."""
    if not hasattr(os, "posix_fadvise"):
        pytest.skip("no posix_fadvise on this system: will_read does nothing")
    calls = []

    def record(fd, offset, length, advice):
        assert (offset, length, advice) == (0, 0, os.POSIX_FADV_WILLNEED)
        calls.append(os.readlink(f"/proc/self/fd/{fd}"))
    monkeypatch.setattr(os, "posix_fadvise", record)
    return calls


def test_will_read_announces_readable_files_only(tmp_path, advised, monkeypatch):
    small, large = tmp_path / "a.html", tmp_path / "b.pdf"
    small.write_bytes(b"x" * 10)
    large.write_bytes(b"x" * 101)
    monkeypatch.setattr(pipeline, "MAX_FILE_BYTES", 100)
    # A missing file and a folder are passed over without an error; a file larger than
    # read_source reads is not read ahead either.
    pipeline.will_read([tmp_path / "missing.txt", small, tmp_path, large])
    assert advised == [str(small)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_file_is_announced_once_before_its_chunk(tmp_path, monkeypatch, jobs):
    n = 3 * build_module.CHUNK_FILES + 5
    inputs = [(tmp_path / f"{i}.txt", f"{i}.txt") for i in range(n)]
    events = []  # ("read", name) as announced, ("parse", name) as a chunk is parsed or submitted
    monkeypatch.setattr(build_module, "will_read",
                        lambda paths: events.extend(("read", Path(p).name) for p in paths))

    def parse(path, name, corrections, cache):
        events.append(("parse", name))
        return build_module.FileOutcome(name)
    monkeypatch.setattr(build_module, "parse_file", parse)

    class Pool(CountingPool):
        def submit(self, fn, chunk):
            events.extend(("parse", name) for _, name in chunk)
            return super().submit(fn, chunk)
    monkeypatch.setattr(build_module, "ProcessPoolExecutor", Pool)
    got = [o.name for o in build_module.parse_all(inputs, Overrides.load(None), jobs=jobs)]
    assert got == [name for _, name in inputs]
    announced = [name for kind, name in events if kind == "read"]
    assert sorted(announced) == sorted(name for _, name in inputs)  # each once
    for i, (_, name) in enumerate(inputs):
        read_at, parsed_at = events.index(("read", name)), events.index(("parse", name))
        assert read_at < parsed_at
        # ...and not long before: at most the chunk before it is parsed in between
        first_of_chunk = i - i % build_module.CHUNK_FILES
        if first_of_chunk >= 2 * build_module.CHUNK_FILES:
            earlier = inputs[first_of_chunk - build_module.CHUNK_FILES - 1][1]
            assert events.index(("parse", earlier)) < read_at
