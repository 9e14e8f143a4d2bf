"""The readers' compiled loops (loaders/readers/_compiled.py, setup.py): which ones a process
uses, the switch that turns them off, and the parse cache's version, which the modules built
from a ``.pyx`` must not change (their source is part of it; what a compiler makes of it is not).
tests/test_html_compiled.py and tests/test_pdf_compiled.py compare each loop with its Python
code."""

from __future__ import annotations

import os

import pytest

from loaders import cache
from loaders.readers import _compiled

REQUIRED = os.environ.get("OGI_REQUIRE_COMPILED") == "1"


def test_every_loop_is_built_where_required(monkeypatch):
    """CI sets OGI_REQUIRE_COMPILED=1: every module of MODULES must be built and used."""
    monkeypatch.delenv("OGI_PURE_PYTHON", raising=False)
    missing = [what for what in _compiled.MODULES if what not in _compiled.in_use()]
    if missing and not REQUIRED:
        pytest.skip(f"not built here: {', '.join(missing)}")
    assert missing == []


def test_pure_python_turns_every_loop_off(monkeypatch):
    monkeypatch.setenv("OGI_PURE_PYTHON", "1")
    assert _compiled.in_use() == []
    assert all(_compiled.load(module) is None for module in _compiled.MODULES.values())
    monkeypatch.setenv("OGI_PURE_PYTHON", "0")
    assert not _compiled.pure_python()


def test_an_unknown_module_is_none():
    assert _compiled.load("_no_such_module_c") is None


def test_built_files_are_not_part_of_the_loader_version(tmp_path, monkeypatch):
    """A module compiled from a .pyx (and the C generated on the way) differs from one machine
    to another: the cache's version hashes the .pyx, not them."""
    readers = tmp_path / "readers"
    readers.mkdir()
    (readers / "_x.pyx").write_text("def f(): pass\n")
    (readers / "_x.py").write_text("x = 1\n")
    monkeypatch.setattr(cache, "PACKAGE", tmp_path)
    before = cache._digest(cache._files(("readers",)))
    for name in ("_x.c", "_x.cpython-311-x86_64-linux-gnu.so", "_x.pyd", "_x.html"):
        (readers / name).write_bytes(b"built here")
    assert cache._files(("readers",)) == [readers / "_x.py", readers / "_x.pyx"]
    assert cache._digest(cache._files(("readers",))) == before
    (readers / "_x.pyx").write_text("def f(): return 1\n")
    assert cache._digest(cache._files(("readers",))) != before


def test_setup_builds_every_loop_as_optional():
    """setup.py declares one extension for each module of MODULES, each optional: a machine
    without a C compiler installs the package and runs the Python code (cythonize makes new
    Extension objects, which lost the flag once: pip then failed there)."""
    import runpy
    from pathlib import Path

    pytest.importorskip("Cython")
    setup = runpy.run_path(str(Path(__file__).resolve().parent.parent / "setup.py"),
                           run_name="setup")
    extensions = setup["_extensions"]()
    assert sorted(e.name for e in extensions) == sorted(
        _compiled.module_name(module) for module in _compiled.MODULES.values())
    assert all(e.optional for e in extensions)


def test_a_module_built_against_other_binaries_is_not_used(monkeypatch, caplog):
    """Cython refuses to import a module whose C types no longer match the installed library's
    (a ValueError): the Python code runs instead, with a warning naming the module."""
    def incompatible(name):
        raise ValueError("lxml.etree._Element size changed, may indicate binary incompatibility")

    monkeypatch.setattr(_compiled, "_BUILT", {})
    monkeypatch.setattr(_compiled.importlib, "import_module", incompatible)
    monkeypatch.delenv("OGI_PURE_PYTHON", raising=False)
    with caplog.at_level("WARNING"):
        assert _compiled.load("_html_c") is None
    assert "_html_c" in caplog.text and "size changed" in caplog.text
