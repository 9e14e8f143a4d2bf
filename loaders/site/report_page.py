"""The report page: one report redrawn in the national layout, for
``templates/row-ogi-reports.html``.

``load(db, report_id)`` reads everything the page shows from a Datasette database and returns plain
dicts and lists, so the template only lays them out. Every number carries its raw text, source line,
a link to it in the view ``cells`` and the failed checks that involve it; a cell the report left blank
is ``blank`` (not zero), a cell whose row or table the parser did not find is ``absent``, a cell
the reader saw but could not read or place (issue 13: cells run together that could not be cut,
a cell under no column, a merged cell) is ``unreadable`` and shows its raw text, never blank;
text where the form asks for a number (无, /) is ``text``.

Failures are listed errors first, one line each; the warnings of one rule are one group, folded
on the page when there are several (``failure_groups``).

The three tables follow the paper form (国办公开办函〔2019〕60号 and 〔2021〕30号), all of whose
rows, columns, headers and labels are read from ``loaders/form/template.py``: section 二 one small
table per article of 第二十条, section 三 the applicant columns under their headers and the rows
under the form's group rows, section 四 the fifteen review and litigation numbers under their
three levels of headers (``header_rows``).
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from datasette.utils import tilde_encode

from ..form import template as T


@dataclass
class CellView:
    table: str
    row_key: str
    column_key: str
    state: str = "absent"  # value | blank | text | unreadable | absent
    value: Any = None
    raw: str | None = None
    line: int | None = None
    line_end: int | None = None
    href: str | None = None
    failures: list[dict] = field(default_factory=list)  # failures that point at this cell
    involved: list[dict] = field(default_factory=list)  # failures whose sum includes it
    notes: list[dict] = field(default_factory=list)  # parse issues about this cell or its row

    @property
    def inferred(self) -> bool:
        return any(n["code"] == "row_inferred" for n in self.notes)

    @property
    def severity(self) -> str | None:
        severities = {f["severity"] for f in self.failures}
        return "error" if "error" in severities else ("warning" if severities else None)

    @property
    def display(self) -> str:
        if self.state == "value":
            v = self.value
            return f"{v:g}" if isinstance(v, float) else str(v)
        if self.state == "text":
            return self.raw or ""
        if self.state == "unreadable":  # the text as seen, shortened: hover shows all of it
            raw = " ".join((self.raw or "").split())
            return raw if len(raw) <= UNREADABLE_SHOWN else raw[:UNREADABLE_SHOWN - 1] + "…"
        return ""

    @property
    def title(self) -> str:
        """The hover text: what the report says here, where, and what is wrong with it."""
        parts = []
        if self.state == "absent":
            parts.append("Not found in the report · 报告中未找到")
        elif self.state == "unreadable":
            parts.append(f"Unreadable 无法读取: the report has 「{self.raw}」 here, which could not "
                         "be read or placed as this cell's number; nothing is stored for it · "
                         "报告此处的文字无法读取为本栏数字，未取值")
        elif self.state == "blank":
            parts.append("Blank in the report, not zero · 报告中空白（不等于零）")
        else:
            parts.append(f"Raw text 原文「{self.raw}」")
        if self.line:
            span = f"{self.line}–{self.line_end}" if self.line_end and self.line_end != self.line \
                else str(self.line)
            parts.append(f"source line 行 {span}")
        for f in self.failures + self.involved:
            parts.append(f"[{f['severity']}] {f['message_zh']} · {f['message']}")
        for n in self.notes:
            if n["code"] != "irregular_number":  # already said by the irregular_values failure
                parts.append(f"[parse: {n['code']}] {n['message']}")
        return "\n".join(parts)


# Characters of an unreadable cell's text shown in the cell itself.
UNREADABLE_SHOWN = 10
# Parse issues that say a cell's text was seen but not read as its number.
_UNREAD_CODES = {"ambiguous_number", "implausible_number"}


def _unread(notes: list[dict]) -> bool:
    return any(n.get("severity") == "error" or n["code"] in _UNREAD_CODES for n in notes)


def _text_state(notes: list[dict]) -> str:
    """A stored cell with text and no number: ``text`` where the report wrote words for a
    number (无, /: issue non_numeric); otherwise the reader saw it and could not read it (a run
    that could not be cut, a merged or misplaced cell, two numbers in one cell), whatever
    issue, on this cell or its row, says why."""
    return "text" if any(n["code"] == "non_numeric" for n in notes) else "unreadable"


def failure_groups(failures: list[dict]) -> list[dict]:
    """Errors one by one, in their order; the warnings of each rule as one group, in the order
    of the rule's first warning, after the errors."""
    errors, warnings = [], {}
    for f in failures:
        if f["severity"] == "error":
            errors.append({"rule": f["rule"], "severity": "error", "failures": [f]})
        else:
            warnings.setdefault(f["rule"], {"rule": f["rule"], "severity": f["severity"],
                                            "failures": []})["failures"].append(f)
    return errors + list(warnings.values())


def row_path(*pk_values) -> str:
    """The path segment of a row with a compound primary key, as Datasette encodes it."""
    return ",".join(tilde_encode(str(v)) for v in pk_values)


def cell_query(rid: str, table: str, row_key: str, column_key: str) -> str:
    """The query string that selects one cell in the view ``cells`` (a view has no row pages)."""
    return urlencode({"report_id": rid, "table_name": table, "row_key": row_key,
                      "column_key": column_key})


def _groups_above(key: T.Key, groups: dict[str, T.Key]) -> list[T.Key]:
    """The groups the form prints ``key`` under, outermost first (``Key.group``)."""
    chain = []
    while key.group:
        key = groups[key.group]
        chain.insert(0, key)
    return chain


def header_rows(columns: list[list[T.Key]]) -> list[list[dict]]:
    """The header rows over a table's columns, each column given as the headers above it,
    outermost first, down to its own: a header spans the run of columns under it (``colspan``);
    a column with fewer headers above it than the others reaches down to the last row
    (``rowspan``)."""
    depth = max(len(path) for path in columns)
    rows: list[list[dict]] = []
    for level in range(depth):
        row: list[dict] = []
        for path in columns:
            if level >= len(path):
                continue  # covered by its own header's rowspan
            if row and row[-1]["path"] == path[:level + 1]:
                row[-1]["colspan"] += 1
                continue
            leaf = level == len(path) - 1
            row.append({"path": path[:level + 1], "label_zh": path[level].form_zh,
                        "label_en": path[level].form_en, "colspan": 1, "leaf": leaf,
                        "rowspan": depth - level if leaf else 1})
        rows.append(row)
    return rows


def _applicant_header() -> list[list[dict]]:
    groups = T.by_key((T.APPLICANTS, T.LEGAL_PERSONS))
    return header_rows([[*_groups_above(c, groups), c] for c in T.APPLICANT_COLUMNS])


def _applications(template: str, cell) -> list[dict]:
    """Section 三's rows in the form's order, each group row (三、本年度办理结果, （三）不予公开, …)
    before the first row under it; the rows under a group within a group indented (``sub``)."""
    groups = T.by_key(T.APPLICATION_GROUPS)
    rows, shown = [], set()
    for key in T.application_rows_for(template):
        above = _groups_above(key, groups)
        for group in above:
            if group.key not in shown:
                shown.add(group.key)
                rows.append({"group": True, "label_zh": group.label_zh, "label_en": group.label_en,
                             "colspan": len(T.APPLICANT_COLUMNS)})
        rows.append({"group": False, "key": key.key, "label_zh": key.form_zh,
                     "label_en": key.form_en, "sub": len(above) > 1,
                     "cells": [cell("applications", key.key, c.key) for c in T.APPLICANT_COLUMNS]})
    return rows


def _disclosure(template: str, cell) -> list[dict]:
    """Section 二 as the form draws it: one table per article, items as rows, metrics as columns."""
    items = T.by_key(T.DISCLOSURE_ITEMS)
    metrics = T.by_key(T.DISCLOSURE_METRICS)
    blocks: dict[str, dict] = {}
    for item_key, metric_key in T.DISCLOSURE_CELLS.get(template, ()):
        item = items[item_key]
        block = blocks.setdefault(item.article, {"article": item.article, "metrics": [],
                                                 "items": {}})
        if metric_key not in block["metrics"]:
            block["metrics"].append(metric_key)
        block["items"].setdefault(item_key, {})[metric_key] = cell(
            "active_disclosure", item_key, metric_key)
    out = []
    for block in blocks.values():
        out.append({
            "article": block["article"],
            "metrics": [metrics[m] for m in block["metrics"]],
            "rows": [{"item": items[i], "label_zh": items[i].label_zh_in(template),
                      "cells": [cells.get(m) for m in block["metrics"]]}
                     for i, cells in block["items"].items()],
        })
    return out


def _review(cell) -> dict:
    """Section 四: each number under its outcome, its group and, for lawsuits, 行政诉讼."""
    groups = T.by_key((*T.REVIEW_GROUPS, T.LITIGATION))
    outcomes = T.by_key(T.REVIEW_OUTCOMES)
    return {
        "header": header_rows([[*_groups_above(c, groups), outcomes[c.outcome]]
                               for c in T.REVIEW_COLUMNS]),
        "cells": [cell("review_litigation", T.REVIEW_ROW.key, c.key) for c in T.REVIEW_COLUMNS],
    }


def assemble(report: dict, cells: list[dict], failures: list[dict], issues: list[dict],
             sections: list[dict], other_years: list[dict],
             cell_url=lambda query: f"/ogi/cells?{query}") -> dict:
    """The page's content from the rows of one report (pure: no database involved)."""
    pointed, involved = _failures_by_cell(failures)
    cell = partial(_cell_view, rid=report["id"],
                   stored={(c["table_name"], c["row_key"], c["column_key"]): c for c in cells},
                   pointed=pointed, involved=involved, notes=_notes_by_cell(issues),
                   cell_url=cell_url)

    template = report["template"] or "2021"
    return {
        "report": report,
        "template": template,
        "has_tables": bool(cells),
        "disclosure": _disclosure(template, cell),
        "applications": _applications(template, cell),
        "applicant_header": _applicant_header(),
        "applicants_corner": T.APPLICATIONS_BALANCE,
        "disclosure_header": T.DISCLOSURE_HEADER,
        "review": _review(cell),
        "notices": T.TEMPLATE_NOTICES,
        "failures": failures,
        "failure_groups": failure_groups(failures),
        "issues": issues,
        "sections": sections,
        "section_labels": {s.number: s for s in T.SECTIONS},
        "other_years": other_years,
    }


# (table, row_key, column_key) -> the rows (failures or parse issues) about that cell.
_ByCell = dict[tuple, list[dict]]


def _failures_by_cell(failures: list[dict]) -> tuple[_ByCell, _ByCell]:
    """(table, row, column) -> the failures that point at the cell, and those it is only
    involved in."""
    pointed: dict[tuple, list[dict]] = defaultdict(list)
    involved: dict[tuple, list[dict]] = defaultdict(list)
    for f in failures:
        table = f["table_name"]
        keys = [tuple(p.split("/", 1)) for p in (f["cells"] or "").split(",") if "/" in p]
        own = (f["row_key"], f["column_key"])
        # A failure points at its own cell when it names one (the total that does not add up);
        # the other cells of the sum are only involved. With no own cell, all of them are pointed.
        target = own if own in keys else None
        for k in keys:
            (pointed if target is None or k == target else involved)[(table, *k)].append(f)
    return pointed, involved


def _notes_by_cell(issues: list[dict]) -> _ByCell:
    """(table, row, column or None) -> the parse issues noted there."""
    notes: dict[tuple, list[dict]] = defaultdict(list)
    for i in issues:
        if i["table_name"] and i["row_key"]:
            notes[(i["table_name"], i["row_key"], i["column_key"])].append(i)
    return notes


def _cell_view(table: str, row_key: str, column_key: str, *, rid: str, stored: dict,
               pointed: _ByCell, involved: _ByCell, notes: _ByCell, cell_url) -> CellView:
    """One cell of the form: its value, raw text and line, or why it is blank or unreadable."""
    key = (table, row_key, column_key)
    view = CellView(table, row_key, column_key, failures=pointed.get(key, []),
                    involved=[f for f in involved.get(key, []) if f not in pointed.get(key, [])],
                    notes=notes.get(key, []) + notes.get((table, row_key, None), []))
    c = stored.get(key)
    if c is not None:
        view.value, view.raw = c["value"], c["raw_text"]
        view.line, view.line_end = c["source_line"], c["source_line_end"]
        view.href = cell_url(cell_query(rid, table, row_key, column_key))
        if c["value"] is not None:
            view.state = "value"
        elif (c["raw_text"] or "").strip(" \t\u00a0\u3000"):
            view.state = _text_state(view.notes)
        else:
            view.state = "blank"
    else:  # not stored, but an issue names this very cell with the text seen there
        seen = [n for n in notes.get(key, []) if (n.get("raw_text") or "").strip()]
        if seen and _unread(seen):
            view.state, view.raw, view.line = "unreadable", seen[0]["raw_text"], \
                seen[0].get("source_line")
    return view


async def load(datasette, database: str, report_id: str) -> dict | None:
    """Everything the report page shows, read from one database of a running Datasette."""
    db = datasette.get_database(database)

    async def rows(sql: str, params: dict) -> list[dict]:
        return [dict(r) for r in (await db.execute(sql, params)).rows]

    p = {"id": report_id}
    found = await rows("select * from reports where id = :id", p)
    if not found:
        return None
    report = found[0]
    if report.get("agency_id"):
        report["agency_href"] = datasette.urls.row(database, "agencies",
                                                   row_path(report["agency_id"]))
        agency = await rows("select kind, sector, sector_en from agencies where id = :a",
                            {"a": report["agency_id"]})
        report["agency_info"] = agency[0] if agency else None
    return assemble(
        report,
        await rows("select * from cells where report_id = :id", p),
        await rows("select * from validation_failures where report_id = :id "
                   "order by severity = 'warning', id", p),
        await rows("select * from parse_issues where report_id = :id "
                   "order by severity != 'error', id", p),
        await rows("select * from sections where report_id = :id order by section_no", p),
        await rows("select id, year, template, title, agency, check_errors, check_warnings, "
                   "source_file from reports where agency_id = :agency_id and id != :id "
                   "order by year, id", {"agency_id": report["agency_id"], "id": report_id}),
        lambda query: datasette.urls.table(database, "cells") + "?" + query,
    )
