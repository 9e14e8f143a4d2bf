"""Datasette plugin: SQL functions for searching the segmented prose.

- ``ogi_fts_query(q)``: a user's words as an FTS5 query over ``sections_fts`` (segmented as the
  index is, every word required, no FTS syntax passed through);
- ``ogi_snippet(text, q)``: an excerpt with each query word between U+E000 and U+E001.

A cell holding those markers is shown with the words in ``<mark>``: everything is escaped first and
only the markers become tags, so no value (whatever SQL produced it) can inject markup.
"""

from __future__ import annotations

from datasette import hookimpl
from markupsafe import Markup, escape

from .search import MARK_END, MARK_START, fts_query, snippet


@hookimpl
def prepare_connection(conn):
    conn.create_function("ogi_fts_query", 1, fts_query, deterministic=True)
    conn.create_function("ogi_snippet", 2, snippet, deterministic=True)


@hookimpl
def render_cell(value):
    if isinstance(value, str) and MARK_START in value:
        html = str(escape(value)).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
        return Markup(html)
    return None
