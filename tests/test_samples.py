"""Every quirk sample in tests/samples/<layout>/ against the JSON beside it.

A sample is a small file named for the quirk it shows (``colspan_in_data_row.html``) with
``<quirk>.json`` beside it, written by hand from the document, never from the parser's output.
The JSON is partial: it names only what the quirk is about.

    {
      "source": "colspan_in_data_row.html",
      "quirk": "one sentence: what is odd in the file and what a correct reader does",
      "agency": "…", "year": 2021, "template": "2021", "published_on": "2022-01-20",   (optional)
      "applications": {"new_received": [5, 0, 0, 0, 0, 0, 5]},                    (rows checked)
      "review_litigation": {"review_total": 0},                                   (cells checked)
      "active_disclosure": {"normative_documents": {"issued": 6}},                 (cells checked)
      "undeterminable_from_text": [["active_disclosure", "licensing", "change"]],
      "issues": ["split_by_arithmetic"],        (codes the report must have)
      "absent_issues": ["cell_count_mismatch"]  (codes it must not have)
    }

Values are compared as in the golden test: a wrong number and a lost number both fail, and a cell
listed as undeterminable passes as NULL only with a parse issue about it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.pipeline import load_report
from loaders.form.template import APPLICANT_KEYS

SAMPLES = Path(__file__).resolve().parent / "samples"


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix != ".json"
                  and not p.name.startswith("."))


def _expected_path(sample: Path) -> Path:
    return sample.with_suffix(".json")


def test_every_sample_has_its_expected_json():
    missing = [str(p.relative_to(SAMPLES)) for p in sample_files() if not _expected_path(p).exists()]
    assert not missing, f"samples without an expected JSON: {missing}"


def _stored(report) -> dict[tuple, object]:
    return {(v.table, None if v.table == "review_litigation" else v.row_key, v.column_key): v.value
            for v in report.values}


def _wanted(expected: dict):
    for row_key, values in (expected.get("applications") or {}).items():
        for column, value in zip(APPLICANT_KEYS, values):
            yield ("applications", row_key, column), value
    for column, value in (expected.get("review_litigation") or {}).items():
        yield ("review_litigation", None, column), value
    for item, metrics in (expected.get("active_disclosure") or {}).items():
        for metric, value in metrics.items():
            yield ("active_disclosure", item, metric), value


def _issue_about(report, place) -> bool:
    """Whether an issue names the cell (section 四's name their row ``review_litigation``, the
    table's one row, or none)."""
    table, row_key, column = place
    rows = (row_key, None) if table != "review_litigation" else (None, table)
    return any(i.table == table and i.row_key in rows and i.column_key in (column, None)
               for i in report.issues if i.code not in ("missing_section",))


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: str(p.relative_to(SAMPLES)))
def test_sample(sample: Path):
    expected = json.loads(_expected_path(sample).read_text(encoding="utf-8"))
    assert expected["source"] == sample.name
    assert expected.get("quirk"), "say what the sample shows"
    report = load_report(sample)
    for field in ("agency", "year", "template", "published_on"):
        if field in expected:
            assert getattr(report, field) == expected[field], field
    stored = _stored(report)
    undeterminable = {(t, None if t == "review_litigation" else r, c)
                      for t, r, c in expected.get("undeterminable_from_text") or []}
    wrong, lost = [], []
    for place, value in _wanted(expected):
        got = stored.get(place)
        if got == value and (got is None) == (value is None):
            continue
        if place in undeterminable and got is None:
            assert _issue_about(report, place), f"{place}: NULL without a parse issue"
            continue
        (lost if got is None else wrong).append(f"{place}: document {value}, read {got}")
    assert not wrong, "wrong numbers:\n" + "\n".join(wrong)
    assert not lost, "lost numbers:\n" + "\n".join(lost)
    codes = {i.code for i in report.issues}
    for code in expected.get("issues") or []:
        assert code in codes, f"issue {code} expected; the report has {sorted(codes)}"
    for code in expected.get("absent_issues") or []:
        assert code not in codes, [i for i in report.issues if i.code == code]
