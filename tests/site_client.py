"""Helpers for the site tests: Datasette configured as ``make serve`` configures it, and a reader
for the report page's cells."""

from __future__ import annotations

import asyncio
import json
import re
import shlex
from html.parser import HTMLParser
from pathlib import Path

import yaml
from datasette.app import Datasette

from conftest import ROOT


def serve_command() -> list[str]:
    """The ``datasette serve`` command of the Makefile's serve target, as arguments."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^serve:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    joined = recipe.replace("\\\n", " ").replace("\t", " ")
    return shlex.split(joined)


def serve_settings() -> dict[str, str]:
    args = serve_command()
    return {args[i + 1]: args[i + 2] for i, a in enumerate(args) if a == "--setting"}


def metadata(sources: Path | None = None) -> dict:
    data = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
    if sources is not None:
        data.setdefault("plugins", {}).setdefault("ogi", {})["sources"] = str(sources)
    return data


def datasette(db_path: Path, sources: Path | None = None) -> Datasette:
    """An in-process Datasette over ``db_path`` with the settings, metadata and templates of
    ``make serve`` (immutable, so that the download and the counts work as served)."""
    settings = {k: (v == "on") if v in ("on", "off") else int(v) if v.isdigit() else v
                for k, v in serve_settings().items()}
    return Datasette(immutables=[str(db_path)], metadata=metadata(sources),
                     template_dir=str(ROOT / "templates"), settings=settings, cors=True)


class Client:
    def __init__(self, ds: Datasette):
        self.ds = ds

    def response(self, path: str):
        return asyncio.run(self.ds.client.get(path))

    def get(self, path: str, status: int = 200):
        r = self.response(path)
        assert r.status_code == status, (path, r.status_code, r.text[:500])
        if ".json" in path.split("?")[0]:
            return json.loads(r.text)
        return r.text


class ReportCells(HTMLParser):
    """The ``<td data-cell="table/row/column">`` cells of a report page: their classes, hover
    title, link and text; and the ``data-rule`` of each listed failure."""

    def __init__(self, html: str):
        super().__init__()
        self.cells: dict[str, dict] = {}
        self.failure_rules: list[str] = []
        self._current: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-cell" in a:
            self._current = {"classes": set((a.get("class") or "").split()),
                             "title": a.get("title") or "", "href": None, "text": ""}
            self.cells[a["data-cell"]] = self._current
        elif tag == "a" and self._current is not None:
            self._current["href"] = a.get("href")
        elif tag == "tr" and "failure" in (a.get("class") or "").split():
            self.failure_rules.append(a.get("data-rule"))

    def handle_endtag(self, tag):
        if tag == "td":
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data

    def with_class(self, name: str) -> set[str]:
        return {k for k, c in self.cells.items() if name in c["classes"]}
