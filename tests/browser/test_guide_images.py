"""The guide's query-file reference shows each chart type, and each judgement or layout key,
as a reader sees it.

Each picture in ``site_src/guide/img/`` is a screenshot of a starter report, taken here from
the built sample site: for a chart type the first report of that type, for a key the report
``KEY_REPORTS`` names. ``make guide-images`` takes them again (after a change to the
charts' look); a normal run checks that the guide has one per chart type and key and
writes fresh ones to the test artifacts.
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
    """URL path of the first report (by file name) drawn as ``chart``; a per: report has
    pages of its own, so it is passed over."""
    for path in sorted(queries_dir().glob("*/*.sql")):
        text = path.read_text(encoding="utf-8")
        if re.search(rf"(?m)^chart:\s*{chart}\s*$", text) and not re.search(r"(?m)^per:", text):
            return f"{path.parent.name}/{path.stem}/"
    raise AssertionError(f"no starter report draws a '{chart}' chart: add one to queries/")


# The starter report whose page shows each key best, and which part of it to picture.
KEY_REPORTS = {
    "facet": ("competitive/win_rate_by_segment/", "chart"),
    "label": ("handoff/speed_by_owner/", "chart"),
    "error": ("competitive/win_rate_by_competitor/", "chart"),
    "reference": ("spend/cost_per_stage/", "chart"),
    "highlight": ("forecast/bias_by_owner/", "chart"),
    "n": ("handoff/conversion_by_response_time/", "chart"),
    "pivot": ("spend/monthly_spend/", "table"),
    "sparkline": ("handoff/speed_to_lead/", "tiles"),
}
PARTS = {"chart": ".revpages-chart", "table": ".revpages-table", "tiles": ".revpages-tiles"}


def picture(tab: Tab, path: str, part: str, name: str) -> list[str]:
    """Screenshot ``part`` of the page at ``path`` as the guide's ``img/<name>.png``; the
    problems found."""
    tab.visit(path)
    tab.wait_for_charts()
    element = tab.page.locator(PARTS[part]).first
    shot = SCREENSHOTS / f"guide-{name}.png"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    element.screenshot(path=str(shot), animations="disabled")
    kept = GUIDE / "img" / f"{name}.png"
    if UPDATE:
        kept.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, kept)
    problems = [f"{path}: {problem}" for problem in tab.take_problems()]
    if not kept.is_file():
        problems.append(f"{kept} is missing: run 'make guide-images'")
    return problems


def shown_in_section(heading: str, name: str) -> bool:
    section = (GUIDE / "queries.md").read_text(encoding="utf-8").split(f"### `{heading}`")[1]
    return f"](img/{name}.png)" in section.split("\n### ")[0]


def pictures() -> list[tuple[str, str, str, str]]:
    """(section heading, page, part, picture name) of each chart type, then each key."""
    charts = [
        (chart, first_report_of(chart), {"table": "table", "kpi": "tiles"}.get(chart, "chart"))
        for chart in CHART_TYPES
    ]
    keys = [(key, *KEY_REPORTS[key]) for key in sorted(KEY_REPORTS)]
    return [(h, path, part, f"chart-{h}") for h, path, part in charts] + [
        (h, path, part, f"key-{h}") for h, path, part in keys
    ]


def test_the_guide_shows_each_chart_type_and_key(site: BuiltSite, tab: Tab) -> None:
    """One walk by instant navigation, as a reader of the reports would go."""
    assert uses_real_queries(), "the pictures come from the starter reports in queries/"
    problems = []
    for heading, path, part, name in pictures():
        if name.startswith("key-"):
            source = (queries_dir() / path.rstrip("/")).with_suffix(".sql").read_text("utf-8")
            if not re.search(rf"(?m)^{heading}:", source):
                problems.append(f"{path} does not use '{heading}'")
        problems += picture(tab, path, part, name)
        if not shown_in_section(heading, name):
            problems.append(f"the guide's section on '{heading}' does not show img/{name}.png")
    assert len(pictures()) == len(CHART_TYPES) + len(KEY_REPORTS)
    assert not problems, "\n".join(problems)
    tab.assert_clean()
