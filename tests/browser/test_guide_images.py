"""The guide's query-file reference shows each chart type as a reader sees it.

Each picture in ``site_src/guide/img/`` is a screenshot of the first starter report of
that chart type, taken here from the built sample site. ``make guide-images`` takes them
again (after a change to the charts' look); a normal run checks that the guide has one per
chart type and writes fresh ones to the test artifacts.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

from revpages.reports.spec import CHART_TYPES

from .browsing import SCREENSHOTS, Tab
from .site import REPO, BuiltSite, queries_dir, uses_real_queries

pytestmark = pytest.mark.browser

GUIDE = REPO / "site_src" / "guide"
UPDATE = os.environ.get("REVPAGES_UPDATE_GUIDE_IMAGES") == "1"


def first_report_of(chart: str) -> str:
    """URL path of the first report (by file name) drawn as ``chart``."""
    for path in sorted(queries_dir().glob("*/*.sql")):
        if re.search(rf"(?m)^chart:\s*{chart}\s*$", path.read_text(encoding="utf-8")):
            return f"{path.parent.name}/{path.stem}/"
    raise AssertionError(f"no starter report draws a '{chart}' chart: add one to queries/")


@pytest.mark.parametrize("chart", CHART_TYPES)
def test_the_guide_shows_each_chart_type(site: BuiltSite, tab: Tab, chart: str) -> None:
    assert uses_real_queries(), "the pictures come from the starter reports in queries/"
    tab.goto(first_report_of(chart))
    if chart == "table":
        element = tab.page.locator(".md-typeset table").first
    else:
        tab.wait_for_charts()
        element = tab.page.locator(".revpages-chart").first
    shot = SCREENSHOTS / f"guide-chart-{chart}.png"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    element.screenshot(path=str(shot), animations="disabled")
    tab.assert_clean()
    picture = GUIDE / "img" / f"chart-{chart}.png"
    if UPDATE:
        picture.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, picture)
    assert picture.is_file(), f"{picture} is missing: run 'make guide-images'"
    section = (GUIDE / "queries.md").read_text(encoding="utf-8").split(f"### `{chart}`")[1]
    assert f"](img/chart-{chart}.png)" in section.split("\n### ")[0]
