"""Each rule fires on a crafted report that breaks it and stays silent on one that keeps it;
on the seeds, exactly the failures the documents contain; a rule that raises is recorded and
loses nothing else; ``ogi check`` counts what is stored.

The crafted reports are declared beside their test (``case``, tests/crafted.py) and built once
for the whole session (the ``crafted`` fixture); only the tests that break a rule on purpose
build their own."""

from __future__ import annotations

from datetime import date

import pytest
import sqlite_utils
from click.testing import CliRunner

from conftest import expected_files, load_expected
from crafted import case, case_of_text, case_of_years
from factory import write_report
from loaders import checks
from loaders.build import build
from loaders.checks import compare_sums, deadline, registry
from loaders.cli import cli
from loaders.pipeline import load_report
from loaders.store import Store, as_tuples, report_to_rows

ZERO7 = [0] * 7


def rules(fails):
    return {f[0] for f in fails}


CONSISTENT = case("consistent")


def test_a_consistent_report_breaks_no_rule(crafted):
    assert crafted.failures(CONSISTENT) == []


def test_every_rule_has_a_docstring_code_and_descriptions():
    for r in checks.all_rules():
        assert r.doc and r.description_en and r.description_zh and r.title_zh, r.code
        assert r.severities in ("error/warning", "warning"), r.code
    assert {r.spec_number for r in checks.all_rules()} >= set(range(1, 10))


# --- the arithmetic helper -------------------------------------------------------------------

@pytest.mark.parametrize("left, right, severity", [
    ([1, 2], [3], None), ([1, 2], [4], "error"), ([1, None], [4], "warning"),
    ([None, None], [0], None), ([61, None, None], [1], "error"), ([1, None], [None, 5], "warning"),
    ([5], [1, None], "warning"), ([1], [5, None], "error"), ([5], [None, None], "warning"),
])
def test_compare_sums(left, right, severity):
    assert compare_sums(left, right) == severity


# --- rule 1 ----------------------------------------------------------------------------------

def consistent_flow(n=5, forward=0):
    return {"new_received": [n, 0, 0, 0, 0, 0, n], "granted": [n - forward, 0, 0, 0, 0, 0, n - forward],
            "total": [n - forward, 0, 0, 0, 0, 0, n - forward],
            "carried_forward": [forward, 0, 0, 0, 0, 0, forward]}


ACCOUNTING_KEPT = case("accounting_identity_kept", applications=consistent_flow(5, 2))


def test_accounting_identity_kept(crafted):
    assert crafted.failures(ACCOUNTING_KEPT) == []


def _broken_flow():
    apps = consistent_flow(5, 2)
    apps["carried_forward"] = [3, 0, 0, 0, 0, 0, 3]
    return apps


ACCOUNTING_BROKEN = case("accounting_identity_broken", applications=_broken_flow())


def test_accounting_identity_broken(crafted):
    fails = crafted.failures(ACCOUNTING_BROKEN)
    assert ("accounting_identity", "error", None, "natural_person") in fails
    assert ("accounting_identity", "error", None, "total") in fails
    assert rules(fails) == {"accounting_identity"}


def _blank_flow():
    apps = consistent_flow(5, 0)
    apps["total"] = [None, 0, 0, 0, 0, 0, None]
    apps["granted"] = [None, 0, 0, 0, 0, 0, None]
    return apps


ACCOUNTING_BLANKS = case("accounting_identity_with_blanks", applications=_blank_flow())


def test_accounting_identity_with_blanks_is_a_warning(crafted):
    fails = crafted.failures(ACCOUNTING_BLANKS)
    assert ("accounting_identity", "warning", None, "natural_person") in fails
    assert ("accounting_identity", "error", None, "natural_person") not in fails


# --- rule 2 ----------------------------------------------------------------------------------

ROW_TOTAL_BROKEN = case("row_total_broken", applications={
    **consistent_flow(5, 0), "new_received": [3, 1, 0, 0, 0, 0, 5]})  # 3 + 1 != 5


def test_row_total_broken(crafted):
    fails = crafted.failures(ROW_TOTAL_BROKEN)
    assert ("row_total", "error", "new_received", "total") in fails


ROW_TOTAL_KEPT = case("row_total_kept", applications={
    "new_received": [3, 2, 0, 0, 0, 0, 5], "granted": [3, 2, 0, 0, 0, 0, 5],
    "total": [3, 2, 0, 0, 0, 0, 5]})


def test_row_total_kept(crafted):
    assert crafted.failures(ROW_TOTAL_KEPT) == []


# --- rule 3 ----------------------------------------------------------------------------------

OUTCOME_BROKEN = case("outcome_total_broken", applications={
    # outcomes now add to 6, total says 5
    **consistent_flow(5, 0), "denied_state_secret": [1, 0, 0, 0, 0, 0, 1]})


def test_outcome_total_broken(crafted):
    fails = crafted.failures(OUTCOME_BROKEN)
    assert ("outcome_total", "error", "total", "natural_person") in fails
    assert ("outcome_total", "error", "total", "total") in fails


_OTHER_2021 = {"new_received": [2, 0, 0, 0, 0, 0, 2], "other_no_fee": [2, 0, 0, 0, 0, 0, 2],
               "total": [2, 0, 0, 0, 0, 0, 2]}
OUTCOME_2021_KEPT = case("outcome_total_2021_kept", year=2021, applications=_OTHER_2021)
OUTCOME_2021_BROKEN = case("outcome_total_2021_broken", year=2021, applications={
    **_OTHER_2021, "other_other": [1, 0, 0, 0, 0, 0, 1]})


def test_outcome_total_uses_the_2021_other_rows(crafted):
    assert crafted.failures(OUTCOME_2021_KEPT) == []
    assert "outcome_total" in rules(crafted.failures(OUTCOME_2021_BROKEN))


# --- rule 4 ----------------------------------------------------------------------------------

REVIEW_KEPT = case("review_totals_kept", review={"review_upheld": 2, "review_total": 2})
REVIEW_BROKEN = case("review_totals_broken", review={
    "review_upheld": 2, "review_pending": 1, "review_total": 2, "direct_suit_other": 1})


def test_review_totals(crafted):
    assert crafted.failures(REVIEW_KEPT) == []
    fails = crafted.failures(REVIEW_BROKEN)
    assert ("review_totals", "error", "review_litigation", "review_total") in fails
    assert ("review_totals", "error", "review_litigation", "direct_suit_total") in fails
    assert len([f for f in fails if f[0] == "review_totals"]) == 2


REVIEW_BLANKS = case("review_totals_with_blanks", review={
    "review_upheld": None, "review_corrected": None, "review_total": 1})


def test_review_total_with_blank_parts_is_a_warning(crafted):
    fails = crafted.failures(REVIEW_BLANKS)
    assert ("review_totals", "warning", "review_litigation", "review_total") in fails


# --- rule 5 ----------------------------------------------------------------------------------

BLANK_CELLS = case("blank_cells", applications={"granted": [None, 0, 0, 0, 0, 0, 0]},
                   review={"review_other": None})


def test_blank_cells(crafted):
    fails = crafted.failures(BLANK_CELLS)
    assert ("blank_cells", "warning", "granted", "natural_person") in fails
    assert ("blank_cells", "warning", "review_litigation", "review_other") in fails


# --- rule 6 ----------------------------------------------------------------------------------

IRREGULAR = case("irregular_values", applications={"granted": ["00", 0, 0, 0, 0, 0, "0 0"]})


def test_irregular_values(crafted):
    fails = crafted.failures(IRREGULAR)
    assert ("irregular_values", "warning", "granted", "natural_person") in fails
    assert ("irregular_values", "warning", "granted", "total") in fails
    assert rules(fails) == {"irregular_values"}


# --- rule 7 (across years) -------------------------------------------------------------------

_Y2020 = {"new_received": [3, 0, 0, 0, 0, 0, 3], "granted": [1, 0, 0, 0, 0, 0, 1],
          "total": [1, 0, 0, 0, 0, 0, 1], "carried_forward": [2, 0, 0, 0, 0, 0, 2]}
CARRY_OVER_KEPT = case_of_years("carry_over_kept", {
    "a.txt": dict(year=2020, applications=_Y2020),
    "b.txt": dict(year=2021, applications={"carried_over": [2, 0, 0, 0, 0, 0, 2],
                                           "granted": [2, 0, 0, 0, 0, 0, 2],
                                           "total": [2, 0, 0, 0, 0, 0, 2]})})
CARRY_OVER_BROKEN = case_of_years("carry_over_broken", {
    "a.txt": dict(year=2020, applications=_Y2020),
    "b.txt": dict(year=2021, applications={"carried_over": [0, 0, 0, 0, 0, 0, 0]})})


def test_carry_over_continuity(crafted):
    assert crafted.failures_by_year(CARRY_OVER_KEPT) == []
    fails = crafted.failures_by_year(CARRY_OVER_BROKEN)
    assert ("carry_over_continuity", "error", 2021, "carried_over", "natural_person") in fails
    assert ("carry_over_continuity", "error", 2021, "carried_over", "total") in fails
    assert {f[0] for f in fails} == {"carry_over_continuity"}


CARRY_OVER_OTHER_AGENCY = case_of_years("carry_over_other_agency", {
    "a.txt": dict(year=2020, applications={"new_received": [2, 0, 0, 0, 0, 0, 2],
                                           "carried_forward": [2, 0, 0, 0, 0, 0, 2],
                                           "total": ZERO7}),
    "b.txt": dict(year=2021, agency="别的县教育局")})


def test_carry_over_continuity_needs_the_same_agency(crafted):
    fails = crafted.failures_by_year(CARRY_OVER_OTHER_AGENCY)
    assert "carry_over_continuity" not in {f[0] for f in fails}


# --- rule 8 ----------------------------------------------------------------------------------

TEMPLATE_MISMATCH = case("template_year_mismatch", year=2022, template="2019")
TEMPLATE_FITS = case("template_fits_the_year", year=2022, template="2021")


def test_template_year_mismatch(crafted):
    assert ("template_year_mismatch", "warning", None, None) in crafted.failures(
        TEMPLATE_MISMATCH)
    assert crafted.failures(TEMPLATE_FITS) == []


# --- rule 9 ----------------------------------------------------------------------------------

MISSING_ROW = case("missing_row", drop_rows=("denied_inquiry",))


def test_missing_parts(crafted):
    fails = crafted.failures(MISSING_ROW)
    assert ("missing_parts", "warning", "denied_inquiry", None) in fails


PROSE_ONLY = case_of_text("prose_only", "某县教育局2020年政府信息公开工作年度报告\n一、总体情况\n无。\n")


def test_missing_table(crafted):
    messages = crafted.messages(PROSE_ONLY, "missing_parts")
    assert any("application table" in m for m in messages)
    assert any("section 6" in m for m in messages)
    assert crafted.reports(PROSE_ONLY)[0]["status"] == "prose_only"


# --- roll-forward (across years, 2021 form) --------------------------------------------------

_IN_FORCE_2021 = {("normative_documents", "issued"): 3, ("normative_documents", "in_force"): 20}
_ROLLED_2022 = {("normative_documents", "issued"): 4, ("normative_documents", "repealed"): 1,
                ("normative_documents", "in_force"): 23}
ROLL_FORWARD_KEPT = case_of_years("roll_forward_kept", {
    "a.txt": dict(year=2021, active=_IN_FORCE_2021), "b.txt": dict(year=2022, active=_ROLLED_2022)})
ROLL_FORWARD_BROKEN = case_of_years("roll_forward_broken", {
    "a.txt": dict(year=2021, active=_IN_FORCE_2021),
    "b.txt": dict(year=2022, active={**_ROLLED_2022, ("normative_documents", "in_force"): 30})})


def test_roll_forward(crafted):
    assert crafted.failures_by_year(ROLL_FORWARD_KEPT) == []
    fails = crafted.failures_by_year(ROLL_FORWARD_BROKEN)
    assert fails == [("roll_forward", "error", 2022, "normative_documents", "in_force")]


# --- prose vs table --------------------------------------------------------------------------

PROSE_AGREES = case("prose_agrees", applications=consistent_flow(3, 0),
                    overview="2020年，全年共收到政府信息公开申请3件，均已按时答复。")
PROSE_DISAGREES = case("prose_disagrees", applications=consistent_flow(3, 0),
                       overview="2020年，全年共收到政府信息公开申请7件，均已按时答复。")


def test_prose_vs_table(crafted):
    assert crafted.failures(PROSE_AGREES) == []
    fails = crafted.failures(PROSE_DISAGREES)
    assert ("prose_vs_table", "warning", "new_received", "total") in fails


PROSE_NONE_RECEIVED = case("prose_none_received", applications=consistent_flow(2, 0),
                           overview="2020年，我局未收到政府信息公开申请。")


def test_prose_says_none_received_but_the_table_has_some(crafted):
    fails = crafted.failures(PROSE_NONE_RECEIVED)
    assert ("prose_vs_table", "warning", "new_received", "total") in fails


PROSE_REVIEWS = case("prose_review_count", review={"review_upheld": 1, "review_total": 1},
                     overview="本年度发生行政复议2件。")


def test_prose_review_count(crafted):
    fails = crafted.failures(PROSE_REVIEWS)
    assert ("prose_vs_table", "warning", "review_litigation", "review_total") in fails


# --- timeliness ------------------------------------------------------------------------------

def test_deadlines():
    assert deadline(2020, "同江市卫生健康局") == date(2021, 1, 31)
    assert deadline(2020, "某某县人民政府") == date(2021, 3, 31)
    assert deadline(2018, "同江市卫生健康局") == date(2019, 3, 31)


ON_TIME = case("on_time", published_on="2021年1月20日")
LATE = case("late", published_on="2021年3月5日")
GOVERNMENT_ON_TIME = case("government_on_time", agency="测试县人民政府", published_on="2021年3月5日")


def test_timeliness(crafted):
    assert crafted.failures(ON_TIME) == []
    assert ("timeliness", "warning", None, None) in crafted.failures(LATE)
    assert crafted.failures(GOVERNMENT_ON_TIME) == []


# --- the seeds -------------------------------------------------------------------------------

def by_source(db):
    out: dict[str, set] = {}
    for f in db.query("select f.*, r.source_file from validation_failures f join reports r "
                      "on r.id = f.report_id"):
        out.setdefault(f["source_file"], set()).add(
            (f["rule"], f["severity"], f["row_key"], f["column_key"], f["expected"], f["actual"]))
    return out


ARITHMETIC = {"accounting_identity", "row_total", "outcome_total", "review_totals",
              "carry_over_continuity", "roll_forward"}


def test_seed_003_exactly_its_arithmetic_errors(seeds_db):
    fails = {f for f in by_source(seeds_db)["003_ebe99ea40a3f8069.txt"] if f[0] in ARITHMETIC}
    assert fails == {
        # natural_person: 1 + 0 vs 61 + 60; total: 1 + 0 vs 1 + 60
        ("accounting_identity", "error", None, "natural_person", "1", "121"),
        ("accounting_identity", "error", None, "total", "1", "61"),
        # （七）总计 61 and 1 against outcomes 0+60+0+0+0+0+60+0+0+0+0+0+1+0+0+0+0+60 = 181
        ("outcome_total", "error", "total", "natural_person", "61", "181"),
        ("outcome_total", "error", "total", "total", "1", "181"),
        # the total row: 61 in 自然人, blanks, 1 in 总计
        ("row_total", "error", "total", "total", "1", "61"),
    }


def test_seed_irregular_cells_are_failures(seeds_db):
    got = by_source(seeds_db)
    for path in expected_files():
        expected = load_expected(path)
        irregular = {(f[2], f[3]) for f in got.get(expected["source"], set())
                     if f[0] == "irregular_values"}
        assert irregular == {(row, col) for _, row, col, _ in expected["irregular_cells"]}


def test_seed_000_reports_blank_cells_and_breaks_nothing(seeds_db):
    fails = by_source(seeds_db)["000_d41b7d34cb4232dc.txt"]
    assert {f[0] for f in fails} == {"blank_cells"}
    blank_rows = {f[2] for f in fails}
    assert "granted" in blank_rows and "review_litigation" in blank_rows
    assert "new_received" not in blank_rows  # that row is filled with zeros


@pytest.mark.parametrize("source", ["001_53e0ee0f0d02d1f7.txt", "002_4e3c7d07ba237867.txt",
                                    "004_82a9170de9e2b25c.txt"])
def test_clean_seeds_break_no_rule(seeds_db, source):
    assert by_source(seeds_db).get(source, set()) == set()


def test_summary_counts(seeds_db):
    counts = {r["source_file"]: (r["check_errors"], r["check_warnings"])
              for r in seeds_db["reports"].rows}
    assert counts["003_ebe99ea40a3f8069.txt"][0] == 5
    assert counts["001_53e0ee0f0d02d1f7.txt"] == (0, 0)
    rules_table = {r["code"]: r for r in seeds_db["validation_rules"].rows}
    # 鄞州 2020's two errors and 上海市科委 2024's blank carry-forward total (a warning)
    assert rules_table["accounting_identity"]["failures"] == 3
    assert rules_table["accounting_identity"]["reports_failing"] == 2


# --- a rule that raises ------------------------------------------------------------------------

def _raising_on(monkeypatch, code: str, agency: str) -> None:
    """Make the report rule ``code`` raise on the reports of ``agency`` (a bug, not a data
    error); it still runs on the others."""
    index, (rule, fn) = next((i, entry) for i, entry in enumerate(registry.REPORT_RULES)
                             if entry[0].code == code)

    def buggy(facts):
        if facts.agency == agency:
            raise ZeroDivisionError("a bug in the rule")
        return fn(facts)
    rules = list(registry.REPORT_RULES)
    rules[index] = (rule, buggy)
    monkeypatch.setattr(registry, "REPORT_RULES", rules)


def test_a_rule_that_raises_on_one_report_loses_nothing_else(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    # 予以公开 自然人 left blank, 总计 5: a blank cell (blank_cells), and the granted row and the
    # 自然人 outcomes that cannot be confirmed (row_total, outcome_total: warnings)
    broken = {**consistent_flow(5, 0), "granted": [None, 0, 0, 0, 0, 0, 5]}
    write_report(folder, "a.txt", agency="甲县卫生健康局", applications=broken)
    write_report(folder, "b.txt", agency="乙县卫生健康局", applications=broken)
    _raising_on(monkeypatch, "blank_cells", "甲县卫生健康局")
    reports = [load_report(path) for path in sorted(folder.iterdir())]
    with Store(tmp_path / "ogi.db") as store:
        for report in reports:
            store.add_rows(as_tuples(report_to_rows(report)))
    assert store.check_errors == 1  # what the build's summary counts
    db = sqlite_utils.Database(tmp_path / "ogi.db")
    a, b = (r.id for r in reports)
    [error] = db["check_errors"].rows
    assert (error["report_id"], error["rule"], error["error_type"]) == \
        (a, "blank_cells", "ZeroDivisionError")
    assert error["message"].startswith("a bug in the rule (at test_checks.py:")
    by_report: dict[str, set] = {}
    for f in db["validation_failures"].rows:
        by_report.setdefault(f["report_id"], set()).add(f["rule"])
    assert by_report[a] == {"row_total", "outcome_total"}  # every other rule kept
    assert by_report[b] == {"row_total", "outcome_total", "blank_cells"}  # the rule ran on b
    assert {r["id"] for r in db["reports"].rows} == {a, b}


def test_a_rule_across_years_that_raises_is_recorded_and_the_others_run(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    for name, kwargs in {"a.txt": dict(year=2020, applications=_Y2020),
                         "b.txt": dict(year=2021, applications={"carried_over": ZERO7})}.items():
        write_report(folder, name, **kwargs)
    index, (rule, _) = next((i, entry) for i, entry in enumerate(registry.CORPUS_RULES)
                            if entry[0].code == "roll_forward")
    rules = list(registry.CORPUS_RULES)
    rules[index] = (rule, lambda: ["INSERT INTO validation_failures SELECT * FROM nowhere"])
    monkeypatch.setattr(registry, "CORPUS_RULES", rules)
    build([folder], tmp_path / "ogi.db")
    db = sqlite_utils.Database(tmp_path / "ogi.db")
    [error] = db["check_errors"].rows
    assert (error["report_id"], error["rule"], error["error_type"]) == \
        (None, "roll_forward", "OperationalError")
    assert "nowhere" in error["message"]
    assert "carry_over_continuity" in {f["rule"] for f in db["validation_failures"].rows}
    out = CliRunner().invoke(cli, ["check", "--db", str(tmp_path / "ogi.db"),
                                   "--fail-on", "error", "--rule", "roll_forward"])
    assert "check error: roll_forward raised across years (OperationalError" in out.output
    assert out.exit_code == 1  # no failure of the rule, but it did not run: not a pass


# --- ogi check ---------------------------------------------------------------------------------

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
