"""The reference tables written with every database: the form's labels in Chinese and English
(as ``loaders/form/template.py`` declares them), the rules and the issue codes, and the
administrative divisions."""

from __future__ import annotations

from functools import lru_cache

from .. import checks
from ..extract.places import divisions
from ..form import template as T
from ..form.issues import ISSUE_CODES


def cell_key_rows() -> list[dict]:
    """Every cell of the form as one small integer (``cell_values.cell``): the table, row and
    column keys with their labels, numbered in the form's order (applications row by row, the
    fifteen numbers of section 四, then section 二 item by item)."""
    rows = [("applications", r, c) for r in T.APPLICATION_ROWS for c in T.APPLICANT_COLUMNS]
    rows += [("review_litigation", T.REVIEW_ROW, c) for c in T.REVIEW_COLUMNS]
    rows += [("active_disclosure", i, m) for i in T.DISCLOSURE_ITEMS for m in T.DISCLOSURE_METRICS]
    return [{"id": n, "table_name": table, "row_key": row.key, "column_key": column.key,
             "row_label_zh": row.label_zh, "row_label_en": row.label_en,
             "column_label_zh": column.label_zh, "column_label_en": column.label_en}
            for n, (table, row, column) in enumerate(rows, 1)]


@lru_cache(maxsize=1)
def cell_codes() -> dict[tuple[str, str, str], int]:
    """(table, row key, column key) -> its ``cell_keys.id``."""
    return {(r["table_name"], r["row_key"], r["column_key"]): r["id"] for r in cell_key_rows()}


def reference_rows() -> dict[str, list[dict]]:
    return {
        "cell_keys": cell_key_rows(),
        "applicant_columns": [
            {"key": k.key, "position": i, "label_zh": k.label_zh, "label_en": k.label_en}
            for i, k in enumerate(T.APPLICANT_COLUMNS, 1)],
        "application_rows": [
            {"key": k.key, "position": i, "label_zh": k.label_zh, "label_en": k.label_en,
             "templates": ",".join(k.templates)}
            for i, k in enumerate(T.APPLICATION_ROWS, 1)],
        "review_columns": [
            {"key": k.key, "position": i, "group_key": k.group, "outcome_key": k.outcome,
             "label_zh": k.label_zh, "label_en": k.label_en}
            for i, k in enumerate(T.REVIEW_COLUMNS, 1)],
        "disclosure_items": [
            {"key": k.key, "position": i, "article": k.article, "label_zh": k.label_zh,
             "label_zh_2021": k.label_zh_2021 or k.label_zh, "label_en": k.label_en,
             "templates": ",".join(k.templates)}
            for i, k in enumerate(T.DISCLOSURE_ITEMS, 1)],
        "disclosure_metrics": [
            {"key": k.key, "position": i, "label_zh": k.label_zh, "label_en": k.label_en,
             "templates": ",".join(k.templates)}
            for i, k in enumerate(T.DISCLOSURE_METRICS, 1)],
        "section_headings": [
            {"number": s.number, "key": s.key, "label_zh": s.label_zh, "label_en": s.label_en}
            for s in T.SECTIONS],
        "validation_rules": [
            {"code": r.code, "spec_number": r.spec_number, "title_en": r.title_en,
             "title_zh": r.title_zh, "description_en": r.description_en,
             "description_zh": r.description_zh, "severities": r.severities, "scope": r.scope,
             "doc": r.doc, "failures": 0, "reports_failing": 0}
            for r in checks.all_rules()],
        "issue_codes": [
            {"code": c.code, "severity": c.severity, "description_en": c.description_en,
             "description_zh": c.description_zh} for c in ISSUE_CODES.values()],
    }


def division_rows() -> list[dict]:
    data = divisions()
    rows = []
    for d in data.by_code.values():
        chain = data.chain(d)
        rows.append({
            "code": d.code, "name": d.name, "level": d.level, "type": d.type or None,
            "parent": d.parent or None,
            "province": chain["province"].name if "province" in chain else None,
            "prefecture": chain["prefecture"].name if "prefecture" in chain else None,
            "longitude": d.lon, "latitude": d.lat, "listed_until": d.listed_until,
            "successor": d.successor})
    return sorted(rows, key=lambda r: r["code"])
