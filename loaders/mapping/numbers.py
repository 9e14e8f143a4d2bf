"""Cell text to number, with an explicit policy for everything that is not a clean number.

Policy (each case has a unit test in tests/test_numbers.py):

=====================  ===========  ====================
cell text              value        issue code
=====================  ===========  ====================
blank, NBSP, U+3000    None         (none: blank is not zero; checks report blanks)
``12``, ``１２``        12           (none)
``+11``                11           (none: the form's 本年增/减 column writes signs)
``-3``, ``−3`` in a    -3           (none; U+2212 and the other minus signs read as ``-``)
signed column
``00``, ``01``          0, 1         irregular_number
``0 0``                0            irregular_number (the same number twice)
``1 0``                None         ambiguous_number (two different numbers)
``1,234``              1234         (none)
``3件``                 3            irregular_number (a unit in a count cell)
``无``, ``/``, text     None         non_numeric
=====================  ===========  ====================

Amounts (``parse_amount``) follow the same policy (``1 0`` in a money cell is ambiguous, not 10)
and are returned in 万元 whatever unit the cell or its header used: ``7.6万元`` is 7.6,
``808000 元`` is 80.8, ``1.2亿元`` is 12000. Counts and amounts share one tokenizer
(``tokenize``): numbers separated by single spaces, then at most one unit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal, InvalidOperation

IRREGULAR = "irregular_number"
AMBIGUOUS = "ambiguous_number"
NON_NUMERIC = "non_numeric"
UNIT_CONFLICT = "unit_conflict"
IMPLAUSIBLE = "implausible_number"
# No count or amount (in 万元) of a report reaches a trillion; a longer number is a misread or a
# typo, and would not fit SQLite's 64-bit integers either.
PLAUSIBLE_LIMIT = 10**12


@dataclass(frozen=True)
class NumberReading:
    """A cell's text read as a number: the number (None when there is none), and the issue code
    that says why the text is not a clean number, with its detail."""

    value: int | float | None
    issue: str | None = None
    detail: str | None = None

    @property
    def blank(self) -> bool:
        return self.value is None and self.issue is None


# The name it had before (tests/test_invariants.py still imports it): remove once nothing does.
Parsed = NumberReading


_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_PLACEHOLDERS = {"-", "--", "—", "——", "/", "\\", "无", "空", "暂无", "null", "nan", "n/a"}

# Minus signs that NFKC leaves alone (U+2212 MINUS SIGN, figure and en dashes, hyphens). The
# em dash (—) is not among them: alone it is the placeholder for "none".
MINUS_SIGNS = "\u2212\u2012\u2013\u2010\u2011"
_MINUS = str.maketrans({c: "-" for c in MINUS_SIGNS})

COUNT_UNITS = ("件", "条", "个", "项", "次", "人", "家", "份")
# Longest first, so that 万元 is not read as 万 followed by 元.
MONEY_UNITS = ("亿元", "千元", "万元", "亿", "万", "元")
_UNIT_FACTOR = {
    "万元": Decimal(1), "万": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"),
    "亿元": Decimal(10000), "亿": Decimal(10000),
}

_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_TOKENS = re.compile(
    rf"(?P<numbers>{_NUMBER}(?: {_NUMBER})*) ?(?P<unit>{'|'.join(COUNT_UNITS + MONEY_UNITS)})?")


@dataclass(frozen=True)
class Number:
    """One number as written: its sign, integer digits (grouping commas removed), fraction."""

    sign: str
    digits: str
    fraction: str | None
    text: str

    @property
    def decimal(self) -> Decimal:
        value = Decimal(self.digits + ("." + self.fraction if self.fraction else ""))
        return -value if self.sign == "-" else value

    @property
    def leading_zero(self) -> bool:
        return len(self.digits) > 1 and self.digits.startswith("0")


@dataclass(frozen=True)
class Tokens:
    """A cell's text as numbers separated by spaces and at most one unit after them."""

    numbers: tuple[Number, ...]
    unit: str | None


# Cell texts repeat (0, 1, the same labels in every report, the pieces of a run tried in every
# cut): the pure functions from a text to its reading remember their answers, which are
# immutable (frozen dataclasses, str). Bounded, in entries and so in memory (a cell's text is
# short); issue 17.
_CACHE = 8192


@lru_cache(maxsize=_CACHE)
def clean_text(raw: str | None) -> str:
    """NFKC (full-width digits and signs to ASCII), every run of spaces to one space, trimmed."""
    if raw is None:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", raw)).strip()


def _number(text: str) -> Number:
    sign = text[0] if text[0] in "+-" else ""
    body = text[len(sign):]
    digits, _, fraction = body.partition(".")
    return Number(sign, digits.replace(",", ""), fraction or None, text)


@lru_cache(maxsize=_CACHE)
def tokenize(raw: str | None) -> Tokens | None:
    """The numbers of a cell and its unit, or None if the text is not numbers (and a unit)."""
    text = clean_text(raw).translate(_MINUS)
    m = _TOKENS.fullmatch(text)
    if not m:
        return None
    return Tokens(tuple(_number(t) for t in m.group("numbers").split(" ")), m.group("unit"))


def _plausible(parsed: NumberReading, raw: str | None) -> NumberReading:
    if parsed.value is not None and not abs(parsed.value) < PLAUSIBLE_LIMIT:
        return NumberReading(None, IMPLAUSIBLE, f"{len(clean_text(raw))} characters of digits: "
                             "not a plausible number")
    return parsed


@lru_cache(maxsize=_CACHE)
def parse_count(raw: str | None, signed: bool = False) -> NumberReading:
    """A count cell (applications, review, most of section 二)."""
    return _plausible(_parse_count(raw, signed), raw)


@lru_cache(maxsize=_CACHE)
def parse_amount(raw: str | None, header_unit: str | None = None) -> NumberReading:
    """A money cell, in 万元 (see ``_parse_amount``)."""
    return _plausible(_parse_amount(raw, header_unit), raw)


def _not_a_number(raw: str | None, what: str) -> NumberReading:
    if clean_text(raw).translate(_MINUS).lower() in _PLACEHOLDERS:
        return NumberReading(None, NON_NUMERIC, "placeholder instead of a number")
    return NumberReading(None, NON_NUMERIC, what)


def _several(numbers: tuple[Number, ...]) -> NumberReading | None:
    """Several numbers in one cell: the same one repeated (irregular), or different (ambiguous)."""
    if len(numbers) == 1:
        return None
    if len({n.decimal for n in numbers}) > 1:
        return NumberReading(None, AMBIGUOUS, "different numbers in one cell")
    return NumberReading(None, IRREGULAR, "the same number written more than once")


def _marked(text: str) -> bool:
    """Whether the text holds a mark that NFKC would make digits of, not being one: a footnote
    or index mark (①, ㉑, ¹, ₂, ⑴, ❶). 1523① is 1523 with a footnote, never 15231."""
    return not text.isascii() and any(
        not ch.isdecimal() and any(map(str.isdigit, unicodedata.normalize("NFKC", ch)))
        for ch in text if not ch.isascii())


_MARKED = "a mark that reads as a digit (①, ¹, ₂): a footnote's or an index's, not the number's"


def _parse_count(raw: str | None, signed: bool = False) -> NumberReading:
    text = clean_text(raw)
    if not text:
        return NumberReading(None)
    if _marked(raw):
        return NumberReading(None, NON_NUMERIC, _MARKED)
    tokens = tokenize(raw)
    if tokens is None or tokens.unit in MONEY_UNITS:
        return _not_a_number(raw, "not a number")
    number = tokens.numbers[0]
    value = number.decimal
    if value != value.to_integral_value():
        return NumberReading(None, NON_NUMERIC, "not a whole number")
    value = int(value)
    several = _several(tokens.numbers)
    if several is not None:
        return NumberReading(value if several.issue == IRREGULAR else None, several.issue,
                             several.detail)
    if tokens.unit:
        return NumberReading(value, IRREGULAR, f"unit {tokens.unit} in a count cell")
    if number.fraction is not None:
        return NumberReading(value, IRREGULAR, "decimal point in a count")
    if number.sign == "-" and not signed and value != 0:
        return NumberReading(value, IRREGULAR, "negative count")
    if number.leading_zero:
        return NumberReading(value, IRREGULAR, "leading zero")
    return NumberReading(value)


def unit_in_header(header: str | None) -> str | None:
    """The money unit a column header states, e.g. 本年收费金额（单位：万元） -> 万元; the header's
    whitespace is no part of it (万 and 元 on two lines of a wrapped header are 万元, not 元)."""
    text = "".join(clean_text(header).split())
    for unit in ("亿元", "千元", "万元", "元"):
        if unit in text:
            return unit
    return None


def _parse_amount(raw: str | None, header_unit: str | None = None) -> NumberReading:
    """A money cell, returned in 万元. A unit in the cell beats the unit in the header.

    With no unit anywhere the number is taken as 万元 (the unit the 2021 form prints) and
    ``detail`` says so; that is not an issue.
    """
    text = clean_text(raw)
    if not text:
        return NumberReading(None)
    if _marked(raw):
        return NumberReading(None, NON_NUMERIC, _MARKED)
    tokens = tokenize(raw)
    if tokens is None or tokens.unit in COUNT_UNITS:
        return _not_a_number(raw, "not an amount")
    number = tokens.numbers[0]
    unit = tokens.unit or header_unit
    try:
        amount = number.decimal
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return NumberReading(None, NON_NUMERIC, "not an amount")
    value = _as_number(amount * _UNIT_FACTOR[unit] if unit else amount)
    several = _several(tokens.numbers)
    if several is not None:
        return NumberReading(value if several.issue == IRREGULAR else None, several.issue,
                             several.detail)
    if number.leading_zero:
        return NumberReading(value, IRREGULAR, "leading zero")
    detail = None if unit in (None, "万元", "万") else f"converted from {unit}"
    return NumberReading(value, None, detail)


def _as_number(value: Decimal) -> int | float:
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    return float(value)
