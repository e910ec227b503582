"""Drill-down: a bar of a chart whose categories have per: pages opens that page, and the
table's cells link to the same pages, so a keyboard reaches them too."""

from __future__ import annotations

import pytest

from .browsing import Tab
from .site import BuiltSite, uses_real_queries

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not uses_real_queries(), reason="the fixture site has no per: report"),
]

REPORT = "competitive/win_rate_by_competitor/"
ON_A_BATTLECARD = (
    """() => (document.querySelector("h1") || {}).textContent?.startsWith("Battlecard: ")"""
)


def heading(tab: Tab) -> str:
    """The page's title once the battlecard has replaced the report (instant navigation
    changes the address before the content)."""
    tab.page.wait_for_function(ON_A_BATTLECARD)
    return tab.page.locator("h1").inner_text().removesuffix("¶").strip()


def test_clicking_a_bar_opens_its_competitors_battlecard(site: BuiltSite, tab: Tab) -> None:
    tab.goto(REPORT)
    tab.assert_charts_drawn()
    # Plotly's drag layer takes the pointer over the plot and finds the bar under it.
    box = tab.page.locator(".revpages-chart .points path").first.bounding_box()
    assert box is not None
    tab.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.page.wait_for_url("**/competitive/battlecard/*/")
    assert heading(tab).startswith("Battlecard: ")
    tab.assert_clean()


def test_the_tables_cells_link_to_the_same_pages_by_keyboard(site: BuiltSite, tab: Tab) -> None:
    tab.goto(REPORT)
    tab.assert_charts_drawn()
    links = tab.page.locator(".revpages-table td a")
    assert links.count() >= 3
    name = links.first.inner_text()
    links.first.focus()
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url("**/competitive/battlecard/*/")
    assert heading(tab) == f"Battlecard: {name}"
    tab.assert_clean()
