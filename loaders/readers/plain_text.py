"""Text with no table structure at all: every non-blank line is prose.

Reports outside the national format (before 2019, free-form) land here; they load as prose and the
mapper records which tables are absent.
"""

from __future__ import annotations

from ..model import Document, Paragraph, Source
from ._text import is_blank, read_text, text_layout

NAME = "plain_text"
FORMAT = "txt"


def claims(source: Source) -> bool:
    return text_layout(source) == NAME


def text_to_blocks(lines: list[str]) -> list[Paragraph]:
    return [Paragraph(line, i) for i, line in enumerate(lines, 1) if not is_blank(line)]


def read(source: Source) -> Document:
    return read_text(source, FORMAT, NAME, text_to_blocks)
