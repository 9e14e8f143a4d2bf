from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import sqlite_utils

from loaders.build import build, find_inputs

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = FIXTURES / "expected"


# Golden comparisons of the session, printed at the end of the run (tests/test_golden.py).
GOLDEN: dict = {}


def pytest_terminal_summary(terminalreporter):
    if not GOLDEN:
        return
    write = terminalreporter.write_line
    checked = sum(r.checked for r in GOLDEN.values())
    wrong = sum(len(r.wrong) for r in GOLDEN.values())
    lost = sum(len(r.lost) for r in GOLDEN.values())
    write(f"golden: {len(GOLDEN)} reports, {checked} cells checked: {wrong} wrong numbers, "
          f"{lost} lost numbers")
    for source, r in sorted(GOLDEN.items()):
        if r.wrong or r.lost:
            write(f"  {source}: {len(r.wrong)} wrong, {len(r.lost)} lost")


def built_module(module: str):
    """A compiled loop's module (``_html_c``…, loaders/readers/_compiled.py), for the tests that
    compare it with its Python code: skipped where it is not built, failed instead with
    ``OGI_REQUIRE_COMPILED=1`` (CI), so that a comparison never passes by not running."""
    from loaders.readers import _compiled

    found = _compiled.built(module)
    if found is None:
        if os.environ.get("OGI_REQUIRE_COMPILED") == "1":
            pytest.fail(f"{_compiled.module_name(module)} is not built (OGI_REQUIRE_COMPILED=1)")
        pytest.skip(f"{_compiled.module_name(module)} is not built (pip install -e . builds it)")
    return found


def needs_cjk_font() -> None:
    """For the tests that print Chinese into PDFs (``printed_pdf`` embeds WenQuanYi Micro Hei from
    the system's fonts) or make pdfium draw a CJK font a PDF does not embed: skipped on a machine
    without Debian's ``fonts-wqy-microhei``, failed instead with ``OGI_REQUIRE_FONTS=1`` (CI, which
    installs it). Without a CJK font the reader itself still reads such PDFs, with pdfplumber
    (``_pdfium.cjk_font_stands_in``)."""
    from loaders.readers import _pdfium
    from loaders.writers.printed_pdf import FONT

    if FONT.exists() and _pdfium.cjk_font_stands_in():
        return
    why = f"needs a CJK font on the machine ({FONT}: Debian's fonts-wqy-microhei)"
    if os.environ.get("OGI_REQUIRE_FONTS") == "1":
        pytest.fail(why + " (OGI_REQUIRE_FONTS=1)")
    pytest.skip(why)


def expected_files() -> list[Path]:
    return sorted(EXPECTED.glob("*.json"))


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> sqlite_utils.Database:
    """The database built from reports/, once for the whole session."""
    path = tmp_path_factory.mktemp("db") / "ogi.db"
    result = build([REPORTS], path)
    assert result.failed == 0 and not result.bugs, (result.errors, result.internal_errors)
    return sqlite_utils.Database(path)


@pytest.fixture(scope="session")
def seed_rows() -> list[dict]:
    """The rows each readable report of reports/ writes (``as_tuples(report_to_rows(…))``), in
    input order: what a test hands ``Store.add_rows`` directly."""
    from loaders.pipeline import load_report
    from loaders.store import as_tuples, report_to_rows

    out = []
    for path, _ in find_inputs([REPORTS]):
        try:
            out.append(as_tuples(report_to_rows(load_report(path))))
        except Exception:  # a bad file of the seeds: not rows
            continue
    assert len(out) > 5
    return out


@pytest.fixture(scope="session")
def crafted(tmp_path_factory):
    """Every crafted report the tests declared (tests/crafted.py), built once for the session."""
    from crafted import build_cases

    folder = tmp_path_factory.mktemp("crafted")
    return build_cases(folder / "reports", folder / "ogi.db")


# The site over the seeds' database, in-process (tests/test_site.py, tests/test_site_trust.py).
@pytest.fixture(scope="module")
def db_path(seeds_db) -> Path:
    return Path(seeds_db.conn.execute("pragma database_list").fetchone()[2])


@pytest.fixture(scope="module")
def client(db_path):
    from site_client import Client, datasette

    return Client(datasette(db_path, sources=REPORTS))
