"""One number, one text: on every starter report, a value reads the same in the KPI tile,
the table and the chart's tooltip ("$90,189" everywhere, never "$90,190" in one place), and
the browser's formatter writes exactly what the build's writes. Pages are read in the dark
scheme, and a screenshot of each is kept in test-artifacts/screenshots/reports/.
"""

from __future__ import annotations

import itertools
import re

import pytest

from revpages.pages.formats import FORMAT_SPEC, ColumnFormat

from .browsing import Tab, shot_name
from .site import BuiltSite

pytestmark = pytest.mark.browser

# Hover over a few points of every trace that has a tooltip and read the lines it shows.
HOVERS = """async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const found = [];
  for (const chart of document.querySelectorAll(".revpages-chart")) {
    for (const [curve, trace] of (chart._fullData || []).entries()) {
      if (trace.hoverinfo === "skip" || !trace.hovertemplate) continue;
      const heatmap = trace.type === "heatmap";
      const points = heatmap
        ? trace.z.flatMap((row, r) => row.map((value, c) => value === null ? null : [r, c]))
        : (trace.customdata || []).map((_, i) => i);
      const valid = points.filter((p) => p !== null);
      const picks = [...new Set([0, 1, Math.floor(valid.length / 2), valid.length - 1])]
        .filter((i) => i >= 0 && i < valid.length).map((i) => valid[i]);
      const subplot = (trace.xaxis || "x") + (trace.yaxis || "y");
      for (const point of picks) {
        // A heatmap is hovered at its cell (category indexes), a trace at its point.
        const at = heatmap ? { xval: point[1], yval: point[0] }
          : [{ curveNumber: curve, pointNumber: point }];
        Plotly.Fx.hover(chart, at, subplot);
        await frame();
        const label = chart.querySelector(".hoverlayer .hovertext text.nums");
        const lines = label ? [...label.querySelectorAll("tspan.line")]
          .map((t) => t.textContent.trim()) : [];
        if (label && !lines.length) lines.push(label.textContent.trim());
        found.push({ figure: chart.dataset.figure, heatmap, lines });
        Plotly.Fx.unhover(chart);
      }
    }
  }
  return found;
}"""

TABLE = """() => {
  const region = document.querySelector(".revpages-table");
  return {
    pivot: region.classList.contains("revpages-table--pivot"),
    grid: [region.dataset.rows, region.dataset.columns, region.dataset.values],
    truncated: /^First /.test(region.querySelector("caption").textContent),
    head: [...region.querySelectorAll("thead th")].map((th) => th.textContent.trim()),
    rows: [...region.querySelectorAll("tbody tr")]
      .map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())),
  };
}"""

ZERO = re.compile(r"^\D*0(\.0+)?\D*$")

TILES = """() => [...document.querySelectorAll(".revpages-tile")].map((tile) => ({
  label: tile.querySelector(".revpages-tile__label").textContent.trim(),
  value: tile.querySelector(".revpages-tile__value").textContent.trim(),
}))"""


def pairs(lines: list[str]) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def hover_problem(path: str, hover: dict, table: dict) -> str | None:
    shown = pairs(hover["lines"])
    if not shown:
        return f"{path} {hover['figure']}: an empty tooltip {hover['lines']}"
    head, rows = table["head"], table["rows"]
    if table["pivot"]:
        row, column, value = (shown.get(name) for name in table["grid"])
        if row is None or column not in head or value is None:
            return f"{path}: tooltip {shown} does not name a cell of the grid {table['grid']}"
        at = head.index(column)
        cells = [r[at] for r in rows if r[0] == row]
        if cells == [""] and ZERO.match(value):
            return None  # a pair with no row: nothing in the grid, nothing stacked in the chart
        if cells != [value] and not (table["truncated"] and not cells):
            return f"{path}: tooltip {value!r} at {row}, {column} but the table cell {cells}"
        return None
    compared = {k: v for k, v in shown.items() if k in head}
    if len(compared) < 2:
        return f"{path}: tooltip {shown} names too few of the table's columns {head}"
    for row in rows:
        if all(row[head.index(k)] == v for k, v in compared.items()):
            return None
    if table["truncated"]:
        return None  # the row is beyond the rows the page shows (the CSV has it)
    return f"{path} {hover['figure']}: tooltip {compared} matches no row of the table"


# The reports in shards, so that xdist spreads the slowest walk over its workers.
SHARDS = 2


@pytest.mark.parametrize("shard", range(SHARDS))
def test_tiles_tables_and_tooltips_show_the_same_strings(
    site: BuiltSite, open_tab, shard: int
) -> None:
    tab: Tab = open_tab(color_scheme="dark")
    problems: list[str] = []
    compared = 0
    for page in site.starter_reports()[shard::SHARDS]:
        tab.visit(page.path)
        tab.assert_charts_drawn(expected=len(page.figures))
        table = tab.page.evaluate(TABLE)
        for tile in tab.page.evaluate(TILES):
            cells = [row[table["head"].index(tile["label"])] for row in table["rows"]]
            if cells != [tile["value"]]:
                problems.append(f"{page.path}: tile {tile} but table {cells}")
            compared += 1
        for hover in tab.page.evaluate(HOVERS):
            problem = hover_problem(page.path, hover, table)
            problems += [problem] if problem else []
            compared += 1
        tab.screenshot(shot_name(page.path, "dark"), folder="reports")
    assert compared > 100 // SHARDS, f"only {compared} tiles and tooltips compared"
    assert not problems, "\n".join(problems)
    tab.assert_clean()


VALUES = [
    0.0,
    -0.0,
    0.5,
    2.5,
    -2.5,
    0.125,
    0.2915,
    0.00125,
    1 / 3,
    -0.004,
    12.45,
    999.95,
    90189.4999,
    90189.5,
    5802500.0,
    -7.3,
    1e-7,
    123456789.987,
]


def test_the_browser_formats_numbers_as_the_build_does(site: BuiltSite, tab: Tab) -> None:
    cases = [
        (ColumnFormat(name, decimals, "€"), value)
        for name, decimals, value in itertools.product(FORMAT_SPEC, (0, 1, 2), VALUES)
    ]
    tab.goto("")
    shown = tab.page.evaluate(
        "(cases) => cases.map(([format, value]) => window.revpages.formatValue(value, format))",
        [[fmt.browser(), value] for fmt, value in cases],
    )
    different = [
        f"{fmt.name}/{fmt.decimals} {value!r}: build {fmt.text(value)!r}, browser {text!r}"
        for (fmt, value), text in zip(cases, shown, strict=True)
        if fmt.text(value) != text
    ]
    assert not different, "\n".join(different)
    tab.assert_clean()
