"""Consistency rules: what does not add up in a report, materialized in ``validation_failures``.
Each rule is a function registered with ``@rule`` (``registry``: its code, SPEC number, titles,
descriptions and severities, declared there and nowhere else) over one report's numbers
(``facts``: ``sums``, ``reading``, ``prose``, ``timeliness``) or SQL over the stored corpus
(``across_years``); importing this package registers them all, in the order they run. The SQL
that stores and reads their failures is in ``stored``. May import ``loaders.model`` and
``loaders.form``; the store runs the rules, the rules never write."""

# The rules register themselves on import, in the order they run (and their failures are stored):
# keep this order.
from . import sums  # noqa: F401
from . import reading  # noqa: F401
from . import prose  # noqa: F401
from . import timeliness  # noqa: F401
from . import across_years  # noqa: F401
from .registry import (ERROR, WARNING, CheckError, Checked, Failure, Rule, all_rules, check_report,
                       corpus_rules, rule_by_code)
from .facts import Facts
from .sums import compare_sums
from .timeliness import deadline

__all__ = ["ERROR", "WARNING", "CheckError", "Checked", "Facts", "Failure", "Rule", "all_rules",
           "check_report", "compare_sums", "corpus_rules", "deadline", "rule_by_code"]
