"""What a drawn chart looks like to a reader: its text boxes (to find overlapping labels),
axis titles, tick and KPI texts, and the colour of each series, read from the plot Plotly
drew. The checks are plain functions over that record, one problem per string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
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
  return {
    figure: chart.dataset.figure,
    texts: [...chart.querySelectorAll(".main-svg text")].filter(shown)
      .map((t) => ({ text: t.textContent.trim(), kind: kind(t), corners: corners(t) })),
    traces: (chart._fullData || []).map((t) => ({ name: t.name || "", type: t.type,
                                                 color: color(t) })),
    xTitle: texts(".g-xtitle text").join(" "),
    yTitle: texts(".g-ytitle text").join(" "),
    legend: texts(".legend .legendtext"),
    yTicks: texts(".ytick text"),
    kpis: [...chart.querySelectorAll("g.trace")].filter((g) => g.querySelector("text.number"))
      .map((kpi) => ({
      title: [...kpi.querySelectorAll("text.title")].map((t) => t.textContent.trim()).join(" "),
      number: [...kpi.querySelectorAll("text.number")].map((t) => t.textContent.trim())
        .join(" "),
    })),
  };
})"""


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
    kpis: list[dict]

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
            record["kpis"],
        )

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
NUMBER = re.compile(r"^[−-]?\$?(\d{1,3}(,\d{3})*|\d{1,4})(\.\d+)?[kMGT]?( ?(%|d))?$")
SUB_UNIT = re.compile(r"\d[mµun]$")  # d3's SI prefixes below one: "500m" is half a lead


@dataclass(frozen=True)
class ColumnFormats:
    """The declared value columns and formats of each report, by figure path."""

    by_figure: dict[str, tuple[list[str], dict[str, str]]]

    @classmethod
    def of_queries(cls, queries: Path = REPO / "queries") -> ColumnFormats:
        found = {}
        for path in sorted(queries.glob("*/*.sql")):
            if path.parent.name.startswith(("_", ".")):  # shared models, not reports
                continue
            query = parse_query_file(
                path.read_text(encoding="utf-8"),
                path=str(path),
                section=path.parent.name,
                name=path.stem,
            )
            found[f"{path.parent.name}/{path.stem}.json"] = (
                list(query.spec.y),
                dict(query.spec.format),
            )
        return cls(found)

    def value_format(self, figure: str) -> str | None:
        """The format of the value axis: the one all declared value columns share."""
        ys, formats = self.by_figure.get(figure, ([], {}))
        kinds = {formats.get(y) for y in ys}
        return kinds.pop() if len(kinds) == 1 else None

    def kpi_format(self, figure: str, title: str) -> str | None:
        ys, formats = self.by_figure.get(figure, ([], {}))
        return next((formats.get(y) for y in ys if label(y) == title), None)


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
    problems = []
    axis_format = formats.value_format(chart.figure)
    for tick in chart.y_ticks if chart.has_axes else []:
        problem = _number_problem(tick, axis_format)
        if problem:
            problems.append(f"{chart.where}: y tick {tick!r}: {problem}")
    for kpi in chart.kpis:
        problem = _number_problem(kpi["number"], formats.kpi_format(chart.figure, kpi["title"]))
        if problem:
            problems.append(f"{chart.where}: KPI {kpi['title']!r} {kpi['number']!r}: {problem}")
    return problems


# --- colours -------------------------------------------------------------------------------


def series_colors(charts: Iterable[DrawnChart]) -> dict[str, dict[str, list[str]]]:
    """Series name -> colour -> where it is drawn in that colour."""
    colors: dict[str, dict[str, list[str]]] = {}
    for chart in charts:
        for trace in chart.traces:
            if trace["color"] and trace["name"]:
                colors.setdefault(trace["name"], {}).setdefault(trace["color"], []).append(
                    chart.where
                )
    return colors
