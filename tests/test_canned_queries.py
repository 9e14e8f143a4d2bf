"""Every canned query of metadata.yml, run through Datasette's own test client on the seeds."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import yaml
from datasette.app import Datasette

from conftest import ROOT, expected_files
from loaders import checks

METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
QUERIES = METADATA["databases"]["ogi"]["queries"]


@pytest.fixture(scope="module")
def get(seeds_db):
    ds = Datasette([str(Path(seeds_db.conn.execute("pragma database_list").fetchone()[2]))],
                   metadata=METADATA)

    def fetch(path: str):
        response = asyncio.run(ds.client.get(path))
        assert response.status_code == 200, (path, response.text[:500])
        return json.loads(response.text) if ".json" in path else response.text
    return fetch


def test_every_rule_has_a_canned_query_that_explains_it():
    for r in checks.all_rules():
        query = QUERIES.get(f"rule_{r.code}")
        assert query, f"no canned query for rule {r.code}"
        assert r.title_en in query["title"] and r.title_zh in query["title"]
        assert r.description_en in query["description_html"]
        assert f"'{r.code}'" in query["sql"]


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


def test_reports_by_failures(get):
    rows = get("/ogi/reports_by_failures.json?_shape=array&year=")
    assert rows[0]["agency"] == "鄞州区卫生健康局" and rows[0]["check_errors"] == 5
    assert len(rows) == len(expected_files())
    assert [r["year"] for r in get("/ogi/reports_by_failures.json?_shape=array&year=2021")] == [2021]


def test_failure_rate_by_year(get):
    rows = {r["year"]: r for r in get("/ogi/failure_rate_by_year.json?_shape=array")}
    assert rows[2020]["reports"] == 3 and rows[2020]["reports_with_errors"] == 1
    assert rows[2020]["error_rate_pct"] == 33.3
    assert rows[2019]["reports_with_errors"] == 0 and rows[2021]["reports"] == 1


def test_failure_rate_by_template(get):
    rows = {r["template"]: r for r in get("/ogi/failure_rate_by_template.json?_shape=array")}
    assert rows["2019"]["reports"] == 4 and rows["2019"]["reports_with_errors"] == 1
    assert rows["2021"]["reports_with_errors"] == 0


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
    for name, query in QUERIES.items():
        assert query.get("title") and query.get("description_html"), name
        get(f"/ogi/{name}.json?_shape=array&year=&agency=")
