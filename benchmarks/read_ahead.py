"""What announcing files before they are read (``pipeline.will_read``, as a build does for the
next chunk of files) saves on a corpus out of the page cache (issue 17).

    PYTHONPATH=$PWD python benchmarks/read_ahead.py [--corpus build/bench/corpus-100000]
        [--files 400] [--rounds 2]

``files`` files of the corpus (a random sample) are taken out of the page cache
(``posix_fadvise`` DONTNEED, which needs no privilege), then read, hashed and parsed one after
the other as a worker does, in chunks of ``build.CHUNK_FILES``: once plainly, once with the next
chunk announced. Printed: the wall time spent reading and hashing, per file (the rest is the
parse, the same both ways). Each round takes other files, so that neither way finds them cached.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def evict(paths: list[str]) -> None:
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def run(paths: list[str], ahead: bool) -> float:
    """Milliseconds per file spent reading and hashing."""
    from loaders import pipeline
    from loaders.build import CHUNK_FILES
    from loaders.model import LoadError

    evict(paths)
    waited = 0.0
    for i in range(0, len(paths), CHUNK_FILES):
        if ahead:
            pipeline.will_read(paths[i if i == 0 else i + CHUNK_FILES:i + 2 * CHUNK_FILES])
        for path in paths[i:i + CHUNK_FILES]:
            started = time.perf_counter()
            source = pipeline.read_source(path)
            source.sha256  # noqa: B018 (hashed as the build does)
            waited += time.perf_counter() - started
            try:
                pipeline.source_to_report(source)
            except LoadError:
                pass
    return waited * 1000 / len(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "build/bench/corpus-100000")
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    with open(args.corpus / "manifest.jsonl", encoding="utf-8") as f:
        names = [json.loads(line)["file"] for line in f]
    picked = random.Random(args.seed).sample(names, 2 * args.rounds * args.files)
    paths = [str(args.corpus / "reports" / name) for name in picked]
    for r in range(args.rounds):
        for k, ahead in enumerate((False, True)):
            start = (2 * r + k) * args.files
            ms = run(paths[start:start + args.files], ahead)
            print(f"round {r + 1} {'announced' if ahead else 'plain':>9}: {ms:.3f} ms a file "
                  "reading and hashing", flush=True)


if __name__ == "__main__":
    main()
