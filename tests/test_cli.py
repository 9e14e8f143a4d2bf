"""The ogi command: help, build summary, idempotence, bad files recorded and not fatal, a bug
(an internal error) recorded and fatal."""

from __future__ import annotations

import re
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
    # Without parse issues (reports.parse_issue_count 0): 000, 001, 002, 004, huaian,
    # pingtan_czjrj and shuyang; whatever their checks found (000 and shuyang: warnings).
    assert "13 reports loaded (7 without parse issues, 6 with) · 0 failed\n" in first.output
    before = dump(db)
    second = runner.invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent"])
    assert second.exit_code == 0
    assert dump(db) == before


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_file_is_recorded_and_the_rest_loads(tmp_path, jobs):
    reports = tmp_path / "reports"
    shutil.copytree(REPORTS, reports)
    (reports / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (reports / "notes.xyz").write_text("not a report")
    db = tmp_path / "ogi.db"
    result = CliRunner().invoke(cli, ["build", str(reports), "--db", str(db), "--silent",
                                      "--jobs", jobs])
    assert result.exit_code == 0, result.output
    assert "13 reports loaded (7 without parse issues, 6 with) · 2 failed\n" in result.output
    assert "internal" not in result.output
    errors = {r["source_file"]: r for r in sqlite_utils.Database(db)["load_errors"].rows}
    assert errors["broken.txt"]["stage"] == "decode" and "binary" in errors["broken.txt"]["message"]
    assert errors["notes.xyz"]["stage"] == "detect"
    assert sqlite_utils.Database(db)["reports"].count == len(list(REPORTS.iterdir()))


SEED_003 = REPORTS / "003_ebe99ea40a3f8069.txt"


def broken_read(source):
    """A reader with a bug: a plain KeyError, on seed 003 only."""
    if source.name == SEED_003.name:
        return {}["cells"]
    return real_read(source)


real_read = None


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bug_in_a_reader_is_an_internal_error_and_fails_the_build(tmp_path, monkeypatch,
                                                                     caplog, jobs):
    """A reader that raises what no bad file raises (a KeyError of its own): the file is a row of
    load_errors with stage internal and where it was raised, the other files load, the summary
    counts it apart from bad files, the traceback is logged, and ogi build exits 1 without
    --strict. The same from a worker process (jobs 2: forked, so that it has the patch)."""
    global real_read
    import loaders.workers
    from loaders.model import Source
    from loaders.readers import readers_claiming

    [reader] = readers_claiming(Source.from_path(SEED_003))
    real_read = reader.read
    monkeypatch.setattr(reader, "read", broken_read)
    monkeypatch.setattr(loaders.workers, "START_METHOD", "fork")
    db = tmp_path / "ogi.db"
    result = CliRunner().invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent",
                                      "--jobs", jobs])
    assert result.exit_code == 1, result.output
    assert ("12 reports loaded (7 without parse issues, 5 with) · 0 failed"
            " · 1 internal error, see load_errors\n") in result.output
    database = sqlite_utils.Database(db)
    [error] = database["load_errors"].rows
    assert (error["source_file"], error["stage"], error["error_type"]) == \
        (SEED_003.name, "internal", "KeyError")
    # Where it was raised, and the last frame in loaders/ on the way (the reader is the test's).
    assert re.fullmatch(r"'cells' \(reading the file; raised at tests/test_cli\.py:\d+ in "
                        r"broken_read, from loaders/readers/__init__\.py:\d+ in read\)",
                        error["message"]), error["message"]
    assert error["source_sha256"] == Source.from_path(SEED_003).sha256
    assert database["reports"].count == len(list(REPORTS.iterdir())) - 1
    assert "Traceback (most recent call last)" in caplog.text and "KeyError" in caplog.text


def test_an_internal_error_fails_the_build_with_or_without_strict(tmp_path, monkeypatch):
    import loaders.build

    def broken(report, corrections):
        raise AttributeError("'NoneType' object has no attribute 'place'")

    monkeypatch.setattr(loaders.build, "apply_overrides", broken)
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(SEED_003, one)
    for flags in ([], ["--strict"]):
        result = CliRunner().invoke(cli, ["build", str(one), "--db", str(tmp_path / "x.db"),
                                          "--silent", *flags])
        assert result.exit_code == 1
        assert "0 reports loaded (0 without parse issues, 0 with) · 0 failed · 1 internal " \
            "error, see load_errors" in result.output


def test_the_summary_counts_bugs_apart_from_bad_files():
    from loaders.build import BuildResult

    result = BuildResult(without_parse_issues=7, with_parse_issues=6, failed=1,
                         internal_errors=[("a.txt", "KeyError", "'x'")] * 2, check_errors=1)
    assert result.summary == ("13 reports loaded (7 without parse issues, 6 with) · 1 failed"
                              " · 2 internal errors, see load_errors"
                              " · 1 check error, see check_errors")
    assert result.bugs == 3
    assert {k: v for k, v in result.as_dict().items() if k != "seconds"} == {
        "reports_loaded": 13, "reports_ok": 7, "reports_with_issues": 6, "files_failed": 1,
        "internal_errors": 2, "check_errors": 1, "duplicates": 0, "reports_with_source": 0,
        "source_rows_with_problems": 0, "jobs": 1, "compiled": [], "from_cache": 0,
        "unchanged": False, "incremental": False}


def test_a_rule_that_raised_is_in_the_summary_and_fails_the_build(tmp_path, monkeypatch):
    """A check error (a rule that raised: a bug, recorded in check_errors) is a bug as an
    internal error is: counted in the summary line, and the build exits 1."""
    from loaders.checks import registry

    index, (rule, _) = next((i, entry) for i, entry in enumerate(registry.CORPUS_RULES)
                            if entry[0].code == "roll_forward")
    rules = list(registry.CORPUS_RULES)
    rules[index] = (rule, lambda: ["INSERT INTO validation_failures SELECT * FROM nowhere"])
    monkeypatch.setattr(registry, "CORPUS_RULES", rules)
    db = tmp_path / "ogi.db"
    result = CliRunner().invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent"])
    assert result.exit_code == 1
    assert ("13 reports loaded (7 without parse issues, 6 with) · 0 failed · 1 check error, "
            "see check_errors\n") in result.output
    assert sqlite_utils.Database(db)["check_errors"].count == 1


def test_strict_fails_on_a_failed_file(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(cli, ["build", str(bad), "--db", str(tmp_path / "x.db"),
                                      "--silent", "--strict"])
    assert result.exit_code == 1
    assert "0 reports loaded (0 without parse issues, 0 with) · 1 failed\n" in result.output


def test_same_file_twice_is_loaded_once(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(REPORTS / "001_53e0ee0f0d02d1f7.txt", reports / name)
    db = tmp_path / "ogi.db"
    result = CliRunner().invoke(cli, ["build", str(reports), "--db", str(db), "--silent"])
    assert "1 report loaded (1 without parse issues, 0 with)" in result.output
    assert "skipped: b.txt is the same file" in result.output
    assert sqlite_utils.Database(db)["reports"].count == 1


def test_failed_build_keeps_the_previous_database(tmp_path, monkeypatch):
    db = tmp_path / "ogi.db"
    CliRunner().invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent"])
    before = dump(db)

    def explode(self, *args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("loaders.store.Store.add_rows", explode)
    result = CliRunner().invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent",
                                      "--from-scratch"])
    assert result.exit_code != 0
    assert dump(db) == before
    assert [p.name for p in tmp_path.iterdir()] == ["ogi.db"]


def test_a_report_the_store_cannot_take_is_an_internal_error(tmp_path, monkeypatch):
    """A bug in making a report's rows loses that report alone, recorded as internal."""
    import loaders.build

    real = loaders.build.report_to_rows

    def picky(report):
        if report.source.name.startswith("003_"):
            raise ValueError("a value the database cannot hold")
        return real(report)

    monkeypatch.setattr(loaders.build, "report_to_rows", picky)
    db = tmp_path / "ogi.db"
    result = CliRunner().invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent"])
    assert result.exit_code == 1
    assert "· 1 internal error, see load_errors" in result.output
    [error] = sqlite_utils.Database(db)["load_errors"].rows
    assert (error["stage"], error["error_type"]) == ("internal", "ValueError")
    assert error["source_file"].startswith("003_")
    assert error["message"].startswith("a value the database cannot hold (making the report's "
                                       "rows; raised at tests/test_cli.py:")
    assert sqlite_utils.Database(db)["reports"].count == len(list(REPORTS.iterdir())) - 1


def test_a_report_the_database_refuses_is_undone_alone(tmp_path, monkeypatch):
    """Rows that break a constraint half-way through a report (a bug in making them, not a
    database failure): what was written of that report is rolled back (its savepoint), it is an
    internal error, and the other reports load."""
    import loaders.build

    real = loaders.build.as_tuples

    def duplicated_cell(tables):
        rows = real(tables)
        if rows["reports"][0][0] == "47010530719ae648":  # seed 003
            rows["cell_values"].append(rows["cell_values"][0])  # the same primary key twice
        return rows

    monkeypatch.setattr(loaders.build, "as_tuples", duplicated_cell)
    db = tmp_path / "ogi.db"
    result = CliRunner().invoke(cli, ["build", str(REPORTS), "--db", str(db), "--silent"])
    assert result.exit_code == 1
    assert "· 0 failed · 1 internal error, see load_errors" in result.output
    database = sqlite_utils.Database(db)
    [error] = database["load_errors"].rows
    assert error["stage"] == "internal" and error["error_type"] == "IntegrityError"
    assert "(writing the report's rows; raised at loaders/store/writer.py:" in error["message"]
    assert error["source_sha256"].startswith("47010530719ae648")
    for table in ("reports", "applications", "cells", "sections", "validation_failures"):
        column = "id" if table == "reports" else "report_id"
        assert database.execute(f"select count(*) from {table} where {column} = ?",
                                ["47010530719ae648"]).fetchone()[0] == 0, table
    assert database["reports"].count == len(list(REPORTS.iterdir())) - 1
