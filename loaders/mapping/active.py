"""Section 二 (active disclosure): ``信息内容`` header rows name the metric of each column; item
rows are placed under them by the item label."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import attrgetter

from ..form import template as T
from ..form.template import lookup
from ..model import Cell, CellValue, Issue, Row
from .align import Column, has_geometry, place, shape_memo
from .cells import (UNREAD, cell_positions, numberish, placement_issues, unread_columns,
                    unread_row, value_at, value_issue)
from .numbers import (UNIT_CONFLICT, NumberReading, clean_text, parse_amount, parse_count,
                      unit_in_header)
from .rows import ACTIVE
from .run_labels import metrics_named


_UNKNOWN = object()
_JOINED = attrgetter("joined")


@dataclass
class _ActiveHeader:
    """A 信息内容 header row of section 二: the metric (and money unit) of each column."""

    row: Row
    first: int  # index of the 信息内容 cell
    columns: dict[int, tuple[T.Key, str | None]]  # cell index -> (metric, unit)
    # Cells naming a metric that are none of this year's columns: another year's (上年处理决定
    # 数量), or one of two naming the same metric (neither is known to be the form's): cell
    # index -> why. Their numbers are not read (``cell_unplaced``).
    dropped: dict[int, str] = field(default_factory=dict)
    _geometry: object = field(default=_UNKNOWN, init=False, repr=False)
    # The metric columns (``geometry``'s) and ``place``'s memo for them (``shape_memo``).
    columns_placed: list[Column] = field(default_factory=list, init=False, repr=False)
    shapes: dict = field(default_factory=dict, init=False, repr=False)

    def geometry(self) -> list[tuple[Column, T.Key, str | None]] | None:
        """The metric columns with their extents, when every one is a cell with geometry
        (worked out for the header's first item row, kept for the others)."""
        if self._geometry is _UNKNOWN:
            self._geometry = self._columns_by_position()
            if self._geometry is not None:
                self.columns_placed = [column for column, _, _ in self._geometry]
                self.shapes = shape_memo(self.columns_placed)
        return self._geometry

    def _columns_by_position(self) -> list[tuple[Column, T.Key, str | None]] | None:
        cells = [self.row.cells[j] for j in self.columns if j < len(self.row.cells)]
        if len(cells) != len(self.columns) or not has_geometry(cells):
            return None  # a header merged into one cell (信息内容本年处理决定数量): no extents
        return [(Column(m.key, self.row.cells[j].x0, self.row.cells[j].x1), m, unit)
                for j, (m, unit) in self.columns.items()]


# A column of another year than the report's (上年处理决定数量, 去年现行有效件数).
_OTHER_YEAR = re.compile(r"上一?年|去年|前一?年")
# The 2019 form's columns that name last year as part of what they count: 上一年项目数量, and
# the change since, worded 本年增/减, 比上年增/减 or 较去年增减.
_NAMES_LAST_YEAR = frozenset({"prior_year_count", "change"})


def _active_header(row: Row, first: int) -> _ActiveHeader:
    label = row.norms[first]
    columns: dict[int, tuple[T.Key, str | None]] = {}
    dropped: dict[int, str] = {}
    # A header merged into its first cell (信息内容本年处理决定数量, PDF text): the metrics it
    # names are the columns that follow, in the order it names them.
    for k, metric in enumerate(metrics_named(label.replace("信息内容", "", 1))):
        columns[first + 1 + k] = (metric, unit_in_header(row.cells[first].text))
    for j, x in enumerate(row.norms[first + 1:], first + 1):
        if metric := lookup(T.DISCLOSURE_METRICS, x):
            if metric.key not in _NAMES_LAST_YEAR and _OTHER_YEAR.search(x):
                dropped[j] = "another year's column"
            elif x.startswith("其中"):
                dropped[j] = "a part of another column's count"
            else:
                columns[j] = (metric, unit_in_header(row.cells[j].text))
    by_metric: dict[str, list[int]] = {}
    for j, (metric, _) in columns.items():
        by_metric.setdefault(metric.key, []).append(j)
    for metric_key, at in by_metric.items():
        if len(at) > 1:  # 处理决定数量 twice: which is this year's is not known
            for j in at:
                del columns[j]
                dropped[j] = f"one of {len(at)} columns naming {metric_key}"
    return _ActiveHeader(row, first, columns, dropped)


# One cell of an item row fitted to a metric: (metric, unit, cell or None, unread text or None).
_Fitted = tuple[T.Key, str | None, Cell | None, Cell | None]


def _fit_by_position(item: T.Key, row: Row, first: int, header: _ActiveHeader,
                     issues: list[Issue]) -> list[_Fitted] | None:
    geometry = header.geometry()
    cells = [c for c in row.cells[first + 1:] if not c.span]
    if geometry is None or not has_geometry(cells):
        return None
    placement = place(cells, header.columns_placed, header.shapes)
    issues.extend(placement_issues(placement, ACTIVE, item, row))
    unread = unread_columns(placement)
    return [(m, unit, placement.cells[m.key], unread.get(m.key)) for _, m, unit in geometry]


def _joined(cells: list[Cell]) -> Cell:
    """One cell holding the text of several, for provenance (a row not read)."""
    return Cell(" | ".join(c.text for c in cells), cells[0].line, max(c.line_end for c in cells))


def _fit_by_count(item: T.Key, row: Row, first: int, header: _ActiveHeader,
                  issues: list[Issue]) -> list[_Fitted]:
    shift = first - header.first
    columns = {j + shift: m for j, m in header.columns.items()}
    # The header's width: its cells, or the columns named in its first cell (信息内容本年处理
    # 决定数量, one cell for two columns)
    width = max(len(header.row.cells), max(header.columns, default=0) + 1,
                *(j + 1 for j in header.dropped)) + shift
    if any(clean_text(c.text) for c in row.cells[width:]):
        # A row wider than its header, with text past the header's last cell (规章 | 本级 |
        # 2 | 1 | 17 under three columns): which cell stands under which column is not
        # known, and counting would shift them all.
        issues.append(Issue(
            "cell_count_mismatch", f"{item.label_zh}: {len(row.cells) - first - 1} cells after "
            f"the label, the header above has {width - first - 1}: values left blank rather "
            "than guessed", ACTIVE, item.key,
            raw=" | ".join(c.text for c in row.cells[first + 1:]), line=row.line))
        return [(metric, unit, None, _joined(row.cells[first + 1:])) for metric, unit in
                columns.values()]
    for j, why in header.dropped.items():  # (by position, such a cell stands under no column)
        if j + shift < len(row.cells) and clean_text(row.cells[j + shift].text):
            cell = row.cells[j + shift]
            issues.append(Issue(
                "cell_unplaced", f"{item.label_zh}: the cell {clean_text(cell.text)!r} stands "
                f"under {clean_text(header.row.cells[j].text)!r}, {why}: not stored", ACTIVE,
                item.key, raw=cell.text, line=cell.line))
    present = len(row.cells) - first - 1
    if 0 < present < len(columns) and max(columns) >= len(row.cells):
        # A row shorter than its header (a cell the conversion lost): its first cells are the
        # first columns and its last cell the last column; the columns between are missing.
        order = [columns[j] for j in sorted(columns)]
        kept = order[:present - 1] + order[-1:]
        for metric, _ in order[present - 1:-1]:
            issues.append(Issue(
                "missing_cell", f"{item.label_zh} has {present} numbers for {len(order)} "
                f"columns: the last is read as {order[-1][0].label_zh}, "
                f"{metric.label_zh} is missing from the row", ACTIVE, item.key, metric.key,
                raw=" | ".join(c.text for c in row.cells[first + 1:]), line=row.line))
        columns = {first + 1 + k: m for k, m in enumerate(kept)}
    return [(metric, unit, row.cells[col] if col < len(row.cells) else None, None)
            for col, (metric, unit) in columns.items()]


def _fit_item_row(item: T.Key, row: Row, first: int, header: _ActiveHeader,
                  issues: list[Issue]) -> list[_Fitted]:
    """The row's cells under the header's metrics: by position where the reader gives it,
    else by count; a run of digits that could not be cut (crawled text) fits no column."""
    if any(map(_JOINED, row.cells[first + 1:])):  # (in C: asked of every item row)
        run = next(c for c in row.cells[first + 1:] if c.joined)
        return [(m, unit, None, run) for m, unit in header.columns.values()]
    fitted = _fit_by_position(item, row, first, header, issues)
    return fitted if fitted is not None else _fit_by_count(item, row, first, header, issues)


def _first_label(norms: list[str]) -> tuple[int, str] | None:
    """The index and text of a row's first label (its first normalized cell that is not
    blank), or None: found in C (the cells before it are all "", none equal to it)."""
    label = next(filter(None, norms), None)
    return None if label is None else (norms.index(label), label)


# The prose's word on the money columns' unit (注：本表单位为元。, （单位：元，下同）, 说明：单位为元,
# 注：收费金额单位为元。, 单位：元 above the table): section 二's prose, where the only money is the
# fees' (and the 2019 form's amounts). A unit after a figure (125000 （单位：元）) is the figure's,
# and one stated for other money (“三公”经费支出情况（单位：元）：…, 预算支出合计如下（金额单位：元）)
# is that money's.
_PROSE_UNIT = re.compile(r"单位(?:均|都)?[为是：:]?\s*(?:人民币)?(亿元|千元|万元|元)(?![\u4e00-\u9fff])")
_AFTER_FIGURE = re.compile(r"[0-9０-９%％]\s*[（(]?\s*$")
_OTHER_MONEY = re.compile(r"经费|预算|决算|支出|资金|收入|工资|补贴")
# Which amount a clause names: 采购, 收费.
_AMOUNT_OF = (("procurement", re.compile(r"采购")), ("fees", re.compile(r"收费")))


def prose_units(prose: str, item: str) -> set[str]:
    """The money units section 二's prose states for the amounts of ``item``."""
    units = set()
    for m in _PROSE_UNIT.finditer(prose):
        sentence = re.split(r"[。；;\n]", prose[max(0, m.start() - 30):m.start()])[-1]
        before = re.split(r"[，,]", sentence)[-1]
        after = re.split(r"[。；;\n]", prose[m.end():m.end() + 12])[0]
        if _AFTER_FIGURE.search(before) or _OTHER_MONEY.search(sentence):
            continue  # a figure's unit, or other money's
        # (the amount named before the unit, else after it: 采购金额单位为万元，收费金额…)
        named = [key for key, words in _AMOUNT_OF if words.search(before)] or [
            key for key, words in _AMOUNT_OF if words.search(after)]
        if not named or item in named:
            units.add(m.group(1))
    return units


# A money unit a cell of the table states beside the amount's header: 第二十条第（八）项（金额单位：
# 元）, 信息内容（单位：元）, a row （单位：元）, the item 行政事业性收费（元）, a cell 元 of a
# column 单位.
_TABLE_UNIT = re.compile(r"单位[为是：:]?\s*(?:人民币)?(亿元|千元|万元|元)"
                         r"|[（(]\s*(亿元|千元|万元|元)\s*[)）]|^(亿元|千元|万元|元)$")


def _units_in(texts) -> set[str]:
    """The money units that cells' texts state (``_TABLE_UNIT``)."""
    return {next(filter(None, m)) for text in texts if "元" in text
            for m in _TABLE_UNIT.findall("".join(clean_text(text).split()))}


def _unit_conflict(item: T.Key, metric: T.Key, units: set[str]) -> NumberReading:
    """An amount whose unit the report states differently in two places (the header 万元, a note
    under the table 元): which holds is not known, so it is not stored."""
    return NumberReading(None, UNIT_CONFLICT, f"{item.label_zh} {metric.label_zh}: the report "
                         f"states the unit as {' and as '.join(sorted(units))}")


# What a row's label says beyond the item's name: its numbering (1., （一）) and a bracket
# (（元）) aside.
_NUMBERING = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）.、．]?|[(（][^)）]*[)）]")


def _whole(item: T.Key, label: str) -> bool:
    """Whether a row's label names the item itself (行政规范性文件, 1.规范性文件, 行政事业性收费（元）),
    not a part of it (区政府行政规范性文件, 其中：涉企行政事业性收费)."""
    return _NUMBERING.sub("", label) in {item.label_zh, item.label_zh_2021}


def _labelled(rows: list[Row]) -> list[tuple[Row, int, str, T.Key | None]]:
    """Each row with a label: (row, the label's index, the label, the item it names or None)."""
    out = []
    for row in rows:
        found_label = _first_label(row.norms)
        if found_label is not None:
            first, label = found_label
            out.append((row, first, label, lookup(T.DISCLOSURE_ITEMS, label)
                        if "第二十条" not in label and "信息内容" not in label else None))
    return out


def _parts(labelled: list[tuple[Row, int, str, T.Key | None]]) -> dict[int, tuple[T.Key, str]]:
    """The rows that are parts of an item (``_whole``) in a table where the item has rows of
    several labels: 区政府行政规范性文件 and 区政府部门行政规范性文件, 涉企 and 非涉企行政事业性收费.
    Neither is the item's count, whichever comes first: where a row names the item itself, it
    is read and the parts are not; where none does, no row is read (their sum would be a number
    the report does not print). Row id -> (item, the labels of the item's other rows)."""
    by_item: dict[str, list[tuple[Row, T.Key, str]]] = {}
    for row, _, label, item in labelled:
        if item is not None:
            by_item.setdefault(item.key, []).append((row, item, label))
    if all(len(found) == 1 for found in by_item.values()):
        return {}  # (each item on one row: most reports)
    out = {}
    for found in by_item.values():
        if len({label for _, _, label in found}) > 1:
            for row, item, label in found:
                if not _whole(item, label):
                    out[id(row)] = (item, "、".join(dict.fromkeys(
                        other for _, _, other in found if other != label)))
    return out


def map_active(rows: list[Row], template: str | None,
               prose: str = "") -> tuple[list[CellValue], list[Issue]]:
    """Section 二's values. An amount's unit is the one the report states for it: in its cell,
    else in its column's header, the table around it (the article's row, the 信息内容 cell, a
    row or a column of its own, the item's label) or section 二's ``prose``
    (``prose_units``); else 万元, the 2021 form's. Two units stated for one amount, in two of
    these places, leave it blank (``unit_conflict``)."""
    values: list[CellValue] = []
    issues: list[Issue] = []
    found: dict[tuple[str, str], int] = {}
    header: _ActiveHeader | None = None
    block_units: set[str] = set()  # the units the current table's own rows state
    # (an item on rows of several labels: most reports have none)
    labelled = _labelled(rows)
    parts = _parts(labelled)
    wholes = {item.key for row, _, _, item in labelled
              if item is not None and id(row) not in parts} if parts else set()
    for row, first, label, item in labelled:
        if "第二十条" in label:
            header = None
            block_units = _units_in(c.text for c in row.cells)
            continue
        if "信息内容" in label:
            header = _active_header(row, first)
            block_units |= _units_in([row.cells[first].text])
            continue
        if item is None:
            if any(numberish(x) for x in row.norms[first + 1:]):
                issues.append(Issue("unknown_row", f"numbers under an unknown label "
                                    f"{clean_text(row.cells[first].text)!r}", ACTIVE,
                                    raw=row.cells[first].text, line=row.line))
            else:  # a row of its own stating the unit: （单位：元）
                block_units |= _units_in(c.text for c in row.cells)
            continue
        if not header or not header.columns:
            why = "has no 信息内容 header naming its columns" if not header or not header.dropped \
                else "stands under a header whose columns are none of the form's (" + "; ".join(
                    f"{clean_text(header.row.cells[j].text)}: {why}"
                    for j, why in header.dropped.items()) + ")"
            issues.append(Issue("header_unrecognized", f"item {item.label_zh} {why}; its values "
                                "are not read", ACTIVE, item.key,
                                raw=" | ".join(c.text for c in row.cells[first + 1:]),
                                line=row.line))
            continue
        if not any((item.key, m.key) in T.ITEM_METRICS for m, _ in header.columns.values()):
            # The header above names none of the item's columns (行政许可 under 本年制发件数…):
            # it is an earlier table's, kept where the item's own header was not recognized.
            issues.append(Issue(
                "header_unrecognized", f"item {item.label_zh} stands under a header naming "
                + "、".join(m.label_zh for m, _ in header.columns.values())
                + ", none of its columns; its values are not read", ACTIVE, item.key,
                raw=" | ".join(c.text for c in row.cells[first + 1:]), line=row.line))
            continue
        if id(row) in parts:
            _part(item, row, first, header, parts[id(row)][1], item.key in wholes, found, values,
                  issues)
            continue
        positions = cell_positions(row)
        for metric, unit, cell, unread in _fit_item_row(item, row, first, header, issues):
            if (item.key, metric.key) not in T.ITEM_METRICS:
                # a column the item does not have (行政许可 under 本年制发件数, in one table for
                # every item): a number there is no cell of the form
                if cell is not None and numberish(clean_text(cell.text)):
                    issues.append(Issue(
                        "cell_unplaced", f"{item.label_zh}: the cell {clean_text(cell.text)!r} "
                        f"stands under {metric.label_zh}, a column the form does not give "
                        f"{item.label_zh}: not stored", ACTIVE, item.key, raw=cell.text,
                        line=cell.line))
                continue
            if (item.key, metric.key) in found:
                issues.append(Issue("duplicate_row", f"{item.label_zh} {metric.label_zh} appears "
                                    "again; the first is kept", ACTIVE, item.key, metric.key,
                                    line=row.line))
                continue
            found[(item.key, metric.key)] = row.line
            if unread is not None:  # seen, not attributable: NULL with its text
                values.append(value_at(ACTIVE, item.key, metric.key, unread, UNREAD, row,
                                       positions))
                continue
            text = None if cell is None else cell.text
            if metric.key in T.AMOUNT_METRICS:
                # The units the report states for it: its header's, its table's, its row's (the
                # item's label, a cell that is only a unit: 行政事业性收费（元） | 元), the prose's
                stated = set(block_units)
                if unit is not None:
                    stated.add(unit)
                stated |= _units_in(c.text for c in row.cells[first:]
                                    if not numberish(clean_text(c.text)))
                if "单位" in prose:
                    stated |= prose_units(prose, item.key)
                if len(stated) > 1 and clean_text(text):
                    parsed = _unit_conflict(item, metric, stated)
                else:
                    parsed = parse_amount(text, next(iter(stated)) if len(stated) == 1 else None)
            else:
                parsed = parse_count(text, signed=metric.key in T.SIGNED_METRICS)
            v = value_at(ACTIVE, item.key, metric.key, cell, parsed, row, positions)
            values.append(v)
            if issue := value_issue(v, parsed):
                issues.append(issue)
    if not found:
        issues.append(Issue("missing_table", "the proactive disclosure tables (section 二) were "
                            "not found", ACTIVE))
    elif template:
        issues.extend(_missing_active(found, issues, template))
    return values, issues


def _part(item: T.Key, row: Row, first: int, header: _ActiveHeader, others: str, whole: bool,
          found: dict[tuple[str, str], int], values: list[CellValue],
          issues: list[Issue]) -> None:
    """A row that is a part of its item (``_parts``): not read. Beside the row that names the
    item itself it is a row the form does not have (``unknown_row``); where none does, the
    item's cells show the first part's text, unread (``cell_unplaced``)."""
    cells = [c for c in row.cells[first + 1:] if clean_text(c.text)]
    label = clean_text(row.cells[first].text)
    raw = " | ".join(c.text for c in cells) or None
    if whole:
        if cells:
            issues.append(Issue("unknown_row", f"numbers under {label!r}, a part of "
                                f"{item.label_zh} beside the row of {item.label_zh} itself: not "
                                "stored", ACTIVE, item.key, raw=raw, line=row.line))
        return
    metrics = [m.key for m, _ in header.columns.values() if (item.key, m.key) in T.ITEM_METRICS
               and (item.key, m.key) not in found]
    issues.append(Issue("cell_unplaced", f"{label!r} is a part of {item.label_zh}, as is "
                        f"{others}, and no row names {item.label_zh} itself: no part's numbers "
                        "are stored as the item's", ACTIVE, item.key, raw=raw, line=row.line))
    for metric in metrics:
        found[(item.key, metric)] = row.line
    if metrics:
        values.extend(unread_row(ACTIVE, item.key, tuple(metrics), cells, row))


def _missing_active(found: dict[tuple[str, str], int], issues: list[Issue],
                    template: str) -> list[Issue]:
    missing = []
    items_found = {i for i, _ in found}
    expected = T.DISCLOSURE_CELLS[template]
    for item_key in dict.fromkeys(i for i, _ in expected):
        if item_key not in items_found:
            missing.append(Issue("missing_row", f"item {item_key} not found", ACTIVE, item_key))
    flagged = {(i.row_key, i.column_key) for i in issues if i.code == "missing_cell"}
    present = found.keys() | flagged  # made once, not once per cell of the form
    for item_key, metric_key in expected:
        if item_key in items_found and (item_key, metric_key) not in present:
            missing.append(Issue("missing_cell", f"{item_key} has no {metric_key} column",
                                 ACTIVE, item_key, metric_key))
    return missing
