"""Query result + front matter -> Plotly figure JSON (a plain dict).

Figures carry data and structure only: no template, no colours of the page
theme (the browser script applies the light or dark palette), labels escaped
because Plotly reads trace names and categories as HTML. They are written as the
plain dicts plotly.js reads (what ``plotly.graph_objects`` would serialise), so a
build neither imports plotly.py nor pays for its validators. Each kind is built in
``chart_kinds``; the judgement marks (intervals, sample sizes, flagged rows,
references) in ``chart_marks``; running periods and immature cohorts are drawn apart
(``periods``); KPI tiles are HTML (``tiles``), not figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from revpages.errors import ChartSpecError, did_you_mean
from revpages.pages import chart_kinds as kinds
from revpages.pages.chart_data import Draw, Panel, Trace
from revpages.pages.chart_grids import funnel, heatmap
from revpages.pages.chart_marks import NOTE_GROUP, note_entries, references
from revpages.pages.formats import NUMERIC_TYPES, column_formats, json_value
from revpages.pages.palette import ColorMap
from revpages.pages.periods import MARK_COLUMNS, Marks, band_and_notes
from revpages.pages.tiles import check_tiles
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult
from revpages.reports.spec import CHART_TYPES, named_columns

__all__ = ["NUMERIC_TYPES", "build_figure", "check_columns", "series_names", "y_columns"]

SERIES_CHARTS = ("line", "bar", "horizontal_bar", "stacked_bar", "area", "scatter")
BARS = ("bar", "horizontal_bar", "stacked_bar", "paths")
# The charts that draw each optional key; any other chart refuses it.
CHART_KEYS: dict[str, tuple[str, ...]] = {
    "color": SERIES_CHARTS,
    "facet": ("line", "bar", "horizontal_bar", "stacked_bar", "area", "scatter", "dumbbell"),
    "label": ("scatter",),
    "error": ("bar", "horizontal_bar", "line", "scatter"),
    "highlight": ("bar", "horizontal_bar", "line", "scatter", "paths"),
    "n": ("bar", "horizontal_bar", "scatter", "dumbbell", "paths"),
    # A line or band on a value axis: every kind but those without one.
    "reference": tuple(kind for kind in CHART_TYPES if kind not in ("heatmap", "funnel", "table")),
    "sparkline": ("kpi",),
}
MAX_PANELS = 12
Figure = dict[str, Any]  # {"data": [traces], "layout": {...}}, as plotly.js reads it


def series_names(query: QueryFile, result: QueryResult) -> set[str]:
    """Entity names a report draws as series, for building the site's ColorMap."""
    spec = query.spec
    if spec.chart == "dumbbell":
        return set(spec.y)
    if spec.chart not in (*SERIES_CHARTS, "paths"):
        return set()
    if spec.color not in result.columns:
        return set(y_columns(query, result))
    index = result.columns.index(spec.color)
    return {str(json_value(row[index])) for row in result.rows}


def check_columns(query: QueryFile, result: QueryResult) -> None:
    """Every column named in the front matter must exist in the result, with a type the
    chart can draw, and every key must be one the chart draws."""
    for key, column in named_columns(query.spec):
        if column not in result.columns:
            line, col = query.key_position(key)
            hint = did_you_mean(column, result.columns) or (
                "the query returns " + ", ".join(result.columns) + "."
            )
            raise ChartSpecError(
                f"'{key}' names the column '{column}', which the query does not return.",
                code="RP301",
                path=query.path,
                line=line,
                column=col,
                hint=hint,
            )
    _check_keys(query)
    _check_types(query, result)


def _fail(query: QueryFile, code: str, key: str, message: str, hint: str) -> None:
    line, column = query.key_position(key)
    raise ChartSpecError(message, code=code, path=query.path, line=line, column=column, hint=hint)


def _check_keys(query: QueryFile) -> None:
    spec = query.spec
    chart = spec.chart
    for key, charts in CHART_KEYS.items():
        if getattr(spec, key) and chart not in charts:
            _fail(
                query,
                "RP315",
                key,
                f"a {chart} chart does not draw '{key}'.",
                f"remove it, or use chart: {' / '.join(charts)}.",
            )
    for found, key, message, hint in _key_problems(spec):
        if found:
            _fail(query, "RP315", key, message, hint)


def _key_problems(spec: Any) -> list[tuple[bool, str, str, str]]:
    """(whether it is a problem, key to point at, message, hint) for keys a kind needs."""
    chart = spec.chart
    tiles = [r for r in spec.reference if chart == "kpi" and r.y not in spec.y]
    loose = [tile for tile in spec.sparkline if tile not in spec.y]
    return [
        (
            chart == "heatmap" and not spec.pivot,
            "chart",
            "a heatmap draws the grid of 'pivot', which the front matter does not set.",
            "add 'pivot: {rows: model, columns: channel, values: share}'.",
        ),
        (
            chart == "dumbbell" and len(spec.y) != 2,
            "y" if spec.y else "chart",
            f"a dumbbell joins two values per row; 'y' names {len(spec.y)}.",
            "name the two columns, e.g. 'y: [without, with]'.",
        ),
        (
            chart == "scatter" and not spec.x,
            "chart",
            "a scatter chart plots 'y' against 'x', and 'x' is not set.",
            "add 'x: column' with the horizontal values.",
        ),
        (
            bool(spec.highlight and spec.color),
            "highlight",
            "'highlight' colours the flagged rows, and 'color' already colours rows by its values.",
            "keep one of them.",
        ),
        (
            bool(spec.highlight) and chart in BARS and len(spec.y) > 1,
            "highlight",
            "'highlight' colours the bars of one value column; 'y' names several.",
            "name one column in 'y'.",
        ),
        (
            bool(tiles),
            "reference",
            "a kpi target belongs to one tile, and the reference names none of 'y'.",
            "add 'y: column' to the reference, e.g. {y: win_rate, value: 0.3, label: Target}.",
        ),
        (
            bool(loose),
            "sparkline",
            f"'sparkline' draws under the tile '{(loose or [''])[0]}', which 'y' does not name.",
            "name the tile's column in 'y' too.",
        ),
    ]


def _check_types(query: QueryFile, result: QueryResult) -> None:
    spec = query.spec
    numeric = [("n", spec.n.column)] if spec.n else []
    if spec.error:
        numeric += [("error", spec.error.low), ("error", spec.error.high)]
    numeric += [("reference", c) for r in spec.reference for c in r.columns()]
    if spec.chart not in ("table", "kpi", "heatmap"):
        numeric += [("y", c) for c in spec.y]
    if spec.chart == "scatter" and spec.x:
        numeric.append(("x", spec.x))
    if spec.chart == "heatmap" and spec.pivot:
        numeric.append(("pivot", spec.pivot.values))
    for key, column in numeric:
        _type(query, result, key, column, "numbers", _is_number)
    if spec.highlight:
        _type(
            query,
            result,
            "highlight",
            spec.highlight.column,
            "true/false values",
            lambda t: t == "BOOLEAN",
        )
    if spec.attention:
        _type(
            query,
            result,
            "attention",
            spec.attention.when,
            "true/false values",
            lambda t: t == "BOOLEAN",
        )
    for trend in spec.sparkline.values():
        _type(
            query,
            result,
            "sparkline",
            trend,
            "a list of numbers (e.g. list(value order by month))",
            lambda t: t.endswith("[]") and t[:-2].startswith(NUMERIC_TYPES),
        )


def _is_number(kind: str) -> bool:
    return kind.startswith(NUMERIC_TYPES) and not kind.endswith("]")


def _type(
    query: QueryFile,
    result: QueryResult,
    key: str,
    column: str,
    needs: str,
    ok: Callable[[str], bool],
) -> None:
    kind = result.types[result.columns.index(column)]
    if not ok(kind):
        _fail(
            query,
            "RP314",
            key,
            f"'{key}' names the column '{column}', which holds {kind} values; it needs {needs}.",
            "cast the column in SQL, or name another one.",
        )


def y_columns(query: QueryFile, result: QueryResult) -> list[str]:
    """The value columns: as declared, else every numeric column but x and color."""
    spec = query.spec
    if spec.chart == "heatmap" and spec.pivot:
        return [spec.pivot.values]
    if spec.y:
        return list(spec.y)
    skip = {spec.x, spec.color, spec.label, spec.facet, *MARK_COLUMNS}
    skip |= {spec.n.column} if spec.n else set()
    return [
        c
        for c, t in zip(result.columns, result.types, strict=True)
        if c not in skip and t.startswith(NUMERIC_TYPES)
    ]


def build_figure(
    query: QueryFile,
    result: QueryResult,
    *,
    colors: ColorMap,
    currency: str = "$",
    max_points: int = 5000,
    marks: Marks | None = None,
) -> dict[str, Any] | None:
    """The figure of a report, or None for KPI tiles, table-only reports and empty results;
    ``marks`` (one per row, see ``periods.row_marks``) draws running periods and immature
    cohorts apart."""
    spec = query.spec
    if spec.chart == "kpi":
        check_tiles(query, result)
    if spec.chart in ("table", "kpi") or not result.rows:
        return None
    ys = y_columns(query, result)
    if not ys:
        _fail(
            query,
            "RP302",
            "y",
            "the chart has no numeric column to draw.",
            "name the value column with 'y: column'.",
        )
    points = result.row_count * len(ys)
    if points > max_points:
        _fail(
            query,
            "RP303",
            "chart",
            f"the chart would draw {points:,} points, more than the limit of {max_points:,}.",
            "aggregate further in SQL, or use 'chart: table'.",
        )
    _check_keys(query)
    if spec.color and len(ys) != 1 and spec.chart in SERIES_CHARTS:
        _fail(
            query,
            "RP305",
            "y",
            "'color' splits one value column into series; 'y' names several.",
            "name one column in 'y', or drop 'color'.",
        )
    formats = column_formats(result, spec.format, currency)
    draw = Draw(
        query, result, formats, colors, ys, x=_x_column(query, result, ys), marks=marks or []
    )
    if spec.chart == "heatmap":
        traces, layout = heatmap(draw)
    elif spec.chart == "funnel":
        traces, layout = funnel(draw)
    else:
        traces, layout = _panels(draw)
    layout["showlegend"] = _legend_entries(traces, layout.get("shapes", [])) > 1
    layout.setdefault("margin", {"l": 10, "r": 10, "t": 30, "b": 10})
    return {"data": traces, "layout": layout}


_BUILDERS = {
    "bar": kinds.bars,
    "horizontal_bar": kinds.bars,
    "stacked_bar": kinds.bars,
    "paths": kinds.bars,
    "line": kinds.lines,
    "area": kinds.lines,
    "scatter": kinds.scatter,
    "dumbbell": kinds.dumbbell,
}


def _panels(draw: Draw) -> tuple[list[Trace], dict[str, Any]]:
    """Every panel's traces and references, the notes once, small multiples laid out."""
    panels = draw.panels()
    if len(panels) > MAX_PANELS:
        draw.fail(
            "RP316",
            "facet",
            f"'facet' would draw {len(panels)} small charts, more than {MAX_PANELS}.",
            "facet by a column with fewer values, or filter the rows in SQL.",
        )
    chart = draw.spec.chart
    value_axis = "x" if chart in kinds.HORIZONTAL else "y"
    layout = kinds.cartesian_layout(draw)
    traces: list[Trace] = []
    shapes: list[dict[str, Any]] = []
    for panel in panels:
        traces += _BUILDERS[chart](draw, panel)
        found, markers = references(draw, panel, value_axis, scatter=chart == "scatter")
        shapes += found
        traces += markers
    traces += note_entries(
        draw, kind="scatter", color=draw.colors(draw.ys[0]), small=_any_small(draw)
    )
    if len(panels) > 1:
        _facets(draw, panels, layout)
    notes: list[dict[str, Any]] = []
    marked = chart in (*kinds.BAR_KINDS, "line", "area") and chart not in kinds.HORIZONTAL
    if marked and any(draw.marks):
        for panel in panels:
            period = _period_marks(draw, panel, len(panels) > 1)
            shapes += period.get("shapes", [])
            notes += period.get("annotations", []) if panel.first else []
    if notes:
        layout["annotations"] = [*layout.get("annotations", []), *notes]
    if shapes:
        layout["shapes"] = shapes
    return traces, layout


def _period_marks(draw: Draw, panel: Panel, faceted: bool) -> dict[str, Any]:
    """A panel's band over its running periods (lines, areas) and a note over each run of
    marked x values (the first panel's, for small multiples)."""
    xs = draw.shown(draw.x, panel.rows)
    return band_and_notes(
        xs,
        [draw.marks[i] for i in panel.rows],
        band=draw.spec.chart in ("line", "area"),
        xref=panel.axis("x"),
        yref=f"{panel.axis('y')} domain" if faceted else "paper",
    )


def _any_small(draw: Draw) -> bool:
    n = draw.spec.n
    if not n:
        return False
    return any(isinstance(v, int | float) and v < n.min for v in draw.raw(n.column))


PANEL_HEIGHT = 250
FACET_EXTRA = 120  # legend, axis titles and margins above and below the grid


def _facets(draw: Draw, panels: list[Panel], layout: dict[str, Any]) -> None:
    """Small multiples: one grid cell per panel, axes shared, a title above each."""
    columns = min(3, len(panels))
    rows = math.ceil(len(panels) / columns)
    layout["grid"] = {"rows": rows, "columns": columns, "pattern": "independent"}
    for panel in panels[1:]:
        for letter in "xy":
            axis = {k: v for k, v in layout[f"{letter}axis"].items() if k != "title"}
            layout[f"{letter}axis{panel.index}"] = {**axis, "matches": letter}
    layout["annotations"] = [
        {
            "text": f"<b>{panel.title}</b>",
            "xref": f"{panel.axis('x')} domain",
            "yref": f"{panel.axis('y')} domain",
            "x": 0,
            "y": 1,
            "xanchor": "left",
            "yanchor": "bottom",
            "yshift": 6,
            "showarrow": False,
        }
        for panel in panels
    ]
    horizontal = draw.spec.chart in kinds.HORIZONTAL
    height = PANEL_HEIGHT
    if horizontal:
        tallest = max(kinds.bar_height(draw, panel.rows) for panel in panels)
        height = tallest - kinds.CHART_EXTRA + 60
    layout["height"] = rows * height + FACET_EXTRA
    layout["meta"] = {
        "facet": {
            "panels": len(panels),
            "columns": columns,
            "panelHeight": height,
            "extraHeight": FACET_EXTRA,
            "categoryAxis": "" if draw.spec.chart == "scatter" else ("y" if horizontal else "x"),
        }
    }


def _legend_entries(traces: list[Trace], shapes: list[dict[str, Any]]) -> int:
    named = {
        t["name"]
        for t in traces
        if t.get("name") and t.get("showlegend", True) and t.get("legendgroup") != NOTE_GROUP
    }
    notes = [t for t in traces if t.get("legendgroup") == NOTE_GROUP and t.get("name")]
    return len(named) + len(notes) + sum(1 for s in shapes if s.get("showlegend"))


def _x_column(query: QueryFile, result: QueryResult, ys: list[str]) -> str:
    spec = query.spec
    if spec.chart == "heatmap" and spec.pivot:
        return spec.pivot.columns
    if spec.x:
        return spec.x
    skip = {*ys, spec.color, spec.facet, spec.label}
    others = [c for c in result.columns if c not in skip]
    if not others:
        _fail(
            query,
            "RP304",
            "x",
            "the chart needs a column for the horizontal axis.",
            "add 'x: column'.",
        )
    return others[0]
