"""A rule that raises (a bug in the rule, not a data error): recorded in check_errors, counted by
the store, named by ``ogi check``; the other rules and reports are kept. The rule is made to raise
by monkeypatching the registry, so these tests build their own database."""

from __future__ import annotations

import sqlite_utils
from click.testing import CliRunner

from factory import write_report
from loaders.build import build
from loaders.checks import registry
from loaders.cli import cli
from loaders.pipeline import load_report
from loaders.store import Store, as_tuples, report_to_rows

ZERO7 = [0] * 7


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
    # 本年新收 5, 总计 5, 予以公开 5 in 总计 but 自然人 left blank: a blank cell (blank_cells), and
    # the granted row and the 自然人 outcomes that cannot be confirmed (row_total, outcome_total:
    # warnings); accounting_identity holds (5 + 0 = 5 + 0)
    broken = {"new_received": [5, 0, 0, 0, 0, 0, 5], "granted": [None, 0, 0, 0, 0, 0, 5],
              "total": [5, 0, 0, 0, 0, 0, 5]}
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
    assert error["message"].startswith("a bug in the rule (at test_check_errors.py:")
    by_report: dict[str, set] = {}
    for f in db["validation_failures"].rows:
        by_report.setdefault(f["report_id"], set()).add(f["rule"])
    assert by_report[a] == {"row_total", "outcome_total"}  # every other rule kept
    assert by_report[b] == {"row_total", "outcome_total", "blank_cells"}  # the rule ran on b
    assert {r["id"] for r in db["reports"].rows} == {a, b}


def test_a_report_where_a_rule_raised_is_never_ok(tmp_path, monkeypatch):
    """Every check passes on both reports but one rule raised on 甲: its checks are incomplete,
    so its status is ``unchecked``, not ``ok``, in the rows and in the database."""
    folder = tmp_path / "reports"
    clean = {"new_received": ZERO7, "carried_over": ZERO7, "total": ZERO7,
             "carried_forward": ZERO7}
    write_report(folder, "a.txt", agency="甲县卫生健康局", applications=clean)
    write_report(folder, "b.txt", agency="乙县卫生健康局", applications=clean)
    _raising_on(monkeypatch, "row_total", "甲县卫生健康局")
    reports = [load_report(path) for path in sorted(folder.iterdir())]
    a, b = (r.id for r in reports)
    rows = [report_to_rows(report) for report in reports]
    assert [r["reports"][0]["status"] for r in rows] == ["unchecked", "ok"]
    build([folder], tmp_path / "ogi.db")
    db = sqlite_utils.Database(tmp_path / "ogi.db")
    assert {r["id"]: r["status"] for r in db["reports"].rows} == {a: "unchecked", b: "ok"}


def test_a_rule_across_years_that_raises_is_recorded_and_the_others_run(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    # 2020 carries 2 forward; 2021 carried over 0 (carry_over_continuity fails)
    y2020 = {"new_received": [3, 0, 0, 0, 0, 0, 3], "granted": [1, 0, 0, 0, 0, 0, 1],
             "total": [1, 0, 0, 0, 0, 0, 1], "carried_forward": [2, 0, 0, 0, 0, 0, 2]}
    for name, kwargs in {"a.txt": dict(year=2020, applications=y2020),
                         "b.txt": dict(year=2021, applications={"carried_over": ZERO7})}.items():
        write_report(folder, name, **kwargs)
    index, (rule, _) = next((i, entry) for i, entry in enumerate(registry.CORPUS_RULES)
                            if entry[0].code == "roll_forward")
    rules = list(registry.CORPUS_RULES)
    rules[index] = (rule, lambda: ["INSERT INTO failures SELECT * FROM nowhere"])
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
