"""The six sections of a report: find their headings among the prose, and cut the prose by them."""

from __future__ import annotations

import re

from .model import Block, Grid, Paragraph, SectionText
from .template import SECTIONS, Section, normalize_label

# Numbering before a heading: 一、 / 一. / （一） / 第一部分 / 1、 — or none at all (seed 002).
_NUMBERING = r"(?:第?[一二三四五六七八九十]+(?:部分)?[、.:：]?|\(?[一二三四五六]\)|[1-6][、.]|)"
_HEADING_RES = [
    (s, re.compile(rf"^{_NUMBERING}[^。；;，,]{{0,14}}?{s.pattern}[:：。]?$")) for s in SECTIONS
]
MAX_HEADING_CHARS = 40


def match_heading(text: str) -> Section | None:
    """The section a line is the heading of, or None. Long lines are prose, never headings."""
    norm = normalize_label(text)
    if not norm or len(norm) > MAX_HEADING_CHARS:
        return None
    for section, pattern in _HEADING_RES:
        if pattern.match(norm):
            return section
    return None


def find_headings(blocks: list[Block]) -> dict[int, Section]:
    """Block index -> section, for the first heading of each section, in increasing order."""
    found: dict[int, Section] = {}
    last = 0
    for i, block in enumerate(blocks):
        if not isinstance(block, Paragraph):
            continue
        section = match_heading(block.text)
        if section and section.number > last:
            found[i] = section
            last = section.number
    return found


def cut_sections(
    blocks: list[Block], headings: dict[int, Section], drop_tail: set[str] = frozenset()
) -> list[SectionText]:
    """The prose of each section found, without the tables. ``drop_tail`` holds closing lines
    (the agency's signature, the date) to cut from the end of the last section."""
    sections: list[SectionText] = []
    order = sorted(headings)
    for n, start in enumerate(order):
        end = order[n + 1] if n + 1 < len(order) else len(blocks)
        inner = list(blocks[start:end])
        if n + 1 == len(order):
            while len(inner) > 1 and isinstance(inner[-1], Paragraph) \
                    and normalize_label(inner[-1].text) in drop_tail:
                inner.pop()
        heading = inner[0]
        paragraphs = [b for b in inner[1:] if isinstance(b, Paragraph) and b.text.strip()]
        section = headings[start]
        sections.append(SectionText(
            number=section.number, key=section.key, heading=heading.text.strip(),
            body="\n".join(p.text.strip() for p in paragraphs),
            line=heading.line,
            line_end=max(b.line_end if isinstance(b, Grid) else b.line for b in inner),
        ))
    return sections
