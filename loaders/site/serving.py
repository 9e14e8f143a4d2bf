"""What the plugin adds to Datasette's own pages (the hooks are in ``datasette_plugin.py``).

- **Schema read once.** On every visit of the home page and of the database page, Datasette
  reads the schema of every table (columns, keys, foreign keys, FTS tables) and, to check the
  permission to view each table, looks its name up in ``sqlite_master``: about 290 queries a
  visit, each through its pool of three SQL threads, so under 16 clients those pages took 2.5 s
  at the median. The served database is immutable, so its schema is read once per process
  (``memoize_schema``). Each of those permission checks also deep-copies the whole metadata
  (this site's describes every column: 64 KB of YAML) to find the table's ``allow`` rules:
  about 5 ms a table, 400 ms a visit of the home page. The metadata is fixed when the server
  starts, so the rules of each table are worked out once (``memoize_permissions``), when the
  server starts (``warm``): otherwise the first visitors, arriving together, would each work them
  out again.
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

import copy
from urllib.parse import parse_qsl

from markupsafe import Markup, escape

# The Database methods that read the schema; their answers never change for an immutable file.
_SCHEMA_METHODS = ("table_names", "hidden_table_names", "view_names", "table_exists",
                   "table_columns", "table_column_details", "primary_keys", "fts_table",
                   "label_column_for_table", "foreign_keys_for_table", "get_all_foreign_keys",
                   "get_table_definition", "get_view_definition")


def memoize_schema(db) -> None:
    """Answer ``db``'s schema questions from memory after the first time (immutable files only)."""
    if db.is_mutable or getattr(db, "_ogi_schema_cached", False):
        return
    for name in _SCHEMA_METHODS:
        method = getattr(db, name, None)
        if method is None:
            continue
        cache: dict = {}

        async def cached(*args, _method=method, _cache=cache, **kwargs):
            key = (args, tuple(sorted(kwargs.items())))
            if key not in _cache:
                _cache[key] = await _method(*args, **kwargs)
            return copy.copy(_cache[key])  # a caller may add to the list or dict it gets
        setattr(db, name, cached)
    execute = db.execute
    answers: dict = {}

    async def execute_cached(sql, params=None, *args, **kwargs):
        # Datasette's permission check looks every table's name up in sqlite_master.
        if "sqlite_master" not in sql or args or kwargs:
            return await execute(sql, params, *args, **kwargs)
        key = (sql, repr(params))
        if key not in answers:
            result = await execute(sql, params)
            if len(answers) >= SCHEMA_ANSWERS:
                return result  # arbitrary SQL on sqlite_master: do not grow without bound
            answers[key] = result
        return answers[key]
    db.execute = execute_cached
    db._ogi_schema_cached = True


# Schema queries answered from memory, at most (the tables' names and a few per table).
SCHEMA_ANSWERS = 4096


def memoize_permissions(datasette) -> None:
    """Work out each table's ``allow`` rules from the metadata once, not at every check."""
    original = getattr(datasette, "_table_permission_allows", None)
    if original is None or getattr(datasette, "_ogi_permissions_cached", False):
        return  # another version of Datasette: nothing to do
    rules: dict = {}

    def cached(database, table):
        key = (database, table)
        if key in rules:
            return list(rules[key])
        found = original(database, table)
        if len(rules) < SCHEMA_ANSWERS:  # names come from URLs: do not grow without bound
            rules[key] = list(found)
        return found
    datasette._table_permission_allows = cached
    datasette._ogi_permissions_cached = True


async def warm(datasette) -> None:
    """Read the schema and the view permissions of every table of the immutable databases."""
    for db in list(datasette.databases.values()):
        if db.is_mutable:
            continue
        await db.hidden_table_names()
        await db.view_names()
        await db.get_all_foreign_keys()
        for table in await db.table_names():
            for name in ("table_columns", "table_column_details", "primary_keys", "fts_table",
                         "foreign_keys_for_table", "label_column_for_table"):
                await getattr(db, name)(table)
            await datasette.permission_allowed(None, "view-table", (db.name, table),
                                               default=True)


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


async def overview(datasette, database) -> dict | None:
    """What the home page and /about say the database holds (counted at build time)."""
    cache = getattr(datasette, "_ogi_overview", None)
    if cache is not None and not database.is_mutable:
        return cache
    try:
        rows = (await database.execute(
            "select * from stats_overall where clean = 0")).rows
    except Exception:  # not a database of this project
        return None
    result = dict(rows[0]) if rows else None
    if not database.is_mutable:
        datasette._ogi_overview = result
    return result


def search_form_args(request) -> list[tuple[str, str]]:
    """The page's other arguments, kept by the search box."""
    return [(k, v) for k, v in parse_qsl(request.query_string if request else "")
            if k not in ("_search", "_next")]
