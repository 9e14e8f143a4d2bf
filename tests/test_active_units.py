"""The money columns' unit: the prose's word on it (loaders/mapping/active.py, ``prose_units``;
sample pipe_tables/fee_unit_in_a_note.md), and the table's."""

from __future__ import annotations

import pytest

from loaders.mapping.active import prose_units


@pytest.mark.parametrize("prose, item, units", [
    ("注：收费金额单位为元。", "fees", {"元"}),
    ("注：收费金额单位：万元", "fees", {"万元"}),
    ("单位：元，收费金额按实际收取计。", "fees", {"元"}),
    ("单位：元", "fees", {"元"}),  # a caption above the table: every amount's
    ("注：收费金额单位为千元。", "fees", {"千元"}),
    ("本年度未收取信息处理费。", "fees", set()),  # nothing said
    ("本单位元旦期间未收费。", "fees", set()),  # 单位 and 元 of other words
    ("采购金额单位为元；收费金额单位为万元。", "fees", {"万元"}),  # each amount its own
    ("采购金额单位为元；收费金额单位为万元。", "procurement", {"元"}),
    ("注：收费金额单位为元。\n单位：万元", "fees", {"元", "万元"}),  # two: a conflict
    # notes as agencies write them
    ("注：本表单位为元。", "fees", {"元"}), ("（单位：元，下同）", "fees", {"元"}),
    ("注：上表单位：元", "fees", {"元"}), ("单位：元。", "fees", {"元"}),
    ("注：第二十条第（八）项单位为元。", "fees", {"元"}), ("单位：元/件", "fees", {"元"}),
    ("注：采购金额单位为万元，收费金额单位为元。", "fees", {"元"}),
    ("注：政府集中采购金额和行政事业性收费金额单位均为元。", "fees", {"元"}),
    # a unit of other money: introducing figures, or after one
    ("公开“三公”经费支出情况（单位：元）：公务接待费5000元", "fees", set()),
    ("“三公”经费支出合计 125000 （单位：元）", "fees", set()),
    ("同比下降5%（单位：元）", "fees", set()),
    ("预算支出合计如下（金额单位：元）。", "fees", set()),
    ("注：1.本表统计时间为2023年；2.单位：元。", "fees", {"元"}),
    ("注：统计截至2023年12月31日，单位：元。", "fees", {"元"}), ("说明：单位为元。", "fees", {"元"}),
    ("具体情况如下（单位：元）：", "fees", {"元"}),
    # a unit stated for other money is not the fees'
    ("“三公”经费支出125000（单位：元）。", "fees", set()),
    ("预算安排12.5（单位：万元）。", "fees", set()),
])
def test_the_prose_states_the_money_unit(prose, item, units):
    assert prose_units(prose, item) == units
