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


def test_the_threshold_is_restored_after_a_build():
    before = gc.get_threshold()
    with build.fewer_collections():
        assert gc.get_threshold()[0] == build.GC_THRESHOLD
    assert gc.get_threshold() == before
