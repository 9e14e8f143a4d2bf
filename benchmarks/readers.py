"""Each reader against its floor, on a sample of the generated corpus, in the same process.

    python benchmarks/readers.py build/bench/corpus-1000 [--per-format 40]

For every format of the corpus (manifest.jsonl), a sample of files (the first ``per_format`` of
the format, in file order: deterministic): CPU milliseconds per report (time.process_time, the
median over the sample) of

- the reader: ``loaders.readers.read`` of the file's bytes, read beforehand as the floor's are
  (bytes -> Document; until 2026-12-04 the file's reading was timed with the reader and not
  with the floor: 0.08 ms of a web page's 2.4);
- the whole ``load_report`` (the file read, mapped, identified);
- the floor, the least any reader of the format must do:
  HTML: the fastest of ``lxml.html.fromstring`` and ``selectolax.lexbor.LexborHTMLParser`` on the
  bytes; PDF: pypdfium2 extracting each page's text, character boxes and path objects; Word:
  unzipping and parsing word/document.xml (lxml); text: decoding and splitting lines.

``floor`` names the floor; ``times_floor`` is the reader's median over the floor's
(the target: at most 2), to two decimals (to one, 2.03 passed as 2.0).

``python_ms_per_report_median`` is the same reader with its compiled loops turned off
(``OGI_PURE_PYTHON=1``: the Python code they mirror), where the format has any
(``loaders/readers/_compiled.py``); ``compiled`` names those the process ran.

``bound_ms_per_report_median`` is the floor plus making the reader's output, the same
``Document`` of ``Cell``, ``Grid`` and ``Paragraph`` objects (from their values, prepared
beforehand: none of the reading counted), and ``times_floor_bound`` its median over the floor's:
what a reader could take if finding every cell and line cost nothing. Where it exceeds 2, no
reader that returns the document's cells with their lines can meet the target (the text
layouts: building the objects alone takes 4.7-10x decoding and splitting the lines).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cpu_ms(fn, repeat: int = 1) -> float:
    best = None
    for _ in range(repeat):
        started = time.process_time()
        fn()
        took = 1000 * (time.process_time() - started)
        best = took if best is None else min(best, took)
    return best


def floor_html(data: bytes) -> None:
    import lxml.html

    lxml.html.fromstring(data)


def floor_html_lexbor(data: bytes) -> None:
    from selectolax.lexbor import LexborHTMLParser

    LexborHTMLParser(data)


def floor_pdf(data: bytes) -> int:
    """pypdfium2 reading every page's text, character boxes and path objects (with their bounds,
    which a reader needs for the ruling lines); the number of characters."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(data)
    chars = 0
    try:
        for page in pdf:
            text = page.get_textpage()
            text.get_text_range()
            count = text.count_chars()
            for k in range(count):
                text.get_charbox(k)
            for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH,)):
                obj.get_bounds()
            chars += count
            text.close()
            page.close()
    finally:
        pdf.close()
    return chars


def floor_docx(data: bytes) -> None:
    import io

    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        etree.fromstring(z.read("word/document.xml"))


def floor_text(data: bytes, encoding: str = "utf-8") -> None:
    data.decode(encoding).split("\n")


def _output_of(document):
    """A function that makes the document's blocks again from their values (the least work of
    returning them), with those values taken out beforehand."""
    from loaders.model import Cell, Grid, Paragraph

    plan = []
    for block in document.blocks:
        if isinstance(block, Grid):
            plan.append([[(c.text, c.line, c.line_end, c.span, c.x0, c.x1, c.joined)
                          for c in row] for row in block.rows])
        else:
            plan.append((block.text, block.line))

    def output() -> list:  # (a grid's index is set by Document, not counted here)
        return [Grid([[Cell(*c) for c in row] for row in item]) if isinstance(item, list)
                else Paragraph(*item) for item in plan]

    return output


def floor_of(suffix: str):
    """(name, [functions]) of the floor for a file suffix; the fastest function counts."""
    if suffix in ("html", "htm"):
        return "min(lxml.html.fromstring, selectolax lexbor) parse", [floor_html, floor_html_lexbor]
    if suffix == "pdf":
        return "pypdfium2 text, char boxes and path objects of every page", [floor_pdf]
    if suffix == "docx":
        return "unzip and lxml-parse word/document.xml", [floor_docx]
    return "decode and split lines", [floor_text]


def measure(folder: Path, per_format: int = 40) -> dict:
    from loaders.model import Source
    from loaders.pipeline import load_report
    from loaders.readers import _compiled, read

    by_format: dict[str, list[Path]] = {}
    for line in open(folder / "manifest.jsonl", encoding="utf-8"):
        row = json.loads(line)
        files = by_format.setdefault(row["format"], [])
        if len(files) < per_format:
            files.append(folder / "reports" / row["file"])
    out = {}
    for fmt, files in sorted(by_format.items()):
        suffix = files[0].suffix.lstrip(".")
        name, floors = floor_of(suffix)
        compiled = [loop for loop in _compiled.in_use() if loop.split("_")[0] == suffix]
        reader, python, loader, floor, bound = [], [], [], [], []
        for path in files:
            data = path.read_bytes()
            # The reader and the floor start from the same bytes in memory; reading the file
            # (0.08 ms for a corpus web page) is counted in neither, and in the whole load.
            output = _output_of(read(Source(path, data)))  # also warms: imports, caches
            reader.append(_cpu_ms(lambda: read(Source(path, data)), 2))
            if compiled:
                os.environ["OGI_PURE_PYTHON"] = "1"
                try:
                    python.append(_cpu_ms(lambda: read(Source(path, data)), 2))
                finally:
                    del os.environ["OGI_PURE_PYTHON"]
            loader.append(_cpu_ms(lambda: load_report(path)))
            floor.append(min(_cpu_ms(lambda f=f: f(data), 2) for f in floors))
            bound.append(floor[-1] + _cpu_ms(output, 2))
        r, f, b = statistics.median(reader), statistics.median(floor), statistics.median(bound)
        out[fmt] = {"files": len(files), "ms_per_report_median": round(r, 2),
                    "floor_ms_per_report_median": round(f, 2),
                    "floor": name, "times_floor": round(r / f, 2) if f > 0 else None,
                    "bound_ms_per_report_median": round(b, 3),
                    "times_floor_bound": round(b / f, 1) if f > 0 else None,
                    "load_ms_per_report_median": round(statistics.median(loader), 2)}
        if python:
            out[fmt]["compiled"] = compiled
            out[fmt]["python_ms_per_report_median"] = round(statistics.median(python), 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--per-format", type=int, default=40)
    args = parser.parse_args()
    print(json.dumps(measure(args.folder, args.per_format), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
