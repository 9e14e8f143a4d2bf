"""The grid rows of a document tagged with the table of the form they belong to (section 二, 三
or 四, from the section headings and from anchor labels such as 第二十条 or 申请人情况), and the
template version (2019 or 2021) detected from the labels they use."""

from __future__ import annotations

import re
from itertools import chain
from operator import attrgetter

from ..form import template as T
from ..form.keys import normalize_labels
from ..form.template import Section, normalize_label
from ..model import Block, Grid, Issue, Row


ACTIVE = "active_disclosure"
APPLICATIONS = "applications"
REVIEW = "review_litigation"
TABLES = (ACTIVE, APPLICATIONS, REVIEW)
SECTION_TABLE = {2: ACTIVE, 3: APPLICATIONS, 4: REVIEW}
_TEXT = attrgetter("text")


def _anchor(norms: list[str]) -> str | None:
    joined = "".join(norms)
    if "第二十条" in joined or "信息内容" in norms:
        return ACTIVE
    if "申请人情况" in joined or "勾稽关系" in joined or "自然人" in norms:
        return APPLICATIONS
    if "行政诉讼" in joined and any(n.startswith("行政复议") for n in norms):
        return REVIEW
    return None


def tag_rows(blocks: list[Block], headings: dict[int, Section]) -> list[Row]:
    """Every grid row in reading order, tagged with the table it belongs to (None if unknown)."""
    rows: list[Row] = []
    current: str | None = None
    for i, block in enumerate(blocks):
        if i in headings:
            current = SECTION_TABLE.get(headings[i].number)
        if not isinstance(block, Grid):
            continue
        for r, cells in enumerate(block.rows):
            norms = normalize_labels(list(map(_TEXT, cells)))  # (in C: every row of a report)
            current = _anchor(norms) or current
            rows.append(Row(current, block.index, r, cells, norms))
    return rows


# ---------------------------------------------------------------------------------------------
# Template detection
# ---------------------------------------------------------------------------------------------

# Each template's signals with their patterns compiled once (issue 17).
_SIGNALS = {t: tuple((p, re.compile(p)) for p in T.TEMPLATE_SIGNALS[t]) for t in T.TEMPLATES}


def detect_template(rows: list[Row], year: int | None,
                    prose: str = "") -> tuple[str | None, list[Issue]]:
    """'2019' or '2021' from the labels the tables use; when the tables say nothing (a layout
    not understood), from the same labels in the text; the year decides only when neither
    says anything, and that is recorded as an issue."""
    # Every row's non-empty labels, in C (``filter``, ``chain``): a report's every cell
    text = "|".join(filter(None, chain.from_iterable(row.norms for row in rows)))
    votes = {t: [p for p, c in _SIGNALS[t] if c.search(text)] for t in T.TEMPLATES}
    if not any(votes.values()) and prose:
        text = normalize_label(prose)
        votes = {t: [p for p, c in _SIGNALS[t] if c.search(text)] for t in T.TEMPLATES}
    by_year = None if year is None else ("2021" if year >= 2021 else "2019")
    if votes["2019"] and votes["2021"]:
        n19, n21 = len(votes["2019"]), len(votes["2021"])
        chosen = "2019" if n19 > n21 else "2021" if n21 > n19 else by_year or "2021"
        return chosen, [Issue(
            "template_mixed",
            f"labels of both templates: 2019 {votes['2019']}, 2021 {votes['2021']}; read as {chosen}",
        )]
    for t in T.TEMPLATES:
        if votes[t]:
            return t, []
    if by_year:
        return by_year, [Issue("template_undetected",
                               f"no template labels found; assumed {by_year} from the year {year}")]
    return None, [Issue("template_undetected", "no template labels found and no year")]
