"""The published site, served in-process as ``make serve`` serves it: every table's JSON and CSV,
the download, the metadata, the ready-made charts, the report page and the source view.

Expected numbers come from the hand-checked fixtures (tests/fixtures/expected), not from the
database under test.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from conftest import REPORTS, ROOT, expected_files, load_expected
from factory import write_report
from loaders.form import template as T
from loaders.build import build
from loaders.snapshot import snapshot
from site_client import Client, ReportCells, datasette, metadata, serve_command

SEED_003 = "47010530719ae648"  # 鄞州区卫生健康局 2020: the seed whose numbers do not add up
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{2,}")
TOTAL = T.APPLICANT_KEYS.index("total")


def tables(seeds_db, hidden=False) -> list[str]:
    names = seeds_db.table_names()
    return names if hidden else [t for t in names
                                 if not t.startswith(("sections_fts", "reports_fts", "sqlite_"))]


def table_metadata() -> dict:
    return metadata()["databases"]["ogi"]["tables"]


def fixtures() -> list[dict]:
    return [load_expected(p) for p in expected_files()]


# --- the main job -----------------------------------------------------------------------------

def test_serve_is_immutable_read_only_public_and_uses_the_templates():
    args = serve_command()
    assert args[:2] == ["$(BIN)/datasette", "serve"]
    assert "-i" in args and "--metadata" in args and "--template-dir" in args and "--cors" in args
    assert args[args.index("--inspect-file") + 1] == "$(INSPECT)"  # counts made at build time
    settings = dict(zip(args[args.index("--setting") + 1::3], args[args.index("--setting") + 2::3]))
    assert int(settings["sql_time_limit_ms"]) <= 5000
    assert int(settings["max_returned_rows"]) <= 1000
    assert settings["allow_download"] == "on" and int(settings["default_cache_ttl"]) > 0
    assert args[args.index("--host") + 1] == "$(HOST)"
    assert "HOST ?= 127.0.0.1" in (ROOT / "Makefile").read_text()


def test_readme_commands_are_serve_and_test():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## The two commands\s+```sh\n(.*?)```", readme, re.S).group(1)
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == \
        ["make serve", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


# --- every table: JSON, CSV, metadata ---------------------------------------------------------

def test_every_table_serves_json(client, seeds_db):
    for table in tables(seeds_db):
        rows = client.get(f"/ogi/{table}.json?_shape=array")
        count = seeds_db[table].count
        assert len(rows) == min(count, 100), table
        if rows:
            assert set(rows[0]) >= set(seeds_db[table].columns_dict), table


def test_every_table_exports_csv(client, seeds_db):
    for table in tables(seeds_db):
        r = client.response(f"/ogi/{table}.csv?_dl=1&_stream=on")
        assert r.status_code == 200, table
        assert "attachment" in r.headers["content-disposition"], table
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0][-len(seeds_db[table].columns):] == [c.name for c in seeds_db[table].columns]
        assert len(rows) - 1 == seeds_db[table].count, table


def test_csv_keeps_chinese_and_blank_cells(client):
    r = client.response("/ogi/applications.csv?_stream=on&report_id=996f968c5ed39168"
                        "&row_key=total&_labels=off")
    row = next(csv.DictReader(io.StringIO(r.text)))
    assert row["label_zh"] == "（七）总计"
    # 尧都's 总计 row is blank in the report: blank, not 0
    assert row["natural_person"] == "" and row["total"] == ""


def test_database_downloads_as_the_built_file(client, db_path):
    r = client.response("/ogi.db")
    assert r.status_code == 200
    assert hashlib.sha256(r.content).hexdigest() == hashlib.sha256(db_path.read_bytes()).hexdigest()


def test_json_api_answers_cross_origin(client):
    r = client.response("/ogi/reports.json?_shape=array")
    assert r.headers.get("access-control-allow-origin") == "*"


def test_every_table_and_column_is_described_in_english_and_chinese(seeds_db):
    meta = table_metadata()
    for table in tables(seeds_db):
        assert table in meta, f"{table} is not described in metadata.yml"
        description = meta[table].get("description", "")
        assert HAN.search(description) and LATIN.search(description), table
        described = meta[table].get("columns", {})
        for column in seeds_db[table].columns_dict:
            text = described.get(column, "")
            assert HAN.search(text) and LATIN.search(text), f"{table}.{column}: {text!r}"
        assert set(described) <= set(seeds_db[table].columns_dict), \
            f"{table}: metadata describes columns that do not exist"


def test_column_descriptions_match_the_template_labels():
    meta = table_metadata()
    for key in T.REVIEW_COLUMNS:
        assert key.label_zh in meta["review_litigation"]["columns"][key.key]
        assert key.label_en in meta["review_litigation"]["columns"][key.key]
    for key in T.APPLICANT_COLUMNS:
        assert key.label_zh in meta["applications"]["columns"][key.key]


def test_internal_tables_are_hidden(client, seeds_db):
    listed = {t["name"]: t["hidden"] for t in client.get("/ogi.json")["tables"]}
    assert all(listed[t] for t in tables(seeds_db, hidden=True) if t not in tables(seeds_db))
    assert not any(listed[t] for t in tables(seeds_db))


def test_sortable_columns_and_facets_work(client, seeds_db):
    for table, meta in table_metadata().items():
        if meta.get("hidden"):
            continue
        columns = seeds_db[table].columns_dict
        if "label_column" in meta:
            assert meta["label_column"] in columns, (table, meta["label_column"])
        for column in meta.get("sortable_columns", []):
            assert column in columns, (table, column)
            for sort in ("_sort", "_sort_desc"):
                client.get(f"/ogi/{table}.json?{sort}={column}")
        facets = meta.get("facets", [])
        if facets:
            data = client.get(f"/ogi/{table}.json")
            assert set(data["facet_results"]) == set(facets), table


def test_year_facet_counts_the_fixtures(client):
    data = client.get("/ogi/reports.json")
    counts = {r["value"]: r["count"] for r in data["facet_results"]["year"]["results"]}
    expected = defaultdict(int)
    for f in fixtures():
        expected[f["year"]] += 1
    assert counts == dict(expected)


# --- charts -----------------------------------------------------------------------------------

def chart_links(html: str) -> list[str]:
    return [unquote(h).replace("&amp;", "&") for h in re.findall(r'href="([^"]*#g\.[^"]*)"', html)]


def test_home_page_links_at_least_four_charts_that_can_be_drawn(client):
    links = chart_links(client.get("/"))
    assert len(links) >= 4
    for link in links:
        url = urlsplit(link)
        query = dict(parse_qsl(url.query))
        assert query.get("_size") == "max", link
        fragment = dict(parse_qsl(url.fragment))
        assert fragment["g.mark"] in ("bar", "line", "circle")
        rows = client.get(f"{url.path}.json?_shape=array&_size=max")
        assert len(rows) > 1, link  # datasette-vega draws only from two rows up
        for key in ("g.x_column", "g.y_column", "g.color_column"):
            if key in fragment:
                assert fragment[key] in rows[0], (link, key)


def test_the_required_charts_are_linked(client):
    paths = {urlsplit(link).path for link in chart_links(client.get("/"))}
    assert {"/ogi/applications_by_year", "/ogi/outcome_mix_by_year",
            "/ogi/failures_by_rule_and_year", "/ogi/review_litigation_outcomes"} <= paths


def test_chart_queries_link_their_chart_from_their_description(client):
    for name in ("applications_by_year", "outcome_mix_by_year", "failures_by_rule_and_year",
                 "review_litigation_outcomes", "failure_rate_by_year"):
        assert chart_links(client.get(f"/ogi/{name}")), name


def test_datasette_vega_loads_on_the_pages_that_chart_and_only_there(client):
    for path in ("/ogi/reports", "/ogi/applications_by_year", "/ogi/validation_failures",
                 "/ogi?sql=select+1+as+x"):
        assert "/-/static-plugins/datasette_vega/" in client.get(path), path
    for path in ("/", f"/ogi/reports/{SEED_003}", "/ogi/divisions/330212"):
        page = client.get(path)
        assert "/-/static-plugins/datasette_vega/" not in page, path
        assert 'href="/-/static/app.css' in page, path  # Datasette's own assets still there


def test_pages_without_charts_keep_the_other_plugins_assets(client):
    """The plugin wraps Datasette's public asset hooks: on a page without charts it drops
    datasette-vega's URLs from what the other plugins answer (a list, a URL dict, or an
    awaitable), and keeps the rest."""
    from datasette import hookimpl
    from datasette.plugins import pm

    class Assets:
        @hookimpl
        def extra_js_urls(self):
            return ["/plain.js", {"url": "/-/static-plugins/datasette_vega/fake.js"}]

        @hookimpl
        def extra_css_urls(self):
            async def later():
                return [{"url": "/later.css"}, "/-/static-plugins/datasette_vega/fake.css"]
            return later

    pm.register(Assets(), name="test-assets")
    try:
        for path in ("/", f"/ogi/reports/{SEED_003}"):
            page = client.get(path)
            assert 'src="/plain.js"' in page and 'href="/later.css"' in page, path
            assert "datasette_vega/" not in page, path
        page = client.get("/ogi/reports")
        assert "datasette_vega/fake.js" in page and "datasette_vega/fake.css" in page
    finally:
        pm.unregister(name="test-assets")


def test_the_private_datasette_method_the_site_replaces_is_still_there(caplog):
    """loaders/site/patches.py replaces Datasette._table_permission_allows, a private method,
    with a memo. If a Datasette upgrade renames it, changes its parameters or stops calling it
    from its permission check, this test fails (the site itself logs a warning and runs
    without the speed-up)."""
    import inspect

    from datasette.app import Datasette

    from loaders.site import patches

    method = getattr(Datasette, patches.PERMISSION_METHOD, None)
    assert method is not None, f"Datasette has no {patches.PERMISSION_METHOD} any more"
    assert tuple(inspect.signature(method).parameters) == ("self", *patches.PERMISSION_PARAMETERS)

    ds = Datasette(memory=True, metadata={
        "databases": {"_memory": {"tables": {"t": {"allow": {"id": "editor"}}}}}})
    patches.memoize_permissions(ds)
    memo, calls = ds._table_permission_allows, []
    ds._table_permission_allows = lambda d, t: calls.append((d, t)) or memo(d, t)

    def allowed(actor):
        return asyncio.run(ds.permission_allowed(actor, "view-table", ("_memory", "t"),
                                                 default=True))
    assert (allowed(None), allowed({"id": "editor"})) == (False, True)
    assert calls == [("_memory", "t")] * 2  # Datasette's own check asks the memo
    assert not [r for r in caplog.records if r.name == patches.__name__]


def test_a_datasette_without_the_private_method_is_served_without_the_memo(caplog):
    from types import SimpleNamespace

    from loaders.site import patches

    other = SimpleNamespace(_table_permission_allows=lambda database, table, actor: [])
    patches.memoize_permissions(other)
    assert other._table_permission_allows.__name__ == "<lambda>"  # left alone
    assert "no _table_permission_allows('database', 'table')" in caplog.text


def test_the_schema_methods_the_site_memoizes_are_datasettes():
    import inspect

    from datasette.database import Database

    from loaders.site import patches

    for name in (*patches.SCHEMA_METHODS, "execute"):
        assert inspect.iscoroutinefunction(getattr(Database, name, None)), name


def test_the_map_page_keeps_its_scripts(client):
    page = client.get("/ogi/reports_map")
    assert "/datasette-cluster-map/" in page and "/datasette_vega/" in page


def test_pages_and_scripts_are_served_gzipped(client):
    """datasette-gzip: 1 MB of chart script travels as about 300 KB."""
    for path in ("/ogi/reports", "/ogi/reports.json", "/ogi/applications.csv"):
        r = asyncio.run(client.ds.client.get(path, headers={"Accept-Encoding": "gzip"}))
        assert r.status_code == 200 and r.headers.get("content-encoding") == "gzip", path
    script = re.search(r'src="(/-/static-plugins/datasette_vega/[^"]+\.js)"',
                       client.get("/ogi/reports")).group(1)
    r = asyncio.run(client.ds.client.get(script, headers={"Accept-Encoding": "gzip"}))
    assert r.headers.get("content-encoding") == "gzip"
    assert int(r.headers.get("content-length", "0") or 0) < 400_000 < len(r.content)


def test_applications_by_year_sums_the_reports(client):
    expected = defaultdict(lambda: {"reports": 0, "new_received": None})
    for f in fixtures():
        e = expected[f["year"]]
        e["reports"] += 1
        value = f["applications"]["new_received"][TOTAL]
        if value is not None:
            e["new_received"] = (e["new_received"] or 0) + value
    rows = client.get("/ogi/applications_by_year.json?_shape=array")
    assert {r["year"]: {"reports": r["reports"], "new_received": r["new_received"]}
            for r in rows} == expected


def test_outcome_mix_by_year_sums_the_outcome_rows(client):
    groups = (("1 ", ("granted",)), ("2 ", ("partly_granted",)), ("3 ", ("denied_",)),
              ("4 ", ("unavailable_",)), ("5 ", ("not_processed_",)), ("6 ", ("other",)))
    expected: dict[tuple, int] = defaultdict(int)
    for f in fixtures():
        for row_key in T.outcome_row_keys(f["template"]):
            prefix = next(p for p, starts in groups if row_key.startswith(starts))
            value = f["applications"][row_key][TOTAL]
            expected[(f["year"], prefix)] += value or 0
    rows = client.get("/ogi/outcome_mix_by_year.json?_shape=array")
    assert {(r["year"], r["outcome"][:2]): r["applications"] for r in rows} == dict(expected)
    # 鄞州 2020 partly disclosed 60 and handled 60 otherwise: the seed's own numbers
    assert {r["outcome"][:2]: r["applications"] for r in rows if r["year"] == 2020}["2 "] == 60


def test_review_litigation_outcomes_sum_the_reports(client):
    rows = client.get("/ogi/review_litigation_outcomes.json?_shape=array&year=")
    assert len(rows) == 12
    for r in rows:
        group = {"1": "review", "2": "direct_suit", "3": "post_review_suit"}[r["proceeding"][0]]
        outcome = {"1": "upheld", "2": "corrected", "3": "other", "4": "pending"}[r["outcome"][0]]
        values = [f["review_litigation"][f"{group}_{outcome}"] for f in fixtures()]
        assert r["cases"] == sum(v for v in values if v is not None), (group, outcome)
    upheld = client.get("/ogi/review_litigation_outcomes.json?_shape=array&year=2020")[0]
    assert upheld["cases"] == 1  # 鄞州 2020: one review, upheld
    assert client.get("/ogi/review_litigation_outcomes.json?_shape=array&year=2019")[0][
        "cases"] == 0


# --- the report page --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page_003(client) -> ReportCells:
    return ReportCells(client.get(f"/ogi/reports/{SEED_003}"))


def test_report_page_marks_the_cells_whose_numbers_contradict_each_other(page_003):
    # 003: 本年新收 1 + 上年结转 0 ≠ 总计 61 + 结转下年度 60 in 自然人, and 1 + 0 ≠ 1 + 60 in 总计;
    # the outcome rows sum to 181 and 61 against totals of 61 and 1; the total row sums to 61 ≠ 1.
    expected = {f"applications/{row}/{col}" for row in
                ("new_received", "carried_over", "total", "carried_forward")
                for col in ("natural_person", "total")}
    assert page_003.with_class("fail-error") == expected
    total = page_003.cells["applications/total/natural_person"]
    assert total["text"].strip() == "61"
    assert "outcome_total" not in total["title"]  # the title carries messages, not codes
    assert "61" in total["title"] and "[error]" in total["title"]
    assert "办理结果" in total["title"] or "总计" in total["title"]


def test_report_page_lists_every_failure_errors_first(page_003, seeds_db):
    stored = [r["rule"] for r in seeds_db.query(
        "select rule from validation_failures where report_id = ? "
        "order by severity = 'warning', id", [SEED_003])]
    assert sorted(page_003.failure_rules) == sorted(stored)
    assert page_003.failure_rules.count("accounting_identity") == 2
    # the five errors first, then the warnings, each rule's together
    assert sorted(set(page_003.failure_rules[:5])) == \
        ["accounting_identity", "outcome_total", "row_total"]
    warnings = page_003.failure_rules[5:]
    assert all(warnings.index(r) + warnings.count(r) - 1 ==
               len(warnings) - 1 - warnings[::-1].index(r) for r in warnings)


def test_report_page_shows_blank_cells_blank_and_irregular_ones_warned(page_003):
    blank = page_003.cells["applications/new_received/commercial"]
    assert "blank" in blank["classes"] and blank["text"].strip() == ""
    assert "not zero" in blank["title"]
    # the eight irregular cells of 003 ('00', '0 0', '01') are highlighted, with their raw text
    expected = load_expected(next(p for p in expected_files() if p.name.startswith("003_")))
    for table, row, col, raw in expected["irregular_cells"]:
        cell = page_003.cells[f"{table}/{row}/{col}"]
        assert cell["classes"] & {"fail-warning", "fail-error"}, (row, col)
        title = cell["title"].replace("\u00a0", " ")
        assert f"Raw text 原文「{raw}" in title and "[warning]" in title


def test_report_page_has_every_cell_of_the_form(page_003):
    apps = [k for k in page_003.cells if k.startswith("applications/")]
    assert len(apps) == len(T.application_rows_for("2019")) * len(T.APPLICANT_COLUMNS)
    assert len([k for k in page_003.cells if k.startswith("review_litigation/")]) == 15
    assert len([k for k in page_003.cells if k.startswith("active_disclosure/")]) == \
        len(T.DISCLOSURE_CELLS["2019"])


def test_report_page_numbers_link_to_their_raw_text_and_source_line(client, page_003, seeds_db):
    cell = page_003.cells["applications/total/natural_person"]
    path, query = cell["href"].replace("&amp;", "&").split("?")
    [row] = client.get(f"{path}.json?{query}&_shape=array")  # the one cell, in the view cells
    assert (row["raw_text"], row["value"]) == ("61", 61)
    source = client.get(f"/-/source/{SEED_003}")
    line = re.search(rf'<tr id="L{row["source_line"]}"[^>]*>.*?</tr>', source, re.S).group(0)
    assert "61" in line and 'class="cited"' in line
    assert f"source line 行 {row['source_line']}" in cell["title"]


def test_report_page_has_prose_source_and_labels(client):
    html = client.get(f"/ogi/reports/{SEED_003}")
    for text in ("二、主动公开政府信息情况", "Proactive disclosure", "三、收到和处理政府信息公开申请情况",
                 "Applications received and handled", "四、政府信息公开行政复议、行政诉讼情况",
                 "总体情况", "法人或其他组织", "Natural persons", f"/-/source/{SEED_003}",
                 "No other report of this agency"):
        assert text in html, text


def _header_cells(html: str, table: str) -> list[list[tuple[str, str, str]]]:
    """The <th> rows of one form table: (Chinese label, rowspan, colspan) per cell."""
    body = re.search(rf'<table class="form {table}">(.*?)</table>', html, re.S).group(1)
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = [(re.sub(r"<span.*?</span>", "", inner).strip(), attrs) for attrs, inner
                 in re.findall(r"<th([^>]*)>(.*?)</th>", tr, re.S)]
        if cells:
            rows.append([(label, (re.findall(r'rowspan="(\d+)"', a) or ["1"])[0],
                          (re.findall(r'colspan="(\d+)"', a) or ["1"])[0]) for label, a in cells])
    return rows


def test_report_page_draws_the_headers_of_the_form(client):
    """The headers of sections 三 and 四 as the paper form draws them (国办公开办函〔2019〕60号)."""
    html = client.get(f"/ogi/reports/{SEED_003}")
    corner = "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"
    assert _header_cells(html, "applications") == [
        [(corner, "3", "1"), ("申请人情况", "1", "7")],
        [("自然人", "2", "1"), ("法人或其他组织", "1", "5"), ("总计", "2", "1")],
        [(label, "1", "1") for label in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    outcomes = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    assert _header_cells(html, "review") == [
        [("行政复议", "1", "5"), ("行政诉讼", "1", "10")],
        [*((o, "2", "1") for o in outcomes), ("未经复议直接起诉", "1", "5"), ("复议后起诉", "1", "5")],
        [(o, "1", "1") for o in outcomes * 2],
    ]
    assert "Without prior review" in html and "Legal persons and other organizations" in html


@pytest.mark.parametrize("template, expected", [
    ("2019", ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
              "[三、本年度办理结果]", "（一）予以公开", "（二）部分公开", "[（三）不予公开]",
              *(f"  {n}." for n in range(1, 9)), "[（四）无法提供]", *(f"  {n}." for n in range(1, 4)),
              "[（五）不予处理]", *(f"  {n}." for n in range(1, 6)), "（六）其他处理", "（七）总计",
              "四、结转下年度继续办理"]),
    ("2021", ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
              "[三、本年度办理结果]", "（一）予以公开", "（二）部分公开", "[（三）不予公开]",
              *(f"  {n}." for n in range(1, 9)), "[（四）无法提供]", *(f"  {n}." for n in range(1, 4)),
              "[（五）不予处理]", *(f"  {n}." for n in range(1, 6)), "[（六）其他处理]",
              *(f"  {n}." for n in range(1, 4)), "（七）总计", "四、结转下年度继续办理"]),
])
def test_report_page_prints_the_rows_of_section_3_under_their_group_rows(template, expected):
    """Group rows (in brackets) before the rows they hold; rows under a group within
    三、本年度办理结果 are indented and printed with their own number only (1.属于国家秘密)."""
    from loaders.site.report_page import _applications

    rows = _applications(template, lambda *cell: None)
    shown = [f"[{r['label_zh']}]" if r["group"] else
             (f"  {r['label_zh'].split('.')[0]}." if r["sub"] else r["label_zh"]) for r in rows]
    assert shown == expected
    assert all(r["label_zh"][0].isdigit() for r in rows if not r["group"] and r["sub"])


def test_source_download_is_the_published_file(client):
    r = client.response(f"/-/source/{SEED_003}/raw")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/octet-stream"
    assert "attachment" in r.headers["content-disposition"]
    assert r.content == (REPORTS / "003_ebe99ea40a3f8069.txt").read_bytes()


def test_source_view_refuses_unknown_ids(client):
    assert client.response("/-/source/0000000000000000").status_code == 404
    r = client.response("/-/source/..%2F..%2Fetc%2Fpasswd")
    assert r.status_code in (302, 404) and "root:" not in r.text, r.headers.get("location")


# --- crafted reports: other years, a changed source, markup in the prose ----------------------

@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crafted")
    reports = folder / "reports"
    reports.mkdir()
    write_report(reports, "a2020.txt", agency="测试县卫生健康局", year=2020)
    write_report(reports, "a2021.txt", agency="测试县卫生健康局", year=2021)
    write_report(reports, "xss.txt", agency="脚本县卫生健康局", year=2021,
                 overview='本年度<script>alert("x")</script><b>加粗</b>工作。')
    write_report(reports, "xss_title.txt", agency='<script>alert("t")</script>县卫生健康局',
                 year=2022)
    db = folder / "ogi.db"
    result = build([reports], db)
    assert result.failed == 0 and not result.bugs, (result.errors, result.internal_errors)
    return Client(datasette(db, sources=reports)), reports


def report_id(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def test_report_page_links_the_agencys_other_years(crafted):
    client, reports = crafted
    html = client.get(f"/ogi/reports/{report_id(reports / 'a2021.txt')}")
    assert f'href="/ogi/reports/{report_id(reports / "a2020.txt")}">2020</a>' in html


def test_markup_in_a_report_renders_inert(crafted):
    client, reports = crafted
    rid = report_id(reports / "xss.txt")
    for path in (f"/ogi/reports/{rid}", f"/-/source/{rid}", f"/ogi/sections?report_id={rid}",
                 "/ogi/search_prose?q=加粗"):
        html = client.get(path)
        assert "<script>alert" not in html and "<b>加粗" not in html, path
        assert "&lt;script&gt;" in html, path


def test_markup_in_a_title_renders_inert_everywhere(crafted):
    client, reports = crafted
    rid = report_id(reports / "xss_title.txt")
    for path in (f"/ogi/reports/{rid}", "/ogi/reports", "/ogi/agencies", f"/-/source/{rid}",
                 "/ogi/reports_by_failures", "/ogi/validation_failures",
                 f"/ogi/parse_issues?report_id={rid}"):
        html = client.get(path)
        assert '<script>alert("t")' not in html, path
    assert "&lt;script&gt;alert" in client.get(f"/ogi/reports/{rid}")  # shown, as text
    assert "&lt;script&gt;alert" in client.get("/ogi/reports")


def test_source_view_refuses_a_changed_file(crafted, tmp_path):
    client, reports = crafted
    path = reports / "a2020.txt"
    rid = report_id(path)
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n")
        assert "changed since the database was built" in client.get(f"/-/source/{rid}", 404)
        assert client.response(f"/-/source/{rid}/raw").status_code == 404
    finally:
        path.write_bytes(original)
    assert client.response(f"/-/source/{rid}").status_code == 200


# --- the snapshot -----------------------------------------------------------------------------

def test_snapshot_writes_a_dated_copy_and_its_manifest(db_path, seeds_db, tmp_path):
    import datetime as dt
    import sqlite3

    copy, manifest_path = snapshot(db_path, tmp_path, dt.date(2026, 11, 23))
    assert copy.name == "ogi-2026-11-23.db"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert manifest["sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert manifest["bytes"] == copy.stat().st_size
    assert manifest["software"]["version"]
    for table in tables(seeds_db):
        assert manifest["tables"][table] == seeds_db[table].count, table
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
               for p in REPORTS.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert {s["file"]: s["sha256"] for s in manifest["sources"]} == on_disk
    assert all(s["loaded"] for s in manifest["sources"])
    with sqlite3.connect(copy) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from reports").fetchone()[0] == len(on_disk)


def test_snapshot_writes_the_numbers_without_their_provenance(db_path, seeds_db, tmp_path):
    import datetime as dt
    import sqlite3

    copy, manifest_path = snapshot(db_path, tmp_path, dt.date(2026, 11, 23))
    numbers = tmp_path / "ogi-2026-11-23-numbers.db"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))["numbers_only"]
    assert manifest["snapshot"] == numbers.name and manifest["bytes"] == numbers.stat().st_size
    assert manifest["sha256"] == hashlib.sha256(numbers.read_bytes()).hexdigest()
    with sqlite3.connect(numbers) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        names = {r[0] for r in conn.execute("select name from sqlite_master")}
        assert not names & {"cells", "cell_values", "parse_issues", "sections", "sections_fts",
                            "reports_fts", "build_files"}
        # the numbers, the failures with their messages and the reference tables, as in the full
        # database (the views read alike)
        for table in ("reports", "applications", "review_litigation", "active_disclosure",
                      "validation_failures", "check_errors", "agencies", "application_rows",
                      "disclosure_items", "validation_rules", "issue_codes", "stats_by_year"):
            rows = conn.execute(f"select * from {table} order by 1, 2, 3").fetchall()
            assert rows == seeds_db.execute(f"select * from {table} order by 1, 2, 3").fetchall()
            assert rows or table == "check_errors", table
            if table in manifest["tables"]:
                assert manifest["tables"][table] == len(rows)
        assert conn.execute("select count(*) from validation_failures where message is null "
                            "or message_zh is null").fetchone()[0] == 0


def test_snapshot_command(tmp_path, db_path):
    from click.testing import CliRunner

    from loaders.cli import cli

    result = CliRunner().invoke(cli, ["snapshot", "--db", str(db_path), "--out-dir",
                                      str(tmp_path), "--date", "2026-01-02"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ogi-2026-01-02.db").is_file()
    assert (tmp_path / "ogi-2026-01-02.manifest.json").is_file()
    assert (tmp_path / "ogi-2026-01-02-numbers.db").is_file()


def test_source_lines_link_to_the_source_view(client, seeds_db):
    row = next(seeds_db.query("select * from cells where report_id = ? and row_key = 'total' "
                              "and column_key = 'natural_person'", [SEED_003]))
    html = client.get(f"/ogi/cells?report_id={SEED_003}&row_key=total&column_key=natural_person")
    assert f'<a href="/-/source/{SEED_003}#L{row["source_line"]}">{row["source_line"]}</a>' in html


def test_report_page_marks_rows_placed_by_the_form_order(client, seeds_db):
    # 上海市科委 2024 (PDF-to-markdown): the 部分公开 row's label was lost; its zeros were placed
    [report] = seeds_db.query("select id from reports where source_file = 'shanghai_kewei_2024.md'")
    page = ReportCells(client.get(f"/ogi/reports/{report['id']}"))
    inferred = {k.split("/")[1] for k in page.with_class("inferred")}
    assert "partly_granted" in inferred and "granted" not in inferred
    assert "row_inferred" in page.cells["applications/partly_granted/total"]["title"]


def test_report_page_shows_the_place_and_links_the_agency(client):
    html = client.get(f"/ogi/reports/{SEED_003}")
    assert "浙江省 · 宁波市 · 鄞州区" in html and "/ogi/divisions/330212" in html
    href = re.search(r'href="([^"]*/ogi/agencies/[^"]*)"', html).group(1)
    assert "鄞州区卫生健康局" in client.get(href)


def test_reports_and_failures_facet_by_province_and_city(client):
    data = client.get("/ogi/reports.json")
    provinces = {r["value"]: r["count"] for r in data["facet_results"]["province"]["results"]}
    assert provinces["上海市"] == 2 and provinces["浙江省"] == 1
    # on request: a default facet over every failure would not hold at 100,000 reports
    failures = client.get("/ogi/validation_failures.json?severity=error&_facet=province")
    assert {r["value"] for r in failures["facet_results"]["province"]["results"]} == {"浙江省"}


def test_place_queries(client):
    rows = client.get("/ogi/reports_in_place.json?_shape=array&province=&city=宁波&county=")
    assert [r["county"] for r in rows] == ["鄞州区"]
    by_province = {r["province"]: r for r in client.get(
        "/ogi/failure_rate_by_province.json?_shape=array")}
    assert by_province["浙江省"]["reports_with_errors"] == 1
    assert by_province["上海市"]["reports"] == 2
    points = client.get("/ogi/reports_map.json?_shape=array")
    assert all(p["latitude"] and p["longitude"] for p in points)
    ningbo = next(p for p in points if p["place"] == "宁波市")  # 鄞州区 counts at its city
    assert ningbo["reports"] == 1 and ningbo["adcode"] == "330200"
    assert 29 < ningbo["latitude"] < 30.5 and 121 < ningbo["longitude"] < 122.5
    shanghai = next(p for p in points if p["place"] == "上海市")  # two provincial agencies
    assert shanghai["reports"] == 2 and shanghai["level"] == "province"
    assert "datasette-cluster-map" in client.get("/ogi/reports_map")


def test_the_public_server_cannot_write(client):
    [database] = client.get("/-/databases.json")
    assert database["is_mutable"] is False
    plugins = {p["name"] for p in client.get("/-/plugins.json")}
    assert plugins == {"datasette-vega", "datasette-cluster-map", "datasette-leaflet",
                       "datasette-gzip", "ogi-reports"}  # none of them writes
    queries = metadata()["databases"]["ogi"]["queries"]
    assert not any(q.get("write") for q in queries.values())
    r = client.response("/ogi.json?sql=" + "insert into reports (id) values ('x')")
    assert r.status_code == 400
    assert client.get("/ogi/reports.json?_shape=array&id=x") == []
