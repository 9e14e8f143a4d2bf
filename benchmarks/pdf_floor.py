"""The PDF reader against pdfium's floor: median CPU milliseconds per file.

    python benchmarks/pdf_floor.py [--repeat 7] [--out build/pdf_floor] [PDF ...]

For each PDF (by default, report-size PDFs LibreOffice prints here from web pages: seeds written
as HTML with their prose repeated to four to eight pages, and reports/shuyang_fgj_2023.html; each
embeds its subset of a CJK font, as real report PDFs do):

- floor: pypdfium2 extracting the text, the character boxes and the path objects of every page
  (``get_text_range``, ``get_charbox`` of each char, ``get_objects`` of paths and their bounds):
  what any reader on pdfium pays before it knows a table from a paragraph;
- reader: ``pdf_file.read`` (pypdfium2, the file to a ``Document``);
- pdfplumber: ``pdf_file.read(backend="pdfplumber")``, the fallback, which parses the file as the
  reader did before pypdfium2 (pdfminer);

and the reader's ratio to the floor. CPU time (``time.process_time``) of this process, measured
in turns (floor, reader, pdfplumber, again), so that a busy machine weighs on all three alike.
Needs ``soffice`` (LibreOffice) to print the default PDFs; kept in ``--out`` and reused.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders import writers  # noqa: E402
from loaders.model import Paragraph, Source  # noqa: E402
from loaders.readers import pdf_file, read  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from readers import floor_pdf as floor  # noqa: E402  (benchmarks/readers.py: the bench's floor)

# (seed, layout of its tables, times its prose is repeated)
SEEDS = [("003_ebe99ea40a3f8069", "label_spans_three_columns", 3),
         ("000_d41b7d34cb4232dc", "spacer_column", 4),
         ("004_82a9170de9e2b25c", None, 4),
         ("001_53e0ee0f0d02d1f7", "header_span_offset", 5)]


def long_html(seed: str, layout: str | None, times: int) -> str:
    """The seed as a web page, each paragraph of prose said ``times`` times: a report of the
    length of a real one (their prose runs to pages; the seeds' is a summary)."""
    document = read(Source.from_path(ROOT / "reports" / f"{seed}.txt"))
    blocks = []
    for block in document.blocks:
        if isinstance(block, Paragraph) and len(block.text) > 40:
            blocks.extend([block] * times)
        else:
            blocks.append(block)
    document.blocks = blocks
    return writers.to_html(document, layout=layout)


def printed(out: Path) -> list[Path]:
    """The default PDFs, printed by LibreOffice (once; reused while they are there)."""
    out.mkdir(parents=True, exist_ok=True)
    pages = {f"{seed[:3]}_{layout or 'plain'}_x{times}": long_html(seed, layout, times)
             for seed, layout, times in SEEDS}
    pages["shuyang_fgj_2023"] = (ROOT / "reports" / "shuyang_fgj_2023.html").read_text(
        encoding="utf-8")
    missing = [name for name in pages if not (out / f"{name}.pdf").exists()]
    if missing:
        with tempfile.TemporaryDirectory() as tmp:
            for name in missing:
                (Path(tmp) / f"{name}.html").write_text(pages[name], encoding="utf-8")
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out)]
                           + [str(Path(tmp) / f"{name}.html") for name in missing],
                           check=True, capture_output=True,
                           env={"HOME": tmp, "PATH": "/usr/bin:/bin"})
    return [out / f"{name}.pdf" for name in pages]


def cpu_ms(step) -> float:
    start = time.process_time()
    step()
    return (time.process_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "pdf_floor")
    args = parser.parse_args()
    paths = args.pdfs or printed(args.out)
    print(f"{'file':38} {'KB':>5} {'pages':>5} {'chars':>6} {'floor':>7} {'reader':>7} "
          f"{'pdfplumber':>10} {'reader/floor':>12}")
    ratios = []
    for path in paths:
        data = path.read_bytes()
        source = Source.from_path(path)
        times: dict[str, list[float]] = {"floor": [], "reader": [], "pdfplumber": []}
        chars = floor(data)
        pdf_file.read(source)  # once, so that imports and pdfium's start are not counted
        for _ in range(args.repeat):
            times["floor"].append(cpu_ms(lambda: floor(data)))
            times["reader"].append(cpu_ms(lambda: pdf_file.read(source)))
            if len(times["pdfplumber"]) < 3:
                times["pdfplumber"].append(cpu_ms(lambda: pdf_file.read(source, "pdfplumber")))
        med = {k: statistics.median(v) for k, v in times.items()}
        pages = len(pdf_file.geometry(data))
        ratio = med["reader"] / med["floor"]
        ratios.append(ratio)
        print(f"{path.name[:38]:38} {len(data) // 1024:5} {pages:5} {chars:6} "
              f"{med['floor']:7.1f} {med['reader']:7.1f} {med['pdfplumber']:10.1f} "
              f"{ratio:12.2f}")
    print(f"median ratio reader/floor: {statistics.median(ratios):.2f} "
          f"(max {max(ratios):.2f}); CPU ms, median of {args.repeat} turns "
          f"(pdfplumber: of 3)")


if __name__ == "__main__":
    main()
