"""Every page loads cleanly: no console or page error, no failed request, no CSP violation,
no request leaving 127.0.0.1, its own charts drawn; a screenshot of each page. One page of
each kind is loaded directly (a bookmark, a shared link); every page is reached by the
navigation, as a reader goes (instant navigation, which draws charts without a new
document)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from .browsing import Tab, shot_name
from .site import BuiltPage, BuiltSite

pytestmark = pytest.mark.browser

SHARDS = 4  # pages are only known once the site is built: split them into shards for xdist


def test_every_report_has_a_page(site: BuiltSite) -> None:
    missing = sorted(set(site.expected) - set(site.pages))
    assert site.expected
    assert not missing, f"query files or docs without a page in the build: {missing}"
    assert site.chart_pages(), "the site under test has no chart at all"


def visit_each(tab: Tab, pages: list[BuiltPage], *, direct: bool) -> dict[str, list[str]]:
    """Open each page (a direct load, or instant navigation from the page before), check
    that it is clean and draws its own charts, photograph it; the problems by page."""
    failures: dict[str, list[str]] = {}
    for page in pages:
        try:
            if direct:
                tab.goto(page.path)
            else:
                tab.visit(page.path)
            states = tab.assert_charts_drawn(expected=len(page.figures))
            assert [s["figure"] for s in states] == page.figures, "not this page's charts"
            assert tab.page.title(), "page without a title"
            if not page.is_report:  # test_report_layout photographs the reports
                tab.screenshot(shot_name(page.path))
        except (AssertionError, PlaywrightError) as error:
            failures[page.path] = [str(error).splitlines()[0]]
        problems = tab.take_problems()
        if problems:
            failures.setdefault(page.path, []).extend(problems)
    return failures


def assert_no_failures(failures: dict[str, list[str]]) -> None:
    assert not failures, "pages with problems:\n" + "\n".join(
        f"  {path or 'home'}:\n    " + "\n    ".join(found) for path, found in failures.items()
    )


def test_each_kind_of_page_loads_cleanly_on_its_own(site: BuiltSite, tab: Tab) -> None:
    """Direct loads, as from a bookmark or a shared link: one page of each template."""
    pages = site.one_page_per_template()
    assert len(pages) >= 6, [p.path for p in pages]
    assert_no_failures(visit_each(tab, pages, direct=True))


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_page_loads_cleanly_and_draws_its_charts(
    site: BuiltSite, tab: Tab, shard: int
) -> None:
    """Every page, reached as a reader does by the navigation (instant navigation): no
    error of any kind, its own charts drawn; a screenshot of each page."""
    assert_no_failures(visit_each(tab, site.walk()[shard::SHARDS], direct=False))


def test_a_request_leaving_localhost_fails_the_test(site: BuiltSite, open_tab) -> None:
    """The guard itself: a page that reaches outside is caught (the route aborts it first).

    The page's own CSP would refuse the request before the route sees it, so this tab
    bypasses CSP to prove that the route alone stops it.
    """
    tab = open_tab(bypass_csp=True)
    tab.goto("")
    tab.page.evaluate("""() => fetch("https://cdn.example.invalid/plotly.js").catch(() => null)""")
    assert tab.external_requests == ["https://cdn.example.invalid/plotly.js"]
    with pytest.raises(AssertionError, match=r"request leaving 127\.0\.0\.1"):
        tab.assert_clean()


def test_a_console_error_fails_the_test(site: BuiltSite, tab: Tab) -> None:
    """The guard itself: console errors and uncaught exceptions are caught."""
    tab.goto("")
    tab.page.evaluate("""() => {
      console.error("revpages: something broke");
      setTimeout(() => { throw new Error("an uncaught error"); });
    }""")
    tab.page.wait_for_timeout(50)  # the thrown error arrives after this task
    with pytest.raises(AssertionError, match="console error: revpages: something broke"):
        tab.assert_clean()
    assert any("an uncaught error" in e for e in tab.page_errors), tab.page_errors
    tab.take_problems()


def test_a_chart_that_stops_drawing_fails_the_test(site: BuiltSite, open_tab) -> None:
    """The guard itself: a chart left undrawn (Plotly missing) or never settled (the chart
    script gone) fails the chart check, and Plotly's failed request is recorded too."""
    page = site.chart_pages()[-1]
    tab = open_tab()
    tab.page.route("**/plotly.min.js", lambda route: route.fulfill(status=404, body=""))
    tab.goto(page.path)
    with pytest.raises(AssertionError, match="charts not drawn"):
        tab.assert_charts_drawn()
    assert any("plotly.min.js" in p for p in tab.take_problems())

    tab = open_tab()
    tab.page.route(
        "**/revpages.js",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=""),
    )
    tab.goto(page.path)
    with pytest.raises(AssertionError, match="charts not drawn"):
        tab.assert_charts_drawn(timeout_ms=1_000)
    tab.assert_clean()


_RESOURCE = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?"
    r"\b(?:src|href|data)=[\"']?((?:https?:)?//[^\"'\s>]+)",
    re.I,
)


def test_no_page_refers_to_another_host(site: BuiltSite) -> None:
    """Scripts, styles, fonts, images: all local (links to other sites would be fine)."""
    remote = {}
    for page in sorted(site.root.rglob("*.html")):
        found = [
            u
            for u in _RESOURCE.findall(page.read_text(encoding="utf-8"))
            if not u.startswith(site.url)
        ]
        if found:
            remote[str(page.relative_to(site.root))] = found
    assert not remote, f"pages load resources from other hosts: {remote}"
