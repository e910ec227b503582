"""The chart script's own duties: charts drawn while hidden fit once shown, charts follow
their container's width, and a chart whose figure cannot be loaded says so."""

from __future__ import annotations

import re

import pytest

from .browsing import Tab
from .site import BuiltSite

pytestmark = pytest.mark.browser

FIT = """() => [...document.querySelectorAll(".revpages-chart")].map((chart) => ({
  figure: chart.dataset.figure,
  box: Math.round(chart.getBoundingClientRect().width),
  plot: Math.round(chart.querySelector(".main-svg").getBoundingClientRect().width),
}))"""

# Hide every chart before the chart script draws it, as a closed tab or <details> would.
HIDE_CHARTS = """
document.addEventListener("DOMContentLoaded", () => {
  for (const chart of document.querySelectorAll(".revpages-chart")) chart.hidden = true;
});
"""


def assert_plots_fit(tab: Tab) -> None:
    tab.page.wait_for_function(
        """() => [...document.querySelectorAll(".revpages-chart")].every((c) => {
          const svg = c.querySelector(".main-svg");
          return svg && Math.abs(svg.getBoundingClientRect().width
                                 - c.getBoundingClientRect().width) < 2;
        })"""
    )
    for chart in tab.page.evaluate(FIT):
        assert abs(chart["plot"] - chart["box"]) < 2, f"plot does not fit its box: {chart}"


def test_a_chart_drawn_while_hidden_fits_once_shown(site: BuiltSite, open_tab) -> None:
    tab = open_tab(viewport={"width": 1280, "height": 900})
    tab.page.context.add_init_script(HIDE_CHARTS)
    page = site.chart_pages()[0]
    tab.goto(page.path)
    tab.assert_charts_drawn(expected=len(page.figures))
    tab.page.evaluate(
        "() => document.querySelectorAll('.revpages-chart').forEach((c) => { c.hidden = false })"
    )
    assert_plots_fit(tab)
    tab.assert_clean()


def test_charts_follow_their_container(site: BuiltSite, tab: Tab) -> None:
    page = site.chart_pages()[0]
    tab.goto(page.path)
    tab.assert_charts_drawn()
    assert_plots_fit(tab)
    # Narrower content without a window resize (Plotly's own handler sees only the window).
    tab.page.evaluate("() => { document.querySelector('.md-content').style.maxWidth = '420px' }")
    assert_plots_fit(tab)
    tab.page.evaluate("() => { document.querySelector('.md-content').style.maxWidth = '' }")
    tab.page.set_viewport_size({"width": 800, "height": 900})
    assert_plots_fit(tab)
    tab.assert_clean()


def test_a_missing_figure_shows_a_message(site: BuiltSite, tab: Tab) -> None:
    page = site.chart_pages()[0]
    tab.page.route(f"**/{page.figures[0]}", lambda route: route.fulfill(status=404, body="no"))
    tab.goto(page.path)
    tab.page.wait_for_function(
        "() => document.querySelector('.revpages-chart').dataset.state === 'failed'"
    )
    message = tab.page.locator(".revpages-chart").first.inner_text()
    assert "could not be drawn" in message and "table below" in message
    # Expected here: the 404 and the script's console error; nothing else.
    problems = tab.take_problems()
    assert problems and all(page.figures[0] in p or "revpages:" in p for p in problems), problems
    tab.assert_clean()


def test_charts_load_plotly_when_the_page_lacks_it(site: BuiltSite, tab: Tab) -> None:
    """Pages need not carry plotly.min.js: the chart script loads it for the first chart."""

    def without_plotly(route) -> None:
        if route.request.resource_type != "document":
            route.fallback()
            return
        response = route.fetch()
        body = re.sub(r'<script src="[^"]*plotly\.min\.js"></script>', "", response.text())
        route.fulfill(response=response, body=body)

    tab.page.route("**/*", without_plotly)
    tab.goto("")
    assert tab.page.evaluate("() => typeof window.Plotly") == "undefined"
    for page in site.chart_pages()[:2]:
        tab.follow(page.path)
        tab.assert_charts_drawn(expected=len(page.figures))
    page = site.chart_pages()[-1]
    tab.goto(page.path)  # a direct load without the script tag
    tab.assert_charts_drawn(expected=len(page.figures))
    assert tab.page.evaluate("() => typeof window.Plotly") == "object"
    tab.assert_clean()
