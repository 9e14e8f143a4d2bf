"""A key of the form: its Chinese and English labels, the patterns that recognise it in a
normalized label cell, the templates that have it and where the form prints it; ``Keys``, the
keys of one part of the form with the label each matched before (``lookup``, ``lookup_all`` for
a row's labels at once); ``normalize_label`` (``normalize_labels`` for a row's cells at once,
through a memo), and ``nfkc`` (NFKC of long texts, fast).

Patterns are regular expressions matched (``re.search``) against ``normalize_label(text)``, so they
are written in half-width form: ``(六)`` not ``（六）``, no spaces, no quotes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import repeat
from typing import Generic, TypeVar

# The two versions of the form (their notices are in ``template.TEMPLATE_NOTICES``).
TEMPLATES = ("2019", "2021")


@dataclass(frozen=True)
class Key:
    key: str
    label_zh: str
    label_en: str
    patterns: tuple[str, ...] = ()
    templates: tuple[str, ...] = TEMPLATES
    variants: tuple[str, ...] = field(default=(), compare=False)
    # Where the form prints it: the key of the group (row or header) it stands under, and its
    # label there when that is shorter than the label on its own (under （三）不予公开 the form
    # prints 1.属于国家秘密 for （三）1.属于国家秘密).
    group: str = field(default="", compare=False)
    printed_zh: str = field(default="", compare=False)
    printed_en: str = field(default="", compare=False)

    @property
    def form_zh(self) -> str:
        return self.printed_zh or self.label_zh

    @property
    def form_en(self) -> str:
        return self.printed_en or self.label_en

    def matches(self, normalized: str) -> bool:
        return self._pattern is not None and self._pattern.search(normalized) is not None

    @cached_property
    def _pattern(self) -> re.Pattern | None:
        """The patterns as one compiled expression (a frozen dataclass may still cache)."""
        if not self.patterns:
            return None
        return re.compile("|".join(f"(?:{p})" for p in self.patterns))


# NFKC of a long text, fast (issue 17). ``unicodedata.normalize`` rebuilds the whole string once
# one character needs it, and report prose always has some (full-width ，（）；：): about 0.1 ms
# per 1,000 characters. Replacing a character by its own NFKC form never changes the NFKC of the
# text (the compatibility decomposition, canonical reordering and composition see the same
# sequence), so the characters that change are replaced first (the most common ones with
# ``str.replace``, the rest through one character class), and the text is normalized again only
# if what is left is still not in NFKC (a combining mark, a character beyond the BMP): the result
# is always exactly ``unicodedata.normalize("NFKC", text)``.
_NFKC_OF = {c: n for c, n in ((chr(cp), unicodedata.normalize("NFKC", chr(cp)))
                              for cp in range(0x10000) if not 0xD800 <= cp < 0xE000) if n != c}
_NFKC_COMMON = "，（）；：．－\u3000\u00a0"  # ordered by how often reports write them
_NFKC_COMMON_PAIRS = tuple((c, _NFKC_OF[c]) for c in _NFKC_COMMON if c in _NFKC_OF)
_NFKC_OTHERS = re.compile("[" + "".join(re.escape(c) for c in _NFKC_OF
                                        if c not in _NFKC_COMMON) + "]")


def _nfkc_char(m: re.Match) -> str:
    return _NFKC_OF[m.group()]


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, faster on long texts (see above)."""
    if len(text) < 64:
        return unicodedata.normalize("NFKC", text)
    for c, n in _NFKC_COMMON_PAIRS:
        if c in text:
            text = text.replace(c, n)
    text = _NFKC_OTHERS.sub(_nfkc_char, text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


# Characters that carry no meaning in a label: every kind of space and line break, and quotes
# (reports write 危及“三安全一稳定”, 危及"三安全一稳定" and 危及三安全一稳定).
_LABEL_NOISE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff\"'“”‘’「」『』]+")


def normalize_label(text: str) -> str:
    """Fold a label cell to one comparable form.

    NFKC turns full-width brackets, digits and punctuation into half-width ones (（四） -> (四),
    １ -> 1, ． -> .); then all whitespace (including NBSP, U+3000 and line breaks inside a cell,
    as in ``结果\\n\\n维持`` or ``其他结 果``) and quotes are removed.
    """
    if text and len(text) <= 80:
        if text.isascii() and text.isalnum():
            return text  # a number (most cells): NFKC leaves ASCII letters and digits alone
        return _normalized(text)  # a label: they repeat in every report and every row
    return _LABEL_NOISE.sub("", nfkc(text or ""))


@lru_cache(maxsize=65536)  # short texts only: bounded memory (issue 17)
def _normalized(text: str) -> str:
    return _LABEL_NOISE.sub("", unicodedata.normalize("NFKC", text))


# ``normalize_labels``' memo: short texts (as ``_normalized``'s) to their label, cleared past
# this size.
_LABELS: dict[str, str] = {}
LABELS_MAX = 65536


def normalize_labels(texts: list[str]) -> list[str]:
    """``[normalize_label(t) for t in texts]``: a grid row's cells, whose texts repeat in every
    row and report, looked up all at once in a memo (one C-level pass), ``normalize_label``
    asked only for the ones not in it (issue 17)."""
    got = list(map(_LABELS.get, texts))
    if None in got:  # a label is never None: these were not in the memo
        for i, text in enumerate(texts):
            if got[i] is None:
                got[i] = norm = normalize_label(text)
                if len(text) <= 80:
                    if len(_LABELS) >= LABELS_MAX:
                        _LABELS.clear()
                    _LABELS[text] = norm
    return got


# The number a label of the form gives itself, in a normalized label: 一、 / (三) / 1. / 2、
# (``match`` for a label that starts with one). Its groups hold the numeral alone.
LABEL_NUMBER = re.compile(r"([一二三四五六七八九十]+)[、.]|\(([一二三四五六七八九十\d]+)\)|(?<![\d.])(\d+)[.、](?!\d)")


def label_numbers(normalized: str) -> set[str]:
    """The numerals a normalized label numbers itself with (``(六)其他处理3.其他``: 六, 3),
    whatever the punctuation around them (2、 and 2. are both 2)."""
    return {next(g for g in m.groups() if g) for m in LABEL_NUMBER.finditer(normalized)}


K = TypeVar("K", bound=Key)

# Distinct labels remembered per part of the form: bounded by what reports write, and cleared
# past this size in case of a corpus of oddities.
MATCHED_MAX = 200_000


@dataclass(frozen=True, eq=False)
class Keys(Sequence, Generic[K]):
    """The keys of one part of the form in the form's order, and the key each label matched
    before: labels repeat across reports, so each is matched against the patterns once."""

    keys: tuple[K, ...]
    matched: dict[str, K | None] = field(default_factory=dict, init=False, repr=False)

    def __getitem__(self, index):
        return self.keys[index]

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[K]:
        return iter(self.keys)

    def lookup(self, normalized: str) -> K | None:
        """The first key whose patterns match an already normalized label."""
        found = self.matched.get(normalized, _UNSEEN)
        if found is _UNSEEN:
            found = next((k for k in self.keys if k.matches(normalized)), None)
            if len(self.matched) >= MATCHED_MAX:
                self.matched.clear()
            self.matched[normalized] = found
        return found

    def lookup_all(self, norms: list[str]) -> list[K | None]:
        """``[self.lookup(x) for x in norms]``: the labels matched before looked up all at once
        (one C-level pass over the memo), ``lookup`` asked only for the others (issue 17)."""
        found = list(map(self.matched.get, norms, repeat(_UNSEEN, len(norms))))
        if _UNSEEN in found:
            for i, x in enumerate(norms):
                if found[i] is _UNSEEN:
                    found[i] = self.lookup(x)
        return found


_UNSEEN = object()


def lookup(keys: Keys[K], normalized: str) -> K | None:
    """The first of ``keys`` whose patterns match an already normalized label."""
    return keys.lookup(normalized)


def by_key(keys: Iterable[K]) -> dict[str, K]:
    return {k.key: k for k in keys}
