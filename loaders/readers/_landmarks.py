"""What readers know of the form: its landmarks. Which lines head its six sections
(``is_heading``), and the words only its tables hold (``is_form_table``).

A reader knows formats and layouts, not the form; this module is the only one of ``readers/``
that imports ``loaders.form``, and it answers yes or no, never which section or which row.

Five layouts cannot tell a table from the prose after it without knowing a heading, because
there a section heading looks like a table's text:

- ``word_cells``: a line right after a cell continues the cell when it is short (``商业`` /
  ``企业``, seed 002), unless it is a heading (``四、政府信息公开行政复议、行政诉讼情况`` right after
  the last cell of section 三's table: tests/test_readers.py);
- ``pipe_tables``: a run of short loose lines around ``label number`` lines is a table turned into
  lines, but a heading among them is prose (tests/test_reader_markdown.py);
- ``layout_text``: a line of one run of text is a heading, not a wrapped label of the table
  around it (``三、收到和处理政府信息公开申请情况``, huaian_szf_2024_pdftotext_layout.txt line 111);
- ``html_page``: the report is the smallest element that holds the form's tables and its section
  headings; the site around it is dropped (sample metadata/title_spans_above_the_report.html);
- ``run_text``: a heading glued to the labels of a run is cut off as a paragraph; without it the
  table of pingtan_czjrj_2025_mixed_cells.txt loses 45 numbers.

The web page reader (``html_page``) also needs to know which of a page's tables are the form's
(``is_form_table``: ``template.TABLE_LANDMARKS``), so as to keep the report and drop the site
around it. The sections themselves are found later, from the document, by
``loaders/extract/sections.py``; the rows and columns by ``loaders/mapping``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..form.headings import MAX_HEADING_CHARS, match_heading
from ..form.template import TABLE_LANDMARKS

__all__ = ["MAX_HEADING_CHARS", "is_form_table", "is_heading"]

_LANDMARK = re.compile("|".join(map(re.escape, TABLE_LANDMARKS)))


@lru_cache(maxsize=8192)
def is_heading(text: str) -> bool:
    """Whether the line heads one of the form's six sections (long lines never do). Remembered
    as ``match_heading`` is, in one cached call: the web page reader asks ~200 times a page."""
    return match_heading(text) is not None


def is_form_table(text: str) -> bool:
    """Whether a table's text (its spaces removed) holds a word only the form's tables hold."""
    return _LANDMARK.search(text) is not None
