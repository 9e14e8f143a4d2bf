"""English for the site: places in pinyin, agency sectors and kinds in English.

Place names are romanized by pypinyin (its phrase dictionary reads 重庆 chóngqìng, 厦门 xiàmén,
朝阳区 cháoyáng), never by a table of names made here: the name is read whole, with its type
suffix, so that the phrase dictionary sees the context, then the suffix is put in English
(鄞州区 -> Yinzhou District, 积石山保安族东乡族撒拉族自治县 -> Jishishan Bao'anzu Dongxiangzu Salazu
Autonomous County). Syllables are joined as in official romanization, with an apostrophe before a
syllable that starts with a vowel (Lu'an, Xi'an). The one exception is 陕西, officially Shaanxi so
that it is not the same word as 山西 Shanxi.

A romanization can be wrong where a character has several readings and the dictionary lacks the
place (尧都 reads yáodōu); the Chinese name stays beside it everywhere, and search finds both.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Type suffixes, longest first, and their English. Province-level and city names go without a
# type word (Zhejiang, Shanghai, Ningbo), as English writes them.
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("特别行政区", "SAR"),
    ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("林区", "Forestry District"),
    ("特区", "Special District"),
    ("地区", "Prefecture"),
    ("省", ""),
    ("市", ""),
    ("区", "District"),
    ("县", "County"),
    ("旗", "Banner"),
    ("盟", "League"),
    ("州", "Prefecture"),
)
# Official romanizations that differ from plain pinyin (to tell two provinces apart).
_OFFICIAL = {"陕西": "Shaanxi"}

# The sectors read from agency names (loaders/extract/agencies.py SECTORS), in English.
SECTORS_EN: dict[str, str] = {
    "政府办公室": "government general office",
    "人民政府": "people's government",
    "卫生健康": "health",
    "发展和改革": "development and reform",
    "教育": "education",
    "公安": "public security",
    "民政": "civil affairs",
    "司法": "justice",
    "财政": "finance",
    "人力资源和社会保障": "human resources and social security",
    "自然资源": "natural resources",
    "生态环境": "ecology and environment",
    "住房和城乡建设": "housing and urban-rural development",
    "交通运输": "transport",
    "水利": "water resources",
    "农业农村": "agriculture and rural affairs",
    "商务": "commerce",
    "文化和旅游": "culture and tourism",
    "应急管理": "emergency management",
    "审计": "audit",
    "市场监督管理": "market regulation",
    "统计": "statistics",
    "医疗保障": "healthcare security",
    "科学技术": "science and technology",
    "工业和信息化": "industry and information technology",
    "退役军人事务": "veterans affairs",
    "林业和草原": "forestry and grassland",
    "城市管理": "urban management",
    "税务": "taxation",
    "体育": "sport",
}
KINDS_EN = {"government": "people's government 人民政府", "department": "department 部门",
            "other": "other 其他"}

_VOWEL_START = re.compile(r"^[aoe]")


def _join(syllables: list[str]) -> str:
    out = ""
    for s in syllables:
        out += ("'" if out and _VOWEL_START.match(s) else "") + s
    return out


def _nations() -> list[str]:
    from ..extract.places import DATA

    names = (DATA / "nations.txt").read_text(encoding="utf-8").split()
    return sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)


@lru_cache(maxsize=1)
def _ethnic_pattern() -> re.Pattern:
    return re.compile("|".join(map(re.escape, _nations())))


@lru_cache(maxsize=8192)
def place_en(name: str | None) -> str | None:
    """A division's name in English: its stem in pinyin and its type in English."""
    if not name:
        return None
    from pypinyin import lazy_pinyin

    suffix, suffix_en = next(((s, e) for s, e in SUFFIXES if name.endswith(s) and len(name) > len(s)),
                             ("", ""))
    stem = name[:len(name) - len(suffix)]
    if stem in _OFFICIAL:
        words = [_OFFICIAL[stem]]
    else:
        # Read whole (the suffix gives the phrase dictionary its context), then cut the stem's
        # syllables into words: the place, then each ethnic group it is autonomous for.
        syllables = lazy_pinyin(name, errors=lambda chars: list(chars))
        syllables = syllables[:len(stem)] if len(syllables) == len(name) else \
            lazy_pinyin(stem, errors=lambda chars: list(chars))
        cuts = sorted({0, len(stem)} | {m.start() for m in _ethnic_pattern().finditer(stem)}
                      | {m.end() for m in _ethnic_pattern().finditer(stem)})
        words = [_join(syllables[a:b]).capitalize() for a, b in zip(cuts, cuts[1:]) if b > a]
    return " ".join(w for w in words + [suffix_en] if w)


def sector_en(sector: str | None) -> str | None:
    return SECTORS_EN.get(sector) if sector else None
