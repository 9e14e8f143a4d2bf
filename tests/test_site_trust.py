"""What a journalist needs to trust the site at a glance (issue 15): every id a link, every total
with the reports behind it, errors before warnings, a status that says what it means, the
database's coverage on the home page, a CSV Excel reads, the schema not re-read at every visit.

Served in-process as ``make serve`` serves it (tests/site_client.py).
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import re
from pathlib import Path

import pytest
from datasette.version import __version__ as datasette_version

from conftest import REPORTS, expected_files, load_expected
from factory import write_report
from loaders.build import build
from site_client import Client, ReportCells, datasette

SEED_003 = "47010530719ae648"  # 鄞州区卫生健康局 2020: the seed whose numbers do not add up
STATUSES = {"ok", "warnings", "errors", "unreadable", "prose_only"}


def links(html: str) -> dict[str, str]:
    """Link text -> href, for the links whose text is the href's last part (an id's link)."""
    return {text: href for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)}


# --- every id a link --------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/ogi/reports_by_failures?year=",
    "/ogi/rule_accounting_identity?year=&agency=",
    "/ogi/search_prose?q=疫情",
    "/ogi/agency_history?agency=鄞州",
    "/ogi/reports_in_place?province=浙江&city=&county=",
    "/ogi?sql=select+report_id+from+cells+where+report_id+%3D+%2747010530719ae648%27+limit+1",
    "/ogi/validation_failures?report_id=47010530719ae648&_labels=off",
])
def test_every_report_id_is_a_link_to_its_report(client, path):
    html = client.get(path)
    assert links(html).get(SEED_003) == f"/ogi/reports/{SEED_003}", path


def test_agency_ids_link_to_their_agency(client, seeds_db):
    agency_id = seeds_db.execute("select agency_id from reports where id = ?",
                                 [SEED_003]).fetchone()[0]
    for path in ("/ogi/agency_history?agency=鄞州", "/ogi/reports_by_failures?year=",
                 "/ogi/reports_in_place?province=浙江&city=&county="):
        href = links(client.get(path)).get(agency_id)
        assert href and href.startswith("/ogi/agencies/"), path
        assert "鄞州区卫生健康局" in client.get(href)


def test_a_report_id_link_opens_the_report_page(client):
    href = links(client.get("/ogi/reports_by_failures?year="))[SEED_003]
    page = ReportCells(client.get(href))
    assert "fail-error" in page.cells["applications/total/total"]["classes"]


# --- status, listing, failures errors first ---------------------------------------------------

def test_status_says_what_the_checks_found(seeds_db):
    for r in seeds_db.query("select * from reports"):
        assert r["status"] in STATUSES, r["status"]
        if r["status"] in ("prose_only", "unreadable"):
            continue
        expected = "errors" if r["check_errors"] else "warnings" if r["check_warnings"] else "ok"
        assert r["status"] == expected, (r["source_file"], r["status"], r["check_errors"])
    assert seeds_db.execute("select status from reports where id = ?",
                            [SEED_003]).fetchone()[0] == "errors"


def test_a_report_whose_row_cannot_be_read_is_unreadable_and_shows_its_text(tmp_path):
    reports = tmp_path / "reports"
    # eight cells after 本年新收 where the form has seven: none is guessed into a column
    path = write_report(reports, "eight.txt", agency="测试县卫生健康局", year=2021,
                        applications={"new_received": [1, 2, 3, 4, 5, 6, 7, 28]})
    write_report(reports, "fine.txt", agency="样例县卫生健康局", year=2021)
    db = tmp_path / "ogi.db"
    result = build([reports], db)
    assert result.failed == 0 and not result.bugs, (result.errors, result.internal_errors)
    client = Client(datasette(db, sources=reports))
    rid = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    [row] = client.get(f"/ogi/reports.json?_shape=array&id={rid}")
    assert row["status"] == "unreadable"
    page = ReportCells(client.get(f"/ogi/reports/{rid}"))
    cell = page.cells["applications/new_received/natural_person"]
    assert "unreadable" in cell["classes"] and "blank" not in cell["classes"]
    assert cell["text"].strip().startswith("1 | 2")  # its text, shortened, in the cell
    assert "1 | 2 | 3 | 4 | 5 | 6 | 7 | 28" in cell["title"] and "Unreadable" in cell["title"]
    # a blank cell stays blank (hatched), not unreadable
    fine = ReportCells(client.get(
        f"/ogi/reports/{hashlib.sha256((reports / 'fine.txt').read_bytes()).hexdigest()[:16]}"))
    assert not fine.with_class("unreadable")


def test_reports_open_errors_first_then_the_latest_year(client, seeds_db):
    rows = client.get("/ogi/reports.json?_shape=array&_size=max")
    assert rows[0]["id"] == SEED_003
    keys = [(-r["check_errors"], -(r["year"] or 0)) for r in rows]
    assert keys == sorted(keys)
    html = client.get("/ogi/reports")
    # the failure counts stand next to the title; the column descriptions come after the table
    header = re.findall(r'<th [^>]*data-column="([^"]+)"', html)
    assert header.index("check_warnings") + 1 == header.index("title")
    assert header.index("status") < header.index("check_errors") < header.index("title")
    assert html.index("</table>") < html.index('<details class="ogi-columns">')
    assert "td.col-title" in html  # a title gets a readable width


def test_failures_list_errors_first_everywhere(client):
    rows = client.get("/ogi/validation_failures.json?_shape=array&_size=max")
    severities = [r["severity"] for r in rows]
    assert severities == sorted(severities) and severities[0] == "error"
    rows = client.get("/ogi/failures_by_rule_and_year.json?_shape=array&clean=")
    for year in {r["year"] for r in rows}:
        of_year = [r["severity"] for r in rows if r["year"] == year]
        assert of_year == sorted(of_year)


def test_report_page_folds_each_rules_warnings_into_one_line(client, seeds_db):
    html = client.get(f"/ogi/reports/{SEED_003}")
    blank = seeds_db.execute("select count(*) from validation_failures where report_id = ? "
                             "and rule = 'blank_cells'", [SEED_003]).fetchone()[0]
    assert blank > 1
    group = re.search(r'<tr class="failure-group" data-rule="blank_cells">(.*?)</details>',
                      html, re.S).group(1)
    assert f"<strong>{blank} warnings</strong>" in group and "<summary>" in group
    assert group.count('<tr class="failure"') == blank  # every one, inside the fold
    # errors are never folded: one line each, before any group
    first_group = html.index('class="failure-group"')
    assert html[:first_group].count('<td class="sev-error">') == 5


def test_failures_chart_colours_errors_and_warnings_apart(client):
    home = client.get("/")
    link = re.search(r'href="(/ogi/failures_by_rule_and_year[^"]+)"', home).group(1)
    assert "g.color_column=severity" in link


# --- coverage ---------------------------------------------------------------------------------

def test_charts_say_reports_in_this_database_and_show_their_coverage(client):
    home = client.get("/")
    chart_links = re.findall(r'<a href="([^"]*#g\.[^"]*)">([^<]*)</a>', home)
    assert len(chart_links) >= 6
    for href, text in chart_links:
        assert "national" not in text.lower(), text
        assert "g.x_column=coverage" in href.replace("&amp;", "&"), href
    assert all("reports in this database" in t or "errors and warnings" in t
               for _, t in chart_links)
    # "national" only of the form, or to say that the totals are not national ones
    assert "national" not in re.sub(r"national (format|form)|not national totals", "",
                                    home.lower())


@pytest.mark.parametrize("query", ["applications_by_year", "outcome_mix_by_year",
                                   "failures_by_rule_and_year", "failure_rate_by_year",
                                   "failure_rate_by_province", "review_litigation_outcomes"])
def test_every_chart_row_says_how_many_reports_and_agencies_stand_behind_it(client, query):
    rows = client.get(f"/ogi/{query}.json?_shape=array&year=&clean=")
    assert rows
    for r in rows:
        assert re.search(r"(^|· )\d+ reports? ", r["coverage"] + " "), r["coverage"]
        if query != "failures_by_rule_and_year":  # there reports counts the failing ones
            assert r["agencies"] is not None and r["reports"] is not None
        assert re.search(r"· \d+ agenc(y|ies)", r["coverage"]), r["coverage"]


def test_province_rates_are_in_pinyin_and_marked_when_few(client):
    rows = {r["province"]: r for r in client.get(
        "/ogi/failure_rate_by_province.json?_shape=array")}
    zhejiang = rows["浙江省"]
    assert zhejiang["province_en"] == "Zhejiang"
    assert zhejiang["coverage"] == "Zhejiang 浙江省 · 1 report (<10) · 1 agency"
    assert zhejiang["small_sample"].startswith("fewer than 10 reports")


# --- English ----------------------------------------------------------------------------------

def test_places_are_in_pinyin_and_sectors_in_english(seeds_db):
    row = next(seeds_db.query("select place_en from reports where id = ?", [SEED_003]))
    assert row["place_en"] == "Yinzhou District, Ningbo, Zhejiang"
    agency = next(seeds_db.query(
        "select a.sector, a.sector_en, a.kind from agencies a join reports r "
        "on r.agency_id = a.id where r.id = ?", [SEED_003]))
    assert (agency["sector"], agency["sector_en"], agency["kind"]) == \
        ("卫生健康", "health", "department")
    names = dict(seeds_db.execute("select code, name_en from divisions where code in "
                                  "('330000', '330200', '330212', '622927', '610000', '140000')"))
    assert names == {"330000": "Zhejiang", "330200": "Ningbo", "330212": "Yinzhou District",
                     "622927": "Jishishan Bao'anzu Dongxiangzu Salazu Autonomous County",
                     "610000": "Shaanxi", "140000": "Shanxi"}


def test_every_sector_has_an_english_name():
    from loaders.extract.agencies import SECTORS
    from loaders.derived.english import SECTORS_EN

    assert {s for s, _ in SECTORS} <= set(SECTORS_EN)


def test_report_page_shows_the_place_in_pinyin(client):
    html = client.get(f"/ogi/reports/{SEED_003}")
    assert "Yinzhou District, Ningbo, Zhejiang" in html and "health" in html


def test_reports_in_place_takes_pinyin(client):
    rows = client.get("/ogi/reports_in_place.json?_shape=array&province=Zhejiang&city=&county=")
    assert [r["report_id"] for r in rows] == [SEED_003]


# --- the home page and /about -----------------------------------------------------------------

def test_home_and_about_say_what_the_database_holds(client, seeds_db):
    years = {load_expected(p)["year"] for p in expected_files()}
    latest = seeds_db.execute("select max(published_on) from reports").fetchone()[0]
    agencies = seeds_db.execute("select count(distinct agency_id) from reports").fetchone()[0]
    for path in ("/", "/about"):
        html = client.get(path)
        assert f'<span class="n-reports">{len(expected_files())} reports</span>' in html, path
        assert f'<span class="n-agencies">{agencies} agencies</span>' in html, path
        assert f'<span class="n-years">{len(years)} years</span>' in html, path
        assert f"({min(years)}–{max(years)})" in html
        assert f'<span class="latest">{latest}</span>' in html, path


def test_no_build_time_is_stored(seeds_db):
    keys = {r["key"] for r in seeds_db.query("select key from build_info")}
    assert not {k for k in keys if "time" in k or "built" in k or "date" in k}


def test_home_page_links_the_docs_of_the_installed_datasette(client):
    html = client.get("/")
    assert f"https://docs.datasette.io/en/{datasette_version}/json_api.html" in html
    assert "docs.datasette.io/en/0.65.1" not in html or datasette_version == "0.65.1"


# --- CSV for Excel ----------------------------------------------------------------------------

def test_csv_for_excel_starts_with_a_byte_order_mark(client, seeds_db):
    plain = client.response("/ogi/reports.csv?_size=max")
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    for headers in ({}, {"Accept-Encoding": "gzip"}):
        r = asyncio.run(client.ds.client.get("/ogi/reports.csv?_size=max&_bom=1&_dl=1",
                                             headers=headers))
        assert r.status_code == 200
        assert r.content.startswith(b"\xef\xbb\xbfid,"), r.content[:20]
        assert r.content[3:] == plain.content
        rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert len(rows) == seeds_db["reports"].count and rows[0]["agency"]
    streamed = client.response("/ogi/cells.csv?_stream=on&_bom=1")
    assert streamed.content.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("path", ["/ogi/reports", "/ogi/applications_by_year",
                                  "/ogi/validation_failures?severity=error"])
def test_table_and_query_pages_link_the_csv_for_excel(client, path):
    html = client.get(path)
    href = re.search(r'<a class="csv-bom" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "_bom=1" in href and ".csv" in href
    assert client.response(href).content.startswith(b"\xef\xbb\xbf")


# --- speed: what the home and database pages computed at every visit ---------------------------

def test_home_and_database_pages_read_the_schema_once(db_path):
    ds = datasette(db_path, sources=REPORTS)
    client = Client(ds)
    client.get("/")  # the first visit reads the schema
    db = ds.get_database("ogi")
    queries = []
    execute_fn = db.execute_fn

    async def counting(fn, *args, **kwargs):
        queries.append(fn)
        return await execute_fn(fn, *args, **kwargs)
    db.execute_fn = counting
    for path in ("/", "/ogi", "/", "/ogi"):
        client.get(path)
    # without the plugin's memory: about 290 queries a visit (columns, keys and a permission
    # check per table); now the few that are not about the schema
    assert len(queries) <= 4 * 4, len(queries)
