"""What the readers may import, and the work the text readers share: the file is decoded and its
text layout worked out once, however many readers' claims ask."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from loaders import readers
from loaders.model import Source
from loaders.readers import _text

READERS = Path(readers.__file__).parent


def _project_imports(path: Path) -> set[str]:
    """The modules of the project a reader module imports, as absolute names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = ["loaders", "readers"][:3 - node.level]  # . is readers, .. is loaders
            found.add(".".join([*base, *(node.module or "").split(".")]).rstrip("."))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("loaders"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("loaders")}
    return found


@pytest.mark.parametrize("path", sorted(READERS.glob("*.py")), ids=lambda p: p.name)
def test_a_reader_imports_the_model_and_the_readers_only(path):
    form = {"loaders.form.headings", "loaders.form.template"}
    allowed = {"loaders.model", *(form if path.name == "_landmarks.py" else ())}
    imports = _project_imports(path)
    assert all(m in allowed or m.startswith("loaders.readers") for m in imports), imports


def test_only_one_helper_imports_the_form():
    importing = [p.name for p in READERS.glob("*.py")
                 if any(m.startswith("loaders.form") for m in _project_imports(p))]
    assert importing == ["_landmarks.py"]


def test_a_text_file_is_decoded_and_its_layout_worked_out_once(monkeypatch):
    calls = []
    real = _text._utf8_or_detected
    monkeypatch.setattr(_text, "_utf8_or_detected", lambda data: calls.append(1) or real(data))
    layouts = []
    real_layout = _text._text_layout
    monkeypatch.setattr(_text, "_text_layout", lambda s: layouts.append(1) or real_layout(s))
    source = Source(Path("report.txt"), "\t申请人情况\n\t自然人\n\n\t0\n".encode("utf-8"))
    document = readers.read(source)  # every reader's claim, then word_cells' read
    assert (document.layout, document.encoding) == ("word_cells", "utf-8")
    assert len(calls) == 1 and len(layouts) == 1
    assert source.decoded[1] == "utf-8" and source.text_layout == "word_cells"


def test_a_file_that_is_no_text_has_no_text_layout():
    source = Source(Path("report.txt"), b"%PDF-1.7\n")
    assert _text.text_layout(source) is None
    assert source.text_layout == ""  # worked out: not asked again


@pytest.mark.parametrize("name", ["word_cells", "tab_rows", "plain_text", "pipe_tables",
                                  "layout_text", "run_text"])
def test_the_text_readers_share_one_read(name, monkeypatch):
    module = next(r for r in readers.all_readers() if r.NAME == name)
    shared = []
    monkeypatch.setattr(module, "read_text", lambda *args: shared.append(args) or "document")
    source = Source(Path("report.txt"), "总体情况\n".encode("utf-8"))
    assert module.read(source) == "document"
    assert shared == [(source, module.FORMAT, module.NAME, module.text_to_blocks)]
