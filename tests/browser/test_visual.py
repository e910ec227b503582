"""Visual quality of the real starter reports over small sample data, on every chart page:
no overlapping labels, titled axes, formatted numbers, one colour per entity across pages and
a colour-blind-safe palette. Read from the plots Plotly drew, not from the figure files.

One pass over the pages feeds every check (a test per check would visit them all again on
each xdist worker).
"""

from __future__ import annotations

import pytest

from revpages.pages.palette import PALETTE

from .browsing import Tab
from .chart_quality import (
    CHART_RECORDS,
    OKABE_ITO,
    TILE_RECORDS,
    ColumnFormats,
    DrawnChart,
    missing_axis_titles,
    overlapping_labels,
    series_colors,
    unformatted_numbers,
    unformatted_tiles,
)
from .site import BuiltSite, queries_dir

pytestmark = pytest.mark.browser


def read_every_chart(site: BuiltSite, tab: Tab) -> tuple[list[DrawnChart], list[str]]:
    """Every chart of the site as drawn at desktop size, visited by instant navigation, and
    the problems of the KPI tiles met on the way."""
    tab.goto("")
    charts = []
    tiles: list[str] = []
    formats = ColumnFormats.of_queries(queries_dir())
    for page in [*site.chart_pages(), *tile_pages(site)]:
        if page.path:
            tab.follow(page.path)
        tab.assert_charts_drawn(expected=len(page.figures))
        charts += [DrawnChart.read(page.path, r) for r in tab.page.evaluate(CHART_RECORDS)]
        figure = page.path.rstrip("/") + ".json"
        tiles += unformatted_tiles(page.path, figure, tab.page.evaluate(TILE_RECORDS), formats)
    return charts, tiles


def tile_pages(site: BuiltSite) -> list:
    return [
        p
        for p in site.starter_reports()
        if 'class="revpages-tiles"' in (site.root / p.path / "index.html").read_text("utf-8")
    ]


def colour_problems(charts: list[DrawnChart]) -> dict[str, list[str]]:
    colors = series_colors(charts)
    assert len(colors) > 1, "no named series found"
    several = [
        f"{name}: " + "; ".join(f"{c} on {', '.join(w)}" for c, w in found.items())
        for name, found in colors.items()
        if len(found) > 1
    ]
    shared = []
    for chart in charts:
        named = {t["name"]: t["color"] for t in chart.series if t["name"] and t["color"]}
        if len(set(named.values())) < len(named):
            shared.append(f"{chart.where}: {named}")
    used = {t["color"] for chart in charts for t in chart.series if t["color"]}
    return {
        "entities drawn in more than one colour": several,
        "series of one chart sharing a colour": shared,
        "colours outside the colour-blind-safe Okabe-Ito set": sorted(used - OKABE_ITO),
    }


def test_charts_read_well_on_every_page(site: BuiltSite, tab: Tab) -> None:
    charts, tiles = read_every_chart(site, tab)
    assert [c.figure for c in charts] == [f for p in site.chart_pages() for f in p.figures]
    assert all(c.texts for c in charts), "a chart without any text"
    assert any(c.has_axes for c in charts) and tile_pages(site)
    formats = ColumnFormats.of_queries(queries_dir())
    problems = {
        "overlapping labels": [p for c in charts for p in overlapping_labels(c)],
        "axes without a title": [p for c in charts for p in missing_axis_titles(c)],
        # Percent and currency read as such; counts are grouped or shortened (12k, 1.2M).
        "unformatted numbers": [p for c in charts for p in unformatted_numbers(c, formats)] + tiles,
        **colour_problems(charts),
    }
    found = {what: found for what, found in problems.items() if found}
    assert not found, "\n".join(
        f"{what}:\n  " + "\n  ".join(found) for what, found in found.items()
    )
    tab.assert_clean()


def test_the_palette_starts_with_the_okabe_ito_set() -> None:
    assert {c.lower() for c in PALETTE[:8]} == OKABE_ITO
