"""Text exported from Word: one table cell per line.

Each cell starts with a tab; a blank line ends a row; two blank lines, a section heading or a line
of prose end the table. A cell's text may continue on the following lines without a tab:
- ``商业`` / ``企业`` (seed 002): a label broken over two lines;
- ``结果`` / blank / ``维持`` (seed 003): a continuation even across a blank line;
- a lone ``0`` after a blank line (seed 003, row 5.属于三类内部事务信息): the value of the cell
  before it, not a new row.
A line after a single blank line continues the last cell only when it is short and the table goes
on after it (the next non-blank line is a cell); otherwise it is prose and ends the table.

A cell's place in its row is its only position, and cells merged across columns are one cell
(the header's 总计 is the fourth cell of its row): cells get no ``x0``/``x1``, as in tab_rows.
"""

from __future__ import annotations

from ..model import Block, Cell, Document, Grid, Paragraph, Source
from ._landmarks import is_heading
from ._text import is_blank, read_text, text_layout

NAME = "word_cells"
FORMAT = "txt"

# A continuation after a blank line is a fragment of a cell, never a sentence.
MAX_CONTINUATION_CHARS = 20


def claims(source: Source) -> bool:
    return text_layout(source) == NAME


def _next_content_line(lines: list[str], start: int) -> str | None:
    for line in lines[start:]:
        if not is_blank(line):
            return line
    return None


def _continues_cell(lines: list[str], index: int, blanks: int) -> bool:
    line = lines[index]
    if is_heading(line):
        return False
    table_goes_on = (_next_content_line(lines, index + 1) or "").startswith("\t")
    short = len(line.strip()) <= MAX_CONTINUATION_CHARS
    if blanks == 0:
        return table_goes_on or short
    return blanks == 1 and short and table_goes_on


def text_to_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    grid: Grid | None = None
    row_open = False
    blanks = 0
    for index, line in enumerate(lines):
        number = index + 1
        if line.startswith("\t"):
            if grid is None:
                grid = Grid()
                blocks.append(grid)
                row_open = False
            if not row_open:
                grid.rows.append([])
                row_open = True
            grid.rows[-1].append(Cell(line[1:], number))
            blanks = 0
        elif is_blank(line):
            blanks += 1
            row_open = False
        elif grid is not None and grid.rows and _continues_cell(lines, index, blanks):
            cell = grid.rows[-1][-1]
            cell.text += "\n" * (blanks + 1) + line
            cell.line_end = number
            row_open = True  # seed 003: 结果 / blank / 维持 then the row goes on
            blanks = 0
        else:
            grid = None
            blocks.append(Paragraph(line, number))
            blanks = 0
    return blocks


def read(source: Source) -> Document:
    return read_text(source, FORMAT, NAME, text_to_blocks)
