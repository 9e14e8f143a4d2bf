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


@rule("carry_over_continuity", 7, "Carry-over continuity", "结转衔接",
      "What an agency carried over into year N (二、上年结转) must equal what its report for year "
      "N-1 carried forward (四、结转下年度继续办理), column by column.",
      "本年度“上年结转”应等于上一年度报告的“结转下年度继续办理”。", "error/warning", scope="corpus")
def sql_carry_over_continuity(scoped: bool = False) -> list[str]:
    """An agency's carried_over for year N equals its carried_forward for year N-1."""
    statements = []
    for col in T.APPLICANT_KEYS:
        statements.append(_INSERT + f"""
SELECT cur.id, 'carry_over_continuity',
  CASE WHEN a.{col} IS NOT NULL AND p.{col} IS NOT NULL THEN 'error' ELSE 'warning' END,
  'applications', 'carried_over', '{col}',
  coalesce(p.{col}, 'blank'), coalesce(a.{col}, 'blank'),
  NULL, NULL, NULL, json_array(prev.id)
FROM reports cur
JOIN reports prev ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1
JOIN applications a ON a.report_id = cur.id AND a.row_key = 'carried_over'
JOIN applications p ON p.report_id = prev.id AND p.row_key = 'carried_forward'
WHERE {_agency(scoped)} AND coalesce(a.{col}, 0) != coalesce(p.{col}, 0)
ORDER BY cur.id, prev.id""")
    return statements


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
  CASE WHEN prev_in_force IS NOT NULL AND issued IS NOT NULL AND repealed IS NOT NULL
       AND in_force IS NOT NULL THEN 'error' ELSE 'warning' END,
  'active_disclosure', '{item}', 'in_force',
  coalesce(prev_in_force, 0) + coalesce(issued, 0) - coalesce(repealed, 0),
  coalesce(in_force, 'blank'), NULL, NULL, NULL,
  json_array(prev_in_force, issued, repealed)
FROM (
  SELECT cur.id AS id, {prev_in_force} AS prev_in_force,
         {issued} AS issued, {repealed} AS repealed, {in_force} AS in_force
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
  NULL, NULL
FROM reports cur
JOIN reports other ON other.agency_id = cur.agency_id AND other.year = cur.year
  AND other.id != cur.id
WHERE {_agency(scoped)} AND cur.year IS NOT NULL
ORDER BY cur.id, other.id"""]
