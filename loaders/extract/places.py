"""Where a report comes from: the administrative division its agency belongs to.

The divisions are ``loaders/data/divisions.csv`` (GB/T 2260 as published now, plus the divisions
that have since been renamed or merged, with the last revision listing them and their successor;
see loaders/data/README.md). Names are found in the agency's name first, then in the title; the
rest of the report's opening text only helps choose between divisions that share a name.

- full names match, and the short forms people write: 积石山县 for 积石山保安族东乡族撒拉族自治县,
  临夏州 for 临夏回族自治州, 浙江 for 浙江省, 烟台 for 烟台市;
- a name shared by several divisions (鼓楼区, 城关区) is resolved only when the text also names the
  city or province of exactly one of them; otherwise it stays unresolved (``place_ambiguous``), with
  whatever the candidates have in common (a province) filled in;
- a name that is no longer a division (禄丰县, now 禄丰市) resolves to the division the report
  names, valid when it was written, and says what it became (``place_renamed``);
- a zone that is not a division (平潭综合实验区, 两江新区, 苏州工业园区) is placed in the division that
  contains it, from ``loaders/data/zones.csv`` (status ``zone``); a zone not in that table stays unresolved
  (``place_zone_unknown``);
- a misprinted place (沐阳县 for 沭阳县) that matches no division but is one character from exactly
  one division inside a province or city the report names elsewhere is read as that division
  (``misprint``, with ``place_misprinted``);
- an agency named without any place (国家卫生健康委员会, 教育部) is central; anything else without a
  place is ``place_not_found``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..model import Issue

DATA = Path(__file__).parent.parent / "data"
LEVELS = ("province", "prefecture", "county")
_TYPE_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|盟|县|区|旗)$")
# What follows a division's short name (北京, 南京, 中山: no 市) when it may be the name of a
# street, a village, a town or a landmark rather than the division: 北京街道办事处, 南京路步行街,
# 中山陵园管理局, 中山镇卫生院, 北海公园管理处. Which is not known: the agency is left
# unidentified (place_not_found), never filed under the city. (乡村振兴, 乡镇企业, 社区矫正, 路政,
# 路灯, 路桥, 公园管理中心 are functions.)
_STREET_AFTER = re.compile(r"[东西南北中]?路(?![政灯桥])|大街|大道|步行街|街道|街办|街|公园(?!管理中心|城市)"
                           r"|广场|陵|村|镇|乡(?![村镇])|社区(?!矫正)")
_CENTRAL = re.compile(r"^(国务院|国家|中华人民共和国|中央|全国)|^[\u4e00-\u9fff]{2,8}部$")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province | prefecture | county
    type: str
    parent: str
    lon: float | None
    lat: float | None
    listed_until: int | None  # set for a division that no longer exists
    successor: str | None


@dataclass
class Place:
    """A report's place: the divisions resolved, how, and what to say about it."""

    status: str  # resolved | zone | misprint | ambiguous | not_found | central | override
    province: Division | None = None
    prefecture: Division | None = None
    county: Division | None = None
    level: str | None = None  # central | provincial | prefectural | county
    issues: list[Issue] = field(default_factory=list)
    zone: str | None = None  # the zone's name as written, when placed by the zone table
    misprint: str | None = None  # the misprinted place word as written (沐阳县)

    @property
    def division(self) -> Division | None:
        return self.county or self.prefecture or self.province

    @property
    def adcode(self) -> str | None:
        return self.division.code if self.division else None


class Divisions:
    def __init__(self, rows: list[Division], nations: list[str]):
        self.by_code = {d.code: d for d in rows}
        self._ethnic = re.compile("(" + "|".join(sorted(nations, key=len, reverse=True)) + ")+")
        self.aliases: dict[str, list[Division]] = {}
        for d in rows:
            for alias in self._aliases(d):
                bucket = self.aliases.setdefault(alias, [])
                if d not in bucket:
                    bucket.append(d)
        self.longest = max(map(len, self.aliases))
        # The lengths of the names starting with each pair of characters (every name has two or
        # more), longest first: most pairs start no name, and the others one or two lengths, so
        # a scan tries few slices (by the first character alone it tried many more; issue 17).
        sizes: dict[str, set[int]] = {}
        for alias in self.aliases:
            sizes.setdefault(alias[:2], set()).add(len(alias))
        self._sizes = {c: sorted(s, reverse=True) for c, s in sizes.items()}
        # Where a name may start: a first character of a name followed by a second character
        # of one. The scan jumps from one such place to the next (a regular expression does
        # that in C) instead of stepping through every character (issue 17).
        firsts = "".join(sorted({a[0] for a in self.aliases}))
        seconds = "".join(sorted({a[1] for a in self.aliases}))
        self._may_start = re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")

    def _aliases(self, d: Division) -> set[str]:
        names = {d.name}
        bare = self._ethnic.sub("", d.name).replace("自治", "")  # 积石山保安族东乡族撒拉族自治县 -> 积石山县
        names.add(bare)
        stem = _TYPE_SUFFIX.sub("", bare)
        if d.type == "自治州" or d.name.endswith("自治州"):
            names.add(stem + "州")  # 临夏州, 甘南州
        if d.level in ("province", "prefecture") and len(stem) >= 2:
            names.add(stem)  # 浙江, 广西, 烟台
        return {n for n in names if len(n) >= 2}

    def chain(self, d: Division) -> dict[str, Division]:
        """The division and its ancestors by level."""
        out: dict[str, Division] = {}
        seen = set()
        while d is not None and d.code not in seen:
            seen.add(d.code)
            out.setdefault(d.level, d)
            d = self.by_code.get(d.parent)
        return out

    def street_named(self, text: str, start: int, end: int) -> bool:
        """Whether the division's short name ``text[start:end]`` (北京, no 市) names a street or
        a place instead (``_STREET_AFTER``): never where another division's name follows it
        (宁波镇海区, 唐山路南区, 石家庄桥东区 are the city and its district)."""
        if not _STREET_AFTER.match(text, end) or _TYPE_SUFFIX.search(text[start:end]):
            return False
        return not any(self.aliases.get(text[end:end + size])
                       for size in self._sizes.get(text[end:end + 2], ()))

    def mentions(self, text: str) -> list[tuple[int, int, list[Division]]]:
        """Every division name in the text, longest first at each position, not overlapping."""
        found = []
        passed = 0  # the scan has passed the names found: a place inside one starts none
        n = len(text)
        aliases, sizes = self.aliases, self._sizes
        # Every place a name may start, in one pass in C: the next one at or after any position
        # is the next in this order (one search per place cost a call each; issue 17).
        for m in self._may_start.finditer(text):
            i = m.start()
            if i < passed:
                continue
            for size in sizes.get(text[i:i + 2], ()):
                candidates = aliases.get(text[i:i + size]) if i + size <= n else None
                if candidates:
                    if self.street_named(text, i, i + size):
                        break  # 北京街道, 南京东路街道, 中山陵园: a street's or a place's name
                    found.append((i, i + size, candidates))
                    passed = i + size
                    break
        return found


@lru_cache(maxsize=1)
def divisions() -> Divisions:
    with open(DATA / "divisions.csv", encoding="utf-8") as f:
        rows = [Division(
            r["code"], r["name"], r["level"], r["type"], r["parent"],
            float(r["lon"]) if r["lon"] else None, float(r["lat"]) if r["lat"] else None,
            int(r["listed_until"]) if r["listed_until"] else None, r["successor"] or None)
            for r in csv.DictReader(f)]
    nations = [n.strip() for n in (DATA / "nations.txt").read_text(encoding="utf-8").split()
               if n.strip() and n.strip() != "汉族"]
    return Divisions(rows, nations)


def fill(place: Place, division: Division, data: Divisions) -> Place:
    """Set the place's province, prefecture, county and level from its lowest division."""
    chain = data.chain(division)
    place.province = chain.get("province")
    place.prefecture = chain.get("prefecture")
    place.county = chain.get("county")
    place.level = {"county": "county", "prefecture": "prefectural",
                   "province": "provincial"}[division.level]
    return place


def _common(candidates: list[Division], data: Divisions) -> Division | None:
    """The lowest division that contains every candidate, if any."""
    chains = [data.chain(c) for c in candidates]
    for level in ("prefecture", "province"):
        codes = {c[level].code if level in c else None for c in chains}
        if len(codes) == 1 and None not in codes:
            return chains[0][level]
    return None


# Words that make a name a zone (开发区, 新区 …) rather than a division, longest first.
ZONE_WORDS = re.compile(
    r"(综合实验区|综合试验区|自由贸易试验区|高新技术产业开发区|经济技术开发区|高新技术开发区|经济开发区"
    r"|综合保税区|工业园区|产业园区|旅游度假区|风景名胜区|合作区|示范区|实验区|试验区|开发区|高新区"
    r"|保税区|自贸区|新区|园区|度假区|管理区)")
# A place-shaped word at the start of a name: two characters or more and a division's type
# (测试县, 沐阳县). Used for misprints and for names whose place is no division we know.
PLACE_WORD = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:自治县|自治州|自治旗|省|市|县|区|旗|州|盟)")


@dataclass(frozen=True)
class Zone:
    name: str
    adcode: str  # the lowest division containing the whole zone
    kind: str
    territory: str
    source: str


@lru_cache(maxsize=1)
def zones() -> tuple[Zone, ...]:
    """The zone table (loaders/data/zones.csv), longest names first."""
    with open(DATA / "zones.csv", encoding="utf-8") as f:
        rows = [Zone(r["name"], r["adcode"], r["kind"], r["territory"], r["source"])
                for r in csv.DictReader(f)]
    return tuple(sorted(rows, key=lambda z: -len(z.name)))


def find_zone(text: str) -> Zone | None:
    return next((z for z in zones() if z.name in text), None)


def place_word(name: str) -> str | None:
    """The place-shaped word a name starts with (测试县卫生健康局 -> 测试县), None for a generic
    zone word alone (高新区, 开发区: every city has one)."""
    m = PLACE_WORD.match(name or "")
    if not m:
        return None
    word = m.group(0)
    return None if len(ZONE_WORDS.sub("", word)) < 2 else word


def misprint_of(word: str, scope: set[str], data: Divisions) -> list[Division]:
    """Divisions one character from ``word`` (same length) inside a division of ``scope``."""
    found: list[Division] = []
    for alias, ds in data.aliases.items():
        if len(alias) != len(word) or alias == word \
                or sum(a != b for a, b in zip(alias, word)) != 1:
            continue
        for d in ds:
            ancestors = {a.code for a in data.chain(d).values() if a is not d}
            if ancestors & scope and d not in found:
                found.append(d)
    current = [d for d in found if d.listed_until is None]
    return current if len(found) > 1 and current else found


def _in_zone(zone: Zone, data: Divisions) -> Place:
    """A zone's place: the division containing it. No issue: nothing is uncertain, and the place
    status ``zone`` says how it was found (the table says why: its ``territory``)."""
    return fill(Place("zone", zone=zone.name), data.by_code[zone.adcode], data)


def _misprinted(word: str, named: set[str], text: str, data: Divisions) -> Place:
    """The place of a misprinted division name (see the module doc): the divisions one character
    from ``word`` inside a province or city the report names; when several are, those whose own
    name the report also writes. Exactly one, or the place stays unresolved, saying why."""
    scope = {c for c in named if data.by_code[c].level in ("province", "prefecture")}
    candidates = misprint_of(word, scope, data) if scope else []
    near = len(candidates)
    if near > 1:
        written = [d for d in candidates if d.name in text]
        candidates = written if len(written) == 1 else candidates
    if len(candidates) != 1:
        near = (f"; it is one character from {len(candidates)} divisions in the provinces and "
                f"cities the report names ({', '.join(f'{d.name} {d.code}' for d in candidates)})"
                if candidates else "")
        return Place("not_found", issues=[Issue(
            "place_not_found", f"{word} is no administrative division{near}: left unresolved")])
    [division] = candidates
    place = fill(Place("misprint", misprint=word), division, data)
    chain = data.chain(division)
    where = "".join(chain[lvl].name for lvl in ("province", "prefecture")
                    if lvl in chain and chain[lvl].code in scope)
    why = (f"the only division one character apart in {where}, which the report names"
           if near == 1 else f"of the {near} divisions one character apart in {where}, the "
           "only one the report also names")
    place.issues.append(Issue(
        "place_misprinted", f"{word} is no division: read as {division.name} ({division.code}), "
        f"{why}"))
    return place


def _misprinted_below(agency: str, around: set[str], text: str, data: Divisions) -> Place | None:
    """宿迁市沐阳县发展和改革局: after the divisions a name starts with, a place word that is no
    division; read as a misprint when exactly one division fits (else None: the divisions
    before it stand)."""
    end = 0
    for start, stop, _ in data.mentions(agency[:40]):
        if start != end:
            break
        end = stop
    word = place_word(agency[end:]) if end else None
    if not word or ZONE_WORDS.search(word):
        return None
    named = around | {d.code for _, _, ds in data.mentions(agency[:end]) for d in ds}
    place = _misprinted(word, named, text, data)
    return place if place.status == "misprint" else None


def resolve(agency: str | None, title: str | None, context: str = "",
            elsewhere: str = "") -> Place:
    """The place of a report from its agency's name, its title and its opening text
    (``context``); ``elsewhere`` is the rest of the report, whose provinces and cities may settle
    a misprinted name."""
    data = divisions()
    # The agency's name decides; the title only when the name holds no place.
    mentions, zone = [], None
    for text in (agency, title):
        if text and ((zone := find_zone(text)) or (mentions := data.mentions(text))):
            break
    if zone is not None:
        return _in_zone(zone, data)
    around = {d.code for _, _, ds in data.mentions(f"{agency or ''} {title or ''} {context}")
              for d in ds}
    if not mentions:
        return _none_named(agency, title, context, elsewhere, around, data)
    if agency and (place := _misprinted_below(agency, around, f"{title or ''} {context} "
                                                f"{elsewhere}", data)) is not None:
        return place
    candidates = _candidates(mentions, around, data)
    if len(candidates) > 1:
        return _ambiguous(candidates, agency or title, data)
    return _resolved(candidates[0], data)


def _none_named(agency: str | None, title: str | None, context: str, elsewhere: str,
                around: set[str], data: Divisions) -> Place:
    """No division named in the agency or the title: a central agency, a misprinted name, a
    zone not listed, or not found."""
    if agency and _CENTRAL.search(agency):
        return Place("central", level="central")
    word = place_word(agency or "")
    if word and not ZONE_WORDS.search(word):
        named = around | {d.code for _, _, ds in data.mentions(elsewhere) for d in ds}
        return _misprinted(word, named, f"{title or ''} {context} {elsewhere}", data)
    if agency and (m := ZONE_WORDS.search(agency)):
        return Place("not_found", issues=[Issue(
            "place_zone_unknown", f"{agency!r} names a zone ({m.group(0)}), not a division, "
            "and the zone is not in loaders/data/zones.csv: its place is left unresolved")])
    return Place("not_found", issues=[Issue(
        "place_not_found", f"no administrative division named in the agency {agency!r} or "
        "the title")])


def _candidates(mentions: list, around: set[str], data: Divisions) -> list[Division]:
    """The most specific division named, narrowed by the others named beside it (which must be
    its ancestors), by the cities and provinces the text names, and to the current ones."""
    rank = {"county": 0, "prefecture": 1, "province": 2}
    best = min(mentions, key=lambda m: min(rank[d.level] for d in m[2]))
    candidates = [d for d in best[2] if rank[d.level] == min(rank[x.level] for x in best[2])]
    others = [ds for m in mentions if m is not best for ds in [m[2]]]
    if others:
        fitting = [c for c in candidates if all(
            any(o.code in {a.code for a in data.chain(c).values()} for o in ds) for ds in others)]
        candidates = fitting or candidates
    if len(candidates) > 1:
        fitting = [c for c in candidates
                   if any(a.code in around for lvl, a in data.chain(c).items() if a is not c)]
        if fitting:  # those in a city or province the text names; maybe still several
            candidates = fitting
    if len(candidates) > 1:
        current = [c for c in candidates if c.listed_until is None]
        if len(current) == 1:
            candidates = current
    return candidates


def _ambiguous(candidates: list[Division], named_in: str | None, data: Divisions) -> Place:
    """Several divisions of the name and nothing in the text to choose: the place they share."""
    def where(c: Division) -> str:
        chain = data.chain(c)
        return c.code + " in " + "".join(chain[lvl].name for lvl in ("province", "prefecture")
                                        if lvl in chain and chain[lvl] is not c)

    place = Place("ambiguous", issues=[Issue(
        "place_ambiguous",
        f"{named_in!r}: {candidates[0].name} is the name of {len(candidates)} "
        f"divisions ({', '.join(where(c) for c in candidates[:6])}); the text does not say "
        "which")])
    common = _common(candidates, data)
    if common is not None:
        fill(place, common, data)
        place.level = {"prefecture": "county", "province": None}.get(common.level)
    return place


def _resolved(division: Division, data: Divisions) -> Place:
    """One division: its place, with an issue if it has been renamed or merged since."""
    place = fill(Place("resolved"), division, data)
    if division.listed_until is not None:
        successor = data.by_code.get(division.successor or "")
        now = f"now {successor.name} ({successor.code})" if successor else "no longer listed"
        place.issues.append(Issue(
            "place_renamed", f"{division.name} ({division.code}) is listed in GB/T 2260 until "
            f"{division.listed_until}; {now}"))
    return place
