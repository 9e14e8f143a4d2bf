"""Build the database from report files: every file either loads or becomes a load error.

A load error is one of two kinds. A bad file (empty, binary, a damaged PDF, a scan) raises
``LoadError`` where it is read, with the stage that gave up (open, decode, detect, read): that
is the file's fault, a row of ``load_errors``, and the build goes on. Any other exception is a
bug of ours: it is recorded too (stage ``internal``, the exception's type and message and where
it was raised), logged with its traceback, counted apart in the summary line, and ``ogi build``
exits non-zero. A report whose rows the database refuses (a key twice, a value it cannot hold)
is such a bug; the database itself failing (disk full) stops the build.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sqlite3
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .extract.agencies import Overrides
from .extract.sources import Manifest, find_manifests
from . import workers
from .cache import ParseCache
from .inputs import find_inputs
from .model import LoadError, Source
from .pipeline import load_report, read_source, will_read
from .readers import _compiled
from .snapshot import file_sha256
from .store import Store, agency_of, as_tuples, report_status, report_to_rows, table_columns
from .store.update import Plan, State, decide

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    without_parse_issues: int = 0  # reports loaded with no parse issue
    with_parse_issues: int = 0  # reports loaded with parse issues (prose only, unreadable, …)
    failed: int = 0  # bad files: a LoadError, the file's fault
    duplicates: list[str] = field(default_factory=list)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (file, stage, message)
    # Files or reports lost to a bug of ours, not counted in ``failed``: (file, type, message).
    internal_errors: list[tuple[str, str, str]] = field(default_factory=list)
    check_errors: int = 0  # rules that raised (on a report or across years): check_errors rows
    jobs: int = 1
    compiled: list[str] = field(default_factory=list)  # readers' loops run compiled (html, pdf)
    # Seconds: "load" (parse and write every file), then each step once all are in.
    timings: dict[str, float] = field(default_factory=dict)
    sources: int = 0  # reports given their URL by a sources.csv
    source_problems: list[str] = field(default_factory=list)  # its bad rows, one line each
    from_cache: int = 0  # files taken from the parse cache
    note: str | None = None  # why the build was from scratch, or that nothing changed
    unchanged: bool = False  # nothing changed: the database was left as it was
    plan: Plan | None = None  # what an incremental build did

    @property
    def loaded(self) -> int:
        return self.without_parse_issues + self.with_parse_issues

    def as_dict(self) -> dict:
        # "reports_ok" and "reports_with_issues" keep their names from before "reports_loaded"
        # was added: loaded without parse issues, and with (README, *The command line*).
        return {"reports_loaded": self.loaded, "reports_ok": self.without_parse_issues,
                "reports_with_issues": self.with_parse_issues, "files_failed": self.failed,
                "internal_errors": len(self.internal_errors), "check_errors": self.check_errors,
                "duplicates": len(self.duplicates),
                "reports_with_source": self.sources, "from_cache": self.from_cache,
                "unchanged": self.unchanged, "incremental": self.plan is not None,
                "source_rows_with_problems": len(self.source_problems),
                "jobs": self.jobs, "compiled": self.compiled, "seconds": self.timings}

    @property
    def summary(self) -> str:
        line = (f"{_count(self.loaded, 'report')} loaded ({self.without_parse_issues} without "
                f"parse issues, {self.with_parse_issues} with) · {self.failed} failed")
        if self.internal_errors:
            line += (f" · {_count(len(self.internal_errors), 'internal error')}, "
                     "see load_errors")
        if self.check_errors:
            line += f" · {_count(self.check_errors, 'check error')}, see check_errors"
        return line

    @property
    def bugs(self) -> int:
        """Internal errors and check errors: what makes ``ogi build`` exit non-zero."""
        return len(self.internal_errors) + self.check_errors


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


PLACE_ISSUES = {"place_ambiguous", "place_not_found", "place_renamed", "place_zone_unknown",
                "place_misprinted"}
DEFAULT_OVERRIDES = "agencies.csv"


def apply_overrides(report, overrides: Overrides) -> None:
    """Correct a report's agency and place from agencies.csv; the place issues it settles go."""
    if report.identity is None:
        return
    issues = overrides.apply(report.identity, report.year)
    if report.identity.override_note:
        report.issues = [i for i in report.issues if i.code not in PLACE_ISSUES
                         or report.identity.place.status != "override"]
        if report.identity.id is not None:  # the override identified it
            report.issues = [i for i in report.issues if i.code != "agency_unidentified"]
    report.issues.extend(issues)


# The stage of a load error that is a bug of ours, not a bad file.
INTERNAL = "internal"


@dataclass
class LoadFailure:
    """Why a file did not load: its stage (a ``LoadError``'s, or ``internal``), the error's type
    and message, the file's sha256 when it could be read, and for an internal error the
    traceback, logged by the writer (plain data: it travels back from a worker)."""

    stage: str
    error_type: str
    message: str
    sha256: str | None = None
    traceback: str | None = None


@dataclass
class FileOutcome:
    """The outcome of loading one file, which a worker sends back: its rows, or why it failed
    (plain data, picklable)."""

    name: str
    rows: dict[str, list[tuple]] | None = None  # table -> rows, in the table's column order
    agency: dict | None = None
    status: str | None = None
    failure: LoadFailure | None = None
    sha256: str | None = None  # the file's, when it could be read
    cached: bool = False  # taken from the parse cache
    written: bool = False  # its report was written (not a copy of one written already)


def parse_file(path: Path, name: str, corrections: Overrides,
               cache: ParseCache | None = None) -> FileOutcome:
    """Read one file into the rows it adds, or take them from the parse cache (loaders/cache.py)
    when it holds this file's content and no row of ``corrections`` applies to it. Never raises:
    a bad file is a failure of the stage that gave up; any other exception is an internal
    failure. What is parsed is stored in the cache unless it is an internal failure or was
    corrected by agencies.csv (the cache holds uncorrected outcomes only)."""
    sha = source = None
    if cache is not None:
        try:
            # Read once: hashed for the cache and, when it does not hold the file, parsed.
            source = read_source(path)
            sha = source.sha256
        except LoadError:  # too large to read whole, or unreadable: the parse says why
            try:
                sha = file_sha256(path)
            except OSError:
                pass
        entry = cache.get(sha, name) if sha else None
        if entry is not None and not entry.corrected_by(corrections):
            return outcome_of_entry(entry, name, sha)
    outcome, keep = _parse(path, name, corrections, source)
    if cache is not None and keep is not None and outcome.sha256:
        cache.put(outcome.sha256, name, entry_of_outcome(outcome), **keep)
    return outcome


def _parse(path: Path, name: str, corrections: Overrides, source: Source | None = None
           ) -> tuple[FileOutcome, dict | None]:
    """The outcome of parsing one file (``source``: its bytes, if read already), and what the
    cache records with it (None: not to be cached)."""
    try:
        report = load_report(path, source)
    except LoadError as e:
        return _failed(path, name, LoadFailure(e.stage, "LoadError", e.message)), \
            {"name_used": False, "agency_as_written": None, "year": None}
    except Exception as e:  # not a bad file: a bug, counted apart, and the build exits non-zero
        return _failed(path, name, internal_failure(e, "reading the file")), None
    # Only the last cue for the year or agency reads the file's name into the rows.
    keep = {"name_used": any(i.code == "metadata_from_file_name" for i in report.issues),
            "agency_as_written": report.identity.name_as_written if report.identity else None,
            "year": report.year}
    if keep["agency_as_written"] is not None and \
            corrections.find(keep["agency_as_written"], report.year) is not None:
        keep = None  # corrected: the cache holds what the parser alone makes of a file
    report.source.path = Path(name)
    try:
        apply_overrides(report, corrections)
        rows = _named(as_tuples(report_to_rows(report)), name)
    except Exception as e:  # a bug in the corrections, the checks or the rows
        return _failed(path, name, internal_failure(e, "making the report's rows")), None
    return FileOutcome(name, rows, agency_of(report), report_status(report),
                       sha256=report.source.sha256), keep


def entry_of_outcome(outcome: FileOutcome) -> dict:
    """An outcome as the cache stores it: without the file's name (source_file is empty)."""
    if outcome.failure is not None:
        f = outcome.failure
        return {"failure": {"stage": f.stage, "error_type": f.error_type, "message": f.message}}
    # The rows as they are (JSON writes a tuple as an array), but the report's, without its name.
    rows = dict(outcome.rows)
    report = list(rows["reports"][0])
    report[_SOURCE_FILE()] = None
    rows["reports"] = [report, *rows["reports"][1:]]
    return {"status": outcome.status, "agency": outcome.agency, "rows": rows}


def outcome_of_entry(entry, name: str, sha256: str) -> FileOutcome:
    """A cache entry as the outcome of the file ``name`` (its name put in source_file)."""
    data = entry.outcome
    if "failure" in data:
        f = data["failure"]
        return FileOutcome(name, failure=LoadFailure(f["stage"], f["error_type"], f["message"],
                                                     sha256=sha256),
                           sha256=sha256, cached=True)
    rows = {table: [tuple(row) for row in table_rows] for table, table_rows in data["rows"].items()}
    return FileOutcome(name, _named(rows, name), data["agency"], data["status"], sha256=sha256,
                       cached=True)


def _named(rows: dict[str, list[tuple]], name: str) -> dict[str, list[tuple]]:
    """The rows with ``name`` as the report's source_file: the file's path relative to the
    folder given (find_inputs), as load_errors and build_files record it, whether the rows were
    just made (the report knows only the file's base name) or taken from the cache."""
    report = list(rows["reports"][0])
    report[_SOURCE_FILE()] = name
    rows["reports"][0] = tuple(report)
    return rows


def _SOURCE_FILE() -> int:
    return table_columns()["reports"].index("source_file")


def _failed(path: Path, name: str, failure: LoadFailure) -> FileOutcome:
    try:
        failure.sha256 = file_sha256(path)  # in blocks: the file may be too large to load
    except OSError:
        pass
    return FileOutcome(name, failure=failure, sha256=failure.sha256)


_ROOT = Path(__file__).resolve().parent.parent


def _frame(frame: traceback.FrameSummary) -> str:
    """A frame as ``loaders/x.py:12 in f`` (a library's from its package on)."""
    path = Path(frame.filename)
    try:
        shown = path.resolve().relative_to(_ROOT).as_posix()
    except ValueError:
        shown = frame.filename.rpartition("site-packages/")[2]
    return f"{shown}:{frame.lineno} in {frame.name}"


def internal_failure(e: Exception, step: str) -> LoadFailure:
    """An exception that is no ``LoadError`` as an internal failure: its message says where it
    was raised (the traceback's last frame, and the last one in our code if that is not it),
    so that a maintainer reading ``load_errors`` finds it; the whole traceback goes to the log."""
    frames = traceback.extract_tb(e.__traceback__)
    where = ""
    if frames:
        where = f"; raised at {_frame(frames[-1])}"
        ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(_ROOT / "loaders")]
        if ours and ours[-1] is not frames[-1]:
            where += f", from {_frame(ours[-1])}"
    return LoadFailure(INTERNAL, type(e).__name__, f"{str(e) or type(e).__name__} ({step}{where})",
                       traceback="".join(traceback.format_exception(e)))


# The worker processes' corrections and parse cache, set once per process by _init_worker.
_CORRECTIONS: Overrides | None = None
_CACHE: ParseCache | None = None


# The cyclic garbage collector's first threshold while files are parsed and written (Python's
# default is 700): a collection runs each time allocations outnumber deallocations by it. Parsing
# a report allocates tens of thousands of containers, which all die by reference counting (a
# parse leaves no reference cycle: tests/test_gc.py), so each collection walked live objects for
# nothing. At 10,000 a parse takes 3% less CPU (issue 17: benchmarks/gc_threshold.py, 1,000
# files of the 100,000 corpus, each parsed under both thresholds in turn: ratio 0.965-0.968).
GC_THRESHOLD = 10_000


def collect_less() -> tuple[int, ...]:
    """Raise the collector's first threshold to ``GC_THRESHOLD`` (a higher one, or 0, which
    turns automatic collection off, is kept); the thresholds before are returned."""
    before = gc.get_threshold()
    if 0 < before[0] < GC_THRESHOLD:
        gc.set_threshold(GC_THRESHOLD, *before[1:])
    return before


@contextlib.contextmanager
def fewer_collections():
    """``collect_less`` for the duration (the worker processes keep it for their life)."""
    before = collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _init_worker(corrections: Overrides, cache: tuple[str, str] | None = None) -> None:
    _set_worker_state(corrections, ParseCache(*cache) if cache else None)
    collect_less()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def _set_worker_state(corrections: Overrides, cache: ParseCache | None) -> None:
    global _CORRECTIONS, _CACHE
    _CORRECTIONS, _CACHE = corrections, cache


def _parse_chunk(chunk: list[tuple[Path, str]]) -> list[FileOutcome]:
    return [parse_file(path, name, _CORRECTIONS, _CACHE) for path, name in chunk]


def _fill_chunk(chunk: list[tuple[Path, str]]) -> list[tuple[str, str]]:
    """``ogi parse``: each file's outcome stored in the cache; only what happened is sent back."""
    return [(name, _fill_kind(parse_file(path, name, _CORRECTIONS, _CACHE)))
            for path, name in chunk]


def _fill_kind(outcome: FileOutcome) -> str:
    if outcome.cached:
        return "cached"
    if outcome.failure is not None:
        return "internal" if outcome.failure.stage == INTERNAL else "failed"
    return "parsed"


# Files per task sent to a worker, and tasks in flight per worker: enough to keep every worker
# busy while the writer works, few enough that memory holds a few hundred parsed reports at most.
CHUNK_FILES = 32
TASKS_PER_WORKER = 3


def parse_all(inputs: Sequence[tuple[Path, str]], corrections: Overrides,
              jobs: int = 1, cache: ParseCache | None = None,
              task: Callable = None) -> Iterator[FileOutcome]:
    """Every input parsed (or taken from ``cache``), in input order. With ``jobs`` > 1, parsed in
    a pool of processes with a bounded number of tasks in flight (memory stays flat whatever the
    corpus size); the result is the same sequence as ``jobs=1`` gives. ``task`` is what a worker
    does with a chunk of files (default: ``_parse_chunk``)."""
    if jobs <= 1:
        if task is None:
            for chunk in _read_ahead(inputs):
                for path, name in chunk:
                    yield parse_file(path, name, corrections, cache)
            return
        _set_worker_state(corrections, cache)
        for chunk in _read_ahead(inputs):
            yield from task(chunk)
        return
    task = task or _parse_chunk
    chunks = _read_ahead(inputs)
    with ProcessPoolExecutor(jobs, mp_context=workers.context(), initializer=_init_worker,
                             initargs=(corrections, (str(cache.root), cache.version)
                                       if cache else None)) as pool:
        yield from workers.in_order(pool, task, chunks, jobs * TASKS_PER_WORKER)


def _read_ahead(inputs: Sequence[tuple[Path, str]]) -> Iterator[list[tuple[Path, str]]]:
    """The inputs in chunks of ``CHUNK_FILES``, the next chunk's files announced as a chunk is
    taken (``will_read``): a chunk is taken when it is submitted to a worker, which starts on it
    once the tasks in flight before it are done, so its files are read from disk while those are
    parsed (a corpus too large for the page cache)."""
    for i in range(0, len(inputs), CHUNK_FILES):
        will_read(p for p, _ in inputs[i if i == 0 else i + CHUNK_FILES:i + 2 * CHUNK_FILES])
        yield inputs[i:i + CHUNK_FILES]


# Below this many files a build parses in its own process: starting workers costs more.
PARALLEL_FROM = 200


def default_jobs() -> int:
    """The processes to parse with: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def build(paths: Iterable[str | Path], db_path: str | Path,
          progress: Callable[[Iterable, int], Iterable] | None = None,
          overrides: str | Path | None = DEFAULT_OVERRIDES, jobs: int = 1,
          sources: str | Path | None = None, cache: str | Path | None = None,
          incremental: bool = False) -> BuildResult:
    """Build the database from report files; ``overrides`` is the agencies.csv to apply (a
    missing file means none); ``sources`` a manifest of where each report was published
    (default: the sources.csv of each folder given, if any; see extract/sources.py). ``jobs``
    processes parse the files; one writer (this process) writes them in input order, so the
    database is the same whatever ``jobs`` (0: one process per CPU for a large build, one for a
    small one). The steps after the load may use as many (0: one per CPU): worker processes
    segment the prose of a large search index while this one indexes it.
    ``progress(items, count)`` may wrap the stream of parsed files, e.g. in a progress bar.

    ``cache`` is a parse cache folder (loaders/cache.py): files it holds are not parsed again,
    files parsed are stored in it. With ``incremental``, a previous database at ``db_path`` is
    brought up to date rather than built again (loaders/store/update.py): nothing is written if
    nothing changed (``result.unchanged``); ``result.note`` says why a build was from scratch."""
    result = BuildResult()
    paths = list(paths)
    inputs = find_inputs(paths)
    manifest = find_manifests(paths, inputs, sources)
    result.source_problems = manifest.problems
    corrections = Overrides.load(overrides)
    state = State.of(inputs, corrections.rows, manifest)
    plan = None
    if incremental:
        started = time.perf_counter()
        decision = decide(Path(db_path), state)
        result.timings["compare"] = round(time.perf_counter() - started, 3)
        result.note = decision.note
        if decision.nothing_changed:
            result.unchanged = True
            result.check_errors = decision.check_errors
            _count_database(result, Path(db_path))  # (its summary, --strict and --stats-json)
            return result
        plan = decision.plan
        result.plan = plan
    todo = inputs if plan is None else plan.inputs
    parse_cache = ParseCache(cache) if cache is not None else None
    # The steps after the load may use as many processes (the search index: when a small update
    # numbers every section again, there are as many sections to index as in a full build).
    after_jobs = jobs if jobs > 0 else default_jobs()
    if jobs <= 0:
        jobs = default_jobs() if len(todo) >= PARALLEL_FROM else 1
    result.jobs = jobs
    result.compiled = _compiled.in_use()
    parsed = parse_all(todo, corrections, jobs, parse_cache)
    started = time.perf_counter()
    store = Store(db_path, corrections.rows, state=state, plan=plan, jobs=after_jobs)
    with store, fewer_collections():
        for item in (progress(parsed, len(todo)) if progress else parsed):
            if item.failure is None:
                _write(store, result, item, manifest)
            if item.failure is not None:
                _record_failure(store, result, item.name, item.failure)
            result.from_cache += item.cached
            if item.failure is not None and item.failure.stage == INTERNAL:
                continue  # not listed: a bug's victim is loaded again by the next build
            store.record(item.name, item.sha256 or item.failure and item.failure.sha256,
                         item.rows["reports"][0][0] if item.failure is None and item.written
                         else None, item.agency if item.failure is None and item.written
                         else None)
        result.timings["load"] = round(time.perf_counter() - started, 3)
        result.timings["write"] = round(store.write_seconds, 3)  # part of load
    result.timings.update(store.timings)
    result.check_errors = store.check_errors
    if plan is not None:
        _count_database(result, Path(db_path))
    return result


def _count_database(result: BuildResult, db_path: Path) -> None:
    """The summary's counts over the whole updated database, as a build from scratch gives them
    (the errors listed are those of the files loaded again)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        result.without_parse_issues, result.with_parse_issues = conn.execute(
            "SELECT count(parse_issue_count = 0 OR NULL), count(parse_issue_count > 0 OR NULL) "
            "FROM reports").fetchone()
        result.failed = conn.execute("SELECT count(*) FROM load_errors WHERE stage != ?",
                                     (INTERNAL,)).fetchone()[0]
        result.sources = conn.execute("SELECT count(*) FROM reports "
                                      "WHERE source_url IS NOT NULL").fetchone()[0]
    finally:
        conn.close()


def _write(store: Store, result: BuildResult, item: FileOutcome, manifest: Manifest) -> None:
    """Write one parsed report and count it; rows the database refuses make it an internal
    failure (``item.failure``), undone alone."""
    try:
        with_source = _add_source(item, manifest)
        added = store.add_rows(item.rows, item.agency)
    except Exception as e:
        if _database_failed(e):
            raise  # the database itself failed (disk full): the whole build stops
        # A key twice, a value SQLite cannot hold, a row of the wrong length: a bug in making the
        # rows. What was written of the report is rolled back (add_rows' savepoint).
        item.failure = internal_failure(e, "writing the report's rows")
        item.failure.sha256 = _sha256_of(item.rows)
        return
    result.sources += with_source
    item.written = added
    if not added:
        result.duplicates.append(item.name)
    elif item.status == "ok":
        result.without_parse_issues += 1
    else:
        result.with_parse_issues += 1


def _database_failed(e: Exception) -> bool:
    """Whether the database itself failed (the disk, the file, a lock), rather than refused one
    report's rows. SQLite raises the bare ``DatabaseError`` for a corrupt file."""
    return isinstance(e, (OSError, sqlite3.OperationalError, sqlite3.InternalError)) \
        or type(e) is sqlite3.DatabaseError


def _sha256_of(rows: dict[str, list[tuple]]) -> str | None:
    try:
        return rows["reports"][0][table_columns()["reports"].index("source_sha256")]
    except (KeyError, IndexError, ValueError, TypeError):  # the rows are what was wrong
        return None


def _add_source(item: FileOutcome, manifest: Manifest) -> int:
    """Give a parsed report the columns of its sources.csv row, if it has one (the manifest stays
    in the writer's process: workers never see it)."""
    published = manifest.get(item.name)
    if published is None:
        return 0
    columns = table_columns()["reports"]
    row = list(item.rows["reports"][0])
    for column, value in published.as_columns().items():
        row[columns.index(column)] = value
    item.rows["reports"][0] = tuple(row)
    return 1


def _record_failure(store: Store, result: BuildResult, name: str, failure: LoadFailure) -> None:
    store.add_error(name, failure.sha256, failure.stage, failure.error_type, failure.message)
    if failure.stage == INTERNAL:
        log.error("internal error (a bug, not a bad file) on %s: %s\n%s", name,
                  failure.message, failure.traceback or "")
        result.internal_errors.append((name, failure.error_type, failure.message))
    else:
        result.failed += 1
        result.errors.append((name, failure.stage, failure.message))
