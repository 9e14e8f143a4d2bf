"""One report as the rows it adds to each table: pure, no database involved (the build converts
reports in worker processes and sends the rows to the writer as tuples). The per-report checks run
here, so that their failures (and the rules that raised, ``check_errors``) are written with the
report."""

from __future__ import annotations

import json
from functools import lru_cache
from operator import itemgetter

from .. import checks
from ..checks import stored
from ..form import template as T
from ..form.issues import ISSUE_CODES
from ..model import Report
from .reference import cell_codes
from .schema import table_columns


def place_columns(report: Report) -> dict:
    identity = report.identity
    place = identity.place if identity is not None else None
    name = (lambda d: d.name if d is not None else None)
    return {
        "agency_id": identity.id if identity is not None else None,
        "province": name(place.province) if place else None,
        "city": name(place.prefecture) if place else None,
        "county": name(place.county) if place else None,
        "adcode": place.adcode if place else None,
        "place_status": place.status if place else None,
    }


def agency_of(report: Report) -> dict | None:
    """What the agencies table learns from one report (plain data: it crosses processes)."""
    identity = report.identity
    if identity is None or identity.id is None:  # unknown is nobody: no agencies row
        return None
    place = place_columns(report)
    return {
        "id": identity.id, "name": identity.name, "function": identity.function,
        "kind": identity.kind, "sector": identity.sector, "level": identity.level,
        "province": place["province"], "city": place["city"], "county": place["county"],
        "adcode": place["adcode"], "place_status": place["place_status"],
        "override_note": identity.override_note, "name_as_written": identity.name_as_written,
        "year": report.year}


# Parse issues that mean part of a table of the form could not be read: a table not found, a row
# or cell that could not be placed (its text is kept in cells, no number stored).
def _unreadable(report: Report) -> bool:
    return any(i.table is not None and ISSUE_CODES[i.code].severity == "error"
               for i in report.issues if i.code in ISSUE_CODES)


def report_status(report: Report) -> str:
    """What the parser alone says of a report: ``prose_only`` (no table of the national format),
    ``unreadable`` (tables of the form, part of which could not be read), ``issues`` (other
    parse issues noted) or ``ok``. The build's summary line counts these; the stored ``status``
    adds what the checks found (``stored_status``)."""
    if not report.values:  # no table of the national format: before 2019, or free-form
        return "prose_only"
    if _unreadable(report):
        return "unreadable"
    return "issues" if report.issues else "ok"


def stored_status(parsed: str, errors: int, warnings: int, check_errors: int = 0) -> str:
    """The ``status`` column: ``prose_only``, ``unreadable``, ``errors`` (a failed check of
    severity error), ``unchecked`` (a rule raised on it, none of the others found an error: its
    checks are incomplete, so it is not ``ok``), ``warnings`` (failed checks, none an error) or
    ``ok`` (every check ran and passed). The build sets it again once the checks across years are
    in (summaries.STATUS)."""
    if parsed in ("prose_only", "unreadable"):
        return parsed
    if errors:
        return "errors"
    return "unchecked" if check_errors else "warnings" if warnings else "ok"


def report_to_rows(report: Report) -> dict[str, list[dict]]:
    """The rows one report adds to each table (pure: no database involved)."""
    place = place_columns(report)
    applications, review, active = _table_rows(report)
    checked = checks.check_report(report)
    rows: dict[str, list[dict]] = {
        "reports": [_report_row(report, place)],
        "application_values": applications, "review_litigation": review,
        "disclosure_values": active,
        "cell_values": _cell_rows(report), "parse_issues": _issue_rows(report),
        "sections": [], "failures": _failure_rows(report, place, checked.failures),
        "check_errors": [{"report_id": report.id, "rule": e.rule, "error_type": e.error_type,
                          "message": e.message} for e in checked.errors],
    }
    failures = rows["failures"]
    rows["reports"][0]["status"] = stored_status(
        rows["reports"][0]["status"], sum(f["severity"] == "error" for f in failures),
        sum(f["severity"] == "warning" for f in failures), len(rows["check_errors"]))
    rows["sections"] = _section_rows(report)
    return rows


def _report_row(report: Report, place: dict) -> dict:
    source = report.source
    return {
        "id": report.id, "agency": report.agency, **place,
        "year": report.year, "template": report.template,
        "title": report.title, "published_on": report.published_on,
        "status": report_status(report), "parse_issue_count": len(report.issues),
        "source_file": source.name, "source_sha256": source.sha256,
        "source_format": report.document.format, "source_bytes": len(source.data),
        "encoding": report.document.encoding, "layout": report.document.layout,
    }


def _cell_rows(report: Report) -> list[dict]:
    """Every value's raw text and where it stood, compact (see ``cell_values`` in schema.py);
    the report's own key is filled in by the database. In key order (``cell``), as the table
    stores them (the staged copy is moved into it whole: see ``Store._stage``)."""
    codes = cell_codes()
    rows = []
    for v in report.values:
        value, raw, line, end = v.value, v.raw, v.line, v.line_end
        if raw is not None and type(value) is int and raw == str(value):
            # NULL when the number is written in its plain form (an integer written as
            # str(value)): the view ``cells`` gives it back
            raw = None
        rows.append({
            "cell": codes[v.table, v.row_key, v.column_key], "value": value, "raw_text": raw,
            "source_line": line, "source_line_end": None if end == line else end,
            "grid": v.grid, "grid_row": v.grid_row, "grid_col": v.grid_col,
        })
    rows.sort(key=itemgetter("cell"))
    return rows


@lru_cache(maxsize=1)
def _positions() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The positions of the form's rows, items and metrics in the reference tables (from 1)."""
    return ({k.key: i for i, k in enumerate(T.APPLICATION_ROWS, 1)},
            {k.key: i for i, k in enumerate(T.DISCLOSURE_ITEMS, 1)},
            {k.key: i for i, k in enumerate(T.DISCLOSURE_METRICS, 1)})


def _table_rows(report: Report) -> tuple[list[dict], list[dict], list[dict]]:
    """The values as the rows of application_values (one per row of the form, in its order),
    review_litigation (one row) and disclosure_values (one per item and metric); the keys are
    positions in the reference tables, the report's own key is filled in by the database. Each
    in key order, as ``cell_values``."""
    rid = report.id
    rows_by_key, items, metrics = _positions()
    applications: dict[str, dict] = {}
    review: dict | None = None
    active: list[dict] = []
    blank_row = dict.fromkeys(T.APPLICANT_KEYS)
    for v in report.values:
        table = v.table
        if table == "applications":
            row = applications.get(v.row_key)
            if row is None:
                row = applications[v.row_key] = {"row_no": rows_by_key[v.row_key], **blank_row}
            row[v.column_key] = v.value
        elif table == "review_litigation":
            if review is None:
                review = {"report_id": rid, **{c: None for c in T.REVIEW_KEYS}}
            review[v.column_key] = v.value
        elif table == "active_disclosure":
            active.append({"item_no": items[v.row_key], "metric_no": metrics[v.column_key],
                           "value": v.value})
    return (sorted(applications.values(), key=lambda r: r["row_no"]),
            [review] if review else [],
            sorted(active, key=lambda r: (r["item_no"], r["metric_no"])))


def _issue_rows(report: Report) -> list[dict]:
    rid = report.id
    return [{
        "report_id": rid, "code": issue.code,
        "severity": ISSUE_CODES[issue.code].severity,
        "table_name": issue.table, "row_key": issue.row_key, "column_key": issue.column_key,
        "raw_text": issue.raw, "source_line": issue.line, "message": issue.message,
    } for issue in report.issues]


def _failure_rows(report: Report, place: dict, failures: list[checks.Failure]) -> list[dict]:
    """The failures of the rules over this report alone (the rules across years run once the
    corpus is stored), their texts left to the view where it writes them (``stored.compact``)."""
    rid = report.id
    return [stored.compact({
        "report_id": rid, "rule": f.rule, "severity": f.severity, "table_name": f.table,
        "row_key": f.row_key, "column_key": f.column_key, "expected": f.expected,
        "actual": f.actual, "message": f.message, "message_zh": f.message_zh,
        "cells": ",".join(f"{r}/{c}" for r, c in f.cells) or None,
        "params": json.dumps(list(f.params), ensure_ascii=False, separators=(",", ":"))
        if f.params else None,
        "agency": report.agency, "year": report.year, "template": report.template,
        "province": place["province"], "city": place["city"],
    }) for f in failures]


def _section_rows(report: Report) -> list[dict]:
    rid = report.id
    return [{
        "report_id": rid, "section_no": s.number, "section_key": s.key,
        "heading": s.heading, "body": s.body, "source_line": s.line,
        "source_line_end": s.line_end,
    } for s in report.sections]


@lru_cache(maxsize=64)
def _getter(names: tuple[str, ...]) -> itemgetter:
    """A row's values in these columns' order, as one C call (made once per table)."""
    return itemgetter(*names)


def as_tuples(tables: dict[str, list[dict]]) -> dict[str, list[tuple]]:
    """Rows as tuples in the tables' column order: what the writer inserts, and what crosses from
    a worker process (smaller to send than dicts)."""
    columns = table_columns()
    out = {}
    for table, rows in tables.items():
        if not rows:
            continue
        names = columns[table]
        if len(names) > 1:
            try:  # rows that have every column (most tables): one C call per row
                out[table] = list(map(_getter(names), rows))
                continue
            except KeyError:
                pass
        out[table] = [tuple(map(row.get, names)) for row in rows]  # a column left out is NULL
    return out