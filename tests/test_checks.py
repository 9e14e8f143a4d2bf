"""Each rule fires on a crafted report that breaks it and stays silent on one that keeps it;
on the seeds, exactly the failures the documents contain. (A rule that raises:
tests/test_check_errors.py; ``ogi check``: tests/test_ogi_check.py.)

The crafted reports are declared beside their test (``case``, tests/crafted.py) and built once
for the whole session (the ``crafted`` fixture)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import expected_files, load_expected
from crafted import case, case_of_text, case_of_years
from loaders import checks
from loaders.pipeline import load_report
from loaders.checks import compare_sums, deadline

ROOT = Path(__file__).resolve().parent.parent
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


SAMPLES = Path(__file__).resolve().parent / "samples"
# Tables whose numbers were seen and not read (the order of their columns unsure): unreadable
# cells, not blank ones.
UNSURE_ORDER = case_of_text("unsure_column_order", (
    SAMPLES / "word_cells" / "header_tiers_legal_persons_first.txt").read_text(encoding="utf-8"))
UNSURE_GROUPS = case_of_text("unsure_review_groups", (
    SAMPLES / "pipe_tables" / "review_litigation_before_review_without_places.md"
).read_text(encoding="utf-8"))


def test_cells_not_read_for_their_headers_are_not_blank(crafted):
    assert not [f for f in crafted.failures(UNSURE_ORDER)
                if f[0] == "blank_cells" and f[2] == "new_received"]
    assert not [f for f in crafted.failures(UNSURE_GROUPS)
                if f[0] == "blank_cells" and f[2] == "review_litigation"]


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


@pytest.mark.parametrize("name, rows", [
    # 规范性文件6045 and 行政许可72171051: runs the text does not cut, their cells unreadable
    ("pingtan_scjgj_2021_crawler_text.txt", {"normative_documents"}),
    ("pingtan_shsyj_2020_crawler_text.txt", {"licensing", "punishment", "procurement"}),
])
def test_cells_of_a_run_not_cut_are_unreadable_not_blank(name, rows):
    report = load_report(ROOT / "reports" / name)
    unread = {i.row_key for i in report.issues if i.table == "active_disclosure"
              and i.code in ("split_ambiguous", "run_unsplittable")}
    assert rows <= unread  # (the issue is the row's, no cell's)
    blank = {f.row_key for f in checks.check_report(report).failures if f.rule == "blank_cells"}
    assert not blank & rows


def test_a_blank_in_section_4_under_a_header_not_recognized_is_still_blank(tmp_path):
    """shanghai_bgt_2025.md's section 四 header is not the form's (``header_unrecognized`` on
    the table), yet its row is read: a cell left blank in it is a blank cell, not unreadable."""
    text = (ROOT / "reports/shanghai_bgt_2025.md").read_text(encoding="utf-8")
    row = "| 40 | 0 | 10 | 5 | 55 | 2 | 0 | 4 | 6 | 12 | 6 | 0 | 9 | 7 | 22 |"
    assert row in text
    path = tmp_path / "shanghai_bgt_2025.md"
    path.write_text(text.replace(row, row.replace("| 40 | 0 |", "| 40 |  |")), encoding="utf-8")
    report = load_report(path)
    assert any(i.code == "header_unrecognized" and i.table == "review_litigation"
               and i.row_key is None for i in report.issues)
    fails = [(f.rule, f.row_key, f.column_key) for f in checks.check_report(report).failures
             if f.rule == "blank_cells"]
    assert ("blank_cells", "review_litigation", "review_corrected") in fails


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


# Last year 20 in force; this year issued blank, repealed 1, in force 5: no count of documents
# issued (>= 0) makes 20 + issued = 5 + 1, so the blank cannot repair it: an error. In force 40
# with issued blank could be 21 issued: a warning.
ROLL_FORWARD_BEYOND_REPAIR = case_of_years("roll_forward_beyond_repair", {
    "a.txt": dict(year=2021, active=_IN_FORCE_2021),
    "b.txt": dict(year=2022, active={**_ROLLED_2022, ("normative_documents", "issued"): None,
                                     ("normative_documents", "in_force"): 5})})
ROLL_FORWARD_BLANK_MAY_REPAIR = case_of_years("roll_forward_blank_may_repair", {
    "a.txt": dict(year=2021, active=_IN_FORCE_2021),
    "b.txt": dict(year=2022, active={**_ROLLED_2022, ("normative_documents", "issued"): None,
                                     ("normative_documents", "in_force"): 40})})


def test_roll_forward_with_a_blank_is_an_error_only_beyond_repair(crafted):
    fails = crafted.failures_by_year(ROLL_FORWARD_BEYOND_REPAIR)
    assert ("roll_forward", "error", 2022, "normative_documents", "in_force") in fails
    fails = crafted.failures_by_year(ROLL_FORWARD_BLANK_MAY_REPAIR)
    assert ("roll_forward", "warning", 2022, "normative_documents", "in_force") in fails


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


# Sentences about something else than the count: lawsuits lost, complaints about the answers,
# a count with last year's applications in it. None of them is compared with the table.
PROSE_OF_OTHER_THINGS = case(
    "prose_of_other_things", applications=consistent_flow(12, 1),
    review={"direct_suit_upheld": 2, "direct_suit_total": 2},
    overview="全年未发生行政复议纠错或行政诉讼败诉情形。本年度未收到对政府信息公开申请答复不服的投诉。"
             "共收到政府信息公开申请13件（含上年结转1件）。")
PROSE_COUNT_WORDED_OTHERWISE = case("prose_count_worded_otherwise",
                                    applications=consistent_flow(12, 0),
                                    overview="本年度收到政府信息公开申请共计13件。")


def test_prose_of_other_things_is_not_a_count(crafted):
    assert "prose_vs_table" not in rules(crafted.failures(PROSE_OF_OTHER_THINGS))
    fails = crafted.failures(PROSE_COUNT_WORDED_OTHERWISE)
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
    # a township's government is a 行政机关 below the county: 31 January (条例 Art. 49)
    assert deadline(2020, "某某县某某镇人民政府") == date(2021, 1, 31)
    assert deadline(2020, "某某乡人民政府") == date(2021, 1, 31)
    assert deadline(2020, "某某区人民政府（本级）") == date(2021, 3, 31)


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



def test_every_rule_counts_its_failures_and_reports(seeds_db):
    """validation_rules' counts (one pass over the failures, ``stored.COUNT_PER_RULE``) are
    those of each rule's failures, 0 for a rule that found none."""
    conn = seeds_db.conn
    expected = {code: (0, 0) for (code,) in conn.execute("SELECT code FROM validation_rules")}
    for rule, n, reports in conn.execute(
            "SELECT rule, count(*), count(DISTINCT report_id) FROM failures GROUP BY rule"):
        expected[rule] = (n, reports)
    got = {code: (n, reports) for code, n, reports in conn.execute(
        "SELECT code, failures, reports_failing FROM validation_rules")}
    assert got == expected
    assert 0 < sum(1 for n, _ in got.values() if n) < len(got)  # rules with failures and without
