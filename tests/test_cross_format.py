"""One report, one result: each seed written as HTML, Word, PDF, Word-export text, PDF-copy text
and markdown pipe tables (loaders/writers.py) loads to the same stored values as the text it came
from. The benchmark corpus (benchmarks/corpus.py) is written with the same writers."""

from __future__ import annotations

import pytest
import sqlite_utils

from conftest import REPORTS
from loaders import writers
from loaders.build import build
from loaders.model import Source
from loaders.readers import read

SEEDS = sorted(p for p in REPORTS.glob("0*.txt"))
# name -> (file name ending, format and layout the reader must record, writer)
FORMATS = {
    "html": ("html", "html", "html_page", writers.to_html),
    "docx": ("docx", "docx", "docx_file", writers.to_docx),
    "pdf": ("pdf", "pdf", "pdf_file", writers.to_pdf),
    "word_cells": ("word_cells.txt", "txt", "word_cells", writers.to_word_cells),
    "tab_rows": ("tab_rows.txt", "txt", "tab_rows", writers.to_tab_rows),
    "pipe_tables": ("md", "md", "pipe_tables", writers.to_pipe_tables),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> sqlite_utils.Database:
    folder = tmp_path_factory.mktemp("formats")
    reports = folder / "reports"
    reports.mkdir()
    for seed in SEEDS:
        (reports / seed.name).write_bytes(seed.read_bytes())
        document = read(Source.from_path(seed))
        for ending, _, _, write in FORMATS.values():
            path = reports / f"{seed.stem}.{ending}"
            if ending in ("docx", "pdf"):
                write(document, path)
            else:
                path.write_text(write(document), encoding="utf-8")
    result = build([reports], folder / "ogi.db")
    assert result.failed == 0, result.errors
    return sqlite_utils.Database(folder / "ogi.db")


def stored(db, source_file: str) -> dict:
    [report] = db.query("select * from reports where source_file = ?", [source_file])
    rid = report["id"]

    def rows(table, order):
        return [{k: v for k, v in r.items() if k != "report_id"}
                for r in db.query(f"select * from {table} where report_id = ? order by {order}",
                                  [rid])]
    return {
        "meta": {k: report[k] for k in ("agency", "year", "template", "published_on", "title")},
        "applications": rows("applications", "position"),
        "review_litigation": rows("review_litigation", "rowid"),
        "active_disclosure": rows("active_disclosure", "item_key, metric_key"),
        "cells": [(r["table_name"], r["row_key"], r["column_key"], r["value"], r["raw_text"].strip(
            " \u00a0") if r["raw_text"] else r["raw_text"]) for r in db.query(
            "select * from cells where report_id = ? order by table_name, row_key, column_key",
            [rid])],
        # A PDF keeps no spaces inside a cell ('0 0' reads '00'): both are irregular, both 0,
        # so the irregular cell's raw text (``actual``) is left out of the comparison.
        "failures": [(r["rule"], r["severity"], r["row_key"], r["column_key"], r["expected"],
                      None if r["rule"] == "irregular_values" else r["actual"]) for r in db.query(
            "select * from validation_failures where report_id = ? "
            "and rule not in ('prose_vs_table', 'duplicate_report') "
            "order by rule, table_name, row_key, column_key", [rid])],
    }


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_same_values_in_every_format(db, seed, fmt):
    text, other = stored(db, seed.name), stored(db, f"{seed.stem}.{FORMATS[fmt][0]}")
    for part in ("meta", "applications", "review_litigation", "active_disclosure", "failures"):
        assert other[part] == text[part], part
    # the raw text of every number too, but for the spaces around it
    assert [c[:4] for c in other["cells"]] == [c[:4] for c in text["cells"]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_read_by_its_reader(db, fmt):
    ending, suffix, layout, _ = FORMATS[fmt]
    rows = list(db.query("select source_format, layout from reports where source_file like ?",
                         [f"%.{ending}"]))
    assert len(rows) == len(SEEDS)
    assert {(r["source_format"], r["layout"]) for r in rows} == {(suffix, layout)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_source_view_shows_the_line_each_number_came_from(db, fmt):
    from pathlib import Path

    from loaders.datasette_plugin import source_lines

    seed = SEEDS[3]  # 003: 总计 61 in 自然人
    [report] = db.query("select * from reports where source_file = ?",
                        [f"{seed.stem}.{FORMATS[fmt][0]}"])
    [cell] = db.query("select * from cells where report_id = ? and row_key = 'total' and "
                      "column_key = 'natural_person'", [report["id"]])
    folder = Path(db.conn.execute("pragma database_list").fetchone()[2]).parent / "reports"
    lines = source_lines(Source.from_path(folder / report["source_file"]), report["layout"])
    assert "61" in lines[cell["source_line"] - 1]


def test_the_versions_of_a_report_are_flagged_as_duplicates_of_each_other(db):
    for seed in SEEDS:
        ids = {r["id"] for r in db.query("select id from reports where source_file like ?",
                                          [f"{seed.stem}.%"])}
        assert len(ids) == 1 + len(FORMATS)
        for rid in ids:
            others = {r["actual"] for r in db.query(
                "select actual from validation_failures where report_id = ? "
                "and rule = 'duplicate_report'", [rid])}
            assert others == ids - {rid}
