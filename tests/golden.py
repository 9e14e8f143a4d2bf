"""Stored values against a hand-checked expected file: which numbers are wrong, which are lost.

A *wrong* number (stored, and not what the document says) is the worst defect this project can
have; a *lost* number (the document has it, the database has NULL) is a gap. They are counted
apart. Cells listed in the expected file's ``undeterminable_from_text`` (SPEC, *No silent
number*) pass as NULL when the database has a parse issue for them, or with their true value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.form.template import APPLICANT_KEYS, REVIEW_KEYS

# Issue codes that account for a cell the reader saw but could not place or read.
CELL_ISSUES = ("split_ambiguous", "run_unsplittable", "cell_count_mismatch", "cell_unplaced",
               "cells_merged", "ambiguous_number", "non_numeric", "missing_cell", "missing_row")


@dataclass
class Comparison:
    source: str
    checked: int = 0
    wrong: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    untraced: list[str] = field(default_factory=list)  # undeterminable, NULL, and no issue


def expected_cells(expected: dict):
    """(table, row_key, column_key, value) of every cell the expected file gives."""
    for row_key, values in expected["applications"].items():
        for column, value in zip(APPLICANT_KEYS, values):
            yield "applications", row_key, column, value
    for column in REVIEW_KEYS:
        yield "review_litigation", None, column, expected["review_litigation"][column]
    for item, metrics in expected["active_disclosure"].items():
        for metric, value in metrics.items():
            yield "active_disclosure", item, metric, value


def stored_cells(db, report_id: str) -> dict[tuple, object]:
    stored: dict[tuple, object] = {}
    for r in db.query("select * from applications where report_id = ?", [report_id]):
        for column in APPLICANT_KEYS:
            stored[("applications", r["row_key"], column)] = r[column]
    for r in db.query("select * from review_litigation where report_id = ?", [report_id]):
        for column in REVIEW_KEYS:
            stored[("review_litigation", None, column)] = r[column]
    for r in db.query("select * from active_disclosure where report_id = ?", [report_id]):
        stored[("active_disclosure", r["item_key"], r["metric_key"])] = r["value"]
    return stored


def _issue_places(db, report_id: str) -> set[tuple]:
    """Cells (and whole rows or tables, with None) that a parse issue speaks of."""
    marks = ", ".join("?" * len(CELL_ISSUES))
    places = set()
    for r in db.query(f"select table_name, row_key, column_key from parse_issues "
                      f"where report_id = ? and code in ({marks})", [report_id, *CELL_ISSUES]):
        row_key = None if r["table_name"] == "review_litigation" else r["row_key"]
        places.add((r["table_name"], row_key, r["column_key"]))
    return places


def _traced(places: set[tuple], table: str, row_key, column: str) -> bool:
    return ((table, row_key, column) in places or (table, row_key, None) in places
            or (table, None, None) in places or (table, None, column) in places)


def compare(db, report_id: str, expected: dict) -> Comparison:
    result = Comparison(expected["source"])
    stored = stored_cells(db, report_id)
    undeterminable = {(t, None if t == "review_litigation" else r, c)
                      for t, r, c in expected.get("undeterminable_from_text") or []}
    places = _issue_places(db, report_id)
    for table, row_key, column, value in expected_cells(expected):
        result.checked += 1
        got = stored.get((table, row_key, column))
        where = f"{table}.{row_key or ''}.{column}"
        if got == value and (got is not None or value is None):
            continue
        if (table, row_key, column) in undeterminable and got is None:
            if not _traced(places, table, row_key, column):
                result.untraced.append(f"{where}: NULL without a parse issue")
            continue
        if got is None:
            result.lost.append(f"{where}: document {value}, stored NULL")
        else:
            result.wrong.append(f"{where}: document {value}, stored {got}")
    return result
