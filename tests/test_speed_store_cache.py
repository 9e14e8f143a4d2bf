"""The parse cache's entries as written by ``ParseCache.put`` (orjson and ISA-L's gzip, a
temporary file named by the process and a count): the same JSON values as ``json.dumps`` gave,
in a gzip stream ``gzip.decompress`` reads, read back as the outcome they were made from, and no
temporary file left behind, even where a killed process left one of the same name."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from conftest import REPORTS
from loaders import cache as cache_module
from loaders.build import _parse, entry_of_outcome, find_inputs, outcome_of_entry
from loaders.cache import FORMAT, ParseCache
from loaders.extract.agencies import Overrides


@pytest.fixture(scope="module")
def parsed():
    corrections = Overrides.load(None)
    out = []
    for path, name in find_inputs([REPORTS]):
        outcome, keep = _parse(path, name, corrections)
        if keep is not None and outcome.sha256:
            out.append((outcome, keep))
    assert len(out) > 5 and any(o.failure is None for o, _ in out)
    return out


def test_entries_hold_what_json_dumps_gave(tmp_path, parsed):
    cache = ParseCache(tmp_path / "cache", "v1")
    for outcome, keep in parsed:
        entry = entry_of_outcome(outcome)
        cache.put(outcome.sha256, outcome.name, entry, **keep)
        data = {"format": FORMAT, "version": "v1", "sha256": outcome.sha256,
                "suffix": cache_module.suffix_of(outcome.name),
                "file_name": os.path.basename(outcome.name) if keep["name_used"] else None,
                "agency_as_written": keep["agency_as_written"], "year": keep["year"],
                "outcome": entry}
        expected = json.loads(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        path = cache.path(outcome.sha256, outcome.name)
        got = json.loads(gzip.decompress(path.read_bytes()))
        assert got == expected and repr(got) == repr(expected), outcome.name  # types too
        assert oct(path.stat().st_mode & 0o777) == oct(0o600)  # as tempfile.mkstemp made them
        back = outcome_of_entry(cache.get(outcome.sha256, outcome.name), outcome.name,
                                outcome.sha256)
        assert (back.rows, back.agency, back.status) == (outcome.rows, outcome.agency,
                                                         outcome.status)
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_a_temporary_file_left_by_a_killed_process_is_passed_over(tmp_path, parsed):
    outcome, keep = parsed[0]
    cache = ParseCache(tmp_path / "cache", "v1")
    folder = cache.path(outcome.sha256, outcome.name).parent
    folder.mkdir(parents=True)
    pid = os.getpid()
    count = cache_module._TEMPORARY["count"] if cache_module._TEMPORARY["pid"] == pid else 0
    stale = [folder / f".{outcome.sha256[:16]}.{pid}.{count + i}.tmp" for i in (1, 2)]
    for path in stale:
        path.write_bytes(b"half an entry")
    cache.put(outcome.sha256, outcome.name, entry_of_outcome(outcome), **keep)
    assert cache.get(outcome.sha256, outcome.name) is not None
    assert sorted(folder.glob("*.tmp")) == stale  # left alone, not overwritten


def test_a_failed_write_leaves_no_temporary_file(tmp_path, parsed, monkeypatch):
    outcome, keep = parsed[0]
    cache = ParseCache(tmp_path / "cache", "v1")

    def full(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(cache_module.os, "replace", full)
    with pytest.raises(OSError):
        cache.put(outcome.sha256, outcome.name, entry_of_outcome(outcome), **keep)
    monkeypatch.undo()
    assert not list((tmp_path / "cache").rglob("*.tmp"))
    assert cache.get(outcome.sha256, outcome.name) is None
