"""Charts draw after Material's instant navigation (no new document), and after going back."""

from __future__ import annotations

import pytest

from .browsing import Tab
from .site import BuiltSite

pytestmark = pytest.mark.browser


def test_instant_navigation_and_going_back_draw_the_charts(site: BuiltSite, tab: Tab) -> None:
    """test_pages walks every page by instant navigation; here back through history too
    (popstate is instant navigation as well)."""
    tab.goto("")
    tab.assert_charts_drawn(expected=len(site.pages[""].figures))
    visited = []
    for page in site.chart_pages()[:4]:
        tab.follow(page.path)
        states = tab.assert_charts_drawn()
        assert [s["figure"] for s in states] == page.figures, f"{page.path}: wrong charts"
        visited.append(page.path)
    for path in reversed(visited[:-1]):
        tab.page.go_back()
        tab.wait_for_page(tab.url(path))
        assert tab.page.evaluate("() => window.__revpagesMarker") == "same document"
        tab.assert_charts_drawn(expected=len(site.pages[path].figures))
    tab.assert_clean()


def test_charts_left_behind_are_released(site: BuiltSite, tab: Tab) -> None:
    """Charts of pages navigated away from are purged, not kept alive by observers."""
    first, second = site.chart_pages()[:2]
    tab.goto(first.path)
    tab.assert_charts_drawn()
    old = tab.page.evaluate_handle("() => document.querySelector('.revpages-chart')")
    tab.follow(second.path)
    tab.assert_charts_drawn()
    assert not old.evaluate("(chart) => chart.isConnected")
    assert old.evaluate("(chart) => chart.querySelectorAll('.main-svg').length") == 0, (
        "a chart removed by instant navigation still holds its plot"
    )
    tab.assert_clean()
