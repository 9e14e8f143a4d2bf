"""Old code against new in one process, file by file (issue 17): on a shared, loaded machine
only such interleaved runs compare; two separate runs do not.

    PYTHONPATH=$PWD python benchmarks/ab_load.py OLD_TREE FORMAT [--files 30] [--read]

``OLD_TREE`` is a checkout of the old code (``git worktree add /tmp/old main``); its ``loaders``
is imported as ``loaders_old`` beside this tree's ``loaders``. For ``FORMAT`` (a format of the
generated corpus: word_html, printed_pdf, …), ``files`` files spread over the corpus are each
loaded (``source_to_report``; ``--read``: the reader only) by both, alternating which goes
first, in three passes; the memoised functions of the new code are emptied before each pass, so
that only what one build's worker reuses across files is reused. Printed: the median CPU ms per
file of each, and the median of the per-file ratios new/old. An old tree with compiled loops
built is refused (they cannot share one process with the new tree's): ``--pure`` compares both
trees' Python code, ``benchmarks/ab_build.py`` their compiled code.
"""

from __future__ import annotations

import argparse
import glob
import importlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("format")
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--read", action="store_true")
    parser.add_argument("--corpus", type=Path, default=Path("/work/main/build/bench/corpus-10000"))
    parser.add_argument("--pure", action="store_true",
                        help="both trees with their compiled loops off (OGI_PURE_PYTHON=1)")
    args = parser.parse_args()
    if args.pure:
        os.environ["OGI_PURE_PYTHON"] = "1"
    link = Path(tempfile.mkdtemp()) / "loaders_old"
    link.symlink_to(args.old.resolve() / "loaders")
    sys.path.insert(0, str(link.parent))
    import loaders.pipeline as new_pipeline
    import loaders.readers as new_readers
    import loaders_old.pipeline as old_pipeline
    import loaders_old.readers as old_readers
    from loaders.model import Source
    from loaders_old.model import Source as OldSource

    # Two trees' compiled modules of one name (loaders/readers/_html_c...) do not stay apart in
    # one process: the old tree's reader was seen returning the new tree's Paragraph objects
    # once the new one had run. Compare compiled code with benchmarks/ab_build.py (a process
    # per tree), or both trees' Python with --pure.
    try:
        old_compiled = importlib.import_module("loaders_old.readers._compiled")
    except ImportError:  # a tree from before the compiled loops
        old_compiled = None
    if old_compiled is not None and old_compiled.in_use():
        sys.exit(f"the old tree runs compiled loops ({', '.join(old_compiled.in_use())}), which "
                 "cannot share this process with the new tree's: use --pure, or "
                 "benchmarks/ab_build.py")

    # Every memo of both trees emptied before each round, so that no tree's later rounds start
    # warm: the functools caches of these modules, where the tree has them.
    memos = {"loaders.mapping.numbers": ("clean_text", "tokenize", "parse_count", "parse_amount"),
             "loaders.mapping.cuts": ("cut",), "loaders.form.keys": ("_normalized",),
             "loaders.mapping.splitting": ("_value",), "loaders.form.headings": ("match_heading",),
             "loaders.extract.cues": ("norm", "flat"),
             "loaders.mapping.run_labels": ("_metrics_named",)}
    memoised = []
    for package in ("loaders", "loaders_old"):
        for module, names in memos.items():
            try:
                m = importlib.import_module(package + module[len("loaders"):])
            except ImportError:
                continue
            memoised += [getattr(m, n) for n in names
                         if hasattr(getattr(m, n, None), "cache_clear")]
    files = sorted(glob.glob(f"{args.corpus}/reports/*/*_{args.format}.*"))
    files = files[::max(1, len(files) // args.files)][:args.files]
    data = [(Path(f), Path(f).read_bytes()) for f in files]
    runs = {"old": (old_readers.read if args.read else old_pipeline.source_to_report, OldSource),
            "new": (new_readers.read if args.read else new_pipeline.source_to_report, Source)}
    times: dict[str, list[list[float]]] = {k: [[] for _ in data] for k in runs}
    for path, raw in data[:3]:  # warm: imports, compiled patterns
        for fn, source in runs.values():
            fn(source(path, raw))
    for rep in range(3):
        for f in memoised:
            f.cache_clear()
        for i, (path, raw) in enumerate(data):
            order = list(runs.items()) if (i + rep) % 2 else list(runs.items())[::-1]
            for k, (fn, source) in order:
                started = time.process_time()
                fn(source(path, raw))
                times[k][i].append(time.process_time() - started)
    medians = {k: [statistics.median(v) * 1000 for v in times[k]] for k in runs}
    what = "read" if args.read else "load"
    for k in runs:
        print(f"{args.format} {what} {k}: {statistics.median(medians[k]):.2f} ms")
    ratio = statistics.median(n / o for n, o in zip(medians["new"], medians["old"]))
    print(f"{args.format} {what} new/old: {ratio:.3f}")


if __name__ == "__main__":
    main()
