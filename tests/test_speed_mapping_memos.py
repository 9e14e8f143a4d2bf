"""The shortcuts of the mapper's third round (issue 17), each against what it replaced: the form's
columns as named tuples, the metrics a header names remembered, a row's first label and unique
reading found in C."""

from __future__ import annotations

import random

from loaders.form import template as T
from loaders.mapping import active, applications as A
from loaders.mapping.align import Column
from loaders.mapping.run_labels import _metric_spans, metrics_named
from loaders.model import Cell, Row


def test_columns_compare_and_hash_by_key_and_extent():
    """As the frozen dataclass did: equal when key, x0 and x1 are (1 and 1.0 alike), the same
    hash then, so that the memos keyed by a set of columns find it again."""
    assert Column("a", 1, 2) == Column("a", 1.0, 2.0)
    assert hash((Column("a", 1, 2),)) == hash((Column("a", 1.0, 2.0),))
    assert Column("a", 1, 2) != Column("b", 1, 2) and Column("a", 1, 2) != Column("a", 1, 3)
    assert Column(key="a", x0=0.0, x1=2.0).center == 1.0


def test_metrics_named_remembered_is_worked_out_and_a_new_list():
    texts = ["", "本年制发件数本年废止件数现行有效件数", "上一年项目数量本年增/减处理决定数量",
             "采购项目数量采购总金额", "信息内容", "本年新制作数量本年新公开数量对外公开总数量"]
    for text in texts * 2:
        expected = [metric for _, _, metric in _metric_spans(text)]
        got = metrics_named(text)
        assert got == expected
        got.append(None)  # the caller's own list: the memo is not changed
        assert metrics_named(text) == expected


def test_unique_reading_is_as_before():
    """``_unique`` (any over map) against the generator it replaced, on random readings."""
    rng = random.Random(3)
    n = len(T.APPLICANT_KEYS)

    def before(entry):
        if len(entry.fits) == 1 and len(entry.fits[0]) == n \
                and not any(c.span for c in entry.fits[0]):
            return entry.fits[0]
        return None
    for _ in range(2000):
        fits = [[Cell(rng.choice(["", "0", "5", " "]), 1, span=rng.random() < 0.1)
                 for _ in range(rng.choice([n - 1, n, n]))] for _ in range(rng.choice([1, 1, 2]))]
        entry = A._Entry(Row("applications", 0, 0, [], []), None, fits[0], fits=fits)
        assert A._unique(entry) is before(entry)
        assert entry.unique is before(entry)


def test_an_item_rows_first_label_is_the_first_non_blank():
    """``map_active`` finds a row's first label as ``next(j for j, x in enumerate(norms) if x)``
    did, whatever labels repeat after it."""
    rng = random.Random(4)
    for _ in range(2000):
        norms = [rng.choice(["", "", "规章", "5", "信息内容"]) for _ in range(rng.randint(0, 6))]
        first = next((j for j, x in enumerate(norms) if x), None)
        expected = None if first is None else (first, norms[first])
        assert active._first_label(norms) == expected, norms


def test_an_item_row_with_a_joined_run_fits_no_column():
    header = active._ActiveHeader(Row("active_disclosure", 0, 0, [], []), 0,
                                  {1: (T.DISCLOSURE_METRICS[8], None)})
    run = Cell("123", 2, joined=True)
    row = Row("active_disclosure", 0, 1, [Cell("规章", 2), run], ["规章", "123"])
    assert active._fit_item_row(T.DISCLOSURE_ITEMS[0], row, 0, header, []) == [
        (T.DISCLOSURE_METRICS[8], None, None, run)]
