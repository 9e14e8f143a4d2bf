"""Report metadata from the prose: title, agency, year reported on, date of publication.

The title block is everything before the first section heading. Seen in the seeds:
- agency on its own line above the title (000), or below it (003);
- agency and year in the title, the title broken over two lines (001, 002);
- the date standing alone under the title (003) or under the signature at the end (001, 002).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Block, Issue, Paragraph
from .template import Section, normalize_label

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"[0-9〇○零一二三四五六七八九十]"
_DATE = re.compile(rf"^({_NUM}{{4}})年({_NUM}{{1,3}})月({_NUM}{{1,3}})日$")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_AGENCY_SUFFIX = re.compile(
    r"(局|委|委员会|办公室|办|政府|厅|部|院|中心|署|会|处|所|馆|站|队|室|街道|公司|集团|法院|检察院)$")
_AGENCY_SHAPE = re.compile(r"^[\u4e00-\u9fff()·]{2,40}$")
# 2024年上海市科委政府信息公开工作年度报告: the agency between the year and the subject.
_AGENCY_AFTER_YEAR = re.compile(r"^(?:关于)?(?:19|20)\d{2}年度?(?P<agency>.+?)(?:政府信息公开|政务公开)")
# Standard short forms of agency names, expanded when a name ends with one (上海市科委).
ABBREVIATIONS = {
    "科委": "科学技术委员会", "发改委": "发展和改革委员会", "卫健委": "卫生健康委员会",
    "经信委": "经济和信息化委员会", "住建委": "住房和城乡建设委员会", "国资委": "国有资产监督管理委员会",
    "民宗委": "民族宗教事务委员会", "教委": "教育委员会", "发改局": "发展和改革局",
    "卫健局": "卫生健康局", "人社局": "人力资源和社会保障局", "住建局": "住房和城乡建设局",
    "市监局": "市场监督管理局",
}


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


def _cn_number(text: str) -> int:
    """A number written with digits or Chinese numerals: 2021, 二〇二一, 十二, 二十八."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def parse_date(text: str) -> str | None:
    """An ISO date if the whole line is a date (2021年1月14日, 二〇二一年一月十四日), else None."""
    m = _DATE.match(normalize_label(text))
    if not m:
        return None
    try:
        y, mo, d = (_cn_number(g) for g in m.groups())
    except (KeyError, ValueError):
        return None
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1990 <= y <= 2100):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _looks_like_agency(text: str) -> bool:
    norm = normalize_label(text)
    return bool(_AGENCY_SHAPE.match(norm) and _AGENCY_SUFFIX.search(norm)) and "报告" not in norm


def extract_metadata(blocks: list[Block], headings: dict[int, Section]) -> Metadata:
    meta = Metadata()
    paragraphs = [b for b in blocks if isinstance(b, Paragraph) and b.text.strip()]
    first_heading = min(headings) if headings else None
    head = [b for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text.strip()
            and (first_heading is None or i < first_heading)][:8]

    # Title: from the first line that names the report, until a line that ends it (报告).
    title_lines: list[Paragraph] = []
    for p in head:
        if title_lines:
            if "报告" in title_lines[-1].text or len(title_lines) == 3:
                break
            title_lines.append(p)
        elif "政府信息" in p.text or "年度报告" in p.text:
            title_lines.append(p)
    if title_lines:
        meta.title = "".join(p.text.strip() for p in title_lines)

    year_match = _YEAR.search(normalize_label(meta.title or ""))
    if year_match:
        meta.year = int(year_match.group(1))
    else:
        meta.issues.append(Issue("missing_year", "the year reported on was not found in the title"))

    # Agency: what the title says before the year, else a line of the title block shaped like an
    # agency's name, else the signature above the closing date.
    if year_match:
        prefix = re.sub(r"^关于", "", normalize_label(meta.title)[:year_match.start()])
        if len(prefix) >= 2 and _AGENCY_SUFFIX.search(prefix):
            meta.agency = prefix
        elif (m := _AGENCY_AFTER_YEAR.match(normalize_label(meta.title))) \
                and _AGENCY_SUFFIX.search(m.group("agency")):
            meta.agency = m.group("agency")
    if meta.agency is None:
        for p in head:
            if p not in title_lines and _looks_like_agency(p.text):
                meta.agency = normalize_label(p.text)
                break

    # Published on: a line that is only a date, in the title block or among the last lines.
    tail = paragraphs[-3:]
    for p in head + tail:
        if date := parse_date(p.text):
            meta.published_on = date
            break
    for i, p in enumerate(tail):
        if parse_date(p.text):
            meta.signature.add(normalize_label(p.text))
            if i > 0 and _looks_like_agency(tail[i - 1].text):
                meta.signature.add(normalize_label(tail[i - 1].text))
                if meta.agency is None:
                    meta.agency = normalize_label(tail[i - 1].text)
    if meta.agency is None:
        meta.issues.append(Issue("missing_agency", "the publishing agency was not found"))
    else:
        meta.agency = expand_abbreviation(meta.agency)
    return meta
