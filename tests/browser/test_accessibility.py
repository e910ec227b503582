"""Accessibility: axe-core's WCAG 2.1 A and AA rules on the site in light and dark mode,
named charts followed by their data table, keyboard access to the table and the CSV
download.

axe-core comes bundled in the axe-playwright-python package (no network at run time). Where
axe cannot decide a contrast (text over Material's scrolled sidebar, which it reports as
"incomplete"), the theme samples below are measured from computed styles instead: WCAG 2
relative luminance, translucent colours blended onto the background they sit on.
"""

from __future__ import annotations

import html
import re

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe

from .browsing import Tab, contrast
from .site import BuiltPage, BuiltSite, queries_dir

pytestmark = pytest.mark.browser

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
# The dark scheme changes colours only (Material swaps its colour variables; the document is
# the same): the rules that read colours are the ones to run again.
AXE_COLOUR_OPTIONS = {
    "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
    "resultTypes": ["violations"],
}
AXE_RUN = "(options) => axe.run(document, options)"


def run_axe(tab: Tab, options: dict = AXE_OPTIONS) -> AxeResults:
    """axe-core on the page; its script (half a megabyte) is injected once per document,
    so pages reached by instant navigation reuse it."""
    if not tab.page.evaluate("() => typeof window.axe === 'object'"):
        tab.page.evaluate(Axe().axe_script)
    return AxeResults(tab.page.evaluate(AXE_RUN, options))


# Before drawing, the chart element is the image; once drawn it is a figure holding the plot
# as the image (named as before) beside Plotly's mode bar, whose buttons role=img would hide.
CHART_SEMANTICS = """() => [...document.querySelectorAll(".revpages-chart")].map((chart) => {
  const next = chart.nextElementSibling;
  const image = chart.matches("[role=img]") ? chart : chart.querySelector("[role=img]");
  return {
    figure: chart.dataset.figure,
    role: image ? "img" : chart.getAttribute("role"),
    label: image ? image.getAttribute("aria-label") || "" : "",
    next: next ? next.className : "",
    nextRole: next ? next.getAttribute("role") : "",
    nextLabel: next ? next.getAttribute("aria-label") || "" : "",
    nextTabindex: next ? next.getAttribute("tabindex") : "",
  };
})"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), cls: el.className || "",
    text: (el.textContent || "").trim().slice(0, 40),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
  };
}"""

# For each sample: the text colour and the colour behind it (first opaque ancestor background,
# translucent backgrounds composed on the way down).
COLORS = """(selectors) => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let color = [255, 255, 255, 1];
    for (const layer of layers.reverse()) color = over(layer, color);
    return color;
  };
  const out = [];
  for (const [name, selector] of Object.entries(selectors)) {
    const el = [...document.querySelectorAll(selector)].find((e) => {
      const box = e.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && e.textContent.trim();
    });
    if (!el) { out.push({ name, missing: true }); continue; }
    const style = getComputedStyle(el);
    out.push({ name, selector, color: parse(style.color), background: background(el),
               text: el.textContent.trim().slice(0, 30) });
  }
  return out;
}"""

SAMPLES = {
    "body text": ".md-typeset .revpages-description",
    "meta line": ".md-typeset .revpages-meta",
    "table cell": ".revpages-table td",
    "table header": ".revpages-table th",
    "table caption": ".revpages-table caption",
    "download button": "a.revpages-download",
    "SQL summary": ".revpages-sql summary",
    "back link": "a.revpages-back",
    "nav link": ".md-sidebar--primary .md-nav__link:not(.md-nav__link--active)",
    "active nav link": ".md-sidebar--primary .md-nav__link--active",
    "nav section title": ".md-sidebar--primary .md-nav__item--section > .md-nav__link",
    "header title": ".md-header__topic .md-ellipsis",
    "footer": ".md-footer-meta, .md-copyright",
}


def check_chart_semantics(page: BuiltPage, charts: list[dict]) -> None:
    assert len(charts) == len(page.figures)
    for chart in charts:
        where = f"{page.path} {chart['figure']}"
        assert chart["role"] == "img", f"{where}: chart without role=img"
        if not page.has_download:  # an embed: its link leads to the report's table
            assert "The linked report holds the same numbers" in chart["label"], where
            continue
        assert page.title in chart["label"], f"{where}: chart name {chart['label']!r}"
        assert "revpages-table" in chart["next"].split(), f"{where}: no data table after it"
        assert chart["nextRole"] == "region" and chart["nextLabel"], f"{where}: table unnamed"
        assert chart["nextTabindex"] == "0", f"{where}: table region not focusable"


def test_charts_are_named_and_followed_by_their_table(site: BuiltSite, tab: Tab) -> None:
    """In every built page (parsed), and in the browser once Plotly has drawn into them."""
    for page in site.chart_pages():
        html = (site.root / page.path / "index.html").read_text(encoding="utf-8")
        found = _CHART if page.has_download else _EMBEDDED_CHART
        check_chart_semantics(page, [_static_chart(match) for match in found.finditer(html)])
    page = site.chart_pages()[0]
    tab.goto(page.path)
    tab.assert_charts_drawn()
    check_chart_semantics(page, tab.page.evaluate(CHART_SEMANTICS))
    tab.assert_clean()


_CHART = re.compile(r"<div (?=[^>]*class=\"revpages-chart\")([^>]*)></div>\s*<div ([^>]*)>")
# A chart embedded in a hand-written page: its table is a link away, on the report's page.
_EMBEDDED_CHART = re.compile(r"<div (?=[^>]*class=\"revpages-chart\")([^>]*)></div>()")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def _static_chart(match: re.Match) -> dict:
    chart = {k: html.unescape(v) for k, v in _ATTR.findall(match.group(1))}
    table = {k: html.unescape(v) for k, v in _ATTR.findall(match.group(2))}
    return {
        "figure": chart.get("data-figure"),
        "role": chart.get("role"),
        "label": chart.get("aria-label", ""),
        "next": table.get("class", ""),
        "nextRole": table.get("role"),
        "nextLabel": table.get("aria-label", ""),
        "nextTabindex": table.get("tabindex"),
    }


def test_keyboard_reaches_the_table_and_the_download(site: BuiltSite, tab: Tab) -> None:
    report = site.chart_pages()[0]
    tab.goto(report.path)
    tab.assert_charts_drawn()
    reached = []
    for _ in range(250):
        tab.page.keyboard.press("Tab")
        focused = tab.page.evaluate(FOCUSED)
        if not focused:
            continue
        if "revpages-table" in focused["cls"].split():
            reached.append("table")
            assert focused["outline"] or focused["shadow"], "the table region shows no focus"
        if "revpages-download" in focused["cls"].split():
            reached.append("download")
            assert focused["outline"] or focused["shadow"], "the download shows no focus"
            break
    assert reached == ["table", "download"], f"Tab order reached {reached}"
    # Enter on the focused download link downloads the CSV.
    with tab.page.expect_download() as download:
        tab.page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")
    tab.assert_clean()


def axe_pages(site: BuiltSite) -> list[str]:
    """One page of each template: home, a section, a report of each chart kind (the kinds
    differ inside the plot, which axe treats as an image, and around it: legends, flagged
    and pivoted tables, KPI tiles), a table-only report, the longest guide page and a data
    page. test_theme checks chart text in both schemes."""
    sections = [p for p in site.pages if p.count("/") == 1 and (queries_dir() / p).is_dir()]
    tables = [p.path for p in site.reports() if not p.figures]
    kinds = [p.path for p in site.one_page_per_kind()]
    marked = {
        mark: [p.path for p in site.starter_reports() if mark in _html(site, p.path)][:1]
        for mark in ('class="revpages-tiles"', "revpages-table--pivot", "revpages-flagged")
    }
    guide = [p for p in site.pages if p.startswith("guide/")]
    # The longest guide page: the most Markdown components (tables, code, links in code).
    others = sorted(guide, key=lambda p: (site.root / p / "index.html").stat().st_size)[-1:]
    others += [p for p in ("data-quality/",) if p in site.pages]
    found = [path for paths in marked.values() for path in paths]
    pages = ["", *sections[:1], *kinds, *found, *tables[:1], *others]
    return list(dict.fromkeys(pages))


def _html(site: BuiltSite, path: str) -> str:
    return (site.root / path / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_aa_violation(site: BuiltSite, open_tab, scheme: str) -> None:
    tab = open_tab(color_scheme=scheme)
    tab.goto("")
    found = {}
    for path in axe_pages(site):
        if path:
            tab.follow(path)
        tab.assert_charts_drawn()
        slate = tab.page.evaluate("() => document.body.dataset.mdColorScheme") == "slate"
        assert slate == (scheme == "dark"), f"{path}: not in the {scheme} scheme"
        results = run_axe(tab, AXE_COLOUR_OPTIONS if scheme == "dark" else AXE_OPTIONS)
        if results.violations_count:
            found[path or "home"] = results.generate_report()
    assert not found, "\n".join(f"{path}: {report}" for path, report in found.items())
    tab.assert_clean()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_theme_colours_pass_wcag_aa(site: BuiltSite, tab: Tab, dark: bool) -> None:
    report = next(p for p in site.chart_pages() if p.is_report)
    tab.goto(report.path)
    tab.assert_charts_drawn()
    if dark:
        tab.page.locator("form[data-md-component=palette] label:visible").click()
        tab.page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    tab.page.locator(".revpages-sql summary").scroll_into_view_if_needed()
    samples = tab.page.evaluate(COLORS, SAMPLES)
    missing = [s["name"] for s in samples if s.get("missing")]
    assert not missing or set(missing) <= {"footer"}, f"samples not found: {missing}"
    failures = []
    for sample in samples:
        if sample.get("missing"):
            continue
        color = tuple(float(v) for v in sample["color"])
        ratio = contrast(color, tuple(float(v) for v in sample["background"]))
        if ratio < 4.5:
            failures.append(
                f"{sample['name']} ({sample['selector']}, {sample['text']!r}): {ratio:.2f}:1"
            )
    assert not failures, "text below WCAG AA 4.5:1:\n  " + "\n  ".join(failures)
    tab.assert_clean()


def test_axe_reports_a_violation(site: BuiltSite, tab: Tab) -> None:
    """The check itself: an image without a text alternative is reported."""
    tab.goto("")
    tab.page.evaluate("""() => {
      const image = document.createElement("img");
      image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
      document.querySelector("article").append(image);
    }""")
    results = run_axe(tab)
    assert "image-alt" in {v["id"] for v in results.response["violations"]}
    tab.assert_clean()
