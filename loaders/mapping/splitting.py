"""Cells run together (crawled text) cut into the form's cells.

``split_joined`` is called by the mapper once per table, on the rows tagged with that table,
before they are mapped. A cell marked ``joined`` may hold several of the form's cells run
together (``5000005`` = 5|0|0|0|0|0|5, ``20 0 0 0 02``); it is replaced by one cell per number
when the digits allow exactly one cut (cuts.py), or when the form's own sums choose one
among several (issue ``split_by_arithmetic``):

- section 三: the six applicant cells add up to 总计 (rule 2); then, across rows, per column,
  new_received + carried_over = total + carried_forward (rule 1) and total = the sum of the
  outcome rows (rule 3); then the prose's own figures (收到申请75件);
- section 四: each group's 总计 = 维持 + 纠正 + 其他 + 尚未审结 (rule 4);
- section 二: no sum relates its cells; only the prose's figures may choose.

Otherwise the row keeps its joined cell, with an issue naming the run (``run_unsplittable``: no
cut gives the row's number of cells; ``split_ambiguous``: several cuts and nothing chooses), and
the mapper stores the row's values as NULL with the run as their raw text.

Header text that the crawl glued to a row's label is parted here, where the form is known: in
section 二, ``第二十条第（一）项信息内容本年制发件数…现行有效件数规章`` becomes the article, the
header (whose metrics give the row's number of cells) and the item; in section 四, the header
words and the row of numbers become two rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import product

from ..form import template as T
from ..form.template import lookup
from ..model import Cell, Issue, Row
from .cuts import Cuts, cells_parted, cut, has_placeholder
from .numbers import tokenize
from .run_labels import metrics_named, part_active_header, prose_figures, review_header, with_cells

ACTIVE = "active_disclosure"
APPLICATIONS = "applications"
REVIEW = "review_litigation"
COMBINATIONS_CAP = 5000  # joint choices across rows tried at most


@dataclass
class _Run:
    """A row with a joined cell, and what the cutting made of it."""

    row: Row
    at: int  # index of the joined cell in row.cells
    n: int | None
    key: str | None = None  # row key (section 三) or item key (section 二)
    cuts: Cuts | None = None
    candidates: list[tuple[str, ...]] = field(default_factory=list)
    chosen: tuple[str, ...] | None = None
    rule: str | None = None  # what chose among several cuts
    why: str = "the form names no columns for it"  # why n is None, when it is

    @property
    def cell(self) -> Cell:
        return self.row.cells[self.at]

    @property
    def label(self) -> str:
        label = " ".join(c.text.strip() for c in self.row.cells[:self.at] if c.text.strip())
        return label if len(label) <= 40 else label[:39] + "…"


@lru_cache(maxsize=8192)  # the pieces of every cut are read again and again (issue 17)
def _value(text: str) -> Decimal | None:
    tokens = tokenize(text)
    if tokens is None or len(tokens.numbers) != 1:
        return None
    return tokens.numbers[0].decimal


def _values(pieces: tuple[str, ...]) -> list[Decimal | None]:
    return [_value(p) for p in pieces]


@lru_cache(maxsize=8192)  # a run's cuts are tried against the sums again and again (issue 17)
def _adds_up(pieces: tuple[str, ...]) -> bool:
    """The last number is the sum of the others (a row's 总计, a review group's 总计)."""
    values = _values(pieces)
    return None not in values and sum(values[:-1]) == values[-1]


def _pieces(cell: Cell, chosen: tuple[str, ...]) -> list[Cell]:
    """The cut's cells, on the run's line. No x positions: offsets inside a run are not the
    table's columns, and the mapper places cells with positions by them."""
    return [Cell(p, cell.line, cell.line_end) for p in chosen]


def _cut_row(run: _Run) -> Row:
    """The row with its joined cell replaced by the chosen cut's cells."""
    cells = run.row.cells
    return with_cells(run.row, cells[:run.at] + _pieces(run.cell, run.chosen) + cells[run.at + 1:])


def _joined_at(row: Row) -> int | None:
    return next((j for j, c in enumerate(row.cells) if c.joined), None)


def _cut(run: _Run) -> None:
    if run.n is None:
        return
    run.cuts = cut(run.cell.text.strip(), run.n)
    run.candidates = list(run.cuts.cuts)
    if len(run.candidates) == 1:
        run.chosen = run.candidates[0]


def _narrow(run: _Run, keep, rule: str, strict: bool = True) -> None:
    """Keep the candidates ``keep`` accepts; one left is chosen by ``rule``. When none is left,
    a sum of the form (``strict``) leaves nothing to choose: the report does not add up, and a
    guess would hide it; a figure of the prose that no cut gives is only set aside."""
    if run.chosen is not None or len(run.candidates) < 2:
        return
    kept = [c for c in run.candidates if keep(c)]
    if len(kept) == 1:
        run.chosen, run.rule = kept[0], rule
    if kept:
        run.candidates = kept
    elif strict:
        run.candidates = []
        run.rule = f"no cut satisfies {rule}"


def _issues(runs: list[_Run], table: str) -> list[Issue]:
    issues = []
    for run in runs:
        raw, line = run.cell.text, run.cell.line
        where = f"{run.label!r}: the run {run.cell.text.strip()!r}"
        if run.n is None:
            issues.append(Issue("run_unsplittable", f"{where} is not read: {run.why}", table,
                                run.key, raw=raw, line=line))
        elif run.chosen is not None:
            if run.rule:
                issues.append(Issue(
                    "split_by_arithmetic", f"{where} can be cut {run.cuts.describe_count()} "
                    f"ways into {run.n} cells; {run.rule} leaves only {' | '.join(run.chosen)}",
                    table, run.key, raw=raw, line=line))
        elif run.cuts.count == 0:
            why = run.rule or "a number has no leading zero unless it is 0, spaces part cells"
            issues.append(Issue(
                "run_unsplittable", f"{where} cannot be cut into the {run.n} cells of the row "
                f"({why}): values left blank", table, run.key, raw=raw, line=line))
        else:
            why = f" ({run.rule})" if run.rule else ""
            issues.append(Issue(
                "split_ambiguous", f"{where} can be cut {run.cuts.describe_count()} ways into "
                f"{run.n} cells and the form's sums do not choose one{why}: values left blank",
                table, run.key, raw=raw, line=line))
    return issues


def _prose_choice(run: _Run, table: str, columns: tuple[str, ...], figures) -> None:
    for column_index, column in enumerate(columns):
        stated = figures.get((table, run.key, column))
        if stated is not None:
            _narrow(run, lambda c, i=column_index, v=stated: _value(c[i]) == v,
                    f"the prose's figure {run.key}.{column} = {stated}", strict=False)


# ---------------------------------------------------------------------------------------------
# Section 三
# ---------------------------------------------------------------------------------------------

def _application_key(row: Row, upto: int, template: str | None) -> str | None:
    """The row's key as the section 三 mapper reads its label (the last that matches; in a
    report on the 2019 form, a bare 其他 is its single （六） row)."""
    keys = [(x, lookup(T.APPLICATION_ROWS, x)) for x in row.norms[:upto] if x]
    keys = [(x, k) for x, k in keys if k is not None]
    if not keys:
        return None
    norm, key = keys[-1]
    if key.key == "other_other" and template == "2019" and norm in ("其他", "(六)其他"):
        return "other"
    return key.key


def _identities(keys: set[str], template: str | None) -> list[tuple[str, tuple, tuple]]:
    """(rule, keys added, keys subtracted), each to hold per applicant column."""
    rules = [("rule 1 (new + carried over = total + carried forward)",
              ("new_received", "carried_over"), ("total", "carried_forward"))]
    special = {"new_received", "carried_over", "total", "carried_forward"}
    outcomes = tuple(k for k in (T.outcome_row_keys(template) if template else
                                 [k for k in T.APPLICATION_ROW_KEYS if k in keys])
                     if k not in special)
    rules.append(("rule 3 (total = sum of the outcome rows)", ("total",), outcomes))
    return rules


def _choose_across_rows(runs: list[_Run], fixed: dict[str, list[Decimal | None]],
                        template: str | None) -> None:
    """Among the rows each with several cuts adding up, the combinations under which the
    column identities hold; a row whose every such combination uses one cut has that cut. A row
    settled so may settle others: repeated while it does."""
    while _choose_once(runs, fixed, template):
        pass


def _choose_once(runs: list[_Run], fixed: dict[str, list[Decimal | None]],
                 template: str | None) -> bool:
    open_runs = [r for r in runs if r.chosen is None and len(r.candidates) > 1 and r.key]
    if not open_runs:
        return False
    size = 1
    for r in open_runs:
        size *= len(r.candidates)
    if size > COMBINATIONS_CAP:
        return False
    open_keys = {r.key for r in open_runs}
    known = set(fixed) | open_keys
    rules = [(name, plus, minus) for name, plus, minus in _identities(known, template)
             if set(plus) | set(minus) <= known and (set(plus) | set(minus)) & open_keys]
    if not rules:
        return False
    valid: list[tuple[tuple[str, ...], ...]] = []
    for combo in product(*(r.candidates for r in open_runs)):
        values = dict(fixed)
        values.update({r.key: _values(c) for r, c in zip(open_runs, combo)})
        if all(_holds(values, plus, minus) for _, plus, minus in rules):
            valid.append(combo)
    names = " and ".join(name for name, _, _ in rules)
    settled = False
    for i, r in enumerate(open_runs):
        used = {combo[i] for combo in valid}
        if len(used) == 1:
            r.chosen, r.rule = used.pop(), f"{names} across the table"
            fixed[r.key] = _values(r.chosen)
            settled = True
    return settled


def _holds(values: dict[str, list[Decimal | None]], plus: tuple, minus: tuple) -> bool:
    for column in range(len(T.APPLICANT_KEYS)):
        total = Decimal(0)
        for sign, keys in ((1, plus), (-1, minus)):
            for key in keys:
                cell = values[key][column]
                total += sign * (cell or 0)  # a blank cell counts 0, as in the checks
        if total != 0:
            return False
    return True


def _split_applications(rows: list[Row], template: str | None,
                        prose: str) -> tuple[list[Row], list[Issue]]:
    n = len(T.APPLICANT_KEYS)
    runs: dict[int, _Run] = {}
    fixed: dict[str, list[Decimal | None]] = {}
    for i, row in enumerate(rows):
        at = _joined_at(row)
        key = _application_key(row, len(row.cells) if at is None else at, template)
        if at is None:
            # A row read cell by cell: its values are what they are; a label alone is a row of
            # blank cells (counted 0 by the sums, as by the checks).
            texts = [c.text for c in row.cells if not c.span and _value(c.text) is not None]
            if key is not None and len(texts) in (0, n):
                fixed.setdefault(key, [_value(t) for t in texts] or [None] * n)
            continue
        runs[i] = _Run(row, at, n, key)
        _cut(runs[i])
    figures = prose_figures(prose)
    for run in runs.values():
        _narrow(run, _adds_up, "rule 2 (the six applicant cells add up to 总计)")
        _prose_choice(run, APPLICATIONS, T.APPLICANT_KEYS, figures)
    for run in runs.values():
        if run.chosen is not None and run.key:
            fixed.setdefault(run.key, _values(run.chosen))
    _choose_across_rows(list(runs.values()), fixed, template)
    out = [_cut_row(runs[i]) if i in runs and runs[i].chosen else row for i, row in enumerate(rows)]
    return out, _issues(list(runs.values()), APPLICATIONS)


# ---------------------------------------------------------------------------------------------
# Section 四
# ---------------------------------------------------------------------------------------------

def _split_review(rows: list[Row]) -> tuple[list[Row], list[Issue]]:
    with_runs = [i for i, row in enumerate(rows) if _joined_at(row) is not None]
    # The 15 numbers in one run, or one run per group of five.
    n = {1: 15, 3: 5}.get(len(with_runs))
    runs: list[_Run] = []
    out: list[Row] = []
    for i, row in enumerate(rows):
        if i not in with_runs:
            out.append(row)
            continue
        at = _joined_at(row)
        run = _Run(row, at, n, why=f"{len(with_runs)} runs of numbers in section 四, where the "
                   "form has its 15 numbers in one row or 5 in each of three")
        _cut(run)
        groups = range(0, n or 0, 5)
        _narrow(run, lambda c: all(_adds_up(c[g:g + 5]) for g in groups),
                "rule 4 (each group's 总计 = 维持 + 纠正 + 其他 + 尚未审结)")
        runs.append(run)
        out.extend(review_header(row, at))
        # The numbers on a row of their own, as the form prints them under the header.
        values = _pieces(run.cell, run.chosen) if run.chosen else [run.cell]
        out.append(with_cells(row, values + row.cells[at + 1:]))
    return out, _issues(runs, REVIEW)


# ---------------------------------------------------------------------------------------------
# Section 二
# ---------------------------------------------------------------------------------------------

def _header_metrics(row: Row) -> list[str]:
    """The metric keys a 信息内容 header row names, merged in its first cell or one per cell."""
    first = next((j for j, x in enumerate(row.norms) if x), 0)
    merged = metrics_named(row.norms[first].replace("信息内容", "", 1))
    apart = [lookup(T.DISCLOSURE_METRICS, x) for x in row.norms[first + 1:] if x]
    return [m.key for m in merged + [m for m in apart if m is not None]]


def _split_active(rows: list[Row], prose: str) -> tuple[list[Row], list[Issue]]:
    figures = prose_figures(prose)
    metrics: list[str] | None = None  # the columns named by the last 信息内容 header
    runs: list[_Run] = []
    out: list[Row] = []
    for row in rows:
        at = _joined_at(row)
        for part in (part_active_header(row, at) if at is not None else None) or [row]:
            first = next((x for x in part.norms if x), "")
            if "信息内容" in first:
                metrics = _header_metrics(part)
            elif "第二十条" in first:
                metrics = None
            at = _joined_at(part)
            if at is None:
                out.append(part)
                continue
            item = next((k for k in (lookup(T.DISCLOSURE_ITEMS, x) for x in part.norms[:at] if x)
                         if k is not None), None)
            # The header's columns the item has: in one table for every item (信息内容 本年制发
            # 件数…本年收费金额), 行政许可 fills only 本年处理决定数量, a crawl leaving the blanks
            # out: its run is cut into its own columns, and stands under them.
            own = [j for j, m in enumerate(metrics or ())
                   if item and (item.key, m) in T.ITEM_METRICS]
            if own and has_placeholder(part.cells[at].text):
                # a placeholder stands in every empty cell (规章000//): the crawl kept the row's
                # cells of the columns the item does not have too
                own = list(range(len(metrics)))
            run = _Run(part, at, len(own) or None, item.key if item else None,
                       why="its label names no item of the form" if item is None else
                       "no 信息内容 header above it names the columns" if not metrics else
                       "the 信息内容 header above it names none of its columns")
            _cut(run)
            if own:
                parted = cells_parted(run.cell.text)
                if parted > 1 and parted != len(own):
                    # Cells parted by spaces, fewer than the columns: a blank left nothing, and
                    # where it stood is not known (规章 7 41 is not 7 | 4 | 1)
                    run.cuts = Cuts(run.cell.text, len(own), 0, ())
                    run.candidates, run.chosen = [], None
                    run.rule = (f"{parted} cells parted by spaces for {len(own)} columns: "
                                "a blank cell left nothing, and where it stood is not known")
                _prose_choice(run, ACTIVE, tuple(metrics[j] for j in own), figures)
            runs.append(run)
            if run.chosen and len(own) < len(metrics):
                pieces = iter(_pieces(run.cell, run.chosen))
                blank = Cell("", run.cell.line, run.cell.line_end)
                cells = part.cells
                out.append(with_cells(part, cells[:at] + [next(pieces) if j in own else blank
                                                          for j in range(len(metrics))]
                                      + cells[at + 1:]))
            else:
                out.append(_cut_row(run) if run.chosen else part)
    return out, _issues(runs, ACTIVE)




def _any_joined(rows: list[Row]) -> bool:
    for row in rows:  # a loop, not any() over a generator: every cell of every table
        for c in row.cells:
            if c.joined:
                return True
    return False


def split_joined(rows: list[Row], table: str, template: str | None,
                 prose: str) -> tuple[list[Row], list[Issue]]:
    """The rows with their joined cells cut, and the issues of the cutting."""
    if not _any_joined(rows):
        return rows, []
    if table == APPLICATIONS:
        return _split_applications(rows, template, prose)
    if table == REVIEW:
        return _split_review(rows)
    if table == ACTIVE:
        return _split_active(rows, prose)
    return rows, []
