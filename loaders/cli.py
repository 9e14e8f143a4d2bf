"""The ``ogi`` command."""

from __future__ import annotations

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
@click.option("--strict", is_flag=True, help="Exit with status 1 if any file failed to load.")
def build(paths, db_path, silent, strict):
    """Build the database from report files (default: everything under reports/).

    The database is written from scratch: it holds exactly the reports given, and building twice
    from the same files gives the same data. It replaces DB only once it is complete.
    A file that cannot be loaded becomes a row of the load_errors table; the rest still loads.
    """
    if not paths:
        if not Path("reports").is_dir():
            raise click.UsageError("no PATHS given and there is no reports/ folder here")
        paths = (Path("reports"),)

    def progress(items):
        if silent:
            return items
        return click.progressbar(items, label="Loading reports", file=sys.stderr,
                                 item_show_func=lambda item: item[1] if item else None)

    def with_progress(items):
        bar = progress(items)
        if bar is items:
            yield from items
        else:
            with bar as shown:
                yield from shown

    result = run_build(paths, db_path, with_progress)
    for name, stage, message in result.errors:
        click.echo(f"failed: {name} ({stage}): {message}", err=True)
    for name in result.duplicates:
        click.echo(f"skipped: {name} is the same file as one already loaded", err=True)
    click.echo(result.summary)
    click.echo(f"wrote {db_path}", err=True)
    if strict and result.failed:
        sys.exit(1)


def main():  # pragma: no cover
    cli()
