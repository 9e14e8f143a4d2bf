"""Where each report was published: the optional sidecar manifest ``sources.csv``.

A folder of reports may hold a ``sources.csv`` with the columns ``file,url,published_by,
fetched_on``: ``file`` is the report's path relative to that folder (as ``reports.source_file``
records it, unless another folder given has a file of that name: ``loaders.inputs``), ``url``
the page or file it was fetched from (http or https), ``published_by`` the site or body that
published it, ``fetched_on`` the date it was fetched (YYYY-MM-DD). The build
copies them into ``reports.source_url``, ``source_published_by`` and ``source_fetched_on``; the
report page, the API and the snapshot manifest show them. Without a manifest they are NULL.

A bad row (a file that is not among the reports, a URL that is not http(s), a date not in the
calendar, a file named twice) is never fatal: it is left out, or its bad field is, and said in
the build's summary (``Manifest.problems``).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from ..inputs import Inputs

FILE_NAME = "sources.csv"
COLUMNS = ("file", "url", "published_by", "fetched_on")


@dataclass(frozen=True)
class Published:
    url: str | None
    published_by: str | None
    fetched_on: str | None

    def as_columns(self) -> dict[str, str | None]:
        return {"source_url": self.url, "source_published_by": self.published_by,
                "source_fetched_on": self.fetched_on}


@dataclass
class Manifest:
    by_file: dict[str, Published] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # one line each, for the build summary
    rows: int = 0

    def get(self, name: str) -> Published | None:
        return self.by_file.get(name)


def is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def read_manifest(path: Path, known: Mapping[str, str]) -> Manifest:
    """The manifest at ``path``; ``known`` maps the names it may give to the recorded names of
    the reports being built (``Manifest.by_file`` is by recorded name)."""
    manifest = Manifest()
    label = path.name
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in ("file", "url") if c not in (reader.fieldnames or [])]
            if missing:
                manifest.problems.append(f"{label}: no column {', '.join(missing)} (the columns "
                                         f"are {','.join(COLUMNS)}): not used")
                return manifest
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        manifest.problems.append(f"{label}: cannot be read ({e}): not used")
        return manifest
    for line, row in enumerate(rows, 2):
        manifest.rows += 1
        name = (row.get("file") or "").strip()
        url = (row.get("url") or "").strip() or None
        where = f"{label} line {line}"
        if not name:
            manifest.problems.append(f"{where}: no file named: row ignored")
            continue
        key = known.get(name.removeprefix("./"))
        if key is None:
            manifest.problems.append(f"{where}: {name} is not among the reports: row ignored")
            continue
        if key in manifest.by_file:
            manifest.problems.append(f"{where}: {name} is listed twice: the first row is kept")
            continue
        if url is not None and not is_web_url(url):
            manifest.problems.append(f"{where}: {url!r} is not an http(s) URL: row ignored")
            continue
        fetched = (row.get("fetched_on") or "").strip() or None
        if fetched is not None:
            try:
                fetched = dt.date.fromisoformat(fetched).isoformat()
            except ValueError:
                manifest.problems.append(f"{where}: fetched_on {fetched!r} is not a date "
                                         "(YYYY-MM-DD): left blank")
                fetched = None
        manifest.by_file[key] = Published(url, (row.get("published_by") or "").strip() or None,
                                          fetched)
    return manifest


def find_manifests(paths, inputs: Inputs, explicit: Path | None = None) -> Manifest:
    """The manifest of a build whose files are ``inputs`` (``loaders.inputs.find_inputs`` of
    ``paths``): ``explicit`` if given (it names the files as they are recorded), else the
    ``sources.csv`` of each folder given, which names the files under that folder by their path
    under it (the recorded name, unless two folders hold a file of the same name)."""
    if explicit is not None:
        return read_manifest(Path(explicit), {name: name for name in inputs.names()})
    merged = Manifest()
    for p in map(Path, paths):
        if p.is_dir() and (p / FILE_NAME).is_file():
            one = read_manifest(p / FILE_NAME, inputs.under(p))
            merged.rows += one.rows
            merged.problems += one.problems
            for name, published in one.by_file.items():
                merged.by_file.setdefault(name, published)
    return merged
