"""The agencies table of a build from scratch is tallied from a table of what each report written
said of its agency (``agency_facts_staged``, dropped once tallied), not from a tally held in
memory during the load: the first report's facts, every name as written, the count and the
years; a report written already counts once; a fact the table would not keep is refused."""

from __future__ import annotations

import sqlite3

import pytest

from loaders.store import Store


@pytest.fixture(scope="module")
def rows(seed_rows):
    return seed_rows[:3]


def _agency(name_as_written: str | None, year: int | None, **changed) -> dict:
    facts = {"id": "甲县卫生健康局@130101", "name": "甲县卫生健康局", "function": "卫生健康",
             "kind": "department", "sector": "health", "level": "county", "province": "河北省",
             "city": "石家庄市", "county": "甲县", "adcode": "130101", "place_status": "found",
             "override_note": None, "name_as_written": name_as_written, "year": year}
    return {**facts, **changed}


def test_agencies_tallied_from_the_facts_in_the_order_written(tmp_path, rows):
    first, second, third = rows
    with Store(tmp_path / "ogi.db") as store:
        assert store.add_rows(first, _agency("甲县卫健局", 2021, function="first's"))
        assert store.add_rows(second, _agency("甲县卫生健康局", 2019, function="second's"))
        # the first report again: not written, not counted
        assert not store.add_rows(first, _agency("甲县卫健局", 2023))
        assert store.add_rows(third, _agency(None, None))
    conn = sqlite3.connect(tmp_path / "ogi.db")
    conn.row_factory = sqlite3.Row
    [row] = conn.execute("SELECT * FROM agencies").fetchall()
    assert (row["id"], row["reports"], row["first_year"], row["last_year"]) == \
        ("甲县卫生健康局@130101", 3, 2019, 2021)
    assert row["names_seen"] == "甲县卫健局 · 甲县卫生健康局"  # sorted, each once
    assert row["function"] == "first's"  # the first report's facts
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 3
    assert conn.execute("SELECT value FROM build_info WHERE key = 'reports'").fetchone()[0] == "3"
    assert conn.execute("SELECT count(*) FROM sqlite_master "
                        "WHERE name = 'agency_facts_staged'").fetchone()[0] == 0


def test_a_fact_the_table_would_not_keep_is_refused(tmp_path, rows):
    with Store(tmp_path / "ogi.db") as store:
        with pytest.raises(ValueError, match="agency facts not as staged: \\['website'\\]"):
            store.add_rows(rows[0], _agency("甲县卫健局", 2021, website="http://x"))
        facts = _agency("甲县卫健局", 2021)
        facts["website"] = facts.pop("level")  # as many facts, one of another name
        with pytest.raises(ValueError, match="\\['level', 'website'\\]"):
            store.add_rows(rows[0], facts)
        assert store.db.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
        assert store.add_rows(rows[0], _agency("甲县卫健局", 2021))  # undone alone
