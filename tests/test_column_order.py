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
    order, so such a header is not taken to say where the columns are; nor is the form's order
    taken against it, since the rows add up in both (总计 last): the rows are not read, and the
    header is reported (no number the header contradicts is stored)."""
    order = ("natural_person", "research", "commercial", *T.APPLICANT_KEYS[3:])
    read, issues = _read(order)
    assert "columns_reordered" not in issues
    # the header's, and one for each row not read (so that no check takes its cells for blanks)
    assert issues.count("header_unrecognized") == 1 + len(ROWS)
    assert all(read[(KEYS[label], k)] is None for label in ROWS for k in T.APPLICANT_KEYS)


def test_a_header_in_no_order_of_the_blocks_gives_way_to_the_sums():
    """The five columns of 法人或其他组织 out of their order, 总计 first: the rows add up in the
    form's order, not in the header's: the form's order is read (a header whose labels were
    put together wrong), and the header reported."""
    lines = _lines(T.APPLICANT_KEYS)
    lines[1] = "\t".join(["本列数据的勾稽关系", *(LABELS[k] for k in (
        "total", "natural_person", "research", "commercial", *T.APPLICANT_KEYS[3:6]))])
    result = tables(lines)
    read = values(result, "applications")
    assert [read[("granted", k)] for k in T.APPLICANT_KEYS] == ROWS["（一）予以公开"]
    [issue] = [i for i in result.issues if i.code == "header_unrecognized"]
    assert "do not bear out" in issue.message and "read in the order" in issue.message


def _two_header_lines(first: list[str], second: list[str], rows: dict[str, list[int]]) -> list[str]:
    """Section 三 as tab-separated lines with a header of two lines (as PDF-copy text gives it:
    the cells' indexes are the only places the text has)."""
    lines = ["三、收到和处理政府信息公开申请情况", "\t".join(first), "\t".join(second)]
    for label, numbers in rows.items():
        lines.append("\t".join([label, *map(str, numbers)]))  # ("" for an empty cell)
    return lines


def test_a_header_whose_lines_do_not_line_up_is_refuted_by_the_sums():
    """The second header line left-aligned (自然人 法人或其他组织 总计 in its first cells) and the
    third in place: sorted by index, the labels read 自然人, 总计, 商业企业 …, an order of the
    blocks. The rows add up with 总计 last, not third: the form's order is read, and the header
    is reported (a review's case: every row was read one column off)."""
    first = ["自然人", "法人或其他组织", "总计", "", "", "", "", "", ""]
    second = ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    rows = {label: ["", *numbers] for label, numbers in ROWS.items()}  # a second label column
    result = tables(_two_header_lines(first, second, rows))
    read = values(result, "applications")
    for label, numbers in ROWS.items():
        assert [read[(KEYS[label], k)] for k in T.APPLICANT_KEYS] == numbers, label
    assert "columns_reordered" not in codes(result)
    assert "header_unrecognized" in codes(result)


def test_a_header_over_two_lines_in_another_order_stands_where_the_sums_say_so():
    """总计 first in a header of two lines of indexes only: the rows add up with 总计 first and
    not last, so the header's order is read."""
    first = ["勾稽关系", "总计", "自然人", "法人或其他组织", "", "", "", ""]
    second = ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    printed = {label: [numbers[6], *numbers[:6]] for label, numbers in ROWS.items()}
    result = tables(_two_header_lines(first, second, printed))
    read = values(result, "applications")
    for label, numbers in ROWS.items():
        assert [read[(KEYS[label], k)] for k in T.APPLICANT_KEYS] == numbers, label
    assert "columns_reordered" in codes(result)


def test_a_header_over_two_lines_the_sums_cannot_settle_is_not_followed():
    """法人或其他组织 before 自然人 with 总计 last: the sums hold either way, and a header put
    together from two lines of indexes is not sure of its places: neither its order nor the
    form's is read (the rows left blank, the header reported), rather than one of them guessed."""
    first = ["勾稽关系", "法人或其他组织", "", "", "", "", "自然人", "总计"]
    second = ["", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "", ""]
    result = tables(_two_header_lines(first, second, ROWS))
    assert "columns_reordered" not in codes(result)
    read = values(result, "applications")
    assert all(read[(KEYS[label], k)] is None for label in ROWS for k in T.APPLICANT_KEYS)
    [issue] = [i for i in result.issues if i.code == "header_unrecognized" and i.row_key is None]
    assert "cannot tell" in issue.message and "left blank" in issue.message
    assert {i.row_key for i in result.issues if i.code == "header_unrecognized"} == \
        {None, *KEYS.values()}


def test_headers_that_disagree_are_both_reported_and_neither_reorders():
    """Two headers in one table naming two orders (the form's, then 总计 first on a line of its
    own width): the rows add up in the form's order only: it is read, and the other header is
    reported, not passed over."""
    lines = _lines(T.APPLICANT_KEYS)
    other = ("total", *T.APPLICANT_KEYS[:6])
    lines.append("\t".join(["本列数据的勾稽关系", *(LABELS[k] for k in other), ""]))
    result = tables(lines)
    issues = [i for i in result.issues if i.code == "header_unrecognized"]
    assert len(issues) == 1 and "do not bear out" in issues[0].message
    assert "columns_reordered" not in codes(result)
    read = values(result, "applications")
    assert [read[("granted", k)] for k in T.APPLICANT_KEYS] == ROWS["（一）予以公开"]
