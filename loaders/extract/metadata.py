"""Report metadata: title, agency, year reported on, date of publication, from every cue.

The cues (``cues.py``) are weighed in a fixed order, the first that says something wins:

- **year**: the document's title > a crawler's ``标题:`` line > the page's ``<title>``/``<meta>``
  > the statistics period > the file name. The title comes first because it is what the report
  calls itself and what readers search for; a period copied from last year's report is a common
  slip. Every other cue that names another year (and a signature dated before the year reported
  on ends) gives a ``metadata_conflict`` issue naming both; the file name never does (it may
  carry a publication or crawl date). A year from the file name alone is
  ``metadata_from_file_name``.
- **agency**: the title (the name before the year, or between the year and 政府信息公开) > a line
  beside the title that is only a name > a crawler's ``标题:`` line > the page's
  ``<title>``/``<meta>`` > the publisher field (发布机构:, 来源:, ContentSource) > the signature >
  the sentence naming the compiler (本报告由…办公室编制: the agency the office serves) > the file
  name. The name is stored as printed (short forms such as 上海市科委 expanded); cues that name
  another agency (not the same name, a longer form of it, nor its office) give a
  ``metadata_conflict``.
- **published on**: a line that is only a date in the title block or at the end, else the
  signature's date, else the crawler's or the page's publication date. A date that is not in the
  calendar (2021年2月30日) is an ``invalid_date`` issue, never a stored date nor a failed report.

Seen in the seeds: agency on its own line above the title (000), or below it (003); agency and
year in the title, the title broken over two lines (001, 002); the date standing alone under the
title (003) or under the signature at the end (001, 002).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..form.template import Section, normalize_label
from ..model import Block, Issue, Paragraph
from . import cues as C
from .cues import Cue

# Standard short forms of agency names, expanded when a name ends with one (上海市科委).
ABBREVIATIONS = {
    "科委": "科学技术委员会", "发改委": "发展和改革委员会", "卫健委": "卫生健康委员会",
    "经信委": "经济和信息化委员会", "住建委": "住房和城乡建设委员会", "国资委": "国有资产监督管理委员会",
    "民宗委": "民族宗教事务委员会", "教委": "教育委员会", "发改局": "发展和改革局",
    "卫健局": "卫生健康局", "人社局": "人力资源和社会保障局", "住建局": "住房和城乡建设局",
    "市监局": "市场监督管理局", "管委会": "管理委员会",
}
YEAR_ORDER = ("title", "crawler_title", "html_title", "period", "file_name")
AGENCY_ORDER = ("title", "title_block", "crawler_title", "html_title", "publisher", "signature",
                "author", "file_name")
CUE_NAMES = {"title": "title", "title_block": "line beside the title",
             "crawler_title": "crawler's 标题 line", "html_title": "page's <title>",
             "publisher": "publisher field", "period": "statistics period",
             "author": "sentence naming the compiler", "signature": "signature",
             "file_name": "file name"}
HEAD_LINES = 40  # lines read before the first heading
_OFFICE = re.compile(r"(办公室|办公厅|办|中心)$")
# A line that is only a date, in any form reports write one (``cues.ANY_DATE``), or such a
# date in brackets under a title: （2024年1月31日）.
_DATE_LINE = re.compile(rf"^[(（]?(?:{C.ANY_DATE})[)）]?$")


def expand_abbreviation(name: str) -> str:
    """上海市科委 -> 上海市科学技术委员会; a full name is returned as it is."""
    for short, full in ABBREVIATIONS.items():
        if name.endswith(short) and not name.endswith(full):
            return name[: -len(short)] + full
    return name


@dataclass
class Metadata:
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    published_on: str | None = None
    signature: set[str] = field(default_factory=set)  # normalized closing lines (agency, date)
    issues: list[Issue] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)  # every cue found, strongest kinds first
    context: str = ""  # the report's text around the title, for places (loaders/extract/places.py)


def read_date_line(text: str) -> tuple[str | None, str | None]:
    """A line that is only a date: (ISO date, None), or (None, the text) for a date that is not in
    the calendar, or (None, None) for any other line."""
    line = normalize_label(text)
    if not _DATE_LINE.match(line):
        return None, None
    iso, real = C.date_of(line)
    return iso, (None if iso or real else text.strip())


def parse_date(text: str) -> str | None:
    """An ISO date if the whole line is a date of the calendar (2021年1月14日, 二〇二一年一月十四日),
    else None (2021年2月30日 included: see ``read_date_line``)."""
    return read_date_line(text)[0]


def same_agency(a: str, b: str) -> bool:
    """Two printed names of one agency: equal, one a longer form of the other (区财政金融局,
    平潭综合实验区财政金融局), or one the office of the other (…人民政府办公室)."""
    from .agencies import function_of
    from .places import resolve

    def key(name: str) -> str:
        name = expand_abbreviation(normalize_label(name)).replace("人民政府", "政府")
        return C._OFFICE_END.sub("", name) or name

    offices = bool(_OFFICE.search(normalize_label(a)) or _OFFICE.search(normalize_label(b)))
    a, b = key(a), key(b)
    if a.endswith(b) or b.endswith(a):
        return True
    fa, fb = function_of(a), function_of(b)
    # An office or centre (政务公开办公室, 政务服务中心) signs or compiles for the agency it serves,
    # an agency of its own place: 宿迁市人民政府办公室 does not serve a bureau of 宿豫区 (a city
    # portal's office named as the publisher of a district bureau's report).
    serves = bool(fa and fb and not (fa.endswith(fb) or fb.endswith(fa)))
    if serves and not offices:
        return False
    pa, pb = resolve(a, None).division, resolve(b, None).division
    if pa is None or pb is None:
        return True
    if serves:
        return pa.code == pb.code
    from .places import divisions

    data = divisions()
    return pb.code in {d.code for d in data.chain(pa).values()} or \
        pa.code in {d.code for d in data.chain(pb).values()}


def _placed(name: str) -> bool:
    """Whether an agency's name says where it is: a division or a zone of its own."""
    from .places import resolve

    return resolve(name, None).status in ("resolved", "zone", "misprint", "central")


def _first(cues: list[Cue], order: tuple[str, ...], attr: str) -> Cue | None:
    for kind in order:
        for cue in cues:
            if cue.kind == kind and getattr(cue, attr) is not None:
                return cue
    return None


def _conflict(what: str, kept: Cue, kept_value, other: Cue, other_value) -> Issue:
    return Issue("metadata_conflict",
                 f"the {CUE_NAMES[kept.kind]} says {what} {kept_value} ({kept.text[:60]!r}), the "
                 f"{CUE_NAMES[other.kind]} says {other_value} ({other.text[:60]!r}): "
                 f"{kept_value} is kept", raw=other.text[:200])


def _written(blocks: list[Block]) -> list[Paragraph]:
    """The paragraphs that hold more than spaces."""
    return [b for b in blocks if isinstance(b, Paragraph) and b.text.strip()]


def gather_cues(blocks: list[Block], headings: dict, file_name: str = "",
                page: dict | None = None, paragraphs: list[Paragraph] | None = None,
                ) -> tuple[list[Cue], Cue | None, list[Paragraph]]:
    """Every cue of a document, the title cue and its lines. ``paragraphs``: ``_written(blocks)``
    where the caller has it already."""
    # The blocks before the first heading only (the rest cannot be in the head: not looked at)
    head = _written(blocks[:min(headings)] if headings else blocks)[:HEAD_LINES]
    if paragraphs is None:
        paragraphs = _written(blocks)
    head_text = " ".join(p.text for p in head)[:4000]
    tail_text = " ".join(p.text[-800:] for p in paragraphs[-6:])
    found: list[Cue] = []
    title, title_lines = None, []
    if (hit := C.title_cue(head)) is not None:
        title, title_lines = hit
    else:
        title = C.title_in_long_lines(head) or C.page_heading_cue(page or {})
    if title is not None:
        found.append(title)
    if (cue := C.title_block_cue(head, title_lines)) is not None:
        found.append(cue)
    # One text for the cues that read sentences, flattened once (C.flat caches it).
    opening = head_text if len(head_text) > 200 else \
        " ".join(p.text for p in paragraphs[:60])[:4000]
    found += C.header_cues(opening)
    found += C.html_cues(page or {})
    for cue in (C.period_cue(opening), C.author_cue(opening), C.signature_cue(tail_text),
                C.file_name_cue(file_name)):
        if cue is not None:
            found.append(cue)
    return found, title, title_lines


def extract_metadata(blocks: list[Block], headings: dict[int, Section], file_name: str = "",
                     page: dict | None = None) -> Metadata:
    """Title, agency, year and date from every cue (see the module doc for which wins).
    ``file_name`` is the report's file name, ``page`` the HTML page's ``<title>``/``<meta>``."""
    meta = Metadata()
    paragraphs = _written(blocks)  # (one pass, for the cues and the dates)
    found, title, title_lines = gather_cues(blocks, headings, file_name, page, paragraphs)
    meta.cues = found
    titled = title or _first(found, ("crawler_title", "html_title"), "text")
    meta.title = titled.text if titled is not None else None

    year_cue = _first(found, YEAR_ORDER, "year")
    if year_cue is None:
        meta.issues.append(Issue("missing_year", "the year reported on was not found: no title, "
                                 "statistics period or file name names it"))
    else:
        meta.year = year_cue.year
        if year_cue.kind == "file_name":
            meta.issues.append(Issue("metadata_from_file_name", f"the year {meta.year} is taken "
                                     f"from the file name {file_name!r}: the document does not "
                                     "state it", raw=file_name))
        told = {year_cue.year}
        for cue in found:
            if cue.year is not None and cue.year not in told and cue.kind != "file_name":
                told.add(cue.year)
                meta.issues.append(_conflict("year", year_cue, year_cue.year, cue, cue.year))

    agency_cue = _first(found, AGENCY_ORDER, "agency")
    if agency_cue is not None and agency_cue.kind == "publisher" \
            and _OFFICE.search(normalize_label(agency_cue.agency)):
        # A publisher field (the website's) naming an office: where the report's own signature
        # names an agency, the signature wins (a portal's office republishing a bureau's
        # report, of its own place or another's; the office signing is the same office). A
        # government or a bureau in that field stands: the report of a government is often
        # signed or compiled by one of its bureaus.
        own = _first(found, ("signature",), "agency")
        if own is not None:
            agency_cue = own
    if agency_cue is None:
        meta.issues.append(Issue("missing_agency", "the publishing agency was not found"))
    else:
        meta.agency = expand_abbreviation(agency_cue.agency)
        # A name that says not where it is (the website's 区财政金融局), which another cue gives
        # in full (signed 平潭综合实验区财政金融局): the full name
        fuller = [cue.agency for cue in found if cue.agency and cue.kind != "file_name"
                  and len(name := normalize_label(cue.agency)) > len(normalize_label(meta.agency))
                  and name.endswith(normalize_label(meta.agency))]
        if fuller and not _placed(meta.agency) and _placed(longest := max(fuller, key=len)):
            meta.agency = expand_abbreviation(longest)
        if agency_cue.kind == "file_name":
            meta.issues.append(Issue("metadata_from_file_name", f"the agency {meta.agency} is "
                                     f"taken from the file name {file_name!r}", raw=file_name))
        for cue in found:
            if cue.agency is not None and cue.kind not in ("file_name", agency_cue.kind) \
                    and not same_agency(meta.agency, cue.agency):
                meta.issues.append(_conflict("agency", agency_cue, meta.agency, cue, cue.agency))

    _dates(meta, paragraphs, title_lines, found)
    meta.context = " ".join(c.text for c in found if c.kind in ("author", "signature", "period"))
    return meta


def _dates(meta: Metadata, paragraphs: list[Paragraph], title_lines: list[Paragraph],
           found: list[Cue]) -> None:
    """Published on, the closing lines to cut from the last section, and impossible dates
    (``paragraphs``: the document's written ones, ``_written``)."""
    block_lines = paragraphs[:max((paragraphs.index(p) for p in title_lines), default=0) + 4]
    tail = paragraphs[-3:]
    bad: list[str] = []
    numeric: str | None = None  # a line that is only a date written 2024.1.31 or 2024-01-31
    for p in block_lines + tail:
        iso, invalid = read_date_line(p.text)
        if invalid:
            bad.append(invalid)
        if iso and meta.published_on is None:
            if C.DATE_IN_TEXT.search(normalize_label(p.text)):
                meta.published_on = iso
            elif numeric is None:
                numeric = iso
    for i, p in enumerate(tail):
        iso, invalid = read_date_line(p.text)
        if iso or invalid:
            meta.signature.add(normalize_label(p.text))
            if i > 0 and C.looks_like_agency(tail[i - 1].text):
                meta.signature.add(normalize_label(tail[i - 1].text))
    for kind in ("signature", "crawler_date", "html_date"):
        for cue in found:
            if cue.kind == kind and cue.date and meta.published_on is None:
                meta.published_on = cue.date
    # (a line of digits and dots may be a page's or a printer's footer: after every other cue)
    meta.published_on = meta.published_on or numeric
    bad += [c.bad_date for c in found if c.bad_date]
    for raw in dict.fromkeys(bad):
        meta.issues.append(Issue("invalid_date", f"{raw} is not a date of the calendar: "
                                 "not stored", raw=raw))
    if meta.published_on and meta.year and meta.published_on < f"{meta.year}-12-01":
        meta.issues.append(Issue(
            "metadata_conflict", f"the report is dated {meta.published_on}, before the end of "
            f"the year it reports on ({meta.year})", raw=meta.published_on))
