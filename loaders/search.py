"""Chinese full-text search: segmented text for SQLite FTS5.

FTS5's default tokenizer takes a run of Han characters as one token (北京市卫生健康委员会 is one
word to it), and the trigram tokenizer cannot find two-character words. So the text is segmented
before it is indexed: jieba's search mode gives words and their sub-words (北京 北京市 卫生 健康 ...),
and every word of three characters or more also gives its two-character pieces, so that a name
jieba keeps whole (鄞州区) is still found by 鄞州. Queries are segmented the same way.
"""

from __future__ import annotations

import logging
import re

import jieba

jieba.setLogLevel(logging.WARNING)

_WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for piece in jieba.cut_for_search(text or ""):
        for word in _WORD.findall(piece):
            out.append(word)
            if len(word) >= 3 and "\u4e00" <= word[0] <= "\u9fff":
                out.extend(word[i:i + 2] for i in range(len(word) - 1))
    return out


def segment(text: str) -> str:
    """The text as space-separated tokens, for the FTS index."""
    return " ".join(tokens(text))


def fts_query(query: str) -> str:
    """A user's query as an FTS5 query: every word must appear (each quoted, so no syntax)."""
    words = list(dict.fromkeys(_query_words(query)))
    # An empty query matches nothing (FTS5 rejects an empty string).
    return " AND ".join(f'"{w}"' for w in words) or '"ogi_empty_query"'


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
    words = []
    for piece in jieba.cut(query or ""):
        words.extend(_WORD.findall(piece))
    return words
