"""The PDF reader's third round of faster steps (issue 17) gives what the steps it replaced gave:
the words and text lines of ``_pdf_tables`` (``_word_lines``: lines put together a run of equal
tops at a time, a line's words cut where a blank, a gap or a step back is found, the lines of a
flat page not clustered again).

The former steps are kept here as the reference, verbatim (``_words``, ``_word``, ``cell_text``
and ``text_lines`` as of 9225d77), in a copy of the module whose other steps are the module's
own. Compared: the random pages of tests/test_reader_pdf_speed.py, and lines made to sit on the
edges of the new fast paths: tops equal, a hair within or past the tolerance (both ways it is
compared), NaN and infinite; chars that step back (a NaN x0 among them leaves a line out of order), gaps at and past the tolerance, blanks of all
kinds, empty and multi-char texts, ligatures, turned chars among upright ones, chars out of order.
"""

from __future__ import annotations

import math
import random
import re
import sys

import pytest

from loaders.readers import _pdf_tables
from loaders.readers._pdf_tables import Char
from test_reader_pdf_speed import _reference, random_page

REFERENCE_WORDS = 'def _words(chars: list[Char]) -> list[Word]:\n    """Chars as words, line by line (pdfplumber\'s ``WordExtractor``, default settings): chars\n    grouped into lines by their tops, each line read left to right, a word ending at a blank, a\n    gap over ``TEXT_TOLERANCE`` or a step back."""\n    words: list[Word] = []\n    append = words.append\n    t = TEXT_TOLERANCE\n    for upright, run in groupby(chars, key=_UPRIGHT):\n        run = list(run)\n        keys = [c[3] for c in run] if upright else [c[1] for c in run]  # top, or x0\n        index = _clusters(keys, t)\n        lines: dict[int, list[Char]] = {}\n        for c, key in zip(run, keys):\n            lines.setdefault(index[key], []).append(c)\n        for n in sorted(lines):\n            line = sorted(lines[n], key=_X0 if upright else _TOP_BOTTOM)\n            word: list[Char] = []\n            prev = None\n            for c in line:\n                if c[0].isspace():\n                    if word:\n                        append(_word(word))\n                    word = []\n                    continue\n                if word:\n                    if upright:\n                        x0 = c[1]\n                        new = x0 < prev[1] or x0 > prev[2] + t or abs(c[3] - prev[3]) > t\n                    else:\n                        top = c[3]\n                        new = top < prev[3] or top > prev[4] + t or abs(c[1] - prev[1]) > t\n                    if new:\n                        append(_word(word))\n                        word = []\n                word.append(c)\n                prev = c\n            if word:\n                append(_word(word))\n    return words\n\n\ndef _word(chars: list[Char]) -> Word:\n    if len(chars) == 1:\n        c = chars[0]\n        return tuple.__new__(Word, (LIGATURES.get(c[0], c[0]), c[3], chars))\n    text = "".join([c[0] for c in chars])\n    if _LIGATURE.search(text):  # else no char is a ligature\n        text = "".join([LIGATURES.get(c[0], c[0]) for c in chars])\n    return tuple.__new__(Word, (text, min([c[3] for c in chars]), chars))\n\n\ndef cell_text(chars: list[Char]) -> str:\n    """The text of a cell\'s chars: words joined by a space, lines by a line break\n    (pdfplumber\'s ``extract_text``)."""\n    if len(chars) == 1:  # a digit, a mark: its text, as the steps below would find it\n        text = chars[0][0]\n        return "" if text.isspace() else LIGATURES.get(text, text)\n    t = TEXT_TOLERANCE\n    tops = [c[3] for c in chars]\n    if max(tops) - min(tops) <= t and all([c[6] for c in chars]):\n        # one line (most cells): its words straight away, as ``_words`` would find them\n        words: list[str] = []\n        word: list[str] = []\n        prev = None\n        for c in sorted(chars, key=_X0):\n            if c.text.isspace():\n                if word:\n                    words.append("".join(word))\n                word, prev = [], None\n                continue\n            if word and (c.x0 < prev.x0 or c.x0 > prev.x1 + t):\n                words.append("".join(word))\n                word = []\n            word.append(LIGATURES.get(c.text, c.text))\n            prev = c\n        if word:\n            words.append("".join(word))\n        return " ".join(words)\n    words = _words(chars)\n    index = _clusters([w.top for w in words], TEXT_TOLERANCE)\n    lines: dict[int, list[str]] = {}\n    for w in words:\n        lines.setdefault(index[w.top], []).append(w.text)\n    return "\\n".join(" ".join(lines[n]) for n in sorted(lines))\n\n\ndef text_lines(chars: list[Char]) -> list[TextLine]:\n    """The chars as lines of text, in order (pdfplumber\'s ``extract_text_lines``)."""\n    words = _words(chars)\n    tops = [w[1] for w in words]\n    index = _clusters(tops, TEXT_TOLERANCE)\n    lines = []\n    new = tuple.__new__\n    for _, line in groupby(words, key=lambda w: index[w[1]]):\n        line = list(line)\n        text = " ".join([w[0] for w in line]).strip(" ")\n        if text.strip():\n            members = [c for w in line for c in w[2]]\n            # the least top of the line\'s chars: of its words\' tops, each its chars\' least\n            lines.append(new(TextLine, (text, min([w[1] for w in line]), members)))\n    return lines\n'

REF = _reference(_pdf_tables, REFERENCE_WORDS)

T = _pdf_tables.TEXT_TOLERANCE
TEXTS = ["1", "2", "合", "计", " ", "\u3000", "\xa0", "\t", "", "ab", " \n", "ﬁ", "ﬂx", "%", "。"]


def _tops(rng: random.Random, base: float) -> float:
    """A top beside ``base``: the same, a hair within or past the tolerance, or far off."""
    return rng.choice([
        base, base, base, base + T, base - T, math.nextafter(base + T, math.inf),
        math.nextafter(base - T, -math.inf), math.nextafter(base + T, -math.inf), base + 0.5,
        base + 2.9999999999999996, base + 3.0000000000000004, base + 7.0, base + 1e-300,
        -0.0 if base == 0.0 else base, float("nan"), float("inf")])


def random_line_chars(seed: int) -> list[Char]:
    rng = random.Random(seed)
    chars = []
    x = rng.choice([0.0, 10.0, 100.1])
    base = rng.choice([0.0, 12.0, 100.3, 1e16, 0.1])
    nan_ok = rng.random() < 0.1
    for _ in range(rng.randint(1, 30)):
        width = rng.choice([0.0, 5.0, 10.5, 12.0])
        top = _tops(rng, base) if rng.random() < 0.4 else base
        if not nan_ok and (math.isnan(top) or math.isinf(top)):
            top = base
        upright = rng.random() > 0.05
        x0 = float("nan") if nan_ok and rng.random() < 0.2 else x  # sorted, yet a step back
        chars.append(Char(rng.choice(TEXTS), x0, x + width, top, top + 10.0, 10.0, upright))
        x += width + rng.choice([0.0, 0.0, 0.0, T, math.nextafter(T, 9.0), 3.5, -2.0, -20.0,
                                 0.1])
        if rng.random() < 0.05:
            base = rng.choice([base + 20.0, base - 20.0, base])
    if rng.random() < 0.2:
        rng.shuffle(chars)
    return chars


def _same(chars: list[Char], seed) -> None:
    def key(value):
        return repr(value)  # NaN equal to NaN

    assert key(_pdf_tables._words(chars)) == key(REF._words(chars)), seed
    assert key(_pdf_tables.text_lines(chars)) == key(REF.text_lines(chars)), seed
    assert _pdf_tables.cell_text(chars) == REF.cell_text(chars), seed


def test_a_blank_is_what_str_isspace_says():
    """``_line_words`` asks the regex whether a line has a blank at all."""
    for cp in range(sys.maxunicode + 1):
        assert chr(cp).isspace() == bool(_pdf_tables._BLANK.match(chr(cp))), cp


@pytest.mark.parametrize("block", range(4))
def test_the_words_and_lines_are_what_they_were(block):
    for seed in range(block * 1500, block * 1500 + 1500):
        _same(random_line_chars(seed), seed)
        if seed % 3 == 0:  # several lines together
            rng = random.Random(seed)
            chars = [c for k in range(rng.randint(2, 5)) for c in random_line_chars(seed * 7 + k)]
            _same(chars, seed)


def test_the_pages_words_and_lines_are_what_they_were():
    for seed in range(480):
        page = random_page(seed)
        _same(page.chars, seed)
        for n in range(0, len(page.chars), 5):
            _same(page.chars[n:n + 1 + n % 13], seed)
