"""Which files a build reads, and in which order (``loaders.build.find_inputs``): the order decides
which of two copies of a report is loaded, and the names are what incremental builds compare."""

from pathlib import Path

from loaders.build import find_inputs


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")


def test_files_in_name_order_without_hidden_readme_or_sources(tmp_path):
    root = tmp_path / "reports"
    _touch(root, "b.txt", "a/z.html", "a-b/c.pdf", "a/b/c.docx", "A.txt", ".hidden.txt",
           ".git/x.txt", "d/.cache/y.txt", "README.md", "d/readme.txt", "sources.csv",
           "d/sources.csv", "readme-folder/r.txt")
    found = find_inputs([root])
    # Path order compares the names' parts: "a" and its files before "a-b", capitals first.
    assert [name for _, name in found] == [
        "A.txt", "a/b/c.docx", "a/z.html", "a-b/c.pdf", "b.txt", "readme-folder/r.txt"]
    assert all(path == root / name for path, name in found)


def test_a_file_given_by_name_and_links(tmp_path):
    root = tmp_path / "reports"
    _touch(root, "x/one.txt")
    _touch(tmp_path, "elsewhere/two.txt", "single.txt")
    (root / "linked-folder").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "linked-file.txt").symlink_to(tmp_path / "elsewhere" / "two.txt")
    (root / "broken.txt").symlink_to(tmp_path / "missing.txt")
    found = find_inputs([root, tmp_path / "single.txt"])
    # a link to a file is read, a link to a folder is not followed, a broken link is listed (the
    # build records it as a file it could not read: tests/test_bad_files.py)
    assert [name for _, name in found] == ["broken.txt", "linked-file.txt", "x/one.txt",
                                           "single.txt"]


def test_a_folder_that_cannot_be_read_is_passed_over(tmp_path, monkeypatch, caplog):
    import os

    root = tmp_path / "reports"
    _touch(root, "a.txt", "locked/b.txt", "z/c.txt")
    scandir = os.scandir

    def refusing(path):
        if str(path).endswith("locked"):  # as chmod 000 would, for any user but root
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    assert [name for _, name in find_inputs([root])] == ["a.txt", "z/c.txt"]
    assert "locked: folder not read (Permission denied)" in caplog.text


def test_the_inputs_are_a_sequence_of_pairs(tmp_path):
    """``Inputs`` keeps folders once and files by name; read back, it is the list of
    ``(path, name)`` pairs a build used to hold: by index, from the end, by slice (a worker's
    chunk: a list), and as strings for ``os.stat``."""
    import os

    import pytest

    root = tmp_path / "reports"
    _touch(root, "b.txt", "a/z.html", "a/b/c.docx")
    _touch(tmp_path, "single.txt")
    found = find_inputs([root, tmp_path / "single.txt"])
    pairs = [(root / "a/b/c.docx", "a/b/c.docx"), (root / "a/z.html", "a/z.html"),
             (root / "b.txt", "b.txt"), (tmp_path / "single.txt", "single.txt")]
    assert list(found) == pairs and len(found) == 4
    assert [found[i] for i in range(4)] == pairs
    assert found[-1] == pairs[-1] and found[-4] == pairs[0]
    assert found[1:3] == pairs[1:3] and isinstance(found[1:3], list)
    assert found[::2] == pairs[::2] and found[3:10] == pairs[3:]
    with pytest.raises(IndexError):
        found[4]
    with pytest.raises(IndexError):
        found[-5]
    assert list(found.locations()) == [(os.fspath(p), n) for p, n in pairs]
    assert found.names() == [n for _, n in pairs]
    assert all(os.path.exists(p) for p, _ in found.locations())


def test_names_are_unique_across_the_paths_given(tmp_path, caplog):
    """Two folders given, each with an ``x.txt``: the second is recorded under its path as given
    (a build keeps one ``build_files`` row a name); a file found again under the same name is
    read once."""
    _touch(tmp_path, "2021/x.txt", "2021/y.txt", "2022/x.txt", "2022/z.txt", "x.txt")
    a, b = tmp_path / "2021", tmp_path / "2022"
    found = find_inputs([a, b, tmp_path / "x.txt", b / "x.txt", b / "x.txt"])
    assert list(found) == [
        (a / "x.txt", "x.txt"), (a / "y.txt", "y.txt"),
        (b / "x.txt", (b / "x.txt").as_posix()), (b / "z.txt", "z.txt"),
        (tmp_path / "x.txt", (tmp_path / "x.txt").as_posix())]
    assert "2 files found again under the same name: read once" in caplog.text
    assert len(set(found.names())) == len(found)
    # what each folder's sources.csv names, by the path under it
    assert found.under(b) == {"x.txt": (b / "x.txt").as_posix(), "z.txt": "z.txt"}
    assert found.under(a) == {"x.txt": "x.txt", "y.txt": "y.txt"}


def test_relative_paths_given_keep_relative_names(tmp_path, monkeypatch):
    """Names as given, never the machine's absolute path where a relative one is free; the same
    folder or file given twice is read once."""
    _touch(tmp_path, "a/x.txt", "b/x.txt", "x.txt")
    monkeypatch.chdir(tmp_path)
    assert [n for _, n in find_inputs(["x.txt", "x.txt"])] == ["x.txt"]
    assert [n for _, n in find_inputs(["a", "a"])] == ["x.txt"]
    assert list(find_inputs(["a", "b", "b/x.txt"])) == [
        (Path("a/x.txt"), "x.txt"), (Path("b/x.txt"), "b/x.txt")]
    # "." holds a/x.txt again under another name (read twice: the build loads its report once)
    found = find_inputs(["a", "."])
    assert [n for _, n in found] == ["x.txt", "a/x.txt", "b/x.txt", "./x.txt"]
    assert [p for p, _ in found] == [Path("a/x.txt"), Path("a/x.txt"), Path("b/x.txt"),
                                     Path("x.txt")]


def test_a_name_taken_twice_as_given_becomes_absolute(tmp_path, monkeypatch):
    _touch(tmp_path, "a/x.txt", "b/x.txt", "c/b/x.txt")
    monkeypatch.chdir(tmp_path)
    # c's files are named relative to c: "b/x.txt", which b's x.txt, given as "b", would be too
    found = find_inputs(["a", "c", "b"])
    assert [name for _, name in found] == [
        "x.txt", "b/x.txt", (tmp_path / "b" / "x.txt").as_posix()]
    assert [p for p, _ in found] == [Path("a/x.txt"), Path("c/b/x.txt"), Path("b/x.txt")]
