"""The second round of shortcuts in the work after the reader (issue 17), each against the code
it replaced, kept here as the reference: a shortcut that drifted from it would change what a
report is read as or what is stored of it, without a golden file to notice where no sample has
the case."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings, strategies as st

from loaders.checks import stored
from loaders.extract import cues as C
from loaders.form import template as T
from loaders.form.keys import normalize_label, normalize_labels
from loaders.mapping import align, applications as A
from loaders.mapping.align import Column, Placement, place, shape_of
from loaders.mapping.cells import blank, numberish
from loaders.model import Cell, Row


# --- normalize_labels, numberish -------------------------------------------------------------

_LABEL_CHARS = "一、（）(六)1.0 \u00a0\u3000\n“”申请人１２ab⼀\uf900"


@settings(max_examples=300)
@given(st.lists(st.text(alphabet=st.sampled_from(_LABEL_CHARS), max_size=90), max_size=12))
def test_normalize_labels_is_normalize_label_of_each(texts):
    assert normalize_labels(texts) == [normalize_label(t) for t in texts]
    assert normalize_labels(texts) == [normalize_label(t) for t in texts]  # from the memo


# --- signature_cue ---------------------------------------------------------------------------

def _signature_cue_before(tail_text: str):
    """``signature_cue`` as it was: every match over the whole text, the last one kept."""
    text = C.flat(tail_text)[-600:]
    found = None
    for m in C._SIGNATURE.finditer(text):
        if m.group("after") != "印发" and C.looks_like_agency(m.group("agency")):
            found = m
    if found is None:
        return None
    iso, real = C.calendar_date(*C.DATE_IN_TEXT.match(found.group("date")).groups())
    return C.Cue("signature", found.group(0), C.norm(found.group("agency")), date=iso,
                 bad_date=None if iso or real else found.group("date"))


_PIECES = ["平潭综合实验区财政金融局", "某某县人民政府办公室", "局", "2026年1月14日", "二〇二一年一月十四日",
           "2021年2月30日", "印发", "抄送", "，", "。", " ", "  ", "\n", "(", ")", "特此报告", "ab",
           "2022", "年", "月", "日", "一", "〇", "：", "1", "报告"]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_signature_cue_from_the_end_is_the_last_of_all_matches(pieces):
    text = "".join(pieces)
    assert C.signature_cue(text) == _signature_cue_before(text)


def test_signature_cue_on_long_tails():
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(50, 400)))
        assert C.signature_cue(text) == _signature_cue_before(text)


# --- compact ---------------------------------------------------------------------------------

_RULES = ["blank_cells", "row_total", "accounting_identity", "outcome_total", "prose_vs_table",
          "carry_over_continuity", "roll_forward", "missing_parts", "review_totals"]


def _failure_rows(rng: random.Random, n: int) -> list[dict]:
    rows = []
    for _ in range(n):
        table = rng.choice(list(stored.BLANK_COLUMNS) + [None])
        columns = stored.BLANK_COLUMNS.get(table, T.APPLICANT_KEYS)
        cols = rng.sample(columns, rng.randint(1, 3))
        row_key = rng.choice([k.key for k in T.APPLICATION_ROWS][:5]
                             + [k.key for k in T.DISCLOSURE_ITEMS][:3] + ["review_litigation"])
        number = rng.choice([0, 1, 5, 1.0, 0.0, -0.0, 2.5, True, None, "3", "blank"])
        rows.append({
            "report_id": f"r{rng.randint(0, 3)}", "rule": rng.choice(_RULES),
            "severity": rng.choice(["error", "warning"]), "table_name": table,
            "row_key": row_key, "column_key": rng.choice([",".join(cols), cols[0], None]),
            "expected": rng.choice(["a number", "1", number, None]),
            "actual": rng.choice([f"{len(cols)} blank", "2", number, None]),
            "message": rng.choice([None, "m", f"{len(cols)} blank cells in x: {','.join(cols)}"]),
            "message_zh": rng.choice([None, "z"]), "cells": rng.choice([None, "a/b"]),
            "params": rng.choice([None, "[1,2,3,4]", "[\"收到申请75件\"]", "[5]", "[1.5,2,3]"]),
            "agency": "某局", "year": rng.choice([2021, 2022, None, 2021.0]),
            "template": rng.choice(["2019", "2021", None]), "province": None, "city": None})
    return rows


def test_compact_remembered_is_compact_worked_out():
    """``compact`` through its memo gives every row as ``_compact`` (the former ``compact``),
    key order included, whatever the rows asked before (1, 1.0, True and -0.0 among them)."""
    rng = random.Random(3)
    rows = _failure_rows(rng, 4000)
    # Real failures too: every rule's message as the rule writes it
    for table, columns in stored.BLANK_COLUMNS.items():
        from loaders.checks.reading import _blank_failure
        f = _blank_failure(table, "regulations", "规章", list(columns[:2]))
        rows.append({"report_id": "x", "rule": f.rule, "severity": f.severity,
                     "table_name": f.table, "row_key": f.row_key, "column_key": f.column_key,
                     "expected": f.expected, "actual": f.actual, "message": f.message,
                     "message_zh": f.message_zh, "cells": ",".join(f"{r}/{c}" for r, c in f.cells),
                     "params": None, "agency": None, "year": 2022, "template": "2021",
                     "province": None, "city": None})
    for row in rows + rows:
        got, want = stored.compact(dict(row)), stored._compact(dict(row))
        assert list(got.items()) == list(want.items())
        assert [type(v) for v in got.values()] == [type(v) for v in want.values()]


def test_compact_of_a_row_without_every_field_is_worked_out():
    row = {"rule": "missing_parts", "severity": "warning", "table_name": None, "row_key": None,
           "column_key": None, "message": "m"}
    assert stored.compact(dict(row)) == stored._compact(dict(row))


# --- placements by index, their memo per set of columns, section 三's alignment --------------

def _random_row(rng: random.Random, layout: list[tuple[float, float]]) -> list[Cell]:
    texts = ["", " ", "0", "1", "23", "\u200b"] if rng.random() < 0.5 else ["0", "1", "5"]
    return [Cell(rng.choice(texts), 1, x0=x0, x1=x1) for x0, x1 in layout]


def _layouts(rng: random.Random) -> list[list[tuple[float, float]]]:
    edges = [0.0, 1.0, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    out = []
    for _ in range(rng.randint(1, 3)):
        n = rng.choice([6, 7, 7, 7, 8, 9])
        out.append([tuple(sorted(rng.sample(edges, 2))) for _ in range(n)])
    out.append([(float(i), i + 1.0) for i in range(7)])
    return out


def _columns(rng: random.Random) -> list[Column]:
    width = rng.choice([1.0, 1.0, 1.5])
    start = rng.choice([0.0, 0.5, 1.0])
    return [Column(k, start + i * width, start + (i + 1) * width)
            for i, k in enumerate(T.APPLICANT_KEYS)]


def test_a_placement_by_index_is_the_placement_cell_by_cell():
    rng = random.Random(11)
    for _ in range(3000):
        columns = _columns(rng)
        cells = _random_row(rng, rng.choice(_layouts(rng)))
        by_index = align.of_shape(align.placed_shape(shape_of(cells), columns,
                                                     align.shape_memo(columns)), cells)
        assert by_index == align._place_cells(cells, columns)


def _align_applications_before(entries, headed) -> None:
    """``_align_applications`` as it was: every option's placements made into cells, scored
    with ``_problems``, a memo per option and per grid."""
    keys = T.APPLICANT_KEYS
    headers = {g: h for g, h in A._applicant_header(headed).items() if len(h) == len(keys)}
    first_header = next(iter(headers.values()), None)
    by_grid = {}
    for entry in entries:
        by_grid.setdefault(entry.row.grid, []).append(entry)
    for grid, group in by_grid.items():
        if not all(align.has_geometry(e.values) for e in group if e.values):
            continue
        options = []
        for header in (headers.get(grid), first_header):
            if header and align.has_geometry(list(header.values())):
                options.append([Column(k, c.x0, c.x1) for k, c in header.items()])
        if full := align.columns_from_full_rows([e.values for e in group], keys):
            options.append(full)
        if len(options) > 1 and options[1] == options[0]:
            del options[1]
        full_rows = [e for e in group if (u := A._unique(e)) and not any(blank(c) for c in u)]
        placed_by = [{} for _ in options]
        shapes = [{} for _ in options]

        def placed(o, e):
            if (p := placed_by[o].get(id(e))) is None:
                p = placed_by[o][id(e)] = place(e.values, options[o], shapes[o])
            return p
        kept = [o for o, cols in enumerate(options) if not A._overlapping(cols)
                and all(A._agrees(e, placed(o, e), keys) for e in full_rows)]
        if not kept:
            continue
        scored = [(A._problems(ps), ps) for ps in ([placed(o, e) for e in group] for o in kept)]
        problems, placements = min(scored, key=lambda s: s[0])
        counted = sum(e.ambiguous or len(e.cells) != len(keys) or any(c.span for c in e.cells)
                      for e in group)
        if problems > counted:
            continue
        for entry, placement in zip(group, placements):
            entry.placement = placement
            entry.cells = [placement.cells[k] for k in keys]
            entry.ambiguous = False


def _random_table(rng: random.Random) -> list[Row]:
    """A section 三 of a few grids: a header naming the applicant columns (sometimes), rows of
    the form with cells of a few layouts, blank, padded, a cell standing twice now and then."""
    rows = []
    labels = [k for k in T.APPLICATION_ROWS][:12]
    for grid in range(rng.randint(1, 3)):
        layouts = _layouts(rng)
        r = 0
        if rng.random() < 0.7:
            columns = _columns(rng)
            header = [Cell("申请人情况", 0, x0=-3.0, x1=0.0)] + [
                Cell(k.label_zh, 0, x0=c.x0, x1=c.x1)
                for k, c in zip(T.APPLICANT_COLUMNS, columns)]
            rows.append(Row("applications", grid, r, header,
                            normalize_labels([c.text for c in header])))
            r += 1
        for key in rng.sample(labels, rng.randint(3, len(labels))):
            layout = layouts[-1] if rng.random() < 0.7 else rng.choice(layouts)
            cells = [Cell(key.label_zh, r, x0=-3.0, x1=0.0)] + _random_row(rng, layout)
            if rng.random() < 0.05 and len(cells) > 2:
                cells[-1] = cells[-2]  # one cell standing twice
            if rng.random() < 0.1:
                cells[rng.randrange(1, len(cells))].span = True
            rows.append(Row("applications", grid, r, cells,
                            normalize_labels([c.text for c in cells])))
            r += 1
    return rows


def _outcome(entries) -> list:
    return [(e.key.key if e.key else None, [id(c) for c in e.cells], e.ambiguous,
             None if e.placement is None else (
                 {k: id(c) if c is not None else None for k, c in e.placement.cells.items()},
                 [id(c) for c in e.placement.unplaced],
                 [(id(c), ks) for c, ks in e.placement.merged],
                 [(k, [id(c) for c in cs]) for k, cs in e.placement.crowded]))
            for e in entries]


def test_section_three_aligned_by_index_as_before():
    """``_align_applications`` (placements by index, memos per set of columns kept across
    tables) gives every row the placement and cells the former one gave, on random tables;
    each table aligned twice, so that the second time reads the memos the first filled."""
    rng = random.Random(5)
    n = len(T.APPLICANT_KEYS)
    placed_any = 0
    for _ in range(600):
        rows = _random_table(rng)
        headed = [row for row in rows if A._has_header_words(row)]
        heads = {id(row) for row in headed}
        for _ in range(2):
            new = A._application_entries(rows, "2021", n, heads)
            old = A._application_entries(rows, "2021", n, heads)
            A._resolve_counts(new, A._stretch_header(headed)[0])
            A._resolve_counts(old, A._stretch_header(headed)[0])
            A._align_applications(new, headed, T.APPLICANT_KEYS)
            _align_applications_before(old, headed)
            assert _outcome(new) == _outcome(old)
            placed_any += sum(e.placement is not None for e in new)
    assert placed_any > 3000, placed_any  # placed by position, not only counted


def test_the_memo_of_a_set_of_columns_is_shared_and_bounded():
    columns = [Column("a", 0.0, 1.0), Column("b", 1.0, 2.0)]
    assert align.shape_memo(columns) is align.shape_memo(list(columns))
    assert align.shape_memo(columns) is not align.shape_memo([Column("a", 0.0, 1.5),
                                                              Column("b", 1.5, 2.0)])
    memo = align.shape_memo(columns)
    for i in range(align.MEMO_SHAPES + 5):
        align.placed_shape(((0.0, 1.0, True), (1.0, 2.0 + i, False)), columns, memo)
    assert len(memo) <= align.MEMO_SHAPES


def test_no_reader_pattern_character_is_a_signature_barrier():
    # Every character _SIGNATURE may match is outside the barrier class.
    pattern = C._SIGNATURE.pattern
    for ch in re.findall(r"[\u4e00-\u9fff〇○]", pattern) + list("()0123456789 \t\n\u3000零一十"):
        assert C._SIGNATURE_BARRIER.search(ch) is None


# --- the checks' sums ------------------------------------------------------------------------

def _compare_sums_before(left: list, right: list):
    from loaders.checks.facts import add_up
    from loaders.checks.registry import ERROR, WARNING
    lsum, rsum = add_up(left), add_up(right)
    if lsum == rsum:
        return None
    left_blank, right_blank = None in left, None in right
    if not left_blank and not right_blank:
        return ERROR
    if (not left_blank and rsum > lsum) or (not right_blank and lsum > rsum):
        return ERROR
    return WARNING


_CELL = st.one_of(st.none(), st.integers(-3, 12), st.sampled_from([0.5, 1.0, 2.25, 1e-5]))


@settings(max_examples=500)
@given(st.lists(_CELL, max_size=8), st.lists(_CELL, min_size=1, max_size=3))
def test_compare_sums_without_blanks_is_compare_sums(left, right):
    from loaders.checks.sums import compare_sums
    assert compare_sums(left, right) == _compare_sums_before(left, right)


@settings(max_examples=200)
@given(st.dictionaries(st.sampled_from([k.key for k in T.APPLICATION_ROWS]),
                       st.dictionaries(st.sampled_from(T.APPLICANT_KEYS), _CELL), max_size=12),
       st.sampled_from(["2019", "2021"]))
def test_outcome_total_reads_the_cells_app_cell_reads(applications, template):
    from loaders.checks.facts import Facts, app_cell
    from loaders.checks.sums import check_outcome_total
    facts = Facts("r", None, 2021, template, None, applications, None, {}, "", [])
    got = list(check_outcome_total(facts))
    outcomes = T.outcome_row_keys(template)
    for col in T.APPLICANT_KEYS:  # the failures name the sums of app_cell's cells
        parts = [app_cell(facts, r, col) for r in outcomes]
        total = app_cell(facts, "total", col)
        failed = [f for f in got if f.column_key == col]
        assert bool(failed) == (_compare_sums_before(parts, [total]) is not None)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["", "0", "(七)总计", "一、本年新收政府信息公开申请数量", "3.其他",
                                 "自然人", "2.重复申请", "x", "(三)不予公开1.属于国家秘密"]),
                max_size=10))
def test_lookup_all_is_lookup_of_each(norms):
    keys = T.APPLICATION_ROWS
    assert keys.lookup_all(norms) == [keys.lookup(x) for x in norms]
    keys.matched.clear()  # asked again from nothing
    assert keys.lookup_all(norms) == [keys.lookup(x) for x in norms]


def test_cell_positions_keep_a_cells_first_index():
    from loaders.mapping.cells import cell_positions
    rng = random.Random(2)
    for _ in range(500):
        pool = [Cell(str(i), 1) for i in range(4)]
        cells = [rng.choice(pool) for _ in range(rng.randint(0, 9))]
        row = Row("applications", 0, 0, cells, [c.text for c in cells])
        assert cell_positions(row) == {id(cells[i]): i for i in range(len(cells) - 1, -1, -1)}


def test_numbers_span_from_each_end_is_from_every_cell():
    from loaders.mapping.numbers import clean_text
    rng = random.Random(9)
    for _ in range(2000):
        counted = [Cell(rng.choice(["", "0", "12", "x", "3件", " "]), 1,
                        span=rng.random() < 0.2) for _ in range(rng.randint(0, 11))]
        entry = A._Entry(None, None, counted, counted=counted)
        at = [i for i, c in enumerate(counted) if not c.span and numberish(clean_text(c.text))]
        assert A._numbers_span(entry) == (at[-1] - at[0] + 1 if at else 0)


def _mentions_before(data, text: str):
    """``Divisions.mentions`` as it was: one search from each position."""
    found = []
    i = 0
    n = len(text)
    aliases, sizes, may_start = data.aliases, data._sizes, data._may_start.search
    while (m := may_start(text, i)) is not None:
        i = m.start()
        for size in sizes.get(text[i:i + 2], ()):
            candidates = aliases.get(text[i:i + size]) if i + size <= n else None
            if candidates:
                if data.street_named(text, i, i + size):
                    i += 1
                    break
                found.append((i, i + size, candidates))
                i += size
                break
        else:
            i += 1
    return found


def test_mentions_from_every_place_at_once_are_as_before():
    from loaders.extract.places import divisions
    data = divisions()
    rng = random.Random(4)
    names = rng.sample(sorted(data.aliases), 300)
    filler = ["的", "，", "人民政府", "市", "区", "县", " ", "a", "鼓楼", "江苏省南京市"]
    for _ in range(1500):
        text = "".join(rng.choice(names) if rng.random() < 0.4 else rng.choice(filler)
                       for _ in range(rng.randint(0, 30)))
        assert data.mentions(text) == _mentions_before(data, text)


@settings(max_examples=200)
@given(st.lists(st.lists(st.tuples(st.integers(1, 50), st.integers(0, 60)), max_size=5),
                max_size=5))
def test_grid_line_end_is_its_cells_last_line(rows):
    from loaders.model import Grid
    grid = Grid([[Cell("x", line, end) for line, end in row] for row in rows])
    assert grid.line_end == max((c.line_end for row in grid.rows for c in row), default=0)


def _fits_before(cells, n):
    from loaders.mapping.cells import _PADDING
    cells = list(cells)
    if len(cells) > n:
        for droppable in _PADDING:
            found = [cells[s:s + n] for s in range(len(cells) - n + 1)
                     if all(map(droppable, cells[:s])) and all(map(droppable, cells[s + n:]))]
            if found:
                return found
    return [cells]


def test_fits_by_the_padding_at_each_end_is_fits_by_every_start():
    from loaders.mapping.cells import fits
    rng = random.Random(8)
    for _ in range(5000):
        cells = [Cell(rng.choice(["", " ", "\u00a0", "0", "5", "x"]), 1, span=rng.random() < 0.3)
                 for _ in range(rng.randint(0, 12))]
        n = rng.randint(1, 9)
        got, want = fits(cells, n), _fits_before(cells, n)
        assert [[id(c) for c in f] for f in got] == [[id(c) for c in f] for f in want]


def test_a_header_row_of_section_three_as_before():
    rng = random.Random(6)
    words = ["", "自然人", "商业企业", "总计", "其他", "0", "一、本年新收政府信息公开申请数量", "科研机构"]
    for _ in range(2000):
        norms = [rng.choice(words) for _ in range(rng.randint(0, 6))]
        row = Row("applications", 0, 0, [Cell(x, 1) for x in norms], norms)
        texts = [x for x in norms if x]
        want = bool(texts) and len(texts) >= 2 and all(
            T.APPLICANT_COLUMNS.lookup(x) is not None for x in texts)
        assert A._application_header_row(row, False) == want
