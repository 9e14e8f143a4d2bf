"""``pdftotext -layout`` output: text whose tables are columns aligned by runs of spaces.

Quirks (corpus huaian_szf_2024_pdftotext_layout.txt; samples in tests/samples/layout_text/):
- one character per column whatever its width: a cell is a run of text between gaps of two
  spaces or more, and keeps its character columns (``Cell.x0``, ``x1``) so that the mapper places
  numbers under the form's columns by position (SPEC, *No silent number*). No blank cell is
  invented: a blank is a column where nothing stands (blank_cell_in_layout.txt);
- page footers (``-4-``, ``— 5 —``, ``第 4 页``) inside a table are dropped, and the table goes on
  in a new grid at each page break (a form feed), since character columns are comparable only
  within one page (page_footer_inside_table.txt); a header printed again at the top of the new
  page is that grid's header, with that page's columns (header_repeated_after_page_break.txt);
- a number one space after a label that fills its column (number_glued_to_label.txt);
- a table's header split over many lines, words broken between lines, group labels printed one
  character per line, labels wrapped around their numbers: see ``_layout_rows``;
- tables one after the other in one run of lines (section 二): a line with words where the numbers
  stand starts a new table; lines between two tables (``第二十条 第（五）项``) are prose.

Lines are the lines of the file; columns are counted without the form feed that pdftotext puts
before the first line of a page.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..model import Block, Document, Grid, Paragraph, Source
from ._landmarks import is_heading
from ._layout_rows import Token, body_rows, header_rows
from ._text import read_text, text_layout

NAME = "layout_text"
FORMAT = "txt"

# A run of text: words separated by single spaces; two spaces or more end it.
_TOKEN = re.compile(r"\S+(?:[ \u00a0\u3000]\S+)*")
_NUMBER = re.compile(r"[+\-]?\d[\d,]*(?:\.\d+)?(?:%|万元|元|万|件|条|个|项)?")
_DIGIT = re.compile(r"\d")
_PLACEHOLDERS = {"-", "--", "—", "——", "/", "\\", "无", "空", "暂无"}
_FOOTER = re.compile(r"^(?:[-—–－~]+\s*\d{1,4}\s*[-—–－~]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}"
                     r"\s*页)?|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4})$")
_SENTENCE_END = re.compile(r"[。！？]$")
PROSE_SHARE = 0.75  # a line of prose is at least this share of the page's usual line length
MIN_PROSE_WIDTH = 24  # characters: a line of body text on an A4 page holds more
TABLE_REACH = 5  # lines: how far from a long line its table's lines may stand


def claims(source: Source) -> bool:
    return text_layout(source) == NAME


def _folded(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    return text.replace(" ", "") if " " in text else re.sub(r"\s", "", text)


@lru_cache(maxsize=4096)
def is_number(text: str) -> bool:
    return bool(_DIGIT.search(text)) and bool(_NUMBER.fullmatch(_folded(text)))


@lru_cache(maxsize=4096)
def _is_value(text: str) -> bool:
    """A number, or what stands for a blank cell (—, 无)."""
    return is_number(text) or (len(text) <= 2 and _folded(text) in _PLACEHOLDERS)


def tokens_of(text: str, line: int, page: int = 1) -> list[Token]:
    stripped = text.lstrip(" ")
    if "  " not in stripped and "\u3000" not in stripped and stripped.strip():  # one run
        x0 = len(text) - len(stripped)
        word = stripped.rstrip()
        return [Token(word, line, x0, x0 + len(word), page, _is_value(word))]
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        x0, x1 = m.span()
        out.append(Token(word, line, x0, x1, page, _is_value(word)))
    return out


def space_aligned(lines: list[str]) -> bool:
    """Whether the text's tables are columns aligned by spaces: at least three lines with three
    runs of text or more (two gaps of two spaces or more) of which two are numbers, and numbers
    ending in the same character column on three such lines, in two columns or more."""
    ends: Counter[int] = Counter()
    rows = 0
    for text in lines:
        if "  " not in text.strip():
            continue
        # The ends of the numbers among the line's runs: its tokens' (``tokens_of``: a line with
        # two spaces inside is cut by ``_TOKEN``), without making them.
        numbers = [m.end() for m in _TOKEN.finditer(text.replace("\f", "")) if is_number(m.group())]
        if len(numbers) >= 2 and len(_TOKEN.findall(text)) >= 3:
            rows += 1
            ends.update(numbers)
    return rows >= 3 and sum(1 for count in ends.values() if count >= 3) >= 2


# ---------------------------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------------------------

@dataclass
class Line:
    number: int  # 1-based line of the file
    page: int
    text: str  # without form feeds
    tokens: list[Token]
    kind: str  # blank | footer | heading | prose | values | text

    @property
    def first_value(self) -> int:
        return next(t.x0 for t in self.tokens if t.value)


def _prose_width(lines: list[str]) -> float:
    """The usual length of a line of prose: the median of the lines of one run of text (a
    report without much prose, or whose prose is short, is not allowed to make every label
    prose: MIN_PROSE_WIDTH)."""
    lengths = [len(s) for s in (ln.strip() for ln in lines)
               if len(s) >= 10 and "  " not in s and not is_number(s)]
    return max(statistics.median(lengths) if lengths else 0, MIN_PROSE_WIDTH)


def _kind(text: str, tokens: list[Token], width: float) -> str:
    """blank, footer, values (a row with numbers), heading, prose, long (prose by its length
    alone, unless it stands inside a table: see ``_inside_tables``) or text."""
    stripped = text.strip()
    if not stripped:
        return "blank"
    if _FOOTER.match(stripped):
        return "footer"
    for t in tokens:  # only a value can be a number (is_number implies _is_value): the rest skipped
        if t.value and is_number(t.text):
            return "values"
    if len(tokens) >= 2 and tokens[-1].value and not tokens[0].value:
        return "values"  # a row whose cells are placeholders (—, 无)
    if "   " not in stripped:  # one run of text (justified prose may have double spaces)
        if len(tokens) == 1 and is_heading(stripped):
            return "heading"
        if _SENTENCE_END.search(stripped):
            return "prose"
        if len(stripped) >= PROSE_SHARE * width:
            return "long"
    return "text"


def _table_line(line: Line) -> bool:
    return line.kind == "values" or (line.kind == "text" and len(line.tokens) >= 2)


def _inside_tables(lines: list[Line]) -> None:
    """A long line with table lines close above and below it, and no prose between, is a
    label of the table (a wide label column, a report with little prose: sample
    pdftotext_wrapped_label.txt); other long lines are prose."""
    def near(i: int, step: int) -> bool:
        j = i + step
        for _ in range(TABLE_REACH):
            if not 0 <= j < len(lines) or lines[j].kind in ("heading", "prose", "long"):
                return False
            if _table_line(lines[j]):
                return True
            j += step
        return False

    inside = {i for i, ln in enumerate(lines) if ln.kind == "long" and near(i, -1) and near(i, 1)}
    for i, line in enumerate(lines):
        if line.kind == "long":
            line.kind = "text" if i in inside else "prose"


def classify(lines: list[str]) -> list[Line]:
    width = _prose_width(lines)
    out = []
    page = 1
    for number, raw in enumerate(lines, 1):
        if "\f" in raw:  # pdftotext ends each page with a form feed
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        tokens = tokens_of(raw, number, page)
        out.append(Line(number, page, raw, tokens, _kind(raw, tokens, width)))
    _inside_tables(out)
    return out


def classify_tokens(lines: list[list[Token]]) -> list[Line]:
    """Lines already cut into runs of text, by a reader that knows where each stands (a PDF
    page's text lines, ``pdf_file``): classified as ``classify`` classifies the lines of a
    file, each line's text its runs three spaces apart (one run of text is a line of prose or
    a label, several are cells). Line ``k`` of the list is numbered ``k + 1``, and its tokens
    must say so."""
    texts = ["   ".join(t.text for t in tokens) for tokens in lines]
    width = _prose_width(texts)
    out = [Line(number, tokens[0].page if tokens else 1, text, tokens, _kind(text, tokens, width))
           for number, (text, tokens) in enumerate(zip(texts, lines), 1)]
    _inside_tables(out)
    return out


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

def _paragraphs(lines: list[Line]) -> list[Block]:
    return [Paragraph(ln.text.strip(), ln.number) for ln in lines
            if ln.kind not in ("blank", "footer")]


# A label and a number one space apart (a narrow table): 行政许可 447228, …数量 3001
_GLUED = re.compile(r"^(?P<label>.*[\u4e00-\u9fff）)”\"]) (?P<number>[+\-−]?\d[\d,]*(?:\.\d+)?"
                    r"(?: [+\-−]?\d[\d,]*(?:\.\d+)?)*)$")


def _unglued(line: Line) -> Line:
    """The line with a number glued to the label before it by one space taken apart (sample
    number_glued_to_label.txt), so that no number hides in a label; only in a table."""
    if line.kind not in ("text", "values") or not any(_GLUED.match(t.text) for t in line.tokens):
        return line
    tokens: list[Token] = []
    for t in line.tokens:
        m = None if t.value else _GLUED.match(t.text)
        if m is None:
            tokens.append(t)
            continue
        at = t.x0 + m.start("number")
        tokens.append(Token(m.group("label"), t.line, t.x0, t.x0 + m.end("label"), t.page, False))
        tokens.append(Token(m.group("number"), t.line, at, t.x1, t.page, True))
    return Line(line.number, line.page, line.text, tokens, "values")


class _Region:
    """A run of lines between two lines of prose that holds one table or more."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.values = [ln for ln in lines if ln.kind == "values"]
        self._numbers = [v.number for v in self.values]
        self._headers: dict[int, bool] = {}

    def _value_column(self, line: Line) -> int:
        """Where the numbers start around a line: on the lines of numbers just above and below
        it on its page (or the nearest anywhere in the run when its page has none)."""
        i = bisect_left(self._numbers, line.number)
        near = [v for v in self.values[max(i - 1, 0):i + 1] if v.number != line.number]
        same_page = [v for v in near if v.page == line.page]
        return min(v.first_value for v in same_page or near)

    def is_header(self, line: Line) -> bool:
        """A line of text with a word where the numbers stand, or reaching into their columns
        (a word wider than the numbers under it, centred over them): a header, never a label,
        which stands left of the numbers."""
        if line.number not in self._headers:
            column = self._value_column(line) if line.kind == "text" else 0
            self._headers[line.number] = line.kind == "text" and any(
                t.x0 >= column - 2 or t.x1 >= column + 2 for t in line.tokens)
        return self._headers[line.number]

    def segments(self) -> list[list[Line]]:
        """The region cut before each header line that follows a row of numbers."""
        segments: list[list[Line]] = [[]]
        seen_values = False
        for line in self.lines:
            if seen_values and self.is_header(line):
                segments.append([])
                seen_values = False
            segments[-1].append(line)
            seen_values = seen_values or line.kind == "values"
        return segments

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        for segment in self.segments():
            out.extend(self._table(segment))
        return out

    def _table(self, lines: list[Line]) -> list[Block]:
        rows = [i for i, ln in enumerate(lines) if ln.kind == "values"]
        if not rows:
            return _paragraphs(lines)
        headers = [i for i in range(rows[0]) if self.is_header(lines[i])]
        if headers:
            start, body_start = headers[0], headers[-1] + 1
        else:  # no header: text right above the first numbers is its label
            start = rows[0]
            while start and lines[start - 1].kind == "text":
                start -= 1
            body_start = start
        end = rows[-1] + 1
        while end < len(lines) and lines[end].kind == "text":  # a label wrapped below
            end += 1
        head = lines[start:body_start]
        body = [ln for ln in lines[body_start:end] if ln.kind != "footer"]
        pages = {ln.number: ln.page for ln in head}
        grid_rows = [(pages[cells[0].line], cells) for cells in header_rows(
            [ln.tokens if ln.kind not in ("blank", "footer") else [] for ln in head])]
        grid_rows += [(r.page, r.cells) for r in body_rows(
            [ln.tokens if ln.kind != "blank" else [] for ln in body])]
        grids: list[Block] = []
        page = None
        for row_page, cells in grid_rows:
            if row_page != page:  # columns are comparable only within one page
                grids.append(Grid())
                page = row_page
            grids[-1].rows.append(cells)
        return _paragraphs(lines[:start]) + grids + _paragraphs(lines[end:])


def text_to_blocks(raw_lines: list[str]) -> list[Block]:
    return blocks_of(classify(raw_lines))


def blocks_of(lines: list[Line]) -> list[Block]:
    """Classified lines as paragraphs and the grids of their tables."""
    blocks: list[Block] = []
    run: list[Line] = []

    def end_run():
        if any(ln.kind == "values" and len(ln.tokens) >= 2 for ln in run):
            blocks.extend(_Region([_unglued(ln) for ln in run]).blocks())
        else:
            blocks.extend(_paragraphs(run))
        run.clear()

    for line in lines:
        if line.kind in ("prose", "heading"):
            end_run()
            blocks.append(Paragraph(line.text.strip(), line.number))
        else:
            run.append(line)
    end_run()
    return blocks


def read(source: Source) -> Document:
    return read_text(source, FORMAT, NAME, text_to_blocks)
