"""The readers against their floors (issue 17): how far each reader is from the parser under it.

    python benchmarks/readers_floor.py [--repeat 15] [--json out.json]

For each format, the median CPU time (``time.process_time``) per report of

- the reader: the file's bytes to a ``Document`` (``loaders.readers.read``, claims included);
- its floor: what no reader of the format can avoid doing —
  HTML: parsing the bytes, the faster of lxml (``lxml.html.fromstring``)
  and lexbor (``selectolax.lexbor.LexborHTMLParser``);
  Word: unzipping ``word/document.xml`` and parsing it (``zipfile`` + ``lxml.etree.fromstring``);
  text (word_cells, tab_rows, pipe_tables, run_text, layout_text, plain_text): decoding the bytes
  (with the encoding the reader found) and splitting the lines;
- the whole load: the bytes to a ``Report`` (``pipeline.source_to_report``: reader, sections,
  metadata, tables, identity);

and the ratios reader/floor and load/floor. Each file is run ``repeat`` times and its median
taken; a format's figure is the median over its files. CPU time, not wall time, and the floor
measured in the same run: the machine is shared, and both suffer its load alike.

Default inputs: the HTML, Word and text files of reports/, tests/samples/ and
tests/fixtures/speed/ (Word files LibreOffice made of the seeds and of the real page), grouped by
the reader that claims them. ``measure`` is what benchmarks/bench.py calls.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loaders import readers  # noqa: E402
# The floors, defined once for the bench and these scripts (benchmarks/readers.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))
import readers as floors  # noqa: E402  (benchmarks/readers.py, not loaders.readers)
from loaders.model import LoadError, Source  # noqa: E402
from loaders.pipeline import source_to_report  # noqa: E402

TEXT_LAYOUTS = ("word_cells", "tab_rows", "pipe_tables", "run_text", "layout_text", "plain_text")
FORMATS = ("html", "docx", *TEXT_LAYOUTS)
# The reader module of each format; a text layout is its own reader.
_READER = {"html": "html_page", "docx": "docx_file", **{t: t for t in TEXT_LAYOUTS}}


def _cpu_ms(fn, repeat: int) -> float:
    """Median CPU milliseconds of ``fn()`` over ``repeat`` runs, after one run to warm up."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def _html_floor(data: bytes, repeat: int) -> tuple[float, str]:
    lxml_ms = _cpu_ms(lambda: floors.floor_html(data), repeat)
    lexbor_ms = _cpu_ms(lambda: floors.floor_html_lexbor(data), repeat)
    return (lxml_ms, "lxml") if lxml_ms <= lexbor_ms else (lexbor_ms, "lexbor")


def _docx_floor(data: bytes, repeat: int) -> tuple[float, str]:
    return _cpu_ms(lambda: floors.floor_docx(data), repeat), "zipfile+lxml"


def _text_floor(data: bytes, encoding: str, repeat: int) -> tuple[float, str]:
    return _cpu_ms(lambda: floors.floor_text(data, encoding), repeat), "decode+split"


def _floor(fmt: str, source: Source, repeat: int) -> tuple[float, str]:
    if fmt == "html":
        return _html_floor(source.data, repeat)
    if fmt == "docx":
        return _docx_floor(source.data, repeat)
    from loaders.readers._text import decode

    encoding = decode(Source(source.path, source.data))[1]
    return _text_floor(source.data, encoding, repeat)


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def measure(paths_by_format: dict[str, list[Path]], repeat: int = 15,
            by_file: dict | None = None) -> dict[str, dict]:
    """Per format: ``files``, ``ms_per_report_median`` (the reader), ``floor_ms_per_report_median``,
    ``floor`` (what the floor is), ``load_ms_per_report_median`` (the whole load), and the ratios
    ``reader_over_floor`` and ``load_over_floor`` (medians of the per-file ratios). With
    ``by_file``, each file's (reader, floor, load) milliseconds are put there too."""
    out: dict[str, dict] = {}
    for fmt, paths in paths_by_format.items():
        reader_ms, floor_ms, load_ms, ratios, load_ratios, floors = [], [], [], [], [], set()
        for path in paths:
            data = Path(path).read_bytes()

            def fresh():
                return Source(Path(path), data)  # nothing cached between runs
            try:
                readers.read(fresh())
            except LoadError:
                continue
            r = _cpu_ms(lambda: readers.read(fresh()), repeat)
            f, name = _floor(fmt, fresh(), repeat)
            ld = _cpu_ms(lambda: source_to_report(fresh()), max(3, repeat // 3))
            reader_ms.append(r)
            floor_ms.append(f)
            load_ms.append(ld)
            ratios.append(r / f if f else 0.0)
            load_ratios.append(ld / f if f else 0.0)
            floors.add(name)
            if by_file is not None:
                by_file[str(path)] = (fmt, r, f, ld)
        out[fmt] = {
            "files": len(reader_ms),
            "ms_per_report_median": _median(reader_ms),
            "floor_ms_per_report_median": _median(floor_ms),
            "floor": "/".join(sorted(floors)) or None,
            "load_ms_per_report_median": _median(load_ms),
            "reader_over_floor": _median(ratios),
            "reader_over_floor_max": round(max(ratios), 2) if ratios else None,
            "load_over_floor": _median(load_ratios),
        }
    return out


def default_paths() -> dict[str, list[Path]]:
    """The HTML, Word and text files of reports/, tests/samples/ and tests/fixtures/speed/, by
    the reader that claims each."""
    pools = [ROOT / "reports", ROOT / "tests" / "samples", ROOT / "tests" / "fixtures" / "speed"]
    by_format: dict[str, list[Path]] = {fmt: [] for fmt in FORMATS}
    reader_format = {v: k for k, v in _READER.items()}
    for pool in pools:
        for path in sorted(pool.rglob("*")):
            if not path.is_file() or path.suffix.lower() in (".json", ".pdf"):
                continue
            claiming = readers.readers_claiming(Source.from_path(path))
            if len(claiming) == 1 and claiming[0].NAME in reader_format:
                by_format[reader_format[claiming[0].NAME]].append(path)
    return by_format


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--by-file", action="store_true", help="print each file's times too")
    args = parser.parse_args()
    by_file: dict = {}
    results = measure(default_paths(), repeat=args.repeat, by_file=by_file)
    if args.by_file:
        for path, (fmt, r, f, ld) in by_file.items():
            print(f"{fmt:<12}{r:>8.2f}{f:>8.2f}{r / f if f else 0:>8.1f}{ld:>9.2f}  "
                  f"{Path(path).relative_to(ROOT) if Path(path).is_relative_to(ROOT) else path}")
    print(f"{'format':<12}{'files':>6}{'reader ms':>11}{'floor ms':>10}{'floor':>14}"
          f"{'reader/floor':>14}{'(max)':>7}{'load ms':>10}{'load/floor':>12}")
    for fmt, r in results.items():
        if not r["files"]:
            print(f"{fmt:<12}{0:>6}")
            continue
        print(f"{fmt:<12}{r['files']:>6}{r['ms_per_report_median']:>11.2f}"
              f"{r['floor_ms_per_report_median']:>10.2f}{r['floor']:>14}"
              f"{r['reader_over_floor']:>14.2f}{r['reader_over_floor_max']:>7.1f}"
              f"{r['load_ms_per_report_median']:>10.2f}{r['load_over_floor']:>12.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
