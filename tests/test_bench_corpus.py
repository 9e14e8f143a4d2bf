"""The bench corpus generator (benchmarks/corpus.py): the same seed gives the same bytes, a corpus
of N is the first N files of a larger one (what the incremental bench adds), and the summary
gives the bytes by format."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

MIX = {"word_html": 3, "run_text": 2, "layout_text": 2, "word_docx": 1, "word_cells": 1}


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((folder / "reports").rglob("*.*"))}


def test_deterministic_and_prefix(tmp_path):
    a = corpus.generate(8, tmp_path / "a", seed=3, mix=MIX)
    corpus.generate(8, tmp_path / "b", seed=3, mix=MIX)
    corpus.generate(8, tmp_path / "c", seed=3, mix=MIX, start=5)
    first, second, added = (_files(tmp_path / k) for k in "abc")
    assert first == second and len(first) == 8
    assert len(added) == 3 and all(first[k] == v for k, v in added.items())
    rows = [json.loads(line) for line in open(tmp_path / "a" / "manifest.jsonl", encoding="utf-8")]
    assert all(r["bytes"] == (tmp_path / "a" / "reports" / r["file"]).stat().st_size
               for r in rows)
    assert set(a["median_bytes_by_format"]) == {r["format"] for r in rows}
    for r in rows:
        if r["format"] == "word_html":
            assert r["bytes"] >= 30 * 1024
            page = (tmp_path / "a" / "reports" / r["file"]).read_text(encoding="utf-8")
            assert r["agency"] in page and "沭阳" not in page  # the chrome is the agency's


def test_the_fidelity_check_finds_every_report_it_can_check(tmp_path):
    # bench.fidelity matches the manifest's files with reports.source_file; when they stopped
    # matching (source_file became the path under reports/), it checked nothing and said so
    # only by a zero.
    import bench
    from loaders.build import build

    corpus.generate(6, tmp_path / "c", seed=3, mix={"word_html": 1, "word_cells": 1})
    db = tmp_path / "ogi.db"
    build([tmp_path / "c" / "reports"], db, overrides=None)
    rows = [json.loads(line) for line in open(tmp_path / "c" / "manifest.jsonl", encoding="utf-8")]
    checkable = [r for r in rows if not (r.get("prose_only") or r["broken"] or r["blanked"])]
    result = bench.fidelity(tmp_path / "c", db)
    assert checkable and result["new_received_checked"] == len(checkable)
    assert result["new_received_agree"] == len(checkable)
