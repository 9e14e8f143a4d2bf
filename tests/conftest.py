from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

from loaders.build import build

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = FIXTURES / "expected"


def expected_files() -> list[Path]:
    return sorted(EXPECTED.glob("*.json"))


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> sqlite_utils.Database:
    """The database built from reports/, once for the whole session."""
    path = tmp_path_factory.mktemp("db") / "ogi.db"
    result = build([REPORTS], path)
    assert result.failed == 0, result.errors
    return sqlite_utils.Database(path)
