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
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    from lxml import etree

    from compiled_vs_python import compare, spread
    from loaders.model import Source
    from loaders.readers import html_page

    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "build/bench/corpus-10000"))
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    if html_page._html_c is None:
        sys.exit("loaders/readers/_html_c is not built")
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
    compare(spread(args.corpus, "*_word_html.html", args.pages),
            lambda path, data: html_page.read(Source(path, data)),
            lambda path, data: etree.fromstring(data, parser), "parse", args.repeat,
            "Word-made pages")


if __name__ == "__main__":
    main()
