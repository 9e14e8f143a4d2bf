"""The ogi command: help, build summary, idempotence, failures recorded and not fatal."""

from __future__ import annotations

import sqlite3

import shutil

import click
import pytest
import sqlite_utils
from click.testing import CliRunner

from conftest import REPORTS
from loaders.cli import cli


def all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path, command", list(all_commands(cli)), ids=lambda x: str(x))
def test_every_command_has_help(path, command):
    assert command.help, f"ogi {' '.join(path)} has no help text"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def dump(path) -> list[str]:
    return list(sqlite_utils.Database(path).iterdump())


def test_build_summary_and_idempotent_rebuild(tmp_path):
    db = tmp_path / "ogi.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent"])
    assert first.exit_code == 0, first.output
    assert "7 reports ok · 6 with issues · 0 failed" in first.output
    before = dump(db)
    second = runner.invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent"])
    assert second.exit_code == 0
    assert dump(db) == before


def test_a_bad_file_is_recorded_and_the_rest_loads(tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(REPORTS, reports)
    (reports / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (reports / "notes.xyz").write_text("not a report")
    db = tmp_path / "ogi.db"
    result = CliRunner().invoke(cli, ["build", str(reports), "--db", str(db), "--silent"])
    assert result.exit_code == 0
    assert "7 reports ok · 6 with issues · 2 failed" in result.output
    errors = {r["source_file"]: r for r in sqlite_utils.Database(db)["load_errors"].rows}
    assert errors["broken.txt"]["stage"] == "decode" and "binary" in errors["broken.txt"]["message"]
    assert errors["notes.xyz"]["stage"] == "detect"
    assert sqlite_utils.Database(db)["reports"].count == len(list(REPORTS.iterdir()))


def test_strict_fails_on_a_failed_file(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(cli, ["build", str(bad), "--db", str(tmp_path / "x.db"),
                                      "--silent", "--strict"])
    assert result.exit_code == 1
    assert "0 reports ok · 0 with issues · 1 failed" in result.output


def test_same_file_twice_is_loaded_once(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(REPORTS / "001_53e0ee0f0d02d1f7.txt", reports / name)
    db = tmp_path / "ogi.db"
    result = CliRunner().invoke(cli, ["build", str(reports), "--db", str(db), "--silent"])
    assert "1 reports ok" in result.output and "same file" in result.output
    assert sqlite_utils.Database(db)["reports"].count == 1


def test_failed_build_keeps_the_previous_database(tmp_path, monkeypatch):
    db = tmp_path / "ogi.db"
    CliRunner().invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent"])
    before = dump(db)

    def explode(self, *args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("loaders.store.Store.add_rows", explode)
    result = CliRunner().invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent"])
    assert result.exit_code != 0
    assert dump(db) == before
    assert [p.name for p in tmp_path.iterdir()] == ["ogi.db"]


def test_a_report_the_store_cannot_take_is_one_load_error(tmp_path, monkeypatch):
    import loaders.build

    real = loaders.build.report_to_rows

    def picky(report):
        if report.source.name.startswith("003_"):
            raise ValueError("a value the database cannot hold")
        return real(report)

    monkeypatch.setattr(loaders.build, "report_to_rows", picky)
    db = tmp_path / "ogi.db"
    result = CliRunner().invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent"])
    assert result.exit_code == 0
    [error] = sqlite_utils.Database(db)["load_errors"].rows
    assert error["stage"] == "store" and error["source_file"].startswith("003_")
    assert sqlite_utils.Database(db)["reports"].count == len(list(REPORTS.iterdir())) - 1


def test_a_report_the_database_refuses_is_undone_alone(tmp_path, monkeypatch):
    """Rows that break a constraint half-way through a report: what was written of that report
    is rolled back (its savepoint), it becomes a load error, and the other reports load."""
    import loaders.build

    real = loaders.build.as_tuples

    def duplicated_cell(tables):
        rows = real(tables)
        if rows["reports"][0][0] == "47010530719ae648":  # seed 003
            rows["cells"].append(rows["cells"][0])  # the same primary key twice
        return rows

    monkeypatch.setattr(loaders.build, "as_tuples", duplicated_cell)
    db = tmp_path / "ogi.db"
    result = CliRunner().invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent"])
    assert result.exit_code == 0
    database = sqlite_utils.Database(db)
    [error] = database["load_errors"].rows
    assert error["stage"] == "store" and error["error_type"] == "IntegrityError"
    for table in ("reports", "applications", "cells", "sections", "validation_failures"):
        column = "id" if table == "reports" else "report_id"
        assert database.execute(f"select count(*) from {table} where {column} = ?",
                                ["47010530719ae648"]).fetchone()[0] == 0, table
    assert database["reports"].count == len(list(REPORTS.iterdir())) - 1
