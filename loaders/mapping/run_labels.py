"""Labels and figures that crawled text runs together, parted by the words of the form.

Used by loaders/mapping/splitting.py before it cuts runs of digits:

- section 二: ``第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章`` is the article,
  the header (one cell per metric, so that the mapper reads each column) and the item whose run
  follows (``part_active_header``); ``metrics_named`` counts the header's columns;
- section 四: ``行政复议行政诉讼结果维持…总计`` as one cell per word of the form (``review_header``);
- the prose's own figures (收到政府信息公开申请75件) that may choose among cuts (``prose_figures``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from ..form import template as T
from ..form.keys import normalize_labels
from ..form.template import normalize_label
from ..model import Cell, Row

ACTIVE = "active_disclosure"
APPLICATIONS = "applications"


def with_cells(row: Row, cells: list[Cell]) -> Row:
    """The row (same table, grid and index) with other cells."""
    return Row(row.table, row.grid, row.index, cells, normalize_labels([c.text for c in cells]))


# Between a count's words and its figure, only words that say "in all" (共, 共计, 数为, 数量为,
# 达到, a colon, a space): not 新增, 增加, 减少, 废止 (现行有效规范性文件新增5件 is no count of
# those in force).
_IN_ALL = r"(?:数量|总数|总量|数)?[共计为有达到累合总：:\s]{0,4}?"
_PROSE_FIGURES = (
    # 共收到政府信息公开申请75件; 未收到政府信息公开申请 is 0. Not 收到行政复议申请3件.
    ((APPLICATIONS, "new_received", "total"),
     re.compile(r"(?<!未)(?:新收|收到|受理)[^。；，,\d复诉]{0,8}?(?:政府)?信息公开申请"
                + _IN_ALL + r"(\d+)[件个份条]")),
    ((APPLICATIONS, "new_received", "total"),
     re.compile(r"未(?:新收|收到|受理)[^。；，,\d复诉]{0,8}?(?:政府)?信息公开申请()")),
    ((ACTIVE, "normative_documents", "in_force"),
     re.compile(r"现行有效的?(?:行政)?规范性文件" + _IN_ALL + r"(\d+)件")),
)


def prose_figures(prose: str) -> dict[tuple[str, str, str], Decimal]:
    """Cells whose value the prose states, each by one figure only (two different figures for
    the same cell, e.g. this year's and last year's, state nothing)."""
    seen: dict[tuple[str, str, str], set[Decimal]] = {}
    for place, pattern in _PROSE_FIGURES:
        for m in pattern.finditer(prose):
            seen.setdefault(place, set()).add(Decimal(m.group(1) or 0))
    return {place: values.pop() for place, values in seen.items() if len(values) == 1}


# ---------------------------------------------------------------------------------------------
# Section 四
# ---------------------------------------------------------------------------------------------

_REVIEW_WORDS = re.compile(r"行政复议|行政诉讼|未经复议直接起诉|复议后起诉|结果维持|结果纠正|其他结果"
                           r"|尚未审结|审理中|总计|合计|小计")


def review_header(row: Row, upto: int) -> list[Row]:
    """The header text before a row of numbers, as one cell per word of the form when its words
    are all the form's (行政复议 | 行政诉讼 | 结果维持 | …), else as it stands."""
    cells = row.cells[:upto]
    if not cells:
        return []
    norm = "".join(normalize_label(c.text) for c in cells)
    words = _REVIEW_WORDS.findall(norm)
    if words and "".join(words) == norm:
        line = cells[0].line
        return [with_cells(row, [Cell(w, line) for w in words])]
    return [with_cells(row, cells)]


# ---------------------------------------------------------------------------------------------
# Section 二
# ---------------------------------------------------------------------------------------------

_ITEM_LABELS = sorted({label for item in T.DISCLOSURE_ITEMS
                       for label in (item.label_zh, item.label_zh_2021) if label},
                      key=len, reverse=True)
_HEADER_START = re.compile(r"信\s*息\s*内\s*容")


# Each metric's patterns, compiled once (``re.search`` with a pattern's text looks it up in re's
# cache at every call; issue 17).
_METRIC_PATTERNS = tuple((metric, tuple(re.compile(p) for p in metric.patterns))
                         for metric in T.DISCLOSURE_METRICS)


def _metric_spans(text: str) -> list[tuple[int, int, T.Key]]:
    """(start, end, metric) of each metric a run of header text names, in order; a pattern
    inside the words of a metric already found does not count twice."""
    found: dict[str, tuple[int, int, T.Key]] = {}
    for metric, patterns in _METRIC_PATTERNS:
        for pattern in patterns:
            m = pattern.search(text)
            if m and not any(s < m.end() and m.start() < e for s, e, _ in found.values()):
                found.setdefault(metric.key, (m.start(), m.end(), metric))
                break
    return sorted(found.values(), key=lambda f: f[0])


def metrics_named(text: str) -> list[T.Key]:
    """The metrics a run of header text names, in the order it names them (本年制发件数本年废止
    件数现行有效件数 -> issued, repealed, in_force; 上一年项目数量本年增/减处理决定数量 -> three)."""
    return list(_metrics_named(text))


@lru_cache(maxsize=4096)  # every 信息内容 header of every report asks, with the same few texts
def _metrics_named(text: str) -> tuple[T.Key, ...]:
    """``metrics_named`` as a tuple (the caller's list is its own; the keys are frozen)."""
    return tuple(metric for _, _, metric in _metric_spans(text))


_HEADER_WORD_END = re.compile(r"(?:数量|件数|数|量)?(?:\([^)]*\))?")


def _header_cells(text: str, line: int) -> list[Cell]:
    """A 信息内容 header run together, as one cell per column: 信息内容 | 上一年项目数量 |
    本年增/减 | 处理决定数量 (a column's words end after its metric is named, with the 数量 or
    （单位：万元） that follows)."""
    chars: list[int] = []  # raw index of each character of the normalized text
    norm = ""
    for i, ch in enumerate(text):
        part = normalize_label(ch)
        norm += part
        chars.extend([i] * len(part))
    spans = _metric_spans(norm)
    if not norm.startswith("信息内容") or not spans or spans[0][0] < 4:
        return [Cell(text.strip(), line)]
    ends = [_HEADER_WORD_END.match(norm, e).end() for _, e, _ in spans[:-1]]
    bounds = [chars[k] for k in [4] + ends if k < len(chars)] + [len(text)]
    return [Cell(text[:bounds[0]].strip(), line)] + [
        Cell(text[x:y].strip(), line) for x, y in zip(bounds, bounds[1:])]


def _item_suffix(text: str) -> int | None:
    """Where the item label that ends ``text`` begins (信息内容…现行有效件数规章 -> at 规章)."""
    norm = normalize_label(text)
    label = next((x for x in _ITEM_LABELS if norm.endswith(x)), None)
    if label is None:
        return None
    for k in range(len(text) - 1, -1, -1):
        if normalize_label(text[k:]) == label:
            return k
    return None


def part_active_header(row: Row, at: int) -> list[Row] | None:
    """A 信息内容 header glued to the item row after it, parted into article, header and item rows;
    None when the label does not end with an item of the form."""
    cells = row.cells[:at]
    text = "".join(c.text for c in cells)
    start = _HEADER_START.search(text)
    k = _item_suffix(text)
    if start is None or k is None or k <= start.end():
        return None
    line = cells[0].line
    article, header, item = text[:start.start()].strip(), text[start.start():k].strip(), text[k:]
    rows = [with_cells(row, [Cell(article, line)])] if article else []
    rows.append(with_cells(row, _header_cells(header, line)))
    rows.append(with_cells(row, [Cell(item.strip(), line)] + row.cells[at:]))
    return rows
