"""Datasette plugin: search functions, the report page and the source view.

- ``ogi_fts_query(q)``: a user's words as an FTS5 query over ``sections_fts`` (segmented as the
  index is, every word required, no FTS syntax passed through);
- ``ogi_snippet(text, q)``: an excerpt with each query word between U+E000 and U+E001. A cell
  holding those markers is shown with the words in ``<mark>``: everything is escaped first and only
  the markers become tags, so no value (whatever SQL produced it) can inject markup;
- ``ogi_report``: on a ``reports`` row page, the report laid out as the national form (see
  ``report_page.py`` and ``templates/row-ogi-reports.html``);
- ``/-/source/<report id>``: the source file as numbered lines (``#L42`` jumps to line 42), read
  from the folder named by the plugin setting ``sources`` (``plugins: ogi: sources: reports`` in
  metadata.yml) and shown only if its sha256 still matches the one recorded at build time;
  ``/-/source/<report id>/raw`` downloads it as published. The ``source_line`` columns of
  ``cells``, ``parse_issues`` and ``sections`` link there;
- every ``report_id`` and ``agency_id`` links to its page, ``?_search=`` on ``sections`` and
  ``reports`` finds words of any length (and pinyin place names), ``?_bom=1`` on a CSV URL makes
  a file for Excel (``serving.py``), and the schema of the immutable database and the tables'
  permissions are read once (``patches.py``, the one module that replaces Datasette's methods);
- the home page and /about get the database's figures (``ogi_overview``, counted at build time)
  and the installed Datasette's version, for its documentation links;
- ``/ogi/rule_<code>``: one page per rule (``rule_pages.py``);
- pages that draw no chart (the home page, a row) leave datasette-vega's script and style sheet
  off: the plugin wraps Datasette's public ``extra_js_urls``/``extra_css_urls`` hooks.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import await_me_maybe, tilde_decode
from datasette.version import __version__ as datasette_version
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from ..derived.search import MARK_END, MARK_START, fts_query, snippet
from ..readers import source_lines
from . import patches, report_page, serving
# Datasette looks for hooks in this module only: the rule pages' hook is found through it.
from .rule_pages import canned_queries  # noqa: F401

PLUGIN = "ogi"


# Per connection: the database file memory-mapped (read straight from the OS's page cache, no
# copy per read) and a larger page cache. The database is served immutable, so both are safe.
MMAP_BYTES = 16 * 2**30
CACHE_KIB = 32 * 1024


@hookimpl
def prepare_connection(conn):
    conn.create_function("ogi_fts_query", 1, fts_query, deterministic=True)
    conn.create_function("ogi_snippet", 2, snippet, deterministic=True)
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")


# Columns holding a line of the source file: shown as a link to that line in the source view.
_LINE_COLUMNS = {"source_line", "source_line_end"}
_LINE_TABLES = {"cells", "parse_issues", "sections"}


@hookimpl
def startup(datasette):
    patches.memoize_permissions(datasette)
    for db in datasette.databases.values():
        patches.memoize_schema(db)
    return patches.warm(datasette)


@hookimpl
def asgi_wrapper(datasette):
    return serving.bom_wrapper


@hookimpl
def filters_from_request(request, database, table, datasette):
    clause = serving.search_clause(table)
    search = request.args.get("_search", "").strip()
    if clause is None or not search:
        return None
    return FilterArguments([clause], {"ogi_search": search}, [f'search matches "{search}"'],
                           {"search": search})


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    link = serving.id_link(datasette, database, column, value)
    if link is not None:
        return link
    if isinstance(value, str) and MARK_START in value:
        html = str(escape(value)).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
        return Markup(html)
    if table in _LINE_TABLES and column in _LINE_COLUMNS and isinstance(value, int):
        try:
            report_id = row["report_id"]
        except (IndexError, KeyError):
            return None
        if isinstance(report_id, dict):  # a foreign key expanded to {"value": …, "label": …}
            report_id = report_id.get("value")
        if not isinstance(report_id, str):
            return None
        href = datasette.urls.path(f"/-/source/{escape(report_id)}#L{value}")
        return Markup(f'<a href="{href}">{value}</a>')
    return None


@hookimpl
def extra_template_vars(template, view_name, table, database, columns, request, datasette):
    async def variables():
        out = {"datasette_version": datasette_version, "ogi_view": view_name}
        if view_name in ("index", "page", "database"):
            out["ogi_overview"] = await serving.overview(_database(datasette))
        if view_name == "table" and table in serving.SEARCHED:
            out["ogi_search"] = request.args.get("_search", "") if request else ""
            out["ogi_search_args"] = serving.search_form_args(request)
        if view_name == "row" and table == "reports" and request is not None:
            pk = tilde_decode(request.url_vars["pks"].split(",")[0])  # reports has one key
            out["ogi_report"] = await report_page.load(datasette, database, pk)
        return out
    return variables


# Pages that show no chart: datasette-vega's script (about 1 MB, 300 KB gzipped) and style sheet
# are left off them. Table and query pages keep them: their Charts panel draws from the rows shown.
_NO_CHART_VIEWS = {"index", "row"}
_CHART_ASSET = "/datasette_vega/"


def _without_charts(results: list) -> list:
    """The other plugins' answers to ``extra_js_urls`` or ``extra_css_urls`` (each a list of URLs
    or of ``{"url": …}``, or a callable or awaitable giving one) without datasette-vega's."""
    def keep(urls):
        return [u for u in urls or [] if _CHART_ASSET not in (u["url"] if isinstance(u, dict)
                                                                else u)]

    def later(answer):
        async def filtered():
            return keep(await await_me_maybe(answer))
        return filtered
    return [keep(a) if isinstance(a, (list, tuple)) else later(a) for a in results]


# Wrappers around the other plugins' implementations of Datasette's two asset hooks (pluggy's
# ``wrapper=True``): what the others answer comes back at the ``yield``, and what the wrapper
# returns is what Datasette lists in the page's <head>.
@hookimpl(wrapper=True)
def extra_js_urls(template, database, table, columns, view_name, request, datasette):
    results = yield
    return _without_charts(results) if view_name in _NO_CHART_VIEWS else results


@hookimpl(wrapper=True)
def extra_css_urls(template, database, table, columns, view_name, request, datasette):
    results = yield
    return _without_charts(results) if view_name in _NO_CHART_VIEWS else results


def _database(datasette):
    name = (datasette.plugin_config(PLUGIN) or {}).get("database")
    return datasette.get_database(name) if name else datasette.get_database()


def _sources_dir(datasette) -> Path | None:
    folder = (datasette.plugin_config(PLUGIN) or {}).get("sources")
    return Path(folder).resolve() if folder else None


async def _source(datasette, report_id: str) -> tuple[dict, bytes | None, str | None]:
    """The report's row, the file's bytes (None if unavailable) and why they are unavailable."""
    rows = (await _database(datasette).execute(
        "select id, agency, year, title, source_file, source_sha256, source_format, encoding, "
        "layout from reports where id = :id", {"id": report_id})).rows
    if not rows:
        raise NotFound("No report with this id")
    report = dict(rows[0])
    folder = _sources_dir(datasette)
    if folder is None:
        return report, None, "This server does not publish the source files."
    path = (folder / report["source_file"]).resolve()
    if folder not in path.parents or not path.is_file():
        return report, None, "The source file is not on this server."
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != report["source_sha256"]:
        return report, None, ("The file on this server has changed since the database was built; "
                              "rebuild to see it.")
    return report, data, None


@hookimpl
def register_routes():
    from ..model import LoadError, Source

    async def source_view(datasette, request):
        report_id = request.url_vars["report_id"]
        report, data, problem = await _source(datasette, report_id)
        lines = None
        if data is not None:
            try:
                lines = source_lines(Source(Path(report["source_file"]), data), report["layout"])
            except LoadError as e:
                problem = f"No text view of this file ({e.message}); download it instead."
        cited = {r["source_line"] for r in (await _database(datasette).execute(
            "select source_line from cells where report_id = :id", {"id": report_id})).rows}
        html = await datasette.render_template(
            "ogi_source.html",
            {"report": report, "lines": lines, "problem": problem, "cited": cited,
             "database": _database(datasette).name},
            request=request)
        return Response.html(html, status=200 if lines is not None else 404)

    async def source_raw(datasette, request):
        report, data, problem = await _source(datasette, request.url_vars["report_id"])
        if data is None:
            return Response.text(problem, status=404)
        name = Path(report["source_file"]).name
        return Response(
            data, content_type="application/octet-stream",
            headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}",
                     "x-content-type-options": "nosniff"})

    return [
        (r"^/-/source/(?P<report_id>[0-9a-f]{16})$", source_view),
        (r"^/-/source/(?P<report_id>[0-9a-f]{16})/raw$", source_raw),
    ]
