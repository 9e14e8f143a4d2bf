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
    records (``find_inputs``), ``path`` the file's ``Path``. Each folder is kept once and each
    file by its path under it (about 90 bytes a file); a pair's ``Path`` is made when it is asked
    for. A slice is a list of pairs (what a worker is sent)."""

    def __init__(self) -> None:
        self._folders: list[Path] = []
        self._names: list[str] = []  # each file's path under its folder, /-separated
        self._folder_of = array("I")  # each file's index in _folders
        self._recorded: dict[int, str] = {}  # a file's name where it is not its path under it

    def add_folder(self, folder: Path) -> int:
        """``folder``'s index, for ``append``."""
        self._folders.append(folder)
        return len(self._folders) - 1

    def append(self, folder: int, name: str, recorded: str | None = None) -> None:
        """The file ``name`` under the folder of index ``folder``, recorded as ``recorded`` if
        given (else as ``name``)."""
        if recorded is not None:
            self._recorded[len(self._names)] = recorded
        self._names.append(name)
        self._folder_of.append(folder)

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
        return self._folders[self._folder_of[i]] / name, self._recorded.get(i, name)

    def _entries(self) -> Iterator[tuple[int, str, str]]:
        """(folder index, path under it, recorded name) of each file, in order."""
        recorded = self._recorded
        for i, (name, folder) in enumerate(zip(self._names, self._folder_of)):
            yield folder, name, recorded.get(i, name) if recorded else name

    def __iter__(self) -> Iterator[tuple[Path, str]]:
        folders = self._folders
        for folder, name, recorded in self._entries():
            yield folders[folder] / name, recorded

    def locations(self) -> Iterator[tuple[str, str]]:
        """``(path, name)`` with the path as a string: what ``os.stat`` takes, without the cost
        of a ``Path`` for each file."""
        folders = [os.fspath(f) for f in self._folders]
        for folder, name, recorded in self._entries():
            yield os.path.join(folders[folder], name), recorded

    def names(self) -> list[str]:
        """The recorded names, in order."""
        return [recorded for _, _, recorded in self._entries()]

    def under(self, folder: Path) -> dict[str, str]:
        """The files found under ``folder`` (a folder given: ``find_inputs``), by their path
        under it, with the name each is recorded as (its ``sources.csv`` names them so)."""
        indexes = {i for i, f in enumerate(self._folders) if f == folder}
        return {name: recorded for f, name, recorded in self._entries() if f in indexes}


def find_inputs(paths: Iterable[str | Path]) -> Inputs:
    """Every report file under ``paths`` as (path, name to record), in a stable order.

    The recorded name is the path relative to the folder given, so that reports/a/x.txt and
    reports/b/x.txt stay apart; a file given by itself is recorded by its own name. Hidden
    files, README files and the sources.csv manifest (loaders/extract/sources.py) are not
    reports.

    Names are unique: a build records one row of ``build_files`` a name, and an incremental
    build finds what changed by name. A file whose name an earlier path gave to another file
    (two folders given, each with an ``x.txt``) is recorded as its path as given
    (``2022/x.txt``), or, were that taken too, its absolute path. A file found again under the
    same name (a folder or file given twice) is read once.
    """
    found = Inputs()
    taken: dict[str, int] = {}  # recorded name -> its file's index in ``found``
    again = 0
    for given in paths:
        p = Path(given)
        is_folder = p.is_dir()
        if is_folder:
            # by the names' parts, as Path objects sort
            folder, names = p, ["/".join(parts) for parts in sorted(_walk(p, ()))]
        else:
            folder, names = p.parent, [p.name]
        index = found.add_folder(folder)
        for name in names:
            text = _text(name)
            holder = taken.get(text)
            if holder is None:
                taken[text] = len(found)
                found.append(index, name, text if text != name else None)
                continue
            path = folder / name
            as_given = os.path.join(os.fspath(given), name) if is_folder else os.fspath(given)
            for recorded in map(_text, (name, as_given.replace(os.sep, "/"),
                                        path.absolute().as_posix())):
                holder = taken.get(recorded)
                if holder is None:
                    taken[recorded] = len(found)
                    found.append(index, name, recorded)
                    break
                if _same_file(path, found[holder][0]):
                    again += 1
                    break
            else:  # (an absolute path is another file's name only if that file is gone)
                log.warning("%s: no name of its own: not read", path)
    if again:
        log.warning("%d file%s found again under the same name: read once", again,
                    "" if again == 1 else "s")
    return found


def _text(name: str) -> str:
    """The name as text a database can hold: itself, or, where the file system gave bytes that
    are not UTF-8 (a zip made on a Chinese Windows: 报告.txt in GBK), those bytes written out
    (``\\xb1\\xa8…``), one name per file. The file is read by its own path."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


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
            elif _file(entry) and not name.lower().startswith("readme") \
                    and name != SOURCES_FILE:
                yield parts + (name,)


def _file(entry: os.DirEntry) -> bool:
    """Whether the entry is a file to read: a file, or a symbolic link that leads to none (a
    loop, a link whose target is gone), which the build then records as a file it could not
    read; not a link to a folder."""
    try:
        if entry.is_file():
            return True
    except OSError:  # a loop of links: Too many levels of symbolic links
        return True
    if not entry.is_symlink():
        return False
    try:
        return not entry.is_dir()
    except OSError:
        return True
