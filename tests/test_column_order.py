"""Section 三's applicant columns in another order than the form's: read under the column the
header names (issue ``columns_reordered``), and only where the header says so clearly (samples:
html_page/total_column_first, docx_file/total_column_first, pdf_file/pdf_legal_persons_first,
pipe_tables/total_column_first). Tables written as tab-separated lines (``tab_rows``): the
header's cells and the rows' stand at the same indexes."""

from __future__ import annotations

import pytest

from loaders.form import template as T
from loaders.mapping.applications import COLUMN_ORDERS

from test_mapper import codes, tables, values

LABELS = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
          "social_welfare": "社会公益组织", "legal_services": "法律服务机构", "other_org": "其他",
          "total": "总计"}
# Each row by the form's columns (自然人 … 其他, 总计): numbers a misplacement would show.
ROWS = {"一、本年新收政府信息公开申请数量": [11, 7, 2, 3, 4, 5, 32],
        "二、上年结转政府信息公开申请数量": [6, 1, 0, 2, 0, 0, 9],
        "（一）予以公开": [9, 4, 1, 1, 2, 3, 20]}
KEYS = {"一、本年新收政府信息公开申请数量": "new_received",
        "二、上年结转政府信息公开申请数量": "carried_over", "（一）予以公开": "granted"}


def _lines(order: tuple[str, ...]) -> list[str]:
    """Section 三 as tab-separated lines, its columns printed in ``order``."""
    lines = ["三、收到和处理政府信息公开申请情况",
             "\t".join(["本列数据的勾稽关系", *(LABELS[k] for k in order)])]
    for label, numbers in ROWS.items():
        by_key = dict(zip(T.APPLICANT_KEYS, numbers))
        lines.append("\t".join([label, *(str(by_key[k]) for k in order)]))
    return lines


def _read(order):
    result = tables(_lines(order))
    return values(result, "applications"), codes(result)


@pytest.mark.parametrize("order", sorted(COLUMN_ORDERS - {T.APPLICANT_KEYS}))
def test_each_order_of_the_forms_blocks_is_read_by_its_header(order):
    read, issues = _read(order)
    for label, numbers in ROWS.items():
        assert [read[(KEYS[label], k)] for k in T.APPLICANT_KEYS] == numbers, (order, label)
    assert issues.count("columns_reordered") == 1


def test_the_forms_own_order_raises_no_issue():
    read, issues = _read(T.APPLICANT_KEYS)
    assert [read[("granted", k)] for k in T.APPLICANT_KEYS] == ROWS["（一）予以公开"]
    assert "columns_reordered" not in issues


def test_the_six_orders_are_the_blocks_of_the_form():
    assert len(COLUMN_ORDERS) == 6 and T.APPLICANT_KEYS in COLUMN_ORDERS
    for order in COLUMN_ORDERS:
        legal = order.index("commercial")
        assert order[legal:legal + 5] == T.APPLICANT_KEYS[1:6]


def test_a_header_in_no_order_of_the_blocks_is_not_read_as_one():
    """科研机构 before 商业企业: no table prints the five columns of 法人或其他组织 out of their
    order, so such a header is not taken to say where the columns are: the rows are counted in
    the form's order, as before, and no ``columns_reordered`` is claimed: the header is
    reported as unrecognized, so the reading is not silent."""
    order = ("natural_person", "research", "commercial", *T.APPLICANT_KEYS[3:])
    read, issues = _read(order)
    assert "columns_reordered" not in issues
    assert issues.count("header_unrecognized") == 1
    # Counted in the form's order: 科研机构's number stands under commercial.
    assert read[("granted", "commercial")] == ROWS["（一）予以公开"][2]
