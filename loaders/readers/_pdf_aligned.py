"""Tables a PDF prints without ruling lines: columns of text aligned on the page, read as
``pdftotext -layout`` text is read (``layout_text``), with the chars' own positions.

A table with no rules (or with horizontal rules only: a 三线表, a page printed from a web page
whose borders were lost) has no cells ``find_tables`` could find, and its text comes out as
lines of text (``text_lines``). Where a run of those lines holds numbers aligned in columns,
the run is handed to ``layout_text``'s classifier and table builder (``classify_tokens``,
``blocks_of``): headers joined over lines, labels wrapped around their numbers, group labels
printed down the page, numbers kept where they stand. That reader works on tokens (runs of text
with their columns); here a token is a run of a line's words whose gaps are under ``TOKEN_GAP``
em, its edges in half ems (one unit a narrow character, two a Chinese one, as pdftotext counts
columns), so that its few distances in characters hold. An em is measured on the page, the
width of a Chinese char (``_em``).

Unlike pdftotext, nothing is rounded to a character grid: numbers centred in their columns keep
their true edges, and the mapper places them under the header's words by overlap. The numbers
that end a run of words are tokens of their own, each with its unit (``行政许可 1234`` is a label
and a number; ``1234 件`` one number, then ``irregular_number``; ``3001 53`` two numbers);
digits closer than a blank are one word, as printed (``17051663``: the mapper reports what it
cannot read).

A run of lines (up to a table) is read as a table when it holds one
(``aligned``): a line of ten numbers or more (section 四's row); two lines with three tokens of
which two are numbers, their numbers standing over one another in two columns or more; or such
a line under header lines with a word over each of its numbers. A run is read too when the
numbers of one of its rows all stand in the columns of a run that holds a table (a table's
first row alone at the foot of a page, its header above it). Prose stays prose:
a number inside a run of text is no token of its own (``办结 21 件，结转 5 件。``, as LibreOffice
and WPS space the digits in Chinese text), and a line with words between its numbers (``本年
新收申请  23  件  上年结转申请  5  件``) is one token, since a row's cells after its label are
all numbers.
"""

from __future__ import annotations

import re
import statistics

from ._layout_rows import Token
from ._pdf_tables import PdfCell, TextLine
from .layout_text import _is_value, blocks_of, classify_tokens, is_number

WORD_GAP = 0.15  # ems: a wider gap between two chars of a line is a blank
TOKEN_GAP = 0.45  # ems: a wider gap between two words ends a token (a blank is 0.25-0.35)
MIN_ROWS = 2  # lines with three tokens or more, two of them numbers
MIN_COLUMNS = 2  # columns in which two of those lines have a number
LONG_ROW = 10  # numbers on one line: a table's row by itself (section 四's fifteen)
HEADER_REACH = 3  # lines: how far above a row its header may stand
SAME_LINE = 0.2  # ems: chars whose baselines lie this near stand on one line
_UNIT = re.compile(r"(万元|元|万|件|条|个|项|%|％)")
# A number standing alone among a line's words (a line's text has its words a blank apart)
_ALONE = re.compile(r"[+\-−]?[0-9０-９][0-9０-９,，.]*(?:万元|元|件|条|个|项|%|％)?")


def _row_text(text: str) -> bool:
    """Whether a line's text may hold a table's row, cheaply (most lines of a PDF are prose):
    two numbers standing alone side by side (``94 15``; prose puts words between its numbers:
    ``2023 年 1 月 1 日``). The line's chars are put in lines again before its tokens are read
    (``_lines``), so its words may be a row's mixed with a wrapped label's."""
    words = text.split()
    return any(_ALONE.fullmatch(a) and _ALONE.fullmatch(b) for a, b in zip(words, words[1:]))


def _em(chars: list) -> float | None:
    """A font size measured on the page: the median width of the Chinese chars (a Chinese char
    is one em wide). The size a backend reports may be another unit's (pdfium gives Chromium's
    10.5 pt text as 14)."""
    widths = [c.x1 - c.x0 for c in chars if ord(c.text[0]) >= 0x2E80 and c.x1 > c.x0]
    return statistics.median(widths) if widths else None


def _words(chars: list, em: float) -> list[list]:
    """A line's words, left to right: [x0, x1, text], a word ending where a gap wider than
    ``WORD_GAP`` em (a blank) stands."""
    words: list[list] = []
    for c in sorted((c for c in chars if c.text.strip()), key=lambda c: c.x0):
        if words and c.x0 - words[-1][1] <= WORD_GAP * em:
            word = words[-1]
            word[1] = max(word[1], c.x1)
            word[2] += c.text
        else:
            words.append([c.x0, c.x1, c.text])
    return words


def _numbers_at_end(run: list[list]) -> int:
    """Where the numbers that end a run of words start (each with its unit: ``1234 件``)."""
    k = len(run)
    while k:
        if is_number(run[k - 1][2]):
            k -= 1
        elif k >= 2 and _UNIT.fullmatch(run[k - 1][2]) and is_number(run[k - 2][2]):
            k -= 2
        else:
            break
    return k


def _tokens(line: TextLine, number: int, page: int, unit: float, em: float) -> list[Token]:
    """A line's tokens, their edges in ``unit`` points: its words joined where the gap between
    them is under ``TOKEN_GAP`` em, then the numbers that end such a run taken apart from it,
    each a token with its unit (a label and its number a blank apart: ``行政许可 1234``; numbers
    a blank apart). A number inside a run of text stays in it (prose: ``其他处理 9 件，结转``)."""
    em = _em(line.chars) or em
    runs: list[list[list]] = []
    for word in _words(line.chars, em):
        if runs and word[0] - runs[-1][-1][1] <= TOKEN_GAP * em:
            runs[-1].append(word)
        else:
            runs.append([word])
    parts: list[list[list]] = []
    for run in runs:
        k = _numbers_at_end(run)
        if k:
            parts.append(run[:k])
        for word in run[k:]:
            if _UNIT.fullmatch(word[2]) and parts and is_number(parts[-1][-1][2]):
                parts[-1].append(word)
            else:
                parts.append([word])
    out = []
    for part in parts:
        text = " ".join(w[2] for w in part)
        out.append(Token(text, number, part[0][0] / unit, part[-1][1] / unit, page,
                         _is_value(text)))
    values = [k for k, t in enumerate(out) if t.value]
    if values and any(not t.value for t in out[values[0]:values[-1]]):
        # Words between numbers (本年新收申请 23 件 上年结转申请 5 件): prose, not a row,
        # whose cells after its label are all numbers. One token of its whole text.
        return [Token(line.text, number, out[0].x0, out[-1].x1, page, False)]
    return out


def _rows(tokens: list[list[Token]]) -> list[list[Token]]:
    """The numbers of each line that reads as a row: three tokens or more, two of them numbers."""
    out = []
    for line in tokens:
        found = [t for t in line if t.value and is_number(t.text)]
        if len(found) >= 2 and len(line) >= 3:
            out.append(found)
    return out


def aligned(tokens: list[list[Token]]) -> bool:
    """Whether the lines hold a table: a line that reads as a row with ``LONG_ROW`` numbers or
    more (section 四's one row of fifteen), or ``MIN_ROWS`` lines that read as rows
    (``_rows``) with numbers over one another in ``MIN_COLUMNS`` columns or more."""
    rows = _rows(tokens)
    if any(len(row) >= LONG_ROW for row in rows) or _headed(tokens):
        return True
    if len(rows) < MIN_ROWS:
        return False
    numbers = sorted((t for row in rows for t in row), key=lambda t: t.x0)
    columns = 0
    right = None
    members: set[int] = set()
    for t in numbers + [None]:
        if t is None or (right is not None and t.x0 >= right):
            columns += len(members) >= MIN_ROWS
            members = set()
            right = None
        if t is not None:
            members.add(t.line)
            right = t.x1 if right is None else max(right, t.x1)
    return columns >= MIN_COLUMNS


def _headed(tokens: list[list[Token]]) -> bool:
    """Whether a line that reads as a row stands under a header naming each of its numbers:
    each number under a word of its own on the lines of words just above it (at most
    ``HEADER_REACH`` of them, none with a number): 信息内容 本年制发件数 本年废止件数
    现行有效件数 over 行政规范性文件 13 41, a table of one row whose blank cell is blank;
    section 四's leaves over its row, on the lines their wrapping puts them."""
    for i, line in enumerate(tokens):
        numbers = [t for t in line if t.value and is_number(t.text)]
        if len(numbers) < 2 or len(line) < 3:
            continue
        header: list[Token] = []
        for above in reversed(tokens[max(0, i - HEADER_REACH):i]):
            if any(t.value for t in above):
                break
            header += above
        named = [next((id(w) for w in header if min(w.x1, t.x1) > max(w.x0, t.x0)), None)
                 for t in numbers]
        if None not in named and len(set(named)) == len(named):
            return True
    return False


def _lines(run: list[TextLine], em: float) -> list[TextLine]:
    """The run's chars in lines as pdftotext puts them: a line the chars whose bottoms (their
    baseline) lie within ``SAME_LINE`` em of its first's, none chained further
    (``text_lines`` chains tops within 3 points, which makes one line of a header word centred
    between two others: 自然 / 人 beside 商业 / 企业). A line whose chars are those of a line of
    the run is that line."""
    chars = sorted((c for line in run for c in line.chars), key=lambda c: (c.bottom, c.x0))
    groups: list[list] = []
    for c in chars:
        if groups and c.bottom - groups[-1][0].bottom <= SAME_LINE * em:
            groups[-1].append(c)
        else:
            groups.append([c])
    same = {frozenset(map(id, line.chars)): line for line in run}
    out = []
    for group in groups:
        line = same.get(frozenset(map(id, group)))
        if line is None:
            group.sort(key=lambda c: c.x0)
            line = TextLine(" ".join(w[2] for w in _words(group, em)),
                            min(c.top for c in group), group)
        out.append(line)
    return out


def tables(pages: list[list[tuple[str, object]]]) -> list[list[tuple[str, object]]]:
    """Each page's items (``("p", TextLine)``, ``("t", TablePart)``) with the tables printed
    without rules found in its runs of text lines: such a table becomes a ``("g", rows)`` item,
    its rows lists of ``PdfCell``. A run is read that holds a table (``aligned``), or with a row
    whose numbers all stand in the columns of the numbers of such a run (a table's first row
    alone at the foot of a page, its other rows on the next); where no run holds a table, the
    pages are as they were. A run of lines at the top of a page right above a ruled table is
    read only when it holds a table itself; else ``pdf_file`` may make it a row of that table
    (printed without its rules)."""
    runs = []  # (page, first item, last item + 1, lines, tokens, unit, above a ruled table)
    for p, items in enumerate(pages):
        k = 0
        while k < len(items):
            if items[k][0] != "p":
                k += 1
                continue
            end = k
            while end < len(items) and items[end][0] == "p":
                end += 1
            run = [content for _, content in items[k:end]]
            above_ruled = k == 0 and end < len(items) and items[end][0] == "t"
            if any(map(_row_text, (line.text for line in run))):
                chars = [c for line in run for c in line.chars]
                em = _em(chars) or statistics.median(c.size for c in chars) or 1.0
                lines = _lines(run, em)
                unit = em / 2  # a narrow char, as pdftotext counts columns
                tokens = [_tokens(line, n, p + 1, unit, em) for n, line in enumerate(lines, 1)]
                if _rows(tokens):
                    runs.append((p, k, end, lines, tokens, unit, above_ruled))
            k = end
    held = [aligned(tokens) for *_, tokens, _, _ in runs]
    if not any(held):
        return pages
    columns = [(t.x0 * unit, t.x1 * unit) for (*_, tokens, unit, _), ok in zip(runs, held) if ok
               for row in _rows(tokens) for t in row]
    out = [list(items) for items in pages]
    for (p, k, end, lines, tokens, unit, above_ruled), ok in reversed(list(zip(runs, held))):
        if ok or (not above_ruled and any(
                all(any(min(t.x1 * unit, x1) > max(t.x0 * unit, x0) for x0, x1 in columns)
                    for t in row) for row in _rows(tokens))):
            out[p][k:end] = _items(lines, tokens, unit)
    return out


def _items(lines: list[TextLine], tokens: list[list[Token]], unit: float
           ) -> list[tuple[str, object]]:
    items: list[tuple[str, object]] = []
    for block in blocks_of(classify_tokens(tokens)):
        if hasattr(block, "rows"):
            items.append(("g", [[PdfCell(c.text, c.span, c.x0 * unit, c.x1 * unit) for c in row]
                                for row in block.rows]))
        else:
            items.append(("p", lines[block.line - 1]))
    return items
