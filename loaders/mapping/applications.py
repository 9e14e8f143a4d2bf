"""Section 三 (applications): each row is placed by its most specific label cell (the last cell
that matches a row of the form), wherever that cell stands; header rows (repeated after a page
break) are dropped; the 7 applicant columns follow the label, by position where the reader knows
positions, otherwise by count."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, filterfalse, permutations
from operator import attrgetter

from ..form import template as T
from ..form.keys import LABEL_NUMBER, label_numbers
from ..form.template import lookup, normalize_label
from ..model import Cell, CellValue, Issue, Row
from .align import (Column, Placement, columns_from_full_rows, has_geometry, of_shape, place,
                    placed_shape, shape_memo, shape_of, stands_at)
from .cells import (UNREAD, blank, cell_positions, fits, numberish, placement_issues,
                    unread_columns, unread_row, value_at, value_issue)
from .numbers import AMBIGUOUS, clean_text, parse_count
from .rows import APPLICATIONS


# Words that only the header of section 三 holds: the first applicant columns, 申请人情况,
# 法人或其他组织 and the 勾稽关系 corner label, as the form declares them.
_APPLICATION_HEADER = re.compile("|".join(
    p for key in (*T.APPLICANT_COLUMNS[:4], T.APPLICANTS, T.LEGAL_PERSONS, T.APPLICATIONS_BALANCE)
    for p in key.patterns))
# Searching a row's labels joined by line breaks (``_has_header_words``) finds what searching
# each label finds only while the words are plain text: no anchor, wildcard, class or space.
assert not re.search(r"[\^$.\\\[\]()*+?{}]|\s", _APPLICATION_HEADER.pattern.replace("|", "")), \
    _APPLICATION_HEADER.pattern


def _has_header_words(row: Row) -> bool:
    """Whether a cell of the row holds one of those words. The words are plain text (no
    pattern that could span a line break), so the row's labels are searched as one text."""
    return _APPLICATION_HEADER.search("\n".join(row.norms)) is not None


@dataclass
class _Entry:
    """A row of section 三 with numbers: its key (None while its label is unknown) and cells.

    ``values`` are the row's cells after its label as the reader gave them (merged-cell copies
    left out); ``cells`` the ones fitted to the form's columns, by position where the reader
    knows positions (``placement``), otherwise by count. ``fits`` are the ways counting reads
    the row (``cells.fits``): several when blank cells at both ends leave it open which are the
    row's; ``ambiguous`` when neither the cells' positions nor the table say which.
    """

    row: Row
    key: T.Key | None
    cells: list[Cell]
    label: str = ""  # the text of an unrecognized label
    own: str = ""  # its last cell: the row's own label, after any group's
    inferred: bool = False
    below: bool = False  # numbers on the row below their label (``_labels_above``)
    ends_below: bool = False  # the end of its label on the row below (``_label_ends_below``)
    refused: str = ""  # why a key its bare label gave was taken back (``_refuse_bare_labels``)
    norm: str = ""  # the label cell that gave the key, normalized
    values: list[Cell] = field(default_factory=list)
    placement: Placement | None = None
    counted: list[Cell] = field(default_factory=list)  # the cells counting was given
    fits: list[list[Cell]] = field(default_factory=list)
    ambiguous: bool = False
    # Counting dropped cells at its edges in a table whose other rows fill more cells than the
    # form has columns: which of its cells is which column the text does not say.
    wider: bool = False
    # ``_unique(self)``, worked out once when the entry is made: the alignment and the choice
    # between readings ask for it of each row, once per set of columns. ``fits`` must not be
    # changed or assigned after that (nothing does): ``unique`` would not follow it.
    unique: list[Cell] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.unique = _unique(self)


_SPAN, _TEXT = attrgetter("span"), attrgetter("text")


def _text_cell(cell: Cell) -> bool:
    norm = normalize_label(cell.text)
    return bool(norm) and not numberish(norm)


def _application_header_row(row: Row, header_words: bool) -> bool:
    """A header row of section 三, also a piece of one repeated mid-table by a page break or a
    conversion (| 法律服务机构 | 其他 | 总计 |): header words and no number. Read as a row, its
    其他 and 总计 would pass for the rows （六）3.其他 and （七）总计. ``header_words``: whether it
    holds header words (``_has_header_words``, searched once per row by the caller)."""
    if header_words:
        return True
    # Two labels or more, each an applicant column's: the first that is not ends the search
    # (a row's label, at once, in most rows; issue 17)
    texts = 0
    column_of = T.APPLICANT_COLUMNS.lookup  # (``lookup`` without its wrapper: every row)
    for x in row.norms:
        if x:
            if column_of(x) is None:
                return False
            texts += 1
    return texts >= 2


def _application_entries(rows: list[Row], template: str | None, n: int,
                         headed: set[int]) -> list[_Entry]:
    """The rows with numbers (``headed``: the ids of the rows with header words)."""
    entries: list[_Entry] = []
    keys_of = T.APPLICATION_ROWS.lookup_all
    for row in rows:
        if _application_header_row(row, id(row) in headed):
            continue
        # A label cell holding numbers (two rows' labels and numbers run together, as crawled
        # text may leave them: 2.申请人逾期…申请 11 3 8 13 5 10 50 3.其他) is no row's label.
        matches = [(j, k) for j, (x, k) in enumerate(zip(row.norms, keys_of(row.norms)))
                   if x and k is not None and not _holds_numbers(row.cells[j].text, x)]
        if matches and matches[-1][1].key == "other" and any(
                _own_label(x) for x in row.norms[matches[-1][0] + 1:]):
            # （六）其他处理 is the group's cell here, and the row's own label, after it, is
            # none the form has (…逾期未补正…): the row's label is unknown, not the 2019 row.
            matches = []
        if not matches:
            if any(numberish(x) for x in row.norms):
                last_text = max((j for j, c in enumerate(row.cells) if _text_cell(c)), default=-1)
                label = " ".join(clean_text(c.text) for c in row.cells[:last_text + 1]
                                 if clean_text(c.text))
                after = row.cells[last_text + 1:]
                found = fits(after, n)
                entries.append(_Entry(
                    row, None, found[0] if len(found) == 1 else after, label,
                    own=clean_text(row.cells[last_text].text) if last_text >= 0 else "",
                    values=[c for c in after if not c.span], counted=after, fits=found))
            continue
        j, key = matches[-1]
        if key.key == "other_other" and template == "2019" and row.norms[j] in _BARE_OTHER:
            key = _KEYS["other"]  # the 2019 form's one （六） row, printed （六）其他 or 其他
        cells = list(row.cells[j + 1:])
        # The places the label's own cell covers (merged over several columns: empty, of its
        # line): the label's, never the numbers' (a row short of a cell would count one as its
        # first column). In a web page a place a merged cell of the row above covers is of
        # another line and stays; Word and PDF give every place of a row the row's line, so
        # there such a place right after the label goes too, and a row left short by it is
        # read by position or refused (cell_count_mismatch), never shifted.
        label = row.cells[j]
        while cells and cells[0].span and cells[0].line == label.line and not cells[0].text:
            cells.pop(0)
        # The rest of a label broken over cells (| 缴纳费用、 | 行政机关不再处理其政 | 0 | …).
        while len(cells) > n and _text_cell(cells[0]):
            cells.pop(0)
        values = list(filterfalse(_SPAN, cells))  # (in C: every row)
        found = fits(cells, n)
        if key.key == "other" and template == "2021" and all(blank(c) for c in cells):
            continue  # the 2021 form's （六） group heading on a row of its own
        entries.append(_Entry(row, key, found[0] if len(found) == 1 else cells, values=values,
                              counted=cells, fits=found, norm=row.norms[j]))
    return entries


_KEYS = T.by_key(T.APPLICATION_ROWS)
_BARE_OTHER = frozenset({"其他", "(六)其他"})  # (as splitting._application_key reads them)
_BARE_TOTAL = frozenset({"总计", "合计"})
_OUTCOME_GROUPS = frozenset({"outcomes", "denied", "unavailable", "not_processed",
                             "other_handling"})
_NUMBER_WORDS = re.compile(r"(?<!\S)\d+(?!\S)")
_LONG_DIGITS = re.compile(r"\d{3,}")


def _holds_numbers(text: str, norm: str) -> bool:
    """Whether a label cell holds numbers of a row (three standing alone, or a run of three
    digits or more after its first characters: 申请 0 0 1 0 1 0 2 3. 其他, 申请00101023.其他):
    labels and numbers run together, no label of the form."""
    return len(_NUMBER_WORDS.findall(text)) >= 3 or _LONG_DIGITS.search(norm, 2) is not None
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _own_label(norm: str) -> bool:
    """Whether a normalized cell reads as a row's label: numbered (3.其它) or four Chinese
    characters or more; not a placeholder (—, 无, 暂无) nor a note."""
    return bool(norm) and (LABEL_NUMBER.match(norm) is not None or len(_HAN.findall(norm)) >= 4)


def _six(row: Row) -> bool:
    """Whether the row holds （六）其他处理's cell (the group's, or the 2019 form's row)."""
    return any(k is not None and k.key == "other_handling"
               for k in T.APPLICATION_GROUPS.lookup_all(row.norms)) \
        or any(x and _KEYS["other"].matches(x) for x in row.norms)


def _refuse_bare_labels(entries: list[_Entry]) -> None:
    """Take back the keys that a bare label gives where the row stands refuses them:
    - 总计 or 合计 alone with rows of the outcomes, or another total, after it before 四、结转
      or 一、本年新收 (in its table, split over pages or not): a group's subtotal (after （三）8., the sum of 1.–8.; after （六）3.),
      not （七）总计, which follows them all (a 合计 after 四、结转 is no subtotal);
    - 其他 alone, not under （六）其他处理: an extra item of another group, not （六）3.其他
      (nor, in a report on the 2019 form, its single （六） row). Under （六） means the row or
      one of the rows up to the last labelled one holds （六）'s cell, or that labelled row is
      one of （六）'s items (of （五）'s, for the 2019 form's single row, which follows them)."""
    for i, entry in enumerate(entries):
        key = entry.key
        if key is None or entry.norm not in _BARE_TOTAL | _BARE_OTHER:
            continue
        if key.key == "total":
            after = []  # the rows after it, up to 四、结转 or 一、本年新收 (its table's end;
            for e in entries[i + 1:]:  # a table split over pages goes on in the next grid)
                if e.key is not None and e.key.key in ("carried_forward", "new_received"):
                    break
                after.append(e)
            if any(e.key is not None and (e.key.key == "total" or e.key.group in _OUTCOME_GROUPS)
                   for e in after):
                entry.refused = (f"a {entry.norm} row with rows of the outcomes or （七）总计 "
                                 "after it: a group's subtotal, not （七）总计")
        elif key.key in ("other_other", "other"):
            before = None
            under = _six(entry.row)
            for e in reversed(entries[:i]):
                under = under or _six(e.row)
                if e.key is not None:
                    before = e.key
                    break
            group = "other_handling" if key.key == "other_other" else "not_processed"
            if not under and (before is None or before.group != group):
                entry.refused = (f"a {entry.norm} row outside （六）其他处理 (after "
                                 f"{before.label_zh if before else 'no row'}): not "
                                 f"{key.label_zh}")
        if entry.refused:
            entry.label, entry.own, entry.key = entry.norm, entry.norm, None


def _label_only(entry: _Entry) -> bool:
    return entry.key is not None and all(blank(c) for c in entry.counted)


def _labels_above(entries: list[_Entry], ended: bool) -> list[_Entry]:
    """A row whose label stands alone, its cells all blank, right above a row of numbers with
    no label of its own, or with the rest of that label (its form's label ends so: 2.申请人…
    缴纳费用、 / 行政机关不再处理其政府信息公开申请): the numbers are that label's. The two are
    one entry, noted ``below``. Not in a run of such labels, or above a run of such numbers
    (labels apart from their numbers, which ``_place_unlabelled`` may place). ``ended``: only the
    rows whose label is the end of the one above (before the form's order is asked), or only
    those with no label (after it)."""
    out: list[_Entry] = []
    for k, entry in enumerate(entries):
        above = out[-1] if out else None
        if (above is not None and entry.key is None and not entry.refused
                and _label_only(above) and not above.below
                and entry.row.grid == above.row.grid and entry.row.index == above.row.index + 1
                and any(not blank(c) for c in entry.values)
                and _continues(above.key, entry.own) and bool(entry.own) == ended
                and not (len(out) >= 2 and _label_only(out[-2])
                         and out[-2].row.index == above.row.index - 1)
                and not (k + 1 < len(entries) and entries[k + 1].key is None
                         and not entries[k + 1].own
                         and entries[k + 1].row.index == entry.row.index + 1)):
            entry.key, entry.below = above.key, True
            out[-1] = entry
            continue
        out.append(entry)
    return out


def _label_ends_below(entries: list[_Entry]) -> list[_Entry]:
    """A row of numbers whose label matches no row of the form, right above a row holding no
    number and the end of a form's label, where the two labels make that label (a row broken
    over a page or over two lines of a table without rules: 2.申请人逾期未 | 2 | 15 … on one
    page, 按收费通知要求缴纳费用、…申请 atop the next; （四）无法提供 2.没有现成信息 | 4 | 6 …
    above 需要另行制作): the numbers are that label's, one entry (``ends_below``). The first part
    may follow its group's label (（四）无法提供) and nothing else."""
    out: list[_Entry] = []
    k = 0
    while k < len(entries):
        entry = entries[k]
        nxt = entries[k + 1] if k + 1 < len(entries) else None
        if (nxt is not None and entry.key is None and not entry.refused and entry.own
                and _label_only(nxt) and _next_row(entry, nxt, entries)
                and any(not blank(c) for c in entry.values)
                and _label_split(nxt.key, entry.own, nxt.norm)):
            entry.key, entry.ends_below = nxt.key, True
            out.append(entry)
            k += 2
            continue
        out.append(entry)
        k += 1
    return out


def _next_row(entry: _Entry, nxt: _Entry, entries: list[_Entry]) -> bool:
    """Whether ``nxt`` is the row after ``entry``: in its grid, or the first of the next grid
    (the next page's) after the last of ``entry``'s."""
    if nxt.row.grid == entry.row.grid:
        return nxt.row.index == entry.row.index + 1
    return nxt.row.grid == entry.row.grid + 1 and not any(
        e is not entry and e.row.grid == entry.row.grid and e.row.index > entry.row.index
        or e is not nxt and e.row.grid == nxt.row.grid and e.row.index < nxt.row.index
        for e in entries)


def _label_split(key: T.Key, head: str, tail: str) -> bool:
    """Whether the form's label of ``key`` is ``head``'s end (after its group's label, if any)
    followed by ``tail``: 2.申请人逾期未 + 按收费通知要求…申请."""
    form, head, tail = (normalize_label(t) for t in (key.form_zh, head, tail))
    if not tail or not form.endswith(tail) or len(tail) == len(form):
        return False
    start = form[:len(form) - len(tail)]
    if len(start) < 2 or not head.endswith(start):
        return False
    group = head[:len(head) - len(start)]
    return not group or T.APPLICATION_GROUPS.lookup(group) is not None


def _kept(entries: list[_Entry], other_year: set[int] = frozenset()) -> dict[str, _Entry]:
    """For each key, its row that is kept when several have it: the first, unless it stands in
    a grid of fewer than ``TABLE_ROWS`` rows of the form and the other in the grid right after
    it (a line of prose or a small summary just above the table, read as a row: 其中予以公开
    6 件). Of two tables (the agency's own, then a county's sum), the first's rows are kept,
    blank ones too, however the first is split over pages; but a row in a grid captioned as
    another year's (``other_year``: 2022年度情况对比：) gives way to one in a grid that is not."""
    counts: dict[int, int] = {}
    for entry in entries:
        if entry.key is not None:
            counts[entry.row.grid] = counts.get(entry.row.grid, 0) + 1
    grids = list(counts)  # in the order the section shows them
    after = dict(zip(grids, grids[1:]))
    kept: dict[str, _Entry] = {}
    for entry in entries:
        if entry.key is None:
            continue
        have = kept.get(entry.key.key)
        if have is not None and (have.row.grid in other_year) != (entry.row.grid in other_year):
            if have.row.grid in other_year:  # last year's table, captioned so, gives way
                kept[entry.key.key] = entry
            continue
        if have is None or (counts[have.row.grid] < TABLE_ROWS
                            and after.get(have.row.grid) == entry.row.grid):
            kept[entry.key.key] = entry
    return kept


TABLE_ROWS = 4  # rows of the form in one grid: a table of the section, not a line or two


def _continues(key: T.Key, own: str) -> bool:
    """Whether a row's own label is none, or the end of the key's label as the form prints it."""
    if not own:
        return True
    own, form = normalize_label(own), normalize_label(key.form_zh)
    return own != form and form.endswith(own)


def _applicant_header(headed: list[Row]) -> dict[int, dict[str, Cell]]:
    """Per grid, the header cells that name an applicant column (自然人 … 其他, 总计), from the
    rows with header words (``_has_header_words``)."""
    found: dict[int, dict[str, Cell]] = {}
    for row in headed:
        for cell, norm in zip(row.cells, row.norms):
            if cell.span or not norm:
                continue
            if (key := lookup(T.APPLICANT_COLUMNS, norm)) is not None:
                found.setdefault(row.grid, {}).setdefault(key.key, cell)
    return found


def _overlapping(columns: list[Column]) -> bool:
    """Columns that share ground: a header that is not a header of distinct columns."""
    ordered = sorted(columns, key=lambda c: c.x0)
    return any(a.x1 > b.x0 for a, b in zip(ordered, ordered[1:]))


def _problems(placements: list) -> int:
    """How many cells the columns fail to account for: unplaced, merged over two columns."""
    count = 0
    for p in placements:
        count += len(p.unplaced) + sum(bool(clean_text(c.text)) for c, _ in p.merged) \
            + sum(len(c) for _, c in p.crowded)
    return count


def _unique(entry: _Entry) -> list[Cell] | None:
    """The row's seven cells when counting reads it one way only, no merged placeholder
    among them."""
    fits = entry.fits
    if len(fits) == 1 and len(fits[0]) == len(T.APPLICANT_KEYS) and not any(map(_SPAN, fits[0])):
        return fits[0]
    return None


def _agrees(entry: _Entry, placement: Placement, order: tuple[str, ...]) -> bool:
    """Whether a placement by position puts each of the row's seven counted cells in its own
    column (a blank where a blank was counted), counted in the table's column ``order``."""
    cells = _unique(entry)
    return cells is None or all(
        placement.cells[k] is c or (blank(placement.cells[k]) and blank(c))
        for k, c in zip(order, cells))


_UNSHAPED = object()


def _agrees_at(entry: _Entry, placed: tuple | Placement, order: tuple[str, ...]) -> bool:
    """``_agrees`` of a placement by index into the row's values (``placed_shape``), or of one
    as cells: the same answer as of the placement made into cells."""
    if isinstance(placed, Placement):
        return _agrees(entry, placed, order)
    cells = entry.unique
    if cells is None:
        return True
    at, values = placed[0], entry.values
    for k, c in zip(order, cells):
        i = at[k]
        p = None if i is None else values[i]
        if not (p is c or (blank(p) and blank(c))):
            return False
    return True


def _problems_at(entry: _Entry, placed: tuple | Placement) -> int:
    """``_problems`` of one row's placement, by index (``placed_shape``) or as cells."""
    if isinstance(placed, Placement):
        return _problems([placed])
    _, unplaced, merged, crowded = placed
    count = len(unplaced)
    if merged:
        values = entry.values
        count += sum(bool(clean_text(values[i].text)) for i, _ in merged)
    for _, idx in crowded:
        count += len(idx)
    return count


def _application_options(group: list[_Entry], header: dict[str, Cell] | None,
                         first_header: dict[str, Cell] | None,
                         order: tuple[str, ...]) -> Iterator[list[Column]]:
    """The columns a grid's rows may be placed under, in the order they are tried: its own
    header's, the table's first header's, then those of its rows that fill all seven columns,
    in the table's column ``order`` (worked out only when asked for)."""
    for cells in (header, first_header):
        if cells and has_geometry(list(cells.values())):
            yield [Column(k, c.x0, c.x1) for k, c in cells.items()]
    if full := columns_from_full_rows([e.values for e in group], order):
        yield full


def _align_applications(entries: list[_Entry], headed: list[Row], order: tuple[str, ...]) -> None:
    """Fit each row's cells to the applicant columns by position, where the reader gives
    positions: the columns of the grid's own header, of the table's first complete header (a
    table continued on the next page), or of the grid's rows that fill all seven columns;
    whichever accounts for every cell (the header first when both do). Columns that put a cell
    of a row that fills all seven columns anywhere but where counting puts it are not the
    table's (a grid whose columns are only cell indexes, with rows shifted by merged cells).
    ``headed``: the table's rows with header words (``_has_header_words``); ``order``: the
    table's order of the applicant columns (``_column_order``), in which counting reads."""
    keys = order
    headers = {g: h for g, h in _applicant_header(headed).items() if len(h) == len(keys)}
    first_header = next(iter(headers.values()), None)
    by_grid: dict[int, list[_Entry]] = {}
    for entry in entries:
        by_grid.setdefault(entry.row.grid, []).append(entry)
    for grid, group in by_grid.items():
        if not all(has_geometry(e.values) for e in group if e.values):
            continue
        # The rows counting reads one way with text in each of its seven cells (``blank`` of
        # each, in C: the cells of a reading are never None).
        full_rows = [e for e in group if (u := e.unique) and all(map(clean_text, map(_TEXT, u)))]
        # Each option's placements worked out once (a row's, when first asked for), by index
        # into the row's cells (``placed_shape``): they are checked against the full rows and
        # scored as such, and only the kept option's are made into cells (issue 17). Rows of
        # the same shape (extents and blanks) are placed alike (the memo of each option's
        # columns, ``shape_memo``).
        options: list[list[Column]] = []  # as tried, in order
        placed_by: list[dict[int, tuple | Placement]] = []
        shapes: list[dict] = []
        shape_by: dict[int, tuple | None] = {}  # a row's shape, the same under every option

        def placed(o: int, e: _Entry) -> tuple | Placement:
            """By index (``placed_shape``), or as cells (``place``) for a row in which one cell
            stands twice."""
            if (p := placed_by[o].get(id(e))) is None:
                if (shape := shape_by.get(id(e), _UNSHAPED)) is _UNSHAPED:
                    values = e.values
                    shape = shape_by[id(e)] = shape_of(values) \
                        if len({id(c) for c in values}) == len(values) else None
                p = placed_by[o][id(e)] = place(e.values, options[o]) if shape is None \
                    else placed_shape(shape, options[o], shapes[o])
            return p
        # The options in order, each kept if it has no overlapping columns and places the full
        # rows as counting does; the kept one with the fewest problems wins, the first on ties.
        # An option without any problem is that one: the options after it are not worked out
        # (the rows that fill all seven columns are not even asked for theirs; issue 17).
        best: tuple[int, int] | None = None  # (problems, option)
        for cols in _application_options(group, headers.get(grid), first_header, order):
            if len(options) == 1 and cols == options[0]:
                # The grid's own header is the table's first: the same columns, the same
                # placements and score, and ties go to the first: trying them twice changes
                # nothing.
                continue
            o = len(options)
            options.append(cols)
            placed_by.append({})
            shapes.append(shape_memo(cols))
            if _overlapping(cols) or not all(_agrees_at(e, placed(o, e), order)
                                             for e in full_rows):
                continue
            score = sum(_problems_at(e, placed(o, e)) for e in group)
            if best is None or score < best[0]:
                best = (score, o)
            if score == 0:
                break
        if best is None:
            continue
        problems, o = best
        placements = [p if isinstance(p := placed(o, e), Placement) else of_shape(p, e.values)
                      for e in group]
        # Counting fails a row that has not seven cells, whose seven hold a merged cell's
        # placeholder (a cell over two columns counted as a blank one), or that it reads in
        # several ways nothing chooses between.
        counted = sum(e.ambiguous or len(e.cells) != len(keys) or any(c.span for c in e.cells)
                      for e in group)
        if problems > counted:
            continue  # positions explain the rows worse than counting does: count
        for entry, placement in zip(group, placements):
            entry.placement = placement
            entry.cells = [placement.cells[k] for k in keys]
            entry.ambiguous = False


# --- rows that counting reads in several ways ----------------------------------------------

def _extent(cell: Cell, row: Row) -> tuple[float, float] | None:
    """Where a cell stands: its x0/x1 where the reader knows geometry, else its index among its
    row's cells (text in cells separated by tabs or pipes: the column it stands in on its line)."""
    if cell.x0 is not None and cell.x1 is not None:
        return cell.x0, cell.x1
    i = next((i for i, c in enumerate(row.cells) if c is cell), None)
    return None if i is None else (float(i), i + 1.0)


def _stretch(row: Row) -> tuple[int, int | None]:
    """Rows whose cells' positions compare: a whole grid where the reader gives geometry; else
    the rows of a grid with as many cells each (a row with fewer cells than its neighbours lost
    some, and its indexes say nothing of where the others stand: a ragged table)."""
    return (row.grid, None) if has_geometry(row.cells) else (row.grid, len(row.cells))


def _stretch_header(headed: list[Row]) -> tuple[dict[tuple, list[Column]], set[tuple],
                                                 list[tuple[str, ...]]]:
    """Per stretch, the applicant columns where its header names them, left to right, when the
    header names all seven, each in a column of its own, in one of the orders a table prints
    them (``COLUMN_ORDERS``; a header in cells merged over several columns, as Word exports it,
    gives none: its indexes are not the columns'); the stretches whose header's places are sure
    (the reader's geometry, or the seven in one row, whose indexes compare); and the orders of
    the headers that name all seven in columns of their own in no such order
    (``header_unrecognized``)."""
    found: dict[tuple, dict[str, tuple[float, float]]] = {}
    rows_of: dict[tuple, set[int]] = {}  # the header rows that named them, per stretch
    for row in headed:  # the rows with header words (``_has_header_words``)
        stretch = None  # the row's, worked out once
        for cell, norm in zip(row.cells, row.norms):
            if cell.span or not norm or (key := lookup(T.APPLICANT_COLUMNS, norm)) is None:
                continue
            if (extent := _extent(cell, row)) is not None:
                if stretch is None:
                    stretch = _stretch(row)
                if key.key not in found.setdefault(stretch, {}):
                    found[stretch][key.key] = extent
                    rows_of.setdefault(stretch, set()).add(id(row))
    out, sure, other = {}, set(), []
    for stretch, extents in found.items():
        if len(extents) != len(T.APPLICANT_KEYS):
            continue
        columns = sorted((Column(k, *extents[k]) for k in T.APPLICANT_KEYS), key=_X0)
        if all(a.x1 <= b.x0 for a, b in zip(columns, columns[1:])):
            if (order := tuple(c.key for c in columns)) in COLUMN_ORDERS:
                out[stretch] = columns
                if stretch[1] is None or len(rows_of[stretch]) == 1:
                    sure.add(stretch)
            else:
                other.append(order)
    return out, sure, other


_X0 = attrgetter("x0")

# The three blocks of the applicant columns as a header's text names them: 自然人, 法人或其他组织
# (or, without the group's label, the first of its five), 总计.
_BLOCK_WORDS = (("自然人",), ("法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构"),
                ("总计",))


# The orders a table may print the applicant columns in: the form's three blocks (自然人; the
# five columns of 法人或其他组织; 总计), each whole and in the form's order, in any order of the
# blocks (总计 first, 法人或其他组织 before 自然人). A header whose labels stand in any other
# order is not read as an order (its cells are not the table's columns).
_BLOCKS = (T.APPLICANT_KEYS[:1], T.APPLICANT_KEYS[1:6], T.APPLICANT_KEYS[6:])
COLUMN_ORDERS = frozenset(tuple(chain.from_iterable(p)) for p in permutations(_BLOCKS))


def _blocks_in_text(headed: list[Row]) -> list[tuple[str, ...]]:
    """The order of the applicant columns that the header rows' text names, where no header's
    cells name the seven with places of their own (Word-export text, whose merged header cells
    give no column; a crawled page's header run together): the three blocks (自然人, 法人或其他组织
    or its first column, 总计) in the order of the cells of one row that hold them (a tier of
    the header, as a row is written left to right), and the five of 法人或其他组织 in the order of
    the cells of a row holding them one each; in one cell run together (申请人情况总计自然人…,
    a crawled page's cells in their order) likewise. A text made from a page's lines might name
    法人或其他组织, printed a line higher, before 自然人 of a table in the form's order: with
    总计 last the sums cannot tell, and the rows are left blank rather than read in either
    order (a blank where a wrong number was stored). Such an order gives no column a place,
    so it is never read, only weighed against the form's (``_column_order``). Empty when the
    text names the form's order or none."""
    blocks = leaves = None
    legal = T.APPLICANT_KEYS[1:6]
    for row in headed:
        norms = row.norms
        at = [next((k for k, n in enumerate(norms) if n and any(w in n for w in words)), None)
              for words in _BLOCK_WORDS]
        if blocks is None and None not in at:
            if len(set(at)) == 3:  # in cells of their own
                blocks = tuple(block for _, block in sorted(zip(at, _BLOCKS)))
            elif len(set(at)) == 1:  # run together in one cell
                text = norms[at[0]]
                places = [min(i for i in map(text.find, words) if i >= 0) for words in _BLOCK_WORDS]
                blocks = tuple(block for _, block in sorted(zip(places, _BLOCKS)))
        if leaves is None:
            keys = {}
            for k, n in enumerate(norms):
                if n and (key := lookup(T.APPLICANT_COLUMNS, n)) is not None \
                        and key.key in legal and key.key not in keys:
                    keys[key.key] = k
            if len(keys) == len(legal) and len(set(keys.values())) == len(legal):
                leaves = tuple(sorted(legal, key=keys.get))
    if blocks is None and leaves is None:
        return []
    order = tuple(chain.from_iterable(leaves or legal if block == _BLOCKS[1] else block
                                      for block in blocks or _BLOCKS))
    return [] if order == T.APPLICANT_KEYS else [order]


def _totals_held(order: tuple[str, ...], rows: list[list[int]]) -> int:
    """How many of the rows (seven numbers each, as printed) add up, read in ``order``: the
    six applicants' numbers to the 总计's."""
    total = order.index("total")
    return sum(2 * row[total] == sum(row) for row in rows)


def _column_order(headers: dict[tuple, list[Column]], sure: set[tuple],
                  entries: list[_Entry], out_of_blocks: list[tuple[str, ...]],
                  in_text: list[tuple[str, ...]]) -> tuple[str, tuple[str, ...]]:
    """The order the table prints the seven applicant columns in, left to right, and why
    (``"form"``, ``"header"``, ``"sums"`` when the numbers refuted the header's, or ``"unsure"``
    when nothing tells): the order its headers name (``_stretch_header``), when every one of
    them names the same, and the rows whose seven cells are numbers add up in it at least as
    often as in the form's order; a header whose places are not sure (index-only text whose
    header rows were put together, a ragged table) also needs a row that adds up in its order
    and not in the form's. A header naming another order (any order, in the form's blocks or
    not, or headers naming several) gives way to the form's order only where the rows add up in
    the form's order more often than in each order named: else the rows are not read
    (``"unsure"``: a header contradicted is not overruled by a guess). An order a header's text
    names without places (``_blocks_in_text``) is weighed by the sums alone: with 总计 first, by
    the rows that add up in one order and not the other (no row is read where some add up in
    the text's order only, as many as in the form's or more); with 总计 last, where no sum can
    tell, no row is read unless the rows read alike in any order (0 0 0 0 0 0 0). Counting reads
    a row's cells in the order returned."""
    form = T.APPLICANT_KEYS
    orders = {tuple(c.key for c in columns) for columns in headers.values()}
    others = (orders | set(out_of_blocks)) - {form}
    if not in_text and (not others or form in orders):
        if len(orders) == 1 or not others:
            return "form", form
    rows = []
    for entry in entries:
        if (cells := entry.unique) is not None:
            values = [parse_count(c.text).value for c in cells]
            if None not in values and all(isinstance(v, int) for v in values):
                rows.append(values)
    held_form = _totals_held(form, rows)
    for o in in_text:
        if o[-1] == "total":  # 总计 last in both: no sum tells them apart
            if any(len(set(r)) > 1 for r in rows):  # (0 0 0 0 0 0 0 reads alike in any order)
                return "unsure", form
            continue
        # Only a row that adds up in one order and not the other tells (5 0 0 0 0 0 5, one
        # applicant's, adds up in both; a row with an error in neither)
        only_o = sum(_totals_held(o, [r]) > _totals_held(form, [r]) for r in rows)
        only_form = sum(_totals_held(form, [r]) > _totals_held(o, [r]) for r in rows)
        if only_o and only_o >= only_form:
            return "unsure", form
    if not others or (form in orders and len(orders) == 1):
        return "form", form
    if len(orders) == 1 and not out_of_blocks:
        order = next(iter(orders))
        held = _totals_held(order, rows)
        if held > held_form or (held == held_form and sure & set(headers)):
            return "header", order
    if all(_totals_held(o, rows) < held_form for o in others):
        return "sums", form
    return "unsure", form


def _padding_sides(entry: _Entry, cells: list[Cell]) -> set[str]:
    """Where counting dropped padding from the row to leave its seven cells: left, right
    (a merged cell's placeholders aside)."""
    first = next(i for i, c in enumerate(entry.counted) if c is cells[0])
    left, right = entry.counted[:first], entry.counted[first + len(cells):]
    return {side for side, dropped in (("left", left), ("right", right))
            if any(not c.span for c in dropped)}


def _resolve_counts(entries: list[_Entry], headers: dict[tuple, list[Column]]) -> None:
    """Choose how to read a row that counting reads in several ways, from the table itself,
    or not at all (``ambiguous``: NULL with its text and an issue, never a guess):

    - where the stretch's header names the seven columns each at its own position, the way
      whose cells stand under them, if every row that counting reads one way stands there too
      (PDF-copy text: ``二、上年结转 | | 5 | 0 | 0 | 0 | 0 | 0 | | |`` under 自然人 at the third
      cell); if a row stands elsewhere (rows shifted by the merged cells they lost), none;
    - without such a header, the way that drops padding on the side where every other row of
      the stretch has it (a ragged table padded at the end), if there is one side only.

    ``headers``: the columns each stretch's header names (``_stretch_header``).
    """
    stretches: dict[tuple, list[_Entry]] = {}
    for entry in entries:
        stretches.setdefault(_stretch(entry.row), []).append(entry)
    for stretch, group in stretches.items():
        _refuse_counting_in_wider_rows(group, headers.get(stretch))
        open_ = [e for e in group if len(e.fits) > 1 and not e.ambiguous]
        if not open_:
            continue
        witnesses = [(e, u) for e in group if (u := e.unique)]
        columns = headers.get(stretch)
        sides: set[str] = set()
        for e, u in witnesses:
            sides |= _padding_sides(e, u)
        for entry in open_:
            chosen = None
            if columns is not None:
                if witnesses and all(stands_at([_extent(c, e.row) for c in u], columns)
                                     for e, u in witnesses):
                    there = [f for f in entry.fits
                             if stands_at([_extent(c, entry.row) for c in f], columns)]
                    chosen = there[0] if len(there) == 1 else None
            elif sides == {"right"}:
                chosen = entry.fits[0]
            elif sides == {"left"}:
                chosen = entry.fits[-1]
            if chosen is None:
                entry.ambiguous = True
            else:
                entry.cells = chosen


def _numbers_span(entry: _Entry) -> int:
    """How many cells a row's numbers stand over, from its first to its last (looked for from
    each end, not through every cell: asked of every row; issue 17)."""
    counted = entry.counted
    first = next((i for i, c in enumerate(counted)
                  if not c.span and numberish(clean_text(c.text))), None)
    if first is None:
        return 0
    last = next(i for i in range(len(counted) - 1, first - 1, -1)
                if not counted[i].span and numberish(clean_text(counted[i].text)))
    return last - first + 1


def _refuse_counting_in_wider_rows(group: list[_Entry], columns: list[Column] | None) -> None:
    """A stretch with a row whose numbers stand over more cells than the form has columns (an
    empty spacer column between 科研机构 and 社会公益组织, a column the form does not have): there,
    counting that drops blank cells at a row's edges may drop a cell of the row and keep the
    spacer (``| | 5 | 0 | 0 | | 0 | 0 | 0 | |`` with 总计 blank reads as 总计 0). Such a row is read
    only where the header's columns place its cells (text in tabs: the header names the seven
    each at its own position and the cells stand there), else not at all."""
    n = len(T.APPLICANT_KEYS)
    # (Numbers cannot stand over more cells than a row counts: only longer rows are looked at.)
    if not any(len(e.counted) > n and _numbers_span(e) > n for e in group):
        return
    for entry in group:
        if len(entry.counted) <= n or not any(len(f) == n for f in entry.fits):
            continue  # counting dropped nothing
        there = [f for f in entry.fits if columns is not None
                 and stands_at([_extent(c, entry.row) for c in f], columns)]
        if len(there) == 1:
            entry.cells = there[0]
        else:
            entry.ambiguous = entry.wider = True


def _place_unlabelled(entries: list[_Entry], template: str, n: int) -> None:
    """Give rows whose label went astray (PDF-to-markdown output) the keys the form has between
    their labelled neighbours, when there are exactly as many such keys as rows."""
    if all(e.key is not None for e in entries):
        return  # every row has its label (most tables)
    order = [k.key for k in T.application_rows_for(template)]
    position = {k: i for i, k in enumerate(order)}
    labelled = {e.key.key for e in entries if e.key is not None}
    keys = T.by_key(T.APPLICATION_ROWS)
    i = 0
    while i < len(entries):
        if entries[i].key is not None:
            i += 1
            continue
        j = i
        while j < len(entries) and entries[j].key is None:
            j += 1
        before = next((e.key.key for e in reversed(entries[:i]) if e.key is not None), None)
        low = position.get(before, -1) if before else -1
        high = position.get(entries[j].key.key, len(order)) if j < len(entries) else len(order)
        free = [k for k in order[low + 1:high] if k not in labelled]
        gap = entries[i:j]
        if low < high and len(free) == len(gap) and all(len(e.cells) == n for e in gap) \
                and not any(_renumbered(e, keys[k]) for e, k in zip(gap, free)):
            for entry, key in zip(gap, free):
                entry.key, entry.inferred = keys[key], True
        i = j


def _renumbered(entry: _Entry, key: T.Key) -> bool:
    """Whether the row's own label numbers itself (二、, （三）, 8.; its group's cell aside) and
    never with the numeral the form prints for the key, whatever the punctuation (2、 is 2.):
    the row is not that key's, whatever its place (rows printed in another order)."""
    own = normalize_label(entry.own)
    if T.APPLICATION_GROUPS.lookup(own) is not None or _KEYS["other"].matches(own):
        return False  # the row's label is its group's alone: the group's number is not the row's
    mine = label_numbers(own)
    form = LABEL_NUMBER.match(normalize_label(key.form_zh))
    return bool(mine) and form is not None and label_numbers(form.group()).isdisjoint(mine)


def _ambiguous_issue(entry: _Entry, key: T.Key, order: tuple[str, ...]) -> Issue:
    """Why a row counting reads in several ways is not read: its first number could stand under
    two (or more) columns."""
    cells, first = entry.counted, next((c for c in entry.counted if not blank(c)), None)
    under = []
    for fit in entry.fits:
        k = next((k for k, c in zip(order, fit) if c is first), None)
        if k is not None and k not in under:
            under.append(k)
    under = [k for k in T.APPLICANT_KEYS if k in under]
    where = (f"its first number {clean_text(first.text)!r} stands under {' or '.join(under)}"
             if first is not None and len(under) > 1 else f"it reads {len(entry.fits)} ways")
    if entry.wider:
        return Issue(
            "cell_count_mismatch",
            f"{len(cells)} cells after the label {key.label_zh}, the form has "
            f"{len(T.APPLICANT_KEYS)}, in a table whose rows fill more cells than the form has "
            "columns (a spacer or extra column): which of this row's cells is which column the "
            "text does not say: values left blank rather than guessed",
            APPLICATIONS, key.key, raw=" | ".join(c.text for c in cells), line=entry.row.line)
    return Issue(
        "cell_count_mismatch",
        f"{len(cells)} cells after the label {key.label_zh}, the form has "
        f"{len(T.APPLICANT_KEYS)}, with blank cells at both ends: the text does not say which "
        f"blanks are the row's and which are padding ({where}): values left blank rather than "
        "guessed", APPLICATIONS, key.key, raw=" | ".join(c.text for c in cells), line=entry.row.line)


# Why a header's order of the applicant columns is not read (``header_unrecognized``).
_OUT_OF_BLOCKS = "which splits 法人或其他组织 or puts its columns out of their order"
_REFUTED = ("which the rows' sums do not bear out (they add up in the form's order as often or "
            "more)")
_DISAGREES = "and another header of the table names another"
_IN_TEXT = "in text that gives none of them a place of its own"
_UNSURE = ("which the rows' sums cannot tell from the form's order (they add up as often in "
           "both) and the header's places are not sure")


def _order_issues(order: tuple[str, ...], unread: list[tuple[tuple[str, ...], str]],
                  headed: list[Row], unsure: bool) -> list[Issue]:
    """``columns_reordered`` for a table read in another order than the form's, and
    ``header_unrecognized`` for each header order not read, with why (the rows are then read
    in ``order`` where the sums bear it out, else not at all: ``unsure``)."""
    labels = T.by_key(T.APPLICANT_COLUMNS)

    def named(keys):
        return "、".join(labels[k].label_zh for k in keys)

    line = headed[0].line if headed else None
    out = [Issue("header_unrecognized",
                 f"the header of section 三 names the applicant columns in the order {named(o)}, "
                 f"{why}: not taken as the columns' order; " + (
                     "the rows' numbers are left blank rather than read in either order"
                     if unsure else f"the rows are read in the order {named(order)}"),
                 APPLICATIONS, line=line) for o, why in dict.fromkeys(unread)]
    if order != T.APPLICANT_KEYS:
        out.append(Issue(
            "columns_reordered",
            f"the applicant columns stand in the order {named(order)}, not the form's "
            f"({named(T.APPLICANT_KEYS)}): each number is read under the column its header "
            "names", APPLICATIONS, line=line))
    return out


def map_applications(rows: list[Row], template: str | None,
                     other_year: set[int] = frozenset()) -> tuple[list[CellValue], list[Issue]]:
    values: list[CellValue] = []
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    n = len(T.APPLICANT_KEYS)
    headed = [row for row in rows if _has_header_words(row)]  # searched once per row
    entries = _application_entries(rows, template, n, {id(row) for row in headed})
    headers, sure, out_of_blocks = _stretch_header(headed)
    named = {tuple(c.key for c in cols) for cols in headers.values()}
    # (asked only where no header's cells name the seven, one each)
    in_text = [] if headers or out_of_blocks else _blocks_in_text(headed)
    why, order = _column_order(headers, sure, entries, out_of_blocks, in_text)
    unsure = why == "unsure"  # a header's order that nothing confirms or refutes: rows not read
    # The header orders not read, each with why (a header of them places nothing)
    refuted = "" if why != "sums" else ", and " + _REFUTED
    unread = [(o, _OUT_OF_BLOCKS + refuted) for o in out_of_blocks]
    unread += [(o, _IN_TEXT + (", and the rows add up in it" if unsure else
                               ", which the rows' sums do not bear out")) for o in in_text]
    unread += [(o, _REFUTED if why == "sums" else _UNSURE if unsure and len(named) == 1
                else _DISAGREES) for o in sorted(named) if o != order]
    headers = {s: cols for s, cols in headers.items() if tuple(c.key for c in cols) == order}
    if entries:
        issues.extend(_order_issues(order, unread, headed, unsure))
    _resolve_counts(entries, headers)
    _align_applications(entries, headed, order)
    _refuse_bare_labels(entries)
    if any(e.key is None for e in entries):  # (a label broken over rows: most tables have none)
        entries = _label_ends_below(entries)
    entries = _labels_above(entries, ended=True)  # a label's end on its numbers' row: surely its
    if template:  # then the form's order; a label alone above numbers with no label of their
        _place_unlabelled([e for e in entries if not e.refused], template, n)  # own where
    entries = _labels_above(entries, ended=False)  # the order places none
    kept = _kept(entries, other_year)
    for entry in entries:
        row, key, cells = entry.row, entry.key, entry.cells
        if key is None:
            why = f" ({entry.refused})" if entry.refused else ""
            numbers = " | ".join(c.text for c in entry.values if not blank(c))
            issues.append(Issue("unknown_row", f"numbers under an unknown label {entry.label!r}"
                                f"{why}: {numbers}", APPLICATIONS, raw=entry.label or None,
                                line=row.line))
            continue
        if kept[key.key] is not entry:
            issues.append(Issue("duplicate_row", f"row {key.label_zh} appears again; the row on "
                                f"line {kept[key.key].row.line} is kept", APPLICATIONS, key.key,
                                raw=" | ".join(c.text for c in entry.values if not blank(c)),
                                line=row.line))
            continue
        seen[key.key] = row.line
        if entry.below:
            issues.append(Issue(
                "row_inferred", f"numbers on the row below the label {key.label_zh}, which stands "
                "alone on its row with no number: placed as that label's",
                APPLICATIONS, key.key, raw=" | ".join(c.text for c in cells if c is not None),
                line=row.line))
        if entry.ends_below:
            issues.append(Issue(
                "row_inferred", f"numbers beside the start of the label {key.label_zh}, whose end "
                "stands alone on the row below (a row broken over a page or a line): placed as "
                "that label's", APPLICATIONS, key.key,
                raw=" | ".join(c.text for c in cells if c is not None), line=row.line))
        if entry.inferred:
            seen_label = f" (the label beside it reads {entry.label!r})" if entry.label else ""
            issues.append(Issue(
                "row_inferred",
                f"numbers without their label{seen_label} placed as {key.label_zh} by the form's "
                "row order, between the labelled rows around them",
                APPLICATIONS, key.key, raw=" | ".join(c.text for c in cells if c is not None),
                line=row.line))
        if template and template not in key.templates:
            # Stored as printed, under the key of the form it belongs to (a single （六）其他处理
            # row in a 2021 report is `other`), never moved into the report's own form.
            issues.append(Issue("template_mixed",
                                f"row {key.label_zh} of the {key.templates[0]} form in a report of "
                                f"the {template} form: stored as printed, under {key.key}",
                                APPLICATIONS, key.key, line=row.line))
        if unsure:  # the header's order and the form's both unproven (header_unrecognized)
            values.extend(unread_row(APPLICATIONS, key.key, T.APPLICANT_KEYS, cells, row))
            issues.append(Issue(
                "header_unrecognized", f"row {key.label_zh}: not read, the order of the "
                "applicant columns being unsure (the header's issue above)", APPLICATIONS,
                key.key, raw=" | ".join(c.text for c in cells if c is not None), line=row.line))
            continue
        if entry.placement is not None:
            issues.extend(placement_issues(entry.placement, APPLICATIONS, key, row))
        elif entry.ambiguous:
            values.extend(unread_row(APPLICATIONS, key.key, T.APPLICANT_KEYS, cells, row))
            issues.append(_ambiguous_issue(entry, key, order))
            continue
        elif len(cells) != n:
            values.extend(unread_row(APPLICATIONS, key.key, T.APPLICANT_KEYS, cells, row))
            if not any(c.joined for c in cells):  # a run that could not be cut is reported
                issues.append(Issue(                # by loaders/mapping/splitting.py already
                    "cell_count_mismatch",
                    f"{len(cells)} cells after the label {key.label_zh}, the form has {n}: "
                    "values left blank rather than guessed",
                    APPLICATIONS, key.key, raw=" | ".join(c.text for c in cells), line=row.line))
            continue
        merged = unread_columns(entry.placement)
        positions = cell_positions(row)
        row_key = key.key
        several = None  # a cell of the row holding several numbers (10 50)
        for column, cell in zip(order, cells):
            if merged and column in merged:  # seen, not placed: NULL with its text (issue
                values.append(value_at(APPLICATIONS, row_key, column,  # cells_merged)
                                       merged[column], UNREAD, row, positions))
                continue
            parsed = parse_count(None if cell is None else cell.text)
            v = value_at(APPLICATIONS, row_key, column, cell, parsed, row, positions)
            values.append(v)
            if parsed.issue is not None and (issue := value_issue(v, parsed)):
                issues.append(issue)
                if parsed.issue == AMBIGUOUS:
                    several = cell
        if several is not None:
            # A column where no cell stands, in a row with a cell of several numbers: one of
            # them may be this column's (pdftotext's 10 50 one blank apart, the 50 under 总计).
            for column, cell in zip(order, cells):
                if cell is None and not (merged and column in merged):
                    issues.append(Issue(
                        "missing_cell", f"{key.label_zh} has no cell under {column}, while "
                        f"another of its cells holds several numbers ({several.text!r}): one "
                        "of them may be this column's", APPLICATIONS, row_key, column,
                        raw=several.text, line=row.line))
    if not seen:
        issues.append(Issue("missing_table", "the application table (section 三) was not found",
                            APPLICATIONS))
    elif template:
        for key in T.application_rows_for(template):
            if key.key not in seen:
                issues.append(Issue("missing_row", f"row {key.label_zh} not found", APPLICATIONS,
                                    key.key))
    return values, issues
