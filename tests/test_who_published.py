"""Who published it, for which year, in which form: on every copy of each seed, on the shapes a
title takes on the web (only in <title>, split over spans or blocks, under a PDF's header lines,
in crawled text), and the rule that an unknown agency is nobody. Also where a report was
published (sources.csv).

Expected agency, year and form are the hand-checked fixtures of the seeds
(tests/fixtures/expected); the copies are written from the seeds' own text by loaders/writers/.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
import yaml
from click.testing import CliRunner

from conftest import EXPECTED, REPORTS, ROOT, load_expected
from factory import write_report
from loaders import writers
from loaders.build import build
from loaders.cli import cli
from loaders.extract.metadata import same_agency
from loaders.model import Document, Paragraph, Source
from loaders.pipeline import load_report
from loaders.readers import read
from loaders.extract.sections import find_headings
from loaders.snapshot import snapshot

SEEDS = sorted(REPORTS.glob("0*.txt"))
EXPECTED_BY_SEED = {p.name: load_expected(EXPECTED / f"{p.stem}.json") for p in SEEDS}


def metadata_of(path: Path) -> dict:
    r = load_report(path)
    return {"agency": r.agency, "year": r.year, "template": r.template,
            "published_on": r.published_on}


def wanted(seed: Path, *fields: str) -> dict:
    e = EXPECTED_BY_SEED[seed.name]
    return {f: e[f] for f in fields}


# --- the cross-format copies of each seed --------------------------------------------------------

COPIES = {"html": writers.to_html, "docx": writers.to_docx, "pdf": writers.to_pdf,
          "word_cells.txt": writers.to_word_cells, "tab_rows.txt": writers.to_tab_rows,
          "md": writers.to_pipe_tables}


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("copies")
    for seed in SEEDS:
        document = read(Source.from_path(seed))
        for ending, write in COPIES.items():
            path = folder / f"{seed.stem}.{ending}"
            if ending in ("docx", "pdf"):
                write(document, path)
            else:
                path.write_text(write(document), encoding="utf-8")
    return folder


@pytest.mark.parametrize("ending", COPIES)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_every_copy_knows_its_agency_year_form_and_date(copies, seed, ending):
    assert metadata_of(copies / f"{seed.stem}.{ending}") == \
        wanted(seed, "agency", "year", "template", "published_on")


# --- the title in the shapes the web gives it ------------------------------------------------------

def title_block(document: Document) -> tuple[list[Paragraph], str]:
    """The paragraphs before the first section heading, and the title a web page would give the
    report: its agency line(s) first, then the title lines, without the date."""
    first = min(find_headings(document.blocks))
    block = [b for b in document.blocks[:first] if isinstance(b, Paragraph) and b.text.strip()]
    lines = [b.text.strip() for b in block if not re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日",
                                                                 b.text.strip())]
    names = [t for t in lines if not re.search("报告|政府信息|公开", t)]
    return block, "".join(names + [t for t in lines if t not in names])


def without(document: Document, dropped: list[Paragraph]) -> Document:
    return Document(document.source, document.format, document.layout, document.encoding,
                    [b for b in document.blocks if b not in dropped])


def write_html(document: Document, path: Path, page_title: str = "报告",
               first: str = "", above: str = "") -> Path:
    page = writers.to_html(document).replace("<title>报告</title>",
                                             f"<title>{html.escape(page_title)}</title>")
    page = page.replace('<div class="article">', above + '<div class="article">' + first, 1)
    path.write_text(page, encoding="utf-8")
    return path


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_title_only_in_the_pages_title(seed, tmp_path):
    document = read(Source.from_path(seed))
    block, title = title_block(document)
    path = write_html(without(document, block), tmp_path / "page.html",
                      f"{title}_政府信息公开年报_某某人民政府门户网站")
    body = path.read_text(encoding="utf-8").split("</title>")[1]
    assert not [b for b in block if f"<p>{html.escape(b.text)}</p>" in body]
    assert metadata_of(path) == {**wanted(seed, "agency", "year", "template"),
                                 "published_on": metadata_of(path)["published_on"]}


@pytest.mark.parametrize("shape", ["spans", "blocks", "spans_above"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_title_split_over_spans_or_blocks(seed, shape, tmp_path):
    """The title cut before and after its year, each piece a <span> of one paragraph (joined
    with the spaces of the line breaks between them), each piece a block of its own, or the
    spans in a heading <div> above the report's own <div> (which the reader does not keep)."""
    document = read(Source.from_path(seed))
    block, title = title_block(document)
    pieces = [p for p in re.split(r"(\d{4}\s*年)", title) if p]
    tag = "p" if shape == "blocks" else "span"
    markup = "\n".join(f"<{tag}>{html.escape(p)}</{tag}>" for p in pieces)
    first = {"spans": f"<p>{markup}</p>", "blocks": markup, "spans_above": ""}[shape]
    above = f'<div class="title">{markup}</div>' if shape == "spans_above" else ""
    path = write_html(without(document, block), tmp_path / "page.html", first=first, above=above)
    assert len(pieces) >= 2
    assert metadata_of(path) == {**wanted(seed, "agency", "year", "template"),
                                 "published_on": metadata_of(path)["published_on"]}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_pdf_whose_first_lines_are_not_the_title(seed, tmp_path):
    document = read(Source.from_path(seed))
    header = [Paragraph("索引号：11320813MB1234567X/2023-00012  分类：政府信息公开年报", 0),
              Paragraph("发布机构：办公室  公开方式：主动公开", 0), Paragraph("附件", 0)]
    document = Document(document.source, document.format, document.layout, document.encoding,
                        header + document.blocks)
    writers.to_pdf(document, tmp_path / "report.pdf")
    assert metadata_of(tmp_path / "report.pdf") == \
        wanted(seed, "agency", "year", "template", "published_on")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_crawled_text_in_one_line(seed, tmp_path):
    """A crawler's copy: header lines, then the page's text run into one line after its
    breadcrumb; the breadcrumb and the labels are never part of the name."""
    document = read(Source.from_path(seed))
    block, title = title_block(document)
    prose = " ".join(p.text.strip() for p in document.paragraphs if p not in block)
    path = tmp_path / "page.txt"
    path.write_text(f"标题: {title}\n发布时间: 2022-01-07 17:53\n发布机构: \n"
                    f"当前位置： 首页政务公开政府信息公开年报 {title} 来源： 时间：2022-01-07 17:53 "
                    f"--> 微信 微博 {prose}\n", encoding="utf-8")
    got = metadata_of(path)
    assert (got["agency"], got["year"]) == tuple(wanted(seed, "agency", "year").values())


# --- unknown is nobody --------------------------------------------------------------------------

FORWARD = {"new_received": [3, 0, 0, 0, 0, 0, 3], "carried_forward": [3, 0, 0, 0, 0, 0, 3]}
IN_FORCE = {("normative_documents", "issued"): 3, ("normative_documents", "in_force"): 20}
WRONG_IN_FORCE = {("normative_documents", "issued"): 4, ("normative_documents", "in_force"): 99}


def build_reports(folder: Path, reports: dict[str, dict]) -> sqlite_utils.Database:
    for name, kwargs in reports.items():
        write_report(folder / "reports", name, **kwargs)
    result = build([folder / "reports"], folder / "ogi.db", overrides=None)
    assert result.failed == 0 and not result.bugs, (result.errors, result.internal_errors)
    return sqlite_utils.Database(folder / "ogi.db")


def cross_report_failures(db) -> set[str]:
    return {r["rule"] for r in db.query(
        "select rule from validation_failures where rule in "
        "('carry_over_continuity', 'roll_forward', 'duplicate_report')")}


def years_of(agency: str) -> dict[str, dict]:
    """Two reports of the same year, and reports of consecutive years whose numbers do not
    follow on (carried forward 3, carried over 0; 20 in force + 4 issued but 99 in force)."""
    return {
        "same_a.txt": dict(agency=agency, year=2021, overview="第一份。"),
        "same_b.txt": dict(agency=agency, year=2021, overview="第二份，另一个机关。"),
        "y2019.txt": dict(agency=agency, year=2019, applications=FORWARD),
        "y2020.txt": dict(agency=agency, year=2020),
        "y2022.txt": dict(agency=agency, year=2022, active=IN_FORCE),
        "y2023.txt": dict(agency=agency, year=2023, active=WRONG_IN_FORCE),
    }


def test_the_same_reports_of_one_known_agency_are_compared(tmp_path):
    """The control: with an agency that can be identified, the same files fail every rule that
    compares reports, so the test below can fail."""
    db = build_reports(tmp_path, years_of("洪泽区卫生健康局"))
    assert cross_report_failures(db) == {"carry_over_continuity", "roll_forward",
                                         "duplicate_report"}
    assert {r["agency_id"] for r in db["reports"].rows} == {"320813:卫生健康局"}


def test_failures_across_years_are_stored_with_their_reports_columns(tmp_path, monkeypatch):
    """Every failure of a rule across years is inserted with its report's agency, year, form and
    place (the columns pages filter and sort failures by), as the writer inserts the failures of
    the rules over one report: no statement updates ``failures`` afterwards. The carry-over's
    failures come one per column that differs, in the form's order."""
    from loaders.derived import failures

    statements: list[str] = []
    write = failures.write

    def traced(db, agencies=None):
        db.conn.set_trace_callback(statements.append)
        try:
            return write(db, agencies)
        finally:
            db.conn.set_trace_callback(None)
    monkeypatch.setattr(failures, "write", traced)
    db = build_reports(tmp_path, years_of("洪泽区卫生健康局"))
    assert statements and not [s for s in statements if "UPDATE failures" in s]
    reports = {r["id"]: r for r in db["reports"].rows}
    rows = list(db.query(
        "select * from failures where rule in "
        "('carry_over_continuity', 'roll_forward', 'duplicate_report') order by id"))
    assert {r["rule"] for r in rows} == {"carry_over_continuity", "roll_forward",
                                         "duplicate_report"}
    for row in rows:
        report = reports[row["report_id"]]
        assert (row["agency"], row["year"], row["template"], row["province"], row["city"]) == \
            (report["agency"], report["year"], report["template"], report["province"],
             report["city"])
        assert row["agency"] == "洪泽区卫生健康局" and row["province"] == "江苏省"
    # 2019 carried 3 forward (自然人 and 总计), 2020 carried over 0 in every column
    carry = [(reports[r["report_id"]]["year"], r["column_key"], r["expected"], r["actual"])
             for r in rows if r["rule"] == "carry_over_continuity"]
    assert carry == [(2020, "natural_person", "3", "0"), (2020, "total", "3", "0")]


@pytest.mark.parametrize("agency", ["区卫生健康局", "鼓楼区卫生健康局"],
                         ids=["no place", "a place several divisions share"])
def test_two_unknown_agencies_are_never_one_agency(tmp_path, agency):
    db = build_reports(tmp_path, years_of(agency))
    assert cross_report_failures(db) == set()
    assert {r["agency_id"] for r in db["reports"].rows} == {None}
    assert db["agencies"].count == 0  # and so no agency facet counts them
    issues = {r["report_id"] for r in db.query(
        "select report_id from parse_issues where code = 'agency_unidentified'")}
    assert issues == {r["id"] for r in db["reports"].rows}


def test_agency_history_leaves_unknown_agencies_out(tmp_path):
    reports = years_of("区卫生健康局")
    reports["known.txt"] = dict(agency="洪泽区卫生健康局", year=2021)
    db = build_reports(tmp_path, reports)
    sql = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))[
        "databases"]["ogi"]["queries"]["agency_history"]["sql"]
    conn = sqlite3.connect(tmp_path / "ogi.db")
    rows = conn.execute(sql, {"agency": "卫生健康局"}).fetchall()
    assert [r[:3] for r in rows] == [("320813:卫生健康局", "洪泽区卫生健康局", 2021)]


def test_an_agency_id_is_never_shared_by_different_agencies(seeds_db, tmp_path):
    mixed = {f"{n}_{y}.txt": dict(agency=a, year=y) for n, a in enumerate(
        ["区卫生健康局", "县卫生健康局", "鼓楼区卫生健康局", "测试县卫生健康局", "测试县教育局",
         "洪泽区卫生健康局", "淮安市洪泽区卫生健康局"]) for y in (2020, 2021)}
    for db in (seeds_db, build_reports(tmp_path, mixed)):
        names: dict[str, set[str]] = {}
        for r in db.query("select agency_id, agency from reports where agency_id is not null"):
            names.setdefault(r["agency_id"], set()).add(r["agency"])
        for agency_id, written in names.items():
            assert all(same_agency(a, b) for a in written for b in written), (agency_id, written)
    assert names["320813:卫生健康局"] == {"洪泽区卫生健康局", "淮安市洪泽区卫生健康局"}


# --- dates ------------------------------------------------------------------------------------

def test_an_impossible_date_never_fails_a_report(tmp_path):
    db = build_reports(tmp_path, {"a.txt": dict(agency="洪泽区卫生健康局", year=2020,
                                                published_on="2021年2月30日")})
    [row] = db.query("select id, published_on, status from reports")
    assert row["published_on"] is None
    assert [r["raw_text"] for r in db.query(
        "select raw_text from parse_issues where code = 'invalid_date'")] == ["2021年2月30日"]


# --- where it was published: sources.csv ------------------------------------------------------

MANIFEST = """file,url,published_by,fetched_on
a.txt,https://www.hongze.gov.cn/zwgk/2021/a.html,洪泽区人民政府,2022-02-01
gone.txt,https://example.gov.cn/gone.html,某网站,2022-02-01
b.txt,javascript:alert(1),某网站,2022-02-01
c.txt,http://www.hongze.gov.cn/c.pdf,,2022-02-30
a.txt,https://www.hongze.gov.cn/again.html,,
"""


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    folder = tmp_path_factory.mktemp("published")
    reports = folder / "reports"
    for name, year in (("a.txt", 2021), ("b.txt", 2020), ("c.txt", 2019), ("d.txt", 2022)):
        write_report(reports, name, agency="洪泽区卫生健康局", year=year)
    (reports / "sources.csv").write_text(MANIFEST, encoding="utf-8")
    result = build([reports], folder / "ogi.db", overrides=None)
    return folder, result, sqlite_utils.Database(folder / "ogi.db")


def test_a_manifest_gives_each_report_where_it_was_published(published):
    _, result, db = published
    rows = {r["source_file"]: (r["source_url"], r["source_published_by"], r["source_fetched_on"])
            for r in db["reports"].rows}
    assert "sources.csv" not in rows and result.failed == 0 and not result.bugs  # the manifest is not a report
    assert rows == {
        "a.txt": ("https://www.hongze.gov.cn/zwgk/2021/a.html", "洪泽区人民政府", "2022-02-01"),
        "b.txt": (None, None, None),  # its URL is not http(s): row ignored
        "c.txt": ("http://www.hongze.gov.cn/c.pdf", None, None),  # 2月30日 is no date
        "d.txt": (None, None, None),  # not in the manifest
    }
    assert result.sources == 2


def test_bad_manifest_rows_are_in_the_summary_never_fatal(published):
    _, result, _ = published
    problems = "\n".join(result.source_problems)
    assert len(result.source_problems) == 4, problems
    for said in ("line 3: gone.txt is not among the reports", "line 4: 'javascript:alert(1)' is "
                 "not an http(s) URL", "line 5: fetched_on '2022-02-30' is not a date",
                 "line 6: a.txt is listed twice"):
        assert said in problems


def test_a_folders_manifest_names_only_the_files_under_it(tmp_path):
    """``ogi build 2021 2022``, each with an ``x.txt``: 2022's sources.csv gives its URL to its
    own x.txt (recorded as ``…/2022/x.txt``), never to 2021's; a file only 2021 holds is not
    among 2022's."""
    a, b = tmp_path / "2021", tmp_path / "2022"
    write_report(a, "x.txt", agency="洪泽区卫生健康局", year=2021)
    write_report(a, "y.txt", agency="洪泽区卫生健康局", year=2019)
    write_report(b, "x.txt", agency="洪泽区卫生健康局", year=2022)
    (b / "sources.csv").write_text("file,url,published_by,fetched_on\n"
                                   "x.txt,https://e.gov.cn/2022.html,,\n"
                                   "y.txt,https://e.gov.cn/y.html,,\n", encoding="utf-8")
    result = build([a, b], tmp_path / "ogi.db", overrides=None)
    db = sqlite_utils.Database(tmp_path / "ogi.db")
    assert {r["year"]: (r["source_file"], r["source_url"]) for r in db["reports"].rows} == {
        2021: ("x.txt", None), 2019: ("y.txt", None),
        2022: ((b / "x.txt").as_posix(), "https://e.gov.cn/2022.html")}
    assert result.sources == 1
    assert [p for p in result.source_problems if "y.txt is not among the reports" in p]


def test_the_command_line_prints_the_manifest_summary(published, tmp_path):
    folder, _, _ = published
    out = CliRunner().invoke(cli, ["build", str(folder / "reports"), "--db",
                                   str(tmp_path / "x.db"), "--silent", "--overrides", "none.csv"])
    assert out.exit_code == 0, out.output
    assert "sources: 2 reports with where it was published · 4 manifest rows not used in full" \
        in out.output
    assert "sources: sources.csv line 3: gone.txt is not among the reports" in out.output


def test_the_snapshot_manifest_carries_the_url(published, tmp_path):
    import datetime as dt

    folder, _, _ = published
    _, manifest_path = snapshot(folder / "ogi.db", tmp_path, dt.date(2026, 1, 1))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    by_file = {s["file"]: s for s in manifest["sources"]}
    assert by_file["a.txt"]["url"] == "https://www.hongze.gov.cn/zwgk/2021/a.html"
    assert by_file["a.txt"]["published_by"] == "洪泽区人民政府"
    assert by_file["d.txt"]["url"] is None


def test_the_report_page_and_the_api_show_the_url(published):
    from site_client import Client, datasette

    folder, _, db = published
    client = Client(datasette(folder / "ogi.db", sources=folder / "reports"))
    [a] = db.query("select id from reports where source_file = 'a.txt'")
    page = client.get(f"/ogi/reports/{a['id']}")
    assert 'href="https://www.hongze.gov.cn/zwgk/2021/a.html"' in page
    [d] = db.query("select id from reports where source_file = 'd.txt'")
    assert "Published at 原文" not in client.get(f"/ogi/reports/{d['id']}")
    [row] = client.get(f"/ogi/reports.json?_shape=array&id={a['id']}")
    assert row["source_url"] == "https://www.hongze.gov.cn/zwgk/2021/a.html"


# --- the places of the samples of tests/samples/metadata ------------------------------------------

SAMPLES = Path(__file__).resolve().parent / "samples" / "metadata"


@pytest.mark.parametrize("sample, status, adcode, agency_id", [
    ("zone_not_a_division.txt", "zone", "210200", "210200:金普新区卫生健康局"),
    ("title_split_over_spans.html", "zone", "350128", "350128:平潭综合实验区管理委员会"),
    ("misprinted_county.txt", "misprint", "321322", "321322:发展和改革局"),
    ("author_sentence.txt", "resolved", "320813", "320813:人民政府"),
    ("unknown_agency.txt", "not_found", None, None),
])
def test_the_samples_resolve_to_their_place(sample, status, adcode, agency_id):
    identity = load_report(SAMPLES / sample).identity
    assert (identity.place.status, identity.place.adcode, identity.id) == (status, adcode, agency_id)
