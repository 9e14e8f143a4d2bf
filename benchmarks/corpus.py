"""Generate a corpus of N report files for the benchmarks, by varying the real reports in reports/.

    python benchmarks/corpus.py --n 10000 --out build/bench/corpus-10000 [--seed 1] [--jobs 2]

Each generated report is one of the real documents of reports/ (both templates, every quirk
they carry; not the four crawled pingtan_* texts, whose tables are runs of digits, not cells)
with:

- another agency: a current county or prefecture from loaders/data/divisions.csv and a function
  (卫生健康局, 教育局, 人民政府办公室, ...); each agency reports for a run of consecutive years, so the
  cross-year rules have series to compare;
- another year, in its template's range (2019-2020 for the 2019 format, 2021-2025 for 2021); a
  few are given the other template's years on purpose (rule template_year);
- its numbers multiplied by a whole factor, which keeps every sum of the document as it was;
  then some reports are broken on purpose: a number of section 三 raised (the sums no longer
  hold), or blanked (blank is not zero);
- a few without their tables (prose only);
- written as agencies publish it (``FORMATS``: the default mix and why): a web page of Word's
  markup inside the chrome of a real site's page (reports/shuyang_fgj_2023.html), 35-330 KB; a
  PDF printed on A4 with embedded CJK font subsets, tables over page breaks and a seal scan,
  4-8 pages, 170-410 KB; a Word file as Word writes it; a crawler's text of the page (run_text)
  and pdftotext -layout text (layout_text); Word-export text, PDF-copy text (tab rows) and
  markdown pipe tables. The run_text and layout_text files are made only from documents whose
  tables are the form's row by row, and run_text only from documents without blank cells in
  section 三 (a crawl loses a blank cell: the file would not say the number any more).

The output is a folder ``reports/`` of files and ``manifest.jsonl`` beside it: one line per file
with what was made (agency, year, template, format, factor, what was broken, and the expected 总计 of 本年新收), so
a benchmark can check that the build read what the generator wrote, and the file's bytes. The
same seed and N give the same bytes, whatever --jobs; a corpus of N is the first N files of a
larger one (``--start`` writes only the files after the first N: reports added later).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders import writers  # noqa: E402
from loaders.writers import crawled_text, printed_pdf, word_docx, word_html  # noqa: E402
from loaders.writers.layout import grid_layout  # noqa: E402
from loaders.model import Cell, Document, Grid, Paragraph  # noqa: E402
from loaders.pipeline import load_report  # noqa: E402
from loaders.form.headings import match_heading  # noqa: E402

# format -> (suffix, writer, share of the corpus in the default mix). The default mix is what
# agencies publish and what arrives from elsewhere: most reports are web pages made from Word
# (word_html, 45), many a printed PDF attached to the page (printed_pdf, 20), some a Word file
# (word_docx, 8); text comes from other pipelines: a crawler's text of the page (run_text, 7),
# pdftotext -layout of the PDF (layout_text, 5), Word's and PDF-copy text and markdown (word_cells,
# tab_rows, pipe_tables: 15 together). The plain writers of the cross-format tests (html, docx,
# pdf: small files with a bare page, python-docx's defaults, reportlab's built-in font) stay
# available with --mix, out of the default.
FORMATS = {
    "word_html": ("html", "word_html", 45),
    "printed_pdf": ("pdf", "printed_pdf", 20),
    "word_docx": ("docx", "word_docx", 8),
    "run_text": ("txt", "run_text", 7),
    "layout_text": ("txt", "layout_text", 5),
    "word_cells": ("txt", writers.to_word_cells, 8),
    "tab_rows": ("txt", writers.to_tab_rows, 4),
    "pipe_tables": ("md", writers.to_pipe_tables, 3),
    "html": ("html", writers.to_html, 0),
    "docx": ("docx", writers.to_docx, 0),
    "pdf": ("pdf", writers.to_pdf, 0),
}
CHROME_PAGE = ROOT / "reports" / "shuyang_fgj_2023.html"
CHROME_NAMES = ("沭阳县发展和改革局2023年政府信息公开年度报告", "沭阳县发展和改革局", "沭阳县发改局")
FUNCTIONS = ("人民政府办公室", "卫生健康局", "教育局", "财政局", "公安局", "民政局", "自然资源局",
             "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局", "水利局", "市场监督管理局",
             "人力资源和社会保障局", "发展和改革局", "司法局", "应急管理局", "文化和旅游局",
             "退役军人事务局", "医疗保障局", "统计局", "审计局", "商务局", "林业局")
FACTORS = (1, 1, 1, 2, 3, 4, 7, 10)
BROKEN_SHARE = 0.12  # a number of section 三 off by a few
BLANKED_SHARE = 0.05  # a number of section 三 left blank
WRONG_TEMPLATE_SHARE = 0.02
PROSE_ONLY_SHARE = 0.01
_INTEGER = re.compile(r"^(\s*)([+\-]?)(\d+)(\s*)$")


@dataclass
class Base:
    name: str
    agency: str
    year: int
    template: str
    document: Document
    agency_names: tuple[str, ...] = ()  # every way the text names the agency, longest first
    blank_values: bool = False  # section 三 has blank cells: a crawl would lose them
    drawable: bool = True  # every table is the form's, row by row (layout.grid_layout)


def load_bases(folder: Path) -> list[Base]:
    bases = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith((".", "README")):
            report = load_report(path)
            joined = any(c.joined for g in report.document.grids for row in g.rows for c in row)
            if report.template and report.agency and report.year and not joined:
                # A crawl's runs (5000005) are no cells: those documents cannot be drawn as
                # tables nor scaled, their numbers not being apart; their layout is written
                # from the other documents (run_text).
                identity = report.identity
                names = {report.agency, identity.name if identity else None,
                         identity.name_as_written if identity else None}
                place = identity.place if identity else None
                for above in (place.prefecture, place.province) if place else ():
                    if above is not None:  # 宁波市鄞州区卫生健康局, 浙江省宁波市…
                        names |= {above.name + n for n in list(names) if n}
                cells = _application_cells(report.document, blanks=True)
                bases.append(Base(path.name, report.agency, report.year, report.template,
                                  report.document,
                                  tuple(sorted(filter(None, names), key=len, reverse=True)),
                                  any(not c.text.strip(" \t\n\u00a0\u3000") for c in cells),
                                  _drawable(report.document)))
    return bases


def _drawable(document: Document) -> bool:
    """Whether every table of the document is the form's, a row a label and its values: the
    text layouts that keep no grid (run_text, layout_text) write rows as lines, and a table
    that a PDF-to-markdown conversion broke into pieces (shanghai_*.md: labels apart from
    their numbers, prose between) would pair labels with other rows' numbers."""
    for grid in document.grids:
        try:
            grid_layout(grid, "label_spans_three_columns")
        except ValueError:
            return False
    return True


def load_places(count: int, rng: random.Random) -> list[str]:
    """Full names of current counties and prefectures (宁波市鄞州区), a deterministic sample."""
    with open(ROOT / "loaders" / "data" / "divisions.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f)]
    by_code = {r["code"]: r for r in rows}
    names = []
    for r in rows:
        if r["listed_until"] or r["level"] not in ("county", "prefecture"):
            continue
        parent = by_code.get(r["parent"])
        names.append((parent["name"] if parent and parent["level"] == "prefecture" else "")
                     + r["name"])
    return [names[i] for i in rng.sample(range(len(names)), min(count, len(names)))]


def plan(n: int, seed: int) -> list[tuple[str, int]]:
    """(agency, year) for each of the n reports: agencies reporting for runs of years."""
    rng = random.Random(f"plan:{seed}")
    places = load_places(4000, rng)
    out: list[tuple[str, int]] = []
    while len(out) < n:
        agency = rng.choice(places) + rng.choice(FUNCTIONS)
        first = rng.randint(2019, 2025)
        for year in range(first, min(2025, first + rng.randint(0, 5)) + 1):
            out.append((agency, year))
    return out[:n]


def _scale(text: str, factor: int) -> str:
    m = _INTEGER.match(text)
    if not m or factor == 1:
        return text
    lead, sign, digits, trail = m.groups()
    return f"{lead}{sign}{int(digits) * factor}{trail}"


def _application_cells(document: Document, blanks: bool = False) -> list:
    """The numeric cells of the grid holding section 三's rows (the one with 总计 and 自然人);
    with ``blanks``, its blank value cells too."""
    for block in document.blocks:
        if isinstance(block, Grid):
            text = "".join(c.text for row in block.rows for c in row)
            if "自然人" in text and "申请" in text:
                return [c for row in block.rows if len(row) >= 4 for c in row[-7:]
                        if _INTEGER.match(c.text) or (blanks and any(
                            _INTEGER.match(x.text) for x in row[-7:]) and not c.text.strip(
                            " \t\n\u00a0\u3000"))]
    return []


def vary(base: Base, agency: str, year: int, rng: random.Random) -> tuple[Document, dict]:
    """A new document from a base: agency, year, numbers; what was done is returned with it."""
    factor = rng.choice(FACTORS)
    facts: dict = {"base": base.name, "factor": factor, "broken": None, "blanked": None}
    blocks = [b if isinstance(b, Paragraph) else  # new cells, the numbers scaled
              Grid([[Cell(_scale(c.text, factor), c.line, c.line_end, c.span) for c in row]
                    for row in b.rows]) for b in base.document.blocks]
    doc = Document(base.document.source, base.document.format, base.document.layout,
                   base.document.encoding, blocks)
    cells = _application_cells(doc)
    roll = rng.random()
    if cells and roll < BROKEN_SHARE:
        cell = rng.choice(cells)
        cell.text = str(int(_INTEGER.match(cell.text).group(3)) + rng.randint(1, 9))
        facts["broken"] = cell.line
    elif cells and roll < BROKEN_SHARE + BLANKED_SHARE:
        cell = rng.choice(cells)
        cell.text = ""
        facts["blanked"] = cell.line
    blocks = doc.blocks
    first = next((i for i, b in enumerate(blocks)
                  if isinstance(b, Paragraph) and match_heading(b.text)), 0)
    old_years = {base.year, base.year + 1}
    body = []
    for b in blocks[first:]:
        if isinstance(b, Paragraph):
            text = b.text
            for name in base.agency_names:  # 宁波市鄞州区卫生健康局 before 鄞州区卫生健康局
                text = text.replace(name, agency)
            for old in sorted(old_years, reverse=True):
                text = text.replace(f"{old}年", f"{year + (old - base.year)}年")
            b = Paragraph(text, b.line)
        body.append(b)
    if rng.random() < PROSE_ONLY_SHARE:
        body = [b for b in body if not isinstance(b, Grid)]
        facts["prose_only"] = True
    doc.blocks = [Paragraph(f"{agency}{year}年政府信息公开工作年度报告", 1)] + body
    return doc, facts


class Generator:
    def __init__(self, n: int, seed: int, out: Path, mix: dict[str, int]):
        self.n, self.seed, self.out, self.mix = n, seed, out, mix
        self.bases = load_bases(ROOT / "reports")
        self.by_template = {t: [b for b in self.bases if b.template == t] for t in ("2019", "2021")}
        self.plan = plan(n, seed)
        self.chrome = word_html.chrome_of(CHROME_PAGE.read_text(encoding="utf-8"))

    def _page_chrome(self, agency: str, year: int, date: str) -> tuple[str, str]:
        """The real page's chrome with this report's agency, title and date in it."""
        before, after = self.chrome
        place = next((agency[:-len(f)] for f in FUNCTIONS if agency.endswith(f)), agency)
        for old, new in zip(CHROME_NAMES, (f"{agency}{year}年政府信息公开工作年度报告", agency,
                                           agency)):
            before = before.replace(old, new)
        before = before.replace("沭阳县", place).replace("沭阳", place).replace("2024-01-17", date)
        return before, after

    def write(self, fmt: str, document: Document, path: Path, rng: random.Random,
              agency: str, year: int) -> dict:
        """Write one file; returns how it was written (for the manifest)."""
        _, write, _ = FORMATS[fmt]
        date = f"{year + 1}-01-{rng.randint(10, 31):02d}"
        how: dict = {}
        if write == "word_html":
            style = "cms" if rng.random() < 0.75 else "word_export"
            verbosity = rng.choice((0, 1, 1, 2))
            how = {"style": style, "verbosity": verbosity}
            path.write_text(word_html.to_word_html(
                document, style=style, verbosity=verbosity,
                chrome=self._page_chrome(agency, year, date)), encoding="utf-8")
        elif write == "printed_pdf":
            how = {"seal": rng.randint(1, 4)}
            printed_pdf.to_printed_pdf(document, path, seal=how["seal"])
        elif write == "word_docx":
            word_docx.to_word_docx(document, path)
        elif write == "run_text":
            how = {"cells": rng.choice(crawled_text.RUN_CELLS)}
            if how["cells"] == "joined" and any(
                    len(c.text.strip()) > 1 for c in _application_cells(document)):
                # Cells run together keep their numbers only when each is one digit (a small
                # agency's year, as the pingtan pages): 21007371004272821833 says nothing.
                how["cells"] = "mixed"
            path.write_text(crawled_text.to_run_text(
                document, cells=how["cells"], published=f"{date} {rng.randint(8, 17)}:"
                f"{rng.randint(0, 59):02d}", url=f"https://www.gov.cn/zwgk/{year + 1}01/"
                f"t{year + 1}01{rng.randint(10, 31)}_{rng.randint(10000, 99999)}.htm"),
                encoding="utf-8")
        elif write == "layout_text":
            path.write_text(crawled_text.to_layout_text(document), encoding="utf-8")
        elif fmt in ("docx", "pdf"):
            write(document, path)
        else:
            path.write_text(write(document), encoding="utf-8")
        return how

    def one(self, i: int) -> dict:
        rng = random.Random(f"report:{self.seed}:{i}")
        agency, year = self.plan[i]
        template = "2019" if year <= 2020 else "2021"
        wrong = rng.random() < WRONG_TEMPLATE_SHARE
        if wrong:
            template = "2021" if template == "2019" else "2019"
        fmt = rng.choices(list(self.mix), weights=list(self.mix.values()))[0]
        bases = self.by_template[template]
        if fmt in ("run_text", "layout_text"):  # rows as lines: documents drawn row by row
            bases = [b for b in bases if b.drawable] or bases
        if fmt == "run_text":  # a crawl loses blank cells: documents without any
            bases = [b for b in bases if not b.blank_values] or bases
        base = rng.choice(bases)
        document, facts = vary(base, agency, year, rng)
        suffix = FORMATS[fmt][0]
        name = f"{i // 1000:03d}/{i:07d}_{fmt}.{suffix}"
        path = self.out / "reports" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        how = self.write(fmt, document, path, rng, agency, year)
        return {"file": name, "agency": agency, "year": year, "template": template,
                "wrong_template": wrong, "format": fmt, **facts, **how,
                "bytes": path.stat().st_size}


_GENERATOR: Generator | None = None


def _init(n: int, seed: int, out: str, mix: dict[str, int]) -> None:
    global _GENERATOR
    _GENERATOR = Generator(n, seed, Path(out), mix)


def _chunk(indices: range) -> list[dict]:
    return [_GENERATOR.one(i) for i in indices]


def generate(n: int, out: Path, seed: int = 1, jobs: int = 1,
             mix: dict[str, int] | None = None, start: int = 0) -> dict:
    """Write the corpus and its manifest; returns counts by format and the time taken. With
    ``start``, only reports ``start`` to ``n - 1`` (the same files a corpus of ``n`` has: a
    corpus of N is the first N reports of any larger one, so that reports can be added)."""
    mix = mix or {k: v[2] for k, v in FORMATS.items() if v[2]}
    out.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    cpu = _cpu_seconds()
    chunks = [range(s, min(n, s + 500)) for s in range(start, n, 500)]
    counts: dict[str, int] = {}
    sizes: dict[str, list[int]] = {}
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as manifest:
        if jobs > 1:
            with ProcessPoolExecutor(jobs, initializer=_init,
                                     initargs=(n, seed, str(out), mix)) as pool:
                results = pool.map(_chunk, chunks)
                for rows in results:
                    _write(manifest, rows, counts, sizes)
        else:
            _init(n, seed, str(out), mix)
            for chunk in chunks:
                _write(manifest, _chunk(chunk), counts, sizes)
    seconds = time.perf_counter() - began
    cpu = _cpu_seconds() - cpu
    return {"n": n, "seed": seed, "jobs": jobs, "mix": mix, "by_format": counts,
            "median_bytes_by_format": {k: int(statistics.median(v)) for k, v in sorted(sizes.items())},
            "min_max_bytes_by_format": {k: [min(v), max(v)] for k, v in sorted(sizes.items())},
            "bytes": sum(sum(v) for v in sizes.values()),
            "seconds": round(seconds, 2), "ms_per_file": round(1000 * seconds / max(1, n - start), 2),
            "cpu_seconds": round(cpu, 2), "cpu_ms_per_file": round(1000 * cpu / max(1, n - start), 2)}


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (the generating processes)."""
    import resource

    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def _write(manifest, rows: list[dict], counts: dict[str, int], sizes: dict[str, list[int]]) -> None:
    for row in rows:
        manifest.write(json.dumps(row, ensure_ascii=False) + "\n")
        counts[row["format"]] = counts.get(row["format"], 0) + 1
        sizes.setdefault(row["format"], []).append(row["bytes"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of reports")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="processes (output is the same)")
    parser.add_argument("--mix", help="shares by format, e.g. word_html=45,printed_pdf=20,run_text=7")
    parser.add_argument("--start", type=int, default=0,
                        help="write only reports START..N-1 (those a corpus of N adds to one of START)")
    args = parser.parse_args()
    mix = None
    if args.mix:
        mix = {k: int(v) for k, v in (part.split("=") for part in args.mix.split(","))}
        unknown = set(mix) - set(FORMATS)
        if unknown:
            parser.error(f"unknown formats {sorted(unknown)}; known: {sorted(FORMATS)}")
    print(json.dumps(generate(args.n, args.out, args.seed, args.jobs, mix, args.start),
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
