"""Mapping a document's grids to the national form, by labels and positions, never by counting
numbers: ``grids_to_tables`` (``tables``) tags each grid row with its table and detects the
template (``rows``), cuts runs of digits that crawled text joined into the form's cells
(``splitting``, ``cuts``, ``run_labels``), places cells under the form's columns by position
(``align``), reads each cell's number (``numbers``) and maps each table (``active``,
``applications``, ``review``, with the helpers in ``cells``). Every value keeps its raw text and
position, and everything unexpected becomes an ``Issue``. May import ``loaders.model`` and
``loaders.form``; nothing of extraction, checks or the store."""

from .tables import Tables, grids_to_tables

__all__ = ["Tables", "grids_to_tables"]
