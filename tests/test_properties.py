"""Property-based tests: no input makes the parsers raise. Whatever the text, a file ends as a
report (with issues) or a LoadError with a message, and the report can be stored.

The default run tries a few hundred generated inputs; ``pytest -m slow`` runs the same
properties on more than 10,000 (tests marked slow are left out of ``make test``).

Not raising is the least a report owes: what every stored report must keep (numbers traced to
their text and line, no NULL without a trace) is asserted in tests/test_invariants.py, on the
same mutated reports, and writing a report in every format and reading it back in
tests/test_round_trip.py.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPORTS
from loaders.mapping import grids_to_tables
from loaders.model import Cell, Grid, LoadError, Paragraph, Source
from loaders.mapping.numbers import PLAUSIBLE_LIMIT, parse_amount, parse_count
from loaders.pipeline import source_to_report
from loaders.readers import html_page, pipe_tables, tab_rows, word_cells
from loaders.extract.sections import find_headings
from loaders.store import SCHEMA, report_to_rows

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=1700, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(REPORTS.glob("*.txt"))]
# Text made of what reports are made of, so that generated inputs reach deep into the parsers.
WORDS = ["\t", "\n", " ", "\u00a0", "\u3000", "|", "---", "0", "00", "12", "-3", "9" * 30,
         "1 0", "万元", "元", "总计", "自然人", "本年新收", "上年结转", "予以公开", "（七）总计",
         "信息内容", "第二十条", "行政复议", "结果维持", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "<table>", "<tr>", "<td rowspan=\"999\">",
         "<td colspan=\"0\">", "</td>", "</tr>", "</table>", "<br>", "<script>", "\x00", "\x1b",
         "\ufeff", "\ud7ff", "鼓楼区", "卫生健康局", "2021年", "年度报告"]
text = st.one_of(st.text(max_size=400),
                 st.lists(st.sampled_from(WORDS), max_size=120).map("".join))


def store(report) -> None:
    """Write the report's rows into a fresh in-memory database with the real schema."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    for table, rows in report_to_rows(report).items():
        for row in rows:
            names = ", ".join(row)
            conn.execute(f"insert into {table} ({names}) values ({', '.join('?' * len(row))})",
                         list(row.values()))
    conn.close()


def load(data: bytes, name: str = "r.txt"):
    try:
        report = source_to_report(Source(Path(name), data))
    except LoadError as e:
        assert e.stage and e.message
        return None
    store(report)
    return report


def check_numbers(raw: str) -> None:
    for parsed in (parse_count(raw), parse_count(raw, signed=True), parse_amount(raw),
                   parse_amount(raw, "元")):
        assert parsed.value is None or abs(parsed.value) < PLAUSIBLE_LIMIT
        assert parsed.issue is None or parsed.detail


def check_readers(raw: str) -> None:
    lines = raw.split("\n")
    for reader in (word_cells, tab_rows, pipe_tables):
        blocks = reader.text_to_blocks(lines)
        tables = grids_to_tables(blocks, find_headings(blocks), 2021)
        assert all(v.table in ("applications", "review_litigation", "active_disclosure")
                   for v in tables.values)
    try:
        html_page.read(Source(Path("r.html"), raw.encode("utf-8", "surrogatepass")))
    except LoadError as e:
        assert e.message


def mutated_seed(rnd: random.Random) -> str:
    """A real report truncated, with its lines shuffled in places, or its tables duplicated."""
    return mutate(rnd, rnd.choice(SEED_TEXTS))


def mutate(rnd: random.Random, text: str) -> str:
    """The text truncated, its lines shuffled in places, a run of lines duplicated, or lines
    replaced by words reports are made of (tests/test_invariants.py mutates with it too)."""
    lines = text.split("\n")
    how = rnd.randrange(4)
    if how == 0:
        lines = lines[:rnd.randrange(len(lines))]
    elif how == 1:
        i = rnd.randrange(len(lines))
        chunk = lines[i:i + 40]
        rnd.shuffle(chunk)
        lines[i:i + 40] = chunk
    elif how == 2:
        i = rnd.randrange(len(lines))
        lines[i:i] = lines[i:i + rnd.randrange(200)]
    else:
        for _ in range(rnd.randrange(1, 20)):
            i = rnd.randrange(len(lines))
            lines[i] = rnd.choice(WORDS) * rnd.randrange(1, 5)
    return "\n".join(lines)


grids = st.lists(st.lists(st.sampled_from(WORDS), max_size=18), max_size=40)


def check_mapper(rows: list[list[str]]) -> None:
    blocks = [Paragraph("三、收到和处理政府信息公开申请情况", 1),
              Grid([[Cell(c, n + 2) for c in row] for n, row in enumerate(rows)])]
    for year in (None, 2019, 2021):
        grids_to_tables(blocks, find_headings(blocks), year)


# --- the default run: a few hundred inputs ------------------------------------------------------

@FAST
@given(text)
def test_number_parsers_never_raise(raw):
    check_numbers(raw)


@FAST
@given(text)
def test_readers_never_raise(raw):
    check_readers(raw)


@FAST
@given(grids)
def test_mapper_never_raises(rows):
    check_mapper(rows)


@FAST
@given(st.binary(max_size=2000) | text.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_file_is_a_report_or_a_load_error(data):
    load(data)
    load(data, "r.html")
    load(data, "r.md")


@FAST
@given(st.randoms(use_true_random=False))
def test_mutated_real_reports_load_and_store(rnd):
    report = load(mutated_seed(rnd).encode("utf-8"))
    assert report is None or report.id


# --- the slow run: ≥ 10,000 inputs in all ---------------------------------------------------------

@pytest.mark.slow
@SLOW
@given(text)
def test_slow_number_parsers(raw):
    check_numbers(raw)


@pytest.mark.slow
@SLOW
@given(text)
def test_slow_readers(raw):
    check_readers(raw)


@pytest.mark.slow
@SLOW
@given(grids)
def test_slow_mapper(rows):
    check_mapper(rows)


@pytest.mark.slow
@settings(SLOW, max_examples=2500)
@given(st.binary(max_size=2000) | text.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_slow_any_file(data):
    load(data)
    load(data, "r.html")


@pytest.mark.slow
@settings(SLOW, max_examples=2500)
@given(st.randoms(use_true_random=False))
def test_slow_mutated_real_reports(rnd):
    load(mutated_seed(rnd).encode("utf-8"))
