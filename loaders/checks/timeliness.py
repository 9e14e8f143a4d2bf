"""Rule over one report's date: published by the legal deadline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from .facts import Facts
from .registry import WARNING, Failure, rule


_GOVERNMENT = re.compile(r"(人民政府|政府)$")


def deadline(year: int, agency: str | None) -> date:
    """Legal deadline for the report on ``year`` (条例 Art. 49, in force from 15 May 2019):
    departments by 31 January, people's governments at county level and above by 31 March of the
    next year. Before the 2019 revision every agency had until 31 March."""
    government = bool(agency) and _GOVERNMENT.search(agency) is not None
    if year < 2019 or government:
        return date(year + 1, 3, 31)
    return date(year + 1, 1, 31)


@rule("timeliness", None, "Published late", "逾期发布",
      "The report's stated date is after the legal deadline (政府信息公开条例 Art. 49): government "
      "departments by 31 January, people's governments at county level and above by 31 March of "
      "the following year.",
      "报告落款日期晚于法定期限（条例第四十九条）：政府部门为次年1月31日前，县级以上人民政府为次年3月31日前。",
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
