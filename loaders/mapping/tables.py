"""Fit a document's grids to the national template by their labels, never by counting numbers.

``grids_to_tables`` is the entry point: it tags every grid row with the table it belongs to
(section 二, 三 or 四, from the section headings and from anchor labels such as 第二十条 or
申请人情况) and detects the template version from the content (``rows``), cuts runs of digits
that crawled text joined (``splitting``), and maps each table, one module each:

- section 二 (active disclosure, ``active``): ``信息内容`` header rows name the metric of each
  column; item rows are placed under them by the item label;
- section 三 (``applications``): each row is placed by its most specific label cell (the last
  cell that matches a row of the form), wherever that cell stands; header rows (repeated after a
  page break) are dropped; the 7 applicant columns follow the label;
- section 四 (review and litigation, ``review``): the 15 leaf headers (结果维持 ... 总计, three
  times) and the group headers (行政复议, 未经复议直接起诉, 复议后起诉) give each column of the
  value row its key.

Every value keeps its raw text and position; everything unexpected becomes an ``Issue``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..form.keys import nfkc
from ..form.template import Section
from ..model import Block, CellValue, Grid, Issue, Paragraph
from .active import map_active
from .applications import map_applications
from .merged import take_back_merged_down
from .review import map_review
from .rows import ACTIVE, APPLICATIONS, REVIEW, TABLES, detect_template, tag_rows
from .splitting import split_joined


@dataclass
class Tables:
    template: str | None
    values: list[CellValue]
    issues: list[Issue]


def grids_to_tables(blocks: list[Block], headings: dict[int, Section], year: int | None) -> Tables:
    rows = tag_rows(blocks, headings)
    prose = "\n".join([b.text for b in blocks if isinstance(b, Paragraph)])
    template, issues = detect_template(rows, year, prose)
    by_table = {t: [r for r in rows if r.table == t] for t in TABLES}
    for table in TABLES:
        # Cells run together (crawled text) cut into the form's cells, by the digits and the
        # form's own sums (SPEC, *No silent number*); a run that cannot be cut stays joined.
        by_table[table], split_issues = split_joined(by_table[table], table, template, prose)
        issues.extend(split_issues)
    values: list[CellValue] = []
    # (a row twice needs a table in two grids or more: most reports have none)
    other_year = other_year_grids(blocks, year) if any(
        len({r.grid for r in by_table[t]}) > 1 for t in (APPLICATIONS, REVIEW)) else set()
    active_prose = _section_prose(blocks, headings, 2, {r.grid for r in by_table[ACTIVE]})
    for mapped in (map_active(by_table[ACTIVE], template, active_prose),
                   map_applications(by_table[APPLICATIONS], template, other_year),
                   map_review(by_table[REVIEW], other_year)):
        values.extend(mapped[0])
        issues.extend(mapped[1])
    take_back_merged_down(blocks, values, issues)  # a number merged over rows is none of theirs
    return Tables(template, values, issues)


def _section_prose(blocks: list[Block], headings: dict[int, Section], number: int,
                   grids: set[int]) -> str:
    """The prose of the section ``number`` (its paragraphs from its heading to the next), or,
    where no heading of it was found, the two paragraphs above and under each of its ``grids``
    (a caption, a note), never the whole report's."""
    if not any(h.number == number for h in headings.values()):
        near = {i + d for i, b in enumerate(blocks) if isinstance(b, Grid) and b.index in grids
                for d in (-2, -1, 1, 2)}
        return "\n".join([blocks[i].text for i in sorted(near)
                          if 0 <= i < len(blocks) and isinstance(blocks[i], Paragraph)])
    texts, current = [], None
    for i, block in enumerate(blocks):
        if i in headings:
            current = headings[i].number
        if current == number and isinstance(block, Paragraph):
            texts.append(block.text)
    return "\n".join(texts)


# A year as a caption writes it: 2022年, ２０２２年 (after NFKC), 二〇二二年.
# (not in a date: 数据统计截至2024年1月5日 names no year of a table)
_YEAR = re.compile(r"(20\d\d|二[〇○零][〇○零一二三四五六七八九]{2})\s*年"
                   r"(?!\s*[0-9〇○零一二三四五六七八九十元]{1,3}\s*月)")
_CN_DIGIT = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_LAST_YEAR = re.compile(r"上一?年度|去年")
# A sentence that compares this year's figures with last year's (较去年减少3件, 与上年度相比) is
# no caption naming the table's year.
_COMPARES = re.compile(r"较|比上|比去|同比|相比|增加|减少|增长|下降|持平")
CAPTION_PARAGRAPHS = 2  # the paragraphs just above a table that may say what it is (a PDF's
CAPTION_CHARS = 60  # caption may take two lines); longer text is prose, not a caption


def other_year_grids(blocks: list[Block], year: int | None) -> set[int]:
    """The grids whose caption, the paragraphs between the table before and them (and their
    first row), names
    another year than the report's and not its own (2022年度情况对比：, （二）上年度): a table of
    last year's figures printed beside this year's. Where a row of the form appears twice, the
    one in such a grid gives way (``duplicate_row``); a grid alone is read whatever its caption
    says (the report's year may be misread). A grid right after another, with no paragraph
    between, goes on with the table before (split over pages) and its caption. A caption is
    short (``CAPTION_CHARS``) and compares nothing: 本年度共收到申请21件，较去年减少3件 above a
    table names no year of the table's. A note right under a table that speaks of it (注：上表为
    2022年度数据。) names its year as a caption does."""
    captions = _captions(blocks)
    years = {y for texts in captions.values() for text in texts for y in _years(text)}
    if len(years) > 1 and (year is None or year > max(years)):
        # Tables captioned with two years or more, all before the report's or it unknown (a
        # title's 2032 for 2023): this year's is the latest of them
        year = max(years)
    if year is None:
        return set()
    return {grid for grid, texts in captions.items()
            if any(_names_other_year(text, year) for text in texts)}


def _captions(blocks: list[Block]) -> dict[int, list[str]]:
    """Each grid's caption (the short paragraphs above it and its first row) and the note under
    it, if any, as ``other_year_grids`` reads them, each on its own; a grid right after another,
    no text between, has the caption of the grid before."""
    out: dict[int, list[str]] = {}
    caption: list[str] = []
    previous = ""  # the caption of the grid before
    run: list[int] = []  # the grids since the last paragraph
    for block in blocks:
        if isinstance(block, Paragraph):
            if run and not caption and _BELOW.search(block.text):
                # a note under the tables, about them (注：上表为2022年度数据。), not a caption
                # of the next
                for grid in run:
                    out[grid].append(_caption(block.text))
                run = []
                continue
            run = []
            caption.append(block.text)
            continue
        if isinstance(block, Grid):
            # A caption the reader took into the table's first row (a PDF printed without
            # rules: 2023年收到和处理政府信息公开申请情况 above the header) counts too.
            head = "".join(c.text for c in block.rows[0]) if block.rows else ""
            if caption or _YEAR.search(nfkc(head)):
                previous = _caption("".join(caption[-CAPTION_PARAGRAPHS:])) + head
            out[block.index] = [previous]
            caption = []
            run.append(block.index)
    return out


@lru_cache(maxsize=256)  # (a caption goes on for the grids after it: asked again)
def _years(text: str) -> frozenset[int]:
    """The years a caption names (2022年, ２０２２年, 二〇二二年)."""
    if "年" not in text:
        return frozenset()
    return frozenset(int(y.translate(_CN_DIGIT)) for y in _YEAR.findall(
        nfkc(text) if _FULL_WIDTH_DIGIT.search(text) else text))


_FULL_WIDTH_DIGIT = re.compile("[\uff10-\uff19]")


_BELOW = re.compile(r"上表|以上|本表")  # a note under a table that speaks of it


def _caption(text: str) -> str:
    """The text as a caption or a note of a table: itself when short and comparing nothing,
    else nothing (prose)."""
    return "" if len(text) > CAPTION_CHARS or _COMPARES.search(text) else text


def _names_other_year(text: str, year: int) -> bool:
    """Whether the text names another year than ``year`` (2022年, 上年度) and not ``year``."""
    years = _years(text)
    return year not in years and bool(years or _LAST_YEAR.search(text))
