"""One page per rule, ``/ogi/rule_<code>``: every failure of the rule, filterable by year and by
part of an agency's name, under the rule's title and description. Nothing here names a rule:
the pages are made from the ``validation_rules`` table, which the build fills from the registry
(``loaders/checks``), the one place a rule's code, titles, descriptions and severities are
declared. Served through Datasette's ``canned_queries`` hook (``canned_queries`` below, which
the plugin module imports so that Datasette finds it); the other canned queries are in
metadata.yml."""

from __future__ import annotations

import re
import weakref

from datasette import hookimpl
from markupsafe import escape

# Failures listed per page; the table has them all.
SHOWN = 200

# Ordered as idx_validation_failures_rule (rule, severity, year DESC, agency, id): the first page
# is read off the index, however many failures the rule has.
RULE_SQL = """select f.report_id, f.agency, f.year, f.template, f.severity, f.table_name,
  f.row_key, f.column_key, f.expected, f.actual, f.message, f.message_zh, r.source_file
from validation_failures f join reports r on r.id = f.report_id
where f.rule = '{code}'
  and (:year = '' or f.year = :year)
  and (:agency = '' or f.agency like '%' || :agency || '%')
order by f.rule, f.severity, f.year desc, f.agency, f.id
limit {shown}"""

_CODE = re.compile(r"[a-z][a-z0-9_]*")

_SEVERITIES = {
    "error/warning": "<strong>error</strong> when the report's own filled numbers contradict each "
                     "other, <strong>warning</strong> when blank cells leave it unconfirmed",
    "warning": "<strong>warning</strong>",
}


# The pages of each immutable database, made once (the file never changes while served).
_made: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def query_name(code: str) -> str:
    return f"rule_{code}"


def rule_query(rule: dict, failures_url: str) -> dict:
    """The canned query of one ``validation_rules`` row; ``failures_url`` is the
    validation_failures table's URL."""
    code = rule["code"]
    if not _CODE.fullmatch(code):  # it goes into SQL as a literal
        raise ValueError(f"not a rule code: {code!r}")
    number = (f"SPEC rule {rule['spec_number']}" if rule["spec_number"] is not None
              else "an extra rule")
    severity = _SEVERITIES.get(rule["severities"], f"<strong>{escape(rule['severities'])}</strong>")
    table = f"{failures_url}?rule={code}"
    return {
        "title": f"Rule: {rule['title_en']} · {rule['title_zh']}",
        "description_html": (
            f"<p>{escape(rule['description_en'])}</p>\n<p>{escape(rule['description_zh'])}</p>\n"
            f"<p>Severity: {severity}. ({number}, code <code>{code}</code>.) Filter by year or "
            "by part of an agency's name; leave a box empty for all.</p>\n"
            f"<p>The first {SHOWN} are shown (narrow them with the boxes); "
            f'<a href="{escape(table)}">validation_failures?rule={code}</a> has every one, page '
            f"by page and as CSV. 显示前{SHOWN}条，全部见该表。</p>"),
        "sql": RULE_SQL.format(code=code, shown=SHOWN),
    }


async def rule_queries(datasette, database: str) -> dict[str, dict]:
    """The rule pages of ``database``: none if it has no ``validation_rules`` table. An immutable
    database's are made once."""
    db = datasette.databases.get(database)
    if db is None:
        return {}
    made = _made.get(db)
    if made is None:
        made = {}
        if await db.table_exists("validation_rules"):
            url = datasette.urls.table(database, "validation_failures")
            rules = await db.execute("select code, spec_number, title_en, title_zh, "
                                     "description_en, description_zh, severities "
                                     "from validation_rules order by rowid")
            made = {query_name(r["code"]): rule_query(dict(r), url) for r in rules.rows}
        if not db.is_mutable:
            _made[db] = made
    return {name: dict(query) for name, query in made.items()}  # Datasette adds to each


@hookimpl
def canned_queries(datasette, database):
    async def inner():
        return await rule_queries(datasette, database)
    return inner
