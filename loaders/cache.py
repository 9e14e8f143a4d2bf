"""The parse cache: what parsing one file gives (``build.FileOutcome``: its rows per table, the
agency facts and the parser's status, or the load error), kept on disk under the file's sha256
and the loader's version, so that a build parses only the files it has not seen.

The format is a folder of gzipped JSON files, one per parsed file, that any process can fill
(``ogi parse``, several at once) and that can be copied or merged between machines with ``cp -r``
or ``rsync`` (an entry is written to a temporary file and renamed: a reader never sees half of
one, and two processes writing the same entry write the same thing)::

    DIR/<version>/<sha256[:2]>/<sha256>.<suffix>.json.gz

- ``version`` is ``loader_version()``: a hash of the code and data that make the rows (the
  readers, extract, mapping, form, checks, the model, the pipeline, store/rows.py and
  store/schema.py, loaders/data/) and of the versions of the libraries that read files. Change
  any of them and the build looks in another folder: the old entries are ignored, never mixed in
  (delete the old folders to reclaim the space).
- ``suffix`` is the file's suffix (``-`` for none): the readers look at it (``x.txt`` and
  ``x.html`` of the same bytes may be read differently).
- The rows do not hold the file's name: ``reports.source_file`` is stored empty and the name is
  put back when the build assembles the database. The one place a file's name enters the rows is
  the last cue for the year or agency (``metadata_from_file_name``): such an entry records the
  file's base name, and holds only for a file of that name.
- agencies.csv is applied after the cache, not keyed into it: an entry is parsed without
  corrections and records the agency's name as written and the year, which is what a row of
  agencies.csv matches; a file that a row of the corrections matches is parsed again with them
  (and not stored), so editing agencies.csv re-parses only the reports it names.

An entry's JSON object: ``format`` (1), ``version``, ``sha256``, ``suffix``, ``file_name`` (the
base name, or null when the rows do not depend on it), ``agency_as_written`` and ``year`` (what
agencies.csv matches), and ``outcome``: ``{"status", "agency", "rows": {table: [[value, ...],
...]}}`` (each row in the table's column order, ``store.schema.table_columns``) or
``{"failure": {"stage", "error_type", "message"}}`` for a bad file. Internal errors (a bug of
ours) are never stored. An entry that cannot be read, or of another format, version or file, is
ignored and the file parsed again.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import orjson
from isal import igzip

log = logging.getLogger(__name__)

FORMAT = 1
PACKAGE = Path(__file__).resolve().parent

# What makes a report's rows: its version is a hash of these (paths under loaders/).
PARSE_CODE = ("readers", "extract", "mapping", "form", "checks", "model.py", "pipeline.py",
              "store/rows.py", "store/schema.py", "data")
# The libraries whose versions the parse depends on (what they read a file as).
PARSE_LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2", "selectolax", "lxml", "python-docx",
                   "charset-normalizer")


# What ``pip install`` makes from a ``.pyx`` (setup.py): the C it generates and the module it
# compiles differ from one machine's compiler to another's, and give the same rows as the Python
# code they mirror (tested); the ``.pyx`` itself is part of the version.
_BUILT = frozenset({".c", ".so", ".pyd", ".html"})


def _files(parts: tuple[str, ...]) -> list[Path]:
    found = []
    for part in parts:
        p = PACKAGE / part
        if p.is_dir():
            found += [f for f in p.rglob("*") if f.is_file() and "__pycache__" not in f.parts
                      and not f.name.startswith(".") and f.suffix not in _BUILT]
        elif p.is_file():
            found.append(p)
    return sorted(found)


def _digest(files: list[Path], extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for f in files:
        h.update(f.relative_to(PACKAGE).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()[:16]


def _library_versions() -> str:
    versions = []
    for name in PARSE_LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return f"format {FORMAT}; python {sys.version_info[:2]}; " + " ".join(versions)


@lru_cache(maxsize=1)
def loader_version() -> str:
    """The version of what makes a report's rows (16 hex digits): the parse cache's key, and the
    key of a database's rows (an incremental build needs the same one)."""
    from .store.schema import table_columns

    # The columns, not derived/summaries.py whose tables the schema also declares.
    return _digest(_files(PARSE_CODE), _library_versions() + repr(table_columns()))


@lru_cache(maxsize=1)
def build_version() -> str:
    """The version of everything that writes a database (the loader's and the code that derives
    from the whole corpus: the writer, the rules across years, the agencies, the summaries): a
    database built by another one is rebuilt from scratch (parses reused from the cache)."""
    code = [f for f in _files(("",)) if f.suffix in (".py", ".csv", ".txt", ".json")
            and not f.relative_to(PACKAGE).parts[0] in ("site", "writers")]
    return _digest(code, loader_version())


@dataclass
class Entry:
    """One cache entry, read back."""

    file_name: str | None
    agency_as_written: str | None
    year: int | None
    outcome: dict

    def corrected_by(self, corrections) -> bool:
        """Whether a row of agencies.csv applies to this report (then it is parsed again)."""
        return self.agency_as_written is not None and \
            corrections.find(self.agency_as_written, self.year) is not None


def suffix_of(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    return suffix or "-"


# gzip's fastest level: every file parsed in a build is written here, and level 6 took 0.44 ms a
# report (of ~15 ms of parsing) for entries 7% smaller than level 1's 0.18 ms (5.2 against 5.6 KB).
COMPRESS_LEVEL = 1

# The standard library's encoder, for what orjson does not write (``entry_bytes``): one for the
# process (``json.dumps`` with any option makes a new encoder per call), without the check for
# reference cycles (an entry is rows of plain values: it has none). The same text as
# ``json.dumps(data, ensure_ascii=False, separators=(",", ":"))``.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def entry_bytes(data: dict) -> bytes:
    """An entry's file: its JSON, gzipped. Made by orjson and ISA-L's gzip (python-isal), the
    libraries made for each: 0.10 ms a report against 0.53 for the standard library's json and
    gzip (300 reports of the 10,000 corpus; every parsed file of a build is stored), the same
    format, read back by the standard library (``get``) as it reads its own. The JSON holds the
    same values: orjson writes UTF-8 as ``ensure_ascii=False`` does, tuples as arrays, floats as
    their shortest repr (read back equal), dicts in their order. A value orjson refuses (an
    integer past 64 bits, a string with a lone surrogate) is left to the standard library's
    encoder, which writes it or raises as it did before. A float NaN, which orjson would write
    as null, is not made by a parse (counts are integers), and SQLite stores NaN as NULL too."""
    try:
        text = orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError is one
        text = _ENCODE(data).encode()
    return igzip.compress(text, compresslevel=COMPRESS_LEVEL, mtime=0)


# The temporary files entries are written to are named by the process and a count: unique among
# the processes alive (a name left by a killed process is passed over: O_EXCL), and cheaper than
# tempfile.mkstemp's random names (which tries names drawn from Python's random module).
_TEMPORARY = {"pid": None, "count": 0}
# How they are opened: as tempfile.mkstemp opens its files (binary on Windows, not inherited by
# child processes, not through a symbolic link), where the system has the flag.
_CREATE = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
           | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0))


class ParseCache:
    """A parse cache in the folder ``root`` (created when first written)."""

    def __init__(self, root: str | Path, version: str | None = None):
        self.root = Path(root)
        self.version = version or loader_version()
        self.hits = 0
        self.misses = 0
        self.stored = 0

    def _where(self, sha256: str, suffix: str) -> tuple[str, str]:
        """The entry's folder and file, as strings (pathlib's joins cost more than the rest of
        ``put`` but the JSON and gzip)."""
        folder = os.path.join(self.root, self.version, sha256[:2])
        return folder, os.path.join(folder, f"{sha256}.{suffix}.json.gz")

    def path(self, sha256: str, name: str) -> Path:
        return Path(self._where(sha256, suffix_of(name))[1])

    def get(self, sha256: str, name: str) -> Entry | None:
        """The entry for a file of this content and (base) name, or None: missing, unreadable,
        of another format or version, or made from a file whose name it depends on and differs."""
        path = self.path(sha256, name)
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, EOFError, ValueError, UnicodeDecodeError) as e:
            log.warning("parse cache: %s cannot be read (%s): parsed again", path, e)
            self.misses += 1
            return None
        entry = _valid(data, self.version, sha256, name)
        if entry is None:
            log.warning("parse cache: %s is not a valid entry for %s: parsed again", path, name)
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, sha256: str, name: str, outcome: dict, *, name_used: bool,
            agency_as_written: str | None, year: int | None) -> None:
        """Store one file's outcome (written to a temporary file, then renamed into place)."""
        suffix = suffix_of(name)
        folder, path = self._where(sha256, suffix)
        data = {"format": FORMAT, "version": self.version, "sha256": sha256,
                "suffix": suffix, "file_name": Path(name).name if name_used else None,
                "agency_as_written": agency_as_written, "year": year, "outcome": outcome}
        # Compressed whole, in one call, and written in one (the entry is a few KB).
        body = entry_bytes(data)
        try:
            fd, tmp = _create(folder, sha256)
        except FileNotFoundError:  # the entry's folder is not made yet (or was removed)
            os.makedirs(folder, exist_ok=True)
            fd, tmp = _create(folder, sha256)
        try:
            try:
                view = memoryview(body)
                while view:  # a regular file takes it in one write; a short one goes on
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self.stored += 1


def _create(folder: str, sha256: str) -> tuple[int, str]:
    """A new temporary file in ``folder`` for the entry of ``sha256``, open for writing (mode
    0600, as ``tempfile.mkstemp`` makes them): ``.<sha256[:16]>.<pid>.<count>.tmp``."""
    pid = os.getpid()
    if _TEMPORARY["pid"] != pid:  # a forked process counts on its own
        _TEMPORARY["pid"], _TEMPORARY["count"] = pid, 0
    while True:
        _TEMPORARY["count"] += 1
        tmp = f"{folder}/.{sha256[:16]}.{pid}.{_TEMPORARY['count']}.tmp"
        try:
            return os.open(tmp, _CREATE, 0o600), tmp
        except FileExistsError:  # left by a killed process of the same pid: take the next
            continue


def _valid(data, version: str, sha256: str, name: str) -> Entry | None:
    from .store.schema import table_columns

    if not isinstance(data, dict) or data.get("format") != FORMAT \
            or data.get("version") != version or data.get("sha256") != sha256 \
            or data.get("suffix") != suffix_of(name):
        return None
    if data.get("file_name") is not None and data["file_name"] != Path(name).name:
        return None
    outcome = data.get("outcome")
    if not isinstance(outcome, dict):
        return None
    if "failure" in outcome:
        failure = outcome["failure"]
        if not isinstance(failure, dict) or not {"stage", "error_type", "message"} <= set(failure):
            return None
    else:
        rows = outcome.get("rows")
        columns = table_columns()
        if not isinstance(rows, dict) or not rows.get("reports") or "status" not in outcome:
            return None
        for table, table_rows in rows.items():
            if table not in columns or not isinstance(table_rows, list) or \
                    any(not isinstance(r, list) or len(r) != len(columns[table])
                        for r in table_rows):
                return None
    return Entry(data.get("file_name"), data.get("agency_as_written"), data.get("year"), outcome)
