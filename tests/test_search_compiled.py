"""The search index's segmenting in C (loaders/derived/_search_c.pyx) against its Python code, the
reference (``search.segment_python``): the same tokens for every heading and section of the
repository's reports, for random texts of every kind of character Python's strings hold (ASCII,
Latin-1, the Han block's edges, other CJK, characters beyond the BMP, lone surrogates; each kind
of str), for long runs, and for what is not a string (None from a NULL column, a str subclass,
numbers and bytes: the Python code's result or its error). And the build's index made without
worker processes when segmenting is compiled.

Skipped when ``_search_c`` is not built, unless ``OGI_REQUIRE_COMPILED=1`` (then it fails).
Shown to fail: with the .pyx's Han block ending at 0x9FFE, the random texts (which hold U+9FFF)
failed, and no section of the reports; with upper-case letters left as they are, the sections,
the random texts and the long run of ``A``, and two of tests/test_search.py's tests of
``segment``.
"""

from __future__ import annotations

import random
import shutil
import sqlite3

import pytest

from conftest import built_module
from loaders.derived import search, search_index

# Characters around every boundary the segmenter draws, one of each kind of str (1, 2 and 4 bytes
# a character) and the odd ones (a lone surrogate, NUL, fullwidth digits, letters that
# lower-case to two characters).
EDGES = ("09AZaz@[`{/:" "\u00e9\u0130\u00df" "\u4dff\u4e00\u4e01\u9ffe\u9fff\ua000"
         "\u3400\uf900\u3000\uff10\uff21\u3001" "\U00020000\U0001f600" "\ud800\x00 \n\t")


@pytest.fixture()
def c():
    return built_module("_search_c")


def test_every_section_of_the_reports_segments_alike(c, seeds_db):
    texts = [t for row in seeds_db.conn.execute("SELECT heading, body FROM sections")
             for t in row]
    texts += [t for row in seeds_db.conn.execute(
        "SELECT agency, title, province, city FROM reports") for t in row]
    assert len(texts) > 100
    for text in texts:
        assert c.segment(text) == search.segment_python(text)


# One pool per kind of str (a text's widest character sets it: 1, 2 or 4 bytes a character),
# so that long texts of each kind are drawn, not only 4-byte ones.
POOLS = ("09AZaz@[`{/: \n\t\x00\u00e9\u00df",
         "09AZaz@ \u0130\u4dff\u4e00\u4e01\u9ffe\u9fff\ua000\u3400\uf900\u3000\uff10\ud800"
         "政府信息公开申请年度报告",
         EDGES + "政府信息公开申请年度报告" * 3)


def test_random_texts_segment_alike(c):
    rng = random.Random(17)
    for n in range(3000):
        pool = POOLS[n % 3]
        text = "".join(rng.choice(pool) for _ in range(rng.choice((0, 1, 2, 3, 10, 80, 400))))
        assert c.segment(text) == search.segment_python(text), repr(text)


@pytest.mark.parametrize("text", ["中" * 100_000, "中a" * 50_000, "a中" * 50_000,
                                  "\U00020000" + "中" * 50_000, "A" * 100_000, "中"])
def test_long_runs_segment_alike(c, text):
    """The buffer's worst cases: one long run of Han characters (3n - 2 code points written),
    runs of one character each, in strings of each kind."""
    assert c.segment(text) == search.segment_python(text)


class _Text(str):
    pass


def test_what_is_not_a_string_goes_to_the_python_code(c):
    assert c.segment(None) == search.segment_python(None) == ""
    assert c.segment(_Text("北京AB")) == search.segment_python(_Text("北京AB")) == "北京 京 ab"
    for value in (12, 1.5, b"ab"):
        with pytest.raises(TypeError):
            search.segment_python(value)
        with pytest.raises(TypeError):
            c.segment(value)


def test_segment_uses_the_compiled_code_unless_turned_off(c, monkeypatch):
    monkeypatch.delenv("OGI_PURE_PYTHON", raising=False)
    assert search.segmenter() is c.segment and search.compiled()
    monkeypatch.setenv("OGI_PURE_PYTHON", "1")
    assert search.segmenter() is search.segment_python and not search.compiled()


def test_compiled_segmenting_indexes_a_large_index_in_this_process(c, seeds_db, tmp_path,
                                                                   monkeypatch):
    """Handing sections to worker processes costs more than segmenting them in C: none are
    started however many sections there are."""
    monkeypatch.delenv("OGI_PURE_PYTHON", raising=False)
    path = tmp_path / "ogi.db"
    shutil.copy(seeds_db.conn.execute("PRAGMA database_list").fetchone()[2], path)
    conn = sqlite3.connect(path)
    monkeypatch.setattr(search_index, "PARALLEL_FROM_SECTIONS", 1)
    monkeypatch.setattr(search_index, "_index_sections_in_parallel",
                        lambda *args: pytest.fail("workers started to segment in C"))
    search_index.write_sections(conn, jobs=4)
    assert conn.execute("SELECT count(*) FROM sections_fts_docsize").fetchone()[0] == \
        conn.execute("SELECT count(*) FROM sections").fetchone()[0] > 20
