"""The one module that replaces methods of Datasette's own objects, for speed. Each replacement
answers from memory what an immutable database and fixed metadata always answer alike; the
answers are those of the method replaced.

- **Schema read once** (``memoize_schema``: public methods of ``Database``, replaced on the
  instance). On every visit of the home page and of the database page, Datasette reads the schema
  of every table (columns, keys, foreign keys, FTS tables) and, to check the permission to view
  each table, looks its name up in ``sqlite_master``: about 290 queries a visit, each through its
  pool of three SQL threads, so under 16 clients those pages took 2.5 s at the median. The served
  database is immutable, so its schema is read once per process, and ``execute`` answers the
  ``sqlite_master`` look-ups from memory.
- **Table permissions worked out once** (``memoize_permissions``: ``Datasette.
  _table_permission_allows``, a **private** method, the only private Datasette API the site
  replaces). Each permission check deep-copies the whole metadata (this site's describes every
  column: 64 KB of YAML) to find the table's ``allow`` rules: about 5 ms a table, 400 ms a visit
  of the home page. The metadata is fixed when the server starts, so each table's rules are
  worked out once, when the server starts (``warm``): otherwise the first visitors, arriving
  together, would each work them out again. If Datasette renames the method or changes its
  signature, the site logs a warning and runs without this speed-up (slower, never wrong), and
  tests/test_site.py fails.
"""

from __future__ import annotations

import copy
import inspect
import logging
import weakref

log = logging.getLogger(__name__)

# The Database methods that read the schema; their answers never change for an immutable file.
SCHEMA_METHODS = ("table_names", "hidden_table_names", "view_names", "table_exists",
                  "table_columns", "table_column_details", "primary_keys", "fts_table",
                  "label_column_for_table", "foreign_keys_for_table", "get_all_foreign_keys",
                  "get_table_definition", "get_view_definition")

# Datasette's private method that gives a table's ``allow`` rules from the metadata, as called by
# its default permission hook: its name and parameters (tests/test_site.py checks both).
PERMISSION_METHOD = "_table_permission_allows"
PERMISSION_PARAMETERS = ("database", "table")

# Schema queries answered from memory, at most (the tables' names and a few per table).
SCHEMA_ANSWERS = 4096

# The objects already patched (a second startup of the same server patches nothing again).
_patched: weakref.WeakSet = weakref.WeakSet()


def memoize_schema(db) -> None:
    """Answer ``db``'s schema questions from memory after the first time (immutable files only)."""
    if db.is_mutable or db in _patched:
        return
    for name in SCHEMA_METHODS:
        method = getattr(db, name, None)
        if method is None:
            log.warning("this Datasette's Database has no %s: read at every call", name)
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
    _patched.add(db)


def permission_method(datasette):
    """Datasette's private ``_table_permission_allows`` of this instance, or None (with a warning)
    when the installed Datasette has no such method with the parameters it is called with."""
    method = getattr(datasette, PERMISSION_METHOD, None)
    if method is None or tuple(inspect.signature(method).parameters) != PERMISSION_PARAMETERS:
        log.warning("this Datasette has no %s%s: table permissions are worked out at every "
                    "check (slower, not wrong)", PERMISSION_METHOD, PERMISSION_PARAMETERS)
        return None
    return method


def memoize_permissions(datasette) -> None:
    """Work out each table's ``allow`` rules from the metadata once, not at every check."""
    if datasette in _patched:
        return
    original = permission_method(datasette)
    if original is None:
        return
    rules: dict = {}

    def cached(database, table):
        key = (database, table)
        if key in rules:
            return list(rules[key])
        found = original(database, table)
        if len(rules) < SCHEMA_ANSWERS:  # names come from URLs: do not grow without bound
            rules[key] = list(found)
        return found
    setattr(datasette, PERMISSION_METHOD, cached)
    _patched.add(datasette)


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
