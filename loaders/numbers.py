"""Cell text to number, with an explicit policy for everything that is not a clean number.

Policy (each case has a unit test in tests/test_numbers.py):

=====================  ===========  ====================
cell text              value        issue code
=====================  ===========  ====================
blank, NBSP, U+3000    None         (none: blank is not zero; checks report blanks)
``12``, ``１２``        12           (none)
``+11``                11           (none: the form's 本年增/减 column writes signs)
``-3`` in a signed     -3           (none)
column
``00``, ``01``          0, 1         irregular_number
``0 0``                0            irregular_number (the same number twice)
``1 0``                None         ambiguous_number (two different numbers)
``1,234``              1234         (none)
``3件``                 3            irregular_number (a unit in a count cell)
``无``, ``/``, text     None         non_numeric
=====================  ===========  ====================

Amounts (``parse_amount``) are returned in 万元 whatever unit the cell or its header used:
``7.6万元`` is 7.6, ``808000 元`` is 80.8, ``1.2亿元`` is 12000.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

IRREGULAR = "irregular_number"
AMBIGUOUS = "ambiguous_number"
NON_NUMERIC = "non_numeric"
IMPLAUSIBLE = "implausible_number"
# No count or amount (in 万元) of a report reaches a trillion; a longer number is a misread or a
# typo, and would not fit SQLite's 64-bit integers either.
PLAUSIBLE_LIMIT = 10**12


@dataclass(frozen=True)
class Parsed:
    value: int | float | None
    issue: str | None = None
    detail: str | None = None

    @property
    def blank(self) -> bool:
        return self.value is None and self.issue is None


_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_INT = re.compile(r"([+-]?)(\d+)")
_GROUPED = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+)")
_REPEATED = re.compile(r"[+-]?\d+(?: [+-]?\d+)+")
_COUNT_UNIT = re.compile(r"([+-]?\d+)(件|条|个|项|次|人|家|份)")
_PLACEHOLDERS = {"-", "--", "—", "——", "/", "\\", "无", "空", "暂无", "null", "nan", "n/a"}

# Money: a number, then optionally a unit. 万/万元 is the stored unit.
_AMOUNT = re.compile(r"([+-]?\d+(?:,\d{3})*(?:\.\d+)?)(万元|万|元|亿元|亿|千元)?")
_UNIT_FACTOR = {
    "万元": Decimal(1), "万": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"),
    "亿元": Decimal(10000), "亿": Decimal(10000),
}


def clean_text(raw: str | None) -> str:
    """NFKC (full-width digits and signs to ASCII), every run of spaces to one space, trimmed."""
    if raw is None:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", raw)).strip()


def _plausible(parsed: Parsed, raw: str | None) -> Parsed:
    if parsed.value is not None and not abs(parsed.value) < PLAUSIBLE_LIMIT:
        return Parsed(None, IMPLAUSIBLE, f"{len(clean_text(raw))} characters of digits: not a "
                      "plausible number")
    return parsed


def parse_count(raw: str | None, signed: bool = False) -> Parsed:
    """A count cell (applications, review, most of section 二)."""
    return _plausible(_parse_count(raw, signed), raw)


def parse_amount(raw: str | None, header_unit: str | None = None) -> Parsed:
    """A money cell, in 万元 (see ``_parse_amount``)."""
    return _plausible(_parse_amount(raw, header_unit), raw)


def _parse_count(raw: str | None, signed: bool = False) -> Parsed:
    text = clean_text(raw)
    if not text:
        return Parsed(None)
    m = _INT.fullmatch(text)
    if m:
        sign, digits = m.groups()
        value = int(digits) * (-1 if sign == "-" else 1)
        if sign == "-" and not signed and value != 0:
            return Parsed(value, IRREGULAR, "negative count")
        if len(digits) > 1 and digits.startswith("0"):
            return Parsed(value, IRREGULAR, "leading zero")
        return Parsed(value)
    m = _GROUPED.fullmatch(text)
    if m:
        sign, digits = m.groups()
        return Parsed(int(digits.replace(",", "")) * (-1 if sign == "-" else 1))
    if _REPEATED.fullmatch(text):
        numbers = {int(part) for part in text.split(" ")}
        if len(numbers) == 1:
            return Parsed(numbers.pop(), IRREGULAR, "the same number written more than once")
        return Parsed(None, AMBIGUOUS, "different numbers in one cell")
    m = _COUNT_UNIT.fullmatch(text.replace(" ", ""))
    if m:
        return Parsed(int(m.group(1)), IRREGULAR, f"unit {m.group(2)} in a count cell")
    m = re.fullmatch(r"([+-]?\d+)\.0+", text)
    if m:
        return Parsed(int(m.group(1)), IRREGULAR, "decimal point in a count")
    if text.lower() in _PLACEHOLDERS:
        return Parsed(None, NON_NUMERIC, "placeholder instead of a number")
    return Parsed(None, NON_NUMERIC, "not a number")


def unit_in_header(header: str | None) -> str | None:
    """The money unit a column header states, e.g. 本年收费金额（单位：万元） -> 万元."""
    text = clean_text(header)
    for unit in ("亿元", "千元", "万元", "元"):
        if unit in text:
            return unit
    return None


def _parse_amount(raw: str | None, header_unit: str | None = None) -> Parsed:
    """A money cell, returned in 万元. A unit in the cell beats the unit in the header.

    With no unit anywhere the number is taken as 万元 (the unit the 2021 form prints) and
    ``detail`` says so; that is not an issue.
    """
    text = clean_text(raw)
    if not text:
        return Parsed(None)
    m = _AMOUNT.fullmatch(text.replace(" ", ""))
    if not m:
        if _REPEATED.fullmatch(text):
            return parse_count(raw)
        if text.lower() in _PLACEHOLDERS:
            return Parsed(None, NON_NUMERIC, "placeholder instead of a number")
        return Parsed(None, NON_NUMERIC, "not an amount")
    number, unit = m.groups()
    try:
        amount = Decimal(number.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        return Parsed(None, NON_NUMERIC, "not an amount")
    unit = unit or header_unit
    value = amount * _UNIT_FACTOR[unit] if unit else amount
    detail = None if unit in (None, "万元", "万") else f"converted from {unit}"
    integral = number.lstrip("+-").split(".")[0]
    if len(integral) > 1 and integral.startswith("0"):
        return Parsed(_as_number(value), IRREGULAR, "leading zero")
    return Parsed(_as_number(value), None, detail)


def _as_number(value: Decimal) -> int | float:
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    return float(value)
