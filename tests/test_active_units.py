"""The money columns' unit where the header states none: the prose's word on it
(loaders/mapping/active.py, ``prose_unit``; sample pipe_tables/fee_unit_in_a_note.md)."""

from __future__ import annotations

import pytest

from loaders.mapping.active import prose_unit


@pytest.mark.parametrize("prose, unit", [
    ("注：收费金额单位为元。", "元"),
    ("注：收费金额单位：万元", "万元"),
    ("单位：元，收费金额按实际收取计。", "元"),
    ("本年度未收取信息处理费。", None),  # nothing said
    ("采购金额单位为元；收费金额单位为万元。", None),  # two units: neither
])
def test_the_prose_states_the_money_unit(prose, unit):
    assert prose_unit(prose) == unit
