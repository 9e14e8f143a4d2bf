"""The value policy of loaders/mapping/numbers.py, one case per line of its table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loaders.mapping.numbers import (AMBIGUOUS, IRREGULAR, NON_NUMERIC, parse_amount, parse_count,
                                     tokenize, unit_in_header)


@pytest.mark.parametrize("raw", ["", None, " ", "\u00a0", "\u3000", "\t", "\n\u00a0\n"])
def test_blank_is_none_not_zero(raw):
    parsed = parse_count(raw)
    assert parsed.value is None and parsed.issue is None and parsed.blank


@pytest.mark.parametrize("raw, value", [
    ("0", 0), ("12", 12), ("１２", 12), ("\u3000240", 240), ("  0", 0), ("0 ", 0),
    ("1\u00a0", 1), ("\u00a0\n\n0", 0), ("12,166", 12166),
])
def test_clean_numbers(raw, value):
    assert parse_count(raw).value == value
    assert parse_count(raw).issue is None


def test_plus_sign_is_the_number():
    assert parse_count("+11", signed=True).value == 11
    assert parse_count("+11", signed=True).issue is None
    assert parse_count("+11").value == 11 and parse_count("+11").issue is None


def test_negative_only_where_the_form_allows_it():
    assert parse_count("-3", signed=True) .value == -3
    assert parse_count("-3", signed=True).issue is None
    assert parse_count("-3").value == -3 and parse_count("-3").issue == IRREGULAR


@pytest.mark.parametrize("raw, value", [("00", 0), ("01", 1), ("00\u00a0", 0), ("007", 7)])
def test_leading_zeros_are_irregular(raw, value):
    parsed = parse_count(raw)
    assert (parsed.value, parsed.issue) == (value, IRREGULAR)


@pytest.mark.parametrize("raw", ["0 0", "0\u00a00", "0\u30000", "5 5 5"])
def test_the_same_number_twice_is_irregular(raw):
    parsed = parse_count(raw)
    assert parsed.value == int(raw[0]) and parsed.issue == IRREGULAR


@pytest.mark.parametrize("raw", ["1 0", "0\u00a01", "12 166"])
def test_two_different_numbers_are_ambiguous(raw):
    parsed = parse_count(raw)
    assert (parsed.value, parsed.issue) == (None, AMBIGUOUS)


@pytest.mark.parametrize("raw", ["无", "/", "—", "-", "不适用", "见附件"])
def test_text_is_none_with_an_issue(raw):
    parsed = parse_count(raw)
    assert (parsed.value, parsed.issue) == (None, NON_NUMERIC)


@pytest.mark.parametrize("raw", ["1523①", "25¹", "10②", "35₁", "35㉑", "⑴", "36.5①"])
def test_a_mark_that_reads_as_a_digit_is_no_digit_of_the_number(raw):
    """NFKC makes 1523① 15231 and 25¹ 251: a footnote mark would be stored as a digit."""
    for parsed in (parse_count(raw), parse_amount(raw)):
        assert (parsed.value, parsed.issue) == (None, NON_NUMERIC), raw


def test_full_width_digits_are_digits():
    assert parse_count("３５").value == 35 and parse_amount("３．５万元").value == 3.5


def test_count_with_a_unit_keeps_the_number_and_says_so():
    assert (parse_count("3件").value, parse_count("3件").issue) == (3, IRREGULAR)


@pytest.mark.parametrize("raw, header_unit, value", [
    ("7.6万元", None, 7.6),
    ("808000 元", None, 80.8),
    ("382.26万元", None, 382.26),
    ("513.22万元", None, 513.22),
    ("\u300012", None, 12),
    ("0", "万元", 0),
    ("1500", "元", 0.15),
    ("1.2亿元", None, 12000),
    ("2,500元", None, 0.25),
    ("３．５万元", None, 3.5),
])
def test_amounts_are_stored_in_10k_yuan(raw, header_unit, value):
    parsed = parse_amount(raw, header_unit)
    assert parsed.value == value and parsed.issue is None


def test_a_unit_in_the_cell_beats_the_header():
    assert parse_amount("5000元", "万元").value == 0.5


def test_amount_blank_and_text():
    assert parse_amount("\u00a0").blank
    assert parse_amount("无").issue == NON_NUMERIC
    assert parse_amount("0 0").issue == IRREGULAR


def test_unit_in_header():
    assert unit_in_header("本年收费金额（单位：万元）") == "万元"
    assert unit_in_header("采购总金额（元）") == "元"
    assert unit_in_header("采购总金额") is None


# --- one tokenizer for counts and amounts -------------------------------------------------------

@pytest.mark.parametrize("raw", ["−3", "\u20123", "–3", "－3", "﹣3"])
def test_minus_signs_read_as_minus(raw):
    assert parse_count(raw, signed=True).value == -3
    assert parse_count(raw, signed=True).issue is None
    assert parse_count(raw).issue == IRREGULAR  # a count that may not be negative


def test_an_em_dash_alone_is_still_a_placeholder():
    assert parse_count("—").issue == NON_NUMERIC and parse_count("−").issue == NON_NUMERIC


@pytest.mark.parametrize("raw", ["1 0", "1 0万元", "7.6 8", "12 166元"])
def test_two_different_amounts_are_ambiguous_not_joined(raw):
    # was 10: the digits of two cells read as one number
    assert (parse_amount(raw).value, parse_amount(raw).issue) == (None, AMBIGUOUS)


def test_the_same_amount_twice_is_irregular_with_its_unit():
    parsed = parse_amount("5000 5000元")
    assert (parsed.value, parsed.issue) == (0.5, IRREGULAR)


def test_two_counts_with_a_unit_are_ambiguous():
    assert (parse_count("1 0件").value, parse_count("1 0件").issue) == (None, AMBIGUOUS)


def test_a_negative_amount_change():
    assert parse_amount("−1.5万元").value == -1.5


def test_tokenize():
    tokens = tokenize("１２ 3.5 万元")
    assert [n.decimal for n in tokens.numbers] == [12, Decimal("3.5")] and tokens.unit == "万元"
    assert tokenize("3件").unit == "件" and tokenize("三件") is None
    assert tokenize("1,234").numbers[0].digits == "1234"
