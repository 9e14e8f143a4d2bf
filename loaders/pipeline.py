"""One report file to one ``Report``: read -> sections -> metadata -> tables.

``load_report`` raises ``LoadError`` for a file that cannot be read at all; everything else a
document gets wrong becomes an ``Issue`` on the report.
"""

from __future__ import annotations

from pathlib import Path

from . import readers
from .mapper import grids_to_tables
from .metadata import extract_metadata
from .model import Issue, LoadError, Report, Source
from .sections import cut_sections, find_headings
from .template import SECTIONS


def source_to_report(source: Source) -> Report:
    document = readers.read(source)
    headings = find_headings(document.blocks)
    meta = extract_metadata(document.blocks, headings)
    tables = grids_to_tables(document.blocks, headings, meta.year)
    if not document.grids and not document.paragraphs:
        raise LoadError("read", "the document is empty: no text and no tables")
    issues: list[Issue] = list(meta.issues) + tables.issues
    found = {s.number for s in headings.values()}
    for section in SECTIONS:
        if section.number not in found:
            issues.append(Issue("missing_section",
                                f"section {section.number} {section.label_zh} was not found"))
    if not document.grids:
        issues.append(Issue("no_tables", "no table in the document: loaded as prose only"))
    return Report(
        source=source, document=document, agency=meta.agency, year=meta.year,
        template=tables.template, title=meta.title, published_on=meta.published_on,
        sections=cut_sections(document.blocks, headings, meta.signature),
        values=tables.values, issues=issues,
    )


def load_report(path: str | Path) -> Report:
    try:
        source = Source.from_path(path)
    except OSError as e:
        raise LoadError("open", f"cannot read the file: {e.strerror or e}") from e
    return source_to_report(source)
