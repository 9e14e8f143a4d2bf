"""The ``ogi`` command."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from . import __version__
from .build import build as run_build

DEFAULT_DB = "build/ogi.db"


@click.group()
@click.version_option(__version__, prog_name="ogi")
def cli():
    """Turn Open Government Information annual reports (政府信息公开工作年度报告) into SQLite."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="Database file to write.")
@click.option("--silent", is_flag=True, help="No progress bar.")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any file failed to load "
              "(an internal or a check error exits 1 without it).")
@click.option("--overrides", default="agencies.csv", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Manual corrections of agencies and places (skipped if the file is missing).")
@click.option("--jobs", "-j", default=0, show_default=True, type=click.IntRange(min=0),
              help="Processes that parse the files (0: one per CPU for 200 files or more, "
                   "else 1), and that segment a large search index after the load where "
                   "segmenting runs in Python (0: one per CPU). The database is the same "
                   "whatever the number.")
@click.option("--stats-json", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the counts and the seconds of each step to this JSON file.")
@click.option("--sources", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Where each report was published: a CSV with the columns file,url,"
                   "published_by,fetched_on (default: sources.csv in each folder given, if any).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Parse cache folder: files it holds are not parsed again; files parsed are "
                   "stored in it (fill it with ogi parse, on any machine).")
@click.option("--from-scratch", is_flag=True,
              help="Build the whole database again, even if a previous one is up to date or can "
                   "be updated.")
def build(paths, db_path, silent, strict, overrides, jobs, stats_json, sources, cache_dir,
          from_scratch):
    """Build the database from report files (default: everything under reports/).

    The database holds exactly the reports given: building twice from the same files gives the
    same data. If DB exists and lists the files it was built from, only what changed is done:
    nothing changed, and DB is left as it was; files added, changed or removed, and a copy of DB
    is brought up to date (the same rows as a build from scratch); the loader code changed, and
    it is built from scratch. It replaces DB only once it is complete.
    A file that cannot be loaded becomes a row of the load_errors table; the rest still loads.
    An internal error (a bug in ogi, not in the file) is recorded there too, with stage
    internal, and so is a rule that raised, in check_errors: the command then exits with 1.
    """
    if not paths:
        if not Path("reports").is_dir():
            raise click.UsageError("no PATHS given and there is no reports/ folder here")
        paths = (Path("reports"),)

    def with_progress(items, count):
        if silent:
            yield from items
            return
        with click.progressbar(items, length=count, label="Loading reports", file=sys.stderr,
                               item_show_func=lambda item: item.name if item else None) as bar:
            yield from bar

    result = run_build(paths, db_path, with_progress, overrides=overrides, jobs=jobs,
                       sources=sources, cache=cache_dir, incremental=not from_scratch)
    if result.unchanged:
        click.echo(result.note)
        click.echo(result.summary)  # the database's, as the build that wrote it said
        if stats_json:
            stats_json.write_text(json.dumps(result.as_dict(), indent=2) + "\n", encoding="utf-8")
        # (a file that failed to load, or a rule that raised, is still there, rebuilt or not)
        sys.exit(1 if result.bugs or (strict and result.failed) else 0)
    if result.note:
        click.echo(result.note)
    if result.plan is not None:
        click.echo(result.plan.summary)
    for name, stage, message in result.errors:
        click.echo(f"failed: {name} ({stage}): {message}", err=True)
    for name, error_type, message in result.internal_errors:
        click.echo(f"internal error: {name}: {error_type}: {message}", err=True)
    for name in result.duplicates:
        click.echo(f"skipped: {name} is the same file as one already loaded", err=True)
    click.echo(result.summary)
    if result.sources or result.source_problems:
        problems = len(result.source_problems)
        click.echo(f"sources: {result.sources} report{'s' if result.sources != 1 else ''} "
                   "with where it was published"
                   + (f" · {problems} manifest row{'s' if problems > 1 else ''} not used in full"
                      if problems else ""))
    for line in result.source_problems:
        click.echo(f"sources: {line}", err=True)
    if stats_json:
        stats_json.write_text(json.dumps(result.as_dict(), indent=2) + "\n", encoding="utf-8")
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    cached = f"{result.from_cache} from the cache; " if cache_dir else ""
    compiled = (f"compiled loops: {', '.join(result.compiled)}" if result.compiled
                else "no compiled loops (pure Python: slower, the same rows)")
    click.echo(f"wrote {db_path} ({result.jobs} parsing process{'es' if result.jobs > 1 else ''}; "
               f"{compiled}; {cached}{steps})", err=True)
    if result.bugs or (strict and result.failed):
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--cache", "cache_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Parse cache folder to fill.")
@click.option("--jobs", "-j", default=0, show_default=True, type=click.IntRange(min=0),
              help="Processes that parse the files (0: one per CPU for 200 files or more, "
                   "else 1).")
@click.option("--silent", is_flag=True, help="No progress bar.")
def parse(paths, cache_dir, jobs, silent):
    """Parse report files into the parse cache, for ogi build --cache to reuse.

    A folder is walked as ogi build walks it. Files whose entry is in the cache already are not
    parsed again. Several ogi parse may fill one cache at once (xargs -P, one machine or many):
    each entry is written to a temporary file and renamed. Prints one line: how many files were
    parsed, found in the cache, failed (bad files, stored too) or hit an internal error (a bug:
    not stored; exit status 1).
    """
    from .build import ParseCache, _fill_chunk, default_jobs, find_inputs, parse_all, \
        PARALLEL_FROM
    from .extract.agencies import Overrides

    inputs = find_inputs(paths)
    if jobs <= 0:
        jobs = default_jobs() if len(inputs) >= PARALLEL_FROM else 1
    # No corrections: the cache holds what the parser alone makes of each file (ogi build
    # parses again the few files that agencies.csv corrects).
    done = parse_all(inputs, Overrides([]), jobs, ParseCache(cache_dir), task=_fill_chunk)
    counts = {"parsed": 0, "cached": 0, "failed": 0, "internal": 0}
    if not silent:
        with click.progressbar(done, length=len(inputs), label="Parsing", file=sys.stderr) as bar:
            for name, kind in bar:
                counts[kind] += 1
    else:
        for name, kind in done:
            counts[kind] += 1
    click.echo(f"{counts['parsed']} parsed · {counts['cached']} already in the cache · "
               f"{counts['failed']} failed (bad files) · {counts['internal']} internal errors "
               f"({cache_dir})")
    if counts["internal"]:
        sys.exit(1)


SEVERITY_RANK = {"warning": 1, "error": 2}


@cli.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="Database file to read.")
@click.option("--rule", "rule_codes", multiple=True, metavar="CODE",
              help="Only this rule (repeatable). See --list.")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default=None,
              help="Exit with status 1 if a failure of this severity (or worse) is found.")
@click.option("--limit", default=10, show_default=True,
              help="Failures shown per rule (0: all of them).")
@click.option("--list", "list_rules", is_flag=True, help="List the rules and exit.")
def check(db_path, rule_codes, fail_on, limit, list_rules):
    """Print the consistency failures found at build time, grouped by rule.

    The checks run when the database is built (ogi build) and fill the validation_failures table;
    this command counts them there. A rule that raised while checking (the check_errors table)
    is named, and makes --fail-on exit with status 1.
    """
    from . import checks

    if list_rules:
        for r in checks.all_rules():
            number = f"rule {r.spec_number}" if r.spec_number else "extra"
            click.echo(f"{r.code:24} {number:8} {r.severities:14} {r.title_en} ({r.title_zh})")
            click.echo(f"{'':24} {r.doc}")
        return
    known = {r.code for r in checks.all_rules()}
    unknown = [c for c in rule_codes if c not in known]
    if unknown:
        raise click.BadParameter(f"unknown rule {', '.join(unknown)}; see ogi check --list",
                                 param_hint="--rule")
    if not db_path.exists():
        raise click.UsageError(f"{db_path} does not exist: run ogi build first")
    import sqlite3

    from .checks import stored

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rules = tuple(rule_codes)
        counts = stored.failure_counts(conn, rules)  # counted in SQL: never every failure read
        shown = stored.first_failures(conn, rules, limit)
        n_reports = stored.reports_failing(conn, rules)
        raised = stored.check_errors(conn, rules)
    finally:
        conn.close()
    worst = 0
    for r in checks.all_rules():
        by_severity = {s: counts.get(r.code, {}).get(s, 0) for s in ("error", "warning")}
        total = sum(by_severity.values())
        if not total:
            continue
        worst = max(worst, *(SEVERITY_RANK[s] for s, n in by_severity.items() if n))
        summary = " · ".join(f"{n} {s}{'s' if n > 1 else ''}" for s, n in by_severity.items() if n)
        noun = "failure" if total == 1 else "failures"
        click.secho(f"{r.code} ({r.title_zh}): {total} {noun}: {summary}", bold=True)
        for f in shown.get(r.code, []):
            click.echo(f"  {f['severity']:7} {f['source_file']} {f['agency'] or ''} "
                       f"{f['year'] or ''}: {f['message']}")
        if limit and total > limit:
            click.echo(f"  … and {total - limit} more")
    errors = sum(c.get("error", 0) for c in counts.values())
    warnings = sum(c.get("warning", 0) for c in counts.values())
    click.echo(f"{errors} errors · {warnings} warnings in {n_reports} reports")
    # A rule that raised (a bug) gave no verdict where it raised: no --fail-on can pass over that.
    for e in raised:
        where = (f"on {e['reports']} report{'s' if e['reports'] != 1 else ''}" if e["reports"]
                 else "across years")
        click.echo(f"check error: {e['rule']} raised {where} ({e['error_type']}: "
                   f"{e['message']}); its failures there are missing, see check_errors",
                   err=True)
    if fail_on and (raised or worst >= SEVERITY_RANK[fail_on]):
        sys.exit(1)


def main():  # pragma: no cover
    cli()


@cli.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Database to snapshot.")
@click.option("--out-dir", default="build", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where to write it.")
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date in the file name (default: today).")
def snapshot(db_path, out_dir, date):
    """Write a dated copy of the database, ogi-YYYY-MM-DD.db, and its manifest
    (sha256, row counts per table, source files with their sha256, software version)."""
    from .snapshot import snapshot as run_snapshot

    db, manifest = run_snapshot(db_path, out_dir, date.date() if date else None)
    click.echo(f"wrote {db}")
    click.echo(f"wrote {manifest}")


if __name__ == "__main__":
    cli()
