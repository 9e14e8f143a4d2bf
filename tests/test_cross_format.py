"""One report, one result: each seed written as HTML, Word, PDF, Word-export text, PDF-copy text
and markdown pipe tables (loaders/writers/) loads to the same stored values as the text it came
from. The benchmark corpus (benchmarks/corpus.py) is written with the same writers.

Layout quirks of agencies' files (issue 13): each seed is also written with its tables drawn as a
real document draws them, with one quirk each (loaders/writers/layout.py), in HTML, Word and PDF:
the labels' three grid columns, a spacer column, a data cell spanning two columns, two blank cells
merged, header spans that do not line up with the data's; and as a PDF whose section 三 breaks
over a page (header repeated or not, no rule above the first row of the new page). Each must store
the same values, failures and provenance as the text, and raise no placement issue the text does
not (but ``blank_cells_merged`` where two blank cells were merged into one).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils

from conftest import REPORTS
from loaders import writers
from loaders.build import build, default_jobs
from loaders.model import Source
from loaders.readers import read
from loaders.form.template import APPLICANT_KEYS

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
# quirk -> the formats it is written in. The span quirks are real merged cells in all three
# (HTML colspan/rowspan, Word gridSpan/vMerge, reportlab SPAN with each cell's box ruled); the
# page breaks are a PDF's own, on the form drawn with its spans.
PAGE_BREAKS = {f"page_break_{b}": b for b in writers.PAGE_BREAKS}
QUIRKS = {**{layout: ("html", "docx", "pdf") for layout in writers.LAYOUTS},
          **{quirk: ("pdf",) for quirk in PAGE_BREAKS}}


def _draws(seed: Path, quirk: str) -> bool:
    """Whether the quirk can be drawn in the seed: two blank cells side by side must exist to be
    merged (001, 002 and 004 have a number in every cell)."""
    if quirk != "blank_pair_merged":
        return True
    try:
        writers.to_html(read(Source.from_path(seed)), layout=quirk)
    except ValueError:
        return False
    return True


QUIRK_FILES = [(quirk, fmt) for quirk, formats in QUIRKS.items() for fmt in formats]
CASES = [(seed, quirk, fmt) for seed in SEEDS for quirk, fmt in QUIRK_FILES
         if _draws(seed, quirk)]
CASE_IDS = [f"{seed.stem}-{quirk}-{fmt}" for seed, quirk, fmt in CASES]
READER = {"html": ("html", "html_page"), "docx": ("docx", "docx_file"), "pdf": ("pdf", "pdf_file")}
# Issues about where cells stand: a table drawn differently must not raise one the text does not.
PLACEMENT = {"cell_count_mismatch", "cell_unplaced", "cells_merged", "blank_cells_merged", "missing_row", "missing_cell",
             "missing_table", "unknown_row", "duplicate_row", "row_inferred",
             "header_unrecognized", "row_not_in_template"}


def quirk_name(seed: Path, quirk: str, fmt: str) -> str:
    return f"{seed.stem}.{quirk}.{fmt}"


def write_quirk(document, quirk: str, fmt: str, path: Path) -> None:
    if quirk in PAGE_BREAKS:
        writers.to_pdf(document, path, layout="label_spans_three_columns",
                       page_break=PAGE_BREAKS[quirk])
    elif fmt == "html":
        path.write_text(writers.to_html(document, layout=quirk), encoding="utf-8")
    elif fmt == "docx":
        writers.to_docx(document, path, layout=quirk)
    else:
        writers.to_pdf(document, path, layout=quirk)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> sqlite_utils.Database:
    folder = tmp_path_factory.mktemp("formats")
    reports = folder / "reports"
    reports.mkdir()
    documents = {seed: read(Source.from_path(seed)) for seed in SEEDS}
    for seed, document in documents.items():
        (reports / seed.name).write_bytes(seed.read_bytes())
        for ending, _, _, write in FORMATS.values():
            path = reports / f"{seed.stem}.{ending}"
            if ending in ("docx", "pdf"):
                write(document, path)
            else:
                path.write_text(write(document), encoding="utf-8")
    for seed, quirk, fmt in CASES:
        write_quirk(documents[seed], quirk, fmt, reports / quirk_name(seed, quirk, fmt))
    result = build([reports], folder / "ogi.db", jobs=default_jobs())
    assert result.failed == 0 and not result.bugs, (result.errors, result.internal_errors)
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
    rows = list(db.query("select source_format, layout from reports where source_file in "
                         f"({', '.join('?' * len(SEEDS))})",
                         [f"{seed.stem}.{ending}" for seed in SEEDS]))
    assert len(rows) == len(SEEDS)
    assert {(r["source_format"], r["layout"]) for r in rows} == {(suffix, layout)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_source_view_shows_the_line_each_number_came_from(db, fmt):
    from pathlib import Path

    from loaders.site.plugin import source_lines

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
        assert len(ids) == 1 + len(FORMATS) + sum(1 for case in CASES if case[0] == seed)
        for rid in ids:
            others = {r["actual"] for r in db.query(
                "select actual from validation_failures where report_id = ? "
                "and rule = 'duplicate_report'", [rid])}
            assert others == ids - {rid}


# ---------------------------------------------------------------------------------------------
# Layout quirks
# ---------------------------------------------------------------------------------------------

def report_id(db, source_file: str) -> str:
    [report] = db.query("select id from reports where source_file = ?", [source_file])
    return report["id"]


def placement_issues(db, source_file: str) -> Counter:
    return Counter((r["code"], r["table_name"], r["row_key"], r["column_key"]) for r in db.query(
        "select * from parse_issues where report_id = ?", [report_id(db, source_file)])
        if r["code"] in PLACEMENT)


def _unspaced(raw: str | None) -> str:
    return re.sub(r"\s", "", raw or "")


def _blank(raw: str | None) -> bool:
    return raw is None or not raw.strip(" \t\n\u00a0\u3000")


def merged_blank_rows(db, seed: Path) -> set[str]:
    """Rows of section 三 where the blank_pair_merged layout merges two cells: those with two
    neighbouring blank cells, read from the text's own raw cells."""
    raw = {(r["row_key"], r["column_key"]): r["raw_text"] for r in db.query(
        "select * from cells where report_id = ? and table_name = 'applications'",
        [report_id(db, seed.name)])}
    rows = {row for row, _ in raw}
    return {row for row in rows if any(_blank(raw.get((row, a))) and _blank(raw.get((row, b)))
                                       for a, b in zip(APPLICANT_KEYS, APPLICANT_KEYS[1:]))}


@pytest.mark.parametrize("seed,quirk,fmt", CASES, ids=CASE_IDS)
def test_same_values_with_layout_quirks(db, seed, quirk, fmt):
    text, other = stored(db, seed.name), stored(db, quirk_name(seed, quirk, fmt))
    for part in ("meta", "applications", "review_litigation", "active_disclosure", "failures"):
        assert other[part] == text[part], part
    # Every cell, and the raw text it was read from but for its spaces (a PDF keeps none inside
    # a cell, Word's NBSP is a space): a value read from the wrong cell shows here.
    assert [c[:4] + (_unspaced(c[4]),) for c in other["cells"]] == [
        c[:4] + (_unspaced(c[4]),) for c in text["cells"]]


@pytest.mark.parametrize("seed,quirk,fmt", CASES, ids=CASE_IDS)
def test_layout_quirks_raise_no_placement_issue_the_text_does_not(db, seed, quirk, fmt):
    text = placement_issues(db, seed.name)
    other = placement_issues(db, quirk_name(seed, quirk, fmt))
    if quirk == "blank_pair_merged":
        # A blank cell over two of the form's columns is a merged cell (SPEC, *No silent
        # number*: each cell merged is a parse issue), even though both columns stay blank;
        # it has a code of its own, since no number was lost.
        merged = {row for code, table, row, _ in other
                  if code == "blank_cells_merged" and table == "applications"}
        assert merged == merged_blank_rows(db, seed)
        other = Counter({k: n for k, n in other.items() if k[0] != "blank_cells_merged"})
    assert other == text


@pytest.mark.parametrize("quirk,fmt", QUIRK_FILES, ids=[f"{q}-{f}" for q, f in QUIRK_FILES])
def test_layout_quirks_are_read_by_their_reader(db, quirk, fmt):
    names = [quirk_name(seed, q, f) for seed, q, f in CASES if (q, f) == (quirk, fmt)]
    rows = list(db.query("select source_format, layout from reports where source_file in "
                         f"({', '.join('?' * len(names))})", names))
    assert len(rows) == len(names) >= 2
    assert {(r["source_format"], r["layout"]) for r in rows} == {READER[fmt]}


@pytest.mark.parametrize("quirk,fmt", QUIRK_FILES, ids=[f"{q}-{f}" for q, f in QUIRK_FILES])
def test_source_view_shows_each_number_of_a_layout_quirk(db, quirk, fmt):
    from loaders.site.plugin import source_lines

    seed = SEEDS[3]  # 003: numbers in 自然人 and 总计, irregular cells (0 0, 00, 01)
    name = quirk_name(seed, quirk, fmt)
    [report] = db.query("select * from reports where source_file = ?", [name])
    folder = Path(db.conn.execute("pragma database_list").fetchone()[2]).parent / "reports"
    lines = source_lines(Source.from_path(folder / name), report["layout"])
    cells = list(db.query("select * from cells where report_id = ? and value is not null",
                          [report["id"]]))
    assert len(cells) > 40
    for cell in cells:
        shown = re.sub(r"\s", "", "".join(lines[cell["source_line"] - 1:cell["source_line_end"]]))
        assert re.sub(r"\s", "", cell["raw_text"]) in shown, (cell["table_name"], cell["row_key"],
                                                              cell["column_key"])


def _html_rows(html_text: str, table: int) -> list[list[tuple[str, int, int]]]:
    import lxml.html

    tables = lxml.html.document_fromstring(html_text).findall(".//table")
    return [[(td.text_content().strip(" \u00a0"), int(td.get("colspan", 1)),
              int(td.get("rowspan", 1))) for td in tr.findall("td")]
            for tr in tables[table].findall("tr")]


# Section 三's row 一 of seed 003 (自然人 1, five blank cells, 总计 1) as each layout draws it:
# (text, colspan, rowspan) of each <td>.
ROW_ONE = {
    "label_spans_three_columns": [("一、本年新收政府信息公开申请数量", 3, 1), ("1", 1, 1)]
    + [("", 1, 1)] * 5 + [("1", 1, 1)],
    "spacer_column": [("一、本年新收政府信息公开申请数量", 3, 1), ("1", 1, 1)]
    + [("", 1, 1)] * 6 + [("1", 1, 1)],
    "colspan_in_data_row": [("一、本年新收政府信息公开申请数量", 3, 1), ("1", 2, 1)]
    + [("", 1, 1)] * 5 + [("1", 1, 1)],
    "blank_pair_merged": [("一、本年新收政府信息公开申请数量", 3, 1), ("1", 1, 1), ("", 2, 1)]
    + [("", 1, 1)] * 3 + [("1", 1, 1)],
    "header_span_offset": [("一、本年新收政府信息公开申请数量", 2, 1), ("1", 2, 1)]
    + [("", 1, 1)] * 5 + [("1", 1, 1)],
}


@pytest.mark.parametrize("layout", writers.LAYOUTS)
def test_writer_draws_the_quirk(layout):
    """The writers really draw each quirk (a quirk test on a plain table would prove nothing)."""
    document = read(Source.from_path(SEEDS[3]))
    disclosure, applications = (_html_rows(writers.to_html(document, layout=layout), t)
                                for t in (0, 1))
    assert applications[3] == ROW_ONE[layout]
    width = sum(colspan for _, colspan, _ in applications[0])
    assert width == {"label_spans_three_columns": 10, "blank_pair_merged": 10,
                     "header_span_offset": 10}.get(layout, 11)
    licensing = next(i for i, row in enumerate(disclosure) if row[0][0] == "行政许可")
    if layout == "header_span_offset":  # 本年增/减 over two columns, the first value over two
        assert disclosure[licensing - 1][1:] == [("上一年项目数量", 1, 1), ("本年增/减", 2, 1),
                                                 ("处理决定数量", 1, 1)]
        assert disclosure[licensing][1:] == [("16", 2, 1), ("1", 1, 1), ("12166", 1, 1)]
    else:
        assert disclosure[licensing][1:] == [("16", 1, 1), ("1", 1, 1), ("12166", 1, 1)]


@pytest.mark.parametrize("quirk", PAGE_BREAKS)
def test_page_break_cuts_section_three_with_no_rule_above_the_new_page(db, quirk):
    import pdfplumber

    folder = Path(db.conn.execute("pragma database_list").fetchone()[2]).parent / "reports"
    with pdfplumber.open(folder / quirk_name(SEEDS[3], quirk, "pdf")) as pdf:
        texts = [re.sub(r"\s", "", page.extract_text()) for page in pdf.pages]
        first = next(n for n, t in enumerate(texts) if "一、本年新收政府信息公开申请数量" in t)
        assert "四、结转下年度继续办理" in texts[first + 1]
        assert "四、结转下年度继续办理" not in texts[first]
        header_again = "（本列数据" in texts[first + 1]
        assert header_again == (PAGE_BREAKS[quirk] == "header_repeated")
        page = pdf.pages[first + 1]
        ruled = min(e["top"] for e in page.edges if e["orientation"] == "h")
        assert ruled > min(c["top"] for c in page.chars) + 5  # the first row has no top rule
