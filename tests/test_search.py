"""Chinese full-text search: words of any length are found (in the prose, and in the reports'
agency, title, place and sector, pinyin place names included), snippets are marked and safe."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
import yaml
from hypothesis import given, strategies as st
from datasette.app import Datasette

from conftest import ROOT
from loaders.derived.search import MARK_END, MARK_START, fts_query, segment, snippet

METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))


def test_segment_makes_two_character_words_tokens():
    tokens = segment("宁波市鄞州区卫生健康局在新冠肺炎疫情期间").split()
    for word in ("宁波", "鄞州", "卫生", "健康", "疫情"):
        assert word in tokens


def test_segment_is_overlapping_pairs_and_the_last_character():
    assert segment("鄞州区，2020年 OK") == "鄞州 州区 区 2020 年 ok"


@given(st.text(alphabet=st.sampled_from("鄞州区卫生健康局年 aB1２，\n\u3000"), max_size=40))
def test_segment_is_each_words_pairs_written_out(text):
    # The segmenter joins a run's pairs in C; this is the definition, one pair at a time.
    want = []
    for word in re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", text):
        if "\u4e00" <= word[0] <= "\u9fff":
            want += [word[i:i + 2] for i in range(len(word) - 1)] + [word[-1]]
        else:
            want.append(word.lower())
    assert segment(text) == " ".join(want)


def test_fts_query_quotes_every_word():
    assert fts_query("鄞州 疫情") == '"鄞州" AND "疫情"'
    assert fts_query('复议" OR x') == '"复议" AND "or" AND "x"'
    assert fts_query("  ") == '"ogi_empty_query"'


def test_fts_query_makes_a_longer_word_the_phrase_of_its_pairs():
    assert fts_query("鄞州区") == '"鄞州 州区"'
    assert fts_query("税") == '"税"*'


def test_snippet_marks_every_query_word():
    text = "前文" * 40 + "在新冠肺炎疫情期间，发布疫情防控知识" + "后文" * 80
    s = snippet(text, "疫情")
    assert s.count(f"{MARK_START}疫情{MARK_END}") == 2
    assert s.startswith("…") and s.endswith("…") and len(s) < 160


@pytest.fixture(scope="module")
def get(seeds_db):
    path = seeds_db.conn.execute("pragma database_list").fetchone()[2]
    ds = Datasette([path], metadata=METADATA)

    def fetch(url):
        response = asyncio.run(ds.client.get(url))
        assert response.status_code == 200, response.text[:300]
        return json.loads(response.text) if ".json" in url else response.text
    return fetch


@pytest.fixture(scope="module")
def sources(seeds_db):
    return {r["id"]: r["source_file"] for r in seeds_db.query("select id, source_file from reports")}


def files(rows, sources):
    return {sources[r.get("report_id") or r.get("id")].split("_")[0]
            if r.get("report_id") or r.get("id") else None for r in rows}


# Which files say the word, read in the files (grep), given by the file name's first part.
@pytest.mark.parametrize("word, expected", [
    ("疫情", {"002", "003", "pingtan"}),
    ("鄞州", {"003"}),
    ("鄞州区", {"003"}),
    ("芝罘区", {"004"}),  # a name no dictionary knows
    # 政协提案 in 沭阳's and 上海市科委's reports too
    ("提案", {"004", "shuyang", "shanghai"}),
])
def test_search_query_finds_words_of_any_length(get, sources, word, expected):
    assert files(get(f"/ogi/search_prose.json?_shape=array&q={word}"), sources) == expected


def test_search_query_needs_every_word(get, sources):
    assert files(get("/ogi/search_prose.json?_shape=array&q=疫情 微博"), sources) == {"003"}
    assert get("/ogi/search_prose.json?_shape=array&q=") == []


def test_table_search_on_sections(get):
    rows = get("/ogi/sections.json?_shape=array&_search=申请")
    assert len({r["report_id"] for r in rows}) >= 3
    assert all("申请" in (r["body"] + r["heading"]) for r in rows)


@pytest.mark.parametrize("word, expected", [
    ("鄞州区", {"003"}),  # three characters: Datasette's own table search found nothing
    ("便民性", {"002"}),
    ("疫情 微博", {"003"}),
])
def test_table_search_on_sections_finds_words_of_any_length(get, sources, word, expected):
    rows = get(f"/ogi/sections.json?_shape=array&_search={word}&_size=max")
    assert files(rows, sources) == expected
    assert all(all(w in r["body"] + r["heading"] for w in word.split()) for r in rows)


def test_sections_page_has_a_search_box_and_points_to_search_prose(seeds_db):
    from site_client import Client, datasette

    path = seeds_db.conn.execute("pragma database_list").fetchone()[2]
    html = Client(datasette(path)).get("/ogi/sections?_search=鄞州区")
    assert 'name="_search" value="鄞州区"' in html and "/ogi/search_prose" in html
    assert "1 row where search matches &#34;鄞州区&#34;" in html


@pytest.mark.parametrize("word, expected", [
    ("Zhejiang", {"003"}),  # 浙江省, in pinyin
    ("zhejiang", {"003"}),
    ("浙江", {"003"}),
    ("Yinzhou", {"003"}),
    ("Ningbo", {"003"}),
    ("Yantai", {"004"}),  # 烟台市芝罘区
    ("芝罘", {"004"}),
    ("卫生健康局 宁波", {"003"}),
])
def test_reports_search_by_name_place_and_pinyin(get, sources, word, expected):
    rows = get(f"/ogi/reports.json?_shape=array&_search={word}&_size=max")
    assert files(rows, sources) == expected


def test_reports_search_by_sector_in_english(get, seeds_db):
    rows = get("/ogi/reports.json?_shape=array&_search=health&_size=max")
    health = {r["id"] for r in seeds_db.query(
        "select r.id from reports r join agencies a on a.id = r.agency_id "
        "where a.sector = '卫生健康'")}
    assert {r["id"] for r in rows} == health and len(health) >= 5


def test_search_page_highlights(get):
    html = get("/ogi/search_prose?q=疫情")
    assert "<mark>疫情</mark>" in html


def test_markers_never_let_markup_through(get):
    html = get("/ogi?sql=select+'<script>alert(1)</script>'||char(57344)||'x'||char(57345)+as+s")
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "<mark>x</mark>" in html


def _shadow(conn, index: str) -> dict:
    return {part: list(conn.execute(f"SELECT * FROM {index}_{part} ORDER BY 1, 2"))
            for part in ("data", "idx", "docsize", "config")}


def test_the_ascii_tokenizer_makes_the_index_the_default_one_would(seeds_db, tmp_path):
    """Both indexes use FTS5's ascii tokenizer (store/schema.py): on text segmented as the
    build does it, it finds the tokens the default unicode61 finds, so every table of the
    index is the same, row for row, and so are the matches of the site's queries."""
    import shutil
    import sqlite3

    from loaders.derived.search_index import index_all_reports, index_all_sections
    from loaders.derived.summaries import register_functions

    source = seeds_db.conn.execute("PRAGMA database_list").fetchone()[2]
    shutil.copy(source, tmp_path / "copy.db")
    conn = sqlite3.connect(tmp_path / "copy.db")
    register_functions(conn)
    for index, sql in (("sections_fts", "SELECT sql FROM sqlite_master WHERE name = ?"),
                       ("reports_fts", "SELECT sql FROM sqlite_master WHERE name = ?")):
        assert "tokenize='ascii'" in conn.execute(sql, [index]).fetchone()[0]
    built = {index: _shadow(conn, index) for index in ("sections_fts", "reports_fts")}
    with conn:
        conn.execute("DROP TABLE sections_fts")
        conn.execute("DROP TABLE reports_fts")
        conn.execute("CREATE VIRTUAL TABLE sections_fts USING fts5(heading, body, content='')")
        conn.execute("CREATE VIRTUAL TABLE reports_fts USING fts5(agency, title, place, sector, "
                     "content='')")
        for index in ("sections_fts", "reports_fts"):
            conn.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('hashsize', 16777216)")
        index_all_sections(conn)  # as the build writes them: unmerged, then merged once
        index_all_reports(conn)
    default = {index: _shadow(conn, index) for index in ("sections_fts", "reports_fts")}
    assert len(default["sections_fts"]["docsize"]) > 50
    assert built == default
    original = sqlite3.connect(source)
    found = 0
    for words in ("申请", "鄞州区", "政府信息公开", "Shanghai", "卫", "2023"):
        match = "SELECT rowid FROM {} WHERE {} MATCH ? ORDER BY rowid"
        for index in ("sections_fts", "reports_fts"):
            query = match.format(index, index)
            rows = list(original.execute(query, [fts_query(words)]))
            assert rows == list(conn.execute(query, [fts_query(words)]))
            found += len(rows)
    assert found > 100
