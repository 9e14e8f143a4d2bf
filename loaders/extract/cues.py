"""Cues to who published a report, for which year and when: each a small pure function.

A cue reads one kind of evidence and says what it found (an agency's name as printed, a year, a
date) and the text it read it from. ``metadata.py`` weighs them; which one wins is written there
and in docs/SPEC.md (*Who published it*). The kinds:

- ``title``: the document's title, as lines before the first section heading (also split over
  several lines or spans, samples tests/samples/metadata/title_split_over_spans.html), or as a
  phrase standing alone in a long line of crawled text (``… 年报 平潭综合实验区市场监督管理局2021年度
  政府信息公开工作年度报告 来源： 时间：…``);
- ``title_block``: a line beside the title that is only an agency's name (尧都区卫生健康和体育局);
- ``crawler_title``, ``crawler_date``, ``publisher``: a crawler's header lines (``标题:``,
  ``发布时间:``/``时间:``, ``发布机构:``/``来源:``); ``当前位置: 首页 > …`` is never part of a name;
- ``html_title``, ``html_date``: the page's ``<title>`` and ``<meta>`` (ArticleTitle, PubDate,
  ContentSource), and its header lines above the report (来源：… 发布时间：…); a title standing
  alone in the lines above the report counts as the ``title``;
- ``period``: the statistics period (统计期限自2024年1月1日至2024年12月31日);
- ``author``: the sentence naming who compiled it (本报告由淮安市人民政府办公室…编制);
- ``signature``: the agency and date at the end;
- ``file_name``: a year (pingtan_scjgj_2021_crawler_text.txt) or a whole title in the file name.

Prose may arrive as one long line (crawled pages) or as many short lines (``pdftotext -layout``):
cues that read sentences read the text flattened (:func:`flat`), never line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..form.keys import nfkc
from ..model import Paragraph

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"[0-9〇○零一二三四五六七八九十]"
_YEAR = r"(?:19|20)\d{2}|[一二][〇○零九][〇○零一二三四五六七八九]{2}"
YEAR_IN_TITLE = re.compile(rf"({_YEAR})年")
# A date as reports write it: 2021年1月14日, 二〇二一年一月十四日, 2024年元月31日, 2024年1月31号.
DATE_IN_TEXT = re.compile(rf"({_NUM}{{4}})年({_NUM}{{1,3}}|元)月({_NUM}{{1,3}})[日号]")
# 2022-01-07, 2024.1.31, 2024/01/31 (２０２４．１．３１ after NFKC).
ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
# Either, as one pattern (a signature's date, a line that is only a date).
ANY_DATE = (rf"{_NUM}{{4}}年(?:{_NUM}{{1,3}}|元)月{_NUM}{{1,3}}[日号]"
            r"|(?:19|20)\d{2}(?P<sep>[-/.])\d{1,2}(?P=sep)\d{1,2}(?!\d)")

_SUBJECT = r"(?:政府信息|政务公开|信息公开|政务信息)"
TITLE_SHAPE = re.compile(rf"{_SUBJECT}[^。，；;,]{{0,14}}?(?:报告|年报)")
MAX_TITLE = 70  # characters of a title, normalized; a longer line is prose
_SENTENCE_START = re.compile(r"^(根据|按照|依据|依照|本报告|本年度|现将|为了?|我[局委办市县区厅]|今年|特此|以下|"
                             r"结合|对照|关于做好|关于编制|关于印发)")
_AGENCY_SUFFIX = re.compile(
    r"(局|委|委员会|办公室|办|政府|厅|部|院|中心|署|会|处|所|馆|站|队|室|街道|公司|集团|法院|检察院)$")
_PLACE_SUFFIX = re.compile(r"(省|市|县|区|旗|州|盟|镇|乡|街道)$")
# A seal's place noted after a signature's name: 平潭综合实验区财政金融局（盖章）.
_SEAL = re.compile(r"\((?:盖章|印章|公章|签章|章)\)")
_AGENCY_SHAPE = re.compile(r"^[\u4e00-\u9fff()·]{2,40}$")
# 2024年上海市科委政府信息公开工作年度报告: the agency between the year and the subject.
_AGENCY_AFTER_YEAR = re.compile(rf"^(?:关于)?(?:{_YEAR})年度?(?P<agency>.+?)(?:政府信息公开|政务公开)")
# What a breadcrumb or a page header leaves before a title; the name starts after the last one.
_NOT_NAME = re.compile(r"^.*(当前位置|您现在的位置|首页|年报|栏目|正文|标题|>|›|»|\||:)")

# A crawler's or a page's header: `label: value`, never part of the report's text.
HEADER_LABELS = ("标题", "题目", "名称", "发布时间", "发布日期", "成文日期", "生成日期", "时间", "日期",
                 "发布机构", "发文机关", "发文单位", "来源", "信息来源", "原文链接", "链接", "索引号", "文号",
                 "发文字号", "栏目", "主题分类", "分类", "公开方式", "公开范围", "公开时限", "本地目录",
                 "当前位置", "您现在的位置", "您的位置", "关键词", "体裁分类", "有效性", "浏览次数")
_LABELS = "|".join(sorted(HEADER_LABELS, key=len, reverse=True))
HEADER_LINE = re.compile(rf"^\s*(?:{_LABELS})\s*[:：]|^\s*(=|-){{3,}}|页面链接与图片")
_FIELDS = "标题|发布时间|发布日期|时间|日期|发布机构|信息来源|来源"
_BREADCRUMB = re.compile(r"\s*(当前位置|您现在的位置|您的位置)")
_HEADER_FIELD = re.compile(rf"(?:^|(?<=[\s>|｜]))(?P<label>{_FIELDS})\s*:\s*"
                           rf"(?P<value>(?!(?:{_LABELS})\s*:)\S*)")


_FIELD_LABEL = re.compile(_FIELDS)


def _header_fields(text: str) -> list[re.Match]:
    """``_HEADER_FIELD.finditer(text)``, tried only where a label starts: its lookbehind first
    would make the search try it at every character (issue 17). A match starts with a label, so
    the next place one can start is the next label's."""
    found = []
    pos = 0
    while (start := _FIELD_LABEL.search(text, pos)) is not None:
        m = _HEADER_FIELD.match(text, start.start())
        if m is not None:
            found.append(m)
            pos = m.end()
        else:
            pos = start.start() + 1
    return found


@dataclass(frozen=True)
class Cue:
    kind: str  # see the module docstring
    text: str  # what the cue was read from, as printed (shortened)
    agency: str | None = None
    year: int | None = None
    date: str | None = None  # ISO
    bad_date: str | None = None  # a date that is not in the calendar, as printed


# ---------------------------------------------------------------------------------------------
# Text and dates
# ---------------------------------------------------------------------------------------------

# Runs of whitespace (``\s``, NBSP and U+3000 among them) and of the zero-width U+200B and U+FEFF,
# which ``\s`` leaves out: as one space (``_one_space``) or none (``_without_spaces``). The same
# as ``re.sub(r"[\s\u00a0\u3000\u200b\ufeff]+", " " or "", text)``, with ``str.split``, whose
# whitespace is exactly ``\s``'s, instead of a regular expression tried at every character of a
# page of text (issue 17).
_ZERO_WIDTH = ("\u200b", "\ufeff")


def _one_space(text: str) -> str:
    for z in _ZERO_WIDTH:
        if z in text:
            text = text.replace(z, " ")
    words = text.split()
    if not words:
        return " " if text else ""
    joined = " ".join(words)
    if text[0].isspace():
        joined = " " + joined
    if text[-1].isspace():
        joined += " "
    return joined


def _without_spaces(text: str) -> str:
    for z in _ZERO_WIDTH:
        if z in text:
            text = text.replace(z, "")
    return "".join(text.split())


# The spaces ``flat`` drops. Each pattern starts with the space it removes and looks behind it
# (``(?<=\d )``), which is the same as ``(?<=\d) `` but lets the search skip to the next space
# instead of trying the lookbehinds at every character (issue 17).
_INSIDE_NUMBERS = re.compile(r" (?:(?<=\d )(?=[年月日度号])|(?<=[\u4e00-\u9fff] )(?=\d)"
                             r"|(?<=[年月] )(?=\d))")
_AFTER_YEAR = re.compile(r" (?:(?<=\d年 )|(?<=\d年度 ))")


@lru_cache(maxsize=4096)  # the same lines are normalized by several cues
def norm(text: str) -> str:
    """NFKC and no whitespace at all: the form names and titles are compared in."""
    return _without_spaces(nfkc(text or ""))


@lru_cache(maxsize=64)
def flat(text: str) -> str:
    """NFKC, whitespace runs as one space, and no space inside numbers' words (``2024 年 1 月``,
    ``局 2019 年``) nor after a year (``2019年 度…``, pieces of a title in <span>s): prose broken
    over many short lines and prose in one long line read alike."""
    text = _one_space(nfkc(text or ""))
    return _AFTER_YEAR.sub("", _INSIDE_NUMBERS.sub("", text))


def cn_number(text: str) -> int:
    """A number written with digits or Chinese numerals: 2021, 二〇二一, 十二, 二十八."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def calendar_date(year: str, month: str, day: str) -> tuple[str | None, bool]:
    """(ISO date, True) for a date of the calendar; (None, False) for 2月30日 or 13月;
    (None, True) for text that is no date at all (unreadable numerals, a year out of range)."""
    import datetime as dt

    try:
        y, m, d = cn_number(year), 1 if month == "元" else cn_number(month), cn_number(day)
    except (KeyError, ValueError):
        return None, True
    if not 1990 <= y <= 2100:
        return None, True
    try:
        return dt.date(y, m, d).isoformat(), True
    except ValueError:
        return None, False


def date_of(text: str) -> tuple[str | None, bool]:
    """``calendar_date`` of the one date ``text`` is (either form of ``ANY_DATE``)."""
    m = DATE_IN_TEXT.search(text) or ISO_DATE.search(text)
    return calendar_date(*m.groups()) if m else (None, True)


def dates_in(text: str) -> list[tuple[str | None, str]]:
    """Every date written in ``text`` (2021年1月14日, 二〇二一年一月十四日, 2022-01-07), as
    (ISO date or None when it is not in the calendar, the text as printed)."""
    found = []
    for pattern in (DATE_IN_TEXT, ISO_DATE):
        for m in pattern.finditer(flat(text)):
            iso, real = calendar_date(*m.groups())
            if iso or not real:
                found.append((iso, m.group(0)))
    return found


def title_year(text: str) -> int | None:
    m = YEAR_IN_TITLE.search(norm(text))
    return cn_number(m.group(1)) if m else None


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

# Patterns the cues use, compiled once (``re.search`` with a pattern's text looks it up in
# re's cache at every call; issue 17).
_ABOUT = re.compile(r"^关于|关于$")
_SUBJECT_WORDS = re.compile(r"政府信息公开|政务公开")
_SENTENCE_END = re.compile(r"[。；;]")
_NAMES_REPORT = re.compile(_SUBJECT + "|年度报告|年报")
_TITLE_END = re.compile(r"(报告|年报)(\(.{1,12}\))?$")
_ENDS_WITH_YEAR = re.compile(rf"({_YEAR})年?度?$")
_YEAR_LINE = re.compile(rf"\(?({_YEAR})年?度?\)?")
_TITLE_PARTS = re.compile(r"\s*[_|｜]+\s*|\s+[-–—]+\s+")
_YEAR_WORD = re.compile(rf"({_YEAR})年")
_OFFICE_END = re.compile(r"(办公室|办公厅)$")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_YEAR_ALONE = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})(?![0-9A-Za-z])")


def looks_like_agency(text: str) -> bool:
    """An agency's name (鄞州区卫生健康局), or a place that stands for its government
    (淮安市, 平潭综合实验区): short, Chinese only, no 报告."""
    name = _SEAL.sub("", norm(text))
    return bool(_AGENCY_SHAPE.match(name)) and "报告" not in name and "公开" not in name \
        and bool(_AGENCY_SUFFIX.search(name) or _PLACE_SUFFIX.search(name))


def clean_agency(text: str) -> str | None:
    """The agency's name in what precedes a title's year: breadcrumbs and header labels cut off
    (``首页政务公开…年报平潭综合实验区…局`` -> ``平潭综合实验区…局``), ``关于`` dropped."""
    name = _NOT_NAME.sub("", norm(text))
    name = _ABOUT.sub("", name)  # 关于2021年… / 某局关于2021年…
    return name if looks_like_agency(name) else None


_COVERING_NOTICE = re.compile(r"^.{0,40}?(?P<about>关于)(?P<verb>印发|公布|发布|转发)")
# A report a notice calls its issuer's own (我局, 本局, 本委), or its place's (本区, 全市, 市政府).
_ITS_OWN = re.compile(r"^(?:(?P<office>[我本]办|[省市区县旗](?:人民)?政府办)|[我本][局委厅院署部会])")
# 本市教育局, 本区卫健局: a bureau of the issuer's place (its name up to that 市, 区…).
_HERE = re.compile(r"^本[省市区县旗]")
# (followed by the year or the subject: 本市教育局2020年… is a bureau's report, named so)
_ITS_PLACES = re.compile(r"^(?:[本全][省市区县旗]|[省市区县旗](?:人民)?政府)"
                         r"(?=[0-9〇○零一二三四五六七八九]|年|政府信息|政务公开)")



def split_title(title: str) -> tuple[str | None, int | None]:
    """(agency, year) from a title: the agency before the year (鄞州区卫生健康局2020年…), or
    between the year and the subject (2024年上海市科委政府信息公开…)."""
    text = norm(title)
    # A covering notice (XX市人民政府办公室关于印发XX市卫生健康委员会2020年…的通知): the report is
    # the one it issues or forwards, whose agency follows 关于印发; the issuer's own where the
    # notice calls it so (关于印发我局2023年…, 本局, 本区, 全市, 市政府…)
    if notice := _COVERING_NOTICE.match(text):
        rest = text[notice.end():].lstrip("《〈\"“")
        issuer = text[:notice.start("about")]
        if notice.group("verb") == "转发":  # another's notice forwarded: no agency of its own
            return None, title_year(rest)
        if own := _ITS_OWN.match(rest):
            # 本办, 市政府办公室: the issuing office's own; 我局, 本委: the agency it is the
            # office of (…委员会办公室关于印发本委…), or the issuer itself
            office = own.group("office")
            return clean_agency(issuer if office else _OFFICE_END.sub("", issuer) or issuer), \
                title_year(rest)
        if _ITS_PLACES.match(rest):  # 本区2023年, 全市, 市政府: its government's
            return clean_agency(_OFFICE_END.sub("", issuer)), title_year(rest)
        if (here := _HERE.match(rest)) and (at := issuer.rfind(rest[1])) > 0:
            rest = issuer[:at + 1] + rest[here.end():]  # 本市教育局: the issuer's city's
        text = rest
    m = YEAR_IN_TITLE.search(text)
    agency = clean_agency(text[:m.start()]) if m and m.start() else None
    if agency is None and m and (after := _AGENCY_AFTER_YEAR.match(text[m.start():])):
        agency = clean_agency(after.group("agency"))
    if agency is None and (subject := _SUBJECT_WORDS.search(text)):
        agency = clean_agency(text[:subject.start()])  # 某局政府信息公开工作年度报告（2021年度）
    return agency, (cn_number(m.group(1)) if m else None)


def is_title(text: str) -> bool:
    t = norm(text)
    return 0 < len(t) <= MAX_TITLE and bool(TITLE_SHAPE.search(t)) \
        and not _SENTENCE_START.match(t) and not _SENTENCE_END.search(t)


@lru_cache(maxsize=4096)  # asked of the same lines by several cues, as ``norm`` (issue 17)
def is_header(text: str) -> bool:
    return bool(HEADER_LINE.match(nfkc(text or "")))


# A title standing alone in a long line: after a space, a separator or the start, and followed by
# a space, the end or a header label. Spaces only next to its numbers (flattened already).
_TITLE_PHRASE = re.compile(
    rf"(?:^|(?<=[\s>|｜_»›:]))(?P<title>[\u4e00-\u9fff()·]{{0,40}}(?:{_YEAR})年[\u4e00-\u9fff()]{{0,40}}?"
    rf"{_SUBJECT}[\u4e00-\u9fff]{{0,14}}?(?:报告|年报)(?:\([\u4e00-\u9fff0-9]{{1,12}}\))?)"
    r"(?=$|[\s|｜_\-–—]|来源|时间|发布)")


def titles_in_text(text: str) -> list[str]:
    """Titles standing alone in a long line of text (crawled pages, a ``<title>``)."""
    return [m.group("title") for m in _TITLE_PHRASE.finditer(flat(text))]


# ---------------------------------------------------------------------------------------------
# The cues
# ---------------------------------------------------------------------------------------------

def title_cue(head: list[Paragraph]) -> tuple[Cue, list[Paragraph]] | None:
    """The document's title among the lines before the first heading: the first short line that
    names the report, continued over the next lines until it ends (报告), and over the lines
    before it while it lacks its year (平潭综合实验区 / 2019年 / 度政府信息公开工作年度报告).
    Lines of prose, header lines (索引号:, 标题:) and page furniture are never part of it."""
    usable = [p for p in head if norm(p.text) and not is_header(p.text)]
    for i, p in enumerate(usable):
        t = norm(p.text)
        if len(t) > MAX_TITLE or not _NAMES_REPORT.search(t) \
                or _SENTENCE_START.match(t):
            continue
        lines = [p]
        while not _TITLE_END.search(norm(_joined(lines))) \
                and i + len(lines) < len(usable) and len(lines) < 4 \
                and len(norm(_joined(lines + [usable[i + len(lines)]]))) <= MAX_TITLE:
            lines.append(usable[i + len(lines)])
        first = i
        while title_year(_joined(lines)) is None and first > 0 \
                and _ENDS_WITH_YEAR.search(norm(usable[first - 1].text)) \
                and len(norm(_joined([usable[first - 1]] + lines))) <= MAX_TITLE:
            first -= 1
            lines.insert(0, usable[first])
        after = first + len(lines)
        if title_year(_joined(lines)) is None and after < len(usable) \
                and _YEAR_LINE.fullmatch(norm(usable[after].text)):
            lines.append(usable[after])  # 某局政府信息公开工作年度报告 / （2021年度）
        text = _joined(lines)
        if not is_title(text):
            continue
        agency, year = split_title(text)
        return Cue("title", text, agency, year), lines
    return None


def _joined(lines: list[Paragraph]) -> str:
    return "".join(p.text.strip() for p in lines)


def title_in_long_lines(head: list[Paragraph]) -> Cue | None:
    """A title standing alone inside a long line (crawled text: the page's heading between its
    breadcrumb and its 来源/时间 line; the breadcrumb itself is never part of it)."""
    for p in head:
        if len(p.text) > MAX_TITLE and (not is_header(p.text) or _BREADCRUMB.match(p.text)):
            for title in titles_in_text(p.text[:1500]):
                agency, year = split_title(title)
                return Cue("title", title, agency, year)
    return None


def page_heading_cue(meta: dict[str, str]) -> Cue | None:
    """A title standing alone in the lines of a web page above the report (the HTML reader's
    ``before_report``: a heading of <span>s in a <div>, sample title_spans_above_the_report.html)."""
    for title in titles_in_text(meta.get("before_report") or ""):
        agency, year = split_title(title)
        return Cue("title", title, agency, year)
    return None


def title_block_cue(head: list[Paragraph], title_lines: list[Paragraph]) -> Cue | None:
    """A line just above or below the title that is only an agency's name."""
    usable = [p for p in head if norm(p.text) and not is_header(p.text)]
    if not title_lines or title_lines[0] not in usable:
        return None
    start = usable.index(title_lines[0])
    end = start + len(title_lines)
    for j in (start - 1, end, start - 2, end + 1):
        if 0 <= j < len(usable) and looks_like_agency(usable[j].text):
            return Cue("title_block", usable[j].text.strip(), norm(usable[j].text))
    return None


def header_cues(head_text: str) -> list[Cue]:
    """A crawler's header lines (标题:, 发布时间:/时间:, 发布机构:/来源:), on their own lines or
    run into the first line of the page's text. Empty fields (来源： 时间：…) say nothing."""
    cues: list[Cue] = []
    for m in _header_fields(flat(head_text)[:3000]):
        label, value = m.group("label"), m.group("value")
        if not value:
            continue
        if label == "标题":
            agency, year = split_title(value)
            if is_title(value):
                cues.append(Cue("crawler_title", value, agency, year))
        elif label in ("发布机构", "来源", "信息来源"):
            if looks_like_agency(value):
                cues.append(Cue("publisher", value, norm(value)))
        else:
            for iso, raw in dates_in(value)[:1]:
                cues.append(Cue("crawler_date", raw, date=iso, bad_date=None if iso else raw))
    return cues


def html_cues(meta: dict[str, str]) -> list[Cue]:
    """The page's ``<title>`` and ``<meta>``: ArticleTitle / og:title / title, PubDate,
    ContentSource. A ``<title>`` holds the site's name too (…年度报告_政府信息公开年报_某某网)."""
    cues: list[Cue] = []
    for key in ("articletitle", "og:title", "title"):
        for part in _TITLE_PARTS.split(meta.get(key) or ""):
            if titles_in_text(part) or is_title(part):
                title = (titles_in_text(part) or [part])[0]
                agency, year = split_title(title)
                cues.append(Cue("html_title", title.strip(), agency, year))
                break
    for key in ("pubdate", "publishdate", "firstpublishedtime", "article:published_time"):
        for iso, raw in dates_in(meta.get(key) or "")[:1]:
            cues.append(Cue("html_date", raw, date=iso, bad_date=None if iso else raw))
    for key in ("contentsource", "author"):
        if looks_like_agency(meta.get(key) or ""):
            cues.append(Cue("publisher", meta[key].strip(), norm(meta[key])))
    # The page's own header above the report (来源：… 发布时间：…), read as a crawler's.
    for cue in header_cues(meta.get("before_report") or ""):
        if cue.kind != "crawler_title":
            kind = "html_date" if cue.kind == "crawler_date" else cue.kind
            cues.append(Cue(kind, cue.text, cue.agency, cue.year, cue.date, cue.bad_date))
    return cues


_PERIOD = re.compile(r"统计(?:期限|时限|周期|时间|区间|范围|期)")


def period_cue(text: str) -> Cue | None:
    """The year of the statistics period (统计期限自2024年1月1日至2024年12月31日, 本报告中所列数据
    统计时限为2021年1月1日起至…, 统计周期为2024年1月1日至12月31日): the one year it names."""
    text = flat(text).replace(" ", "")
    for m in _PERIOD.finditer(text):
        window = _SENTENCE_END.split(text[m.end():m.end() + 60])[0]
        years = {cn_number(y) for y in _YEAR_WORD.findall(window)}
        if len(years) == 1:
            bad = next((raw for iso, raw in dates_in(window) if iso is None), None)
            return Cue("period", text[m.start():m.end() + len(window)], year=years.pop(),
                       bad_date=bad)
    return None


_AUTHOR = re.compile(r"本(?:年度)?报告(?:是|系)?由(?P<name>[\u4e00-\u9fff()]{2,40}?)"
                     r"(?:根据|依据|按照|依照|负责|组织|汇总|综合|编制|编写|起草|制作|牵头|会同|结合|,)")


def author_cue(text: str) -> Cue | None:
    """Who compiled the report (本报告由淮安市人民政府办公室…编制): the compiler's own agency, an
    office standing for the agency it serves (淮安市人民政府办公室 -> 淮安市人民政府)."""
    m = _AUTHOR.search(flat(text).replace(" ", ""))
    if not m:
        return None
    name = m.group("name")
    served = _OFFICE_END.sub("", name)
    if served != name and _AGENCY_SUFFIX.search(served) and len(served) >= 3:
        name = served
    return Cue("author", m.group(0), name) if looks_like_agency(name) else None


# (a signature's date ends its line, or a crawled page's words follow it: 经局长办公会2021年1月
# 12日审议通过 is a sentence's)
_DATE_ENDS = (r"(?!(?!附件|发布|分享|扫一扫|上一篇|下一篇|打印|关闭|来源|浏览|点击|【|相关)"
              r"[\u4e00-\u9fff])")
_SIGNATURE = re.compile(rf"(?P<agency>[\u4e00-\u9fff()]{{2,40}})\s?(?P<date>{ANY_DATE})"
                        rf"(?P<after>印发|抄送)?{_DATE_ENDS}")
_SIGNATURE_CN = re.compile(rf"(?P<agency>[\u4e00-\u9fff()]{{2,40}})\s?(?P<date>{_NUM}{{4}}年"
                           rf"(?:{_NUM}{{1,3}}|元)月{_NUM}{{1,3}}[日号])(?P<after>印发|抄送)?"
                           rf"{_DATE_ENDS}")



# The characters a match of _SIGNATURE may hold (its agency's, the space before its date, its
# date's numerals, 年月日号 and -./, 印发 and 抄送), and a run of the others, which part the text
# into stretches no match crosses.
_SIGNATURE_BARRIER = re.compile(r"[^\u4e00-\u9fff()\s0-9〇○./-]+")


# A website's name with its date at a page's foot (沭阳县人民政府网站2024-03-05): no signature.
_WEBSITE = re.compile(r"(网站|门户|政府网|信息网|公开网)$")


def _last_signature(text: str, pattern: re.Pattern) -> re.Match | None:
    """The last signature ``pattern`` finds, looked for from the end, a stretch at a time
    (issue 17): no match holds a character _SIGNATURE_BARRIER matches, so each stretch between
    two such characters is searched on its own, as the search over the whole text finds it, and
    the stretches before the last one that holds a signature are never read."""
    found = None
    end = len(text)
    for barrier in reversed([0, *(m.end() for m in _SIGNATURE_BARRIER.finditer(text))]):
        for m in pattern.finditer(text, barrier, end):
            if m.group("after") != "印发" and looks_like_agency(m.group("agency")) \
                    and not _WEBSITE.search(m.group("agency")):
                found = m  # the last one: a date in the prose before it is not the signature
        if found is not None:
            return found
        end = barrier
    return None


def signature_cue(tail_text: str) -> Cue | None:
    """The agency and date the report ends with (``平潭综合实验区财政金融局 2026年1月14日``), also run
    into the last line of crawled text. The issuing office's line (…办公室 2022年1月7日印发)
    comes after the signature and is not it."""
    text = _SEAL.sub("", flat(tail_text))[-600:]
    # A date written 2024年1月31日 first; 2024-01-31 or 2024.1.31 only where none is (a site's or
    # a printer's footer after the signature, …办公室 2024-03-05, is not it)
    found = _last_signature(text, _SIGNATURE_CN) or _last_signature(text, _SIGNATURE)
    if found is None:
        return None
    iso, real = date_of(found.group("date"))
    return Cue("signature", found.group(0), norm(found.group("agency")), date=iso,
               bad_date=None if iso or real else found.group("date"))


def file_name_cue(name: str) -> Cue | None:
    """A title in the file name (…局2021年度政府信息公开工作年度报告.html), else a year standing
    alone in it (pingtan_scjgj_2021_crawler_text.txt; not the digits of a hash or a number)."""
    stem = _EXTENSION.sub("", name.rsplit("/", 1)[-1])
    titles = titles_in_text(stem.replace("_", " "))
    if titles:
        agency, year = split_title(titles[0])
        return Cue("file_name", name, agency, year)
    years = set(_YEAR_ALONE.findall(stem))
    return Cue("file_name", name, year=int(years.pop())) if len(years) == 1 else None
