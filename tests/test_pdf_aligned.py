"""Tables a PDF prints without ruling lines (loaders/readers/_pdf_aligned.py), on chars placed by
hand: what makes a token, a line and a table. The whole reading is in the samples
tests/samples/pdf_file/pdf_table_without_rules.pdf and pdf_table_with_horizontal_rules_only.pdf.
"""

from __future__ import annotations

from loaders.readers import _pdf_aligned
from loaders.readers._pdf_tables import Char, TextLine

SIZE = 10.0


def _line(*words: tuple[str, float], top: float = 100.0, width: float = SIZE) -> TextLine:
    """A line of words, each (text, x0): its chars ``width`` apart, one after the other."""
    chars = []
    for text, x0 in words:
        for k, ch in enumerate(text):
            w = width if ord(ch) > 0x2E7F else width / 2
            x = chars[-1].x1 if k else x0
            chars.append(Char(ch, x, x + w, top, top + SIZE, SIZE))
    return TextLine(" ".join(t for t, _ in words), top, chars)


def _texts(line: TextLine) -> list[str]:
    return [t.text for t in _pdf_aligned._tokens(line, 1, 1, SIZE / 2, SIZE)]


def test_a_number_is_never_joined_to_the_label_before_it():
    assert _texts(_line(("行政许可", 50), ("1234", 93))) == ["行政许可", "1234"]


def test_a_unit_after_a_number_is_part_of_it():
    assert _texts(_line(("1234", 50), ("件", 72))) == ["1234 件"]


def test_two_numbers_a_blank_apart_are_two_numbers():
    assert _texts(_line(("3001", 50), ("53", 73))) == ["3001", "53"]


def test_label_words_a_blank_apart_are_one_token_and_columns_apart_are_two():
    assert _texts(_line(("第二十条", 50), ("第（五）项", 93))) == ["第二十条 第（五）项"]
    assert _texts(_line(("结果维", 50), ("结果纠", 86))) == ["结果维", "结果纠"]


def test_a_word_centred_between_two_lines_is_a_line_of_its_own():
    """自然 / 人 centred beside 商业 / 企业, each line 2.7 points below the one before: ``text_lines``
    chains tops within 3 points into one line, which would read 自人然; here each is a line."""
    run = [_line(("自然", 50), top=100.0), _line(("商业", 90), top=102.7),
           _line(("人", 55), top=105.4), _line(("企业", 90), top=108.1)]
    merged = TextLine("自然 商业 人 企业", 100.0, [c for line in run for c in line.chars])
    lines = _pdf_aligned._lines([merged], SIZE)
    assert [line.text for line in lines] == ["自然", "商业", "人", "企业"]


def _table(top: float = 100.0) -> list[TextLine]:
    rows = [("一、本年新收", 8, 3, 11), ("二、上年结转", 1, 0, 1), ("四、结转下年度", 3, 1, 4)]
    return [_line((label, 20), (str(a), 120), (str(b), 160), (str(c), 200), top=top + 20 * k)
            for k, (label, a, b, c) in enumerate(rows)]


def test_numbers_in_columns_are_a_table():
    lines = _table()
    tokens = [_pdf_aligned._tokens(line, n, 1, SIZE / 2, SIZE) for n, line in enumerate(lines, 1)]
    assert _pdf_aligned.aligned(tokens)


def test_prose_with_numbers_and_a_list_of_one_column_are_no_table():
    prose = [_line(("全年共收到申请23件，其中自然人8件、法人15件，办结21件。", 20), top=100 + 20 * k)
             for k in range(4)]
    listed = [_line((label, 20), (str(n), 120), top=200 + 20 * k)
              for k, (label, n) in enumerate([("规章", 3), ("文件", 15), ("许可", 7), ("处罚", 41)])]
    off_columns = [_line(("合计", 20), ("12", 60 + 37 * k), ("7", 150 + 23 * k), top=300 + 20 * k)
                   for k in range(4)]
    for lines in (prose, listed, off_columns):
        tokens = [_pdf_aligned._tokens(line, n, 1, SIZE / 2, SIZE) for n, line in enumerate(lines, 1)]
        assert not _pdf_aligned.aligned(tokens), [line.text for line in lines]


def test_pages_without_an_aligned_table_are_left_as_they_were():
    pages = [[("p", _line(("2023年1月1日至2023年12月31日", 20)))],
             [("p", _line(("办结21件", 20), ("结转5件", 120)))]]
    assert _pdf_aligned.tables(pages) is pages


def test_a_first_row_alone_on_its_page_is_read_when_the_document_has_such_tables():
    """The table's first row at the foot of page 1 (one row: no table by itself), the rest on
    page 2: both are read, as the document's tables are printed without rules."""
    first = _line(("一、本年新收", 20), ("8", 120), ("3", 160), ("11", 200), top=700)
    pages = [[("p", _line(("三、收到和处理政府信息公开申请情况", 20), top=680)), ("p", first)],
             [("p", line) for line in _table(top=60)]]
    out = _pdf_aligned.tables(pages)
    assert [kind for kind, _ in out[0]] == ["p", "g"]
    assert [[c.text for c in row] for row in out[0][1][1]] == [["一、本年新收", "8", "3", "11"]]
    assert [kind for kind, _ in out[1]] == ["g"]
    assert len(out[1][0][1]) == 3


def test_a_row_without_rules_above_a_continued_ruled_table_is_that_tables_row():
    """A row of seven numbers printed without rules at the top of page 2, above the rest of a
    ruled table: ``pdf_file`` joins it to the table (``_row_above``); it is not read as a
    table of its own (which once made the join fail on it)."""
    from loaders.pipeline import source_to_report
    from test_reader_docx_pdf import ruled_pdf

    cols = [20, 130, 160, 190, 220, 250, 280, 310, 340]
    heads = ["自然人", "商业", "科研", "公益", "法律", "其他", "总计"]
    source = ruled_pdf([
        {"cols": cols, "rows": [40, 60, 80],
         "cells": [[(0, "项目")] + [(i + 1, h) for i, h in enumerate(heads)],
                   [(0, "（三）8.属于行政查询事项")] + [(i + 1, "0") for i in range(7)]]},
        {"cols": cols, "rows": [60, 80],
         "text": [(22, 49, "（四）1.本机关不掌握")]
         + [(cols[i + 1] + 2, 49, str(v)) for i, v in enumerate([6, 1, 2, 3, 4, 5, 21])],
         "cells": [[(0, "2.没有现成信息")] + [(1, "2")] + [(i + 2, "0") for i in range(5)]
                   + [(7, "2")]]},
    ])
    report = source_to_report(source)
    values = {v.column_key: v.value for v in report.values
              if v.row_key == "unavailable_not_held"}
    assert [values[k] for k in ("natural_person", "commercial", "total")] == [6, 1, 21]
