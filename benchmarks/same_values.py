"""Whether two versions of the code load a corpus sample alike (issue 17): every value (value,
raw, line, line_end, grid position), issue, section, block, cell, page cue and identity.

    PYTHONPATH=<old tree> python benchmarks/same_values.py dump old.pkl [--corpus DIR]
    PYTHONPATH=<new tree> python benchmarks/same_values.py dump new.pkl [--corpus DIR]
    python benchmarks/same_values.py compare old.pkl new.pkl

The sample: 300 Word-made pages and 100 files of every other format of the generated corpus
(evenly spread over its files, so deterministic), and reports/shuyang_fgj_2023.html.
Run each dump with the tree's own ``PYTHONPATH`` (``import loaders`` must load that tree's
code; the dump prints which it loaded). Exit status 1 when the dumps differ.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import glob
import pickle
import sys
from pathlib import Path

SAMPLE = (("word_html", 300), ("printed_pdf", 100), ("word_docx", 100), ("word_cells", 100),
          ("run_text", 100), ("layout_text", 100), ("tab_rows", 100), ("pipe_tables", 100))


def _files(corpus: Path) -> list[str]:
    files = []
    for fmt, n in SAMPLE:
        found = sorted(glob.glob(f"{corpus}/reports/*/*_{fmt}.*"))
        files += found[::max(1, len(found) // n)][:n]
    return files


def dump(out: Path, corpus: Path) -> None:
    import loaders
    from loaders.model import Grid, LoadError
    from loaders.pipeline import load_report

    print(f"loading with {loaders.__file__}", file=sys.stderr)

    def block(b):
        if isinstance(b, Grid):
            return ("g", [[(c.text, c.line, c.line_end, c.span, c.x0, c.x1) for c in row]
                          for row in b.rows])
        return ("p", b.text, b.line)
    result = {}
    root = Path(loaders.__file__).resolve().parent.parent
    for f in _files(corpus) + [str(root / "reports" / "shuyang_fgj_2023.html")]:
        key = f if "reports/shuyang" not in f else "shuyang_fgj_2023.html"
        try:
            r = load_report(f)
        except LoadError as e:
            result[key] = ("error", str(e))
            continue
        result[key] = dict(
            values=[dataclasses.astuple(v) for v in r.values],
            issues=[dataclasses.astuple(i) for i in r.issues],
            head=(r.agency, r.year, r.template, r.title, r.published_on, repr(r.identity)),
            sections=[dataclasses.astuple(s) for s in r.sections],
            blocks=[block(b) for b in r.document.blocks], meta=r.document.meta,
            encoding=r.document.encoding)
    out.write_bytes(pickle.dumps(result))
    print(f"{len(result)} files", file=sys.stderr)


def compare(a_path: Path, b_path: Path) -> int:
    a, b = pickle.loads(a_path.read_bytes()), pickle.loads(b_path.read_bytes())
    if a.keys() != b.keys():
        print("the dumps are of different files")
        return 1
    counts, differing = collections.Counter(), collections.Counter()
    values = 0
    for f in a:
        fmt = f.rsplit("_", 2)[-2] + "_" + f.rsplit("_", 1)[-1].split(".")[0] \
            if "/reports/" in f else f
        counts[fmt] += 1
        values += len(a[f]["values"]) if isinstance(a[f], dict) else 0
        if a[f] != b[f]:
            what = [k for k in a[f] if a[f][k] != b[f][k]] \
                if isinstance(a[f], dict) and isinstance(b[f], dict) else ["error"]
            differing[fmt] += 1
            print("DIFFERS", f, what)
    print(f"files per format: {dict(counts)}; {values} values")
    print(f"differing: {dict(differing) or 'none'}")
    return 1 if differing else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--corpus", type=Path, default=Path("/work/main/build/bench/corpus-10000"))
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.corpus)
    else:
        sys.exit(compare(args.a, args.b))


if __name__ == "__main__":
    main()
