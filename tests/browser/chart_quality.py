"""What a drawn chart looks like to a reader: its text boxes (to find overlapping labels),
axis titles, tick and KPI texts, and the colour of each series, read from the plot Plotly
drew. The checks are plain functions over that record, one problem per string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from revpages.pages.formats import label
from revpages.reports.queryfile import parse_query_file

from .site import REPO

# Okabe & Ito's colour-blind-safe set as revpages.pages.charts uses it: grey (#999999) stands in
# for its black, which would vanish on the dark theme.
OKABE_ITO = frozenset(
    {"#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#999999"}
)
CARTESIAN = frozenset({"bar", "scatter"})
EXPLANATORY = ("revpages-note", "revpages-reference")  # legend groups of marks, not series
OVERLAP_PX = 1.0  # glyph boxes include some blank space: touching is not overlapping

# Each text is given as the four corners of its box on screen, so that rotated tick labels
# are compared as drawn, not by their (overlapping) axis-aligned bounding boxes.
CHART_RECORDS = """() => [...document.querySelectorAll(".revpages-chart")].map((chart) => {
  const corners = (el) => {
    const box = el.getBBox();
    const m = el.getScreenCTM();
    return [[box.x, box.y], [box.x + box.width, box.y],
            [box.x + box.width, box.y + box.height], [box.x, box.y + box.height]]
      .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBBox();
    return el.textContent.trim() && style.display !== "none" && style.visibility !== "hidden"
      && Number(style.opacity) > 0 && box.width > 0 && box.height > 0;
  };
  const kind = (el) => el.closest(".xtick") ? "x tick" : el.closest(".ytick") ? "y tick"
    : el.closest(".legend") ? "legend" : el.closest(".g-xtitle, .g-ytitle") ? "axis title"
    : "label";
  const texts = (selector) => [...chart.querySelectorAll(selector)].filter(shown)
    .map((t) => t.textContent.trim());
  const color = (trace) => {
    const marker = trace.marker && typeof trace.marker.color === "string" ? trace.marker.color
      : null;
    return (marker || (trace.line && trace.line.color) || "").toLowerCase();
  };
  const layout = chart._fullLayout || {};
  return {
    figure: chart.dataset.figure,
    texts: [...chart.querySelectorAll(".main-svg text")].filter(shown)
      .map((t) => ({ text: t.textContent.trim(), kind: kind(t), corners: corners(t) })),
    traces: (chart._fullData || []).map((t) => ({ name: t.name || "", type: t.type,
                                                 color: color(t),
                                                 group: t.legendgroup || "" })),
    xTitle: texts(".g-xtitle text").join(" "),
    yTitle: texts(".g-ytitle text").join(" "),
    legend: texts(".legend .legendtext"),
    xTicks: texts(".xtick text"),
    yTicks: texts(".ytick text"),
    xType: (layout.xaxis || {}).type || "",
    yType: (layout.yaxis || {}).type || "",
  };
})"""

# The KPI tiles of a page: label and number, as the reader sees them.
TILE_RECORDS = """() => [...document.querySelectorAll(".revpages-tile")].map((tile) => ({
  title: tile.querySelector(".revpages-tile__label").textContent.trim(),
  number: tile.querySelector(".revpages-tile__value").textContent.trim(),
}))"""


@dataclass(frozen=True)
class DrawnChart:
    """One chart as drawn on one page."""

    page: str
    figure: str
    texts: list[dict]
    traces: list[dict]
    x_title: str
    y_title: str
    legend: list[str]
    y_ticks: list[str]
    x_ticks: list[str] = field(default_factory=list)
    x_type: str = ""
    y_type: str = ""

    @classmethod
    def read(cls, page: str, record: dict) -> DrawnChart:
        return cls(
            page,
            record["figure"],
            record["texts"],
            record["traces"],
            record["xTitle"],
            record["yTitle"],
            record["legend"],
            record["yTicks"],
            record["xTicks"],
            record["xType"],
            record["yType"],
        )

    @property
    def series(self) -> list[dict]:
        """The traces that are series of data, not notes of the legend (a reference line,
        what faint bars mean, a dumbbell's connector)."""
        return [t for t in self.traces if not t.get("group", "").startswith(EXPLANATORY)]

    @property
    def where(self) -> str:
        return f"{self.page or 'home'} {self.figure}"

    @property
    def has_axes(self) -> bool:
        return any(t["type"] in CARTESIAN for t in self.traces)


# --- overlapping text ----------------------------------------------------------------------

Point = tuple[float, float]


def _axes(quad: list[Point]) -> Iterable[Point]:
    """The normals of a quad's edges: the axes to project on (separating axis theorem)."""
    for (x1, y1), (x2, y2) in zip(quad, quad[1:] + quad[:1], strict=True):
        yield (y1 - y2, x2 - x1)


def _depth(a: list[Point], b: list[Point]) -> float:
    """How far two convex quads overlap (px, along the axis of least overlap); <= 0 if not."""
    depth = float("inf")
    for nx, ny in [*_axes(a), *_axes(b)]:
        length = (nx * nx + ny * ny) ** 0.5
        if not length:
            continue
        pa = [(x * nx + y * ny) / length for x, y in a]
        pb = [(x * nx + y * ny) / length for x, y in b]
        depth = min(depth, min(max(pa), max(pb)) - max(min(pa), min(pb)))
    return depth


def overlapping_labels(chart: DrawnChart) -> list[str]:
    texts = chart.texts
    found = []
    for i, first in enumerate(texts):
        for second in texts[i + 1 :]:
            if _depth(first["corners"], second["corners"]) > OVERLAP_PX:
                found.append(
                    f"{chart.where}: {first['kind']} {first['text']!r} overlaps "
                    f"{second['kind']} {second['text']!r}"
                )
    return found


# --- axis titles ---------------------------------------------------------------------------


def missing_axis_titles(chart: DrawnChart) -> list[str]:
    """Charts with axes name both; a value axis drawing several series may leave its title
    to the legend, which names each of them."""
    if not chart.has_axes:
        return []
    problems = []
    if not chart.x_title:
        problems.append(f"{chart.where}: the x axis has no title")
    if not chart.y_title and len(chart.legend) < 2:
        problems.append(f"{chart.where}: the y axis has no title and no legend names it")
    return problems


# --- number formats ------------------------------------------------------------------------

# A formatted number: thousands grouped or shortened (k, M, G), then an optional unit.
NUMBER = re.compile(r"^[−-]?\$?(\d{1,3}(,\d{3})*|\d{1,4})(\.\d+)?[kMGT]?( ?(%|d|h|min)|×)?$")
SUB_UNIT = re.compile(r"\d[mµun]$")  # d3's SI prefixes below one: "500m" is half a lead


@dataclass(frozen=True)
class ColumnFormats:
    """The declared value columns and formats of each report, by figure path (and the
    chart kind and x column, which say which axis carries which format)."""

    by_figure: dict[str, tuple[list[str], dict[str, str]]]
    kinds: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def of_queries(cls, queries: Path = REPO / "queries") -> ColumnFormats:
        found = {}
        kinds: dict[str, tuple[str, str]] = {}
        for path in sorted(queries.glob("*/*.sql")):
            if path.parent.name.startswith(("_", ".")):  # shared models, not reports
                continue
            query = parse_query_file(
                path.read_text(encoding="utf-8"),
                path=str(path),
                section=path.parent.name,
                name=path.stem,
            )
            figure = f"{path.parent.name}/{path.stem}.json"
            found[figure] = (list(query.spec.y), dict(query.spec.format))
            kinds[figure] = (query.spec.chart, query.spec.x or "")
        return cls(found, kinds)

    def axis_format(self, figure: str, axis: str) -> str | None:
        """The format of the numbers on a value axis ("x" or "y") of the figure."""
        chart, x = self.kinds.get(figure, ("", ""))
        if chart == "scatter" and axis == "x":
            return self.by_figure.get(figure, ([], {}))[1].get(x)
        return self.value_format(figure)

    def value_format(self, figure: str) -> str | None:
        """The format of the value axis: the one all declared value columns share."""
        ys, formats = self.by_figure.get(figure, ([], {}))
        kinds = {formats.get(y) for y in ys}
        return kinds.pop() if len(kinds) == 1 else None

    def kpi_format(self, figure: str, title: str) -> str | None:
        ys, formats = self.by_figure.get(figure, ([], {}))
        return next((formats.get(y) for y in ys if label(y) == title), None)


NUMERIC_AXES = ("linear", "log")


def _number_problem(text: str, fmt: str | None, currency: str = "$") -> str | None:
    if SUB_UNIT.search(text):
        return "a fraction shown with an SI prefix below one"
    if not NUMBER.match(text.replace("\u2212", "-")):
        return "not a formatted number"
    if fmt == "percent" and not text.endswith("%"):
        return "a percent without %"
    if fmt == "currency" and currency not in text:
        return f"an amount without {currency}"
    return None


def unformatted_numbers(chart: DrawnChart, formats: ColumnFormats) -> list[str]:
    """Ticks of every numeric axis read as the format of the column drawn on it."""
    problems = []
    axes = (("x", chart.x_type, chart.x_ticks), ("y", chart.y_type, chart.y_ticks))
    for axis, kind, ticks in axes if chart.has_axes else ():
        if kind not in NUMERIC_AXES:
            continue
        axis_format = formats.axis_format(chart.figure, axis)
        for tick in ticks:
            problem = _number_problem(tick, axis_format)
            if problem:
                problems.append(f"{chart.where}: {axis} tick {tick!r}: {problem}")
    return problems


def unformatted_tiles(page: str, figure: str, tiles: list[dict], formats: ColumnFormats):
    """KPI tiles whose number does not read as its column's format."""
    problems = []
    for tile in tiles:
        problem = _number_problem(tile["number"], formats.kpi_format(figure, tile["title"]))
        if problem:
            problems.append(f"{page}: tile {tile['title']!r} {tile['number']!r}: {problem}")
    return problems


# --- colours -------------------------------------------------------------------------------


def series_colors(charts: Iterable[DrawnChart]) -> dict[str, dict[str, list[str]]]:
    """Series name -> colour -> where it is drawn in that colour."""
    colors: dict[str, dict[str, list[str]]] = {}
    for chart in charts:
        for trace in chart.series:
            if trace["color"] and trace["name"]:
                colors.setdefault(trace["name"], {}).setdefault(trace["color"], []).append(
                    chart.where
                )
    return colors
