"""The web page reader's walks in C (loaders/readers/_html_c.pyx) against its Python walks and
lxml's parse under both, on the generated corpus' Word-made pages, in one process.

    PYTHONPATH=. python benchmarks/html_compiled.py [--corpus build/bench/corpus-10000] [--pages 100]

For ``pages`` pages evenly spread over the corpus' ``*_word_html.html`` (deterministic), each
page is read in turn (``html_page.read``) with the compiled walks, with ``OGI_PURE_PYTHON=1``,
and parsed alone (the reader's lxml parse of the same bytes), ``repeat`` times, alternating (the
machine's speed drifts: only times taken side by side are compared). CPU time
(``time.process_time``): each page's median, then the median over the pages, and the per-page
ratios' median.
"""

from __future__ import annotations

import argparse
import glob
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from lxml import etree

    from loaders.model import Source
    from loaders.readers import html_page

    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "build/bench/corpus-10000"))
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    if html_page._html_c is None:
        sys.exit("loaders/readers/_html_c is not built")
    found = sorted(glob.glob(f"{args.corpus}/reports/*/*_word_html.html"))
    files = found[::max(1, len(found) // args.pages)][:args.pages]
    pages = [(Path(f), Path(f).read_bytes()) for f in files]
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")

    def compiled(path, data):
        os.environ.pop("OGI_PURE_PYTHON", None)
        html_page.read(Source(path, data))

    def python(path, data):
        os.environ["OGI_PURE_PYTHON"] = "1"
        html_page.read(Source(path, data))

    def parse(path, data):
        etree.fromstring(data, parser)

    kinds = {"compiled": compiled, "python": python, "parse": parse}
    per_page = {k: [] for k in kinds}
    for path, data in pages:
        times = {k: [] for k in kinds}
        for _ in range(args.repeat):
            for name, run in kinds.items():
                t = time.process_time()
                run(path, data)
                times[name].append(time.process_time() - t)
        for name in kinds:
            per_page[name].append(statistics.median(times[name]) * 1000)
    os.environ.pop("OGI_PURE_PYTHON", None)
    size = statistics.median(len(d) for _, d in pages) / 1024
    print(f"{len(pages)} Word-made pages (median {size:.0f} KB), {args.repeat} runs each, "
          f"CPU ms a page, median over pages:")
    for name in kinds:
        print(f"  {name:9} {statistics.median(per_page[name]):.2f}")
    for a, b in (("compiled", "python"), ("compiled", "parse"), ("python", "parse")):
        ratios = [x / y for x, y in zip(per_page[a], per_page[b])]
        q = statistics.quantiles(ratios, n=10)
        print(f"  {a}/{b}: median {statistics.median(ratios):.2f} (p10-p90 {q[0]:.2f}-{q[-1]:.2f})")


if __name__ == "__main__":
    main()
