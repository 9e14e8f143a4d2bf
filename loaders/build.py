"""Build the database from report files: every file either loads or becomes a load error."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .agencies import Overrides
from .model import LoadError
from .snapshot import file_sha256
from .pipeline import load_report
from .store import Store, report_status

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    ok: int = 0
    with_issues: int = 0
    failed: int = 0
    duplicates: list[str] = field(default_factory=list)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (file, stage, message)

    @property
    def summary(self) -> str:
        return f"{self.ok} reports ok · {self.with_issues} with issues · {self.failed} failed"


def find_inputs(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Every report file under ``paths`` as (path, name to record), in a stable order.

    The recorded name is the path relative to the folder given, so that reports/a/x.txt and
    reports/b/x.txt stay apart. Hidden files and README files are not reports.
    """
    found: list[tuple[Path, str]] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if f.is_file() and not any(part.startswith(".") for part in rel.parts) \
                        and not f.name.lower().startswith("readme"):
                    found.append((f, rel.as_posix()))
        else:
            found.append((p, p.name))
    return found


PLACE_ISSUES = {"place_ambiguous", "place_not_found", "place_renamed"}
DEFAULT_OVERRIDES = "agencies.csv"


def apply_overrides(report, overrides: Overrides) -> None:
    """Correct a report's agency and place from agencies.csv; the place issues it settles go."""
    if report.identity is None:
        return
    issues = overrides.apply(report.identity, report.year)
    if report.identity.override_note:
        report.issues = [i for i in report.issues if i.code not in PLACE_ISSUES
                         or report.identity.place.status != "override"]
    report.issues.extend(issues)


def build(paths: Iterable[str | Path], db_path: str | Path,
          progress: Callable[[Iterable], Iterable] | None = None,
          overrides: str | Path | None = DEFAULT_OVERRIDES) -> BuildResult:
    """Build the database from report files; ``overrides`` is the agencies.csv to apply (a
    missing file means none)."""
    result = BuildResult()
    inputs = find_inputs(paths)
    corrections = Overrides.load(overrides)
    with Store(db_path, corrections.rows) as store:
        for path, name in (progress(inputs) if progress else inputs):
            try:
                report = load_report(path)
            except LoadError as e:
                _record_failure(store, result, path, name, e.stage, "LoadError", e.message)
                continue
            except Exception as e:  # one bad input never stops a build
                log.exception("unexpected error loading %s", path)
                _record_failure(store, result, path, name, "parse", type(e).__name__, str(e))
                continue
            report.source.path = Path(name)
            try:
                apply_overrides(report, corrections)
                added = store.add_report(report)
            except (sqlite3.DatabaseError, OSError):
                raise  # the database itself failed (disk full): the whole build stops
            except Exception as e:  # a report the store cannot take is one load error, not a crash
                log.exception("unexpected error storing %s", path)
                _record_failure(store, result, path, name, "store", type(e).__name__, str(e))
                continue
            if not added:
                result.duplicates.append(name)
                continue
            if report_status(report) == "ok":
                result.ok += 1
            else:
                result.with_issues += 1
    return result


def _record_failure(store: Store, result: BuildResult, path: Path, name: str, stage: str,
                    error_type: str, message: str) -> None:
    try:
        sha = file_sha256(path)  # in blocks: the file may be too large to load
    except OSError:
        sha = None
    store.add_error(name, sha, stage, error_type, message)
    result.failed += 1
    result.errors.append((name, stage, message))
