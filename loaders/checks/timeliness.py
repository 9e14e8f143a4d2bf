"""Rule over one report's date: published by the legal deadline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from .facts import Facts
from .registry import WARNING, Failure, rule


_GOVERNMENT = re.compile(r"(人民政府|政府)$")
# A government below the county (a township's, a town's, an ethnic township's): a 行政机关 of
# its own, due by 31 January like a department.
_BELOW_COUNTY = re.compile(r"(镇|乡|苏木)(人民)?政府$")
# A note after the name (某某区人民政府（本级）) is no part of what the agency is.
_NOTE = re.compile(r"[（(][^（()）]*[)）]$")


def deadline(year: int, agency: str | None) -> date:
    """Legal deadline for the report on ``year`` (条例 Art. 49, in force from 15 May 2019):
    departments, and the governments of townships, by 31 January, people's governments at
    county level and above by 31 March of the next year. Before the 2019 revision every agency
    had until 31 March."""
    name = _NOTE.sub("", agency.strip()) if agency else ""
    government = _GOVERNMENT.search(name) is not None and not _BELOW_COUNTY.search(name)
    if year < 2019 or government:
        return date(year + 1, 3, 31)
    return date(year + 1, 1, 31)


@rule("timeliness", None, "Published late", "逾期发布",
      "The report's stated date is after the legal deadline (政府信息公开条例 Art. 49): government "
      "departments and township governments by 31 January, people's governments at county level "
      "and above by 31 March of the following year.",
      "报告落款日期晚于法定期限（条例第四十九条）：政府部门和乡镇人民政府为次年1月31日前，县级以上人民政府为次年3月31日前。",
      "warning")
def check_timeliness(facts: Facts) -> Iterator[Failure]:
    """The report's stated date is on or before the legal deadline."""
    if not facts.published_on or facts.year is None:
        return
    due = deadline(facts.year, facts.agency)
    if date.fromisoformat(facts.published_on) > due:
        days = (date.fromisoformat(facts.published_on) - due).days
        yield Failure("timeliness", WARNING,
                      f"dated {facts.published_on}, {days} days after the deadline {due.isoformat()}",
                      f"落款日期{facts.published_on}，晚于法定期限{due.isoformat()}共{days}天",
                      None, None, None, due.isoformat(), facts.published_on)
