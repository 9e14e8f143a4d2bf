"""Text copied out of a PDF: one table row per line, cells separated by tabs.

Quirks (seed 004_82a9170de9e2b25c.txt):
- a table broken over a page continues after a blank line, with its header rows repeated;
- rows that lost their leading label cells (``5.属于三类内部事务信息`` starts at column 0);
- trailing empty cells left by the PDF's column layout.
The reader keeps all of that as it is: a grid runs on across blank lines until a line of prose;
the mapper drops repeated headers and places rows by their labels.

Cells get no ``x0``/``x1``: a cell's index on its line is the only position the text has, and it
is no geometry (in seed 004 the rows of one page put their numbers at three offsets, the empty
cells of merged labels moved to the line's end). The mapper compares indexes only to choose
between the ways counting reads a row with blank cells at both ends, where the header and every
other row agree (loaders/mapping/applications.py, tests/samples/tab_rows/).
"""

from __future__ import annotations

from ..model import Block, Cell, Document, Grid, Paragraph, Source
from ._text import is_blank, read_text, text_layout

NAME = "tab_rows"
FORMAT = "txt"


def claims(source: Source) -> bool:
    return text_layout(source) == NAME


def text_to_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    grid: Grid | None = None
    for number, line in enumerate(lines, 1):
        if "\t" in line:
            if grid is None:
                grid = Grid()
                blocks.append(grid)
            grid.rows.append([Cell(text, number) for text in line.split("\t")])
        elif is_blank(line):
            continue
        else:
            grid = None
            blocks.append(Paragraph(line, number))
    return blocks


def read(source: Source) -> Document:
    return read_text(source, FORMAT, NAME, text_to_blocks)
