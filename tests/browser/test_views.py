"""Views (params:): a selector redraws the chart, the table and the CSV link without a new
page; the choice is in the address, so a reload, an instant navigation or a shared link
shows the same view; a value the report does not have shows the default and says so. A
site-wide choice (params: site) follows the reader to the other reports that take it."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import urllib.request

import pytest

from .browsing import Tab, shot_name
from .site import BuiltSite, uses_real_queries

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not uses_real_queries(), reason="the fixture site has no params: report"),
]

REPORT = "competitive/win_rate_by_competitor/"

SHOWN = """() => ({
  figure: document.querySelector(".revpages-chart")?.dataset.figure || "",
  rows: document.querySelectorAll(".revpages-table tbody tr").length,
  cells: [...document.querySelectorAll(".revpages-table tbody tr")]
    .map((tr) => tr.querySelector("td, th")?.textContent.trim()),
  csv: document.querySelector(".revpages-download")?.href || "",
  csvText: document.querySelector(".revpages-download")?.textContent.trim() || "",
  window: document.querySelector(".revpages-window")?.textContent || "",
  selected: Object.fromEntries([...document.querySelectorAll(".revpages-params select")]
    .map((s) => [s.name, s.value])),
  note: document.querySelector(".revpages-params__note")?.textContent || "",
})"""


def view_of(site: BuiltSite, segment: str, period: str, report: str = REPORT) -> dict:
    """The view the build wrote for these values, from the page's own lookup."""
    page = (site.root / report / "index.html").read_text(encoding="utf-8")
    start = page.index('data-views="') + len('data-views="')
    lookup = json.loads(html.unescape(page[start : page.index('"', start)]))
    key = lookup["keys"][f"{segment}\u001f{period}"]
    view = json.loads((site.root / lookup["folder"] / f"{key}.json").read_text("utf-8"))
    return {**view, "key": key}


def wait_for_view(tab: Tab, view: dict) -> dict:
    """What the page shows once it draws the chart of ``view``."""
    figure = re.search(r'data-figure="([^"]+)"', view["body"])
    assert figure, view["body"]
    tab.page.wait_for_function(
        """(figure) => document.querySelector(".revpages-chart")?.dataset.figure === figure""",
        arg=html.unescape(figure.group(1)),
    )
    tab.assert_charts_drawn(expected=1)
    return tab.page.evaluate(SHOWN)


def test_choosing_a_segment_redraws_chart_table_and_csv(site: BuiltSite, tab: Tab) -> None:
    tab.goto(REPORT)
    tab.assert_charts_drawn(expected=1)
    before = tab.page.evaluate(SHOWN)
    assert before["selected"] == {"segment": "All", "period": "last_complete_quarter"}
    view = view_of(site, "enterprise", "last_complete_quarter")
    tab.page.evaluate("() => { window.__revpagesMarker = 'same document' }")
    tab.page.select_option(".revpages-params select[name=segment]", "enterprise")
    after = wait_for_view(tab, view)
    assert tab.page.evaluate("() => window.__revpagesMarker") == "same document"
    assert tab.page.url.endswith(f"{REPORT}?segment=enterprise")
    assert after["csvText"] == view["csvText"] and after["csv"].endswith(view["csv"])
    # The table and the CSV hold the numbers of the view, not those of the page before.
    with urllib.request.urlopen(after["csv"]) as response:
        rows = list(csv.reader(io.StringIO(response.read().decode("utf-8"))))[1:]
    assert after["cells"] == [row[0] for row in rows][: after["rows"]]
    assert after["cells"] != before["cells"] or after["csvText"] != before["csvText"]
    tab.screenshot(shot_name(REPORT, "view"), folder="reports")

    # Back to All: the page's own numbers again.
    tab.page.select_option(".revpages-params select[name=segment]", "All")
    again = wait_for_view(tab, view_of(site, "All", "last_complete_quarter"))
    assert again["cells"] == before["cells"] and tab.page.url.endswith(REPORT)
    tab.assert_clean()


def test_the_address_restores_the_view_after_a_reload(site: BuiltSite, tab: Tab) -> None:
    view = view_of(site, "smb", "trailing_12_months")
    tab.goto(f"{REPORT}?segment=smb&period=trailing_12_months")
    shown = wait_for_view(tab, view)
    assert shown["selected"] == {"segment": "smb", "period": "trailing_12_months"}
    assert "12 months to" in shown["window"] and shown["csvText"] == view["csvText"]
    tab.page.reload()
    assert wait_for_view(tab, view)["selected"]["period"] == "trailing_12_months"
    tab.assert_clean()


def test_a_shared_link_opens_the_view_by_instant_navigation(site: BuiltSite, tab: Tab) -> None:
    view = view_of(site, "mid_market", "quarter_to_date")
    tab.goto("")
    tab.page.wait_for_function("() => Boolean(window.__revpagesTestPage)")
    tab.page.evaluate(
        """(href) => {
          window.__revpagesMarker = "same document";
          const link = Object.assign(document.createElement("a"), { href, textContent: "view" });
          document.querySelector("article").prepend(link);
          link.click();
        }""",
        f"{REPORT}?segment=mid_market&period=quarter_to_date",
    )
    shown = wait_for_view(tab, view)
    assert tab.page.evaluate("() => window.__revpagesMarker") == "same document"
    assert shown["selected"] == {"segment": "mid_market", "period": "quarter_to_date"}
    tab.assert_clean()


def test_the_keyboard_changes_the_view(site: BuiltSite, tab: Tab) -> None:
    tab.goto(REPORT)
    tab.assert_charts_drawn(expected=1)
    select = tab.page.locator(".revpages-params select[name=period]")
    select.focus()
    tab.page.keyboard.press("ArrowDown")  # a closed select takes the next value at once
    chosen = select.input_value()
    assert chosen != "last_complete_quarter"
    shown = wait_for_view(tab, view_of(site, "All", chosen))
    assert shown["selected"]["period"] == chosen
    label = tab.page.locator(".revpages-params label").nth(1).inner_text()
    assert label.startswith("Period")
    tab.assert_clean()


def test_an_unknown_value_shows_the_default_view_and_says_so(site: BuiltSite, tab: Tab) -> None:
    tab.goto(f"{REPORT}?segment=%3Cscript%3Ex%3C%2Fscript%3E")
    tab.assert_charts_drawn(expected=1)
    shown = tab.page.evaluate(SHOWN)
    assert shown["selected"]["segment"] == "All"
    assert (
        shown["note"]
        == "This report has no segment “<script>x</script>”: it shows the default view."
    )
    assert tab.page.locator(".revpages-params__note script").count() == 0
    assert shown["figure"] == f"{REPORT.rstrip('/')}.json"
    tab.assert_clean()


OTHER = "funnel/win_rate_by_source/"  # another report taking the site-wide parameters
BAR = "() => document.querySelector('.revpages-selection')?.textContent || ''"


def test_a_site_wide_choice_follows_the_reader(site: BuiltSite, tab: Tab) -> None:
    tab.goto(REPORT)
    tab.assert_charts_drawn(expected=1)
    tab.page.select_option(".revpages-params select[name=segment]", "enterprise")
    wait_for_view(tab, view_of(site, "enterprise", "last_complete_quarter"))
    assert tab.page.evaluate(BAR).startswith("Selected on every page: Segment: enterprise")

    tab.follow(OTHER)  # instant navigation; the link carries no choice
    shown = wait_for_view(tab, view_of(site, "enterprise", "last_complete_quarter", OTHER))
    assert shown["selected"]["segment"] == "enterprise"
    assert tab.page.url.endswith(f"{OTHER}?segment=enterprise")
    tab.screenshot(shot_name(OTHER, "site-choice"), full_page=False, folder="reports")

    tab.follow("funnel/overview/")  # a report that does not take it says so
    assert tab.page.evaluate(BAR).endswith("This page is not filtered by it.Clear")
    tab.page.reload()  # kept in the browser, not only in this page's memory
    tab.page.wait_for_function(BAR)
    tab.page.locator(".revpages-selection__clear").click()
    assert tab.page.evaluate(BAR) == ""
    tab.follow(OTHER)
    tab.assert_charts_drawn(expected=1)
    assert tab.page.evaluate(SHOWN)["selected"]["segment"] == "All"
    tab.assert_clean()
