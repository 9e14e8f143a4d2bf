"""The files a build reads (``find_inputs``), in a stable order, each with the name it is recorded
under, kept compactly (``Inputs``): a build holds them from start to end, and at 100,000 files a
list of ``(Path, name)`` pairs was 43 MB of the writer's memory (issue 17)."""

from __future__ import annotations

import logging
import os
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .extract.sources import FILE_NAME as SOURCES_FILE

log = logging.getLogger(__name__)


class Inputs(Sequence):
    """A build's input files as a sequence of ``(path, name)`` pairs: ``name`` is what the build
    records (the path relative to the folder given, ``/``-separated; a file given by itself, its
    own name), ``path`` the file's ``Path``. Each folder is kept once and each file by its name
    (about 90 bytes a file); a pair's ``Path`` is made when it is asked for. A slice is a list
    of pairs (what a worker is sent)."""

    def __init__(self) -> None:
        self._folders: list[Path] = []
        self._names: list[str] = []
        self._folder_of = array("I")  # each name's index in _folders

    def add(self, folder: Path, names: Iterable[str]) -> None:
        """The files ``folder / name`` for each of ``names``, in their order, after those added."""
        names = list(names)
        if not names:
            return
        self._folders.append(folder)
        index = len(self._folders) - 1
        for name in names:
            self._names.append(name)
            self._folder_of.append(index)

    def __len__(self) -> int:
        return len(self._names)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._pair(j) for j in range(*i.indices(len(self._names)))]
        if i < 0:
            i += len(self._names)
        if not 0 <= i < len(self._names):
            raise IndexError(i)
        return self._pair(i)

    def _pair(self, i: int) -> tuple[Path, str]:
        name = self._names[i]
        return self._folders[self._folder_of[i]] / name, name

    def __iter__(self) -> Iterator[tuple[Path, str]]:
        folders = self._folders
        for name, folder in zip(self._names, self._folder_of):
            yield folders[folder] / name, name

    def locations(self) -> Iterator[tuple[str, str]]:
        """``(path, name)`` with the path as a string: what ``os.stat`` takes, without the cost
        of a ``Path`` for each file."""
        folders = [os.fspath(f) for f in self._folders]
        for name, folder in zip(self._names, self._folder_of):
            yield os.path.join(folders[folder], name), name

    def names(self) -> list[str]:
        return list(self._names)


def find_inputs(paths: Iterable[str | Path]) -> Inputs:
    """Every report file under ``paths`` as (path, name to record), in a stable order.

    The recorded name is the path relative to the folder given, so that reports/a/x.txt and
    reports/b/x.txt stay apart. Hidden files, README files and the sources.csv manifest
    (loaders/extract/sources.py) are not reports.

    Names are unique: a build records one row of ``build_files`` a name, and an incremental
    build finds what changed by name. A file whose name an earlier path gave already (two
    folders given, each with an ``x.txt``) is recorded under its path as given
    (``2022/x.txt``), or else its absolute path; a path given twice is read once.
    """
    found = Inputs()
    taken: set[str] = set()
    for p in map(Path, paths):
        if p.is_dir():
            # by the names' parts, as Path objects sort
            folder, names = p, ["/".join(parts) for parts in sorted(_walk(p, ()))]
        else:
            folder, names = p.parent, [p.name]
        run: list[str] = []  # names under ``folder`` not taken, in order
        for name in names:
            if name not in taken:
                taken.add(name)
                run.append(name)
                continue
            found.add(folder, run)
            run = []
            path = folder / name
            other = next((n for n in (path.as_posix(), path.absolute().as_posix())
                          if n not in taken), None)
            if other is None:
                log.warning("%s: given twice, read once", path)
                continue
            taken.add(other)
            found.add(Path(), [other])  # (Path() / other is the path as given)
        found.add(folder, run)
    return found


def _walk(folder: Path, parts: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The relative parts of every file under ``folder`` that is not hidden, a README or the
    sources manifest: os.scandir's walk needs no stat of a file (100,000 files in about a
    second). As with ``Path.rglob``, symbolic links to folders are not followed and a folder
    that cannot be read is passed over (with a warning: not a file that failed to load)."""
    try:
        entries = os.scandir(folder)
    except OSError as error:
        log.warning("%s: folder not read (%s)", folder, error.strerror or error)
        return
    with entries:
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(folder / name, parts + (name,))
            elif entry.is_file() and not name.lower().startswith("readme") \
                    and name != SOURCES_FILE:
                yield parts + (name,)
