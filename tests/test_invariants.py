"""Invariants every report keeps, whatever its input (SPEC, *No silent number*).

Three properties of a loaded report, each a function that lists what breaks it:

- ``untraced_numbers``: every stored number has its raw text, and that text stands in the source
  at the number's line range (the file's own lines, or for Word and PDF the reader's
  ``render_lines``: what the source view shows);
- ``silent_blanks``: a value stored NULL has blank raw text or a parse issue about its cell, row
  or table (*Never blank without a trace*);
- ``unstable_numbers``: parsing a stored number's raw text again gives the same number (the
  number policy is a function of the text), and what the policy says of that text (irregular,
  ambiguous) is a parse issue about the cell.

They are checked on the real reports in ``reports/`` and the quirk samples in ``tests/samples/``
as they are, and by hypothesis on both mutated as tests/test_properties.py mutates the reports
(truncated, shuffled, duplicated lines, lines replaced by report words). Writing a report
and reading it back is in tests/test_round_trip.py.

The last tests break each invariant on purpose (the mapper made to drop a raw text, a number, a
parse issue; a line shifted) and check that the checks catch it: a check that cannot fail proves
nothing.
"""

from __future__ import annotations

import html
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPORTS
from loaders.form import template as T
from loaders.mapping import applications
from loaders.mapping.numbers import Parsed, clean_text, parse_amount, parse_count
from loaders.model import Grid, LoadError, Report, Source
from loaders.pipeline import load_report, source_to_report
from loaders.readers import layout_text
from loaders.site.plugin import source_lines
from test_properties import mutate
from test_samples import SAMPLES, sample_files

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(FAST, max_examples=2000)

# What is mutated: every real report and quirk sample that is text (Word and PDF files have no
# lines to shuffle).
TEXTS = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(REPORTS.iterdir()) + sample_files()
         if p.suffix in (".txt", ".md", ".html")]
# A money cell without a unit of its own is read in its header's unit, which the stored value
# does not keep: its number is a function of the text and one of these.
HEADER_UNITS = (None, "万元", "万", "元", "千元", "亿元", "亿")


def _place(v) -> str:
    return f"{v.table}/{v.row_key}/{v.column_key} (line {v.line})"


# Issues about one cell of the document that stands where no single column of the form is: a
# merged cell's issue is repeated under each column it covers; an unplaced cell's names none. Each
# carries the cell's text, which the columns it concerns keep as raw text.
PLACEMENT = frozenset({"cells_merged", "blank_cells_merged", "cell_unplaced"})


def about(report: Report, v, code: str | None = None) -> bool:
    """Whether a parse issue (of ``code``, if given) concerns the value's cell, row or table: its
    column or none, or a merged or unplaced cell of the row whose text the value keeps."""
    return any(i.table == v.table and i.row_key in (v.row_key, None) and code in (None, i.code)
               and (i.column_key in (v.column_key, None)
                    or (i.code in PLACEMENT and i.raw is not None and i.raw == v.raw))
               for i in report.issues)


def stands_in(raw: str, lines: list[str], layout: str) -> bool:
    """Whether the raw text stands in these source lines. In a web page the text is the page's
    between its tags, entities decoded (``&nbsp;``), spaces aside (a cell's lines are joined by a
    line break that the page writes as ``<br>`` or a new ``<p>``); elsewhere, as written."""
    text = "\n".join(lines)
    if layout != "html_page":
        return raw in text
    return _SPACE.sub("", raw) in _SPACE.sub("", html.unescape(_TAG.sub("", text)))


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s")


def untraced_numbers(report: Report) -> list[str]:
    """Stored numbers without raw text, or whose raw text is not at their lines in the source."""
    layout = report.document.layout
    lines = source_lines(report.source, layout)
    out = []
    for v in report.values:
        if v.value is None:
            continue
        if not v.raw or not v.line or not v.line_end or not 1 <= v.line <= v.line_end:
            out.append(f"{_place(v)}: {v.value} stored without raw text or lines "
                       f"({v.raw!r}, {v.line}–{v.line_end})")
        elif not stands_in(v.raw, lines[v.line - 1:v.line_end], layout):
            out.append(f"{_place(v)}: raw text {v.raw!r} is not at lines {v.line}–{v.line_end}: "
                       f"{lines[v.line - 1:v.line_end]!r}")
    return out


def silent_blanks(report: Report) -> list[str]:
    """Values stored NULL whose cell had text, with no parse issue about the cell, row or table."""
    return [f"{_place(v)}: NULL from {v.raw!r} without a parse issue" for v in report.values
            if v.value is None and clean_text(v.raw) and not about(report, v)]


def reparsed(v) -> list[Parsed]:
    if v.column_key in T.AMOUNT_METRICS:
        return [parse_amount(v.raw, unit) for unit in HEADER_UNITS]
    return [parse_count(v.raw, signed=v.column_key in T.SIGNED_METRICS)]


def unstable_numbers(report: Report) -> list[str]:
    """Stored numbers their own raw text does not give again, or whose text the number policy
    flags without a parse issue about the cell."""
    out = []
    for v in report.values:
        if v.value is None:
            continue
        parses = [p for p in reparsed(v) if p.value == v.value]
        if not parses:
            out.append(f"{_place(v)}: {v.value} stored, its raw text {v.raw!r} reads "
                       f"{reparsed(v)[0].value}")
        elif parses[0].issue and not about(report, v, parses[0].issue):
            out.append(f"{_place(v)}: {v.raw!r} is {parses[0].issue}, and no issue says so")
    return out


INVARIANTS = (untraced_numbers, silent_blanks, unstable_numbers)


def assert_invariants(report: Report) -> None:
    broken = [line for check in INVARIANTS for line in check(report)]
    assert not broken, f"{report.source.name}:\n" + "\n".join(broken[:20])


def load_text(name: str, text: str) -> Report | None:
    """The text loaded as a file of that name; None if it is no report."""
    try:
        return source_to_report(Source(Path(name), text.encode("utf-8")))
    except LoadError:
        return None


# --- the files as they are ----------------------------------------------------------------------

FILES = ([pytest.param(p, id=f"reports/{p.name}") for p in sorted(REPORTS.iterdir())
          if p.name != "sources.csv"]
         + [pytest.param(p, id=str(p.relative_to(SAMPLES))) for p in sample_files()])


@pytest.mark.parametrize("path", FILES)
def test_invariants_of_real_reports_and_samples(path: Path):
    """Every real report and every quirk sample keeps the three invariants: numbers traced to
    their text at their lines, no NULL without a trace, numbers a function of their text."""
    report = load_report(path)
    assert_invariants(report)


# --- the real reports mutated ---------------------------------------------------------------------

def check_mutated(rnd: random.Random) -> None:
    name, text = rnd.choice(TEXTS)
    report = load_text(name, mutate(rnd, text))
    if report is not None:
        assert_invariants(report)


@FAST
@given(st.randoms(use_true_random=False))
def test_invariants_of_mutated_real_reports(rnd):
    """Whatever a truncation, a shuffle, a duplicated run of lines or a stray word does to a real
    report or a quirk sample (text, markdown or HTML), what is stored keeps the three invariants:
    a reader or mapper confused by the damage may lose numbers, never store one it cannot show,
    nor blank one silently."""
    check_mutated(rnd)


@pytest.mark.slow
@SLOW
@given(st.randoms(use_true_random=False))
def test_slow_invariants_of_mutated_real_reports(rnd):
    check_mutated(rnd)


# --- findings: bugs the properties found, fixed, kept as regression tests ----------------------

def test_html_cell_text_below_its_td_tag():
    """Found by test_invariants_of_mutated_real_reports on shuyang_fgj_2023.html with a line
    replaced: a number on the line after its ``<td>`` must have that line in its range."""
    path = REPORTS / "shuyang_fgj_2023.html"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "<td" in line and i > 400
              and ">26<" in lines[i + 1])
    lines[at + 1] = "26"  # the number as bare text below its tag, as pretty-printed pages have it
    report = load_text(path.name, "\n".join(lines))
    [v] = [v for v in report.values if v.raw == "26" and v.line == at + 1]
    assert v.line_end == at + 2


def test_layout_text_header_word_continued_twice():
    """Found by the mutated-reports properties on huaian_szf_2024_pdftotext_layout.txt with 40
    lines shuffled (seed 3202 of random.Random), cut down to five lines: the header word of the
    first line is continued by 三、 and again by （三）不 two lines below. The reader raised
    KeyError; it reads the lines as it can: the row of numbers is still a row."""
    lines = ["（本列数据的勾稽关系为：第一项加第二项之和，                  法人或其他组织",
             "三、",
             "      （三）不",
             "                               自然人                                              总计",
             "             7.属于行政执法案卷          9          0        0        0        0    0    9"]
    blocks = layout_text.text_to_blocks(lines)
    rows = [[c.text for c in row] for grid in blocks if isinstance(grid, Grid) for row in grid.rows]
    assert ["7.属于行政执法案卷", "9", "0", "0", "0", "0", "0", "9"] in rows


def test_html_cell_over_two_columns_of_the_form():
    """Found while reading the traces of merged cells: in HTML, 4 in one ``<td colspan="2">``
    under 商业企业 and 科研机构 is stored as 商业企业 4, 科研机构 blank, without an issue. The
    document does not say whose the 4 is: both columns NULL, with a ``cells_merged`` issue
    carrying it (README, *No silent number, in practice*)."""
    path = SAMPLES / "html_page" / "label_spans_three_columns.html"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "一、本年新收" in line) + 2  # 商业企业: 4
    assert ">4<" in lines[at] and ">1<" in lines[at + 1]
    lines[at] = lines[at].replace('<td width="48">', '<td width="96" colspan="2">')
    del lines[at + 1]
    report = load_text(path.name, "\n".join(lines))
    row = {v.column_key: v.value for v in report.values if v.row_key == "new_received"}
    assert row["commercial"] is None and row["research"] is None
    assert any(i.code == "cells_merged" and i.row_key == "new_received" for i in report.issues)


# --- each check can fail ----------------------------------------------------------------------

SEED_003 = REPORTS / "003_ebe99ea40a3f8069.txt"  # blanks, irregular cells (0 0, 00, 01)


def _broken(monkeypatch, name: str, wrap) -> Report:
    monkeypatch.setattr(applications, name, wrap(getattr(applications, name)))
    return load_report(SEED_003)


def test_a_dropped_raw_text_is_caught(monkeypatch):
    def drop_raw(value_at):
        def broken(*args):
            v = value_at(*args)
            v.raw = None
            return v
        return broken
    report = _broken(monkeypatch, "value_at", drop_raw)
    assert len(untraced_numbers(report)) == sum(
        v.value is not None for v in report.values if v.table == "applications") > 40


def test_a_wrong_line_is_caught(monkeypatch):
    def shift(value_at):
        def broken(*args):
            v = value_at(*args)
            v.line = v.line_end = v.line + 3
            return v
        return broken
    assert untraced_numbers(_broken(monkeypatch, "value_at", shift))


def test_a_number_dropped_silently_is_caught(monkeypatch):
    def nothing(parse):
        return lambda raw, signed=False: Parsed(None)
    report = _broken(monkeypatch, "parse_count", nothing)
    assert len(silent_blanks(report)) > 40


def test_a_number_not_read_from_its_text_is_caught(monkeypatch):
    def off_by_one(parse):
        def broken(raw, signed=False):
            p = parse(raw, signed)
            return p if p.value is None else Parsed(p.value + 1, p.issue, p.detail)
        return broken
    report = _broken(monkeypatch, "parse_count", off_by_one)
    assert len(unstable_numbers(report)) > 40


def test_an_irregular_number_without_its_issue_is_caught(monkeypatch):
    report = _broken(monkeypatch, "value_issue", lambda value_issue: lambda v, parsed: None)
    flagged = unstable_numbers(report)
    assert flagged and all("irregular_number" in line for line in flagged)
