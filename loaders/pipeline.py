"""One report file to one ``Report``: read -> sections -> metadata -> tables.

``load_report`` raises ``LoadError`` for a file that cannot be read at all; everything else a
document gets wrong becomes an ``Issue`` on the report. The readers turn what their libraries
raise on a damaged file into ``LoadError`` where they call them, so any other exception is a bug
of ours, which the build records as an internal error (loaders/build.py).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from operator import attrgetter
from pathlib import Path

from . import readers
from .extract.agencies import identify
from .extract.metadata import extract_metadata
from .extract.sections import cut_sections, find_headings
from .form.template import SECTIONS
from .mapping import grids_to_tables
from .model import Issue, LoadError, Report, Source

_TEXT = attrgetter("text")


def source_to_report(source: Source) -> Report:
    document = readers.read(source)
    headings = find_headings(document.blocks)
    meta = extract_metadata(document.blocks, headings, source.name, document.meta)
    tables = grids_to_tables(document.blocks, headings, meta.year)
    paragraphs = document.paragraphs  # (a pass over the blocks: made once)
    if not document.grids and not paragraphs:
        raise LoadError("read", "the document is empty: no text and no tables")
    issues: list[Issue] = list(meta.issues) + tables.issues
    found = {s.number for s in headings.values()}
    for section in SECTIONS:
        if section.number not in found:
            issues.append(Issue("missing_section",
                                f"section {section.number} {section.label_zh} was not found"))
    template = tables.template
    if not tables.values:
        # Not the national format (before 2019, or free-form): the prose is kept, no template.
        absent = "sections 二, 三 and 四 (proactive disclosure, applications, review and litigation)"
        if document.grids:
            issues.append(Issue("not_national_format",
                                f"{len(document.grids)} table(s) found, none of them a table of the "
                                f"national format: {absent} are absent; loaded as prose only"))
        else:
            issues.append(Issue("no_tables", f"no table in the document: {absent} are absent; "
                                "loaded as prose only"))
        template = None
        issues = [i for i in issues if i.code != "template_undetected"]
    # The opening text helps choose between divisions of the same name (鼓楼区 in 南京 or 福州);
    # the rest of the prose may name the province or city of a misprinted place (沐阳县).
    opening = " ".join(map(_TEXT, paragraphs[:12]))[:1500]
    elsewhere = " ".join(map(_TEXT, paragraphs))[:20000]
    identity = identify(meta.agency, meta.title, f"{opening} {meta.context}", elsewhere)
    issues.extend(identity.place.issues + identity.issues)
    return Report(
        source=source, document=document, agency=meta.agency, year=meta.year,
        template=template, title=meta.title, published_on=meta.published_on,
        sections=cut_sections(document.blocks, headings, meta.signature),
        values=tables.values, issues=issues, identity=identity,
    )


# The largest file read as one report. Real reports are well under 2 MB (a whole scraped web page
# with its chrome is ~100 KB); a larger file is almost never one report, and reading it would
# cost memory for nothing. It is refused before a byte of it is read.
MAX_FILE_BYTES = 25 * 1024 * 1024


def read_source(path: str | Path) -> Source:
    """The file's bytes, or LoadError: it cannot be read, or it is too large to be a report."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadError("open", f"the file is {size / 2**20:.1f} MB, above the "
                            f"{MAX_FILE_BYTES // 2**20} MB limit for one report: not read")
        return Source.from_path(path)
    except OSError as e:
        raise LoadError("open", f"cannot read the file: {e.strerror or e}") from e


def will_read(paths: Iterable[str | Path]) -> None:
    """Tell the system that these files are about to be read (``posix_fadvise`` WILLNEED): it
    reads them from disk in the background, while the files before them are parsed, instead of
    each parse waiting for its file. A build calls it for the next chunk of files as it takes a
    chunk (``build._read_ahead``). Files that ``read_source`` refuses (``MAX_FILE_BYTES``), what
    is not a regular file and what cannot be opened are left alone, and so is everything where
    the system has no such call. It changes when a file's bytes come from disk, never what is
    read.

    On files out of the page cache (the 17.5 GB of the 100,000 reports' benchmark do not stay
    in it), reading and hashing a file took 0.63 ms a file in a loop that parses them, 0.29 ms
    with the next chunk announced (``benchmarks/read_ahead.py``): 0.34 ms a file that a worker
    spent waiting, not parsing."""
    if not hasattr(os, "posix_fadvise"):
        return
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO: no wait
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_FILE_BYTES:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


def load_report(path: str | Path, source: Source | None = None) -> Report:
    """The report in the file ``path``; ``source``: its bytes, read already (read_source)."""
    return source_to_report(source if source is not None else read_source(path))
