"""Who published a report: one identity per agency, whatever form of its name a report uses.

An agency is its place (the division resolved by ``places``) and its function (the name without
the place names it starts with): 鄞州区卫生健康局 and 宁波市鄞州区卫生健康局 are both
330212 + 卫生健康局. Its id is ``<adcode>:<function>`` (``CN:<name>`` for central agencies). A name
that is only a place is its government (淮安市 -> 320800:人民政府; a zone, its 管理委员会).

Unknown is nobody: an agency is identified only when its name says which one it is. Without a
name, without a place (区财政局), or with a place several divisions share and the text does not
settle (鼓楼区), the id is None (``agency_unidentified``): two such reports are never taken for one
agency. A name whose own place word is no division we know (测试县卫生健康局) is unique as written
and keeps ``?:<name as written>``. Kind, sector and level are read from the name.

Manual corrections live in ``agencies.csv`` at the top of the repository (see ``Overrides``),
applied at build time and shown in the database.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Issue
from .places import Place, divisions, fill, place_word, resolve

# Sector by keywords of the function, first match wins.
SECTORS: tuple[tuple[str, str], ...] = (
    # the government and its office first: 人民政府 contains 民政
    ("政府办公室", r"人民政府办公[厅室]|政府办"),
    ("人民政府", r"人民政府$"),
    ("卫生健康", r"卫生健康|卫健|卫生和计划生育|卫生计生"),
    ("发展和改革", r"发展和改革|发展改革|发改"),
    ("教育", r"教育"),
    ("公安", r"公安"),
    ("民政", r"民政"),
    ("司法", r"司法"),
    ("财政", r"财政"),
    ("人力资源和社会保障", r"人力资源|人社"),
    ("自然资源", r"自然资源|国土资源"),
    ("生态环境", r"生态环境|环境保护|环保"),
    ("住房和城乡建设", r"住房和城乡建设|住房城乡建设|住建"),
    ("交通运输", r"交通"),
    ("水利", r"水利|水务"),
    ("农业农村", r"农业|农村"),
    ("商务", r"商务"),
    ("文化和旅游", r"文化|旅游|广电"),
    ("应急管理", r"应急管理|安全生产"),
    ("审计", r"审计"),
    ("市场监督管理", r"市场监督|市场监管"),
    ("统计", r"统计"),
    ("医疗保障", r"医疗保障|医保"),
    ("科学技术", r"科学技术|科技|科委"),
    ("工业和信息化", r"工业和信息化|经济和信息化|工信|经信"),
    ("退役军人事务", r"退役军人"),
    ("林业和草原", r"林业|草原"),
    ("城市管理", r"城市管理|城管|综合行政执法"),
    ("税务", r"税务"),
    ("体育", r"体育"),
)
_OTHER = re.compile(r"(街道办事处|管理委员会|管委会|公司|集团)$")
_DEPARTMENT = re.compile(r"(局|委员会|委|厅|办公室|办公厅|部|署|中心|院|处|办)$")
KINDS = ("government", "department", "other")  # 人民政府 | 部门 | 其他


@dataclass
class Agency:
    id: str | None  # None: the agency cannot be identified (see the module doc)
    name: str  # normalized: the division's official name + the function
    name_as_written: str | None
    function: str
    kind: str
    sector: str | None
    level: str | None  # central | provincial | prefectural | county
    place: Place
    override_note: str | None = None
    issues: list[Issue] = field(default_factory=list)


def function_of(agency: str) -> str:
    """The name without the place names it starts with: 宁波市鄞州区卫生健康局 -> 卫生健康局."""
    rest = agency
    data = divisions()
    while True:
        found = data.mentions(rest[:data.longest])
        if not found or found[0][0] != 0:
            return rest
        rest = rest[found[0][1]:]


def kind_of(function: str) -> str:
    if function.endswith("人民政府") or function == "政府":
        return "government"
    if _OTHER.search(function):
        return "other"
    return "department" if _DEPARTMENT.search(function) else "other"


_SECTOR_RES = tuple((sector, re.compile(pattern)) for sector, pattern in SECTORS)


def sector_of(function: str) -> str | None:
    return next((sector for sector, pattern in _SECTOR_RES if pattern.search(function)), None)


def identify(agency: str | None, title: str | None, context: str = "",
             elsewhere: str = "") -> Agency:
    """Who published the report: its identity from the name as printed and its place."""
    place = resolve(agency, title, context, elsewhere)
    written = agency or ""
    function = function_of(written) if written else ""
    if place.misprint and place.misprint in written:  # 沐阳县发展和改革局: 发展和改革局
        function = function_of(written[written.index(place.misprint) + len(place.misprint):])
    if written and (not function or function == place.zone):
        # Only a place (淮安市2024年…报告): the report of its government or zone committee.
        function = f"{place.zone}管理委员会" if place.zone else "人民政府"
    division = place.division
    issues: list[Issue] = []
    if place.status == "central":
        key, name = f"CN:{written}", written
    elif written and division is not None and place.status in ("resolved", "zone", "misprint"):
        # (no agency written is nobody, whatever the place: two bureaus of one county whose
        # reports name none are not one agency; missing_agency says so)
        key = f"{division.code}:{function}"
        name = function if place.zone and function.startswith(place.zone) \
            else f"{division.name}{function}"
    elif written and place.status == "not_found" and place_word(written):
        key, name = f"?:{written}", written
    else:
        key, name = None, written
        if written:
            why = ("its place is shared by several divisions" if place.status == "ambiguous"
                   else "it names no place")
            issues.append(Issue(
                "agency_unidentified", f"{written} cannot be identified ({why}): no agency_id, "
                "so the report is left out of the checks across years and of duplicate "
                "detection"))
    return Agency(key, name, agency, function, kind_of(function), sector_of(function),
                  place.level, place, issues=issues)


# ---------------------------------------------------------------------------------------------
# Overrides
# ---------------------------------------------------------------------------------------------

OVERRIDE_FIELDS = ("agency", "year", "name", "adcode", "kind", "sector", "level", "note")


class Overrides:
    """Manual corrections from a CSV file with the columns of ``OVERRIDE_FIELDS``.

    ``agency`` is the name as a report writes it (exact match); ``year`` limits the row to one
    year (blank: every year). Every other column left blank keeps what was resolved; ``adcode``
    sets the place (province, city and county follow from the code); ``note`` says why.
    """

    def __init__(self, rows: list[dict]):
        self.rows = rows
        self.by_agency: dict[str, list[dict]] = {}
        for row in rows:
            self.by_agency.setdefault(row["agency"].strip(), []).append(row)

    @classmethod
    def load(cls, path: str | Path | None) -> "Overrides":
        if path is None or not Path(path).is_file():
            return cls([])
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = [{k: (r.get(k) or "").strip() for k in OVERRIDE_FIELDS}
                    for r in csv.DictReader(f) if (r.get("agency") or "").strip()]
        return cls(rows)

    def find(self, agency: str | None, year: int | None) -> dict | None:
        for row in self.by_agency.get(agency or "", []):
            if not row["year"] or (year is not None and row["year"] == str(year)):
                return row
        return None

    def apply(self, identity: Agency, year: int | None) -> list[Issue]:
        """Correct ``identity`` in place; the issues that no longer hold are dropped by the
        caller (place issues of an overridden place)."""
        row = self.find(identity.name_as_written, year)
        if row is None:
            return []
        data = divisions()
        if row["adcode"]:
            division = data.by_code.get(row["adcode"])
            if division is None:
                return [Issue("override_invalid", f"agencies.csv: adcode {row['adcode']} for "
                              f"{row['agency']!r} is not a division; the override is ignored")]
            place = fill(Place("override"), division, data)
            identity.place = place
            identity.level = place.level
            identity.id = f"{division.code}:{identity.function}"
            identity.name = f"{division.name}{identity.function}"
        for field_name in ("name", "kind", "sector", "level"):
            if row[field_name]:
                setattr(identity, field_name, row[field_name])
        identity.override_note = row["note"] or "corrected in agencies.csv"
        return []
