"""The home page and the scorecards as a VP opens them: the first screen says how we are doing
(the verdict against the targets and the key numbers), every tile and finding links to a
report page that exists, and each page is photographed light, dark and on a phone."""

from __future__ import annotations

import pytest

from .browsing import Tab, shot_name
from .site import BuiltSite, uses_real_queries
from .test_phone import PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not uses_real_queries(), reason="the fixture site has no home tiles"),
]

PAGES = ["", "scorecards/marketing/", "scorecards/sales/", "funnel/", "handoff/"]

FIRST_SCREEN = """() => {
  const height = window.innerHeight;
  const seen = (el) => el && el.getBoundingClientRect().bottom <= height;
  const tiles = [...document.querySelectorAll(".revpages-tiles--home .revpages-tile")];
  return {
    verdict: seen(document.querySelector(".revpages-verdict")),
    verdictText: document.querySelector(".revpages-verdict")?.textContent || "",
    tiles: tiles.length,
    tilesSeen: tiles.filter(seen).length,
    links: [...document.querySelectorAll(".revpages-tile__link a, .revpages-attention a")]
      .map((a) => new URL(a.href).pathname),
  };
}"""


def test_the_first_screen_says_how_we_are_doing(site: BuiltSite, tab: Tab) -> None:
    tab.goto("")
    screen = tab.page.evaluate(FIRST_SCREEN)
    assert screen["verdict"], screen
    assert screen["verdictText"].startswith("Against their targets:")
    assert screen["tiles"] >= 9 and screen["tilesSeen"] >= 4, screen
    for path in screen["links"]:
        page = path.lstrip("/")
        assert page in site.pages, f"a home link leads nowhere: {path}"
    tab.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark", "phone"])
def test_home_scorecards_and_sections_photographed(site: BuiltSite, open_tab, scheme) -> None:
    options = PHONE if scheme == "phone" else {"color_scheme": scheme}
    tab = open_tab(**options)
    for path in PAGES:
        tab.visit(path)
        tab.assert_charts_drawn()
        tab.screenshot(shot_name(path, scheme), full_page=scheme != "phone", folder="home")
    tab.assert_clean()
