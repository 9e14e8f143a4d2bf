"""Rule over one report's text: numbers stated in the prose against the table cells that hold
the same quantity."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .facts import Facts, add_up, app_cell, shown
from .registry import WARNING, Failure, rule


# Numbers stated in the prose, with the table cells that hold the same quantity.
_N = r"(\d+)\s*(?:件|条|个|份|宗|起|次|人次)"
# (a count that names carried-over applications with it, 13件（含上年结转1件）, is not the new
# applications' count alone)
_NOT_NEW_ONLY = r"(?!\s*[（(]\s*(?:含|包括|其中))"
# What follows a statement of no applications or no lawsuits when it is about something else:
# complaints about the answers (未收到对政府信息公开申请答复不服的投诉), lawsuits lost
# (未发生行政诉讼败诉情形), reviews that corrected the agency (纠错).
_ABOUT_ELSE = r"(?![^，。；,;]{0,6}?(?:答复|不服|投诉|举报|败诉|纠错|被纠正|撤销|确认违法))"
_PROSE_FACTS = (
    # (quantity, pattern giving the number or None for "none", cells summed for the table side)
    ("applications received", "收到申请",
     re.compile(r"(?:新收|收到|接到|受理|接收)[^，。；,;0-9对]{0,12}?"
                r"(?:政府信息公开申请|依申请公开(?:申请)?)"
                r"(?:共计|共|总计|合计)?\s*" + _N + _NOT_NEW_ONLY),
     (("applications", "new_received", "total"),)),
    ("applications received", "收到申请",
     re.compile(r"(?:未|没有)(?:收到|接到|受理)[^，。；,;0-9对]{0,6}?"
                r"(?:政府信息公开申请|依申请公开)" + _ABOUT_ELSE),
     (("applications", "new_received", "total"),)),
    ("administrative reviews", "行政复议",
     re.compile(r"行政复议(?:案件|申请)?\s*" + _N),
     (("review_litigation", "review_litigation", "review_total"),)),
    ("lawsuits", "行政诉讼",
     re.compile(r"(?:无|未|没有)(?:发生|提起|出现)?[^，。；,;0-9]{0,10}?(?:行政)?诉讼" + _ABOUT_ELSE),
     (("review_litigation", "review_litigation", "direct_suit_total"),
      ("review_litigation", "review_litigation", "post_review_suit_total"))),
)


@rule("prose_vs_table", None, "Prose and table disagree", "正文与表格不符",
      "A number stated in the text of the report (全年共收到政府信息公开申请N件, 行政复议N件, "
      "未收到…申请, 无…诉讼) differs from the table cell that holds the same quantity.",
      "正文中写明的数字（如收到申请件数、行政复议件数）与表格中对应数字不一致。", "warning")
def check_prose_vs_table(facts: Facts) -> Iterator[Failure]:
    """Numbers stated in the prose equal the table cells that hold the same quantity."""
    seen: set[str] = set()
    for quantity, quantity_zh, pattern, cells in _PROSE_FACTS:
        if quantity in seen:
            continue
        m = pattern.search(facts.prose)
        if not m:
            continue
        seen.add(quantity)
        stated = int(m.group(1)) if m.groups() else 0
        values = []
        for table, row_key, col in cells:
            if table == "applications":
                values.append(app_cell(facts, row_key, col))
            elif facts.review is not None:
                values.append(facts.review.get(col))
        if not values or all(v is None for v in values):
            continue
        in_table = add_up(values)
        if in_table != stated:
            yield Failure(
                "prose_vs_table", WARNING,
                f"the text says {m.group(0)!r} ({quantity}: {stated}), the table says {in_table}",
                f"正文“{m.group(0)}”（{quantity_zh}{stated}）与表格（{in_table}）不符",
                cells[0][0], cells[0][1], ",".join(c for _, _, c in cells), str(stated),
                shown(in_table), [(r, c) for _, r, c in cells], (m.group(0),))
