"""The SQL of the checks over the database, in one place: the insert every rule across years
writes its failures with, what the build fills in and counts once every failure is in (run by
``loaders.derived.failures``), and what ``ogi check`` reads (counted in SQL, never every failure
loaded into Python). A rule's own logic stays in its module; this is how its findings are
stored and read back."""

from __future__ import annotations

import json
import sqlite3
from functools import lru_cache
from operator import itemgetter

from ..form import template as T
from .facts import COLUMNS_BY_KEY, ITEMS_BY_KEY, ROWS_BY_KEY, UNCONFIRMED, UNCONFIRMED_ZH

# The failures are stored in ``failures`` and read through the view ``validation_failures``. A
# failure whose texts (message, message_zh, cells; for blank_cells also expected and actual) can
# be made again from its rule, row, columns, values, year and ``params`` (a JSON array of what
# else the message quotes) stores them as NULL, and the view writes them. ``rendered`` is the
# same in Python: the rules over one report store NULL only where it gives back exactly what the
# rule said (``compact``), and the tests compare the view with it on every failure of the test
# reports. The rules across years (across_years.py) store NULL and their params directly. A
# failure the view cannot write again keeps its own texts, and no params. missing_parts keeps
# its message, and stores no message_zh: the same text.


def _label(table: str, column: str, key: str) -> str:
    return f"(SELECT {column} FROM {table} WHERE key = {key})"


_COL_EN = _label("applicant_columns", "label_en", "f.column_key")
_COL_ZH = _label("applicant_columns", "label_zh", "f.column_key")
_ROW_EN = _label("application_rows", "label_en", "f.row_key")
_ROW_ZH = _label("application_rows", "label_zh", "f.row_key")
_ITEM_EN = _label("disclosure_items", "label_en", "f.row_key")
_ITEM_ZH_2021 = _label("disclosure_items", "label_zh_2021", "f.row_key")


def _param(i: int, blank: str = "blank") -> str:
    """The i-th parameter as the message shows it (NULL: blank)."""
    return f"coalesce(json_extract(f.params, '$[{i}]'), '{blank}')"


def _zh_blank(column: str) -> str:
    return f"(CASE WHEN {column} = 'blank' THEN '空白' ELSE {column} END)"


_UNCONFIRMED = f"(CASE WHEN f.severity = 'error' THEN '' ELSE '{UNCONFIRMED}' END)"
_UNCONFIRMED_ZH = f"(CASE WHEN f.severity = 'error' THEN '' ELSE '{UNCONFIRMED_ZH}' END)"
_PREV_YEAR = "(f.year - 1)"

# The columns of a table, in order, whose set a blank_cells failure may store as a bit mask
# (params: the mask, a JSON number; bit i the i-th column) instead of its column_key.
BLANK_COLUMNS = {"applications": T.APPLICANT_KEYS, "review_litigation": T.REVIEW_KEYS,
                 "active_disclosure": tuple(m.key for m in T.DISCLOSURE_METRICS)}
_MASK = "CAST(f.params AS INTEGER)"
_MASKED_COLUMNS = "(CASE f.table_name " + " ".join(
    f"WHEN '{table}' THEN substr("
    + " || ".join(f"CASE WHEN {_MASK} & {1 << i} THEN ',{c}' ELSE '' END"
                  for i, c in enumerate(columns)) + ", 2)"
    for table, columns in BLANK_COLUMNS.items()) + " END)"
# The view's column_key: as stored, or the columns of the mask.
_COLUMN_KEY = (f"(CASE WHEN f.column_key IS NULL AND f.rule = 'blank_cells' AND f.params IS NOT NULL "
               f"THEN {_MASKED_COLUMNS} ELSE f.column_key END)")

# The blank cells of a blank_cells failure: its column_key is their columns, comma-separated.
_BLANKS = "(length(f.column_key) - length(replace(f.column_key, ',', '')) + 1)"
_ROW_LABEL_ZH = f"""(CASE f.table_name
    WHEN 'applications' THEN (SELECT label_zh FROM application_rows WHERE key = f.row_key)
    WHEN 'review_litigation' THEN '{T.REVIEW_ROW.label_zh}'
    WHEN 'active_disclosure' THEN (SELECT label_zh FROM disclosure_items WHERE key = f.row_key)
  END)"""
# row_key/c for each column c of column_key.
_ROW_CELLS = "f.row_key || '/' || replace(f.column_key, ',', ',' || f.row_key || '/')"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _cells_sql(pairs: list[tuple[str, str]]) -> str:
    """Cells "r/c,r/c,…" where each r and c is a SQL expression."""
    return " || ',' || ".join(f"{r} || '/' || {c}" for r, c in pairs)


_OUTCOME_CELLS = "(CASE f.template " + " ".join(
    f"WHEN {_quote(t)} THEN "
    + _cells_sql([(_quote(r), "f.column_key") for r in (*T.outcome_row_keys(t), "total")])
    for t in T.TEMPLATES) + " END)"

_PROSE_QUANTITY = """(CASE WHEN f.row_key = 'new_received' THEN '{0}'
    WHEN f.column_key = 'review_total' THEN '{1}'
    WHEN f.column_key = 'direct_suit_total,post_review_suit_total' THEN '{2}' END)"""
_SAID = "json_extract(f.params, '$[0]')"

# rule: (message, message_zh, cells), SQL over the row ``f``, for a failure stored without them.
_TEXTS_SQL = {
    "blank_cells": (
        f"{_BLANKS} || ' blank cell' || CASE WHEN {_BLANKS} > 1 THEN 's' ELSE '' END || ' in ' "
        f"|| {_ROW_LABEL_ZH} || ': ' || replace(f.column_key, ',', ', ')",
        f"{_ROW_LABEL_ZH} || '有' || {_BLANKS} || '个空白单元格'",
        _ROW_CELLS),
    "row_total": (
        f"{_ROW_EN} || ' (' || {_ROW_ZH} || '): the applicant columns add up to ' || f.actual "
        f"|| ', the total column says ' || f.expected || {_UNCONFIRMED}",
        f"{_ROW_ZH} || '：各申请人列之和为' || f.actual || '，总计列为' || "
        f"{_zh_blank('f.expected')} || {_UNCONFIRMED_ZH}",
        _cells_sql([("f.row_key", _quote(c)) for c in T.APPLICANT_KEYS])),
    "accounting_identity": (
        f"{_COL_EN} || ' (' || {_COL_ZH} || '): received ' || {_param(0)} || ' + carried over ' "
        f"|| {_param(1)} || ' = ' || f.expected || ', but handled ' || {_param(2)} || "
        f"' + carried forward ' || {_param(3)} || ' = ' || f.actual || {_UNCONFIRMED}",
        f"{_COL_ZH} || '列：本年新收' || {_param(0, '空白')} || '＋上年结转' || "
        f"{_param(1, '空白')} || '＝' || f.expected || '，而总计' || {_param(2, '空白')} || "
        f"'＋结转下年度' || {_param(3, '空白')} || '＝' || f.actual || {_UNCONFIRMED_ZH}",
        _cells_sql([(_quote(r), "f.column_key")
                    for r in ("new_received", "carried_over", "total", "carried_forward")])),
    "outcome_total": (
        f"{_COL_EN} || ' (' || {_COL_ZH} || '): the outcomes add up to ' || f.actual || "
        f"', the total row (（七）总计) says ' || f.expected || {_UNCONFIRMED}",
        f"{_COL_ZH} || '列：各办理结果之和为' || f.actual || '，（七）总计为' || "
        f"{_zh_blank('f.expected')} || {_UNCONFIRMED_ZH}",
        _OUTCOME_CELLS),
    "prose_vs_table": (
        "'the text says ''' || " + _SAID + " || ''' (' || "
        + _PROSE_QUANTITY.format("applications received", "administrative reviews", "lawsuits")
        + " || ': ' || f.expected || '), the table says ' || f.actual",
        "'正文“' || " + _SAID + " || '”（' || "
        + _PROSE_QUANTITY.format("收到申请", "行政复议", "行政诉讼")
        + " || f.expected || '）与表格（' || f.actual || '）不符'",
        _ROW_CELLS),
    "carry_over_continuity": (
        f"{_COL_EN} || ' (' || {_COL_ZH} || '): carried over ' || f.actual || ', but the ' || "
        f"{_PREV_YEAR} || ' report carried forward ' || f.expected || ' (report ' || "
        f"{_SAID} || ')'",
        f"{_COL_ZH} || '列：上年结转' || {_zh_blank('f.actual')} || '，' || {_PREV_YEAR} || "
        f"'年度报告结转下年度' || {_zh_blank('f.expected')}",
        "'carried_over/' || f.column_key"),
    "roll_forward": (
        f"{_ITEM_EN} || ' (' || {_ITEM_ZH_2021} || ') in force: ' || {_param(0)} || "
        f"' at the end of ' || {_PREV_YEAR} || ' + ' || {_param(1)} || ' issued - ' || "
        f"{_param(2)} || ' repealed = ' || f.expected || ', but the report says ' || f.actual",
        f"{_ITEM_ZH_2021} || '现行有效件数：上年' || {_param(0, '空白')} || '＋制发' || "
        f"{_param(1, '空白')} || '－废止' || {_param(2, '空白')} || '，报告为' || "
        f"{_zh_blank('f.actual')}",
        _cells_sql([("f.row_key", _quote(m)) for m in ("issued", "repealed", "in_force")])),
}


def _written(column: str, i: int) -> str:
    """The view's column: as stored, or written from the failure's rule when it is stored without
    its texts (message NULL)."""
    cases = "\n      ".join(f"WHEN '{rule}' THEN {texts[i]}" for rule, texts in _TEXTS_SQL.items())
    return (f"CASE WHEN f.message IS NOT NULL THEN f.{column} ELSE CASE f.rule\n      {cases}\n"
            "    END END")


_BLANK_ROW = "f.message IS NULL AND f.rule = 'blank_cells'"

FAILURES_VIEW = f"""
CREATE VIEW validation_failures AS SELECT
  f.id, f.report_id, f.rule, f.severity, f.table_name, f.row_key, f.column_key,
  CASE WHEN {_BLANK_ROW} THEN 'a number' ELSE f.expected END AS expected,
  CASE WHEN {_BLANK_ROW} THEN {_BLANKS} || ' blank' ELSE f.actual END AS actual,
  {_written("message", 0)} AS message,
  CASE WHEN f.rule = 'missing_parts' AND f.message_zh IS NULL THEN f.message
    ELSE {_written("message_zh", 1)} END AS message_zh,
  {_written("cells", 2)} AS cells,
  f.agency, f.year, f.template, f.province, f.city
FROM (SELECT id, report_id, rule, severity, table_name, row_key, {_COLUMN_KEY} AS column_key,
  expected, actual, message, message_zh, cells, params, agency, year, template, province, city
  FROM failures f) f;
"""

_PROSE_QUANTITIES = {"new_received": ("applications received", "收到申请"),
                     "review_total": ("administrative reviews", "行政复议"),
                     "direct_suit_total,post_review_suit_total": ("lawsuits", "行政诉讼")}


def _shown(v: int | None) -> str:
    """A whole-number parameter as the view writes it (null: blank)."""
    return "blank" if v is None else str(v)


def _whole(params: list) -> bool:
    """Whether every parameter is a whole number or blank: the only values that SQLite and
    Python write alike (a real's text differs: 5e-05 against 5.0e-05, 0.30000000000000004
    against 0.3), so the only ones whose message the view may write."""
    return all(v is None or type(v) is int for v in params)


def _blank_zh(text: str) -> str:
    return "空白" if text == "blank" else text


# The form's keys by their key, once (``rendered`` runs for every failure of every report).
_ROWS, _APPLICANT_COLUMNS, _ITEMS = ROWS_BY_KEY, COLUMNS_BY_KEY, ITEMS_BY_KEY


def rendered(row: dict) -> dict | None:
    """What the view writes for a failure stored without its texts (the same expressions as
    FAILURES_VIEW, in Python): its message, message_zh and cells (and for blank_cells its
    expected and actual; for missing_parts only message_zh), or None if it writes nothing for
    this row. The reference the tests hold the view's SQL to."""
    rule, table, row_key, column = (row["rule"], row["table_name"], row["row_key"],
                                    row["column_key"])
    expected, actual = row.get("expected"), row.get("actual")
    params = json.loads(row["params"]) if row.get("params") else []
    unconfirmed = "" if row["severity"] == "error" else UNCONFIRMED
    unconfirmed_zh = "" if row["severity"] == "error" else UNCONFIRMED_ZH
    if rule == "blank_cells":
        texts = {}
        if column is None and type(params) is int and table in BLANK_COLUMNS:
            column = ",".join(c for i, c in enumerate(BLANK_COLUMNS[table])
                              if params & (1 << i)) or None
            texts["column_key"] = column
        if not column:
            return None
        cols = column.split(",")
        if table == "applications":
            label = _ROWS.get(row_key)
        elif table == "active_disclosure":
            label = _ITEMS.get(row_key)
        else:
            label = None
        label_zh = T.REVIEW_ROW.label_zh if table == "review_litigation" else \
            label.label_zh if label is not None else None
        if label_zh is None:
            return None
        n = len(cols)
        return {**texts, "expected": "a number", "actual": f"{n} blank",
                "message": f"{n} blank cell{'s' if n > 1 else ''} in {label_zh}: "
                           f"{', '.join(cols)}",
                "message_zh": f"{label_zh}有{n}个空白单元格",
                "cells": ",".join(f"{row_key}/{c}" for c in cols)}
    if rule == "missing_parts":
        return {"message_zh": row["message"]} if row.get("message") is not None else None
    if expected is None or actual is None:
        return None
    label = _APPLICANT_COLUMNS.get(column)
    item = _ITEMS.get(row_key)
    if rule == "row_total":
        row_label = _ROWS.get(row_key)
        if row_label is None:
            return None
        return {"message": f"{row_label.label_en} ({row_label.label_zh}): the applicant columns "
                           f"add up to {actual}, the total column says {expected}{unconfirmed}",
                "message_zh": f"{row_label.label_zh}：各申请人列之和为{actual}，总计列为"
                              f"{_blank_zh(expected)}{unconfirmed_zh}",
                "cells": ",".join(f"{row_key}/{c}" for c in T.APPLICANT_KEYS)}
    if rule == "accounting_identity" and label is not None and len(params) == 4 \
            and _whole(params):
        p = [_shown(v) for v in params]
        return {"message": f"{label.label_en} ({label.label_zh}): received {p[0]} + carried over "
                           f"{p[1]} = {expected}, but handled {p[2]} + carried forward {p[3]} = "
                           f"{actual}{unconfirmed}",
                "message_zh": f"{label.label_zh}列：本年新收{_blank_zh(p[0])}＋上年结转"
                              f"{_blank_zh(p[1])}＝{expected}，而总计{_blank_zh(p[2])}＋结转下年度"
                              f"{_blank_zh(p[3])}＝{actual}{unconfirmed_zh}",
                "cells": ",".join(f"{r}/{column}" for r in
                                  ("new_received", "carried_over", "total", "carried_forward"))}
    if rule == "outcome_total" and label is not None and row.get("template") in T.TEMPLATES:
        outcomes = (*T.outcome_row_keys(row["template"]), "total")
        return {"message": f"{label.label_en} ({label.label_zh}): the outcomes add up to "
                           f"{actual}, the total row (（七）总计) says {expected}{unconfirmed}",
                "message_zh": f"{label.label_zh}列：各办理结果之和为{actual}，（七）总计为"
                              f"{_blank_zh(expected)}{unconfirmed_zh}",
                "cells": ",".join(f"{r}/{column}" for r in outcomes)}
    if rule == "prose_vs_table" and len(params) == 1 and isinstance(params[0], str) and column:
        key = "new_received" if row_key == "new_received" else column
        if key not in _PROSE_QUANTITIES:
            return None
        quantity, quantity_zh = _PROSE_QUANTITIES[key]
        said = params[0]
        return {"message": f"the text says '{said}' ({quantity}: {expected}), the table says "
                           f"{actual}",
                "message_zh": f"正文“{said}”（{quantity_zh}{expected}）与表格（{actual}）不符",
                "cells": ",".join(f"{row_key}/{c}" for c in column.split(","))}
    if rule == "carry_over_continuity" and label is not None and len(params) == 1 \
            and row.get("year") is not None:
        prev_year = row["year"] - 1
        return {"message": f"{label.label_en} ({label.label_zh}): carried over {actual}, but the "
                           f"{prev_year} report carried forward {expected} (report {params[0]})",
                "message_zh": f"{label.label_zh}列：上年结转{_blank_zh(actual)}，{prev_year}"
                              f"年度报告结转下年度{_blank_zh(expected)}",
                "cells": f"carried_over/{column}"}
    if rule == "roll_forward" and item is not None and len(params) == 3 \
            and row.get("year") is not None and _whole(params):
        zh = item.label_zh_2021 or item.label_zh
        p = [_shown(v) for v in params]
        return {"message": f"{item.label_en} ({zh}) in force: {p[0]} at the end of "
                           f"{row['year'] - 1} + {p[1]} issued - {p[2]} repealed = {expected}, "
                           f"but the report says {actual}",
                "message_zh": f"{zh}现行有效件数：上年{_blank_zh(p[0])}＋制发{_blank_zh(p[1])}"
                              f"－废止{_blank_zh(p[2])}，报告为{_blank_zh(actual)}",
                "cells": ",".join(f"{row_key}/{m}" for m in ("issued", "repealed", "in_force"))}
    return None


# The fields of a failure's row that ``rendered`` and ``_compact`` read, and so the only ones
# ``compact`` changes: a row's compact form is the row with these fields as the compact form
# of these fields alone gives them.
_READ = ("rule", "severity", "table_name", "row_key", "column_key", "expected", "actual",
         "params", "message", "message_zh", "cells", "template", "year")
_SCALARS = (str, int, type(None))
_READ_OF = itemgetter(*_READ)  # the fields ``_READ`` of a row, as a tuple, in C


def compact(row: dict) -> dict:
    """A failure's row as ``failures`` stores it: its texts NULL where the view writes them
    exactly, else as the rule gave them, without params. A blank_cells failure whose columns
    are in their table's order stores them as a bit mask (BLANK_COLUMNS).

    Reports fail alike (the same blank cell, the same row total), and what is stored depends
    only on the fields ``_READ``: each set of them is worked out once (``_compact_fields``),
    and the row takes its fields from it (issue 17). Only texts, whole numbers and None are
    remembered (a bool or a float, equal to an int as a key but written otherwise, is not); a
    row without all of these fields, or with any other value, is worked out on its own."""
    try:
        values = _READ_OF(row)
    except KeyError:
        return _compact(row)
    if not all(map(_SCALARS.__contains__, map(type, values))):  # (in C: every failure)
        return _compact(row)
    return {**row, **_compact_fields(values)}


@lru_cache(maxsize=8192)
def _compact_fields(values: tuple) -> dict:
    """``_compact`` of a row holding only the fields ``_READ``, with these values."""
    done = _compact(dict(zip(_READ, values)))
    return {k: done[k] for k in _READ}


def _compact(row: dict) -> dict:
    """``compact``, worked out."""
    texts = rendered(row)
    if texts is None or any(row.get(k) != v for k, v in texts.items()):
        return {**row, "params": None}
    stored = {**row, **{k: None for k in texts}}
    columns = BLANK_COLUMNS.get(row["table_name"])
    if row["rule"] == "blank_cells" and columns is not None:
        mask = sum(1 << columns.index(c) for c in row["column_key"].split(",") if c in columns)
        masked = {**stored, "column_key": None, "params": str(mask)}
        again = rendered(masked)
        if again is not None and all(row.get(k) == v for k, v in again.items()):
            return masked
    return stored


# The columns a rule across years fills: the failure's, then the report's agency, year and
# place, as the writer gives the failures of the rules over one report (what the pages filter
# and sort by; copying them in afterwards was an update of every failure).
INSERT_FAILURE = """INSERT INTO failures
  (report_id, rule, severity, table_name, row_key, column_key, expected, actual, message,
   message_zh, cells, params, agency, year, template, province, city)
"""

INSERT_CHECK_ERROR = """INSERT INTO check_errors (report_id, rule, error_type, message)
VALUES (?, ?, ?, ?)"""

COUNT_PER_REPORT = """
UPDATE reports SET
  check_errors = coalesce((SELECT count(*) FROM failures f
    WHERE f.report_id = reports.id AND f.severity = 'error'), 0),
  check_warnings = coalesce((SELECT count(*) FROM failures f
    WHERE f.report_id = reports.id AND f.severity = 'warning'), 0)"""

# Counted in one pass over the failures in their own order (a sort by rule), then copied to each
# rule: counted rule by rule through idx_validation_failures_rule, which holds no report_id,
# each failure's row was looked up for it, all over the table (at 100,000 reports 1.4 s, now
# 0.8; the same counts).
COUNT_PER_RULE = (
    """CREATE TEMP TABLE ogi_rule_counts AS
  SELECT rule, count(*) AS failures, count(DISTINCT report_id) AS reports
  FROM failures NOT INDEXED GROUP BY rule""",
    """UPDATE validation_rules SET
  failures = coalesce((SELECT c.failures FROM temp.ogi_rule_counts c
    WHERE c.rule = validation_rules.code), 0),
  reports_failing = coalesce((SELECT c.reports FROM temp.ogi_rule_counts c
    WHERE c.rule = validation_rules.code), 0)""",
    "DROP TABLE temp.ogi_rule_counts")

# The indexes of ``failures``. A build from scratch creates them once every failure is in and
# complete (sorted bulk builds, their pages full: indexes filled row by row as the failures come
# leave part of every page empty); an incremental build has them already, from its copy.
FAILURE_INDEXES = (
    "CREATE INDEX IF NOT EXISTS idx_validation_failures_province ON failures(province, city)",
    "CREATE INDEX IF NOT EXISTS idx_validation_failures_report ON failures(report_id, severity)",
    # The rule_* queries list a rule's failures in this order, and stop after a page.
    "CREATE INDEX IF NOT EXISTS idx_validation_failures_rule "
    "ON failures(rule, severity, year DESC, agency, id)",
    "CREATE INDEX IF NOT EXISTS idx_validation_failures_year ON failures(year, rule)",
    "CREATE INDEX IF NOT EXISTS idx_validation_failures_severity ON failures(severity)",
)

# Run once the rules across years are in, after FAILURE_INDEXES (the counts use the indexes).
FAILURE_COUNTS = (COUNT_PER_REPORT, *COUNT_PER_RULE)


# --- ogi check ---------------------------------------------------------------------------------

def _only(rules: tuple[str, ...], alias: str = "") -> tuple[str, list[str]]:
    if not rules:
        return "", []
    return f"WHERE {alias}rule IN ({', '.join('?' for _ in rules)})", list(rules)


def failure_counts(conn: sqlite3.Connection, rules: tuple[str, ...] = ()
                   ) -> dict[str, dict[str, int]]:
    """Failures per rule and severity: {rule: {"error": n, "warning": m}} (an index scan)."""
    where, params = _only(rules)
    counts: dict[str, dict[str, int]] = {}
    for rule, severity, n in conn.execute(
            f"SELECT rule, severity, count(*) FROM validation_failures {where} "
            "GROUP BY rule, severity", params):
        counts.setdefault(rule, {})[severity] = n
    return counts


def reports_failing(conn: sqlite3.Connection, rules: tuple[str, ...] = ()) -> int:
    where, params = _only(rules)
    return conn.execute(f"SELECT count(DISTINCT report_id) FROM validation_failures {where}",
                        params).fetchone()[0]


def first_failures(conn: sqlite3.Connection, rules: tuple[str, ...] = (), limit: int = 10
                   ) -> dict[str, list[dict]]:
    """The first ``limit`` failures of each rule (0: all), errors first, then by report: only
    those rows' messages are written (by the view)."""
    where, params = _only(rules, "f.")
    cursor = conn.execute(f"""
        SELECT v.rule, v.severity, v.agency, v.year, v.message, r.source_file FROM (
          SELECT f.id, f.rule,
            row_number() OVER (PARTITION BY f.rule ORDER BY f.severity, f.report_id, f.id) AS n
          FROM failures f {where}) first
        JOIN validation_failures v ON v.id = first.id JOIN reports r ON r.id = v.report_id
        WHERE ? = 0 OR first.n <= ?
        ORDER BY first.rule, first.n""", [*params, limit, limit])
    columns = [d[0] for d in cursor.description]
    shown: dict[str, list[dict]] = {}
    for row in cursor:
        failure = dict(zip(columns, row))
        shown.setdefault(failure["rule"], []).append(failure)
    return shown


def check_errors(conn: sqlite3.Connection, rules: tuple[str, ...] = ()) -> list[dict]:
    """The rules that raised, per rule and error: how many reports (NULL report: a rule across
    years that failed on the whole corpus), and one message. Empty for a database built before
    the table existed."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'check_errors'").fetchone():
        return []
    where, params = _only(rules)
    cursor = conn.execute(f"""
        SELECT rule, error_type, count(*) AS errors, count(report_id) AS reports,
          min(message) AS message
        FROM check_errors {where} GROUP BY rule, error_type ORDER BY rule, error_type""", params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor]
