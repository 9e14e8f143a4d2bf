"""Helpers shared by the plain-text readers: decoding, line handling, which text layout a file
is in, and their one ``read``: the file's lines made into blocks by the reader's own
``text_to_blocks``."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from ..model import Block, Document, LoadError, Source

TEXT_SUFFIXES = frozenset({"txt", "text", ""})

_HTML_START = re.compile(rb"^(\xef\xbb\xbf)?\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|table)",
                         re.I | re.S)


_PIPE_SEPARATOR = re.compile(r"^\|\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def looks_like_html(source: Source) -> bool:
    """A page saved under a text name (.txt, no suffix): its first tag says so."""
    return bool(_HTML_START.match(source.data[:4096]))


def _readable(text: str) -> float:
    """Share of characters that belong in a report: Han, ASCII, CJK punctuation, whitespace."""
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    return good / len(text)


def _utf16_without_mark(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a byte-order mark (Windows' "Unicode" text): NUL bytes in every other
    position for ASCII. Accepted only if one byte order decodes to readable text."""
    best = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _readable(text)
        if score > 0.95 and (best is None or score > best[0]):
            best = (score, text, encoding)
    return None if best is None else (best[1], best[2])


# What a report says of itself in its first pages, whatever its layout: a decoding that gives
# these words is the file's (a wrong one gives other characters, never these).
_REPORT_WORDS = ("信息公开", "政务公开", "年度报告")


def _chinese_national(data: bytes) -> str | None:
    """The text of a file in GB18030 (or GBK, GB2312, which it extends), the encoding of most
    Chinese pages and files that are not UTF-8, if it decodes so and names what reports name
    (``_REPORT_WORDS``): charset-normalizer, given a web page of mostly markup, may prefer a
    Cyrillic code page (ISO 8859-5) that decodes the same bytes to nonsense; a declared
    charset is no surer (a page saying utf-8 in GBK)."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if any(word in text for word in _REPORT_WORDS) else None


def _utf8_or_detected(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        if (text := _chinese_national(data)) is not None:
            return text, "gb18030"

        best = from_bytes(data).best()
        if best is None:
            raise LoadError("decode", "the text encoding could not be detected") from None
        return str(best), best.encoding


def decode(source: Source) -> tuple[str, str]:
    """The file's text and the encoding it was read with, detected rather than assumed.

    A BOM decides; NUL bytes without one mean UTF-16 without a mark (or a binary file); then
    strict UTF-8; then GB18030 where it gives a report's words (``_chinese_national``); then
    charset-normalizer's best guess (GBK, Big5, ...).
    The result is kept on the source (``Source.decoded``): the claims and the read all need it.
    """
    if source.decoded is not None:
        return source.decoded
    data = source.data
    try:
        if data.startswith(codecs.BOM_UTF8):
            result = data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            result = data.decode("utf-16"), "utf-16"
        elif b"\x00" in data:
            result = _utf16_without_mark(data)
            if result is None:
                raise LoadError("decode", "binary file: it contains NUL bytes and is not UTF-16 "
                                "text")
        else:
            result = _utf8_or_detected(data)
    except UnicodeDecodeError as e:
        raise LoadError("decode", f"the file's byte-order mark says {e.encoding}, but its bytes "
                        f"are not valid {e.encoding} (at byte {e.start})") from None
    text = result[0]
    if "\r" in text:  # a search (memchr) is ~50x cheaper than a replace over a text without any
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    source.decoded = text, result[1]
    return source.decoded


def lines_of(source: Source) -> list[str]:
    return decode(source)[0].split("\n")


def read_text(source: Source, fmt: str, name: str,
              text_to_blocks: Callable[[list[str]], list[Block]]) -> Document:
    """A text file as its reader sees it: decoded, cut into the lines ``source_line`` counts, and
    made into blocks by the reader's ``text_to_blocks``."""
    text, encoding = decode(source)
    return Document(source, fmt, name, encoding, text_to_blocks(text.split("\n")))


def is_blank(line: str) -> bool:
    return not line.strip(" \t\u00a0\u3000\u200b\ufeff")


def tab_profile(lines: list[str]) -> tuple[int, int]:
    """(lines that are one cell: a leading tab and no other, lines with a tab elsewhere)."""
    # One count a line: one tab, first, is one cell; one tab elsewhere, or several, is not.
    single = multi = 0
    for ln in lines:
        tabs = ln.count("\t")
        if tabs:
            if tabs == 1 and ln[0] == "\t":
                single += 1
            else:
                multi += 1
    return single, multi


def text_layout(source: Source) -> str | None:
    """Which text layout a file is in: ``word_cells``, ``tab_rows``, ``pipe_tables`` (markdown
    saved as text) or ``plain_text``; None when
    it is not a text file. An undecodable text file is ``plain_text``, whose reader then fails
    with the decoding error, so that every text file has exactly one reader. Every text
    reader's claim asks: the answer is worked out once (``Source.text_layout``)."""
    if source.text_layout is None:
        source.text_layout = _text_layout(source)
    return source.text_layout or None


def _text_layout(source: Source) -> str:
    if source.suffix not in TEXT_SUFFIXES or looks_like_html(source) \
            or source.data[:5] == b"%PDF-" or source.data[:4] == b"PK\x03\x04":
        return ""  # no text layout: a page, a PDF or a zip (Word) file under a text name
    try:
        lines = lines_of(source)
    except LoadError:
        return "plain_text"
    if "|" in source.decoded[0]:
        pipes = sum(1 for ln in lines if ln.lstrip().startswith("|"))
        if pipes >= 3 and any(_PIPE_SEPARATOR.match(ln.strip()) for ln in lines):
            return "pipe_tables"
    single, multi = tab_profile(lines) if "\t" in source.decoded[0] else (0, 0)
    if single == multi == 0:
        from .layout_text import space_aligned  # lazy: layout_text imports this module
        if space_aligned(lines):
            return "layout_text"  # pdftotext -layout: columns aligned by spaces
        from .run_text import has_run_tables  # lazy: run_text imports this module
        if has_run_tables(lines):
            return "run_text"  # crawled page text: cells run together (5000005, 20 0 0 0 02)
        return "plain_text"
    return "word_cells" if single >= multi else "tab_rows"
