"""Every cell of every report in reports/ against its hand-checked expected file.

Wrong numbers (stored, and not what the document says) and lost numbers (NULL where the document
has one) are counted apart, and the session's totals are printed at the end of the run
(``conftest.pytest_terminal_summary``). See tests/golden.py for the comparison.
"""

from __future__ import annotations

import pytest

from conftest import GOLDEN, REPORTS, expected_files, load_expected
from golden import compare

CASES = [pytest.param(load_expected(p), id=p.stem) for p in expected_files()]


def report_row(db, source):
    rows = list(db.query("select * from reports where source_file = ?", [source]))
    assert len(rows) == 1, f"{source} not loaded exactly once"
    return rows[0]


def test_every_report_has_an_expected_file():
    sources = {p.name for p in REPORTS.iterdir() if p.is_file() and p.name != "sources.csv"}
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


def _comparison(db, expected):
    result = compare(db, report_row(db, expected["source"])["id"], expected)
    GOLDEN[expected["source"]] = result
    return result


@pytest.mark.parametrize("expected", CASES)
def test_no_wrong_number(seeds_db, expected):
    """A stored number that is not the document's is the worst defect: none is allowed."""
    result = _comparison(seeds_db, expected)
    assert not result.wrong, "wrong numbers:\n" + "\n".join(result.wrong)


@pytest.mark.parametrize("expected", CASES)
def test_no_lost_number(seeds_db, expected):
    result = _comparison(seeds_db, expected)
    assert not result.lost, "lost numbers:\n" + "\n".join(result.lost)
    assert not result.untraced, "\n".join(result.untraced)


@pytest.mark.parametrize("expected", CASES)
def test_every_row_stored(seeds_db, expected):
    """Each row of the form is in the database (NULL cells included), and no other."""
    rid = report_row(seeds_db, expected["source"])["id"]
    stored = {r["row_key"] for r in seeds_db.query(
        "select row_key from applications where report_id = ?", [rid])}
    assert stored == set(expected["applications"])
    assert seeds_db.execute("select count(*) from review_litigation where report_id = ?",
                            [rid]).fetchone()[0] == 1


@pytest.mark.parametrize("expected", CASES)
def test_irregular_cells_raise_a_parse_issue(seeds_db, expected):
    rid = report_row(seeds_db, expected["source"])["id"]
    issues = {(r["table_name"], r["row_key"], r["column_key"]): r for r in seeds_db.query(
        "select * from parse_issues where report_id = ? and code in "
        "('irregular_number', 'ambiguous_number', 'non_numeric')", [rid])}
    listed = {(t, row, col): raw for t, row, col, raw in expected["irregular_cells"]}
    undeterminable = {tuple(c) for c in expected.get("undeterminable_from_text") or []}
    assert set(issues) - undeterminable == set(listed)
    for place, raw in listed.items():
        # The issue and the provenance both keep the text as the document wrote it.
        assert issues[place]["raw_text"].replace("\xa0", " ").strip() == raw


@pytest.mark.parametrize("expected", CASES)
def test_every_value_has_raw_text_and_source_line(seeds_db, expected):
    """Every stored number keeps the text it was read from, at the line where it stands."""
    rid = report_row(seeds_db, expected["source"])["id"]
    lines = (REPORTS / expected["source"]).read_text(encoding="utf-8").split("\n")
    cells = list(seeds_db.query("select * from cells where report_id = ? and value is not null",
                                [rid]))
    assert cells
    for cell in cells:
        assert cell["raw_text"] is not None and cell["source_line"] >= 1
        span = "\n".join(lines[cell["source_line"] - 1:cell["source_line_end"]])
        assert cell["raw_text"] in span, cell
