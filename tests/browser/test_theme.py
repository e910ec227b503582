"""Dark mode: the palette toggle switches the scheme, and every chart follows the theme."""

from __future__ import annotations

import pytest

from .browsing import Tab, contrast, luminance, parse_color, shot_name
from .site import BuiltSite

pytestmark = pytest.mark.browser

# Text Plotly draws with the layout font: tick labels, axis titles, legend, KPI numbers.
CHART_TEXT = """() => [...document.querySelectorAll(".revpages-chart")].map((chart) => {
  const texts = [...chart.querySelectorAll(
    ".xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext, text.number"
  )].filter((t) => t.textContent.trim());
  const style = texts.length ? getComputedStyle(texts[0]) : null;
  return {
    figure: chart.dataset.figure,
    fill: style ? style.fill : "",
    opacity: style ? style.fillOpacity : "1",
    count: texts.length,
  };
})"""

# Whether the text of every chart is light (dark mode) or dark (light mode) yet.
CHART_TEXT_IS = """(dark) => [...document.querySelectorAll(".revpages-chart")].every((chart) => {
  const text = chart.querySelector(".xtick text, .ytick text, .legendtext, text.number");
  if (!text) return false;
  const [r, g, b] = getComputedStyle(text).fill.match(/[\\d.]+/g).map(Number);
  return (r + g + b) / 3 > 128 === dark;
})"""

PAGE_BACKGROUND = """() => {
  let el = document.querySelector(".md-content");
  while (el) {
    const bg = getComputedStyle(el).backgroundColor;
    if (bg && !/rgba\\(.*, 0\\)$/.test(bg) && bg !== "transparent") return bg;
    el = el.parentElement;
  }
  return "rgb(255, 255, 255)";
}"""


def chart_text(tab: Tab) -> list[dict]:
    texts = tab.page.evaluate(CHART_TEXT)
    background = parse_color(tab.page.evaluate(PAGE_BACKGROUND))
    for text in texts:
        assert text["count"], f"{text['figure']}: no text in the chart"
        r, g, b, _ = parse_color(text["fill"])
        text["color"] = (r, g, b, float(text["opacity"]))
        text["contrast"] = contrast(text["color"], background)
        text["luminance"] = luminance(text["color"][:3])
    return texts


def scheme(tab: Tab) -> str:
    return tab.page.evaluate("() => document.body.dataset.mdColorScheme")


def toggle_palette(tab: Tab, expected: str) -> None:
    tab.page.locator("form[data-md-component=palette] label:visible").click()
    tab.page.wait_for_function("s => document.body.dataset.mdColorScheme === s", arg=expected)


def assert_themed(tab: Tab, dark: bool) -> None:
    """Chart text is light on dark, dark on light, and readable (WCAG AA) either way."""
    for text in chart_text(tab):
        name = f"{tab.page.url} {text['figure']}"
        if dark:
            assert text["luminance"] > 0.5, f"{name}: dark text in dark mode: {text}"
        else:
            assert text["luminance"] < 0.2, f"{name}: light text in light mode: {text}"
        assert text["contrast"] >= 4.5, f"{name}: chart text contrast too low: {text}"


def test_charts_follow_the_palette_toggle(site: BuiltSite, tab: Tab) -> None:
    kinds = site.one_page_per_kind()
    first = kinds[0]
    tab.goto(first.path)
    tab.assert_charts_drawn()
    assert scheme(tab) == "default"
    assert_themed(tab, dark=False)

    toggle_palette(tab, "slate")
    # The redraw follows the attribute change; wait for it, then check every chart.
    tab.page.wait_for_function(CHART_TEXT_IS, arg=True)
    assert_themed(tab, dark=True)
    tab.screenshot(shot_name(first.path, "dark"))

    # Charts first drawn in dark mode (after instant navigation) are dark too.
    for page in kinds[1:]:
        tab.follow(page.path)
        tab.assert_charts_drawn()
        assert scheme(tab) == "slate"
        assert_themed(tab, dark=True)
        tab.screenshot(shot_name(page.path, "dark"))

    # The choice survives a reload, and charts drawn on load are dark.
    tab.page.reload()
    tab.assert_charts_drawn()
    assert scheme(tab) == "slate"
    assert_themed(tab, dark=True)

    toggle_palette(tab, "default")
    tab.page.wait_for_function(CHART_TEXT_IS, arg=False)
    assert_themed(tab, dark=False)
    tab.assert_clean()
