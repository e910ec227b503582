"""On a phone-sized screen (390x844) every page renders, charts fit, nothing overflows, and
no chart's labels overlap (narrow plots are where tick labels collide)."""

from __future__ import annotations

import pytest

from .browsing import Tab, shot_name
from .chart_quality import CHART_RECORDS, DrawnChart, overlapping_labels
from .site import BuiltSite

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}

LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll(".md-content *")].filter((el) => {
    const box = el.getBoundingClientRect();
    const scrolls = ".revpages-table, .revpages-scroll, pre, .md-typeset__scrollwrap";
    if (!box.width || el.closest(scrolls)) return false;
    return box.right > width + 1 || box.left < -1;
  }).map((el) => el.tagName.toLowerCase() + "." + [...el.classList].join("."));
  return {
    width,
    scrollWidth: document.documentElement.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth,
    charts: [...document.querySelectorAll(".revpages-chart")].map((chart) => {
      const box = chart.getBoundingClientRect();
      const svg = chart.querySelector(".main-svg");
      return { left: box.left, right: box.right,
               svg: svg ? svg.getBoundingClientRect().width : 0 };
    }),
    wide: wide.slice(0, 5),
  };
}"""


def assert_fits(tab: Tab, path: str) -> None:
    layout = tab.page.evaluate(LAYOUT)
    width = layout["width"]
    assert layout["scrollWidth"] <= width, f"{path}: the page scrolls sideways: {layout}"
    assert layout["bodyScrollWidth"] <= width, f"{path}: the body overflows: {layout}"
    for chart in layout["charts"]:
        assert chart["left"] >= 0 and chart["right"] <= width, f"{path}: chart too wide {chart}"
        assert 0 < chart["svg"] <= chart["right"] - chart["left"] + 1, f"{path}: plot {chart}"
    assert not layout["wide"], f"{path}: content wider than the screen: {layout['wide']}"
    charts = [DrawnChart.read(path, r) for r in tab.page.evaluate(CHART_RECORDS)]
    overlaps = [p for chart in charts for p in overlapping_labels(chart)]
    assert not overlaps, f"{path}: overlapping labels on a phone: {overlaps}"


def test_every_page_fits_a_phone(site: BuiltSite, open_tab) -> None:
    tab = open_tab(**PHONE)
    tab.goto("")
    tab.assert_charts_drawn()
    assert_fits(tab, "")
    reports = {p.path for p in site.starter_reports()}
    for page in site.walk()[1:]:
        path = page.path
        tab.follow(path, real_click=False)  # the nav sits in the closed drawer
        tab.assert_charts_drawn(expected=len(page.figures))
        if path in reports:
            tab.screenshot(shot_name(path, "phone"), folder="reports")
        elif page.figures:
            tab.screenshot(shot_name(path, "phone"), full_page=False)
        assert_fits(tab, path)
    # A chart page loaded directly at phone size, not resized from another page.
    first = site.chart_pages()[0]
    tab.goto(first.path)
    tab.assert_charts_drawn(expected=len(first.figures))
    assert_fits(tab, first.path)
    tab.assert_clean()
