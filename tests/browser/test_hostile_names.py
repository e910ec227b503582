"""per: pages for names an export may hold (markup, quotes, emoji, 300 characters, two that
differ only in case), in the browser: each index link opens its own page by instant
navigation, the name shows as text and nothing in it runs, and a bar of a chart by owner
opens that owner's page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.conftest import base_files, write_tree
from tests.test_entities import BY_OWNER_SQL, HOSTILE, PER_SQL, deals_csv

from .browsing import DESKTOP, Tab, watch
from .site import SiteServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small site of a per: report over hostile owner names, built and served."""
    from click.testing import CliRunner

    from revpages.commands.cli import cli

    root = tmp_path_factory.mktemp("hostile")
    server = SiteServer(root / "build")
    files = base_files()
    files["mkdocs.yml"] = {**files["mkdocs.yml"], "site_url": server.url}
    files["queries"]["sales"] = {"owner.sql": PER_SQL, "by_owner.sql": BY_OWNER_SQL}
    files["data"] = {"deals.csv": deals_csv(HOSTILE)}
    write_tree(root, files)
    result = CliRunner().invoke(cli, ["build", "-q", "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def hostile_tab(browser: Browser, hostile_site: str) -> Iterator[Tab]:
    context = browser.new_context(viewport=DESKTOP, base_url=hostile_site, reduced_motion="reduce")
    tab = watch(context, hostile_site)
    yield tab
    context.close()


def test_every_hostile_name_opens_its_own_page(hostile_tab: Tab) -> None:
    tab = hostile_tab
    tab.goto("sales/owner/")
    article = tab.page.locator("article")
    tab.page.evaluate(
        "() => { window.__revpagesAlerted = false; window.alert = () => "
        "{ window.__revpagesAlerted = true; }; }"
    )
    for name in HOSTILE:
        article.get_by_role("link", name=name, exact=True).click()
        tab.page.wait_for_function(
            "(name) => document.querySelector('h1')?.textContent.includes(name)", arg=name
        )
        assert tab.page.locator("h1").inner_text().removesuffix("¶").strip() == (
            f"Deals of the owner: {name}"
        )
        assert tab.page.locator("article script").count() == 0
        tab.page.go_back()
        tab.page.wait_for_url("**/sales/owner/")
    assert tab.page.evaluate("() => window.__revpagesAlerted") is False
    tab.assert_clean()


def test_a_bar_opens_its_owners_page(hostile_tab: Tab) -> None:
    tab = hostile_tab
    tab.goto("sales/by_owner/")
    tab.assert_charts_drawn(expected=1)
    bars = tab.page.locator(".revpages-chart .points path")
    assert bars.count() == len(HOSTILE)
    box = bars.nth(2).bounding_box()  # the bars follow the owners' order (by name)
    assert box is not None
    tab.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] - 2)
    tab.page.wait_for_url("**/sales/owner/*/")
    name = sorted(HOSTILE)[2]
    tab.page.wait_for_function(
        "(name) => document.querySelector('h1')?.textContent.includes(name)", arg=name
    )
    tab.assert_clean()
