"""Loaders for China's Open Government Information annual reports (政府信息公开工作年度报告).

One folder per stage, in the order a report goes through them (each ``__init__`` says what the
stage may import): ``form`` (the national form as data) · ``readers`` (a file to a ``Document``) ·
``extract`` (sections, title, agency, year, date, place) · ``mapping`` (grids to the form's
cells) · ``checks`` (the rules) · ``store`` (rows and the SQLite writer) · ``derived`` (what is
computed once the corpus is in) · ``site`` (the Datasette plugin). On top: ``model`` (the types
they share), ``pipeline`` (one file to a ``Report``), ``cache`` (what parsing a file gives, kept
under its sha256 and the loader's version), ``build`` (files to a database, from scratch or by
updating the previous one), ``cli`` (``ogi``) and ``snapshot``; ``writers`` writes documents back
out for the tests and the benchmark.
"""

__version__ = "0.1.0"
