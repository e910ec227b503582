"""Query result + front matter -> Plotly figure JSON (a plain dict).

Figures carry data and structure only: no template, no colours of the page
theme (the browser script applies the light or dark palette), labels escaped
because Plotly reads trace names and categories as HTML. They are written as the
plain dicts plotly.js reads (what ``plotly.graph_objects`` would serialise), so a
build neither imports plotly.py nor pays for its validators.
"""

from __future__ import annotations

import html
from typing import Any

from revpages.errors import ChartSpecError, did_you_mean
from revpages.pages.compare import Comparison, changes, kpi_note
from revpages.pages.formats import FORMATS, json_value, label
from revpages.pages.palette import ColorMap
from revpages.pages.periods import (
    MARK_COLUMNS,
    Marks,
    band_and_notes,
    cell_note,
    mark_bars,
    split_line,
)
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult

NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
)
SERIES_CHARTS = ("line", "bar", "stacked_bar", "area")
Figure = dict[str, Any]  # {"data": [traces], "layout": {...}}, as plotly.js reads it


def series_names(query: QueryFile, result: QueryResult) -> set[str]:
    """Entity names a report draws as series, for building the site's ColorMap."""
    spec = query.spec
    if spec.chart not in SERIES_CHARTS or spec.color not in result.columns:
        return set(y_columns(query, result)) if spec.chart in SERIES_CHARTS else set()
    index = result.columns.index(spec.color)
    return {str(row[index]) for row in result.rows}


def check_columns(query: QueryFile, result: QueryResult) -> None:
    """Every column named in the front matter must exist in the result."""
    spec = query.spec
    named = [("x", spec.x), ("color", spec.color), ("sort", (spec.sort or "").lstrip("-"))]
    named += [("y", column) for column in spec.y]
    named += [("format", column) for column in spec.format]
    named += [("better", column) for column in spec.better]
    for key, column in named:
        if column and column not in result.columns:
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


def y_columns(query: QueryFile, result: QueryResult) -> list[str]:
    """The value columns: as declared, else every numeric column but x and color."""
    if query.spec.y:
        return list(query.spec.y)
    skip = {query.spec.x, query.spec.color, *MARK_COLUMNS}
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
    comparisons: tuple[Comparison, ...] = (),
) -> dict[str, Any] | None:
    """The figure of a report, or None for table-only reports and empty results;
    ``marks`` (one per row, see ``periods.row_marks``) draws running periods and
    immature cohorts apart; ``comparisons`` (``compare:``) give KPI tiles their change."""
    spec = query.spec
    if spec.chart == "table" or not result.rows:
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
    builder = _BUILDERS[spec.chart]
    figure = builder(query, result, ys, colors, currency, marks or [None] * result.row_count)
    if spec.chart == "kpi" and comparisons:
        _kpi_changes(query, result, figure, comparisons, currency)
    return _plain(figure)


def _kpi_changes(
    query: QueryFile,
    result: QueryResult,
    figure: Figure,
    comparisons: tuple[Comparison, ...],
    currency: str,
) -> None:
    """Each tile's change against each comparison: a coloured line under its title. (A
    plotly.js delta under the number overlapped it in narrow tiles.)"""
    found = [changes(query, result, comparison) for comparison in comparisons]
    for column, trace in zip(y_columns(query, result), figure["data"], strict=True):
        notes = [
            kpi_note(change, comparison, currency)
            for comparison, changed in zip(comparisons, found, strict=True)
            if (change := changed.get(column, [None])[0]) is not None
        ]
        trace["title"]["text"] += "".join(notes)


def _fail(query: QueryFile, code: str, key: str, message: str, hint: str) -> None:
    line, column = query.key_position(key)
    raise ChartSpecError(message, code=code, path=query.path, line=line, column=column, hint=hint)


def _values(result: QueryResult, column: str) -> list[Any]:
    index = result.columns.index(column)
    return [_safe(json_value(row[index])) for row in result.rows]


def _safe(value: Any) -> Any:
    return html.escape(value, quote=False) if isinstance(value, str) else value


def _x_column(query: QueryFile, result: QueryResult) -> str:
    if query.spec.x:
        return query.spec.x
    others = [c for c in result.columns if c not in y_columns(query, result)]
    if not others:
        _fail(
            query,
            "RP304",
            "x",
            "the chart needs a column for the horizontal axis.",
            "add 'x: column'.",
        )
    return others[0]


def _hover(fmt_name: str | None, axis: str, currency: str) -> str:
    fmt = FORMATS.get(fmt_name or "")
    if fmt is None:
        return f"%{{{axis}}}"
    prefix = currency if fmt.name == "currency" else ""
    return f"{prefix}%{{{axis}:{fmt.hover}}}{fmt.suffix}"


def _axis(fmt_name: str | None, title: str, currency: str) -> dict[str, Any]:
    axis: dict[str, Any] = {"title": {"text": _safe(title)}, "automargin": True}
    fmt = FORMATS.get(fmt_name or "")
    if fmt:
        axis["tickformat"] = fmt.axis
        axis["ticksuffix"] = fmt.suffix
        axis["tickprefix"] = currency if fmt.name == "currency" else ""
    return axis


def _series(
    query: QueryFile, result: QueryResult, ys: list[str], colors: ColorMap
) -> list[tuple[str, list[Any], list[Any], str, list[int]]]:
    """(name, x values, y values, value column, row numbers) per trace."""
    x = _x_column(query, result)
    if not query.spec.color:
        xs = _values(result, x)
        rows = list(range(result.row_count))
        return [(label(y), xs, _values(result, y), y, rows) for y in ys]
    if len(ys) != 1:
        _fail(
            query,
            "RP305",
            "y",
            "'color' splits one value column into series; 'y' names several.",
            "name one column in 'y', or drop 'color'.",
        )
    groups: dict[str, tuple[list[Any], list[Any], list[int]]] = {}
    xi, yi, ci = (result.columns.index(c) for c in (x, ys[0], query.spec.color))
    for number, row in enumerate(result.rows):
        xs, values, rows = groups.setdefault(str(json_value(row[ci])), ([], [], []))
        xs.append(_safe(json_value(row[xi])))
        values.append(_safe(json_value(row[yi])))
        rows.append(number)
    return [(name, xs, values, ys[0], rows) for name, (xs, values, rows) in groups.items()]


def _trace(kind: str, **attributes: Any) -> dict[str, Any]:
    """One plotly.js trace; unset (None) attributes are left out, as plotly.py does."""
    return {"type": kind, **{k: v for k, v in attributes.items() if v is not None}}


def _cartesian(
    query: QueryFile,
    result: QueryResult,
    ys: list[str],
    colors: ColorMap,
    currency: str,
    marks: Marks,
) -> Figure:
    spec = query.spec
    x = _x_column(query, result)
    y_format = spec.format.get(ys[0])
    traces = []
    for name, xs, values, y, rows in _series(query, result, ys, colors):
        color = colors(name if spec.color else y)
        # The mark ('to date, 33 %') is our own text, after the x value in the hover.
        hover = (
            f"%{{x}}%{{customdata}}<br>{_safe(label(y))}: "
            f"{_hover(spec.format.get(y), 'y', currency)}<extra>{_safe(name)}</extra>"
        )
        points = [marks[row] for row in rows]
        common = {
            "x": xs,
            "y": values,
            "name": _safe(name),
            "hovertemplate": hover,
            "customdata": [cell_note(mark) for mark in points],
        }
        if spec.chart in ("bar", "stacked_bar"):
            trace = _trace("bar", marker={"color": color}, **common)
            mark_bars(trace, points)
            traces.append(trace)
        else:
            area = {"stackgroup": "one"} if spec.chart == "area" else {}
            line = _trace("scatter", mode="lines", line={"color": color}, **area, **common)
            traces += split_line(line, points)
    y_title = label(ys[0]) if len(ys) == 1 else ""
    layout = {
        "xaxis": _axis(spec.format.get(x), label(x), currency),
        "yaxis": _axis(y_format, y_title, currency),
        "barmode": "stack" if spec.chart == "stacked_bar" else "group",
        "showlegend": len([t for t in traces if t.get("showlegend", True)]) > 1,
    }
    xs = _values(result, x)
    layout |= band_and_notes(xs, marks, band=spec.chart in ("line", "area"))
    return {"data": traces, "layout": layout}


def _funnel(
    query: QueryFile,
    result: QueryResult,
    ys: list[str],
    colors: ColorMap,
    currency: str,
    marks: Marks,
) -> Figure:
    stage = _x_column(query, result)
    fmt = query.spec.format.get(ys[0])
    trace = _trace(
        "funnel",
        y=_values(result, stage),
        x=_values(result, ys[0]),
        textinfo="value+percent initial",
        marker={"color": colors(ys[0])},
        customdata=[cell_note(mark) for mark in marks],
        hovertemplate=f"%{{y}}%{{customdata}}<br>{_safe(label(ys[0]))}: "
        f"{_hover(fmt, 'x', currency)}<br>%{{percentInitial:.1%}} of the first stage"
        "<extra></extra>",
    )
    mark_bars(trace, marks)
    return {"data": [trace], "layout": {"yaxis": {"automargin": True}}}


def _kpi(
    query: QueryFile,
    result: QueryResult,
    ys: list[str],
    colors: ColorMap,
    currency: str,
    marks: Marks,
) -> Figure:
    if result.row_count != 1:
        _fail(
            query,
            "RP306",
            "chart",
            f"a kpi chart needs exactly one row; the query returned {result.row_count:,}.",
            "aggregate to one row, or use another chart type.",
        )
    traces = []
    for i, column in enumerate(ys):
        value = _values(result, column)[0]
        if isinstance(value, str):  # text, a date or a time: plotly.js needs a number
            _fail(
                query,
                "RP307",
                "y",
                f"a kpi shows a number; the column '{column}' holds "
                f"{result.types[result.columns.index(column)]} values.",
                "name a numeric column in 'y', or use 'chart: table'.",
            )
        fmt = FORMATS.get(query.spec.format.get(column, ""))
        number: dict[str, Any] = {"valueformat": fmt.hover if fmt else ",.4~g"}
        if fmt and fmt.name == "currency":
            number["prefix"] = currency
        if fmt and fmt.suffix:
            number["suffix"] = fmt.suffix
        traces.append(
            _trace(
                "indicator",
                mode="number",
                value=value,
                title={"text": _safe(label(column))},
                number=number,
                domain={"row": 0, "column": i},
            )
        )
    return {"data": traces, "layout": {"grid": {"rows": 1, "columns": len(ys)}, "height": 220}}


_BUILDERS = {
    "line": _cartesian,
    "bar": _cartesian,
    "stacked_bar": _cartesian,
    "area": _cartesian,
    "funnel": _funnel,
    "kpi": _kpi,
}


def _plain(figure: Figure) -> dict[str, Any]:
    """The figure with the page's default margins (no template: kilobytes per chart)."""
    figure["layout"].setdefault("margin", {"l": 10, "r": 10, "t": 30, "b": 10})
    return figure
