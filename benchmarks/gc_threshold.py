"""The parse's CPU with the cyclic garbage collector's first threshold at Python's default (700)
against ``build.GC_THRESHOLD``, in one process, file by file, alternating which goes first
(issue 17; on a shared machine only such interleaved runs compare):

    PYTHONPATH=$PWD python benchmarks/gc_threshold.py [--files 1000] [--seed 3] [--corpus DIR]

``DIR`` is a corpus of benchmarks/corpus.py (its manifest.jsonl and reports/); the files are a
random sample of it, each parsed whole (``build.parse_file``) once under each threshold.
Printed: the mean CPU ms per file under each, and the ratio of the totals.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

import corpus_sample
from loaders.build import GC_THRESHOLD, parse_file
from loaders.extract.agencies import Overrides


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    corpus_sample.add_options(parser, files=1000, seed=3)
    args = parser.parse_args()
    sample = corpus_sample.sample(args)
    corrections = Overrides.load(None)
    default = gc.get_threshold()
    low, high = 700, GC_THRESHOLD
    total = {low: 0.0, high: 0.0}
    ratios = []
    try:
        for i, entry in enumerate(sample):
            path = args.corpus / "reports" / entry["file"]
            seconds = {}
            for threshold in ((low, high) if i % 2 else (high, low)):
                gc.set_threshold(threshold, *default[1:])
                started = time.process_time()
                parse_file(path, entry["file"], corrections)
                seconds[threshold] = time.process_time() - started
            total[low] += seconds[low]
            total[high] += seconds[high]
            if seconds[low] > 0:
                ratios.append(seconds[high] / seconds[low])
    finally:
        gc.set_threshold(*default)
    n = len(sample)
    print(f"{n} files: mean CPU ms per file {total[low] / n * 1000:.2f} at {low}, "
          f"{total[high] / n * 1000:.2f} at {high}; ratio of the totals "
          f"{total[high] / total[low]:.3f}, median of the per-file ratios "
          f"{statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
