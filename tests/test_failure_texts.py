"""The texts of the failures that ``failures`` stores without them (issue 18): the view
validation_failures writes them from the failure's columns and params, and must write exactly
what the rules said (loaders/checks/stored.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crafted import build_cases, case, case_of_years
from loaders.build import build
from loaders.checks import stored
from loaders.form import template as T

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [ROOT / "reports", ROOT / "tests" / "samples", ROOT / "tests" / "fixtures" / "pdf"]

_2020 = {"new_received": [3, 0, 0, 0, 0, 0, 3], "granted": [1, 0, 0, 0, 0, 0, 1],
         "total": [1, 0, 0, 0, 0, 0, 1], "carried_forward": [2, 0, 0, 0, 0, 0, 2]}
CARRY_OVER = case_of_years("texts_carry_over", {
    "a.txt": dict(year=2020, applications=_2020),
    "b.txt": dict(year=2021, applications={"carried_over": [0, 0, 0, 0, 0, 0, 0]})})
ROLL_FORWARD = case_of_years("texts_roll_forward", {
    "a.txt": dict(year=2021, active={("normative_documents", "issued"): 3,
                                     ("normative_documents", "in_force"): 20}),
    "b.txt": dict(year=2022, active={("normative_documents", "issued"): 4,
                                     ("normative_documents", "repealed"): 1,
                                     ("normative_documents", "in_force"): 30})})

_FLOW = {"new_received": [3, 0, 0, 0, 0, 0, 3], "granted": [3, 0, 0, 0, 0, 0, 3],
         "total": [3, 0, 0, 0, 0, 0, 3]}
PROSE = case("texts_prose", applications=_FLOW,
             overview="2020年，全年共收到政府信息公开申请7件，均已按时答复。")
PROSE_LAWSUITS = case("texts_prose_lawsuits", review={"direct_suit_upheld": 1,
                                                      "direct_suit_total": 1},
                      overview="本年度未发生行政诉讼。")

# 3 received, 1 handled, 2 carried forward: the total column's 结转下年度 left blank, so the
# identity (3 + 0 = 1 + blank) and the row total (2 = blank) cannot be confirmed.
BLANK_IN_SUM = case("texts_blank_in_sum", applications={
    "new_received": [3, 0, 0, 0, 0, 0, 3], "granted": [1, 0, 0, 0, 0, 0, 1],
    "total": [1, 0, 0, 0, 0, 0, 1], "carried_forward": [2, 0, 0, 0, 0, 0, None]})
# One granted, the total row's 总计 left blank; one administrative review upheld, its 总计 blank.
BLANK_TOTALS = case("texts_blank_totals", applications={
    "new_received": [1, 0, 0, 0, 0, 0, 1], "granted": [1, 0, 0, 0, 0, 0, 1],
    "total": [1, 0, 0, 0, 0, 0, None]}, review={"review_upheld": 1, "review_total": None})

_TEXTS = """SELECT r.source_file, f.rule, f.severity, f.table_name, f.row_key, f.column_key,
  f.expected, f.actual, f.message, f.message_zh, f.cells
FROM validation_failures f JOIN reports r ON r.id = f.report_id ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9"""


def _keep_texts(row: dict) -> dict:
    """``stored.compact`` that stores every text as the rule gave it."""
    return {**row, "params": None}


@pytest.fixture(scope="module")
def both(tmp_path_factory, monkeypatch_module):
    """The test reports built twice: as the build stores them, and with every rule's texts
    stored as it gave them (the rules over one report; those across years are SQL)."""
    folder = tmp_path_factory.mktemp("texts")
    compact, full = folder / "compact.db", folder / "full.db"
    assert not build(INPUTS, compact).bugs
    crafted_compact = build_cases(folder / "crafted-compact", folder / "crafted-compact.db")
    monkeypatch_module.setattr(stored, "compact", _keep_texts)
    assert not build(INPUTS, full).bugs
    crafted_full = build_cases(folder / "crafted-full", folder / "crafted-full.db")
    monkeypatch_module.undo()
    return ((compact, full),
            (Path(crafted_compact.db.conn.execute("pragma database_list").fetchone()[2]),
             Path(crafted_full.db.conn.execute("pragma database_list").fetchone()[2])))


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def _rows(path: Path, sql: str = _TEXTS, params=()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_view_writes_what_the_rules_said(both):
    for compact, full in both:
        got, said = _rows(compact), _rows(full)
        assert len(got) == len(said) > 0
        for g, s in zip(got, said):
            assert g == s


def test_texts_are_left_to_the_view(both):
    """Most failures of the rules the view writes are stored without their texts."""
    rules = set()
    for compact, _ in both:
        rules |= {rule for (rule,) in _rows(
            compact, "SELECT DISTINCT rule FROM failures WHERE message_zh IS NULL")}
    assert {"blank_cells", "row_total", "accounting_identity", "outcome_total",
            "prose_vs_table", "missing_parts", "carry_over_continuity",
            "roll_forward"} <= rules


def test_view_and_python_renderer_agree(both):
    """The view's SQL and ``stored.rendered`` (its reference, in Python) write the same texts
    for every failure stored without them: a change to one and not the other fails here."""
    checked = 0
    for compact, _ in both:
        conn = sqlite3.connect(compact)
        conn.row_factory = sqlite3.Row
        for row in conn.execute("SELECT f.*, v.message AS v_message, v.message_zh AS v_zh, "
                                "v.cells AS v_cells, v.expected AS v_expected, "
                                "v.actual AS v_actual, v.column_key AS v_column_key "
                                "FROM failures f "
                                "JOIN validation_failures v ON v.id = f.id "
                                "WHERE f.message IS NULL OR f.message_zh IS NULL"):
            row = dict(row)
            texts = stored.rendered(row)
            assert texts is not None, row
            view = {"message": row["v_message"], "message_zh": row["v_zh"],
                    "cells": row["v_cells"], "expected": row["v_expected"],
                    "actual": row["v_actual"], "column_key": row["v_column_key"]}
            for key, value in texts.items():
                assert view[key] == value, (row["rule"], key)
            checked += 1
        conn.close()
    assert checked > 100


def test_blank_columns_as_a_mask(both):
    """blank_cells stores its columns as a bit mask of its table's columns; the view gives them
    back as the rule named them."""
    masked = 0
    for compact, _ in both:
        masked += _rows(compact, "SELECT count(*) FROM failures WHERE rule = 'blank_cells' "
                                 "AND column_key IS NULL AND params IS NOT NULL")[0][0]
    assert masked > 10
    row = {"rule": "blank_cells", "severity": "warning", "table_name": "applications",
           "row_key": "denied_state_secret", "column_key": "natural_person,commercial,total",
           "expected": "a number", "actual": "3 blank", "message_zh": "（三）1.属于国家秘密有3个空白单元格",
           "message": "3 blank cells in （三）1.属于国家秘密: natural_person, commercial, total",
           "cells": "denied_state_secret/natural_person,denied_state_secret/commercial,"
                    "denied_state_secret/total", "params": None}
    kept = stored.compact(row)
    assert (kept["column_key"], kept["params"], kept["message"]) == (None, "67", None)
    out_of_order = {**row, "column_key": "total,natural_person,commercial",
                    "message": "3 blank cells in （三）1.属于国家秘密: total, natural_person, commercial",
                    "cells": "denied_state_secret/total,denied_state_secret/natural_person,"
                             "denied_state_secret/commercial"}
    assert stored.compact(out_of_order)["column_key"] == "total,natural_person,commercial"


def test_texts_across_years(both):
    """The messages of the rules across years, as the documents' numbers say them."""
    _, (crafted, _) = both
    sql = ("SELECT f.message, f.message_zh, f.cells, f.expected, f.actual, r.year "
           "FROM validation_failures f JOIN reports r ON r.id = f.report_id "
           "WHERE r.source_file LIKE ? || '%' AND f.rule = ? ORDER BY f.column_key")
    carried = {m[0].split(" (")[0]: m for m in _rows(crafted, sql,
                                                     (CARRY_OVER, "carry_over_continuity"))}
    prev = _rows(crafted, "SELECT id FROM reports WHERE source_file = ?",
                 (f"{CARRY_OVER}__a.txt",))[0][0]
    person = T.by_key(T.APPLICANT_COLUMNS)["natural_person"]
    assert carried[person.label_en] == (
        f"{person.label_en} (自然人): carried over 0, but the 2020 report carried forward 2 "
        f"(report {prev})", "自然人列：上年结转0，2020年度报告结转下年度2",
        "carried_over/natural_person", "2", "0", 2021)
    item = T.by_key(T.DISCLOSURE_ITEMS)["normative_documents"]
    zh = item.label_zh_2021 or item.label_zh
    assert _rows(crafted, sql, (ROLL_FORWARD, "roll_forward")) == [(
        f"{item.label_en} ({zh}) in force: 20 at the end of 2021 + 4 issued - 1 repealed = 23, "
        "but the report says 30", f"{zh}现行有效件数：上年20＋制发4－废止1，报告为30",
        "normative_documents/issued,normative_documents/repealed,normative_documents/in_force",
        "23", "30", 2022)]


def test_a_message_quoting_a_fraction_keeps_its_stored_text():
    """SQLite writes a real otherwise than Python (5.0e-05 against 5e-05): the view writes a
    message only from whole numbers, and a failure quoting any other value keeps its texts."""
    from loaders.checks import stored

    row = {"rule": "accounting_identity", "severity": "error", "table_name": "applications",
           "row_key": None, "column_key": "total", "expected": "36", "actual": "35",
           "template": "2021", "year": 2024}
    whole = stored.rendered({**row, "params": "[34, 2, 35, null]"})
    assert whole["message"].startswith("Total (总计): received 34 + carried over 2 = 36, but "
                                       "handled 35 + carried forward blank = 35")
    assert stored.rendered({**row, "params": "[34, 2, 5e-05, null]"}) is None
    message = "Total (总计): received 34 + carried over 2 = 36, but handled 5e-05 ..."
    kept = stored.compact({**row, "params": "[34, 2, 5e-05, null]", "message": message,
                           "message_zh": "…", "cells": "x"})
    assert kept["message"] == message and kept["params"] is None


def test_blank_in_a_sum_in_chinese(both):
    """A sum with a blank cell is a warning; its Chinese text says 空白 (not the English word)
    and that it cannot be confirmed, as the English one does, stored or written by the view."""
    sql = ("SELECT f.rule, f.severity, f.message, f.message_zh FROM validation_failures f "
           "JOIN reports r ON r.id = f.report_id WHERE r.source_file LIKE ? || '%' "
           "AND f.rule IN ('accounting_identity', 'row_total') ORDER BY f.rule")
    for crafted in both[1]:
        assert _rows(crafted, sql, (BLANK_IN_SUM,)) == [
            ("accounting_identity", "warning",
             "Total (总计): received 3 + carried over 0 = 3, but handled 1 + carried forward "
             "blank = 1 (cannot be confirmed: blank cells)",
             "总计列：本年新收3＋上年结转0＝3，而总计1＋结转下年度空白＝1（有空白单元格，无法确认）"),
            ("row_total", "warning",
             "Carried forward to next year (四、结转下年度继续办理): the applicant columns add "
             "up to 2, the total column says blank (cannot be confirmed: blank cells)",
             "四、结转下年度继续办理：各申请人列之和为2，总计列为空白（有空白单元格，无法确认）")]


def test_blank_totals_in_chinese(both):
    sql = ("SELECT f.rule, f.message, f.message_zh FROM validation_failures f "
           "JOIN reports r ON r.id = f.report_id WHERE r.source_file LIKE ? || '%' "
           "AND f.rule IN ('outcome_total', 'review_totals') ORDER BY f.rule")
    for crafted in both[1]:
        assert _rows(crafted, sql, (BLANK_TOTALS,)) == [
            ("outcome_total", "Total (总计): the outcomes add up to 1, the total row (（七）总计) "
             "says blank (cannot be confirmed: blank cells)",
             "总计列：各办理结果之和为1，（七）总计为空白（有空白单元格，无法确认）"),
            ("review_totals", "Administrative review (行政复议): upheld + corrected + other + "
             "pending = 1, total says blank (cannot be confirmed: blank cells)",
             "行政复议：维持＋纠正＋其他＋尚未审结＝1，总计为空白（有空白单元格，无法确认）")]
