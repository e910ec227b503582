"""Report pages at a laptop's 1366 px: the page gives the table its whole width (no empty
table-of-contents column), and no table column is cut off unseen: a table either fits, or
says it scrolls (a shadow at the clipped edge and a line under it; its scrollbar is styled
never to fade, which headless chromium does not paint) and keeps the columns its chart
judges (flags, bounds, sample sizes) in view. A screenshot of every starter report is kept
in test-artifacts/screenshots/reports/.
"""

from __future__ import annotations

import pytest

from .browsing import Tab, shot_name
from .site import BuiltSite

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}

TABLES = """() => [...document.querySelectorAll(".revpages-table")].map((region) => {
  const box = region.getBoundingClientRect();
  const style = getComputedStyle(region);
  const hint = region.nextElementSibling;
  return {
    overflow: region.scrollWidth > region.clientWidth + 1,
    scrolls: ["auto", "scroll"].includes(style.overflowX),
    shadow: style.boxShadow !== "none",
    hint: Boolean(hint && hint.matches(".revpages-scroll-hint")
                  && getComputedStyle(hint).display !== "none"),
    columns: [...region.querySelectorAll("thead th")].map((th) => ({
      text: th.textContent.trim(),
      verdict: th.hasAttribute("data-verdict"),
      visible: th.getBoundingClientRect().right <= box.right + 1,
    })),
  };
})"""

PAGE = """() => {
  const toc = document.querySelector(".md-sidebar--secondary");
  const shown = toc && getComputedStyle(toc).display !== "none"
    && toc.getBoundingClientRect().width > 0 && !toc.hidden;
  return {
    toc: Boolean(shown),
    content: document.querySelector(".md-content").getBoundingClientRect().width,
  };
}"""


def table_problems(path: str, tables: list[dict]) -> list[str]:
    problems = []
    for table in tables:
        hidden = [c["text"] for c in table["columns"] if not c["visible"]]
        cut = [c["text"] for c in table["columns"] if c["verdict"] and not c["visible"]]
        if cut:
            problems.append(f"{path}: verdict columns out of view: {cut}")
        if hidden and not table["overflow"]:
            problems.append(f"{path}: columns clipped without a scroll: {hidden}")
        if table["overflow"] and not (table["scrolls"] and table["shadow"] and table["hint"]):
            problems.append(
                f"{path}: a table wider than its box, columns {hidden} behind a scroll "
                f"nobody sees (shadow {table['shadow']}, hint {table['hint']})"
            )
    return problems


# The reports in shards, so that xdist spreads the slowest walk over its workers.
SHARDS = 2


@pytest.mark.parametrize("shard", range(SHARDS))
def test_report_tables_fit_or_say_they_scroll(site: BuiltSite, open_tab, shard: int) -> None:
    tab: Tab = open_tab(viewport=LAPTOP)
    reports = site.starter_reports()[shard::SHARDS]
    assert reports, "no starter report pages"
    problems = []
    for page in reports:
        tab.visit(page.path)
        tab.assert_charts_drawn(expected=len(page.figures))
        layout = tab.page.evaluate(PAGE)
        if layout["toc"]:
            problems.append(f"{page.path}: an empty table-of-contents column takes width")
        if layout["content"] < 900:
            problems.append(f"{page.path}: content only {layout['content']:.0f}px wide")
        tables = tab.page.evaluate(TABLES)
        assert tables, f"{page.path}: no table"
        problems += table_problems(page.path, tables)
        tab.screenshot(shot_name(page.path, "light"), folder="reports")
    assert not problems, "\n".join(problems)
    tab.assert_clean()


def test_the_check_itself_finds_a_clipped_verdict_column(site: BuiltSite, open_tab) -> None:
    """A table squeezed into 200px: its verdict columns are out of view, and said to be."""
    tab: Tab = open_tab(viewport=LAPTOP)
    page = next(p for p in site.starter_reports() if p.path == "forecast/bias_by_owner/")
    tab.goto(page.path)
    tab.assert_charts_drawn()
    tab.page.evaluate(
        "() => { document.querySelector('.revpages-table').style.maxWidth = '200px'; }"
    )
    tab.page.evaluate("() => window.dispatchEvent(new Event('resize'))")
    tables = tab.page.evaluate(TABLES)
    assert tables[0]["overflow"] and tables[0]["hint"] and tables[0]["shadow"]
    problems = table_problems(page.path, tables)
    assert problems and "verdict columns out of view" in problems[0]
    tab.assert_clean()
