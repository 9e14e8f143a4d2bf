"""The form as data (loaders/form/): where the form prints each key, and the keys' lookup.

Expected layouts are the national form's (国办公开办函〔2019〕60号 and 〔2021〕30号), read off the
paper form: the group rows of section 三, the headers over its applicant columns and over the
fifteen numbers of section 四.
"""

from __future__ import annotations

import pytest

from loaders.form import template as T
from loaders.form.keys import Keys, lookup, normalize_label

# Every key that names a group (row or header) another key can stand under.
GROUPS = T.by_key((*T.APPLICATION_GROUPS, T.APPLICANTS, T.LEGAL_PERSONS, *T.REVIEW_GROUPS,
                   T.LITIGATION))
PRINTED = [*T.APPLICANT_COLUMNS, *T.APPLICATION_GROUPS, *T.APPLICATION_ROWS, *T.REVIEW_GROUPS,
           T.LEGAL_PERSONS]


@pytest.mark.parametrize("key", PRINTED, ids=lambda k: k.key)
def test_a_key_stands_under_a_group_of_the_form(key):
    assert not key.group or key.group in GROUPS, key.group


@pytest.mark.parametrize("key", [k for k in PRINTED if k.printed_zh], ids=lambda k: k.key)
def test_a_printed_label_is_the_label_without_its_groups_numbering(key):
    """（三）1.属于国家秘密 is printed 1.属于国家秘密 under （三）不予公开: what the form leaves out is
    where the group row already says it (its numbering, or 行政诉讼 over the lawsuits)."""
    assert key.label_zh.endswith(key.printed_zh)
    left_out = key.label_zh[:-len(key.printed_zh)].rstrip("·")
    assert left_out and GROUPS[key.group].label_zh.startswith(left_out), (key.key, left_out)


def test_rows_under_a_group_are_printed_without_its_numbering():
    printed = {k.key: k.form_zh for k in T.APPLICATION_ROWS}
    assert printed["granted"] == "（一）予以公开"
    assert printed["denied_state_secret"] == "1.属于国家秘密"
    assert printed["other_other"] == "3.其他"
    assert printed["other"] == "（六）其他处理"  # the 2019 form's （六） is a row, not a group
    assert printed["total"] == "（七）总计"
    assert printed["carried_forward"] == "四、结转下年度继续办理"


def test_section_headings_are_numbered_as_the_form_numbers_them():
    assert [s.numbered_zh for s in T.SECTIONS[1:4]] == [
        "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况"]


def test_review_columns_are_each_outcome_under_each_group():
    assert len(T.REVIEW_COLUMNS) == 15
    first, last = T.REVIEW_COLUMNS[0], T.REVIEW_COLUMNS[-1]
    assert (first.key, first.group, first.outcome) == ("review_upheld", "review", "upheld")
    assert (last.key, last.label_zh) == ("post_review_suit_total", "行政诉讼·复议后起诉·总计")
    assert last.label_en == "Lawsuit after review: total"


def test_an_item_is_labelled_as_each_form_prints_it():
    items = T.by_key(T.DISCLOSURE_ITEMS)
    assert items["normative_documents"].label_zh_in("2019") == "规范性文件"
    assert items["normative_documents"].label_zh_in("2021") == "行政规范性文件"
    assert items["regulations"].label_zh_in("2021") == "规章"


def test_keys_match_a_label_once_and_remember_the_answer():
    keys = Keys(tuple(T.APPLICATION_ROWS))
    label = normalize_label("（三）1.属于国家秘密")
    assert lookup(keys, label).key == "denied_state_secret"
    assert keys.matched == {label: keys[4]}
    assert lookup(keys, "不是表格里的字") is None
    assert "不是表格里的字" in keys.matched  # a label that matches nothing is remembered too
    assert list(keys) == list(T.APPLICATION_ROWS) and len(keys) == 26
    assert [k.key for k in keys[:2]] == ["new_received", "carried_over"]


def test_keys_forget_past_their_bound(monkeypatch):
    import loaders.form.keys as keys_module

    monkeypatch.setattr(keys_module, "MATCHED_MAX", 2)
    keys = Keys(tuple(T.APPLICANT_COLUMNS))
    for label in ("自然人", "商业企业", "总计"):
        assert lookup(keys, label).label_zh == label
    assert list(keys.matched) == ["总计"]
