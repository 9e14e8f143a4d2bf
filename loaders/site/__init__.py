"""The site: the Datasette plugin (``plugin``: SQL functions for Chinese search, the report page's
data, the source view, the search and table pages' extras), the report redrawn as the national
form (``report_page``, with ``templates/row-ogi-reports.html``) and what makes an immutable
database fast to serve (``serving``). Datasette loads ``plugin`` through the package's entry point.
Reads the database the build wrote; may import ``loaders.form``, ``loaders.model``, the readers
(to show a source file as its reader saw it) and ``loaders.derived.search`` (the same tokenizer
for queries as for the index); never the build or the store."""
