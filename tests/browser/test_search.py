"""Material's site search finds a report by its title and opens it."""

from __future__ import annotations

import pytest

from .browsing import Tab
from .site import BuiltSite

pytestmark = pytest.mark.browser


def test_search_finds_a_report_by_its_title(site: BuiltSite, tab: Tab) -> None:
    report = site.chart_pages()[-1]
    target = tab.url(report.path)
    tab.goto("")
    search = tab.page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(report.title, delay=10)  # Material searches on keyup
    # search.highlight adds "?h=..." to result links
    result = tab.page.locator(f'a.md-search-result__link[href^="{target}"]')
    result.first.wait_for(state="visible")
    assert report.title in result.first.inner_text()
    tab.page.evaluate("() => { window.__revpagesMarker = 'same document' }")
    result.first.click()
    tab.wait_for_page(target)
    assert tab.page.evaluate("() => window.__revpagesMarker") == "same document"
    tab.assert_charts_drawn(expected=len(report.figures))
    tab.assert_clean()
