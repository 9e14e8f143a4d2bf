"""A report as text extracted by others: a crawler's text of a web page (``to_run_text``, read by
the ``run_text`` reader) and ``pdftotext -layout`` of a printed PDF (``to_layout_text``, read by
the ``layout_text`` reader).

``to_run_text`` writes what reports/pingtan_*.txt are: a header of the crawl (标题, 发布时间,
原文链接…, ``==== 正文 ====``), then the page's text on one physical line: the breadcrumb and the
page's buttons, the paragraphs run together, and each table row as its label text followed by its
numbers, the cells of a row run together (``cells="joined"``: ``一、本年新收…数量5000005``),
parted by single spaces (``"spaced"``: every cell, labels too, as pingtan_jjfzj_2021_space_cells),
or a mix of both (``"mixed"``: ``20 0 0 0 02``, the first two and the last two cells of a row run
together, as pingtan_czjrj_2025_mixed_cells). A blank cell leaves nothing, as in a crawl.

``to_layout_text`` writes what reports/huaian_szf_2024_pdftotext_layout.txt is: A4 pages of
lines (a form feed before each new page, a ``-N-`` footer at the bottom of each), prose wrapped at
a page's width with an indented first line, and tables as columns aligned by spaces, one
character per column whatever its width: the header over several lines, each data row a line with
its label on the left (a long label wrapped onto the next lines) and each value in its column;
a blank cell leaves its column empty; a table runs on over a page break.

Both are deterministic for a given document.
"""

from __future__ import annotations

import re

from ..model import Document, Grid, Paragraph

__all__ = ["RUN_CELLS", "to_layout_text", "to_run_text"]

RUN_CELLS = ("joined", "spaced", "mixed")

_HAN = re.compile(r"[\u4e00-\u9fff]")
_VALUE = re.compile(r"^\s*[+\-]?\d[\d,]*(?:\.\d+)?\s*$")


def _blank(text: str) -> bool:
    return not text.strip(" \t\n\u00a0\u3000")


def _flat(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", text).strip()


def _split_row(row) -> tuple[list[str], list[str]]:
    """A row's label texts (cells with Han text up to the last one) and the cells after them."""
    texts = [c.text for c in row]
    last = max((j for j, t in enumerate(texts) if _HAN.search(t)), default=-1)
    labels = [_flat(t) for t in texts[:last + 1] if not _blank(t)]
    return labels, texts[last + 1:]


def _run_row(row, cells: str) -> str:
    labels, rest = _split_row(row)
    values = [v.strip() for v in rest if not _blank(v)]
    if cells == "spaced":
        return " ".join(labels + values)
    if cells == "joined" or len(values) < 4:
        return "".join(labels) + "".join(values)
    seps = [""] + [" "] * (len(values) - 3) + [""]
    return "".join(labels) + values[0] + "".join(s + v for s, v in zip(seps, values[1:]))


# Section 三's header cells in the order of the form's web page (申请人情况, 自然人 and 总计
# merged down beside 法人或其他组织 in its first row, the five below): the order a crawler reads.
_HEADER_ORDER = ("自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织",
                 "法律服务机构", "其他")


def _page_rows(rows: list) -> list:
    """A grid's rows as its web page has them: section 三's header, from a document read from a
    page's lines (pdftotext: 法人或其他组织 printed a line above 自然人 and 总计), in the form's
    page order, as the agency's own web page of the table is written."""
    start = next((i for i, row in enumerate(rows) if any("申请人情况" in c.text for c in row)), None)
    if start is None:
        return rows
    end = start
    while end < len(rows) and not any(_VALUE.match(c.text) for c in rows[end]):
        end += 1
    cells = [c for row in rows[start:end] for c in row if not _blank(c.text)]

    def rank(cell) -> int:
        text = _flat(cell.text)
        return next((k + 1 for k, word in enumerate(_HEADER_ORDER) if word == text), 0)

    return rows[:start] + [sorted(cells, key=rank)] + rows[end:]


def to_run_text(document: Document, *, cells: str = "spaced", url: str = "",
                published: str = "") -> str:
    """A crawler's text of the report's web page (see the module's docstring)."""
    if cells not in RUN_CELLS:
        raise ValueError(f"unknown cells {cells!r}; one of {RUN_CELLS}")
    paragraphs = [b for b in document.blocks if isinstance(b, Paragraph)]
    title = paragraphs[0].text if paragraphs else "政府信息公开工作年度报告"
    sep = " " if cells == "spaced" else ""
    pieces = [f"当前位置： 首页政务公开政府信息公开政府信息公开年报 {title} 来源： "
              f"时间：{published} --> 微信 微博 QQ空间 全真版 文字版 文件下载 相关链接："]
    for block in document.blocks[1 if paragraphs and document.blocks[0] is paragraphs[0] else 0:]:
        if isinstance(block, Paragraph):
            pieces.append(block.text.strip())
        elif isinstance(block, Grid):
            pieces.extend(_run_row(row, cells) for row in _page_rows(block.rows)
                          if not all(_blank(c.text) for c in row))
    body = sep.join(pieces[1:])
    head = [f"标题: {title}", f"发布时间: {published}", "文号: ", "发布机构: ",
            "栏目: 政府信息公开年报", f"原文链接: {url}",
            f"本地目录: {url.split('://')[-1].rsplit('.', 1)[0]}_{title}",
            "页面链接与图片详见 links.tsv(同目录)", "==================== 正文 ===================="]
    return "\n".join(head + [pieces[0] + " " + body + " 附件下载"]) + "\n"


# --- pdftotext -layout --------------------------------------------------------------------------

PAGE_LINES = 46  # lines of text on an A4 page at the body's size
PROSE_WIDTH = 33  # characters of body text on a line
LABEL_WIDTH = 22  # characters of the label column
VALUE_WIDTH = 9  # characters of a value column


class _Pages:
    def __init__(self):
        self.lines: list[str] = []
        self.page = 1
        self.on_page = 0

    def add(self, line: str) -> None:
        if self.on_page >= PAGE_LINES:
            self.lines += ["", "", " " * 42 + f"-{self.page}-"]
            self.page += 1
            self.on_page = 0
            line = "\f" + line
        self.lines.append(line.rstrip())
        self.on_page += 1

    def text(self) -> str:
        return "\n".join(self.lines + ["", "", " " * 42 + f"-{self.page}-"]) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def _place(line: str, col: int, text: str) -> str:
    if len(line) < col:
        line += " " * (col - len(line))
    elif line.strip():
        line += "  "  # at least two spaces between two cells
    return line + text


# Section 三's header words and the value column they head (of seven).
_APPLICANT_COLUMNS = ((r"自然人", 0), (r"法人", 2), (r"商业", 1), (r"科研", 2), (r"公益", 3),
                      (r"法律服务", 4), (r"^其他$", 5), (r"^总计$", 6), (r"申请人情况", 2))


def _named_column(text: str, width: int) -> int | None:
    if width != 7:
        return None
    norm = re.sub(r"\s+", "", text)
    return next((k for pattern, k in _APPLICANT_COLUMNS if re.search(pattern, norm)), None)


def _layout_table(pages: _Pages, grid: Grid) -> None:
    rows = [(row, *_split_row(row)) for row in grid.rows if not all(_blank(c.text) for c in row)]
    data = [r for r in rows if r[1] and any(_VALUE.match(v) for v in r[2])]
    width = max((len(r[2]) for r in data), default=0)
    if not width:  # no numbers: each row's cells on a line
        for row, *_ in rows:
            line = ""
            for c in row:
                if not _blank(c.text):
                    line = _place(line, len(line) + (2 if line else 0), _flat(c.text))
            pages.add(line)
        pages.add("")
        return
    first_value = LABEL_WIDTH + 4
    col = [first_value + k * VALUE_WIDTH for k in range(width)]
    for row, labels, rest in rows:
        values = rest[-width:] if len(rest) > width else rest
        if not (labels and any(_VALUE.match(v) for v in values)):  # a header row
            # each header cell over the value column it heads (the rows of a Word grid have
            # the same length); the cells left of the values in the label column
            line, left = "", []
            for j, c in enumerate(row):
                if _blank(c.text):
                    continue
                k = _named_column(c.text, width)
                if k is None:
                    k = j - (len(row) - width)
                if k < 0:
                    left.append(_flat(c.text)[:LABEL_WIDTH])
                else:
                    if left:
                        line, left = "  ".join(left), []
                    line = _place(line, col[k], _wrap(_flat(c.text), VALUE_WIDTH - 2)[0])
            if left:
                line = "  ".join(left)
            pages.add(line)
            pages.add("")
            continue
        label = labels[-1]
        indent = 0 if len(labels) == 1 and re.match(r"^[一二三四五六七八九十]+、", label) else 6
        parts = _wrap(label, LABEL_WIDTH - indent)
        if len(labels) > 1:  # the group label on its own line above, as pdftotext prints it
            pages.add("      ".join(labels[:-1]))
        line = " " * indent + parts[0]
        offset = width - len(values)
        for k, value in enumerate(values):
            if not _blank(value):
                line = _place(line, col[offset + k], value.strip())
        pages.add(line)
        for part in parts[1:]:
            pages.add(" " * indent + part)
        pages.add("")
    pages.add("")


def to_layout_text(document: Document) -> str:
    """``pdftotext -layout`` text of the report printed on A4 (see the module's docstring)."""
    pages = _Pages()
    for block in document.blocks:
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if re.match(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])", text) \
                    and len(text) < PROSE_WIDTH:
                pages.add("     " + text)
                continue
            for k, part in enumerate(_wrap(text, PROSE_WIDTH)):
                pages.add(("   " if k == 0 else "") + part)
        elif isinstance(block, Grid):
            pages.add("")
            _layout_table(pages, block)
    return pages.text()
