"""The compiled loops (issue 17): Cython modules built from ``*.pyx`` beside the code they mirror
(setup.py), each an optional speed-up of a pure-Python loop that stays the fallback and the
reference: the readers' (here, in loaders/readers) and the search index's segmenting
(loaders/derived/_search_c). Tests compare the two on every input they have; the output is the
same.

A module is used when it was built and imports, unless ``OGI_PURE_PYTHON=1`` is set (the tests'
way to run the Python code on the same process's inputs, and a user's way round a suspect
build). ``ogi build`` names the loops it ran compiled.
"""

from __future__ import annotations

import importlib
import logging
import os
from types import ModuleType

# What each compiled module speeds up -> its module, under loaders/readers unless PACKAGES says.
MODULES = {"html": "_html_c", "pdf": "_pdfium_c", "pdf_tables": "_pdf_tables_c",
           "docx": "_docx_c", "search": "_search_c"}
PACKAGES = {"_search_c": "loaders.derived"}


def module_name(module: str) -> str:
    """A compiled module's full name: ``_html_c`` -> ``loaders.readers._html_c``."""
    return f"{PACKAGES.get(module, __package__)}.{module}"


def pure_python() -> bool:
    """Whether the compiled loops are turned off (``OGI_PURE_PYTHON=1``)."""
    return os.environ.get("OGI_PURE_PYTHON", "") not in ("", "0")


log = logging.getLogger(__name__)

_BUILT: dict[str, ModuleType | None] = {}


def built(module: str) -> ModuleType | None:
    """The compiled module (``_html_c``…) when it was built, whatever ``OGI_PURE_PYTHON`` says;
    None when it was not (looked for once a process)."""
    if module not in _BUILT:
        try:
            _BUILT[module] = importlib.import_module(module_name(module))
        except ImportError:  # not built (no C compiler at install)
            _BUILT[module] = None
        except ValueError as e:
            # Built against other binaries than those installed now (Cython's check of lxml's
            # element type, say, after lxml changed): the Python code runs, and says why.
            log.warning("compiled loop %s not used: %s (pip install -e . builds it again)",
                        module, e)
            _BUILT[module] = None
    return _BUILT[module]


def load(module: str) -> ModuleType | None:
    """The compiled module to run, or None when it is not built or turned off."""
    return None if pure_python() else built(module)


def in_use() -> list[str]:
    """The loops that run compiled in this process, by what they speed up (``html``, ``pdf``,
    ``pdf_tables``, ``docx``, ``search``)."""
    return [what for what, module in MODULES.items() if load(module) is not None]
