"""Shared by the readers of files that have no lines of their own (Word, PDF).

Such a reader lists the document as items in reading order: ``("p", text)`` for a paragraph or a
line of text, ``("t", rows)`` for a table, each row a list of cells ``(text, is a merged-cell
span)`` or, from a reader that knows where each cell stands, ``(text, span, x0, x1)``: the cell's
left and right edges (PDF points for the PDF reader), which become ``Cell.x0``/``Cell.x1`` so that
the mapper can place cells under the header's columns by position.
The document is numbered as its text rendering: one line per paragraph, one per table row (cells
separated by tabs). ``render_lines`` gives that rendering (the source view shows it) and
``to_document`` the blocks whose ``line`` counts it.
"""

from __future__ import annotations

from ..model import Block, Cell, Document, Grid, Paragraph, Source

Item = tuple[str, object]


def render_lines(items: list[Item]) -> list[str]:
    lines: list[str] = []
    for kind, content in items:
        if kind == "p":
            lines.append(content)
        else:
            lines.extend("\t".join(cell[0].replace("\n", " ") for cell in row) for row in content)
    return lines


def _cell(cell: tuple, line: int) -> Cell:
    if len(cell) == 2:
        text, span = cell
        return Cell(text, line, span=span)
    text, span, x0, x1 = cell[:4]
    return Cell(text, line, span=span, x0=x0, x1=x1)


def to_document(source: Source, fmt: str, name: str, items: list[Item]) -> Document:
    blocks: list[Block] = []
    line = 0
    for kind, content in items:
        if kind == "p":
            line += 1
            if content.strip():
                blocks.append(Paragraph(content, line))
            continue
        grid = Grid()
        for row in content:
            line += 1
            grid.rows.append([_cell(cell, line) for cell in row])
        if grid.rows:
            blocks.append(grid)
    return Document(source, fmt, name, None, blocks)
