"""Rules across an agency's years: SQL over the stored corpus, run once every report is in.

Each rule's function gives its SQL over every agency, or with ``scoped`` only over the agencies
listed in the temporary table ``ogi_scope`` (``SCOPE``): an incremental build re-runs the rules
for the agencies whose reports changed (loaders/derived/failures.py).

Unknown is nobody: a report whose agency could not be identified has agency_id NULL and is
never compared with another (two unknown agencies are not one agency). Each rule says so
explicitly, though NULL = NULL is never true in a join either.

carry_over_continuity and roll_forward store no message, message_zh or cells: the view
validation_failures writes them from the failure's columns and params (checks/stored.py)."""

from __future__ import annotations

from ..form import template as T
from .registry import rule
from .stored import INSERT_FAILURE as _INSERT

# The agencies a scoped run is limited to: one column ``id``, filled by the caller.
SCOPE = "temp.ogi_scope"


def _agency(scoped: bool) -> str:
    """The condition on the report checked: an identified agency (of the scope)."""
    return "cur.agency_id IS NOT NULL" + (
        f" AND cur.agency_id IN (SELECT id FROM {SCOPE})" if scoped else "")


# The report's own columns each failure carries (as the writer gives the rules over one
# report), selected from the report checked, ``cur``: what the pages filter and sort failures by.
_REPORT_COLUMNS = "agency, year, template, province, city"
_CUR_COLUMNS = ", ".join(f"cur.{c} AS {c}" for c in _REPORT_COLUMNS.split(", "))


@rule("carry_over_continuity", 7, "Carry-over continuity", "结转衔接",
      "What an agency carried over into year N (二、上年结转) must equal what its report for year "
      "N-1 carried forward (四、结转下年度继续办理), column by column.",
      "本年度“上年结转”应等于上一年度报告的“结转下年度继续办理”。", "error/warning", scope="corpus")
def sql_carry_over_continuity(scoped: bool = False) -> list[str]:
    """An agency's carried_over for year N equals its carried_forward for year N-1.

    One statement for every column: the pairs of reports are joined once and each pair is
    read once per column (the inner loop of ``CROSS JOIN``, SQLite's fixed order), where a
    statement per column joined them seven times (0.65 s each at 100,000 reports)."""
    columns = ", ".join(f"({i}, '{col}')" for i, col in enumerate(T.APPLICANT_KEYS))

    def picked(alias: str) -> str:
        return "CASE k.i " + " ".join(
            f"WHEN {i} THEN {alias}.{col}" for i, col in enumerate(T.APPLICANT_KEYS)) + " END"

    return [_INSERT + f"""
WITH k(i, col) AS (VALUES {columns})
SELECT id, 'carry_over_continuity',
  CASE WHEN av IS NOT NULL AND pv IS NOT NULL THEN 'error' ELSE 'warning' END,
  'applications', 'carried_over', col, coalesce(pv, 'blank'), coalesce(av, 'blank'),
  NULL, NULL, NULL, json_array(prev_id), {_REPORT_COLUMNS}
FROM (
  SELECT cur.id AS id, prev.id AS prev_id, k.i AS i, k.col AS col,
    {picked("a")} AS av, {picked("p")} AS pv, {_CUR_COLUMNS}
  FROM reports cur
  JOIN reports prev ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1
  JOIN applications a ON a.report_id = cur.id AND a.row_key = 'carried_over'
  JOIN applications p ON p.report_id = prev.id AND p.row_key = 'carried_forward'
  CROSS JOIN k
  WHERE {_agency(scoped)}
)
WHERE coalesce(av, 0) != coalesce(pv, 0)
ORDER BY id, prev_id, i"""]


@rule("roll_forward", None, "Documents in force roll forward", "现行有效件数衔接",
      "For the 2021 form: the regulations and normative documents in force at the end of year N "
      "must equal those in force at the end of N-1, plus those issued in N, minus those repealed "
      "in N, for the same agency.",
      "2021版：本年现行有效件数＝上年现行有效件数＋本年制发件数－本年废止件数。", "error/warning",
      scope="corpus")
def sql_roll_forward(scoped: bool = False) -> list[str]:
    """in_force of year N = in_force of N-1 + issued of N - repealed of N (2021 form)."""

    def metric(report: str, item: str, key: str) -> str:
        return (f"(SELECT value FROM active_disclosure WHERE report_id = {report} "
                f"AND item_key = '{item}' AND metric_key = '{key}')")

    statements = []
    for item in ("regulations", "normative_documents"):
        prev_in_force = metric("prev.id", item, "in_force")
        issued, repealed = metric("cur.id", item, "issued"), metric("cur.id", item, "repealed")
        in_force = metric("cur.id", item, "in_force")
        statements.append(_INSERT + f"""
SELECT id, 'roll_forward',
  -- error where every cell is filled, or the filled ones break the balance beyond repair by
  -- the blanks (unknown counts >= 0): in force + repealed = last year's in force + issued,
  -- a side without blanks below the other side's filled cells
  CASE WHEN (in_force IS NOT NULL AND repealed IS NOT NULL
             AND in_force + repealed < coalesce(prev_in_force, 0) + coalesce(issued, 0))
         OR (prev_in_force IS NOT NULL AND issued IS NOT NULL
             AND prev_in_force + issued < coalesce(in_force, 0) + coalesce(repealed, 0))
       THEN 'error' ELSE 'warning' END,
  'active_disclosure', '{item}', 'in_force',
  coalesce(prev_in_force, 0) + coalesce(issued, 0) - coalesce(repealed, 0),
  coalesce(in_force, 'blank'), NULL, NULL, NULL,
  json_array(prev_in_force, issued, repealed), {_REPORT_COLUMNS}
FROM (
  SELECT cur.id AS id, {prev_in_force} AS prev_in_force,
         {issued} AS issued, {repealed} AS repealed, {in_force} AS in_force, {_CUR_COLUMNS}
  FROM reports cur
  JOIN reports prev ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1
  WHERE {_agency(scoped)} AND cur.template = '2021' AND prev.template = '2021'
  ORDER BY cur.id, prev.id
)
WHERE coalesce(prev_in_force, 0) + coalesce(issued, 0) - coalesce(repealed, 0)
      != coalesce(in_force, 0)""")
    return statements


@rule("duplicate_report", None, "Two reports for one agency and year", "同一机关同一年度多份报告",
      "Two different files claim to be the same agency's report for the same year (a revised "
      "version, a copy with other formatting, or a misread agency or year). Both are kept; each "
      "is flagged with the other, whose id is in the actual column.",
      "两份不同的文件均为同一机关同一年度的报告（修订版、格式不同的副本，或机关、年度识别有误），均予保留并相互标注"
      "（actual列为另一份报告的编号）。",
      "warning", scope="corpus")
def sql_duplicate_report(scoped: bool = False) -> list[str]:
    """No two different reports of one agency for one year."""
    return [_INSERT + f"""
SELECT cur.id, 'duplicate_report', 'warning', NULL, NULL, NULL, NULL, other.id,
  'Another report claims the same agency and year: ' || other.id || ' (' ||
    other.source_file || ')',
  '另一份报告也是该机关' || cur.year || '年度的报告：' || other.id || '（' || other.source_file || '）',
  NULL, NULL, {_CUR_COLUMNS}
FROM reports cur
JOIN reports other ON other.agency_id = cur.agency_id AND other.year = cur.year
  AND other.id != cur.id
WHERE {_agency(scoped)} AND cur.year IS NOT NULL
ORDER BY cur.id, other.id"""]
