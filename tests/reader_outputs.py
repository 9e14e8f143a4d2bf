"""What the HTML, Word and text readers give for a fixed set of inputs, as JSON, so that a faster
reader can be checked against the output of the reader it replaced (tests/test_reader_outputs.py).

The expected files in tests/fixtures/speed/ were written by this module from the readers as they
were before issue 17 made them fast (``PYTHONPATH=<a copy of the old tree> python
tests/reader_outputs.py``), and checked by eye on a few cells against their sources. Issue 17 also
corrected the lines of a cell whose text stands below its ``<td>`` (tests/test_reader_html.py);
no input here has that shape, so no entry changed.

Inputs: every HTML, Word and text file of reports/ and tests/samples/, the seeds written as HTML
and Word in each layout quirk (loaders/writers), and the Word files LibreOffice made of the seeds'
and of the real page's HTML (tests/fixtures/speed/*.docx).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEED = HERE / "fixtures" / "speed"
GROUPS = ("html", "docx", "text")
_TEXT_SUFFIXES = {".txt", ".md"}


def _files(group: str) -> list[Path]:
    pools = [ROOT / "reports", HERE / "samples", SPEED]
    suffixes = {"html": {".html", ".htm"}, "docx": {".docx"}, "text": _TEXT_SUFFIXES}[group]
    return sorted(p for pool in pools for p in pool.rglob("*") if p.suffix in suffixes
                  and p.is_file())


def inputs(group: str):
    """(key, Source) for every input of the group, files and written ones."""
    from loaders import writers
    from loaders.model import Source
    from loaders.readers import read

    for path in _files(group):
        yield str(path.relative_to(ROOT)), Source.from_path(path)
    if group == "text":
        return
    for seed in sorted((ROOT / "reports").glob("0*.txt")):
        document = read(Source.from_path(seed))
        for layout in (None, *writers.LAYOUTS):
            name = f"{seed.stem}.{layout or 'plain'}.{group}"
            try:
                if group == "html":
                    data = writers.to_html(document, layout=layout).encode("utf-8")
                else:
                    data = _docx_bytes(document, layout)
            except ValueError:  # blank_pair_merged where the seed has no blank pair
                continue
            yield f"written/{name}", Source(Path(name), data)


def _docx_bytes(document, layout) -> bytes:
    import tempfile

    from loaders import writers

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.docx"
        writers.to_docx(document, path, layout=layout)
        return path.read_bytes()


def dump(document) -> dict:
    """A document as plain data: its encoding, meta and blocks, every cell with its lines and
    position."""
    from loaders.model import Grid

    blocks = []
    for block in document.blocks:
        if isinstance(block, Grid):
            blocks.append({"grid": [[[c.text, c.line, c.line_end, c.span, c.x0, c.x1, c.joined]
                                     for c in row] for row in block.rows]})
        else:
            blocks.append({"p": block.text, "line": block.line})
    return {"layout": document.layout, "encoding": document.encoding,
            "meta": dict(document.meta or {}), "blocks": blocks}


def outputs(group: str) -> dict[str, dict]:
    from loaders.model import LoadError
    from loaders.readers import read

    out = {}
    for key, source in inputs(group):
        try:
            out[key] = dump(read(source))
        except LoadError as e:
            out[key] = {"error": f"{e.stage}: {e.message}"}
    return out


def write(group: str) -> Path:
    path = SPEED / f"{group}_outputs.json"
    data = outputs(group)
    # One line per block: a changed cell shows as a one-line diff.
    lines = ["{"]
    for i, (key, doc) in enumerate(data.items()):
        head = {k: v for k, v in doc.items() if k != "blocks"}
        lines.append(f"{json.dumps(key, ensure_ascii=False)}: {{")
        lines.append(" " + ", ".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                                     for k, v in head.items()) + ("," if "blocks" in doc else ""))
        if "blocks" in doc:
            lines.append(' "blocks": [')
            for j, block in enumerate(doc["blocks"]):
                comma = "," if j < len(doc["blocks"]) - 1 else ""
                lines.append("  " + json.dumps(block, ensure_ascii=False) + comma)
            lines.append(" ]")
        lines.append("}" + ("," if i < len(data) - 1 else ""))
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    # Run with the readers to record on PYTHONPATH (the old code, from a copy of the tree).
    for group in sys.argv[1:] or GROUPS:
        print(write(group))
