"""Markdown with pipe tables, as PDF-to-markdown converters write it.

Quirks (corpus shanghai_kewei_2024.md and shanghai_bgt_2025.md):
- one table of the form broken into many small pipe tables, each with a ``|---|`` separator
  after its first row, and loose label lines between them: the rows are kept in reading order,
  separators dropped; the mapper places rows whose label went astray by the template's row order;
- a line break inside a cell written ``<br>`` (a markdown table cannot hold one): read as a line
  break, as the other readers keep it;
- placeholder headings the converter adds (``## 表三：收到和处理政府信息公开申请情况``) and page
  footers (``— 5 —``) are dropped;
- small tables turned into loose lines (``第二十条第（五）项`` / ``信息内容本年处理决定数量`` /
  ``行政许可 97``): a run of short lines that holds a label followed by numbers is read as a grid,
  one row per line, the numbers split off the label;
- prose wrapped at the PDF's line width stays prose (long lines, sentence punctuation).

Lines are the lines of the file.
"""

from __future__ import annotations

import re

from ..model import Block, Cell, Document, Grid, Paragraph, Source
from ._landmarks import is_heading
from ._text import read_text, text_layout

NAME = "pipe_tables"
FORMAT = "md"

_SUFFIXES = frozenset({"md", "markdown"})
_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PLACEHOLDER = re.compile(r"^#{1,6}\s*表\s*[一二三四五六七八九十\d]+\s*[：:]")
_PAGE_FOOTER = re.compile(r"^([—–\-－]+\s*\d{1,4}\s*[—–\-－]+|第\s*\d{1,4}\s*页(\s*共\s*\d+\s*页)?)$")
_NUMBER = r"[+\-]?\d[\d,]*(?:\.\d+)?"
# A label of a few words followed by its numbers: 行政许可 97, 行政处罚 0 0 0.
_LABELLED_NUMBERS = re.compile(rf"^(?P<label>\S.{{0,19}}?)\s+(?P<numbers>{_NUMBER}(?:\s+{_NUMBER})*)$")
_BARE_NUMBER = re.compile(rf"^{_NUMBER}$")
_SENTENCE = re.compile(r"[。，；,;]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
SHORT_LINE = 20


def claims(source: Source) -> bool:
    return source.suffix in _SUFFIXES or text_layout(source) == NAME


_BREAK = re.compile(r"<br\s*/?>", re.I)
_PIPE = re.compile(r"(?<!\\)\|")  # a pipe that is not escaped
_HEADING_MARK = re.compile(r"^#{1,6}\s+")
# The first characters a page footer or a converter's placeholder heading can start with.
_FOOTER_OR_PLACEHOLDER_START = frozenset("—–-－第#")


def _pipe_cells(line: str) -> list[str]:
    """The cells of a pipe-table row; ``<br>`` (how converters write a line break inside a
    cell, which markdown tables cannot hold) becomes a line break again."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    # (Without a backslash, the split at unescaped pipes is the plain split; without a "<",
    # no cell holds a <br>.)
    cells = _PIPE.split(inner) if "\\" in inner else inner.split("|")
    if "<" in inner:
        return [_BREAK.sub("\n", c.strip()).strip(" ") for c in cells]
    return [c.strip() for c in cells]


def _row_of(text: str) -> list[str] | None:
    """A short loose line as table cells: the label and its numbers, or the line alone."""
    m = _LABELLED_NUMBERS.match(text)
    if m and _HAN.search(m.group("label")):
        return [m.group("label"), *m.group("numbers").split()]
    return None


def _loose_run(run: list[tuple[int, str]]) -> list[Block]:
    """Loose lines between blank lines: a grid where they are a table turned into lines."""
    if not any(_row_of(text) for _, text in run):
        return [Paragraph(text, n) for n, text in run]
    blocks: list[Block] = []
    grid: Grid | None = None
    for n, text in run:
        row = _row_of(text)
        tabular = row is not None or (
            len(text) <= SHORT_LINE and not _SENTENCE.search(text)
            and not _BARE_NUMBER.match(text) and not is_heading(text))
        if not tabular:
            grid = None
            blocks.append(Paragraph(text, n))
            continue
        if grid is None:
            grid = Grid()
            blocks.append(grid)
        grid.rows.append([Cell(c, n) for c in (row or [text])])
    return blocks


def text_to_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    grid: Grid | None = None
    run: list[tuple[int, str]] = []

    def end_run():
        blocks.extend(_loose_run(run))
        run.clear()

    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if "-" in line and _SEPARATOR.match(line):
            continue
        if line[:1] in _FOOTER_OR_PLACEHOLDER_START \
                and (_PLACEHOLDER.match(line) or _PAGE_FOOTER.match(line)):
            continue
        if line.startswith("|"):
            end_run()
            if grid is None:
                grid = Grid()
                blocks.append(grid)
            grid.rows.append([Cell(text, n) for text in _pipe_cells(line)])
            continue
        grid = None
        if not line:
            end_run()
            continue
        run.append((n, _HEADING_MARK.sub("", line) if line[:1] == "#" else line))
    end_run()
    return blocks


def read(source: Source) -> Document:
    return read_text(source, FORMAT, NAME, text_to_blocks)
