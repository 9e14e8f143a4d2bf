"""The section headings of the form: which line is the heading of which of the six sections."""

from __future__ import annotations

import re
from functools import lru_cache

from .template import SECTIONS, Section, normalize_label

# Numbering before a heading: 一、 / 一. / （一） / 第一部分 / 1、 — or none at all (seed 002).
_NUMBERING = r"(?:第?[一二三四五六七八九十]+(?:部分)?[、.:：]?|\(?[一二三四五六]\)|[1-6][、.]|)"
_HEADING_RES = [
    (s, re.compile(rf"^{_NUMBERING}[^。；;，,]{{0,14}}?{s.pattern}[:：。]?$")) for s in SECTIONS
]
MAX_HEADING_CHARS = 40


# A CJK ideograph (U+4E00-U+9FFF) is its own NFKC form, composes with nothing and is no noise
# of ``normalize_label``: each one is a character of the normalized line. A line whose first
# characters already hold more ideographs than a heading may have is prose, known without
# normalizing all of it (paragraphs run to thousands of characters; issue 17).
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
_PREFIX = 3 * MAX_HEADING_CHARS


@lru_cache(maxsize=8192)
def match_heading(text: str) -> Section | None:
    """The section a line is the heading of, or None. Long lines are prose, never headings.
    Remembered: the readers ask for every short line and a table's row texts repeat."""
    if len(text) > _PREFIX and len(_IDEOGRAPH.findall(text, 0, _PREFIX)) > MAX_HEADING_CHARS:
        return None
    norm = normalize_label(text)
    if not norm or len(norm) > MAX_HEADING_CHARS:
        return None
    for section, pattern in _HEADING_RES:
        if pattern.match(norm):
            return section
    return None
