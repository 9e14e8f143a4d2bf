"""Build the database from report files: every file either loads or becomes a load error."""

from __future__ import annotations

import logging
import multiprocessing
import os
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .extract.agencies import Overrides
from .extract.sources import FILE_NAME as SOURCES_FILE, Manifest, find_manifests
from .model import LoadError
from .pipeline import load_report
from .snapshot import file_sha256
from .store import Store, agency_of, as_tuples, report_status, report_to_rows, table_columns

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    ok: int = 0
    with_issues: int = 0
    failed: int = 0
    duplicates: list[str] = field(default_factory=list)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (file, stage, message)
    jobs: int = 1
    # Seconds: "load" (parse and write every file), then each step once all are in.
    timings: dict[str, float] = field(default_factory=dict)
    sources: int = 0  # reports given their URL by a sources.csv
    source_problems: list[str] = field(default_factory=list)  # its bad rows, one line each

    def as_dict(self) -> dict:
        return {"reports_ok": self.ok, "reports_with_issues": self.with_issues,
                "files_failed": self.failed, "duplicates": len(self.duplicates),
                "reports_with_source": self.sources,
                "source_rows_with_problems": len(self.source_problems),
                "jobs": self.jobs, "seconds": self.timings}

    @property
    def summary(self) -> str:
        return f"{self.ok} reports ok · {self.with_issues} with issues · {self.failed} failed"


def find_inputs(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Every report file under ``paths`` as (path, name to record), in a stable order.

    The recorded name is the path relative to the folder given, so that reports/a/x.txt and
    reports/b/x.txt stay apart. Hidden files, README files and the sources.csv manifest
    (loaders/extract/sources.py) are not reports.
    """
    found: list[tuple[Path, str]] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if f.is_file() and not any(part.startswith(".") for part in rel.parts) \
                        and not f.name.lower().startswith("readme") and f.name != SOURCES_FILE:
                    found.append((f, rel.as_posix()))
        else:
            found.append((p, p.name))
    return found


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


@dataclass
class Parsed:
    """What a worker sends back for one file: its rows, or why it failed (plain data, picklable)."""

    name: str
    rows: dict[str, list[tuple]] | None = None  # table -> rows, in the table's column order
    agency: dict | None = None
    status: str | None = None
    failure: tuple[str, str, str, str | None] | None = None  # (stage, error type, message, sha256)


def parse_file(path: Path, name: str, corrections: Overrides) -> Parsed:
    """Read one file into the rows it adds; never raises for a bad file."""
    try:
        report = load_report(path)
    except LoadError as e:
        return _failed(path, name, e.stage, "LoadError", e.message)
    except Exception as e:  # one bad input never stops a build
        log.exception("unexpected error loading %s", path)
        return _failed(path, name, "parse", type(e).__name__, str(e))
    report.source.path = Path(name)
    try:
        apply_overrides(report, corrections)
        rows = as_tuples(report_to_rows(report))
    except Exception as e:  # a report the store cannot take is one load error, not a crash
        log.exception("unexpected error storing %s", path)
        return _failed(path, name, "store", type(e).__name__, str(e))
    return Parsed(name, rows, agency_of(report), report_status(report))


def _failed(path: Path, name: str, stage: str, error_type: str, message: str) -> Parsed:
    try:
        sha = file_sha256(path)  # in blocks: the file may be too large to load
    except OSError:
        sha = None
    return Parsed(name, failure=(stage, error_type, message, sha))


# The worker processes' corrections, set once per process by _init_worker.
_CORRECTIONS: Overrides | None = None


def _init_worker(corrections: Overrides) -> None:
    global _CORRECTIONS
    _CORRECTIONS = corrections
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def _parse_chunk(chunk: list[tuple[Path, str]]) -> list[Parsed]:
    return [parse_file(path, name, _CORRECTIONS) for path, name in chunk]


# Files per task sent to a worker, and tasks in flight per worker: enough to keep every worker
# busy while the writer works, few enough that memory holds a few hundred parsed reports at most.
CHUNK_FILES = 32
TASKS_PER_WORKER = 3


def parse_all(inputs: list[tuple[Path, str]], corrections: Overrides,
              jobs: int = 1) -> Iterator[Parsed]:
    """Every input parsed, in input order. With ``jobs`` > 1, parsed in a pool of processes with
    a bounded number of tasks in flight (memory stays flat whatever the corpus size); the result
    is the same sequence as ``jobs=1`` gives."""
    if jobs <= 1:
        for path, name in inputs:
            yield parse_file(path, name, corrections)
        return
    chunks = (inputs[i:i + CHUNK_FILES] for i in range(0, len(inputs), CHUNK_FILES))
    # forkserver: workers start from a clean process that has imported the loaders once.
    context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    if sys.platform != "win32":
        context.set_forkserver_preload(["loaders.pipeline", "loaders.store"])
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                             initargs=(corrections,)) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(_parse_chunk, chunk))
            if len(pending) >= jobs * TASKS_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


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
          sources: str | Path | None = None) -> BuildResult:
    """Build the database from report files; ``overrides`` is the agencies.csv to apply (a
    missing file means none); ``sources`` a manifest of where each report was published
    (default: the sources.csv of each folder given, if any; see extract/sources.py). ``jobs``
    processes parse the files; one writer (this process) writes them in input order, so the
    database is the same whatever ``jobs`` (0: one process per CPU for a large build, one for a
    small one). ``progress(items, count)`` may wrap the stream of parsed files, e.g. in a
    progress bar."""
    result = BuildResult()
    paths = list(paths)
    inputs = find_inputs(paths)
    manifest = find_manifests(paths, {name for _, name in inputs}, sources)
    result.source_problems = manifest.problems
    corrections = Overrides.load(overrides)
    if jobs <= 0:
        jobs = default_jobs() if len(inputs) >= PARALLEL_FROM else 1
    result.jobs = jobs
    parsed = parse_all(inputs, corrections, jobs)
    started = time.perf_counter()
    store = Store(db_path, corrections.rows)
    with store:
        for item in (progress(parsed, len(inputs)) if progress else parsed):
            if item.failure is not None:
                _record_failure(store, result, item.name, *item.failure)
                continue
            result.sources += _add_source(item, manifest)
            try:
                added = store.add_rows(item.rows, item.agency)
            except (sqlite3.DatabaseError, OSError) as e:
                if not isinstance(e, sqlite3.IntegrityError):
                    raise  # the database itself failed (disk full): the whole build stops
                log.exception("the database refused %s", item.name)  # one report, undone
                _record_failure(store, result, item.name, "store", type(e).__name__, str(e), None)
                continue
            if not added:
                result.duplicates.append(item.name)
            elif item.status == "ok":
                result.ok += 1
            else:
                result.with_issues += 1
        result.timings["load"] = round(time.perf_counter() - started, 3)
        result.timings["write"] = round(store.write_seconds, 3)  # part of load
    result.timings.update(store.timings)
    return result


def _add_source(item: Parsed, manifest: Manifest) -> int:
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


def _record_failure(store: Store, result: BuildResult, name: str, stage: str, error_type: str,
                    message: str, sha256: str | None) -> None:
    store.add_error(name, sha256, stage, error_type, message)
    result.failed += 1
    result.errors.append((name, stage, message))
