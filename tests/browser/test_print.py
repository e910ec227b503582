"""Printing: every starter report printed to an A4 PDF by chromium keeps within the page.

While chromium prints (``page.pdf``), the page is measured from inside the print layout
(a ``matchMedia("print")`` listener): nothing is wider than the printed page, charts were
laid out again at its width (not merely clipped), tables wrap instead of scrolling,
navigation and the SQL are left out, and the title, the description and the as-of line
stay. The PDFs, and a screenshot of each page in print media, are kept in
test-artifacts/screenshots/reports/.
"""

from __future__ import annotations

import re

import pytest

from .browsing import SCREENSHOTS, Tab, shot_name
from .site import BuiltSite

pytestmark = pytest.mark.browser

A4_CONTENT = 680  # px: 210 mm less the 15 mm margins of revpages.css, at 96 px per inch

MEASURE_IN_PRINT = """
window.__revpagesPrint = [];
window.addEventListener("DOMContentLoaded", () => {
  matchMedia("print").addEventListener("change", (event) => {
    if (!event.matches) return;
    const width = document.documentElement.clientWidth;
    const shown = (selector) => [...document.querySelectorAll(selector)].some((el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
    });
    const wide = [...document.querySelectorAll("body *")].filter((el) => {
      const box = el.getBoundingClientRect();
        // (elements parked far to the left are measuring helpers, never printed)
      return box.width > 0 && box.right > 0 && (box.right > width + 1 || box.left < -1);
    }).map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute("class") || ""}`);
    window.__revpagesPrint.push({
      width,
      wide: wide.slice(0, 8),
      tables: [...document.querySelectorAll(".revpages-table")].map((t) => ({
        scroll: t.scrollWidth, client: t.clientWidth })),
      charts: [...document.querySelectorAll(".revpages-chart .main-svg:first-of-type")]
        .map((svg) => Number(svg.getAttribute("width"))),
      navigation: shown(".md-sidebar--primary .md-nav__link, .md-header"),
      sql: shown(".revpages-sql"),
      title: shown("h1"),
      asOf: shown(".revpages-window"),
    });
  });
});
"""


def print_problems(path: str, record: dict) -> list[str]:
    problems = []
    if record["width"] > A4_CONTENT + 1:
        problems.append(f"{path}: printed {record['width']}px wide, shrunk to fit A4")
    if record["wide"]:
        problems.append(f"{path}: wider than the page: {record['wide']}")
    for table in record["tables"]:
        if table["scroll"] > table["client"] + 1:
            problems.append(f"{path}: a table is cut at the page's edge: {table}")
    for width in record["charts"]:
        if width > record["width"] + 1:
            problems.append(f"{path}: a chart drawn {width}px wide on a {record['width']}px page")
    if record["navigation"] or record["sql"]:
        problems.append(f"{path}: navigation or SQL printed")
    if not (record["title"] and record["asOf"]):
        problems.append(
            f"{path}: the title or the window line (period and data as of) is not printed"
        )
    return problems


# The reports in shards, so that xdist spreads the slowest walk over its workers.
SHARDS = 2


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_report_prints_to_a4_without_overflow(site: BuiltSite, open_tab, shard: int) -> None:
    tab: Tab = open_tab()
    tab.page.context.add_init_script(MEASURE_IN_PRINT)
    folder = SCREENSHOTS / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for page in site.starter_reports()[shard::SHARDS]:
        tab.visit(page.path)
        tab.assert_charts_drawn(expected=len(page.figures))
        assert tab.page.evaluate("() => Array.isArray(window.__revpagesPrint)"), page.path
        pdf = tab.page.pdf(format="A4", print_background=True)
        (folder / f"{shot_name(page.path, 'print')}.pdf").write_bytes(pdf)
        assert re.search(rb"/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]", pdf), "not A4"
        records = tab.page.evaluate("() => window.__revpagesPrint")
        assert records, f"{page.path}: the page was never laid out for print"
        problems += print_problems(page.path, records[-1])
        # The printed look, as a picture: print media at the width of the A4 page.
        tab.page.emulate_media(media="print")
        tab.page.set_viewport_size({"width": A4_CONTENT, "height": 960})
        tab.page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        tab.assert_charts_drawn(expected=len(page.figures))
        tab.screenshot(shot_name(page.path, "print"), folder="reports")
        tab.page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
        tab.page.emulate_media(media="null")  # "screen" would print every later PDF as screen
        tab.page.set_viewport_size({"width": 1280, "height": 900})
    assert not problems, "\n".join(problems)
    tab.assert_clean()


def test_the_check_itself_finds_a_table_that_does_not_fit(site: BuiltSite, open_tab) -> None:
    tab: Tab = open_tab()
    tab.page.context.add_init_script(MEASURE_IN_PRINT)
    page = next(p for p in site.starter_reports() if p.path == "forecast/bias_by_owner/")
    tab.goto(page.path)
    tab.assert_charts_drawn()
    tab.page.add_style_tag(
        content="@media print { .revpages-table table { min-width: 1200px !important } }"
    )
    tab.page.pdf(format="A4")
    record = tab.page.evaluate("() => window.__revpagesPrint")[-1]
    assert any("wider than the page" in p or "cut" in p for p in print_problems("x", record))
    tab.assert_clean()
