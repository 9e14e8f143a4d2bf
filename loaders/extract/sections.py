"""The six sections of a report: find their headings among the prose, and cut the prose by them."""

from __future__ import annotations

import re

from ..form.headings import match_heading
from ..form.template import SECTIONS, Section, normalize_label
from ..model import Block, Grid, Paragraph, SectionText


_SUB_NUMBERING = re.compile(r"^\(?[一二三四五六]\)")


def find_headings(blocks: list[Block]) -> dict[int, Section]:
    """Block index -> section, one heading per section, in increasing order.

    A top-level heading (二、主动公开政府信息情况) wins over a sub-heading of the same words
    earlier in the text ((一)主动公开政府信息情况 inside 一、总体情况, corpus shuyang_fgj_2023).
    """
    candidates: dict[int, list[tuple[int, bool]]] = {}  # section -> [(block, is top level)]
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph) and (section := match_heading(block.text)):
            top = not _SUB_NUMBERING.match(normalize_label(block.text))
            candidates.setdefault(section.number, []).append((i, top))
    by_number = {s.number: s for s in SECTIONS}
    found: dict[int, Section] = {}
    last = -1
    for number in sorted(candidates):
        after = [(i, top) for i, top in candidates[number] if i > last]
        if not after:
            continue
        i = next((i for i, top in after if top), after[0][0])
        found[i] = by_number[number]
        last = i
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
        # The written paragraphs' texts, each stripped once
        texts = [t for b in inner[1:] if isinstance(b, Paragraph) and (t := b.text.strip())]
        section = headings[start]
        sections.append(SectionText(
            number=section.number, key=section.key, heading=heading.text.strip(),
            body="\n".join(texts),
            line=heading.line,
            line_end=max([b.line_end if isinstance(b, Grid) else b.line for b in inner]),
        ))
    return sections
