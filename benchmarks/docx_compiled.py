"""The Word reader's walk in C (loaders/readers/_docx_c.pyx) against its Python walk and the
floor under both (unzipping word/document.xml and lxml's parse of it), on the generated corpus'
Word files, in one process.

    PYTHONPATH=. python benchmarks/docx_compiled.py [--corpus build/bench/corpus-10000] [--files 80]

For ``files`` files evenly spread over the corpus' ``*_word_docx.docx`` (deterministic), each
file is read in turn (``docx_file.read``) with the compiled walk, with ``OGI_PURE_PYTHON=1``,
and unzipped and parsed alone (the floor: the reader's own ``_open``, its tree then freed, as
``read`` frees it), ``repeat`` times, alternating (the machine's speed drifts: only times taken
side by side are compared). The floor is the reader's function, not a copy of its lines: the
same unzip and parse written as one expression (the parser and the root element temporaries,
the tree freed while the document part's bytes are still held) measured 0.6-1.4 ms slower a
file here, an allocator effect larger than the walk itself. CPU time
(``time.process_time``): each file's median, then the median over the files, and the per-file
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
    from loaders.model import Source
    from loaders.readers import docx_file

    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "build/bench/corpus-10000"))
    ap.add_argument("--files", type=int, default=80)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    if docx_file._docx_c is None:
        sys.exit("loaders/readers/_docx_c is not built")
    found = sorted(glob.glob(f"{args.corpus}/reports/*/*_word_docx.docx"))
    files = found[::max(1, len(found) // args.files)][:args.files]
    docs = [(Path(f), Path(f).read_bytes()) for f in files]

    def compiled(path, data):
        os.environ.pop("OGI_PURE_PYTHON", None)
        docx_file.read(Source(path, data))

    def python(path, data):
        os.environ["OGI_PURE_PYTHON"] = "1"
        docx_file.read(Source(path, data))

    def floor(path, data):
        docx_file._open(Source(path, data))  # (the body dropped: the tree freed, as in read)

    kinds = {"compiled": compiled, "python": python, "floor": floor}
    per_file = {k: [] for k in kinds}
    for path, data in docs:
        times = {k: [] for k in kinds}
        for _ in range(args.repeat):
            for name, run in kinds.items():
                t = time.process_time()
                run(path, data)
                times[name].append(time.process_time() - t)
        for name in kinds:
            per_file[name].append(statistics.median(times[name]) * 1000)
    os.environ.pop("OGI_PURE_PYTHON", None)
    size = statistics.median(len(d) for _, d in docs) / 1024
    print(f"{len(docs)} Word files (median {size:.0f} KB), {args.repeat} runs each, "
          f"CPU ms a file, median over files:")
    for name in kinds:
        print(f"  {name:9} {statistics.median(per_file[name]):.2f}")
    for a, b in (("compiled", "python"), ("compiled", "floor"), ("python", "floor")):
        ratios = [x / y for x, y in zip(per_file[a], per_file[b])]
        q = statistics.quantiles(ratios, n=10)
        print(f"  {a}/{b}: median {statistics.median(ratios):.2f} (p10-p90 {q[0]:.2f}-{q[-1]:.2f})")


if __name__ == "__main__":
    main()
