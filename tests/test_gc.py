"""Parsing a report leaves no reference cycle: everything it allocates is freed by reference
counting. The build relies on it to run the cyclic garbage collector rarely (build.GC_THRESHOLD,
issue 17); a cycle per report would be memory that waits for a collection."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from loaders import build
from loaders.build import parse_file
from loaders.extract.agencies import Overrides

ROOT = Path(__file__).resolve().parent.parent
# Every reader's samples (not their expected values) and the reports of the repository.
FILES = sorted(p for p in (ROOT / "tests" / "samples").rglob("*")
               if p.is_file() and p.suffix != ".json") + sorted((ROOT / "reports").iterdir())


@pytest.fixture
def collector_off():
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_the_files_cover_every_reader():
    from loaders.pipeline import read_source
    from loaders.readers import read

    readers = {read(read_source(path)).layout for path in FILES}
    assert readers >= {"html_page", "docx_file", "pdf_file", "layout_text", "run_text",
                       "tab_rows", "pipe_tables", "word_cells"}


def _memos() -> list:
    """The memoised functions of the loaders (``cache_clear``): emptied before each parse, so
    that the parse does all its work again rather than take a memo's result."""
    found = []
    for name, module in list(sys.modules.items()):
        if name.startswith("loaders.") and module is not None:
            found += [f for f in vars(module).values()
                      if callable(getattr(f, "cache_clear", None))]
    return found


def test_a_parse_leaves_no_reference_cycle(collector_off):
    corrections = Overrides.load(None)
    for path in FILES:  # once first: what a first parse sets up and keeps is not garbage
        parse_file(path, path.name, corrections)
    memos = _memos()
    assert len(memos) > 10
    left = {}
    for path in FILES:
        for memo in memos:
            memo.cache_clear()
        gc.collect()
        outcome = parse_file(path, path.name, corrections)
        assert outcome.failure is None or outcome.failure.stage != build.INTERNAL, path
        del outcome
        if (found := gc.collect()):
            left[path.name] = found
    assert left == {}


@pytest.fixture
def thresholds():
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_a_build_collects_less_while_it_loads_and_as_before_after(tmp_path, thresholds):
    gc.set_threshold(700, 10, 10)
    seen = []

    def progress(items, count):
        for item in items:
            seen.append(gc.get_threshold())
            yield item

    files = sorted((ROOT / "reports").glob("shanghai_*"))
    result = build.build(files, tmp_path / "ogi.db", progress, overrides=None, jobs=1)
    assert result.loaded == 2
    assert seen == [(build.GC_THRESHOLD, 10, 10)] * 2
    assert gc.get_threshold() == (700, 10, 10)


def test_the_threshold_is_restored_when_a_build_fails(tmp_path, thresholds):
    gc.set_threshold(700, 10, 10)

    def progress(items, count):
        raise RuntimeError("stop")
        yield

    with pytest.raises(RuntimeError):
        build.build(sorted((ROOT / "reports").glob("shanghai_*")), tmp_path / "ogi.db",
                    progress, overrides=None, jobs=1)
    assert gc.get_threshold() == (700, 10, 10)


def test_a_parsing_process_collects_less(thresholds):
    gc.set_threshold(700, 10, 10)
    build._init_worker(build.Overrides.load(None))
    try:
        assert gc.get_threshold() == (build.GC_THRESHOLD, 10, 10)
    finally:
        build._set_worker_state(None, None)


@pytest.mark.parametrize("before, during", [((700, 10, 10), (build.GC_THRESHOLD, 10, 10)),
                                            ((50_000, 5, 5), (50_000, 5, 5)),
                                            ((0, 10, 10), (0, 10, 10))])
def test_a_higher_threshold_or_collection_off_is_kept(thresholds, before, during):
    gc.set_threshold(*before)
    with build.fewer_collections():
        assert gc.get_threshold() == during
    assert gc.get_threshold() == before
