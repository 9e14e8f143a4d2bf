"""``ogi check``: the failures stored at build time, counted per rule in SQL, the first of each
shown, and the exit status of --fail-on; on the seeds, whose failures tests/test_checks.py
pins."""

from __future__ import annotations

from click.testing import CliRunner

from loaders import checks
from loaders.cli import cli


def _check(seeds_db, *args):
    path = seeds_db.conn.execute("pragma database_list").fetchone()[2]
    return CliRunner().invoke(cli, ["check", "--db", path, *args])


def test_ogi_check_counts_every_rule_and_shows_the_first_failures(seeds_db):
    out = _check(seeds_db, "--limit", "2")
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    # 鄞州 2020 (seed 003): two errors; 上海市科委 2024: one warning (see test_summary_counts)
    i = lines.index("accounting_identity (勾稽关系): 3 failures: 2 errors · 1 warning")
    assert lines[i + 1].startswith("  error   003_ebe99ea40a3f8069.txt 鄞州区卫生健康局 2020: ")
    assert lines[i + 2].startswith("  error   003_ebe99ea40a3f8069.txt")
    assert lines[i + 3] == "  … and 1 more"
    # every rule with failures has its line, in the registry's order, with SQL's counts
    counted = dict(seeds_db.execute("select rule, count(*) from validation_failures "
                                    "group by rule").fetchall())
    headers = [line.split(" ", 1)[0] for line in lines if not line.startswith("  ")][:-1]
    assert headers == [r.code for r in checks.all_rules() if r.code in counted]
    for r in checks.all_rules():
        if r.code in counted:
            n = counted[r.code]
            assert any(line.startswith(f"{r.code} ({r.title_zh}): {n} failure")
                       for line in lines)
    errors, total, reports = seeds_db.execute(
        "select sum(severity = 'error'), count(*), count(distinct report_id) "
        "from validation_failures").fetchone()
    assert errors == 5  # 003's: 2 + 2 + 1 (test_seed_003_exactly_its_arithmetic_errors)
    assert lines[-1] == f"{errors} errors · {total - errors} warnings in {reports} reports"


def test_ogi_check_fails_on_a_severity_and_filters_by_rule(seeds_db):
    assert _check(seeds_db, "--fail-on", "error").exit_code == 1
    out = _check(seeds_db, "--fail-on", "warning", "--rule", "timeliness")
    assert out.exit_code == 0 and out.output == "0 errors · 0 warnings in 0 reports\n"
    out = _check(seeds_db, "--rule", "row_total", "--limit", "0")
    assert out.output.splitlines() == [
        "row_total (行合计): 2 failures: 1 error · 1 warning",
        "  error   003_ebe99ea40a3f8069.txt 鄞州区卫生健康局 2020: Total (（七）总计): the applicant "
        "columns add up to 61, the total column says 1",
        "  warning shanghai_kewei_2024.md 上海市科学技术委员会 2024: Carried forward to next year "
        "(四、结转下年度继续办理): the applicant columns add up to 1, the total column says blank "
        "(cannot be confirmed: blank cells)",
        "1 errors · 1 warnings in 2 reports"]
