"""A real browser on the real server: ``datasette serve`` as ``make serve`` runs it (on a free port
of 127.0.0.1, over the seeds' database), driven by headless Chromium through Playwright.

At 1,280 px wide (a laptop), it walks as a journalist would: the home page, a chart with the
reports and agencies behind each bar, the reports ranked by failed checks, a report opened by
clicking its id, and its failing 总计 cell in view, not off to the right. It follows every chart
link of the home page and checks that bars were drawn (coloured pixels in the chart's canvas, not
just a canvas), and checks the report page's highlighted cells and folded warnings as the browser
computes them. Screenshots of each step are kept in build/test-artifacts/.

Needs Debian's ``chromium`` (and ``fonts-wqy-microhei`` for legible Chinese in the screenshots):
``.ci/run`` installs them and sets OGI_REQUIRE_BROWSER=1, so that CI fails rather than skips.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from site_client import serve_command

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "build" / "test-artifacts"
SEED_003 = "47010530719ae648"
WIDTH = 1280  # a laptop: the report page must fit it

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the [test] extra installs it
    sync_playwright = None

if os.environ.get("OGI_REQUIRE_BROWSER") != "1":
    pytestmark = pytest.mark.skipif(
        CHROMIUM is None or sync_playwright is None,
        reason="needs Debian's chromium and playwright (.ci/run installs them)")

# Coloured (saturated, opaque) pixels in the chart's canvas: the bars and the legend swatches.
COLOURED_PIXELS = """() => {
  const canvas = document.querySelector('.vega-embed canvas');
  if (!canvas || !canvas.width) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i], g = data[i + 1], b = data[i + 2];
    if (data[i + 3] > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
  }
  return n;
}"""


# More coloured pixels than the legend's swatches alone make: bars were drawn. Measured: a chart
# of all-zero rows (no bars, a legend of four) has 75; the seeds' charts have 2,400 to 3,900.
MARKS = 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(seeds_db, tmp_path_factory):
    db = seeds_db.conn.execute("pragma database_list").fetchone()[2]
    port = free_port()
    bin_dir = str(Path(sys.executable).parent)
    inspect = tmp_path_factory.mktemp("inspect") / "inspect.json"
    subprocess.run([f"{bin_dir}/datasette", "inspect", db, "--inspect-file", str(inspect)],
                   check=True)
    args = [a.replace("$(BIN)", bin_dir).replace("$(DB)", db).replace("$(HOST)", "127.0.0.1")
            .replace("$(PORT)", str(port)).replace("$(INSPECT)", str(inspect))
            for a in serve_command()]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(proc.stdout.read().decode(errors="replace"))
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    args = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", "--disable-quic"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM,
            headless=True, args=args, viewport={"width": WIDTH, "height": 900})
        yield context
        context.close()


def chart_links(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        "a[href*='#g.']", "els => els.map(a => [a.textContent.trim(), a.getAttribute('href')])")


def test_every_home_page_chart_is_drawn(server, browser):
    page = browser.new_page()
    page.goto(server + "/")
    links = chart_links(page)
    assert len(links) >= 4
    for i, (text, href) in enumerate(links):
        page.goto(server + "/")
        page.click(f"a[href='{href}']")
        page.wait_for_selector(".vega-embed canvas", timeout=20000)
        page.wait_for_function(f"({COLOURED_PIXELS})() > {MARKS}", timeout=20000)
        name = href.split("?")[0].rsplit("/", 1)[-1]
        page.locator(".vega-embed").screenshot(path=str(ARTIFACTS / f"chart-{i}-{name}.png"))
        assert page.evaluate(COLOURED_PIXELS) > MARKS, text
        # the chart's settings came from the link's fragment
        assert page.evaluate("document.location.hash").startswith("#g.mark=bar")
    page.close()


# Where an element is, in the viewport, and whether the page or its box scrolls sideways.
GEOMETRY = """el => {
  const r = el.getBoundingClientRect();
  const box = el.closest('.form-scroll');
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          pageWidth: document.documentElement.scrollWidth,
          boxScrolls: box ? box.scrollWidth > box.clientWidth : false,
          boxRight: box ? box.getBoundingClientRect().right : null};
}"""


def in_view(page, locator) -> dict:
    """Scroll down to the element (never sideways) and say where it is."""
    top = locator.evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    page.evaluate(f"window.scrollTo(0, {max(0, top - 300)})")
    return locator.evaluate(GEOMETRY)


def test_a_journalist_walks_from_a_chart_to_a_failing_total(server, browser):
    page = browser.new_page()
    # 1. the home page says what the database holds, and links charts of its reports
    page.goto(server + "/")
    assert int(page.inner_text(".n-reports").split()[0]) > 0
    assert page.inner_text(".latest").strip()
    page.screenshot(path=str(ARTIFACTS / "walk-1-home.png"), full_page=True)
    # 2. a chart: each bar is labelled with the reports and agencies behind it
    page.click("a:has-text('applications received by year, reports in this database')")
    page.wait_for_selector(".vega-embed canvas", timeout=20000)
    page.wait_for_function(f"({COLOURED_PIXELS})() > {MARKS}", timeout=20000)
    assert "g.x_column=coverage" in page.evaluate("document.location.hash")
    coverage = page.locator("table.rows-and-columns td.col-coverage").all_inner_texts()
    assert coverage and all(" report" in c and " agenc" in c for c in coverage), coverage
    assert "(<10)" in coverage[0]  # a bar over fewer than 10 reports says so
    page.screenshot(path=str(ARTIFACTS / "walk-2-chart-coverage.png"), full_page=True)
    # 3. the reports whose numbers do not add up, worst first, with the rules they fail
    page.goto(server + "/")
    page.click("a[href='/ogi/reports_by_failures']")
    page.wait_for_load_state()
    first = page.locator("table.rows-and-columns tbody tr").first
    assert first.locator("td.col-report_id").inner_text().strip() == SEED_003
    assert "error: accounting_identity ×2" in first.locator("td.col-rules_failed").inner_text()
    page.screenshot(path=str(ARTIFACTS / "walk-3-reports-by-failures.png"))
    # 4. the report, opened by clicking its id
    first.locator(f"td.col-report_id a:has-text('{SEED_003}')").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/ogi/reports/{SEED_003}")
    page.screenshot(path=str(ARTIFACTS / "walk-4-report.png"))
    # 5. its failing 总计 cell, in view at 1,280 px: nothing to scroll sideways
    total = page.locator("td[data-cell='applications/total/total']")
    assert "fail-error" in total.get_attribute("class")
    where = in_view(page, total)
    assert where["pageWidth"] <= WIDTH, where
    assert not where["boxScrolls"], where
    assert 0 <= where["left"] and where["right"] <= WIDTH and 0 <= where["top"] < 900, where
    assert total.is_visible()
    assert total.evaluate("td => getComputedStyle(td).backgroundColor") == "rgb(248, 201, 196)"
    page.screenshot(path=str(ARTIFACTS / "walk-5-failing-total-at-1280.png"))
    page.close()


def test_report_page_highlights_failing_cells(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/ogi/reports/{SEED_003}")
    errors = page.locator("td.fail-error")
    assert errors.count() == 8
    colour = errors.first.evaluate("td => getComputedStyle(td).backgroundColor")
    assert colour == "rgb(248, 201, 196)"
    cell = page.locator("td[data-cell='applications/total/natural_person']")
    assert cell.inner_text().strip() == "61"
    assert "[error]" in cell.get_attribute("title")
    assert page.locator("td.fail-warning").count() > 8
    assert page.locator("tr.failure").count() == int(
        page.locator("tr.failure td.sev-error").count() + page.locator(
            "tr.failure td.sev-warning").count())
    # errors one line each; a rule's warnings on one line, listed when clicked
    assert page.locator("tr.failure:visible td.sev-error").count() == 5
    group = page.locator("tr.failure-group[data-rule='blank_cells']")
    folded = group.locator("tr.failure")
    assert folded.count() > 1 and not folded.first.is_visible()
    group.locator("summary").click()
    assert folded.first.is_visible() and folded.last.is_visible()
    # every table of the form fits the page: nothing off to the right
    for table in page.locator("table.form").all():
        assert table.evaluate(GEOMETRY)["right"] <= WIDTH
    page.screenshot(path=str(ARTIFACTS / "report-003.png"), full_page=True)
    page.locator("table.applications").screenshot(path=str(ARTIFACTS / "report-003-section3.png"))
    # a number links to its raw text
    cell.locator("a").click()
    page.wait_for_load_state()
    assert "/ogi/cells?" in page.url and "61" in page.inner_text("body")
    page.close()
