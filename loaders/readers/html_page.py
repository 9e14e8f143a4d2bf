"""Web pages: a report published as HTML, often a whole scraped page around it.

Quirks (corpus shuyang_fgj_2023.html, a Word document pasted into a CMS page):
- site chrome around the report: menus, a metadata table (名称/索引号/分类…), scripts, footers.
  The report is the smallest element holding every table of the form and the section headings;
  scripts, styles, navigation and forms are dropped;
- labels split over many ``<span>``/``<font>`` pieces (``申请人情`` + ``况``) are joined; ``<br>`` and
  ``<p>`` inside a cell become line breaks, which label matching ignores;
- ``rowspan``/``colspan`` are expanded into the grid: the merged cell keeps its text at its first
  position and the positions it covers get empty cells, as Word's own text export does;
- a table used for layout (one that holds other tables) is a container, not a grid;
- Word's empty paragraphs ``<o:p> </o:p>`` are blank cells.

Lines are the lines of the decoded HTML source, so a number's ``source_line`` points at its ``<td>``.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ..model import Block, Cell, Document, Grid, LoadError, Paragraph, Source
from ._landmarks import is_form_table, is_heading
from ._text import TEXT_SUFFIXES, decode, looks_like_html

NAME = "html_page"
FORMAT = "html"

_SUFFIXES = frozenset({"html", "htm", "shtml", "xhtml"})
# Never part of a report.
_DROP = ("script", "style", "noscript", "template", "iframe", "nav", "form", "select", "button",
         "svg", "object", "embed", "head")
# Elements that end a line of prose.
_BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section",
                    "article", "blockquote", "pre", "tr", "dd", "dt", "dl", "header", "footer",
                    "main", "aside", "center", "address", "caption", "hr", "title"})
_LEAF = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "span", "font", "b", "strong",
                   "table"})
_SPACE = re.compile(r"[ \t\r\n\f\v]+")  # HTML whitespace; NBSP and U+3000 are kept


def claims(source: Source) -> bool:
    if source.suffix in _SUFFIXES:
        return True
    return source.suffix in TEXT_SUFFIXES and looks_like_html(source)


# Characters XML cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF): lxml refuses a
# string containing any, and they carry nothing in a report.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _parse(text: str):
    # lxml refuses a str that declares its own encoding; the text is already decoded.
    text = _NOT_XML.sub("", re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    if not text.strip():
        raise LoadError("read", "the page is empty")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise LoadError("read", f"the page could not be parsed as HTML: {e}") from None


def _clean(root) -> None:
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for el in list(root.iter(*_DROP)):
        if el is not root and el.getparent() is not None:
            el.drop_tree()


def _tag(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag if tag.islower() and "}" not in tag else tag.split("}")[-1].lower()


class _Enough(Exception):
    """Raised inside ``_lines_of`` once the lines asked for are complete."""


def _lines_of(el, limit: int | None = None) -> list[str]:
    """An element's text as lines: spans joined, HTML whitespace collapsed, ``<br>`` and block
    elements as line breaks. With ``limit``, only the first ``limit`` lines that are not blank
    are worked out (the walk stops there: a whole page's first line costs no more than a cell's).
    """
    lines: list[str] = [""]

    def new_line():
        if limit is not None and sum(1 for ln in lines if ln.strip()) >= limit:
            raise _Enough
        lines.append("")

    def walk(node):
        tag = _tag(node)
        if tag == "br":
            new_line()
        elif tag in _BLOCK and lines[-1].strip():
            new_line()
        if node.text:
            lines[-1] += _SPACE.sub(" ", node.text)
        for child in node:
            walk(child)
            if child.tail:
                lines[-1] += _SPACE.sub(" ", child.tail)
        if tag in _BLOCK and lines[-1].strip():
            new_line()

    try:
        walk(el)
    except _Enough:
        pass
    out = [ln.strip(" ") for ln in lines]
    while out and not out[-1]:
        out.pop()
    while out and not out[0]:
        out.pop(0)
    return out if limit is None else out[:limit]


def _cell_text(td) -> str:
    if len(td) == 0:  # text only (most cells): one line, no walk needed
        return _SPACE.sub(" ", td.text or "").strip(" ")
    return "\n".join(_lines_of(td))


def _last_line(el) -> int:
    if len(el) == 0:
        return el.sourceline or 0
    return max((d.sourceline or 0 for d in el.iter()), default=el.sourceline or 0)


def _span(el, name: str) -> int:
    if el.get(name) is None:
        return 1
    try:
        return max(1, min(int(re.sub(r"\D", "", el.get(name) or "1") or 1), 500))
    except ValueError:
        return 1


def table_to_grid(table) -> Grid:
    """A ``<table>`` as rows of cells, row and column spans expanded."""
    rows: list[list[Cell]] = []
    pending: dict[tuple[int, int], Cell] = {}  # (row, col) -> placeholder from a rowspan above
    trs = [tr for tr in table.iter("tr") if tr.getparent() is not None
           and _nearest_table(tr) is table]
    for r, tr in enumerate(trs):
        row: list[Cell] = []
        col = 0

        def fill_pending():
            nonlocal col
            while (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1

        for td in tr:
            if _tag(td) not in ("td", "th"):
                continue
            fill_pending()
            line = td.sourceline or tr.sourceline or 0
            colspan, rowspan = _span(td, "colspan"), _span(td, "rowspan")
            # x0/x1: the grid columns the cell covers, so that the mapper places it under the
            # header's columns by position (a colspan in a data row, a header span offset).
            cell = Cell(_cell_text(td), line, max(line, _last_line(td)), x0=col, x1=col + colspan)
            for k in range(colspan):
                row.append(cell if k == 0 else Cell("", line, span=True, x0=col + k,
                                                    x1=col + k + 1))
                for down in range(1, rowspan):
                    pending[(r + down, col + k)] = Cell("", line, span=True, x0=col + k,
                                                        x1=col + k + 1)
            col += colspan
        fill_pending()
        rows.append(row)
    rows = [row for row in rows if row]
    if len({len(row) for row in rows}) > 1:
        # A ragged table (rows of different widths, as hand-made pages and converters write
        # them): its grid columns say nothing about where a cell stands in the form.
        for row in rows:
            for cell in row:
                cell.x0 = cell.x1 = None
    return Grid(rows=rows)


def _nearest_table(el):
    for ancestor in el.iterancestors():
        if _tag(ancestor) == "table":
            return ancestor
    return None


def _is_layout(table) -> bool:
    return any(True for _ in table.iterdescendants("table"))


def _report_root(body):
    """The smallest element holding the form's tables and the section headings, or ``body``."""
    marks = [t for t in body.iter("table") if not _is_layout(t)
             and is_form_table(re.sub(r"\s+", "", t.text_content()))]
    for el in body.iter(*_BLOCK):
        own = re.sub(r"\s+", "", "".join(_lines_of(el, limit=1)))
        if own and len(own) < 40 and is_heading(own):
            marks.append(el)
    if not marks:
        return body
    for candidate in [marks[0], *marks[0].iterancestors()]:
        if all(m is candidate or candidate in m.iterancestors() for m in marks):
            if _tag(candidate) in _LEAF and candidate.getparent() is not None:
                return candidate.getparent()  # one heading alone: its container is the report
            return candidate
    return body


def _blocks(root) -> list[Block]:
    blocks: list[Block] = []
    buffer: list[str] = [""]
    line_of: list[int] = [0]

    def flush():
        text = buffer[0].strip(" ")
        if text:
            blocks.append(Paragraph(text, line_of[0]))
        buffer[0], line_of[0] = "", 0

    def add(text: str | None, line: int):
        if text and text.strip():
            if not buffer[0].strip():
                line_of[0] = line
            buffer[0] += _SPACE.sub(" ", text)

    def walk(node):
        tag = _tag(node)
        if tag == "table" and not _is_layout(node):
            flush()
            grid = table_to_grid(node)
            if grid.rows:
                blocks.append(grid)
            return
        if tag == "br" or tag in _BLOCK:
            flush()
        add(node.text, node.sourceline or 0)
        for child in node:
            walk(child)
            add(child.tail, child.sourceline or node.sourceline or 0)
        if tag in _BLOCK or tag in ("td", "th"):
            flush()

    walk(root)
    flush()
    return blocks


def read(source: Source) -> Document:
    text, encoding = decode(source)
    tree = _parse(text)
    meta = _page_meta(tree)  # before _clean drops <head>
    _clean(tree)
    body = tree.find("body")
    body = tree if body is None else body
    root = _report_root(body)
    blocks = _blocks(root)
    if root is not body:
        # The page's own title (an <h1> before the report, or <title>) names the agency and year
        # when the report's text does not.
        title = next((h for h in body.iter("h1")
                      if h is not root and root not in h.iterancestors()), None)
        if title is not None and (t := " ".join(_lines_of(title))):
            blocks.insert(0, Paragraph(t, title.sourceline or 0))
        meta["before_report"] = " | ".join(_text_before(body, root))
    return Document(source, FORMAT, NAME, encoding, blocks, meta=meta)


def _text_before(body, root, lines: int = 12) -> list[str]:
    """The last lines of the page above the report: its heading (a title in <span>s of a <div>,
    not an <h1>) often names the agency and year the report's own text lacks. A metadata cue."""
    above = set(root.iterancestors())
    found: list[str] = []
    for el in body.iter(*_BLOCK):
        if el is root:
            break
        if el not in above and not any(True for _ in el.iterdescendants(*_BLOCK)) \
                and (text := _SPACE.sub(" ", el.text_content()).strip()):
            found.append(text[:200])
    return found[-lines:]


def _page_meta(tree) -> dict[str, str]:
    """The page's <title> and <meta name|property=… content=…>, keys lower-cased."""
    meta: dict[str, str] = {}
    for el in tree.iter("title", "meta"):
        if _tag(el) == "title":
            meta.setdefault("title", _SPACE.sub(" ", el.text_content()).strip())
        elif (key := el.get("name") or el.get("property")) and el.get("content"):
            meta.setdefault(key.strip().lower(), _SPACE.sub(" ", el.get("content")).strip())
    return meta
