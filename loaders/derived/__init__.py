"""What is computed from the whole corpus once every report is stored, so that no page counts at
request time: the rules across years and the failure counts (``failures``), the agencies table
(``agencies``), each report's status and order, its English names and the summaries the charts
and home page read (``summaries``, ``english``), and the search indexes (``search_index``, with
the tokenizer ``search`` that the site also uses for queries; ``keys`` holds a set of ids as a
temporary table for them and for the store's updates). The store's writer runs these
steps in order, on the database it is building. May import ``loaders.checks`` and
``loaders.extract.places`` (the division lists); never the store."""
