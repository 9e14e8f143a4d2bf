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
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    from compiled_vs_python import compare, spread
    from loaders.model import Source
    from loaders.readers import docx_file

    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "build/bench/corpus-10000"))
    ap.add_argument("--files", type=int, default=80)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    if docx_file._docx_c is None:
        sys.exit("loaders/readers/_docx_c is not built")
    # the floor: the reader's own unzip and parse, the body dropped (the tree freed, as in read)
    compare(spread(args.corpus, "*_word_docx.docx", args.files),
            lambda path, data: docx_file.read(Source(path, data)),
            lambda path, data: docx_file._open(Source(path, data)), "floor", args.repeat,
            "Word files")


if __name__ == "__main__":
    main()
