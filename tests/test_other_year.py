"""Tables captioned as another year's (loaders/mapping/tables.py, ``other_year_grids``): where a
row appears twice, the table of the report's year is kept. Samples:
pipe_tables/last_years_table_before_this_years.md, review_last_years_table_before_this_years.md,
pdf_file/pdf_last_years_table_before_this_years.pdf."""

from __future__ import annotations

from loaders.mapping.tables import other_year_grids
from loaders.model import Cell, Grid, Paragraph


def _grid(index: int, *first_row: str) -> Grid:
    grid = Grid([[Cell(t, 1) for t in first_row or ("本列数据的勾稽关系", "申请人情况")]])
    grid.index = index
    return grid


def test_a_caption_naming_last_year_marks_its_table_and_the_pages_after_it():
    blocks = [Paragraph("三、收到和处理政府信息公开申请情况", 1), Paragraph("2022年度情况对比：", 2),
              _grid(0), _grid(1), Paragraph("2023年度情况：", 3), _grid(2), _grid(3)]
    assert other_year_grids(blocks, 2023) == {0, 1}


def test_words_for_last_year_mark_a_table_and_the_reports_own_year_does_not():
    blocks = [Paragraph("（一）上年度", 1), _grid(0), Paragraph("（二）本年度", 2), _grid(1)]
    assert other_year_grids(blocks, 2023) == {0}
    both = [Paragraph("2023年与2022年对比", 1), _grid(0)]
    assert other_year_grids(both, 2023) == set()


def test_a_caption_taken_into_the_tables_first_row_counts():
    blocks = [_grid(0, "2022年收到和处理政府信息公开申请情况"), _grid(1, "2023年收到和处理政府信息公开申请情况")]
    assert other_year_grids(blocks, 2023) == {0}


def test_prose_comparing_with_last_year_is_no_caption():
    for text in ("（一）本机关。本年度本机关共收到政府信息公开申请21件，较去年减少3件。",
                 "与上年度相比，申请数量有所增长", "2022年共收到申请18件，本年度收到21件，增长较快，"
                 "主要集中在征地拆迁、社会保障等领域，具体情况如下："):
        assert other_year_grids([Paragraph(text, 1), _grid(0), _grid(1)], 2023) == set(), text


def test_nothing_without_the_reports_year():
    assert other_year_grids([Paragraph("2022年度情况对比：", 1), _grid(0)], None) == set()


def test_a_note_under_a_table_names_its_year_and_captions_nothing_below():
    blocks = [_grid(0), _grid(1), Paragraph("注：上表为2022年度数据。", 1), _grid(2),
              Paragraph("注：上表为2023年度数据。", 2)]
    assert other_year_grids(blocks, 2023) == {0, 1}
