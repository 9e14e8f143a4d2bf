"""The parse cache (loaders/cache.py): ogi parse fills it, ogi build --cache reuses it and gives
the database a build without it gives; a corrupt entry, or one of another version, is ignored and
the file parsed again; rows do not hold the file's name; agencies.csv is applied after it."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

import loaders.build as build_module
from conftest import REPORTS, ROOT
from factory import write_report
from loaders import cache as cache_module
from loaders.build import build
from loaders.cache import ParseCache, loader_version
from loaders.cli import cli


def dump(path) -> list[str]:
    return list(sqlite_utils.Database(path).iterdump())


def entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.json.gz"))


def no_parsing(monkeypatch):
    """Any file parsed from now on is a test failure."""
    def parse(path, source=None):
        raise AssertionError(f"{path} was parsed, not taken from the cache")
    monkeypatch.setattr(build_module, "load_report", parse)


@pytest.fixture(scope="module")
def plain_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("plain") / "ogi.db"
    build([REPORTS], db, overrides=None)
    return db


def test_ogi_parse_fills_the_cache_and_build_reuses_it(tmp_path, plain_db, monkeypatch):
    cache = tmp_path / "cache"
    out = CliRunner().invoke(cli, ["parse", str(REPORTS), "--cache", str(cache), "--silent"])
    assert out.exit_code == 0, out.output
    assert "13 parsed · 0 already in the cache" in out.output
    assert len(entries(cache)) == 13
    assert {p.parent.parent.name for p in entries(cache)} == {loader_version()}
    out = CliRunner().invoke(cli, ["parse", str(REPORTS), "--cache", str(cache), "--silent"])
    assert "0 parsed · 13 already in the cache" in out.output
    no_parsing(monkeypatch)
    db = tmp_path / "ogi.db"
    result = build([REPORTS], db, overrides=None, cache=cache)
    assert result.from_cache == 13 and result.loaded == 13
    assert dump(db) == dump(plain_db)


def test_the_entry_format_is_plain_gzipped_json_without_the_file_name(tmp_path):
    cache = tmp_path / "cache"
    build([REPORTS], tmp_path / "ogi.db", overrides=None, cache=cache)
    path = next(p for p in entries(cache) if "md" in p.name)
    data = json.loads(gzip.decompress(path.read_bytes()))
    assert data["format"] == 1 and data["version"] == loader_version()
    assert path.name == f"{data['sha256']}.md.json.gz" and path.parent.name == data["sha256"][:2]
    assert data["file_name"] is None
    source_file = build_module.table_columns()["reports"].index("source_file")
    assert data["outcome"]["rows"]["reports"][0][source_file] is None
    assert "shanghai" not in json.dumps(data["outcome"]["rows"]["reports"], ensure_ascii=False)


def test_an_entry_holds_what_the_standard_encoder_writes(tmp_path):
    """``entry_bytes`` (orjson, ISA-L's gzip) writes every report's entry as the standard
    library's json would, value for value and type for type (1 is not 1.0 nor True), in a gzip
    stream the standard library reads, the same bytes each time; what orjson refuses is left to
    the standard encoder, which writes it (an integer past 64 bits) or raises (a lone
    surrogate) as it always did."""
    cache = tmp_path / "cache"
    build([REPORTS], tmp_path / "ogi.db", overrides=None, cache=cache)
    found = entries(cache)
    assert len(found) == 13
    for path in found:
        data = json.loads(gzip.decompress(path.read_bytes()))
        standard = json.loads(cache_module._ENCODE(data))
        again = json.loads(gzip.decompress(cache_module.entry_bytes(data)))
        assert again == standard and repr(again) == repr(standard), path.name
        assert cache_module.entry_bytes(data) == path.read_bytes()  # the same bytes each time
        assert path.read_bytes()[4:8] == bytes(4)  # no time in the gzip header
    floats = {"rows": [[1, 1.0, True, None, 0.1 + 0.2, 1e16, -0.0, "鄞州区\t\"x\""], (2, 3.5)]}
    back = json.loads(gzip.decompress(cache_module.entry_bytes(floats)))
    assert repr(back) == repr(json.loads(cache_module._ENCODE(floats)))
    huge = {"rows": [[2 ** 70, -(2 ** 64)]]}
    assert json.loads(gzip.decompress(cache_module.entry_bytes(huge))) == huge
    with pytest.raises(UnicodeEncodeError):
        cache_module.entry_bytes({"text": "\ud800"})


def test_storing_leaves_the_outcome_as_it_was_and_survives_a_removed_folder(tmp_path):
    """The entry is made without copying the rows, so the outcome the build writes must keep
    its file's name; a cache whose folder was removed while it was open still stores."""
    cache = ParseCache(tmp_path / "cache")
    path = next(p for p in sorted(REPORTS.iterdir()) if p.suffix == ".md")
    outcome = build_module.parse_file(path, path.name, build_module.Overrides([]), cache)
    source_file = build_module.table_columns()["reports"].index("source_file")
    assert outcome.rows["reports"][0][source_file] == path.name and cache.stored == 1
    shutil.rmtree(tmp_path / "cache")
    again = build_module.parse_file(path, path.name, build_module.Overrides([]), cache)
    assert cache.stored == 2 and again.rows == outcome.rows
    assert cache.get(outcome.sha256, path.name).outcome["rows"]["reports"][0][source_file] is None


def test_a_corrupt_entry_or_one_of_another_version_is_parsed_again(tmp_path, plain_db, caplog):
    cache = tmp_path / "cache"
    build([REPORTS], tmp_path / "first.db", overrides=None, cache=cache)
    paths = entries(cache)
    paths[0].write_bytes(paths[0].read_bytes()[:100])  # truncated
    paths[1].write_bytes(b"not gzip at all")
    data = json.loads(gzip.decompress(paths[2].read_bytes()))
    paths[2].write_bytes(gzip.compress(json.dumps({**data, "version": "0" * 16}).encode()))
    data = json.loads(gzip.decompress(paths[3].read_bytes()))
    data["outcome"]["rows"]["reports"][0].append("one column too many")
    paths[3].write_bytes(gzip.compress(json.dumps(data).encode()))
    db = tmp_path / "ogi.db"
    result = build([REPORTS], db, overrides=None, cache=cache)
    assert result.from_cache == 9 and result.loaded == 13 and not result.internal_errors
    assert dump(db) == dump(plain_db)
    assert "parsed again" in caplog.text
    # The entries parsed again were written anew, valid.
    assert build([REPORTS], tmp_path / "third.db", overrides=None, cache=cache).from_cache == 13


def test_another_loader_version_looks_in_another_folder(tmp_path):
    cache = tmp_path / "cache"
    build([REPORTS], tmp_path / "a.db", overrides=None, cache=cache)
    assert ParseCache(cache, "f" * 16).get(
        json.loads(gzip.decompress(entries(cache)[0].read_bytes()))["sha256"], "x.txt") is None


def test_the_version_changes_with_the_parsing_code_only(tmp_path, monkeypatch):
    package = tmp_path / "loaders"
    shutil.copytree(ROOT / "loaders", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "PACKAGE", package)

    def versions():
        cache_module.loader_version.cache_clear()
        cache_module.build_version.cache_clear()
        return cache_module.loader_version(), cache_module.build_version()

    try:
        first = versions()
        with open(package / "site" / "plugin.py", "a") as f:
            f.write("\n# a comment\n")
        assert versions() == first  # the site makes no row
        with open(package / "derived" / "summaries.py", "a") as f:
            f.write("\n# a comment\n")
        second = versions()
        assert second[0] == first[0] and second[1] != first[1]  # a rebuild, no re-parse
        with open(package / "mapping" / "numbers.py", "a") as f:
            f.write("\n# a comment\n")
        third = versions()
        assert third[0] != first[0] and third[1] != second[1]
        (package / "data" / "zones.csv").write_text("changed\n")
        assert versions()[0] != third[0]
    finally:
        monkeypatch.undo()
        cache_module.loader_version.cache_clear()
        cache_module.build_version.cache_clear()


def test_the_same_content_under_another_name_is_taken_from_the_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    shutil.copy(REPORTS / "003_ebe99ea40a3f8069.txt", one / "a.txt")
    shutil.copy(REPORTS / "003_ebe99ea40a3f8069.txt", two / "renamed.txt")
    build([one], tmp_path / "a.db", overrides=None, cache=cache)
    no_parsing(monkeypatch)
    db = tmp_path / "b.db"
    assert build([two], db, overrides=None, cache=cache).from_cache == 1
    assert [r["source_file"] for r in sqlite_utils.Database(db)["reports"].rows] == \
        ["renamed.txt"]


def test_a_report_in_a_subfolder_is_named_alike_parsed_or_from_the_cache(tmp_path, monkeypatch):
    # reports.source_file is the path under the folder given, as load_errors and build_files
    # have it, so that reports/a/x.txt and reports/b/x.txt stay apart, and a build from the
    # cache is the build without it.
    folder, cache = tmp_path / "reports", tmp_path / "cache"
    (folder / "2023").mkdir(parents=True)
    shutil.copy(REPORTS / "003_ebe99ea40a3f8069.txt", folder / "2023" / "a.txt")
    parsed = tmp_path / "parsed.db"
    build([folder], parsed, overrides=None, cache=cache)
    assert [r["source_file"] for r in sqlite_utils.Database(parsed)["reports"].rows] == \
        ["2023/a.txt"]
    no_parsing(monkeypatch)
    cached = tmp_path / "cached.db"
    assert build([folder], cached, overrides=None, cache=cache).from_cache == 1
    assert dump(cached) == dump(parsed)


def test_an_entry_that_read_the_file_name_holds_for_that_name_only(tmp_path):
    """The year of this report is only in its file name (metadata_from_file_name)."""
    cache = tmp_path / "cache"
    one, two = tmp_path / "one", tmp_path / "two"
    path = write_report(one, "测试县卫生健康局_2021.txt", agency="测试县卫生健康局", year=2021)
    text = path.read_text(encoding="utf-8").replace("2021年政府信息公开", "年度政府信息公开")
    path.write_text(text, encoding="utf-8")
    (two).mkdir()
    (two / "测试县卫生健康局_2022.txt").write_text(text, encoding="utf-8")
    build([one], tmp_path / "a.db", overrides=None, cache=cache)
    [entry] = entries(cache)
    assert json.loads(gzip.decompress(entry.read_bytes()))["file_name"] == "测试县卫生健康局_2021.txt"
    db = tmp_path / "b.db"
    assert build([two], db, overrides=None, cache=cache).from_cache == 0
    assert [r["year"] for r in sqlite_utils.Database(db)["reports"].rows] == [2022]


def test_agencies_csv_is_applied_after_the_cache(tmp_path):
    cache = tmp_path / "cache"
    reports = tmp_path / "reports"
    write_report(reports, "a.txt", agency="测试县卫生健康局", year=2020)
    write_report(reports, "b.txt", agency="测试县财政局", year=2020)
    CliRunner().invoke(cli, ["parse", str(reports), "--cache", str(cache), "--silent"])
    overrides = tmp_path / "agencies.csv"
    overrides.write_text("agency,year,name,adcode,kind,sector,level,note\n"
                         "测试县卫生健康局,,,330212,,,,test\n", encoding="utf-8")
    db, plain = tmp_path / "ogi.db", tmp_path / "plain.db"
    result = build([reports], db, overrides=overrides, cache=cache)
    assert result.from_cache == 1  # the corrected report is parsed again, with the correction
    build([reports], plain, overrides=overrides)
    assert dump(db) == dump(plain)
    rows = {r["source_file"]: r for r in sqlite_utils.Database(db)["reports"].rows}
    assert rows["a.txt"]["place_status"] == "override" and rows["a.txt"]["adcode"] == "330212"
    assert rows["b.txt"]["place_status"] != "override"


def test_several_ogi_parse_at_once_fill_one_cache(tmp_path, plain_db):
    """As `xargs -P 2` runs them: each entry written to a temporary file and renamed."""
    cache = tmp_path / "cache"
    files = sorted(str(p) for p in REPORTS.iterdir())
    procs = [subprocess.Popen([sys.executable, "-m", "loaders.cli", "parse", *files, "--cache",
                               str(cache), "--silent"], cwd=ROOT, stdout=subprocess.PIPE)
             for _ in range(2)]
    assert all(p.wait(timeout=300) == 0 for p in procs)
    assert len(entries(cache)) == 13 and not list(cache.rglob("*.tmp"))
    db = tmp_path / "ogi.db"
    assert build([REPORTS], db, overrides=None, cache=cache).from_cache == 13
    assert dump(db) == dump(plain_db)
