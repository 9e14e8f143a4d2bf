"""The agencies table: one row per identified agency, gathered from what each report says of it
(``store.rows.agency_of``), in the order the reports were written: its names as written, how many
reports, its first and last year (a build from scratch tallies the facts it staged as it wrote
each report; an update, those in ``build_files`` of the agencies it touched). Unknown is nobody: a
report whose agency is not identified adds no row."""

from __future__ import annotations

import sqlite_utils


class AgencyTally:
    def __init__(self) -> None:
        self.rows: dict[str, dict] = {}

    def add(self, facts: dict | None) -> None:
        if facts is None:
            return
        row = self.rows.get(facts["id"])
        if row is None:
            row = self.rows[facts["id"]] = {
                **{k: v for k, v in facts.items() if k not in ("name_as_written", "year")},
                "names_seen": set(), "reports": 0, "first_year": None, "last_year": None}
        row["reports"] += 1
        if facts["name_as_written"]:
            row["names_seen"].add(facts["name_as_written"])
        if facts["year"] is not None:
            row["first_year"] = min(filter(None, (row["first_year"], facts["year"])))
            row["last_year"] = max(filter(None, (row["last_year"], facts["year"])))

    def write(self, db: sqlite_utils.Database) -> None:
        db["agencies"].insert_all(
            [{**row, "names_seen": " · ".join(sorted(row["names_seen"]))}
             for _, row in sorted(self.rows.items())])
