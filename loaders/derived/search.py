"""Chinese full-text search: text cut into overlapping character pairs for SQLite FTS5.

FTS5's default tokenizer takes a run of Han characters as one token (北京市卫生健康委员会 is one
word to it), and the trigram tokenizer cannot find two-character words. So each run of Han
characters is indexed as its overlapping pairs, 北京市卫生 -> 北京 京市 市卫 卫生, plus the run's
last character alone (so that a one-character query finds it at the end of a run too); Latin
letters and digits are indexed as words. A query word becomes the phrase of its pairs: 鄞州区 is
"鄞州 州区", which matches only where the three characters stand together.

This is the bigram method of search engines for Chinese (Lucene's CJK analyzer): it needs no
dictionary, so names no dictionary knows (积石山, 芝罘) are found like any word. ``segment`` runs in
C where it was built (``_search_c``: one pass with no string per token, about 5 ns a character);
this module's Python, about 0.2 µs a character, is the spec and the fallback. Dictionary
segmentation (jieba, used before) cost twenty times more than the Python.
"""

from __future__ import annotations

import re
from operator import add

from ..readers import _compiled as compiled_loops

_WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for word in _WORD.findall(text or ""):
        if "\u4e00" <= word[0] <= "\u9fff":
            # the overlapping pairs, joined in C (map over the run and the run shifted by one)
            out.extend(map(add, word, word[1:]))
            out.append(word[-1])
        else:
            out.append(word.lower())
    return out


def segment_python(text: str) -> str:
    """The text as space-separated tokens, for the FTS index."""
    return " ".join(tokens(text))


def segmenter():
    """``segment`` as it runs now: in C where built and not turned off (``OGI_PURE_PYTHON``),
    else ``segment_python``. Asked once for many texts (SQL's ``ogi_segment``, a batch)."""
    c = compiled_loops.load("_search_c")
    return segment_python if c is None else c.segment


def segment(text: str) -> str:
    """The text as space-separated tokens, for the FTS index (``segment_python``'s result)."""
    return segmenter()(text)


def compiled() -> bool:
    """Whether ``segment`` runs in C in this process."""
    return segmenter() is not segment_python


def _phrase(word: str) -> str:
    """One query word as an FTS5 phrase (quoted, so no query syntax gets through)."""
    if not "\u4e00" <= word[0] <= "\u9fff":
        return f'"{word.lower()}"'
    if len(word) == 1:
        return f'"{word}"*'  # the pairs starting with it, and the run-final character itself
    return '"' + " ".join(word[i:i + 2] for i in range(len(word) - 1)) + '"'


def fts_query(query: str) -> str:
    """A user's query as an FTS5 query: every word must appear."""
    words = list(dict.fromkeys(_query_words(query)))
    # An empty query matches nothing (FTS5 rejects an empty string).
    return " AND ".join(_phrase(w) for w in words) or '"ogi_empty_query"'


# Around each match in a snippet: private-use characters, which never occur in report text, so
# the site can turn them into <mark> after escaping everything else.
MARK_START, MARK_END = "\ue000", "\ue001"


def snippet(text: str | None, query: str, before: int = 30, after: int = 90) -> str:
    """A plain-text excerpt of ``text`` around the first query word, each query word between
    MARK_START and MARK_END."""
    text = (text or "").replace(MARK_START, "").replace(MARK_END, "")
    words = sorted(set(_query_words(query)), key=len, reverse=True)
    positions = [text.find(w) for w in words if w in text]
    if not positions:
        return text[:before + after] + ("…" if len(text) > before + after else "")
    start = max(0, min(positions) - before)
    end = min(len(text), min(positions) + after)
    excerpt = re.sub("|".join(re.escape(w) for w in words),
                     lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", text[start:end])
    return ("…" if start else "") + excerpt + ("…" if end < len(text) else "")


def _query_words(query: str) -> list[str]:
    return _WORD.findall(query or "")
