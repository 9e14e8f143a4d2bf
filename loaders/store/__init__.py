"""The store: the database's schema (``schema``), the reference tables written with it
(``reference``), one report as the rows it adds (``rows``, pure: the build runs it in worker
processes) and the writer that puts them in a new file and renames it over the target when
complete (``writer.Store``, the only code that writes SQLite); ``update`` decides what an
incremental build redoes (the files added, changed and removed since the previous database) and
clears their reports from a copy of it (``schema.delete_reports``). The writer runs what is
derived from the whole corpus (``loaders.derived``) after the last report. May import ``loaders.model``,
``loaders.form``, ``loaders.checks``, ``loaders.extract.places`` (the divisions) and
``loaders.derived``."""

from .rows import agency_of, as_tuples, report_status, report_to_rows, stored_status
from .schema import INDEXES, SCHEMA, delete_reports, table_columns
from .writer import Store

__all__ = ["INDEXES", "SCHEMA", "Store", "agency_of", "as_tuples", "delete_reports",
           "report_status", "report_to_rows", "stored_status", "table_columns"]
