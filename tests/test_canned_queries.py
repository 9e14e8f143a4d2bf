"""Every canned query of metadata.yml, run through Datasette's own test client on the seeds."""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path

import pytest
import yaml
from datasette.app import Datasette
from markupsafe import escape

from collections import Counter

from conftest import ROOT, expected_files, load_expected
from loaders import checks

METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
QUERIES = METADATA["databases"]["ogi"]["queries"]


@pytest.fixture(scope="module")
def get(seeds_db):
    # A copy: Datasette merges the plugin's canned queries (the rule pages) into the metadata.
    ds = Datasette([str(Path(seeds_db.conn.execute("pragma database_list").fetchone()[2]))],
                   metadata=copy.deepcopy(METADATA))

    def fetch(path: str):
        response = asyncio.run(ds.client.get(path))
        assert response.status_code == 200, (path, response.text[:500])
        return json.loads(response.text) if ".json" in path else response.text
    return fetch


@pytest.mark.parametrize("rule", checks.all_rules(), ids=lambda r: r.code)
def test_every_registered_rule_has_its_page_with_its_title(get, rule):
    """Each rule of the registry is reachable from the database page, at /ogi/rule_<code>, with
    its titles and descriptions (the registry's own texts: none is copied anywhere else)."""
    listed = {q["name"]: q for q in get("/ogi.json")["queries"]}
    page = listed.get(f"rule_{rule.code}")
    assert page, (f"no page for rule {rule.code}: Datasette finds the rule pages' hook "
                  "(loaders.site.rule_pages.canned_queries) in the plugin module it loads")
    assert page["title"] == f"Rule: {rule.title_en} · {rule.title_zh}"
    assert f'href="/ogi/rule_{rule.code}"' in get("/ogi")
    html = get(f"/ogi/rule_{rule.code}?year=&agency=")
    for text in (rule.title_en, rule.title_zh, rule.description_en, rule.description_zh):
        assert str(escape(text)) in html, (rule.code, text)
    assert f'href="/ogi/validation_failures?rule={rule.code}"' in html


def test_no_rule_text_is_copied_into_metadata():
    """metadata.yml names no rule: the rule pages are made from the registry."""
    text = (ROOT / "metadata.yml").read_text(encoding="utf-8")
    for rule in checks.all_rules():
        for copied in (rule.description_en, rule.description_zh, f"rule_{rule.code}:"):
            assert copied not in text, (rule.code, copied)


@pytest.mark.parametrize("rule", [r.code for r in checks.all_rules()])
def test_rule_query_returns_exactly_the_rules_failures(get, seeds_db, rule):
    rows = get(f"/ogi/rule_{rule}.json?_shape=array&year=&agency=")
    stored = list(seeds_db.query("select report_id, message from validation_failures "
                                 "where rule = ?", [rule]))
    assert sorted((r["report_id"], r["message"]) for r in rows) == \
        sorted((r["report_id"], r["message"]) for r in stored)


def test_accounting_identity_query_finds_seed_003(get):
    rows = get("/ogi/rule_accounting_identity.json?_shape=array")
    assert {(r["agency"], r["column_key"], r["severity"]) for r in rows} == {
        ("鄞州区卫生健康局", "natural_person", "error"), ("鄞州区卫生健康局", "total", "error"),
        # 上海市科委 2024 left its 结转下年度 总计 blank: 34 + 2 against 35 + blank
        ("上海市科学技术委员会", "total", "warning")}


def test_rule_query_parameters_filter(get):
    assert len(get("/ogi/rule_blank_cells.json?_shape=array&year=2020&agency=尧都")) == 23
    assert get("/ogi/rule_blank_cells.json?_shape=array&year=2019&agency=") == []
    assert get("/ogi/rule_outcome_total.json?_shape=array&year=&agency=同江") == []


def fixture_years() -> Counter:
    return Counter(load_expected(p)["year"] for p in expected_files())


SEED_003 = "47010530719ae648"  # 鄞州区卫生健康局 2020: its own numbers do not add up


def test_reports_by_failures(get):
    rows = get("/ogi/reports_by_failures.json?_shape=array&year=")
    top = rows[0]
    assert top["agency"] == "鄞州区卫生健康局" and top["check_errors"] == 5
    assert top["report_id"] == SEED_003 and top["status"] == "errors"
    # the rules it fails, errors first: 2 + 2 + 1 errors (see test_checks), then its warnings
    rules = top["rules_failed"].split("; ")
    assert rules[:3] == ["error: accounting_identity ×2", "error: outcome_total ×2",
                         "error: row_total"]
    assert all(r.startswith("warning: ") for r in rules[3:]) and "warning: blank_cells" in \
        top["rules_failed"]
    assert len(rows) == len(expected_files())
    year_2021 = get("/ogi/reports_by_failures.json?_shape=array&year=2021")
    assert [r["year"] for r in year_2021] == [2021] * fixture_years()[2021]


def test_failure_rate_by_year(get, seeds_db):
    rows = {r["year"]: r for r in get("/ogi/failure_rate_by_year.json?_shape=array")}
    assert {y: r["reports"] for y, r in rows.items()} == dict(fixture_years())
    for year, r in rows.items():
        stored = list(seeds_db.query("select count(*) n, sum(check_errors > 0) e, "
                                     "count(distinct agency_id) a from reports where year = ?",
                                     [year]))[0]
        assert (r["reports_with_errors"], r["agencies"]) == (stored["e"], stored["a"])
        assert r["error_rate_pct"] == round(100 * stored["e"] / stored["n"], 1)
        # every year here has fewer than 10 reports: the rate is marked, on the row and the bar
        assert r["small_sample"].startswith("fewer than 10 reports")
        assert r["coverage"] == (f"{year} · {r['reports']} report{'s' * (r['reports'] != 1)} "
                                 f"(<10) · {r['agencies']} "
                                 f"agenc{'ies' if r['agencies'] != 1 else 'y'}")
    assert rows[2020]["reports_with_errors"] >= 1  # 003
    assert rows[2019]["reports_with_errors"] == 0 and rows[2019]["error_rate_pct"] == 0.0


def test_failure_rate_by_template(get):
    templates = Counter(load_expected(p)["template"] for p in expected_files())
    rows = {r["template"]: r for r in get("/ogi/failure_rate_by_template.json?_shape=array")}
    assert sum(r["reports"] for r in rows.values()) == len(expected_files())
    assert rows["2019"]["reports"] <= templates["2019"]  # prose-only reports have no template
    assert rows["2019"]["reports_with_errors"] >= 1  # 003
    assert all(r["small_sample"] for r in rows.values())


def test_yearly_summaries_without_the_reports_with_errors(get, seeds_db):
    """clean=1 counts only the reports with no error; the sums come from the fixtures."""
    with_errors = {r["source_file"] for r in seeds_db.query(
        "select source_file from reports where check_errors > 0")}
    assert "003_ebe99ea40a3f8069.txt" in with_errors
    for clean in ("", "1"):
        expected: dict = {}
        for p in expected_files():
            f = load_expected(p)
            if clean and f["source"] in with_errors:
                continue
            e = expected.setdefault(f["year"], {"reports": 0, "new_received": None})
            e["reports"] += 1
            value = (f.get("applications") or {}).get("new_received", [None] * 7)[-1]
            if value is not None:
                e["new_received"] = (e["new_received"] or 0) + value
        rows = get(f"/ogi/applications_by_year.json?_shape=array&clean={clean}")
        assert {r["year"]: r["reports"] for r in rows if r["reports"]} == \
            {y: e["reports"] for y, e in expected.items()}
        assert {r["year"]: r["new_received"] for r in rows if r["reports"]} == \
            {y: e["new_received"] for y, e in expected.items()}
        assert all(r["coverage"].startswith(f"{r['year']} · {r['reports']} report")
                   for r in rows)
        if clean:  # 2020 without 003
            assert {r["year"]: r["reports"] for r in rows}[2020] == fixture_years()[2020] - 1
    failures = get("/ogi/failures_by_rule_and_year.json?_shape=array&clean=1")
    assert failures and {r["severity"] for r in failures} == {"warning"}


def test_review_outcomes_say_how_many_reports_stand_behind_them(get, seeds_db):
    with_review = seeds_db.execute(
        "select count(*), count(distinct r.agency_id) from review_litigation rl "
        "join reports r on r.id = rl.report_id").fetchone()
    rows = get("/ogi/review_litigation_outcomes.json?_shape=array&year=&clean=")
    assert {(r["reports"], r["agencies"]) for r in rows} == {tuple(with_review)}
    assert rows[0]["coverage"].startswith(f"{with_review[0]} report")
    assert rows[0]["coverage"].endswith(" · " + rows[0]["proceeding"])


def test_failures_by_rule_and_year(get):
    rows = get("/ogi/failures_by_rule_and_year.json?_shape=array")
    errors = {(r["year"], r["rule"]): r["failures"] for r in rows if r["severity"] == "error"}
    assert errors == {(2020, "accounting_identity"): 2, (2020, "outcome_total"): 2,
                      (2020, "row_total"): 1}


def test_agency_history(get):
    rows = get("/ogi/agency_history.json?_shape=array&agency=鄞州")
    assert len(rows) == 1
    row = rows[0]
    assert (row["year"], row["new_received"], row["carried_over"], row["handled"],
            row["carried_forward"], row["review_total"]) == (2020, 1, 0, 1, 60, 1)
    # 尧都 left its carried_over total blank in every column but 总计
    yaodu = get("/ogi/agency_history.json?_shape=array&agency=尧都")[0]
    assert yaodu["handled"] is None and yaodu["carried_over"] == 0


def test_every_canned_query_runs_and_has_a_description(get):
    queries = {q["name"]: q for q in get("/ogi.json")["queries"]}
    assert set(QUERIES) < set(queries)  # metadata.yml's, and the rule pages
    for name, query in queries.items():
        assert query.get("title") and query.get("description_html"), name
        get(f"/ogi/{name}.json?_shape=array&year=&agency=")
