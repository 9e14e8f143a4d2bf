"""What the plugin adds to Datasette's own pages (the hooks are in ``plugin.py``).

- **Speed.** The replacements of Datasette's own methods that make an immutable database fast
  to serve are in ``patches.py``, and nowhere else.
- **Links.** A ``report_id`` or ``agency_id`` shown as a plain value (query pages, SQL, tables
  without label expansion) links to its page (``id_link``).
- **Search of any word length.** ``?_search=`` on ``sections`` and ``reports`` is answered from
  their character-pair indexes through ``ogi_fts_query`` (``search_clause``), so 鄞州区 or a
  pinyin place name (Zhejiang) is found; Datasette's own table search would look 鄞州区 up as
  one token and find nothing.
- **CSV for Excel.** ``?_bom=1`` on any ``.csv`` URL starts the file with a UTF-8 byte-order
  mark, which Excel needs to read Chinese (``bom_wrapper``).
"""

from __future__ import annotations

import weakref
from urllib.parse import parse_qsl

from markupsafe import Markup, escape

# Columns holding the id of a row of another table, and the table.
ID_COLUMNS = {"report_id": "reports", "agency_id": "agencies"}


def id_link(datasette, database: str, column: str, value) -> Markup | None:
    table = ID_COLUMNS.get(column)
    if table is None or not isinstance(value, str) or not value:
        return None  # a dict is a foreign key Datasette links itself, with its label
    from .report_page import row_path

    href = datasette.urls.row(database, table, row_path(value))
    return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')


# Tables searched through a character-pair index: (index, the column its rowid stands for).
SEARCHED = {"sections": ("sections_fts", "search_order"), "reports": ("reports_fts", "rowid")}


def search_clause(table: str) -> str | None:
    if table not in SEARCHED:
        return None
    index, key = SEARCHED[table]
    return (f"{key} in (select rowid from {index} "
            f"where {index} match ogi_fts_query(:ogi_search))")


BOM = "\ufeff".encode("utf-8")


def bom_wrapper(app):
    """ASGI middleware: ``?_bom=1`` on a ``.csv`` URL puts a byte-order mark before the CSV."""

    async def wrapped(scope, receive, send):
        if scope.get("type") != "http" or not scope.get("path", "").endswith(".csv"):
            return await app(scope, receive, send)
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if query.get("_bom") not in ("1", "on", "true"):
            return await app(scope, receive, send)
        # Ask for the plain body (whatever compresses it, inside or outside this wrapper).
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]
        scope = {**scope, "headers": headers}
        state = {"ok": False, "sent": False}

        async def send_with_bom(message):
            if message["type"] == "http.response.start":
                state["ok"] = message.get("status") == 200
                if state["ok"]:
                    message = {**message, "headers": [
                        (k, str(int(v) + len(BOM)).encode() if k.lower() == b"content-length"
                         else v) for k, v in message.get("headers", [])]}
            elif message["type"] == "http.response.body" and state["ok"] and not state["sent"]:
                state["sent"] = True
                message = {**message, "body": BOM + message.get("body", b"")}
            await send(message)

        await app(scope, receive, send_with_bom)
    return wrapped


# What an immutable database holds, read once per database.
_overviews: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def overview(database) -> dict | None:
    """What the home page and /about say the database holds (counted at build time)."""
    if database in _overviews:
        return _overviews[database]
    try:
        rows = (await database.execute(
            "select * from stats_overall where clean = 0")).rows
    except Exception:  # not a database of this project
        return None
    result = dict(rows[0]) if rows else None
    if not database.is_mutable:
        _overviews[database] = result
    return result


def search_form_args(request) -> list[tuple[str, str]]:
    """The page's other arguments, kept by the search box."""
    return [(k, v) for k, v in parse_qsl(request.query_string if request else "")
            if k not in ("_search", "_next")]
