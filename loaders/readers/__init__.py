"""Readers: one module per format or layout, found by discovery (no central list to edit).

A reader module defines:

- ``NAME``: the layout name stored with each report (``reports.layout``);
- ``FORMAT``: the format name stored with each report (``reports.source_format``);
- ``claims(source) -> bool``: whether this reader is the one for the file, from its content;
- ``read(source) -> Document``: the file as blocks of prose and table grids;
- ``render_lines(source) -> list[str]``, for a file with no lines of its own: the text rendering
  its ``source_line`` numbers count (``source_lines`` gives the lines of any file).

Claims must not overlap: tests/test_readers.py checks that every sample is claimed by exactly one
reader. Modules whose name starts with ``_`` are helpers, not readers.

Readers import ``loaders.model`` (the ``Document`` they return) and nothing else of the project:
a reader knows formats and layouts, not the form. One helper, ``_landmarks``, is the exception:
five layouts cannot cut a table from the prose after it without knowing a section heading when
they see one (``_landmarks.is_heading``), and a web page's reader must know which of its tables
are the form's (``is_form_table``); the helper's docstring says why, layout by layout.
The text readers share their decoding and their ``read`` (``_text``); Word and PDF readers list
their items for ``_items``.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from types import ModuleType

from ..model import Document, LoadError, Source
from ._text import lines_of


@lru_cache(maxsize=1)
def all_readers() -> tuple[ModuleType, ...]:
    modules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "claims") and hasattr(module, "read"):
            modules.append(module)
    return tuple(modules)


def readers_claiming(source: Source) -> list[ModuleType]:
    return [r for r in all_readers() if r.claims(source)]


def read(source: Source) -> Document:
    """The document, read by the one reader that claims it."""
    claiming = readers_claiming(source)
    if not claiming:
        raise LoadError("detect", f"no reader recognises this file (.{source.suffix or '?'})")
    if len(claiming) > 1:
        names = ", ".join(r.NAME for r in claiming)
        raise LoadError("detect", f"several readers claim this file: {names}")
    return claiming[0].read(source)


def source_lines(source: Source, layout: str | None) -> list[str]:
    """The lines ``source_line`` counts in a file read as ``layout``: a text file's own lines,
    or, for a file with no lines of its own (Word, PDF), its reader's text rendering
    (``render_lines``). What the source view shows."""
    reader = next((r for r in all_readers() if r.NAME == layout), None)
    if reader is not None and hasattr(reader, "render_lines"):
        return reader.render_lines(source)
    return lines_of(source)
