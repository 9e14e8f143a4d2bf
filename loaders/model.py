"""Typed records passed along the pipeline: source -> document (blocks of prose and grids) -> report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from operator import attrgetter
from pathlib import Path


class LoadError(Exception):
    """A document that cannot be loaded at all; ``stage`` names the pipeline step that gave up."""

    def __init__(self, stage: str, message: str):
        super().__init__(message)
        self.stage = stage
        self.message = message


@dataclass
class Source:
    """A report file as published, and what we know of it before reading it."""

    path: Path
    data: bytes
    # Worked out once by the text readers (loaders/readers/_text.py), since each text reader's
    # claim and then the read ask for them: the text with the encoding it was decoded from, and
    # the text layout the file is in ("" when it is no text file: a page, a PDF, a Word file).
    # None until asked for.
    decoded: tuple[str, str] | None = field(default=None, repr=False, compare=False)
    text_layout: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_path(cls, path: str | Path) -> "Source":
        path = Path(path)
        return cls(path=path, data=path.read_bytes())

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower().lstrip(".")

    @cached_property
    def sha256(self) -> str:
        # Cached: the id, the store and the checks all ask for it, and hashing reads every byte.
        return hashlib.sha256(self.data).hexdigest()

    @property
    def report_id(self) -> str:
        """Stable id: the first 16 hex digits of the file's sha256, whatever its name or order."""
        return self.sha256[:16]


@dataclass(init=False, slots=True)
class Cell:
    """One table cell: its text exactly as in the source and the source lines it spans.

    A cell continued over several lines keeps the line breaks (and blank lines) in ``text``.
    """

    text: str
    line: int
    line_end: int = 0
    span: bool = False  # a position covered by a merged cell (rowspan/colspan), not a cell of its own
    # Where the cell stands across its table, for readers that know it: [x0, x1) in one unit per
    # grid (grid columns for HTML and Word, points for PDF, character columns for layout text).
    # The mapper places cells under the header's columns by these, not by counting (SPEC, *No
    # silent number*); None where the layout has no geometry (crawled text, tab rows).
    x0: float | None = None
    x1: float | None = None
    # The text may hold several cells run together (crawled text: 5000005 = 5|0|0|0|0|0|5, or
    # "20 0 0 0 02"); the mapper cuts it into the form's cells (loaders/mapping/splitting.py).
    joined: bool = False

    # Written out rather than generated with a __post_init__ (one Python call less), and with
    # slots (no dict): every reader makes one per cell, hundreds a report (issue 17). A field
    # added above must be added here too (tests/test_model.py compares the two lists).
    def __init__(self, text: str, line: int, line_end: int = 0, span: bool = False,
                 x0: float | None = None, x1: float | None = None, joined: bool = False):
        self.text = text
        self.line = line
        self.line_end = line_end or line
        self.span = span
        self.x0 = x0
        self.x1 = x1
        self.joined = joined


_LINE_END = attrgetter("line_end")


@dataclass
class Grid:
    """A table as the reader found it: rows of cells, no meaning attached yet."""

    rows: list[list[Cell]] = field(default_factory=list)
    index: int = 0  # position among the document's grids, 0-based

    @property
    def line_end(self) -> int:
        # every cell's, in C (map over the rows chained): asked of every grid of every section
        return max(map(_LINE_END, chain.from_iterable(self.rows)), default=0)


@dataclass
class Row:
    """A grid row with the table it belongs to (applications, review_litigation,
    active_disclosure or None) and its cells' normalized labels: what the mapper works on."""

    table: str | None
    grid: int
    index: int
    cells: list[Cell]
    norms: list[str]

    @property
    def line(self) -> int:
        return self.cells[0].line if self.cells else 0


@dataclass
class Paragraph:
    """A line of prose outside any table."""

    text: str
    line: int


Block = Paragraph | Grid


@dataclass
class Document:
    """What a reader makes of a file: the blocks in reading order."""

    source: Source
    format: str  # txt, html, docx, pdf, md
    layout: str  # the reader's name for the layout, e.g. word_cells, tab_rows
    encoding: str | None
    blocks: list[Block]
    # The page's <title> and <meta name=… content=…> (keys lower-cased), and the lines above the
    # report ("before_report"), filled by the HTML reader: cues to the agency and year when the
    # report's own text lacks its title (loaders/extract/cues.py).
    meta: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        for index, grid in enumerate(self.grids):
            grid.index = index

    @property
    def grids(self) -> list[Grid]:
        return [b for b in self.blocks if isinstance(b, Grid)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]


@dataclass
class CellValue:
    """A number fitted to the template, with the raw text and place it came from."""

    table: str  # applications | review_litigation | active_disclosure
    row_key: str
    column_key: str
    value: int | float | None
    raw: str | None
    line: int | None = None
    line_end: int | None = None
    grid: int | None = None
    grid_row: int | None = None
    grid_col: int | None = None


@dataclass
class Issue:
    """A parse issue: something in the document that a reader of the data should know about."""

    code: str
    message: str
    table: str | None = None
    row_key: str | None = None
    column_key: str | None = None
    raw: str | None = None
    line: int | None = None


@dataclass
class SectionText:
    number: int
    key: str
    heading: str  # as the document writes it
    body: str
    line: int
    line_end: int


@dataclass
class Report:
    """One report, read and fitted to the template: what the store writes."""

    source: Source
    document: Document
    agency: str | None
    year: int | None
    template: str | None
    title: str | None
    published_on: str | None
    sections: list[SectionText]
    values: list[CellValue]
    issues: list[Issue]
    identity: object = None  # agencies.Agency: who published it and where


    @property
    def id(self) -> str:
        return self.source.report_id
