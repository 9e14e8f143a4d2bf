"""Writers, the readers' inverse, for the tests and the benchmark only: a ``Document`` written
back out in each format and layout the readers know (``formats``), drawing the form's tables with
the merged cells and quirks of real files (``layout``). The cross-format tests write a seed as
HTML, Word and PDF and load it back; ``benchmarks/corpus.py`` writes its generated corpus with
them. May import ``loaders.model``; nothing of the pipeline imports this package."""

from .formats import (LAYOUTS, PAGE_BREAKS, to_docx, to_html, to_pdf, to_pipe_tables, to_tab_rows,
                      to_word_cells)

__all__ = ["LAYOUTS", "PAGE_BREAKS", "to_docx", "to_html", "to_pdf", "to_pipe_tables",
           "to_tab_rows", "to_word_cells"]
