"""Where a parse's CPU goes, by phase and format (issue 17): a random sample of a corpus of
benchmarks/corpus.py, each file taken through what a build's worker does with it, one process:

    PYTHONPATH=$PWD python benchmarks/phases.py [--files 1500] [--seed 7] [--corpus DIR]

Phases (CPU ms per file, mean by format and over the sample, which has the corpus' mix):
``read``, the file read and hashed (``pipeline.read_source``); ``reader``, the format's reader
(``readers.read``); ``after``, the rest of ``source_to_report`` (sections, metadata, mapping,
identity); ``rows``, the checks and rows (``report_to_rows``, ``as_tuples``); ``cache``, the
parse cache's entry made, serialized and compressed (``cache.put`` without the file's writes);
``pickle``, the outcome sent to the writer and read there. Means, not medians: the build pays
for every file. The garbage collector is set as in a build's workers (``build.GC_THRESHOLD``).
"""

from __future__ import annotations

import argparse
import gc
import pickle
import time
from collections import defaultdict

import loaders.pipeline as pipeline
import corpus_sample
from loaders.build import GC_THRESHOLD, FileOutcome, _named, entry_of_outcome
from loaders.cache import entry_bytes
from loaders.model import LoadError
from loaders.store import agency_of, as_tuples, report_status, report_to_rows

PHASES = ("read", "reader", "after", "rows", "cache", "pickle")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    corpus_sample.add_options(parser, files=1500, seed=7)
    args = parser.parse_args()
    sample = corpus_sample.sample(args)
    clock = time.process_time
    read = pipeline.readers.read
    reader_seconds = [0.0]

    def timed_read(source):
        started = clock()
        try:
            return read(source)
        finally:
            reader_seconds[0] = clock() - started

    pipeline.readers.read = timed_read  # source_to_report calls it through the module
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])  # as in a build's workers
    seconds: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(PHASES, 0.0))
    counts: dict[str, int] = defaultdict(int)
    failed = 0
    try:
        for entry in sample:
            name = entry["file"]
            t0 = clock()
            try:
                source = pipeline.read_source(args.corpus / "reports" / name)
                source.sha256  # noqa: B018 (hashed as the build does)
                t1 = clock()
                report = pipeline.source_to_report(source)
            except LoadError:  # a bad file (the corpus has none on purpose): not timed
                failed += 1
                continue
            t2 = clock()
            rows = _named(as_tuples(report_to_rows(report)), name)
            t3 = clock()
            outcome = FileOutcome(name, rows, agency_of(report), report_status(report),
                                  sha256=source.sha256)
            entry_bytes({"outcome": entry_of_outcome(outcome)})
            t4 = clock()
            pickle.loads(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
            t5 = clock()
            got = seconds[entry["format"]]
            for phase, spent in zip(PHASES, (t1 - t0, reader_seconds[0],
                                             t2 - t1 - reader_seconds[0], t3 - t2, t4 - t3,
                                             t5 - t4)):
                got[phase] += spent
            counts[entry["format"]] += 1
    finally:
        pipeline.readers.read = read
    print(f"{'format':<12} {'files':>5} " + " ".join(f"{p:>7}" for p in PHASES) + "   total")
    overall = dict.fromkeys(PHASES, 0.0)
    for fmt in sorted(seconds):
        n = counts[fmt]
        print(f"{fmt:<12} {n:>5} " + " ".join(f"{seconds[fmt][p] / n * 1000:>7.2f}" for p in PHASES)
              + f" {sum(seconds[fmt].values()) / n * 1000:>7.2f}")
        for p in PHASES:
            overall[p] += seconds[fmt][p]
    n = sum(counts.values())
    if failed:
        print(f"{failed} file(s) could not be loaded and are left out")
    print(f"{'all':<12} {n:>5} " + " ".join(f"{overall[p] / n * 1000:>7.2f}" for p in PHASES)
          + f" {sum(overall.values()) / n * 1000:>7.2f}")


if __name__ == "__main__":
    main()
