"""Text whose tables are runs of label text and digits: a web page's visible text as a crawler
keeps it, every cell run together (``一、本年新收政府信息公开申请数量5000005``), or parted by
single spaces (``规章 0 0 0``), or by a mix of both (``20 0 0 0 02``); often the whole page on one
physical line (samples: tests/samples/run_text/).

The reader knows no row of the form. It finds the *runs*: digits (with single spaces, signs,
decimal points, a trailing unit such as 元, and the placeholders written in cells without a
number: ``/``, ``—``, ``-``; a run has a digit) that stand between label text and the next label,
and it keeps each run whole, as one cell marked ``joined``, with the label text before it; the
mapper cuts runs into the form's cells (mapping/splitting.py). What tells a run of a table from a
number in a sentence:

- the label before it, since the last sentence end (。；！？), reads as a label: Han text with no
  comma or colon outside brackets (a sentence has them: 2021年，我局……);
- it stands between label characters: after Han text or a closing bracket, and before the end,
  an opening bracket, or a Han character that is not a measure word (5条, 2021年, 3万余人 are
  prose; 行政许可0第二十条 and 5000005二、 are cells);
- a digit followed by ``.``, ``．`` or ``、`` and a Han character starts a numbered label: in
  ``…00000002.其他法律…`` the run is ``0000000`` and the next label ``2.其他法律…``
  (sample label_number_glued_to_run.txt); a point between digits is a decimal point.

Label text between two runs is cut before each numbering (``三、``, ``（一）``, ``1.``) into
rows of one label each; a section heading among them (``三、收到和处理政府信息公开申请情况``) ends
the table and becomes a paragraph, as do the sentences around the tables.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..model import Block, Cell, Document, Grid, Paragraph, Source
from ._landmarks import MAX_HEADING_CHARS, is_heading
from ._text import is_blank, read_text, text_layout

NAME = "run_text"
FORMAT = "txt"

_D = "0-9\uff10-\uff19"  # ASCII and full-width digits
# A number: its sign, digits (with thousands commas, 1,318) and a decimal fraction.
_NUM = rf"[+\-\u2212\uff0d]?[{_D}]+(?:,[{_D}]{{3}})*(?:[.\uff0e][{_D}]+)?"
_SEP = "[ \u00a0\u3000]"
# A placeholder written where a cell has no number (规章000//, 行政许可///0/): a cell of the run,
# which the mapper reads as text, never a number.
_PLACEHOLDER = rf"(?:[/\uff0f\\]|\u2014+|[\-\u2212\u2013\uff0d](?![{_D}]))"
_TOKEN = rf"(?:{_NUM}|{_PLACEHOLDER})"
_NO_DIGIT = re.compile(rf"[^{_D}]*")
_RUN = re.compile(rf"{_TOKEN}(?:{_SEP}?{_TOKEN})*(?:{_SEP}?(?:亿元|千元|万元|元|万|亿))?")
_LABEL_NUMBER = re.compile(rf"[{_D}]{{1,2}}[.\uff0e、](?=[\u4e00-\u9fff])")
# Where a label text is cut into rows: before 三、 / （一） / 1. (not 第（一）项, not a decimal).
_NUMBERING = re.compile(
    rf"(?<!第)(?:[一二三四五六七八九十]{{1,3}}、|[（(][一二三四五六七八九十]{{1,3}}[）)](?!项)"
    rf"|(?<![{_D}.\uff0e])[{_D}]{{1,2}}[.\uff0e、](?=[\u4e00-\u9fff]))")
_TOP_NUMBERING = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.\uff0e])")
# A digit followed by one of these is a quantity in a sentence (5条, 2021年), not a cell.
_MEASURE = set("年月日时分秒条件个项人次家份批篇名位岁天期届号余多周场轮户套台辆间所座亩米吨倍"
               "千百类种册张页字起宗笔级点")
_OPENERS = set("（(【《“\"「『〔[")
_CLOSERS = set("）)】》”\"」』〕]")
_SENTENCE_END = set("。！？；!?;")
# After a sentence end, or at a space before a top-level numbering (…年报 一、总体情况2021年…).
_SENTENCE_BREAK = re.compile(r"(?<=[。！？；!?;])(?![。！？；!?;])|\s+(?=[一二三四五六七八九十]{1,2}、)")
_NOT_IN_LABEL = set("，,：:")  # outside brackets: a label has no comma or colon, a sentence has
MAX_LABEL_CHARS = 200
MIN_RUNS = 12  # runs a file needs to be read as tables (section 三 alone has 25 rows)


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@dataclass(frozen=True)
class _Span:
    """One run of a table, with the prose and the label text before it, as offsets in a line."""

    prose: int  # [prose, label): sentences before the table's label text
    label: int  # [label, start): the label text
    start: int  # [start, end): the run
    end: int


def _detach_label_number(line: str, start: int, end: int) -> int:
    """The run's end once a numbered label glued to it is given back (…00000002.其他 -> …0000000):
    the last digit, or the last two when the last is 0 (…010.其他 -> 10.其他)."""
    if not _LABEL_NUMBER.match(line, end - 1) and not _LABEL_NUMBER.match(line, end - 2):
        return end
    if end - 1 >= start and line[end - 1] not in "0\uff10" and _LABEL_NUMBER.match(line, end - 1):
        end -= 1
    elif end - 2 >= start and line[end - 2] not in "0\uff10" and _LABEL_NUMBER.match(line, end - 2):
        end -= 2
    return end


def _before_ok(line: str, start: int) -> bool:
    i = start - 1
    if i >= 0 and line[i] in " \u00a0\u3000":
        i -= 1
    return i < 0 or _han(line[i]) or line[i] in _CLOSERS


def _after_ok(line: str, end: int) -> bool:
    i = end
    if i < len(line) and line[i] in " \u00a0\u3000":
        i += 1
    if i >= len(line):
        return True
    ch = line[i]
    if _LABEL_NUMBER.match(line, i):
        return True
    return (_han(ch) and ch not in _MEASURE) or ch in _OPENERS


_MARKS = re.compile("[" + re.escape("".join(_OPENERS | _CLOSERS | _SENTENCE_END | _NOT_IN_LABEL))
                    + "]")


class _Line:
    """A line with what the label tests ask, found once (a long line of candidates that fail
    costs linear time): sentence ends, commas and colons outside brackets."""

    def __init__(self, text: str):
        self.text = text
        self.ends: list[int] = []  # index after each sentence end outside brackets
        self.bad: list[int] = []  # index of each comma or colon outside brackets
        depth = 0
        for m in _MARKS.finditer(text):
            ch = m.group(0)
            if ch in _OPENERS and ch != '"':
                depth += 1
            elif ch in _CLOSERS and ch != '"':
                depth = max(0, depth - 1)
            elif depth == 0 and ch in _SENTENCE_END:
                self.ends.append(m.end())
            elif depth == 0 and ch in _NOT_IN_LABEL:
                self.bad.append(m.start())

    def label_start(self, pos: int, start: int) -> int:
        """Where the label before ``start`` begins: after the last sentence end, not before pos."""
        k = bisect.bisect_right(self.ends, start) - 1
        return max(pos, self.ends[k]) if k >= 0 else pos

    def label_like(self, label: int, start: int) -> bool:
        """Han text with no comma or colon outside brackets, and not too long."""
        if start - label > MAX_LABEL_CHARS * 2 or \
                bisect.bisect_left(self.bad, label) != bisect.bisect_left(self.bad, start):
            return False
        text = self.text[label:start].strip()
        return 0 < len(text) <= MAX_LABEL_CHARS and any(_han(ch) for ch in text)


def _spans(line: str, banned: set[int], counted: _Line) -> list[_Span]:
    spans: list[_Span] = []
    pos = 0
    for m in _RUN.finditer(line):
        start = m.start()
        end = _detach_label_number(line, start, m.end())
        while end > start and line[end - 1] in " \u00a0\u3000":
            end -= 1
        if end <= start or start < pos or start in banned or not _before_ok(line, start) \
                or not _after_ok(line, end) or _NO_DIGIT.fullmatch(line, start, end):
            continue  # (placeholders alone are text: 本年增/减)
        label = counted.label_start(pos, start)
        if not counted.label_like(label, start):
            continue
        spans.append(_Span(pos, label, start, end))
        pos = end
    return spans


def _stray(spans: list[_Span], line: str) -> set[int]:
    """Runs of one or two digits alone between sentences (…景区门票及68海里景区…): a number in
    a sentence that happens to stand between label-like words, not a table of one cell."""
    stray = set()
    for k, span in enumerate(spans):
        after = spans[k + 1] if k + 1 < len(spans) else None
        alone = span.prose < span.label and (after is None or after.prose < after.label)
        if alone and sum(map(str.isdigit, line[span.start:span.end])) < 3:
            stray.add(span.start)
    return stray


def find_runs(line: str) -> list[_Span]:
    """The runs of tables in one line of text, in order (see the module's rules)."""
    banned: set[int] = set()
    counted = _Line(line)
    for _ in range(3):  # a stray run given back to its sentence changes the label after it
        spans = _spans(line, banned, counted)
        stray = _stray(spans, line)
        if not stray:
            break
        banned |= stray
    return spans


def _sentences(text: str, line: int) -> list[Paragraph]:
    """Prose cut after each sentence end and before a numbering that follows a space, and after
    a section heading that opens a piece (一、总体情况2021年以来…), so that headings are found
    and sections cut."""
    paragraphs: list[Paragraph] = []
    for piece in _SENTENCE_BREAK.split(text):
        for part in _heading_apart(piece):
            if not is_blank(part):
                paragraphs.append(Paragraph(part.strip(), line))
    return paragraphs


def _heading_apart(text: str) -> list[str]:
    """A section heading at the start of ``text`` as a part of its own."""
    if not _TOP_NUMBERING.match(text):
        return [text]
    lead = len(text) - len(text.lstrip())
    for k in range(lead + 3, min(len(text), lead + MAX_HEADING_CHARS) + 1):
        if is_heading(text[lead:k]):
            return [text[:k], text[k:]]
    return [text]


def _label_rows(text: str) -> list[str]:
    """Label text cut before each numbering: 三、本年度办理结果（一）予以公开 -> two labels."""
    cuts = [m.start() for m in _NUMBERING.finditer(text) if text[:m.start()].strip()]
    bounds = [0] + cuts + [len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def line_to_items(line: str, number: int) -> list[Paragraph | list[Cell]]:
    """One line as paragraphs and table rows (lists of cells), in reading order."""
    items: list[Paragraph | list[Cell]] = []
    pos = 0
    spans = _LAST_RUNS.get(line)
    for span in find_runs(line) if spans is None else spans:
        items.extend(_sentences(line[span.prose:span.label], number))
        labels = _label_rows(line[span.label:span.start])
        for k, label in enumerate(labels):
            last = k == len(labels) - 1
            for part in _heading_apart(label):
                if is_heading(part):
                    items.append(Paragraph(part.strip(), number))
                elif not is_blank(part):
                    items.append([Cell(part.strip(), number)])
            if last and items and isinstance(items[-1], list):
                items[-1].append(Cell(line[span.start:span.end], number, joined=True))
            elif last:
                items.append([Cell(line[span.start:span.end], number, joined=True)])
        if not labels:
            items.append([Cell(line[span.start:span.end], number, joined=True)])
        pos = span.end
    items.extend(_sentences(line[pos:], number))
    return items


def text_to_blocks(lines: list[str]) -> list[Block]:
    """Paragraphs, and a grid for each stretch of rows that no paragraph interrupts (over
    several lines when each row stands on its own line)."""
    blocks: list[Block] = []
    grid: Grid | None = None
    for number, line in enumerate(lines, 1):
        if is_blank(line):
            continue
        for item in line_to_items(line, number):
            if isinstance(item, Paragraph):
                grid = None
                blocks.append(item)
            else:
                if grid is None:
                    grid = Grid()
                    blocks.append(grid)
                grid.rows.append(item)
    return blocks


_LAST_RUNS: dict[str, list[_Span]] = {}
"""The runs of each line of the last text ``has_run_tables`` looked at: the read of a file
that it claims for this reader asks for them again (``find_runs`` depends on the line alone)."""


def has_run_tables(lines: list[str]) -> bool:
    """Whether the text holds tables as runs: enough runs of label text and digits, most of
    them several cells' worth (3 digits or more)."""
    found: dict[str, list[_Span]] = {}
    for line in lines:
        if line not in found:
            found[line] = find_runs(line)
    _LAST_RUNS.clear()
    _LAST_RUNS.update(found)
    runs = [line[s.start:s.end] for line in lines for s in found[line]]
    wide = sum(1 for r in runs if sum(map(str.isdigit, r)) >= 3)
    return len(runs) >= MIN_RUNS and wide >= MIN_RUNS // 2


def claims(source: Source) -> bool:
    return text_layout(source) == NAME


def read(source: Source) -> Document:
    return read_text(source, FORMAT, NAME, text_to_blocks)
