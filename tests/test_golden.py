"""Every cell of every seed against its hand-checked expected file (tests/fixtures/expected)."""

from __future__ import annotations

import pytest

from conftest import REPORTS, expected_files, load_expected
from loaders.template import APPLICANT_KEYS, REVIEW_KEYS

CASES = [pytest.param(load_expected(p), id=p.stem) for p in expected_files()]


def report_row(db, source):
    rows = list(db.query("select * from reports where source_file = ?", [source]))
    assert len(rows) == 1, f"{source} not loaded exactly once"
    return rows[0]


def test_every_report_has_an_expected_file():
    sources = {p.name for p in REPORTS.iterdir() if p.is_file()}
    expected = {load_expected(p)["source"] for p in expected_files()}
    assert sources <= expected, f"reports without an expected file: {sorted(sources - expected)}"


@pytest.mark.parametrize("expected", CASES)
def test_report_metadata(seeds_db, expected):
    report = report_row(seeds_db, expected["source"])
    assert report["agency"] == expected["agency"]
    assert report["year"] == expected["year"]
    assert report["template"] == expected["template"]
    if "published_on" in expected:  # the corpus files' expected values do not all say
        assert report["published_on"] == expected["published_on"]


@pytest.mark.parametrize("expected", CASES)
def test_applications_every_cell(seeds_db, expected):
    rid = report_row(seeds_db, expected["source"])["id"]
    assert expected["columns"] == list(APPLICANT_KEYS)
    stored = {r["row_key"]: r for r in seeds_db.query(
        "select * from applications where report_id = ?", [rid])}
    assert set(stored) == set(expected["applications"])
    for row_key, values in expected["applications"].items():
        got = [stored[row_key][c] for c in APPLICANT_KEYS]
        assert got == values, f"{row_key}: stored {got}, document says {values}"


@pytest.mark.parametrize("expected", CASES)
def test_review_litigation_every_cell(seeds_db, expected):
    rid = report_row(seeds_db, expected["source"])["id"]
    rows = list(seeds_db.query("select * from review_litigation where report_id = ?", [rid]))
    assert len(rows) == 1
    assert {k: rows[0][k] for k in REVIEW_KEYS} == expected["review_litigation"]


@pytest.mark.parametrize("expected", CASES)
def test_active_disclosure_every_cell(seeds_db, expected):
    rid = report_row(seeds_db, expected["source"])["id"]
    stored: dict[str, dict] = {}
    for r in seeds_db.query("select * from active_disclosure where report_id = ?", [rid]):
        stored.setdefault(r["item_key"], {})[r["metric_key"]] = r["value"]
    assert stored == expected["active_disclosure"]


@pytest.mark.parametrize("expected", CASES)
def test_irregular_cells_raise_a_parse_issue(seeds_db, expected):
    rid = report_row(seeds_db, expected["source"])["id"]
    issues = {(r["table_name"], r["row_key"], r["column_key"]): r for r in seeds_db.query(
        "select * from parse_issues where report_id = ? and code in "
        "('irregular_number', 'ambiguous_number', 'non_numeric')", [rid])}
    listed = {(t, row, col): raw for t, row, col, raw in expected["irregular_cells"]}
    assert set(issues) == set(listed)
    for place, raw in listed.items():
        # The issue and the provenance both keep the text as the document wrote it.
        assert issues[place]["raw_text"].replace("\xa0", " ").strip() == raw


@pytest.mark.parametrize("expected", CASES)
def test_every_value_has_raw_text_and_source_line(seeds_db, expected):
    rid = report_row(seeds_db, expected["source"])["id"]
    n_values = sum(len(v) for v in expected["applications"].values()) + 15 + sum(
        len(m) for m in expected["active_disclosure"].values())
    cells = list(seeds_db.query("select * from cells where report_id = ?", [rid]))
    assert len(cells) == n_values
    lines = (REPORTS / expected["source"]).read_text(encoding="utf-8").split("\n")
    for cell in cells:
        assert cell["raw_text"] is not None and cell["source_line"] >= 1
        # The raw text really stands at that line of the source.
        span = "\n".join(lines[cell["source_line"] - 1:cell["source_line_end"]])
        assert cell["raw_text"] in span, cell
