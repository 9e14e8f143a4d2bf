"""The bench corpus's writers of files as agencies publish them (loaders/writers: word_html,
word_docx, printed_pdf, crawled_text): each one's output, made from a real report, is claimed by
the reader of its format and loads to the report's numbers, as the hand-checked fixture gives
them; and each looks like what it imitates (Word's markup, an embedded font subset, pages)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import needs_cjk_font
from loaders.pipeline import load_report
from loaders.writers import crawled_text, printed_pdf, word_docx, word_html

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("002_4e3c7d07ba237867.txt", "004_82a9170de9e2b25c.txt", "shanghai_kewei_2024.md")
# The text layouts write rows as lines: not from a document whose tables a PDF-to-markdown
# conversion broke into pieces (benchmarks/corpus.py does not either).
ROW_SEEDS = ("002_4e3c7d07ba237867.txt", "004_82a9170de9e2b25c.txt",
             "huaian_szf_2024_pdftotext_layout.txt")


def _expected(name: str) -> dict[str, int]:
    data = json.loads((ROOT / "tests/fixtures/expected" / (Path(name).stem + ".json"))
                      .read_text(encoding="utf-8"))
    total = data["columns"].index("total")
    return {row: values[total] for row, values in data["applications"].items()}


def _totals(report) -> dict[str, int]:
    return {v.row_key: v.value for v in report.values
            if v.table == "applications" and v.column_key == "total"}


def _check(path: Path, name: str, layout: str) -> None:
    report = load_report(path)
    assert report.document.layout == layout
    got, expected = _totals(report), _expected(name)
    assert {k: got.get(k) for k in expected} == expected


@pytest.fixture(scope="module")
def documents():
    return {name: load_report(ROOT / "reports" / name).document for name in SEEDS + ROW_SEEDS}


@pytest.mark.parametrize("name", SEEDS)
@pytest.mark.parametrize("style,verbosity", [("cms", 0), ("cms", 2), ("word_export", 1)])
def test_word_html(tmp_path, documents, name, style, verbosity):
    chrome = word_html.chrome_of((ROOT / "reports/shuyang_fgj_2023.html").read_text("utf-8"))
    text = word_html.to_word_html(documents[name], style=style, verbosity=verbosity,
                                  chrome=chrome)
    assert "class=MsoNormal" in text and "mso-border-alt" in text
    if style == "cms":
        assert text.startswith(chrome[0]) and text.endswith(chrome[1])
    assert len(text.encode()) >= 35 * 1024
    path = tmp_path / "r.html"
    path.write_text(text, encoding="utf-8")
    _check(path, name, "html_page")


@pytest.mark.parametrize("name", SEEDS)
def test_word_docx(tmp_path, documents, name):
    path = tmp_path / "r.docx"
    word_docx.to_word_docx(documents[name], path)
    xml = word_docx.document_xml(documents[name])
    assert 'w:eastAsia="仿宋_GB2312"' in xml and "<w:tcW" in xml
    if name != "shanghai_kewei_2024.md":  # its markdown tables are not drawn as the form's
        assert "<w:gridSpan" in xml and "<w:vMerge" in xml
    _check(path, name, "docx_file")


@pytest.mark.parametrize("name", SEEDS[:2])
def test_printed_pdf(tmp_path, documents, name):
    import pypdfium2 as pdfium

    needs_cjk_font()
    path = tmp_path / "r.pdf"
    printed_pdf.to_printed_pdf(documents[name], path)
    data = path.read_bytes()
    assert b"/FontFile2" in data  # an embedded TrueType font (a subset)
    assert 4 <= len(pdfium.PdfDocument(data)) <= 8
    assert 170 * 1024 <= len(data) <= 410 * 1024
    _check(path, name, "pdf_file")


@pytest.mark.parametrize("name", ROW_SEEDS)
@pytest.mark.parametrize("cells", crawled_text.RUN_CELLS)
def test_run_text(tmp_path, documents, name, cells):
    text = crawled_text.to_run_text(documents[name], cells=cells, published="2022-01-07 17:53")
    assert text.count("\n") == 10  # the crawl's header, then the page on one line
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    _check(path, name, "run_text")


@pytest.mark.parametrize("name", ROW_SEEDS)
def test_layout_text(tmp_path, documents, name):
    text = crawled_text.to_layout_text(documents[name])
    assert "\f" in text and "-1-" in text  # pages, with their footers
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    _check(path, name, "layout_text")


def test_deterministic(tmp_path, documents):
    needs_cjk_font()
    doc = documents[SEEDS[0]]
    for k in range(2):
        word_docx.to_word_docx(doc, tmp_path / f"{k}.docx")
        printed_pdf.to_printed_pdf(doc, tmp_path / f"{k}.pdf")
    assert (tmp_path / "0.docx").read_bytes() == (tmp_path / "1.docx").read_bytes()
    assert (tmp_path / "0.pdf").read_bytes() == (tmp_path / "1.pdf").read_bytes()
